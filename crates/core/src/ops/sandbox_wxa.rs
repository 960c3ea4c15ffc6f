//! The embedded sandbox playing the people around a release: DevTools
//! uploading a draft, WeChat's reviewers deciding the next audit, a tester
//! scanning the experience QR, and WeChat POSTing the audit's push.
//!
//! These exist so that the whole road from "authorized" to "released" can be
//! walked offline, in the UI alone. They work only while the embedded
//! sandbox runs (the sandbox environment); nothing here can reach WeChat.
//!
//! A desktop has no public push URL, so the sandbox's message pushes for a
//! platform without one are recorded, not delivered. `sandbox_deliver_pushes`
//! hands each such push to the same path a push to `wxdesk receive` takes
//! (signature and timestamp checked, stored, then applied), once: a push
//! already in the inbox is a duplicate and changes nothing.
//!
//! `sandbox_seed_merchants` plays many mini programs authorizing the platform
//! at once (each with a nickname, avatar and category, so a readiness check
//! passes), so that a batch over twenty merchants needs no twenty consent
//! pages; "Sync" on the Authorizers screen then brings them into the desk.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_sandbox::{AuditOutcome, AuditPlan, DraftSeed};

use super::Runtime;
use crate::error::{Error, Result};
use crate::services::inbox::{InboxEntryView, Received, UrlKind};

/// Upload drafts to the sandbox platform's draft box, as DevTools does.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxDraftArgs {
    /// The platform.
    pub component_appid: String,
    /// Version string (default `1.0.<n>`).
    #[serde(default)]
    pub user_version: Option<String>,
    /// Description.
    #[serde(default)]
    pub user_desc: Option<String>,
    /// Privacy keys the code uses (default `UserInfo`).
    #[serde(default)]
    pub privacy_keys: Option<Vec<String>>,
}

/// The drafts made.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxDraftView {
    /// Their draft ids.
    pub draft_ids: Vec<i64>,
}

/// How the sandbox's reviewers end an audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SandboxAuditOutcome {
    /// `weapp_audit_success`.
    Success,
    /// `weapp_audit_fail`, with a reason and a screenshot.
    Fail,
    /// `weapp_audit_delay`, then success.
    Delay,
}

/// The outcome and duration of a mini program's next audit.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxNextAuditArgs {
    /// The mini program.
    pub appid: String,
    /// How the audit ends.
    pub outcome: SandboxAuditOutcome,
    /// Seconds from submission to the outcome (0 to 86,400; default 3,600).
    #[serde(default)]
    pub duration_secs: Option<i64>,
    /// The rejection or delay reason.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A tester scanning the experience QR.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxScanArgs {
    /// The mini program.
    pub appid: String,
    /// The tester's WeChat id.
    pub wechat_id: String,
}

/// What the tester's phone shows.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxScanView {
    /// `ok` (the experience version opens) or `refused`.
    pub result: String,
    /// The experience URL, when it opens.
    pub url: Option<String>,
    /// The experience version, when it opens.
    pub user_version: Option<String>,
    /// Why it was refused.
    pub reason: Option<String>,
}

/// The platform whose undelivered message pushes to hand over.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxDeliverArgs {
    /// The platform.
    pub component_appid: String,
}

/// What delivering did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxDeliverView {
    /// The pushes stored and applied now, oldest first.
    pub delivered: Vec<InboxEntryView>,
    /// Pushes that were in the inbox already.
    pub duplicates: u32,
}

/// Mini programs to authorize the platform at once.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct SandboxSeedMerchantsArgs {
    /// The platform they authorize.
    pub component_appid: String,
    /// How many (1 to 200).
    pub count: u32,
    /// Seconds their next audit takes, ending in success (0 to 86,400;
    /// default: the sandbox's one hour).
    #[serde(default)]
    pub audit_secs: Option<i64>,
}

/// The mini programs made.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct SandboxSeedMerchantsView {
    /// Their AppIDs.
    pub appids: Vec<String>,
}

/// The most merchants one seeding makes.
const MAX_SEED: u32 = 200;

/// The longest audit the sandbox is asked to take (a day).
const MAX_AUDIT_SECS: i64 = 86_400;

fn sandbox_error(field: &str, e: impl std::fmt::Display) -> Error {
    Error::invalid(field, e.to_string())
}

fn check_audit_secs(field: &str, secs: i64) -> Result<()> {
    if (0..=MAX_AUDIT_SECS).contains(&secs) {
        Ok(())
    } else {
        Err(Error::invalid(
            field,
            format!("{secs} is out of range: give 0 to {MAX_AUDIT_SECS} seconds"),
        ))
    }
}

impl Runtime {
    /// Plays DevTools uploading a draft to the platform's draft box.
    pub async fn sandbox_add_draft(&self, a: SandboxDraftArgs) -> Result<SandboxDraftView> {
        let h = self.running().await?;
        let draft_ids = h
            .add_template_drafts(DraftSeed {
                component_appid: a.component_appid.trim().to_string(),
                user_version: a.user_version.filter(|v| !v.trim().is_empty()),
                user_desc: a.user_desc.filter(|v| !v.trim().is_empty()),
                pages: Vec::new(),
                privacy_keys: a.privacy_keys,
                count: Some(1),
            })
            .map_err(|e| sandbox_error("component_appid", e))?;
        Ok(SandboxDraftView { draft_ids })
    }

    /// Plays `count` mini programs authorizing the platform (no consent
    /// pages, no pushes); optionally plans each one's next audit.
    pub async fn sandbox_seed_merchants(
        &self,
        a: SandboxSeedMerchantsArgs,
    ) -> Result<SandboxSeedMerchantsView> {
        if !(1..=MAX_SEED).contains(&a.count) {
            return Err(Error::invalid(
                "count",
                format!(
                    "{} is out of range: give 1 to {MAX_SEED} merchants",
                    a.count
                ),
            ));
        }
        if let Some(secs) = a.audit_secs {
            check_audit_secs("audit_secs", secs)?;
        }
        let h = self.running().await?;
        let appids = h
            .try_seed_authorizers(a.component_appid.trim(), a.count as usize)
            .map_err(|e| sandbox_error("component_appid", e))?;
        if let Some(duration_secs) = a.audit_secs {
            for appid in &appids {
                h.set_next_audit(
                    Some(appid),
                    AuditPlan {
                        outcome: AuditOutcome::Success,
                        duration_secs,
                        reason: None,
                        screenshots: 0,
                        then_secs: duration_secs,
                    },
                )
                .map_err(|e| sandbox_error("appid", e))?;
            }
        }
        Ok(SandboxSeedMerchantsView { appids })
    }

    /// Decides the outcome and duration of the mini program's next audit.
    pub async fn sandbox_next_audit(&self, a: SandboxNextAuditArgs) -> Result<AuditPlanView> {
        let duration_secs = a.duration_secs.unwrap_or(3_600);
        check_audit_secs("duration_secs", duration_secs)?;
        let h = self.running().await?;
        let outcome = match a.outcome {
            SandboxAuditOutcome::Success => AuditOutcome::Success,
            SandboxAuditOutcome::Fail => AuditOutcome::Fail,
            SandboxAuditOutcome::Delay => AuditOutcome::Delay,
        };
        let reason = a.reason.filter(|r| !r.trim().is_empty());
        h.set_next_audit(
            Some(a.appid.trim()),
            AuditPlan {
                outcome,
                duration_secs,
                reason: reason.clone(),
                screenshots: 1,
                then_secs: duration_secs,
            },
        )
        .map_err(|e| sandbox_error("appid", e))?;
        Ok(AuditPlanView {
            appid: a.appid.trim().to_string(),
            outcome: a.outcome,
            duration_secs,
            reason,
        })
    }

    /// Plays a WeChat user scanning the experience QR.
    pub async fn sandbox_scan(&self, a: SandboxScanArgs) -> Result<SandboxScanView> {
        let h = self.running().await?;
        let r = h
            .scan_experience(a.appid.trim(), a.wechat_id.trim())
            .map_err(|e| sandbox_error("appid", e))?;
        Ok(SandboxScanView {
            result: r.result,
            url: r.url,
            user_version: r.user_version,
            reason: r.reason,
        })
    }

    /// Hands the platform's undelivered message pushes (audit results) to
    /// the receiver's path: verified, stored once, applied.
    pub async fn sandbox_deliver_pushes(
        &self,
        a: SandboxDeliverArgs,
    ) -> Result<SandboxDeliverView> {
        let h = self.running().await?;
        let desk = self.desk();
        let component = a.component_appid.trim();
        let mut delivered = Vec::new();
        let mut duplicates = 0;
        for p in h.pushes() {
            let Some(authorizer) = p.authorizer_appid.as_deref() else {
                continue;
            };
            if p.component_appid != component || p.delivered.is_some() || p.body.is_empty() {
                continue;
            }
            match desk.push_receive(
                UrlKind::Message,
                component,
                Some(authorizer),
                &p.query,
                &p.body,
            )? {
                Received::Stored { id } => delivered.push(desk.inbox_apply(id).await?),
                Received::Duplicate { .. } => duplicates += 1,
                Received::Rejected { id, error } => {
                    tracing::warn!(id, %error, "a sandbox push was rejected by the receiver's checks");
                    delivered.push(desk.inbox_entry(id)?);
                }
            }
        }
        Ok(SandboxDeliverView {
            delivered,
            duplicates,
        })
    }
}

/// The plan set for the next audit.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AuditPlanView {
    /// The mini program.
    pub appid: String,
    /// How it will end.
    pub outcome: SandboxAuditOutcome,
    /// After how many seconds.
    pub duration_secs: i64,
    /// The reason given.
    pub reason: Option<String>,
}

/// The handlers of the table (`ops::handlers` re-exports them).
pub mod handlers {
    use super::*;

    pub async fn sandbox_add_draft(rt: &Runtime, a: SandboxDraftArgs) -> Result<SandboxDraftView> {
        rt.sandbox_add_draft(a).await
    }
    pub async fn sandbox_seed_merchants(
        rt: &Runtime,
        a: SandboxSeedMerchantsArgs,
    ) -> Result<SandboxSeedMerchantsView> {
        rt.sandbox_seed_merchants(a).await
    }
    pub async fn sandbox_next_audit(
        rt: &Runtime,
        a: SandboxNextAuditArgs,
    ) -> Result<AuditPlanView> {
        rt.sandbox_next_audit(a).await
    }
    pub async fn sandbox_scan(rt: &Runtime, a: SandboxScanArgs) -> Result<SandboxScanView> {
        rt.sandbox_scan(a).await
    }
    pub async fn sandbox_deliver_pushes(
        rt: &Runtime,
        a: SandboxDeliverArgs,
    ) -> Result<SandboxDeliverView> {
        rt.sandbox_deliver_pushes(a).await
    }
}
