//! Who may open the experience version (testers: `wxa/bind_tester`,
//! `wxa/unbind_tester`, `wxa/memberauth`), and the account's basic profile
//! (`cgi-bin/account/getaccountbasicinfo`) that an audit needs filled in.
//!
//! Binding is capped by WeChat (85002) and a WeChat ID can only be bound once
//! (85004); a replayed bind would turn a success into a confusing 85004, so
//! binds are never replayed.

use serde::{Deserialize, Serialize};

use super::wxa_shared::{get_with, int, post_with, text};
use super::{require, require_appid};
use crate::client::Client;
use crate::error::{Error, Result};

/// A bound tester, identified by WeChat's opaque `userstr`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Tester {
    /// The tester's opaque id (the WeChat ID is never returned).
    #[serde(deserialize_with = "crate::lenient::string_or_number")]
    pub userstr: String,
}

#[derive(Deserialize)]
struct Members {
    #[serde(default)]
    members: Option<Vec<Tester>>,
}

#[derive(Deserialize)]
struct Bound {
    #[serde(default, deserialize_with = "text")]
    userstr: String,
}

/// Whom to unbind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TesterRef {
    /// By WeChat ID.
    WechatId(String),
    /// By the `userstr` from `memberauth`.
    Userstr(String),
}

/// How many times a field may still be changed this year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModifyQuota {
    /// Changes used.
    #[serde(default, deserialize_with = "int")]
    pub modify_used_count: i64,
    /// Changes allowed.
    #[serde(default, deserialize_with = "int")]
    pub modify_quota: i64,
}

/// The nickname and its change quota.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NicknameInfo {
    /// The nickname.
    #[serde(default, deserialize_with = "text")]
    pub nickname: String,
    /// Its change quota.
    #[serde(flatten)]
    pub quota: ModifyQuota,
}

/// The avatar and its change quota.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HeadImageInfo {
    /// Avatar URL.
    #[serde(default, deserialize_with = "text")]
    pub head_image_url: String,
    /// Its change quota.
    #[serde(flatten)]
    pub quota: ModifyQuota,
}

/// The description ("简介") and its change quota.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignatureInfo {
    /// The description.
    #[serde(default, deserialize_with = "text")]
    pub signature: String,
    /// Its change quota.
    #[serde(flatten)]
    pub quota: ModifyQuota,
}

/// `cgi-bin/account/getaccountbasicinfo`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountBasicInfo {
    /// The appid.
    #[serde(default, deserialize_with = "text")]
    pub appid: String,
    /// 1 Official Account, 2 mini program, 3 mini game, …
    #[serde(default, deserialize_with = "int")]
    pub account_type: i64,
    /// 0 individual, 1 enterprise, 2 media, 3 government, 4 other.
    #[serde(default, deserialize_with = "int")]
    pub principal_type: i64,
    /// The principal's name.
    #[serde(default, deserialize_with = "text")]
    pub principal_name: String,
    /// 1 real-name verified, 2 not, 3 pending.
    #[serde(default, deserialize_with = "int")]
    pub realname_status: i64,
    /// The nickname (older answers put it at the top level).
    #[serde(default, deserialize_with = "text")]
    pub nickname: String,
    /// Nickname and quota.
    #[serde(default)]
    pub nickname_info: Option<NicknameInfo>,
    /// Avatar and quota.
    #[serde(default)]
    pub head_image_info: Option<HeadImageInfo>,
    /// Description and quota.
    #[serde(default)]
    pub signature_info: Option<SignatureInfo>,
    /// Verification details, as WeChat sends them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wx_verify_info: Option<serde_json::Value>,
}

impl AccountBasicInfo {
    /// The nickname, wherever WeChat put it.
    pub fn display_nickname(&self) -> &str {
        match &self.nickname_info {
            Some(n) if !n.nickname.is_empty() => &n.nickname,
            _ => &self.nickname,
        }
    }

    /// The avatar URL, empty when none is set.
    pub fn head_image_url(&self) -> &str {
        self.head_image_info
            .as_ref()
            .map(|h| h.head_image_url.as_str())
            .unwrap_or_default()
    }

    /// The description, empty when none is set.
    pub fn signature(&self) -> &str {
        self.signature_info
            .as_ref()
            .map(|s| s.signature.as_str())
            .unwrap_or_default()
    }
}

/// Validates a WeChat ID: 6–20 letters, digits, `-` or `_`, starting with a letter.
pub fn validate_wechat_id(field: &str, id: &str) -> Result<()> {
    require(field, id)?;
    let n = id.chars().count();
    let ok = (6..=20).contains(&n)
        && id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !ok {
        return Err(Error::invalid(
            field,
            format!(
                "{id:?} is not a WeChat ID (6–20 letters, digits, - or _, starting with a letter); \
                 a phone number or QQ number does not work here"
            ),
        ));
    }
    Ok(())
}

impl Client {
    /// `POST wxa/bind_tester`: lets a WeChat user open the experience version. Returns the `userstr`.
    pub async fn wxa_bind_tester(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        wechat_id: &str,
    ) -> Result<String> {
        require_appid("appid", appid)?;
        validate_wechat_id("wechatid", wechat_id)?;
        let call = post_with(
            "wxa/bind_tester",
            authorizer_access_token,
            appid,
            &serde_json::json!({"wechatid": wechat_id}),
        )?
        .single_use();
        let r: Bound = self.execute(call).await?;
        Ok(r.userstr)
    }

    /// `POST wxa/unbind_tester`: by WeChat ID or by `userstr`.
    pub async fn wxa_unbind_tester(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        who: &TesterRef,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        let body = match who {
            TesterRef::WechatId(w) => {
                validate_wechat_id("wechatid", w)?;
                serde_json::json!({"wechatid": w})
            }
            TesterRef::Userstr(u) => {
                require("userstr", u)?;
                serde_json::json!({"userstr": u})
            }
        };
        let call = post_with("wxa/unbind_tester", authorizer_access_token, appid, &body)?;
        self.execute_value(&call).await.map(|_| ())
    }

    /// `POST wxa/memberauth` (`action=get_experiencer`): the bound testers.
    pub async fn wxa_testers(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<Vec<Tester>> {
        require_appid("appid", appid)?;
        let call = post_with(
            "wxa/memberauth",
            authorizer_access_token,
            appid,
            &serde_json::json!({"action": "get_experiencer"}),
        )?;
        let r: Members = self.execute(call).await?;
        Ok(r.members.unwrap_or_default())
    }

    /// `GET cgi-bin/account/getaccountbasicinfo`: nickname, avatar, description and principal.
    pub async fn account_basic_info(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<AccountBasicInfo> {
        require_appid("appid", appid)?;
        let call = get_with(
            "cgi-bin/account/getaccountbasicinfo",
            authorizer_access_token,
            appid,
        )?;
        self.execute(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wechat_ids() {
        assert!(validate_wechat_id("wechatid", "tester_01").is_ok());
        for bad in ["13800138000", "abc", "a b cdef", "_abcdef", ""] {
            assert!(validate_wechat_id("wechatid", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn basic_info_reads_both_nickname_places() {
        let a: AccountBasicInfo = serde_json::from_value(serde_json::json!({
            "appid": "wx0123456789abcdef", "account_type": "2",
            "nickname_info": {"nickname": "店", "modify_used_count": 1, "modify_quota": "2"},
            "head_image_info": {"head_image_url": "http://x/0", "modify_used_count": 0, "modify_quota": 5}
        }))
        .unwrap();
        assert_eq!(a.display_nickname(), "店");
        assert_eq!(a.account_type, 2);
        assert_eq!(a.nickname_info.unwrap().quota.modify_quota, 2);
        let b: AccountBasicInfo =
            serde_json::from_value(serde_json::json!({"nickname": "旧"})).unwrap();
        assert_eq!(b.display_nickname(), "旧");
        assert_eq!(b.head_image_url(), "");
    }
}
