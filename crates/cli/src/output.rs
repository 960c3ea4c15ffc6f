//! How results and failures are printed.
//!
//! One [`Output`] decides between human text and machine JSON, and one
//! [`CliError`] carries what a failure needs: a stable `kind`, the WeChat
//! `errcode` when there is one, a message that names the field or the cause,
//! and a hint from the error catalogue.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;
use wxdesk_wechat::catalogue;
use wxdesk_wechat::{CryptoError, Error};

/// Where and how output goes.
pub struct Output {
    /// `--json` was given.
    pub json: bool,
}

/// A failure as the CLI reports it.
#[derive(Debug, Clone, Serialize)]
pub struct CliError {
    /// Stable machine-readable kind (`invalid_input`, `api`, `watermark_mismatch`, …).
    pub kind: String,
    /// WeChat errcode, when WeChat answered with one.
    pub errcode: Option<i64>,
    /// One clear line.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl CliError {
    /// A failure of the given kind.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        CliError {
            kind: kind.to_string(),
            errcode: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A failure naming a bad flag or field.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::invalid(field, reason).into()
    }

    /// A failure with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A usage error detected after parsing (a flag combination clap cannot express).
    pub fn missing(message: impl Into<String>, hint: impl Into<String>) -> Self {
        CliError {
            kind: "missing_argument".into(),
            errcode: None,
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// A command-line usage error from clap.
    pub fn usage(kind: clap::error::ErrorKind, rendered: String) -> Self {
        // clap's first paragraph may span lines ("required arguments were not
        // provided:" followed by the flags); fold it into one line.
        let first = rendered
            .split("\n\n")
            .next()
            .unwrap_or("invalid command line")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .trim_start_matches("error: ")
            .to_string();
        let hint = rendered
            .lines()
            .find(|l| l.trim_start().starts_with("Usage:"))
            .map(|l| format!("{}; run with --help for every option", l.trim()));
        CliError {
            kind: match kind {
                clap::error::ErrorKind::MissingRequiredArgument => "missing_argument",
                _ => "usage",
            }
            .to_string(),
            errcode: None,
            message: first,
            hint,
        }
    }
}

impl From<Error> for CliError {
    fn from(e: Error) -> Self {
        let message = e.to_string();
        let (errcode, hint) = match &e {
            Error::Api { errcode, errmsg, .. } => {
                let x = catalogue::explain(*errcode, Some(errmsg));
                (Some(*errcode), Some(x.hint))
            }
            Error::Connect { .. } => (None, Some("check the API base (--api-base) and your network; nothing reached WeChat".to_string())),
            Error::Timeout { .. } => (None, Some("WeChat did not answer in time; the request may or may not have been processed, so check before repeating a single-use code".to_string())),
            Error::Transport { .. } => (None, Some("the connection broke after the request was sent; check before repeating anything single-use".to_string())),
            Error::Http { status, .. } => (None, Some(format!("HTTP {status} comes from a gateway, not from WeChat's API; check --api-base and any proxy"))),
            Error::Decode { .. } => (None, Some("the answer was not the JSON WeChat sends; check that --api-base points at WeChat or the sandbox".to_string())),
            Error::InvalidInput { .. } => (None, None),
            Error::Crypto(c) => (None, crypto_hint(c)),
        };
        CliError {
            kind: e.kind().to_string(),
            errcode,
            message,
            hint,
        }
    }
}

impl From<wxdesk_core::Error> for CliError {
    fn from(e: wxdesk_core::Error) -> Self {
        let body = e.body();
        CliError {
            kind: body.code,
            errcode: body.errcode,
            message: body.message,
            hint: body.hint,
        }
    }
}

impl From<CryptoError> for CliError {
    fn from(e: CryptoError) -> Self {
        Error::Crypto(e).into()
    }
}

fn crypto_hint(e: &CryptoError) -> Option<String> {
    Some(
        match e {
            CryptoError::Padding => "use the session_key of the login that produced this data: a newer wx.login rotates it",
            CryptoError::WatermarkMismatch { .. } => "the data belongs to another mini program; check --appid and which app the client runs",
            CryptoError::SignatureMismatch => "check the message token and that timestamp, nonce and msg_signature come from the same push",
            CryptoError::AppidMismatch { .. } => "pass the third-party platform's AppID (component appid) as --appid",
            CryptoError::Base64 { .. } => "paste the value exactly as received; wxdesk repairs spaces and URL-encoding but not other damage",
            _ => return None,
        }
        .to_string(),
    )
}

impl Output {
    /// An output in JSON or text mode.
    pub fn new(json: bool) -> Self {
        Output { json }
    }

    /// Prints a success: `value` as one JSON object in JSON mode, `text` otherwise.
    pub fn success(&self, value: &Value, text: &str) {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
            );
        } else if !text.is_empty() {
            let _ = writeln!(stdout, "{}", text.trim_end_matches('\n'));
        }
    }

    /// Prints a note for humans on stderr (never part of the JSON).
    pub fn note(&self, text: &str) {
        eprintln!("note: {text}");
    }

    /// Prints a warning for humans on stderr (never part of the JSON).
    pub fn warn(&self, text: &str) {
        eprintln!("warning: {}", text.replace('\n', " "));
    }

    /// Prints a serializable view: as JSON with `--json`, else `text`.
    pub fn view<T: Serialize>(&self, value: &T, text: &str) -> Result<(), CliError> {
        if self.json {
            let v = serde_json::to_value(value).map_err(|e| {
                CliError::new("internal", format!("could not serialize the result: {e}"))
            })?;
            self.success(&v, "");
        } else {
            self.success(&Value::Null, text);
        }
        Ok(())
    }

    /// Prints a failure and returns the exit code.
    pub fn fail(&self, e: &CliError) -> ExitCode {
        let line = match &e.hint {
            Some(h) => format!("error: {} (hint: {h})", e.message),
            None => format!("error: {}", e.message),
        };
        eprintln!("{}", line.replace('\n', " "));
        if self.json {
            let v = serde_json::json!({ "error": e });
            println!("{}", serde_json::to_string(&v).unwrap_or_default());
        }
        if e.kind == "usage" || e.kind == "missing_argument" {
            ExitCode::from(2)
        } else {
            ExitCode::from(1)
        }
    }
}
