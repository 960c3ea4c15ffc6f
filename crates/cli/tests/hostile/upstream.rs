//! Upstream faults from the sandbox: gateway 5xx pages, reset connections,
//! slow and malformed bodies, huge bodies, `errcode -1` storms. Each row uses
//! fresh accounts (so no cached token hides the call), and afterwards the
//! call log is read too: the secrets must be in neither.

use std::ffi::OsString;

use wxdesk_sandbox::{Fault, FaultKind};

use crate::harness::{fail, ok, Case, Expect, Fx, Outcome};

#[derive(Clone, Copy)]
enum Call {
    /// `wxdesk token --appid NEW` (cgi-bin/stable_token).
    AppToken,
    /// `wxdesk component token NEW` (cgi-bin/component/api_component_token).
    ComponentToken,
    /// `wxdesk login --appid NEW --code CODE` (sns/jscode2session, single-use).
    Login,
}

impl Call {
    fn endpoint(self) -> &'static str {
        match self {
            Call::AppToken => "cgi-bin/stable_token",
            Call::ComponentToken => "cgi-bin/component/api_component_token",
            Call::Login => "sns/jscode2session",
        }
    }

    fn args(self, fx: &Fx) -> Vec<String> {
        match self {
            Call::AppToken => {
                let (appid, secret) = fx.world.app();
                fx.secret(&secret);
                vec!["token".into(), "--appid".into(), appid]
            }
            Call::ComponentToken => {
                let c = fx.world.component();
                for s in [&c.secret, &c.token, &c.aes_key] {
                    fx.secret(s);
                }
                if let Some(t) = &c.ticket {
                    fx.secret(t);
                }
                vec!["component".into(), "token".into(), c.appid]
            }
            Call::Login => {
                let (appid, secret) = fx.world.app();
                fx.secret(&secret);
                let js = fx.world.sandbox.issue_js_code(&appid, None);
                fx.secret(&js.session_key);
                vec![
                    "login".into(),
                    "--appid".into(),
                    appid,
                    "--code".into(),
                    js.code,
                ]
            }
        }
    }
}

/// A row: the faults on the call's endpoint, the call, at most `max_attempts`
/// requests reaching the endpoint, then the call log read back.
fn row(
    name: &str,
    call: Call,
    faults: Vec<FaultKind>,
    times: Option<u32>,
    max_attempts: u64,
    expect: Expect,
) -> Case {
    Case::new(
        name,
        move |fx: &Fx| {
            let args: Vec<OsString> = call.args(fx).into_iter().map(OsString::from).collect();
            for kind in &faults {
                let mut f = Fault::new(call.endpoint(), kind.clone());
                f.times = times;
                fx.world.sandbox.set_fault(f);
            }
            let before = fx.world.sandbox.counter(call.endpoint());
            let mut out: Outcome = fx.exec(&args, b"", true);
            let attempts = fx.world.sandbox.counter(call.endpoint()) - before;
            fx.world.sandbox.clear_faults();
            let log = fx.exec(&["log".into(), "--limit".into(), "20".into()], b"", true);
            assert!(
                log.json.is_object() || log.json.is_array() || log.ok,
                "log: {}",
                log.raw
            );
            out.raw.push_str("\n-- call log --\n");
            out.raw.push_str(&log.raw);
            if attempts > max_attempts {
                out.ok = false;
                out.kind = "unbounded_retries".into();
                out.message = format!("{attempts} requests reached {}", call.endpoint());
            }
            out
        },
        expect,
    )
}

fn status(code: u16) -> Vec<FaultKind> {
    vec![FaultKind::Status { code }]
}

fn errcode(errcode: i64, errmsg: &str) -> Vec<FaultKind> {
    vec![FaultKind::Errcode {
        errcode,
        errmsg: errmsg.into(),
    }]
}

pub fn cases(_fx: &Fx) -> Vec<Case> {
    use Call::*;
    let huge = "x".repeat(1 << 20);
    let too_big = "y".repeat(9 << 20);
    vec![
        row(
            "HTTP 500",
            AppToken,
            status(500),
            None,
            1,
            fail("http", "stable_token"),
        ),
        row(
            "HTTP 502",
            AppToken,
            status(502),
            None,
            1,
            fail("http", "stable_token"),
        ),
        row(
            "HTTP 503",
            ComponentToken,
            status(503),
            None,
            1,
            fail("http", "api_component_token"),
        ),
        row(
            "HTTP 504",
            AppToken,
            status(504),
            None,
            1,
            fail("http", "stable_token"),
        ),
        row(
            "HTTP 429",
            AppToken,
            status(429),
            None,
            1,
            fail("http", "stable_token"),
        ),
        row(
            "HTTP 301 without Location",
            AppToken,
            status(301),
            None,
            1,
            fail("http", "stable_token"),
        ),
        row(
            "HTTP 204",
            AppToken,
            status(204),
            None,
            1,
            fail("http|decode", "stable_token"),
        ),
        row(
            "connection reset",
            AppToken,
            vec![FaultKind::ConnectionReset],
            None,
            3,
            fail("transport|connect", "stable_token"),
        ),
        row(
            "connection reset on a single-use code",
            Login,
            vec![FaultKind::ConnectionReset],
            None,
            1,
            fail("transport|connect", "jscode2session"),
        ),
        row(
            "slow body (a result)",
            AppToken,
            vec![FaultKind::SlowBody { ms: 300 }],
            None,
            1,
            ok(),
        ),
        row(
            "latency (a result)",
            ComponentToken,
            vec![FaultKind::Latency { ms: 200 }],
            None,
            1,
            ok(),
        ),
        row(
            "malformed JSON",
            AppToken,
            vec![FaultKind::MalformedJson],
            None,
            1,
            fail("decode", "stable_token"),
        ),
        row(
            "malformed JSON for a platform",
            ComponentToken,
            vec![FaultKind::MalformedJson],
            None,
            1,
            fail("decode", "api_component_token"),
        ),
        row(
            "malformed JSON on a single-use code",
            Login,
            vec![FaultKind::MalformedJson],
            None,
            1,
            fail("decode", "jscode2session"),
        ),
        row(
            "errcode -1 storm, bounded retries",
            AppToken,
            errcode(-1, "system error"),
            None,
            3,
            fail("api", "system error|-1"),
        ),
        row(
            "errcode -1 storm on a platform",
            ComponentToken,
            errcode(-1, "system error"),
            None,
            3,
            fail("api", "system error|-1"),
        ),
        row(
            "errcode -1 twice, then a result",
            AppToken,
            errcode(-1, "system error"),
            Some(2),
            3,
            ok(),
        ),
        row(
            "errcode -1 on a single-use code is not retried",
            Login,
            errcode(-1, "system error"),
            None,
            1,
            fail("api", "system error|-1"),
        ),
        row(
            "errcode 40001 storm",
            AppToken,
            errcode(40001, "invalid credential"),
            None,
            1,
            fail("api", "invalid credential|40001"),
        ),
        row(
            "errcode 45009 quota",
            ComponentToken,
            errcode(45009, "reach max api daily quota limit"),
            None,
            1,
            fail("api", "quota|45009"),
        ),
        row(
            "errcode 61004 IP not whitelisted",
            ComponentToken,
            errcode(61004, "access clientip 203.0.113.7 is not registered"),
            None,
            1,
            fail("api", "61004|clientip"),
        ),
        row(
            "errcode as huge number",
            AppToken,
            errcode(i64::MAX, "x"),
            None,
            1,
            fail("api", "9223372036854775807|x"),
        ),
        row(
            "an errmsg of 1 MiB",
            AppToken,
            errcode(40013, &huge),
            None,
            1,
            fail("api", "40013|invalid|xxxx"),
        ),
        row(
            "a body of 9 MiB",
            AppToken,
            errcode(40013, &too_big),
            None,
            1,
            fail("*", "8 MiB|too large|size|limit"),
        ),
        row(
            "latency plus malformed JSON",
            AppToken,
            vec![FaultKind::Latency { ms: 100 }, FaultKind::MalformedJson],
            None,
            1,
            fail("decode", "stable_token"),
        ),
    ]
}
