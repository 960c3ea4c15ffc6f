//! How results and failures are printed.
//!
//! One [`Output`] decides between human text and machine JSON, and one
//! [`CliError`] carries the core's [`ErrorBody`]: the same `{code, message,
//! hint?, hint_zh?, errcode?}` the UI receives, so the hints live once, in
//! the core. With `--json` a failure prints `{"error": ErrorBody + kind}`:
//! `kind` repeats `code` for one release so that older scripts keep working.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use serde_json::Value;
use wxdesk_core::{ErrorBody, ErrorCode};
use wxdesk_wechat::CryptoError;

/// Where and how output goes.
pub struct Output {
    /// `--json` was given.
    pub json: bool,
}

/// A failure as the CLI reports it: the core's error body.
#[derive(Debug, Clone)]
pub struct CliError {
    /// The boundary shape (code, message, hints, errcode).
    pub body: ErrorBody,
}

/// The JSON printed under `error`: the body plus the deprecated `kind` alias.
#[derive(Serialize)]
struct JsonError<'a> {
    #[serde(flatten)]
    body: &'a ErrorBody,
    /// Deprecated alias of `code`, kept for one release.
    kind: ErrorCode,
}

impl CliError {
    /// A failure of the given code, without a hint.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CliError {
            body: ErrorBody::new(code, message),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.body.code
    }

    /// A failure naming a bad flag or field.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        wxdesk_core::Error::invalid(field, reason).into()
    }

    /// A failure with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.body.hint = Some(hint.into());
        self
    }

    /// A usage error detected after parsing (a flag combination clap cannot express).
    pub fn missing(message: impl Into<String>, hint: impl Into<String>) -> Self {
        CliError::new(ErrorCode::MissingArgument, message).with_hint(hint)
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
        let code = match kind {
            clap::error::ErrorKind::MissingRequiredArgument => ErrorCode::MissingArgument,
            _ => ErrorCode::Usage,
        };
        let mut e = CliError::new(code, first);
        e.body.hint = hint;
        e
    }
}

/// Reads and writes the body's fields directly (`e.message`, `e.hint`).
impl std::ops::Deref for CliError {
    type Target = ErrorBody;
    fn deref(&self) -> &ErrorBody {
        &self.body
    }
}

impl std::ops::DerefMut for CliError {
    fn deref_mut(&mut self) -> &mut ErrorBody {
        &mut self.body
    }
}

impl From<wxdesk_core::Error> for CliError {
    fn from(e: wxdesk_core::Error) -> Self {
        CliError { body: e.body() }
    }
}

impl From<wxdesk_wechat::Error> for CliError {
    fn from(e: wxdesk_wechat::Error) -> Self {
        wxdesk_core::Error::Wechat(e).into()
    }
}

impl From<CryptoError> for CliError {
    fn from(e: CryptoError) -> Self {
        wxdesk_wechat::Error::Crypto(e).into()
    }
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
                CliError::new(
                    ErrorCode::Internal,
                    format!("could not serialize the result: {e}"),
                )
            })?;
            self.success(&v, "");
        } else {
            self.success(&Value::Null, text);
        }
        Ok(())
    }

    /// Prints a failure and returns the exit code.
    pub fn fail(&self, e: &CliError) -> ExitCode {
        let b = &e.body;
        let line = match &b.hint {
            Some(h) => format!("error: {} (hint: {h})", b.message),
            None => format!("error: {}", b.message),
        };
        eprintln!("{}", line.replace('\n', " "));
        if self.json {
            let v = serde_json::json!({ "error": JsonError { body: b, kind: b.code } });
            println!("{}", serde_json::to_string(&v).unwrap_or_default());
        }
        match e.code() {
            ErrorCode::Usage | ErrorCode::MissingArgument => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}
