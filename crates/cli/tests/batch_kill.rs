//! Crash safety of `wxdesk batch`: a commit+submit batch over 40 sandbox
//! merchants (40 ms added to every WeChat call) is killed with SIGKILL at
//! random points, again and again (`batch run`, then `batch resume ID`),
//! then resumed to the end. The sandbox's own counters of accepted commits
//! and submissions prove that no merchant was committed or submitted twice.

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;
use wxdesk_sandbox::{AccountKind, Fault, FaultKind};

const MERCHANTS: usize = 40;
const KILLS: usize = 12;

fn batch_id(w: &World, comp: &str) -> Option<String> {
    let r = w.run(&["batch", "list", "--component", comp, "--json"]);
    assert!(r.ok(), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    v.as_array()
        .and_then(|a| a.first())
        .and_then(|b| b["batch_id"].as_str())
        .map(str::to_string)
}

#[test]
fn kill_9_during_a_batch_never_commits_or_submits_a_merchant_twice() {
    let w = World::start();
    let comp = w.component();
    let c = comp.appid.as_str();
    let merchants: Vec<String> = (0..MERCHANTS)
        .map(|_| w.authorized(c, AccountKind::MiniProgram).authorizer_appid)
        .collect();
    let draft = template_drafts(&w, c, "3.0.1", None, None)[0];
    let t = w.ok(&template_add(c, &draft.to_string(), &[]));
    let tid = t["template_id"].to_string();
    let ext = w.write(
        "ext.json",
        r#"{"extEnable":true,"extAppid":"{{appid}}","ext":{"name":"{{nickname}}"}}"#,
    );
    let p = w.ok(&[
        "profile",
        "set",
        "--component",
        c,
        "shop",
        "--template-id",
        &tid,
        "--ext-json",
        ext.to_str().unwrap(),
    ]);
    assert_eq!(p["name"], "shop");
    let list = w.write("merchants.txt", &merchants.join("\n"));
    // Warm every authorizer token, so no kill lands while one is being fetched.
    w.ok(&["authorizer", "refresh", "--component", c, "--all"]);
    w.sandbox
        .set_fault(Fault::new("*", FaultKind::Latency { ms: 40 }));

    let (db, base) = (w.db().display().to_string(), w.base());
    let globals = ["--env", "sandbox", "--sandbox-base", &base, "--db", &db];
    let mut landed = 0;
    let mut seen_progress = Vec::new();
    for round in 0..KILLS {
        let id = batch_id(&w, c);
        let mut args: Vec<&str> = match &id {
            Some(id) => vec!["batch", "resume", id],
            None => vec![
                "batch",
                "run",
                "--component",
                c,
                "--profile",
                "shop",
                "--merchants",
                list.to_str().unwrap(),
                "--steps",
                "commit,submit",
                "--concurrency",
                "2",
                "--no-check",
            ],
        };
        args.extend(globals);
        let mut child = w
            .bare()
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let delay = Duration::from_millis(120 + rand::random::<u64>() % 330);
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            landed += 1;
        }
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let mut finished = false;
        if let Some(id) = batch_id(&w, c) {
            let s = w.ok(&["batch", "status", &id]);
            finished = s["state"] == "done";
            seen_progress.push((
                round,
                s["counts"]["done"].as_u64().unwrap_or(0),
                s["state"].clone(),
            ));
        }
        // Never more than one accepted commit or submission per merchant, at any point.
        for (appid, n) in w.sandbox.wxa_counts(None) {
            assert!(
                n.commits <= 1 && n.submits <= 1,
                "round {round}: {appid} {n:?}"
            );
        }
        if finished {
            break;
        }
    }
    eprintln!("{KILLS} kills, {landed} while running; done after each: {seen_progress:?}");
    assert!(
        landed >= 4,
        "too few kills landed while the batch ran ({landed}); the test proves nothing"
    );
    let partial = seen_progress
        .iter()
        .filter(|(_, d, _)| *d > 0 && *d < MERCHANTS as u64)
        .count();
    assert!(
        partial >= 3,
        "too few kills landed mid-batch: {seen_progress:?}"
    );

    // Resume to the end.
    let id = batch_id(&w, c).expect("the batch exists");
    let r = w.run(&["batch", "resume", &id, "--json"]);
    assert!(r.ok(), "{}\n{}", r.stderr, r.stdout);
    // `--json` prints the operation's own result; the end is `batch status`.
    assert_eq!(r.json()["batch_id"], id.as_str(), "{}", r.stdout);
    let v = w.ok(&["batch", "status", &id]);
    assert_eq!(v["state"], "done", "{v}");
    assert_eq!(v["counts"]["done"], MERCHANTS as u64, "{v}");
    let counts = w.sandbox.wxa_counts(None);
    for m in &merchants {
        let n = counts.get(m).copied().unwrap_or_default();
        assert_eq!((n.commits, n.submits), (1, 1), "{m}: {n:?}");
    }
    // The table names each merchant's audit.
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["auditid"].is_i64()),
        "{v}"
    );
}
