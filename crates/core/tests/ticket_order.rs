//! A component_verify_ticket push only becomes the current ticket when it is
//! newer than the current one, at most 12 h old and not from the future;
//! otherwise it is recorded (history) but not current, and the push result and
//! ticket status say why. CreateTime from the wire is judged with saturating
//! arithmetic: i64::MAX and negative values are refused, never overflow.

mod push_support;

use push_support::*;
use wxdesk_core::services::components_push::{PushAction, PushApplied};
use wxdesk_core::token_types::TokenSource;
use wxdesk_wechat::redact::mask;

/// A verified ticket push for `COMP` carrying `ticket`, whose CreateTime
/// element is exactly `create_time` (any text, as a hostile push might send).
async fn push_ticket(env: &Env, create_time: &str, ticket: &str) -> PushApplied {
    let msg = format!(
        "<xml><AppId><![CDATA[{COMP}]]></AppId><CreateTime>{create_time}</CreateTime>\
         <InfoType><![CDATA[component_verify_ticket]]></InfoType>\
         <ComponentVerifyTicket><![CDATA[{ticket}]]></ComponentVerifyTicket></xml>"
    );
    deliver_sealed(env, &msg).await
}

fn not_current(applied: &PushApplied) -> &str {
    match &applied.action {
        PushAction::TicketNotCurrent { reason, .. } => reason,
        other => panic!("expected a ticket that is not current, got {other:?}"),
    }
}

#[tokio::test]
async fn older_stale_and_future_ticket_pushes_are_recorded_but_not_current() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let now = env.desk.now();
    let good = env.sandbox.issue_ticket(COMP).unwrap();

    let applied = push_ticket(&env, &(now - 60).to_string(), &good).await;
    let PushAction::TicketStored { ticket, .. } = &applied.action else {
        panic!("the fresh push becomes current: {:?}", applied.action)
    };
    assert_eq!(ticket.create_time, Some(now - 60));
    assert!(ticket.last_rejected.is_none());

    // Older than the current ticket (a delayed or replayed push).
    let older = push_ticket(&env, &(now - 600).to_string(), "ZZolderticket").await;
    assert!(
        not_current(&older).contains("older than the current ticket"),
        "{older:?}"
    );
    // More than 12 h old.
    let stale = push_ticket(&env, &(now - 13 * 3600).to_string(), "YYstaleticket").await;
    assert!(not_current(&stale).contains("13 h old"), "{stale:?}");
    // More than 5 minutes in the future.
    let future = push_ticket(&env, &(now + 3600).to_string(), "XXfutureticket").await;
    assert!(
        not_current(&future).contains("ahead of this computer's clock"),
        "{future:?}"
    );
    // Hostile extremes are judged, never overflow.
    let max = push_ticket(&env, &i64::MAX.to_string(), "WWmaxticket").await;
    assert!(not_current(&max).contains("in the future"), "{max:?}");
    let negative = push_ticket(&env, "-5", "VVnegativeticket").await;
    assert!(not_current(&negative).contains("h old"), "{negative:?}");
    let min = push_ticket(&env, &i64::MIN.to_string(), "UUminticket").await;
    assert!(not_current(&min).contains("h old"), "{min:?}");

    // Every push was recorded; the current ticket is still the good one, and
    // the status says why the last one is not current.
    let status = env.desk.ticket_status(COMP).unwrap();
    assert_eq!(status.count, 7);
    assert_eq!(status.create_time, Some(now - 60));
    assert!(status.valid);
    assert_eq!(status.ticket_masked, Some(mask(&good)));
    let rejected = status.last_rejected.expect("the last push is reported");
    assert_eq!(rejected.create_time, i64::MIN);
    assert!(rejected.reason.contains("h old"), "{}", rejected.reason);

    // The JSON result names the action and the reason.
    let json = serde_json::to_value(&older).unwrap();
    assert_eq!(json["action"], "ticket_not_current");
    assert!(json["reason"].as_str().unwrap().contains("older"));

    // The sandbox accepts only the good ticket: minting works because it is current.
    let grant = env.desk.component_token(COMP, false).await.unwrap();
    assert_eq!(grant.source, TokenSource::Fresh);

    // A newer push (same CreateTime counts as not older) becomes current again.
    let newer = env.sandbox.issue_ticket(COMP).unwrap();
    let applied = push_ticket(&env, &now.to_string(), &newer).await;
    assert!(
        matches!(applied.action, PushAction::TicketStored { .. }),
        "{applied:?}"
    );
    let status = env.desk.ticket_status(COMP).unwrap();
    assert_eq!(status.create_time, Some(now));
    assert!(status.last_rejected.is_none());
}

#[tokio::test]
async fn a_ticket_issued_eleven_hours_ago_expires_twelve_hours_after_issue() {
    let env = start().await;
    env.add_component(COMP, TOKEN, Some(REDIRECT));
    let now = env.desk.now();
    let t = env.sandbox.issue_ticket(COMP).unwrap();
    let applied = push_ticket(&env, &(now - 11 * 3600).to_string(), &t).await;
    let PushAction::TicketStored { ticket, .. } = applied.action else {
        panic!("an 11 h old push is still usable: {:?}", applied.action)
    };
    // Valid for one more hour, not twelve from its arrival.
    assert_eq!(ticket.expires_at, Some(now - 11 * 3600 + 12 * 3600));
    assert!(ticket.valid);
}
