//! `decrypt`, `encrypt`, `sign`, `qr` and `errcode`: the stateless tools.
//!
//! Each maps its flags to the argument type of a `tool_*`, `qr` or
//! `errcode_explain` operation and runs the function behind it
//! (`wxdesk_core::ops::tools`): no database is opened, nothing is called.
//! What remains here is the shell: reading a body from a file or stdin,
//! writing the QR image to a file, and the text rendering.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::json;
use wxdesk_core::ops::args::{
    ErrcodeArgs, QrArgs, ToolDecryptDataArgs, ToolDecryptPushArgs, ToolEncryptPushArgs,
    ToolSignRawDataArgs, ToolSignSessionArgs,
};
use wxdesk_core::ops::tools;
use wxdesk_core::ops::wire::{QrEc, QrFormat};
use wxdesk_core::services::login::RepairView;
use wxdesk_wechat::crypto::push::PushQuery;

use super::read_body;
use crate::cli::{self, DecryptCommand, EcArg, EncryptCommand, SignCommand};
use crate::output::{CliError, Output};

/// Repairs of pasted input, as notes on stderr.
fn note_repairs(out: &Output, repairs: &[RepairView]) {
    for r in repairs {
        out.note(&format!("{}: {}", r.field, r.what));
    }
}

/// The operations name fields (`session_key`); the command line names flags.
fn flag_error(e: wxdesk_core::Error) -> CliError {
    match e {
        wxdesk_core::Error::Invalid { field, reason } => {
            CliError::invalid(&format!("--{}", field.replace('_', "-")), reason)
        }
        other => other.into(),
    }
}

/// `decrypt data --session-key …|push`.
pub fn decrypt(cmd: DecryptCommand, out: &Output) -> Result<(), CliError> {
    match cmd {
        DecryptCommand::Data(a) => {
            let key = a.session_key.ok_or_else(|| {
                CliError::missing(
                    "the following required arguments were not provided: --session-key <SESSION_KEY>",
                    "Usage: wxdesk decrypt data (--session-key KEY | --appid A --openid O) --iv IV --data D",
                )
            })?;
            let v = tools::decrypt_data(ToolDecryptDataArgs {
                session_key: key,
                iv: a.iv,
                data: a.data,
                appid: a.appid,
            })
            .map_err(flag_error)?;
            note_repairs(out, &v.repairs);
            let pretty = serde_json::to_string_pretty(&v.json).unwrap_or_default();
            out.view(&v, &pretty)
        }
        DecryptCommand::Push(a) => {
            let query = match a.query {
                Some(q) => q,
                None => PushQuery {
                    timestamp: a.timestamp.unwrap_or_default(),
                    nonce: a.nonce.unwrap_or_default(),
                    msg_signature: a.msg_signature.unwrap_or_default(),
                    signature: None,
                    encrypt_type: Some("aes".into()),
                }
                .to_query_string(),
            };
            let body = read_body("--body", a.body.as_deref())?;
            let v = tools::decrypt_push(ToolDecryptPushArgs {
                token: a.token,
                aes_key: a.aes_key,
                appid: a.appid,
                query,
                body,
            })
            .map_err(flag_error)?;
            note_repairs(out, &v.repairs);
            out.view(&v, &v.xml)
        }
    }
}

/// `encrypt push`.
pub fn encrypt(cmd: EncryptCommand, out: &Output) -> Result<(), CliError> {
    let EncryptCommand::Push(a) = cmd;
    if let Some(r) = &a.random {
        if r.len() != 16 {
            return Err(CliError::invalid(
                "--random",
                format!("must be exactly 16 characters (bytes); got {}", r.len()),
            ));
        }
    }
    let message = read_body("--body", a.body.as_deref())?;
    let v = tools::encrypt_push(ToolEncryptPushArgs {
        token: a.token,
        aes_key: a.aes_key,
        appid: a.appid,
        timestamp: a.timestamp,
        nonce: a.nonce,
        message,
        random: a.random,
    })
    .map_err(flag_error)?;
    let text = format!("{}\n\nquery: {}", v.xml, v.query);
    out.view(&v, &text)
}

/// `sign raw-data|session`.
pub fn sign(cmd: SignCommand, out: &Output) -> Result<(), CliError> {
    let v = match cmd {
        SignCommand::RawData(a) => tools::sign_raw_data(ToolSignRawDataArgs {
            session_key: a.session_key,
            raw_data: a.raw_data,
        }),
        SignCommand::Session(a) => tools::sign_session(ToolSignSessionArgs {
            session_key: a.session_key,
            message: a.message,
        }),
    }
    .map_err(flag_error)?;
    out.view(&v, &v.signature)
}

/// `qr --text T --out FILE.png|FILE.svg`: the `qr` operation, written to a file.
pub fn qr(a: cli::QrArgs, out: &Output) -> Result<(), CliError> {
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "png" => QrFormat::Png,
        "svg" => QrFormat::Svg,
        _ => {
            return Err(CliError::invalid(
                "--out",
                format!(
                    "{} must end in .png or .svg (the extension picks the format)",
                    a.out.display()
                ),
            ))
        }
    };
    let v = tools::qr(QrArgs {
        text: a.text,
        size: Some(a.size),
        margin: Some(a.margin),
        ec: Some(match a.ec {
            EcArg::L => QrEc::L,
            EcArg::M => QrEc::M,
            EcArg::Q => QrEc::Q,
            EcArg::H => QrEc::H,
        }),
        format: Some(format),
    })
    .map_err(flag_error)?;
    let bytes = B64
        .decode(&v.data_base64)
        .map_err(|e| CliError::new(wxdesk_core::ErrorCode::Internal, e.to_string()))?;
    std::fs::write(&a.out, &bytes).map_err(|e| {
        CliError::invalid("--out", format!("cannot write {}: {e}", a.out.display()))
    })?;
    let path = a.out.display().to_string();
    // The image went to the file: the JSON says where (the op's base64 would
    // only repeat the file).
    out.success(
        &json!({ "path": path, "format": ext, "mime": v.mime, "bytes": bytes.len() }),
        &format!("wrote {path} ({} bytes)", bytes.len()),
    );
    Ok(())
}

/// `errcode N [--errmsg M]`: the `errcode_explain` operation.
pub fn errcode(a: cli::ErrcodeArgs, out: &Output) -> Result<(), CliError> {
    let x = tools::errcode(ErrcodeArgs {
        errcode: a.code,
        errmsg: a.errmsg,
    });
    let text = format!(
        "{}{}\n  中文: {}\n  English: {}\n  Fix: {}\n  修复: {}",
        x.errcode,
        if x.known { "" } else { " (unknown code)" },
        x.zh,
        x.en,
        x.hint,
        x.hint_zh
    );
    out.view(&x, &text)
}
