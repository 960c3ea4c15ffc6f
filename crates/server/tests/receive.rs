//! `receive` against the sandbox on 127.0.0.1: the sandbox's pushes, pointed
//! at a local receiver, store tickets and complete a merchant's onboarding with
//! no pasting; retries apply once; bad signatures, stale and oversized pushes
//! are refused; a push whose application fails is kept and can be applied
//! again; pushes are forwarded verbatim after they are stored.

#[path = "../../core/tests/push_support/mod.rs"]
mod push_support;
mod receive_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::RawQuery;
use push_support::*;
use receive_support::*;
use wxdesk_core::services::inbox::{InboxFilter, Received, UrlKind};
use wxdesk_sandbox::{ComponentSeed, Fault, FaultKind};
use wxdesk_server::receive::{receive, ReceiveConfig};
use wxdesk_wechat::crypto::push::PushCrypto;

#[tokio::test]
async fn ticket_pushes_are_stored_and_retries_apply_once() {
    let rx = start_rx(|_| {}).await;
    let push = rx.env.sandbox.push_ticket(COMP).await.unwrap();
    assert_eq!(push.delivered, Some(200), "{:?}", push.error);
    let entries = rx.inbox();
    assert_eq!(entries.len(), 1);
    let e = rx.settled(entries[0].id).await;
    assert_eq!(e.outcome, "applied", "{:?}", e.error);
    assert_eq!(e.source, "receive");
    assert_eq!(e.info_type.as_deref(), Some("component_verify_ticket"));
    let status = rx.desk.ticket_status(COMP).unwrap();
    assert!(status.valid);
    assert_eq!(status.source.as_deref(), Some("push"));
    assert_eq!(status.count, 1);

    // The decoded fields never hold the ticket itself; the raw body is kept as received.
    let ticket = rx.env.sandbox.issue_ticket(COMP).unwrap();
    let decoded = e.decoded.clone().unwrap().to_string();
    assert!(decoded.contains("component_verify_ticket"), "{decoded}");
    let plain_ticket = push
        .plaintext
        .split("<ComponentVerifyTicket><![CDATA[")
        .nth(1)
        .and_then(|s| s.split("]]>").next())
        .unwrap();
    assert!(!decoded.contains(plain_ticket), "{decoded}");
    assert!(!decoded.contains(&ticket));
    let raw = rx
        .desk
        .store()
        .read(|c| wxdesk_core::store::pushes::get(c, e.id))
        .unwrap()
        .unwrap();
    assert_eq!(raw.body, push.body);
    assert_eq!(raw.query, push.query);

    // WeChat's retries: answered `success`, stored and applied once.
    for _ in 0..3 {
        let (status, text) = rx
            .post(
                &format!("/wechat/component/{COMP}"),
                &push.query,
                &push.body,
            )
            .await;
        assert_eq!((status, text.as_str()), (200, "success"));
    }
    assert_eq!(rx.inbox().len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(rx.desk.ticket_status(COMP).unwrap().count, 1);
}

#[tokio::test]
async fn a_bad_signature_gets_a_4xx_and_an_inbox_entry_and_nothing_else() {
    let rx = start_rx(|_| {}).await;
    rx.env.sandbox.add_component(ComponentSeed {
        appid: COMP.into(),
        secret: SECRET.into(),
        token: TOKEN.into(),
        encoding_aes_key: AES.into(),
        push_url: None,
        name: None,
    });
    let push = rx.env.sandbox.push_ticket(COMP).await.unwrap();
    let forged = push.query.replace("msg_signature=", "msg_signature=0");
    let (status, text) = rx
        .post(&format!("/wechat/component/{COMP}"), &forged, &push.body)
        .await;
    assert_eq!(status, 400, "{text}");
    let entries = rx.inbox();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].outcome, "bad_signature");
    assert!(entries[0].decoded.is_none());
    assert_eq!(rx.desk.ticket_status(COMP).unwrap().count, 0);
    // The same forgery again is refused again (it is not a "retry" of anything).
    let (status, _) = rx
        .post(&format!("/wechat/component/{COMP}"), &forged, &push.body)
        .await;
    assert_eq!(status, 400);
    let errors = rx
        .desk
        .inbox_list(&InboxFilter {
            errors_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(errors.len(), 2);

    // A push that verifies but whose timestamp is an hour old is refused as stale.
    let crypto = PushCrypto::new(TOKEN, AES, COMP).unwrap();
    let ts = (rx.desk.now() - 3600).to_string();
    let sealed = crypto.seal(
        format!("<xml><AppId>{COMP}</AppId><CreateTime>{ts}</CreateTime><InfoType>component_verify_ticket</InfoType><ComponentVerifyTicket>ticket@@@x</ComponentVerifyTicket></xml>").as_bytes(),
        &ts,
        "nonce1",
        None,
    );
    let body = format!(
        "<xml><AppId>{COMP}</AppId><Encrypt>{}</Encrypt></xml>",
        sealed.encrypt
    );
    let q = format!(
        "timestamp={ts}&nonce=nonce1&encrypt_type=aes&msg_signature={}",
        sealed.msg_signature
    );
    let (status, _) = rx
        .post(&format!("/wechat/component/{COMP}"), &q, &body)
        .await;
    assert_eq!(status, 400);
    assert_eq!(rx.inbox()[0].outcome, "stale");
    assert_eq!(rx.desk.ticket_status(COMP).unwrap().count, 0);

    // An unknown platform or a path that is not an appid is 404, and not stored.
    let (status, _) = rx
        .post(
            "/wechat/component/wx00000000000000ff",
            &push.query,
            &push.body,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = rx
        .post("/wechat/component/../etc", &push.query, &push.body)
        .await;
    assert_eq!(status, 404);
    assert_eq!(rx.inbox().len(), 3);
}

#[tokio::test]
async fn an_oversized_body_is_refused_and_not_stored() {
    let rx = start_rx(|c| c.body_limit = 4096).await;
    let big = format!("<xml><Encrypt>{}</Encrypt></xml>", "A".repeat(8192));
    let (status, _) = rx
        .post(
            &format!("/wechat/component/{COMP}"),
            "timestamp=1&nonce=n&msg_signature=x",
            &big,
        )
        .await;
    assert_eq!(status, 413);
    assert!(rx.inbox().is_empty());
}

#[tokio::test]
async fn each_address_is_rate_limited() {
    let rx = start_rx(|c| c.rate_per_minute = 3).await;
    let url = format!("{}/wechat/authorized/{COMP}", rx.handle.base_url());
    for _ in 0..3 {
        let r = rx.http.get(&url).send().await.unwrap();
        assert_eq!(r.status(), 400, "no auth_code");
    }
    let r = rx.http.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn the_raw_push_is_kept_when_applying_fails_and_can_be_applied_again() {
    let rx = start_rx(|_| {}).await;
    rx.env.give_ticket(COMP);
    rx.env.sandbox.set_fault(Fault::new(
        "cgi-bin/component/api_query_auth",
        FaultKind::Status { code: 502 },
    ));
    // An admin authorizes a new mini program.
    let a = wxdesk_testkit::seed::sandbox_authorize(&rx.env.sandbox, COMP);
    // The push is delivered in the background.
    let mut entry = None;
    for _ in 0..200 {
        if let Some(e) = rx.inbox().into_iter().next() {
            let e = rx.settled(e.id).await;
            entry = Some(e);
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let e = entry.expect("the authorized push arrived");
    assert_eq!(e.info_type.as_deref(), Some("authorized"));
    assert_eq!(e.outcome, "failed");
    assert!(e.error.is_some());
    assert_eq!(
        e.authorizer_appid.as_deref(),
        Some(a.authorizer_appid.as_str())
    );
    let decoded = e.decoded.clone().unwrap().to_string();
    assert!(
        !decoded.contains(&a.auth_code),
        "the code is masked: {decoded}"
    );
    assert!(rx
        .desk
        .authorizer_show(&a.authorizer_appid, Some(COMP))
        .is_err());

    rx.env.sandbox.clear_faults();
    let again = rx.desk.inbox_apply(e.id).await.unwrap();
    assert_eq!(again.outcome, "applied", "{:?}", again.error);
    assert_eq!(again.error, None);
    rx.desk
        .authorizer_show(&a.authorizer_appid, Some(COMP))
        .unwrap();
}

#[tokio::test]
async fn the_launch_page_and_the_authorized_push_onboard_a_merchant_with_no_paste() {
    let rx = start_rx(|_| {}).await;
    rx.env.give_ticket(COMP);
    let page = rx
        .http
        .get(format!(
            "{}/wechat/authorize/{COMP}?auth_type=2",
            rx.handle.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    let href = html
        .split("id=\"authorize\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(href.starts_with(&rx.env.sandbox.base_url()), "{href}");
    assert!(href.contains("componentloginpage"), "{href}");
    let redirect: String = url_encode(&format!(
        "{}/wechat/authorized/{COMP}",
        rx.handle.base_url()
    ));
    assert!(
        href.contains(&redirect),
        "redirect_uri is receive's own: {href}"
    );

    // Each view is a fresh pre_auth_code.
    let before = rx
        .env
        .sandbox
        .counter("cgi-bin/component/api_create_preauthcode");
    let _ = rx
        .http
        .get(format!(
            "{}/wechat/authorize/{COMP}?type=h5",
            rx.handle.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        rx.env
            .sandbox
            .counter("cgi-bin/component/api_create_preauthcode"),
        before + 1
    );

    // The merchant consents: the sandbox pushes `authorized` to receive, then redirects back.
    let location = consent(&href, &[]).await;
    assert!(
        location.starts_with(&format!(
            "{}/wechat/authorized/{COMP}?auth_code=",
            rx.handle.base_url()
        )),
        "{location}"
    );
    let thanks = rx.http.get(&location).send().await.unwrap();
    assert_eq!(thanks.status(), 200);
    let thanks = thanks.text().await.unwrap();
    assert!(thanks.contains("authorized"), "{thanks}");

    let entries = rx.inbox();
    assert_eq!(entries.len(), 1, "{entries:?}");
    let e = rx.settled(entries[0].id).await;
    assert_eq!(e.info_type.as_deref(), Some("authorized"));
    assert_eq!(e.outcome, "applied", "{:?}", e.error);
    let appid = e.authorizer_appid.clone().unwrap();
    let stored = rx.desk.authorizer_show(&appid, Some(COMP)).unwrap();
    assert_eq!(stored.appid, appid);
    // The single-use code was exchanged once, by whichever came first.
    assert_eq!(
        rx.env.sandbox.counter("cgi-bin/component/api_query_auth"),
        1
    );
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn message_pushes_are_kept_against_the_authorizer() {
    let rx = start_rx(|_| {}).await;
    let authorizer = "wx00112233445566aa";
    let crypto = PushCrypto::new(TOKEN, AES, COMP).unwrap();
    let ts = rx.desk.now().to_string();
    let sealed = crypto.seal(
        format!("<xml><ToUserName>gh_0123456789ab</ToUserName><FromUserName>o123</FromUserName><CreateTime>{ts}</CreateTime><MsgType>event</MsgType><Event>weapp_audit_success</Event><SuccTime>{ts}</SuccTime></xml>").as_bytes(),
        &ts,
        "nonce2",
        None,
    );
    let body = format!(
        "<xml><ToUserName>gh_0123456789ab</ToUserName><Encrypt>{}</Encrypt></xml>",
        sealed.encrypt
    );
    let q = format!(
        "signature=x&timestamp={ts}&nonce=nonce2&openid=o123&encrypt_type=aes&msg_signature={}",
        sealed.msg_signature
    );
    let (status, text) = rx
        .post(&format!("/wechat/message/{COMP}/{authorizer}"), &q, &body)
        .await;
    assert_eq!((status, text.as_str()), (200, "success"));
    let list = rx
        .desk
        .inbox_list(&InboxFilter {
            authorizer_appid: Some(authorizer.into()),
            info_type: Some("weapp_audit_success".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(list.len(), 1);
    let e = rx.settled(list[0].id).await;
    assert_eq!(e.url_kind, "message");
    // An audit result is applied: it updates the merchant's version state.
    assert_eq!(e.outcome, "applied");
}

/// What the backend got: query and body.
type Seen = (Option<String>, Bytes);

#[tokio::test]
async fn pushes_are_forwarded_verbatim_after_they_are_stored() {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let s2 = seen.clone();
    let app = axum::Router::new().route(
        "/backend",
        axum::routing::post(move |RawQuery(q): RawQuery, body: Bytes| {
            let s2 = s2.clone();
            async move {
                s2.lock().unwrap().push((q, body));
                "success"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let rx = start_rx(|c| {
        c.forwards
            .insert(COMP.into(), format!("http://{backend}/backend"));
    })
    .await;
    let push = rx.env.sandbox.push_ticket(COMP).await.unwrap();
    let id = rx.inbox()[0].id;
    let mut forwarded = None;
    for _ in 0..200 {
        forwarded = rx.desk.inbox_entry(id).unwrap().forwarded;
        if forwarded.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(forwarded.as_deref(), Some("ok 200"));
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0.as_deref(), Some(push.query.as_str()));
    assert_eq!(got[0].1, Bytes::from(push.body.clone()));
}

#[tokio::test]
async fn a_failed_forward_never_loses_the_push() {
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_addr = dead.local_addr().unwrap();
    drop(dead);
    let rx = start_rx(|c| {
        c.forwards
            .insert(COMP.into(), format!("http://{dead_addr}/x"));
    })
    .await;
    rx.env.sandbox.push_ticket(COMP).await.unwrap();
    let id = rx.inbox()[0].id;
    let e = rx.settled(id).await;
    assert_eq!(e.outcome, "applied");
    let mut forwarded = None;
    for _ in 0..400 {
        forwarded = rx.desk.inbox_entry(id).unwrap().forwarded;
        if forwarded.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(forwarded.unwrap().starts_with("failed"));
    assert!(rx.desk.ticket_status(COMP).unwrap().valid);
}

#[tokio::test]
async fn pushes_stored_but_not_applied_are_applied_when_receive_starts() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let push = env.sandbox.push_ticket(COMP).await.unwrap();
    // A receiver stored it, then stopped before applying it.
    let desk = Arc::new(open_desk(&env.dir, &env.sandbox.base_url()));
    let stored = desk
        .push_receive(UrlKind::Component, COMP, None, &push.query, &push.body)
        .unwrap();
    let Received::Stored { id } = stored else {
        panic!("{stored:?}")
    };
    assert_eq!(desk.ticket_status(COMP).unwrap().count, 0);
    let handle = receive(
        desk.clone(),
        ReceiveConfig::new("127.0.0.1:0".parse().unwrap()),
    )
    .await
    .unwrap();
    let mut outcome = String::new();
    for _ in 0..200 {
        outcome = desk.inbox_entry(id).unwrap().outcome;
        if outcome != "received" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(outcome, "applied");
    assert!(desk.ticket_status(COMP).unwrap().valid);
    handle.shutdown().await;
}
