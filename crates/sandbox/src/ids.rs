//! Random identifiers shaped like WeChat's.
//!
//! Clients store, log-redact and length-check what WeChat hands out, so the
//! sandbox must not hand out `token1`: access tokens are ~150 URL-safe
//! characters, appids are `wx` + 16 hex digits, session keys are base64 of 16
//! bytes, and so on. Every generator here draws from the thread RNG; nothing is
//! predictable, so tests cannot accidentally depend on a value.

use base64::Engine;
use rand::{Rng, RngCore};

const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

fn pick(alphabet: &[u8], len: usize) -> String {
    // Bulk seeding creates tens of thousands of ids, so draw bytes in bulk
    // and map them without bias: mask for power-of-two alphabets, rejection
    // sampling otherwise.
    let n = alphabet.len();
    let mut rng = rand::thread_rng();
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    let limit = 256 - 256 % n;
    while out.len() < len {
        rng.fill_bytes(&mut buf);
        for b in buf {
            if out.len() == len {
                break;
            }
            let b = usize::from(b);
            if n.is_power_of_two() {
                out.push(char::from(alphabet[b & (n - 1)]));
            } else if b < limit {
                out.push(char::from(alphabet[b % n]));
            }
        }
    }
    out
}

/// `len` URL-safe characters (`A-Z a-z 0-9 - _`).
pub(crate) fn url_safe(len: usize) -> String {
    pick(URL_SAFE, len)
}

/// `len` lowercase hex digits.
pub(crate) fn hex(len: usize) -> String {
    pick(b"0123456789abcdef", len)
}

/// `len` decimal digits, first one non-zero.
pub(crate) fn digits(len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|i| {
            let lo = if i == 0 { 1 } else { 0 };
            char::from(b'0' + rng.gen_range(lo..10))
        })
        .collect()
}

/// A platform's message-verification token: 32 letters and digits.
pub(crate) fn message_token() -> String {
    pick(ALNUM, 32)
}

/// An access token (mini program, stable, authorizer): `NN_` + 150 URL-safe chars.
pub(crate) fn access_token() -> String {
    format!(
        "{}_{}",
        rand::thread_rng().gen_range(80..100),
        url_safe(150)
    )
}

/// A component_access_token: `NN_` + 140 URL-safe chars.
pub(crate) fn component_token() -> String {
    format!(
        "{}_{}",
        rand::thread_rng().gen_range(80..100),
        url_safe(140)
    )
}

/// An authorizer_refresh_token.
pub(crate) fn refresh_token() -> String {
    format!("refreshtoken@@@{}", url_safe(43))
}

/// A pre_auth_code.
pub(crate) fn pre_auth_code() -> String {
    format!("preauthcode@@@{}", url_safe(64))
}

/// An authorization code (`auth_code` / `AuthorizationCode`).
pub(crate) fn auth_code() -> String {
    format!("queryauthcode@@@{}", url_safe(80))
}

/// A component_verify_ticket.
pub(crate) fn verify_ticket() -> String {
    format!("ticket@@@{}", url_safe(86))
}

/// A `wx.login` code: 32 alphanumerics.
pub(crate) fn js_code() -> String {
    pick(ALNUM, 32)
}

/// A getPhoneNumber code: 64 hex digits.
pub(crate) fn phone_code() -> String {
    hex(64)
}

/// A session_key: base64 of 16 random bytes (24 characters).
pub(crate) fn session_key() -> String {
    let bytes: [u8; 16] = rand::thread_rng().gen();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An openid or unionid: `o` + 27 URL-safe characters.
pub(crate) fn openid() -> String {
    format!("o{}", url_safe(27))
}

/// An appid: `wx` + 16 hex digits.
pub(crate) fn appid() -> String {
    format!("wx{}", hex(16))
}

/// An original id (`user_name`): `gh_` + 12 hex digits.
pub(crate) fn gh_id() -> String {
    format!("gh_{}", hex(12))
}

/// A request id as appended to `errmsg`: three groups of 8 hex digits.
pub(crate) fn rid() -> String {
    format!("{}-{}-{}", hex(8), hex(8), hex(8))
}

/// A push nonce: 9–10 decimal digits.
pub(crate) fn nonce() -> String {
    let len = rand::thread_rng().gen_range(9..=10);
    digits(len)
}

/// An app secret: 32 hex digits.
pub(crate) fn secret() -> String {
    hex(32)
}

/// An EncodingAESKey: 43 base64-alphabet characters (decodes to 32 bytes with a trailing `=`).
pub(crate) fn encoding_aes_key() -> String {
    // The 43rd character carries only 4 significant bits; keep it canonical
    // (one of the 16 characters whose low 2 bits are zero) so strict decoders accept it.
    let mut key = pick(ALNUM, 42);
    key.push(char::from(
        b"AEIMQUYcgkosw048"[rand::thread_rng().gen_range(0..16)],
    ));
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(access_token().len() >= 136);
        assert_eq!(appid().len(), 18);
        assert!(appid().starts_with("wx"));
        assert_eq!(session_key().len(), 24);
        assert_eq!(openid().len(), 28);
        assert_eq!(encoding_aes_key().len(), 43);
        let rid = rid();
        assert_eq!(rid.split('-').count(), 3);
        let key = encoding_aes_key() + "=";
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(key)
            .unwrap();
        assert_eq!(decoded.len(), 32);
    }
}
