//! Diagnostics: every operation runs in a `dispatch` span carrying its name
//! and duration (never its arguments), and failures that used to be
//! swallowed (a call-log row that cannot be written) are logged.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;
use wxdesk_core::ops::{dispatch, Runtime};

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The tests of this file install thread-local subscribers with different
/// filters; tracing caches each call site's interest globally, so they run
/// one at a time and rebuild that cache once their subscriber is in place.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn capture(filter: &str) -> (Captured, tracing::subscriber::DefaultGuard) {
    let out = Captured::default();
    let w = out.clone();
    let sub = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(move || w.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(sub);
    tracing::callsite::rebuild_interest_cache();
    (out, guard)
}

async fn runtime(world: &World) -> Runtime {
    world.runtime().await
}

#[tokio::test(flavor = "current_thread")]
async fn dispatch_spans_name_the_op_and_never_carry_arguments() {
    let _one = ONE_AT_A_TIME.lock().await;
    let world = World::start().await;
    let rt = runtime(&world).await;
    let appid = random_appid();
    let secret = random_secret();
    let (log, _guard) = capture("wxdesk_core=debug");
    let args = json!({ "appid": appid, "secret": secret, "name": "Shop" });
    dispatch(&rt, "app_add", args.clone()).await.unwrap();
    let e = dispatch(&rt, "app_add", args).await.unwrap_err();
    assert_eq!(e.code(), "already_exists");
    let text = log.text();
    assert!(text.contains("dispatch{op=\"app_add\"}"), "{text}");
    assert!(text.contains("done") && text.contains("ms="), "{text}");
    assert!(
        text.contains("failed") && text.contains("code=already_exists"),
        "{text}"
    );
    assert!(!text.contains(&secret), "a secret reached the log: {text}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_log_row_that_cannot_be_written_is_logged_not_swallowed() {
    let _one = ONE_AT_A_TIME.lock().await;
    let world = World::start().await;
    let rt = runtime(&world).await;
    let appid = random_appid();
    let secret = random_secret();
    world.sandbox.add_app(&appid, &secret);
    dispatch(&rt, "app_add", json!({ "appid": appid, "secret": secret }))
        .await
        .unwrap();
    // Break the call log behind the desk's back.
    let conn = rusqlite::Connection::open(rt.desk().db_path()).unwrap();
    conn.execute_batch("DROP TABLE call_log").unwrap();
    drop(conn);
    let (log, _guard) = capture("warn");
    // The call itself still succeeds: losing a log row is not a failure …
    let v = dispatch(&rt, "app_token", json!({ "appid": appid }))
        .await
        .unwrap();
    assert!(v["expires_in"].as_i64().is_some_and(|s| s > 0), "{v}");
    // … but it is reported.
    let text = log.text();
    assert!(
        text.contains("the call log could not record a call"),
        "{text}"
    );
    assert!(text.contains("stable_token"), "names the endpoint: {text}");
}
