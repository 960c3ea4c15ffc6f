//! Open-data decryption inputs through `wxdesk decrypt data`: keys and IVs of
//! the wrong size or alphabet, ciphertext cut or padded wrongly, a megabyte
//! of noise, plaintext that is not JSON, the watermark of another app.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use wxdesk_wechat::crypto::encrypt_open_data;

use crate::common::random_appid;
use crate::harness::{fail, ok, ok_if, Case, Expect, Fx};

const B64E: &str = "invalid_base64";
const LEN: &str = "invalid_length";
const DEC: &str = "decrypt_failed";

fn row(name: &str, key: &str, iv: &str, data: &str, appid: Option<&str>, expect: Expect) -> Case {
    let mut args = vec![
        "decrypt",
        "data",
        "--session-key",
        key,
        "--iv",
        iv,
        "--data",
        data,
    ];
    if let Some(a) = appid {
        args.extend(["--appid", a]);
    }
    Case::cli(name, &args, expect)
}

pub fn cases(fx: &Fx) -> Vec<Case> {
    let key = fx.secret(&B64.encode(rand::random::<[u8; 16]>()));
    let iv = B64.encode(rand::random::<[u8; 16]>());
    let appid = random_appid();
    let plain = format!(
        r#"{{"phoneNumber":"13800138000","watermark":{{"appid":"{appid}","timestamp":1714521600}}}}"#
    );
    let data = encrypt_open_data(&key, &iv, &plain).unwrap();
    let not_json = encrypt_open_data(&key, &iv, "not json at all").unwrap();
    let no_mark = encrypt_open_data(&key, &iv, r#"{"a":1}"#).unwrap();
    let other_key = B64.encode(rand::random::<[u8; 16]>());
    let noise = B64.encode(vec![7u8; 72 * 1024]);
    let k = key.as_str();
    let i = iv.as_str();
    let d = data.as_str();
    vec![
        row(
            "valid, watermark checked (a result)",
            k,
            i,
            d,
            Some(&appid),
            ok_if(|v| v.to_string().contains("13800138000")),
        ),
        row("valid, no appid given (a result)", k, i, d, None, ok()),
        row(
            "URL-encoded data (repaired)",
            k,
            i,
            &d.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
            None,
            ok(),
        ),
        row(
            "data wrapped over lines (repaired)",
            k,
            i,
            &format!("{}\n{}", &d[..10], &d[10..]),
            None,
            ok(),
        ),
        row(
            "the watermark of another app",
            k,
            i,
            d,
            Some(&random_appid()),
            fail("watermark_mismatch", "watermark"),
        ),
        row(
            "no watermark while an appid is expected",
            k,
            i,
            &no_mark,
            Some(&appid),
            fail("watermark_mismatch", "watermark"),
        ),
        row(
            "another session_key",
            &other_key,
            i,
            d,
            None,
            fail(DEC, "key|padding"),
        ),
        row(
            "session_key of 15 bytes",
            &B64.encode([1u8; 15]),
            i,
            d,
            None,
            fail(LEN, "session_key"),
        ),
        row(
            "session_key of 64 bytes",
            &B64.encode([1u8; 64]),
            i,
            d,
            None,
            fail(LEN, "session_key"),
        ),
        row(
            "session_key in Chinese",
            "会话密钥会话密钥会话密钥会话密钥会话密钥会话密钥",
            i,
            d,
            None,
            fail(B64E, "session_key"),
        ),
        row(
            "session_key empty",
            "",
            i,
            d,
            None,
            fail(
                "invalid_base64|invalid_length|invalid_input|missing_argument",
                "session_key|session-key",
            ),
        ),
        row(
            "iv of 12 bytes",
            k,
            &B64.encode([2u8; 12]),
            d,
            None,
            fail(LEN, "iv"),
        ),
        row(
            "iv with junk",
            k,
            "!!!!!!!!!!!!!!!!!!!!!!!!",
            d,
            None,
            fail(B64E, "iv"),
        ),
        row(
            "iv in Chinese",
            k,
            "初始向量初始向量初始向量",
            d,
            None,
            fail(B64E, "iv"),
        ),
        row(
            "data cut by 5 characters",
            k,
            i,
            &d[..d.len() - 5],
            None,
            fail("invalid_base64|invalid_length", "encrypted_data|data"),
        ),
        row(
            "data cut to 17 bytes",
            k,
            i,
            &B64.encode(&B64.decode(d).unwrap()[..17]),
            None,
            fail(LEN, "encrypted_data|data"),
        ),
        row(
            "data empty",
            k,
            i,
            "",
            None,
            fail(
                "invalid_length|invalid_base64|invalid_input",
                "encrypted_data|data",
            ),
        ),
        row(
            "data with emoji",
            k,
            i,
            &format!("{d}🙂"),
            None,
            fail(B64E, "encrypted_data|data"),
        ),
        row(
            "96 KB of noise (near the argument limit)",
            k,
            i,
            &noise,
            None,
            fail(DEC, "key|padding"),
        ),
        row(
            "plaintext that is not JSON",
            k,
            i,
            &not_json,
            None,
            fail(DEC, "json"),
        ),
        row(
            "session_key pasted with spaces for plus (repaired)",
            &k.replace('+', " "),
            i,
            d,
            Some(&appid),
            ok(),
        ),
    ]
}
