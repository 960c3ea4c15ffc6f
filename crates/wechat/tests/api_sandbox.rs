//! Every typed call of the protocol crate against the offline sandbox:
//! success and the main errors, plus the retry rules and the consent-page
//! round trip of every link kind.

use std::time::Duration;

use wxdesk_sandbox::{
    AccountKind, AuthorizeSeed, ComponentSeed, Fault, FaultKind, Sandbox, SandboxConfig,
    SandboxHandle,
};
use wxdesk_wechat::api::fastregister::{
    BetaRegistration, EnterpriseRegistration, EnterpriseSearch, EnterpriseTaskState,
    PersonalRegistration,
};
use wxdesk_wechat::api::login::{CodeToSessionRequest, ComponentCodeToSessionRequest};
use wxdesk_wechat::client::RetryPolicy;
use wxdesk_wechat::links::{
    auth_link, fastregister_link, parse_callback, AuthLinkKind, AuthLinkParams,
    FastRegisterLinkParams,
};
use wxdesk_wechat::{Bases, Client, ClientConfig, Error};

const APP: &str = "wx1111111111111111";
const APP_SECRET: &str = "0123456789abcdef0123456789abcdef";
const COMP: &str = "wx2222222222222222";
const COMP_SECRET: &str = "fedcba9876543210fedcba9876543210";
const AES_KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

async fn sandbox() -> SandboxHandle {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    sb.add_app(APP, APP_SECRET);
    sb.add_component(ComponentSeed {
        appid: COMP.into(),
        secret: COMP_SECRET.into(),
        token: "msgtoken".into(),
        encoding_aes_key: AES_KEY.into(),
        push_url: None,
        name: Some("Test Platform".into()),
    });
    sb
}

fn client(sb: &SandboxHandle) -> Client {
    Client::new(ClientConfig {
        bases: Bases::single(&sb.base_url()).unwrap(),
        timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_secs(1),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        },
        ..ClientConfig::default()
    })
    .unwrap()
}

fn errcode(r: Result<impl Sized, Error>) -> i64 {
    match r {
        Err(Error::Api { errcode, .. }) => errcode,
        Err(other) => panic!("expected an API error, got {other:?}"),
        Ok(_) => panic!("expected an API error, got success"),
    }
}

async fn component_token(c: &Client, sb: &SandboxHandle) -> String {
    let ticket = sb.issue_ticket(COMP).unwrap();
    c.component_token(COMP, COMP_SECRET, &ticket)
        .await
        .unwrap()
        .component_access_token
}

#[tokio::test]
async fn jscode2session_success_bad_reused_and_wrong_secret() {
    let sb = sandbox().await;
    let c = client(&sb);
    let code = sb.issue_js_code(APP, None);
    let req = CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: &code.code,
    };
    let s = c.code_to_session(&req).await.unwrap();
    assert_eq!(s.openid, code.openid);
    assert_eq!(s.session_key, code.session_key);
    assert_eq!(errcode(c.code_to_session(&req).await), 40163, "reused code");
    let bad = CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: "nonexistent",
    };
    assert_eq!(errcode(c.code_to_session(&bad).await), 40029);
    let fresh = sb.issue_js_code(APP, None);
    let wrong = CodeToSessionRequest {
        appid: APP,
        secret: "ffffffffffffffffffffffffffffffff",
        js_code: &fresh.code,
    };
    assert_eq!(errcode(c.code_to_session(&wrong).await), 40125);
    // Expired after 5 minutes.
    let late = sb.issue_js_code(APP, None);
    sb.advance_clock(Duration::from_secs(301));
    assert_eq!(
        errcode(
            c.code_to_session(&CodeToSessionRequest {
                appid: APP,
                secret: APP_SECRET,
                js_code: &late.code
            })
            .await
        ),
        40029
    );
    // Input is validated before anything is sent.
    let before = sb.counter("sns/jscode2session");
    match c
        .code_to_session(&CodeToSessionRequest {
            appid: "wx123",
            secret: APP_SECRET,
            js_code: "x",
        })
        .await
    {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "appid"),
        other => panic!("{:?}", other.err()),
    }
    assert_eq!(sb.counter("sns/jscode2session"), before);
}

#[tokio::test]
async fn component_jscode2session_requires_authorization() {
    let sb = sandbox().await;
    let c = client(&sb);
    let cat = component_token(&c, &sb).await;
    let auth = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: None,
            kind: AccountKind::MiniProgram,
            func_ids: vec![],
        })
        .unwrap();
    let code = sb.issue_js_code(&auth.authorizer_appid, None);
    let s = c
        .component_code_to_session(&ComponentCodeToSessionRequest {
            appid: &auth.authorizer_appid,
            js_code: &code.code,
            component_appid: COMP,
            component_access_token: &cat,
        })
        .await
        .unwrap();
    assert_eq!(s.openid, code.openid);
    // The plain app has not authorized the platform: 61003.
    let other = sb.issue_js_code(APP, None);
    let r = c
        .component_code_to_session(&ComponentCodeToSessionRequest {
            appid: APP,
            js_code: &other.code,
            component_appid: COMP,
            component_access_token: &cat,
        })
        .await;
    assert_eq!(errcode(r), 61003);
}

#[tokio::test]
async fn legacy_token_rotates_and_stable_token_does_not() {
    let sb = sandbox().await;
    let c = client(&sb);
    let a = c.legacy_access_token(APP, APP_SECRET).await.unwrap();
    let b = c.legacy_access_token(APP, APP_SECRET).await.unwrap();
    assert_ne!(a.access_token, b.access_token);
    assert!(a.expires_in > 7000);
    let s1 = c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    let s2 = c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert_eq!(
        s1.access_token, s2.access_token,
        "normal mode leaves the token alone"
    );
    let f = c.stable_access_token(APP, APP_SECRET, true).await.unwrap();
    assert_ne!(f.access_token, s1.access_token, "force rotates");
    // The force-retired token is refused with 40001.
    let code = sb.issue_phone_code(APP, "13800138000");
    assert_eq!(
        errcode(c.phone_number(APP, &s1.access_token, &code).await),
        40001
    );
    assert_eq!(
        errcode(
            c.stable_access_token(APP, "ffffffffffffffffffffffffffffffff", false)
                .await
        ),
        40125
    );
    assert_eq!(
        errcode(
            c.legacy_access_token("wx9999999999999999", APP_SECRET)
                .await
        ),
        40013
    );
}

#[tokio::test]
async fn phone_number_accepts_string_country_code_and_codes_are_single_use() {
    let sb = sandbox().await;
    let c = client(&sb);
    let tok = c
        .stable_access_token(APP, APP_SECRET, false)
        .await
        .unwrap()
        .access_token;
    let code = sb.issue_phone_code(APP, "13800138000");
    let p = c.phone_number(APP, &tok, &code).await.unwrap();
    assert_eq!(p.pure_phone_number, "13800138000");
    assert_eq!(p.country_code, "86");
    assert_eq!(p.watermark.appid, APP);
    assert_eq!(errcode(c.phone_number(APP, &tok, &code).await), 40163);
    assert_eq!(errcode(c.phone_number(APP, &tok, "bogus").await), 40029);
    // Expired token: 42001.
    sb.advance_clock(Duration::from_secs(7300));
    let code = sb.issue_phone_code(APP, "13800138000");
    assert_eq!(errcode(c.phone_number(APP, &tok, &code).await), 42001);
}

#[tokio::test]
async fn checksession_valid_then_rotated() {
    let sb = sandbox().await;
    let c = client(&sb);
    let tok = c
        .stable_access_token(APP, APP_SECRET, false)
        .await
        .unwrap()
        .access_token;
    let first = sb.issue_js_code(APP, Some("openid-one"));
    c.code_to_session(&CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: &first.code,
    })
    .await
    .unwrap();
    c.check_session(APP, &tok, "openid-one", &first.session_key)
        .await
        .unwrap();
    let second = sb.issue_js_code(APP, Some("openid-one"));
    c.code_to_session(&CodeToSessionRequest {
        appid: APP,
        secret: APP_SECRET,
        js_code: &second.code,
    })
    .await
    .unwrap();
    assert_eq!(
        errcode(
            c.check_session(APP, &tok, "openid-one", &first.session_key)
                .await
        ),
        87009
    );
    c.check_session(APP, &tok, "openid-one", &second.session_key)
        .await
        .unwrap();
}

#[tokio::test]
async fn quota_get_and_clear() {
    let sb = sandbox().await;
    let c = client(&sb);
    let tok = c
        .stable_access_token(APP, APP_SECRET, false)
        .await
        .unwrap()
        .access_token;
    let q = c
        .api_quota(APP, &tok, "/cgi-bin/stable_token")
        .await
        .unwrap();
    assert!(
        q.daily_limit > 0 && q.used >= 1 && q.remain == q.daily_limit - q.used,
        "{q:?}"
    );
    c.clear_quota(APP, &tok).await.unwrap();
    let q2 = c
        .api_quota(APP, &tok, "/cgi-bin/stable_token")
        .await
        .unwrap();
    assert!(q2.used < q.used + 1);
    assert!(matches!(
        c.api_quota(APP, &tok, "cgi-bin/token").await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(
        errcode(c.api_quota(APP, &tok, "/cgi-bin/no/such/api").await),
        76021
    );
    for _ in 0..9 {
        c.clear_quota(APP, &tok).await.unwrap();
    }
    assert_eq!(
        errcode(c.clear_quota(APP, &tok).await),
        48006,
        "10 resets a month"
    );
}

#[tokio::test]
async fn component_chain_ticket_token_preauth_query_refresh_info_list() {
    let sb = sandbox().await;
    let c = client(&sb);
    assert!(!c
        .start_push_ticket(COMP, COMP_SECRET)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        errcode(
            c.component_token(COMP, COMP_SECRET, "ticket@@@forged")
                .await
        ),
        61006
    );
    let old_ticket = sb.issue_ticket(COMP).unwrap();
    let cat = c
        .component_token(COMP, COMP_SECRET, &old_ticket)
        .await
        .unwrap();
    assert!(cat.expires_in > 0);
    let pre = c
        .create_pre_auth_code(COMP, &cat.component_access_token)
        .await
        .unwrap();
    assert!(pre.expires_in > 0 && !pre.pre_auth_code.is_empty());
    let pre2 = c
        .create_pre_auth_code(COMP, &cat.component_access_token)
        .await
        .unwrap();
    assert_ne!(pre.pre_auth_code, pre2.pre_auth_code);

    let auth = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: None,
            kind: AccountKind::MiniProgram,
            func_ids: vec![17, 18],
        })
        .unwrap();
    let info = c
        .query_auth(COMP, &cat.component_access_token, &auth.auth_code)
        .await
        .unwrap();
    assert_eq!(info.authorizer_appid, auth.authorizer_appid);
    assert_eq!(
        wxdesk_wechat::api::FuncInfo::ids(&info.func_info),
        vec![17, 18]
    );
    let refresh = info.authorizer_refresh_token.clone().unwrap();
    assert_eq!(
        errcode(
            c.query_auth(COMP, &cat.component_access_token, &auth.auth_code)
                .await
        ),
        61009,
        "auth code is single use"
    );

    let t = c
        .authorizer_token(
            COMP,
            &cat.component_access_token,
            &auth.authorizer_appid,
            &refresh,
        )
        .await
        .unwrap();
    assert!(!t.authorizer_access_token.is_empty());
    let details = c
        .authorizer_info(COMP, &cat.component_access_token, &auth.authorizer_appid)
        .await
        .unwrap();
    assert!(
        details.authorizer_info.is_mini_program(),
        "MiniProgramInfo present for a mini program"
    );
    assert_eq!(
        details.authorization_info.authorizer_appid,
        auth.authorizer_appid
    );

    // Re-authorization rotates the refresh token; the old one answers 61023.
    let again = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: Some(auth.authorizer_appid.clone()),
            kind: AccountKind::MiniProgram,
            func_ids: vec![],
        })
        .unwrap();
    assert_ne!(again.refresh_token, refresh);
    assert_eq!(
        errcode(
            c.authorizer_token(
                COMP,
                &cat.component_access_token,
                &auth.authorizer_appid,
                &refresh
            )
            .await
        ),
        61023
    );

    // An Official Account carries no MiniProgramInfo.
    let oa = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: None,
            kind: AccountKind::OfficialAccount,
            func_ids: vec![],
        })
        .unwrap();
    let oa_info = c
        .authorizer_info(COMP, &cat.component_access_token, &oa.authorizer_appid)
        .await
        .unwrap();
    assert!(!oa_info.authorizer_info.is_mini_program());

    sb.seed_authorizers(COMP, 1200);
    let first = c
        .authorizer_list(COMP, &cat.component_access_token, 0, 500)
        .await
        .unwrap();
    assert_eq!(first.list.len(), 500);
    assert_eq!(first.total_count, 1202);
    let last = c
        .authorizer_list(COMP, &cat.component_access_token, 1000, 500)
        .await
        .unwrap();
    assert_eq!(last.list.len(), 202);
    assert!(matches!(
        c.authorizer_list(COMP, &cat.component_access_token, 0, 501)
            .await,
        Err(Error::InvalidInput { .. })
    ));

    // Tickets expire after 12 h: 61005.
    sb.advance_clock(Duration::from_secs(12 * 3600 + 60));
    assert_eq!(
        errcode(c.component_token(COMP, COMP_SECRET, &old_ticket).await),
        61005
    );
    // An expired component token answers 42001; an unknown one 40001.
    assert_eq!(
        errcode(
            c.create_pre_auth_code(COMP, &cat.component_access_token)
                .await
        ),
        42001
    );
    assert_eq!(
        errcode(c.create_pre_auth_code(COMP, "not-a-token").await),
        40001
    );
}

#[tokio::test]
async fn fast_registration_calls() {
    let sb = sandbox().await;
    let c = client(&sb);
    let cat = component_token(&c, &sb).await;
    let reg = EnterpriseRegistration {
        name: "腾讯计算机系统有限公司".into(),
        code: "91440300708461136T".into(),
        code_type: 1,
        legal_persona_wechat: "pony".into(),
        legal_persona_name: "马化腾".into(),
        component_phone: None,
    };
    c.fastregister_enterprise_create(COMP, &cat, &reg)
        .await
        .unwrap();
    assert_eq!(
        errcode(c.fastregister_enterprise_create(COMP, &cat, &reg).await),
        89249,
        "one running task per entity"
    );
    let search = EnterpriseSearch {
        name: reg.name.clone(),
        legal_persona_wechat: "pony".into(),
        legal_persona_name: "马化腾".into(),
    };
    let s = c
        .fastregister_enterprise_search(COMP, &cat, &search)
        .await
        .unwrap();
    assert_ne!(s.state, EnterpriseTaskState::NotFound);
    let missing = EnterpriseSearch {
        name: "不存在的公司".into(),
        ..search.clone()
    };
    assert_eq!(
        c.fastregister_enterprise_search(COMP, &cat, &missing)
            .await
            .unwrap()
            .state,
        EnterpriseTaskState::NotFound
    );
    let bad = EnterpriseRegistration {
        code: "123".into(),
        ..reg.clone()
    };
    match c.fastregister_enterprise_create(COMP, &cat, &bad).await {
        Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "code"),
        other => panic!("{:?}", other.err()),
    }

    let p = c
        .fastregister_personal_create(
            COMP,
            &cat,
            &PersonalRegistration {
                idname: "张三".into(),
                wxuser: "zhangsan_wx".into(),
                component_phone: None,
            },
        )
        .await
        .unwrap();
    assert!(!p.taskid.is_empty() && p.authorize_url.starts_with(&sb.base_url()));
    let q = c
        .fastregister_personal_query(COMP, &cat, &p.taskid)
        .await
        .unwrap();
    assert_eq!(q.taskid, p.taskid);

    let b = c
        .fastregister_beta_create(
            COMP,
            &cat,
            &BetaRegistration {
                name: "小麦烤鸡店".into(),
                openid: "oK8Yg5YaUM-axuE_vVZmV_oIZxxx".into(),
            },
        )
        .await
        .unwrap();
    assert!(!b.unique_id.is_empty());
    assert!(matches!(
        c.fastregister_beta_create(
            COMP,
            &cat,
            &BetaRegistration {
                name: "鸡".into(),
                openid: "o1".into()
            }
        )
        .await,
        Err(Error::InvalidInput { .. })
    ));

    // Reuse of an Official Account: consent page -> ticket -> fastregister.
    let oa = sb
        .authorize(AuthorizeSeed {
            component_appid: COMP.into(),
            authorizer_appid: None,
            kind: AccountKind::OfficialAccount,
            func_ids: vec![],
        })
        .unwrap();
    let oa_info = c.query_auth(COMP, &cat, &oa.auth_code).await.unwrap();
    let oa_token = oa_info.authorizer_access_token.unwrap();
    let link = fastregister_link(
        &Bases::single(&sb.base_url()).unwrap(),
        &FastRegisterLinkParams {
            component_appid: COMP.into(),
            appid: oa.authorizer_appid.clone(),
            redirect_uri: "https://platform.example/fr?from=mp".into(),
            copy_wx_verify: true,
        },
    )
    .unwrap();
    let landed = consent(&link).await;
    assert!(
        landed.starts_with("https://platform.example/fr?from=mp&ticket="),
        "{landed}"
    );
    let ticket = parse_callback(&landed).unwrap().ticket.unwrap();
    let r = c
        .fastregister_from_official_account(&oa.authorizer_appid, &oa_token, &ticket)
        .await
        .unwrap();
    assert!(r.is_link_succ && !r.appid.is_empty() && !r.authorization_code.is_empty());
    assert_eq!(
        errcode(
            c.fastregister_from_official_account(&oa.authorizer_appid, &oa_token, &ticket)
                .await
        ),
        61058,
        "ticket is single use"
    );
}

/// Plays the merchant in a browser: opens the consent page, checks it offers
/// an Authorize button, submits its form, and returns where WeChat redirects.
async fn consent(link: &str) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The fragment (#wechat_redirect) never reaches a server.
    let url = link.split('#').next().unwrap();
    let page = http.get(url).send().await.unwrap();
    assert_eq!(page.status(), 200, "consent page for {url}");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("id=\"authorize\""),
        "Authorize button missing: {html}"
    );
    let action = attr(&html[html.find("<form").unwrap()..], "action").unwrap();
    let mut fields = Vec::new();
    for chunk in html.split("<input").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        let ty = attr(tag, "type").unwrap_or_default();
        if ty == "radio" && !tag.contains("checked") {
            continue;
        }
        if let (Some(n), Some(v)) = (attr(tag, "name"), attr(tag, "value")) {
            fields.push((n, v));
        }
    }
    let base = url::Url::parse(url).unwrap();
    let target = base.join(&action).unwrap();
    let resp = http.post(target).form(&fields).send().await.unwrap();
    assert!(
        resp.status().is_redirection(),
        "expected a redirect, got {}",
        resp.status()
    );
    // A Location header must be ASCII: non-ASCII characters of the redirect_uri are percent-encoded.
    resp.headers()["location"]
        .to_str()
        .expect("Location is ASCII")
        .to_string()
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

#[tokio::test]
async fn every_link_kind_opens_the_consent_page_and_returns_with_the_right_parameters() {
    let sb = sandbox().await;
    let c = client(&sb);
    let cat = component_token(&c, &sb).await;
    let bases = Bases::single(&sb.base_url()).unwrap();
    for kind in [AuthLinkKind::Pc, AuthLinkKind::H5] {
        let pre = c.create_pre_auth_code(COMP, &cat).await.unwrap();
        let params = AuthLinkParams {
            component_appid: COMP.into(),
            pre_auth_code: pre.pre_auth_code.clone(),
            redirect_uri: "https://platform.example/auth/cb?state=中文".into(),
            auth_type: Some(2),
            biz_appid: None,
            category_ids: vec![17, 18],
        };
        let link = auth_link(&bases, kind, &params).unwrap();
        let landed = consent(&link).await;
        let cb = parse_callback(&landed).unwrap();
        assert!(
            landed.starts_with("https://platform.example/auth/cb?state="),
            "{landed}"
        );
        assert_eq!(cb.expires_in, Some(600));
        let code = cb.auth_code.unwrap();
        let info = c.query_auth(COMP, &cat, &code).await.unwrap();
        assert_eq!(
            wxdesk_wechat::api::FuncInfo::ids(&info.func_info),
            vec![17, 18],
            "granted what the link asked for"
        );
        // The pre_auth_code was consumed: opening the same link again fails.
        let http = reqwest::Client::new();
        let again = http
            .get(link.split('#').next().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(
            again.status(),
            400,
            "a used pre_auth_code must not show the consent form again"
        );
    }
}

#[tokio::test]
async fn retries_follow_the_rules() {
    let sb = sandbox().await;
    let c = client(&sb);
    // errcode -1 on a safe call: retried, then succeeds.
    sb.set_fault(Fault {
        endpoint: "cgi-bin/stable_token".into(),
        kind: FaultKind::Errcode {
            errcode: -1,
            errmsg: "system error".into(),
        },
        times: Some(1),
    });
    let before = sb.counter("cgi-bin/stable_token");
    c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert_eq!(sb.counter("cgi-bin/stable_token") - before, 2);
    // errcode -1 forever: bounded (3 attempts), then the error.
    sb.set_fault(Fault {
        endpoint: "cgi-bin/stable_token".into(),
        kind: FaultKind::Errcode {
            errcode: -1,
            errmsg: "system error".into(),
        },
        times: None,
    });
    let before = sb.counter("cgi-bin/stable_token");
    assert_eq!(
        errcode(c.stable_access_token(APP, APP_SECRET, false).await),
        -1
    );
    assert_eq!(sb.counter("cgi-bin/stable_token") - before, 3);
    sb.clear_faults();
    // errcode -1 on a single-use code: never retried.
    sb.set_fault(Fault {
        endpoint: "sns/jscode2session".into(),
        kind: FaultKind::Errcode {
            errcode: -1,
            errmsg: "system error".into(),
        },
        times: Some(1),
    });
    let code = sb.issue_js_code(APP, None);
    let before = sb.counter("sns/jscode2session");
    assert_eq!(
        errcode(
            c.code_to_session(&CodeToSessionRequest {
                appid: APP,
                secret: APP_SECRET,
                js_code: &code.code
            })
            .await
        ),
        -1
    );
    assert_eq!(sb.counter("sns/jscode2session") - before, 1);
    // A force refresh is never repeated either.
    sb.set_fault(Fault {
        endpoint: "cgi-bin/stable_token".into(),
        kind: FaultKind::Errcode {
            errcode: -1,
            errmsg: "system error".into(),
        },
        times: Some(1),
    });
    let before = sb.counter("cgi-bin/stable_token");
    assert_eq!(
        errcode(c.stable_access_token(APP, APP_SECRET, true).await),
        -1
    );
    assert_eq!(sb.counter("cgi-bin/stable_token") - before, 1);
    sb.clear_faults();
    // Other errcodes are not retried.
    let before = sb.counter("sns/jscode2session");
    assert_eq!(
        errcode(
            c.code_to_session(&CodeToSessionRequest {
                appid: APP,
                secret: APP_SECRET,
                js_code: "bogus"
            })
            .await
        ),
        40029
    );
    assert_eq!(sb.counter("sns/jscode2session") - before, 1);
}

#[tokio::test]
async fn transport_faults_map_to_typed_errors_without_retry() {
    let sb = sandbox().await;
    let c = client(&sb);
    type Check = fn(&Error) -> bool;
    let cases: Vec<(FaultKind, Check)> = vec![
        (FaultKind::Status { code: 502 }, |e| {
            matches!(e, Error::Http { status: 502, .. })
        }),
        (
            FaultKind::MalformedJson,
            |e| matches!(e, Error::Decode { body, .. } if !body.is_empty()),
        ),
        (FaultKind::ConnectionReset, |e| {
            matches!(e, Error::Transport { .. } | Error::Decode { .. })
        }),
        (FaultKind::SlowBody { ms: 5_000 }, |e| {
            matches!(e, Error::Timeout { .. })
        }),
    ];
    for (kind, check) in cases {
        sb.set_fault(Fault {
            endpoint: "cgi-bin/stable_token".into(),
            kind: kind.clone(),
            times: None,
        });
        let before = sb.counter("cgi-bin/stable_token");
        let err = c
            .stable_access_token(APP, APP_SECRET, false)
            .await
            .err()
            .expect("fault must fail");
        assert!(check(&err), "{kind:?} gave {err:?}");
        assert_eq!(
            sb.counter("cgi-bin/stable_token") - before,
            1,
            "{kind:?} must not be retried"
        );
        // Errors never leak the secret that was in the request.
        assert!(!format!("{err} {err:?}").contains(APP_SECRET));
        sb.clear_faults();
    }
    // Latency alone only delays.
    sb.set_fault(Fault {
        endpoint: "*".into(),
        kind: FaultKind::Latency { ms: 150 },
        times: None,
    });
    let t0 = std::time::Instant::now();
    c.stable_access_token(APP, APP_SECRET, false).await.unwrap();
    assert!(t0.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn connect_failures_are_retried_even_for_single_use_codes() {
    // A port nothing listens on: the request never reaches anyone.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let c = Client::new(ClientConfig {
        bases: Bases::single(&format!("http://127.0.0.1:{port}")).unwrap(),
        timeout: Duration::from_secs(2),
        connect_timeout: Duration::from_millis(500),
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(40),
        },
        ..ClientConfig::default()
    })
    .unwrap();
    let t0 = std::time::Instant::now();
    let r = c
        .code_to_session(&CodeToSessionRequest {
            appid: APP,
            secret: APP_SECRET,
            js_code: "abc",
        })
        .await;
    assert!(
        matches!(r, Err(Error::Connect { .. })),
        "{r:?}",
        r = r.as_ref().err()
    );
    // Two backoff delays (20 ms + 40 ms) prove three attempts were made.
    assert!(t0.elapsed() >= Duration::from_millis(60));
}
