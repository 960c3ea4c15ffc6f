//! `{:?}` of every protocol type that holds a secret prints none: pushes and
//! their events, opened pushes, requests, authorization summaries and errors
//! carrying a body.

use wxdesk_wechat::api::component::AuthorizationSummary;
use wxdesk_wechat::client::Call;
use wxdesk_wechat::crypto::{PushCrypto, PushQuery};
use wxdesk_wechat::push_message::{build_message, parse_message};
use wxdesk_wechat::Error;

const APPID: &str = "wx0123456789abcdef";
const TICKET: &str = "ticket@@@AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
const CODE: &str = "queryauthcode@@@AbCdEfGhIjKlMnOpQrSt";
const PRE: &str = "preauthcode@@@AbCdEfGhIjKlMnOpQrStUv";
const SECRET: &str = "0123456789abcdef0123456789abcdef";

fn clean(what: &str, text: &str) {
    for s in [TICKET, CODE, PRE, SECRET] {
        assert!(!text.contains(s), "{what} prints {s}: {text}");
    }
    assert!(
        text.contains("<redacted>") || text.contains('…'),
        "{what}: {text}"
    );
}

#[test]
fn pushes_and_their_events() {
    for (info_type, fields) in [
        (
            "component_verify_ticket",
            vec![("ComponentVerifyTicket", TICKET)],
        ),
        (
            "authorized",
            vec![
                ("AuthorizerAppid", APPID),
                ("AuthorizationCode", CODE),
                ("AuthorizationCodeExpiredTime", "1700000000"),
                ("PreAuthCode", PRE),
            ],
        ),
        (
            "updateauthorized",
            vec![("AuthorizerAppid", APPID), ("AuthorizationCode", CODE)],
        ),
        (
            "notify_third_fasteregister",
            vec![
                ("appid", APPID),
                ("status", "0"),
                ("auth_code", CODE),
                ("msg", "OK"),
            ],
        ),
    ] {
        let xml = build_message(APPID, 1_700_000_000, info_type, &fields);
        let msg = parse_message(&xml).unwrap();
        clean(info_type, &format!("{msg:?}"));
        clean(info_type, &format!("{:?}", msg.event));
        // Serialization is unchanged: the operator's own output keeps the values.
        let json = serde_json::to_string(&msg).unwrap();
        assert!(json.contains(TICKET) || json.contains(CODE), "{json}");
    }
}

#[test]
fn an_opened_push_and_a_request() {
    let crypto = PushCrypto::new("token123", &"a".repeat(43), APPID).unwrap();
    let xml = build_message(
        APPID,
        1,
        "component_verify_ticket",
        &[("ComponentVerifyTicket", TICKET)],
    );
    let sealed = crypto.seal(xml.as_bytes(), "1", "nonce", None);
    let opened = crypto.open(&PushQuery::default(), &sealed.xml).unwrap();
    assert!(opened.message.contains(TICKET));
    clean("OpenedPush", &format!("{opened:?}"));

    let call = Call::post("cgi-bin/component/api_component_token", &serde_json::json!({
        "component_appid": APPID, "component_appsecret": SECRET, "component_verify_ticket": TICKET,
    }))
    .unwrap()
    .query("access_token", CODE);
    let text = format!("{call:?}");
    clean("Call", &text);
    assert!(text.contains(APPID), "{text}");
}

#[test]
fn summaries_and_errors() {
    let s: AuthorizationSummary = serde_json::from_value(serde_json::json!({
        "authorizer_appid": APPID, "func_info": [], "authorizer_refresh_token": CODE,
    }))
    .unwrap();
    clean("AuthorizationSummary", &format!("{s:?}"));
    // Errors built from bodies by the client hold them redacted; a hand-built one shows what Debug does.
    let e = Error::Decode {
        endpoint: "cgi-bin/token".into(),
        reason: "not JSON".into(),
        body: wxdesk_wechat::redact::redact_body(&format!(r#"{{"access_token":"{TICKET}"#), 100),
    };
    clean("Error", &format!("{e:?}"));
}
