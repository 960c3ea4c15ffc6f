//! (g) A release batch across 200 merchants: commit, the readiness check and
//! submit, with WeChat's 20 ms on every call and the batch's bounded
//! concurrency, counting in the sandbox that each merchant got exactly one
//! commit and one submission.

use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde_json::json;
use wxdesk_core::services::batch::{BatchInput, BatchStep, Selection};
use wxdesk_core::services::profiles::{ProfileDomains, ProfileInput};
use wxdesk_core::services::wxa_templates::PlatformDomainKind;
use wxdesk_sandbox::DraftSeed;
use wxdesk_wechat::api::wxa_shared::DomainAction;
use wxdesk_wechat::api::wxa_template::TemplateType;

use super::{err, Bench, Res};

const MERCHANTS: usize = 200;

impl Bench {
    /// (g) `commit,submit` with the readiness check before each submit.
    pub(crate) async fn batch(&mut self) -> Res<()> {
        let desk = self.desk(&self.db("g"))?;
        let comp = self.add_component(&desk)?;
        self.sandbox
            .try_seed_authorizers(&comp, MERCHANTS)
            .map_err(err("seed"))?;
        desk.authorizer_sync(&comp, &|_, _| {}, &AtomicBool::new(false))
            .await
            .map_err(err("sync"))?;
        let draft = self
            .sandbox
            .add_template_drafts(DraftSeed {
                component_appid: comp.clone(),
                user_version: Some("1.0.0".into()),
                user_desc: Some("bench".into()),
                pages: vec![],
                privacy_keys: None,
                count: None,
            })
            .map_err(err("draft"))?[0];
        let t = desk
            .wxa_template_add(&comp, draft, TemplateType::Normal)
            .await
            .map_err(err("template"))?;
        desk.wxa_platform_domains(
            &comp,
            PlatformDomainKind::Server,
            DomainAction::Set,
            &["api.bench.example".to_string()],
            false,
        )
        .await
        .map_err(err("platform domains"))?;
        desk.profile_set(
            &comp,
            "bench",
            ProfileInput {
                template_id: t.template_id,
                ext_json: Some(r#"{"extEnable":true,"extAppid":"{{appid}}","ext":{"name":"{{nickname}}"}}"#.into()),
                domains: Some(ProfileDomains {
                    requestdomain: vec!["https://api.bench.example".into()],
                    ..ProfileDomains::default()
                }),
                privacy: Some(json!({
                    "owner_setting": {"contact_email": "ops@bench.example", "notice_method": "弹窗提醒"},
                    "setting_list": [{"privacy_key": "UserInfo", "privacy_text": "识别用户"}]
                })),
                ..ProfileInput::default()
            },
        )
        .map_err(err("profile"))?;
        // Domains and the privacy guide are set beforehand (a profile apply, not timed).
        desk.profile_apply(&comp, "bench", &Selection::All, 20)
            .await
            .map_err(err("profile apply"))?;
        let concurrency = desk.batch_concurrency().map_err(err("setting"))?;

        let started = Instant::now();
        let b = desk
            .batch_create(BatchInput {
                component: comp.clone(),
                profile: "bench".into(),
                selection: Selection::All,
                steps: vec![BatchStep::Commit, BatchStep::Submit],
                concurrency: None,
                check: true,
                confirmed: false,
            })
            .await
            .map_err(err("batch create"))?;
        let v = desk
            .batch_execute(&b.batch_id, &AtomicBool::new(false), &|_, _| {})
            .await
            .map_err(err("batch run"))?;
        let took = started.elapsed();
        let counts = self.sandbox.wxa_counts(None);
        let once = v.items.iter().all(|i| {
            counts
                .get(&i.appid)
                .is_some_and(|c| c.commits == 1 && c.submits == 1)
        });
        self.figure(
            format!(
                "batch: commit + readiness check + submit across {MERCHANTS} merchants -> {:.2} s ({} done, {} failed, concurrency {concurrency}; exactly one commit and one submit each: {}) (target <= 5 s)",
                took.as_secs_f64(),
                v.counts.done,
                v.counts.failed,
                if once { "yes" } else { "NO" }
            ),
            took <= Duration::from_secs(5) && v.counts.done as usize == MERCHANTS && once,
        );
        Ok(())
    }
}
