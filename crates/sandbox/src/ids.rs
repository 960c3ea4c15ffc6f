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

/// Credentials the sandbox makes up: random, or, with a seed, derived from
/// it (HMAC-SHA256 of a label), so a sandbox started again with the same seed
/// hands out the same demo accounts and the same secret for a mirrored AppID.
pub(crate) struct Made<'a>(pub Option<&'a [u8; 32]>);

impl Made<'_> {
    /// `len` characters of `alphabet` for `label` (rejection sampling, no bias).
    fn pick(&self, label: &str, alphabet: &[u8], len: usize) -> String {
        use hmac::{Hmac, Mac};
        let Some(seed) = self.0 else {
            return pick(alphabet, len);
        };
        let n = alphabet.len();
        let limit = 256 - 256 % n;
        let mut out = String::with_capacity(len);
        let mut block: u32 = 0;
        while out.len() < len {
            // HMAC takes keys of any length, so this never falls back.
            let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(seed) else {
                return pick(alphabet, len);
            };
            mac.update(label.as_bytes());
            mac.update(&block.to_be_bytes());
            block = block.wrapping_add(1);
            for b in mac.finalize().into_bytes() {
                if out.len() == len {
                    break;
                }
                let b = usize::from(b);
                if b < limit {
                    out.push(char::from(alphabet[b % n]));
                }
            }
        }
        out
    }

    /// An appid for `label`.
    pub(crate) fn appid(&self, label: &str) -> String {
        format!("wx{}", self.pick(label, b"0123456789abcdef", 16))
    }

    /// An AppSecret for `label`.
    pub(crate) fn secret(&self, label: &str) -> String {
        self.pick(label, b"0123456789abcdef", 32)
    }

    /// A message token for `label`.
    pub(crate) fn message_token(&self, label: &str) -> String {
        self.pick(label, ALNUM, 32)
    }

    /// An EncodingAESKey for `label`: 43 base64-alphabet characters (decodes
    /// to 32 bytes with a trailing `=`).
    pub(crate) fn encoding_aes_key(&self, label: &str) -> String {
        // The 43rd character carries only 4 significant bits; keep it canonical
        // (one of the 16 characters whose low 2 bits are zero) so strict decoders accept it.
        let mut key = self.pick(label, ALNUM, 42);
        key.push_str(&self.pick(&format!("{label}/last"), b"AEIMQUYcgkosw048", 1));
        key
    }
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
        let rid = rid();
        assert_eq!(rid.split('-').count(), 3);
        let seed = [7u8; 32];
        for made in [Made(None), Made(Some(&seed))] {
            let key = made.encoding_aes_key("k");
            assert_eq!(key.len(), 43);
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(key + "=")
                .unwrap();
            assert_eq!(decoded.len(), 32);
            let secret = made.secret("s");
            assert!(secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(made.appid("a").len() == 18 && made.appid("a").starts_with("wx"));
        }
    }

    #[test]
    fn seeded_values_repeat_and_depend_on_seed_and_label() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        assert_eq!(Made(Some(&a)).secret("x"), Made(Some(&a)).secret("x"));
        assert_ne!(Made(Some(&a)).secret("x"), Made(Some(&a)).secret("y"));
        assert_ne!(Made(Some(&a)).secret("x"), Made(Some(&b)).secret("x"));
        assert_ne!(Made(None).secret("x"), Made(None).secret("x"));
        // Longer than one HMAC block.
        assert_eq!(Made(Some(&a)).message_token("t").len(), 32);
        assert_eq!(
            Made(Some(&a)).encoding_aes_key("k"),
            Made(Some(&a)).encoding_aes_key("k")
        );
    }
}
