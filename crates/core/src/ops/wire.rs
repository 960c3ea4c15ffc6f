//! The closed sets of values that operations take as arguments.
//!
//! They used to travel as strings that each handler matched by hand (and the
//! UI typed by hand); as enums, serde refuses a wrong value naming the field
//! (see `parse_args`), handlers match exhaustively, and ts-rs exports each
//! one as a string union the UI imports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// UI languages (`settings_set_language`). (`Default` only serves the
/// argument structs' derive; the field is required on the wire.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub enum Language {
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
}

impl Language {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }
}

/// UI themes (`settings_set_theme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Light.
    Light,
    /// Dark.
    Dark,
    /// Follow the system.
    #[default]
    System,
}

impl Theme {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }
}

/// Which authorization page (`auth_link.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuthLinkKind {
    /// The PC page: the merchant scans a QR code.
    #[default]
    Pc,
    /// The H5 page, opened inside WeChat.
    H5,
}

impl From<AuthLinkKind> for wxdesk_wechat::links::AuthLinkKind {
    fn from(k: AuthLinkKind) -> Self {
        match k {
            AuthLinkKind::Pc => wxdesk_wechat::links::AuthLinkKind::Pc,
            AuthLinkKind::H5 => wxdesk_wechat::links::AuthLinkKind::H5,
        }
    }
}

/// Account types of authorizers (`authorizer_list.account_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    /// A mini program.
    MiniProgram,
    /// An Official Account.
    OfficialAccount,
    /// Not known yet (the profile was never fetched).
    Unknown,
}

impl AccountType {
    /// The stored string.
    pub fn as_str(self) -> &'static str {
        match self {
            AccountType::MiniProgram => "mini_program",
            AccountType::OfficialAccount => "official_account",
            AccountType::Unknown => "unknown",
        }
    }
}

/// QR image formats (`qr.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum QrFormat {
    /// SVG text (the default).
    #[default]
    Svg,
    /// PNG, base64.
    Png,
}

/// QR error-correction levels (`qr.ec`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub enum QrEc {
    /// ~7 %.
    #[serde(alias = "l")]
    L,
    /// ~15 % (the default).
    #[default]
    #[serde(alias = "m")]
    M,
    /// ~25 %.
    #[serde(alias = "q")]
    Q,
    /// ~30 %.
    #[serde(alias = "h")]
    H,
}

impl From<QrEc> for wxdesk_wechat::qr::EcLevel {
    fn from(e: QrEc) -> Self {
        match e {
            QrEc::L => wxdesk_wechat::qr::EcLevel::L,
            QrEc::M => wxdesk_wechat::qr::EcLevel::M,
            QrEc::Q => wxdesk_wechat::qr::EcLevel::Q,
            QrEc::H => wxdesk_wechat::qr::EcLevel::H,
        }
    }
}

/// Status of a fast-registration task (`TaskView.status`, the
/// `fastregister_tasks.status` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// WeChat accepted the task; the registering person has not finished yet.
    Created,
    /// Enterprise: waiting for the legal person's face verification (89251).
    WaitingForLegalPerson,
    /// Enterprise: consistency check of legal person and enterprise (89252).
    FrontChecking,
    /// Enterprise: WeChat knows no running task with these details (89250).
    NotFound,
    /// Personal: an intermediate step of the task (see the status code).
    InProgress,
    /// The mini program exists and is authorized to the platform.
    Succeeded,
    /// The mini program exists, but exchanging its authorization code failed.
    Registered,
    /// The registration ended without a mini program (see the status code).
    Failed,
}

impl TaskStatus {
    /// Every status, in the order a task can move through them.
    pub const ALL: [TaskStatus; 8] = [
        TaskStatus::Created,
        TaskStatus::WaitingForLegalPerson,
        TaskStatus::FrontChecking,
        TaskStatus::NotFound,
        TaskStatus::InProgress,
        TaskStatus::Succeeded,
        TaskStatus::Registered,
        TaskStatus::Failed,
    ];

    /// The stored string (the same as on the wire).
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Created => "created",
            TaskStatus::WaitingForLegalPerson => "waiting_for_legal_person",
            TaskStatus::FrontChecking => "front_checking",
            TaskStatus::NotFound => "not_found",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Registered => "registered",
            TaskStatus::Failed => "failed",
        }
    }

    /// The status of a stored string; `None` for a word no version wrote.
    pub fn parse(s: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether searches and queries no longer change a task in this status.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            TaskStatus::Succeeded | TaskStatus::Registered | TaskStatus::Failed
        )
    }
}

impl std::fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
