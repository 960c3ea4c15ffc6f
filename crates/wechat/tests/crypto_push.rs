//! WXBizMsgCrypt behaviour beyond the published vectors: round trips, every
//! padding length, tampering, wrong keys/tokens/appids, key decoding edge
//! cases, pasted-value repair and the push URL query.

use std::collections::BTreeSet;

use wxdesk_wechat::crypto::{decode_encoding_aes_key, plain_signature, PushCrypto, PushQuery};
use wxdesk_wechat::push_message::{build_message, parse_message, PushEvent};
use wxdesk_wechat::{CryptoError, Error};

// The official Open Platform push example (wechat-api.md §1.3, vector C).
const TOKEN: &str = "AAAAA";
const KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const APPID: &str = "wx134c8103faa5a59e";
const TS: &str = "1715943329";
const NONCE: &str = "1590219412";
const ENCRYPT: &str = "D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg==";
const MSG_SIGNATURE: &str = "6c12a4205838198b8fa631b3220723bb07f1015c";
const PLAINTEXT: &str = "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>";

fn official() -> PushCrypto {
    PushCrypto::new(TOKEN, KEY, APPID).unwrap()
}

fn other_key() -> PushCrypto {
    PushCrypto::new(TOKEN, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", APPID).unwrap()
}

fn b64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn b64_encode(b: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(b)
}

#[test]
fn chinese_and_4k_round_trip() {
    let pc = other_key();
    let chinese = "授权成功：小程序「测试」🎉 ]]> <xml>&amp;";
    let big: String = (0..4096)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    for msg in [chinese.as_bytes(), big.as_bytes(), b"".as_slice()] {
        let enc = pc.encrypt(msg, None);
        assert_eq!(pc.decrypt(&enc).unwrap(), msg);
        let sealed = pc.seal(msg, "1700000000", "nonce-1", None);
        assert_eq!(
            pc.verify_and_decrypt(
                "1700000000",
                "nonce-1",
                &sealed.msg_signature,
                &sealed.encrypt
            )
            .unwrap(),
            msg
        );
    }
}

#[test]
fn random_prefix_is_random_when_not_given() {
    let pc = official();
    let a = pc.encrypt(b"same", None);
    let b = pc.encrypt(b"same", None);
    assert_ne!(a, b, "two encryptions with OS randomness must differ");
    assert_eq!(pc.decrypt(&a).unwrap(), b"same");
    assert_eq!(pc.decrypt(&b).unwrap(), b"same");
}

#[test]
fn every_pad_length_round_trips() {
    let pc = official();
    let mut seen = BTreeSet::new();
    for len in 0..=70usize {
        let msg: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let enc = pc.encrypt(&msg, Some(*b"0123456789abcdef"));
        let frame = 16 + 4 + len + APPID.len();
        let pad = 32 - frame % 32;
        let ct = b64_decode(&enc);
        assert_eq!(ct.len(), frame + pad, "len {len}");
        assert_eq!(ct.len() % 32, 0);
        seen.insert(pad);
        assert_eq!(pc.decrypt(&enc).unwrap(), msg, "len {len} (pad {pad})");
    }
    assert_eq!(seen, (1..=32).collect::<BTreeSet<_>>());
}

#[test]
fn tampered_ciphertext_never_yields_garbage() {
    let pc = official();
    let ct = b64_decode(ENCRYPT);
    // Any change anywhere is caught by the signature.
    for i in 0..ct.len() {
        let mut t = ct.clone();
        t[i] ^= 0x01;
        let enc = b64_encode(&t);
        assert_eq!(
            pc.verify_and_decrypt(TS, NONCE, MSG_SIGNATURE, &enc),
            Err(CryptoError::SignatureMismatch),
            "byte {i}"
        );
    }
    // Without the signature, damage to the last two blocks (padding and the
    // trailing appid) is still detected by decrypt() alone.
    for i in ct.len() - 32..ct.len() {
        for bit in [0x01u8, 0x80] {
            let mut t = ct.clone();
            t[i] ^= bit;
            let res = pc.decrypt(&b64_encode(&t));
            assert!(
                matches!(
                    res,
                    Err(CryptoError::Padding
                        | CryptoError::Frame(_)
                        | CryptoError::AppidMismatch { .. })
                ),
                "byte {i} bit {bit:#x}: {res:?}"
            );
        }
    }
    // Truncation by a whole block breaks the padding or frame; by a part it is a length error.
    let res = pc.decrypt(&b64_encode(&ct[..ct.len() - 16]));
    assert!(res.is_err());
    assert!(matches!(
        pc.decrypt(&b64_encode(&ct[..ct.len() - 5])),
        Err(CryptoError::BlockLength {
            field: "encrypt",
            ..
        })
    ));
}

#[test]
fn wrong_key_is_an_error_not_garbage() {
    let res = other_key().decrypt(ENCRYPT);
    assert!(
        matches!(
            res,
            Err(CryptoError::Padding | CryptoError::Frame(_) | CryptoError::AppidMismatch { .. })
        ),
        "{res:?}"
    );
}

#[test]
fn wrong_appid_is_reported() {
    let pc = PushCrypto::new(TOKEN, KEY, "wx0000000000000000").unwrap();
    assert_eq!(
        pc.verify_and_decrypt(TS, NONCE, MSG_SIGNATURE, ENCRYPT),
        Err(CryptoError::AppidMismatch {
            expected: "wx0000000000000000".into(),
            actual: APPID.into()
        })
    );
}

#[test]
fn wrong_token_is_signature_mismatch() {
    let pc = PushCrypto::new("BBBBB", KEY, APPID).unwrap();
    assert_eq!(
        pc.verify_and_decrypt(TS, NONCE, MSG_SIGNATURE, ENCRYPT),
        Err(CryptoError::SignatureMismatch)
    );
    // Wrong timestamp / nonce / signature also fail, and the check is case-insensitive.
    let pc = official();
    assert_eq!(
        pc.verify_and_decrypt("1715943330", NONCE, MSG_SIGNATURE, ENCRYPT),
        Err(CryptoError::SignatureMismatch)
    );
    assert_eq!(
        pc.verify_and_decrypt(TS, NONCE, "", ENCRYPT),
        Err(CryptoError::SignatureMismatch)
    );
    assert!(pc
        .verify_and_decrypt(TS, NONCE, &MSG_SIGNATURE.to_uppercase(), ENCRYPT)
        .is_ok());
}

#[test]
fn non_canonical_key_bits_are_accepted() {
    // 43 chars carry 258 bits; the last two are ignored. 'B' sets one of them.
    let canonical = decode_encoding_aes_key(&"A".repeat(43)).unwrap();
    let lenient = decode_encoding_aes_key(&format!("{}B", "A".repeat(42))).unwrap();
    assert_eq!(canonical, lenient);
    assert_eq!(canonical, [0u8; 32]);
    // The WxJava/official sample key ends in 'G' (non-canonical) and works.
    assert!(PushCrypto::new("t", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "wx").is_ok());
    // Pasted with surrounding whitespace.
    assert_eq!(
        decode_encoding_aes_key(&format!(" {}\n", "A".repeat(43))).unwrap(),
        [0u8; 32]
    );
}

#[test]
fn wrong_length_keys_are_rejected_naming_the_field() {
    for key in [
        "A".repeat(42),
        "A".repeat(44),
        format!("{}=", "A".repeat(43)),
        String::new(),
    ] {
        let err = decode_encoding_aes_key(&key).unwrap_err();
        assert!(
            matches!(
                err,
                CryptoError::Base64 {
                    field: "encoding_aes_key",
                    ..
                }
            ),
            "{key:?}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.contains("encoding_aes_key"), "{text}");
        assert!(text.contains("43"), "{text}");
    }
    let err = PushCrypto::new("t", &format!("{}*", "A".repeat(42)), "wx").unwrap_err();
    assert!(matches!(
        err,
        CryptoError::Base64 {
            field: "encoding_aes_key",
            ..
        }
    ));
    assert!(err.to_string().contains("position 43"), "{err}");
}

#[test]
fn errors_never_show_the_key_or_token() {
    let key = "SecretKeyAbcdefghijklmnopqrstuvwxyz0123456*";
    let err = decode_encoding_aes_key(key).unwrap_err().to_string();
    assert!(!err.contains("SecretKey"), "{err}");
    let pc = PushCrypto::new("my-secret-token", KEY, APPID).unwrap();
    let err = pc
        .verify_and_decrypt(TS, NONCE, MSG_SIGNATURE, ENCRYPT)
        .unwrap_err();
    assert!(!err.to_string().contains("my-secret-token"));
}

#[test]
fn pasted_encrypt_is_repaired_and_reported() {
    let pc = official();
    assert!(ENCRYPT.contains('+') && ENCRYPT.contains('/'));
    let wrapped: String = ENCRYPT
        .as_bytes()
        .chunks(76)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\r\n");
    let cases = [
        (ENCRYPT.replace('+', " "), "form-decoded"),
        (
            ENCRYPT
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
            "URL-encoded",
        ),
        (format!("{wrapped}\n"), "wrapped"),
        (
            ENCRYPT
                .replace('+', "-")
                .replace('/', "_")
                .trim_end_matches('=')
                .to_string(),
            "URL-safe",
        ),
    ];
    for (pasted, expect) in cases {
        let (msg, repair) = pc
            .verify_and_decrypt_reporting(TS, NONCE, MSG_SIGNATURE, &pasted)
            .unwrap_or_else(|e| panic!("{expect}: {e}"));
        assert_eq!(String::from_utf8(msg).unwrap(), PLAINTEXT, "{expect}");
        let repair = repair.unwrap_or_else(|| panic!("{expect}: no repair reported"));
        assert_eq!(repair.field, "encrypt");
        assert!(repair.what.contains(expect), "{expect}: {}", repair.what);
        assert_eq!(pc.decrypt(&pasted).unwrap(), PLAINTEXT.as_bytes());
    }
    // Clean input: no repair.
    let (_, repair) = pc
        .verify_and_decrypt_reporting(TS, NONCE, MSG_SIGNATURE, ENCRYPT)
        .unwrap();
    assert_eq!(repair, None);
    // A repaired value still has to carry a matching signature.
    assert_eq!(
        pc.verify_and_decrypt(
            TS,
            NONCE,
            "0000000000000000000000000000000000000000",
            &ENCRYPT.replace('+', " ")
        ),
        Err(CryptoError::SignatureMismatch)
    );
}

#[test]
fn open_reports_repair_of_a_form_decoded_body() {
    let pc = official();
    let body = format!(
        "<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt></xml>",
        ENCRYPT.replace('+', " ")
    );
    let q = PushQuery {
        timestamp: TS.into(),
        nonce: NONCE.into(),
        msg_signature: MSG_SIGNATURE.into(),
        ..PushQuery::default()
    };
    let opened = pc.open(&q, &body).unwrap();
    assert_eq!(opened.message, PLAINTEXT);
    assert_eq!(opened.repairs.len(), 1);
    assert_eq!(opened.repairs[0].field, "encrypt");
}

#[test]
fn authorization_push_end_to_end() {
    // What the sandbox does: build the inner message, seal it, post the envelope.
    let pc = official();
    let inner = build_message(
        APPID,
        1_700_000_000,
        "authorized",
        &[
            ("AuthorizerAppid", "wxauthorizer0001"),
            ("AuthorizationCode", "queryauthcode@@@abc"),
            ("AuthorizationCodeExpiredTime", "1700003600"),
            ("PreAuthCode", "preauthcode@@@xyz"),
        ],
    );
    let sealed = pc.seal(inner.as_bytes(), "1700000000", "424242", None);
    let query = PushQuery {
        timestamp: "1700000000".into(),
        nonce: "424242".into(),
        msg_signature: sealed.msg_signature.clone(),
        signature: Some(plain_signature(TOKEN, "1700000000", "424242")),
        encrypt_type: Some("aes".into()),
    };
    let url = format!(
        "https://example.test/component/event?{}",
        query.to_query_string()
    );
    let parsed = PushQuery::parse(&url).unwrap();
    assert_eq!(parsed, query);
    let body = format!(
        "<xml>\n<AppId><![CDATA[{APPID}]]></AppId>\n<Encrypt><![CDATA[{}]]></Encrypt>\n</xml>",
        sealed.encrypt
    );
    let opened = pc.open(&parsed, &body).unwrap();
    assert_eq!(opened.envelope_appid.as_deref(), Some(APPID));
    assert_eq!(opened.message, inner);
    let msg = parse_message(&opened.message).unwrap();
    match msg.event {
        PushEvent::Authorized(n) => {
            assert_eq!(n.authorizer_appid, "wxauthorizer0001");
            assert_eq!(n.authorization_code, "queryauthcode@@@abc");
            assert_eq!(n.code_expires_at(msg.create_time, 0), Some(1_700_003_600));
        }
        other => panic!("expected Authorized, got {other:?}"),
    }

    // A body without Encrypt, or with a DOCTYPE, is an XML error.
    assert!(matches!(
        pc.open(&parsed, "<xml><AppId>wx</AppId></xml>"),
        Err(CryptoError::Xml(_))
    ));
    let evil = format!("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>{body}");
    assert!(matches!(pc.open(&parsed, &evil), Err(CryptoError::Xml(_))));
    // Reply form without any query: the query fields must come from the body.
    assert!(matches!(
        pc.open(&PushQuery::default(), &body),
        Err(CryptoError::Xml(m)) if m.contains("timestamp")
    ));
}

#[test]
fn query_parsing_accepts_every_paste_form() {
    let bare = "signature=cc0c594499c1634947d5b502f158ee518947db27&timestamp=1715943329&nonce=1590219412&openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes&msg_signature=6c12a4205838198b8fa631b3220723bb07f1015c";
    let expected = PushQuery {
        timestamp: TS.into(),
        nonce: NONCE.into(),
        msg_signature: MSG_SIGNATURE.into(),
        signature: Some("cc0c594499c1634947d5b502f158ee518947db27".into()),
        encrypt_type: Some("aes".into()),
    };
    for input in [
        bare.to_string(),
        format!("?{bare}"),
        format!("  https://www.qq.com/wxba5fad812f8e6fb9/revice?{bare}#frag \n"),
        bare.replace("timestamp=1715943329", "timestamp=%31715943329"),
    ] {
        assert_eq!(PushQuery::parse(&input).unwrap(), expected, "{input}");
    }
    assert_eq!(
        expected.to_query_string(),
        "signature=cc0c594499c1634947d5b502f158ee518947db27&timestamp=1715943329&nonce=1590219412&encrypt_type=aes&msg_signature=6c12a4205838198b8fa631b3220723bb07f1015c"
    );
}

#[test]
fn query_parsing_names_the_missing_parameter() {
    for (input, field) in [
        ("nonce=1&msg_signature=ab", "timestamp"),
        ("timestamp=1&msg_signature=ab", "nonce"),
        ("timestamp=1&nonce=2&signature=ab", "msg_signature"),
        ("timestamp=&nonce=2&msg_signature=ab", "timestamp"),
        ("https://example.test/event", "query"),
    ] {
        match PushQuery::parse(input) {
            Err(Error::InvalidInput { field: f, reason }) => {
                assert_eq!(f, field, "{input}: {reason}");
                assert!(!reason.is_empty());
            }
            other => panic!("{input}: expected InvalidInput, got {other:?}"),
        }
    }
}
