//! `wxdesk serve` refuses a weak or URL-unsafe `--token` before it listens,
//! with an error naming `--token` and the fix.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn serve_with_token(token: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxdesk"))
        .args(["serve", "--port", "0", "--json", "--db"])
        .arg(dir.path().join("w.db"))
        .args(["--token", token])
        .env("WXDESK_KEYRING", "off")
        .env_remove("WXDESK_SERVE_TOKEN")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`wxdesk serve --token {token:?}` started serving instead of refusing the token"
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_weak_or_unsafe_token_is_refused_naming_the_flag() {
    for bad in [
        "0123456789abcdef0123".to_string(),
        "a".repeat(31),
        format!("{}&next=//evil.example", "a".repeat(32)),
        format!("{}令牌", "a".repeat(40)),
    ] {
        let (code, stderr) = serve_with_token(&bad);
        assert_eq!(code, Some(1), "{bad:?}: {stderr}");
        let line = stderr.lines().next().unwrap_or_default();
        assert!(line.starts_with("error: --token: "), "{stderr}");
        assert!(line.contains("32"), "says what is enough: {stderr}");
        assert!(
            !stderr.contains(&bad),
            "the refused token is not echoed: {stderr}"
        );
    }
}
