//! Push bodies through `wxdesk decrypt push`: entity tricks (XXE, billion
//! laughs), bad and missing signatures, damaged base64, the wrong appid or
//! key, megabyte bodies, bytes that are not UTF-8, broken XML.

use std::ffi::OsString;

use wxdesk_wechat::crypto::PushCrypto;
use wxdesk_wechat::push_message::build_message;

use crate::common::{random_alnum, random_appid};
use crate::harness::{fail, ok, ok_if, Case, Fx};

const XML: &str = "invalid_xml";
const SIG: &str = "signature_mismatch";
const INVALID: &str = "invalid_input";

struct P {
    token: String,
    key: String,
    appid: String,
}

impl P {
    fn crypto(&self) -> PushCrypto {
        PushCrypto::new(&self.token, &self.key, &self.appid).unwrap()
    }

    /// The envelope and query of a push carrying `msg`, signed.
    fn seal(&self, msg: &[u8]) -> (String, String) {
        let encrypt = self.crypto().encrypt(msg, None);
        self.envelope(&encrypt)
    }

    /// The envelope and signed query for an `Encrypt` value as given.
    fn envelope(&self, encrypt: &str) -> (String, String) {
        let sig = self
            .crypto()
            .msg_signature("1714521600", "nonce123", encrypt);
        (
            format!(
                "<xml><AppId><![CDATA[{}]]></AppId><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>",
                self.appid
            ),
            query(&sig),
        )
    }

    /// A row for a push of `msg`, sealed once (encryption is randomised).
    fn sealed(&self, name: &str, msg: &[u8], expect: crate::harness::Expect) -> Case {
        let (body, q) = self.seal(msg);
        self.case(name, body, &q, expect)
    }

    /// A row for an envelope holding `encrypt` as given, signed.
    fn enveloped(&self, name: &str, encrypt: &str, expect: crate::harness::Expect) -> Case {
        let (body, q) = self.envelope(encrypt);
        self.case(name, body, &q, expect)
    }

    fn args(&self, query: &str) -> Vec<OsString> {
        [
            "decrypt",
            "push",
            "--token",
            &self.token,
            "--aes-key",
            &self.key,
            "--appid",
            &self.appid,
            "--query",
            query,
        ]
        .iter()
        .map(OsString::from)
        .collect()
    }

    fn case(
        &self,
        name: &str,
        body: impl Into<Vec<u8>>,
        query: &str,
        expect: crate::harness::Expect,
    ) -> Case {
        Case::cli_os(name, self.args(query), body.into(), expect)
    }
}

fn query(sig: &str) -> String {
    format!("timestamp=1714521600&nonce=nonce123&encrypt_type=aes&msg_signature={sig}")
}

fn ticket_message(appid: &str, ticket: &str) -> String {
    build_message(
        appid,
        1_714_521_600,
        "component_verify_ticket",
        &[("ComponentVerifyTicket", ticket)],
    )
}

pub fn cases(fx: &Fx) -> Vec<Case> {
    let p = P {
        token: fx.secret(&random_alnum(32)),
        key: fx.secret(&random_alnum(43)),
        appid: random_appid(),
    };
    let ticket = format!("ticket@@@{}", random_alnum(40));
    let good = ticket_message(&p.appid, &ticket);
    let encrypt = p.crypto().encrypt(good.as_bytes(), None);
    let (body, q) = p.envelope(&encrypt);
    let xxe_inner = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><AppId>{}</AppId><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>&xxe;</ComponentVerifyTicket></xml>",
        p.appid
    );
    let laughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">]>";
    let other = P {
        token: p.token.clone(),
        key: p.key.clone(),
        appid: random_appid(),
    };
    let (other_body, other_q) = other.seal(good.as_bytes());
    let wrong_key = fx.secret(&random_alnum(43));
    let mut v = vec![
        p.case("a valid ticket push (a result)", body.clone(), &q, ok_if(|v| v.to_string().contains("component_verify_ticket"))),
        p.case("the query as a full URL with a fragment", body.clone(), &format!("https://platform.example/push?{q}#frag"), ok()),
        p.case("a byte-order mark before the envelope", format!("\u{feff}{body}"), &q, ok()),
        p.case("XXE in the envelope", format!("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>{}", body.replace("<AppId><![CDATA[", "<AppId>&xxe;<![CDATA[")), &q, fail(XML, "doctype|dtd|entity")),
        p.sealed("XXE in the encrypted message", xxe_inner.as_bytes(), fail(XML, "doctype|dtd|entity")),
        p.case("billion laughs in the envelope", format!("{laughs}<xml><AppId>&lol4;</AppId><Encrypt>{encrypt}</Encrypt></xml>"), &q, fail(XML, "doctype|dtd|entity")),
        p.sealed("billion laughs in the encrypted message", format!("{laughs}<xml><InfoType>&lol4;</InfoType></xml>").as_bytes(), fail(XML, "doctype|dtd|entity")),
        p.case("an undefined entity in the envelope", body.replace("<AppId>", "<AppId>&nope;"), &q, fail(XML, "entity|nope")),
        p.case("a wrong msg_signature", body.clone(), &query(&"0".repeat(40)), fail(SIG, "msg_signature")),
        p.case("a msg_signature in Chinese", body.clone(), &query("签名签名"), fail(SIG, "msg_signature")),
        p.case("a msg_signature of 10 KB", body.clone(), &query(&"a".repeat(10_000)), fail(SIG, "msg_signature")),
        p.case("Encrypt cut short, unsigned", body.replace(&encrypt, &encrypt[..encrypt.len() - 7]), &q, fail(SIG, "msg_signature")),
        p.enveloped("Encrypt cut short, signed", &encrypt[..encrypt.len() - 7], fail("invalid_base64|invalid_length", "encrypt")),
        p.enveloped("Encrypt with junk characters, signed", &format!("!!{}", &encrypt[2..]), fail("invalid_base64", "encrypt")),
        p.case("Encrypt empty", body.replace(&encrypt, ""), &q, fail(XML, "encrypt")),
        p.case("sealed for another appid", other_body, &other_q, fail("appid_mismatch", "appid")),
        Case::cli_os("opened with the wrong EncodingAESKey", P { token: p.token.clone(), key: wrong_key.clone(), appid: p.appid.clone() }.args(&q), body.clone().into_bytes(), fail("decrypt_failed|appid_mismatch", "key|padding|appid|malformed")),
        Case::cli_os("an EncodingAESKey of 42 characters", P { token: p.token.clone(), key: p.key[..42].to_string(), appid: p.appid.clone() }.args(&q), body.clone().into_bytes(), fail("invalid_length|invalid_base64|invalid_input", "aes|encoding")),
        Case::cli_os("an EncodingAESKey in Chinese", P { token: p.token.clone(), key: "密".repeat(43), appid: p.appid.clone() }.args(&q), body.clone().into_bytes(), fail("invalid_length|invalid_base64|invalid_input", "aes|encoding")),
        Case::cli_os("an appid in Chinese", P { token: p.token.clone(), key: p.key.clone(), appid: "第三方平台".into() }.args(&q), body.clone().into_bytes(), fail("invalid_input|appid_mismatch", "appid")),
        p.case("a 1 MB envelope without Encrypt", format!("<xml><Pad>{}</Pad></xml>", "x".repeat(1 << 20)), &q, fail(XML, "encrypt")),
        p.enveloped("a 1 MB Encrypt of noise, signed", &"QUJD".repeat(1 << 18), fail("decrypt_failed|appid_mismatch", "padding|key|malformed|appid")),
        p.sealed("a 1 MB valid message (a result)", build_message(&p.appid, 1, "x_info", &[("Pad", &"y".repeat(1 << 20))]).as_bytes(), ok()),
        p.case("a body that is not UTF-8", vec![b'<', b'x', b'm', b'l', b'>', 0xff, 0xfe, 0xfd, b'<', b'/', b'x', b'm', b'l', b'>'], &q, fail(INVALID, "utf-8|stdin|body")),
        p.case("an empty body", Vec::new(), &q, fail(XML, "encrypt|root|empty|element")),
        p.case("a body that is not XML", "{\"Encrypt\":\"abc\"}", &q, fail(XML, "encrypt|root|element|xml")),
        p.case("100,000 nested elements", format!("<xml>{}", "<a>".repeat(100_000)), &q, fail(XML, "truncated|ends|nest|deep")),
        p.case("an unterminated CDATA", format!("<xml><Encrypt><![CDATA[{encrypt}</Encrypt></xml>"), &q, fail(XML, "cdata|truncated|ends|encrypt")),
        p.case("mismatched closing tags", format!("<xml><Encrypt>{encrypt}</AppId></xml>"), &q, fail(XML, "appid|encrypt|mismatch|expected|close")),
        p.case("a query without timestamp", body.clone(), "nonce=n&msg_signature=abc", fail(INVALID, "timestamp")),
        p.case("a query in Chinese", body.clone(), "时间戳=1&随机数=2", fail(INVALID, "timestamp|query")),
        p.case("an empty query", body.clone(), "", fail(INVALID, "query|timestamp")),
        p.sealed("a message that is not UTF-8", &[0xff, 0xfe, b'<', b'x'], fail("decrypt_failed", "utf-8")),
        p.sealed("a ticket push without its ticket", build_message(&p.appid, 1, "component_verify_ticket", &[]).as_bytes(), fail(XML, "componentverifyticket")),
        p.sealed("an echostr, not XML (a result)", b"echostr-12345", ok()),
    ];
    // Base64 pasted with spaces for '+' is repaired (and said so), never a panic.
    let spaced = encrypt.replace('+', " ");
    if spaced != encrypt {
        v.push(p.case(
            "Encrypt with spaces for plus (repaired)",
            body.replace(&encrypt, &spaced),
            &q,
            ok(),
        ));
    } else {
        v.push(p.case(
            "Encrypt with a line break inside (repaired)",
            body.replace(&encrypt, &format!("{}\n{}", &encrypt[..20], &encrypt[20..])),
            &q,
            ok(),
        ));
    }
    v
}
