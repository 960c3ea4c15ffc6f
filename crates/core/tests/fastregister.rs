//! Fast registration: every route through its statuses, driven by searches,
//! queries and the sandbox's result pushes, ending with the new mini program
//! authorized to the platform.

mod push_support;

use std::sync::atomic::AtomicBool;

use push_support::*;
use wxdesk_core::ops::wire::TaskStatus;
use wxdesk_core::services::authorizers::AuthorizerView;
use wxdesk_core::services::components_push::PushAction;
use wxdesk_core::services::fastregister::TaskView;
use wxdesk_core::store::fastregister::TaskKind;
use wxdesk_sandbox::{AccountKind, AdvanceOutcome, FastRegisterKind};
use wxdesk_wechat::api::fastregister::{
    BetaRegistration, EnterpriseRegistration, EnterpriseSearch, PersonalRegistration,
};

fn enterprise(name: &str) -> EnterpriseRegistration {
    EnterpriseRegistration {
        name: name.into(),
        code: "91440300MA5DC1234X".into(),
        code_type: 1,
        legal_persona_wechat: "legal_wx".into(),
        legal_persona_name: "张三".into(),
        component_phone: Some("13800138000".into()),
    }
}

fn search_of(name: &str) -> EnterpriseSearch {
    EnterpriseSearch {
        name: name.into(),
        legal_persona_wechat: "legal_wx".into(),
        legal_persona_name: "张三".into(),
    }
}

/// Applies the push a sandbox advance produced: the task update it made.
async fn apply_push(env: &Env, push_id: Option<u64>) -> (TaskView, Option<Box<AuthorizerView>>) {
    let push = env.sandbox.pushes()[push_id.expect("a result push") as usize].clone();
    let PushAction::FastRegister { task, authorizer } = env.apply(&push).await.action else {
        panic!("expected a task update")
    };
    (*task, authorizer)
}

/// Moves the sandbox's registration `key` on (to `status`, or its next one).
async fn advance(
    env: &Env,
    kind: FastRegisterKind,
    key: &str,
    status: Option<i64>,
) -> AdvanceOutcome {
    env.sandbox
        .advance_fastregister(kind, key, status)
        .await
        .unwrap()
}

/// The enterprise task for `name` after a search.
async fn search(env: &Env, name: &str) -> TaskView {
    env.desk
        .fastregister_enterprise_search(COMP, &search_of(name))
        .await
        .unwrap()
}

/// The personal task `taskid` after a query.
async fn personal_query(env: &Env, taskid: &str) -> TaskView {
    env.desk
        .fastregister_personal_query(COMP, taskid)
        .await
        .unwrap()
}

fn personal(idname: &str, wxuser: &str) -> PersonalRegistration {
    PersonalRegistration {
        idname: idname.into(),
        wxuser: wxuser.into(),
        component_phone: None,
    }
}

#[tokio::test]
async fn enterprise_registration_through_search_and_push() {
    let env = start_with_component().await;
    let name = "沙箱测试企业有限公司";
    let task = env
        .desk
        .fastregister_enterprise_create(COMP, &enterprise(name))
        .await
        .unwrap();
    assert_eq!(task.kind, TaskKind::Enterprise);
    assert_eq!(task.task_key, name);
    assert_eq!(task.status, TaskStatus::Created);
    assert!(!task.finished);
    assert_eq!(task.request["legal_persona_wechat"], "legal_wx");

    let task = search(&env, name).await;
    assert_eq!(
        (task.status.as_str(), task.status_code),
        ("waiting_for_legal_person", Some(89251))
    );
    advance(&env, FastRegisterKind::Enterprise, name, None).await;
    let task = search(&env, name).await;
    assert_eq!(
        (task.status.as_str(), task.status_code),
        ("front_checking", Some(89252))
    );

    // A second task for the same entity while one runs: WeChat refuses (89249).
    let err = env
        .desk
        .fastregister_enterprise_create(COMP, &enterprise(name))
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(89249));

    let out = advance(&env, FastRegisterKind::Enterprise, name, None).await;
    assert!(out.finished);
    let (task, authorizer) = apply_push(&env, out.push_id).await;
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert!(task.finished);
    assert_eq!(task.new_appid, out.appid);
    assert_eq!(task.result.as_ref().unwrap()["authorized"], true);
    let new_appid = out.appid.unwrap();
    let authorizer = authorizer.unwrap();
    assert_eq!(authorizer.appid, new_appid);
    assert_eq!(authorizer.nick_name, name);
    // The new mini program's refresh token works.
    env.desk
        .authorizer_token(COMP, &new_appid, true)
        .await
        .unwrap();

    // A later search does not undo the result.
    let task = search(&env, name).await;
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert!(task.result.as_ref().unwrap().get("last_search").is_some());
    assert_eq!(env.desk.fastregister_tasks(Some(COMP)).unwrap().len(), 1);

    // Bad input never reaches WeChat.
    env.sandbox.reset_counters();
    let mut bad = enterprise("另一家企业");
    bad.code_type = 4;
    let err = env
        .desk
        .fastregister_enterprise_create(COMP, &bad)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("code_type"));
    assert_eq!(
        env.sandbox.counter("cgi-bin/component/fastregisterweapp"),
        0
    );
}

#[tokio::test]
async fn enterprise_failure_and_unknown_search() {
    let env = start_with_component().await;
    let name = "注销了的企业";
    env.desk
        .fastregister_enterprise_create(COMP, &enterprise(name))
        .await
        .unwrap();
    let out = advance(&env, FastRegisterKind::Enterprise, name, Some(101)).await;
    let (task, authorizer) = apply_push(&env, out.push_id).await;
    assert_eq!(task.status, TaskStatus::Failed);
    assert_eq!(task.status_code, Some(101));
    assert!(
        task.status_text.contains("cancelled"),
        "{}",
        task.status_text
    );
    assert!(task.new_appid.is_none());
    assert!(authorizer.is_none());

    let task = search(&env, "从未注册的企业").await;
    assert_eq!(task.status, TaskStatus::NotFound);
    assert_eq!(task.status_code, Some(89250));
}

#[tokio::test]
async fn personal_registration_through_query_and_push() {
    let env = start_with_component().await;
    let reg = personal("李四", "lisi_wx");
    let task = env
        .desk
        .fastregister_personal_create(COMP, &reg)
        .await
        .unwrap();
    assert_eq!(task.kind, TaskKind::Personal);
    assert_eq!(task.status, TaskStatus::Created);
    assert_eq!(task.status_code, Some(0));
    let url = task
        .authorize_url
        .clone()
        .expect("a link for the individual");
    assert!(url.contains("fastregisterpersonal"));
    let taskid = task.task_key.clone();

    advance(&env, FastRegisterKind::Personal, &taskid, None).await;
    let task = personal_query(&env, &taskid).await;
    assert_eq!(
        (task.status.as_str(), task.status_code),
        ("in_progress", Some(3))
    );
    assert_eq!(task.status_text, "the person agreed");

    let out = advance(&env, FastRegisterKind::Personal, &taskid, Some(12)).await;
    let (task, authorizer) = apply_push(&env, out.push_id).await;
    assert_eq!(
        task.task_key, taskid,
        "the push is matched to the task by wxuser"
    );
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert_eq!(task.new_appid, out.appid);
    assert_eq!(authorizer.unwrap().account_type, "mini_program");
    let task = personal_query(&env, &taskid).await;
    assert_eq!(
        task.status,
        TaskStatus::Succeeded,
        "a query does not undo the push"
    );

    // Another individual rejects the face check.
    let reg = personal("王五", "wangwu_wx");
    let task = env
        .desk
        .fastregister_personal_create(COMP, &reg)
        .await
        .unwrap();
    let out = advance(&env, FastRegisterKind::Personal, &task.task_key, Some(5)).await;
    let (failed, _) = apply_push(&env, out.push_id).await;
    assert_eq!(failed.id, task.id);
    assert_eq!(failed.status, TaskStatus::Failed);
    assert_eq!(failed.status_text, "face verification failed");
    assert!(failed.finished);

    let err = env
        .desk
        .fastregister_personal_query(COMP, "")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = env
        .desk
        .fastregister_personal_query(COMP, "no-such-task")
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(89250));
}

#[tokio::test]
async fn beta_registration_and_the_sync_that_stores_it() {
    let env = start_with_component().await;
    let task = env
        .desk
        .fastregister_beta_create(
            COMP,
            &BetaRegistration {
                name: "试用小程序名称".into(),
                openid: "o_future_admin".into(),
            },
        )
        .await
        .unwrap();
    assert_eq!(task.kind, TaskKind::Beta);
    assert_eq!(task.status, TaskStatus::Created);
    assert!(task
        .authorize_url
        .as_deref()
        .unwrap()
        .contains("fastregisterbeta"));
    let out = advance(&env, FastRegisterKind::Beta, &task.task_key, None).await;
    let (done, authorizer) = apply_push(&env, out.push_id).await;
    assert_eq!(done.id, task.id);
    assert_eq!(done.status, TaskStatus::Succeeded);
    assert_eq!(done.new_appid, out.appid);
    assert!(
        authorizer.is_none(),
        "trial results carry no authorization code"
    );
    assert!(done.result.as_ref().unwrap()["authorize_hint"]
        .as_str()
        .unwrap()
        .contains("sync"));
    let report = env
        .desk
        .authorizer_sync(COMP, &|_, _| {}, &AtomicBool::new(false))
        .await
        .unwrap();
    assert_eq!(report.added, 1);
    env.desk
        .authorizer_token(COMP, &out.appid.unwrap(), false)
        .await
        .unwrap();

    let err = env
        .desk
        .fastregister_beta_create(
            COMP,
            &BetaRegistration {
                name: "短".into(),
                openid: "o".into(),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
}

#[tokio::test]
async fn official_account_reuse_registers_and_authorizes_at_once() {
    let env = start_with_component().await;
    let oa = env.authorized(AccountKind::OfficialAccount).await;
    let link = env.desk.fastregister_link(COMP, &oa, None, true).unwrap();
    let location = consent(&link.url, &[]).await;
    assert!(location.contains("ticket="), "{location}");

    let task = env
        .desk
        .fastregister_offiaccount(COMP, &oa, &location)
        .await
        .unwrap();
    assert_eq!(task.kind, TaskKind::Offiaccount);
    assert_eq!(task.status, TaskStatus::Succeeded);
    assert!(task.finished);
    let new_appid = task.new_appid.clone().unwrap();
    assert_eq!(task.task_key, new_appid);
    assert_eq!(task.request, serde_json::json!({ "oa_appid": oa }));
    let result = task.result.unwrap();
    assert_eq!(result["authorized"], true);
    assert_eq!(result["is_wx_verify_succ"], true);
    assert!(!serde_json::to_string(&result).unwrap().contains("ticket"));
    let shown = env.desk.authorizer_show(&new_appid, None).unwrap();
    assert_eq!(shown.account_type, "mini_program");
    env.desk
        .authorizer_token(COMP, &new_appid, true)
        .await
        .unwrap();

    // The ticket is single-use.
    let err = env
        .desk
        .fastregister_offiaccount(COMP, &oa, &location)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(61058));
    // Errors before any call: an address with an auth_code, an unknown OA.
    let err = env
        .desk
        .fastregister_offiaccount(COMP, &oa, "https://x.example/cb?auth_code=abc")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = env
        .desk
        .fastregister_offiaccount(COMP, "wx9999999999999999", "abc")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found");

    let all = env.desk.fastregister_tasks(None).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        env.desk
            .fastregister_tasks(Some("wxffffffffffffffff"))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn waiting_states_are_logged_as_waiting_not_failures() {
    use wxdesk_core::store::call_log::CallLogQuery;
    let env = start_with_component().await;
    let name = "等待状态测试有限公司";
    env.desk
        .fastregister_enterprise_create(COMP, &enterprise(name))
        .await
        .unwrap();
    // 89251, then 89252: WeChat is waiting, nothing failed.
    for step in 0..2 {
        if step > 0 {
            advance(&env, FastRegisterKind::Enterprise, name, None).await;
        }
        search(&env, name).await;
    }
    let errors_before = env.desk.call_log_errors_since(0).unwrap();
    // A refused second task (89249) is a failure.
    env.desk
        .fastregister_enterprise_create(COMP, &enterprise(name))
        .await
        .unwrap_err();

    let all = env
        .desk
        .call_log(&CallLogQuery {
            endpoint: Some("fastregisterweapp".into()),
            ..Default::default()
        })
        .unwrap();
    let waiting: Vec<_> = all.iter().filter(|r| r.waiting).collect();
    let codes: Vec<_> = waiting.iter().map(|r| r.errcode).collect();
    assert_eq!(codes, vec![Some(89252), Some(89251)], "{all:#?}");
    assert!(waiting.iter().all(|r| !r.failed && r.error_kind.is_none()));
    assert!(
        waiting.iter().all(|r| r.explanation.is_some()),
        "still explained"
    );

    let failures = env
        .desk
        .call_log(&CallLogQuery {
            endpoint: Some("fastregisterweapp".into()),
            errors_only: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        failures.iter().map(|r| r.errcode).collect::<Vec<_>>(),
        vec![Some(89249)]
    );
    assert!(failures.iter().all(|r| r.failed && !r.waiting));
    assert_eq!(
        env.desk.call_log_errors_since(0).unwrap(),
        errors_before + 1
    );
    let dashboard = env.desk.dashboard().unwrap();
    assert!(dashboard
        .recent_failures
        .iter()
        .all(|r| !r.errcode.is_some_and(wxdesk_wechat::catalogue::is_waiting)));
}
