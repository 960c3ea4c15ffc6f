//! The shared fixtures of the core's tests, from the dev-only crate
//! wxdesk-testkit: a sandbox, desks and runtimes on a temporary database
//! pointed at it, accounts seeded straight into the store, a scripted HTTP
//! peer, and (`common::redis`) a real redis-server.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::desk::*;
pub use wxdesk_testkit::http::JsonReply;
pub use wxdesk_testkit::ids::*;
pub use wxdesk_testkit::scripted::*;
pub use wxdesk_testkit::seed::*;

pub mod redis {
    //! A real redis-server (see wxdesk_testkit::redis), a team store
    //! connected to one, and what `team show` says of a binding.
    pub use wxdesk_testkit::redis::*;

    use wxdesk_core::team::service::{TeamAccountArgs, TeamKeyView, TeamShowView};
    use wxdesk_core::team::{Layout, Mode, RedisUrl, StoreConfig, TeamError, TeamStore};

    /// A team store on `url` in `layout` and `mode`, keys under `prefix`.
    pub async fn team_store(
        url: &RedisUrl,
        layout: Layout,
        mode: Mode,
        prefix: Option<&str>,
    ) -> Result<TeamStore, TeamError> {
        let mut cfg = StoreConfig::new(layout, mode);
        cfg.prefix = prefix.map(str::to_string);
        TeamStore::connect(url, cfg).await
    }

    /// A [`team_store`] on `server`, which must connect.
    pub async fn store_on(
        server: &RedisServer,
        layout: Layout,
        mode: Mode,
        prefix: Option<&str>,
    ) -> TeamStore {
        let url = RedisUrl::parse(&server.url()).unwrap();
        team_store(&url, layout, mode, prefix).await.unwrap()
    }

    /// What `team show` says of the account `appid` on `desk`.
    pub async fn team_show_of(desk: &wxdesk_core::Desk, appid: &str) -> Vec<TeamShowView> {
        let args = TeamAccountArgs {
            appid: Some(appid.into()),
            ..Default::default()
        };
        desk.team_show(args).await.unwrap()
    }

    /// The key `what` (e.g. `component_access_token`) of a `team show` entry.
    pub fn shown_key<'a>(shown: &'a TeamShowView, what: &str) -> &'a TeamKeyView {
        shown.keys.iter().find(|k| k.what == what).unwrap()
    }
}

/// SQLite's plan for `sql` with `params` (the `detail` column of
/// `EXPLAIN QUERY PLAN`), for the tests that prove a query walks an index.
pub fn query_plan(
    desk: &wxdesk_core::Desk,
    sql: &str,
    params: &[rusqlite::types::Value],
) -> Vec<String> {
    desk.store()
        .read(|c| {
            let mut st = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows = st
                .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                    r.get::<_, String>(3)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// A scripted WeChat that issues a platform token and an authorizer token
/// and rotates the refresh token to `refreshtoken@@@rotated-by-wechat`, and a
/// desk in `dir` pointed at it holding the platform `component` (AppSecret
/// `secret`, a ticket) and its authorizer `appid` (`refreshtoken@@@original`).
pub async fn rotating_wechat(
    dir: &std::path::Path,
    component: &str,
    secret: &str,
    appid: &str,
) -> (Scripted, wxdesk_core::Desk) {
    let wechat = Scripted::start(vec![
        (
            "/cgi-bin/component/api_component_token",
            r#"{"component_access_token":"scripted-component-token-0123456789","expires_in":7200}"#.to_string(),
        ),
        (
            "/cgi-bin/component/api_authorizer_token",
            r#"{"authorizer_access_token":"scripted-authorizer-token-0123456789","expires_in":7200,"authorizer_refresh_token":"refreshtoken@@@rotated-by-wechat"}"#.to_string(),
        ),
    ])
    .await;
    let desk = open_desk(&dir.join("wxdesk.db"), &wechat.base);
    store_component(&desk, component, secret);
    store_ticket(&desk, component, "ticket@@@from-push", desk.now());
    store_authorizer(&desk, component, appid, "refreshtoken@@@original");
    (wechat, desk)
}

/// An app and a platform with one authorizer, on `desk`:
/// `(app, component, authorizer)`.
pub fn app_and_authorizer(w: &World, desk: &wxdesk_core::Desk) -> (String, String, String) {
    let (app, _) = seed_app(w, desk);
    let Platform {
        appid: component,
        authorizers,
        ..
    } = seed_platform(w, desk, 1);
    let (authorizer, _) = authorizers[0].clone();
    (app, component, authorizer)
}

/// An app as the service adds it: `appid` with AppSecret `secret`, named `name`.
pub fn app_input(appid: &str, secret: &str, name: &str) -> wxdesk_core::services::apps::AppInput {
    wxdesk_core::services::apps::AppInput {
        appid: appid.into(),
        secret: wxdesk_core::services::apps::Secret::new(secret),
        name: name.into(),
    }
}

/// A platform as the service adds it: `appid` with its AppSecret, message
/// token and EncodingAESKey, named "Platform", with no redirect URI.
pub fn platform_input(
    appid: &str,
    secret: &str,
    token: &str,
    aes_key: &str,
) -> wxdesk_core::services::components::ComponentInput {
    use wxdesk_core::services::apps::Secret;
    wxdesk_core::services::components::ComponentInput {
        appid: appid.into(),
        secret: Secret::new(secret),
        token: Some(Secret::new(token)),
        aes_key: Some(Secret::new(aes_key)),
        name: "Platform".into(),
        redirect_uri: None,
    }
}

pub mod transfer {
    //! The export/import tests' shared pieces: a desk on a temporary
    //! database that never reaches a server, the passphrase exports are
    //! sealed with, and the field a refusal names.

    use std::path::Path;

    use wxdesk_core::services::transfer::ExportOptions;
    use wxdesk_core::{Desk, Error};
    use zeroize::Zeroizing;

    /// The passphrase the tests seal exports with.
    pub const PASS: &str = "correct horse battery";

    /// A desk on `dir/wxdesk.db` pointed at an address nothing listens on.
    pub fn open(dir: &Path) -> Desk {
        wxdesk_testkit::desk::open_desk(&dir.join("wxdesk.db"), wxdesk_testkit::desk::NOWHERE)
    }

    /// [`PASS`] as export and import options take it.
    pub fn pass() -> Option<Zeroizing<String>> {
        Some(Zeroizing::new(PASS.to_string()))
    }

    /// The `(field, reason)` of an `Invalid` error; panics on any other.
    pub fn field(e: Error) -> (String, String) {
        match e {
            Error::Invalid { field, reason } => (field, reason),
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    /// `desk`'s export with its secrets, sealed with [`PASS`].
    pub fn sealed_export(desk: &Desk) -> Vec<u8> {
        desk.export(ExportOptions {
            with_secrets: true,
            passphrase: pass(),
        })
        .unwrap()
    }
}

/// The `appid` of each row of an op's list answer, in order.
pub fn appids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|a| a["appid"].as_str().unwrap().to_string())
        .collect()
}

/// Writes `rows` to `desk`'s call log, in one transaction.
pub fn insert_call_log(
    desk: &wxdesk_core::Desk,
    rows: impl IntoIterator<Item = wxdesk_core::store::call_log::NewCallLog>,
) {
    desk.store()
        .write(|tx| {
            for row in rows {
                wxdesk_core::store::call_log::insert(tx, &row)?;
            }
            Ok(())
        })
        .unwrap();
}

/// A call-log row as the client writes it: a POST to `endpoint` for
/// `account` at `at_ms` that answered `errcode`.
pub fn call_log_row(
    at_ms: i64,
    endpoint: &str,
    account: &str,
    errcode: i64,
) -> wxdesk_core::store::call_log::NewCallLog {
    wxdesk_core::store::call_log::NewCallLog {
        at_ms,
        endpoint: endpoint.to_string(),
        method: "POST".into(),
        account: Some(account.to_string()),
        attempt: 1,
        duration_ms: 12,
        http_status: Some(200),
        errcode: Some(errcode),
        errmsg: Some(if errcode == 0 { "ok" } else { "failed" }.into()),
        error_kind: (errcode != 0).then(|| "api".to_string()),
        request: r#"{"query":"","body":null}"#.into(),
        response: Some(format!(r#"{{"errcode":{errcode}}}"#)),
    }
}
