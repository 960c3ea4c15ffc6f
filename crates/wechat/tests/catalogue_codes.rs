//! The error catalogue covers every errcode of the reference and explains
//! whitelist errors with the caller IP.

use std::collections::HashSet;

use wxdesk_wechat::catalogue::{entries, explain, extract_ip};

/// Every errcode of wechat-api.md §7, ranges expanded, copied by hand from the table.
/// (The 61051–61061 range has no 61059: §6.4 lists 61051–61058, 61060, 61061.
/// 8950x lists 89501, 89503, 89506, 89507.)
const SECTION_7: &[i64] = &[
    -1, 0, 40001, 40002, 40013, 40029, 40097, 40125, 40163, 40164, 40170, 40226, 40243, 41001,
    41002, 41004, 41008, 41030, 42001, 43002, 45009, 45011, 47001, 48001, 48006, 61003, 61004,
    61005, 61006, 61007, 61009, 61010, 61011, 61023, 61024, 61025, 61028, 61029, 61051, 61052,
    61053, 61054, 61055, 61056, 61057, 61058, 61060, 61061, 61070, 76003, 76021, 76022, 86004,
    87009, 89247, 89248, 89249, 89250, 89251, 89252, 89253, 89254, 89255, 89501, 89503, 89506,
    89507, 89000, 89001, 89002, 89003, 89004,
];

/// Errcodes mentioned in the endpoint tables of §0, §2, §3 and §6, by hand.
const SECTIONS_2_3_6: &[i64] = &[
    // §0: wechatpy retries on these
    40001, 40014, 42001, // §2.1 code2Session
    40029, 45011, 40226, -1, 40163, 40013, 40125, // §2.2 getAccessToken
    40002, 40164, 40243, 41004, 89503, 89501, 89506, 89507, // §2.3 stable_token
    41002, 43002, 45009, // §2.4 getPhoneNumber
    1400001, 1421102, // §2.5 checksession
    87009,   // §2.6 getwxacodeunlimit (41030 via §7), §2.7 quota
    76021, 76022, 76003, 48006, // §3.2 component token
    61004, 61005, 61006, 61011, 47001, 48001, // §3.4 / 3.5 / 3.7 / 3.8 / 3.9
    61009, 61010, 61023, 61003, 40170, 61025, // §6.1 enterprise fast registration
    89249, 89247, 86004, 61070, 89248, 89250, 89251, 89252, 89253, 89254, 89255,
    // §6.4 OA-reuse registration
    61051, 61052, 61053, 61054, 61055, 61056, 61057, 61058, 61028, 61029, 61060, 61061,
];

#[test]
fn every_documented_code_is_known() {
    let mut missing = Vec::new();
    for &code in SECTION_7.iter().chain(SECTIONS_2_3_6) {
        let x = explain(code, None);
        if !x.known {
            missing.push(code);
        }
        assert_eq!(x.errcode, code);
    }
    assert!(missing.is_empty(), "not catalogued: {missing:?}");
}

#[test]
fn no_duplicate_codes() {
    let mut seen = HashSet::new();
    for e in entries() {
        assert!(seen.insert(e.errcode), "duplicate errcode {}", e.errcode);
    }
    assert!(entries().len() >= SECTION_7.len());
}

#[test]
fn every_entry_is_complete_and_the_hint_adds_something() {
    for e in entries() {
        assert!(!e.zh.trim().is_empty(), "{}: empty zh", e.errcode);
        assert!(!e.en.trim().is_empty(), "{}: empty en", e.errcode);
        assert!(!e.hint.trim().is_empty(), "{}: empty hint", e.errcode);
        assert_ne!(e.hint, e.zh, "{}", e.errcode);
        assert_ne!(e.hint, e.en, "{}", e.errcode);
        assert!(
            e.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{}: zh has no Chinese",
            e.errcode
        );
        assert!(
            !e.hint.contains("  "),
            "{}: stray double space in hint",
            e.errcode
        );
        let x = explain(e.errcode, None);
        assert!(x.known);
        assert_eq!((x.zh.as_str(), x.en.as_str()), (e.zh, e.en));
    }
}

#[test]
fn advice_is_specific_where_it_matters() {
    let hint = |c| explain(c, None).hint;
    assert!(hint(40001).contains("stable_token") && hint(40001).contains("once"));
    assert!(hint(45009).contains("quota/get") && hint(45009).contains("10"));
    assert!(hint(48006).contains("10"));
    assert!(hint(61023).contains("api_get_authorizer_list"));
    assert!(hint(40163).contains("wx.login") && hint(40163).to_lowercase().contains("never retry"));
    assert!(hint(61005).contains("api_start_push_ticket"));
    assert!(hint(61024).contains("api_component_token"));
}

#[test]
fn ipv4_from_a_40164_errmsg() {
    let x = explain(
        40164,
        Some("invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 64a1b2c3-1d2e3f40-5a6b7c8d"),
    );
    assert!(x.known);
    assert_eq!(x.caller_ip.as_deref(), Some("1.2.3.4"));
    assert!(x.hint.contains("1.2.3.4"), "{}", x.hint);
    assert!(
        x.hint
            .contains("mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单"),
        "{}",
        x.hint
    );
}

#[test]
fn ip_from_a_61004_errmsg() {
    let x = explain(
        61004,
        Some("access clientip is not registered, not in whitelist rid: 6123abcd-11112222-33334444, requestIP: 203.0.113.77"),
    );
    assert_eq!(x.caller_ip.as_deref(), Some("203.0.113.77"));
    assert!(x.hint.contains("203.0.113.77"), "{}", x.hint);
    assert!(
        x.hint
            .contains("open.weixin.qq.com → 管理中心 → 第三方平台")
            && x.hint.contains("开发资料 → 白名单IP"),
        "{}",
        x.hint
    );
    assert!(
        !x.hint.contains("开发管理 → 开发设置"),
        "61004 is the platform whitelist: {}",
        x.hint
    );
}

#[test]
fn ipv6_only() {
    let msg = "invalid ip 2408:8207:1851:abcd::9 ipv6 2408:8207:1851:abcd::9, not in whitelist rid: 6a-6b";
    let x = explain(40164, Some(msg));
    assert_eq!(x.caller_ip.as_deref(), Some("2408:8207:1851:abcd::9"));
    assert!(x.hint.contains("2408:8207:1851:abcd::9"));
    assert!(x.hint.contains("IPv6"), "{}", x.hint);
    assert_eq!(extract_ip("from [::1]"), Some("::1".to_string()));
}

#[test]
fn mapped_ipv6_becomes_ipv4_and_ports_are_dropped() {
    assert_eq!(
        extract_ip("invalid ip ::ffff:198.51.100.2, not in whitelist"),
        Some("198.51.100.2".into())
    );
    assert_eq!(
        extract_ip("client 198.51.100.3:54321 rejected"),
        Some("198.51.100.3".into())
    );
}

#[test]
fn no_ip_in_the_message() {
    for msg in [
        Some("access clientip is not registered, not in whitelist rid: 617682e0-09059ac5-34a8e2ea"),
        Some(""),
        None,
    ] {
        let x = explain(61004, msg);
        assert_eq!(x.caller_ip, None);
        assert!(x.hint.contains("白名单IP"), "{}", x.hint);
        assert!(x.hint.contains("egress IP"), "{}", x.hint);
    }
    // Version-like or rid-like fragments are not IPs.
    assert_eq!(
        extract_ip("api v1.2 rid: 6a1b2c3d-11223344-55667788 at 12:30"),
        None
    );
}

#[test]
fn ip_is_only_extracted_for_whitelist_errors() {
    let x = explain(40001, Some("invalid credential 1.2.3.4"));
    assert_eq!(x.caller_ip, None);
    let x = explain(89503, Some("need admin confirm ip 192.0.2.5"));
    assert_eq!(x.caller_ip.as_deref(), Some("192.0.2.5"));
    assert!(x.hint.contains("192.0.2.5"));
}

#[test]
fn unknown_code() {
    let x = explain(
        99999999,
        Some("weird failure rid: 617682e0-09059ac5-34a8e2ea"),
    );
    assert!(!x.known);
    assert_eq!(x.errcode, 99999999);
    assert_eq!(x.caller_ip, None);
    assert!(!x.zh.is_empty() && !x.en.is_empty());
    assert!(x.hint.contains("openapi/rid/get"), "{}", x.hint);
    assert!(x.hint.contains("617682e0-09059ac5-34a8e2ea"), "{}", x.hint);
    assert!(x.hint.contains("weird failure"), "{}", x.hint);
    let y = explain(-2, None);
    assert!(!y.known);
    assert!(y.hint.contains("openapi/rid/get"));
}

#[test]
fn explanation_serializes() {
    let v =
        serde_json::to_value(explain(40164, Some("invalid ip 1.2.3.4, not in whitelist"))).unwrap();
    assert_eq!(v["errcode"], 40164);
    assert_eq!(v["known"], true);
    assert_eq!(v["caller_ip"], "1.2.3.4");
    assert!(v["hint"].as_str().unwrap().contains("1.2.3.4"));
}

/// Errcodes of code management (templates, commit, testers, domains, privacy,
/// audit, release) that the sandbox answers or WeChat's pages document.
const CODE_MANAGEMENT: &[i64] = &[
    40005, 40006, 40007, 40009, 40011, 41005, 44002, 61039, 85001, 85002, 85003, 85004, 85006,
    85007, 85008, 85009, 85010, 85011, 85012, 85013, 85014, 85015, 85016, 85017, 85018, 85019,
    85020, 85021, 85023, 85043, 85044, 85045, 85046, 85047, 85048, 85051, 85052, 85064, 85065,
    85066, 85068, 85069, 85070, 85071, 85072, 85073, 85074, 85077, 85079, 85080, 85081, 85082,
    85083, 85084, 85085, 85086, 85087, 85092, 85093, 85301, 85302, 86000, 86001, 86002, 86007,
    86008, 86009, 86010, 87006, 87011, 87012, 87013, 89019, 89020, 89021, 89029, 89231, 89401,
    89402, 89403, 89404, 89405, 9402202,
];

#[test]
fn every_code_management_code_is_known_with_a_fix_in_both_languages() {
    let mut missing = Vec::new();
    for &code in CODE_MANAGEMENT {
        let x = explain(code, None);
        if !x.known {
            missing.push(code);
            continue;
        }
        assert!(
            x.hint_zh
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{code}"
        );
        assert!(!x.hint.is_empty() && x.hint != x.en, "{code}");
    }
    assert!(missing.is_empty(), "not catalogued: {missing:?}");
    let fix = |c| explain(c, None).hint;
    assert!(fix(85009).contains("undocodeaudit") && fix(85009).contains("10 a month"));
    assert!(fix(85065).contains("200") && fix(85065).contains("deletetemplate"));
    assert!(fix(87013).contains("1 a day"));
    assert!(fix(61039).contains("modify_wxa_server_domain"));
}
