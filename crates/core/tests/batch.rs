//! Release profiles and resumable batches against the sandbox: a profile's
//! domains and privacy guide applied to merchants, a 20-merchant batch with a
//! forced audit failure that is cancelled mid-way and resumed, and a step
//! left in `sending` reconciled by reading WeChat instead of sent again.

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use common::{deliver_ticket, draft_seed, seed_authorizer, seed_component, World};
use serde_json::json;
use wxdesk_core::services::batch::{BatchInput, BatchState, BatchStep, ItemPhase, Selection};
use wxdesk_core::services::profiles::{ProfileDomains, ProfileInput};
use wxdesk_core::services::wxa_templates::PlatformDomainKind;
use wxdesk_core::store::batches;
use wxdesk_core::Desk;
use wxdesk_sandbox::{AuditOutcome, AuditPlan, DraftSeed};
use wxdesk_wechat::api::wxa_shared::DomainAction;
use wxdesk_wechat::api::wxa_template::TemplateType;

const HOST: &str = "api.shop-example.com";
const DOMAIN: &str = "https://api.shop-example.com";

/// A platform with a template in its library, `n` authorized merchants, and
/// a profile `p1` whose domains are on the platform's list.
async fn platform(world: &World, desk: &Desk, n: usize) -> (String, Vec<String>, i64) {
    let (comp, _) = seed_component(world, desk);
    deliver_ticket(world, desk, &comp);
    let drafts = world
        .sandbox
        .add_template_drafts(DraftSeed {
            user_desc: Some("shop".into()),
            ..draft_seed(&comp, "2.1.0")
        })
        .unwrap();
    let t = desk
        .wxa_template_add(&comp, drafts[0], TemplateType::Normal)
        .await
        .unwrap();
    desk.wxa_platform_domains(
        &comp,
        PlatformDomainKind::Server,
        DomainAction::Set,
        &[HOST.to_string()],
        false,
    )
    .await
    .unwrap();
    let merchants = (0..n)
        .map(|_| seed_authorizer(world, desk, &comp).0)
        .collect::<Vec<_>>();
    let csv = std::iter::once("appid,shop_id".to_string())
        .chain(
            merchants
                .iter()
                .enumerate()
                .map(|(i, a)| format!("{a},S-{i}")),
        )
        .collect::<Vec<_>>()
        .join("\n");
    desk.profile_set(
        &comp,
        "p1",
        ProfileInput {
            template_id: t.template_id,
            ext_json: Some(
                r#"{"extEnable":true,"extAppid":"{{appid}}","ext":{"shop":"{{shop_id}}","name":"{{nickname}}"}}"#
                    .into(),
            ),
            vars_csv: Some(csv),
            domains: Some(ProfileDomains {
                requestdomain: vec![DOMAIN.into()],
                ..ProfileDomains::default()
            }),
            privacy: Some(json!({
                "owner_setting": {"contact_email": "ops@shop-example.com", "notice_method": "弹窗提醒"},
                "setting_list": [{"privacy_key": "UserInfo", "privacy_text": "识别用户"}]
            })),
            ..ProfileInput::default()
        },
    )
    .unwrap();
    (comp, merchants, t.template_id)
}

fn input(comp: &str, appids: &[String], steps: Vec<BatchStep>, concurrency: u32) -> BatchInput {
    BatchInput {
        component: comp.to_string(),
        profile: "p1".into(),
        selection: Selection::List {
            appids: appids.to_vec(),
        },
        steps,
        concurrency: Some(concurrency),
        check: false,
        confirmed: true,
    }
}

fn no_progress(_: usize, _: usize) {}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_apply_sets_domains_and_privacy_and_bad_variables_are_named() {
    let world = World::start().await;
    let desk = world.desk();
    let (comp, merchants, template_id) = platform(&world, &desk, 2).await;

    let applied = desk
        .profile_apply(&comp, "p1", &Selection::All, 4)
        .await
        .unwrap();
    assert_eq!(applied.len(), 2);
    for a in &applied {
        assert!(a.error.is_none(), "{a:?}");
        assert_eq!(a.applied, vec!["domains", "privacy"]);
        let d = desk
            .wxa_server_domains(
                &a.appid,
                Some(&comp),
                DomainAction::Get,
                &Default::default(),
                false,
            )
            .await
            .unwrap();
        assert_eq!(d.domains.requestdomain, vec![DOMAIN.to_string()]);
    }

    // An unknown variable is refused when the profile is saved, naming it.
    let e = desk
        .profile_set(
            &comp,
            "bad",
            ProfileInput {
                template_id,
                ext_json: Some(r#"{"extAppid":"{{appid}}","x":"{{shop_code}}"}"#.into()),
                ..ProfileInput::default()
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("{{shop_code}}"), "{e}");

    // A CSV column without a row for a merchant fails that merchant's batch
    // before anything is sent, naming the variable and the merchant.
    let stranger = seed_authorizer(&world, &desk, &comp).0;
    let e = desk
        .batch_create(input(
            &comp,
            std::slice::from_ref(&stranger),
            vec![BatchStep::Commit],
            1,
        ))
        .await
        .unwrap_err();
    let m = e.to_string();
    assert!(m.contains("{{shop_id}}") && m.contains(&stranger), "{m}");
    assert_eq!(
        world
            .sandbox
            .wxa_counts(Some(&stranger))
            .get(&stranger)
            .map(|c| c.commits)
            .unwrap_or(0),
        0
    );
    let _ = merchants;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_merchants_cancelled_and_resumed_end_19_released_1_failed() {
    let world = World::start().await;
    let desk = Arc::new(world.desk());
    let (comp, merchants, _) = platform(&world, &desk, 20).await;
    desk.profile_apply(&comp, "p1", &Selection::All, 10)
        .await
        .unwrap();
    // Audits take an hour of virtual time; one merchant's is rejected.
    world
        .sandbox
        .set_next_audit(
            None,
            AuditPlan {
                outcome: AuditOutcome::Success,
                duration_secs: 3600,
                ..AuditPlan::default()
            },
        )
        .unwrap();
    let rejected = merchants[7].clone();
    world
        .sandbox
        .set_next_audit(
            Some(&rejected),
            AuditPlan {
                outcome: AuditOutcome::Fail,
                duration_secs: 3600,
                reason: Some("小程序内容不完整 / incomplete content".into()),
                ..AuditPlan::default()
            },
        )
        .unwrap();

    let mut inp = input(
        &comp,
        &merchants,
        vec![BatchStep::Commit, BatchStep::Submit, BatchStep::Release],
        4,
    );
    inp.check = true;
    let b = desk.batch_create(inp).await.unwrap();
    assert_eq!(b.counts.total, 20);
    assert_eq!(b.state, BatchState::Running);

    // Run until the first 4 wait for their audits, then cancel as another process would.
    let cancel = Arc::new(AtomicBool::new(false));
    let run = {
        let (desk, id, cancel) = (desk.clone(), b.batch_id.clone(), cancel.clone());
        tokio::spawn(async move { desk.batch_execute(&id, &cancel, &no_progress).await })
    };
    let mut waited = 0;
    loop {
        let s = desk.batch_status(&b.batch_id).unwrap();
        let auditing = s
            .items
            .iter()
            .filter(|i| i.phase == ItemPhase::Auditing)
            .count();
        if auditing >= 4 {
            break;
        }
        let failed: Vec<_> = s
            .items
            .iter()
            .filter(|i| i.phase == ItemPhase::Failed)
            .collect();
        assert!(failed.is_empty(), "{failed:?}");
        waited += 1;
        assert!(waited < 400, "the batch never reached the audits: {s:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let c = desk.batch_cancel(&b.batch_id).unwrap();
    assert_eq!(c.state, BatchState::Cancelling);
    let stopped = tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("cancel stops the batch")
        .unwrap()
        .unwrap();
    assert_eq!(stopped.state, BatchState::Cancelled);
    assert!(!stopped.active);
    assert_eq!(stopped.counts.in_progress, 4, "{:?}", stopped.counts);
    assert_eq!(stopped.counts.pending, 16);

    // The four audits end an hour later; later ones end at once (merchant 7's rejected).
    world.advance(&[&desk], Duration::from_secs(3601));
    for (appid, outcome) in [
        (None, AuditOutcome::Success),
        (Some(rejected.as_str()), AuditOutcome::Fail),
    ] {
        world
            .sandbox
            .set_next_audit(
                appid,
                AuditPlan {
                    outcome,
                    duration_secs: 0,
                    reason: Some("小程序内容不完整 / incomplete content".into()),
                    ..AuditPlan::default()
                },
            )
            .unwrap();
    }
    let done = tokio::time::timeout(
        Duration::from_secs(60),
        desk.batch_execute(&b.batch_id, &AtomicBool::new(false), &no_progress),
    )
    .await
    .expect("the resumed batch ends")
    .unwrap();
    assert_eq!(done.state, BatchState::Done, "{done:?}");
    assert_eq!(done.counts.done, 19, "{:?}", done.items);
    assert_eq!(done.counts.failed, 1);
    let failed = done
        .items
        .iter()
        .find(|i| i.phase == ItemPhase::Failed)
        .unwrap();
    assert_eq!(failed.appid, rejected);
    assert_eq!(
        failed.step,
        Some(BatchStep::Submit),
        "the audit of its submission failed"
    );
    assert!(
        failed
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("incomplete content"),
        "{failed:?}"
    );
    assert!(failed.hint.is_some());

    let counts = world.sandbox.wxa_counts(None);
    for m in &merchants {
        let c = counts.get(m).copied().unwrap_or_default();
        assert_eq!((c.commits, c.submits), (1, 1), "{m}: {c:?}");
        assert_eq!(c.releases, u64::from(m != &rejected), "{m}: {c:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_left_sending_is_reconciled_not_sent_twice() {
    let world = World::start().await;
    let desk = world.desk();
    let (comp, merchants, _) = platform(&world, &desk, 2).await;
    let b = desk
        .batch_create(input(
            &comp,
            &merchants,
            vec![BatchStep::Commit, BatchStep::Submit],
            2,
        ))
        .await
        .unwrap();
    let id = b.batch_id.clone();
    let (sent, unsent) = (&merchants[0], &merchants[1]);

    // The process "died" after WeChat took merchant 0's commit and before the
    // outcome was written; merchant 1's commit was marked but never left.
    let at = desk.now();
    desk.wxa_commit(
        sent,
        Some(&comp),
        &wxdesk_core::services::wxa_code::CommitInput {
            template_id: desk.profile_show(&comp, "p1").unwrap().profile.template_id,
            user_version: b.user_version.clone(),
            user_desc: String::new(),
            ext_json: None,
            vars: Default::default(),
        },
    )
    .await
    .unwrap();
    desk.store()
        .write(|c| {
            for (a, seq) in [(sent, 0), (unsent, 1)] {
                batches::put_item(
                    c,
                    &id,
                    &batches::ItemRow {
                        seq,
                        appid: a.clone(),
                        step: 0,
                        phase: "sending".into(),
                        sending_at: Some(at),
                        updated_at: at,
                        ..Default::default()
                    },
                )?;
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(
        world.sandbox.wxa_counts(Some(sent))[sent.as_str()].commits,
        1
    );

    let v = desk
        .batch_execute(&id, &AtomicBool::new(false), &no_progress)
        .await
        .unwrap();
    assert_eq!(v.state, BatchState::Done, "{v:?}");
    assert_eq!(v.counts.done, 2);
    let counts = world.sandbox.wxa_counts(None);
    for m in &merchants {
        let c = counts[m.as_str()];
        assert_eq!((c.commits, c.submits), (1, 1), "{m}: {c:?}");
        assert!(v.items.iter().any(|i| &i.appid == m && i.auditid.is_some()));
    }
}
