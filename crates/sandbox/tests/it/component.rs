//! Component (third-party platform) APIs.

use std::time::Duration;

use serde_json::{json, Value};
use wxdesk_sandbox::{AccountKind, AuthorizeSeed, SandboxHandle};

use crate::common::*;

/// `api_authorizer_token`: `appid`'s access token from its refresh token.
async fn authorizer_token(sb: &SandboxHandle, token: &str, appid: &str, refresh: &str) -> Value {
    let body = json!({"component_appid": COMPONENT, "authorizer_appid": appid, "authorizer_refresh_token": refresh});
    ctoken_call(sb, "api_authorizer_token", token, body).await
}

/// `api_query_auth` of an authorization code.
async fn query_auth(sb: &SandboxHandle, token: &str, code: &str) -> Value {
    let body = json!({"component_appid": COMPONENT, "authorization_code": code});
    ctoken_call(sb, "api_query_auth", token, body).await
}

async fn ctoken_call(sb: &SandboxHandle, api: &str, token: &str, body: Value) -> Value {
    post(
        sb,
        &format!("/cgi-bin/component/{api}?component_access_token={token}"),
        body,
    )
    .await
}

async fn component_token_with(sb: &SandboxHandle, ticket: &str) -> Value {
    post(
        sb,
        "/cgi-bin/component/api_component_token",
        json!({"component_appid":COMPONENT,"component_appsecret":COMPONENT_SECRET,"component_verify_ticket":ticket}),
    )
    .await
}

#[tokio::test]
async fn component_token_needs_a_fresh_ticket_of_this_component() {
    let sb = start().await;
    sb.add_component(component_seed(None));
    let ticket = sb.issue_ticket(COMPONENT).unwrap();
    assert!(ticket.starts_with("ticket@@@"));
    let a = component_token_with(&sb, &ticket).await;
    assert_payload(&a);
    assert_eq!(a["expires_in"], json!(7200));
    // Same token while comfortably valid.
    sb.advance_clock(Duration::from_secs(60));
    let b = component_token_with(&sb, &ticket).await;
    assert_eq!(a["component_access_token"], b["component_access_token"]);
    assert_eq!(b["expires_in"], json!(7140));
    // Unknown ticket, another component's ticket: 61006.
    assert_err(&component_token_with(&sb, "ticket@@@forged").await, 61006);
    let mut other = component_seed(None);
    other.appid = "wx4444444444444444".into();
    sb.add_component(other);
    let foreign = sb.issue_ticket("wx4444444444444444").unwrap();
    assert_err(&component_token_with(&sb, &foreign).await, 61006);
    // A newer ticket does not invalidate the older one, but 12 h do.
    let newer = sb.issue_ticket(COMPONENT).unwrap();
    assert_payload(&component_token_with(&sb, &ticket).await);
    sb.advance_clock(Duration::from_secs(12 * 3600));
    assert_err(&component_token_with(&sb, &ticket).await, 61005);
    assert_err(&component_token_with(&sb, &newer).await, 61005);
    let fresh = sb.issue_ticket(COMPONENT).unwrap();
    let c = component_token_with(&sb, &fresh).await;
    assert_ne!(c["component_access_token"], a["component_access_token"]);
    // Credentials.
    let v = post(&sb, "/cgi-bin/component/api_component_token", json!({"component_appid":COMPONENT,"component_appsecret":"bad","component_verify_ticket":fresh})).await;
    assert_err(&v, 40125);
    let v = post(&sb, "/cgi-bin/component/api_component_token", json!({"component_appid":"wx9999999999999999","component_appsecret":"x","component_verify_ticket":fresh})).await;
    assert_err(&v, 40013);
    let v = post(
        &sb,
        "/cgi-bin/component/api_component_token",
        json!({"component_appid":COMPONENT,"component_appsecret":COMPONENT_SECRET}),
    )
    .await;
    assert_err(&v, 47001);
    assert!(sb.issue_ticket("wx9999999999999999").is_err());
}

#[tokio::test]
async fn component_token_errors_on_endpoints() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let body = json!({"component_appid": COMPONENT});
    let v = post(
        &sb,
        "/cgi-bin/component/api_create_preauthcode",
        body.clone(),
    )
    .await;
    assert_err(&v, 41001);
    assert_err(
        &ctoken_call(&sb, "api_create_preauthcode", "bogus", body.clone()).await,
        40001,
    );
    // An MP token is not a component token.
    let mp = legacy_token(&sb).await;
    assert_err(
        &ctoken_call(&sb, "api_create_preauthcode", &mp, body.clone()).await,
        40001,
    );
    // access_token is accepted as the query name too.
    let v = post(
        &sb,
        &format!("/cgi-bin/component/api_create_preauthcode?access_token={token}"),
        body.clone(),
    )
    .await;
    assert_payload(&v);
    assert_eq!(v["expires_in"], json!(600));
    assert!(v["pre_auth_code"]
        .as_str()
        .unwrap()
        .starts_with("preauthcode@@@"));
    assert_err(
        &ctoken_call(
            &sb,
            "api_create_preauthcode",
            &token,
            json!({"component_appid":"wx9"}),
        )
        .await,
        40013,
    );
    sb.advance_clock(Duration::from_secs(7200));
    assert_err(
        &ctoken_call(&sb, "api_create_preauthcode", &token, body).await,
        42001,
    );
}

#[tokio::test]
async fn start_push_ticket_issues_a_ticket() {
    let sb = start().await;
    sb.add_component(component_seed(None));
    let v = post(
        &sb,
        "/cgi-bin/component/api_start_push_ticket",
        json!({"component_appid":COMPONENT,"component_secret":COMPONENT_SECRET}),
    )
    .await;
    assert_eq!(v["errcode"], json!(0));
    assert_eq!(v["errmsg"], json!("ok"));
    let pushes = sb.pushes();
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].info_type, "component_verify_ticket");
    assert!(pushes[0].error.as_deref().unwrap().contains("no push_url"));
    let v = post(
        &sb,
        "/cgi-bin/component/api_start_push_ticket",
        json!({"component_appid":COMPONENT,"component_secret":"bad"}),
    )
    .await;
    assert_err(&v, 40125);
}

#[tokio::test]
async fn query_auth_is_single_use_and_expires() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let auth = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let body = json!({"component_appid": COMPONENT, "authorization_code": auth.auth_code});
    let v = ctoken_call(&sb, "api_query_auth", &token, body.clone()).await;
    assert_payload(&v);
    let info = &v["authorization_info"];
    assert_eq!(info["authorizer_appid"], json!(auth.authorizer_appid));
    assert_eq!(info["authorizer_refresh_token"], json!(auth.refresh_token));
    assert_eq!(info["expires_in"], json!(7200));
    assert_eq!(info["func_info"][0], json!({"funcscope_category":{"id":1}}));
    assert_eq!(info["func_info"].as_array().unwrap().len(), 10);
    assert_err(
        &ctoken_call(&sb, "api_query_auth", &token, body).await,
        61009,
    );
    assert_err(&query_auth(&sb, &token, "nope").await, 61009);
    // Expiry after 600 s.
    let auth2 = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    sb.advance_clock(Duration::from_secs(600));
    let token = component_token(&sb, None).await;
    let v = query_auth(&sb, &token, &auth2.auth_code).await;
    assert_err(&v, 61010);
}

#[tokio::test]
async fn refresh_token_rotates_on_reauthorization() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let first = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let appid = first.authorizer_appid.clone();
    let v = authorizer_token(&sb, &token, &appid, &first.refresh_token).await;
    assert_payload(&v);
    assert_eq!(v["authorizer_refresh_token"], json!(first.refresh_token));
    assert_eq!(v["expires_in"], json!(7200));
    let again = authorizer_token(&sb, &token, &appid, &first.refresh_token).await;
    assert_eq!(
        again["authorizer_access_token"],
        v["authorizer_access_token"]
    );
    let second = sb
        .authorize(seed(AccountKind::MiniProgram, Some(&appid)))
        .unwrap();
    assert_eq!(second.authorizer_appid, appid);
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_err(
        &authorizer_token(&sb, &token, &appid, &first.refresh_token).await,
        61023,
    );
    assert_payload(&authorizer_token(&sb, &token, &appid, &second.refresh_token).await);
    // The list shows the current refresh token.
    let list = ctoken_call(
        &sb,
        "api_get_authorizer_list",
        &token,
        json!({"component_appid": COMPONENT, "offset": 0, "count": 10}),
    )
    .await;
    assert_eq!(
        list["list"][0]["refresh_token"],
        json!(second.refresh_token)
    );
    // Revoked: 61003.
    sb.unauthorize(COMPONENT, &appid).unwrap();
    assert_err(
        &authorizer_token(&sb, &token, &appid, &second.refresh_token).await,
        61003,
    );
    assert_err(
        &ctoken_call(
            &sb,
            "api_get_authorizer_info",
            &token,
            json!({"component_appid": COMPONENT, "authorizer_appid": appid}),
        )
        .await,
        61003,
    );
    assert!(sb.unauthorize(COMPONENT, &appid).is_err());
}

#[tokio::test]
async fn authorizer_info_differs_for_mini_programs_and_official_accounts() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let mp = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let oa = sb
        .authorize(AuthorizeSeed {
            func_ids: vec![1, 27],
            ..seed(AccountKind::OfficialAccount, None)
        })
        .unwrap();
    let info = |appid: &str| json!({"component_appid": COMPONENT, "authorizer_appid": appid});
    let v = ctoken_call(
        &sb,
        "api_get_authorizer_info",
        &token,
        info(&mp.authorizer_appid),
    )
    .await;
    let ai = &v["authorizer_info"];
    for field in [
        "nick_name",
        "head_img",
        "user_name",
        "principal_name",
        "signature",
    ] {
        assert!(ai[field].is_string(), "{field}: {v}");
    }
    assert!(ai["user_name"].as_str().unwrap().starts_with("gh_"));
    assert!(ai["MiniProgramInfo"]["network"]["RequestDomain"].is_array());
    assert!(ai["MiniProgramInfo"]["categories"].is_array());
    assert_eq!(ai["service_type_info"]["id"], json!(0));
    assert!(ai["verify_type_info"]["id"].is_i64());
    assert_eq!(ai["register_type"], json!(0));
    assert_eq!(ai["account_status"], json!(1));
    assert_eq!(ai["basic_config"]["is_phone_configured"], json!(true));
    assert_eq!(
        v["authorization_info"]["authorizer_appid"],
        json!(mp.authorizer_appid)
    );
    let v = ctoken_call(
        &sb,
        "api_get_authorizer_info",
        &token,
        info(&oa.authorizer_appid),
    )
    .await;
    assert!(v["authorizer_info"].get("MiniProgramInfo").is_none());
    assert_eq!(v["authorizer_info"]["service_type_info"]["id"], json!(2));
    assert_eq!(
        v["authorization_info"]["func_info"],
        json!([{"funcscope_category":{"id":1}},{"funcscope_category":{"id":27}}])
    );
    assert_err(
        &ctoken_call(
            &sb,
            "api_get_authorizer_info",
            &token,
            info("wx9999999999999999"),
        )
        .await,
        61003,
    );
}

#[tokio::test]
async fn authorizer_list_paging() {
    let sb = start().await;
    let token = component_token(&sb, None).await;

    let appids = sb.seed_authorizers(COMPONENT, 10_000);
    assert_eq!(appids.len(), 10_000);
    let list = |offset: i64, count: i64| json!({"component_appid": COMPONENT, "offset": offset, "count": count});
    assert_err(
        &ctoken_call(&sb, "api_get_authorizer_list", &token, list(0, 501)).await,
        40170,
    );
    let page1 = ctoken_call(&sb, "api_get_authorizer_list", &token, list(0, 500)).await;
    assert_payload(&page1);
    assert_eq!(page1["total_count"], json!(10_000));
    assert_eq!(page1["list"].as_array().unwrap().len(), 500);
    let entry = &page1["list"][0];
    assert!(
        entry["authorizer_appid"].is_string()
            && entry["refresh_token"].is_string()
            && entry["auth_time"].is_i64()
    );
    // Stable order (auth_time, then appid): pages do not overlap and cover everything.
    let mut seen = std::collections::BTreeSet::new();
    let mut previous: Option<(i64, String)> = None;
    for offset in (0..10_000).step_by(500) {
        let page = ctoken_call(&sb, "api_get_authorizer_list", &token, list(offset, 500)).await;
        for e in page["list"].as_array().unwrap() {
            let key = (
                e["auth_time"].as_i64().unwrap(),
                e["authorizer_appid"].as_str().unwrap().to_string(),
            );
            if let Some(prev) = &previous {
                assert!(prev < &key);
            }
            previous = Some(key.clone());
            seen.insert(key.1);
        }
    }
    assert_eq!(seen.len(), 10_000);
    let tail = ctoken_call(&sb, "api_get_authorizer_list", &token, list(9_990, 500)).await;
    assert_eq!(tail["list"].as_array().unwrap().len(), 10);
    // Revoked authorizers disappear.
    sb.unauthorize(COMPONENT, &appids[0]).unwrap();
    let after = ctoken_call(&sb, "api_get_authorizer_list", &token, list(0, 1)).await;
    assert_eq!(after["total_count"], json!(9_999));
    // Newer authorizations come later.
    sb.advance_clock(Duration::from_secs(5));
    let newest = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let last = ctoken_call(&sb, "api_get_authorizer_list", &token, list(9_999, 10)).await;
    assert_eq!(
        last["list"][0]["authorizer_appid"],
        json!(newest.authorizer_appid)
    );
}
