//! Import is all or nothing even when the process is killed mid-way.
//!
//! The test binary re-executes itself (`current_exe`) with an environment
//! variable that makes [`import_child_process`] run one large import; the
//! parent kills it with SIGKILL after a random delay, twenty times. After
//! each kill the database must pass `PRAGMA integrity_check` and hold either
//! every imported record or none of them (a sentinel written before stays).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{json, Value};
use wxdesk_core::services::apps::{AppInput, Secret};
use wxdesk_core::Desk;

const CHILD_DB: &str = "WXDESK_TEST_IMPORT_CHILD_DB";
const CHILD_FILE: &str = "WXDESK_TEST_IMPORT_CHILD_FILE";
const CHILD_TEST: &str = "import_child_process";

const APPS: usize = 12_000;
const COMPONENTS: usize = 40;
const AUTHORIZERS: usize = 12_000;
const SENTINEL: &str = "wx5e5e5e5e5e5e5e5e";

fn open(db: &Path) -> Desk {
    wxdesk_testkit::desk::open_desk(db, wxdesk_testkit::desk::NOWHERE)
}

fn large_export() -> Vec<u8> {
    let apps: Vec<Value> = (0..APPS)
        .map(|i| json!({"appid": format!("wx{i:016x}"), "name": format!("Mini program number {i} with a longer display name"),
                        "created_at": 1_700_000_000 + i, "updated_at": 1_700_000_000 + i}))
        .collect();
    let comps: Vec<Value> = (0..COMPONENTS)
        .map(|i| json!({"appid": format!("wxc{i:015x}"), "name": format!("Platform {i}"), "redirect_uri": "https://example.com/cb"}))
        .collect();
    let auths: Vec<Value> = (0..AUTHORIZERS)
        .map(|i| {
            json!({"appid": format!("wxa{i:015x}"), "component": format!("wxc{:015x}", i % COMPONENTS), "func_info": [1, 2, 3, 17, 18],
                   "nick_name": format!("Merchant {i} of a rather long name"), "account_type": "mini_program",
                   "status": if i % 7 == 0 { "revoked" } else { "active" }, "authorized_at": 1_700_000_000 + i})
        })
        .collect();
    serde_json::to_vec(&json!({
        "format": "wxdesk-export", "version": 1, "exported_at": 1_700_000_000,
        "apps": apps, "components": comps, "authorizers": auths,
        "settings": {"language": "en", "theme": "dark", "log_retention_days": 14}
    }))
    .unwrap()
}

/// Runs only inside the child process (the variables are set by the parent).
#[test]
fn import_child_process() {
    let (Ok(db), Ok(file)) = (std::env::var(CHILD_DB), std::env::var(CHILD_FILE)) else {
        return;
    };
    let desk = open(Path::new(&db));
    let bytes = std::fs::read(file).unwrap();
    let started = Instant::now();
    let mut out = std::io::stdout();
    writeln!(out, "IMPORT-START").unwrap();
    out.flush().unwrap();
    let r = desk.import(&bytes, None, true).unwrap();
    writeln!(
        out,
        "IMPORT-DONE {} {}",
        started.elapsed().as_millis(),
        r.apps.added
    )
    .unwrap();
    out.flush().unwrap();
}

struct Outcome {
    done_ms: Option<u64>,
    wal_bytes: u64,
}

/// Runs the child on `db`; kills it `kill_after` after it starts importing
/// (never, when `None`).
fn run_child(db: &Path, file: &Path, kill_after: Option<Duration>) -> Outcome {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD_DB, db)
        .env(CHILD_FILE, file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = |prefix: &str, limit: Duration| -> Option<String> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match rx.recv_timeout(left) {
                Ok(l) if l.contains(prefix) => return Some(l),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    };
    assert!(
        wait_for("IMPORT-START", Duration::from_secs(120)).is_some(),
        "the child did not start"
    );
    let done = match kill_after {
        Some(d) => {
            std::thread::sleep(d);
            child.kill().unwrap();
            child.wait().unwrap();
            None
        }
        None => {
            let l = wait_for("IMPORT-DONE", Duration::from_secs(300))
                .expect("the child did not finish");
            assert!(child.wait().unwrap().success());
            let at = l.find("IMPORT-DONE").unwrap();
            Some(
                l[at..]
                    .split_whitespace()
                    .nth(1)
                    .unwrap()
                    .parse::<u64>()
                    .unwrap(),
            )
        }
    };
    reader.join().unwrap();
    // A line that arrived before the kill means the import had committed.
    let done = done.or_else(|| rx.try_iter().find(|l| l.contains("IMPORT-DONE")).map(|_| 0));
    // The import writes the sandbox environment's own file, beside the home one.
    let mut wal = db.with_file_name("wxdesk-sandbox.db").into_os_string();
    wal.push("-wal");
    let wal_bytes = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    Outcome {
        done_ms: done,
        wal_bytes,
    }
}

/// A fresh database holding one sentinel app, closed.
fn fresh_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("wxdesk.db");
    let desk = open(&db);
    desk.app_add(AppInput {
        appid: SENTINEL.into(),
        secret: Secret::new("0123456789abcdef0123456789abcdef"),
        name: "sentinel".into(),
    })
    .unwrap();
    drop(desk);
    db
}

/// (apps, components, authorizers, settings) after reopening, with the integrity check.
fn inspect(db: &Path) -> [i64; 4] {
    let desk = open(db);
    assert_eq!(desk.store().integrity_check().unwrap(), "ok");
    assert!(
        desk.app_show(SENTINEL).is_ok(),
        "the sentinel written before the import is gone"
    );
    let n = |t: &str| {
        desk.store()
            .read(|c| Ok(c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))?))
            .unwrap()
    };
    [n("apps"), n("components"), n("authorizers"), n("settings")]
}

// Settings counted are the environment's own (the call-log retention); the
// global ones (language, theme) go to the home file in a later write.
const NONE: [i64; 4] = [1, 0, 0, 0];
const ALL: [i64; 4] = [APPS as i64 + 1, COMPONENTS as i64, AUTHORIZERS as i64, 1];

#[test]
fn import_killed_mid_way_is_all_or_nothing() {
    if std::env::var(CHILD_DB).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("large-export.json");
    std::fs::write(&file, large_export()).unwrap();

    // Calibrate: how long the whole import takes in a child.
    let cal = tempfile::tempdir().unwrap();
    let db = fresh_db(cal.path());
    let full = run_child(&db, &file, None).done_ms.unwrap();
    assert_eq!(inspect(&db), ALL);

    let mut rng = rand::thread_rng();
    let (mut all, mut none, mut mid_write) = (0, 0, 0);
    for round in 0..20 {
        let d = tempfile::tempdir().unwrap();
        let db = fresh_db(d.path());
        let delay = Duration::from_millis(rng.gen_range(0..=full + full / 5));
        let out = run_child(&db, &file, Some(delay));
        let counts = inspect(&db);
        if counts == ALL {
            all += 1;
        } else if counts == NONE {
            none += 1;
            // Uncommitted pages spilled into the WAL: killed in the middle of the transaction.
            if out.wal_bytes > 0 {
                mid_write += 1;
            }
            assert!(
                out.done_ms.is_none(),
                "round {round}: the child reported success but nothing is there"
            );
        } else {
            panic!("round {round}: partial import after kill at {delay:?}: {counts:?}");
        }
    }
    eprintln!("import takes {full} ms; after 20 kills: {all} complete, {none} untouched ({mid_write} killed while writing)");
    assert!(
        none > 0,
        "no kill landed before the commit; the test proves nothing"
    );
    assert!(
        mid_write > 0,
        "no kill landed while the transaction was writing; make the file larger"
    );
}
