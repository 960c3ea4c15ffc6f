//! WXBizMsgCrypt: the encryption and signatures of pushes ("安全模式").
//!
//! Everything WeChat pushes to a third-party platform (the ticket every ten
//! minutes, authorization events, fast-registration results, user messages on
//! behalf of authorizers) is encrypted with the platform's EncodingAESKey and
//! signed with its message token (§1.3, §5.1). A platform that cannot open
//! these pushes cannot get a `component_verify_ticket`, and therefore cannot
//! call any API at all, so this is load-bearing code. The sandbox uses the
//! same code to produce pushes, and the published vectors pin both halves.
//!
//! Frame: `random(16) || be32(len) || msg || appid`, PKCS#7 with a 32-byte
//! block, AES-256-CBC with `IV = key[0..16]`, base64. Signature:
//! `sha1(concat(sort([token, timestamp, nonce, Encrypt])))`. WXBizMsgCrypt has
//! no MAC over the ciphertext: integrity comes only from `msg_signature`, so
//! [`PushCrypto::verify_and_decrypt`] checks it before decrypting.

use super::{base64_error, decode_repaired, pad_pkcs7, strip_pkcs7, verify_hex, Repair};
use crate::error::CryptoError;
use crate::push_message::{cdata, parse_xml_tree};
use aes::Aes256;
use base64::alphabet;
use base64::engine::{general_purpose, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use cbc::cipher::{block_padding::NoPadding, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use rand::RngCore;
use serde::Serialize;
use serde_json::Value;
use sha1::{Digest, Sha1};

/// Lowercase hex SHA-1 of the parts sorted by byte order and concatenated.
fn sha1_sorted(parts: &mut [&str]) -> String {
    parts.sort_unstable();
    let mut h = Sha1::new();
    for p in parts.iter() {
        h.update(p.as_bytes());
    }
    hex::encode(h.finalize())
}

/// The plain `signature` query parameter of a push:
/// `sha1(concat(sort([token, timestamp, nonce])))`, lowercase hex.
///
/// WeChat also sends it on encrypted pushes, but those must be verified with
/// `msg_signature` ([`PushCrypto::msg_signature`]); this one covers no content.
pub fn plain_signature(token: &str, timestamp: &str, nonce: &str) -> String {
    sha1_sorted(&mut [token, timestamp, nonce])
}

/// Decodes an EncodingAESKey (43 base64 characters) to its 32 key bytes.
///
/// The platform generates keys whose last character may carry bits that a
/// canonical base64 decoder rejects; WeChat's own samples ignore them, and so
/// does this (a key that works on WeChat must work here). Surrounding
/// whitespace from a paste is ignored. Errors name the field
/// `encoding_aes_key` and never echo the key.
pub fn decode_encoding_aes_key(key: &str) -> Result<[u8; 32], CryptoError> {
    const FIELD: &str = "encoding_aes_key";
    let key = key.trim();
    let chars = key.chars().count();
    if chars != 43 {
        let hint = if chars == 44 && key.ends_with('=') {
            " (do not add '=' at the end)"
        } else {
            ""
        };
        return Err(CryptoError::Base64 {
            field: FIELD,
            reason: format!(
                "must be exactly 43 characters (letters, digits, '+' and '/'), got {chars}{hint}: copy it again from the platform's development settings"
            ),
        });
    }
    if let Some(pos) = key
        .chars()
        .position(|c| !(c.is_ascii_alphanumeric() || c == '+' || c == '/'))
    {
        return Err(CryptoError::Base64 {
            field: FIELD,
            reason: format!(
                "the character at position {} is not a letter, digit, '+' or '/': copy the key again from the platform's development settings",
                pos + 1
            ),
        });
    }
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
    );
    let bytes = LENIENT
        .decode(format!("{key}="))
        .map_err(|e| base64_error(FIELD, e))?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| CryptoError::Length {
        field: FIELD,
        expected: 32,
        actual: bytes.len(),
    })
}

/// The query parameters WeChat appends to a push URL (§5.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushQuery {
    /// `timestamp`, Unix seconds as sent (kept as text: it is signed as text).
    pub timestamp: String,
    /// `nonce`, as sent.
    pub nonce: String,
    /// `msg_signature`, the signature that covers the encrypted body.
    pub msg_signature: String,
    /// `signature`, the plain signature (token, timestamp, nonce only), if present.
    pub signature: Option<String>,
    /// `encrypt_type`, normally `aes`, if present.
    pub encrypt_type: Option<String>,
}

impl PushQuery {
    /// Parses the query of a push URL.
    ///
    /// Accepts a bare query string (`timestamp=…&nonce=…`), one with a leading
    /// `?`, or a full URL (anything before the first `?` and after `#` is
    /// ignored). Values are percent-decoded. `timestamp`, `nonce` and
    /// `msg_signature` are required.
    ///
    /// Errors are [`crate::Error::InvalidInput`] naming the missing or empty
    /// parameter (this is caller input, not a cryptographic failure).
    pub fn parse(input: &str) -> Result<PushQuery, crate::Error> {
        let input = input.trim();
        let query = match input.find('?') {
            Some(pos) => &input[pos + 1..],
            None if input.contains('=') => input,
            None => {
                return Err(crate::Error::invalid(
                    "query",
                    "no query string found: paste the push URL or its part after '?' (timestamp=…&nonce=…&msg_signature=…)",
                ))
            }
        };
        let query = query.split('#').next().unwrap_or_default();

        let mut q = PushQuery::default();
        let (mut ts, mut nonce, mut msig) = (None, None, None);
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            let v = v.trim().to_string();
            match k.trim() {
                "timestamp" => ts = Some(v),
                "nonce" => nonce = Some(v),
                "msg_signature" => msig = Some(v),
                "signature" => q.signature = Some(v),
                "encrypt_type" => q.encrypt_type = Some(v),
                _ => {}
            }
        }
        let need = |name: &'static str, v: Option<String>, extra: &str| {
            match v {
                Some(v) if !v.is_empty() => Ok(v),
                Some(_) => Err(crate::Error::invalid(
                    name,
                    format!("the {name} parameter is empty: copy the push URL again in full"),
                )),
                None => Err(crate::Error::invalid(
                    name,
                    format!("the {name} parameter is missing from the push URL: copy the URL WeChat called in full{extra}"),
                )),
            }
        };
        q.timestamp = need("timestamp", ts, "")?;
        q.nonce = need("nonce", nonce, "")?;
        let msig_hint = if q.signature.is_some() {
            " (only the plain `signature` is present, which does not cover the body; encrypted pushes always carry msg_signature, so this may be a plaintext-mode URL)"
        } else {
            ""
        };
        q.msg_signature = need("msg_signature", msig, msig_hint)?;
        Ok(q)
    }

    /// Renders the query as WeChat sends it:
    /// `signature=…&timestamp=…&nonce=…&encrypt_type=aes&msg_signature=…`
    /// (`signature` is left out when absent; `encrypt_type` defaults to `aes`).
    pub fn to_query_string(&self) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        if let Some(sig) = &self.signature {
            ser.append_pair("signature", sig);
        }
        ser.append_pair("timestamp", &self.timestamp);
        ser.append_pair("nonce", &self.nonce);
        ser.append_pair(
            "encrypt_type",
            self.encrypt_type.as_deref().unwrap_or("aes"),
        );
        ser.append_pair("msg_signature", &self.msg_signature);
        ser.finish()
    }
}

/// An encrypted, signed push or reply, ready to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SealedPush {
    /// The base64 `Encrypt` value.
    pub encrypt: String,
    /// `msg_signature` over token, timestamp, nonce and `encrypt`.
    pub msg_signature: String,
    /// The reply envelope: `<xml><Encrypt>…</Encrypt><MsgSignature>…</MsgSignature><TimeStamp>…</TimeStamp><Nonce>…</Nonce></xml>`.
    pub xml: String,
}

/// A verified and decrypted push.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct OpenedPush {
    /// The decrypted inner message as UTF-8 text (normally XML; parse it with
    /// [`crate::push_message::parse_message`]).
    pub message: String,
    /// The outer envelope's `AppId` (authorization events) or `ToUserName`
    /// (message pushes), when present.
    pub envelope_appid: Option<String>,
    /// Repairs made to a pasted `Encrypt` value (empty for a real push).
    pub repairs: Vec<Repair>,
}

/// A platform's push crypto: message token, EncodingAESKey and component appid.
///
/// `Debug` shows only the appid; the token and key are never printed.
#[derive(Clone)]
pub struct PushCrypto {
    token: String,
    key: [u8; 32],
    appid: String,
}

impl std::fmt::Debug for PushCrypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushCrypto")
            .field("token", &"<redacted>")
            .field("encoding_aes_key", &"<redacted>")
            .field("appid", &self.appid)
            .finish()
    }
}

impl PushCrypto {
    /// Builds the crypto for one platform.
    ///
    /// `token` is the message-verification token, `encoding_aes_key` the
    /// 43-character key and `appid` the component appid that WeChat appends
    /// to every frame (and that replies must carry). Errors name the field.
    pub fn new(token: &str, encoding_aes_key: &str, appid: &str) -> Result<Self, CryptoError> {
        let key = decode_encoding_aes_key(encoding_aes_key)?;
        Ok(PushCrypto {
            token: token.trim().to_string(),
            key,
            appid: appid.trim().to_string(),
        })
    }

    /// The appid this crypto encrypts for and expects in decrypted frames.
    pub fn appid(&self) -> &str {
        &self.appid
    }

    /// `msg_signature`: lowercase hex SHA-1 of token, timestamp, nonce and
    /// `encrypt`, sorted by byte order and concatenated.
    pub fn msg_signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        sha1_sorted(&mut [self.token.as_str(), timestamp, nonce, encrypt])
    }

    /// Encrypts `msg` into an `Encrypt` value.
    ///
    /// `random` is the 16-byte prefix; `None` draws it from the OS. Fixing it
    /// makes the output deterministic (known-answer tests, reproducible
    /// sandbox pushes).
    pub fn encrypt(&self, msg: &[u8], random: Option<[u8; 16]>) -> String {
        let random = random.unwrap_or_else(|| {
            let mut r = [0u8; 16];
            rand::rngs::OsRng.fill_bytes(&mut r);
            r
        });
        // Pushes are far below 4 GiB; saturate rather than panic.
        let len = u32::try_from(msg.len()).unwrap_or(u32::MAX);
        let mut buf = Vec::with_capacity(16 + 4 + msg.len() + self.appid.len() + 32);
        buf.extend_from_slice(&random);
        buf.extend_from_slice(&len.to_be_bytes());
        buf.extend_from_slice(msg);
        buf.extend_from_slice(self.appid.as_bytes());
        pad_pkcs7(&mut buf, 32);
        let n = buf.len();
        let iv: [u8; 16] = iv_of(&self.key);
        let enc = cbc::Encryptor::<Aes256>::new(&self.key.into(), &iv.into());
        match enc.encrypt_padded_mut::<NoPadding>(&mut buf, n) {
            Ok(ct) => general_purpose::STANDARD.encode(ct),
            // Unreachable: the buffer is padded to a whole number of blocks.
            Err(_) => String::new(),
        }
    }

    /// Decrypts an `Encrypt` value and returns the inner message bytes.
    ///
    /// Does not check any signature; use [`PushCrypto::verify_and_decrypt`]
    /// for anything received. Pasted values are repaired (see
    /// [`super::repair`]). Errors: [`CryptoError::Base64`] /
    /// [`CryptoError::BlockLength`] (field `encrypt`), [`CryptoError::Padding`]
    /// (wrong EncodingAESKey), [`CryptoError::Frame`],
    /// [`CryptoError::AppidMismatch`].
    pub fn decrypt(&self, encrypt: &str) -> Result<Vec<u8>, CryptoError> {
        self.decrypt_reporting(encrypt).map(|(msg, _)| msg)
    }

    /// Like [`PushCrypto::decrypt`], also returning the repair made to a
    /// pasted `encrypt` value, if any.
    pub fn decrypt_reporting(
        &self,
        encrypt: &str,
    ) -> Result<(Vec<u8>, Option<Repair>), CryptoError> {
        let (mut data, repair) = decode_repaired("encrypt", encrypt)?;
        if data.is_empty() || data.len() % 16 != 0 {
            return Err(CryptoError::BlockLength {
                field: "encrypt",
                len: data.len(),
            });
        }
        let iv = iv_of(&self.key);
        let dec = cbc::Decryptor::<Aes256>::new(&self.key.into(), &iv.into());
        let n = dec
            .decrypt_padded_mut::<NoPadding>(&mut data)
            .map_err(|_| CryptoError::Padding)?
            .len();
        data.truncate(n);
        let mut frame = strip_pkcs7(data, 32)?;

        if frame.len() < 20 {
            return Err(CryptoError::Frame(format!(
                "{} bytes is shorter than the 20-byte header (random + length)",
                frame.len()
            )));
        }
        let len = u32::from_be_bytes([frame[16], frame[17], frame[18], frame[19]]) as usize;
        let available = frame.len() - 20;
        if len > available {
            return Err(CryptoError::Frame(format!(
                "the length prefix says {len} bytes but only {available} follow"
            )));
        }
        let appid = &frame[20 + len..];
        if appid != self.appid.as_bytes() {
            return Err(CryptoError::AppidMismatch {
                expected: self.appid.clone(),
                actual: String::from_utf8_lossy(appid).into_owned(),
            });
        }
        frame.truncate(20 + len);
        frame.drain(..20);
        Ok((frame, repair))
    }

    /// Checks `msg_signature` against token, timestamp, nonce and `encrypt`,
    /// then decrypts. A wrong signature is [`CryptoError::SignatureMismatch`]
    /// and nothing is decrypted.
    ///
    /// When `encrypt` was pasted and had to be repaired, the signature is
    /// accepted over either the text as given or the repaired value (WeChat
    /// signed the original, which is what the repair reconstructs).
    pub fn verify_and_decrypt(
        &self,
        timestamp: &str,
        nonce: &str,
        msg_signature: &str,
        encrypt: &str,
    ) -> Result<Vec<u8>, CryptoError> {
        self.verify_and_decrypt_reporting(timestamp, nonce, msg_signature, encrypt)
            .map(|(msg, _)| msg)
    }

    /// Like [`PushCrypto::verify_and_decrypt`], also returning the repair
    /// made to a pasted `encrypt` value, if any.
    pub fn verify_and_decrypt_reporting(
        &self,
        timestamp: &str,
        nonce: &str,
        msg_signature: &str,
        encrypt: &str,
    ) -> Result<(Vec<u8>, Option<Repair>), CryptoError> {
        let (timestamp, nonce) = (timestamp.trim(), nonce.trim());
        let as_given = self.msg_signature(timestamp, nonce, encrypt);
        if !verify_hex(&as_given, msg_signature) {
            let (repaired, repair) = super::repair_base64("encrypt", encrypt);
            let ok = repair.is_some()
                && verify_hex(
                    &self.msg_signature(timestamp, nonce, &repaired),
                    msg_signature,
                );
            if !ok {
                return Err(CryptoError::SignatureMismatch);
            }
        }
        self.decrypt_reporting(encrypt)
    }

    /// Encrypts and signs `msg`, producing the `Encrypt` value, its
    /// `msg_signature` and the reply envelope XML (§1.3 step 7).
    pub fn seal(
        &self,
        msg: &[u8],
        timestamp: &str,
        nonce: &str,
        random: Option<[u8; 16]>,
    ) -> SealedPush {
        let encrypt = self.encrypt(msg, random);
        let msg_signature = self.msg_signature(timestamp, nonce, &encrypt);
        let xml = format!(
            "<xml><Encrypt>{}</Encrypt><MsgSignature>{}</MsgSignature><TimeStamp>{}</TimeStamp><Nonce>{}</Nonce></xml>",
            cdata(&encrypt),
            cdata(&msg_signature),
            quick_xml::escape::escape(timestamp),
            cdata(nonce),
        );
        SealedPush {
            encrypt,
            msg_signature,
            xml,
        }
    }

    /// Opens a received push: parses the outer XML, verifies `msg_signature`
    /// and decrypts.
    ///
    /// The envelope is `<xml><AppId|ToUserName>…</…><Encrypt>…</Encrypt></xml>`.
    /// Timestamp, nonce and signature come from `query`; any that are empty
    /// there are taken from the envelope's `TimeStamp`, `Nonce` and
    /// `MsgSignature` (the reply form produced by [`PushCrypto::seal`]), so
    /// `PushQuery::default()` opens a sealed reply. The inner message must be
    /// UTF-8.
    pub fn open(&self, query: &PushQuery, body_xml: &str) -> Result<OpenedPush, CryptoError> {
        let (_, fields) = parse_xml_tree(body_xml)?;
        let text = |name: &str| -> Option<String> {
            match fields.get(name) {
                Some(Value::String(s)) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
                _ => None,
            }
        };
        let encrypt = text("Encrypt").ok_or_else(|| {
            CryptoError::Xml(
                "the body has no <Encrypt> element: third-party platform pushes are always encrypted (check the URL's encrypt_type=aes and that the whole body was copied)"
                    .to_string(),
            )
        })?;
        let pick = |from_query: &str, tag: &str, param: &str| -> Result<String, CryptoError> {
            let q = from_query.trim();
            if !q.is_empty() {
                return Ok(q.to_string());
            }
            text(tag).ok_or_else(|| {
                CryptoError::Xml(format!(
                    "no {param}: it is neither in the query string nor a <{tag}> element of the body; supply the push URL's query"
                ))
            })
        };
        let timestamp = pick(&query.timestamp, "TimeStamp", "timestamp")?;
        let nonce = pick(&query.nonce, "Nonce", "nonce")?;
        let msg_signature = pick(&query.msg_signature, "MsgSignature", "msg_signature")?;

        let (msg, repair) =
            self.verify_and_decrypt_reporting(&timestamp, &nonce, &msg_signature, &encrypt)?;
        let message = String::from_utf8(msg).map_err(|e| CryptoError::Plaintext {
            expected: "UTF-8",
            reason: e.utf8_error().to_string(),
        })?;
        Ok(OpenedPush {
            message,
            envelope_appid: text("AppId").or_else(|| text("ToUserName")),
            repairs: repair.into_iter().collect(),
        })
    }
}

/// WXBizMsgCrypt's IV: the first 16 bytes of the key.
fn iv_of(key: &[u8; 32]) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv.copy_from_slice(&key[..16]);
    iv
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    #[test]
    fn debug_hides_secrets() {
        let pc = PushCrypto::new("s3cr3t-token", KEY, "wxappid").unwrap();
        let dbg = format!("{pc:?}");
        assert!(!dbg.contains("s3cr3t"), "{dbg}");
        assert!(!dbg.contains("abcdefghij"), "{dbg}");
        assert!(dbg.contains("wxappid"), "{dbg}");
    }

    #[test]
    fn all_a_key_is_zero_bytes() {
        assert_eq!(decode_encoding_aes_key(&"A".repeat(43)).unwrap(), [0u8; 32]);
    }

    #[test]
    fn short_frame_is_reported() {
        let pc = PushCrypto::new("t", KEY, "").unwrap();
        // Encrypt a frame whose length prefix overstates the message.
        let mut buf = vec![0u8; 16];
        buf.extend_from_slice(&100u32.to_be_bytes());
        buf.extend_from_slice(b"short");
        pad_pkcs7(&mut buf, 32);
        let n = buf.len();
        let iv = iv_of(&pc.key);
        let ct = cbc::Encryptor::<Aes256>::new(&pc.key.into(), &iv.into())
            .encrypt_padded_mut::<NoPadding>(&mut buf, n)
            .unwrap()
            .to_vec();
        let b64 = general_purpose::STANDARD.encode(ct);
        assert!(matches!(pc.decrypt(&b64), Err(CryptoError::Frame(_))));
    }

    #[test]
    fn query_round_trip() {
        let q = PushQuery {
            timestamp: "1".into(),
            nonce: "a b".into(),
            msg_signature: "ff".into(),
            signature: Some("ee".into()),
            encrypt_type: None,
        };
        let s = q.to_query_string();
        assert_eq!(
            s,
            "signature=ee&timestamp=1&nonce=a+b&encrypt_type=aes&msg_signature=ff"
        );
        let back = PushQuery::parse(&s).unwrap();
        assert_eq!(back.nonce, "a b");
        assert_eq!(back.encrypt_type.as_deref(), Some("aes"));
        assert_eq!(back.signature.as_deref(), Some("ee"));
    }
}
