//! The multi-machine figure of team mode: 10 `wxdesk` processes, each on its
//! own SQLite database (as on 10 machines), share one Redis in read-write
//! mode; a cold stampede of `component token` makes one upstream call.
//!
//! Without the Redis lock each database's own lease would let every process
//! mint its own token (10 calls, each replacing the previous token). The
//! redis-server is started the way the test harness does it (a free port on
//! 127.0.0.1, a temporary directory, killed at the end); when Debian's
//! `redis-server` is not installed the figure is skipped with a printed note.

use serde_json::Value;
use wxdesk_core::services::apps::Secret;
use wxdesk_core::services::components::ComponentInput;
use wxdesk_core::team::service::TeamBindArgs;
use wxdesk_sandbox::{ComponentSeed, TeamWriteRequest};

use super::{err, random_alnum, random_appid, random_secret, Bench, Res};

use wxdesk_testkit::redis as redis_server;

/// Processes (and databases) in the stampede.
const PROCESSES: usize = 10;

fn redis_installed() -> bool {
    std::process::Command::new("redis-server")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Bench {
    /// (g) 10 processes, 10 databases, one Redis: one upstream call.
    pub(super) async fn team_stampede(&mut self) -> Res<()> {
        if !redis_installed() {
            println!(
                "team mode: 10 processes on 10 databases sharing one Redis -> SKIPPED (redis-server is not installed; apt-get install redis-server)"
            );
            return Ok(());
        }
        let server = redis_server::RedisServer::start();
        let url = server.url();
        let comp = random_appid();
        let secret = random_secret();
        let (token, aes_key) = (random_alnum(32), random_alnum(43));
        self.sandbox
            .try_add_component(ComponentSeed {
                appid: comp.clone(),
                secret: secret.clone(),
                token: token.clone(),
                encoding_aes_key: aes_key.clone(),
                push_url: None,
                name: Some("Bench team platform".into()),
            })
            .map_err(err("sandbox component"))?;
        // The production side has written the ticket; no token exists yet (cold).
        self.sandbox
            .team_write(&TeamWriteRequest {
                redis_url: url.clone(),
                layout: "wxjava-open".into(),
                prefix: None,
                component_appid: Some(comp.clone()),
                authorizer_appid: None,
                appid: None,
            })
            .await
            .map_err(err("sandbox team write"))?;
        let mut raw = server.raw().await;
        let _: i64 = redis::cmd("DEL")
            .arg(format!("wechat_component_access_token:{comp}"))
            .query_async(&mut raw)
            .await
            .map_err(err("redis DEL"))?;
        let mut dbs = Vec::new();
        for i in 0..PROCESSES {
            let db = self.db(&format!("g{i}"));
            let desk = self.desk(&db)?;
            desk.component_add(ComponentInput {
                appid: comp.clone(),
                secret: Secret::new(secret.clone()),
                token: Some(Secret::new(token.clone())),
                aes_key: Some(Secret::new(aes_key.clone())),
                name: "Bench team platform".into(),
                redirect_uri: None,
            })
            .map_err(err("component add"))?;
            desk.team_bind(TeamBindArgs {
                component_appid: Some(comp.clone()),
                redis_url: url.clone(),
                layout: "wxjava-open".into(),
                mode: Some("read-write".into()),
                ..Default::default()
            })
            .map_err(err("team bind"))?;
            dbs.push(db);
        }
        self.sandbox.reset_counters();
        let mut children = Vec::new();
        for db in &dbs {
            let child = self
                .cli(db, &["component", "token", &comp])
                .spawn()
                .map_err(err("spawn wxdesk"))?;
            children.push(child);
        }
        let (mut failed, mut fresh) = (0, 0);
        for c in children {
            let out = c.wait_with_output().await.map_err(err("wait wxdesk"))?;
            if !out.status.success() {
                failed += 1;
                eprintln!(
                    "  component token process failed: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                );
                continue;
            }
            let v: Value =
                serde_json::from_slice(&out.stdout).map_err(err("wxdesk --json output"))?;
            if v["source"] == "fresh" {
                fresh += 1;
            }
        }
        let calls = self
            .sandbox
            .counter("cgi-bin/component/api_component_token");
        self.figure(
            format!(
                "team mode: {PROCESSES} `wxdesk component token` processes on {PROCESSES} separate SQLite databases sharing one Redis (read-write, wxjava-open) -> {calls} upstream call(s), {fresh} refreshed and the rest read Redis, {failed} failed (target 1)"
            ),
            calls == 1 && fresh == 1 && failed == 0,
        );
        Ok(())
    }
}
