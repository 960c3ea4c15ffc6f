//! The contract's machinery: `wxdesk serve` on the harness's database, the
//! HTTP calls, the comparison and its normalisation.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use serde_json::{json, Value};

use crate::common::*;
use wxdesk_sandbox::AccountKind;

/// Operations deliberately without a CLI command, and why.
pub const NO_CLI: &[(&str, &str)] = &[
    ("settings_set_language", "UI preference"),
    ("settings_set_theme", "UI preference"),
    (
        "settings_set_log_retention",
        "UI setting (the CLI reads the log)",
    ),
    ("dashboard", "the UI's home page"),
    (
        "sandbox_start",
        "the embedded sandbox; the CLI runs its own with `wxdesk sandbox`",
    ),
    ("sandbox_status", "the embedded sandbox"),
    ("sandbox_issue_js_code", "the embedded sandbox"),
    ("sandbox_issue_phone_code", "the embedded sandbox"),
    ("sandbox_push_ticket", "the embedded sandbox"),
    ("sandbox_mirror", "the embedded sandbox"),
    ("sandbox_sample_data", "the embedded sandbox"),
    (
        "authorizer_refresh_plan",
        "the CLI's refresh confirmation carries the plan",
    ),
    (
        "token_force_budget",
        "the CLI's token output and force confirmation carry the budget",
    ),
    (
        "job_status",
        "the CLI polls it inside `authorizer sync|refresh`",
    ),
    ("job_cancel", "the CLI sends it on Ctrl-C"),
    (
        "save_file",
        "the desktop save dialog; the CLI writes --out itself",
    ),
    ("sandbox_add_draft", "the embedded sandbox"),
    ("sandbox_deliver_pushes", "the embedded sandbox"),
    ("sandbox_next_audit", "the embedded sandbox"),
    ("sandbox_scan", "the embedded sandbox"),
    ("sandbox_seed_merchants", "the embedded sandbox"),
    (
        "audit_screenshots",
        "images for the UI's audit card; `audit status` prints the media ids",
    ),
    (
        "version_state",
        "no command prints it; the CLI reads it inside `audit submit --profile`",
    ),
    (
        "version_states",
        "no `wxdesk` command: the UI's merchants list",
    ),
    (
        "account_info",
        "no `wxdesk` command: the UI's merchant page",
    ),
    (
        "merchant_notes_set",
        "no `wxdesk` command: the UI's merchant page",
    ),
    (
        "domain_effective",
        "no `wxdesk` command: the UI's domains page",
    ),
    ("webview_get", "no `wxdesk` command: the UI's domains page"),
    (
        "webview_confirmfile",
        "no `wxdesk` command: the UI's domains page",
    ),
    (
        "platform_confirmfile",
        "no `wxdesk` command: the UI's domains page",
    ),
    (
        "privacy_interfaces",
        "no `wxdesk` command: the UI's privacy page",
    ),
    (
        "privacy_apply",
        "no `wxdesk` command: the UI's privacy page",
    ),
    (
        "release_history",
        "no `wxdesk` command: the UI's Releases page",
    ),
    (
        "batch_settings",
        "no `wxdesk` command: the UI's batch settings",
    ),
    (
        "batch_set_concurrency",
        "no `wxdesk` command: the UI's batch settings",
    ),
    (
        "meter_component",
        "no `wxdesk` command: the UI's phone meter page",
    ),
    (
        "push_secrets_reveal",
        "no `wxdesk` command: the UI's reveal button (`component show` masks them)",
    ),
    (
        "receive_link",
        "no `wxdesk` command: the UI's receive page (`component show` prints the link)",
    ),
];

/// Keys whose values legitimately differ between two calls made a moment
/// apart: clock readings and durations, row ids, job ids, and values minted
/// anew by each call (a pre_auth_code in a link, a fresh session_key mask).
/// A value is replaced by `"<volatile>"` only when present on both sides, so a
/// missing or null field still fails. Other clock readings are compared,
/// within the two calls' distance (see [`align_clocks`]).
pub const VOLATILE: &[&str] = &[
    // times and durations
    "created_at",
    "updated_at",
    "checked_at",
    "fetched_at",
    "received_at",
    "applied_at",
    "at",
    "expires_at",
    "expires_in",
    "age_secs",
    "at_ms",
    "duration_ms",
    "watermark_timestamp",
    "session_created_at",
    "exported_at",
    "create_time",
    "committed_at",
    "submitted_at",
    "audited_at",
    "audit_updated_at",
    "released_at",
    // ids of rows each call creates
    "id",
    "job_id",
    // single-use values each call mints
    "url",
    "pre_auth_code_masked",
    "authorize_url",
    "task_key",
    "file_name",
];

/// How far apart the two calls' clock readings may be: a call that stamps
/// the time (`authorized_at` of a fresh authorization) may fall in the next
/// second. `…_at` is Unix seconds, `…_at_ms` milliseconds.
fn clock_slack(key: &str) -> Option<i64> {
    if key.ends_with("_at_ms") {
        Some(2_000)
    } else if key.ends_with("_at") {
        Some(2)
    } else {
        None
    }
}

/// Makes `http`'s clock readings equal to `cli`'s where both are integers no
/// further apart than [`clock_slack`]; anything else (another type, another
/// unit, a larger gap) is left to fail the comparison.
fn align_clocks(cli: &Value, http: &mut Value) {
    match (cli, http) {
        (Value::Object(c), Value::Object(h)) => {
            for (k, hv) in h.iter_mut() {
                let Some(cv) = c.get(k) else { continue };
                match (clock_slack(k), cv.as_i64(), hv.as_i64()) {
                    (Some(slack), Some(a), Some(b)) if (a - b).abs() <= slack => *hv = cv.clone(),
                    _ => align_clocks(cv, hv),
                }
            }
        }
        (Value::Array(c), Value::Array(h)) => {
            for (cv, hv) in c.iter().zip(h.iter_mut()) {
                align_clocks(cv, hv);
            }
        }
        _ => {}
    }
}

pub fn normalise(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, x)| {
                    let x = if VOLATILE.contains(&k.as_str()) && !x.is_null() {
                        json!("<volatile>")
                    } else {
                        normalise(x)
                    };
                    (k.clone(), x)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normalise).collect()),
        other => other.clone(),
    }
}

/// `wxdesk serve` on the harness's database and sandbox.
pub struct Serve {
    child: Child,
    base: String,
    token: String,
    http: reqwest::Client,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn serve(w: &World) -> Serve {
    let token = format!("{}{}", random_secret(), random_secret());
    let db = w.db().display().to_string();
    let mut child = w
        .bare()
        .args(["serve", "--port", "0", "--json", "--token", &token])
        .args(["--env", "sandbox", "--sandbox-base", &w.base(), "--db", &db])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn wxdesk serve");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let _url = lines.next().expect("the URL line").expect("utf-8");
    let info: Value =
        serde_json::from_str(&lines.next().expect("the JSON line").expect("utf-8")).unwrap();
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    Serve {
        child,
        base: info["base_url"].as_str().expect("base_url").to_string(),
        token,
        http: reqwest::Client::new(),
    }
}

/// A new platform and two mini programs it manages: (platform AppID, first
/// merchant AppID, second merchant AppID).
pub fn platform_with_two_merchants(w: &World) -> (String, String, String) {
    let c = w.component().appid;
    let m1 = w.authorized(&c, AccountKind::MiniProgram).authorizer_appid;
    let m2 = w.authorized(&c, AccountKind::MiniProgram).authorizer_appid;
    (c, m1, m2)
}

pub struct Contract<'a> {
    pub w: &'a World,
    pub s: Serve,
    pub compared: BTreeSet<&'static str>,
}

impl Contract<'_> {
    /// `POST /api/op/{name}`; asserts 200.
    pub fn http(&self, name: &str, args: Value) -> Value {
        let (status, body) = self.http_answer(name, &args);
        assert_eq!(status, 200, "{name} {args}: {body}");
        body
    }

    /// `POST /api/op/{name}` that must fail; returns (status, ErrorBody).
    pub fn http_err(&self, name: &str, args: Value) -> (u16, Value) {
        self.http_answer(name, &args)
    }

    /// `POST /api/op/{name}` with the server's token: (status, JSON body).
    fn http_answer(&self, name: &str, args: &Value) -> (u16, Value) {
        self.w.rt.block_on(async {
            let r = self
                .s
                .http
                .post(format!("{}/api/op/{name}", self.s.base))
                .bearer_auth(&self.s.token)
                .json(args)
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        })
    }

    /// Without `--yes` (and without a terminal) the CLI refuses with exactly
    /// the operation's `needs_confirmation` body: one wording in every shell.
    pub fn same_refusal(&self, op: &str, cli: &[&str], http: Value) {
        let mut c = self.w.err(cli);
        assert_eq!(c["code"], "needs_confirmation", "{op}: {c}");
        // `kind`: the CLI's deprecated alias of `code`.
        c.as_object_mut().unwrap().remove("kind");
        let (status, h) = self.http_err(op, http);
        assert_eq!(status, 409, "{op}: {h}");
        assert_eq!(c, h, "{op}: the CLI asks in other words than the operation");
    }

    /// A job's result, polled as the UI does.
    pub fn http_job(&self, name: &str, args: Value) -> Value {
        let started = self.http(name, args);
        loop {
            let v = self.http("job_status", json!({ "job_id": started["job_id"] }));
            if v["state"] != "running" {
                assert_eq!(v["state"], "done", "{v}");
                return v["result"].clone();
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Compares `wxdesk ARGS --json` with the operation over HTTP; `twin`
    /// maps the HTTP call's identifiers onto the CLI call's.
    pub fn same(&mut self, op: &'static str, cli: &[&str], http: Value, twin: &[(&str, &str)]) {
        let c = self.w.ok(cli);
        let h = self.http(op, http);
        self.check(op, c, h, twin);
    }

    pub fn check(&mut self, op: &'static str, cli: Value, http: Value, twin: &[(&str, &str)]) {
        let mut text = http.to_string();
        for (from, to) in twin {
            text = text.replace(from, to);
        }
        let mut http: Value = serde_json::from_str(&text).unwrap();
        align_clocks(&cli, &mut http);
        assert_eq!(
            normalise(&cli),
            normalise(&http),
            "{op}: the CLI's --json differs from the operation's result over HTTP"
        );
        self.compared.insert(op);
    }
}

pub const IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";

#[test]
fn clock_readings_match_within_the_calls_distance_and_nothing_else() {
    let cli = json!({"authorized_at": 100, "revoked_at": 100, "items": [{"seen_at_ms": 5_000, "seen_at": "100"}]});
    let mut near = json!({"authorized_at": 101, "revoked_at": 98, "items": [{"seen_at_ms": 6_500, "seen_at": "100"}]});
    align_clocks(&cli, &mut near);
    assert_eq!(normalise(&cli), normalise(&near));
    for far in [
        json!({"authorized_at": 103, "revoked_at": 100, "items": [{"seen_at_ms": 5_000, "seen_at": "100"}]}),
        json!({"authorized_at": 100, "revoked_at": 100_000, "items": [{"seen_at_ms": 5_000, "seen_at": "100"}]}),
        json!({"authorized_at": "100", "revoked_at": 100, "items": [{"seen_at_ms": 5_000, "seen_at": "100"}]}),
        json!({"authorized_at": 100, "revoked_at": 100, "items": [{"seen_at_ms": 7_001, "seen_at": "100"}]}),
    ] {
        let mut far = far;
        align_clocks(&cli, &mut far);
        assert_ne!(normalise(&cli), normalise(&far), "{far}");
    }
}
