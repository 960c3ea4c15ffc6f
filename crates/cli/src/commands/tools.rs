//! `qr` and `errcode`: the small tools.

use serde_json::json;
use wxdesk_wechat::catalogue::explain;
use wxdesk_wechat::qr::{qr_png, qr_svg, EcLevel, QrOptions};

use crate::cli::{EcArg, ErrcodeArgs, QrArgs};
use crate::output::{CliError, Output};

/// `qr --text T --out FILE.png|FILE.svg`.
pub fn qr(a: QrArgs, out: &Output) -> Result<(), CliError> {
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let opts = QrOptions {
        size_px: a.size,
        margin: a.margin,
        ec: match a.ec {
            EcArg::L => EcLevel::L,
            EcArg::M => EcLevel::M,
            EcArg::Q => EcLevel::Q,
            EcArg::H => EcLevel::H,
        },
    };
    let bytes = match ext.as_str() {
        "png" => qr_png(&a.text, &opts)?,
        "svg" => qr_svg(&a.text, &opts)?.into_bytes(),
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
    std::fs::write(&a.out, &bytes).map_err(|e| {
        CliError::invalid("--out", format!("cannot write {}: {e}", a.out.display()))
    })?;
    let path = a.out.display().to_string();
    out.success(
        &json!({ "path": path, "format": ext, "bytes": bytes.len() }),
        &format!("wrote {path} ({} bytes)", bytes.len()),
    );
    Ok(())
}

/// `errcode N`.
pub fn errcode(a: ErrcodeArgs, out: &Output) -> Result<(), CliError> {
    let x = explain(a.code, a.errmsg.as_deref());
    let mut v =
        json!({ "errcode": x.errcode, "zh": x.zh, "en": x.en, "hint": x.hint, "known": x.known });
    if let Some(ip) = &x.caller_ip {
        v["caller_ip"] = json!(ip);
    }
    let text = format!(
        "{}{}\n  中文: {}\n  English: {}\n  Fix: {}",
        x.errcode,
        if x.known { "" } else { " (unknown code)" },
        x.zh,
        x.en,
        x.hint
    );
    out.success(&v, &text);
    Ok(())
}
