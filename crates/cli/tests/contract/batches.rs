//! Batches, shell against shell: a `commit` batch of one profile on twin
//! merchants. `wxdesk batch run|resume --json` follows the batch's job and
//! then prints the operation's own result (`BatchStarted`), compared with
//! the same operation over HTTP; `batch status` then compares the ends.

use serde_json::{json, Value};

use crate::common::template_drafts;
use crate::harness::*;

/// Runs this area's comparisons.
pub fn run(k: &mut Contract<'_>) {
    let w = k.w;
    let (c, m1, m2) = platform_with_two_merchants(w);
    let (a, b) = (m1.as_str(), m2.as_str());
    let draft = template_drafts(w, &c, "3.0.0", Some("batch"), None)[0];
    let tpl = k.http(
        "template_add",
        json!({ "component_appid": c, "draft_id": draft, "template_type": 0 }),
    );
    k.http(
        "profile_set",
        json!({ "component_appid": c, "name": "bulk", "template_id": tpl["template_id"],
                "user_version": "3.0.0", "user_desc": "batch" }),
    );

    let file = w.write("contract-batch.txt", &format!("{a}\n"));
    let file_s = file.display().to_string();
    let cli = w.ok(&[
        "batch",
        "run",
        "--component",
        &c,
        "--profile",
        "bulk",
        "--merchants",
        &file_s,
        "--steps",
        "commit",
        "--yes",
    ]);
    let started = k.http(
        "batch_run",
        json!({ "component_appid": c, "profile": "bulk", "appids": [b], "all": false,
                "steps": ["commit"], "concurrency": null, "check": true, "confirmed": true }),
    );
    wait(k, &started);
    let id2 = started["batch_id"].as_str().unwrap_or_default().to_string();
    let id1 = cli["batch_id"].as_str().unwrap_or_default().to_string();
    assert!(!id1.is_empty() && !id2.is_empty(), "{cli}");
    let (j1, j2) = (s(&cli, "job_id"), s(&started, "job_id"));
    assert!(!j1.is_empty() && !j2.is_empty(), "{cli}");
    let (n1, n2) = (crate::wxa::nickname(a), crate::wxa::nickname(b));
    let twin = [
        (id2.as_str(), id1.as_str()),
        (j2.as_str(), j1.as_str()),
        (b, a),
        (n2.as_str(), n1.as_str()),
    ];
    k.check("batch_run", cli, started, &twin);
    // The ends, too: both batches finished alike.
    let http = k.http("batch_status", json!({ "batch_id": id2 }));
    let cli = w.ok(&["batch", "status", &id1]);
    k.check("batch_status", cli, http, &twin);

    k.same(
        "batch_status",
        &["batch", "status", &id1],
        json!({ "batch_id": id1 }),
        &[],
    );
    k.same(
        "batch_list",
        &["batch", "list", "--component", &c],
        json!({ "component_appid": c }),
        &[],
    );
    // Resuming a finished batch runs nothing and prints it again.
    let cli = w.ok(&["batch", "resume", &id1]);
    let started = k.http("batch_resume", json!({ "batch_id": id2 }));
    wait(k, &started);
    let (j1, j2) = (s(&cli, "job_id"), s(&started, "job_id"));
    let mut twin = twin.to_vec();
    twin.push((j2.as_str(), j1.as_str()));
    k.check("batch_resume", cli, started, &twin);
    // A finished batch cannot be cancelled: both shells refuse alike.
    let mut cli = w.err(&["batch", "cancel", &id1]);
    if let Some(m) = cli.as_object_mut() {
        // `kind`: the CLI's deprecated alias of `code`.
        m.remove("kind");
    }
    let (status, http) = k.http_err("batch_cancel", json!({ "batch_id": id1 }));
    assert_eq!(status, 400, "{http}");
    assert_eq!(http["code"], "invalid_input", "{http}");
    k.check("batch_cancel", cli, http, &[]);
}

/// Polls a started batch's job until it ends, as the UI does.
fn wait(k: &Contract<'_>, started: &Value) {
    loop {
        let v = k.http("job_status", json!({ "job_id": started["job_id"] }));
        if v["state"] != "running" {
            assert_eq!(v["state"], "done", "{v}");
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A string field, empty when absent.
fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_default().to_string()
}
