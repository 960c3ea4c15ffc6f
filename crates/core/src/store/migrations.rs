//! Versioned schema migrations.
//!
//! The schema version is SQLite's `user_version`; each entry below moves the
//! database one version forward and is never edited once released. Tests
//! migrate an empty database and a database at every earlier version.

use rusqlite_migration::{Migrations, M};

/// Version 1: the whole model.
const V1: &str = r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE apps (
    appid      TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    secret     TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE components (
    appid        TEXT PRIMARY KEY,
    name         TEXT NOT NULL DEFAULT '',
    secret       TEXT,
    token        TEXT,
    aes_key      TEXT,
    redirect_uri TEXT,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    component_appid TEXT NOT NULL REFERENCES components(appid) ON DELETE CASCADE,
    ticket          TEXT NOT NULL,
    source          TEXT NOT NULL CHECK (source IN ('manual', 'push')),
    received_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX tickets_by_component ON tickets(component_appid, received_at DESC);

CREATE TABLE authorizers (
    component_appid TEXT NOT NULL REFERENCES components(appid) ON DELETE CASCADE,
    appid           TEXT NOT NULL,
    refresh_token   TEXT,
    func_info       TEXT NOT NULL DEFAULT '[]',
    info            TEXT,
    nick_name       TEXT NOT NULL DEFAULT '',
    account_type    TEXT NOT NULL DEFAULT 'unknown' CHECK (account_type IN ('mini_program', 'official_account', 'unknown')),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
    authorized_at   INTEGER,
    revoked_at      INTEGER,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (component_appid, appid)
) STRICT;
CREATE INDEX authorizers_by_appid ON authorizers(appid);

CREATE TABLE tokens (
    env        TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('app_stable', 'app_legacy', 'component', 'authorizer')),
    owner      TEXT NOT NULL,
    value      TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    source     TEXT NOT NULL,
    fetched_at INTEGER NOT NULL,
    PRIMARY KEY (env, kind, owner)
) STRICT;

CREATE TABLE token_leases (
    env        TEXT NOT NULL,
    kind       TEXT NOT NULL,
    owner      TEXT NOT NULL,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    PRIMARY KEY (env, kind, owner)
) STRICT;

CREATE TABLE force_refreshes (
    env   TEXT NOT NULL,
    appid TEXT NOT NULL,
    at    INTEGER NOT NULL
) STRICT;
CREATE INDEX force_refreshes_by_app ON force_refreshes(env, appid, at);

CREATE TABLE sessions (
    appid         TEXT NOT NULL,
    openid        TEXT NOT NULL,
    unionid       TEXT,
    session_key   TEXT NOT NULL,
    via_component TEXT,
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (appid, openid)
) STRICT;

CREATE TABLE fastregister_tasks (
    id              INTEGER PRIMARY KEY,
    component_appid TEXT NOT NULL REFERENCES components(appid) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('enterprise', 'personal', 'beta', 'offiaccount')),
    task_key        TEXT NOT NULL,
    request         TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_code     INTEGER,
    authorize_url   TEXT,
    new_appid       TEXT,
    result          TEXT,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (component_appid, kind, task_key)
) STRICT;

CREATE TABLE call_log (
    id          INTEGER PRIMARY KEY,
    at_ms       INTEGER NOT NULL,
    endpoint    TEXT NOT NULL,
    method      TEXT NOT NULL,
    account     TEXT,
    attempt     INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    http_status INTEGER,
    errcode     INTEGER,
    errmsg      TEXT,
    error_kind  TEXT,
    request     TEXT NOT NULL,
    response    TEXT
) STRICT;
CREATE INDEX call_log_at ON call_log(at_ms);
CREATE INDEX call_log_account_at ON call_log(account, at_ms);
CREATE INDEX call_log_endpoint_at ON call_log(endpoint, at_ms);
"#;

/// Version 2: a partial index so "errors only" pages of the call log stay fast at a million rows.
const V2: &str = r#"
CREATE INDEX call_log_failed_at ON call_log(at_ms) WHERE error_kind IS NOT NULL;
"#;

/// Version 3: "errors only" pages of one account or one endpoint. Without
/// these, such a page walks every row of that account (or endpoint) looking
/// for failures; for an account that rarely fails that is its whole history
/// (measured: 11 ms for 20,000 rows, over the 10 ms target). Partial indexes
/// hold only failed calls, so the page is a short index walk.
const V3: &str = r#"
CREATE INDEX call_log_account_failed_at ON call_log(account, at_ms) WHERE error_kind IS NOT NULL;
CREATE INDEX call_log_endpoint_failed_at ON call_log(endpoint, at_ms) WHERE error_kind IS NOT NULL;
"#;

/// Version 4: tickets and tokens are only replaced by newer ones.
///
/// - `tokens.generation` (drawn from the one-row `token_generation`
///   counter, so a deleted and re-created token never repeats a generation)
///   and `authorizers.generation`: compare-and-set counters, so a token (or refresh token) write whose refresh lease
///   expired mid-call cannot overwrite a value written after it started.
/// - `authorizers.spare_refresh_token` (sealed, with `spare_at`): a rotated
///   refresh token WeChat returned to such a late call is kept here instead
///   of being dropped; a refresh whose stored token WeChat rejects tries it.
/// - `tickets.create_time` (the push's `CreateTime`, or the arrival time of a
///   pasted ticket), `tickets.current` and `tickets.rejected`: a ticket push
///   that is older than the current ticket, more than 12 h old or from the
///   future is recorded but not current, with the reason.
const V4: &str = r#"
ALTER TABLE tokens ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
CREATE TABLE token_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO token_generation (id, n) VALUES (1, 0);
ALTER TABLE authorizers ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE authorizers ADD COLUMN spare_refresh_token TEXT;
ALTER TABLE authorizers ADD COLUMN spare_at INTEGER;
ALTER TABLE tickets ADD COLUMN create_time INTEGER;
ALTER TABLE tickets ADD COLUMN current INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1));
ALTER TABLE tickets ADD COLUMN rejected TEXT;
"#;

/// Version 5 (team mode): a platform or mini program bound to a shared token
/// store on Redis. `url` is sealed in the vault (`team_bindings.url`) when it
/// carries a password; `url_display` is the printable `redis://host:port/db`.
const TEAM_BINDINGS: &str = r#"
CREATE TABLE team_bindings (
    kind        TEXT NOT NULL CHECK (kind IN ('component', 'app')),
    appid       TEXT NOT NULL,
    url         TEXT NOT NULL,
    url_sealed  INTEGER NOT NULL CHECK (url_sealed IN (0, 1)),
    url_display TEXT NOT NULL,
    layout      TEXT NOT NULL CHECK (layout IN ('wxjava-open', 'wxjava-ma', 'silenceper', 'wechatpy', 'wxdesk')),
    prefix      TEXT,
    codec       TEXT NOT NULL CHECK (codec IN ('raw', 'json')),
    mode        TEXT NOT NULL CHECK (mode IN ('read-only', 'read-write')),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (kind, appid)
) STRICT;
"#;

/// Version 6: the push inbox. Every push received (by `wxdesk receive`, pasted,
/// or from the sandbox) is kept as received: the raw query and the raw
/// encrypted body (no plaintext secret), the decoded fields with every secret
/// masked, and what was done with it. `dedupe_key` is unique among received
/// pushes, so WeChat's retries of one push are stored and applied once.
const INBOX: &str = r#"
CREATE TABLE pushes (
    id               INTEGER PRIMARY KEY,
    received_at      INTEGER NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('receive', 'paste')),
    url_kind         TEXT NOT NULL CHECK (url_kind IN ('component', 'message')),
    component_appid  TEXT NOT NULL,
    authorizer_appid TEXT,
    info_type        TEXT,
    query            TEXT NOT NULL,
    body             TEXT NOT NULL,
    decoded          TEXT,
    outcome          TEXT NOT NULL,
    error            TEXT,
    dedupe_key       TEXT NOT NULL,
    applied_at       INTEGER,
    forwarded        TEXT
) STRICT;
CREATE UNIQUE INDEX pushes_receive_dedupe ON pushes (dedupe_key) WHERE source = 'receive';
CREATE INDEX pushes_component_id ON pushes (component_appid, id);
"#;

/// A platform's `receive` base URL (where `wxdesk receive` answers), for
/// the console settings and the permanent authorization link.
const RECEIVE_URL: &str = r#"
ALTER TABLE components ADD COLUMN receive_url TEXT;
"#;

/// Version 8 (code management): the latest known version state of each
/// mini program the platform manages — experience version, the audit in
/// flight or last ended (its auditid, status word, reason and screenshot
/// media ids as a JSON array), the audited and the released version, with
/// times — so screens and batches show it without a call. Written by the
/// commit/submit/status/release operations and by `weapp_audit_*` pushes.
const WXA_VERSIONS: &str = r#"
CREATE TABLE wxa_versions (
    appid              TEXT PRIMARY KEY,
    component_appid    TEXT NOT NULL,
    template_id        INTEGER,
    exp_version        TEXT,
    exp_desc           TEXT,
    committed_at       INTEGER,
    auditid            INTEGER,
    audit_status       TEXT CHECK (audit_status IN ('success', 'rejected', 'auditing', 'withdrawn', 'delayed', 'unknown')),
    audit_version      TEXT,
    submitted_at       INTEGER,
    audit_updated_at   INTEGER,
    audit_reason       TEXT,
    audit_screenshots  TEXT,
    audited_version    TEXT,
    audited_at         INTEGER,
    released_version   TEXT,
    released_at        INTEGER,
    updated_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX wxa_versions_component ON wxa_versions (component_appid, appid);
"#;

/// The paid phone-number meter: successful `getuserphonenumber` calls per
/// mini program, China day and component, kept in step with the call log so
/// the counts survive its pruning (backfilled from the log as it stands), and
/// each mini program's component setting (fast or real-time verification).
const PHONE_METER: &str = r#"
CREATE TABLE phone_meter_counts (
    appid     TEXT NOT NULL,
    day       TEXT NOT NULL,
    component TEXT NOT NULL CHECK (component IN ('fast', 'realtime')),
    calls     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (appid, day, component)
) STRICT;
CREATE INDEX phone_meter_counts_day ON phone_meter_counts (day);
CREATE TABLE phone_meter_apps (
    appid     TEXT PRIMARY KEY,
    component TEXT NOT NULL CHECK (component IN ('fast', 'realtime'))
) STRICT;
INSERT INTO phone_meter_counts (appid, day, component, calls)
SELECT account, strftime('%Y-%m-%d', at_ms / 1000, 'unixepoch', '+8 hours'), 'fast', COUNT(*)
FROM call_log
WHERE endpoint = 'wxa/business/getuserphonenumber' AND errcode = 0 AND error_kind IS NULL AND account IS NOT NULL
GROUP BY 1, 2;
"#;

/// Notes and tags an operator keeps on each merchant (authorizer).
const MERCHANT_NOTES: &str = r#"
CREATE TABLE merchant_notes (
    component_appid TEXT NOT NULL,
    appid           TEXT NOT NULL,
    notes           TEXT NOT NULL DEFAULT '',
    tags            TEXT NOT NULL DEFAULT '[]',
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (component_appid, appid),
    FOREIGN KEY (component_appid, appid) REFERENCES authorizers (component_appid, appid) ON DELETE CASCADE
) STRICT;
"#;

/// Release profiles and resumable batches (issue 10). A profile is what a
/// platform applies to its merchants: a template, an ext_json template with
/// per-merchant variables, domains, a privacy guide and audit defaults (JSON
/// text; no secret). A batch and each merchant's step state are written
/// BEFORE a consuming call is sent (`sending`), then its outcome, so a resumed
/// batch reconciles instead of sending twice.
const RELEASE_BATCHES: &str = r#"
CREATE TABLE release_profiles (
    component_appid TEXT NOT NULL,
    name            TEXT NOT NULL,
    body            TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (component_appid, name)
) STRICT;
CREATE TABLE batches (
    id              TEXT PRIMARY KEY,
    component_appid TEXT NOT NULL,
    profile         TEXT NOT NULL,
    steps           TEXT NOT NULL,
    concurrency     INTEGER NOT NULL,
    plan            TEXT NOT NULL,
    state           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    runner          TEXT,
    lease_until     INTEGER
) STRICT;
CREATE TABLE batch_items (
    batch_id    TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    appid       TEXT NOT NULL,
    step        INTEGER NOT NULL,
    phase       TEXT NOT NULL,
    sending_at  INTEGER,
    auditid     INTEGER,
    before      TEXT,
    errcode     INTEGER,
    error       TEXT,
    hint        TEXT,
    hint_zh     TEXT,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (batch_id, appid)
) STRICT;
"#;

/// Team mode over TLS with the operator's own CA: the CA certificate (PEM)
/// a `rediss://` binding trusts instead of the public web roots. Not a secret.
const TEAM_REDIS_CA: &str = r#"
ALTER TABLE team_bindings ADD COLUMN ca_pem TEXT;
"#;

/// Waiting states are not failures (issue 11): rows logged before the
/// recorder knew that fast registration's 89251 / 89252 report a state still
/// in progress lose their error kind, so failure counts and "errors only"
/// leave them out. The codes are `wxdesk_wechat::catalogue::WAITING` (a test
/// checks they agree).
const WAITING_STATES: &str = r#"
UPDATE call_log SET error_kind = NULL WHERE error_kind = 'api' AND errcode IN (89251, 89252);
"#;

/// The merchants list is newest authorization first, a page at a time: this
/// index gives that order without sorting every row of a 10,000-merchant
/// platform for each page (issue 11's screen switches).
const AUTHORIZERS_NEWEST: &str = r#"
CREATE INDEX authorizers_newest ON authorizers(authorized_at DESC, appid, component_appid);
"#;

/// Every migration, oldest first.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4),
        M::up(TEAM_BINDINGS),
        M::up(INBOX),
        M::up(RECEIVE_URL),
        M::up(WXA_VERSIONS),
        M::up(PHONE_METER),
        M::up(MERCHANT_NOTES),
        M::up(RELEASE_BATCHES),
        M::up(TEAM_REDIS_CA),
        M::up(WAITING_STATES),
        M::up(AUTHORIZERS_NEWEST),
    ])
}

/// The schema version after all migrations.
pub const LATEST_VERSION: usize = 14;

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    fn indexes(conn: &Connection) -> Vec<String> {
        let mut st = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'call_log_%' ORDER BY name")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn migrates_from_empty_and_from_every_earlier_version() {
        for from in 0..LATEST_VERSION {
            let mut conn = Connection::open_in_memory().unwrap();
            let m = migrations();
            if from > 0 {
                m.to_version(&mut conn, from).unwrap();
                conn.execute(
                    "INSERT INTO call_log (at_ms, endpoint, method, account, attempt, duration_ms, error_kind, request) \
                     VALUES (1, 'cgi-bin/token', 'GET', 'wx0000000000000001', 1, 5, 'api', '{}')",
                    [],
                )
                .unwrap();
            }
            m.to_latest(&mut conn).unwrap();
            let v: i64 = conn
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(v, LATEST_VERSION as i64, "from version {from}");
            let idx = indexes(&conn);
            for name in [
                "call_log_account_failed_at",
                "call_log_endpoint_failed_at",
                "call_log_failed_at",
            ] {
                assert!(idx.iter().any(|i| i == name), "from {from}: {idx:?}");
            }
            let rows: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM call_log INDEXED BY call_log_account_failed_at WHERE account = 'wx0000000000000001' AND error_kind IS NOT NULL",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(
                rows,
                i64::from(from > 0),
                "from {from}: existing rows are indexed"
            );
        }
        migrations().validate().unwrap();
    }

    #[test]
    fn waiting_states_logged_as_failures_are_reclassified() {
        // The migration is frozen with the two codes the catalogue listed
        // when it was written; a waiting code added later needs a new one.
        for code in [89251, 89252] {
            assert!(WAITING_STATES.contains(&code.to_string()), "{code}");
        }
        // WAITING_STATES is version 13: start just before it.
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 12).unwrap();
        for (code, kind) in [
            (89251, "api"),
            (89252, "api"),
            (40125, "api"),
            (89251, "timeout"),
        ] {
            conn.execute(
                "INSERT INTO call_log (at_ms, endpoint, method, attempt, duration_ms, errcode, error_kind, request) \
                 VALUES (1, 'wxa/component/fastregisterweapp', 'POST', 1, 5, ?1, ?2, '{}')",
                rusqlite::params![code, kind],
            )
            .unwrap();
        }
        migrations().to_latest(&mut conn).unwrap();
        let failed: Vec<(i64, String)> = conn
            .prepare(
                "SELECT errcode, error_kind FROM call_log WHERE error_kind IS NOT NULL ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            failed,
            vec![(40125, "api".into()), (89251, "timeout".into())]
        );
    }
}
