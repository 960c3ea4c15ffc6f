//! The typed error contract: every failure maps to one `ErrorCode`, the wire
//! strings are the ones scripts and the UI have always seen, and every
//! protocol, crypto, vault and team error lands on the code it had before.

use std::collections::BTreeSet;

use wxdesk_core::team::TeamError;
use wxdesk_core::vault::VaultError;
use wxdesk_core::{Error, ErrorBody, ErrorCode};
use wxdesk_wechat::{CryptoError, Error as W};

/// The wire strings before the enum existed (core, server, CLI): none may change.
const LEGACY: &[&str] = &[
    "api",
    "connect",
    "timeout",
    "transport",
    "http",
    "decode",
    "invalid_input",
    "invalid_base64",
    "invalid_length",
    "decrypt_failed",
    "watermark_mismatch",
    "signature_mismatch",
    "appid_mismatch",
    "invalid_xml",
    "store",
    "migration",
    "vault_key_missing",
    "vault_key_invalid",
    "vault_wrong_key",
    "vault_malformed",
    "vault_key_store",
    "not_found",
    "already_exists",
    "ticket_unavailable",
    "force_refused",
    "needs_confirmation",
    "revoked",
    "io",
    "cancelled",
    "team_unreachable",
    "team_command",
    "team_missing_key",
    "team_unreadable",
    "team_no_such_key",
    "team_read_only",
    "team_stale_generation",
    "team_locked",
    "unauthorized",
    "forbidden_host",
    "forbidden_origin",
    "desktop_only",
    "internal",
    "usage",
    "missing_argument",
    "runtime",
];

#[test]
fn every_code_serializes_to_its_wire_string_and_back() {
    let mut seen = BTreeSet::new();
    for &c in ErrorCode::ALL {
        let json = serde_json::to_value(c).unwrap();
        assert_eq!(json, serde_json::Value::String(c.as_str().into()), "{c:?}");
        let back: ErrorCode = serde_json::from_value(json).unwrap();
        assert_eq!(back, c);
        assert_eq!(c.to_string(), c.as_str());
        assert!(
            seen.insert(c.as_str()),
            "{c:?} listed twice in ErrorCode::ALL"
        );
    }
    let legacy: BTreeSet<&str> = LEGACY.iter().copied().collect();
    assert_eq!(seen, legacy, "the wire strings changed");
}

#[test]
fn all_lists_every_variant() {
    // Exhaustive: a new variant fails to compile here until it is given a
    // slot, and then fails the assertion until it is in ErrorCode::ALL.
    fn slot(c: ErrorCode) -> usize {
        use ErrorCode::*;
        match c {
            Api => 0,
            Connect => 1,
            Timeout => 2,
            Transport => 3,
            Http => 4,
            Decode => 5,
            InvalidInput => 6,
            InvalidBase64 => 7,
            InvalidLength => 8,
            DecryptFailed => 9,
            WatermarkMismatch => 10,
            SignatureMismatch => 11,
            AppidMismatch => 12,
            InvalidXml => 13,
            Store => 14,
            Migration => 15,
            VaultKeyMissing => 16,
            VaultKeyInvalid => 17,
            VaultWrongKey => 18,
            VaultMalformed => 19,
            VaultKeyStore => 20,
            NotFound => 21,
            AlreadyExists => 22,
            TicketUnavailable => 23,
            ForceRefused => 24,
            NeedsConfirmation => 25,
            Revoked => 26,
            Io => 27,
            Cancelled => 28,
            TeamUnreachable => 29,
            TeamCommand => 30,
            TeamMissingKey => 31,
            TeamUnreadable => 32,
            TeamNoSuchKey => 33,
            TeamReadOnly => 34,
            TeamStaleGeneration => 35,
            TeamLocked => 36,
            Unauthorized => 37,
            ForbiddenHost => 38,
            ForbiddenOrigin => 39,
            DesktopOnly => 40,
            Internal => 41,
            Usage => 42,
            MissingArgument => 43,
            Runtime => 44,
        }
    }
    let slots: BTreeSet<usize> = ErrorCode::ALL.iter().map(|&c| slot(c)).collect();
    assert_eq!(slots, (0..45).collect::<BTreeSet<_>>());
}

fn crypto_samples() -> Vec<CryptoError> {
    vec![
        CryptoError::Base64 {
            field: "iv",
            reason: "bad".into(),
        },
        CryptoError::Length {
            field: "iv",
            expected: 16,
            actual: 3,
        },
        CryptoError::BlockLength {
            field: "encrypted_data",
            len: 5,
        },
        CryptoError::Padding,
        CryptoError::Plaintext {
            expected: "JSON",
            reason: "eof".into(),
        },
        CryptoError::WatermarkMismatch {
            expected: "wx0123456789abcdef".into(),
            actual: "wxfedcba9876543210".into(),
        },
        CryptoError::SignatureMismatch,
        CryptoError::AppidMismatch {
            expected: "wx0123456789abcdef".into(),
            actual: "wxfedcba9876543210".into(),
        },
        CryptoError::Frame("short".into()),
        CryptoError::Xml("eof".into()),
    ]
}

fn wechat_samples() -> Vec<W> {
    let mut v = vec![
        W::Api {
            errcode: 40013,
            errmsg: "invalid appid".into(),
            rid: None,
        },
        W::Connect {
            endpoint: "cgi-bin/token".into(),
            reason: "refused".into(),
        },
        W::Timeout {
            endpoint: "cgi-bin/token".into(),
            timeout_ms: 10,
        },
        W::Transport {
            endpoint: "cgi-bin/token".into(),
            reason: "reset".into(),
        },
        W::Http {
            endpoint: "cgi-bin/token".into(),
            status: 502,
            body: String::new(),
        },
        W::Decode {
            endpoint: "cgi-bin/token".into(),
            reason: "not json".into(),
            body: String::new(),
        },
        W::invalid("appid", "must start with wx"),
    ];
    v.extend(crypto_samples().into_iter().map(W::Crypto));
    v
}

#[test]
fn protocol_and_crypto_errors_keep_their_codes() {
    for e in wechat_samples() {
        // The protocol crate's own kind() is the legacy wire string.
        assert_eq!(ErrorCode::of_wechat(&e).as_str(), e.kind(), "{e:?}");
        let desk = Error::Wechat(e);
        assert_eq!(
            desk.code(),
            ErrorCode::of_wechat(match &desk {
                Error::Wechat(w) => w,
                _ => unreachable!(),
            })
        );
        assert_eq!(desk.body().code, desk.code());
    }
}

#[test]
fn crypto_failures_carry_a_hint_from_the_core() {
    for c in crypto_samples() {
        let e = Error::Wechat(W::Crypto(c.clone()));
        let hint = e.hint().unwrap_or_default();
        assert!(hint.len() > 20, "{c:?} has no useful hint: {hint:?}");
        let zh = e.body().hint_zh.unwrap_or_default();
        assert!(
            zh.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)),
            "{c:?} has no Chinese hint: {zh:?}"
        );
    }
    let e = Error::Wechat(W::Crypto(CryptoError::WatermarkMismatch {
        expected: "wx0123456789abcdef".into(),
        actual: "wxfedcba9876543210".into(),
    }));
    assert!(e.hint().unwrap().contains("another mini program"));
}

#[test]
fn vault_and_team_errors_keep_their_codes() {
    let vault = [
        (VaultError::KeyMissing("x".into()), "vault_key_missing"),
        (
            VaultError::KeyInvalid {
                path: "k".into(),
                reason: "r".into(),
            },
            "vault_key_invalid",
        ),
        (
            VaultError::WrongKey {
                purpose: "secret".into(),
            },
            "vault_wrong_key",
        ),
        (
            VaultError::Malformed {
                purpose: "secret".into(),
                reason: "r".into(),
            },
            "vault_malformed",
        ),
        (VaultError::KeyStore("ro".into()), "vault_key_store"),
    ];
    for (v, want) in vault {
        assert_eq!(v.code(), want);
        let e = Error::Vault(v);
        assert_eq!(e.code(), want);
        assert!(e.hint().is_some());
    }
    let key = || "wx:token".to_string();
    let team = [
        (TeamError::BadUrl("x".into()), "invalid_input"),
        (
            TeamError::Unreachable {
                at: "127.0.0.1:1".into(),
                reason: "refused".into(),
            },
            "team_unreachable",
        ),
        (
            TeamError::Command {
                command: "GET",
                key: key(),
                reason: "r".into(),
            },
            "team_command",
        ),
        (
            TeamError::Missing {
                what: "token",
                key: key(),
                layout: "wxdesk".into(),
                expected: "e".into(),
            },
            "team_missing_key",
        ),
        (
            TeamError::Unreadable {
                key: key(),
                layout: "wxdesk".into(),
                reason: "r".into(),
            },
            "team_unreadable",
        ),
        (TeamError::NoSuchKey("n".into()), "team_no_such_key"),
        (TeamError::ReadOnly { key: key() }, "team_read_only"),
        (
            TeamError::StaleGeneration {
                key: key(),
                mine: 1,
                current: 2,
            },
            "team_stale_generation",
        ),
        (TeamError::Locked { key: key() }, "team_locked"),
    ];
    for (t, want) in team {
        let e = Error::Team(t);
        assert_eq!(e.code(), want, "{e}");
        assert!(e.hint().is_some());
    }
}

#[test]
fn the_body_carries_the_enum_as_its_wire_string() {
    let e = Error::not_found("app", "wx0123456789abcdef");
    let v = serde_json::to_value(e.body()).unwrap();
    assert_eq!(v["code"], "not_found");
    let back: ErrorBody = serde_json::from_value(v).unwrap();
    assert_eq!(back.code, ErrorCode::NotFound);
}
