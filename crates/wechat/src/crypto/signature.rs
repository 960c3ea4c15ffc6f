//! The two signatures a mini program server computes with a `session_key`.
//!
//! * `rawData` integrity: the client sends `rawData` and
//!   `signature = hex(sha1(rawData + session_key))`; the server recomputes it
//!   to prove the user profile came from WeChat (§1.1).
//! * Login-state signature: `wxa/checksession` (and other "user login state"
//!   APIs) take `signature = hex(hmac_sha256(key = session_key, message))`,
//!   with an empty message for checksession (§1.2).
//!
//! Both use the session_key as its base64 **text**, not the decoded bytes; the
//! published vectors settle this and getting it wrong is the most common bug in
//! peer SDKs, so the choice is pinned here. Comparisons of signatures received
//! from outside go through [`verify_hex`], which is constant-time.

use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// `rawData` signature: lowercase hex of `sha1(raw_data + session_key)`.
///
/// `raw_data` must be the exact string the client sent (compact JSON, no
/// re-serialisation); `session_key` is the base64 text as issued.
pub fn raw_data_signature(raw_data: &str, session_key: &str) -> String {
    let mut h = Sha1::new();
    h.update(raw_data.as_bytes());
    h.update(session_key.as_bytes());
    hex::encode(h.finalize())
}

/// Login-state signature: lowercase hex of HMAC-SHA256 over `message`, keyed
/// with the UTF-8 bytes of the `session_key` text.
pub fn session_signature(session_key: &str, message: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail; the fallback keeps
    // the function total without a panic path.
    match Hmac::<Sha256>::new_from_slice(session_key.as_bytes()) {
        Ok(mut mac) => {
            mac.update(message.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// The `signature` parameter of `wxa/checksession`: the login-state signature
/// of the empty string.
pub fn checksession_signature(session_key: &str) -> String {
    session_signature(session_key, "")
}

/// Compares two hex signatures in constant time, ignoring ASCII case.
///
/// Returns false when the lengths differ (the length is not secret).
pub fn verify_hex(expected_hex: &str, actual_hex: &str) -> bool {
    let a = expected_hex.trim().to_ascii_lowercase();
    let b = actual_hex.trim().to_ascii_lowercase();
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_data_doc_example() {
        let raw = r#"{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}"#;
        assert_eq!(
            raw_data_signature(raw, "HyVFkGl5F5OQWJZZaNzBBg=="),
            "75e81ceda165f4ffa64f4068af58c64b8f54b88c"
        );
    }

    #[test]
    fn checksession_uses_key_text() {
        // [computed] vector from wechat-api.md §1.2.
        assert_eq!(
            checksession_signature("tiihtNczf5v6AKRyjwEUhQ=="),
            "7154f9f8b4b76b92f541cbf0e37d48840fa06e5e42da92a6f80168a1516a4735"
        );
    }

    #[test]
    fn verify_hex_is_case_insensitive_and_strict() {
        assert!(verify_hex("ABCdef01", "abcDEF01"));
        assert!(!verify_hex("abcdef01", "abcdef02"));
        assert!(!verify_hex("abcdef01", "abcdef0"));
        assert!(!verify_hex("", ""));
    }
}
