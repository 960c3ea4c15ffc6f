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
