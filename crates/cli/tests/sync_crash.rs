//! Crash safety of `wxdesk authorizer sync`: against a sandbox holding
//! 10,000 authorizers, the process is killed with SIGKILL at random points,
//! 20 times. After every kill the database passes `PRAGMA integrity_check`
//! and its authorizer table holds either the complete previous state or the
//! complete new one — never a half-written sync.
//!
//! Between kills the sandbox changes (new authorizations, cancellations,
//! re-authorizations that rotate refresh tokens), so "previous" and "new"
//! differ in all three ways a sync writes.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;
use wxdesk_core::store::authorizers::REFRESH_TOKEN;
use wxdesk_core::vault::Sealed;
use wxdesk_core::Desk;
use wxdesk_sandbox::{AccountKind, AuthorizeSeed};

/// appid → (status, sealed refresh token, updated_at).
type Table = BTreeMap<String, (String, String, i64)>;

fn read_table(db: &std::path::Path, comp: &str) -> (String, Table) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let mut st = conn
        .prepare("SELECT appid, status, refresh_token, updated_at FROM authorizers WHERE component_appid = ?1")
        .unwrap();
    let rows = st
        .query_map([comp], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get(1)?,
                    r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    r.get(3)?,
                ),
            ))
        })
        .unwrap()
        .collect::<Result<Table, _>>()
        .unwrap();
    (integrity, rows)
}

/// What a complete sync must produce.
#[derive(Default)]
struct Truth {
    /// appid → active?
    status: BTreeMap<String, bool>,
    /// appid → the refresh token a re-authorization handed out.
    rotated: BTreeMap<String, String>,
}

fn is_new_state(desk: &Desk, t: &Table, truth: &Truth, prev: &Table) -> Result<(), String> {
    if t.len() != truth.status.len() {
        let missing: Vec<_> = truth
            .status
            .keys()
            .filter(|k| !t.contains_key(*k))
            .take(5)
            .collect();
        let extra: Vec<_> = t
            .keys()
            .filter(|k| !truth.status.contains_key(*k))
            .take(5)
            .collect();
        return Err(format!(
            "{} rows, expected {} (missing {missing:?}, extra {extra:?})",
            t.len(),
            truth.status.len()
        ));
    }
    for (appid, active) in &truth.status {
        let Some((status, sealed, _)) = t.get(appid) else {
            return Err(format!("{appid} missing"));
        };
        let want = if *active { "active" } else { "revoked" };
        if status != want {
            return Err(format!("{appid} is {status}, expected {want}"));
        }
        match truth.rotated.get(appid) {
            Some(rt) if *active => {
                let plain = desk
                    .vault()
                    .open(REFRESH_TOKEN, &Sealed(sealed.clone()))
                    .map_err(|e| e.to_string())?;
                if plain.as_str() != rt {
                    return Err(format!("{appid} keeps an old refresh token"));
                }
            }
            _ => {
                if let Some((_, old_sealed, _)) = prev.get(appid) {
                    if *active && prev[appid].0 == "active" && old_sealed != sealed {
                        return Err(format!("{appid}'s unchanged refresh token was rewritten"));
                    }
                }
            }
        }
    }
    Ok(())
}

#[test]
fn kill_9_during_sync_never_leaves_a_half_written_table() {
    let w = World::start();
    let c = w.component();
    let mut truth = Truth::default();
    let initial = w.sandbox.seed_authorizers(&c.appid, 10_000);
    for a in &initial {
        truth.status.insert(a.clone(), true);
    }
    // Warm the component token, so no run is killed while holding its lease.
    w.ok(&["component", "token", &c.appid]);
    let started = Instant::now();
    let v = w.ok(&["authorizer", "sync", "--component", &c.appid]);
    let full = started.elapsed();
    assert_eq!(v["added"], 10_000);
    let desk = wxdesk_testkit::desk::open_desk(&w.db(), &w.base());
    let (ok, mut prev) = read_table(&w.env_db(), &c.appid);
    assert_eq!(ok, "ok");
    is_new_state(&desk, &prev, &truth, &prev).unwrap();

    let (mut old_states, mut new_states, mut killed) = (0, 0, 0);
    for round in 0..20 {
        // Change the sandbox: 50 new, 20 cancelled, 10 re-authorized (rotated refresh tokens).
        for a in w.sandbox.seed_authorizers(&c.appid, 50) {
            truth.status.insert(a, true);
        }
        // Victims come from the first 10,000, which every state holds (an account
        // authorized and cancelled between two syncs is never seen locally).
        let active: Vec<&String> = initial.iter().filter(|a| truth.status[*a]).collect();
        for i in 0..30 {
            let appid = active[(round * 131 + i * 97) % active.len()];
            if !truth.status[appid] {
                continue;
            }
            if i < 20 {
                w.sandbox.unauthorize(&c.appid, appid).unwrap();
                truth.status.insert(appid.clone(), false);
                truth.rotated.remove(appid);
            } else {
                let a = w
                    .sandbox
                    .authorize(AuthorizeSeed {
                        component_appid: c.appid.clone(),
                        authorizer_appid: Some(appid.clone()),
                        kind: AccountKind::MiniProgram,
                        func_ids: vec![],
                    })
                    .unwrap();
                truth.rotated.insert(appid.clone(), a.refresh_token);
            }
        }

        let delay =
            Duration::from_micros(rand::random::<u64>() % (full.as_micros() as u64 * 12 / 10 + 1));
        let mut child = json_command(&w, &["authorizer", "sync", "--component", &c.appid])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();

        let (integrity, now) = read_table(&w.env_db(), &c.appid);
        assert_eq!(integrity, "ok", "round {round}");
        if now == prev {
            old_states += 1;
        } else {
            is_new_state(&desk, &now, &truth, &prev)
                .unwrap_or_else(|e| panic!("round {round}: half-written sync: {e}"));
            new_states += 1;
            prev = now;
        }
    }
    eprintln!("20 kills: {killed} while running; {old_states} left the previous state, {new_states} the new one");
    assert!(
        killed >= 5,
        "too few kills landed while the sync ran ({killed}); the test proves nothing"
    );

    // A final complete sync reaches the truth.
    w.ok(&["authorizer", "sync", "--component", &c.appid]);
    let (integrity, now) = read_table(&w.env_db(), &c.appid);
    assert_eq!(integrity, "ok");
    is_new_state(&desk, &now, &truth, &prev).unwrap();
}
