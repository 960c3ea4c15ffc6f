//! The one error type of the protocol layer.
//!
//! WeChat reports failure in three different places: the transport (could not
//! connect, timed out, the socket was reset), the HTTP status (rare, but
//! gateways do answer 5xx), and the JSON body (`errcode`/`errmsg`). Callers need
//! to tell these apart, because only some of them are safe to retry and only
//! some of them mean "fix your input". Every variant carries what an operator
//! needs to act, and nothing secret: URLs are reduced to their endpoint path,
//! and bodies are redacted by [`crate::redact`] before an error holds them, so
//! even `{:?}` of an error prints no secret.

/// Every failure the protocol crate can report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// WeChat answered with a non-zero `errcode`.
    ///
    /// `errmsg` is kept verbatim for display, but must never be compared for
    /// equality: real messages carry a trailing ` rid: …` request id, which is
    /// split out into `rid`.
    #[error("WeChat error {errcode}: {errmsg}{}", rid.as_deref().map(|r| format!(" (rid {r})")).unwrap_or_default())]
    Api {
        /// The numeric error code, parsed leniently (number or string).
        errcode: i64,
        /// The message without its ` rid: …` suffix.
        errmsg: String,
        /// The request id WeChat appended to the message, if any.
        rid: Option<String>,
    },

    /// The connection could not be established, so the request never reached
    /// WeChat. This is the only transport failure that is always safe to retry.
    #[error("could not connect to {endpoint}: {reason}")]
    Connect {
        /// The endpoint path, e.g. `cgi-bin/stable_token` (never the full URL: query strings carry secrets).
        endpoint: String,
        /// What the transport said.
        reason: String,
    },

    /// The request was sent but no complete answer arrived in time.
    #[error("{endpoint} timed out after {timeout_ms} ms")]
    Timeout {
        /// The endpoint path.
        endpoint: String,
        /// The timeout that expired.
        timeout_ms: u64,
    },

    /// The request may have reached WeChat but the exchange broke (reset, truncated body).
    #[error("the connection to {endpoint} failed mid-request: {reason}")]
    Transport {
        /// The endpoint path.
        endpoint: String,
        /// What the transport said.
        reason: String,
    },

    /// WeChat (or a gateway in front of it) answered with a non-success HTTP status.
    #[error("{endpoint} answered HTTP {status}")]
    Http {
        /// The endpoint path.
        endpoint: String,
        /// The HTTP status code.
        status: u16,
        /// The body, for diagnosis: already redacted by [`crate::redact::redact_body`] and cut short.
        body: String,
    },

    /// The body could not be decoded into the expected shape.
    #[error("could not read the answer of {endpoint}: {reason}")]
    Decode {
        /// The endpoint path.
        endpoint: String,
        /// What was wrong with it.
        reason: String,
        /// The body as received, already redacted by [`crate::redact::redact_body`] and cut short.
        body: String,
    },

    /// The caller supplied a value WeChat would reject; nothing was sent.
    #[error("{field}: {reason}")]
    InvalidInput {
        /// The name of the offending field or flag, as the caller knows it.
        field: String,
        /// What is wrong and how to fix it.
        reason: String,
    },

    /// A cryptographic check failed (bad key, bad padding, wrong signature, wrong appid).
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

impl Error {
    /// Builds an [`Error::InvalidInput`] naming `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A stable machine-readable name for the kind of failure, used as the
    /// `kind`/`code` of errors that cross into the CLI, HTTP and IPC layers.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Api { .. } => "api",
            Error::Connect { .. } => "connect",
            Error::Timeout { .. } => "timeout",
            Error::Transport { .. } => "transport",
            Error::Http { .. } => "http",
            Error::Decode { .. } => "decode",
            Error::InvalidInput { .. } => "invalid_input",
            Error::Crypto(c) => c.kind(),
        }
    }

    /// The WeChat errcode, when the failure is an API error.
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Error::Api { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }

    /// The request id WeChat appended to its errmsg, for `rid/get`.
    pub fn rid(&self) -> Option<&str> {
        match self {
            Error::Api { rid, .. } => rid.as_deref(),
            _ => None,
        }
    }

    /// True when the access token used for the call is stale or wrong
    /// (40001, 40014, 42001): the caller may refresh once and retry once.
    pub fn is_token_rejected(&self) -> bool {
        matches!(self.errcode(), Some(40001 | 40014 | 42001))
    }
}

/// Why a cryptographic operation failed. Each variant names the input at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// A value that should be base64 is not.
    #[error("{field} is not valid base64: {reason}")]
    Base64 {
        /// Which input (`session_key`, `iv`, `encrypted_data`, `encoding_aes_key`, `encrypt`).
        field: &'static str,
        /// The decoder's complaint, in words.
        reason: String,
    },
    /// A key or IV decoded to the wrong number of bytes.
    #[error("{field} must decode to {expected} bytes, got {actual}")]
    Length {
        /// Which input.
        field: &'static str,
        /// The required length in bytes.
        expected: usize,
        /// The decoded length in bytes.
        actual: usize,
    },
    /// The ciphertext is empty or not a whole number of AES blocks.
    #[error("{field} is {len} bytes, not a non-empty multiple of 16: it was truncated or is not ciphertext")]
    BlockLength {
        /// Which input.
        field: &'static str,
        /// Its decoded length.
        len: usize,
    },
    /// Decryption produced invalid padding: the key or IV does not belong to this ciphertext.
    #[error(
        "decryption failed: the padding is invalid, so the key or IV does not match this data"
    )]
    Padding,
    /// The decrypted bytes are not valid UTF-8 / JSON where JSON was expected.
    #[error("decrypted data is not valid {expected}: {reason}")]
    Plaintext {
        /// `"UTF-8"` or `"JSON"`.
        expected: &'static str,
        /// Details.
        reason: String,
    },
    /// The watermark appid inside decrypted open data is not the expected appid.
    #[error("watermark appid is {actual}, expected {expected}: this data was produced for another mini program")]
    WatermarkMismatch {
        /// The appid the caller expected.
        expected: String,
        /// The appid found in the watermark (empty when absent).
        actual: String,
    },
    /// The push's `msg_signature` does not match token, timestamp, nonce and Encrypt.
    #[error("msg_signature does not match: check the message token, or the push was altered")]
    SignatureMismatch,
    /// The appid at the end of a decrypted push is not the expected component appid.
    #[error("the push was encrypted for appid {actual}, expected {expected}")]
    AppidMismatch {
        /// The appid the caller expected.
        expected: String,
        /// The appid found after the message.
        actual: String,
    },
    /// The decrypted push frame is malformed (length prefix out of range).
    #[error("the decrypted push is malformed: {0}")]
    Frame(String),
    /// The push XML envelope or inner message could not be parsed.
    #[error("the push XML is invalid: {0}")]
    Xml(String),
}

impl CryptoError {
    /// A stable machine-readable kind, e.g. `watermark_mismatch`.
    pub fn kind(&self) -> &'static str {
        match self {
            CryptoError::Base64 { .. } => "invalid_base64",
            CryptoError::Length { .. } => "invalid_length",
            CryptoError::BlockLength { .. } => "invalid_length",
            CryptoError::Padding => "decrypt_failed",
            CryptoError::Plaintext { .. } => "decrypt_failed",
            CryptoError::WatermarkMismatch { .. } => "watermark_mismatch",
            CryptoError::SignatureMismatch => "signature_mismatch",
            CryptoError::AppidMismatch { .. } => "appid_mismatch",
            CryptoError::Frame(_) => "decrypt_failed",
            CryptoError::Xml(_) => "invalid_xml",
        }
    }
}

/// Convenience alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Splits WeChat's `errmsg` into the message and its trailing request id.
///
/// Real messages look like `"invalid code rid: 617682e0-09059ac5-34a8e2ea"`;
/// some put a comma or `hint:` before it. The rid is everything after the last
/// `rid:` marker.
pub fn split_rid(errmsg: &str) -> (String, Option<String>) {
    if let Some(pos) = errmsg.rfind("rid:") {
        let rid = errmsg[pos + 4..].trim().trim_end_matches(['"', '\'']);
        let msg = errmsg[..pos]
            .trim_end()
            .trim_end_matches([',', ';'])
            .trim_end();
        if !rid.is_empty() && rid.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return (msg.to_string(), Some(rid.to_string()));
        }
    }
    (errmsg.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rid_is_split_from_errmsg() {
        let (m, r) = split_rid("reach max api daily quota limit rid: 617682e0-09059ac5-34a8e2ea");
        assert_eq!(m, "reach max api daily quota limit");
        assert_eq!(r.as_deref(), Some("617682e0-09059ac5-34a8e2ea"));
        let (m, r) = split_rid("invalid code, rid: 6a1b-2c");
        assert_eq!(m, "invalid code");
        assert_eq!(r.as_deref(), Some("6a1b-2c"));
        let (m, r) = split_rid("ok");
        assert_eq!(m, "ok");
        assert_eq!(r, None);
    }

    #[test]
    fn token_rejection_codes() {
        let e = |c| Error::Api {
            errcode: c,
            errmsg: String::new(),
            rid: None,
        };
        assert!(e(40001).is_token_rejected());
        assert!(e(42001).is_token_rejected());
        assert!(!e(40029).is_token_rejected());
        assert!(!Error::invalid("appid", "x").is_token_rejected());
    }
}
