//! Open-data decryption beyond the published vector: pasted-value repair,
//! wrong keys, the watermark, and signature helpers.

use wxdesk_wechat::crypto::{
    checksession_signature, decrypt_open_data, encrypt_open_data, repair_base64, session_signature,
    verify_hex,
};
use wxdesk_wechat::CryptoError;

// Official decryption demo (wechat-api.md §1.1, vector A).
const APPID: &str = "wx4f4bc4dec97d474b";
const SESSION_KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";
const DATA: &str = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==";
const PLAINTEXT: &str = r#"{"openId":"oGZUI0egBJY1zhBYw2KhdUfwVJJE","nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong","country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/aSKcBBPpibyKNicHNTMM0qJVh8Kjgiak2AHWr8MHM4WgMEm7GFhsf8OYrySdbvAMvTsw3mo8ibKicsnfN5pRjl1p8HQ/0","unionId":"ocMvos6NjeKLIBqg5Mr9QjxrP1FA","watermark":{"timestamp":1477314187,"appid":"wx4f4bc4dec97d474b"}}"#;

#[test]
fn official_vector_fields() {
    let out = decrypt_open_data(SESSION_KEY, IV, DATA, Some(APPID)).unwrap();
    assert_eq!(out.plaintext, PLAINTEXT);
    assert_eq!(out.json["nickName"], "Band");
    assert_eq!(out.watermark_appid.as_deref(), Some(APPID));
    assert_eq!(out.watermark_timestamp, Some(1_477_314_187));
    assert!(out.repairs.is_empty());
}

#[test]
fn pasted_values_are_repaired_and_reported() {
    assert!(DATA.contains('+'));
    let wrapped: String = DATA
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    let cases = [
        (DATA.replace('+', " "), "form-decoded"),
        (
            DATA.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
            "URL-encoded",
        ),
        (format!("{wrapped}\n"), "wrapped"),
        (DATA.replace('+', "-").replace('/', "_"), "URL-safe"),
        (DATA.trim_end_matches('=').to_string(), "padding was added"),
    ];
    for (pasted, expect) in cases {
        let out = decrypt_open_data(SESSION_KEY, IV, &pasted, Some(APPID))
            .unwrap_or_else(|e| panic!("{expect}: {e}"));
        assert_eq!(out.plaintext, PLAINTEXT, "{expect}");
        assert_eq!(out.repairs.len(), 1, "{expect}");
        assert_eq!(out.repairs[0].field, "encrypted_data");
        assert!(
            out.repairs[0].what.contains(expect),
            "{expect}: {}",
            out.repairs[0].what
        );
    }
    // Repairs of several fields are all reported, each naming its field.
    let out = decrypt_open_data(
        &SESSION_KEY.replace('=', "%3D"),
        &format!(" {IV}\n"),
        DATA,
        Some(APPID),
    )
    .unwrap();
    let fields: Vec<_> = out.repairs.iter().map(|r| r.field).collect();
    assert_eq!(fields, ["session_key", "iv"]);
    assert_eq!(out.plaintext, PLAINTEXT);
}

#[test]
fn clean_values_report_no_repair() {
    for v in [SESSION_KEY, IV, DATA] {
        let (out, repair) = repair_base64("encrypted_data", v);
        assert_eq!(out, v);
        assert_eq!(repair, None);
    }
}

#[test]
fn wrong_session_key_fails_cleanly() {
    let res = decrypt_open_data("HyVFkGl5F5OQWJZZaNzBBg==", IV, DATA, Some(APPID));
    assert!(
        matches!(
            res,
            Err(CryptoError::Padding | CryptoError::Plaintext { .. })
        ),
        "{res:?}"
    );
    // A wrong IV garbles only the first block: JSON is broken, padding is not.
    let res = decrypt_open_data(SESSION_KEY, "AAAAAAAAAAAAAAAAAAAAAA==", DATA, Some(APPID));
    assert!(matches!(res, Err(CryptoError::Plaintext { .. })), "{res:?}");
}

#[test]
fn watermark_mismatch_names_both_appids() {
    let err = decrypt_open_data(SESSION_KEY, IV, DATA, Some("wx0000000000000000")).unwrap_err();
    assert_eq!(
        err,
        CryptoError::WatermarkMismatch {
            expected: "wx0000000000000000".into(),
            actual: APPID.into()
        }
    );
    assert!(decrypt_open_data(SESSION_KEY, IV, DATA, None).is_ok());
}

#[test]
fn tampered_data_is_rejected() {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let ct = engine.decode(DATA).unwrap();
    // Damage to the final block (padding) or the one before it is always caught.
    for i in ct.len() - 32..ct.len() {
        let mut t = ct.clone();
        t[i] ^= 0x04;
        let res = decrypt_open_data(SESSION_KEY, IV, &engine.encode(&t), None);
        assert!(
            matches!(
                res,
                Err(CryptoError::Padding | CryptoError::Plaintext { .. })
            ),
            "byte {i}: {res:?}"
        );
    }
    // Not a whole number of blocks.
    assert!(matches!(
        decrypt_open_data(SESSION_KEY, IV, &engine.encode(&ct[..ct.len() - 1]), None),
        Err(CryptoError::BlockLength {
            field: "encrypted_data",
            len: 399
        })
    ));
}

#[test]
fn round_trip_chinese() {
    let pt = r#"{"nickName":"微信用户","watermark":{"appid":"wx1","timestamp":"1700000000"}}"#;
    let ct = encrypt_open_data(SESSION_KEY, IV, pt).unwrap();
    let out = decrypt_open_data(SESSION_KEY, IV, &ct, Some("wx1")).unwrap();
    assert_eq!(out.plaintext, pt);
    assert_eq!(out.watermark_timestamp, Some(1_700_000_000));
}

#[test]
fn signatures() {
    let sig = checksession_signature(SESSION_KEY);
    assert_eq!(sig, session_signature(SESSION_KEY, ""));
    assert_eq!(sig.len(), 64);
    assert!(sig
        .chars()
        .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    assert!(verify_hex(&sig, &sig.to_uppercase()));
    assert!(!verify_hex(&sig, &session_signature(SESSION_KEY, "x")));
}
