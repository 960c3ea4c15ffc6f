//! The errcodes of accounts, tokens, authorization, platforms, open data
//! and quotas (the reference's main table), kept apart from the logic of
//! `catalogue` so that each file stays readable. Sorted ascending; merged
//! with the code-management codes into [`super::entries`].

use super::{e, Entry};

/// The account, token, authorization and platform errcodes, ascending.
pub(super) const ENTRIES: &[Entry] = &[
    e(-1, "系统繁忙，此时请开发者稍候再试", "system error: WeChat is busy",
      "Transient on WeChat's side. Retry the same request after 1–2 s with backoff, at most 2–3 times. Never resend a \
       single-use value (js_code, phone code, auth_code, registration ticket) that may already have been consumed — get a \
       fresh one instead. If it lasts for minutes, keep the rid and check the WeChat developer community before changing \
       anything on your side.",
      "微信侧临时繁忙。隔 1–2 秒按退避重试同一个请求，最多 2–3 次。可能已经被消费的一次性凭证（js_code、手机号 code、\
       auth_code、注册 ticket）绝不要重发——重新获取一个新的。如果持续好几分钟，先把 rid 留好，\
       去微信开放社区看看是不是普遍问题，别急着改自己这边的东西。"),
    e(0, "请求成功", "ok", "Nothing to fix: the call succeeded.",
      "无需处理：调用已经成功了。"),
    e(40001, "获取 access_token 时 AppSecret 错误，或者 access_token 无效",
      "invalid credential, access_token is invalid or not latest",
      "Refresh the token once and retry once — don't loop. If it comes back right after a refresh, something else is \
       rotating the token: check that no other server (old deployment, a colleague's script, a plugin) calls cgi-bin/token \
       for this appid — every such call replaces the token and the old one dies 5 minutes later. Move every caller to \
       cgi-bin/stable_token (normal mode) or one central token service. Also check that the token belongs to this appid. \
       When fetching a token, 40001 means the AppSecret is wrong: copy it again from mp.weixin.qq.com → 开发管理 → 开发设置; \
       reset it only if it is lost, because a reset breaks every server still using the old one.",
      "先刷新一次 token、重试一次，别循环重试。如果刚刷新完又报 40001，说明有别的地方也在刷新 token：\
       排查还有没有其他服务器（旧部署、同事的脚本、某个插件）在用这个 appid 调 cgi-bin/token——每调一次都会生成新 \
       token，旧的 5 分钟后就失效。把所有调用方统一改成 cgi-bin/stable_token（普通模式），或者收口到一个中控 token \
       服务。另外确认这个 token 确实是这个 appid 的。如果是获取 token 时报 40001，说明 AppSecret 不对：到 \
       mp.weixin.qq.com → 开发管理 → 开发设置 重新复制一遍；除非 secret 真的丢了，否则不要重置，一重置，所有还在用旧 \
       secret 的服务器都会出错。"),
    e(40002, "不合法的凭证类型", "invalid grant_type",
      "grant_type must be exactly client_credential for cgi-bin/token and stable_token (authorization_code for \
       jscode2session). Look for typos, trailing spaces or a double-encoded value in the request builder.",
      "cgi-bin/token 和 stable_token 的 grant_type 必须一字不差是 client_credential（jscode2session 是 \
       authorization_code）。检查拼请求的代码里有没有拼写错误、多余的空格，或者被重复 URL 编码了。"),
    e(40013, "不合法的 AppID", "invalid appid",
      "Check the AppID character by character: \"wx\" + 16 hex digits, no spaces. Usual mix-ups: the Official Account's \
       appid instead of the mini program's, the original ID (gh_…), a test-account appid against production, or the \
       component appid where the authorizer appid is expected (and vice versa). Copy it from mp.weixin.qq.com → 开发管理 → \
       开发设置 (platform: open.weixin.qq.com → 第三方平台).",
      "逐个字符核对 AppID：\"wx\" 加 16 位十六进制字符，不能有空格。最常见的弄混：把公众号的 appid 当成了小程序的、\
       填成了原始 ID（gh_…）、拿测试号的 appid 调正式环境，或者该填授权方 appid 的地方填了第三方平台的 component \
       appid（反过来也一样）。到 mp.weixin.qq.com → 开发管理 → 开发设置 复制（第三方平台在 open.weixin.qq.com → \
       第三方平台）。"),
    e(40014, "不合法的 access_token", "invalid access_token",
      "The token is malformed, truncated or belongs to another account. Check that storage doesn't cut it (reserve 512+ \
       characters), that it isn't URL-encoded twice, and that you send the authorizer_access_token — not the \
       component_access_token — when calling mini-program APIs for an authorizer. Refresh once and retry once; don't loop.",
      "token 格式不对、被截断了，或者根本不是这个账号的。检查存储字段有没有把它截断（至少留 512 个字符）、是不是被 \
       URL 编码了两次；代授权方调用小程序接口时要传 authorizer_access_token，不是 component_access_token。刷新一次、\
       重试一次，别循环。"),
    e(40029, "code 无效（不存在或已过期）", "invalid code",
      "The js_code or phone code is wrong, older than 5 minutes, or was issued to another appid. Don't retry with the same \
       code: have the client call wx.login (or tap the phone button) again and send the new code at once. Check that the \
       build calling wx.login uses the same appid as the server, and in component mode that you call \
       sns/component/jscode2session, not sns/jscode2session.",
      "js_code 或手机号 code 不对、超过了 5 分钟，或者是发给另一个 appid 的。不要拿同一个 code 重试：让客户端重新调 \
       wx.login（或者重新点一次手机号按钮），拿到新 code 马上发给服务端。确认调 wx.login \
       的那个包和服务端用的是同一个 appid；第三方平台代调用时要调 sns/component/jscode2session，不是 \
       sns/jscode2session。"),
    e(40097, "参数错误", "invalid args",
      "A parameter value is malformed or out of range. Compare each field with the API's table: numbers as numbers, \
       booleans as booleans, omit optional fields instead of sending empty strings. Look the rid up with \
       cgi-bin/openapi/rid/get to see the exact body WeChat received.",
      "有参数的值格式不对或者超出范围。对着接口文档的参数表逐个字段核对：数字传数字、布尔传布尔，可选字段不用就别传，\
       不要传空字符串。用 cgi-bin/openapi/rid/get 查一下这个 rid，能看到微信实际收到的请求体。"),
    e(40125, "无效的 AppSecret", "invalid appsecret",
      "The AppSecret doesn't match the AppID. Copy it again (32 hex characters, no spaces): mini program at \
       mp.weixin.qq.com → 开发管理 → 开发设置 → AppSecret; platform at open.weixin.qq.com → 第三方平台 → 开发资料. Make sure \
       you are not pairing one account's secret with another's appid. A reset invalidates the old secret everywhere — find \
       out who else uses it before resetting.",
      "AppSecret 和 AppID 对不上。重新复制一遍（32 位十六进制，不带空格）：小程序在 mp.weixin.qq.com → 开发管理 → \
       开发设置 → AppSecret；第三方平台在 open.weixin.qq.com → 第三方平台 → 开发资料。确认没有把 A 账号的 secret \
       配给了 B 账号的 appid。重置会让旧 secret 在所有地方立即失效——重置之前先弄清楚还有谁在用它。"),
    e(40163, "code 已被使用", "code been used",
      "Codes are single-use. Never retry a request that carried a code — not even after a timeout; get a new one from \
       wx.login (or the phone button). If there was no obvious retry, look for double submission: the client calling your \
       login endpoint twice, an HTTP client or proxy retrying POSTs, or two servers consuming the same code.",
      "code 只能用一次。带 code 的请求一律不要重试——哪怕是超时也不行；让客户端重新 wx.login（或重新点手机号按钮）\
       拿一个新的。如果代码里并没有明显的重试，就查重复提交：客户端把登录接口调了两次、HTTP 客户端或代理自动重试了 \
       POST，或者两台服务器消费了同一个 code。"),
    e(40164, "调用接口的 IP 地址不在白名单中", "invalid ip, not in whitelist",
      "Add the server's egress IP (WeChat names it in errmsg) to mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单 of the \
       account whose AppSecret you use; it takes effect within minutes. Behind NAT or a cloud function, whitelist the \
       public egress address, not the machine's private IP. When the platform calls for an authorizer, the platform \
       whitelist applies instead (61004).",
      "把服务器的出口 IP（微信在 errmsg 里会写出来）加到所用 AppSecret 对应账号的 mp.weixin.qq.com → 开发管理 → \
       开发设置 → IP白名单，几分钟内生效。如果服务器在 NAT 后面或者用的是云函数，要加公网出口地址，不是机器的内网 \
       IP。如果是第三方平台代授权方调用，起作用的是第三方平台的白名单（见 61004）。"),
    e(40170, "个数超出限制", "args count exceed count limit",
      "A count or list parameter is above its maximum — api_get_authorizer_list accepts count ≤ 500. Page through with \
       offset/count instead of asking for everything at once.",
      "数量或列表参数超过了上限——api_get_authorizer_list 的 count 最大 500。用 offset/count 分页拉，不要一次要全部。"),
    e(40226, "高风险等级用户，小程序登录拦截", "code blocked: high-risk user, login intercepted",
      "WeChat's risk control blocked this user's login; nothing on your side is broken and retrying won't help. Show a \
       plain \"cannot log in right now\" message and don't flag the user in your own system on this alone. If many users \
       are hit at once, check the mini program's 违规记录 and messages in mp.weixin.qq.com.",
      "这是微信风控拦截了这个用户的登录，你这边没有任何问题，重试也没用。给用户一个简单的“暂时无法登录”提示就行，\
       不要只凭这一条就在自己系统里给这个用户打标记。如果同时有大量用户被拦，到 mp.weixin.qq.com \
       看看小程序的违规记录和站内消息。"),
    e(40243, "AppSecret 已被冻结，请登录 MP 解冻后再次调用", "AppSecret frozen",
      "An admin (or WeChat, after a suspected leak) froze the AppSecret. An admin must unfreeze it in mp.weixin.qq.com → \
       开发管理 → 开发设置 → AppSecret. If it was frozen because it leaked, reset it instead, roll out the new secret, and \
       invalidate old tokens with a stable_token force_refresh.",
      "AppSecret 被管理员冻结了（也可能是微信怀疑泄露后冻结的）。需要管理员到 mp.weixin.qq.com → 开发管理 → 开发设置 \
       → AppSecret 解冻。如果是因为泄露被冻结，就别解冻了，直接重置，把新 secret 发布上线，再用 stable_token 的 \
       force_refresh 让旧 token 失效。"),
    e(41001, "缺少 access_token 参数", "access_token missing",
      "The request carries no access_token. An empty string counts as missing: check that the token cache actually \
       returned a value, and that the query parameter is named access_token (component APIs also accept \
       component_access_token).",
      "请求里没带 access_token，传空字符串也算没带：检查 token 缓存是不是真的返回了值，以及 query 参数名是不是 \
       access_token（第三方平台接口也认 component_access_token）。"),
    e(41002, "缺少 appid 参数", "appid missing",
      "The appid parameter is absent or empty. stable_token wants it in the JSON body, clear_quota/v2 in the query string; \
       check the request builder, not the value.",
      "appid 参数没传或者是空的。stable_token 要放在 JSON 请求体里，clear_quota/v2 要放在 URL 查询参数里；\
       该查的是拼请求的代码，不是 appid 的值。"),
    e(41004, "缺少 secret 参数", "appsecret missing",
      "The secret is absent or empty — usually an unset environment variable or an empty vault entry. Check that the \
       secret store returned a value and that it is sent under the right name (secret; component_appsecret for \
       api_component_token).",
      "secret 没传或者是空的——通常是环境变量没配，或者密钥库里那一项是空的。确认密钥存储确实返回了值，\
       并且参数名用对了（一般是 secret，api_component_token 用 component_appsecret）。"),
    e(41008, "缺少 code 参数", "missing code",
      "The code parameter is missing or empty: the client didn't send the js_code / phone code, or your server dropped it \
       on the way. Log (masked) whether a code arrived before calling WeChat.",
      "code 参数没传或者是空的：要么客户端没把 js_code / 手机号 code 传上来，要么服务端在中间把它弄丢了。\
       调微信之前先打一行（脱敏的）日志，确认 code 到底有没有到。"),
    e(41030, "所传 page 页面不存在，或者小程序没有发布", "invalid page: the page does not exist or the mini program is not released",
      "getwxacodeunlimit checks page against the released version. Publish the version that contains the page, or send \
       check_path=false (with env_version trial/develop for unreleased builds). page takes no leading '/' and no query \
       string — put parameters into scene.",
      "getwxacodeunlimit 会拿线上版本来校验 page。先把包含这个页面的版本发布上线，或者传 \
       check_path=false（还没发布的包再配合 env_version 传 trial/develop）。page 开头不带 '/'，也不带查询参数——\
       参数都放进 scene。"),
    e(42001, "access_token 超时", "access_token expired",
      "The token lived out its 2 hours. Refresh once and retry once. Refresh a few minutes before expires_in runs out so \
       users never see this; if it is frequent, the cache is keeping tokens longer than expires_in (check clock skew).",
      "token 已经过了 2 小时有效期。刷新一次、重试一次。在 expires_in 到期前几分钟就提前刷新，用户就碰不到这个错误；\
       如果经常出现，说明缓存里 token 存得比 expires_in 还久（顺便查一下服务器时钟有没有偏差）。"),
    e(43002, "需要 POST 请求", "require POST method",
      "This endpoint only accepts POST with a JSON body (stable_token, component APIs). Check the HTTP method, and that an \
       http→https redirect isn't turning the POST into a GET.",
      "这个接口只接受带 JSON 请求体的 POST（stable_token、第三方平台接口都是这样）。检查 HTTP 方法，再看看是不是有 \
       http→https 跳转把 POST 变成了 GET。"),
    e(45009, "接口调用超过天级别频率限制", "reach max api daily quota limit",
      "Check the quota first: POST cgi-bin/openapi/quota/get with the cgi_path shows daily_limit / used / remain. \
       clear_quota resets it, but the budget is 10 resets per account per month, shared by the console, clear_quota and \
       clear_quota/v2 — never call it automatically. Find the caller burning the quota (uncached token fetches, retry \
       loops). On getwxacodeunlimit this code means the per-minute limit (5000/min): slow down instead of clearing.",
      "先查额度：带上 cgi_path 调 POST cgi-bin/openapi/quota/get，能看到 daily_limit / used / remain。clear_quota \
       可以清零，但每个账号每月只有 10 次，后台、clear_quota 和 clear_quota/v2 共用这 10 次——绝不要写成自动调用。\
       找出是谁在烧额度（token 没缓存、反复获取，或者重试死循环）。getwxacodeunlimit \
       报这个码是触发了分钟级限制（5000 次/分钟）：降速就好，不要去清零。"),
    e(45011, "API 调用太频繁，请稍候再试", "api minute-quota reach limit mustslower retry next minute",
      "Per-minute limit reached. Back off until the next minute instead of retrying at once. jscode2session allows 100 \
       calls per user per minute — a client calling login in a loop is the usual cause.",
      "触发了分钟级频率限制。等到下一分钟再调，不要马上重试。jscode2session 每个用户每分钟最多 100 次——\
       通常是客户端在循环调登录。"),
    e(47001, "解析 JSON/XML 内容错误，或 POST 数据参数缺失", "data format error",
      "The body is not valid JSON or lacks a required field. Send UTF-8 JSON with Content-Type: application/json (not \
       form data), check that required fields are present and typed as documented, and that the body isn't empty.",
      "请求体不是合法的 JSON，或者缺了必填字段。发 UTF-8 编码的 JSON，Content-Type 设为 \
       application/json（不要用表单格式），检查必填字段是否齐全、类型是否和文档一致，以及请求体是不是空的。"),
    e(48001, "api 功能未授权", "api unauthorized",
      "The account lacks this API: unverified account, wrong account type (e.g. personal mini program), or a capability \
       that must be enabled first (mp.weixin.qq.com → 开发管理 → 接口设置). When a platform calls for an authorizer it can \
       also mean the permission set was not granted — see 61007.",
      "账号没有这个接口的权限：账号没认证、账号类型不对（比如个人主体的小程序），或者这个能力要先开通\
       （mp.weixin.qq.com → 开发管理 → 接口设置）。第三方平台代授权方调用时，也可能是授权方没把对应权限集授权给你——\
       见 61007。"),
    e(48006, "api 禁止清零调用次数，因为清零次数达到上限", "forbid to clear quota because of reaching the limit",
      "All 10 quota resets of this month are used (console and API share them). Stop calling clear_quota; wait for next \
       month and cut the call volume — cache tokens, fix retry loops.",
      "本月 10 次清零机会已经用完了（后台和 API 共用）。别再调 clear_quota，等下个月，同时把调用量降下来——缓存好 \
       token，修掉重试死循环。"),
    e(61003, "帐号未授权（该账号未授权给此第三方平台）", "component is not authorized by this account",
      "The authorizer never authorized your platform or revoked it (merchants revoke in mp.weixin.qq.com → 设置 → 第三方设置 → \
       授权管理). Check api_get_authorizer_list: if the appid is missing, stop refreshing its tokens and send the merchant \
       a new authorization link.",
      "授权方从来没授权过你的第三方平台，或者已经取消了授权（商家在 mp.weixin.qq.com → 设置 → 第三方设置 → 授权管理 \
       里取消）。查一下 api_get_authorizer_list：如果列表里没有这个 appid，就停掉它的 token 刷新，\
       给商家发一个新的授权链接。"),
    e(61004, "第三方平台出口 IP 未设置（不在白名单中）", "access clientip is not registered, not in whitelist",
      "Add the server's egress IP (WeChat names it in errmsg) to open.weixin.qq.com → 管理中心 → 第三方平台 → (your platform) \
       → 开发资料 → 白名单IP. This is the platform's whitelist, not the mini program's; it governs every call made with \
       the component or authorizer tokens. Behind NAT, whitelist the public egress address.",
      "把服务器的出口 IP（微信在 errmsg 里会写出来）加到 open.weixin.qq.com → 管理中心 → 第三方平台 → （你的平台） → \
       开发资料 → 白名单IP。这是第三方平台的白名单，不是小程序的；所有用 component token 或授权方 token \
       发起的调用都受它管。服务器在 NAT 后面的话，加公网出口地址。"),
    e(61005, "component_verify_ticket 已过期", "component ticket is expired",
      "The ticket is older than 12 h. Use the newest pushed ticket. If none arrived for 20+ minutes, the authorization-event \
       URL isn't receiving or decrypting pushes: check the URL in 开发资料, that it answers \"success\", and the message \
       token / EncodingAESKey; then call api_start_push_ticket to restart the pushes.",
      "ticket 已经超过 12 小时了。用最新推送过来的那张。如果 20 分钟以上都没收到推送，说明授权事件接收 URL \
       没收到推送或者没解密成功：检查 开发资料 里配的 URL、它有没有回复 \"success\"、消息校验 Token 和 EncodingAESKey \
       对不对；然后调 api_start_push_ticket 重新启动推送。"),
    e(61006, "无效 component_verify_ticket", "component ticket is invalid",
      "The ticket doesn't belong to this platform or was mangled. Store tickets per component_appid (two platforms behind \
       one push handler mix them up) and save ComponentVerifyTicket verbatim, including its \"ticket@@@\" prefix.",
      "这张 ticket 不是这个第三方平台的，或者被改坏了。ticket 要按 component_appid \
       分开存（两个平台共用一个推送处理程序时很容易串），ComponentVerifyTicket 要原样保存，包括 \"ticket@@@\" 前缀。"),
    e(61007, "接口未授权给第三方平台", "api is unauthorized to component",
      "The authorizer didn't grant the permission set this API needs (compare func_info from api_query_auth / \
       api_get_authorizer_info), or your platform doesn't declare it. Add the set under 第三方平台 → 权限集, publish, then \
       send the merchant a new authorization link (category_id_list can limit it to that set). Retrying won't help.",
      "授权方没有授予这个接口所需的权限集（对比 api_query_auth / api_get_authorizer_info 返回的 func_info），\
       或者你的第三方平台本身就没申请这个权限集。到 第三方平台 → 权限集 里加上并发布，\
       然后给商家发新的授权链接（可以用 category_id_list 只请求这一个权限集）。重试没用。"),
    e(61009, "无效的授权码", "code is invalid",
      "The authorization code is wrong, already exchanged, or belongs to another platform. The redirect's auth_code and the \
       authorized push's AuthorizationCode are the same code: exchange it exactly once (make the exchange idempotent per \
       authorizer), and don't retry api_query_auth with it.",
      "授权码不对、已经换取过了，或者是别的第三方平台的。回调带回来的 auth_code 和授权成功推送里的 AuthorizationCode \
       是同一个码：只能换取一次（按授权方做幂等），不要拿它重试 api_query_auth。"),
    e(61010, "授权码已过期", "code is expired",
      "The authorization code is older than its expires_in (600 s). Exchange it with api_query_auth as soon as the redirect \
       or push arrives; now the merchant has to authorize again through a new link with a fresh pre_auth_code.",
      "授权码已经超过了 expires_in（600 秒）。以后回调或推送一到就立刻用 api_query_auth 换取；\
       这次只能让商家通过新链接（用新的 pre_auth_code 生成）重新授权。"),
    e(61011, "无效的第三方平台", "invalid component",
      "The component_appid is wrong or the platform is not approved. Check the appid at open.weixin.qq.com → 管理中心 → \
       第三方平台 and that the platform's review passed.",
      "component_appid 不对，或者第三方平台还没审核通过。到 open.weixin.qq.com → 管理中心 → 第三方平台 核对 appid，\
       并确认平台审核已经通过。"),
    e(61023, "refresh_token 无效", "refresh_token is invalid",
      "The stored authorizer_refresh_token is stale — the merchant re-authorized (which issues a new one) or it was lost. \
       Don't retry with it. Fetch the current one with api_get_authorizer_list (list[].refresh_token) and store it; if the \
       authorizer is not listed, it revoked authorization — send a new authorization link.",
      "存着的 authorizer_refresh_token 已经失效——商家重新授权过（会下发新的），或者存丢了。别拿它重试。用 \
       api_get_authorizer_list 取当前有效的（list[].refresh_token）存起来；如果列表里没有这个授权方，\
       说明它已经取消授权——给它发新的授权链接。"),
    e(61024, "第三方平台账号需用 api_component_token 获取令牌", "must use api(api_component_token) to get token for component acct",
      "You called cgi-bin/token or stable_token with the platform's appid and secret. A platform gets its token only from \
       cgi-bin/component/api_component_token with the latest component_verify_ticket.",
      "你拿第三方平台的 appid 和 secret 调了 cgi-bin/token 或 stable_token。第三方平台只能通过 \
       cgi-bin/component/api_component_token、带上最新的 component_verify_ticket 获取令牌。"),
    e(61025, "该选项只读", "read-only option",
      "set_authorizer_option cannot change this option. Read it with get_authorizer_option; it can only be changed, if at \
       all, in the authorizer's own console.",
      "set_authorizer_option 改不了这个选项。用 get_authorizer_option 读它；真要改，\
       也只能在授权方自己的后台改（如果允许改的话）。"),
    e(61028, "第三方平台未全网发布", "component is unpublished",
      "The platform is not published network-wide (全网发布). Until it is, only accounts in 授权测试公众号/小程序列表 can \
       authorize it: publish it in open.weixin.qq.com → 第三方平台 → 详情, or add the account to the test list.",
      "第三方平台还没全网发布。发布之前，只有 授权测试公众号/小程序列表 里的账号能授权：到 open.weixin.qq.com → \
       第三方平台 → 详情 里全网发布，或者先把这个账号加进测试列表。"),
    e(61029, "第三方平台缺少必备权限集", "component need republish with base category",
      "The platform lacks required permission sets (for OA-reuse registration: OA account service, MP account management, \
       MP development management & data analysis, MP verification, MP basic info). Add them under 权限集 and publish \
       network-wide again.",
      "第三方平台缺少必备的权限集（复用公众号资质注册小程序需要：公众号帐号服务、小程序帐号管理、\
       小程序开发管理与数据分析、小程序认证、小程序基本信息设置）。到 权限集 里补齐，再重新全网发布。"),
    e(61051, "公众号主体类型不允许复用资质注册小程序", "invalid realname type",
      "Only verified enterprise, media, government and other-organisation Official Accounts can reuse their qualification. \
       Register this mini program another way (fastregisterweapp with the legal person's face check, or mp.weixin.qq.com).",
      "只有已认证的企业、媒体、政府及其他组织类型的公众号才能复用资质。这个小程序换个方式注册（用 fastregisterweapp \
       走法人人脸核身，或者直接在 mp.weixin.qq.com 注册）。"),
    e(61052, "公众号未完成微信认证", "need to be certified",
      "The Official Account must be WeChat-verified before its qualification can be reused. Finish 微信认证 in \
       mp.weixin.qq.com → 设置 first; don't retry until then.",
      "公众号必须先完成微信认证，才能复用资质。先到 mp.weixin.qq.com → 设置 完成微信认证；完成之前别重试。"),
    e(61053, "主体注册小程序数量已达上限", "realname exceed limits",
      "This entity has used up its mini-program quota. Nothing in the request can fix it: the merchant must free capacity \
       (cancel unused mini programs) or use another entity.",
      "这个主体能注册的小程序数量已经用完了。改请求参数解决不了：要么商家腾出名额（注销不用的小程序），\
       要么换一个主体。"),
    e(61054, "主体已被列入黑名单", "realname in black list",
      "WeChat blacklisted this entity, so registration through this Official Account is blocked. The merchant must \
       contact WeChat; retrying won't help.",
      "这个主体被微信列入了黑名单，没法通过这个公众号注册小程序。需要商家自己联系微信处理，重试没用。"),
    e(61055, "超过本月复用资质注册上限", "exceed quota per month",
      "An Official Account can create at most 5 mini programs a month by reuse (successful ones count). Wait for next \
       month or use another Official Account.",
      "一个公众号每月最多通过复用资质创建 5 个小程序（按成功的算）。等下个月，或者换一个公众号。"),
    e(61056, "政府、媒体、其他组织类型的公众号必须复用认证", "copy_wx_verify is required option",
      "Government, media and other-organisation Official Accounts must reuse their verification: rebuild the \
       fastregisterauth link with copy_wx_verify=1.",
      "政府、媒体、其他组织类型的公众号必须复用认证：重新生成 fastregisterauth 链接，带上 copy_wx_verify=1。"),
    e(61057, "公众号有正在进行的注册流程", "the Official Account still has a registration in progress",
      "Let the pending registration of this Official Account finish or lapse before starting another; don't send the admin \
       a second link meanwhile.",
      "先等这个公众号正在进行的注册流程走完或者过期，再发起新的；这期间不要给管理员发第二个链接。"),
    e(61058, "扫码 ticket 校验失败", "invalid ticket",
      "The ticket from the fastregisterauth redirect did not validate: mistyped, already used, expired, or sent with \
       another account's authorizer_access_token. Call cgi-bin/account/fastregister right after the redirect with the \
       Official Account's own authorizer_access_token; if it failed, have the admin scan a fresh link.",
      "fastregisterauth 回调带回来的 ticket 校验没通过：抄错了、已经用过、过期了，或者用了别的账号的 \
       authorizer_access_token。收到回调后马上用这个公众号自己的 authorizer_access_token 调 \
       cgi-bin/account/fastregister；已经失败的话，让管理员重新扫一个新链接。"),
    e(61060, "跳转 uri 不合法", "redirect_uri is invalid",
      "redirect_uri must be URL-encoded and its host must equal the platform's 登录授权的发起页域名 (open.weixin.qq.com → \
       第三方平台 → 开发资料). Build the link with wxdesk, which encodes it, and check the domain.",
      "redirect_uri 必须做 URL 编码，而且域名必须和第三方平台配置的 登录授权的发起页域名 一致（open.weixin.qq.com → \
       第三方平台 → 开发资料）。用 wxdesk 生成链接（它会自动编码），再核对一下域名。"),
    e(61061, "海外账号不允许访问", "overseas access deny",
      "Accounts of overseas entities cannot use this registration API. Register the mini program directly at \
       mp.weixin.qq.com instead.",
      "海外主体的账号不能用这个注册接口。请直接到 mp.weixin.qq.com 注册小程序。"),
    e(61070, "法人姓名与微信号不一致", "name, wechat name not in accordance",
      "legal_persona_name must be the real name bound (through the bank card) to legal_persona_wechat. Ask the legal \
       person to check 微信 → 我 → 服务 → 钱包 → 身份信息, and send their WeChat ID (微信号), not a phone number or nickname.",
      "legal_persona_name 必须是 legal_persona_wechat 这个微信号（通过银行卡）实名绑定的真实姓名。请法人在 微信 → 我 \
       → 服务 → 钱包 → 身份信息 里核对，并且传的是微信号，不是手机号或昵称。"),
    e(76003, "cgi_path 格式错误，或 rid 不属于本账号", "invalid cgi_path, or the rid does not belong to this account",
      "For openapi/quota/get: cgi_path must start with '/' and carry no host or query (e.g. /cgi-bin/stable_token). For \
       openapi/rid/get: the rid was produced by another account — query it with the token of the account that made the \
       failing call.",
      "openapi/quota/get：cgi_path 必须以 '/' 开头，不带域名和 query（例如 /cgi-bin/stable_token）。openapi/rid/get：\
       这个 rid 是别的账号产生的——要用发起失败调用的那个账号的 token 去查。"),
    e(76021, "cgi_path 填错了", "cgi_path not found, please check",
      "No API has that path. Copy it from the API's documentation URL: leading '/', no host, no query string.",
      "没有这个路径的接口。从接口文档的 URL 里复制：以 '/' 开头，不带域名，也不带查询参数。"),
    e(76022, "当前调用接口使用的 token 与 api 所属账号不符，或 sns 类接口不支持",
      "the token does not belong to the account owning the API, or /sns/ APIs are not supported",
      "Use the token of the account that owns the API: the mini program's token for its APIs, the component_access_token \
       for platform APIs, the authorizer_access_token when asking about an authorizer. /sns/… APIs such as jscode2session \
       have no queryable quota — don't ask.",
      "用接口所属账号的 token：小程序的接口用小程序的 token，第三方平台接口用 component_access_token，\
       查授权方的情况用 authorizer_access_token。/sns/… 这类接口（比如 jscode2session）没有可查询的额度，不用查。"),
    e(86004, "无效微信号", "invalid wechat",
      "legal_persona_wechat / wxuser must be a WeChat ID (微信号) — not a phone number, QQ number, nickname or openid. Ask \
       the person to copy it from 微信 → 我, where it is shown as 微信号.",
      "legal_persona_wechat / wxuser 必须是微信号——不是手机号、QQ 号、昵称，也不是 openid。让对方到 微信 → 我 \
       里复制标着“微信号”的那一项。"),
    e(87009, "无效的签名", "invalid signature",
      "checksession: the stored session_key is no longer current (a newer wx.login rotated it) or the signature is computed \
       wrongly — it is the lowercase hex HMAC-SHA256 of the empty string keyed with the session_key text (not \
       base64-decoded), sig_method=hmac_sha256. Treat it as \"session expired\": have the client wx.login again; don't \
       retry checksession.",
      "checksession：存的 session_key 已经不是最新的（后来又调了 wx.login，把它换掉了），或者签名算错了——签名是以 \
       session_key 原文（不要 base64 解码）为密钥、对空字符串做 HMAC-SHA256 得到的小写十六进制，\
       sig_method=hmac_sha256。按“会话已过期”处理：让客户端重新 wx.login，不要重试 checksession。"),
    e(89000, "该公众号/小程序已经绑定了开放平台帐号", "account has bound open",
      "The account is already bound to an Open Platform account, so open/bind fails. Check which one with open/get; unbind \
       it there first (open/unbind, or in open.weixin.qq.com) if it really should move.",
      "这个账号已经绑定了开放平台帐号，所以 open/bind 失败。先用 open/get 查是哪一个；如果确实要换绑，\
       先在原来那边解绑（open/unbind，或者在 open.weixin.qq.com 操作）。"),
    e(89001, "Authorizer 与开放平台帐号主体不相同", "not same contractor",
      "The account and the Open Platform account belong to different entities (主体); binding requires the same entity. \
       Use an Open Platform account of the same entity.",
      "账号和开放平台帐号不是同一个主体，而绑定要求主体一致。换一个同主体的开放平台帐号。"),
    e(89002, "该公众号/小程序未绑定微信开放平台帐号", "open not exists",
      "The account is not bound to any Open Platform account (open/get, open/unbind). Create one with open/create or bind \
       an existing one with open/bind.",
      "这个账号没有绑定任何开放平台帐号（open/get、open/unbind 会报这个）。用 open/create 新建一个，或者用 open/bind \
       绑定已有的。"),
    e(89003, "该开放平台帐号并非通过 api 创建，不允许操作", "open is not created by api",
      "The Open Platform account was created by hand, so the platform cannot manage its bindings through the API. Its \
       owner has to bind or unbind in open.weixin.qq.com.",
      "这个开放平台帐号是手工创建的，第三方平台不能通过 API 管理它的绑定关系。要由它的所有者到 open.weixin.qq.com \
       手动绑定或解绑。"),
    e(89004, "该开放平台帐号所绑定的公众号/小程序已达上限（100 个）", "the Open Platform account reached its limit of 100 bound accounts",
      "An Open Platform account holds at most 100 bound accounts. Unbind unused ones or bind to another Open Platform \
       account of the same entity.",
      "一个开放平台帐号最多绑定 100 个账号。解绑不用的，或者绑到同主体的另一个开放平台帐号上。"),
    e(89247, "系统内部错误", "inner error",
      "WeChat failed internally during fast registration. Retry in a few minutes, not seconds; if the same inputs keep \
       failing, keep the rid and ask WeChat support.",
      "快速注册过程中微信内部出错了。过几分钟再试，别几秒钟就重试；如果同样的参数一直失败，把 rid 留好，\
       联系微信客服。"),
    e(89248, "企业代码类型无效", "invalid code type",
      "code_type must be 1 (统一社会信用代码, 18 characters), 2 (组织机构代码, 9 characters as xxxxxxxx-x) or 3 \
       (营业执照注册号, 15 characters).",
      "code_type 只能是 1（统一社会信用代码，18 位）、2（组织机构代码，9 位，格式 xxxxxxxx-x）或 3（营业执照注册号，\
       15 位）。"),
    e(89249, "该主体已有任务执行中，距上次任务 24 小时后再提交", "task running",
      "A registration task for this entity is already running. Query it with action=search instead of creating another; a \
       new task is accepted 24 hours after the last one.",
      "这个主体已经有一个注册任务在跑了。用 action=search 查它，不要再创建新的；距上一个任务满 24 \
       小时后才能提交新任务。"),
    e(89250, "未找到该任务", "task not found",
      "action=search found no task for this name / legal_persona_wechat / legal_persona_name. Send exactly the three values \
       used in create. (Some SDKs label 89250 \"inner error\"; for search it means not found.)",
      "action=search 按这组 name / legal_persona_wechat / legal_persona_name 没查到任务。三个值要和 create \
       时传的完全一致。（有些 SDK 把 89250 标成 \"inner error\"；对 search 来说它就是“没找到”。）"),
    e(89251, "模板消息已下发，待法人人脸核身校验", "legal person checking",
      "Not a failure: WeChat sent the legal person a template message and is waiting for their face verification, which \
       must happen within 24 hours. Ask them to open it in WeChat (服务通知). Poll action=search sparingly.",
      "这不是失败：微信已经给法人发了模板消息，正在等法人做人脸核身，必须在 24 小时内完成。请法人在微信的 服务通知 \
       里打开它。action=search 不要查得太勤。"),
    e(89252, "法人&企业信息一致性校验中", "front checking",
      "Not a failure: the registry check of the enterprise and its legal person is running. Search again later.",
      "这不是失败：正在做企业和法人信息的一致性校验。过一会儿再查。"),
    e(89253, "缺少参数", "lack of some params",
      "A required field is missing: name, code, code_type, legal_persona_wechat and legal_persona_name are all required.",
      "缺少必填字段：name、code、code_type、legal_persona_wechat、legal_persona_name 都是必填的。"),
    e(89254, "第三方平台权限集不全，补全后重新全网发布", "lack of some component rights",
      "The platform lacks the permission sets fast registration needs. Add them under 第三方平台 → 权限集 and publish \
       network-wide again.",
      "第三方平台缺少快速注册需要的权限集。到 第三方平台 → 权限集 里补齐，再重新全网发布。"),
    e(89255, "code 参数无效，请检查 code 长度以及内容是否正确", "enterprise code invalid",
      "code's length or content doesn't fit code_type: 18 characters for 1, 9 (xxxxxxxx-x) for 2, 15 for 3. Copy it from \
       the business licence without spaces.",
      "code 的长度或内容和 code_type 对不上：1 是 18 位，2 是 9 位（xxxxxxxx-x），3 是 15 位。照着营业执照复制，\
       不要带空格。"),
    e(89501, "此 IP 正在等待管理员确认（公众号有未处理的确认请求）", "the IP is waiting for the admin's confirmation",
      "The account's admin has a pending confirmation for calls from this IP. Ask the admin to confirm it in WeChat, then \
       retry — don't hammer the API meanwhile. To stop this for good, add the server's egress IP to \
       mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单.",
      "账号管理员那边有一条针对这个 IP 调用的待确认请求。请管理员在微信里确认后再重试——确认之前别反复调接口。\
       想一劳永逸，就把服务器出口 IP 加到 mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单。"),
    e(89502, "请耐心等待管理员确认", "waiting for the admin's confirmation",
      "The admin has not confirmed calls from this IP yet. Ask them to confirm in WeChat and retry afterwards; add the IP \
       to the account's IP whitelist to skip confirmations.",
      "管理员还没确认这个 IP 的调用。请管理员在微信里确认，之后再重试；把这个 IP 加到账号的 IP白名单 \
       里就不用再确认了。"),
    e(89503, "此 IP 调用需要管理员确认，请联系管理员", "calls from this IP need the admin's confirmation",
      "WeChat asked the admin to confirm calls from this new IP. Contact the admin to confirm, then retry once. Better: \
       add the server's egress IP to mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单 so no confirmation is needed.",
      "微信已经让管理员确认这个新 IP 的调用。联系管理员确认，然后重试一次。更好的办法：把服务器出口 IP 加到 \
       mp.weixin.qq.com → 开发管理 → 开发设置 → IP白名单，以后就不需要确认了。"),
    e(89504, "正在等管理员确认，请耐心等待", "waiting for the admin's confirmation",
      "A confirmation request is pending with the admin. Wait for it instead of calling again; whitelisting the IP avoids \
       the confirmation.",
      "有一条确认请求正在等管理员处理。等管理员确认，别再调了；把 IP 加进白名单就能免去确认。"),
    e(89505, "正在等管理员确认，请稍候重试", "waiting for the admin's confirmation, retry later",
      "A confirmation request is pending with the admin. Retry after they confirm; whitelisting the IP avoids the \
       confirmation.",
      "有一条确认请求正在等管理员处理。管理员确认之后再重试；把 IP 加进白名单就能免去确认。"),
    e(89506, "24 小时内该 IP 被管理员拒绝调用两次，24 小时内不可再使用该 IP 调用",
      "the admin rejected this IP twice within 24 hours; it is blocked for 24 hours",
      "The IP is blocked for 24 hours. Talk to the admin before anything else (they may not recognise the server), then \
       add the IP to the account's IP whitelist. Calling again before the 24 hours pass changes nothing.",
      "这个 IP 被封禁 24 小时。先跟管理员沟通（他可能不认识这台服务器），然后把这个 IP 加到账号的 IP白名单。24 \
       小时内再怎么调都没用。"),
    e(89507, "1 小时内该 IP 被管理员拒绝调用一次，1 小时内不可再使用该 IP 调用",
      "the admin rejected this IP within the last hour; it is blocked for 1 hour",
      "The IP is blocked for an hour. Explain to the admin which server this is, wait the hour, and add the IP to the \
       account's IP whitelist so it is not asked again.",
      "这个 IP 被封禁 1 小时。跟管理员说清楚这是哪台服务器，等一个小时，再把这个 IP 加到账号的 IP白名单，\
       以后就不会再来问了。"),
    e(1400001, "小程序 quota 余额不足", "appid no enough quota",
      "getuserphonenumber is a paid capability and this mini program's quota is used up. Check and top up the \
       phone-number component's resource package in mp.weixin.qq.com (付费管理); retrying won't help until then.",
      "getuserphonenumber 是付费能力，这个小程序的额度已经用完了。到 mp.weixin.qq.com 的 付费管理 \
       里查看并给手机号组件的资源包充值；充值之前重试没用。"),
    e(1421102, "用户 getPhoneNumber 被拦截", "user getPhoneNumber is blocked",
      "WeChat's risk control blocked this user's phone-number authorization. Don't retry the code; offer another way to \
       enter and verify the phone number.",
      "微信风控拦截了这个用户的手机号授权。不要拿这个 code 重试；给用户提供另一种方式填写并验证手机号。"),
];
