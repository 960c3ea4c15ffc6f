//! Pushes to a platform's authorization-event URL.
//!
//! WeChat tells a third-party platform about tickets, authorizations and
//! fast-registration results by POSTing encrypted XML to its push URL
//! (`?signature=&timestamp=&nonce=&encrypt_type=aes&msg_signature=`, body
//! `<xml><AppId>…</AppId><Encrypt>…</Encrypt></xml>`, §5.1). The sandbox builds
//! each push with the protocol crate's crypto, records it (delivered or not,
//! so a user can replay a raw push by hand), and delivers it — outside the
//! state lock — when the platform has a push URL.

use std::sync::Arc;

use axum::http::header;
use serde::{Deserialize, Serialize};
use wxdesk_wechat::crypto::push::{plain_signature, PushCrypto};
use wxdesk_wechat::push_message::build_message;

use crate::ids;
use crate::state::{Shared, State};

/// One push the sandbox generated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushRecord {
    /// Sequence number (index in [`crate::SandboxHandle::pushes`]).
    pub id: u64,
    /// The platform it is addressed to.
    pub component_appid: String,
    /// `InfoType` of the inner message.
    pub info_type: String,
    /// The query string WeChat appends to the push URL
    /// (`signature=…&timestamp=…&nonce=…&encrypt_type=aes&msg_signature=…`).
    pub query: String,
    /// The request body (`<xml><AppId>…</AppId><Encrypt>…</Encrypt></xml>`).
    pub body: String,
    /// The decrypted inner message, for debugging.
    pub plaintext: String,
    /// The full URL it was (or would have been) POSTed to; `None` without a push URL.
    pub url: Option<String>,
    /// The receiver's HTTP status, when delivery got an answer.
    pub delivered: Option<u16>,
    /// Why delivery failed or was not attempted.
    pub error: Option<String>,
    /// Virtual Unix time of creation.
    pub at: i64,
    /// The mini program a message push concerns (the `$APPID$` of the
    /// message URL); `None` for platform pushes.
    pub authorizer_appid: Option<String>,
}

/// A push waiting to be POSTed.
#[derive(Debug, Clone)]
pub(crate) struct Delivery {
    pub(crate) id: u64,
    pub(crate) url: String,
    pub(crate) body: String,
}

/// Appends `query` to `url` with `?` or `&`, before any fragment.
/// Encrypts and signs `plaintext` as WeChat POSTs a push: the query string
/// (`signature`, `timestamp`, `nonce`, `encrypt_type`, `msg_signature`) and
/// the XML envelope, whose first element is `head` (`AppId` for platform
/// pushes, `ToUserName` for message pushes).
pub(crate) fn seal(
    crypto: &PushCrypto,
    token: &str,
    plaintext: &str,
    head: (&str, &str),
    now: i64,
) -> (String, String) {
    let timestamp = now.to_string();
    let nonce = ids::nonce();
    let encrypt = crypto.encrypt(plaintext.as_bytes(), None);
    let msg_signature = crypto.msg_signature(&timestamp, &nonce, &encrypt);
    let signature = plain_signature(token, &timestamp, &nonce);
    let (tag, value) = head;
    (
        format!(
            "signature={signature}&timestamp={timestamp}&nonce={nonce}&encrypt_type=aes&msg_signature={msg_signature}"
        ),
        format!("<xml><{tag}><![CDATA[{value}]]></{tag}><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"),
    )
}

pub(crate) fn append_query(url: &str, query: &str) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    };
    let sep = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{base}{sep}{query}");
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// Builds, encrypts and records a push of `info_type` with `fields` (dotted
/// names nest, e.g. `info.name`). Returns the delivery to perform, if the
/// platform has a push URL and its crypto settings are valid.
pub(crate) fn record(
    state: &mut State,
    now: i64,
    component_appid: &str,
    info_type: &str,
    fields: &[(&str, &str)],
) -> Option<Delivery> {
    let component = state.components.get(component_appid)?;
    let id = state.pushes.len() as u64;
    let plaintext = build_message(component_appid, now, info_type, fields);
    let mut record = PushRecord {
        authorizer_appid: None,
        id,
        component_appid: component_appid.to_string(),
        info_type: info_type.to_string(),
        query: String::new(),
        body: String::new(),
        plaintext,
        url: None,
        delivered: None,
        error: None,
        at: now,
    };
    let delivery = match PushCrypto::new(
        &component.token,
        &component.encoding_aes_key,
        component_appid,
    ) {
        Err(e) => {
            record.error = Some(format!(
                "the platform's EncodingAESKey is unusable ({e}); fix it with add_component"
            ));
            None
        }
        Ok(crypto) => {
            (record.query, record.body) = seal(
                &crypto,
                &component.token,
                &record.plaintext,
                ("AppId", component_appid),
                now,
            );
            match &component.push_url {
                Some(push_url) => {
                    let url = append_query(push_url, &record.query);
                    record.url = Some(url.clone());
                    Some(Delivery {
                        id,
                        url,
                        body: record.body.clone(),
                    })
                }
                None => {
                    record.error = Some(
                        "no push_url configured for this platform: the push was recorded but not delivered"
                            .to_string(),
                    );
                    None
                }
            }
        }
    };
    state.pushes.push(record);
    delivery
}

/// POSTs a recorded push and stores the outcome in its record.
pub(crate) async fn deliver(shared: Arc<Shared>, delivery: Delivery) {
    let result = shared
        .http
        .post(&delivery.url)
        .header(header::CONTENT_TYPE, "text/xml")
        .body(delivery.body)
        .send()
        .await;
    let (status, error) = match result {
        Ok(response) => {
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            let error = if !status.is_success() {
                Some(format!("the receiver answered HTTP {}", status.as_u16()))
            } else if !(text.trim().is_empty() || text.trim() == "success") {
                let shown: String = text.trim().chars().take(80).collect();
                Some(format!(
                    "the receiver answered {shown:?}; WeChat expects the literal body \"success\""
                ))
            } else {
                None
            };
            (Some(status.as_u16()), error)
        }
        Err(e) => (None, Some(format!("delivery failed: {}", e.without_url()))),
    };
    let mut state = shared.lock();
    if let Some(record) = usize::try_from(delivery.id)
        .ok()
        .and_then(|i| state.pushes.get_mut(i))
    {
        record.delivered = status;
        record.error = error;
    }
}

/// Delivers every push in `deliveries`, in order, waiting for each.
pub(crate) async fn deliver_all(shared: &Arc<Shared>, deliveries: Vec<Delivery>) {
    for delivery in deliveries {
        deliver(shared.clone(), delivery).await;
    }
}

/// Delivers in the background on the sandbox's runtime (for sync hooks).
pub(crate) fn deliver_in_background(shared: &Arc<Shared>, deliveries: Vec<Delivery>) {
    if deliveries.is_empty() {
        return;
    }
    let shared_for_task = shared.clone();
    shared.runtime.spawn(async move {
        deliver_all(&shared_for_task, deliveries).await;
    });
}

/// The record with sequence number `id`.
pub(crate) fn get(shared: &Shared, id: u64) -> Option<PushRecord> {
    let state = shared.lock();
    usize::try_from(id)
        .ok()
        .and_then(|i| state.pushes.get(i).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_joining() {
        assert_eq!(append_query("http://a/b", "x=1"), "http://a/b?x=1");
        assert_eq!(append_query("http://a/b?c=2", "x=1"), "http://a/b?c=2&x=1");
        assert_eq!(append_query("http://a/b?", "x=1"), "http://a/b?x=1");
        assert_eq!(append_query("http://a/b#f", "x=1"), "http://a/b?x=1#f");
    }
}
