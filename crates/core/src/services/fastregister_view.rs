//! How a fast-registration task is shown: its [`TaskView`], and the text
//! that explains each status and WeChat's status codes (personal steps,
//! enterprise failures) to the operator.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ops::wire::TaskStatus;
use crate::store::fastregister::{TaskKind, TaskRow};

/// Personal-task status codes that end the task unsuccessfully.
const PERSONAL_FAILURES: [i64; 5] = [1, 2, 5, 8, 11];

/// A registration task as shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
pub struct TaskView {
    /// Row id.
    pub id: i64,
    /// The platform.
    pub component_appid: String,
    /// `enterprise`, `personal`, `beta` or `offiaccount`.
    pub kind: TaskKind,
    /// What WeChat identifies it by (enterprise name, taskid, unique_id, new appid).
    pub task_key: String,
    /// The request as sent.
    pub request: Value,
    /// Where the task stands.
    pub status: TaskStatus,
    /// WeChat's numeric status or errcode.
    pub status_code: Option<i64>,
    /// What the status means.
    pub status_text: String,
    /// Whether the task has ended.
    pub finished: bool,
    /// The link the registering person opens, when WeChat gave one.
    pub authorize_url: Option<String>,
    /// The new mini program.
    pub new_appid: Option<String>,
    /// Result details (push contents, authorization outcome).
    pub result: Option<Value>,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds.
    pub updated_at: i64,
}

fn personal_text(code: i64) -> &'static str {
    match code {
        0 => "task created; the person must open the link in WeChat",
        1 => "the task timed out",
        2 => "the person rejected the task",
        3 => "the person agreed",
        4 => "face verification started",
        5 => "face verification failed",
        6 => "face verification succeeded",
        7 => "phone number submitted, SMS sent",
        8 => "phone verification failed",
        9 => "phone verification succeeded",
        11 => "creating the mini program failed",
        12 => "the mini program was created; its authorization arrives by push",
        _ => "status not documented",
    }
}

fn enterprise_failure_text(code: i64) -> &'static str {
    match code {
        -1 => "enterprise and legal-person name inconsistent",
        100_001 => "the legal person did not confirm within 24 h (ID check not done)",
        100_002 => "the legal person did not confirm within 24 h (face check not done)",
        100_003 => "the legal person did not confirm within 24 h",
        101 => "business registry: enterprise cancelled",
        102 => "business registry: enterprise not found or not updated",
        103 => "business registry: legal representative name mismatch",
        104 => "business registry: legal representative ID number mismatch",
        105 => {
            "legal representative ID not yet updated in the registry; retry in 5-15 working days"
        }
        1000 => "business registry: enterprise or legal representative mismatch",
        1001 => "the entity reached its mini-program quota",
        1002 => "the entity is blacklisted",
        1003 => "the admin reached the bound-account limit",
        1004 => "the admin is blacklisted",
        1005 => "the admin's phone reached the bound-account limit",
        1006 => "the admin's phone is blacklisted",
        1007 => "the admin's ID card reached the account-creation limit",
        1008 => "the admin's ID card is blacklisted",
        _ => "registration failed",
    }
}

fn describe(kind: TaskKind, status: TaskStatus, code: Option<i64>) -> String {
    match status {
        TaskStatus::Created => match kind {
            TaskKind::Enterprise => "task accepted; WeChat sent the legal person a template message (face check within 24 h)".into(),
            TaskKind::Beta => "request accepted; the future admin must open the link in WeChat and confirm".into(),
            _ => personal_text(code.unwrap_or(0)).into(),
        },
        TaskStatus::WaitingForLegalPerson => "waiting for the legal person's face verification".into(),
        TaskStatus::FrontChecking => "legal person and enterprise consistency check in progress".into(),
        TaskStatus::NotFound => "WeChat knows no running task with these details".into(),
        TaskStatus::InProgress => personal_text(code.unwrap_or(-1)).into(),
        TaskStatus::Succeeded => "the mini program was created and authorized to the platform".into(),
        TaskStatus::Registered => {
            "the mini program was created, but exchanging its authorization code failed; run `wxdesk authorizer sync`".into()
        }
        TaskStatus::Failed => match (kind, code) {
            (TaskKind::Personal, Some(c)) if PERSONAL_FAILURES.contains(&c) => personal_text(c).into(),
            (_, Some(c)) => enterprise_failure_text(c).into(),
            _ => "registration failed".into(),
        },
    }
}

impl TaskView {
    /// The view of a stored task.
    pub fn from_row(r: TaskRow) -> TaskView {
        let personal_done = r.kind == TaskKind::Personal
            && r.status_code
                .is_some_and(|c| PERSONAL_FAILURES.contains(&c));
        TaskView {
            status_text: describe(r.kind, r.status, r.status_code),
            finished: r.status.is_final() || personal_done,
            id: r.id,
            component_appid: r.component_appid,
            kind: r.kind,
            task_key: r.task_key,
            request: r.request,
            status: r.status,
            status_code: r.status_code,
            authorize_url: r.authorize_url,
            new_appid: r.new_appid,
            result: r.result,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The word for a personal task status code.
pub(super) fn personal_status(code: i64) -> TaskStatus {
    match code {
        0 => TaskStatus::Created,
        c if PERSONAL_FAILURES.contains(&c) => TaskStatus::Failed,
        _ => TaskStatus::InProgress,
    }
}
