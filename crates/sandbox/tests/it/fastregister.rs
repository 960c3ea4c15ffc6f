//! Fast registration: enterprise, personal, trial.

use serde_json::{json, Value};
use wxdesk_sandbox::{FastRegisterKind, SandboxHandle};
use wxdesk_wechat::push_message::PushEvent;

use crate::common::*;
use crate::pushes::{open, receiver};

fn ent(name: &str, code: &str, code_type: i64) -> Value {
    json!({"name": name, "code": code, "code_type": code_type, "legal_persona_wechat": "legal_wx", "legal_persona_name": "张三", "component_phone": "1234567"})
}

async fn call(sb: &SandboxHandle, path: &str, token: &str, body: Value) -> Value {
    let sep = if path.contains('?') { '&' } else { '?' };
    post(
        sb,
        &format!("{path}{sep}component_access_token={token}"),
        body,
    )
    .await
}

async fn query_auth(sb: &SandboxHandle, token: &str, code: &str) -> Value {
    call(
        sb,
        "/cgi-bin/component/api_query_auth",
        token,
        json!({"component_appid": COMPONENT, "authorization_code": code}),
    )
    .await
}

#[tokio::test]
async fn enterprise_validation_and_lifecycle() {
    let (url, rx) = receiver(reqwest::StatusCode::OK).await;
    let sb = start().await;
    let token = component_token(&sb, Some(url)).await;
    let create = "/cgi-bin/component/fastregisterweapp?action=create";
    let search = "/cgi-bin/component/fastregisterweapp?action=search";
    assert_err(
        &call(&sb, create, &token, json!({"name": "x"})).await,
        89253,
    );
    assert_err(
        &call(&sb, create, &token, ent("腾讯", "91440300MA5DC1234X", 4)).await,
        89248,
    );
    assert_err(
        &call(&sb, create, &token, ent("腾讯", "123", 1)).await,
        89255,
    );
    assert_err(
        &call(&sb, create, &token, ent("腾讯", "12345678-9", 3)).await,
        89255,
    );
    let v = call(&sb, create, &token, ent("腾讯", "91440300MA5DC1234X", 1)).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    assert_err(
        &call(&sb, create, &token, ent("腾讯", "91440300MA5DC1234X", 1)).await,
        89249,
    );
    let key =
        json!({"name": "腾讯", "legal_persona_wechat": "legal_wx", "legal_persona_name": "张三"});
    assert_err(&call(&sb, search, &token, key.clone()).await, 89251);
    assert_err(
        &call(
            &sb,
            search,
            &token,
            json!({"name": "nobody", "legal_persona_wechat": "a", "legal_persona_name": "b"}),
        )
        .await,
        89250,
    );
    let step = sb
        .advance_fastregister(FastRegisterKind::Enterprise, "腾讯", None)
        .await
        .unwrap();
    assert_eq!(step.status, 89252);
    assert!(!step.finished);
    assert_err(&call(&sb, search, &token, key.clone()).await, 89252);
    let done = sb
        .advance_fastregister(FastRegisterKind::Enterprise, "腾讯", None)
        .await
        .unwrap();
    assert!(done.finished);
    assert_eq!(done.status, 0);
    let appid = done.appid.clone().unwrap();
    assert_eq!(call(&sb, search, &token, key).await["errcode"], json!(0));
    // The push carries the new appid and an auth_code that api_query_auth accepts.
    let got = rx.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    let msg = open(&got[0].0, &got[0].1);
    let PushEvent::FastRegister(n) = msg.event else {
        panic!("{msg:?}")
    };
    assert_eq!(n.status, 0);
    assert_eq!(n.appid.as_deref(), Some(appid.as_str()));
    assert_eq!(n.info["name"], json!("腾讯"));
    assert_eq!(n.info["code_type"], json!("1"));
    let q = query_auth(&sb, &token, n.auth_code.as_deref().unwrap()).await;
    assert_eq!(q["authorization_info"]["authorizer_appid"], json!(appid));
    // A finished task cannot be advanced; a new one may start.
    assert!(sb
        .advance_fastregister(FastRegisterKind::Enterprise, "腾讯", None)
        .await
        .is_err());
    assert_eq!(
        call(&sb, create, &token, ent("腾讯", "12345678-9", 2)).await["errcode"],
        json!(0)
    );
    // A failure status ends it with a push and no appid.
    let failed = sb
        .advance_fastregister(FastRegisterKind::Enterprise, "腾讯", Some(-1))
        .await
        .unwrap();
    assert!(failed.finished && failed.appid.is_none());
    let last = sb.pushes().last().unwrap().clone();
    let PushEvent::FastRegister(n) = open(&last.query, &last.body).event else {
        panic!()
    };
    assert_eq!(n.status, -1);
    assert!(sb
        .advance_fastregister(FastRegisterKind::Enterprise, "nobody", None)
        .await
        .is_err());
}

#[tokio::test]
async fn personal_task_and_page() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let path = "/wxa/component/fastregisterpersonalweapp?action=create";
    assert_err(
        &call(&sb, path, &token, json!({"idname": "张三"})).await,
        89253,
    );
    let v = call(
        &sb,
        path,
        &token,
        json!({"idname": "张三", "wxuser": "zhangsan_wx", "component_phone": "1234567"}),
    )
    .await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    assert_eq!(v["status"], json!(0));
    let taskid = v["taskid"].as_str().unwrap().to_string();
    let authorize_url = v["authorize_url"].as_str().unwrap().to_string();
    assert!(authorize_url.starts_with(&format!(
        "{}/wxaopen/fastregisterpersonal?taskid=",
        sb.base_url()
    )));
    assert_err(
        &call(
            &sb,
            path,
            &token,
            json!({"idname": "张三", "wxuser": "zhangsan_wx"}),
        )
        .await,
        89249,
    );
    // The page shows an Agree button that advances the task.
    let html = html_at(&authorize_url).await;
    assert!(html.contains("id=\"agree\""), "{html}");
    let resp = submit(
        &sb,
        "/wxaopen/fastregisterpersonal",
        &[("taskid", taskid.as_str()), ("op", "next")],
    )
    .await;
    assert_eq!(resp.status(), 303);
    let query = "/wxa/component/fastregisterpersonalweapp?action=query";
    assert_eq!(
        call(&sb, query, &token, json!({"taskid": taskid})).await["status"],
        json!(3)
    );
    assert_err(
        &call(&sb, query, &token, json!({"taskid": "nope"})).await,
        89250,
    );
    // Complete all steps from the page.
    let resp = submit(
        &sb,
        "/wxaopen/fastregisterpersonal",
        &[("taskid", taskid.as_str()), ("op", "complete")],
    )
    .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        call(&sb, query, &token, json!({"taskid": taskid})).await["status"],
        json!(12)
    );
    let last = sb.pushes().last().unwrap().clone();
    let PushEvent::FastRegister(n) = open(&last.query, &last.body).event else {
        panic!()
    };
    assert_eq!(n.status, 0);
    assert_eq!(n.info["wxuser"], json!("zhangsan_wx"));
    let q = query_auth(&sb, &token, n.auth_code.as_deref().unwrap()).await;
    assert_eq!(
        q["authorization_info"]["authorizer_appid"],
        json!(n.appid.unwrap())
    );
    // Stepping through every status via the hook.
    let v = call(
        &sb,
        path,
        &token,
        json!({"idname": "李四", "wxuser": "lisi_wx"}),
    )
    .await;
    let t2 = v["taskid"].as_str().unwrap().to_string();
    let mut seen = vec![];
    loop {
        let o = sb
            .advance_fastregister(FastRegisterKind::Personal, &t2, None)
            .await
            .unwrap();
        seen.push(o.status);
        if o.finished {
            break;
        }
    }
    assert_eq!(seen, [3, 4, 6, 7, 9, 12]);
}

#[tokio::test]
async fn beta_registration() {
    let sb = start().await;
    let token = component_token(&sb, None).await;
    let path = "/wxa/component/fastregisterbetaweapp";
    let url = format!("{path}?access_token={token}");
    assert_err(
        &post(&sb, &url, json!({"name": "abc", "openid": "oAdmin"})).await,
        40097,
    );
    assert_err(&post(&sb, &url, json!({"name": "小麦烤鸡店"})).await, 89253);
    let v = post(&sb, &url, json!({"name": "小麦烤鸡店", "openid": "oAdmin"})).await;
    assert_eq!(v["errcode"], json!(0), "{v}");
    let unique_id = v["unique_id"].as_str().unwrap().to_string();
    let authorize_url = v["authorize_url"].as_str().unwrap().to_string();
    assert!(authorize_url.starts_with(&sb.base_url()));
    let html = html_at(&authorize_url).await;
    assert!(html.contains("id=\"confirm\""));
    let resp = submit(
        &sb,
        "/wxaopen/fastregisterbeta",
        &[("unique_id", unique_id.as_str()), ("op", "confirm")],
    )
    .await;
    assert_eq!(resp.status(), 303);
    let last = sb.pushes().last().unwrap().clone();
    assert_eq!(last.info_type, "notify_third_fastregisterbetaapp");
    let PushEvent::FastRegisterBeta(n) = open(&last.query, &last.body).event else {
        panic!()
    };
    assert_eq!(n.status, 0);
    assert_eq!(n.unique_id.as_deref(), Some(unique_id.as_str()));
    let appid = n.appid.unwrap();
    let info = call(
        &sb,
        "/cgi-bin/component/api_get_authorizer_info",
        &token,
        json!({"component_appid": COMPONENT, "authorizer_appid": appid}),
    )
    .await;
    assert_eq!(info["authorizer_info"]["register_type"], json!(13));
    assert_eq!(
        info["authorizer_info"]["service_type_info"]["id"],
        json!(12)
    );
    // Over HTTP, an ended request cannot be advanced again.
    let r = client()
        .post(format!("{}/__sandbox/fastregister/advance", sb.base_url()))
        .json(&json!({"kind": "beta", "key": unique_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}
