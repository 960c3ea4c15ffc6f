//! Property tests: random input never panics the parsers and crypto that
//! take outside input, and encrypt-then-decrypt round-trips. Case counts are
//! modest so the file runs in seconds on two cores.

use proptest::prelude::*;
use wxdesk_wechat::crypto::{
    decrypt_open_data, encrypt_open_data, repair_base64, PushCrypto, PushQuery,
};
use wxdesk_wechat::links::parse_callback;
use wxdesk_wechat::push_message::{build_message, parse_message};
use wxdesk_wechat::redact::{mask_mobiles, redact_body, redact_text};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

const APPID: &str = "wx0123456789abcdef";

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn aes_key() -> impl Strategy<Value = String> {
    // 43 characters of the base64 alphabet whose decoding (with '=') is 32 bytes.
    prop::array::uniform32(any::<u8>())
        .prop_map(|k| B64.encode(k).trim_end_matches('=').to_string())
}

fn b64_16() -> impl Strategy<Value = String> {
    prop::array::uniform16(any::<u8>()).prop_map(|k| B64.encode(k))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn push_crypto_round_trips(
        key in aes_key(),
        token in "[A-Za-z0-9]{3,32}",
        msg in prop::collection::vec(any::<u8>(), 0..2048),
        random in prop::array::uniform16(any::<u8>()),
        ts in "[0-9]{1,10}",
        nonce in "[A-Za-z0-9]{1,16}",
    ) {
        let crypto = PushCrypto::new(&token, &key, APPID).unwrap();
        let encrypt = crypto.encrypt(&msg, Some(random));
        prop_assert_eq!(crypto.decrypt(&encrypt).unwrap(), msg.clone());
        let sig = crypto.msg_signature(&ts, &nonce, &encrypt);
        prop_assert_eq!(crypto.verify_and_decrypt(&ts, &nonce, &sig, &encrypt).unwrap(), msg);
    }

    #[test]
    fn push_crypto_never_panics_on_random_input(
        key in aes_key(),
        encrypt in ".{0,400}",
        raw in prop::collection::vec(any::<u8>(), 0..600),
        body in ".{0,400}",
        query in ".{0,200}",
    ) {
        let crypto = PushCrypto::new("token", &key, APPID).unwrap();
        let _ = crypto.decrypt(&encrypt);
        let _ = crypto.decrypt(&B64.encode(&raw));
        let _ = crypto.verify_and_decrypt("1", "n", "00", &encrypt);
        let _ = crypto.open(&PushQuery::default(), &body);
        let _ = crypto.open(&PushQuery::default(), &format!("<xml><Encrypt>{}</Encrypt></xml>", B64.encode(&raw)));
        let _ = PushQuery::parse(&query);
        let _ = PushCrypto::new("t", &body, APPID);
    }

    #[test]
    fn open_data_round_trips_and_random_input_never_panics(
        key in b64_16(),
        iv in b64_16(),
        text in ".{0,300}",
        junk in ".{0,200}",
        raw in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let plain = serde_json::json!({"text": text, "watermark": {"appid": APPID, "timestamp": 1}}).to_string();
        let data = encrypt_open_data(&key, &iv, &plain).unwrap();
        let out = decrypt_open_data(&key, &iv, &data, Some(APPID)).unwrap();
        prop_assert_eq!(out.json["text"].as_str(), Some(text.as_str()));
        let _ = decrypt_open_data(&key, &iv, &B64.encode(&raw), None);
        let _ = decrypt_open_data(&junk, &iv, &data, None);
        let _ = decrypt_open_data(&key, &junk, &data, None);
        let _ = decrypt_open_data(&key, &iv, &junk, Some(&junk));
    }

    #[test]
    fn the_push_xml_parser_never_panics(
        text in ".{0,500}",
        tags in prop::collection::vec("[A-Za-z_]{1,12}", 0..8),
        values in prop::collection::vec(".{0,40}", 0..8),
    ) {
        let _ = parse_message(&text);
        let _ = parse_message(&format!("<xml>{text}</xml>"));
        let mut xml = String::from("<xml>");
        for (t, v) in tags.iter().zip(values.iter()) {
            xml.push_str(&format!("<{t}>{v}</{t}>"));
        }
        let _ = parse_message(&xml);
        // Whatever build_message writes, parse_message reads back.
        let fields: Vec<(&str, &str)> = tags.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
        let built = build_message(APPID, 1, "unknown_type", &fields);
        let parsed = parse_message(&built);
        prop_assert!(parsed.is_ok(), "{built}: {:?}", parsed.err());
    }

    #[test]
    fn the_callback_url_parser_never_panics(
        s in ".{0,300}",
        code in "[A-Za-z0-9@_-]{0,60}",
        host in "[a-z0-9.-]{0,20}",
        frag in ".{0,40}",
    ) {
        let _ = parse_callback(&s);
        let _ = parse_callback(&format!("https://{host}/cb?{s}"));
        let _ = parse_callback(&format!("https://{host}/#/{frag}?{s}"));
        let ok = parse_callback(&format!("https://example.com/cb?auth_code={code}&expires_in=600"));
        if !code.is_empty() {
            let parsed = ok.unwrap();
            prop_assert_eq!(parsed.auth_code.as_deref(), Some(code.as_str()));
        }
    }

    #[test]
    fn base64_repair_never_panics_and_keeps_clean_values(
        s in ".{0,300}",
        raw in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let _ = repair_base64("encrypted_data", &s);
        let clean = B64.encode(&raw);
        let (out, repair) = repair_base64("encrypted_data", &clean);
        prop_assert_eq!(out, clean);
        prop_assert!(repair.is_none());
    }

    #[test]
    fn redaction_never_panics_and_masks_long_values(
        s in ".{0,400}",
        key in prop::sample::select(vec!["access_token", "refresh_token", "session_key", "ComponentVerifyTicket", "secret"]),
        value in "[A-Za-z0-9]{24,64}",
        cut in 0usize..200,
    ) {
        let _ = redact_text(&s);
        let _ = redact_body(&s, cut);
        let _ = mask_mobiles(&s);
        for body in [
            format!(r#"{{"{key}":"{value}"}}"#),
            format!("{s}&{key}={value}"),
            format!("<xml><{key}>{value}</{key}></xml>"),
            format!(r#"{{"x":1,"{key}":"{value}"#),
        ] {
            let out = redact_body(&body, 8192);
            prop_assert!(!out.contains(&value[4..]), "{body} -> {out}");
        }
    }
}
