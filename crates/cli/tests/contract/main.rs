//! One contract, two shells: every operation that has a `wxdesk` command is
//! run through the CLI (`--json`) and through the HTTP route
//! (`POST /api/op/{name}` of a `wxdesk serve` on the same database and the
//! same sandbox), and the two JSON results are compared.
//!
//! A CLI command that prints another shape (a wrapped list, a renamed field, a
//! missing one) fails here. Only volatile values are normalised — see
//! [`harness::VOLATILE`]: timestamps and durations that tick between the two calls,
//! the row ids and single-use values each call mints anew. Where the two
//! calls must act on different accounts (adding, removing, spending a
//! single-use code), the HTTP call acts on a twin and the twin's identifiers
//! are mapped back onto the CLI's before comparing.
//!
//! Every operation of the table is in exactly one list: compared here, or
//! [`harness::NO_CLI`] (deliberately without a command). A new operation in neither
//! list fails the test, so it cannot ship without a command or a reason.

#[path = "../common/mod.rs"]
mod common;

use wxdesk_testkit::redis as redis_server;

mod accounts;
mod batches;
mod harness;
mod platform;
mod profiles;
mod releases;
mod tools;
mod wxa;

use std::collections::BTreeSet;

use common::*;
use harness::*;
use wxdesk_sandbox::AccountKind;

/// What the areas share: the accounts made before the server starts, and
/// one user's session (its key and data encrypted with it).
pub struct Fx {
    pub a1: String,
    pub c1: Comp,
    pub c2: Comp,
    pub auth: wxdesk_sandbox::Authorization,
    pub oa: wxdesk_sandbox::Authorization,
    pub merchant: String,
    pub base: String,
    pub js_openid: String,
    pub sk: String,
    pub data: String,
}

#[test]
fn every_cli_command_prints_what_its_operation_returns_over_http() {
    let w = World::start();
    let (a1, _) = w.app();
    let c1 = w.component();
    let c2 = w.component();
    let auth = w.authorized(&c1.appid, AccountKind::MiniProgram);
    let oa = w.authorized(&c1.appid, AccountKind::OfficialAccount);
    let s = serve(&w);
    let mut k = Contract {
        w: &w,
        s,
        compared: BTreeSet::new(),
    };
    let base = w.base();
    // One user with a stored session, for the user calls and the tools.
    let js = w.sandbox.issue_js_code(&a1, None);
    w.ok(&["login", "--appid", &a1, "--code", &js.code]);
    let plain = serde_json::json!({ "nickName": "Band", "watermark": { "appid": a1, "timestamp": 1_700_000_000 } })
        .to_string();
    let data =
        wxdesk_wechat::crypto::open_data::encrypt_open_data(&js.session_key, IV, &plain).unwrap();
    let merchant = auth.authorizer_appid.clone();
    let f = Fx {
        a1,
        c1,
        c2,
        auth,
        oa,
        merchant,
        base,
        js_openid: js.openid.clone(),
        sk: js.session_key.clone(),
        data,
    };
    accounts::run(&mut k, &f);
    platform::run(&mut k, &f);
    tools::run(&mut k, &f);
    wxa::run(&mut k);
    profiles::run(&mut k);
    batches::run(&mut k);

    // Every operation is compared here or deliberately without a command.
    let no_cli: BTreeSet<&str> = NO_CLI.iter().map(|(n, _)| *n).collect();
    let all: BTreeSet<&str> = wxdesk_core::ops::OP_NAMES.iter().copied().collect();
    let both: Vec<_> = k.compared.intersection(&no_cli).collect();
    assert!(
        both.is_empty(),
        "compared yet listed as without a command: {both:?}"
    );
    let missing: Vec<_> = all
        .iter()
        .filter(|n| !k.compared.contains(*n) && !no_cli.contains(*n))
        .collect();
    assert!(
        missing.is_empty(),
        "operations neither compared CLI-vs-HTTP here nor listed in NO_CLI: {missing:?} — \
         give each a `wxdesk` command and compare it here, or say in NO_CLI why it has none"
    );
    let stale: Vec<_> = no_cli.difference(&all).collect();
    assert!(
        stale.is_empty(),
        "NO_CLI names unknown operations: {stale:?}"
    );
}
