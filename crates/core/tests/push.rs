//! Tickets and pushes: every InfoType the sandbox pushes is verified,
//! decrypted and applied; a push that does not verify changes nothing.

mod push_support;

use push_support::*;
use wxdesk_core::services::components_push::{PushAction, TicketSource};
use wxdesk_core::store::authorizers::AuthorizerStatus;
use wxdesk_core::token_types::TokenSource;
use wxdesk_sandbox::{AccountKind, FastRegisterKind};
use wxdesk_wechat::crypto::push::PushCrypto;
use wxdesk_wechat::push_message::build_message;

#[tokio::test]
async fn ticket_push_is_stored_and_mints_a_component_token() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let status = env.desk.ticket_status(COMP).unwrap();
    assert!(!status.valid);
    assert_eq!(status.count, 0);
    assert!(status.received_at.is_none());

    let push = env.sandbox.push_ticket(COMP).await.unwrap();
    let applied = env.apply(&push).await;
    assert_eq!(
        applied.info_type.as_deref(),
        Some("component_verify_ticket")
    );
    let PushAction::TicketStored { ticket, .. } = applied.action else {
        panic!("expected a stored ticket, got {:?}", applied.action)
    };
    assert!(ticket.valid);
    assert_eq!(ticket.source.as_deref(), Some("push"));
    assert_eq!(ticket.count, 1);
    assert!(ticket.age_secs.unwrap() <= 2);
    assert_eq!(
        ticket.expires_at.unwrap(),
        ticket.received_at.unwrap() + 12 * 3600
    );
    let masked = ticket.ticket_masked.unwrap();
    assert!(
        masked.ends_with('…') && masked.chars().count() <= 5,
        "{masked}"
    );

    // The pushed ticket is the one WeChat accepts.
    let grant = env.desk.component_token(COMP, false).await.unwrap();
    assert_eq!(grant.source, TokenSource::Fresh);

    // The JSON view is snake_case and flattened.
    let json = serde_json::to_value(env.apply(&push).await).unwrap();
    assert_eq!(json["action"], "ticket_stored");
    assert_eq!(json["component_appid"], COMP);
    assert_eq!(json["ticket"]["count"], 2);
}

#[tokio::test]
async fn a_push_signed_with_another_token_is_rejected_and_nothing_is_written() {
    let env = start().await;
    env.add_component(COMP, "NotTheRealToken", Some(REDIRECT));
    let push = env.sandbox.push_ticket(COMP).await.unwrap();
    let err = env
        .desk
        .ticket_push(COMP, &push.query, &push.body)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "signature_mismatch", "{err}");
    assert!(!err.to_string().contains("NotTheRealToken"));
    assert_eq!(env.desk.ticket_status(COMP).unwrap().count, 0);

    // An authorization push is not exchanged either.
    let (a, push) = env.sandbox_authorize(None, AccountKind::MiniProgram);
    let err = env
        .desk
        .ticket_push(COMP, &push.query, &push.body)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "signature_mismatch");
    assert_eq!(env.sandbox.counter("cgi-bin/component/api_query_auth"), 0);
    assert!(env
        .desk
        .authorizer_show(&a.authorizer_appid, Some(COMP))
        .is_err());
}

#[tokio::test]
async fn a_tampered_body_and_a_push_for_another_platform_are_rejected() {
    let env = start_with_component().await;
    let other = "wxaaaaaaaaaaaaaaaa";
    env.add_component(other, TOKEN, None);
    let push = env.sandbox.push_ticket(COMP).await.unwrap();

    // Same token and key, different platform: the frame names COMP.
    let err = env
        .desk
        .ticket_push(other, &push.query, &push.body)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "appid_mismatch", "{err}");
    assert_eq!(env.desk.ticket_status(other).unwrap().count, 0);

    // A body altered after signing.
    let tampered = push
        .body
        .replacen("<Encrypt><![CDATA[", "<Encrypt><![CDATA[AAAA", 1);
    let err = env
        .desk
        .ticket_push(COMP, &push.query, &tampered)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "signature_mismatch");

    // A query without msg_signature names the parameter.
    let err = env
        .desk
        .ticket_push(COMP, "timestamp=1&nonce=2", &push.body)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("msg_signature"), "{err}");
    assert_eq!(
        env.desk.ticket_status(COMP).unwrap().count,
        1,
        "only the manual ticket"
    );
}

#[tokio::test]
async fn authorized_and_updateauthorized_pushes_store_the_authorizer() {
    let env = start_with_component().await;
    let (a, push) = env.sandbox_authorize(None, AccountKind::MiniProgram);
    assert_eq!(push.info_type, "authorized");
    let applied = env.apply(&push).await;
    let PushAction::Authorized { authorizer } = applied.action else {
        panic!("expected an authorization, got {:?}", applied.action)
    };
    assert_eq!(authorizer.appid, a.authorizer_appid);
    assert_eq!(authorizer.component_appid, COMP);
    assert_eq!(authorizer.account_type, "mini_program");
    assert_eq!(authorizer.status, AuthorizerStatus::Active);
    assert!(
        authorizer.nick_name.contains("Sandbox MP"),
        "{}",
        authorizer.nick_name
    );
    assert_eq!(
        authorizer.func_info,
        vec![1, 2, 3, 17, 18, 25, 30, 31, 37, 40]
    );
    assert!(authorizer.has_refresh_token);
    assert!(authorizer.authorized_at.is_some());
    let info = authorizer
        .info
        .as_ref()
        .expect("the info snapshot is shown");
    assert!(info.get("MiniProgramInfo").is_some());
    assert!(authorizer.warnings.is_empty(), "{:?}", authorizer.warnings);
    assert_eq!(
        env.stored_refresh_token(COMP, &a.authorizer_appid),
        a.refresh_token
    );
    let json = serde_json::to_string(&authorizer).unwrap();
    assert!(
        !json.contains(&a.refresh_token),
        "the view never carries the refresh token"
    );

    // The authorizer token that came with api_query_auth is cached.
    let grant = env
        .desk
        .authorizer_token(COMP, &a.authorizer_appid, false)
        .await
        .unwrap();
    assert_eq!(grant.source, TokenSource::Cache);
    assert_eq!(
        env.sandbox
            .counter("cgi-bin/component/api_authorizer_token"),
        0
    );

    // Re-authorization rotates the refresh token: the push stores the new one.
    let (b, push) = env.sandbox_authorize(Some(&a.authorizer_appid), AccountKind::MiniProgram);
    assert_eq!(push.info_type, "updateauthorized");
    assert_ne!(a.refresh_token, b.refresh_token);
    let applied = env.apply(&push).await;
    assert_eq!(applied.info_type.as_deref(), Some("updateauthorized"));
    assert_eq!(
        env.stored_refresh_token(COMP, &a.authorizer_appid),
        b.refresh_token
    );
    // The stored one works.
    env.desk
        .authorizer_token(COMP, &a.authorizer_appid, true)
        .await
        .unwrap();

    // Replaying a push whose code this process already exchanged (a retry, or
    // the launch page's redirect with the same code) asks WeChat nothing and
    // changes nothing.
    let calls = env.sandbox.counter("cgi-bin/component/api_query_auth");
    let replayed = env
        .desk
        .ticket_push(COMP, &push.query, &push.body)
        .await
        .unwrap();
    assert!(matches!(replayed.action, PushAction::Authorized { .. }));
    assert_eq!(
        env.sandbox.counter("cgi-bin/component/api_query_auth"),
        calls
    );
    assert_eq!(
        env.stored_refresh_token(COMP, &a.authorizer_appid),
        b.refresh_token
    );
}

#[tokio::test]
async fn an_official_account_is_typed_from_its_info() {
    let env = start_with_component().await;
    let appid = env.authorized(AccountKind::OfficialAccount).await;
    let view = env.desk.authorizer_show(&appid, None).unwrap();
    assert_eq!(view.account_type, "official_account");
    assert!(view.nick_name.contains("Sandbox OA"));
    assert!(view.principal_name.is_some());
    assert!(view.user_name.as_deref().unwrap_or("").starts_with("gh_"));
}

#[tokio::test]
async fn unauthorized_push_marks_the_authorizer_revoked() {
    let env = start_with_component().await;
    let appid = env.authorized(AccountKind::MiniProgram).await;
    let owner = format!("{COMP}/{appid}");
    let cached = |env: &Env| {
        env.desk
            .cached_tokens()
            .unwrap()
            .iter()
            .any(|t| t.owner == owner)
    };
    assert!(cached(&env), "api_query_auth's token is cached");
    let before = env.sandbox.pushes().len();
    env.sandbox.unauthorize(COMP, &appid).unwrap();
    let push = env.push_after(before, |p| p.info_type == "unauthorized");
    let applied = env.apply(&push).await;
    assert_eq!(
        applied.action,
        PushAction::Unauthorized {
            authorizer_appid: appid.clone(),
            changed: true
        }
    );
    assert!(!cached(&env), "the dead token is dropped");
    let view = env.desk.authorizer_show(&appid, Some(COMP)).unwrap();
    assert_eq!(view.status, AuthorizerStatus::Revoked);
    assert!(view.revoked_at.is_some());
    // Kept, and its tokens are refused.
    assert_eq!(
        env.desk
            .authorizer_token(COMP, &appid, false)
            .await
            .unwrap_err()
            .code(),
        "revoked"
    );
    // Applying it again changes nothing.
    let again = env.apply(&push).await;
    assert!(matches!(
        again.action,
        PushAction::Unauthorized { changed: false, .. }
    ));
}

#[tokio::test]
async fn fast_registration_pushes_update_or_create_tasks() {
    let env = start_with_component().await;
    // Enterprise, created outside the desk: the push alone creates the task.
    let token = env.desk.component_token(COMP, false).await.unwrap();
    let client = reqwest::Client::new();
    let r: serde_json::Value = client
        .post(format!(
            "{}/cgi-bin/component/fastregisterweapp?action=create&component_access_token={}",
            env.sandbox.base_url(),
            token.token.as_str()
        ))
        .json(&serde_json::json!({
            "name": "沙箱测试企业", "code": "91440300MA5DC1234X", "code_type": 1,
            "legal_persona_wechat": "legal_wx", "legal_persona_name": "张三"
        }))
        .json_reply()
        .await;
    assert_eq!(r["errcode"], 0, "{r}");
    let out = env
        .sandbox
        .advance_fastregister(FastRegisterKind::Enterprise, "沙箱测试企业", Some(0))
        .await
        .unwrap();
    let push = env.sandbox.pushes()[out.push_id.unwrap() as usize].clone();
    assert_eq!(push.info_type, "notify_third_fasteregister");
    let applied = env.apply(&push).await;
    let PushAction::FastRegister { task, authorizer } = applied.action else {
        panic!("expected a task update, got {:?}", applied.action)
    };
    assert_eq!(task.task_key, "沙箱测试企业");
    assert_eq!(task.status.as_str(), "succeeded");
    assert!(task.finished);
    assert_eq!(task.new_appid, out.appid);
    let authorizer = authorizer.expect("the new mini program is authorized");
    assert_eq!(Some(authorizer.appid.clone()), out.appid);
    assert_eq!(authorizer.account_type, "mini_program");

    // Trial: unknown unique_id, failed result.
    let r: serde_json::Value = client
        .post(format!(
            "{}/wxa/component/fastregisterbetaweapp?access_token={}",
            env.sandbox.base_url(),
            token.token.as_str()
        ))
        .json(&serde_json::json!({"name": "试用小程序名称", "openid": "o_admin_1"}))
        .json_reply()
        .await;
    let unique_id = r["unique_id"].as_str().unwrap().to_string();
    let out = env
        .sandbox
        .advance_fastregister(FastRegisterKind::Beta, &unique_id, Some(2))
        .await
        .unwrap();
    let push = env.sandbox.pushes()[out.push_id.unwrap() as usize].clone();
    assert_eq!(push.info_type, "notify_third_fastregisterbetaapp");
    let applied = env.apply(&push).await;
    let PushAction::FastRegister { task, authorizer } = applied.action else {
        panic!("expected a task update")
    };
    assert_eq!(task.task_key, unique_id);
    assert_eq!(task.status.as_str(), "failed");
    assert_eq!(task.status_code, Some(2));
    assert!(authorizer.is_none());
    assert_eq!(env.desk.fastregister_tasks(Some(COMP)).unwrap().len(), 2);
}

#[tokio::test]
async fn other_info_types_are_verified_then_ignored() {
    let env = start_with_component().await;
    let msg = build_message(COMP, 1_700_000_000, "some_future_event", &[("Foo", "bar")]);
    let applied = deliver_sealed(&env, &msg).await;
    assert_eq!(applied.info_type.as_deref(), Some("some_future_event"));
    assert!(matches!(applied.action, PushAction::Ignored { .. }));
    // The reply envelope form (signature inside the body) is accepted without a query.
    let crypto = PushCrypto::new(TOKEN, AES, COMP).unwrap();
    let sealed = crypto.seal(msg.as_bytes(), "1700000000", "nonce42", None);
    let applied = env.desk.ticket_push(COMP, "", &sealed.xml).await.unwrap();
    assert!(matches!(applied.action, PushAction::Ignored { .. }));
}

#[tokio::test]
async fn manual_tickets_start_push_and_their_errors() {
    let env = start().await;
    env.add_component(COMP, TOKEN, None);
    let err = env
        .desk
        .ticket_set(COMP, "  ", TicketSource::Manual)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(err.to_string().contains("ticket"));
    let err = env
        .desk
        .ticket_set(COMP, "ticket@@@abc def", TicketSource::Manual)
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let err = env
        .desk
        .ticket_set("wxffffffffffffffff", "ticket@@@abc", TicketSource::Manual)
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = env.desk.ticket_status("not-an-appid").unwrap_err();
    assert_eq!(err.code(), "invalid_input");

    // A hand-pasted ticket WeChat never issued is stored but refused by WeChat.
    let status = env
        .desk
        .ticket_set(COMP, "ticket@@@made-up", TicketSource::Manual)
        .unwrap();
    assert_eq!(status.source.as_deref(), Some("manual"));
    let err = env.desk.component_token(COMP, false).await.unwrap_err();
    assert_eq!(err.errcode(), Some(61006));

    // start-push asks WeChat for a fresh ticket push.
    let before = env.sandbox.pushes().len();
    let view = env.desk.ticket_start_push(COMP).await.unwrap();
    assert_eq!(view.message, "ok");
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let push = env.push_after(before, |p| p.info_type == "component_verify_ticket");
    env.apply(&push).await;
    env.desk.component_token(COMP, false).await.unwrap();
    assert_eq!(env.desk.ticket_status(COMP).unwrap().count, 2);
}
