//! Redaction of bodies in every shape WeChat, a gateway or a cut connection
//! can produce: valid JSON, truncated JSON, escaped JSON, forms, prose,
//! well-formed and truncated XML, and phone numbers anywhere.

use wxdesk_wechat::redact::{
    is_secret_field, mask_mobiles, mask_phone, redact_body, redact_json, redact_text,
};

const TOKEN: &str = "86_trAbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
const REFRESH: &str = "refreshtoken@@@0123456789abcdefABCDEF";
const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn assert_clean(out: &str, secrets: &[&str]) {
    for s in secrets {
        // The four-character prefix `mask` keeps is not the secret.
        assert!(!out.contains(s), "{s} leaked in {out}");
        assert!(
            !out.contains(&s[..12]),
            "a long piece of {s} leaked in {out}"
        );
    }
}

#[test]
fn names_match_ignoring_case_underscores_and_dashes() {
    for n in [
        "access_token",
        "AccessToken",
        "ACCESS-TOKEN",
        "authorizer_refresh_token",
        "ComponentVerifyTicket",
        "PreAuthCode",
        "AuthorizationCode",
        "EncodingAESKey",
        "session_key",
        "SessionKey",
        "Encrypt",
        "MsgSignature",
    ] {
        assert!(is_secret_field(n), "{n}");
    }
    for n in [
        "errcode",
        "errmsg",
        "appid",
        "expires_in",
        "openid",
        "InfoType",
    ] {
        assert!(!is_secret_field(n), "{n}");
    }
}

#[test]
fn truncated_json_is_masked_by_key() {
    // Exactly what the sandbox's malformed-JSON fault sends, and longer values cut mid-way.
    let sandbox = r#"{"errcode":0,"errmsg":"ok","access_token":"86_tr"#;
    let out = redact_body(sandbox, 8192);
    assert!(!out.contains("86_tr"), "{out}");
    assert!(out.contains(r#""errmsg":"ok""#), "{out}");
    for body in [
        format!(r#"{{"access_token":"{TOKEN}","expires_in":72"#),
        format!(r#"{{"expires_in":7200,"access_token" : "{TOKEN}"#),
        format!(r#"{{"authorization_info":{{"authorizer_refresh_token":"{REFRESH}","func_info":["#),
        format!(r#"{{"list":[{{"refresh_token":"{REFRESH}"}},{{"refresh_token":"{TOKEN}"#),
        format!(r#"{{"secret":"{SECRET}""#),
        format!(r#"{{"session_key":"{SECRET}","openid":"o1"#),
    ] {
        let out = redact_body(&body, 8192);
        assert_clean(&out, &[TOKEN, REFRESH, SECRET]);
    }
}

#[test]
fn escaped_json_inside_json_and_numbers_are_masked() {
    let body = format!(
        r#"{{"errcode":0,"note":"{{\"access_token\":\"{TOKEN}\"}}","code":123456789012345"#
    );
    let out = redact_text(&body);
    assert_clean(&out, &[TOKEN]);
    assert!(!out.contains("123456789012345"), "{out}");
}

#[test]
fn forms_queries_and_prose_are_masked() {
    for body in [
        format!("grant_type=client_credential&appid=wx1&secret={SECRET}"),
        format!(
            "<html><body>bad request for /cgi-bin/token?access_token={TOKEN}&x=1</body></html>"
        ),
        format!("upstream said: refresh_token: {REFRESH}, retry"),
        format!("ACCESS_TOKEN={TOKEN}"),
    ] {
        let out = redact_body(&body, 8192);
        assert_clean(&out, &[TOKEN, REFRESH, SECRET]);
    }
    let out = redact_body(&format!("appid=wx1&secret={SECRET}"), 8192);
    assert!(out.contains("appid=wx1"), "{out}");
}

#[test]
fn xml_is_masked_even_when_cut_short() {
    for body in [
        format!("<xml><AppId><![CDATA[wx1]]></AppId><Encrypt><![CDATA[{TOKEN}]]></Encrypt></xml>"),
        format!("<xml><ComponentVerifyTicket><![CDATA[{TOKEN}"),
        format!("<xml><ComponentVerifyTicket>{TOKEN}"),
        format!("<xml><AuthorizationCode>{REFRESH}</AuthorizationCode><PreAuthCode>{SECRET}</PreAuthCode>"),
        format!(r#"<xml><Encrypt type="x">{TOKEN}</Encrypt>"#),
    ] {
        let out = redact_body(&body, 8192);
        assert_clean(&out, &[TOKEN, REFRESH, SECRET]);
    }
    let out = redact_body("<xml><AppId><![CDATA[wx1]]></AppId><Encrypt/></xml>", 100);
    assert!(out.contains("<AppId><![CDATA[wx1]]></AppId>"), "{out}");
}

#[test]
fn phone_numbers_are_masked_in_fields_and_anywhere() {
    assert_eq!(mask_phone("13800138000"), "138****8000");
    assert_eq!(mask_phone("+8613800138000"), "+86****8000");
    assert_eq!(mask_phone("123"), "****");
    let body = r#"{"errcode":0,"phone_info":{"phoneNumber":"+8613800138000","purePhoneNumber":"13800138000","countryCode":"86"}}"#;
    let out = redact_body(body, 8192);
    assert!(!out.contains("13800138000"), "{out}");
    assert!(out.contains("138****8000"), "{out}");
    assert!(out.contains(r#""countryCode":"86""#), "{out}");
    // Any mainland mobile standing alone, also in text that is not JSON.
    let out = redact_body(r#"{"errmsg":"user 13912345678 is"#, 8192);
    assert!(out.contains("139****5678"), "{out}");
    assert_eq!(mask_mobiles("call 8613912345678."), "call 86139****5678.");
    // Not inside longer numbers, ids or timestamps.
    for keep in [
        "1714521600123",
        "o13912345678x",
        "12345678901",
        "139123456789",
    ] {
        assert_eq!(mask_mobiles(keep), keep);
    }
}

#[test]
fn valid_json_keeps_everything_that_is_not_secret() {
    let v = serde_json::json!({
        "errcode": 0, "errmsg": "ok", "expires_in": 7200,
        "access_token": TOKEN, "list": [{"authorizer_appid": "wx0123456789abcdef", "refresh_token": REFRESH}],
        "errmsg_detail": format!("invalid access_token={TOKEN}"),
    });
    let out = redact_json(&v).to_string();
    assert_clean(&out, &[TOKEN, REFRESH]);
    assert!(
        out.contains("wx0123456789abcdef") && out.contains("7200"),
        "{out}"
    );
}

#[test]
fn huge_bodies_are_cut_before_the_work() {
    let body = format!(
        r#"{{"access_token":"{TOKEN}","pad":"{}""#,
        "x".repeat(5_000_000)
    );
    let out = redact_body(&body, 100);
    assert!(out.chars().count() <= 101, "{}", out.len());
    assert_clean(&out, &[TOKEN]);
    // Non-ASCII text never splits a character.
    let out = redact_body(&"天".repeat(50), 10);
    assert_eq!(out.chars().count(), 11);
}
