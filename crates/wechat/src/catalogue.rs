//! What WeChat's error codes mean and what to do about them.
//!
//! WeChat answers every failure with a bare number and a terse English
//! `errmsg`; the Chinese explanation lives on a dozen doc pages, and the fix
//! lives in the heads of people who have been bitten before. An operator
//! staring at `61004` at midnight needs to know which whitelist, in which
//! console, and which IP to put there — and that hammering `clear_quota` over
//! a `45009` burns a 10-per-month budget. This module is that knowledge in one
//! table: every errcode of the reference (`wechat-api.md` §2, §3, §6, §7), its
//! Chinese and English meaning, and a concrete fix. [`explain`] turns an
//! errcode (plus the errmsg, for the caller IP embedded in whitelist errors)
//! into an [`Explanation`] the CLI and the UI show as the hint.

use std::net::IpAddr;

use serde::Serialize;

use crate::error::split_rid;

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
}

/// The explanation of one errcode, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    /// The caller IP WeChat reported in the errmsg of a whitelist error (40164, 61004, 8950x).
    pub caller_ip: Option<String>,
}

const fn e(errcode: i64, zh: &'static str, en: &'static str, hint: &'static str) -> Entry {
    Entry {
        errcode,
        zh,
        en,
        hint,
    }
}

/// Where a mini program's / Official Account's API IP whitelist lives.
const MP_WHITELIST: &str = "mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单";
/// Where the third-party platform's egress IP whitelist lives.
const OPEN_WHITELIST: &str =
    "open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) → 开发资料 → 白名单IP";

static ENTRIES: &[Entry] = &[
    e(-1, "系统繁忙，此时请开发者稍候再试", "system error: WeChat is busy",
      "Transient on WeChat's side. Retry the same request after 1–2 s with backoff, at most 2–3 times. Never resend a \
       single-use value (js_code, phone code, auth_code, registration ticket) that may already have been consumed — get a \
       fresh one instead. If it lasts for minutes, keep the rid and check the WeChat developer community before changing \
       anything on your side."),
    e(0, "请求成功", "ok", "Nothing to fix: the call succeeded."),
    e(40001, "获取 access_token 时 AppSecret 错误，或者 access_token 无效",
      "invalid credential, access_token is invalid or not latest",
      "Refresh the token once and retry once — don't loop. If it comes back right after a refresh, something else is \
       rotating the token: check that no other server (old deployment, a colleague's script, a plugin) calls cgi-bin/token \
       for this appid — every such call replaces the token and the old one dies 5 minutes later. Move every caller to \
       cgi-bin/stable_token (normal mode) or one central token service. Also check that the token belongs to this appid. \
       When fetching a token, 40001 means the AppSecret is wrong: copy it again from mp.weixin.qq.com → 开发管理 → 开发设置; \
       reset it only if it is lost, because a reset breaks every server still using the old one."),
    e(40002, "不合法的凭证类型", "invalid grant_type",
      "grant_type must be exactly client_credential for cgi-bin/token and stable_token (authorization_code for \
       jscode2session). Look for typos, trailing spaces or a double-encoded value in the request builder."),
    e(40013, "不合法的 AppID", "invalid appid",
      "Check the AppID character by character: \"wx\" + 16 hex digits, no spaces. Usual mix-ups: the Official Account's \
       appid instead of the mini program's, the original ID (gh_…), a test-account appid against production, or the \
       component appid where the authorizer appid is expected (and vice versa). Copy it from mp.weixin.qq.com → 开发管理 → \
       开发设置 (platform: open.weixin.qq.com → 第三方平台)."),
    e(40014, "不合法的 access_token", "invalid access_token",
      "The token is malformed, truncated or belongs to another account. Check that storage doesn't cut it (reserve 512+ \
       characters), that it isn't URL-encoded twice, and that you send the authorizer_access_token — not the \
       component_access_token — when calling mini-program APIs for an authorizer. Refresh once and retry once; don't loop."),
    e(40029, "code 无效（不存在或已过期）", "invalid code",
      "The js_code or phone code is wrong, older than 5 minutes, or was issued to another appid. Don't retry with the same \
       code: have the client call wx.login (or tap the phone button) again and send the new code at once. Check that the \
       build calling wx.login uses the same appid as the server, and in component mode that you call \
       sns/component/jscode2session, not sns/jscode2session."),
    e(40097, "参数错误", "invalid args",
      "A parameter value is malformed or out of range. Compare each field with the API's table: numbers as numbers, \
       booleans as booleans, omit optional fields instead of sending empty strings. Look the rid up with \
       cgi-bin/openapi/rid/get to see the exact body WeChat received."),
    e(40125, "无效的 AppSecret", "invalid appsecret",
      "The AppSecret doesn't match the AppID. Copy it again (32 hex characters, no spaces): mini program at \
       mp.weixin.qq.com → 开发管理 → 开发设置 → AppSecret; platform at open.weixin.qq.com → 第三方平台 → 开发资料. Make sure \
       you are not pairing one account's secret with another's appid. A reset invalidates the old secret everywhere — find \
       out who else uses it before resetting."),
    e(40163, "code 已被使用", "code been used",
      "Codes are single-use. Never retry a request that carried a code — not even after a timeout; get a new one from \
       wx.login (or the phone button). If there was no obvious retry, look for double submission: the client calling your \
       login endpoint twice, an HTTP client or proxy retrying POSTs, or two servers consuming the same code."),
    e(40164, "调用接口的 IP 地址不在白名单中", "invalid ip, not in whitelist",
      "Add the server's egress IP (WeChat names it in errmsg) to mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单 of the \
       account whose AppSecret you use; it takes effect within minutes. Behind NAT or a cloud function, whitelist the \
       public egress address, not the machine's private IP. When the platform calls for an authorizer, the platform \
       whitelist applies instead (61004)."),
    e(40170, "个数超出限制", "args count exceed count limit",
      "A count or list parameter is above its maximum — api_get_authorizer_list accepts count ≤ 500. Page through with \
       offset/count instead of asking for everything at once."),
    e(40226, "高风险等级用户，小程序登录拦截", "code blocked: high-risk user, login intercepted",
      "WeChat's risk control blocked this user's login; nothing on your side is broken and retrying won't help. Show a \
       plain \"cannot log in right now\" message and don't flag the user in your own system on this alone. If many users \
       are hit at once, check the mini program's 违规记录 and messages in mp.weixin.qq.com."),
    e(40243, "AppSecret 已被冻结，请登录 MP 解冻后再次调用", "AppSecret frozen",
      "An admin (or WeChat, after a suspected leak) froze the AppSecret. An admin must unfreeze it in mp.weixin.qq.com → \
       开发管理 → 开发设置 → AppSecret. If it was frozen because it leaked, reset it instead, roll out the new secret, and \
       invalidate old tokens with a stable_token force_refresh."),
    e(41001, "缺少 access_token 参数", "access_token missing",
      "The request carries no access_token. An empty string counts as missing: check that the token cache actually \
       returned a value, and that the query parameter is named access_token (component APIs also accept \
       component_access_token)."),
    e(41002, "缺少 appid 参数", "appid missing",
      "The appid parameter is absent or empty. stable_token wants it in the JSON body, clear_quota/v2 in the query string; \
       check the request builder, not the value."),
    e(41004, "缺少 secret 参数", "appsecret missing",
      "The secret is absent or empty — usually an unset environment variable or an empty vault entry. Check that the \
       secret store returned a value and that it is sent under the right name (secret; component_appsecret for \
       api_component_token)."),
    e(41008, "缺少 code 参数", "missing code",
      "The code parameter is missing or empty: the client didn't send the js_code / phone code, or your server dropped it \
       on the way. Log (masked) whether a code arrived before calling WeChat."),
    e(41030, "所传 page 页面不存在，或者小程序没有发布", "invalid page: the page does not exist or the mini program is not released",
      "getwxacodeunlimit checks page against the released version. Publish the version that contains the page, or send \
       check_path=false (with env_version trial/develop for unreleased builds). page takes no leading '/' and no query \
       string — put parameters into scene."),
    e(42001, "access_token 超时", "access_token expired",
      "The token lived out its 2 hours. Refresh once and retry once. Refresh a few minutes before expires_in runs out so \
       users never see this; if it is frequent, the cache is keeping tokens longer than expires_in (check clock skew)."),
    e(43002, "需要 POST 请求", "require POST method",
      "This endpoint only accepts POST with a JSON body (stable_token, component APIs). Check the HTTP method, and that an \
       http→https redirect isn't turning the POST into a GET."),
    e(45009, "接口调用超过天级别频率限制", "reach max api daily quota limit",
      "Check the quota first: POST cgi-bin/openapi/quota/get with the cgi_path shows daily_limit / used / remain. \
       clear_quota resets it, but the budget is 10 resets per account per month, shared by the console, clear_quota and \
       clear_quota/v2 — never call it automatically. Find the caller burning the quota (uncached token fetches, retry \
       loops). On getwxacodeunlimit this code means the per-minute limit (5000/min): slow down instead of clearing."),
    e(45011, "API 调用太频繁，请稍候再试", "api minute-quota reach limit mustslower retry next minute",
      "Per-minute limit reached. Back off until the next minute instead of retrying at once. jscode2session allows 100 \
       calls per user per minute — a client calling login in a loop is the usual cause."),
    e(47001, "解析 JSON/XML 内容错误，或 POST 数据参数缺失", "data format error",
      "The body is not valid JSON or lacks a required field. Send UTF-8 JSON with Content-Type: application/json (not \
       form data), check that required fields are present and typed as documented, and that the body isn't empty."),
    e(48001, "api 功能未授权", "api unauthorized",
      "The account lacks this API: unverified account, wrong account type (e.g. personal mini program), or a capability \
       that must be enabled first (mp.weixin.qq.com → 开发管理 → 接口设置). When a platform calls for an authorizer it can \
       also mean the permission set was not granted — see 61007."),
    e(48006, "api 禁止清零调用次数，因为清零次数达到上限", "forbid to clear quota because of reaching the limit",
      "All 10 quota resets of this month are used (console and API share them). Stop calling clear_quota; wait for next \
       month and cut the call volume — cache tokens, fix retry loops."),
    e(61003, "帐号未授权（该账号未授权给此第三方平台）", "component is not authorized by this account",
      "The authorizer never authorized your platform or revoked it (merchants revoke in mp.weixin.qq.com → 设置 → 第三方设置 → \
       授权管理). Check api_get_authorizer_list: if the appid is missing, stop refreshing its tokens and send the merchant \
       a new authorization link."),
    e(61004, "第三方平台出口 IP 未设置（不在白名单中）", "access clientip is not registered, not in whitelist",
      "Add the server's egress IP (WeChat names it in errmsg) to open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) \
       → 开发资料 → 白名单IP. This is the platform's whitelist, not the mini program's; it governs every call made with \
       the component or authorizer tokens. Behind NAT, whitelist the public egress address."),
    e(61005, "component_verify_ticket 已过期", "component ticket is expired",
      "The ticket is older than 12 h. Use the newest pushed ticket. If none arrived for 20+ minutes, the authorization-event \
       URL isn't receiving or decrypting pushes: check the URL in 开发资料, that it answers \"success\", and the message \
       token / EncodingAESKey; then call api_start_push_ticket to restart the pushes."),
    e(61006, "无效 component_verify_ticket", "component ticket is invalid",
      "The ticket doesn't belong to this platform or was mangled. Store tickets per component_appid (two platforms behind \
       one push handler mix them up) and save ComponentVerifyTicket verbatim, including its \"ticket@@@\" prefix."),
    e(61007, "接口未授权给第三方平台", "api is unauthorized to component",
      "The authorizer didn't grant the permission set this API needs (compare func_info from api_query_auth / \
       api_get_authorizer_info), or your platform doesn't declare it. Add the set under 第三方平台 → 权限集, publish, then \
       send the merchant a new authorization link (category_id_list can limit it to that set). Retrying won't help."),
    e(61009, "无效的授权码", "code is invalid",
      "The authorization code is wrong, already exchanged, or belongs to another platform. The redirect's auth_code and the \
       authorized push's AuthorizationCode are the same code: exchange it exactly once (make the exchange idempotent per \
       authorizer), and don't retry api_query_auth with it."),
    e(61010, "授权码已过期", "code is expired",
      "The authorization code is older than its expires_in (600 s). Exchange it with api_query_auth as soon as the redirect \
       or push arrives; now the merchant has to authorize again through a new link with a fresh pre_auth_code."),
    e(61011, "无效的第三方平台", "invalid component",
      "The component_appid is wrong or the platform is not approved. Check the appid at open.weixin.qq.com → 管理中心 → \
       第三方平台 and that the platform's review passed."),
    e(61023, "refresh_token 无效", "refresh_token is invalid",
      "The stored authorizer_refresh_token is stale — the merchant re-authorized (which issues a new one) or it was lost. \
       Don't retry with it. Fetch the current one with api_get_authorizer_list (list[].refresh_token) and store it; if the \
       authorizer is not listed, it revoked authorization — send a new authorization link."),
    e(61024, "第三方平台账号需用 api_component_token 获取令牌", "must use api(api_component_token) to get token for component acct",
      "You called cgi-bin/token or stable_token with the platform's appid and secret. A platform gets its token only from \
       cgi-bin/component/api_component_token with the latest component_verify_ticket."),
    e(61025, "该选项只读", "read-only option",
      "set_authorizer_option cannot change this option. Read it with get_authorizer_option; it can only be changed, if at \
       all, in the authorizer's own console."),
    e(61028, "第三方平台未全网发布", "component is unpublished",
      "The platform is not published network-wide (全网发布). Until it is, only accounts in 授权测试公众号/小程序列表 can \
       authorize it: publish it in open.weixin.qq.com → 第三方平台 → 详情, or add the account to the test list."),
    e(61029, "第三方平台缺少必备权限集", "component need republish with base category",
      "The platform lacks required permission sets (for OA-reuse registration: OA account service, MP account management, \
       MP development management & data analysis, MP verification, MP basic info). Add them under 权限集 and publish \
       network-wide again."),
    e(61051, "公众号主体类型不允许复用资质注册小程序", "invalid realname type",
      "Only verified enterprise, media, government and other-organisation Official Accounts can reuse their qualification. \
       Register this mini program another way (fastregisterweapp with the legal person's face check, or mp.weixin.qq.com)."),
    e(61052, "公众号未完成微信认证", "need to be certified",
      "The Official Account must be WeChat-verified before its qualification can be reused. Finish 微信认证 in \
       mp.weixin.qq.com → 设置 first; don't retry until then."),
    e(61053, "主体注册小程序数量已达上限", "realname exceed limits",
      "This entity has used up its mini-program quota. Nothing in the request can fix it: the merchant must free capacity \
       (cancel unused mini programs) or use another entity."),
    e(61054, "主体已被列入黑名单", "realname in black list",
      "WeChat blacklisted this entity, so registration through this Official Account is blocked. The merchant must \
       contact WeChat; retrying won't help."),
    e(61055, "超过本月复用资质注册上限", "exceed quota per month",
      "An Official Account can create at most 5 mini programs a month by reuse (successful ones count). Wait for next \
       month or use another Official Account."),
    e(61056, "政府、媒体、其他组织类型的公众号必须复用认证", "copy_wx_verify is required option",
      "Government, media and other-organisation Official Accounts must reuse their verification: rebuild the \
       fastregisterauth link with copy_wx_verify=1."),
    e(61057, "公众号有正在进行的注册流程", "the Official Account still has a registration in progress",
      "Let the pending registration of this Official Account finish or lapse before starting another; don't send the admin \
       a second link meanwhile."),
    e(61058, "扫码 ticket 校验失败", "invalid ticket",
      "The ticket from the fastregisterauth redirect did not validate: mistyped, already used, expired, or sent with \
       another account's authorizer_access_token. Call cgi-bin/account/fastregister right after the redirect with the \
       Official Account's own authorizer_access_token; if it failed, have the admin scan a fresh link."),
    e(61060, "跳转 uri 不合法", "redirect_uri is invalid",
      "redirect_uri must be URL-encoded and its host must equal the platform's 登录授权的发起页域名 (open.weixin.qq.com → \
       第三方平台 → 开发资料). Build the link with wxdesk, which encodes it, and check the domain."),
    e(61061, "海外账号不允许访问", "overseas access deny",
      "Accounts of overseas entities cannot use this registration API. Register the mini program directly at \
       mp.weixin.qq.com instead."),
    e(61070, "法人姓名与微信号不一致", "name, wechat name not in accordance",
      "legal_persona_name must be the real name bound (through the bank card) to legal_persona_wechat. Ask the legal \
       person to check 微信 → 我 → 服务 → 钱包 → 身份信息, and send their WeChat ID (微信号), not a phone number or nickname."),
    e(76003, "cgi_path 格式错误，或 rid 不属于本账号", "invalid cgi_path, or the rid does not belong to this account",
      "For openapi/quota/get: cgi_path must start with '/' and carry no host or query (e.g. /cgi-bin/stable_token). For \
       openapi/rid/get: the rid was produced by another account — query it with the token of the account that made the \
       failing call."),
    e(76021, "cgi_path 填错了", "cgi_path not found, please check",
      "No API has that path. Copy it from the API's documentation URL: leading '/', no host, no query string."),
    e(76022, "当前调用接口使用的 token 与 api 所属账号不符，或 sns 类接口不支持",
      "the token does not belong to the account owning the API, or /sns/ APIs are not supported",
      "Use the token of the account that owns the API: the mini program's token for its APIs, the component_access_token \
       for platform APIs, the authorizer_access_token when asking about an authorizer. /sns/… APIs such as jscode2session \
       have no queryable quota — don't ask."),
    e(86004, "无效微信号", "invalid wechat",
      "legal_persona_wechat / wxuser must be a WeChat ID (微信号) — not a phone number, QQ number, nickname or openid. Ask \
       the person to copy it from 微信 → 我, where it is shown as 微信号."),
    e(87009, "无效的签名", "invalid signature",
      "checksession: the stored session_key is no longer current (a newer wx.login rotated it) or the signature is computed \
       wrongly — it is the lowercase hex HMAC-SHA256 of the empty string keyed with the session_key text (not \
       base64-decoded), sig_method=hmac_sha256. Treat it as \"session expired\": have the client wx.login again; don't \
       retry checksession."),
    e(89000, "该公众号/小程序已经绑定了开放平台帐号", "account has bound open",
      "The account is already bound to an Open Platform account, so open/bind fails. Check which one with open/get; unbind \
       it there first (open/unbind, or in open.weixin.qq.com) if it really should move."),
    e(89001, "Authorizer 与开放平台帐号主体不相同", "not same contractor",
      "The account and the Open Platform account belong to different entities (主体); binding requires the same entity. \
       Use an Open Platform account of the same entity."),
    e(89002, "该公众号/小程序未绑定微信开放平台帐号", "open not exists",
      "The account is not bound to any Open Platform account (open/get, open/unbind). Create one with open/create or bind \
       an existing one with open/bind."),
    e(89003, "该开放平台帐号并非通过 api 创建，不允许操作", "open is not created by api",
      "The Open Platform account was created by hand, so the platform cannot manage its bindings through the API. Its \
       owner has to bind or unbind in open.weixin.qq.com."),
    e(89004, "该开放平台帐号所绑定的公众号/小程序已达上限（100 个）", "the Open Platform account reached its limit of 100 bound accounts",
      "An Open Platform account holds at most 100 bound accounts. Unbind unused ones or bind to another Open Platform \
       account of the same entity."),
    e(89247, "系统内部错误", "inner error",
      "WeChat failed internally during fast registration. Retry in a few minutes, not seconds; if the same inputs keep \
       failing, keep the rid and ask WeChat support."),
    e(89248, "企业代码类型无效", "invalid code type",
      "code_type must be 1 (统一社会信用代码, 18 characters), 2 (组织机构代码, 9 characters as xxxxxxxx-x) or 3 \
       (营业执照注册号, 15 characters)."),
    e(89249, "该主体已有任务执行中，距上次任务 24 小时后再提交", "task running",
      "A registration task for this entity is already running. Query it with action=search instead of creating another; a \
       new task is accepted 24 hours after the last one."),
    e(89250, "未找到该任务", "task not found",
      "action=search found no task for this name / legal_persona_wechat / legal_persona_name. Send exactly the three values \
       used in create. (Some SDKs label 89250 \"inner error\"; for search it means not found.)"),
    e(89251, "模板消息已下发，待法人人脸核身校验", "legal person checking",
      "Not a failure: WeChat sent the legal person a template message and is waiting for their face verification, which \
       must happen within 24 hours. Ask them to open it in WeChat (服务通知). Poll action=search sparingly."),
    e(89252, "法人&企业信息一致性校验中", "front checking",
      "Not a failure: the registry check of the enterprise and its legal person is running. Search again later."),
    e(89253, "缺少参数", "lack of some params",
      "A required field is missing: name, code, code_type, legal_persona_wechat and legal_persona_name are all required."),
    e(89254, "第三方平台权限集不全，补全后重新全网发布", "lack of some component rights",
      "The platform lacks the permission sets fast registration needs. Add them under 第三方平台 → 权限集 and publish \
       network-wide again."),
    e(89255, "code 参数无效，请检查 code 长度以及内容是否正确", "enterprise code invalid",
      "code's length or content doesn't fit code_type: 18 characters for 1, 9 (xxxxxxxx-x) for 2, 15 for 3. Copy it from \
       the business licence without spaces."),
    e(89501, "此 IP 正在等待管理员确认（公众号有未处理的确认请求）", "the IP is waiting for the admin's confirmation",
      "The account's admin has a pending confirmation for calls from this IP. Ask the admin to confirm it in WeChat, then \
       retry — don't hammer the API meanwhile. To stop this for good, add the server's egress IP to \
       mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单."),
    e(89502, "请耐心等待管理员确认", "waiting for the admin's confirmation",
      "The admin has not confirmed calls from this IP yet. Ask them to confirm in WeChat and retry afterwards; add the IP \
       to the account's IP whitelist to skip confirmations."),
    e(89503, "此 IP 调用需要管理员确认，请联系管理员", "calls from this IP need the admin's confirmation",
      "WeChat asked the admin to confirm calls from this new IP. Contact the admin to confirm, then retry once. Better: \
       add the server's egress IP to mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单 so no confirmation is needed."),
    e(89504, "正在等管理员确认，请耐心等待", "waiting for the admin's confirmation",
      "A confirmation request is pending with the admin. Wait for it instead of calling again; whitelisting the IP avoids \
       the confirmation."),
    e(89505, "正在等管理员确认，请稍候重试", "waiting for the admin's confirmation, retry later",
      "A confirmation request is pending with the admin. Retry after they confirm; whitelisting the IP avoids the \
       confirmation."),
    e(89506, "24 小时内该 IP 被管理员拒绝调用两次，24 小时内不可再使用该 IP 调用",
      "the admin rejected this IP twice within 24 hours; it is blocked for 24 hours",
      "The IP is blocked for 24 hours. Talk to the admin before anything else (they may not recognise the server), then \
       add the IP to the account's IP whitelist. Calling again before the 24 hours pass changes nothing."),
    e(89507, "1 小时内该 IP 被管理员拒绝调用一次，1 小时内不可再使用该 IP 调用",
      "the admin rejected this IP within the last hour; it is blocked for 1 hour",
      "The IP is blocked for an hour. Explain to the admin which server this is, wait the hour, and add the IP to the \
       account's IP whitelist so it is not asked again."),
    e(1400001, "小程序 quota 余额不足", "appid no enough quota",
      "getuserphonenumber is a paid capability and this mini program's quota is used up. Check and top up the \
       phone-number component's resource package in mp.weixin.qq.com (付费管理); retrying won't help until then."),
    e(1421102, "用户 getPhoneNumber 被拦截", "user getPhoneNumber is blocked",
      "WeChat's risk control blocked this user's phone-number authorization. Don't retry the code; offer another way to \
       enter and verify the phone number."),
];

/// Every catalogued errcode, in ascending order.
pub fn entries() -> &'static [Entry] {
    ENTRIES
}

/// Looks up one errcode.
pub fn lookup(errcode: i64) -> Option<&'static Entry> {
    ENTRIES.iter().find(|e| e.errcode == errcode)
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

fn whitelist_hint(errcode: i64, ip: Option<&str>) -> Option<String> {
    let who = match ip {
        Some(ip) => format!("the caller IP {ip}"),
        None => "your server's public egress IP (errmsg didn't name it; ask the server, e.g. `curl -4 ifconfig.me`)".into(),
    };
    let v6_note = match ip {
        Some(ip) if ip.contains(':') => {
            " WeChat saw the call over IPv6: whitelist this IPv6 address too, or make the server call api.weixin.qq.com \
             over IPv4."
        }
        _ => "",
    };
    let text = match errcode {
        40164 => format!(
            "Add {who} to {MP_WHITELIST} of the account whose AppSecret you use (takes effect within minutes).{v6_note} \
             Behind NAT or a cloud function, whitelist the public egress address, not the machine's private IP. If the \
             platform is calling for an authorizer, edit the platform whitelist instead ({OPEN_WHITELIST})."
        ),
        61004 => format!(
            "Add {who} to {OPEN_WHITELIST} — the platform's whitelist, not the mini program's; it governs every call made \
             with component or authorizer tokens.{v6_note} Behind NAT, whitelist the public egress address. Don't reset \
             the platform's AppSecret: it is not the problem."
        ),
        89501..=89507 => {
            let base = lookup(errcode).map(|e| e.hint).unwrap_or_default();
            let ip_part = match ip {
                Some(ip) => format!(" The IP in question is {ip}; add it to {MP_WHITELIST} to skip confirmations."),
                None => String::new(),
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
            let hint = whitelist_hint(errcode, caller_ip.as_deref())
                .unwrap_or_else(|| entry.hint.to_string());
            Explanation {
                errcode,
                known: true,
                zh: entry.zh.to_string(),
                en: entry.en.to_string(),
                hint,
                caller_ip,
            }
        }
        None => Explanation {
            errcode,
            known: false,
            zh: "未收录的错误码".to_string(),
            en: "errcode not in wxdesk's catalogue".to_string(),
            hint: unknown_hint(errcode, errmsg),
            caller_ip,
        },
    }
}

fn unknown_hint(errcode: i64, errmsg: Option<&str>) -> String {
    let (msg, rid) = match errmsg {
        Some(m) => split_rid(m),
        None => (String::new(), None),
    };
    let msg: String = msg.trim().chars().take(160).collect();
    let said = if msg.is_empty() {
        String::new()
    } else {
        format!(" WeChat said {msg:?} — its errmsg is usually the most precise clue.")
    };
    let rid_part = match rid {
        Some(rid) => format!(
            " Look the request up: POST cgi-bin/openapi/rid/get with {{\"rid\":\"{rid}\"}} and the same account's token shows \
             the URL and body WeChat received."
        ),
        None => " If errmsg carries a rid, look it up with POST cgi-bin/openapi/rid/get (same account's token) to see the \
                 request WeChat received."
            .to_string(),
    };
    format!(
        "wxdesk has no entry for errcode {errcode}.{said}{rid_part} Search the code in the official 全局返回码 pages \
         (mini program and Open Platform). Don't retry in a loop: only -1 and network failures are worth retrying, and \
         never with a single-use code."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_sorted_ascending() {
        assert!(ENTRIES.windows(2).all(|w| w[0].errcode < w[1].errcode));
    }

    #[test]
    fn rid_is_offered_for_unknown_codes() {
        let x = explain(12345, Some("something odd rid: 6a1b2c3d-11223344-55667788"));
        assert!(!x.known);
        assert!(x.hint.contains("6a1b2c3d-11223344-55667788"), "{}", x.hint);
        assert!(x.hint.contains("something odd"), "{}", x.hint);
    }
}
