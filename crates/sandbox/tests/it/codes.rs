//! jscode2session, component jscode2session, getuserphonenumber, checksession.

use std::time::Duration;

use serde_json::{json, Value};
use wxdesk_sandbox::{AccountKind, SandboxHandle};
use wxdesk_testkit::http::JsonReply;
use wxdesk_wechat::crypto::signature::checksession_signature;

use crate::common::*;

fn login_path(code: &str) -> String {
    format!("/sns/jscode2session?appid={APPID}&secret={SECRET}&js_code={code}&grant_type=authorization_code")
}

#[tokio::test]
async fn jscode2session_success_and_single_use() {
    let sb = start().await;
    let code = sb.issue_js_code(APPID, None);
    assert_eq!(code.code.len(), 32);
    let v = get(&sb, &login_path(&code.code)).await;
    assert_payload(&v);
    assert_eq!(v["openid"], json!(code.openid));
    assert_eq!(v["session_key"], json!(code.session_key));
    assert_eq!(code.session_key.len(), 24);
    assert!(
        v.get("unionid").is_none(),
        "plain app users have no unionid by default"
    );
    assert_err(&get(&sb, &login_path(&code.code)).await, 40163);
    assert_err(&get(&sb, &login_path("unknown-code")).await, 40029);
}

#[tokio::test]
async fn jscode2session_errors() {
    let sb = start().await;
    let code = sb.issue_js_code(APPID, None);
    let c = &code.code;
    assert_err(&get(&sb, &format!("/sns/jscode2session?appid=wx9999999999999999&secret={SECRET}&js_code={c}&grant_type=authorization_code")).await, 40013);
    assert_err(&get(&sb, &format!("/sns/jscode2session?appid={APPID}&secret=bad&js_code={c}&grant_type=authorization_code")).await, 40125);
    assert_err(&get(&sb, &format!("/sns/jscode2session?appid={APPID}&secret={SECRET}&js_code={c}&grant_type=client_credential")).await, 40002);
    assert_err(
        &get(
            &sb,
            &format!(
                "/sns/jscode2session?appid={APPID}&secret={SECRET}&grant_type=authorization_code"
            ),
        )
        .await,
        41008,
    );
    // A code of another app is unknown here.
    sb.add_app("wx3333333333333333", "other");
    let other = sb.issue_js_code("wx3333333333333333", None);
    assert_err(&get(&sb, &login_path(&other.code)).await, 40029);
    // None of the failures consumed the code.
    assert_payload(&get(&sb, &login_path(c)).await);
}

#[tokio::test]
async fn js_code_expires_after_five_minutes() {
    let sb = start().await;
    let code = sb.issue_js_code(APPID, None);
    sb.advance_clock(Duration::from_secs(301));
    assert_err(&get(&sb, &login_path(&code.code)).await, 40029);
}

#[tokio::test]
async fn login_rotates_session_key_and_checksession_follows() {
    let sb = start().await;
    let token = legacy_token(&sb).await;
    let first = sb.issue_js_code(APPID, Some("oUserOne"));
    assert_eq!(first.openid, "oUserOne");
    let check = |key: &str| {
        format!(
            "/wxa/checksession?access_token={token}&openid=oUserOne&signature={}&sig_method=hmac_sha256",
            checksession_signature(key)
        )
    };
    let v = get(&sb, &check(&first.session_key)).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    let second = sb.issue_js_code(APPID, Some("oUserOne"));
    assert_ne!(first.session_key, second.session_key);
    assert_err(&get(&sb, &check(&first.session_key)).await, 87009);
    assert_eq!(
        get(&sb, &check(&second.session_key)).await["errcode"],
        json!(0)
    );
    // The exchange reveals the key of that login.
    let v = get(&sb, &login_path(&second.code)).await;
    assert_eq!(v["session_key"], json!(second.session_key));
    // Unknown user, bad method.
    let v = get(&sb, &format!("/wxa/checksession?access_token={token}&openid=oNobody&signature=00&sig_method=hmac_sha256")).await;
    assert_err(&v, 87009);
    let v = get(
        &sb,
        &format!(
            "/wxa/checksession?access_token={token}&openid=oUserOne&signature=00&sig_method=md5"
        ),
    )
    .await;
    assert_err(&v, 40097);
}

#[tokio::test]
async fn unionid_for_seeded_and_open_bound_users() {
    let sb = start().await;
    let code = sb.issue_js_code_with_unionid(APPID, None, "oUnion123");
    let v = get(&sb, &login_path(&code.code)).await;
    assert_eq!(v["unionid"], json!("oUnion123"));
    // Over HTTP too.
    let hook: serde_json::Value = client()
        .post(format!("{}/__sandbox/codes/js", sb.base_url()))
        .json(&json!({"appid": APPID, "openid": "oHttp", "unionid": "oUnionHttp"}))
        .json_reply()
        .await;
    assert_eq!(hook["openid"], json!("oHttp"));
    let v = get(&sb, &login_path(hook["code"].as_str().unwrap())).await;
    assert_eq!(v["unionid"], json!("oUnionHttp"));
}

#[tokio::test]
async fn phone_number_single_use() {
    let sb = start().await;
    let token = legacy_token(&sb).await;
    let code = sb.issue_phone_code(APPID, "13800138000");
    let url = format!("/wxa/business/getuserphonenumber?access_token={token}");
    let v = post(&sb, &url, json!({"code": code})).await;
    assert_eq!(v["errcode"], json!(0));
    assert_eq!(v["errmsg"], json!("ok"));
    let info = &v["phone_info"];
    assert_eq!(info["phoneNumber"], json!("13800138000"));
    assert_eq!(info["purePhoneNumber"], json!("13800138000"));
    assert_eq!(info["countryCode"], json!("86"));
    assert_eq!(info["watermark"]["appid"], json!(APPID));
    assert!(info["watermark"]["timestamp"].is_i64());
    assert_err(&post(&sb, &url, json!({"code": code})).await, 40163);
    let expired = sb.issue_phone_code(APPID, "+1 2025550123");
    sb.advance_clock(Duration::from_secs(300));
    let fresh_token = legacy_token(&sb).await;
    let url = format!("/wxa/business/getuserphonenumber?access_token={fresh_token}");
    assert_err(&post(&sb, &url, json!({"code": expired})).await, 40029);
    let foreign = sb.issue_phone_code(APPID, "+1 2025550123");
    let v = post(&sb, &url, json!({"code": foreign})).await;
    assert_eq!(v["phone_info"]["countryCode"], json!("1"));
    assert_eq!(v["phone_info"]["purePhoneNumber"], json!("2025550123"));
    // GET is refused.
    assert_err(&get(&sb, &url).await, 43002);
}

/// `getuserphonenumber` with `token`, for a new phone code of a user of
/// `appid`.
async fn phone_number_of_new_code(sb: &SandboxHandle, appid: &str, token: &str) -> Value {
    let code = sb.issue_phone_code(appid, "13900000000");
    let url = format!("/wxa/business/getuserphonenumber?access_token={token}");
    post(sb, &url, json!({"code": code})).await
}

#[tokio::test]
async fn authorizer_tokens_work_on_mp_apis_and_component_login() {
    let sb = start().await;
    let ctoken = component_token(&sb, None).await;
    let auth = sb.authorize(seed(AccountKind::MiniProgram, None)).unwrap();
    let mp = auth.authorizer_appid.clone();
    let v = post(
        &sb,
        &format!("/cgi-bin/component/api_query_auth?component_access_token={ctoken}"),
        json!({"component_appid": COMPONENT, "authorization_code": auth.auth_code}),
    )
    .await;
    let atoken = v["authorization_info"]["authorizer_access_token"]
        .as_str()
        .unwrap()
        .to_string();
    // Phone numbers with the authorizer token.
    let v = phone_number_of_new_code(&sb, &mp, &atoken).await;
    assert_eq!(v["phone_info"]["watermark"]["appid"], json!(mp));
    // Component login of the authorizer; its users get a unionid (open-bound).
    let js = sb.issue_js_code(&mp, None);
    assert!(js.unionid.is_some());
    let path = |code: &str, token: &str, param: &str| {
        format!("/sns/component/jscode2session?appid={mp}&js_code={code}&grant_type=authorization_code&component_appid={COMPONENT}&{param}={token}")
    };
    let v = get(&sb, &path(&js.code, &ctoken, "component_access_token")).await;
    assert_payload(&v);
    assert_eq!(v["openid"], json!(js.openid));
    assert_eq!(v["unionid"], json!(js.unionid.clone().unwrap()));
    assert_err(
        &get(&sb, &path(&js.code, &ctoken, "access_token")).await,
        40163,
    );
    // checksession with the authorizer token.
    let v = get(
        &sb,
        &format!(
            "/wxa/checksession?access_token={atoken}&openid={}&signature={}&sig_method=hmac_sha256",
            js.openid,
            checksession_signature(&js.session_key)
        ),
    )
    .await;
    assert_eq!(v["errcode"], json!(0));
    // Not authorized: 61003; MP token instead of the component token: 40001.
    let js2 = sb.issue_js_code(APPID, None);
    let v = get(&sb, &format!("/sns/component/jscode2session?appid={APPID}&js_code={}&grant_type=authorization_code&component_appid={COMPONENT}&component_access_token={ctoken}", js2.code)).await;
    assert_err(&v, 61003);
    assert_err(
        &get(&sb, &path(&js2.code, &atoken, "component_access_token")).await,
        40001,
    );
    // Revocation kills the authorizer token.
    sb.unauthorize(COMPONENT, &mp).unwrap();
    let v = phone_number_of_new_code(&sb, &mp, &atoken).await;
    assert_err(&v, 40001);
}
