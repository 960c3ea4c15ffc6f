//! Fast registration of mini programs on behalf of merchants.
//!
//! A platform can create mini programs for its merchants four ways:
//! enterprise (the legal person verifies by face in WeChat), personal, trial
//! ("beta"), and reuse of an Official Account's qualification. The first
//! three are asynchronous — WeChat accepts a task, a person acts in WeChat
//! later, and the result arrives as a push (with, for enterprise and personal
//! registrations, an authorization code for the new mini program) — so every
//! task is stored and then moved along by searches, queries and pushes. The
//! fourth is synchronous and returns the authorization code directly. Either
//! way the new mini program is authorized at once (`api_query_auth`) so its
//! refresh token is never lost.

use std::future::Future;

use serde_json::{json, Map, Value};
use wxdesk_wechat::api::fastregister::{
    BetaRegistration, EnterpriseRegistration, EnterpriseSearch, EnterpriseTaskState,
    PersonalRegistration,
};
use wxdesk_wechat::links::{parse_callback, validate_appid};
use wxdesk_wechat::push_message::{FastRegisterBetaNotice, FastRegisterNotice};

use crate::error::{Error, Result};
use crate::services::authorizers::{require_component, AuthorizerView, FetchedAuthorization};
use crate::store::authorizers;
use crate::store::fastregister::{self as tasks, NewTask, TaskKind, TaskRow, TaskUpdate};
use crate::Desk;

pub use crate::ops::wire::TaskStatus;
use crate::services::fastregister_view::personal_status;
pub use crate::services::fastregister_view::TaskView;

fn task_by_id(conn: &rusqlite::Connection, id: i64) -> Result<TaskView> {
    tasks::get_by_id(conn, id)?
        .map(TaskView::from_row)
        .ok_or_else(|| Error::not_found("fastregister task", id.to_string()))
}

/// The link WeChat gave for the registering person, when it gave one.
fn link(url: &str) -> Option<&str> {
    Some(url).filter(|u| !u.is_empty())
}

fn info_text(info: &Map<String, Value>, key: &str) -> Option<String> {
    info.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Reads the ticket from a bare ticket or the callback address of the fastregisterauth page.
fn ticket_from(input: &str) -> Result<String> {
    let t = input.trim();
    if t.contains('=') || t.contains("://") {
        return parse_callback(t)?.ticket.ok_or_else(|| {
            Error::invalid(
                "ticket",
                "the address carries an auth_code, not a ticket; it completes an authorization (`wxdesk authorize --component C --callback-url URL`)",
            )
        });
    }
    if t.is_empty() || t.chars().any(char::is_whitespace) {
        return Err(Error::invalid(
            "ticket",
            "pass the ticket=… value from the address the OA admin's browser landed on, or the whole address",
        ));
    }
    Ok(t.to_string())
}

impl Desk {
    /// One fast-registration call: the platform must be stored; `call`
    /// runs with its component_access_token (retried once on a stale one).
    async fn fastregister_call<T, F, Fut>(&self, component: &str, call: F) -> Result<T>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = wxdesk_wechat::Result<T>>,
    {
        self.store().read(|c| require_component(c, component))?;
        self.with_component_token(component, call).await
    }

    /// Records a task WeChat has just accepted and returns it.
    fn start_task(&self, task: &NewTask<'_>) -> Result<TaskView> {
        self.store().write(|tx| {
            let id = tasks::start(tx, task, self.now())?;
            task_by_id(tx, id)
        })
    }

    /// Stores the authorization of a freshly registered mini program (in
    /// `tx`) and notes the outcome in `result`: `Succeeded` with its
    /// authorizer, or `Registered` with why it is not authorized yet.
    fn record_authorization(
        &self,
        tx: &rusqlite::Connection,
        component: &str,
        fetched: std::result::Result<&FetchedAuthorization, String>,
        result: &mut Value,
        at: i64,
    ) -> Result<(TaskStatus, Option<AuthorizerView>)> {
        match fetched {
            Ok(f) => {
                let authorizer = self.store_authorization(tx, component, f, at)?;
                result["authorized"] = json!(true);
                Ok((TaskStatus::Succeeded, Some(authorizer)))
            }
            Err(why) => {
                result["authorized"] = json!(false);
                result["authorize_error"] = json!(why);
                Ok((TaskStatus::Registered, None))
            }
        }
    }

    /// Starts an enterprise registration (`fastregisterweapp?action=create`).
    /// WeChat then asks the legal person to verify by face within 24 hours.
    pub async fn fastregister_enterprise_create(
        &self,
        component: &str,
        reg: &EnterpriseRegistration,
    ) -> Result<TaskView> {
        reg.validate()?;
        let client = self.client();
        self.fastregister_call(component, |tok| async move {
            client
                .fastregister_enterprise_create(component, &tok, reg)
                .await
        })
        .await?;
        let request = serde_json::to_value(reg).unwrap_or(Value::Null);
        self.start_task(&NewTask {
            status_code: Some(0),
            ..NewTask::new(
                component,
                TaskKind::Enterprise,
                &reg.name,
                &request,
                TaskStatus::Created,
            )
        })
    }

    /// Asks WeChat for the state of an enterprise registration
    /// (`fastregisterweapp?action=search`) and records it. A task already
    /// finished by its push keeps its result.
    pub async fn fastregister_enterprise_search(
        &self,
        component: &str,
        search: &EnterpriseSearch,
    ) -> Result<TaskView> {
        let client = self.client();
        let found = self
            .fastregister_call(component, |tok| async move {
                client
                    .fastregister_enterprise_search(component, &tok, search)
                    .await
            })
            .await?;
        let word = match found.state {
            EnterpriseTaskState::Accepted => TaskStatus::Created,
            EnterpriseTaskState::NotFound => TaskStatus::NotFound,
            EnterpriseTaskState::WaitingForLegalPerson => TaskStatus::WaitingForLegalPerson,
            EnterpriseTaskState::FrontChecking => TaskStatus::FrontChecking,
        };
        let at = self.now();
        let search_result = json!({ "last_search": { "errcode": found.errcode, "errmsg": found.errmsg, "at": at } });
        self.store().write(|tx| {
            let id = match tasks::get(tx, component, TaskKind::Enterprise, &search.name)? {
                Some(t) if t.status.is_final() => {
                    let mut result = t.result.clone().unwrap_or_else(|| json!({}));
                    if let (Some(obj), Some(extra)) =
                        (result.as_object_mut(), search_result.get("last_search"))
                    {
                        obj.insert("last_search".into(), extra.clone());
                    }
                    tasks::update(
                        tx,
                        t.id,
                        &TaskUpdate {
                            result: Some(&result),
                            ..TaskUpdate::default()
                        },
                        at,
                    )?;
                    t.id
                }
                found_task => {
                    let request = serde_json::to_value(search).unwrap_or(Value::Null);
                    tasks::advance_or_start(
                        tx,
                        found_task.map(|t| t.id),
                        &NewTask {
                            status_code: Some(found.errcode),
                            result: Some(&search_result),
                            ..NewTask::new(
                                component,
                                TaskKind::Enterprise,
                                &search.name,
                                &request,
                                word,
                            )
                        },
                        at,
                    )?
                }
            };
            task_by_id(tx, id)
        })
    }

    /// Starts a personal registration (`fastregisterpersonalweapp?action=create`);
    /// the task carries the link the individual must open in WeChat.
    pub async fn fastregister_personal_create(
        &self,
        component: &str,
        reg: &PersonalRegistration,
    ) -> Result<TaskView> {
        let client = self.client();
        let task = self
            .fastregister_call(component, |tok| async move {
                client
                    .fastregister_personal_create(component, &tok, reg)
                    .await
            })
            .await?;
        if task.taskid.is_empty() {
            return Err(Error::invalid("taskid", "WeChat accepted the registration but returned no taskid; query it later by its push"));
        }
        let request = serde_json::to_value(reg).unwrap_or(Value::Null);
        self.start_task(&NewTask {
            status_code: Some(task.status),
            authorize_url: link(&task.authorize_url),
            ..NewTask::new(
                component,
                TaskKind::Personal,
                &task.taskid,
                &request,
                personal_status(task.status),
            )
        })
    }

    /// Reads a personal task from WeChat (`action=query`) and records its status.
    pub async fn fastregister_personal_query(
        &self,
        component: &str,
        taskid: &str,
    ) -> Result<TaskView> {
        let taskid = taskid.trim();
        if taskid.is_empty() {
            return Err(Error::invalid(
                "taskid",
                "is empty; pass the taskid shown by `wxdesk fastregister tasks`",
            ));
        }
        let client = self.client();
        let task = self
            .fastregister_call(component, |tok| async move {
                client
                    .fastregister_personal_query(component, &tok, taskid)
                    .await
            })
            .await?;
        let at = self.now();
        let request = json!({ "taskid": taskid });
        self.store().write(|tx| {
            let id = match tasks::get(tx, component, TaskKind::Personal, taskid)? {
                Some(t) if t.status.is_final() => t.id,
                found => tasks::advance_or_start(
                    tx,
                    found.map(|t| t.id),
                    &NewTask {
                        status_code: Some(task.status),
                        authorize_url: link(&task.authorize_url),
                        ..NewTask::new(
                            component,
                            TaskKind::Personal,
                            taskid,
                            &request,
                            personal_status(task.status),
                        )
                    },
                    at,
                )?,
            };
            task_by_id(tx, id)
        })
    }

    /// Requests a trial mini program (`fastregisterbetaweapp`); the task
    /// carries the link its future admin must open in WeChat.
    pub async fn fastregister_beta_create(
        &self,
        component: &str,
        reg: &BetaRegistration,
    ) -> Result<TaskView> {
        let client = self.client();
        let task = self
            .fastregister_call(component, |tok| async move {
                client.fastregister_beta_create(component, &tok, reg).await
            })
            .await?;
        let request = serde_json::to_value(reg).unwrap_or(Value::Null);
        self.start_task(&NewTask {
            authorize_url: link(&task.authorize_url),
            ..NewTask::new(
                component,
                TaskKind::Beta,
                &task.unique_id,
                &request,
                TaskStatus::Created,
            )
        })
    }

    /// Registers a mini program with an Official Account's qualification
    /// (`cgi-bin/account/fastregister`, with the OA's authorizer token and
    /// the single-use ticket from the fastregisterauth page — bare, or the
    /// whole callback address), then authorizes the new mini program at once.
    pub async fn fastregister_offiaccount(
        &self,
        component: &str,
        oa_appid: &str,
        ticket_or_callback: &str,
    ) -> Result<TaskView> {
        validate_appid("oa_appid", oa_appid)?;
        let ticket = ticket_from(ticket_or_callback)?;
        self.store().read(|c| {
            require_component(c, component)?;
            authorizers::require(c, component, oa_appid)
        })?;
        let client = self.client();
        let ticket_ref = ticket.as_str();
        let reg = self
            .with_authorizer_token(component, oa_appid, |tok| async move {
                client
                    .fastregister_from_official_account(oa_appid, &tok, ticket_ref)
                    .await
            })
            .await?;
        validate_appid("appid", &reg.appid)?;
        let request = json!({ "oa_appid": oa_appid });
        let registered =
            json!({ "is_wx_verify_succ": reg.is_wx_verify_succ, "is_link_succ": reg.is_link_succ });
        // The mini program exists now: record it before anything else can fail.
        let id = self.store().write(|tx| {
            tasks::start(
                tx,
                &NewTask {
                    status_code: Some(0),
                    new_appid: Some(&reg.appid),
                    result: Some(&registered),
                    ..NewTask::new(
                        component,
                        TaskKind::Offiaccount,
                        &reg.appid,
                        &request,
                        TaskStatus::Registered,
                    )
                },
                self.now(),
            )
        })?;
        let fetched = self
            .fetch_authorization(component, &reg.authorization_code)
            .await;
        self.finish_with_authorization(component, id, &registered, fetched, &reg.appid)
    }

    /// Records the outcome of authorizing a freshly registered mini program
    /// on task `id`, in one transaction with the authorizer.
    fn finish_with_authorization(
        &self,
        component: &str,
        id: i64,
        base: &Value,
        fetched: Result<FetchedAuthorization>,
        new_appid: &str,
    ) -> Result<TaskView> {
        let mut result = base.clone();
        let at = self.now();
        self.store().write(|tx| {
            let (word, _) = self.record_authorization(
                tx,
                component,
                fetched.as_ref().map_err(ToString::to_string),
                &mut result,
                at,
            )?;
            tasks::update(
                tx,
                id,
                &TaskUpdate {
                    status: Some(word),
                    new_appid: Some(new_appid),
                    result: Some(&result),
                    ..TaskUpdate::default()
                },
                at,
            )?;
            task_by_id(tx, id)
        })
    }

    /// Applies a `notify_third_fasteregister` push (enterprise or personal
    /// result): updates the matching task (creating one if the desk never saw
    /// the request) and, on success, authorizes the new mini program with the
    /// pushed code.
    pub(crate) async fn fastregister_apply_push(
        &self,
        component: &str,
        n: &FastRegisterNotice,
    ) -> Result<(TaskView, Option<AuthorizerView>)> {
        let personal = n.info.contains_key("wxuser") || n.info.contains_key("idname");
        let kind = if personal {
            TaskKind::Personal
        } else {
            TaskKind::Enterprise
        };
        let existing = self.store().read(|c| -> Result<Option<TaskRow>> {
            if personal {
                let wxuser = info_text(&n.info, "wxuser");
                let candidates = tasks::list_kind(c, component, TaskKind::Personal)?;
                let same_user = |t: &&TaskRow| {
                    wxuser.is_some()
                        && t.request.get("wxuser").and_then(Value::as_str) == wxuser.as_deref()
                };
                Ok(candidates
                    .iter()
                    .filter(same_user)
                    .find(|t| !t.status.is_final())
                    .or_else(|| candidates.iter().find(same_user))
                    .cloned())
            } else {
                match info_text(&n.info, "name") {
                    Some(name) => tasks::get(c, component, TaskKind::Enterprise, &name),
                    None => Ok(None),
                }
            }
        })?;
        let key = match (&existing, personal) {
            (Some(t), _) => t.task_key.clone(),
            (None, true) => format!("wxuser:{}", info_text(&n.info, "wxuser").unwrap_or_else(|| "unknown".into())),
            (None, false) => info_text(&n.info, "name").or_else(|| n.appid.clone()).ok_or_else(|| {
                Error::invalid(
                    "body",
                    "the notify_third_fasteregister push names neither an enterprise (info.name) nor an appid; it cannot be matched to a task",
                )
            })?,
        };
        let mut result = json!({
            "push_status": n.status,
            "msg": n.msg,
            "info": Value::Object(n.info.clone()),
        });
        let at = self.now();
        let succeeded = n.status == 0 && n.appid.is_some();
        let fetched = match (&n.auth_code, succeeded) {
            (Some(code), true) => Some(self.fetch_authorization(component, code).await),
            _ => None,
        };
        let request = Value::Object(n.info.clone());
        self.store().write(|tx| {
            let (word, authorizer) = if !succeeded {
                (TaskStatus::Failed, None)
            } else {
                let fetched = match &fetched {
                    Some(f) => f.as_ref().map_err(ToString::to_string),
                    None => Err("the push carried no auth_code; run `wxdesk authorizer sync` to store the new mini program".to_string()),
                };
                self.record_authorization(tx, component, fetched, &mut result, at)?
            };
            let id = tasks::advance_or_start(
                tx,
                existing.as_ref().map(|t| t.id),
                &NewTask {
                    status_code: Some(n.status),
                    new_appid: n.appid.as_deref(),
                    result: Some(&result),
                    ..NewTask::new(component, kind, &key, &request, word)
                },
                at,
            )?;
            Ok((task_by_id(tx, id)?, authorizer))
        })
    }

    /// Applies a `notify_third_fastregisterbetaapp` push (trial result) to
    /// the task with its `unique_id`.
    pub(crate) fn fastregister_apply_beta_push(
        &self,
        component: &str,
        n: &FastRegisterBetaNotice,
    ) -> Result<TaskView> {
        let key = n.unique_id.clone().or_else(|| n.appid.clone()).ok_or_else(|| {
            Error::invalid(
                "body",
                "the notify_third_fastregisterbetaapp push names neither a unique_id nor an appid; it cannot be matched to a task",
            )
        })?;
        let succeeded = n.status == 0 && n.appid.is_some();
        let word = if succeeded {
            TaskStatus::Succeeded
        } else {
            TaskStatus::Failed
        };
        let mut result = json!({ "push_status": n.status, "msg": n.msg, "name": n.name });
        if succeeded {
            // No authorization code comes with a trial result; the list sync picks up its refresh token.
            result["authorize_hint"] = json!(
                "run `wxdesk authorizer sync` to store the new trial mini program's refresh token"
            );
        }
        let at = self.now();
        let request = json!({ "unique_id": n.unique_id, "name": n.name });
        self.store().write(|tx| {
            let id = tasks::advance_or_start(
                tx,
                tasks::get(tx, component, TaskKind::Beta, &key)?.map(|t| t.id),
                &NewTask {
                    status_code: Some(n.status),
                    new_appid: n.appid.as_deref(),
                    result: Some(&result),
                    ..NewTask::new(component, TaskKind::Beta, &key, &request, word)
                },
                at,
            )?;
            task_by_id(tx, id)
        })
    }

    /// Registration tasks of one platform (or all), newest first.
    pub fn fastregister_tasks(&self, component: Option<&str>) -> Result<Vec<TaskView>> {
        let rows = self.store().read(|c| {
            if let Some(comp) = component {
                require_component(c, comp)?;
            }
            tasks::list(c, component)
        })?;
        Ok(rows.into_iter().map(TaskView::from_row).collect())
    }
}
