//! Decryption of mini program open data (`encryptedData`).
//!
//! `wx.getUserInfo`, `wx.getWeRunData`, share tickets and friends give the
//! client an `encryptedData` + `iv` pair that only the server can open, with
//! the user's `session_key` (AES-128-CBC, PKCS#7). The plaintext is JSON with a
//! `watermark.appid` that the server must compare with its own appid, or data
//! produced for another mini program would be accepted (§1.1).
//!
//! Everything a user can get wrong is checked separately and named: key and
//! IV length, ciphertext length, padding (the usual symptom of a stale
//! session_key), UTF-8/JSON and the watermark. Pasted values are repaired
//! first (see [`super::repair`]) and the repairs are reported.

use super::{decode_repaired, pad_pkcs7, strip_pkcs7, Repair};
use crate::error::CryptoError;
use aes::Aes128;
use base64::Engine as _;
use cbc::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use serde::Serialize;
use serde_json::Value;

/// The result of [`decrypt_open_data`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecryptedOpenData {
    /// The decrypted text, exactly as WeChat encrypted it.
    pub plaintext: String,
    /// The plaintext parsed as JSON.
    pub json: Value,
    /// `watermark.appid`, when present.
    pub watermark_appid: Option<String>,
    /// `watermark.timestamp` (Unix seconds), when present.
    pub watermark_timestamp: Option<i64>,
    /// Repairs made to the pasted inputs before decoding (empty for clean input).
    pub repairs: Vec<Repair>,
}

/// Decodes `session_key` and `iv` to their 16 bytes each.
fn key_and_iv(
    session_key: &str,
    iv: &str,
    repairs: &mut Vec<Repair>,
) -> Result<([u8; 16], [u8; 16]), CryptoError> {
    let mut take = |field: &'static str, value: &str| -> Result<[u8; 16], CryptoError> {
        let (bytes, repair) = decode_repaired(field, value)?;
        repairs.extend(repair);
        <[u8; 16]>::try_from(bytes.as_slice()).map_err(|_| CryptoError::Length {
            field,
            expected: 16,
            actual: bytes.len(),
        })
    };
    let key = take("session_key", session_key)?;
    let iv = take("iv", iv)?;
    Ok((key, iv))
}

/// Decrypts a mini program's `encryptedData` with the user's `session_key`.
///
/// All three inputs are base64 as WeChat issues them; mangled pastes are
/// repaired and reported in [`DecryptedOpenData::repairs`]. With
/// `expected_appid`, the watermark must carry that appid (a missing watermark
/// is a mismatch with `actual` empty).
///
/// Errors: [`CryptoError::Base64`] / [`CryptoError::Length`] naming
/// `session_key` or `iv`; [`CryptoError::BlockLength`] for `encrypted_data`;
/// [`CryptoError::Padding`] when the key/IV do not belong to the data (most
/// often a session_key replaced by a newer `wx.login`);
/// [`CryptoError::Plaintext`]; [`CryptoError::WatermarkMismatch`].
pub fn decrypt_open_data(
    session_key: &str,
    iv: &str,
    encrypted_data: &str,
    expected_appid: Option<&str>,
) -> Result<DecryptedOpenData, CryptoError> {
    let mut repairs = Vec::new();
    let (key, iv) = key_and_iv(session_key, iv, &mut repairs)?;
    let (mut data, repair) = decode_repaired("encrypted_data", encrypted_data)?;
    repairs.extend(repair);
    if data.is_empty() || data.len() % 16 != 0 {
        return Err(CryptoError::BlockLength {
            field: "encrypted_data",
            len: data.len(),
        });
    }

    let dec = cbc::Decryptor::<Aes128>::new(&key.into(), &iv.into());
    let len = dec
        .decrypt_padded_mut::<NoPadding>(&mut data)
        .map_err(|_| CryptoError::Padding)?
        .len();
    data.truncate(len);
    let data = strip_pkcs7(data, 16)?;

    let plaintext = String::from_utf8(data).map_err(|e| CryptoError::Plaintext {
        expected: "UTF-8",
        reason: e.utf8_error().to_string(),
    })?;
    let json: Value = serde_json::from_str(&plaintext).map_err(|e| CryptoError::Plaintext {
        expected: "JSON",
        reason: e.to_string(),
    })?;

    let watermark = json.get("watermark");
    let watermark_appid = watermark
        .and_then(|w| w.get("appid"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let watermark_timestamp = watermark
        .and_then(|w| w.get("timestamp"))
        .and_then(|t| match t {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        });

    if let Some(expected) = expected_appid {
        let actual = watermark_appid.as_deref().unwrap_or("");
        if actual != expected.trim() {
            return Err(CryptoError::WatermarkMismatch {
                expected: expected.trim().to_string(),
                actual: actual.to_string(),
            });
        }
    }

    Ok(DecryptedOpenData {
        plaintext,
        json,
        watermark_appid,
        watermark_timestamp,
        repairs,
    })
}

/// Encrypts `plaintext` the way WeChat produces `encryptedData`
/// (AES-128-CBC, PKCS#7), returning standard base64.
///
/// Used by the sandbox to hand out open data, and by tests. `session_key` and
/// `iv` are base64 of 16 bytes each (pasted values are repaired silently).
pub fn encrypt_open_data(
    session_key: &str,
    iv: &str,
    plaintext: &str,
) -> Result<String, CryptoError> {
    let (key, iv) = key_and_iv(session_key, iv, &mut Vec::new())?;
    let mut buf = plaintext.as_bytes().to_vec();
    pad_pkcs7(&mut buf, 16);
    let len = buf.len();
    let enc = cbc::Encryptor::<Aes128>::new(&key.into(), &iv.into());
    let out = enc
        .encrypt_padded_mut::<NoPadding>(&mut buf, len)
        .map_err(|_| CryptoError::Padding)?;
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
    const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

    #[test]
    fn round_trip_with_watermark() {
        let pt =
            r#"{"phoneNumber":"13800138000","watermark":{"appid":"wx1","timestamp":1700000000}}"#;
        let ct = encrypt_open_data(KEY, IV, pt).unwrap();
        let out = decrypt_open_data(KEY, IV, &ct, Some("wx1")).unwrap();
        assert_eq!(out.plaintext, pt);
        assert_eq!(out.watermark_appid.as_deref(), Some("wx1"));
        assert_eq!(out.watermark_timestamp, Some(1_700_000_000));
        assert!(out.repairs.is_empty());
        assert_eq!(
            decrypt_open_data(KEY, IV, &ct, Some("wx2")),
            Err(CryptoError::WatermarkMismatch {
                expected: "wx2".into(),
                actual: "wx1".into()
            })
        );
    }

    #[test]
    fn missing_watermark_is_a_mismatch_only_when_expected() {
        let ct = encrypt_open_data(KEY, IV, r#"{"a":1}"#).unwrap();
        assert!(decrypt_open_data(KEY, IV, &ct, None).is_ok());
        assert_eq!(
            decrypt_open_data(KEY, IV, &ct, Some("wx1")),
            Err(CryptoError::WatermarkMismatch {
                expected: "wx1".into(),
                actual: String::new()
            })
        );
    }

    #[test]
    fn lengths_are_named() {
        let ct = encrypt_open_data(KEY, IV, "{}").unwrap();
        assert!(matches!(
            decrypt_open_data("AAAA", IV, &ct, None),
            Err(CryptoError::Length {
                field: "session_key",
                expected: 16,
                actual: 3
            })
        ));
        assert!(matches!(
            decrypt_open_data(KEY, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &ct, None),
            Err(CryptoError::Length {
                field: "iv",
                expected: 16,
                actual: 24
            })
        ));
        assert!(matches!(
            decrypt_open_data(KEY, IV, "AAAA", None),
            Err(CryptoError::BlockLength {
                field: "encrypted_data",
                len: 3
            })
        ));
        assert!(matches!(
            decrypt_open_data(KEY, IV, "", None),
            Err(CryptoError::Base64 {
                field: "encrypted_data",
                ..
            })
        ));
    }

    #[test]
    fn non_json_plaintext_is_reported() {
        let ct = encrypt_open_data(KEY, IV, "not json").unwrap();
        assert!(matches!(
            decrypt_open_data(KEY, IV, &ct, None),
            Err(CryptoError::Plaintext {
                expected: "JSON",
                ..
            })
        ));
    }
}
