//! Published known-answer vectors for every WeChat crypto scheme.
//!
//! The vectors in `shared/vectors/official.json` come from WeChat's own docs
//! and from peer SDKs' test suites (see wechat-api.md §1). Passing them is the
//! only evidence that our crypto interoperates with WeChat rather than merely
//! with itself, so every vector is checked in both directions where the
//! vector allows it, and an empty or missing category fails the test.

use std::path::PathBuf;

use serde_json::Value;
use wxdesk_wechat::crypto::{
    decrypt_open_data, encrypt_open_data, plain_signature, raw_data_signature, session_signature,
    PushCrypto, PushQuery,
};
use wxdesk_wechat::push_message::parse_message;

fn vectors() -> Value {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/official.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("official.json is valid JSON")
}

fn category(v: &Value, name: &str) -> Vec<Value> {
    let items = v[name]
        .as_array()
        .unwrap_or_else(|| panic!("official.json has no array {name:?}"))
        .clone();
    assert!(
        !items.is_empty(),
        "official.json category {name:?} is empty"
    );
    items
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("vector {} lacks string {key:?}", v["id"]))
}

#[test]
fn open_data_vectors() {
    let all = vectors();
    for v in category(&all, "open_data") {
        let id = s(&v, "id");
        let out = decrypt_open_data(
            s(&v, "session_key"),
            s(&v, "iv"),
            s(&v, "encrypted_data"),
            Some(s(&v, "appid")),
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(out.plaintext, s(&v, "plaintext"), "{id}");
        assert_eq!(out.watermark_appid.as_deref(), Some(s(&v, "appid")), "{id}");
        assert!(
            out.repairs.is_empty(),
            "{id}: clean vector reported repairs"
        );
        // And the other direction: encrypting the plaintext gives the vector.
        let ct = encrypt_open_data(s(&v, "session_key"), s(&v, "iv"), s(&v, "plaintext")).unwrap();
        assert_eq!(ct, s(&v, "encrypted_data"), "{id}: encrypt");
    }
}

#[test]
fn raw_data_signature_vectors() {
    let all = vectors();
    for v in category(&all, "raw_data_signature") {
        assert_eq!(
            raw_data_signature(s(&v, "raw_data"), s(&v, "session_key")),
            s(&v, "signature"),
            "{}",
            s(&v, "id")
        );
    }
}

#[test]
fn session_signature_vectors() {
    let all = vectors();
    for v in category(&all, "session_signature") {
        assert_eq!(
            session_signature(s(&v, "session_key"), s(&v, "message")),
            s(&v, "signature"),
            "{}",
            s(&v, "id")
        );
    }
}

fn random_prefix(v: &Value) -> [u8; 16] {
    let text = s(v, "random_prefix");
    <[u8; 16]>::try_from(text.as_bytes())
        .unwrap_or_else(|_| panic!("{}: random_prefix is not 16 bytes", s(v, "id")))
}

#[test]
fn push_crypto_vectors() {
    let all = vectors();
    let items = category(&all, "push_crypto");
    let mut plain_signatures = 0;
    for v in &items {
        let id = s(v, "id");
        let pc = PushCrypto::new(s(v, "token"), s(v, "encoding_aes_key"), s(v, "appid"))
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let (ts, nonce, encrypt, msig) = (
            s(v, "timestamp"),
            s(v, "nonce"),
            s(v, "encrypt"),
            s(v, "msg_signature"),
        );
        let plaintext = s(v, "plaintext");

        // msg_signature, exact.
        assert_eq!(
            pc.msg_signature(ts, nonce, encrypt),
            msig,
            "{id}: msg_signature"
        );

        // Decrypt with the signature verified: exact plaintext.
        let msg = pc
            .verify_and_decrypt(ts, nonce, msig, encrypt)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(String::from_utf8(msg).unwrap(), plaintext, "{id}: decrypt");

        // Encrypt with the published random prefix: exact Encrypt.
        assert_eq!(
            pc.encrypt(plaintext.as_bytes(), Some(random_prefix(v))),
            encrypt,
            "{id}: encrypt"
        );

        // seal() produces the same Encrypt and signature, and open() reads the reply form back.
        let sealed = pc.seal(plaintext.as_bytes(), ts, nonce, Some(random_prefix(v)));
        assert_eq!(sealed.encrypt, encrypt, "{id}: seal");
        assert_eq!(sealed.msg_signature, msig, "{id}: seal signature");
        let opened = pc.open(&PushQuery::default(), &sealed.xml).unwrap();
        assert_eq!(opened.message, plaintext, "{id}: open reply form");

        // The plain `signature` query parameter, where published.
        if let Some(sig) = v["signature"].as_str() {
            plain_signatures += 1;
            assert_eq!(
                plain_signature(s(v, "token"), ts, nonce),
                sig,
                "{id}: signature"
            );
        }
    }
    assert!(
        plain_signatures > 0,
        "no push vector carries a plain signature"
    );
}

/// The official push example end to end: the URL WeChat called, the body it
/// posted, and the inner message.
#[test]
fn official_push_example_opens_from_url_and_body() {
    let all = vectors();
    let v = category(&all, "push_crypto")
        .into_iter()
        .find(|v| v["id"] == "oplatform-push-example")
        .expect("the oplatform-push-example vector");
    let url = format!(
        "https://www.qq.com/wxba5fad812f8e6fb9/revice?signature={}&timestamp={}&nonce={}&openid=o9AgO5Kd5ggOC-bXrbNODIiE3bGY&encrypt_type=aes&msg_signature={}",
        s(&v, "signature"),
        s(&v, "timestamp"),
        s(&v, "nonce"),
        s(&v, "msg_signature")
    );
    let query = PushQuery::parse(&url).unwrap();
    assert_eq!(query.signature.as_deref(), Some(s(&v, "signature")));
    let body = format!(
        "<xml>\n    <ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n    <Encrypt><![CDATA[{}]]></Encrypt>\n</xml>",
        s(&v, "encrypt")
    );
    let pc = PushCrypto::new(s(&v, "token"), s(&v, "encoding_aes_key"), s(&v, "appid")).unwrap();
    let opened = pc.open(&query, &body).unwrap();
    assert_eq!(opened.message, s(&v, "plaintext"));
    assert_eq!(opened.envelope_appid.as_deref(), Some("gh_97417a04a28d"));
    assert!(opened.repairs.is_empty());

    let msg = parse_message(&opened.message).unwrap();
    assert_eq!(msg.info_type, None);
    assert_eq!(msg.create_time, Some(1_715_943_329));
    assert_eq!(msg.fields["MsgType"], "event");
    assert_eq!(msg.fields["Event"], "debug_demo");
    assert_eq!(msg.fields["debug_str"], "hello world");
}
