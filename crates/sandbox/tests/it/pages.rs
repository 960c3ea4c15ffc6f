//! Browser consent pages: componentloginpage, bindcomponent, fastregisterauth.

use serde_json::json;
use wxdesk_sandbox::{AccountKind, AuthorizeSeed, SandboxHandle};
use wxdesk_wechat::push_message::PushEvent;

use crate::common::*;
use crate::pushes::{open, receiver};

const REDIRECT: &str = "https://platform.example.com/callback?from=mp";

fn link(path: &str, pre: &str, extra: &str) -> String {
    format!(
        "{path}?component_appid={COMPONENT}&pre_auth_code={}&redirect_uri={}&auth_type=3{extra}",
        enc(pre),
        enc(REDIRECT)
    )
}

async fn page(sb: &SandboxHandle, path_and_query: &str) -> (u16, String) {
    let resp = client()
        .get(format!("{}{}", sb.base_url(), path_and_query))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    if status == 200 || status == 400 {
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
    (status, resp.text().await.unwrap())
}

/// The consent form of componentloginpage posted on a fresh sandbox, with a
/// new pre_auth_code, `redirect_uri` and the `extra` fields.
async fn consent_posted(redirect_uri: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let pre = pre_auth_code(&sb, &token).await;
    let mut form = vec![
        ("component_appid", COMPONENT),
        ("pre_auth_code", pre.as_str()),
        ("redirect_uri", redirect_uri),
    ];
    form.extend_from_slice(extra);
    submit(&sb, "/cgi-bin/componentloginpage", &form).await
}

fn consent_form<'a>(pre: &'a str, appid: &'a str, kind: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("component_appid", COMPONENT),
        ("pre_auth_code", pre),
        ("redirect_uri", REDIRECT),
        ("auth_type", "3"),
        ("authorizer_appid", appid),
        ("kind", kind),
    ]
}

#[tokio::test]
async fn pc_consent_flow() {
    let (url, rx) = receiver(reqwest::StatusCode::OK).await;
    let sb = start().await;
    let token = component_token(&sb, Some(url)).await;
    let pre = pre_auth_code(&sb, &token).await;
    let (status, html) = page(
        &sb,
        &link(
            "/cgi-bin/componentloginpage",
            &pre,
            "&category_id_list=17|18",
        ),
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"authorize\""));
    assert!(html.contains("Test Platform"));
    assert!(html.contains("(#17)") && html.contains("(#18)"));
    assert!(
        !html.contains("src=") && !html.contains("<link"),
        "no external resources"
    );
    // The page's own form fields: submit them as a browser would.
    let mut form = consent_form(&pre, "wx5555555555555555", "mini_program");
    form.push(("category_id_list", "17|18"));
    let resp = submit(&sb, "/cgi-bin/componentloginpage", &form).await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with("https://platform.example.com/callback?from=mp&auth_code="),
        "{location}"
    );
    let q = query_of(&location);
    assert_eq!(q["expires_in"], "600");
    assert_eq!(q["from"], "mp");
    let auth_code = q["auth_code"].clone();
    // The code works once with api_query_auth.
    let v = post(
        &sb,
        &format!("/cgi-bin/component/api_query_auth?component_access_token={token}"),
        json!({"component_appid": COMPONENT, "authorization_code": auth_code}),
    )
    .await;
    assert_eq!(
        v["authorization_info"]["authorizer_appid"],
        json!("wx5555555555555555")
    );
    assert_eq!(
        v["authorization_info"]["func_info"],
        json!([{"funcscope_category":{"id":17}},{"funcscope_category":{"id":18}}])
    );
    // The authorized push was delivered before the redirect.
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let PushEvent::Authorized(n) = open(&got[0].0, &got[0].1).event else {
        panic!()
    };
    assert_eq!(n.authorization_code, auth_code);
    assert_eq!(n.pre_auth_code.as_deref(), Some(pre.as_str()));
    // Reusing the pre_auth_code fails, on GET and on POST.
    let (status, html) = page(&sb, &link("/cgi-bin/componentloginpage", &pre, "")).await;
    assert_eq!(status, 400);
    assert!(html.contains("already been used"), "{html}");
    let resp = submit(
        &sb,
        "/cgi-bin/componentloginpage",
        &consent_form(&pre, "wx5555555555555555", "mini_program"),
    )
    .await;
    assert_eq!(resp.status(), 400);
}

#[tokio::test]
async fn h5_consent_and_reauthorization() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let first = sb
        .authorize(seed(
            AccountKind::OfficialAccount,
            Some("wx6666666666666666"),
        ))
        .unwrap();
    let pre = pre_auth_code(&sb, &token).await;
    let h5 = link(
        "/wxaopen/safe/bindcomponent",
        &pre,
        "&action=bindcomponent&no_scan=1&biz_appid=wx6666666666666666",
    );
    let (status, html) = page(&sb, &h5).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"authorize\""));
    assert!(html.contains("value=\"wx6666666666666666\" readonly"));
    // biz_appid restricts who may authorize.
    let mut form = consent_form(&pre, "wx7777777777777777", "mini_program");
    form.extend([
        ("action", "bindcomponent"),
        ("biz_appid", "wx6666666666666666"),
    ]);
    let resp = submit(&sb, "/wxaopen/safe/bindcomponent", &form).await;
    assert_eq!(resp.status(), 400);
    // The refused attempt did not consume the code.
    let mut form = consent_form(&pre, "wx6666666666666666", "official_account");
    form.extend([
        ("action", "bindcomponent"),
        ("biz_appid", "wx6666666666666666"),
    ]);
    let resp = submit(&sb, "/wxaopen/safe/bindcomponent", &form).await;
    assert_eq!(resp.status(), 302);
    // Re-authorization rotated the refresh token and pushed updateauthorized.
    let v = post(
        &sb,
        &format!("/cgi-bin/component/api_authorizer_token?access_token={token}"),
        json!({"component_appid": COMPONENT, "authorizer_appid": "wx6666666666666666", "authorizer_refresh_token": first.refresh_token}),
    )
    .await;
    assert_err(&v, 61023);
    let last = sb.pushes().last().unwrap().clone();
    assert_eq!(last.info_type, "updateauthorized");
    // The action parameter is required on the H5 path.
    let (status, _) = page(&sb, &link("/wxaopen/safe/bindcomponent", &pre, "")).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn consent_link_errors() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let pre = pre_auth_code(&sb, &token).await;
    let cases = [
        (format!("/cgi-bin/componentloginpage?pre_auth_code={}&redirect_uri={}", enc(&pre), enc(REDIRECT)), "component_appid is missing"),
        (format!("/cgi-bin/componentloginpage?component_appid=wx9999999999999999&pre_auth_code={}&redirect_uri={}", enc(&pre), enc(REDIRECT)), "unknown component_appid"),
        (format!("/cgi-bin/componentloginpage?component_appid={COMPONENT}&pre_auth_code=nope&redirect_uri={}", enc(REDIRECT)), "pre_auth_code is invalid"),
        (format!("/cgi-bin/componentloginpage?component_appid={COMPONENT}&pre_auth_code={}&redirect_uri=/relative", enc(&pre)), "not an absolute http(s) URL"),
        (format!("/cgi-bin/componentloginpage?component_appid={COMPONENT}&pre_auth_code={}", enc(&pre)), "redirect_uri is missing"),
        (link("/cgi-bin/componentloginpage", &pre, "&auth_type=7"), "auth_type"),
        (link("/cgi-bin/componentloginpage", &pre, "&category_id_list=1,2"), "category_id_list"),
    ];
    for (url, needle) in cases {
        let (status, html) = page(&sb, &url).await;
        assert_eq!(status, 400, "{url}");
        assert!(html.contains(needle), "{url}: {html}");
    }
    let (status, html) = page(
        &sb,
        &link("/safe/bindcomponent", &pre, "&action=bindcomponent"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("open.weixin.qq.com/wxaopen/safe/bindcomponent"));
    // auth_type=1 refuses a mini program.
    let mut form = consent_form(&pre, "wx8888888888888888", "mini_program");
    form[3] = ("auth_type", "1");
    assert_eq!(
        submit(&sb, "/cgi-bin/componentloginpage", &form)
            .await
            .status(),
        400
    );
    // An expired pre_auth_code.
    sb.advance_clock(std::time::Duration::from_secs(600));
    let (status, html) = page(&sb, &link("/cgi-bin/componentloginpage", &pre, "")).await;
    assert_eq!(status, 400);
    assert!(html.contains("expired"));
}

#[tokio::test]
async fn non_ascii_redirect_uri_is_percent_encoded() {
    let resp = consent_posted("https://platform.example/cb?state=中文", &[]).await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().expect("ASCII Location");
    assert!(
        location.starts_with("https://platform.example/cb?state=%E4%B8%AD%E6%96%87&auth_code="),
        "{location}"
    );
    assert_eq!(query_of(location)["state"], "中文");
}

#[tokio::test]
async fn redirect_without_query_uses_question_mark() {
    let resp = consent_posted("http://localhost:9/cb", &[("kind", "mini_program")]).await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("http://localhost:9/cb?auth_code="),
        "{location}"
    );
    assert!(location.ends_with("&expires_in=600"));
}

#[tokio::test]
async fn reuse_official_account_flow() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let oa = sb
        .authorize(AuthorizeSeed {
            component_appid: COMPONENT.into(),
            authorizer_appid: None,
            kind: AccountKind::OfficialAccount,
            func_ids: vec![27],
        })
        .unwrap();
    let v = post(
        &sb,
        &format!("/cgi-bin/component/api_query_auth?component_access_token={token}"),
        json!({"component_appid": COMPONENT, "authorization_code": oa.auth_code}),
    )
    .await;
    let oa_token = v["authorization_info"]["authorizer_access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let redirect = "https://www.qq.com/auth/callback?from=mp";
    let url = format!(
        "/cgi-bin/fastregisterauth?appid={}&component_appid={COMPONENT}&copy_wx_verify=1&redirect_uri={}",
        oa.authorizer_appid,
        enc(redirect)
    );
    let (status, html) = page(&sb, &url).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("id=\"authorize\""));
    let form = [
        ("appid", oa.authorizer_appid.as_str()),
        ("component_appid", COMPONENT),
        ("copy_wx_verify", "1"),
        ("redirect_uri", redirect),
    ];
    let resp = submit(&sb, "/cgi-bin/fastregisterauth", &form).await;
    assert_eq!(resp.status(), 302);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("https://www.qq.com/auth/callback?from=mp&ticket="));
    let ticket = query_of(&location)["ticket"].clone();
    let call = format!("/cgi-bin/account/fastregister?access_token={oa_token}");
    let v = post(&sb, &call, json!({"ticket": ticket})).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    assert_eq!(v["is_wx_verify_succ"], json!("true"));
    assert_eq!(v["is_link_succ"], json!("true"));
    let new_mp = v["appid"].as_str().unwrap().to_string();
    // The new MP is an authorizer of the platform, and its code works.
    let q = post(
        &sb,
        &format!("/cgi-bin/component/api_query_auth?component_access_token={token}"),
        json!({"component_appid": COMPONENT, "authorization_code": v["authorization_code"]}),
    )
    .await;
    assert_eq!(q["authorization_info"]["authorizer_appid"], json!(new_mp));
    let info = post(
        &sb,
        &format!("/cgi-bin/component/api_get_authorizer_info?component_access_token={token}"),
        json!({"component_appid": COMPONENT, "authorizer_appid": new_mp}),
    )
    .await;
    assert_eq!(info["authorizer_info"]["register_type"], json!(2));
    // Single use.
    assert_err(&post(&sb, &call, json!({"ticket": ticket})).await, 61058);
    assert_err(&post(&sb, &call, json!({"ticket": "forged"})).await, 61058);
    // Only an OA's authorizer token may call it.
    let mp_token = legacy_token(&sb).await;
    assert_err(
        &post(
            &sb,
            &format!("/cgi-bin/account/fastregister?access_token={mp_token}"),
            json!({"ticket": "x"}),
        )
        .await,
        48001,
    );
    // The page refuses an account that is not an authorized OA.
    let (status, html) = page(&sb, &format!("/cgi-bin/fastregisterauth?appid={new_mp}&component_appid={COMPONENT}&copy_wx_verify=1&redirect_uri={}", enc(redirect))).await;
    assert_eq!(status, 400);
    assert!(html.contains("not an official account"), "{html}");
}
