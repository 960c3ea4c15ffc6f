//! The CLI runner: a sandbox running in the test process, a temporary
//! database, and the real `wxdesk` binary run against both
//! (`--env sandbox --sandbox-base URL --db DIR/w.db`, keyring off).
//!
//! Every run is kept in a transcript, so a test can later check that no
//! secret ever reached stdout or stderr (except where `--reveal` was asked).
//! The binary is the one cargo built for the running test ([`wxdesk_bin`]):
//! run these from the CLI crate's integration tests, which cargo builds it for.

use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::Value;
use tokio::runtime::Runtime;
use wxdesk_sandbox::{
    AccountKind, Authorization, AuthorizeSeed, ComponentSeed, PushRecord, Sandbox, SandboxConfig,
    SandboxHandle,
};

pub use crate::ids::{random_alnum, random_appid, random_secret};
pub use crate::leaks::{db_files, found_in, masked};

/// One finished run of the binary.
#[derive(Debug, Clone)]
pub struct Run {
    /// The arguments (without the harness's globals).
    pub args: Vec<String>,
    /// Exit code.
    pub code: Option<i32>,
    /// Everything printed on stdout.
    pub stdout: String,
    /// Everything printed on stderr.
    pub stderr: String,
}

impl Run {
    /// Whether it exited 0.
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }

    /// stdout as the one JSON object `--json` promises.
    pub fn json(&self) -> Value {
        json_line(&self.stdout)
    }

    /// Whether `--reveal` was on the command line.
    pub fn revealed(&self) -> bool {
        self.args.iter().any(|a| a == "--reveal")
    }
}

/// Parses stdout that must be exactly one line of JSON.
pub fn json_line(stdout: &str) -> Value {
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "--json must print exactly one line, got {stdout:?}"
    );
    let v: Value = serde_json::from_str(lines[0]).expect("stdout is JSON");
    // An operation's result: an object, or a bare array for a list.
    assert!(
        v.is_object() || v.is_array(),
        "--json prints an object or a list, got {v}"
    );
    v
}

/// A platform's secrets as created by [`World::component`].
#[derive(Debug, Clone)]
pub struct Comp {
    /// AppID.
    pub appid: String,
    /// AppSecret.
    pub secret: String,
    /// Message token.
    pub token: String,
    /// EncodingAESKey.
    pub aes_key: String,
    /// The ticket set by the harness, if any.
    pub ticket: Option<String>,
}

/// `--secret SECRET --token TOKEN --aes-key KEY`: a platform's three secrets
/// as `component add` and `component update` take them.
pub fn platform_secret_flags<'a>(
    secret: &'a str,
    token: &'a str,
    aes_key: &'a str,
) -> [&'a str; 6] {
    ["--secret", secret, "--token", token, "--aes-key", aes_key]
}

/// A sandbox, a database directory, and the binary between them.
pub struct World {
    /// Runs the sandbox (and any async hook the test calls).
    pub rt: Runtime,
    /// The sandbox.
    pub sandbox: SandboxHandle,
    /// Holds the database.
    pub dir: tempfile::TempDir,
    /// Every run so far.
    pub transcript: RefCell<Vec<Run>>,
    /// The `wxdesk` binary.
    pub bin: PathBuf,
}

/// The `wxdesk` binary cargo built beside the running test executable
/// (`target/<profile>/wxdesk`, the test being in `target/<profile>/deps/`),
/// or `WXDESK_TEST_BIN` when set.
pub fn wxdesk_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("WXDESK_TEST_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test executable's path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test runs from target/<profile>/deps");
    let bin = profile_dir.join(format!("wxdesk{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: run the CLI runner from wxdesk-cli's integration tests (cargo builds the binary for them) or set WXDESK_TEST_BIN",
        bin.display()
    );
    bin
}

impl World {
    /// Starts a sandbox and an empty directory, for [`wxdesk_bin`].
    pub fn start() -> World {
        World::start_with_bin(wxdesk_bin())
    }

    /// [`World::start`] running the binary at `bin`.
    pub fn start_with_bin(bin: PathBuf) -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let sandbox = rt
            .block_on(Sandbox::start(SandboxConfig::default()))
            .unwrap();
        World {
            rt,
            sandbox,
            dir: tempfile::tempdir().unwrap(),
            transcript: RefCell::new(Vec::new()),
            bin,
        }
    }

    /// The database path.
    pub fn db(&self) -> PathBuf {
        self.dir.path().join("w.db")
    }

    /// The sandbox environment's own database file, beside the home one.
    pub fn env_db(&self) -> PathBuf {
        self.dir.path().join("w-sandbox.db")
    }

    /// The sandbox base URL.
    pub fn base(&self) -> String {
        self.sandbox.base_url()
    }

    /// A path in the temporary directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The binary with a clean environment (no inherited WXDESK_* variables, keyring off).
    pub fn bare(&self) -> Command {
        let mut cmd = Command::new(&self.bin);
        for v in [
            "WXDESK_DB",
            "WXDESK_API_BASE",
            "WXDESK_MP_BASE",
            "WXDESK_OPEN_BASE",
            "WXDESK_SANDBOX_BASE",
        ] {
            cmd.env_remove(v);
        }
        cmd.env("WXDESK_KEYRING", "off");
        cmd
    }

    /// Runs `args` followed by the harness's global options.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, None)
    }

    /// [`World::run`] with `stdin` piped in.
    pub fn run_with(&self, args: &[&str], stdin: Option<&str>) -> Run {
        let db = self.db();
        let base = self.base();
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--env", "sandbox", "--sandbox-base", &base, "--db"]);
        let db_s = db.display().to_string();
        full.push(&db_s);
        self.run_raw(&full, stdin, args)
    }

    /// Runs exactly `args` (no globals added).
    pub fn run_raw(&self, args: &[&str], stdin: Option<&str>, shown: &[&str]) -> Run {
        let mut cmd = self.bare();
        cmd.args(args);
        let o = output_with_stdin(cmd, stdin);
        let run = Run {
            args: shown.iter().map(|s| s.to_string()).collect(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        };
        self.transcript.borrow_mut().push(run.clone());
        run
    }

    /// Runs with `--json`, asserts success, and returns the object.
    pub fn ok(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let r = self.run(&a);
        assert!(r.ok(), "{args:?} failed: {}\n{}", r.stderr, r.stdout);
        r.json()
    }

    /// Runs with `--json`, asserts a failure by the rules (exit 1, one stderr
    /// line, `{"error": ErrorBody}`), and returns the error object.
    pub fn err(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let r = self.run(&a);
        assert!(!r.ok(), "{args:?} should fail: {}", r.stdout);
        assert_error_shape(&r);
        r.json()["error"].clone()
    }

    /// Runs in text mode and asserts success; returns stdout.
    pub fn text(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert!(r.ok(), "{args:?} failed: {}", r.stderr);
        r.stdout
    }

    /// A mini program in the sandbox and the desk: (appid, secret).
    pub fn app(&self) -> (String, String) {
        let appid = random_appid();
        let secret = random_secret();
        self.sandbox.add_app(&appid, &secret);
        self.ok(&[
            "app", "add", "--appid", &appid, "--secret", &secret, "--name", "Shop",
        ]);
        (appid, secret)
    }

    /// A platform in the sandbox and the desk, with a ticket set.
    pub fn component(&self) -> Comp {
        let mut c = self.component_without_ticket();
        let ticket = self.sandbox.issue_ticket(&c.appid).unwrap();
        self.ok(&["component", "ticket", "set", &c.appid, &ticket]);
        c.ticket = Some(ticket);
        c
    }

    /// A platform in the sandbox and the desk, without a ticket.
    pub fn component_without_ticket(&self) -> Comp {
        let c = Comp {
            appid: random_appid(),
            secret: random_secret(),
            token: random_alnum(32),
            aes_key: random_alnum(43),
            ticket: None,
        };
        self.sandbox.add_component(ComponentSeed {
            appid: c.appid.clone(),
            secret: c.secret.clone(),
            token: c.token.clone(),
            encoding_aes_key: c.aes_key.clone(),
            push_url: None,
            name: Some("Platform".into()),
        });
        let mut add = vec!["component", "add", "--appid", &c.appid];
        add.extend(platform_secret_flags(&c.secret, &c.token, &c.aes_key));
        add.extend(["--name", "Platform"]);
        add.extend(["--redirect-uri", "https://platform.example/callback"]);
        self.ok(&add);
        c
    }

    /// A sandbox authorization of `comp` (not yet stored in the desk).
    pub fn sandbox_authorize(&self, comp: &str, kind: AccountKind) -> Authorization {
        self.sandbox
            .authorize(AuthorizeSeed {
                component_appid: comp.to_string(),
                authorizer_appid: None,
                kind,
                func_ids: vec![],
            })
            .unwrap()
    }

    /// Authorizes a new account to `comp` and stores it with `wxdesk authorize`.
    pub fn authorized(&self, comp: &str, kind: AccountKind) -> Authorization {
        let a = self.sandbox_authorize(comp, kind);
        self.ok(&[
            "authorize",
            "--component",
            comp,
            "--auth-code",
            &a.auth_code,
        ]);
        a
    }

    /// The newest recorded push of `info_type` to `comp`.
    pub fn push(&self, comp: &str, info_type: &str) -> PushRecord {
        // Pushes of authorizations are recorded in the background.
        for _ in 0..100 {
            if let Some(p) = self
                .sandbox
                .pushes()
                .into_iter()
                .rev()
                .find(|p| p.component_appid == comp && p.info_type == info_type)
            {
                return p;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("no {info_type} push for {comp}");
    }

    /// Writes a file in the temporary directory and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Runs `args` (plus the harness's globals) under a pseudo-terminal made
    /// by util-linux `script`, typing `answer` and Enter after a moment.
    /// Returns the exit code and everything the terminal showed, or `None`
    /// when `script` is not installed.
    pub fn on_terminal(&self, args: &[&str], answer: &str) -> Option<(i32, String)> {
        if Command::new("script").arg("--version").output().is_err() {
            eprintln!("`script` (util-linux) is not installed; skipping the terminal check");
            return None;
        }
        let mut full = vec![self.bin.display().to_string()];
        full.extend(args.iter().map(|s| s.to_string()));
        full.extend([
            "--env".into(),
            "sandbox".into(),
            "--sandbox-base".into(),
            self.base(),
            "--db".into(),
            self.db().display().to_string(),
        ]);
        let line = full
            .iter()
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect::<Vec<_>>()
            .join(" ");
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &line, "/dev/null"])
            .env("WXDESK_KEYRING", "off")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        {
            let mut si = child.stdin.take().unwrap();
            // Give the prompt time to appear before typing.
            std::thread::sleep(std::time::Duration::from_millis(300));
            let _ = si.write_all(format!("{answer}\n").as_bytes());
        }
        let o = child.wait_with_output().unwrap();
        Some((
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        ))
    }

    /// Plays a person on a sandbox page (consent, fast registration): opens
    /// `url`, submits its form with `extra`, and returns the redirect Location.
    pub fn consent(&self, url: &str, extra: &[(&str, &str)]) -> String {
        self.rt.block_on(crate::push_env::consent(url, extra))
    }
}

/// Runs `cmd` (the `wxdesk` binary and its arguments) with its stdout and
/// stderr captured and `stdin` (if any) written to it, and waits for it.
pub fn output_with_stdin(mut cmd: Command, stdin: Option<&str>) -> std::process::Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn wxdesk");
    {
        let mut si = child.stdin.take().expect("stdin");
        if let Some(s) = stdin {
            si.write_all(s.as_bytes()).expect("write stdin");
        }
    }
    child.wait_with_output().expect("wait")
}

/// Asserts the failure rules: non-zero exit, exactly one line on stderr,
/// and with `--json` exactly one `{"error": ErrorBody}` on stdout: `code`,
/// `message`, and `kind` (the deprecated alias of `code`); `hint`, `hint_zh`
/// and `errcode` only when there is one.
pub fn assert_error_shape(r: &Run) {
    assert!(!r.ok());
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one stderr line, got {:?}", r.stderr);
    assert!(lines[0].starts_with("error: "), "{}", lines[0]);
    if r.args.iter().any(|a| a == "--json") || r.stdout.trim_start().starts_with('{') {
        let v = r.json();
        let e = v["error"].as_object().expect("an error object");
        for k in ["code", "kind", "message"] {
            assert!(e.contains_key(k), "error JSON lacks {k}: {v}");
        }
        assert!(e["code"].is_string() && e["message"].is_string());
        assert_eq!(e["kind"], e["code"], "kind is the alias of code: {v}");
        for k in ["hint", "hint_zh"] {
            assert!(e.get(k).is_none_or(Value::is_string), "{k}: {v}");
        }
        assert!(e.get("errcode").is_none_or(Value::is_i64), "{v}");
    }
}
