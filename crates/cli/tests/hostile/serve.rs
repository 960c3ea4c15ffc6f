//! HTTP requests to `wxdesk serve`: no or wrong credentials, foreign Host and
//! Origin headers, bodies that are too big, not JSON or not UTF-8, unknown
//! operations, numbers out of range, wrong methods and content types, path
//! tricks, and operations that must never be reachable over HTTP.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::rc::Rc;

use crate::common::{random_appid, random_secret};
use crate::harness::{Case, Expect, Fx, Outcome};

/// A running `wxdesk serve` and the cookie its token URL gave.
struct Serve {
    child: Child,
    url: String,
    base: String,
    cookie: String,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(fx: &Fx) -> Serve {
    let token = fx.secret(&random_secret());
    // A UI folder, and beside it a file no request may reach.
    let ui = fx.world.path("ui");
    std::fs::create_dir_all(&ui).unwrap();
    std::fs::write(
        ui.join("index.html"),
        "<!doctype html><title>wxdesk ui</title>",
    )
    .unwrap();
    let outside = fx.secret(&random_secret());
    std::fs::write(fx.world.path("outside.txt"), &outside).unwrap();
    let ui = ui.display().to_string();
    let mut child = fx
        .world
        .bare()
        .args([
            "serve",
            "--port",
            "0",
            "--ui-dir",
            &ui,
            "--token",
            &token,
            "--env",
            "sandbox",
            "--sandbox-base",
            &fx.world.base(),
            "--db",
            &fx.db(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().to_string();
    let base = url
        .split("/?")
        .next()
        .unwrap_or(&url)
        .trim_end_matches('/')
        .to_string();
    let cookie = fx.world.rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let r = http.get(&url).send().await.expect("the token URL answers");
        r.headers()
            .get(reqwest::header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or_default()
            .to_string()
    });
    assert!(!cookie.is_empty(), "the token URL sets a cookie ({url})");
    Serve {
        child,
        url,
        base,
        cookie,
    }
}

/// One request.
struct Req {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    cookie: bool,
    /// Use the token URL itself (with no cookie).
    token_url: bool,
}

fn req(path: &str, body: impl Into<Vec<u8>>) -> Req {
    Req {
        method: "POST",
        path: path.to_string(),
        headers: Vec::new(),
        body: body.into(),
        cookie: true,
        token_url: false,
    }
}

impl Req {
    fn header(mut self, k: &'static str, v: impl Into<String>) -> Req {
        self.headers.push((k, v.into()));
        self
    }
    fn method(mut self, m: &'static str) -> Req {
        self.method = m;
        self
    }
    fn no_cookie(mut self) -> Req {
        self.cookie = false;
        self
    }
}

fn send(fx: &Fx, s: &Serve, r: &Req) -> Outcome {
    let url = if r.token_url {
        s.url.clone()
    } else {
        format!("{}{}", s.base, r.path)
    };
    fx.world.rt.block_on(async {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let method = reqwest::Method::from_bytes(r.method.as_bytes()).unwrap();
        let mut b = http.request(method, &url).body(r.body.clone());
        if r.cookie {
            b = b.header(reqwest::header::COOKIE, &s.cookie);
        }
        for (k, v) in &r.headers {
            b = b.header(*k, v);
        }
        match b.send().await {
            Err(e) => Outcome {
                raw: format!("request failed: {e}"),
                ..Outcome::default()
            },
            Ok(resp) => {
                let status = resp.status().as_u16();
                let headers = format!("{:?}", resp.headers());
                let text = resp.text().await.unwrap_or_default();
                let json: serde_json::Value =
                    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
                Outcome {
                    ok: (200..300).contains(&status),
                    kind: json["code"].as_str().unwrap_or("").to_string(),
                    message: json["message"].as_str().unwrap_or("").to_string(),
                    status: Some(status),
                    raw: format!("{status} {headers}\n{text}"),
                    json,
                    run: None,
                }
            }
        }
    })
}

pub fn cases(fx: &Fx) -> Vec<Case> {
    let s = Rc::new(start(fx));
    let port = s.base.rsplit(':').next().unwrap_or("0").to_string();
    let new_secret = fx.secret(&random_secret());
    let row = |name: &str, r: Req, expect: Expect| {
        let s = s.clone();
        Case::new(name, move |fx: &Fx| send(fx, &s, &r), expect)
    };
    let h = Expect::Http;
    let big = format!("{{\"appid\":\"{}\"}}", "a".repeat(3 << 20));
    let mut rows = vec![
        row(
            "a valid request (a result)",
            req("/api/op/app_list", "{}"),
            h(200, ""),
        ),
        row(
            "no cookie",
            req("/api/op/app_list", "{}").no_cookie(),
            h(401, "unauthorized"),
        ),
        row(
            "a forged cookie",
            req("/api/op/app_list", "{}")
                .no_cookie()
                .header("cookie", "wxdesk_token=forged"),
            h(401, "unauthorized"),
        ),
        row(
            "a wrong bearer token",
            req("/api/op/app_list", "{}")
                .no_cookie()
                .header("authorization", "Bearer 0000000000000000"),
            h(401, "unauthorized"),
        ),
        row(
            "a bearer token in Chinese",
            req("/api/op/app_list", "{}")
                .no_cookie()
                .header("authorization", "Bearer 令牌令牌令牌令牌"),
            h(401, "unauthorized"),
        ),
        row(
            "a foreign Host",
            req("/api/op/app_list", "{}").header("host", "evil.example"),
            h(403, ""),
        ),
        row(
            "a Host that only starts like ours",
            req("/api/op/app_list", "{}").header("host", format!("127.0.0.1.evil.example:{port}")),
            h(403, ""),
        ),
        row(
            "a foreign Origin",
            req("/api/op/app_list", "{}").header("origin", "http://evil.example"),
            h(403, ""),
        ),
        row(
            "Origin null",
            req("/api/op/app_list", "{}").header("origin", "null"),
            h(403, ""),
        ),
        row(
            "a body that is not JSON",
            req("/api/op/app_list", "{"),
            h(400, "invalid_input"),
        ),
        row(
            "a body that is not UTF-8",
            req("/api/op/app_show", vec![b'{', 0xff, 0xfe, b'}']),
            h(400, "invalid_input"),
        ),
        row("a 3 MB body", req("/api/op/app_show", big), h(413, "")),
        row(
            "20,000 nested arrays",
            req(
                "/api/op/app_list",
                format!("{}{}", "[".repeat(20_000), "]".repeat(20_000)),
            ),
            h(400, "invalid_input"),
        ),
        row(
            "an unknown operation",
            req("/api/op/drop_tables", "{}"),
            h(400, "invalid_input"),
        ),
        row(
            "an operation named in Chinese",
            req("/api/op/%E5%BA%94%E7%94%A8", "{}"),
            h(400, "invalid_input"),
        ),
        row(
            "an operation name of 10 KB",
            req(&format!("/api/op/{}", "a".repeat(10_000)), "{}"),
            h(400, "invalid_input"),
        ),
        row(
            "an argument of the wrong type",
            req("/api/op/app_show", r#"{"appid":5}"#),
            h(400, "invalid_input"),
        ),
        row(
            "an unknown argument",
            req(
                "/api/op/app_show",
                r#"{"appid":"wx0123456789abcdef","drop":true}"#,
            ),
            h(400, "invalid_input"),
        ),
    ];
    // Numbers out of range in the call log's query.
    for (name, body) in [
        ("a number beyond f64", r#"{"limit":1e400}"#),
        ("a number beyond u32", r#"{"limit":18446744073709551616}"#),
        ("a negative page size", r#"{"limit":-1}"#),
        ("since beyond i64", r#"{"since_ms":99999999999999999999}"#),
    ] {
        let r = req("/api/op/call_log", body);
        rows.push(row(name, r, h(400, "invalid_input")));
    }
    rows.extend([
        row(
            "text/plain content type (a result)",
            req("/api/op/app_list", "{}").header("content-type", "text/plain"),
            h(200, ""),
        ),
        row(
            "GET on an operation",
            req("/api/op/app_list", "").method("GET"),
            h(405, ""),
        ),
        row(
            "an unknown API route",
            req("/api/v2/everything", "{}"),
            h(404, "not_found"),
        ),
        row(
            "a path escaping the UI folder (the UI's page, never the file)",
            req("/..%2Foutside.txt", "").method("GET"),
            h(200, ""),
        ),
        row(
            "a dotted path escaping the UI folder (the UI's page, never the file)",
            req("/assets/..%2F..%2Foutside.txt", "").method("GET"),
            h(200, ""),
        ),
        row(
            "an app added with its secret: the answer masks it",
            req(
                "/api/op/app_add",
                format!(
                    r#"{{"appid":"{}","secret":"{new_secret}","name":"Web"}}"#,
                    random_appid()
                ),
            ),
            h(200, ""),
        ),
        row(
            "save_file is not reachable",
            req(
                "/api/op/save_file",
                r#"{"path":"/tmp/wxdesk-hostile-owned","content_base64":"b3duZWQ="}"#,
            ),
            h(403, "desktop_only"),
        ),
        row(
            "the token URL a second time",
            Req {
                token_url: true,
                ..req("/", "").method("GET").no_cookie()
            },
            h(401, ""),
        ),
    ]);
    rows
}
