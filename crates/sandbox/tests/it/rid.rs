//! `cgi-bin/openapi/rid/get` (the sandbox remembers every error it answered,
//! faults included) and the AppSecret-based resets `clear_quota/v2` and
//! `component/clear_quota/v2`.

use serde_json::json;
use wxdesk_sandbox::{AuthorizeSeed, Fault, FaultKind};

use crate::common::*;

fn rid_of(v: &serde_json::Value) -> String {
    let msg = v["errmsg"].as_str().unwrap();
    msg.rsplit_once("rid: ").unwrap().1.to_string()
}

#[tokio::test]
async fn rid_get_returns_what_the_sandbox_saw() {
    let sb = start().await;
    let token = legacy_token(&sb).await;
    sb.set_fault(
        Fault::new(
            "cgi-bin/openapi/quota/get",
            FaultKind::Errcode {
                errcode: 45009,
                errmsg: "reach max api daily quota limit".into(),
            },
        )
        .times(1),
    );
    let url = format!("/cgi-bin/openapi/quota/get?access_token={token}");
    let failed = post(&sb, &url, json!({"cgi_path": "/cgi-bin/token"})).await;
    assert_err(&failed, 45009);
    let rid = rid_of(&failed);

    let lookup = format!("/cgi-bin/openapi/rid/get?access_token={token}");
    let v = post(&sb, &lookup, json!({ "rid": rid })).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    let r = &v["request"];
    assert!(r["request_url"]
        .as_str()
        .unwrap()
        .starts_with("/cgi-bin/openapi/quota/get?access_token="));
    assert!(r["request_body"]
        .as_str()
        .unwrap()
        .contains("/cgi-bin/token"));
    assert!(r["response_body"].as_str().unwrap().contains("45009"));
    assert!((r["invoke_time"].as_i64().unwrap() - sb.now()).abs() <= 5);

    // An unknown rid is 76001; another account's token is 76003.
    assert_err(
        &post(&sb, &lookup, json!({"rid": "00000000-00000000-00000000"})).await,
        76001,
    );
    assert_err(&post(&sb, &lookup, json!({})).await, 47001);
    sb.add_app("wx3333333333333333", "other-secret");
    let other = get(
        &sb,
        "/cgi-bin/token?grant_type=client_credential&appid=wx3333333333333333&secret=other-secret",
    )
    .await["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let v = post(
        &sb,
        &format!("/cgi-bin/openapi/rid/get?access_token={other}"),
        json!({ "rid": rid }),
    )
    .await;
    assert_err(&v, 76003);
}

#[tokio::test]
async fn clear_quota_v2_by_app_secret() {
    let sb = start().await;
    let base = "/cgi-bin/clear_quota/v2";
    assert_err(
        &post(
            &sb,
            &format!("{base}?appid={APPID}&appsecret=wrong"),
            json!({}),
        )
        .await,
        40125,
    );
    assert_err(
        &post(&sb, &format!("{base}?appid={APPID}"), json!({})).await,
        41004,
    );
    legacy_token(&sb).await;
    let ok = format!("{base}?appid={APPID}&appsecret={SECRET}");
    for _ in 0..10 {
        assert_eq!(post(&sb, &ok, json!({})).await["errcode"], json!(0));
    }
    // The same 10-a-month budget as clear_quota.
    assert_err(&post(&sb, &ok, json!({})).await, 48006);
}

#[tokio::test]
async fn component_clear_quota_v2_for_the_platform_and_its_authorizers() {
    let sb = start().await;
    sb.add_component(component_seed(None));
    let a = sb
        .authorize(AuthorizeSeed {
            component_appid: COMPONENT.into(),
            authorizer_appid: None,
            kind: Default::default(),
            func_ids: vec![],
        })
        .unwrap();
    let url = "/cgi-bin/component/clear_quota/v2";
    let body = |secret: &str, appid: Option<&str>| {
        let mut b = json!({"component_appid": COMPONENT, "appsecret": secret});
        if let Some(a) = appid {
            b["appid"] = json!(a);
        }
        b
    };
    assert_err(&post(&sb, url, body("wrong", None)).await, 40125);
    assert_err(
        &post(
            &sb,
            url,
            json!({"component_appid": "wx9999999999999999", "appsecret": "x"}),
        )
        .await,
        61011,
    );
    assert_err(
        &post(&sb, url, body(COMPONENT_SECRET, Some(APPID))).await,
        61003,
    );
    let v = post(&sb, url, body(COMPONENT_SECRET, None)).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    let v = post(&sb, url, body(COMPONENT_SECRET, Some(&a.authorizer_appid))).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
}
