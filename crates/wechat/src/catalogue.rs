//! What WeChat's error codes mean and what to do about them.
//!
//! WeChat answers every failure with a bare number and a terse English
//! `errmsg`; the Chinese explanation lives on a dozen doc pages, and the fix
//! lives in the heads of people who have been bitten before. An operator
//! staring at `61004` at midnight needs to know which whitelist, in which
//! console, and which IP to put there — and that hammering `clear_quota` over
//! a `45009` burns a 10-per-month budget. This module is that knowledge in one
//! table: every errcode of the reference (`wechat-api.md` §2, §3, §6, §7), its
//! Chinese and English meaning, and a concrete fix — in English for the CLI
//! and the English UI, and in Chinese, written the way a Chinese operator
//! would say it, for the zh-CN UI (both say the same thing). [`explain`] turns
//! an errcode (plus the errmsg, for the caller IP embedded in whitelist
//! errors) into an [`Explanation`] the CLI and the UI show as the hint.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::error::split_rid;

mod account;
mod wxa;

/// One catalogued errcode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The numeric code WeChat returns.
    pub errcode: i64,
    /// Meaning in Chinese, as WeChat's docs put it.
    pub zh: &'static str,
    /// Meaning in English (WeChat's errmsg where one is known).
    pub en: &'static str,
    /// What to do: where to look first, what to change, what not to do.
    pub hint: &'static str,
    /// The same advice as `hint`, in Chinese (console paths kept verbatim).
    pub hint_zh: &'static str,
}

/// The explanation of one errcode, ready to show (in the UI's types:
/// `ErrcodeView`, from `errcode_explain` and on each failed call-log row).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "ErrcodeView"))]
#[serde(rename_all = "snake_case")]
pub struct Explanation {
    /// The code explained.
    pub errcode: i64,
    /// False when the code is not in the catalogue; the texts are then general advice.
    pub known: bool,
    /// Meaning in Chinese.
    pub zh: String,
    /// Meaning in English.
    pub en: String,
    /// What to do, with the caller IP filled in for whitelist errors.
    pub hint: String,
    /// The same advice in Chinese, with the caller IP filled in the same way.
    pub hint_zh: String,
    /// The caller IP WeChat reported in the errmsg of a whitelist error (40164, 61004, 8950x).
    pub caller_ip: Option<String>,
}

const fn e(
    errcode: i64,
    zh: &'static str,
    en: &'static str,
    hint: &'static str,
    hint_zh: &'static str,
) -> Entry {
    Entry {
        errcode,
        zh,
        en,
        hint,
        hint_zh,
    }
}

/// Where a mini program's / Official Account's API IP whitelist lives.
const MP_WHITELIST: &str = "mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单";
/// Where the third-party platform's egress IP whitelist lives.
const OPEN_WHITELIST: &str =
    "open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) → 开发资料 → 白名单IP";
/// [`OPEN_WHITELIST`] for the Chinese hints (only the placeholder differs).
const OPEN_WHITELIST_ZH: &str =
    "open.weixin.qq.com → 管理中心 → 第三方平台 → （你的平台） → 开发资料 → 白名单IP";

/// The language of a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Zh,
}

/// Every catalogued errcode, in ascending order.
pub fn entries() -> &'static [Entry] {
    static ALL: std::sync::OnceLock<Vec<Entry>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = account::ENTRIES.to_vec();
        all.extend_from_slice(wxa::ENTRIES);
        all.sort_by_key(|e| e.errcode);
        all
    })
}

/// Looks up one errcode.
pub fn lookup(errcode: i64) -> Option<&'static Entry> {
    entries().iter().find(|e| e.errcode == errcode)
}

/// Errcodes that report a state still in progress — "waiting for the legal
/// person's face verification" (89251), "consistency check running" (89252),
/// both from fast registration's `action=search` — rather than a failure.
/// The call log records them as waiting, and failure counts leave them out.
/// This list is the one place that classification lives.
pub const WAITING: &[i64] = &[89251, 89252];

/// True when `errcode` is a waiting state (see [`WAITING`]), not a failure.
pub fn is_waiting(errcode: i64) -> bool {
    WAITING.contains(&errcode)
}

/// The codes whose errmsg names the caller's IP.
fn carries_caller_ip(errcode: i64) -> bool {
    matches!(errcode, 40164 | 61004 | 89501..=89507)
}

/// Finds the caller IP in an errmsg such as
/// `invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: …`.
///
/// An IPv4 address (or an IPv4-mapped IPv6 one, shown as IPv4) is preferred,
/// because that is what the whitelists are usually filled with; otherwise the
/// first IPv6 address is returned.
pub fn extract_ip(errmsg: &str) -> Option<String> {
    let mut first_v6: Option<IpAddr> = None;
    let tokens = errmsg.split(|c: char| !(c.is_ascii_hexdigit() || c == '.' || c == ':'));
    for raw in tokens {
        let token = raw.trim_matches(|c| c == '.' || c == ':');
        // "::1"-style tokens lose their leading colons to the trim above; keep the raw form too.
        for candidate in [raw, token] {
            if !candidate.contains(['.', ':']) {
                continue;
            }
            match candidate.parse::<IpAddr>() {
                Ok(IpAddr::V4(v4)) => return Some(v4.to_string()),
                Ok(IpAddr::V6(v6)) => {
                    if let Some(v4) = v6.to_ipv4_mapped() {
                        return Some(v4.to_string());
                    }
                    if !v6.is_unspecified() && first_v6.is_none() {
                        first_v6 = Some(IpAddr::V6(v6));
                    }
                    break;
                }
                Err(_) => {
                    // "1.2.3.4:5678": an IPv4 address with a port.
                    if let Some((host, port)) = candidate.rsplit_once(':') {
                        if port.bytes().all(|b| b.is_ascii_digit()) {
                            if let Ok(v4) = host.parse::<std::net::Ipv4Addr>() {
                                return Some(v4.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    first_v6.map(|ip| ip.to_string())
}

fn whitelist_hint(errcode: i64, ip: Option<&str>, lang: Lang) -> Option<String> {
    let who = match (ip, lang) {
        (Some(ip), Lang::En) => format!("the caller IP {ip}"),
        // Trailing space: the text goes on in Chinese right after the address.
        (Some(ip), Lang::Zh) => format!("调用方 IP {ip} "),
        (None, Lang::En) => {
            "your server's public egress IP (errmsg didn't name it; ask the server, e.g. `curl -4 ifconfig.me`)".into()
        }
        (None, Lang::Zh) => {
            "服务器的公网出口 IP（errmsg 里没写出来，到服务器上查，例如 `curl -4 ifconfig.me`）".into()
        }
    };
    let v6_note = match (ip, lang) {
        (Some(ip), Lang::En) if ip.contains(':') => {
            " WeChat saw the call over IPv6: whitelist this IPv6 address too, or make the server call api.weixin.qq.com \
             over IPv4."
        }
        (Some(ip), Lang::Zh) if ip.contains(':') => {
            "微信看到的是走 IPv6 的调用：把这个 IPv6 地址也加进白名单，或者让服务器改走 IPv4 访问 api.weixin.qq.com。"
        }
        _ => "",
    };
    let text = match (errcode, lang) {
        (40164, Lang::En) => format!(
            "Add {who} to {MP_WHITELIST} of the account whose AppSecret you use (takes effect within minutes).{v6_note} \
             Behind NAT or a cloud function, whitelist the public egress address, not the machine's private IP. If the \
             platform is calling for an authorizer, edit the platform whitelist instead ({OPEN_WHITELIST})."
        ),
        (40164, Lang::Zh) => format!(
            "把{who}加到所用 AppSecret 对应账号的 {MP_WHITELIST}（几分钟内生效）。{v6_note}\
             服务器在 NAT 后面或者用的是云函数的话，要加公网出口地址，不是机器的内网 IP。\
             如果是第三方平台代授权方调用，要改的是第三方平台的白名单（{OPEN_WHITELIST_ZH}）。"
        ),
        (61004, Lang::En) => format!(
            "Add {who} to {OPEN_WHITELIST} — the platform's whitelist, not the mini program's; it governs every call made \
             with component or authorizer tokens.{v6_note} Behind NAT, whitelist the public egress address. Don't reset \
             the platform's AppSecret: it is not the problem."
        ),
        (61004, Lang::Zh) => format!(
            "把{who}加到 {OPEN_WHITELIST_ZH}——这是第三方平台的白名单，不是小程序的；\
             所有用 component token 或授权方 token 发起的调用都受它管。{v6_note}服务器在 NAT 后面的话，加公网出口地址。\
             不要去重置第三方平台的 AppSecret，问题不在它。"
        ),
        (89501..=89507, _) => {
            let base = lookup(errcode)
                .map(|e| match lang {
                    Lang::En => e.hint,
                    Lang::Zh => e.hint_zh,
                })
                .unwrap_or_default();
            let ip_part = match (ip, lang) {
                (Some(ip), Lang::En) => {
                    format!(" The IP in question is {ip}; add it to {MP_WHITELIST} to skip confirmations.")
                }
                (Some(ip), Lang::Zh) => {
                    format!("这次涉及的 IP 是 {ip}，加到 {MP_WHITELIST} 之后就不用再确认了。")
                }
                (None, _) => String::new(),
            };
            format!("{base}{ip_part}")
        }
        _ => return None,
    };
    Some(text)
}

/// Explains `errcode`; `errmsg` (as WeChat sent it, rid and all) supplies the
/// caller IP for whitelist errors and the rid for unknown codes.
pub fn explain(errcode: i64, errmsg: Option<&str>) -> Explanation {
    let caller_ip = if carries_caller_ip(errcode) {
        errmsg.and_then(extract_ip)
    } else {
        None
    };
    match lookup(errcode) {
        Some(entry) => {
            let ip = caller_ip.as_deref();
            let hint =
                whitelist_hint(errcode, ip, Lang::En).unwrap_or_else(|| entry.hint.to_string());
            let hint_zh =
                whitelist_hint(errcode, ip, Lang::Zh).unwrap_or_else(|| entry.hint_zh.to_string());
            Explanation {
                errcode,
                known: true,
                zh: entry.zh.to_string(),
                en: entry.en.to_string(),
                hint,
                hint_zh,
                caller_ip,
            }
        }
        None => Explanation {
            errcode,
            known: false,
            zh: "未收录的错误码".to_string(),
            en: "errcode not in wxdesk's catalogue".to_string(),
            hint: unknown_hint(errcode, errmsg, Lang::En),
            hint_zh: unknown_hint(errcode, errmsg, Lang::Zh),
            caller_ip,
        },
    }
}

fn unknown_hint(errcode: i64, errmsg: Option<&str>, lang: Lang) -> String {
    let (msg, rid) = match errmsg {
        Some(m) => split_rid(m),
        None => (String::new(), None),
    };
    let msg: String = msg.trim().chars().take(160).collect();
    let said = match (msg.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::En) => {
            format!(" WeChat said {msg:?} — its errmsg is usually the most precise clue.")
        }
        (false, Lang::Zh) => format!("微信返回的是 {msg:?}——errmsg 通常就是最准的线索。"),
    };
    let rid_part = match (rid, lang) {
        (Some(rid), Lang::En) => format!(
            " Look the request up: POST cgi-bin/openapi/rid/get with {{\"rid\":\"{rid}\"}} and the same account's token shows \
             the URL and body WeChat received."
        ),
        (Some(rid), Lang::Zh) => format!(
            "查一下这次请求：用同一个账号的 token 调 POST cgi-bin/openapi/rid/get，body 为 {{\"rid\":\"{rid}\"}}，\
             能看到微信实际收到的 URL 和请求体。"
        ),
        (None, Lang::En) => " If errmsg carries a rid, look it up with POST cgi-bin/openapi/rid/get (same account's token) to see the \
                 request WeChat received."
            .to_string(),
        (None, Lang::Zh) => "如果 errmsg 里带 rid，用同一个账号的 token 调 POST cgi-bin/openapi/rid/get 查一下，\
                 能看到微信实际收到的请求。"
            .to_string(),
    };
    match lang {
        Lang::En => format!(
            "wxdesk has no entry for errcode {errcode}.{said}{rid_part} Search the code in the official 全局返回码 pages \
             (mini program and Open Platform). Don't retry in a loop: only -1 and network failures are worth retrying, and \
             never with a single-use code."
        ),
        Lang::Zh => format!(
            "wxdesk 还没有收录错误码 {errcode}。{said}{rid_part}到官方文档的 全局返回码 页面（小程序和开放平台各有一份）查这个码。\
             不要循环重试：只有 -1 和网络故障值得重试，而且绝不能带着一次性 code 重试。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_sorted_ascending() {
        assert!(account::ENTRIES
            .windows(2)
            .all(|w| w[0].errcode < w[1].errcode));
        assert!(wxa::ENTRIES.windows(2).all(|w| w[0].errcode < w[1].errcode));
        assert!(entries().windows(2).all(|w| w[0].errcode < w[1].errcode));
    }

    #[test]
    fn rid_is_offered_for_unknown_codes() {
        let x = explain(12345, Some("something odd rid: 6a1b2c3d-11223344-55667788"));
        assert!(!x.known);
        assert!(x.hint.contains("6a1b2c3d-11223344-55667788"), "{}", x.hint);
        assert!(x.hint.contains("something odd"), "{}", x.hint);
        assert!(
            x.hint_zh.contains("6a1b2c3d-11223344-55667788"),
            "{}",
            x.hint_zh
        );
        assert!(x.hint_zh.contains("something odd"), "{}", x.hint_zh);
        assert!(x.hint_zh.contains("openapi/rid/get"), "{}", x.hint_zh);
        let y = explain(-2, None);
        assert!(
            has_cjk(&y.hint_zh) && y.hint_zh.contains("openapi/rid/get"),
            "{}",
            y.hint_zh
        );
    }

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_entry_has_a_chinese_fix() {
        for entry in entries() {
            let zh = entry.hint_zh.trim();
            assert!(!zh.is_empty(), "{}: empty hint_zh", entry.errcode);
            assert!(has_cjk(zh), "{}: hint_zh has no Chinese", entry.errcode);
            assert_ne!(entry.hint_zh, entry.hint, "{}", entry.errcode);
            assert_ne!(entry.hint_zh, entry.zh, "{}", entry.errcode);
            assert!(
                !zh.contains("  "),
                "{}: stray double space in hint_zh",
                entry.errcode
            );
            let x = explain(entry.errcode, None);
            if !carries_caller_ip(entry.errcode) {
                assert_eq!(x.hint_zh, entry.hint_zh, "{}", entry.errcode);
            }
            assert!(has_cjk(&x.hint_zh), "{}", entry.errcode);
        }
    }

    #[test]
    fn chinese_fix_keeps_the_key_facts() {
        let zh = |c| explain(c, None).hint_zh;
        assert!(
            zh(40001).contains("stable_token")
                && zh(40001).contains("mp.weixin.qq.com → 开发管理 → 开发设置")
        );
        assert!(zh(45009).contains("quota/get") && zh(45009).contains("10"));
        assert!(zh(48006).contains("10"));
        assert!(zh(61023).contains("api_get_authorizer_list"));
        assert!(zh(40163).contains("wx.login") && zh(40163).contains("不要重试"));
        assert!(zh(61005).contains("api_start_push_ticket"));
        assert!(zh(61024).contains("api_component_token"));
    }

    #[test]
    fn the_61004_chinese_fix_names_the_caller_ip() {
        let x = explain(
            61004,
            Some("access clientip is not registered, not in whitelist rid: 6123abcd-11112222-33334444, requestIP: 203.0.113.77"),
        );
        assert_eq!(x.caller_ip.as_deref(), Some("203.0.113.77"));
        assert!(x.hint_zh.contains("203.0.113.77"), "{}", x.hint_zh);
        assert!(x.hint_zh.contains(OPEN_WHITELIST_ZH), "{}", x.hint_zh);
        assert!(!x.hint_zh.contains("开发管理 → 开发设置"), "{}", x.hint_zh);
        assert!(x.hint_zh.contains("AppSecret"), "{}", x.hint_zh);
        // Without an IP in errmsg the fix says how to find it instead.
        let y = explain(61004, None);
        assert!(
            y.hint_zh.contains("公网出口 IP") && y.hint_zh.contains("ifconfig.me"),
            "{}",
            y.hint_zh
        );
    }

    #[test]
    fn whitelist_fixes_fill_the_ip_in_both_languages() {
        let x = explain(
            40164,
            Some("invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist"),
        );
        assert!(
            x.hint.contains("1.2.3.4") && x.hint_zh.contains("1.2.3.4"),
            "{}",
            x.hint_zh
        );
        assert!(x.hint_zh.contains(MP_WHITELIST), "{}", x.hint_zh);
        assert!(!x.hint_zh.contains("IPv6"), "{}", x.hint_zh);
        let v6 = explain(
            40164,
            Some("invalid ip 2408:8207:1851:abcd::9, not in whitelist"),
        );
        assert!(
            v6.hint_zh.contains("2408:8207:1851:abcd::9") && v6.hint_zh.contains("IPv6"),
            "{}",
            v6.hint_zh
        );
        for code in 89501..=89507 {
            let x = explain(code, Some("need admin confirm ip 192.0.2.5"));
            assert!(x.hint.contains("192.0.2.5"), "{code}: {}", x.hint);
            assert!(x.hint_zh.contains("192.0.2.5"), "{code}: {}", x.hint_zh);
            assert!(x.hint_zh.contains(MP_WHITELIST), "{code}: {}", x.hint_zh);
        }
    }

    #[test]
    fn explanation_serializes_hint_zh() {
        let v = serde_json::to_value(explain(61004, Some("requestIP: 203.0.113.9"))).unwrap();
        assert!(
            v["hint_zh"].as_str().unwrap().contains("203.0.113.9"),
            "{v}"
        );
    }
}
