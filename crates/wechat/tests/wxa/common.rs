//! Shared set-up of the code-management tests: a sandbox with one platform,
//! authorized merchants, a template, and a merchant made ready for an audit.

use std::time::Duration;

use wxdesk_sandbox::{AccountKind, AuditOutcome, AuditPlan, DraftSeed, SandboxHandle};
use wxdesk_wechat::api::wxa_audit::{AuditState, SubmitAuditRequest};
use wxdesk_wechat::api::wxa_code::CommitRequest;
use wxdesk_wechat::api::wxa_domain::ServerDomains;
use wxdesk_wechat::api::wxa_privacy::{PrivacyItem, PrivacyOwnerSetting, PrivacySetting};
use wxdesk_wechat::api::wxa_shared::DomainAction;
use wxdesk_wechat::api::wxa_template::TemplateType;
use wxdesk_wechat::client::RetryPolicy;
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

#[path = "../support/platform.rs"]
mod platform;
pub use platform::*;

/// The reason the reviewers give in [`Env::reject_next_audit`].
pub const REJECTION_REASON: &str = "页面内容不完整";

pub struct Env {
    pub sb: SandboxHandle,
    pub c: Client,
    pub cat: String,
}

pub struct Merchant {
    pub appid: String,
    pub token: String,
}

pub async fn env() -> Env {
    let sb = sandbox_with_platform().await;
    let c = Client::new(ClientConfig {
        bases: Bases::single(&sb.base_url()).unwrap(),
        timeout: Duration::from_secs(5),
        connect_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let ticket = sb.issue_ticket(COMP).unwrap();
    let cat = c
        .component_token(COMP, COMP_SECRET, &ticket)
        .await
        .unwrap()
        .component_access_token;
    Env { sb, c, cat }
}

impl Env {
    pub async fn merchant(&self) -> Merchant {
        let auth = authorize_new(&self.sb, AccountKind::MiniProgram);
        let info = self
            .c
            .query_auth(COMP, &self.cat, &auth.auth_code)
            .await
            .unwrap();
        Merchant {
            appid: info.authorizer_appid,
            token: info.authorizer_access_token.unwrap(),
        }
    }

    /// A template in the library; returns its id.
    pub async fn template(&self) -> i64 {
        let draft = self
            .sb
            .add_template_drafts(DraftSeed {
                component_appid: COMP.into(),
                user_version: Some("1.0.0".into()),
                user_desc: None,
                pages: vec![],
                privacy_keys: None,
                count: None,
            })
            .unwrap()[0];
        self.c
            .wxa_template_add(COMP, &self.cat, draft, TemplateType::Normal)
            .await
            .unwrap();
        let list = self
            .c
            .wxa_template_list(COMP, &self.cat, None)
            .await
            .unwrap();
        list.iter()
            .find(|t| t.draft_id == draft)
            .unwrap()
            .template_id
    }

    /// `submit_audit` of `m` with the default request (no feedback, no
    /// screenshots).
    pub async fn submit_audit(&self, m: &Merchant) -> Result<i64, Error> {
        self.c
            .wxa_submit_audit(&m.appid, &m.token, &SubmitAuditRequest::default())
            .await
    }

    /// The state of `m`'s audit `id`, as `get_auditstatus` reports it.
    pub async fn audit_state(&self, m: &Merchant, id: i64) -> AuditState {
        self.c
            .wxa_audit_status(&m.appid, &m.token, id)
            .await
            .unwrap()
            .state()
    }

    /// `m`'s next audit fails after `secs` with [`REJECTION_REASON`] and two
    /// screenshots.
    pub fn reject_next_audit(&self, m: &Merchant, secs: i64) {
        self.sb
            .set_next_audit(
                Some(&m.appid),
                AuditPlan {
                    reason: Some(REJECTION_REASON.into()),
                    screenshots: 2,
                    ..plan(AuditOutcome::Fail, secs)
                },
            )
            .unwrap();
    }

    /// Domains, privacy guide and committed code: ready for an audit that passes.
    pub async fn ready(&self, m: &Merchant, template_id: i64, version: &str) {
        self.c
            .component_server_domain(
                COMP,
                &self.cat,
                DomainAction::Add,
                &["api.example.com".into()],
                false,
            )
            .await
            .unwrap();
        let domains = ServerDomains {
            requestdomain: vec!["https://api.example.com".into()],
            ..Default::default()
        };
        self.c
            .wxa_server_domain(&m.appid, &m.token, DomainAction::Set, &domains, false)
            .await
            .unwrap();
        self.c
            .wxa_set_privacy(&m.appid, &m.token, &guide(&["UserInfo"]))
            .await
            .unwrap();
        self.commit(m, template_id, version).await;
    }

    /// Commits `version` of the template to `m` (the default [`commit`]).
    pub async fn commit(&self, m: &Merchant, template_id: i64, version: &str) {
        self.c
            .wxa_commit(&m.appid, &m.token, &commit(template_id, &m.appid, version))
            .await
            .unwrap();
    }
}

pub fn guide(keys: &[&str]) -> PrivacySetting {
    PrivacySetting {
        privacy_ver: Some(2),
        owner_setting: PrivacyOwnerSetting {
            contact_email: Some("privacy@example.com".into()),
            notice_method: "弹窗提醒".into(),
            ..Default::default()
        },
        setting_list: keys
            .iter()
            .map(|k| PrivacyItem {
                privacy_key: (*k).into(),
                privacy_text: "登录与展示".into(),
                privacy_label: None,
            })
            .collect(),
        sdk_privacy_info_list: None,
    }
}

pub fn commit(template_id: i64, appid: &str, version: &str) -> CommitRequest {
    CommitRequest {
        template_id,
        ext_json: format!(r#"{{"extAppid":"{appid}","ext":{{"shop":"demo"}}}}"#),
        user_version: version.into(),
        user_desc: format!("release {version}"),
    }
}

pub fn errcode<T>(r: Result<T, Error>) -> i64 {
    match r {
        Err(Error::Api { errcode, .. }) => errcode,
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("expected an API error, got success"),
    }
}

pub fn invalid_field<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected invalid input, got {other:?}"),
    }
}

pub fn plan(outcome: AuditOutcome, secs: i64) -> AuditPlan {
    AuditPlan {
        outcome,
        duration_secs: secs,
        ..AuditPlan::default()
    }
}
