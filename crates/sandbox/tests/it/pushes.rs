//! Push delivery to a receiver, verified with the protocol crate's crypto.

use std::sync::{Arc, Mutex};

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;

use axum::Router;
use wxdesk_sandbox::{AccountKind, AuthorizeSeed};
use wxdesk_wechat::crypto::push::{plain_signature, PushCrypto, PushQuery};
use wxdesk_wechat::push_message::{parse_message, PushEvent};

use crate::common::*;

#[derive(Clone, Default)]
pub struct Receiver {
    pub got: Arc<Mutex<Vec<(String, String, String)>>>,
}

async fn receive(
    State(r): State<(Receiver, StatusCode)>,
    RawQuery(q): RawQuery,
    headers: axum::http::HeaderMap,
    body: String,
) -> (StatusCode, &'static str) {
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    r.0.got
        .lock()
        .unwrap()
        .push((q.unwrap_or_default(), body, ct));
    (r.1, "success")
}

/// Starts a push receiver answering `status`; returns its URL (with a query of its own) and the log.
pub async fn receiver(status: StatusCode) -> (String, Receiver) {
    let r = Receiver::default();
    let app = Router::new()
        .route("/component/event", axum::routing::post(receive))
        .with_state((r.clone(), status));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (format!("http://{addr}/component/event?env=test"), r)
}

/// Verifies the envelope of a received push and returns the decrypted message.
pub fn open(query: &str, body: &str) -> wxdesk_wechat::push_message::PushMessage {
    let crypto = PushCrypto::new(MSG_TOKEN, AES_KEY, COMPONENT).unwrap();
    let q = PushQuery::parse(query).unwrap();
    assert_eq!(q.encrypt_type.as_deref(), Some("aes"));
    assert_eq!(
        q.signature.as_deref(),
        Some(plain_signature(MSG_TOKEN, &q.timestamp, &q.nonce).as_str())
    );
    assert!(body.starts_with(&format!(
        "<xml><AppId><![CDATA[{COMPONENT}]]></AppId><Encrypt><![CDATA["
    )));
    let opened = crypto
        .open(&q, body)
        .expect("msg_signature verifies and the body decrypts");
    assert_eq!(opened.envelope_appid.as_deref(), Some(COMPONENT));
    parse_message(&opened.message).unwrap()
}

#[tokio::test]
async fn ticket_push_is_delivered_signed_and_usable() {
    let (url, rx) = receiver(StatusCode::OK).await;
    let sb = start().await;
    sb.add_component(component_seed(Some(url)));
    let record = sb.push_ticket(COMPONENT).await.unwrap();
    assert_eq!(record.delivered, Some(200), "{record:?}");
    assert_eq!(record.error, None);
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let (query, body, ct) = &got[0];
    assert!(query.starts_with("env=test&signature="), "{query}");
    assert_eq!(ct, "text/xml");
    assert_eq!(
        query,
        &record
            .url
            .clone()
            .unwrap()
            .split_once('?')
            .unwrap()
            .1
            .to_string()
    );
    assert_eq!(body, &record.body);
    let msg = open(query, body);
    assert_eq!(msg.app_id.as_deref(), Some(COMPONENT));
    assert_eq!(msg.info_type.as_deref(), Some("component_verify_ticket"));
    let PushEvent::ComponentVerifyTicket { ticket } = msg.event else {
        panic!("{msg:?}")
    };
    // The pushed ticket buys a component token.
    let v = post(
        &sb,
        "/cgi-bin/component/api_component_token",
        serde_json::json!({"component_appid":COMPONENT,"component_appsecret":COMPONENT_SECRET,"component_verify_ticket":ticket}),
    )
    .await;
    assert_payload(&v);
    // The recorded query/body can be replayed by hand.
    let again = open(&record.query, &record.body);
    assert_eq!(again.info_type.as_deref(), Some("component_verify_ticket"));
}

#[tokio::test]
async fn authorization_pushes() {
    let (url, rx) = receiver(StatusCode::OK).await;
    let sb = start().await;
    sb.add_component(component_seed(Some(url)));
    let first = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let again = sb
        .authorize(AuthorizeSeed {
            component_appid: COMPONENT.into(),
            authorizer_appid: Some(first.authorizer_appid.clone()),
            kind: AccountKind::MiniProgram,
            func_ids: vec![17, 18],
        })
        .unwrap();
    sb.unauthorize(COMPONENT, &first.authorizer_appid).unwrap();
    // Background deliveries: wait for all three.
    for _ in 0..200 {
        if sb.pushes().iter().all(|p| p.delivered.is_some()) && rx.got.lock().unwrap().len() == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let pushes = sb.pushes();
    let kinds: Vec<&str> = pushes.iter().map(|p| p.info_type.as_str()).collect();
    assert_eq!(kinds, ["authorized", "updateauthorized", "unauthorized"]);
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    // Background deliveries may arrive in any order.
    let events: Vec<PushEvent> = got.iter().map(|(q, b, _)| open(q, b).event).collect();
    let mut saw = (false, false, false);
    for e in events {
        match e {
            PushEvent::Authorized(n) => {
                assert_eq!(n.authorizer_appid, first.authorizer_appid);
                assert_eq!(n.authorization_code, first.auth_code);
                assert!(n.authorization_code_expired_time.is_some());
                saw.0 = true;
            }
            PushEvent::UpdateAuthorized(n) => {
                assert_eq!(n.authorization_code, again.auth_code);
                saw.1 = true;
            }
            PushEvent::Unauthorized { authorizer_appid } => {
                assert_eq!(authorizer_appid, first.authorizer_appid);
                saw.2 = true;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(saw, (true, true, true));
}

#[tokio::test]
async fn failed_deliveries_are_recorded() {
    let (url, _rx) = receiver(StatusCode::INTERNAL_SERVER_ERROR).await;
    let sb = start().await;
    sb.add_component(component_seed(Some(url)));
    let record = sb.push_ticket(COMPONENT).await.unwrap();
    assert_eq!(record.delivered, Some(500));
    assert!(record.error.unwrap().contains("500"));
    // Unreachable receiver.
    let dead = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_url = format!("http://{}/x", dead.local_addr().unwrap());
    drop(dead);
    sb.add_component(component_seed(Some(dead_url)));
    let record = sb.push_ticket(COMPONENT).await.unwrap();
    assert_eq!(record.delivered, None);
    assert!(record.error.unwrap().starts_with("delivery failed"));
    // No push URL: recorded, not delivered, still decryptable.
    sb.add_component(component_seed(None));
    let record = sb.push_ticket(COMPONENT).await.unwrap();
    assert_eq!(record.url, None);
    assert!(record.error.unwrap().contains("no push_url"));
    assert_eq!(
        open(&record.query, &record.body).info_type.as_deref(),
        Some("component_verify_ticket")
    );
    assert_eq!(sb.pushes().len(), 3);
}
