//! CLI flags: non-ASCII text in every kind of flag, numbers out of range,
//! malformed ids, URLs and times, arguments that are not Unicode at all.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::harness::{fail, ok, ok_if, Case, Fx};

const USAGE: &str = "usage";
const INVALID: &str = "invalid_input";

pub fn cases(fx: &Fx) -> Vec<Case> {
    let app = fx.app.0.clone();
    let comp = fx.comp.appid.clone();
    let long = "天".repeat(20_000);
    // One row a line, as in the other sections' tables.
    #[rustfmt::skip]
    let mut v = vec![
        // --since / --until: every time form with non-ASCII in it.
        Case::cli("since 7天", &["log", "--since", "7天"], fail(INVALID, "--since")),
        Case::cli("since 天", &["log", "--since", "天"], fail(INVALID, "--since")),
        Case::cli("since fullwidth digit", &["log", "--since", "１h"], fail(INVALID, "--since")),
        Case::cli("since fullwidth plus offset", &["log", "--since", "2024-05-01T08:00:00＋08:00"], fail(INVALID, "--since")),
        Case::cli("since emoji", &["log", "--since", "🕐"], fail(INVALID, "--since")),
        Case::cli("since combining accent", &["log", "--since", "1é"], fail(INVALID, "--since")),
        Case::cli("since chinese date", &["log", "--since", "2024年5月1日"], fail(INVALID, "--since")),
        Case::cli("since date with CJK time", &["log", "--since", "2024-05-01T八:00:00Z"], fail(INVALID, "--since")),
        Case::cli("until 3小时", &["log", "--until", "3小时"], fail(INVALID, "--until")),
        Case::cli("since huge amount", &["log", "--since", "99999999999999999999d"], fail(INVALID, "--since")),
        Case::cli("since overflowing weeks", &["log", "--since", "9999999999999999w"], fail(INVALID, "--since")),
        Case::cli("since huge unix", &["log", "--since", "99999999999999999999"], fail(INVALID, "--since")),
        Case::cli("since year 99999", &["log", "--since", "99999-01-01"], fail(INVALID, "--since")),
        Case::cli("since ok relative", &["log", "--since", "7d"], ok()),
        Case::cli("since ok rfc3339", &["log", "--since", "2024-05-01T08:00:00+08:00"], ok()),
        // Numbers.
        Case::cli("limit chinese numeral", &["log", "--limit", "十"], fail(USAGE, "--limit")),
        Case::cli("limit negative", &["log", "--limit", "-1"], fail(USAGE, "--limit|-1")),
        Case::cli("limit huge", &["log", "--limit", "99999999999999999999"], fail(USAGE, "--limit")),
        Case::cli("id huge", &["log", "--id", "99999999999999999999"], fail(USAGE, "--id")),
        Case::cli("id absent row", &["log", "--id", "9223372036854775807"], fail("not_found", "9223372036854775807|call")),
        Case::cli("errcode not a number", &["errcode", "六一零零四"], fail(USAGE, "errcode|六一零零四")),
        Case::cli("errcode huge", &["errcode", "99999999999999999999"], fail(USAGE, "errcode|99999999999999999999")),
        Case::cli("errcode unknown", &["errcode", "-999999"], ok_if(|v| v.to_string().contains("999999"))),
        Case::cli("serve port out of range", &["serve", "--port", "65536"], fail(USAGE, "--port")),
        Case::cli("qr size huge", &["qr", "--text", "x", "--out", "/tmp/wxdesk-hostile-qr.png", "--size", "4000000000"], fail(INVALID, "size")),
        Case::cli("qr ec unknown", &["qr", "--text", "x", "--out", "/tmp/wxdesk-hostile-qr.png", "--ec", "天"], fail(USAGE, "--ec|天")),
        // Ids and secrets with non-ASCII, wrong shapes and absurd lengths.
        Case::cli("appid chinese", &["app", "add", "--appid", "wx小程序小程序小程序小程序", "--secret", "0123456789abcdef0123456789abcdef"], fail(INVALID, "appid")),
        Case::cli("appid 18 bytes of multibyte", &["app", "add", "--appid", "wx天天天天天", "--secret", "0123456789abcdef0123456789abcdef"], fail(INVALID, "appid")),
        Case::cli("appid emoji", &["token", "--appid", "wx🙂🙂🙂🙂"], fail(INVALID, "appid")),
        Case::cli("appid 60k chars", &["token", "--appid", &long], fail(INVALID, "appid")),
        Case::cli("secret chinese", &["app", "add", "--appid", "wx0123456789abcdee", "--secret", "密钥密钥密钥密钥密钥密钥密钥密钥密钥密钥密钥"], fail(INVALID, "secret")),
        Case::cli("secret 31 hex + 1 multibyte", &["app", "add", "--appid", "wx0123456789abcdee", "--secret", "0123456789abcdef0123456789abcdeé"], fail(INVALID, "secret")),
        Case::cli("aes key 43 multibyte chars", &["component", "add", "--appid", "wx0123456789abcded", "--secret", "0123456789abcdef0123456789abcdef", "--token", "token123", "--aes-key", &"键".repeat(43)], fail(INVALID, "aes")),
        Case::cli("message token chinese", &["component", "add", "--appid", "wx0123456789abcded", "--secret", "0123456789abcdef0123456789abcdef", "--token", "令牌令牌", "--aes-key", &"a".repeat(43)], fail(INVALID, "token")),
        Case::cli("name 20k CJK chars", &["app", "update", &app, "--name", &long], fail(INVALID, "name")),
        Case::cli("component id chinese", &["component", "token", "第三方平台"], fail(INVALID, "appid|component")),
        Case::cli("authorizer id chinese", &["authorizer", "token", "授权方", "--component", &comp], fail(INVALID, "appid|authorizer")),
        Case::cli("log account chinese", &["log", "--account", "账号"], ok()),
        Case::cli("log endpoint wildcard chars", &["log", "--endpoint", "%_'\"\\天"], ok()),
        Case::cli("login code chinese", &["login", "--appid", &app, "--code", "登录码登录码"], fail(INVALID, "code")),
        Case::cli("phone code empty", &["phone", "--appid", &app, "--code", ""], fail(INVALID, "code")),
        // URLs and callback addresses.
        Case::cli("callback url chinese", &["authorize", "--component", &comp, "--callback-url", "回调地址"], fail(INVALID, "callback")),
        Case::cli("callback url IDN host without code", &["authorize", "--component", &comp, "--callback-url", "https://例子.测试/回调?x=1"], fail(INVALID, "callback|auth_code")),
        Case::cli("callback url broken percent", &["authorize", "--component", &comp, "--callback-url", "https://a.example/cb?auth_code=%E5%"], fail(INVALID, "callback|auth_code|code")),
        Case::cli("redirect uri chinese", &["link", "pc", "--component-appid", &comp, "--pre-auth-code", "preauthcode@@@abc", "--redirect-uri", "不是网址"], fail(INVALID, "redirect")),
        Case::cli("category ids chinese", &["link", "pc", "--component-appid", &comp, "--pre-auth-code", "preauthcode@@@abc", "--redirect-uri", "https://a.example/cb", "--category-ids", "1,二"], fail(USAGE, "--category-ids")),
        Case::cli("auth type chinese", &["link", "pc", "--component-appid", &comp, "--pre-auth-code", "preauthcode@@@abc", "--redirect-uri", "https://a.example/cb", "--auth-type", "三"], fail(USAGE, "--auth-type")),
        Case::cli_bare("api base chinese", &["token", "--appid", &app, "--api-base", "网址"], fail(INVALID, "api")),
        Case::cli_bare("env unknown", &["token", "--appid", &app, "--env", "生产"], fail(USAGE, "--env|生产")),
        Case::cli_bare("sandbox base not http", &["token", "--appid", &app, "--env", "sandbox", "--sandbox-base", "ftp://127.0.0.1:1"], fail(INVALID, "base")),
        Case::cli("unknown flag chinese", &["log", "--自"], fail(USAGE, "--自")),
        Case::cli("unknown command chinese", &["日志"], fail(USAGE, "日志")),
        Case::cli("sign raw data chinese (a result)", &["sign", "raw-data", "--session-key", "c2Vzc2lvbmtleS0xMjM0NQ==", "--raw-data", "{\"nickName\":\"微信用户\"}"], ok_if(|v| v.to_string().len() > 20)),
    ];
    // Arguments that are not valid Unicode at all.
    for (name, bytes) in [
        ("since invalid UTF-8", b"7\xff\xfe".to_vec()),
        ("appid lone continuation byte", b"wx\x80".to_vec()),
        ("appid truncated multibyte", b"wx\xe5\xa4".to_vec()),
    ] {
        let flag = if name.starts_with("since") {
            "--since"
        } else {
            "--appid"
        };
        let cmd = if name.starts_with("since") {
            "log"
        } else {
            "token"
        };
        v.push(Case::cli_os(
            name,
            vec![cmd.into(), flag.into(), OsString::from_vec(bytes)],
            Vec::new(),
            fail(USAGE, "utf-8|unicode"),
        ));
    }
    v
}
