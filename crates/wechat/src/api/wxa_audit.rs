//! Audits: the preview media an audit may carry (`wxa/uploadmedia`), the
//! submission (`wxa/submit_audit`), following it (`get_auditstatus`,
//! `get_latest_auditstatus`), withdrawing and speeding it up, and the
//! submission quota (`wxa/queryquota`).
//!
//! A submission spends one of the month's quota and starts an audit that
//! blocks every other (85009); withdrawing spends one of 1-a-day/10-a-month
//! (87013); speeding up spends a speed-up. None of them is ever replayed once
//! it may have reached WeChat: a second submit after a lost answer would be
//! refused with 85009 at best.

use serde::{Deserialize, Serialize};

use super::require_appid;
use super::wxa_shared::{get_with, int, post_empty, post_with, text};
use crate::client::{Client, Upload};
use crate::error::{Error, Result};

/// One page of the audit's item list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditItem {
    /// Page path (from `wxa/get_page`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Tags, space-separated (≤ 10, each ≤ 20 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// First-level category name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_class: Option<String>,
    /// Second-level category name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_class: Option<String>,
    /// Third-level category name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_class: Option<String>,
    /// First-level category id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_id: Option<i64>,
    /// Second-level category id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_id: Option<i64>,
    /// Third-level category id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub third_id: Option<i64>,
    /// Page title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Preview material: media ids from `wxa/uploadmedia`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewInfo {
    /// Video media ids (≤ 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub video_id_list: Vec<String>,
    /// Picture media ids (≤ 10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pic_id_list: Vec<String>,
}

/// What `wxa/submit_audit` sends. Every field is optional on WeChat's side.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SubmitAuditRequest {
    /// Pages and categories to audit (1–5 when given).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub item_list: Vec<AuditItem>,
    /// Preview pictures and video.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_info: Option<PreviewInfo>,
    /// Notes for the reviewer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_desc: Option<String>,
    /// Feedback text (≤ 200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_info: Option<String>,
    /// Feedback pictures: media ids joined by `|` (≤ 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback_stuff: Option<String>,
    /// UGC declaration, as WeChat defines it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ugc_declare: Option<serde_json::Value>,
    /// Declares that no privacy interface is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_api_not_use: Option<bool>,
    /// The order-centre path, for merchants that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_path: Option<String>,
}

impl SubmitAuditRequest {
    /// Checks the documented limits, naming the first field over one.
    pub fn validate(&self) -> Result<()> {
        if self.item_list.len() > 5 {
            return Err(Error::invalid(
                "item_list",
                format!(
                    "item_list has {} items; WeChat takes 1 to 5 (85023)",
                    self.item_list.len()
                ),
            ));
        }
        for (i, item) in self.item_list.iter().enumerate() {
            if let Some(a) = &item.address {
                super::wxa_code::validate_page_path(&format!("item_list[{i}].address"), a)?;
            }
        }
        if let Some(f) = &self.feedback_info {
            if f.chars().count() > 200 {
                return Err(Error::invalid(
                    "feedback_info",
                    "feedback_info is longer than 200 characters",
                ));
            }
        }
        if let Some(s) = &self.feedback_stuff {
            if s.split('|').filter(|p| !p.is_empty()).count() > 5 {
                return Err(Error::invalid(
                    "feedback_stuff",
                    "feedback_stuff holds more than 5 media ids (join at most 5 with |)",
                ));
            }
        }
        if let Some(p) = &self.preview_info {
            if p.pic_id_list.len() > 10 || p.video_id_list.len() > 1 {
                return Err(Error::invalid(
                    "preview_info",
                    "preview_info takes at most 10 pictures and 1 video (85093)",
                ));
            }
        }
        if let Some(p) = &self.order_path {
            super::wxa_code::validate_page_path("order_path", p)?;
        }
        Ok(())
    }
}

/// The state of an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AuditState {
    /// 0: passed; the version may be released.
    Success,
    /// 1: rejected, with a reason and screenshots.
    Rejected,
    /// 2: being audited.
    Auditing,
    /// 3: withdrawn with `undocodeaudit`.
    Withdrawn,
    /// 4: delayed by WeChat, with a reason.
    Delayed,
    /// Any other code WeChat may send.
    Unknown,
}

impl AuditState {
    /// Decodes WeChat's status number.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => AuditState::Success,
            1 => AuditState::Rejected,
            2 => AuditState::Auditing,
            3 => AuditState::Withdrawn,
            4 => AuditState::Delayed,
            _ => AuditState::Unknown,
        }
    }

    /// True while the audit blocks another submission.
    pub fn in_progress(self) -> bool {
        matches!(self, AuditState::Auditing | AuditState::Delayed)
    }
}

/// An audit's state as `get_auditstatus` / `get_latest_auditstatus` answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditStatus {
    /// The audit id (only `get_latest_auditstatus` sends it; filled in otherwise).
    #[serde(default, deserialize_with = "int")]
    pub auditid: i64,
    /// 0 success, 1 rejected, 2 auditing, 3 withdrawn, 4 delayed.
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    pub status: i64,
    /// Why it was rejected or delayed.
    #[serde(default, deserialize_with = "text")]
    pub reason: String,
    /// Rejection screenshots: media ids joined by `|`.
    #[serde(
        default,
        alias = "ScreenShot",
        alias = "screen_shot",
        deserialize_with = "text"
    )]
    pub screenshot: String,
    /// The audited version.
    #[serde(default, deserialize_with = "text")]
    pub user_version: String,
    /// Its description.
    #[serde(default, deserialize_with = "text")]
    pub user_desc: String,
    /// When it was submitted (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub submit_audit_time: i64,
}

impl AuditStatus {
    /// The decoded state.
    pub fn state(&self) -> AuditState {
        AuditState::from_code(self.status)
    }

    /// The screenshot media ids.
    pub fn screenshots(&self) -> Vec<String> {
        self.screenshot
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// `wxa/queryquota`: submissions and speed-ups left.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditQuota {
    /// Submissions left this month.
    #[serde(default, deserialize_with = "int")]
    pub rest: i64,
    /// Submissions allowed this month.
    #[serde(default, deserialize_with = "int")]
    pub limit: i64,
    /// Speed-ups left.
    #[serde(default, deserialize_with = "int")]
    pub speedup_rest: i64,
    /// Speed-ups allowed.
    #[serde(default, deserialize_with = "int")]
    pub speedup_limit: i64,
}

/// A media file uploaded for an audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditMedia {
    /// `image` or `video`.
    #[serde(default, rename = "type", deserialize_with = "text")]
    pub kind: String,
    /// The media id to put in `preview_info` or `feedback_stuff`.
    #[serde(deserialize_with = "text")]
    pub mediaid: String,
}

/// An audit result pushed to the platform's message URL
/// (`weapp_audit_success`, `weapp_audit_fail`, `weapp_audit_delay`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditEvent {
    /// The mini program's original id (`ToUserName`, `gh_…`); the appid is in the message URL.
    pub to_user_name: String,
    /// Success, Rejected or Delayed.
    pub state: AuditState,
    /// `SuccTime`, `FailTime` or `DelayTime` (Unix seconds), else `CreateTime`.
    pub at: i64,
    /// Why it was rejected or delayed.
    pub reason: String,
    /// Rejection screenshots (media ids).
    pub screenshots: Vec<String>,
}

impl AuditEvent {
    /// Reads an audit event from a decrypted message push; `None` for any other message.
    pub fn from_push(message: &crate::push_message::PushMessage) -> Option<AuditEvent> {
        let text = |k: &str| {
            message
                .fields
                .get(k)
                .and_then(serde_json::Value::as_str)
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let (state, time_key) = match text("Event").as_str() {
            "weapp_audit_success" => (AuditState::Success, "SuccTime"),
            "weapp_audit_fail" => (AuditState::Rejected, "FailTime"),
            "weapp_audit_delay" => (AuditState::Delayed, "DelayTime"),
            _ => return None,
        };
        let at = text(time_key)
            .parse()
            .ok()
            .or(message.create_time)
            .unwrap_or(0);
        Some(AuditEvent {
            to_user_name: text("ToUserName"),
            state,
            at,
            reason: text("Reason"),
            screenshots: text("ScreenShot")
                .split('|')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

#[derive(Deserialize)]
struct Submitted {
    #[serde(deserialize_with = "crate::lenient::i64_lenient")]
    auditid: i64,
}

fn valid_auditid(auditid: i64) -> Result<()> {
    if auditid <= 0 {
        return Err(Error::invalid(
            "auditid",
            format!("{auditid} is not an audit id; use the auditid submit_audit returned"),
        ));
    }
    Ok(())
}

impl Client {
    /// `POST wxa/uploadmedia` (multipart `media`): a picture (≤ 2 MB) or video
    /// (≤ 20 MB) for `preview_info` / `feedback_stuff`.
    pub async fn wxa_upload_audit_media(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        filename: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> Result<AuditMedia> {
        require_appid("appid", appid)?;
        super::require("filename", filename)?;
        let limit = if content_type.starts_with("video/") {
            20 * 1024 * 1024
        } else if content_type.starts_with("image/") {
            2 * 1024 * 1024
        } else {
            return Err(Error::invalid(
                "content_type",
                format!("{content_type:?}: audit media must be an image/* or video/* file"),
            ));
        };
        if bytes.is_empty() || bytes.len() > limit {
            return Err(Error::invalid(
                "media",
                format!("the file is {} bytes; the limit is {limit}", bytes.len()),
            ));
        }
        let call = post_empty("wxa/uploadmedia", authorizer_access_token, appid)?;
        let upload = Upload {
            field: "media",
            filename: filename.to_string(),
            content_type: content_type.to_string(),
            bytes,
        };
        let v = self.execute_upload(&call, &upload).await?;
        serde_json::from_value(v.clone()).map_err(|e| Error::Decode {
            endpoint: call.endpoint.to_string(),
            reason: e.to_string(),
            body: v.to_string(),
        })
    }

    /// `POST wxa/submit_audit`: submits the experience version. Returns the auditid. Never replayed.
    pub async fn wxa_submit_audit(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        request: &SubmitAuditRequest,
    ) -> Result<i64> {
        require_appid("appid", appid)?;
        request.validate()?;
        let call =
            post_with("wxa/submit_audit", authorizer_access_token, appid, request)?.single_use();
        let r: Submitted = self.execute(call).await?;
        Ok(r.auditid)
    }

    /// `POST wxa/get_auditstatus`: the state of one audit.
    pub async fn wxa_audit_status(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        auditid: i64,
    ) -> Result<AuditStatus> {
        require_appid("appid", appid)?;
        valid_auditid(auditid)?;
        let call = post_with(
            "wxa/get_auditstatus",
            authorizer_access_token,
            appid,
            &serde_json::json!({"auditid": auditid}),
        )?;
        let mut s: AuditStatus = self.execute(call).await?;
        if s.auditid == 0 {
            s.auditid = auditid;
        }
        Ok(s)
    }

    /// `GET wxa/get_latest_auditstatus`: the newest audit.
    pub async fn wxa_latest_audit_status(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<AuditStatus> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/get_latest_auditstatus", authorizer_access_token, appid)?;
        self.execute(call).await
    }

    /// `GET wxa/undocodeaudit`: withdraws the audit in progress (1 a day, 10 a month). Never replayed.
    pub async fn wxa_undo_audit(&self, appid: &str, authorizer_access_token: &str) -> Result<()> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/undocodeaudit", authorizer_access_token, appid)?.single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `POST wxa/speedupaudit`: asks for a faster audit (spends a speed-up). Never replayed.
    pub async fn wxa_speedup_audit(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        auditid: i64,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        valid_auditid(auditid)?;
        let call = post_with(
            "wxa/speedupaudit",
            authorizer_access_token,
            appid,
            &serde_json::json!({"auditid": auditid}),
        )?
        .single_use();
        self.execute_value(&call).await.map(|_| ())
    }

    /// `GET wxa/queryquota`: submissions and speed-ups left.
    pub async fn wxa_audit_quota(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<AuditQuota> {
        require_appid("appid", appid)?;
        let call = get_with("wxa/queryquota", authorizer_access_token, appid)?;
        self.execute(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_reads_every_screenshot_spelling_and_string_numbers() {
        for key in ["screenshot", "ScreenShot", "screen_shot"] {
            let s: AuditStatus = serde_json::from_value(serde_json::json!({
                "status": "1", "reason": "bad", key: "m1|m2|", "auditid": "42"
            }))
            .unwrap();
            assert_eq!(s.state(), AuditState::Rejected);
            assert_eq!(s.screenshots(), ["m1", "m2"]);
            assert_eq!(s.auditid, 42);
        }
        assert!(AuditState::from_code(4).in_progress());
        assert_eq!(AuditState::from_code(9), AuditState::Unknown);
    }

    #[test]
    fn audit_events_from_pushes() {
        let fail = crate::push_message::parse_message(
            "<xml><ToUserName><![CDATA[gh_fb9688c2a4b2]]></ToUserName><FromUserName><![CDATA[od1P5]]></FromUserName>\
             <CreateTime>1488856741</CreateTime><MsgType><![CDATA[event]]></MsgType>\
             <Event><![CDATA[weapp_audit_fail]]></Event><Reason><![CDATA[1:账号信息不符合规范]]></Reason>\
             <FailTime>1488856742</FailTime><ScreenShot><![CDATA[xxx|yyy]]></ScreenShot></xml>",
        )
        .unwrap();
        let e = AuditEvent::from_push(&fail).unwrap();
        assert_eq!(e.state, AuditState::Rejected);
        assert_eq!(
            (e.at, e.to_user_name.as_str()),
            (1_488_856_742, "gh_fb9688c2a4b2")
        );
        assert_eq!(e.screenshots, ["xxx", "yyy"]);
        assert!(e.reason.contains("账号信息"));
        let ok = crate::push_message::parse_message(
            "<xml><ToUserName>gh_1</ToUserName><CreateTime>5</CreateTime><MsgType>event</MsgType>\
             <Event>weapp_audit_success</Event><SuccTime>7</SuccTime></xml>",
        )
        .unwrap();
        assert_eq!(AuditEvent::from_push(&ok).unwrap().at, 7);
        let other = crate::push_message::parse_message(
            "<xml><ToUserName>gh_1</ToUserName><MsgType>event</MsgType><Event>subscribe</Event></xml>",
        )
        .unwrap();
        assert!(AuditEvent::from_push(&other).is_none());
    }

    #[test]
    fn submit_limits_name_the_field() {
        let six = SubmitAuditRequest {
            item_list: vec![AuditItem::default(); 6],
            ..Default::default()
        };
        assert!(
            matches!(six.validate(), Err(Error::InvalidInput { field, .. }) if field == "item_list")
        );
        let path = SubmitAuditRequest {
            order_path: Some("/pages/order".into()),
            ..Default::default()
        };
        assert!(
            matches!(path.validate(), Err(Error::InvalidInput { field, .. }) if field == "order_path")
        );
        assert!(SubmitAuditRequest::default().validate().is_ok());
    }
}
