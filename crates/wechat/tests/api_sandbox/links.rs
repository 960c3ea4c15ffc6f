//! Links: every link kind opens the consent page and comes back with the
//! right parameters, played through the page as a merchant would.

use wxdesk_wechat::links::{auth_link, parse_callback, AuthLinkKind, AuthLinkParams};
use wxdesk_wechat::Bases;

use crate::common::*;

/// Plays the merchant in a browser: opens the consent page, checks it offers
/// an Authorize button, submits its form, and returns where WeChat redirects.
pub(crate) async fn consent(link: &str) -> String {
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
