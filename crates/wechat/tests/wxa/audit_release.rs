//! Audits (quota, speed-up, withdrawals, outcomes, pushes of the plan) and releases.

use std::time::Duration;

use wxdesk_sandbox::{AuditOutcome, AuditPlan, Fault, FaultKind, ProfilePatch};
use wxdesk_wechat::api::wxa_audit::{AuditItem, AuditState, PreviewInfo, SubmitAuditRequest};
use wxdesk_wechat::api::wxa_release::{GrayRelease, GrayReleasePlan, VisitStatus};

use crate::common::*;

/// A tiny valid PNG (1×1 white pixel).
fn tiny_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 1, 1);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[255]).unwrap();
    }
    out
}

#[tokio::test]
async fn audits_one_at_a_time_with_quota_speedup_and_withdraw_limits() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    assert_eq!(
        errcode(e.submit_audit(&m).await),
        85086,
        "no code committed"
    );
    e.ready(&m, t, "1.0.0").await;
    let quota = e.c.wxa_audit_quota(&m.appid, &m.token).await.unwrap();
    assert_eq!((quota.rest, quota.limit), (20, 20));

    let media =
        e.c.wxa_upload_audit_media(&m.appid, &m.token, "home.png", "image/png", tiny_png())
            .await
            .unwrap();
    assert_eq!(media.kind, "image");
    assert_eq!(
        invalid_field(
            e.c.wxa_upload_audit_media(
                &m.appid,
                &m.token,
                "a.exe",
                "application/x-msdownload",
                vec![1]
            )
            .await
        ),
        "content_type"
    );
    let cats = e.c.wxa_categories(&m.appid, &m.token).await.unwrap();
    let item = AuditItem {
        address: Some("pages/index/index".into()),
        tag: Some("工具 效率".into()),
        first_class: Some(cats[0].first_class.clone()),
        second_class: Some(cats[0].second_class.clone()),
        first_id: Some(cats[0].first_id),
        second_id: Some(cats[0].second_id),
        title: Some("首页".into()),
        ..Default::default()
    };
    let bad_item = AuditItem {
        address: Some("pages/nowhere/nowhere".into()),
        ..item.clone()
    };
    let with = |items: Vec<AuditItem>| SubmitAuditRequest {
        item_list: items,
        preview_info: Some(PreviewInfo {
            pic_id_list: vec![media.mediaid.clone()],
            video_id_list: vec![],
        }),
        feedback_info: Some("测试账号：demo / demo".into()),
        feedback_stuff: Some(media.mediaid.clone()),
        privacy_api_not_use: Some(true),
        order_path: Some("pages/detail/detail".into()),
        ..Default::default()
    };
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![bad_item]))
                .await
        ),
        85007
    );
    let auditid =
        e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![item.clone()]))
            .await
            .unwrap();
    assert!(auditid > 0);
    assert_eq!(
        errcode(
            e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![item.clone()]))
                .await
        ),
        85009,
        "one audit at a time"
    );
    let s =
        e.c.wxa_audit_status(&m.appid, &m.token, auditid)
            .await
            .unwrap();
    assert_eq!((s.state(), s.auditid), (AuditState::Auditing, auditid));
    let latest =
        e.c.wxa_latest_audit_status(&m.appid, &m.token)
            .await
            .unwrap();
    assert_eq!(
        (latest.auditid, latest.user_version.as_str()),
        (auditid, "1.0.0")
    );
    assert_eq!(
        errcode(
            e.c.wxa_audit_status(&m.appid, &m.token, auditid + 1000)
                .await
        ),
        85012
    );
    let quota = e.c.wxa_audit_quota(&m.appid, &m.token).await.unwrap();
    assert_eq!((quota.rest, quota.speedup_rest), (19, 1));

    e.c.wxa_speedup_audit(&m.appid, &m.token, auditid)
        .await
        .unwrap();
    assert_eq!(
        errcode(e.c.wxa_speedup_audit(&m.appid, &m.token, auditid).await),
        89404
    );

    // Withdraw: once a day.
    e.c.wxa_undo_audit(&m.appid, &m.token).await.unwrap();
    let s =
        e.c.wxa_audit_status(&m.appid, &m.token, auditid)
            .await
            .unwrap();
    assert_eq!(s.state(), AuditState::Withdrawn);
    assert_eq!(
        errcode(e.c.wxa_undo_audit(&m.appid, &m.token).await),
        85019,
        "nothing to withdraw"
    );
    let second =
        e.c.wxa_submit_audit(&m.appid, &m.token, &with(vec![item.clone()]))
            .await
            .unwrap();
    assert_eq!(errcode(e.c.wxa_undo_audit(&m.appid, &m.token).await), 87013);
    assert_eq!(
        errcode(e.c.wxa_speedup_audit(&m.appid, &m.token, second).await),
        89405,
        "one speed-up a month"
    );
    e.sb.advance_clock(Duration::from_secs(3601));
    let s =
        e.c.wxa_audit_status(&m.appid, &m.token, second)
            .await
            .unwrap();
    assert_eq!(
        s.state(),
        AuditState::Success,
        "an hour of virtual time passed"
    );
    assert_eq!(errcode(e.c.wxa_undo_audit(&m.appid, &m.token).await), 85019);

    // Quota exhausted, and a profile without nickname.
    e.sb.set_submit_quota(&m.appid, 0).unwrap();
    assert_eq!(errcode(e.submit_audit(&m).await), 85085);
    e.sb.set_submit_quota(&m.appid, 5).unwrap();
    e.sb.patch_profile(ProfilePatch {
        appid: m.appid.clone(),
        nick_name: Some(String::new()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(errcode(e.submit_audit(&m).await), 86002);
}

#[tokio::test]
async fn audits_end_as_planned_and_reviewers_reject_undeclared_privacy() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.ready(&m, t, "1.0.0").await;
    e.reject_next_audit(&m, 120);
    let id = e.submit_audit(&m).await.unwrap();
    e.sb.advance_clock(Duration::from_secs(119));
    assert_eq!(e.audit_state(&m, id).await, AuditState::Auditing);
    e.sb.advance_clock(Duration::from_secs(2));
    let s =
        e.c.wxa_latest_audit_status(&m.appid, &m.token)
            .await
            .unwrap();
    assert_eq!(s.state(), AuditState::Rejected);
    assert_eq!(s.reason, REJECTION_REASON);
    assert_eq!(s.screenshots().len(), 2);

    // Delay, then success, with the global plan.
    e.sb.set_next_audit(
        None,
        AuditPlan {
            then_secs: 100,
            ..plan(AuditOutcome::Delay, 10)
        },
    )
    .unwrap();
    let id = e.submit_audit(&m).await.unwrap();
    e.sb.advance_clock(Duration::from_secs(11));
    let s = e.c.wxa_audit_status(&m.appid, &m.token, id).await.unwrap();
    assert_eq!(s.state(), AuditState::Delayed);
    assert!(!s.reason.is_empty());
    assert_eq!(
        errcode(e.submit_audit(&m).await),
        85009,
        "a delayed audit still blocks"
    );
    e.sb.advance_clock(Duration::from_secs(100));
    assert_eq!(e.audit_state(&m, id).await, AuditState::Success);

    // Code using a key the guide does not declare is rejected whatever the plan.
    e.sb.set_next_audit(None, plan(AuditOutcome::Success, 10))
        .unwrap();
    e.c.wxa_set_privacy(&m.appid, &m.token, &guide(&["Location"]))
        .await
        .unwrap();
    let id = e.submit_audit(&m).await.unwrap();
    e.sb.advance_clock(Duration::from_secs(11));
    let s = e.c.wxa_audit_status(&m.appid, &m.token, id).await.unwrap();
    assert_eq!(s.state(), AuditState::Rejected);
    assert!(s.reason.contains("UserInfo"), "{}", s.reason);
}

/// `m`'s gray release plan, which must exist.
async fn gray_plan(e: &Env, m: &Merchant) -> GrayReleasePlan {
    e.c.wxa_gray_release_plan(&m.appid, &m.token)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn release_only_after_audit_revert_only_once_and_gray_percentages() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.sb.set_next_audit(None, plan(AuditOutcome::Success, 60))
        .unwrap();
    e.ready(&m, t, "1.0.0").await;
    assert_eq!(
        errcode(e.c.wxa_release(&m.appid, &m.token).await),
        85019,
        "never audited"
    );
    e.submit_audit(&m).await.unwrap();
    assert_eq!(
        errcode(e.c.wxa_release(&m.appid, &m.token).await),
        85020,
        "still auditing"
    );
    e.sb.advance_clock(Duration::from_secs(61));
    e.c.wxa_release(&m.appid, &m.token).await.unwrap();
    assert_eq!(errcode(e.c.wxa_release(&m.appid, &m.token).await), 85052);
    assert_eq!(
        errcode(e.c.wxa_revert_release(&m.appid, &m.token, None).await),
        87012
    );
    assert!(e
        .c
        .wxa_release_history(&m.appid, &m.token)
        .await
        .unwrap()
        .is_empty());
    let v = e.c.wxa_version_info(&m.appid, &m.token).await.unwrap();
    assert_eq!(v.release_info.unwrap().release_version, "1.0.0");

    // Version 2: phased release first.
    e.commit(&m, t, "2.0.0").await;
    let gray = |p| GrayRelease {
        gray_percentage: p,
        support_experiencer_first: true,
        support_debuger_first: false,
    };
    e.submit_audit(&m).await.unwrap();
    assert_eq!(
        errcode(e.c.wxa_gray_release(&m.appid, &m.token, &gray(10)).await),
        85080
    );
    e.sb.advance_clock(Duration::from_secs(61));
    e.c.wxa_gray_release(&m.appid, &m.token, &gray(10))
        .await
        .unwrap();
    assert_eq!(
        errcode(e.c.wxa_gray_release(&m.appid, &m.token, &gray(5)).await),
        85082
    );
    assert_eq!(
        invalid_field(e.c.wxa_gray_release(&m.appid, &m.token, &gray(101)).await),
        "gray_percentage"
    );
    e.c.wxa_gray_release(&m.appid, &m.token, &gray(30))
        .await
        .unwrap();
    let p = gray_plan(&e, &m).await;
    assert_eq!(
        (p.status, p.gray_percentage, p.support_experiencer_first),
        (1, 30, true)
    );
    assert_eq!(
        errcode(e.c.wxa_revert_release(&m.appid, &m.token, None).await),
        87011
    );
    e.c.wxa_revert_gray_release(&m.appid, &m.token)
        .await
        .unwrap();
    let p = gray_plan(&e, &m).await;
    assert_eq!(p.status, 4);
    e.c.wxa_release(&m.appid, &m.token).await.unwrap();

    // Roll back to 1.0.0, once.
    let history = e.c.wxa_release_history(&m.appid, &m.token).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].user_version, "1.0.0");
    assert_eq!(
        errcode(
            e.c.wxa_revert_release(&m.appid, &m.token, Some(history[0].app_version + 1))
                .await
        ),
        87012
    );
    e.c.wxa_revert_release(&m.appid, &m.token, Some(history[0].app_version))
        .await
        .unwrap();
    let v = e.c.wxa_version_info(&m.appid, &m.token).await.unwrap();
    assert_eq!(v.release_info.unwrap().release_version, "1.0.0");
    assert_eq!(
        errcode(e.c.wxa_revert_release(&m.appid, &m.token, None).await),
        87012
    );

    e.c.wxa_change_visit_status(&m.appid, &m.token, VisitStatus::Close)
        .await
        .unwrap();
    assert_eq!(
        errcode(
            e.c.wxa_change_visit_status(&m.appid, &m.token, VisitStatus::Close)
                .await
        ),
        85021
    );
    e.c.wxa_change_visit_status(&m.appid, &m.token, VisitStatus::Open)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_submission_is_never_replayed_but_a_status_read_is() {
    let e = env().await;
    let m = e.merchant().await;
    let t = e.template().await;
    e.ready(&m, t, "1.0.0").await;
    let busy = FaultKind::Errcode {
        errcode: -1,
        errmsg: "system error".into(),
    };
    e.sb.set_fault(Fault::new("wxa/submit_audit", busy.clone()).times(1));
    e.sb.reset_counters();
    assert_eq!(errcode(e.submit_audit(&m).await), -1);
    assert_eq!(e.sb.counter("wxa/submit_audit"), 1, "never sent twice");
    e.sb.set_fault(Fault::new("wxa/commit", busy.clone()).times(1));
    assert_eq!(
        errcode(
            e.c.wxa_commit(&m.appid, &m.token, &commit(t, &m.appid, "1.0.1"))
                .await
        ),
        -1
    );
    assert_eq!(e.sb.counter("wxa/commit"), 1);
    let id = e.submit_audit(&m).await.unwrap();
    e.sb.set_fault(Fault::new("wxa/get_auditstatus", busy).times(1));
    e.c.wxa_audit_status(&m.appid, &m.token, id).await.unwrap();
    assert_eq!(
        e.sb.counter("wxa/get_auditstatus"),
        2,
        "a read is retried once"
    );
}
