//! The push inbox: pasted pushes are recorded (verified or not) with their
//! decoded fields masked, listed newest first with filters, and can be
//! applied again.

mod push_support;

use push_support::*;
use wxdesk_core::services::inbox::InboxFilter;
use wxdesk_sandbox::AccountKind;

#[tokio::test]
async fn pasted_pushes_are_recorded_filtered_and_masked() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let push = env.sandbox.push_ticket(COMP).await.unwrap();
    env.apply(&push).await;
    env.give_ticket(COMP);
    let (a, auth_push) = env.sandbox_authorize(None, AccountKind::MiniProgram);
    env.apply(&auth_push).await;
    // A paste that does not verify is recorded too, as an error.
    let bad = push.query.replace("msg_signature=", "msg_signature=0");
    env.desk
        .ticket_push(COMP, &bad, &push.body)
        .await
        .unwrap_err();

    let all = env.desk.inbox_list(&InboxFilter::default()).unwrap();
    assert_eq!(all.len(), 3);
    assert!(all[0].id > all[1].id, "newest first");
    assert_eq!(all[0].outcome, "bad_signature");
    assert_eq!(all[1].info_type.as_deref(), Some("authorized"));
    assert_eq!(all[1].outcome, "applied");
    assert_eq!(
        all[1].authorizer_appid.as_deref(),
        Some(a.authorizer_appid.as_str())
    );
    assert_eq!(all[2].outcome, "applied");
    assert!(all.iter().all(|e| e.source == "paste"));

    // Secrets never leave in the decoded fields nor the shown query.
    let shown = serde_json::to_string(&all).unwrap();
    assert!(!shown.contains(&a.auth_code), "{shown}");
    let ticket = push
        .plaintext
        .split("<ComponentVerifyTicket><![CDATA[")
        .nth(1)
        .and_then(|s| s.split("]]>").next())
        .unwrap();
    assert!(!shown.contains(ticket), "{shown}");
    let sig = push
        .query
        .split('&')
        .find_map(|kv| kv.strip_prefix("msg_signature="))
        .unwrap();
    assert!(!shown.contains(sig), "{shown}");

    let only = |f: InboxFilter| env.desk.inbox_list(&f).unwrap();
    assert_eq!(
        only(InboxFilter {
            info_type: Some("component_verify_ticket".into()),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        only(InboxFilter {
            authorizer_appid: Some(a.authorizer_appid.clone()),
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        only(InboxFilter {
            errors_only: true,
            ..Default::default()
        })
        .len(),
        1
    );
    assert_eq!(
        only(InboxFilter {
            component_appid: Some("wx00000000000000ff".into()),
            ..Default::default()
        })
        .len(),
        0
    );
    assert_eq!(
        only(InboxFilter {
            limit: Some(1),
            ..Default::default()
        })
        .len(),
        1
    );
    let err = env
        .desk
        .inbox_list(&InboxFilter {
            limit: Some(0),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(err.to_string().contains("limit"));

    // Applying the ticket push again records it again (a pasted push is the operator's call).
    let again = env.desk.inbox_apply(all[2].id).await.unwrap();
    assert_eq!(again.outcome, "applied");
    assert_eq!(env.desk.ticket_status(COMP).unwrap().count, 3);
    // The authorization code is single-use: applying it again fails, and says so on the entry.
    let again = env.desk.inbox_apply(all[1].id).await.unwrap();
    assert_eq!(
        again.outcome, "applied",
        "this process exchanged it already"
    );
    let missing = env.desk.inbox_apply(999_999).await.unwrap_err();
    assert_eq!(missing.code(), "not_found");
}

#[tokio::test]
async fn a_plaintext_push_that_does_not_open_is_kept_masked() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    // A decrypted message pasted by mistake (or a plaintext-mode push) carries the ticket in clear.
    let ticket = "ticket@@@PlainTextTicketValue0123456789abcdefABCDEF";
    let body = format!(
        "<xml><AppId>{COMP}</AppId><CreateTime>1767225600</CreateTime><InfoType>component_verify_ticket</InfoType>\
         <ComponentVerifyTicket>{ticket}</ComponentVerifyTicket></xml>"
    );
    env.desk
        .ticket_push(COMP, "timestamp=1&nonce=n&msg_signature=x", &body)
        .await
        .unwrap_err();
    let e = &env.desk.inbox_list(&InboxFilter::default()).unwrap()[0];
    assert_eq!(e.outcome, "bad_signature");
    let raw = env
        .desk
        .store()
        .read(|c| wxdesk_core::store::pushes::get(c, e.id))
        .unwrap()
        .unwrap();
    assert!(!raw.body.contains(ticket), "{}", raw.body);
    assert!(raw.body.contains("ComponentVerifyTicket"), "{}", raw.body);
}
