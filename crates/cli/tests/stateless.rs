//! The stateless `wxdesk` commands, exercised as a script would: through the
//! real binary, checking stdout, stderr and exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use wxdesk_testkit::cli::output_with_stdin;

fn wxdesk(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxdesk"));
    cmd.args(args)
        .env_remove("WXDESK_API_BASE")
        .env_remove("WXDESK_MP_BASE")
        .env_remove("WXDESK_OPEN_BASE");
    output_with_stdin(cmd, stdin)
}

/// `wxdesk VERB push --token T --aes-key K --appid A REST…` with `stdin`
/// (`keys`: token, EncodingAESKey, appid).
fn push(verb: &str, keys: [&str; 3], rest: &[&str], stdin: &str) -> Output {
    let [token, key, appid] = keys;
    let mut args = vec![verb, "push", "--token", token, "--aes-key", key];
    args.extend(["--appid", appid]);
    args.extend_from_slice(rest);
    wxdesk(&args, Some(stdin))
}

fn json_out(o: &Output) -> Value {
    let s = String::from_utf8_lossy(&o.stdout);
    let lines: Vec<&str> = s.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(
        lines.len(),
        1,
        "--json must print exactly one line, got {s:?}"
    );
    serde_json::from_str(lines[0]).expect("stdout is JSON")
}

fn vectors() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors/official.json");
    serde_json::from_str(&std::fs::read_to_string(&p).expect("read official.json"))
        .expect("parse vectors")
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("vector field {k}"))
}

/// The token, EncodingAESKey and appid of the push-crypto vector `v`, in the
/// order [`push`] takes them.
fn vector_keys(v: &Value) -> [&str; 3] {
    [s(v, "token"), s(v, "encoding_aes_key"), s(v, "appid")]
}

/// `wxdesk PRE… decrypt data --session-key K --iv IV --data DATA POST…` with
/// the session key and IV of the open-data vector `v`.
fn decrypt_data(v: &Value, pre: &[&str], data: &str, post: &[&str]) -> Output {
    let mut args = pre.to_vec();
    args.extend(["decrypt", "data", "--session-key", s(v, "session_key")]);
    args.extend(["--iv", s(v, "iv"), "--data", data]);
    args.extend_from_slice(post);
    wxdesk(&args, None)
}

#[test]
fn decrypt_data_matches_every_official_vector_and_json_is_the_object() {
    let all = vectors();
    let list = all["open_data"].as_array().expect("open_data");
    assert!(!list.is_empty());
    for v in list {
        let o = decrypt_data(
            v,
            &[],
            s(v, "encrypted_data"),
            &["--appid", s(v, "appid"), "--json"],
        );
        assert!(
            o.status.success(),
            "stderr: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The `tool_decrypt_data` op's view: the plaintext under `json`.
        let got = json_out(&o);
        let want: Value = serde_json::from_str(s(v, "plaintext")).unwrap();
        assert_eq!(got["json"], want);
        assert_eq!(got["watermark_appid"], s(v, "appid"));
        assert_eq!(got["watermark_checked"], true);
    }
}

#[test]
fn decrypt_data_repairs_spaces_and_reports_on_stderr() {
    let v = &vectors()["open_data"][0];
    let damaged = s(v, "encrypted_data").replace('+', " ");
    let o = decrypt_data(v, &["--json"], &damaged, &[]);
    assert!(o.status.success());
    let got = json_out(&o);
    assert_eq!(got["json"]["watermark"]["appid"], s(v, "appid"));
    assert_eq!(got["repairs"][0]["field"], "encrypted_data", "{got}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("note:") && err.contains('+'),
        "repair note expected on stderr: {err}"
    );
}

#[test]
fn watermark_mismatch_is_an_error_of_that_kind() {
    let v = &vectors()["open_data"][0];
    let o = decrypt_data(
        v,
        &[],
        s(v, "encrypted_data"),
        &["--appid", "wx0000000000000000", "--json"],
    );
    assert!(!o.status.success());
    let e = json_out(&o);
    assert_eq!(e["error"]["kind"], "watermark_mismatch");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        stderr.trim().lines().count(),
        1,
        "one clear line on stderr: {stderr}"
    );
}

#[test]
fn decrypt_push_matches_every_official_vector() {
    let all = vectors();
    let list = all["push_crypto"].as_array().expect("push_crypto");
    assert!(!list.is_empty());
    for v in list {
        let body = format!(
            "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{}]]></Encrypt></xml>",
            s(v, "encrypt")
        );
        let o = push(
            "decrypt",
            vector_keys(v),
            &[
                "--timestamp",
                s(v, "timestamp"),
                "--nonce",
                s(v, "nonce"),
                "--msg-signature",
                s(v, "msg_signature"),
                "--json",
            ],
            &body,
        );
        assert!(
            o.status.success(),
            "{}: {}",
            s(v, "id"),
            String::from_utf8_lossy(&o.stderr)
        );
        let j = json_out(&o);
        assert_eq!(j["xml"], s(v, "plaintext"), "{}", s(v, "id"));
        // Text mode prints the inner message itself.
        let t = push(
            "decrypt",
            vector_keys(v),
            &[
                "--query",
                &format!(
                    "timestamp={}&nonce={}&encrypt_type=aes&msg_signature={}",
                    s(v, "timestamp"),
                    s(v, "nonce"),
                    s(v, "msg_signature")
                ),
            ],
            &body,
        );
        assert!(t.status.success());
        assert_eq!(
            String::from_utf8_lossy(&t.stdout).trim_end(),
            s(v, "plaintext").trim_end()
        );
    }
}

#[test]
fn encrypt_push_reproduces_every_official_vector_with_its_random_prefix() {
    for v in vectors()["push_crypto"].as_array().unwrap() {
        let o = push(
            "encrypt",
            vector_keys(v),
            &[
                "--timestamp",
                s(v, "timestamp"),
                "--nonce",
                s(v, "nonce"),
                "--random",
                s(v, "random_prefix"),
                "--json",
            ],
            s(v, "plaintext"),
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let j = json_out(&o);
        assert_eq!(j["encrypt"], s(v, "encrypt"), "{}", s(v, "id"));
        assert_eq!(j["msg_signature"], s(v, "msg_signature"), "{}", s(v, "id"));
    }
}

fn roundtrip(msg: &str) {
    let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let appid = "wx134c8103faa5a59e";
    let enc = push(
        "encrypt",
        ["tok3n", key, appid],
        &["--timestamp", "1700000000", "--nonce", "42", "--json"],
        msg,
    );
    assert!(
        enc.status.success(),
        "{}",
        String::from_utf8_lossy(&enc.stderr)
    );
    let j = json_out(&enc);
    let xml = j["xml"].as_str().unwrap();
    let sig = j["msg_signature"].as_str().unwrap();
    let decrypt_with = |token: &str| {
        push(
            "decrypt",
            [token, key, appid],
            &[
                "--timestamp",
                "1700000000",
                "--nonce",
                "42",
                "--msg-signature",
                sig,
                "--json",
            ],
            xml,
        )
    };
    let dec = decrypt_with("tok3n");
    assert!(
        dec.status.success(),
        "{}",
        String::from_utf8_lossy(&dec.stderr)
    );
    assert_eq!(json_out(&dec)["xml"], msg);
    // A wrong token is refused.
    let bad = decrypt_with("other");
    assert!(!bad.status.success());
    assert_eq!(json_out(&bad)["error"]["kind"], "signature_mismatch");
}

#[test]
fn push_roundtrip_chinese_and_4kb() {
    roundtrip("<xml><AppId><![CDATA[wx134c8103faa5a59e]]></AppId><InfoType><![CDATA[component_verify_ticket]]></InfoType><ComponentVerifyTicket><![CDATA[票据@@@中文测试]]></ComponentVerifyTicket></xml>");
    let big: String = "微信第三方平台"
        .chars()
        .cycle()
        .take(4096 / 3 + 10)
        .collect();
    assert!(big.len() >= 4096);
    roundtrip(&big);
}

#[test]
fn decrypt_push_parses_fields_and_non_xml() {
    let key = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    let appid = "wx134c8103faa5a59e";
    let inner = "<xml><AppId><![CDATA[wx134c8103faa5a59e]]></AppId><CreateTime>1413192760</CreateTime><InfoType><![CDATA[authorized]]></InfoType><AuthorizerAppid>wxf8b4f85f3a794e77</AuthorizerAppid><AuthorizationCode>code123</AuthorizationCode><AuthorizationCodeExpiredTime>1413193360</AuthorizationCodeExpiredTime><PreAuthCode>pre</PreAuthCode></xml>";
    for (msg, info_type) in [(inner, Some("authorized")), ("just text, not xml", None)] {
        let enc = json_out(&push(
            "encrypt",
            ["t", key, appid],
            &["--timestamp", "1", "--nonce", "2", "--json"],
            msg,
        ));
        let dec = push(
            "decrypt",
            ["t", key, appid],
            &[
                "--query",
                &format!(
                    "https://x.example/cb?timestamp=1&nonce=2&msg_signature={}",
                    enc["msg_signature"].as_str().unwrap()
                ),
                "--json",
            ],
            enc["xml"].as_str().unwrap(),
        );
        assert!(
            dec.status.success(),
            "{}",
            String::from_utf8_lossy(&dec.stderr)
        );
        let j = json_out(&dec);
        match info_type {
            Some(t) => {
                assert_eq!(j["info_type"], t);
                assert_eq!(j["fields"]["AuthorizerAppid"], "wxf8b4f85f3a794e77");
                assert_eq!(j["fields"]["AuthorizationCode"], "code123");
            }
            None => {
                assert!(j["info_type"].is_null());
                assert_eq!(j["fields"], serde_json::json!({}));
            }
        }
        assert_eq!(j["appid"], appid);
    }
}

/// `wxdesk sign KIND --session-key K FLAG VALUE REST…` of the signature
/// vector `v` (`what`: KIND, FLAG and the vector field holding VALUE).
fn sign(v: &Value, what: [&str; 3], rest: &[&str]) -> Output {
    let [kind, flag, field] = what;
    let mut args = vec!["sign", kind, "--session-key", s(v, "session_key")];
    args.extend([flag, s(v, field)]);
    args.extend_from_slice(rest);
    wxdesk(&args, None)
}

#[test]
fn signatures_match_official_vectors() {
    let all = vectors();
    for v in all["raw_data_signature"].as_array().unwrap() {
        let o = sign(v, ["raw-data", "--raw-data", "raw_data"], &[]);
        assert!(o.status.success());
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), s(v, "signature"));
    }
    for v in all["session_signature"].as_array().unwrap() {
        let o = sign(v, ["session", "--message", "message"], &["--json"]);
        assert!(o.status.success());
        assert_eq!(json_out(&o)["signature"], s(v, "signature"));
    }
}

/// `wxdesk link KIND --component-appid wx134c8103faa5a59e --pre-auth-code
/// CODE --redirect-uri URL REST…` (`link`: KIND, CODE and URL).
fn link(link: [&str; 3], rest: &[&str]) -> Output {
    let [kind, pre_auth_code, redirect_uri] = link;
    let mut args = vec!["link", kind, "--component-appid", "wx134c8103faa5a59e"];
    args.extend(["--pre-auth-code", pre_auth_code]);
    args.extend(["--redirect-uri", redirect_uri]);
    args.extend_from_slice(rest);
    wxdesk(&args, None)
}

#[test]
fn links_use_current_hosts_and_name_bad_fields() {
    let pc = json_out(&link(
        ["pc", "preauthcode@@@x", "https://a.example/cb?x=1"],
        &["--auth-type", "2", "--category-ids", "1,18", "--json"],
    ));
    let url = pc["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://mp.weixin.qq.com/cgi-bin/componentloginpage?"),
        "{url}"
    );
    assert!(
        url.contains("redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1"),
        "{url}"
    );
    assert!(url.contains("auth_type=2"));
    let h5 = String::from_utf8(link(["h5", "p", "https://a.example/cb"], &[]).stdout).unwrap();
    assert!(
        h5.trim().starts_with(
            "https://open.weixin.qq.com/wxaopen/safe/bindcomponent?action=bindcomponent&no_scan=1&"
        ),
        "{h5}"
    );
    assert!(h5.trim().ends_with("#wechat_redirect"));
    let fr = json_out(&wxdesk(
        &[
            "link",
            "fastregister",
            "--component-appid",
            "wx134c8103faa5a59e",
            "--appid",
            "wx28f759479ea1e090",
            "--redirect-uri",
            "https://a.example/cb",
            "--json",
            "--mp-base",
            "http://127.0.0.1:9",
        ],
        None,
    ));
    assert!(fr["url"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:9/cgi-bin/fastregisterauth?"));
    // Bad input: the field is named, exit non-zero, JSON error on stdout.
    let bad = link(["pc", "p", "ftp://x"], &["--json"]);
    assert!(!bad.status.success());
    let e = json_out(&bad);
    assert_eq!(e["error"]["kind"], "invalid_input");
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("redirect_uri"));
    let bad = link(["h5", "p", "https://a.example"], &["--auth-type", "7"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("auth_type"));
}

#[test]
fn qr_writes_png_and_svg_of_the_requested_size() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("a.png");
    let o = wxdesk(
        &[
            "qr",
            "--text",
            "https://open.weixin.qq.com/x",
            "--out",
            png.to_str().unwrap(),
            "--size",
            "300",
            "--json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    assert!((200..=300).contains(&width), "width {width}");
    let svg = dir.path().join("a.svg");
    assert!(wxdesk(
        &[
            "qr",
            "--text",
            "hello",
            "--out",
            svg.to_str().unwrap(),
            "--size",
            "256"
        ],
        None
    )
    .status
    .success());
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("<svg") && text.contains("256"));
    let bad = wxdesk(
        &[
            "qr",
            "--text",
            "x",
            "--out",
            dir.path().join("a.gif").to_str().unwrap(),
            "--json",
        ],
        None,
    );
    assert!(!bad.status.success());
    assert!(json_out(&bad)["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--out"));
}

#[test]
fn errcode_known_unknown_and_ip_extraction() {
    let j = json_out(&wxdesk(&["errcode", "40001", "--json"], None));
    assert_eq!(j["errcode"], 40001);
    for k in ["zh", "en", "hint"] {
        assert!(!j[k].as_str().unwrap().is_empty(), "{k}");
    }
    let j = json_out(&wxdesk(&["errcode", "-1", "--json"], None));
    assert_eq!(j["errcode"], -1);
    let j = json_out(&wxdesk(&["--json", "errcode", "61004", "--errmsg", "access clientip is not registered, not in whitelist, invalid ip 203.0.113.7 rid: 1-2-3"], None));
    assert!(j["hint"].as_str().unwrap().contains("203.0.113.7"));
    let unknown = wxdesk(&["errcode", "999999"], None);
    assert!(unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stdout).contains("unknown"));
}

#[test]
fn usage_errors_are_one_line_and_json_when_asked() {
    let o = wxdesk(&["decrypt", "data", "--iv", "x", "--json"], None);
    assert_eq!(o.status.code(), Some(2));
    let e = json_out(&o);
    assert!(e["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--session-key"));
    assert_eq!(String::from_utf8_lossy(&o.stderr).trim().lines().count(), 1);
}
