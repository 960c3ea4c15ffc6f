//! Shared harness of the stateful CLI tests (from wxdesk-testkit): a sandbox
//! running in the test process, a temporary database, and the real `wxdesk`
//! binary run against both, with a transcript for leak checks.
#![allow(dead_code, unused_imports)]

pub use wxdesk_testkit::cli::*;

/// `wxdesk component ticket push COMPONENT --query QUERY --json` with `body`
/// on stdin: a push delivered the way WeChat's callback would deliver it.
pub fn deliver_push(w: &World, component: &str, query: &str, body: &str) -> Run {
    w.run_with(
        &[
            "component",
            "ticket",
            "push",
            component,
            "--query",
            query,
            "--json",
        ],
        Some(body),
    )
}

/// How many authorizers `wxdesk authorizer list --status STATUS` lists
/// (`None` when its JSON is not a list).
pub fn authorizer_count(w: &World, status: &str) -> Option<usize> {
    w.ok(&["authorizer", "list", "--status", status])
        .as_array()
        .map(Vec::len)
}

/// `wxdesk component ticket push COMPONENT --query … --body FILE`, the push's
/// body first written to the file `name`: the JSON of the command.
pub fn push_from_file(
    w: &World,
    name: &str,
    component: &str,
    push: &wxdesk_sandbox::PushRecord,
) -> serde_json::Value {
    let body = w.write(name, &push.body);
    let body = body.to_str().unwrap_or_else(|| panic!("{body:?} is UTF-8"));
    w.ok(&[
        "component",
        "ticket",
        "push",
        component,
        "--query",
        &push.query,
        "--body",
        body,
    ])
}

/// The stateless `decrypt data --session-key K --iv IV --data DATA REST…`
/// (`keys`: session key, IV, data), run with exactly these arguments (no
/// database flags added); `shown` is what the transcript records.
pub fn decrypt_data_raw(w: &World, keys: [&str; 3], rest: &[&str], shown: &[&str]) -> Run {
    let [session_key, iv, data] = keys;
    let mut args = vec!["decrypt", "data", "--session-key", session_key, "--iv", iv];
    args.extend(["--data", data]);
    args.extend_from_slice(rest);
    w.run_raw(&args, None, shown)
}

/// `authorizer refresh --component COMPONENT REST…`: authorizer tokens of
/// the platform fetched again (REST: which ones, `--all` or AppIDs, and flags).
pub fn authorizer_refresh<'a>(component: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["authorizer", "refresh", "--component", component];
    args.extend_from_slice(rest);
    args
}

/// `authorizer refresh --component COMPONENT --all --force --yes`: every
/// authorizer token of the platform fetched again, confirmed.
pub fn force_refresh_all(component: &str) -> Vec<&str> {
    authorizer_refresh(component, &["--all", "--force", "--yes"])
}

/// `link KIND --component COMPONENT REST…`: a consent link of the platform
/// (KIND: `pc` or `h5`).
pub fn consent_link<'a>(kind: &'a str, component: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["link", kind, "--component", component];
    args.extend_from_slice(rest);
    args
}

/// `authorize --component COMPONENT --callback-url URL`: the authorization
/// that the consent page's redirect to `url` carries, stored.
pub fn authorize_by_callback<'a>(component: &'a str, url: &'a str) -> [&'a str; 5] {
    ["authorize", "--component", component, "--callback-url", url]
}

/// `quota get --appid APPID --cgi-path /cgi-bin/stable_token`: the quota of
/// the token endpoint the desk uses.
pub fn stable_token_quota(appid: &str) -> [&str; 6] {
    [
        "quota",
        "get",
        "--appid",
        appid,
        "--cgi-path",
        "/cgi-bin/stable_token",
    ]
}

/// The `wxdesk ARGS… --json` process against the world's sandbox and
/// database, not yet started: for tests that spawn, race or kill it.
pub fn json_command(w: &World, args: &[&str]) -> std::process::Command {
    let db = w.db().display().to_string();
    let mut cmd = w.bare();
    cmd.args(args)
        .args(["--json", "--env", "sandbox", "--sandbox-base", &w.base()])
        .args(["--db", &db]);
    cmd
}

/// `template add --component COMPONENT --draft-id DRAFT EXTRA…`: a draft
/// made a template of the library.
pub fn template_add<'a>(component: &'a str, draft: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["template", "add", "--component", component];
    args.extend(["--draft-id", draft]);
    args.extend_from_slice(extra);
    args
}

/// The ext.json template [`commit_first_version`] commits: the `{{appid}}`
/// and `{{nickname}}` placeholders.
pub const FIRST_EXT_JSON: &str = r#"{"extAppid":"{{appid}}","ext":{"shop":"{{nickname}}"}}"#;

/// `code commit` of version 1.2.0 ("first") of `template_id` to
/// `authorizer`, with [`FIRST_EXT_JSON`] written to the file `ext_file`: the
/// command's JSON.
pub fn commit_first_version(
    w: &World,
    ext_file: &str,
    authorizer: &str,
    template_id: &str,
) -> serde_json::Value {
    let ext = w.write(ext_file, FIRST_EXT_JSON);
    let ext = ext.display().to_string();
    let mut args = vec!["code", "commit", "--authorizer", authorizer];
    args.extend(["--template-id", template_id, "--version", "1.2.0"]);
    args.extend(["--desc", "first", "--ext-json", &ext]);
    w.ok(&args)
}

/// Seeds `count` (`None`: one) template drafts of `version` (with the
/// description `desc`) on platform `c`; their draft ids.
pub fn template_drafts(
    w: &World,
    c: &str,
    version: &str,
    desc: Option<&str>,
    count: Option<usize>,
) -> Vec<i64> {
    w.sandbox
        .add_template_drafts(wxdesk_sandbox::DraftSeed {
            component_appid: c.to_string(),
            user_version: Some(version.into()),
            user_desc: desc.map(str::to_string),
            pages: vec![],
            privacy_keys: None,
            count,
        })
        .unwrap()
}
