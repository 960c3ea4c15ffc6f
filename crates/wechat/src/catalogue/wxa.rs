//! The errcodes of code management (templates, commits, testers, domains,
//! privacy, audits, releases, media uploads), kept apart from the account
//! and authorization codes of the main table so that each file stays
//! readable. Sorted ascending; merged into [`super::entries`].

use super::{e, Entry};

/// The code-management errcodes, ascending.
pub(super) const ENTRIES: &[Entry] = &[
    e(40005, "不合法的文件类型", "invalid file type",
      "The upload is not a type WeChat accepts here. Audit media must be an image (png/jpg) or a video (mp4); the \
       privacy supplement must be a .txt file. Convert the file and upload again.",
      "上传的文件类型这里不接受。提审素材只能是图片（png/jpg）或视频（mp4），隐私补充文件只能是 .txt。\
       转换格式后重新上传。"),
    e(40006, "不合法的文件大小", "invalid file size",
      "The file is empty or too large. The privacy supplement must be at most 100 KB; shrink it and upload again.",
      "文件为空或者太大。隐私补充文件最大 100 KB，缩小后重新上传。"),
    e(40007, "不合法的媒体文件 id", "invalid media_id",
      "A media id in preview_info, feedback_stuff or ext_file_media_id is unknown or belongs to another mini program. \
       Upload the file again with wxa/uploadmedia (or uploadprivacyextfile) for this mini program and use the new id. \
       A rejection screenshot's id (cgi-bin/media/get) is kept 3 days: after that, see the rejection in the WeChat console.",
      "preview_info、feedback_stuff 或 ext_file_media_id 里的媒体 id 不存在，或者属于别的小程序。用这个小程序的 \
       token 重新调 wxa/uploadmedia（或 uploadprivacyextfile）上传，换用新的 id。\
       驳回截图的 id（cgi-bin/media/get）只保留 3 天，过期后请到微信后台查看驳回详情。"),
    e(40009, "图片文件大小不合法", "invalid image size",
      "Audit pictures may be at most 2 MB. Compress the picture (or use a smaller screenshot) and upload again.",
      "提审图片最大 2 MB。压缩图片（或换一张更小的截图）后重新上传。"),
    e(40011, "视频文件大小不合法", "invalid video size",
      "Audit videos may be at most 20 MB. Shorten or re-encode the video and upload again.",
      "提审视频最大 20 MB。剪短或重新压制视频后再上传。"),
    e(41005, "缺少多媒体文件数据", "media data missing",
      "The upload carried no file in the expected form field (media for wxa/uploadmedia, file for \
       uploadprivacyextfile). Send multipart/form-data with that field.",
      "上传请求里没有找到文件字段（wxa/uploadmedia 用 media，uploadprivacyextfile 用 file）。\
       请用 multipart/form-data 并带上对应字段。"),
    e(44002, "POST 的数据包为空", "empty post data",
      "wxa/release needs the literal JSON body {} — an empty body is refused. Send {} and release again.",
      "wxa/release 必须带一个 {} 的 JSON 请求体，空请求体会被拒绝。带上 {} 再发布一次。"),
    e(61039, "第三方平台未配置小程序服务器域名", "no server domain is configured on the platform",
      "The platform's own server-domain list is empty, so no merchant can be given a domain through modify_domain. \
       Add the domains to the platform first (cgi-bin/component/modify_wxa_server_domain, or open.weixin.qq.com → \
       第三方平台 → 开发资料 → 小程序服务器域名), then set the merchant's domains again.",
      "第三方平台自己的小程序服务器域名列表是空的，所以没法通过 modify_domain 给商家配域名。先给平台加域名\
       （cgi-bin/component/modify_wxa_server_domain，或 open.weixin.qq.com → 第三方平台 → 开发资料 → \
       小程序服务器域名），再给商家设置域名。"),
    e(85001, "微信号不存在或微信号设置为不可搜索", "WeChat ID does not exist or is not searchable",
      "Check the tester's WeChat ID (not phone number, not QQ; 6–20 letters/digits starting with a letter). If it is \
       right, ask the tester to allow being found by WeChat ID (我 → 设置 → 朋友权限 → 添加我的方式), then bind again.",
      "检查体验者的微信号（不是手机号也不是 QQ 号，6–20 位字母数字，字母开头）。微信号没错的话，\
       请体验者打开 我 → 设置 → 朋友权限 → 添加我的方式 → 微信号，然后再绑定。"),
    e(85002, "小程序绑定的体验者数量达到上限", "the mini program has reached its tester limit",
      "Unbind testers who no longer need access (wxa/memberauth lists them, wxa/unbind_tester removes one), then bind \
       the new tester. Verified mini programs get a higher limit than unverified ones.",
      "先解绑不再需要的体验者（wxa/memberauth 查列表，wxa/unbind_tester 解绑），再绑定新的体验者。\
       已认证的小程序上限比未认证的高。"),
    e(85003, "微信号绑定的小程序体验者达到上限", "this WeChat ID is a tester of too many mini programs",
      "The person is already a tester of the maximum number of mini programs. Ask them to leave some, or use \
       another tester.",
      "这个微信号当体验者的小程序数量已经到上限。请对方退出一些小程序的体验者，或者换一个人来体验。"),
    e(85004, "微信号已经绑定", "WeChat ID already bound",
      "This person is already a tester of the mini program; nothing to do. They can scan the experience QR now.",
      "这个微信号已经是体验者了，不用再绑。直接扫体验版二维码即可。"),
    e(85006, "标签格式错误", "invalid tag",
      "item_list tags are space-separated, at most 10 tags of at most 20 characters each. Fix the tag text.",
      "item_list 的 tag 用空格分隔，最多 10 个，每个最多 20 个字。改好标签再提交。"),
    e(85007, "页面路径错误", "invalid page path",
      "An item_list address is not a page of the committed code. Pick addresses from wxa/get_page (no leading slash) \
       and submit again.",
      "item_list 里的 address 不是已上传代码的页面。从 wxa/get_page 返回的页面里选（开头不要带 /），再提交。"),
    e(85008, "类目填写错误", "invalid category",
      "An item's category is not one of the mini program's categories. Use the names and ids wxa/get_category \
       returns, or add the category to the mini program first.",
      "item 的类目不是这个小程序已有的类目。用 wxa/get_category 返回的名称和 id，或者先给小程序添加这个类目。"),
    e(85009, "已经有正在审核的版本", "an audit is already in progress",
      "Only one audit can run at a time. Wait for the result (push weapp_audit_* or wxa/get_latest_auditstatus), or \
       withdraw it with wxa/undocodeaudit — withdrawals are limited to 1 a day and 10 a month — then submit again.",
      "同一时间只能有一个审核。等审核结果（weapp_audit_* 推送或 wxa/get_latest_auditstatus），或者用 \
       wxa/undocodeaudit 撤回——撤回每天 1 次、每月 10 次——再重新提交。"),
    e(85010, "item_list 有项目为空", "an item of item_list is empty",
      "Every item_list entry needs its address and category. Remove empty entries or fill them in.",
      "item_list 的每一项都要有 address 和类目。删掉空的项或者补全。"),
    e(85011, "标题填写错误", "invalid title",
      "An item title is empty or too long (at most 32 characters). Shorten it and submit again.",
      "item 的标题为空或太长（最多 32 个字）。改短后再提交。"),
    e(85012, "无效的审核 id", "invalid auditid",
      "The auditid is not one of this mini program's audits. Use the auditid submit_audit returned for this merchant, \
       or call wxa/get_latest_auditstatus.",
      "这个 auditid 不属于这个小程序。用给这个商家提审时返回的 auditid，或者直接调 wxa/get_latest_auditstatus。"),
    e(85013, "无效的自定义配置", "invalid ext_json",
      "ext_json must be a JSON object as text, and its extAppid must be this merchant's appid. Validate the JSON \
       (and the per-merchant variables filled into it) and commit again.",
      "ext_json 必须是 JSON 对象的字符串，其中 extAppid 必须是这个商家的 appid。检查 JSON 格式（以及按商家替换的变量），\
       再重新上传代码。"),
    e(85014, "无效的模板编号", "invalid template id",
      "The template_id is not in this platform's template library (it may have been deleted). List the library with \
       wxa/gettemplatelist and commit with an existing id.",
      "template_id 不在这个平台的模板库里（可能已被删除）。用 wxa/gettemplatelist 查模板库，换一个存在的 id 再上传。"),
    e(85015, "该账号不是小程序账号", "the account is not a mini program",
      "Code management only works on mini programs. This authorizer is an Official Account; pick a mini program.",
      "代码管理只能用于小程序。这个授权方是公众号，请选小程序。"),
    e(85016, "域名数量超过限制", "too many domains",
      "Each server-domain kind holds at most 200 domains. Remove unused domains (action delete) before adding.",
      "每一类服务器域名最多 200 个。先删掉不用的（action=delete），再添加。"),
    e(85017, "没有新增域名，请确认小程序已经添加了域名或该域名是否没有在第三方平台添加",
      "no domain to modify after filtering",
      "Every domain given is already set, or none of them is on the platform's list. Read the current lists \
       (action get / wxa/get_effective_domain) and use action set to replace them.",
      "给的域名都已经配置过，或者都不在第三方平台的列表里。先查当前域名（action=get 或 wxa/get_effective_domain），\
       要整体替换就用 action=set。"),
    e(85018, "域名没有在第三方平台设置", "the domain is not set on the platform",
      "Add the domain to the platform's own list first (cgi-bin/component/modify_wxa_server_domain), then give it \
       to the merchant.",
      "先把域名加到第三方平台自己的列表（cgi-bin/component/modify_wxa_server_domain），再配置给商家。"),
    e(85019, "没有审核版本", "no version under audit",
      "There is no audit to act on. Submit the experience version first (wxa/submit_audit), wait for it to pass, then \
       release.",
      "没有可操作的审核版本。先提交审核（wxa/submit_audit），等审核通过再发布。"),
    e(85020, "审核状态未满足发布", "the audit status does not allow a release",
      "Only a version whose audit passed can be released. Check wxa/get_latest_auditstatus: wait while it is \
       auditing, fix and resubmit when it was rejected.",
      "只有审核通过的版本才能发布。先看 wxa/get_latest_auditstatus：审核中就等，被驳回就改好后重新提交。"),
    e(85021, "状态不可变", "the status cannot be changed",
      "The requested change does not apply in the current state (e.g. closing an already closed mini program, or \
       cancelling a phased release that is not running). Read the state first.",
      "当前状态下不能做这个变更（例如已经关闭还要关闭，或者没有进行中的分阶段发布）。先查询当前状态。"),
    e(85023, "审核列表填写的项目数不在 1-5 以内", "item_list must have 1 to 5 items",
      "Give between 1 and 5 items in item_list, or leave item_list out entirely.",
      "item_list 填 1 到 5 项，或者整个不传。"),
    e(85043, "模板错误", "invalid template",
      "The template cannot be used for this commit. Re-create it from a fresh draft (wxa/addtotemplate) and commit \
       with the new template_id.",
      "这个模板不能用于上传。用新草稿重新生成模板（wxa/addtotemplate），拿新的 template_id 再上传。"),
    e(85044, "代码包超过大小限制", "code package too large",
      "The template's package exceeds WeChat's size limit. Shrink the code (subpackages, move assets to a CDN), \
       upload a new draft and template, and commit that.",
      "代码包超过了大小限制。精简代码（分包、把资源放到 CDN），重新上传草稿、生成模板后再上传。"),
    e(85045, "ext_json 有不存在的路径", "ext_json names a page that does not exist",
      "A page in ext_json (pages, tabBar, extPages) is not in the template. Remove it or use a template that has it.",
      "ext_json 里（pages、tabBar、extPages）写了模板里不存在的页面。删掉它，或者换一个有这个页面的模板。"),
    e(85046, "tabBar 中缺少 path", "tabBar lacks a path",
      "Every tabBar item in ext_json needs pagePath. Fill it in and commit again.",
      "ext_json 里 tabBar 的每一项都要有 pagePath。补上后重新上传。"),
    e(85047, "pages 字段为空", "pages is empty",
      "ext_json's pages list is empty. Leave pages out to use the template's pages, or list at least one.",
      "ext_json 的 pages 为空。不写 pages 就用模板的页面，写了就至少要有一个。"),
    e(85048, "ext_json 解析失败", "ext_json could not be parsed",
      "ext_json is not valid JSON. Validate it (quotes, commas, escaped strings after variable substitution) and \
       commit again.",
      "ext_json 不是合法的 JSON。检查引号、逗号，以及替换变量后的转义，然后重新上传。"),
    e(85051, "version_desc 或者 preview_info 超限", "version_desc or preview_info too long",
      "Shorten version_desc and keep preview_info to at most 10 pictures and 1 video.",
      "缩短 version_desc，preview_info 最多 10 张图片、1 个视频。"),
    e(85052, "小程序已经发布", "the version is already released",
      "This audited version is already live; nothing to do. Commit and audit a new version to release again.",
      "这个审核通过的版本已经发布了，不用再发。要再发布就重新上传代码并提审。"),
    e(85064, "找不到模板", "template or draft not found",
      "The draft_id or template_id does not exist (any more). Refresh the lists (wxa/gettemplatedraftlist, \
       wxa/gettemplatelist) and use an existing id.",
      "draft_id 或 template_id 不存在（可能已删除）。刷新草稿箱和模板库（wxa/gettemplatedraftlist、wxa/gettemplatelist），\
       用存在的 id。"),
    e(85065, "模板库已满", "the template library is full",
      "The library holds at most 200 templates. Delete templates no merchant uses (wxa/deletetemplate), then add \
       the draft again.",
      "模板库最多 200 个模板。删掉没有商家在用的模板（wxa/deletetemplate），再添加草稿。"),
    e(85066, "链接错误", "invalid link",
      "The QR-code jump rule's prefix is not a valid URL. Fix the prefix (https://, your domain, a path) and retry.",
      "二维码规则的链接前缀不是合法的 URL。改成 https:// 开头的你自己的域名路径再试。"),
    e(85068, "测试链接不是子链接", "the test link is not under the prefix",
      "Every test link of a QR-code rule must start with the rule's prefix. Fix the test links.",
      "二维码规则的测试链接必须以规则前缀开头。改好测试链接。"),
    e(85069, "校验文件失败", "the verification file check failed",
      "WeChat could not fetch the verification file from the domain root. Put the exact file (name and content) at \
       https://<domain>/<file> and retry.",
      "微信没能从域名根目录取到校验文件。把校验文件（文件名和内容都要一致）放到 https://<域名>/<文件名> 后重试。"),
    e(85070, "个人类型小程序无法设置二维码规则", "individual mini programs cannot set QR-code rules",
      "QR-code jump rules need a non-individual mini program. Nothing to fix on the platform side.",
      "个人主体的小程序不能设置二维码规则，平台这边无法处理。"),
    e(85071, "已添加该链接，请勿重复添加", "the link is already added",
      "The rule exists already; update it instead of adding it again.",
      "这条规则已经存在，改用更新，不要重复添加。"),
    e(85072, "该链接已被占用", "the link is used by another mini program",
      "Another mini program already uses this prefix. Use a more specific prefix, or remove it there first.",
      "这个前缀已被别的小程序占用。换一个更具体的前缀，或者先在那边删掉。"),
    e(85073, "二维码规则已满", "QR-code rules are full",
      "Delete unused QR-code jump rules before adding another.",
      "先删掉不用的二维码跳转规则，再添加。"),
    e(85074, "小程序未发布, 小程序必须先发布代码才可以发布二维码跳转规则", "the mini program is not released",
      "Release a version first (audit, then wxa/release), then publish the QR-code rules.",
      "先发布一个版本（审核通过后 wxa/release），再发布二维码跳转规则。"),
    e(85077, "小程序类目信息失效（类目中含有官方下架的类目，请重新选择类目）", "a category is no longer valid",
      "One of the mini program's categories was withdrawn by WeChat. Replace it with a current category, then \
       submit again.",
      "小程序有类目已被官方下架。换成现有的类目后再提交。"),
    e(85079, "小程序没有线上版本，不能进行灰度", "no released version, so no phased release",
      "A phased release widens an update to an existing release. Release the first version fully with wxa/release.",
      "分阶段发布只能用于已有线上版本的更新。第一个版本请直接用 wxa/release 全量发布。"),
    e(85080, "小程序提交的审核未审核通过", "the submitted audit has not passed",
      "Only a passed audit can be released in phases. Wait for the audit, or fix and resubmit after a rejection.",
      "只有审核通过的版本才能分阶段发布。等审核通过，或者被驳回后改好重新提交。"),
    e(85081, "无效的发布比例", "invalid release percentage",
      "gray_percentage must be between 1 and 100.",
      "gray_percentage 必须在 1 到 100 之间。"),
    e(85082, "当前的发布比例需要比之前设置的高", "the percentage must be higher than before",
      "A phased release only grows. Use a percentage above the current one (wxa/getgrayreleaseplan shows it), or \
       release fully with wxa/release.",
      "分阶段发布的比例只能往上调。用比当前（wxa/getgrayreleaseplan 可查）更高的比例，或者直接 wxa/release 全量发布。"),
    e(85083, "搜索标记位被封禁，无法修改", "search status is banned",
      "WeChat banned the search switch of this mini program; it cannot be changed through the API.",
      "这个小程序的搜索开关被封禁了，接口无法修改。"),
    e(85084, "非法的 status 值，只能填 0 或者 1", "invalid status value",
      "Use status 0 or 1.",
      "status 只能填 0 或 1。"),
    e(85085, "小程序提审数量已达本月上限", "the monthly audit submission quota is used up",
      "wxa/queryquota shows what is left. Wait for next month, or apply for temporary quota in the open platform; \
       don't resubmit in a loop.",
      "用 wxa/queryquota 查剩余次数。等下个月，或者到开放平台申请临时 quota；不要循环重试提交。"),
    e(85086, "提交代码审核之前需提前上传代码", "commit code before submitting an audit",
      "The mini program has no experience version. Commit a template first (wxa/commit), then submit.",
      "小程序还没有体验版。先上传代码（wxa/commit），再提交审核。"),
    e(85087, "小程序已使用 api navigateToMiniProgram，请声明跳转 appid 列表后再次提交",
      "navigateToMiniProgram is used without a declared appid list",
      "Declare the target appids in ext_json (navigateToMiniProgramAppIdList) and commit again before submitting.",
      "在 ext_json 里声明跳转的 appid 列表（navigateToMiniProgramAppIdList），重新上传代码后再提交。"),
    e(85092, "preview_info 格式错误", "invalid preview_info",
      "preview_info takes pic_id_list and video_id_list of media ids from wxa/uploadmedia. Fix the shape.",
      "preview_info 只接受 pic_id_list 和 video_id_list，里面是 wxa/uploadmedia 返回的媒体 id。改好格式。"),
    e(85093, "preview_info 视频或者图片个数超限", "too many preview pictures or videos",
      "At most 10 pictures and 1 video in preview_info.",
      "preview_info 最多 10 张图片、1 个视频。"),
    e(85301, "域名不在第三方平台的小程序服务器域名列表中", "the domain is not on the platform's server-domain list",
      "Through modify_domain a platform may only give merchants domains on its own list. Add the domain with \
       cgi-bin/component/modify_wxa_server_domain (or use modify_domain_directly), then retry.",
      "通过 modify_domain 只能给商家配置平台自己列表里的域名。先用 cgi-bin/component/modify_wxa_server_domain \
       把域名加到平台（或改用 modify_domain_directly），再重试。"),
    e(85302, "域名格式不合法", "invalid domain",
      "A domain has the wrong scheme for its list (https:// for request/upload/download, wss:// for socket), a path, \
       an IP address, or is api.weixin.qq.com. Fix the domain and retry.",
      "域名格式不对：协议和类别不匹配（request/upload/download 用 https://，socket 用 wss://）、带了路径、\
       用了 IP，或者填了 api.weixin.qq.com。改正后再试。"),
    e(86000, "不是由第三方代小程序进行调用", "not called by a third-party platform",
      "This call must use the authorizer_access_token the platform obtained for the merchant, not the mini \
       program's own token.",
      "这个接口必须用第三方平台为商家换取的 authorizer_access_token 调用，不能用小程序自己的 token。"),
    e(86001, "不存在第三方的已经提交的代码", "no code committed by the platform",
      "Commit a template to the merchant first (wxa/commit); then pages, QR code and audits are available.",
      "先给商家上传代码（wxa/commit），之后才能查页面、取体验码、提审。"),
    e(86002, "小程序还未设置昵称、头像、简介。请先设置完后再重新提交",
      "nickname, avatar or description not set",
      "Set the mini program's nickname, avatar and description (cgi-bin/account/getaccountbasicinfo shows which is \
       missing), then submit again.",
      "先设置小程序的名称、头像和简介（cgi-bin/account/getaccountbasicinfo 能看出缺哪一项），再重新提交。"),
    e(86007, "小程序禁止提交", "the mini program may not submit",
      "WeChat blocked submissions of this mini program (usually a penalty). Check the admin's notices in \
       mp.weixin.qq.com; nothing on the platform side lifts it.",
      "微信禁止这个小程序提审（通常是处罚）。请管理员到 mp.weixin.qq.com 看通知；平台这边无法解除。"),
    e(86008, "服务商被处罚，限制全部代码提审能力", "the platform is penalised: all submissions blocked",
      "The third-party platform itself is penalised. Check open.weixin.qq.com notices; no merchant can be submitted \
       until it ends.",
      "第三方平台本身被处罚了。到 open.weixin.qq.com 看通知；处罚结束前所有商家都不能提审。"),
    e(86009, "服务商新增小程序代码提审能力被限制", "the platform may not submit new mini programs",
      "The platform may only submit mini programs it has released before. Check open.weixin.qq.com notices.",
      "平台只能给已经发布过的小程序提审，新小程序提审能力被限制。到 open.weixin.qq.com 看通知。"),
    e(86010, "服务商迭代小程序代码提审能力被限制", "the platform may not submit updates",
      "Updates of existing mini programs are blocked for this platform. Check open.weixin.qq.com notices.",
      "平台的小程序迭代提审能力被限制。到 open.weixin.qq.com 看通知。"),
    e(87006, "小游戏不能提交", "mini games cannot be submitted here",
      "Code management of mini games is not available through this API.",
      "小游戏不能通过这个接口提审。"),
    e(87011, "现网已经在灰度发布，不能进行版本回退", "a phased release is running: no rollback",
      "Cancel the phased release first (wxa/revertgrayrelease), then roll back.",
      "先取消分阶段发布（wxa/revertgrayrelease），再回退版本。"),
    e(87012, "该版本不能回退", "this version cannot be rolled back",
      "Only the version before the current release can be restored, and only once: there is no previous version, \
       or the current one is already a restored one. Fix forward instead: commit, audit, release.",
      "只能回退到上一个版本，而且只能回退一次：没有上一个版本，或者当前版本已经是回退来的。\
       只能往前修：重新上传、提审、发布。"),
    e(87013, "撤回次数达到上限（每天 1 次，每个月 10 次）", "no quota left to withdraw an audit",
      "Withdrawals are limited to 1 a day and 10 a month. Wait for the audit result instead, or withdraw tomorrow.",
      "撤回审核每天 1 次、每月 10 次，已经用完。等审核结果，或者明天再撤回。"),
    e(89019, "业务域名无更改，无需重复设置", "the business domains did not change",
      "The web-view domains are already exactly these; nothing to do.",
      "业务域名和现在一样，不用重复设置。"),
    e(89020, "尚未设置小程序业务域名，请先在第三方平台中设置小程序业务域名后再调用本接口",
      "the platform has no business domains",
      "Add business domains to the platform first (cgi-bin/component/modify_wxa_jump_domain, with its \
       verification file on each domain), then set the merchant's web-view domains.",
      "先给第三方平台设置小程序业务域名（cgi-bin/component/modify_wxa_jump_domain，每个域名放好校验文件），\
       再设置商家的业务域名。"),
    e(89021, "请求保存的域名不是第三方平台中已设置的小程序业务域名或子域名",
      "the domain is not one of the platform's business domains",
      "Add the domain to the platform's business domains (modify_wxa_jump_domain), or use \
       setwebviewdomain_directly with the merchant's verification file.",
      "把域名加到平台的业务域名（modify_wxa_jump_domain），或者改用 setwebviewdomain_directly 并放好商家的校验文件。"),
    e(89029, "业务域名数量超过限制，最多可以添加 100 个业务域名", "too many business domains",
      "A mini program holds at most 100 business domains. Remove some before adding.",
      "小程序最多 100 个业务域名。先删掉一些再添加。"),
    e(89231, "个人小程序不支持调用 setwebviewdomain 接口", "individual mini programs cannot set business domains",
      "Business (web-view) domains need a non-individual mini program; skip this step for individual ones.",
      "个人主体小程序不能设置业务域名，这一步跳过。"),
    e(89401, "系统不稳定，请稍后再试", "system unstable, try later",
      "Speed-up failed on WeChat's side. Retry later; it did not use up a speed-up.",
      "加急请求在微信那边失败了，稍后重试；这次不消耗加急次数。"),
    e(89402, "该审核单不在待审核队列，请检查是否已提交审核或已审完", "the audit is not waiting",
      "Only an audit that is still being reviewed can be sped up. Check wxa/get_latest_auditstatus.",
      "只有还在审核中的审核单才能加急。先看 wxa/get_latest_auditstatus。"),
    e(89403, "本单属于平台不支持加急种类，请等待正常审核流程", "this audit cannot be sped up",
      "WeChat does not speed up this kind of audit; wait for the normal review.",
      "这类审核单不支持加急，等正常审核即可。"),
    e(89404, "本单已加速成功，请勿重复提交", "already sped up",
      "The audit was sped up already; don't ask again.",
      "这个审核单已经加急过了，不要重复提交。"),
    e(89405, "本月加急额度已用完，请提高提审质量以获取更多额度", "no speed-up left this month",
      "wxa/queryquota shows speedup_rest. Wait for next month; better audit quality earns more speed-ups.",
      "用 wxa/queryquota 查 speedup_rest。等下个月；提审质量越高加急额度越多。"),
    e(9402202, "请勿频繁提交，待上一次操作完成后再提交", "too frequent: wait for the previous operation",
      "Another code-management call for this mini program is still being processed. Wait a few seconds and retry \
       once; a batch should not run two steps on one merchant at the same time.",
      "这个小程序上一次的代码管理操作还没处理完。等几秒再重试一次；批量任务不要对同一个商家同时跑两个步骤。"),
];
