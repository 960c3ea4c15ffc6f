//! The large-database figures: (e) CLI startup and (f) call-log page
//! queries on a database of 1,000,000 call-log rows, built once through the
//! sandbox environment's own file (also the database of the UI figures).

use std::path::Path;
use std::time::{Duration, Instant};

use super::*;

impl Bench {
    /// Builds the large database of (e), (f) and the UI figures.
    pub(super) fn big_db(&self) -> Res<BigDb> {
        let db = self.db("e");
        let started = Instant::now();
        let (app, comp, sealed, file) = {
            let desk = self.desk(&db)?;
            let app = self.add_app(&desk)?;
            for _ in 0..2 {
                self.add_app(&desk)?;
            }
            let comp = random_appid();
            desk.component_add(ComponentInput {
                appid: comp.clone(),
                secret: Secret::new(random_secret()),
                token: Some(Secret::new(random_alnum(32))),
                aes_key: Some(Secret::new(random_alnum(43))),
                name: "Big platform".into(),
                redirect_uri: None,
            })
            .map_err(err("component add"))?;
            let sealed = desk
                .vault()
                .seal(REFRESH_TOKEN, "refreshtoken@@@bench")
                .map_err(err("seal"))?;
            // The sandbox environment's own database file (beside the home `db`).
            (app, comp, sealed.0, desk.db_path().to_path_buf())
        };
        let accounts: Vec<String> = (0..50).map(|_| random_appid()).collect();
        let endpoints = [
            "cgi-bin/stable_token",
            "cgi-bin/token",
            "sns/jscode2session",
            "wxa/business/getuserphonenumber",
            "wxa/checksession",
            "cgi-bin/component/api_component_token",
            "cgi-bin/component/api_authorizer_token",
            "cgi-bin/component/api_get_authorizer_list",
            "cgi-bin/component/api_query_auth",
            "cgi-bin/openapi/quota/get",
        ];
        let mut conn = rusqlite::Connection::open(&file).map_err(err("open db"))?;
        let tx = conn.transaction().map_err(err("begin"))?;
        {
            let mut ins = tx
                .prepare(
                    "INSERT INTO authorizers (component_appid, appid, refresh_token, func_info, nick_name, account_type, status, authorized_at, updated_at) \
                     VALUES (?1, ?2, ?3, '[1,2,3]', ?4, 'mini_program', ?5, 1700000000, 1700000000)",
                )
                .map_err(err("prepare"))?;
            for i in 0..10_000 {
                let status = if i % 20 == 0 { "revoked" } else { "active" };
                ins.execute((
                    &comp,
                    format!("wx{:016x}", i as u64 * 7919 + 1),
                    &sealed,
                    format!("Merchant {i}"),
                    status,
                ))
                .map_err(err("insert authorizer"))?;
            }
            let now_ms = wxdesk_core::store::now_ms();
            let mut ins = tx
                .prepare(
                    "INSERT INTO call_log (at_ms, endpoint, method, account, attempt, duration_ms, http_status, errcode, errmsg, error_kind, request, response) \
                     VALUES (?1, ?2, 'POST', ?3, 1, ?4, 200, ?5, ?6, ?7, ?8, ?9)",
                )
                .map_err(err("prepare"))?;
            let request = r#"{"query":"access_token=abcd…","body":{"appid":"wx…","secret":"…"}}"#;
            for i in 0..1_000_000u64 {
                let account = (i / 7 % 50) as usize;
                // ~2% of calls fail, spread over time and accounts, except the
                // last account and the last endpoint, which never failed (the
                // worst cases of "errors only").
                let failed = account != 49 && i % 10 != 9 && splitmix(i).is_multiple_of(50);
                let (errcode, errmsg, kind, response) = if failed {
                    (
                        40001,
                        Some("invalid credential"),
                        Some("api"),
                        r#"{"errcode":40001,"errmsg":"invalid credential"}"#,
                    )
                } else {
                    (
                        0,
                        None,
                        None,
                        r#"{"access_token":"abcd…","expires_in":7200}"#,
                    )
                };
                ins.execute(rusqlite::params![
                    now_ms - (1_000_000 - i as i64) * 2_000,
                    endpoints[(i % 10) as usize],
                    accounts[account],
                    (i % 90) as i64 + 10,
                    errcode,
                    errmsg,
                    kind,
                    request,
                    response,
                ])
                .map_err(err("insert call log"))?;
            }
        }
        tx.commit().map_err(err("commit"))?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(err("checkpoint"))?;
        drop(conn);
        let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
        println!(
            "  (generated a {} MB database with 10,000 authorizers and 1,000,000 call-log rows in {:.1} s)",
            size / 1_000_000,
            started.elapsed().as_secs_f64()
        );
        Ok(BigDb {
            path: db,
            account: accounts[3].clone(),
            quiet: accounts[49].clone(),
            component: comp,
            // `i = 1` of the authorizer loop above (an active one).
            authorizer: format!("wx{:016x}", 7919u64 + 1),
            app,
        })
    }

    /// (e) `wxdesk app list` startup on the large database.
    pub(super) async fn startup(&mut self, db: &Path) -> Res<()> {
        for _ in 0..3 {
            self.wxdesk(db, &["app", "list"]).await?;
        }
        let mut times = Vec::new();
        for _ in 0..STARTUP_RUNS {
            let (t, v) = self.wxdesk(db, &["app", "list"]).await?;
            if v.as_array().map(Vec::len) != Some(3) {
                return Err(format!("app list printed {v}"));
            }
            times.push(t);
        }
        let (lo, hi) = (
            times.iter().min().copied().unwrap_or_default(),
            times.iter().max().copied().unwrap_or_default(),
        );
        let m = median(times);
        self.figure(
            format!(
                "startup: `wxdesk app list` on 10,000 authorizers + 1,000,000 call-log rows -> median {} of {STARTUP_RUNS} runs (min {}, max {}) (target <= 30 ms)",
                ms(m),
                ms(lo),
                ms(hi)
            ),
            m <= Duration::from_millis(30),
        );
        Ok(())
    }

    /// (f) filtered call-log page queries on the large database.
    pub(super) fn log_queries(&mut self, db: &Path, account: &str, quiet: &str) -> Res<()> {
        let desk = self.desk(db)?;
        let week_ago = wxdesk_core::store::now_ms() - 7 * 86_400_000;
        let first = desk
            .call_log(&CallLogQuery {
                account: Some(account.to_string()),
                limit: Some(100),
                ..CallLogQuery::default()
            })
            .map_err(err("log query"))?;
        let before = first.last().map(|e| e.id);
        let queries: Vec<(&str, CallLogQuery)> = vec![
            (
                "account, errors only, last 7 days",
                CallLogQuery {
                    account: Some(account.to_string()),
                    errors_only: true,
                    since_ms: Some(week_ago),
                    limit: Some(100),
                    ..CallLogQuery::default()
                },
            ),
            (
                "an account that never failed, errors only",
                CallLogQuery {
                    account: Some(quiet.to_string()),
                    errors_only: true,
                    limit: Some(100),
                    ..CallLogQuery::default()
                },
            ),
            (
                "an endpoint that never failed, errors only",
                CallLogQuery {
                    endpoint: Some("cgi-bin/openapi/quota/get".into()),
                    errors_only: true,
                    limit: Some(100),
                    ..CallLogQuery::default()
                },
            ),
            (
                "account, second page",
                CallLogQuery {
                    account: Some(account.to_string()),
                    before_id: before,
                    limit: Some(100),
                    ..CallLogQuery::default()
                },
            ),
            (
                "endpoint",
                CallLogQuery {
                    endpoint: Some("cgi-bin/stable_token".into()),
                    limit: Some(100),
                    ..CallLogQuery::default()
                },
            ),
            (
                "errors only",
                CallLogQuery {
                    errors_only: true,
                    limit: Some(100),
                    ..CallLogQuery::default()
                },
            ),
        ];
        for (label, q) in queries {
            let mut times = Vec::new();
            let mut rows = 0;
            for i in 0..QUERY_RUNS + 3 {
                let started = Instant::now();
                let page = desk.call_log(&q).map_err(err("log query"))?;
                let t = started.elapsed();
                rows = page.len();
                if i >= 3 {
                    times.push(t);
                }
            }
            let m = median(times);
            self.figure(
                format!(
                    "log query: page of {rows} rows filtered by {label}, on 1,000,000 rows -> median {} of {QUERY_RUNS} (target <= 10 ms)",
                    ms(m)
                ),
                m <= Duration::from_millis(10) && (rows > 0 || label.contains("never failed")),
            );
        }
        Ok(())
    }
}
