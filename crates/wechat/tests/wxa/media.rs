//! An audit rejection's screenshots read back with `cgi-bin/media/get`: each
//! id gives a PNG (the sandbox's decodes to a text naming the id), an unknown
//! id or another merchant's answers 40007, and a `|`-joined list is refused
//! before anything is sent.

use std::time::Duration;

use wxdesk_sandbox::audit_screenshot_text;
use wxdesk_wechat::api::wxa_audit::AuditState;

use crate::code_privacy::decode_png;
use crate::common::*;

#[tokio::test]
async fn rejection_screenshots_are_fetched_as_png_and_unknown_ids_answer_40007() {
    let e = env().await;
    let m = e.merchant().await;
    let other = e.merchant().await;
    let t = e.template().await;
    e.ready(&m, t, "1.0.0").await;
    e.reject_next_audit(&m, 60);
    e.submit_audit(&m).await.unwrap();
    e.sb.advance_clock(Duration::from_secs(61));
    let s =
        e.c.wxa_latest_audit_status(&m.appid, &m.token)
            .await
            .unwrap();
    assert_eq!(s.state(), AuditState::Rejected);
    let ids = s.screenshots();
    assert_eq!(ids.len(), 2);

    for id in &ids {
        let img = e.c.media_get(&m.appid, &m.token, id).await.unwrap();
        assert_eq!(img.content_type, "image/png");
        assert_eq!(decode_png(&img.bytes), audit_screenshot_text(id));
    }

    // Unknown, and another merchant's: 40007.
    let unknown = e.c.media_get(&m.appid, &m.token, "NoSuchMediaId_123").await;
    assert_eq!(errcode(unknown), 40007);
    let foreign = e.c.media_get(&other.appid, &other.token, &ids[0]).await;
    assert_eq!(errcode(foreign), 40007);

    // The joined list is refused locally, naming the field.
    let joined = s.screenshot.clone();
    assert!(joined.contains('|'), "{joined}");
    assert_eq!(
        invalid_field(e.c.media_get(&m.appid, &m.token, &joined).await),
        "media_id"
    );
}
