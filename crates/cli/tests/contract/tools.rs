//! The stateless tools, quota, rid, the call log, export and import, team mode.

use base64::Engine;
use serde_json::json;
use serde_json::Value;

use crate::harness::*;
use crate::Fx;

/// Runs this area's comparisons.
pub fn run(k: &mut Contract<'_>, f: &Fx) {
    let w = k.w;
    let Fx {
        a1,
        c1,
        c2,
        sk,
        data,
        ..
    } = f;
    // The stateless tools (no database; deterministic with a fixed random).
    let (ptok, paes) = (c1.token.clone(), c1.aes_key.clone());
    let msg = format!(
        "<xml><AppId><![CDATA[{}]]></AppId><CreateTime>1700000000</CreateTime>\
         <InfoType><![CDATA[component_verify_ticket]]></InfoType>\
         <ComponentVerifyTicket><![CDATA[ticket@@@contract]]></ComponentVerifyTicket></xml>",
        c1.appid
    );
    let msg = msg.as_str();
    let msg_file = w.write("msg.xml", msg);
    // The platform's push keys, as `encrypt push` and `decrypt push` take them.
    let keys = ["--token", &ptok, "--aes-key", &paes, "--appid", &c1.appid];
    let mut enc = vec!["encrypt", "push"];
    enc.extend(keys);
    enc.extend(["--timestamp", "1700000000", "--nonce", "n0nce"]);
    enc.extend(["--random", "0123456789abcdef"]);
    enc.extend(["--body", msg_file.to_str().unwrap()]);
    k.same(
        "tool_encrypt_push",
        &enc,
        json!({ "token": ptok, "aes_key": paes, "appid": c1.appid, "timestamp": "1700000000",
                "nonce": "n0nce", "message": msg, "random": "0123456789abcdef" }),
        &[],
    );
    let sealed = w.ok(&enc);
    let query = sealed["query"].as_str().unwrap().to_string();
    let xml_file = w.write("sealed.xml", sealed["xml"].as_str().unwrap());
    let mut dec = vec!["decrypt", "push"];
    dec.extend(keys);
    dec.extend(["--query", &query, "--body", xml_file.to_str().unwrap()]);
    k.same(
        "tool_decrypt_push",
        &dec,
        json!({ "token": ptok, "aes_key": paes, "appid": c1.appid, "query": query,
                "body": sealed["xml"] }),
        &[],
    );
    k.same(
        "tool_decrypt_data",
        &[
            "decrypt",
            "data",
            "--session-key",
            sk,
            "--iv",
            IV,
            "--data",
            data,
            "--appid",
            a1,
        ],
        json!({ "session_key": sk, "iv": IV, "data": data, "appid": a1 }),
        &[],
    );
    k.same(
        "tool_sign_raw_data",
        &[
            "sign",
            "raw-data",
            "--session-key",
            sk,
            "--raw-data",
            "{\"nickName\":\"Band\"}",
        ],
        json!({ "session_key": sk, "raw_data": "{\"nickName\":\"Band\"}" }),
        &[],
    );
    k.same(
        "tool_sign_session",
        &["sign", "session", "--session-key", sk],
        json!({ "session_key": sk }),
        &[],
    );
    k.same(
        "errcode_explain",
        &[
            "errcode",
            "61004",
            "--errmsg",
            "access clientip is not registered requestIP: 203.0.113.77",
        ],
        json!({ "errcode": 61004, "errmsg": "access clientip is not registered requestIP: 203.0.113.77" }),
        &[],
    );
    // `qr --out` writes the op's image to the file: the file is the op's image.
    let png = w.path("q.png");
    let cli = w.ok(&[
        "qr",
        "--text",
        "https://example.com/q",
        "--out",
        png.to_str().unwrap(),
    ]);
    let http = k.http(
        "qr",
        json!({ "text": "https://example.com/q", "format": "png" }),
    );
    let image = base64::engine::general_purpose::STANDARD
        .decode(http["data_base64"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        std::fs::read(&png).unwrap(),
        image,
        "qr: the file is the op's image"
    );
    assert_eq!(cli["mime"], http["mime"]);
    k.compared.insert("qr");

    // Quota, rid, call log.
    k.same(
        "quota_get",
        &[
            "quota",
            "get",
            "--appid",
            a1,
            "--cgi-path",
            "/cgi-bin/stable_token",
        ],
        json!({ "appid": a1, "cgi_path": "/cgi-bin/stable_token" }),
        &[],
    );
    k.same(
        "quota_clear",
        &["quota", "clear", "--appid", a1, "--yes"],
        json!({ "appid": a1, "confirmed": true }),
        &[],
    );
    let bad = w.err(&["phone", "--appid", a1, "--code", "bogus-code-0001"]);
    let rid = bad["rid"]
        .as_str()
        .expect("the failure names its rid")
        .to_string();
    k.same(
        "rid_lookup",
        &["rid", &rid, "--appid", a1],
        json!({ "rid": rid, "appid": a1 }),
        &[],
    );
    k.same(
        "call_log",
        &["log", "--limit", "5"],
        json!({ "limit": 5 }),
        &[],
    );
    let newest = w.ok(&["log", "--limit", "1"])[0]["id"].as_i64().unwrap();
    k.same(
        "call_log_entry",
        &["log", "--id", &newest.to_string()],
        json!({ "id": newest }),
        &[],
    );

    // Export writes the op's file to --out; import reads it back.
    let out = w.path("export.json");
    let cli = w.ok(&["export", "--out", out.to_str().unwrap()]);
    let http = k.http("export", json!({}));
    assert_eq!(cli["with_secrets"], http["with_secrets"]);
    let file = std::fs::read(&out).unwrap();
    let theirs = base64::engine::general_purpose::STANDARD
        .decode(http["content_base64"].as_str().unwrap())
        .unwrap();
    let strip = |b: &[u8]| normalise(&serde_json::from_slice::<Value>(b).unwrap());
    assert_eq!(
        strip(&file),
        strip(&theirs),
        "export: the file is the op's file"
    );
    k.compared.insert("export");
    let content = base64::engine::general_purpose::STANDARD.encode(&file);
    let f = out.to_str().unwrap();
    k.same(
        "import_preview",
        &["import", f, "--preview"],
        json!({ "content_base64": content }),
        &[],
    );
    k.same_refusal(
        "import",
        &["import", f],
        json!({ "content_base64": content }),
    );
    k.same(
        "import",
        &["import", f, "--yes"],
        json!({ "content_base64": content, "confirmed": true }),
        &[],
    );

    // Team mode: twin platforms bound to one Redis.
    let redis = crate::redis_server::RedisServer::start();
    let url = redis.url();
    let twin_t = [(c2.appid.as_str(), c1.appid.as_str())];
    k.same(
        "team_bind",
        &[
            "team",
            "bind",
            "--component",
            &c1.appid,
            "--redis",
            &url,
            "--layout",
            "wxjava-open",
        ],
        json!({ "component_appid": c2.appid, "redis_url": url, "layout": "wxjava-open" }),
        &twin_t,
    );
    k.same(
        "team_show",
        &["team", "show", &c1.appid],
        json!({ "appid": c1.appid }),
        &[],
    );
    k.same(
        "team_unbind",
        &["team", "unbind", "--component", &c1.appid],
        json!({ "component_appid": c2.appid }),
        &twin_t,
    );
}
