//! `wxdesk receive` and `wxdesk inbox` as scripts use them: the first stdout
//! line is the base URL, the sandbox's pushes land in the inbox and are
//! applied, and an entry can be applied again.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

use common::*;
use wxdesk_sandbox::ComponentSeed;

/// Kills the receiver when the test ends, pass or fail.
struct Receiver(Child);

impl Drop for Receiver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn receive_prints_its_base_url_and_the_inbox_lists_what_it_stored() {
    let w = World::start();
    let c = w.component_without_ticket();
    let db = w.db().display().to_string();
    let mut child = w
        .bare()
        .args([
            "receive",
            "--listen",
            "127.0.0.1:0",
            "--env",
            "sandbox",
            "--sandbox-base",
            &w.base(),
            "--db",
            &db,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let rx = Receiver(child);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let base = first.trim().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(!base.ends_with(":0"), "a free port was picked: {base}");

    w.sandbox.add_component(ComponentSeed {
        appid: c.appid.clone(),
        secret: c.secret.clone(),
        token: c.token.clone(),
        encoding_aes_key: c.aes_key.clone(),
        push_url: Some(format!("{base}/wechat/component/{}", c.appid)),
        name: None,
    });
    let push = w.rt.block_on(w.sandbox.push_ticket(&c.appid)).unwrap();
    assert_eq!(push.delivered, Some(200), "{:?}", push.error);

    let mut entry = serde_json::Value::Null;
    for _ in 0..100 {
        let v = w.ok(&["inbox", "--component", &c.appid]);
        entry = v[0].clone();
        if entry["outcome"] != "received" {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(entry["outcome"], "applied", "{entry}");
    assert_eq!(entry["info_type"], "component_verify_ticket");
    assert_eq!(entry["source"], "receive");
    let status = w.ok(&["component", "ticket", "status", &c.appid]);
    assert_eq!(status["valid"], true, "{status}");

    let none = w.ok(&["inbox", "--component", &c.appid, "--errors"]);
    assert_eq!(none.as_array().unwrap().len(), 0);
    let id = entry["id"].as_i64().unwrap().to_string();
    let again = w.ok(&["inbox", "apply", &id]);
    assert_eq!(again["outcome"], "applied");
    let text = w.text(&["inbox", "--type", "component_verify_ticket"]);
    assert!(
        text.contains(&c.appid) && text.contains("applied"),
        "{text}"
    );
    drop(rx);
}

#[test]
fn bad_flags_name_the_flag() {
    let w = World::start();
    let e = w.err(&["receive", "--forward", "nonsense"]);
    assert!(e["message"].as_str().unwrap().contains("--forward"), "{e}");
    let e = w.err(&["receive", "--forward", "wx0123456789abcdef=ftp://x"]);
    assert!(e["message"].as_str().unwrap().contains("http"), "{e}");
    let e = w.err(&["inbox", "--limit", "0"]);
    assert!(e["message"].as_str().unwrap().contains("limit"), "{e}");
    let e = w.err(&["inbox", "apply", "424242"]);
    assert_eq!(e["kind"], "not_found", "{e}");
}

#[test]
fn the_receive_url_flag_stores_it_and_link_prints_the_permanent_link() {
    let w = World::start();
    let c = w.component();
    let e = w.err(&[
        "component",
        "update",
        &c.appid,
        "--receive-url",
        "wx.example.com",
    ]);
    assert!(
        e["message"].as_str().unwrap().contains("receive_url"),
        "{e}"
    );
    let v = w.ok(&[
        "component",
        "update",
        &c.appid,
        "--receive-url",
        "https://wx.example.com",
    ]);
    assert_eq!(
        v["receive"]["component_push_url"],
        format!("https://wx.example.com/wechat/component/{}", c.appid)
    );
    let shown = w.text(&["component", "show", &c.appid]);
    assert!(shown.contains("$APPID$"), "{shown}");
    let text = w.text(&consent_link(
        "pc",
        &c.appid,
        &["--redirect-uri", "https://m.example.com/cb"],
    ));
    assert!(
        text.contains(&format!(
            "permanent link (served by `wxdesk receive`, a fresh code on every view): https://wx.example.com/wechat/authorize/{}?type=pc",
            c.appid
        )),
        "{text}"
    );
    let h5 = [
        "--redirect-uri",
        "https://m.example.com/cb",
        "--auth-type",
        "2",
    ];
    let v = w.ok(&consent_link("h5", &c.appid, &h5));
    assert_eq!(
        v["permanent_url"],
        format!(
            "https://wx.example.com/wechat/authorize/{}?type=h5&auth_type=2",
            c.appid
        )
    );
}
