//! Fast registration of mini programs on behalf of merchants.
//!
//! Four routes exist: enterprise (legal-person face check), personal, trial
//! ("beta") and reuse of an Official Account's qualification. Creating a task
//! has a side effect WeChat will not let you repeat for 24 hours (89249), and
//! the reuse-OA ticket is single-use, so none of the creating calls is ever
//! retried once sent. Enterprise search reports the task state through its
//! errcode; [`EnterpriseTaskState`] turns that back into a value.

use serde::{Deserialize, Serialize};

use super::{require, require_appid};
use crate::client::{Call, Client};
use crate::error::{Error, Result};

/// Input of enterprise registration (`fastregisterweapp?action=create`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseRegistration {
    /// Enterprise name exactly as registered ("个体户" + legal person for unnamed sole traders).
    pub name: String,
    /// Enterprise code.
    pub code: String,
    /// 1 unified social credit code (18), 2 organization code (9), 3 business licence number (15).
    pub code_type: u8,
    /// Legal person's WeChat ID (not phone, not QQ).
    pub legal_persona_wechat: String,
    /// Legal person's name.
    pub legal_persona_name: String,
    /// Platform contact phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component_phone: Option<String>,
}

impl EnterpriseRegistration {
    /// Checks every field as WeChat would, naming the first one that is wrong.
    pub fn validate(&self) -> Result<()> {
        require("name", &self.name)?;
        require("legal_persona_wechat", &self.legal_persona_wechat)?;
        require("legal_persona_name", &self.legal_persona_name)?;
        require("code", &self.code)?;
        let len = self.code.chars().count();
        let ok = match self.code_type {
            1 => len == 18 && self.code.chars().all(|c| c.is_ascii_alphanumeric()),
            2 => (len == 9 && self.code.chars().all(|c| c.is_ascii_alphanumeric()))
                || (len == 10 && self.code.chars().nth(8) == Some('-')),
            3 => len == 15 && self.code.chars().all(|c| c.is_ascii_digit()),
            _ => {
                return Err(Error::invalid(
                    "code_type",
                    "code_type must be 1 (unified social credit code), 2 (organization code) or 3 (business licence registration number)",
                ))
            }
        };
        if !ok {
            let want = match self.code_type {
                1 => "18 letters or digits",
                2 => "9 characters, or xxxxxxxx-x",
                _ => "15 digits",
            };
            return Err(Error::invalid(
                "code",
                format!(
                    "for code_type {} the code must be {want}; it has {len} characters",
                    self.code_type
                ),
            ));
        }
        if let Some(p) = &self.component_phone {
            require("component_phone", p)?;
        }
        Ok(())
    }
}

/// Input of enterprise search (`fastregisterweapp?action=search`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseSearch {
    /// Enterprise name.
    pub name: String,
    /// Legal person's WeChat ID.
    pub legal_persona_wechat: String,
    /// Legal person's name.
    pub legal_persona_name: String,
}

/// State of an enterprise registration task, decoded from the search errcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnterpriseTaskState {
    /// errcode 0: the task exists and has no pending step (the result arrives by push).
    Accepted,
    /// 89250: no task for these details.
    NotFound,
    /// 89251: waiting for the legal person's face verification.
    WaitingForLegalPerson,
    /// 89252: legal person and enterprise consistency check in progress.
    FrontChecking,
}

/// Answer of enterprise search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterpriseSearchResult {
    /// The decoded state.
    pub state: EnterpriseTaskState,
    /// The errcode WeChat sent.
    pub errcode: i64,
    /// The errmsg WeChat sent.
    pub errmsg: String,
}

/// Input of personal registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalRegistration {
    /// The individual's name.
    pub idname: String,
    /// The individual's WeChat ID.
    pub wxuser: String,
    /// Platform contact phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component_phone: Option<String>,
}

/// A personal registration task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalTask {
    /// Task id, needed to query.
    #[serde(default)]
    pub taskid: String,
    /// The link the individual opens in WeChat to verify.
    #[serde(default)]
    pub authorize_url: String,
    /// 0 created, 1 timed out, 2 rejected, 3 agreed, 4 face started, 5 face failed, 6 face ok, 7 phone submitted, …
    #[serde(default, deserialize_with = "crate::lenient::i64_lenient")]
    pub status: i64,
}

/// Input of trial ("beta") registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BetaRegistration {
    /// Mini program name, 4–30 characters.
    pub name: String,
    /// openid of the WeChat user who becomes its administrator.
    pub openid: String,
}

/// A trial registration request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BetaTask {
    /// Identifies the request in the later push.
    pub unique_id: String,
    /// The link the user opens in WeChat to confirm.
    pub authorize_url: String,
}

/// Result of registering through an Official Account's qualification.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficialAccountRegistration {
    /// The new mini program.
    pub appid: String,
    /// Exchange at once with `api_query_auth`. Secret, single use.
    pub authorization_code: String,
    /// Whether the OA's verification was reused.
    #[serde(default, deserialize_with = "crate::lenient::bool_lenient")]
    pub is_wx_verify_succ: bool,
    /// Whether the new mini program was linked to the OA.
    #[serde(default, deserialize_with = "crate::lenient::bool_lenient")]
    pub is_link_succ: bool,
}

impl Client {
    /// Starts an enterprise registration task. Never retried once sent.
    pub async fn fastregister_enterprise_create(
        &self,
        component_appid: &str,
        component_access_token: &str,
        reg: &EnterpriseRegistration,
    ) -> Result<()> {
        require("component_access_token", component_access_token)?;
        reg.validate()?;
        let call = Call::post("cgi-bin/component/fastregisterweapp", reg)?
            .query("action", "create")
            .query("component_access_token", component_access_token)
            .single_use()
            .account(component_appid);
        self.execute_value(&call).await.map(|_| ())
    }

    /// Asks for the state of an enterprise registration task.
    pub async fn fastregister_enterprise_search(
        &self,
        component_appid: &str,
        component_access_token: &str,
        search: &EnterpriseSearch,
    ) -> Result<EnterpriseSearchResult> {
        require("component_access_token", component_access_token)?;
        require("name", &search.name)?;
        require("legal_persona_wechat", &search.legal_persona_wechat)?;
        require("legal_persona_name", &search.legal_persona_name)?;
        let call = Call::post("cgi-bin/component/fastregisterweapp", search)?
            .query("action", "search")
            .query("component_access_token", component_access_token)
            .account(component_appid);
        match self.execute_value(&call).await {
            Ok(v) => Ok(EnterpriseSearchResult {
                state: EnterpriseTaskState::Accepted,
                errcode: 0,
                errmsg: crate::lenient::errmsg_of(&v),
            }),
            Err(Error::Api {
                errcode,
                errmsg,
                rid,
            }) => {
                let state = match errcode {
                    89250 => EnterpriseTaskState::NotFound,
                    89251 => EnterpriseTaskState::WaitingForLegalPerson,
                    89252 => EnterpriseTaskState::FrontChecking,
                    _ => {
                        return Err(Error::Api {
                            errcode,
                            errmsg,
                            rid,
                        })
                    }
                };
                Ok(EnterpriseSearchResult {
                    state,
                    errcode,
                    errmsg,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Starts a personal registration task; the answer carries the link the individual must open.
    pub async fn fastregister_personal_create(
        &self,
        component_appid: &str,
        component_access_token: &str,
        reg: &PersonalRegistration,
    ) -> Result<PersonalTask> {
        require("component_access_token", component_access_token)?;
        require("idname", &reg.idname)?;
        require("wxuser", &reg.wxuser)?;
        let call = Call::post("wxa/component/fastregisterpersonalweapp", reg)?
            .query("action", "create")
            .query("component_access_token", component_access_token)
            .single_use()
            .account(component_appid);
        self.execute(call).await
    }

    /// Reads a personal registration task.
    pub async fn fastregister_personal_query(
        &self,
        component_appid: &str,
        component_access_token: &str,
        taskid: &str,
    ) -> Result<PersonalTask> {
        require("component_access_token", component_access_token)?;
        require("taskid", taskid)?;
        let call = Call::post(
            "wxa/component/fastregisterpersonalweapp",
            &serde_json::json!({ "taskid": taskid }),
        )?
        .query("action", "query")
        .query("component_access_token", component_access_token)
        .account(component_appid);
        let mut task: PersonalTask = self.execute(call).await?;
        if task.taskid.is_empty() {
            task.taskid = taskid.to_string();
        }
        Ok(task)
    }

    /// Requests a trial mini program; the answer carries the link the future admin must open.
    pub async fn fastregister_beta_create(
        &self,
        component_appid: &str,
        component_access_token: &str,
        reg: &BetaRegistration,
    ) -> Result<BetaTask> {
        require("component_access_token", component_access_token)?;
        require("name", &reg.name)?;
        require("openid", &reg.openid)?;
        let n = reg.name.chars().count();
        if !(4..=30).contains(&n) {
            return Err(Error::invalid(
                "name",
                format!("a trial mini program name must be 4–30 characters; it has {n}"),
            ));
        }
        let call = Call::post("wxa/component/fastregisterbetaweapp", reg)?
            .query("access_token", component_access_token)
            .single_use()
            .account(component_appid);
        self.execute(call).await
    }

    /// `POST cgi-bin/account/fastregister`: registers a mini program with the
    /// qualification of the Official Account whose authorizer token is given,
    /// using the single-use ticket from the fastregisterauth page.
    pub async fn fastregister_from_official_account(
        &self,
        oa_appid: &str,
        authorizer_access_token: &str,
        ticket: &str,
    ) -> Result<OfficialAccountRegistration> {
        require_appid("appid", oa_appid)?;
        require("authorizer_access_token", authorizer_access_token)?;
        require("ticket", ticket)?;
        let call = Call::post(
            "cgi-bin/account/fastregister",
            &serde_json::json!({ "ticket": ticket }),
        )?
        .query("access_token", authorizer_access_token)
        .single_use()
        .account(oa_appid);
        self.execute(call).await
    }
}
