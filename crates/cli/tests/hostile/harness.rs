//! The table's machinery: a case, how it runs (the binary, or a closure for
//! HTTP and faults), what it must end in, and the checks every row gets.

use std::ffi::OsString;
use std::io::Write;
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::common::{assert_error_shape, Comp, Run, World};

/// The world every row runs in, and the secrets no row may print.
pub struct Fx {
    /// Sandbox, database directory and the binary.
    pub world: World,
    /// A stored mini program: (appid, secret).
    pub app: (String, String),
    /// A stored platform with its ticket.
    pub comp: Comp,
    /// Secrets of stateless fixtures (push token and key, session keys, passphrases).
    pub extra_secrets: std::cell::RefCell<Vec<String>>,
}

impl Fx {
    /// A sandbox with one app and one platform stored in the desk.
    pub fn start() -> Fx {
        let world = World::start();
        let app = world.app();
        let comp = world.component();
        Fx {
            world,
            app,
            comp,
            extra_secrets: Default::default(),
        }
    }

    /// Adds a secret that no output may contain from now on.
    pub fn secret(&self, s: &str) -> String {
        assert!(
            s.len() >= 8,
            "a fixture secret must be long enough to be found: {s}"
        );
        self.extra_secrets.borrow_mut().push(s.to_string());
        s.to_string()
    }

    /// Every secret of the fixture.
    pub fn secrets(&self) -> Vec<String> {
        let mut v = vec![
            self.app.1.clone(),
            self.comp.secret.clone(),
            self.comp.token.clone(),
            self.comp.aes_key.clone(),
        ];
        v.extend(self.comp.ticket.clone());
        v.extend(self.extra_secrets.borrow().iter().cloned());
        v
    }

    /// The database path as a string.
    pub fn db(&self) -> String {
        self.world.db().display().to_string()
    }

    /// Runs the binary with `args`, `--json`, and (when `globals`) the
    /// sandbox environment and database; kills it after a minute.
    pub fn exec(&self, args: &[OsString], stdin: &[u8], globals: bool) -> Outcome {
        let mut full: Vec<OsString> = args.to_vec();
        full.push("--json".into());
        if globals {
            for a in ["--env", "sandbox", "--sandbox-base", &self.world.base()] {
                full.push(a.into());
            }
        }
        if globals || !args.iter().any(|a| a == "--db") {
            full.push("--db".into());
            full.push(self.db().into());
        }
        let mut cmd = self.world.bare();
        cmd.args(&full)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("spawn wxdesk");
        let mut si = child.stdin.take().expect("stdin");
        let input = stdin.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = si.write_all(&input);
        });
        // Read the output while waiting (a full pipe would block the child);
        // kill it when it takes more than a minute.
        let pid = child.id();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        let o = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(o) => o.expect("wait"),
            Err(_) => {
                let _ = std::process::Command::new("kill")
                    .arg("-9")
                    .arg(pid.to_string())
                    .status();
                rx.recv().expect("the child ends").expect("wait")
            }
        };
        let _ = writer.join();
        let run = Run {
            args: full
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        Outcome::from_run(run)
    }
}

/// What a row ended in.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Success (exit 0, or HTTP 2xx).
    pub ok: bool,
    /// The error kind (`error.kind` of the CLI, `code` over HTTP).
    pub kind: String,
    /// The error message.
    pub message: String,
    /// The HTTP status, for HTTP rows.
    pub status: Option<u16>,
    /// The result object (or the error object).
    pub json: Value,
    /// Everything printed or answered, headers included.
    pub raw: String,
    /// The CLI run, for the error-shape rules.
    pub run: Option<Run>,
}

impl Outcome {
    fn from_run(run: Run) -> Outcome {
        let json = run
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with('{'))
            .and_then(|l| serde_json::from_str::<Value>(l).ok())
            .unwrap_or(Value::Null);
        let (kind, message) = match json.get("error") {
            Some(e) => (
                e["kind"].as_str().unwrap_or("").to_string(),
                e["message"].as_str().unwrap_or("").to_string(),
            ),
            None => (String::new(), run.stderr.clone()),
        };
        Outcome {
            ok: run.ok(),
            kind,
            message,
            status: None,
            raw: format!("exit {:?}\n{}\n{}", run.code, run.stdout, run.stderr),
            json,
            run: Some(run),
        }
    }
}

/// What a row must end in.
pub enum Expect {
    /// A failure of one of the `|`-separated kinds whose message names `names`
    /// (every `|`-separated word is accepted, case-insensitive).
    Fail(&'static str, &'static str),
    /// Success, and the result passes the check.
    Ok(Box<dyn Fn(&Value) -> bool>),
    /// HTTP: this status, and (unless empty) this error code.
    Http(u16, &'static str),
}

type Runner = Box<dyn Fn(&Fx) -> Outcome>;

/// One row.
pub struct Case {
    /// What the row tries.
    pub name: String,
    run: Runner,
    expect: Expect,
}

impl Case {
    /// A row run by a closure.
    pub fn new(
        name: impl Into<String>,
        run: impl Fn(&Fx) -> Outcome + 'static,
        expect: Expect,
    ) -> Case {
        Case {
            name: name.into(),
            run: Box::new(run),
            expect,
        }
    }

    /// A row running the binary with `args` (plus `--json` and the fixture's globals).
    pub fn cli(name: impl Into<String>, args: &[&str], expect: Expect) -> Case {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        Case::new(name, move |fx| fx.exec(&args, b"", true), expect)
    }

    /// [`Case::cli`] without the sandbox globals (for rows about those flags).
    pub fn cli_bare(name: impl Into<String>, args: &[&str], expect: Expect) -> Case {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        Case::new(name, move |fx| fx.exec(&args, b"", false), expect)
    }

    /// [`Case::cli`] with arbitrary (possibly non-UTF-8) arguments and stdin.
    pub fn cli_os(
        name: impl Into<String>,
        args: Vec<OsString>,
        stdin: Vec<u8>,
        expect: Expect,
    ) -> Case {
        Case::new(name, move |fx| fx.exec(&args, &stdin, true), expect)
    }
}

/// A failure of `kind` naming `names`.
pub fn fail(kind: &'static str, names: &'static str) -> Expect {
    Expect::Fail(kind, names)
}

/// Success with any result.
pub fn ok() -> Expect {
    Expect::Ok(Box::new(|_| true))
}

/// Success whose result passes `check`.
pub fn ok_if(check: impl Fn(&Value) -> bool + 'static) -> Expect {
    Expect::Ok(Box::new(check))
}

fn check(fx: &Fx, case: &Case, out: &Outcome) -> Result<(), String> {
    let lower = out.raw.to_lowercase();
    if lower.contains("panicked at") || out.run.as_ref().is_some_and(|r| r.code == Some(101)) {
        return Err(format!("panicked:\n{}", out.raw));
    }
    if out.run.as_ref().is_some_and(|r| r.code.is_none()) {
        return Err(format!("killed or hung:\n{}", out.raw));
    }
    for s in fx.secrets() {
        if out.raw.contains(&s) {
            return Err(format!(
                "a fixture secret ({}…) is in the output:\n{}",
                &s[..4],
                out.raw
            ));
        }
    }
    let names_ok = |names: &str| {
        let m = out.message.to_lowercase();
        names.split('|').any(|n| m.contains(&n.to_lowercase()))
    };
    match &case.expect {
        Expect::Fail(kind, names) => {
            if out.ok {
                return Err(format!(
                    "succeeded, expected a {kind} error naming {names}:\n{}",
                    out.raw
                ));
            }
            if *kind != "*" && !kind.split('|').any(|k| k == out.kind) {
                return Err(format!(
                    "kind {:?}, expected {kind}:\n{}",
                    out.kind, out.raw
                ));
            }
            if !names_ok(names) {
                return Err(format!(
                    "the message does not name {names}: {}",
                    out.message
                ));
            }
            if let Some(run) = &out.run {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| assert_error_shape(run)))
                    .map_err(|_| format!("the error breaks the output rules:\n{}", out.raw))?;
            }
        }
        Expect::Ok(check) => {
            if !out.ok {
                return Err(format!("failed, expected success:\n{}", out.raw));
            }
            if !check(&out.json) {
                return Err(format!("the result is wrong: {}", out.json));
            }
        }
        Expect::Http(status, code) => {
            if out.status != Some(*status) {
                return Err(format!(
                    "status {:?}, expected {status}:\n{}",
                    out.status, out.raw
                ));
            }
            if !code.is_empty() && out.kind != *code {
                return Err(format!(
                    "code {:?}, expected {code}:\n{}",
                    out.kind, out.raw
                ));
            }
        }
    }
    Ok(())
}

/// Runs a section's rows and returns how many ran.
/// Fails (after running them all) when any row did not end as it must.
pub fn run_section(fx: &Fx, section: &str, cases: Vec<Case>) -> usize {
    let mut failures = Vec::new();
    for case in &cases {
        let out = (case.run)(fx);
        if let Err(why) = check(fx, case, &out) {
            failures.push(format!("{section}/{}: {why}", case.name));
        }
    }
    println!("{section}: {} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} of {} {section} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    cases.len()
}

impl Fx {
    /// After every section: the stored accounts are all still there and usable.
    pub fn assert_nothing_lost(&self) {
        self.world.sandbox.clear_faults();
        let apps = self.world.ok(&["app", "list"]);
        assert!(apps.to_string().contains(&self.app.0), "{apps}");
        let comp = self.world.ok(&["component", "show", &self.comp.appid]);
        assert!(comp.to_string().contains(&self.comp.appid), "{comp}");
        let token = self.world.ok(&["token", "--appid", &self.app.0]);
        assert!(token.to_string().contains("expires"), "{token}");
    }
}
