//! `decrypt`, `encrypt` and `sign`: the crypto tools.

use serde_json::json;
use wxdesk_wechat::crypto::open_data::decrypt_open_data;
use wxdesk_wechat::crypto::push::{PushCrypto, PushQuery};
use wxdesk_wechat::crypto::signature::{raw_data_signature, session_signature};
use wxdesk_wechat::push_message::parse_message;

use super::read_body;
use crate::cli::{DecryptCommand, EncryptCommand, SignCommand};
use crate::output::{CliError, Output};

/// `decrypt data|push`.
pub fn decrypt(cmd: DecryptCommand, out: &Output) -> Result<(), CliError> {
    match cmd {
        DecryptCommand::Data(a) => {
            let key = a.session_key.as_deref().ok_or_else(|| {
                CliError::missing(
                    "the following required arguments were not provided: --session-key <SESSION_KEY>",
                    "Usage: wxdesk decrypt data (--session-key KEY | --appid A --openid O) --iv IV --data D",
                )
            })?;
            let d = decrypt_open_data(key, &a.iv, &a.data, a.appid.as_deref())?;
            for r in &d.repairs {
                out.note(&format!("{}: {}", r.field, r.what));
            }
            let pretty =
                serde_json::to_string_pretty(&d.json).unwrap_or_else(|_| d.plaintext.clone());
            out.success(&d.json, &pretty);
            Ok(())
        }
        DecryptCommand::Push(a) => {
            let query = match &a.query {
                Some(q) => PushQuery::parse(q)?,
                None => PushQuery {
                    timestamp: a.timestamp.clone().unwrap_or_default(),
                    nonce: a.nonce.clone().unwrap_or_default(),
                    msg_signature: a.msg_signature.clone().unwrap_or_default(),
                    signature: None,
                    encrypt_type: Some("aes".into()),
                },
            };
            let body = read_body("--body", a.body.as_deref())?;
            let crypto = PushCrypto::new(&a.token, &a.aes_key, &a.appid)?;
            let opened = crypto.open(&query, &body)?;
            for r in &opened.repairs {
                out.note(&format!("{}: {}", r.field, r.what));
            }
            let msg = parse_message(&opened.message)?;
            let v = json!({
                "appid": a.appid,
                "info_type": msg.info_type,
                "fields": msg.fields,
                "xml": opened.message,
            });
            out.success(&v, &opened.message);
            Ok(())
        }
    }
}

/// `encrypt push`.
pub fn encrypt(cmd: EncryptCommand, out: &Output) -> Result<(), CliError> {
    let EncryptCommand::Push(a) = cmd;
    let random = match &a.random {
        None => None,
        Some(r) => {
            let bytes = r.as_bytes();
            let arr: [u8; 16] = bytes.try_into().map_err(|_| {
                CliError::invalid(
                    "--random",
                    format!("must be exactly 16 characters (bytes); got {}", bytes.len()),
                )
            })?;
            Some(arr)
        }
    };
    let msg = read_body("--body", a.body.as_deref())?;
    let crypto = PushCrypto::new(&a.token, &a.aes_key, &a.appid)?;
    let sealed = crypto.seal(msg.as_bytes(), &a.timestamp, &a.nonce, random);
    let v = json!({ "encrypt": sealed.encrypt, "msg_signature": sealed.msg_signature, "xml": sealed.xml });
    let text = format!(
        "{}\n\nquery: timestamp={}&nonce={}&encrypt_type=aes&msg_signature={}",
        sealed.xml, a.timestamp, a.nonce, sealed.msg_signature
    );
    out.success(&v, &text);
    Ok(())
}

/// `sign raw-data|session`.
pub fn sign(cmd: SignCommand, out: &Output) -> Result<(), CliError> {
    let sig = match cmd {
        SignCommand::RawData(a) => {
            if a.session_key.is_empty() {
                return Err(CliError::invalid("--session-key", "must not be empty"));
            }
            raw_data_signature(&a.raw_data, &a.session_key)
        }
        SignCommand::Session(a) => {
            if a.session_key.is_empty() {
                return Err(CliError::invalid("--session-key", "must not be empty"));
            }
            session_signature(&a.session_key, &a.message)
        }
    };
    out.success(&json!({ "signature": sig }), &sig);
    Ok(())
}
