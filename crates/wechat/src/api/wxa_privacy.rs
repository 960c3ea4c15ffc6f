//! The privacy guide ("用户隐私保护指引": `cgi-bin/component/setprivacysetting`,
//! `getprivacysetting`, `uploadprivacyextfile`) and the privacy interfaces a
//! mini program must apply for before its code may call them
//! (`wxa/security/get_privacy_interface`, `apply_privacy_interface`).
//!
//! An audit fails when the code collects data the guide does not declare, or
//! calls an interface without approval; these calls are what the readiness
//! check reads and fixes.

use serde::{Deserialize, Serialize};

use super::wxa_shared::{get_with, int, post_empty, post_with, string_list, text};
use super::{require, require_appid};
use crate::client::{Client, Upload};
use crate::error::{Error, Result};

/// The developer's contact and retention settings of the guide.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacyOwnerSetting {
    /// Contact e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
    /// Contact phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    /// Contact QQ.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_qq: Option<String>,
    /// Contact WeChat ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_weixin: Option<String>,
    /// A supplementary document from `uploadprivacyextfile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_file_media_id: Option<String>,
    /// How users are told of changes (e.g. "弹窗提醒").
    #[serde(default, deserialize_with = "text")]
    pub notice_method: String,
    /// How long data is kept (text), when declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_expire_timestamp: Option<String>,
}

/// One declared kind of user data and why it is collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacyItem {
    /// The key, e.g. `UserInfo`, `Location`, `PhoneNumber`.
    #[serde(deserialize_with = "text")]
    pub privacy_key: String,
    /// The purpose shown to users.
    #[serde(default, deserialize_with = "text")]
    pub privacy_text: String,
    /// WeChat's label for the key (answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_label: Option<String>,
}

/// What `setprivacysetting` sends.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacySetting {
    /// 1 the released version's guide, 2 the development version's (default 2 on WeChat's side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy_ver: Option<i64>,
    /// Contact and notice settings.
    pub owner_setting: PrivacyOwnerSetting,
    /// The declared data kinds.
    pub setting_list: Vec<PrivacyItem>,
    /// Third-party SDKs and what they collect, as WeChat defines it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_privacy_info_list: Option<serde_json::Value>,
}

impl PrivacySetting {
    /// Checks the fields WeChat requires, naming the first missing one.
    pub fn validate(&self) -> Result<()> {
        if let Some(v) = self.privacy_ver {
            if v != 1 && v != 2 {
                return Err(Error::invalid(
                    "privacy_ver",
                    "privacy_ver must be 1 (released version) or 2 (development version)",
                ));
            }
        }
        let o = &self.owner_setting;
        require("owner_setting.notice_method", &o.notice_method)?;
        let has_contact = [
            &o.contact_email,
            &o.contact_phone,
            &o.contact_qq,
            &o.contact_weixin,
        ]
        .iter()
        .any(|c| c.as_deref().is_some_and(|s| !s.trim().is_empty()));
        if !has_contact {
            return Err(Error::invalid(
                "owner_setting.contact_email",
                "give at least one contact: contact_email, contact_phone, contact_qq or contact_weixin",
            ));
        }
        for (i, item) in self.setting_list.iter().enumerate() {
            require(&format!("setting_list[{i}].privacy_key"), &item.privacy_key)?;
            require(
                &format!("setting_list[{i}].privacy_text"),
                &item.privacy_text,
            )?;
        }
        Ok(())
    }
}

/// A key and WeChat's description of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacyDesc {
    /// The key.
    #[serde(default, deserialize_with = "text")]
    pub privacy_key: String,
    /// Its description.
    #[serde(default, deserialize_with = "text")]
    pub privacy_desc: String,
}

/// What `getprivacysetting` answers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacySettingInfo {
    /// Whether code has been uploaded (so `privacy_list` is meaningful).
    #[serde(default, deserialize_with = "crate::lenient::bool_lenient")]
    pub code_exist: bool,
    /// The keys the uploaded code uses.
    #[serde(default, deserialize_with = "string_list")]
    pub privacy_list: Vec<String>,
    /// The declared keys.
    #[serde(default)]
    pub setting_list: Vec<PrivacyItem>,
    /// Last update (Unix seconds).
    #[serde(default, deserialize_with = "int")]
    pub update_time: i64,
    /// Contact and notice settings.
    #[serde(default)]
    pub owner_setting: PrivacyOwnerSetting,
    /// WeChat's description of every key.
    #[serde(default)]
    pub privacy_desc: Option<PrivacyDescListPublic>,
    /// SDK declarations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk_privacy_info_list: Option<serde_json::Value>,
}

/// The `privacy_desc` object of `getprivacysetting`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacyDescListPublic {
    /// The descriptions.
    #[serde(default)]
    pub privacy_desc_list: Vec<PrivacyDesc>,
}

impl PrivacySettingInfo {
    /// Keys the code uses that the guide does not declare.
    pub fn undeclared(&self) -> Vec<String> {
        self.privacy_list
            .iter()
            .filter(|k| !self.setting_list.iter().any(|s| &s.privacy_key == *k))
            .cloned()
            .collect()
    }
}

/// One privacy interface (e.g. `wx.getLocation`) and its application state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacyInterface {
    /// API name, e.g. `wx.getLocation`.
    #[serde(deserialize_with = "text")]
    pub api_name: String,
    /// Chinese name.
    #[serde(default, deserialize_with = "text")]
    pub api_ch_name: String,
    /// Description.
    #[serde(default, deserialize_with = "text")]
    pub api_desc: String,
    /// 1 to apply, 2 no permission, 3 applying, 4 refused, 5 granted.
    #[serde(default, deserialize_with = "int")]
    pub status: i64,
    /// When it was applied for.
    #[serde(default, deserialize_with = "crate::lenient::opt_i64_lenient")]
    pub apply_time: Option<i64>,
    /// The application's audit id.
    #[serde(default, deserialize_with = "crate::lenient::opt_i64_lenient")]
    pub audit_id: Option<i64>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_reason: Option<String>,
    /// Documentation link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_link: Option<String>,
    /// Group (e.g. 地理位置).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

impl PrivacyInterface {
    /// Status 5: the interface may be called.
    pub fn granted(&self) -> bool {
        self.status == 5
    }
}

/// An application for a privacy interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PrivacyInterfaceApplication {
    /// API name, e.g. `wx.getLocation`.
    pub api_name: String,
    /// Why the mini program needs it (shown to the reviewer).
    pub content: String,
    /// Pages showing the use.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub url_list: Vec<String>,
    /// Screenshots (media ids from `wxa/uploadmedia`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pic_list: Vec<String>,
    /// Videos (media ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub video_list: Vec<String>,
}

#[derive(Deserialize)]
struct InterfaceList {
    #[serde(default)]
    interface_list: Option<Vec<PrivacyInterface>>,
}

#[derive(Deserialize)]
struct Applied {
    #[serde(default, deserialize_with = "int")]
    audit_id: i64,
}

#[derive(Deserialize)]
struct ExtFile {
    #[serde(default, deserialize_with = "text")]
    ext_file_media_id: String,
}

impl Client {
    /// `POST cgi-bin/component/setprivacysetting`: writes the privacy guide.
    pub async fn wxa_set_privacy(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        setting: &PrivacySetting,
    ) -> Result<()> {
        require_appid("appid", appid)?;
        setting.validate()?;
        let call = post_with(
            "cgi-bin/component/setprivacysetting",
            authorizer_access_token,
            appid,
            setting,
        )?;
        self.execute_value(&call).await.map(|_| ())
    }

    /// `POST cgi-bin/component/getprivacysetting`: the guide and the keys the code uses.
    pub async fn wxa_get_privacy(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        privacy_ver: Option<i64>,
    ) -> Result<PrivacySettingInfo> {
        require_appid("appid", appid)?;
        let body = match privacy_ver {
            Some(v) => serde_json::json!({"privacy_ver": v}),
            None => serde_json::json!({}),
        };
        let call = post_with(
            "cgi-bin/component/getprivacysetting",
            authorizer_access_token,
            appid,
            &body,
        )?;
        self.execute(call).await
    }

    /// `POST cgi-bin/component/uploadprivacyextfile` (multipart `file`): a
    /// supplementary document (txt, ≤ 100 KB). Returns its `ext_file_media_id`.
    pub async fn wxa_upload_privacy_file(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        filename: &str,
        bytes: Vec<u8>,
    ) -> Result<String> {
        require_appid("appid", appid)?;
        require("filename", filename)?;
        if bytes.is_empty() || bytes.len() > 100 * 1024 {
            return Err(Error::invalid(
                "file",
                format!(
                    "the privacy file must be 1 byte to 100 KB; it is {} bytes",
                    bytes.len()
                ),
            ));
        }
        let call = post_empty(
            "cgi-bin/component/uploadprivacyextfile",
            authorizer_access_token,
            appid,
        )?;
        let upload = Upload {
            field: "file",
            filename: filename.to_string(),
            content_type: "text/plain".into(),
            bytes,
        };
        let v = self.execute_upload(&call, &upload).await?;
        let f: ExtFile = serde_json::from_value(v.clone()).map_err(|e| Error::Decode {
            endpoint: call.endpoint.to_string(),
            reason: e.to_string(),
            body: v.to_string(),
        })?;
        Ok(f.ext_file_media_id)
    }

    /// `GET wxa/security/get_privacy_interface`: every privacy interface and its state.
    pub async fn wxa_privacy_interfaces(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<Vec<PrivacyInterface>> {
        require_appid("appid", appid)?;
        let call = get_with(
            "wxa/security/get_privacy_interface",
            authorizer_access_token,
            appid,
        )?;
        let r: InterfaceList = self.execute(call).await?;
        Ok(r.interface_list.unwrap_or_default())
    }

    /// `POST wxa/security/apply_privacy_interface`: applies for an interface.
    /// Returns the application's audit id. Never replayed.
    pub async fn wxa_apply_privacy_interface(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        application: &PrivacyInterfaceApplication,
    ) -> Result<i64> {
        require_appid("appid", appid)?;
        require("api_name", &application.api_name)?;
        require("content", &application.content)?;
        let call = post_with(
            "wxa/security/apply_privacy_interface",
            authorizer_access_token,
            appid,
            application,
        )?
        .single_use();
        let r: Applied = self.execute(call).await?;
        Ok(r.audit_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_needs_a_notice_method_and_a_contact() {
        let mut s = PrivacySetting {
            owner_setting: PrivacyOwnerSetting {
                notice_method: "弹窗".into(),
                contact_email: Some("a@example.com".into()),
                ..Default::default()
            },
            setting_list: vec![PrivacyItem {
                privacy_key: "UserInfo".into(),
                privacy_text: "登录".into(),
                privacy_label: None,
            }],
            ..Default::default()
        };
        assert!(s.validate().is_ok());
        s.owner_setting.contact_email = None;
        assert!(
            matches!(s.validate(), Err(Error::InvalidInput { field, .. }) if field == "owner_setting.contact_email")
        );
    }

    #[test]
    fn undeclared_keys() {
        let info: PrivacySettingInfo = serde_json::from_value(serde_json::json!({
            "code_exist": 1, "privacy_list": ["UserInfo", "Location"],
            "setting_list": [{"privacy_key": "UserInfo", "privacy_text": "x"}],
            "update_time": "1700000000"
        }))
        .unwrap();
        assert!(info.code_exist);
        assert_eq!(info.undeclared(), ["Location"]);
    }
}
