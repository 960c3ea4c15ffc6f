//! Release profiles: what a platform applies to many merchants at once.
//!
//! Taking a hundred mini programs live repeats the same choices for each: a
//! code template, an `ext.json` that differs only in a few per-merchant
//! values, the server and web-view domains, the privacy guide and the audit's
//! item list. A profile names those choices once per platform; batches
//! (`services::batch`) and `profile_apply` use it. The `ext_json` template
//! takes `{{appid}}`, `{{nickname}}` and the columns of a CSV whose first
//! column is the appid; substituted values are JSON-string-escaped and the
//! result must be a JSON object, so a merchant's name can never break or
//! inject into the file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_audit::{AuditItem, SubmitAuditRequest};
use wxdesk_wechat::api::wxa_domain::ServerDomains;
use wxdesk_wechat::api::wxa_privacy::PrivacySetting;
use wxdesk_wechat::api::wxa_shared::DomainAction;
use wxdesk_wechat::links::validate_appid;

use crate::error::{Error, Result};
use crate::store::batches::{self, ProfileRow};
use crate::store::now;
use crate::Desk;

pub use crate::services::profile_vars::{parse_vars_csv, render_ext_json, template_variables};

/// The longest profile name.
const MAX_NAME: usize = 64;

/// The domains a profile sets on each merchant (`modify_domain` / `setwebviewdomain`, action `set`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileDomains {
    /// `wx.request` domains (`https://`).
    #[serde(default, alias = "request")]
    pub requestdomain: Vec<String>,
    /// Socket domains (`wss://`).
    #[serde(default, alias = "socket")]
    pub wsrequestdomain: Vec<String>,
    /// Upload domains (`https://`).
    #[serde(default, alias = "upload")]
    pub uploaddomain: Vec<String>,
    /// Download domains (`https://`).
    #[serde(default, alias = "download")]
    pub downloaddomain: Vec<String>,
    /// Web-view (business) domains (`https://`).
    #[serde(default, alias = "webview")]
    pub webviewdomain: Vec<String>,
}

impl ProfileDomains {
    /// The server-domain part, as the protocol sends it.
    pub fn server(&self) -> ServerDomains {
        ServerDomains {
            requestdomain: self.requestdomain.clone(),
            wsrequestdomain: self.wsrequestdomain.clone(),
            uploaddomain: self.uploaddomain.clone(),
            downloaddomain: self.downloaddomain.clone(),
            ..ServerDomains::default()
        }
    }

    fn validate(&self) -> Result<()> {
        self.server().validate()?;
        for d in &self.webviewdomain {
            wxdesk_wechat::api::wxa_domain::validate_url("webviewdomain", "https://", d)?;
        }
        Ok(())
    }
}

/// The audit's defaults: what `submit_audit` sends for every merchant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AuditDefaults {
    /// Pages and categories (1–5 when given), as `wxa/submit_audit` takes them.
    #[serde(default)]
    #[ts(type = "Array<Record<string, unknown>>")]
    pub item_list: Vec<AuditItem>,
    /// Notes for the reviewer.
    #[serde(default)]
    pub feedback_info: Option<String>,
    /// Declares that no privacy interface is used.
    #[serde(default)]
    pub privacy_api_not_use: Option<bool>,
    /// The order-centre path.
    #[serde(default)]
    pub order_path: Option<String>,
}

impl AuditDefaults {
    /// The submission these defaults make.
    pub fn request(&self) -> SubmitAuditRequest {
        SubmitAuditRequest {
            item_list: self.item_list.clone(),
            feedback_info: self.feedback_info.clone(),
            privacy_api_not_use: self.privacy_api_not_use,
            order_path: self.order_path.clone(),
            ..SubmitAuditRequest::default()
        }
    }
}

/// Per-merchant values of the `ext_json` template, from a CSV.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileVars {
    /// The column names after `appid`.
    pub columns: Vec<String>,
    /// appid → column → value.
    pub rows: BTreeMap<String, BTreeMap<String, String>>,
}

/// A release profile as stored (and shown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Profile {
    /// The template of the platform's library to commit.
    pub template_id: i64,
    /// Version string to commit (default: the template's).
    #[serde(default)]
    pub user_version: Option<String>,
    /// Version description to commit (default: the template's).
    #[serde(default)]
    pub user_desc: Option<String>,
    /// The `ext.json` template (JSON text with `{{variables}}`), when the code needs one.
    #[serde(default)]
    pub ext_json: Option<String>,
    /// Per-merchant values.
    #[serde(default)]
    pub vars: ProfileVars,
    /// Domains to set.
    #[serde(default)]
    pub domains: Option<ProfileDomains>,
    /// The privacy guide (`setprivacysetting` JSON).
    #[serde(default)]
    #[ts(type = "Record<string, unknown> | null")]
    pub privacy: Option<PrivacySetting>,
    /// The audit's defaults.
    #[serde(default)]
    pub audit: AuditDefaults,
}

/// A profile with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileView {
    /// The platform.
    pub component_appid: String,
    /// Its name.
    pub name: String,
    /// Unix seconds.
    pub updated_at: i64,
    /// The variables the `ext_json` template uses.
    pub variables: Vec<String>,
    /// The profile.
    pub profile: Profile,
}

/// Declares a struct with the given fields followed by the parts of a
/// profile that `profile_set` takes (template, versions, `ext_json`, CSV,
/// domains, privacy, audit): [`ProfileInput`] and the op's
/// `ProfileSetArgs`. The fields are spelled out, not flattened, so a wrong
/// value's error still names its field.
macro_rules! profile_input_struct {
    ($(#[$m:meta])* pub struct $name:ident { $( $(#[$fm:meta])* pub $field:ident : $ty:ty ),* $(,)? }) => {
        $(#[$m])*
        pub struct $name {
            $( $(#[$fm])* pub $field: $ty, )*
            /// The template to commit (from template_list).
            pub template_id: i64,
            /// Version to commit (default: the template's).
            #[serde(default)]
            pub user_version: Option<String>,
            /// Description to commit (default: the template's).
            #[serde(default)]
            pub user_desc: Option<String>,
            /// The ext_json template text, with `{{appid}}`, `{{nickname}}` and CSV columns.
            #[serde(default)]
            pub ext_json: Option<String>,
            /// CSV text: header `appid,column…`, one row per merchant.
            #[serde(default)]
            pub vars_csv: Option<String>,
            /// Domains to set.
            #[serde(default)]
            pub domains: Option<$crate::services::profiles::ProfileDomains>,
            /// The privacy guide (setprivacysetting JSON).
            #[serde(default)]
            #[ts(type = "Record<string, unknown> | null")]
            pub privacy: Option<::serde_json::Value>,
            /// Audit defaults (item_list, feedback_info, privacy_api_not_use, order_path).
            #[serde(default)]
            pub audit: Option<$crate::services::profiles::AuditDefaults>,
        }
    };
}
pub(crate) use profile_input_struct;

profile_input_struct! {
    /// What `profile_set` takes: file contents, not paths (the UI has no paths).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
    pub struct ProfileInput {}
}

/// Removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileRemoved {
    /// The platform.
    pub component_appid: String,
    /// The profile's name.
    pub name: String,
}

/// One merchant's outcome of `profile_apply`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProfileApplied {
    /// The merchant.
    pub appid: String,
    /// What was set: `domains`, `webview`, `privacy`.
    pub applied: Vec<String>,
    /// Why it stopped, when it did.
    pub error: Option<crate::error::ErrorBody>,
}

fn validate_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            "name",
            format!(
                "{name:?} is not a profile name: use 1 to {MAX_NAME} letters, digits, _ - or ."
            ),
        ))
    }
}

fn view(row: ProfileRow) -> Result<ProfileView> {
    let profile: Profile = serde_json::from_str(&row.body).map_err(|e| {
        Error::invalid(
            "profile",
            format!("stored profile {} is unreadable: {e}", row.name),
        )
    })?;
    Ok(ProfileView {
        variables: profile
            .ext_json
            .as_deref()
            .map(template_variables)
            .unwrap_or_default(),
        component_appid: row.component_appid,
        name: row.name,
        updated_at: row.updated_at,
        profile,
    })
}

impl Desk {
    /// Creates or replaces a profile, checking every part before storing it.
    pub fn profile_set(
        &self,
        component: &str,
        name: &str,
        input: ProfileInput,
    ) -> Result<ProfileView> {
        validate_appid("component_appid", component)?;
        validate_name(name)?;
        self.store()
            .read(|c| crate::store::components::require(c, component))?;
        if input.template_id <= 0 {
            return Err(Error::invalid(
                "template_id",
                "template_id must be an id of the platform's template library (wxdesk template list)",
            ));
        }
        let vars = match input.vars_csv.as_deref() {
            Some(t) => parse_vars_csv(t)?,
            None => ProfileVars::default(),
        };
        if let Some(t) = &input.ext_json {
            // Every variable must be known, and the template must render to an object.
            let probe = "wx0000000000000000";
            let mut probe_vars = vars.clone();
            probe_vars.rows.insert(
                probe.into(),
                vars.columns
                    .iter()
                    .map(|c| (c.clone(), String::new()))
                    .collect(),
            );
            render_ext_json(t, probe, "", &probe_vars).map_err(|e| match e {
                Error::Invalid { field, reason } => Error::Invalid {
                    field,
                    reason: reason.replace(&format!(" for merchant {probe}"), ""),
                },
                e => e,
            })?;
        }
        if let Some(d) = &input.domains {
            d.validate()?;
        }
        let privacy = match input.privacy {
            Some(v) => {
                let p: PrivacySetting = serde_path_to_error::deserialize(v).map_err(|e| {
                    Error::invalid(
                        format!("privacy.{}", e.path()),
                        format!("{} (setprivacysetting JSON)", e.into_inner()),
                    )
                })?;
                p.validate()?;
                Some(p)
            }
            None => None,
        };
        let audit = input.audit.unwrap_or_default();
        audit.request().validate()?;
        let profile = Profile {
            template_id: input.template_id,
            user_version: input.user_version.filter(|s| !s.trim().is_empty()),
            user_desc: input.user_desc,
            ext_json: input.ext_json,
            vars,
            domains: input.domains,
            privacy,
            audit,
        };
        let row = ProfileRow {
            component_appid: component.to_string(),
            name: name.to_string(),
            body: serde_json::to_string(&profile)
                .map_err(|e| Error::invalid("profile", e.to_string()))?,
            updated_at: now(),
        };
        self.store().write(|c| batches::put_profile(c, &row))?;
        view(row)
    }

    /// The profiles of a platform.
    pub fn profile_list(&self, component: &str) -> Result<Vec<ProfileView>> {
        validate_appid("component_appid", component)?;
        self.store()
            .read(|c| batches::list_profiles(c, component))?
            .into_iter()
            .map(view)
            .collect()
    }

    /// One profile.
    pub fn profile_show(&self, component: &str, name: &str) -> Result<ProfileView> {
        validate_appid("component_appid", component)?;
        let row = self
            .store()
            .read(|c| batches::get_profile(c, component, name))?
            .ok_or_else(|| {
                Error::not_found(
                    "profile",
                    format!("{name} (platform {component}; see wxdesk profile list)"),
                )
            })?;
        view(row)
    }

    /// Deletes a profile.
    pub fn profile_delete(&self, component: &str, name: &str) -> Result<ProfileRemoved> {
        validate_appid("component_appid", component)?;
        if !self
            .store()
            .write(|c| batches::delete_profile(c, component, name))?
        {
            return Err(Error::not_found(
                "profile",
                format!("{name} (platform {component})"),
            ));
        }
        Ok(ProfileRemoved {
            component_appid: component.to_string(),
            name: name.to_string(),
        })
    }

    /// Sets a profile's domains and privacy guide on the selected merchants,
    /// `concurrency` at a time; one row per merchant, in selection order.
    pub async fn profile_apply(
        &self,
        component: &str,
        name: &str,
        selection: &crate::services::batch::Selection,
        concurrency: u32,
    ) -> Result<Vec<ProfileApplied>> {
        use futures_util::StreamExt;
        let profile = self.profile_show(component, name)?.profile;
        if profile.domains.is_none() && profile.privacy.is_none() {
            return Err(Error::invalid(
                "name",
                format!("profile {name} has neither domains nor a privacy guide to apply; add them with wxdesk profile set --domains/--privacy"),
            ));
        }
        let appids = self.batch_merchants(component, selection)?;
        let n = usize::try_from(concurrency.clamp(1, crate::services::batch::MAX_CONCURRENCY))
            .unwrap_or(1);
        let profile = &profile;
        Ok(futures_util::stream::iter(appids)
            .map(|a| async move { self.profile_apply_one(component, profile, &a).await })
            .buffered(n)
            .collect()
            .await)
    }

    /// Sets a profile's domains and privacy guide on one merchant.
    pub async fn profile_apply_one(
        &self,
        component: &str,
        profile: &Profile,
        appid: &str,
    ) -> ProfileApplied {
        let mut applied = Vec::new();
        let r = self
            .apply_inner(component, profile, appid, &mut applied)
            .await;
        ProfileApplied {
            appid: appid.to_string(),
            applied,
            error: r.err().map(|e| e.body()),
        }
    }

    async fn apply_inner(
        &self,
        component: &str,
        profile: &Profile,
        appid: &str,
        applied: &mut Vec<String>,
    ) -> Result<()> {
        self.require_active_authorizer(component, appid)?;
        let comp = Some(component);
        if let Some(d) = &profile.domains {
            let server = d.server();
            if !server.is_empty() {
                self.wxa_server_domains(appid, comp, DomainAction::Set, &server, false)
                    .await?;
                applied.push("domains".into());
            }
            if !d.webviewdomain.is_empty() {
                self.wxa_webview_domains(appid, comp, DomainAction::Set, &d.webviewdomain, false)
                    .await?;
                applied.push("webview".into());
            }
        }
        if let Some(p) = &profile.privacy {
            self.wxa_privacy_set(appid, comp, p).await?;
            applied.push("privacy".into());
        }
        Ok(())
    }
}
