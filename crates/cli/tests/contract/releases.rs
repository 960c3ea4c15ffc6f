//! Audit and release, shell against shell: a submission on each twin
//! (its status, quota, speedup, a confirmed undo), then audits the sandbox
//! passes in a virtual minute, the release, its visit status, a phased
//! release (its plan, its cancellation) and a revert.

use serde_json::json;
use wxdesk_sandbox::{AuditOutcome, AuditPlan};

use crate::harness::*;
use crate::wxa::{checked, pair, t, with, MINTED};

/// The submission (undone once, then audited) and the release.
pub fn run(k: &mut Contract<'_>, a: &str, b: &str) {
    let w = k.w;
    let twin = [(b, a)];
    let cli = w.ok(&["audit", "submit", "--authorizer", a]);
    let http = k.http("audit_submit", t(b));
    checked(k, "audit_submit", cli, http, &twin, MINTED);
    k.same(
        "audit_status",
        &["audit", "status", "--authorizer", a],
        t(a),
        &[],
    );
    k.same(
        "audit_quota",
        &["audit", "quota", "--authorizer", a],
        t(a),
        &[],
    );
    let cli = w.ok(&["audit", "speedup", "--authorizer", a]);
    let http = k.http("audit_speedup", t(b));
    checked(k, "audit_speedup", cli, http, &twin, MINTED);
    k.same_refusal("audit_undo", &["audit", "undo", "--authorizer", a], t(a));
    let cli = w.ok(&["audit", "undo", "--authorizer", a, "--yes"]);
    let http = k.http("audit_undo", with(b, json!({ "confirmed": true })));
    checked(k, "audit_undo", cli, http, &twin, MINTED);
    // Resubmitted, each passes after a short virtual minute.
    audited(k, &[a, b]);
    let yes = |m: &str| with(m, json!({ "confirmed": true }));
    k.same_refusal(
        "release_publish",
        &["release", "publish", "--authorizer", a],
        t(a),
    );
    pair(
        k,
        "release_publish",
        &["release", "publish", "--authorizer", a, "--yes"],
        yes(b),
        &twin,
    );
    k.same(
        "release_status",
        &["release", "status", "--authorizer", a],
        t(a),
        &[],
    );
    pair(
        k,
        "release_visit",
        &["release", "visit", "--authorizer", a, "close", "--yes"],
        with(b, json!({ "status": "close", "confirmed": true })),
        &twin,
    );
    // A second passed audit can go out in phases.
    audited(k, &[a, b]);
    pair(
        k,
        "release_gray",
        &[
            "release",
            "gray",
            "--authorizer",
            a,
            "--percent",
            "10",
            "--yes",
        ],
        with(b, json!({ "percent": 10, "confirmed": true })),
        &twin,
    );
    k.same(
        "release_gray_plan",
        &["release", "gray-plan", "--authorizer", a],
        t(a),
        &[],
    );
    // The phased release is cancelled from each shell (after a refusal
    // without --yes) and the version released in full, so there is one to
    // revert to.
    k.same_refusal(
        "release_gray_revert",
        &["release", "gray-revert", "--authorizer", a],
        t(a),
    );
    pair(
        k,
        "release_gray_revert",
        &["release", "gray-revert", "--authorizer", a, "--yes"],
        yes(b),
        &twin,
    );
    for m in [a, b] {
        w.ok(&["release", "publish", "--authorizer", m, "--yes"]);
    }
    pair(
        k,
        "release_revert",
        &["release", "revert", "--authorizer", a, "--yes"],
        yes(b),
        &twin,
    );
}

/// Submits each merchant's code; the sandbox passes it in a virtual minute.
fn audited(k: &Contract<'_>, merchants: &[&str]) {
    for m in merchants {
        let plan = AuditPlan {
            outcome: AuditOutcome::Success,
            duration_secs: 60,
            ..Default::default()
        };
        k.w.sandbox.set_next_audit(Some(m), plan).unwrap();
        k.w.ok(&["audit", "submit", "--authorizer", m]);
    }
    k.w.sandbox
        .advance_clock(std::time::Duration::from_secs(61));
}
