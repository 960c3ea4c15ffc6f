//! `weapp_audit_success` / `weapp_audit_fail` / `weapp_audit_delay` events.
//!
//! WeChat pushes audit results to the platform's message URL ("消息与事件
//! 接收URL", where `$APPID$` stands for the merchant), encrypted with the
//! platform's message token and EncodingAESKey: the envelope is
//! `<xml><ToUserName>gh_…</ToUserName><Encrypt>…</Encrypt></xml>` and the
//! inner message an `event` addressed to the mini program's original id.
//! Every push is recorded with the ticket and authorization pushes (the
//! `/__sandbox/pushes` list) and delivered outside the lock.

use wxdesk_wechat::crypto::push::PushCrypto;

use crate::ids;
use crate::pushes::{Delivery, PushRecord};
use crate::state::State;

/// Builds and records an audit event of `appid` for its platform; returns the delivery.
pub(crate) fn audit_event(
    state: &mut State,
    now: i64,
    component_appid: &str,
    appid: &str,
    event: &str,
    fields: &[(&str, String)],
) -> Option<Delivery> {
    let component = state.components.get(component_appid)?.clone();
    let gh = state
        .accounts
        .get(appid)
        .map(|a| a.profile.user_name.clone())
        .unwrap_or_default();
    let message_url = state
        .wxa
        .platforms
        .get(component_appid)
        .and_then(|p| p.message_url.clone());
    let mut inner = format!(
        "<xml><ToUserName><![CDATA[{gh}]]></ToUserName><FromUserName><![CDATA[o{}]]></FromUserName>\
         <CreateTime>{now}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>",
        ids::hex(27)
    );
    for (k, v) in fields {
        let v = v.replace("]]>", "]]]]><![CDATA[>");
        inner.push_str(&format!("<{k}><![CDATA[{v}]]></{k}>"));
    }
    inner.push_str("</xml>");
    let id = state.pushes.len() as u64;
    let mut record = PushRecord {
        authorizer_appid: Some(appid.to_string()),
        id,
        component_appid: component_appid.to_string(),
        info_type: event.to_string(),
        query: String::new(),
        body: String::new(),
        plaintext: inner,
        url: None,
        delivered: None,
        error: None,
        at: now,
    };
    let mut delivery = None;
    match PushCrypto::new(
        &component.token,
        &component.encoding_aes_key,
        component_appid,
    ) {
        Err(e) => record.error = Some(format!("the platform's EncodingAESKey is unusable ({e})")),
        Ok(crypto) => {
            (record.query, record.body) = crate::pushes::seal(
                &crypto,
                &component.token,
                &record.plaintext,
                ("ToUserName", &gh),
                now,
            );
            match message_url {
                Some(u) => {
                    let url =
                        crate::pushes::append_query(&u.replace("$APPID$", appid), &record.query);
                    record.url = Some(url.clone());
                    delivery = Some(Delivery {
                        id,
                        url,
                        body: record.body.clone(),
                    });
                }
                None => {
                    record.error = Some(
                        "no message URL for this platform (POST /__sandbox/wxa/message_url): recorded, not delivered"
                            .into(),
                    )
                }
            }
        }
    }
    state.pushes.push(record);
    delivery
}
