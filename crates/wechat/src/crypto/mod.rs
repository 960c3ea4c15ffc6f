//! The cryptography WeChat asks of a server, in one place.
//!
//! Three unrelated schemes share this module because operators meet them in
//! the same situations (debugging a login, a push that "does not decrypt"):
//!
//! * [`open_data`]: AES-128-CBC decryption of a mini program's
//!   `encryptedData` with the user's `session_key`, plus the watermark check.
//! * [`signature`]: the `rawData` SHA-1 signature and the HMAC-SHA256
//!   login-state signature used by `wxa/checksession`.
//! * [`push`]: WXBizMsgCrypt ("安全模式"), the AES-256-CBC framing and SHA-1
//!   `msg_signature` of every push to a third-party platform.
//!
//! Values in all three are base64 that people copy out of logs, browser
//! address bars and chat windows, where it gets mangled in predictable ways;
//! [`repair`] undoes those manglings and says what it did, instead of failing
//! with "invalid base64".
//!
//! Every failure is a [`CryptoError`] naming the input at fault. Secrets
//! (session keys, EncodingAESKeys, tokens) never appear in errors or `Debug`.

pub mod open_data;
pub mod push;
pub mod repair;
pub mod signature;

pub use open_data::{decrypt_open_data, encrypt_open_data, DecryptedOpenData};
pub use push::{
    decode_encoding_aes_key, plain_signature, OpenedPush, PushCrypto, PushQuery, SealedPush,
};
pub use repair::{repair_base64, Repair};
pub use signature::{checksession_signature, raw_data_signature, session_signature, verify_hex};

use crate::error::CryptoError;
use base64::Engine as _;

/// Turns a base64 decoder error into words that name `field` and never echo
/// the offending character (it may be part of a secret).
pub(crate) fn base64_error(field: &'static str, err: base64::DecodeError) -> CryptoError {
    let reason = match err {
        base64::DecodeError::InvalidByte(offset, _) => format!(
            "the character at position {} is not in the base64 alphabet (A-Z, a-z, 0-9, '+', '/', '=')",
            offset + 1
        ),
        base64::DecodeError::InvalidLength(len) => format!(
            "{len} base64 characters cannot be a whole number of bytes: the value was truncated or has extra characters"
        ),
        base64::DecodeError::InvalidLastSymbol(offset, _) => format!(
            "the last character (position {}) carries bits base64 does not allow: the value was truncated or altered",
            offset + 1
        ),
        base64::DecodeError::InvalidPadding => {
            "the '=' padding at the end is wrong: copy the value again in full".to_string()
        }
    };
    CryptoError::Base64 { field, reason }
}

/// Repairs (see [`repair`]) and strictly decodes a standard-alphabet base64
/// value, returning the bytes and the repair made, if any.
pub(crate) fn decode_repaired(
    field: &'static str,
    input: &str,
) -> Result<(Vec<u8>, Option<Repair>), CryptoError> {
    let (fixed, repair) = repair_base64(field, input);
    if fixed.is_empty() {
        return Err(CryptoError::Base64 {
            field,
            reason: "the value is empty".to_string(),
        });
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(fixed.as_bytes())
        .map_err(|e| base64_error(field, e))?;
    Ok((bytes, repair))
}

/// Checks and strips PKCS#7 padding for block size `block` (16 for open data,
/// 32 for WXBizMsgCrypt): the last byte `n` must be in `1..=block`, no longer
/// than the data, and the last `n` bytes must all equal `n`.
pub(crate) fn strip_pkcs7(mut data: Vec<u8>, block: usize) -> Result<Vec<u8>, CryptoError> {
    let n = match data.last() {
        Some(&b) => usize::from(b),
        None => return Err(CryptoError::Padding),
    };
    if n == 0 || n > block || n > data.len() {
        return Err(CryptoError::Padding);
    }
    let start = data.len() - n;
    // Fold over every pad byte without early exit, so the time taken does
    // not reveal where the first wrong byte is.
    let bad = data[start..]
        .iter()
        .fold(0u8, |acc, &b| acc | (b ^ n as u8));
    if bad != 0 {
        return Err(CryptoError::Padding);
    }
    data.truncate(start);
    Ok(data)
}

/// Appends PKCS#7 padding for block size `block` (always 1..=block bytes).
pub(crate) fn pad_pkcs7(data: &mut Vec<u8>, block: usize) {
    let n = block - data.len() % block;
    // `block` is 16 or 32, so `n` fits in a byte.
    data.resize(data.len() + n, n as u8);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkcs7_round_trip_every_length() {
        for block in [16usize, 32] {
            for len in 0..(3 * block) {
                let original: Vec<u8> = (0..len).map(|i| i as u8).collect();
                let mut padded = original.clone();
                pad_pkcs7(&mut padded, block);
                assert_eq!(padded.len() % block, 0);
                assert!(padded.len() > original.len());
                assert_eq!(strip_pkcs7(padded, block).unwrap(), original);
            }
        }
    }

    #[test]
    fn pkcs7_rejects_bad_padding() {
        assert_eq!(strip_pkcs7(vec![], 16), Err(CryptoError::Padding));
        assert_eq!(strip_pkcs7(vec![1, 2, 0], 16), Err(CryptoError::Padding));
        assert_eq!(strip_pkcs7(vec![17; 32], 16), Err(CryptoError::Padding));
        assert_eq!(strip_pkcs7(vec![1, 3, 2, 3], 16), Err(CryptoError::Padding));
        assert_eq!(strip_pkcs7(vec![5, 5], 16), Err(CryptoError::Padding));
        assert_eq!(strip_pkcs7(vec![33; 64], 32), Err(CryptoError::Padding));
        assert_eq!(strip_pkcs7(vec![9, 2, 2], 16).unwrap(), vec![9]);
    }

    #[test]
    fn base64_errors_do_not_echo_the_character() {
        let err = decode_repaired("session_key", "abc!defg").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("session_key"), "{text}");
        assert!(!text.contains('!'), "{text}");
        assert!(matches!(
            decode_repaired("iv", "   "),
            Err(CryptoError::Base64 { field: "iv", .. })
        ));
    }
}
