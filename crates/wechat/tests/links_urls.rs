//! Authorization and fast-registration links: exact URLs, encoding, validation,
//! and parsing the address the browser lands on.

use url::Url;
use wxdesk_wechat::links::{
    auth_link, fastregister_link, parse_callback, validate_appid, AuthLinkKind, AuthLinkParams,
    CallbackParams, FastRegisterLinkParams,
};
use wxdesk_wechat::{Bases, Error};

const COMPONENT: &str = "wx1234567890abcdef";
const PRE_AUTH: &str = "Cx_Dk6qiBE0Dmx4EmlT3oRfArPvwSQ-oa3NL_fwHM7VI08r52wazoZX2Rhpz1dEw";

fn params(redirect: &str) -> AuthLinkParams {
    AuthLinkParams {
        component_appid: COMPONENT.into(),
        pre_auth_code: PRE_AUTH.into(),
        redirect_uri: redirect.into(),
        auth_type: None,
        biz_appid: None,
        category_ids: vec![],
    }
}

fn field_of(e: Error) -> (String, String) {
    match e {
        Error::InvalidInput { field, reason } => (field, reason),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

/// The value of query parameter `name`, percent-decoded.
fn query_value(link: &str, name: &str) -> Option<String> {
    let u = Url::parse(link).unwrap();
    u.query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .last()
}

#[test]
fn pc_link_is_exact() {
    let link = auth_link(
        &Bases::production(),
        AuthLinkKind::Pc,
        &params("https://www.qq.com/auth/callback?from=mp"),
    )
    .unwrap();
    assert_eq!(
        link,
        "https://mp.weixin.qq.com/cgi-bin/componentloginpage?component_appid=wx1234567890abcdef\
         &pre_auth_code=Cx_Dk6qiBE0Dmx4EmlT3oRfArPvwSQ-oa3NL_fwHM7VI08r52wazoZX2Rhpz1dEw\
         &redirect_uri=https%3A%2F%2Fwww.qq.com%2Fauth%2Fcallback%3Ffrom%3Dmp&auth_type=3"
    );
}

#[test]
fn pc_link_with_all_options_is_exact() {
    let mut p = params("https://your.domain/cb");
    p.auth_type = Some(2);
    p.biz_appid = Some("wxabcdef0123456789".into());
    p.category_ids = vec![99, 100, 99];
    let link = auth_link(&Bases::production(), AuthLinkKind::Pc, &p).unwrap();
    assert_eq!(
        link,
        "https://mp.weixin.qq.com/cgi-bin/componentloginpage?component_appid=wx1234567890abcdef\
         &pre_auth_code=Cx_Dk6qiBE0Dmx4EmlT3oRfArPvwSQ-oa3NL_fwHM7VI08r52wazoZX2Rhpz1dEw\
         &redirect_uri=https%3A%2F%2Fyour.domain%2Fcb&auth_type=2&biz_appid=wxabcdef0123456789\
         &category_id_list=99%7C100"
    );
    // Decoded, the list is the documented `99|100`.
    assert_eq!(
        query_value(&link, "category_id_list").as_deref(),
        Some("99|100")
    );
}

#[test]
fn h5_link_is_exact_on_the_open_host() {
    let mut p = params("https://your.domain/cb");
    p.biz_appid = Some("wxabcdef0123456789".into());
    p.auth_type = Some(6);
    let link = auth_link(&Bases::production(), AuthLinkKind::H5, &p).unwrap();
    assert_eq!(
        link,
        "https://open.weixin.qq.com/wxaopen/safe/bindcomponent?action=bindcomponent&no_scan=1\
         &component_appid=wx1234567890abcdef\
         &pre_auth_code=Cx_Dk6qiBE0Dmx4EmlT3oRfArPvwSQ-oa3NL_fwHM7VI08r52wazoZX2Rhpz1dEw\
         &redirect_uri=https%3A%2F%2Fyour.domain%2Fcb&auth_type=6&biz_appid=wxabcdef0123456789#wechat_redirect"
    );
}

#[test]
fn h5_ends_with_wechat_redirect_and_never_uses_the_legacy_host() {
    for auth_type in [
        None,
        Some(1),
        Some(2),
        Some(3),
        Some(4),
        Some(5),
        Some(6),
        Some(8),
    ] {
        let mut p = params("https://your.domain/cb?x=1#frag");
        p.auth_type = auth_type;
        p.category_ids = vec![1, 2, 3];
        let h5 = auth_link(&Bases::production(), AuthLinkKind::H5, &p).unwrap();
        assert!(
            h5.starts_with("https://open.weixin.qq.com/wxaopen/safe/bindcomponent?"),
            "{h5}"
        );
        assert!(h5.ends_with("#wechat_redirect"), "{h5}");
        assert_eq!(
            h5.matches('#').count(),
            1,
            "the redirect's own fragment must be encoded: {h5}"
        );
        let pc = auth_link(&Bases::production(), AuthLinkKind::Pc, &p).unwrap();
        for link in [&h5, &pc] {
            assert!(
                !link.contains("mp.weixin.qq.com/safe/bindcomponent"),
                "{link}"
            );
            let expected = auth_type.unwrap_or(3).to_string();
            assert_eq!(
                query_value(link, "auth_type").as_deref(),
                Some(expected.as_str())
            );
        }
        assert!(!pc.contains('#'), "{pc}");
    }
}

#[test]
fn fastregister_link_matches_the_doc_example() {
    // §4.3 example, with the doc's 15-digit placeholder component appid
    // (wx666666666666123, not a valid AppID) replaced by a 16-digit one.
    let doc = "https://mp.weixin.qq.com/cgi-bin/fastregisterauth?appid=wx28f759479ea1e090\
               &component_appid=wx6666666666661234&copy_wx_verify=1\
               &redirect_uri=https%3a%2f%2fwww.qq.com%2fauth%2fcallback%3ffrom%3dmp";
    let link = fastregister_link(
        &Bases::production(),
        &FastRegisterLinkParams {
            component_appid: "wx6666666666661234".into(),
            appid: "wx28f759479ea1e090".into(),
            redirect_uri: "https://www.qq.com/auth/callback?from=mp".into(),
            copy_wx_verify: true,
        },
    )
    .unwrap();
    assert_eq!(link.to_lowercase(), doc.to_lowercase());
    assert_eq!(
        link,
        "https://mp.weixin.qq.com/cgi-bin/fastregisterauth?appid=wx28f759479ea1e090\
         &component_appid=wx6666666666661234&copy_wx_verify=1\
         &redirect_uri=https%3A%2F%2Fwww.qq.com%2Fauth%2Fcallback%3Ffrom%3Dmp"
    );
    // The doc's own placeholder is rejected: it is one digit short.
    assert!(validate_appid("component_appid", "wx666666666666123").is_err());
}

#[test]
fn fastregister_copy_wx_verify_zero() {
    let link = fastregister_link(
        &Bases::production(),
        &FastRegisterLinkParams {
            component_appid: COMPONENT.into(),
            appid: "wx28f759479ea1e090".into(),
            redirect_uri: "https://www.qq.com/cb".into(),
            copy_wx_verify: false,
        },
    )
    .unwrap();
    assert_eq!(query_value(&link, "copy_wx_verify").as_deref(), Some("0"));
}

#[test]
fn redirect_uri_round_trips_through_encoding() {
    let inputs = [
        "https://www.qq.com/auth/callback?from=mp",
        "https://your.domain/回调/授权?商户=张三&note=a%20b+c&pct=100%25&list=1|2#/after",
        "http://127.0.0.1:8080/cb?x=1&y=2&z='quoted'(!)*~",
        "https://例子.测试/路径?q=中文",
    ];
    for input in inputs {
        for kind in [AuthLinkKind::Pc, AuthLinkKind::H5] {
            let link = auth_link(&Bases::production(), kind, &params(input)).unwrap();
            // Nothing of the redirect leaks into WeChat's own query.
            let raw = link
                .split("redirect_uri=")
                .nth(1)
                .unwrap()
                .split('&')
                .next()
                .unwrap();
            let raw = raw.trim_end_matches("#wechat_redirect");
            assert!(
                raw.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)),
                "{raw}"
            );
            let decoded = percent_encoding::percent_decode_str(raw)
                .decode_utf8()
                .unwrap();
            assert_eq!(decoded, input);
            assert_eq!(query_value(&link, "redirect_uri").as_deref(), Some(input));
        }
        let fr = fastregister_link(
            &Bases::production(),
            &FastRegisterLinkParams {
                component_appid: COMPONENT.into(),
                appid: "wx28f759479ea1e090".into(),
                redirect_uri: input.into(),
                copy_wx_verify: true,
            },
        )
        .unwrap();
        assert_eq!(query_value(&fr, "redirect_uri").as_deref(), Some(input));
    }
}

#[test]
fn bases_with_a_path_prefix_are_joined() {
    let bases = Bases::single("http://127.0.0.1:9/prefix").unwrap();
    let pc = auth_link(&bases, AuthLinkKind::Pc, &params("https://a.example/cb")).unwrap();
    assert!(
        pc.starts_with("http://127.0.0.1:9/prefix/cgi-bin/componentloginpage?"),
        "{pc}"
    );
    let h5 = auth_link(&bases, AuthLinkKind::H5, &params("https://a.example/cb")).unwrap();
    assert!(
        h5.starts_with("http://127.0.0.1:9/prefix/wxaopen/safe/bindcomponent?action=bindcomponent"),
        "{h5}"
    );
    // A hand-built base without the trailing slash keeps its prefix too.
    let mut odd = Bases::production();
    odd.mp = Url::parse("http://127.0.0.1:9/wx").unwrap();
    let fr = fastregister_link(
        &odd,
        &FastRegisterLinkParams {
            component_appid: COMPONENT.into(),
            appid: "wx28f759479ea1e090".into(),
            redirect_uri: "https://a.example/cb".into(),
            copy_wx_verify: true,
        },
    )
    .unwrap();
    assert!(
        fr.starts_with("http://127.0.0.1:9/wx/cgi-bin/fastregisterauth?appid="),
        "{fr}"
    );
}

#[test]
fn appid_validation() {
    for ok in [
        "wx1234567890abcdef",
        "wxABCDEF0123456789",
        "wx0000000000000000",
    ] {
        validate_appid("appid", ok).unwrap();
    }
    for bad in [
        "",
        "wx1234567890abcde",
        "wx1234567890abcdef0",
        "wx1234567890abcdeg",
        "WX1234567890abcdef",
        " wx1234567890abcdef",
        "wx1234567890abcdef\n",
        "gh_1234567890ab",
        "0123456789abcdef0123456789abcdef",
        "wx12345678９0abcde",
    ] {
        let (field, reason) = field_of(validate_appid("biz_appid", bad).unwrap_err());
        assert_eq!(field, "biz_appid", "{bad:?}");
        assert!(reason.contains("wx1234567890abcdef"), "{bad:?}: {reason}");
    }
    let (_, reason) = field_of(validate_appid("appid", "gh_1234567890ab").unwrap_err());
    assert!(reason.contains("原始ID"), "{reason}");
    let (_, reason) = field_of(validate_appid("component_appid", "nope").unwrap_err());
    assert!(reason.contains("open.weixin.qq.com"), "{reason}");
}

#[test]
fn every_invalid_auth_link_input_names_its_field() {
    let b = Bases::production();
    let check = |p: AuthLinkParams, expect: &str| {
        for kind in [AuthLinkKind::Pc, AuthLinkKind::H5] {
            let (field, reason) = field_of(auth_link(&b, kind, &p).unwrap_err());
            assert_eq!(field, expect, "{reason}");
            assert!(!reason.is_empty());
            // The single-use pre_auth_code never appears in a message.
            assert!(
                !reason.contains(&p.pre_auth_code) || p.pre_auth_code.is_empty(),
                "{reason}"
            );
        }
    };
    let base = || params("https://your.domain/cb");

    let mut p = base();
    p.component_appid = "wx123".into();
    check(p, "component_appid");

    let mut p = base();
    p.pre_auth_code = String::new();
    check(p, "pre_auth_code");
    let mut p = base();
    p.pre_auth_code = "secret code".into();
    check(p, "pre_auth_code");
    let mut p = base();
    p.pre_auth_code = "secretcode\n".into();
    check(p, "pre_auth_code");

    for bad in [
        "",
        "   ",
        "/cb",
        "your.domain/cb",
        "ftp://your.domain/cb",
        "javascript:alert(1)",
        "https://your.domain/c b",
        "https%3A%2F%2Fyour.domain%2Fcb",
        "http://",
    ] {
        let mut p = base();
        p.redirect_uri = bad.into();
        check(p, "redirect_uri");
    }

    for bad in [0u8, 7, 9, 255] {
        let mut p = base();
        p.auth_type = Some(bad);
        let (field, reason) = field_of(auth_link(&b, AuthLinkKind::Pc, &p).unwrap_err());
        assert_eq!(field, "auth_type");
        for allowed in ["1 =", "2 =", "3 =", "4 =", "5 =", "6 =", "8 ="] {
            assert!(reason.contains(allowed), "{reason}");
        }
    }

    let mut p = base();
    p.biz_appid = Some("wx-not-an-appid".into());
    check(p, "biz_appid");

    let mut p = base();
    p.category_ids = vec![17, 0];
    check(p, "category_ids");
}

#[test]
fn every_invalid_fastregister_input_names_its_field() {
    let b = Bases::production();
    let base = || FastRegisterLinkParams {
        component_appid: COMPONENT.into(),
        appid: "wx28f759479ea1e090".into(),
        redirect_uri: "https://your.domain/cb".into(),
        copy_wx_verify: true,
    };
    let mut p = base();
    p.component_appid = "bad".into();
    assert_eq!(
        field_of(fastregister_link(&b, &p).unwrap_err()).0,
        "component_appid"
    );
    let mut p = base();
    p.appid = "gh_abcdef".into();
    assert_eq!(field_of(fastregister_link(&b, &p).unwrap_err()).0, "appid");
    let mut p = base();
    p.redirect_uri = "not a url".into();
    assert_eq!(
        field_of(fastregister_link(&b, &p).unwrap_err()).0,
        "redirect_uri"
    );
}

#[test]
fn debug_output_hides_single_use_values() {
    let p = params("https://your.domain/cb");
    assert!(!format!("{p:?}").contains(PRE_AUTH));
    let c = parse_callback("auth_code=queryauthcode@@@SECRET&expires_in=600").unwrap();
    assert!(!format!("{c:?}").contains("SECRET"));
}

#[test]
fn callback_from_a_full_url() {
    let c = parse_callback(
        "https://your.domain/cb?from=mp&auth_code=queryauthcode@@@abc-DEF_123&expires_in=600",
    )
    .unwrap();
    assert_eq!(
        c,
        CallbackParams {
            auth_code: Some("queryauthcode@@@abc-DEF_123".into()),
            expires_in: Some(600),
            ticket: None,
        }
    );
}

#[test]
fn callback_from_the_fastregister_doc_example() {
    let c = parse_callback(
        "https://www.qq.com/auth/callback?from=mp&ticket=b25519093b1e97239eff9d2bfc07e08e",
    )
    .unwrap();
    assert_eq!(
        c.ticket.as_deref(),
        Some("b25519093b1e97239eff9d2bfc07e08e")
    );
    assert_eq!(c.auth_code, None);
    assert_eq!(c.expires_in, None);
}

#[test]
fn callback_from_a_query_string_with_or_without_question_mark() {
    for q in [
        "auth_code=abc%40%40%40def&expires_in=600",
        "?auth_code=abc%40%40%40def&expires_in=600",
        "  auth_code=abc@@@def&expires_in=600\n",
    ] {
        let c = parse_callback(q).unwrap();
        assert_eq!(c.auth_code.as_deref(), Some("abc@@@def"), "{q}");
        assert_eq!(c.expires_in, Some(600));
    }
}

#[test]
fn callback_query_string_containing_a_url() {
    let c = parse_callback("from=https://x.example/a&auth_code=abc&expires_in=600").unwrap();
    assert_eq!(c.auth_code.as_deref(), Some("abc"));
}

#[test]
fn callback_behind_a_hash_route() {
    let c =
        parse_callback("https://your.domain/#/onboard/done?auth_code=xyz&expires_in=600").unwrap();
    assert_eq!(c.auth_code.as_deref(), Some("xyz"));
}

#[test]
fn callback_last_value_wins() {
    // The redirect_uri already carried an auth_code; WeChat's is appended after it.
    let c = parse_callback("https://your.domain/cb?auth_code=stale&auth_code=fresh&expires_in=600")
        .unwrap();
    assert_eq!(c.auth_code.as_deref(), Some("fresh"));
}

#[test]
fn callback_errors_name_callback_url() {
    for bad in [
        "",
        "queryauthcode@@@abcdef",
        "https://your.domain/cb",
        "https://your.domain/cb?from=mp&auth_code=",
        "expires_in=600",
        "https://your.domain/cb?auth_code=x&expires_in=soon",
        "https://exa mple.com/?auth_code=x",
    ] {
        let (field, reason) = field_of(parse_callback(bad).unwrap_err());
        assert_eq!(field, "callback_url", "{bad:?}");
        assert!(!reason.is_empty());
    }
    // Pasting the authorization link instead of the landing address gets a specific hint.
    let link = auth_link(
        &Bases::production(),
        AuthLinkKind::Pc,
        &params("https://your.domain/cb"),
    )
    .unwrap();
    let (field, reason) = field_of(parse_callback(&link).unwrap_err());
    assert_eq!(field, "callback_url");
    assert!(reason.contains("authorization link itself"), "{reason}");
    // A bare code is not accepted and is not echoed.
    let (_, reason) = field_of(parse_callback("queryauthcode@@@SECRETVALUE").unwrap_err());
    assert!(!reason.contains("SECRETVALUE"), "{reason}");
}
