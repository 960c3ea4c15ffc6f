//! The stateless tools of the UI: push and data decryption with explicit
//! keys, signatures, QR codes and errcode lookup. They store nothing and call
//! nothing; they exist so an operator can check what WeChat really sent
//! without pasting secrets into a website.

use crate::ops::wire::QrFormat;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;
use wxdesk_wechat::catalogue;
use wxdesk_wechat::crypto::open_data::decrypt_open_data;
use wxdesk_wechat::crypto::push::{PushCrypto, PushQuery};
use wxdesk_wechat::crypto::signature::{raw_data_signature, session_signature};
use wxdesk_wechat::push_message::parse_message;
use wxdesk_wechat::qr::{qr_png, qr_svg, EcLevel, QrOptions};

use super::args::*;
use crate::error::{Error, Result};
use crate::services::login::RepairView;

/// A decrypted push.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DecryptedPushView {
    /// The appid the push was encrypted for (verified).
    pub appid: String,
    /// `InfoType`, when the message is XML that has one.
    pub info_type: Option<String>,
    /// Every element by tag name (nested elements as objects).
    #[ts(type = "Record<string, unknown>")]
    pub fields: Map<String, Value>,
    /// The decrypted message.
    pub xml: String,
    /// What was repaired in pasted input.
    pub repairs: Vec<RepairView>,
}

/// An encrypted push, ready to POST.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct EncryptedPushView {
    /// The Encrypt value.
    pub encrypt: String,
    /// Its msg_signature.
    pub msg_signature: String,
    /// The XML envelope.
    pub xml: String,
    /// The query string WeChat would send with it.
    pub query: String,
}

/// Decrypted open data.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct DecryptedDataView {
    /// The plaintext as JSON.
    #[ts(type = "unknown")]
    pub json: Value,
    /// The watermark appid.
    pub watermark_appid: Option<String>,
    /// True when an expected appid was given and matched.
    pub watermark_checked: bool,
    /// What was repaired in pasted input.
    pub repairs: Vec<RepairView>,
}

/// A signature.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SignatureView {
    /// Lowercase hex.
    pub signature: String,
}

/// A rendered QR code.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct QrView {
    /// `image/svg+xml` or `image/png`.
    pub mime: String,
    /// The image, base64.
    pub data_base64: String,
    /// The SVG text, for SVG.
    pub svg: Option<String>,
}

/// An errcode explained: the catalogue's own [`catalogue::Explanation`].
pub use wxdesk_wechat::catalogue::Explanation as ErrcodeView;

fn repairs(list: &[wxdesk_wechat::crypto::repair::Repair]) -> Vec<RepairView> {
    list.iter()
        .map(|r| RepairView {
            field: r.field.to_string(),
            what: r.what.clone(),
        })
        .collect()
}

/// `tool_decrypt_push`.
pub fn decrypt_push(a: ToolDecryptPushArgs) -> Result<DecryptedPushView> {
    let query = PushQuery::parse(&a.query)?;
    let crypto =
        PushCrypto::new(&a.token, &a.aes_key, &a.appid).map_err(wxdesk_wechat::Error::from)?;
    let opened = crypto
        .open(&query, &a.body)
        .map_err(wxdesk_wechat::Error::from)?;
    let msg = parse_message(&opened.message).map_err(wxdesk_wechat::Error::from)?;
    Ok(DecryptedPushView {
        appid: a.appid,
        info_type: msg.info_type,
        fields: msg.fields,
        xml: opened.message,
        repairs: repairs(&opened.repairs),
    })
}

/// `tool_encrypt_push`.
pub fn encrypt_push(a: ToolEncryptPushArgs) -> Result<EncryptedPushView> {
    let crypto =
        PushCrypto::new(&a.token, &a.aes_key, &a.appid).map_err(wxdesk_wechat::Error::from)?;
    let random = match &a.random {
        None => None,
        Some(r) => Some(<[u8; 16]>::try_from(r.as_bytes()).map_err(|_| {
            Error::invalid(
                "random",
                format!("must be exactly 16 characters (bytes); got {}", r.len()),
            )
        })?),
    };
    let sealed = crypto.seal(a.message.as_bytes(), &a.timestamp, &a.nonce, random);
    let query = PushQuery {
        timestamp: a.timestamp.clone(),
        nonce: a.nonce.clone(),
        msg_signature: sealed.msg_signature.clone(),
        signature: Some(wxdesk_wechat::crypto::push::plain_signature(
            &a.token,
            &a.timestamp,
            &a.nonce,
        )),
        encrypt_type: Some("aes".into()),
    };
    Ok(EncryptedPushView {
        encrypt: sealed.encrypt,
        msg_signature: sealed.msg_signature,
        xml: sealed.xml,
        query: query.to_query_string(),
    })
}

/// `tool_decrypt_data`.
pub fn decrypt_data(a: ToolDecryptDataArgs) -> Result<DecryptedDataView> {
    let d = decrypt_open_data(&a.session_key, &a.iv, &a.data, a.appid.as_deref())
        .map_err(wxdesk_wechat::Error::from)?;
    Ok(DecryptedDataView {
        json: d.json,
        watermark_appid: d.watermark_appid,
        watermark_checked: a.appid.is_some(),
        repairs: repairs(&d.repairs),
    })
}

/// `tool_sign_raw_data`.
pub fn sign_raw_data(a: ToolSignRawDataArgs) -> Result<SignatureView> {
    if a.session_key.is_empty() {
        return Err(Error::invalid(
            "session_key",
            "paste the session_key returned by jscode2session",
        ));
    }
    Ok(SignatureView {
        signature: raw_data_signature(&a.raw_data, &a.session_key),
    })
}

/// `tool_sign_session`.
pub fn sign_session(a: ToolSignSessionArgs) -> Result<SignatureView> {
    if a.session_key.is_empty() {
        return Err(Error::invalid(
            "session_key",
            "paste the session_key returned by jscode2session",
        ));
    }
    Ok(SignatureView {
        signature: session_signature(&a.session_key, &a.message),
    })
}

/// `qr`.
pub fn qr(a: QrArgs) -> Result<QrView> {
    let ec: EcLevel = a.ec.unwrap_or_default().into();
    let opts = QrOptions {
        size_px: a.size.unwrap_or(512),
        margin: a.margin.unwrap_or(4),
        ec,
    };
    match a.format.unwrap_or_default() {
        QrFormat::Svg => {
            let svg = qr_svg(&a.text, &opts)?;
            Ok(QrView {
                mime: "image/svg+xml".into(),
                data_base64: B64.encode(svg.as_bytes()),
                svg: Some(svg),
            })
        }
        QrFormat::Png => Ok(QrView {
            mime: "image/png".into(),
            data_base64: B64.encode(qr_png(&a.text, &opts)?),
            svg: None,
        }),
    }
}

/// `errcode_explain`.
pub fn errcode(a: ErrcodeArgs) -> ErrcodeView {
    catalogue::explain(a.errcode, a.errmsg.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errcode_view_carries_the_chinese_fix_with_the_caller_ip() {
        let v = errcode(ErrcodeArgs {
            errcode: 61004,
            errmsg: Some("access clientip is not registered requestIP: 203.0.113.77".into()),
        });
        assert!(v.known);
        assert_eq!(v.caller_ip.as_deref(), Some("203.0.113.77"));
        assert!(v.hint.contains("203.0.113.77"), "{}", v.hint);
        assert!(v.hint_zh.contains("203.0.113.77"), "{}", v.hint_zh);
        assert!(v.hint_zh.contains("白名单IP"), "{}", v.hint_zh);
        assert_ne!(v.hint, v.hint_zh);
    }
}
