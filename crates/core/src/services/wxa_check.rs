//! The readiness check: before a submission, what will make the audit of
//! a merchant fail — and the fix, with the operation that applies it when
//! wxdesk can.
//!
//! It reads (never writes): account basic info (nickname, avatar,
//! description), categories and pages (and the audit items' categories and
//! pages when given), the effective server domains against the platform's own
//! list, the privacy guide against the privacy keys the code uses, the
//! privacy interfaces the code needs, the latest audit and the submit quota.
//! Each finding says what is wrong and how to fix it in English and Chinese;
//! `apply` names the operation and its arguments when the fix is a call
//! wxdesk can make (set the domains from the platform's list or a profile,
//! set the privacy guide from a profile, withdraw the audit in progress).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;
use wxdesk_wechat::api::wxa_audit::AuditItem;
use wxdesk_wechat::api::wxa_domain::ServerDomains;
use wxdesk_wechat::api::wxa_privacy::PrivacySetting;
use wxdesk_wechat::api::wxa_shared::DomainAction;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::services::wxa_templates::PlatformDomainKind;

/// What a finding is about (stable: scripts and the UI switch on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckCode {
    /// No nickname.
    NoNickname,
    /// No avatar.
    NoAvatar,
    /// No description.
    NoDescription,
    /// No code committed.
    NoCode,
    /// The account has no category.
    NoCategory,
    /// An audit item's category is not one of the account's.
    CategoryMissing,
    /// An audit item's page is not in the code.
    PageMissing,
    /// No server domain.
    NoServerDomain,
    /// A server domain is not on the platform's own list.
    DomainNotOnPlatform,
    /// The code uses privacy data and no privacy guide is set.
    NoPrivacyGuide,
    /// The privacy guide does not declare keys the code uses.
    PrivacyUndeclared,
    /// The code uses privacy interfaces not applied for.
    PrivacyInterfaceNotApplied,
    /// An interface application is still under review.
    PrivacyInterfacePending,
    /// An audit is in progress (85009).
    AuditInProgress,
    /// No submission left this month (85085).
    QuotaExhausted,
    /// A check could not be made (the call failed).
    CheckFailed,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The submission will be refused or the audit rejected.
    Blocker,
    /// Worth a look; may pass.
    Warning,
}

/// An operation of the table that applies a fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckFix {
    /// The operation name (e.g. `domain_set`).
    pub op: String,
    /// Its arguments, ready to send.
    pub args: Value,
}

/// One reason the audit would fail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckFinding {
    /// What it is about.
    pub code: CheckCode,
    /// How bad.
    pub severity: Severity,
    /// What is wrong (English).
    pub message: String,
    /// What is wrong (Chinese).
    pub message_zh: String,
    /// How to fix it (English).
    pub fix: String,
    /// How to fix it (Chinese).
    pub fix_zh: String,
    /// The operation that applies the fix, when wxdesk can.
    pub apply: Option<CheckFix>,
}

/// The result of a readiness check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AuditCheckView {
    /// The mini program.
    pub appid: String,
    /// Its platform.
    pub component_appid: String,
    /// True when no finding is a blocker.
    pub ready: bool,
    /// What will make the audit fail, blockers first.
    pub findings: Vec<CheckFinding>,
    /// When it was checked (Unix seconds).
    pub checked_at: i64,
}

/// What a check may use beyond what WeChat says: a release profile's parts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckInput {
    /// The audit items that will be submitted (their pages and categories are checked).
    pub item_list: Vec<AuditItem>,
    /// Server domains to propose as the fix (else the platform's own list).
    pub domains: Option<ServerDomains>,
    /// Privacy guide to propose as the fix.
    pub privacy: Option<PrivacySetting>,
}

fn finding(
    code: CheckCode,
    sev: Severity,
    msg: (String, String),
    fix: (String, String),
) -> CheckFinding {
    CheckFinding {
        code,
        severity: sev,
        message: msg.0,
        message_zh: msg.1,
        fix: fix.0,
        fix_zh: fix.1,
        apply: None,
    }
}

fn failed(what: &str, e: &Error) -> CheckFinding {
    finding(
        CheckCode::CheckFailed,
        Severity::Warning,
        (
            format!("could not check {what}: {e}"),
            format!("无法检查{what}：{e}"),
        ),
        (
            "retry the check; see the error's hint".into(),
            "请重试检查，并参考错误提示".into(),
        ),
    )
}

/// The host of `https://host[:port]` (or of a bare host).
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':']).next().unwrap_or(rest)
}

/// Privacy interfaces a privacy key needs (WeChat's mapping of 地理位置 APIs).
fn interfaces_for(key: &str) -> &'static [&'static str] {
    match key {
        "Location" => &["wx.getLocation", "wx.onLocationChange"],
        "ChooseLocation" => &["wx.chooseLocation"],
        "Address" => &["wx.chooseAddress"],
        _ => &[],
    }
}

impl Desk {
    /// Lists what will make the audit of `appid` fail; reads only.
    pub async fn wxa_audit_check(
        &self,
        appid: &str,
        component: Option<&str>,
        input: &CheckInput,
    ) -> Result<AuditCheckView> {
        let comp = self.wxa_component(appid, component)?;
        let c = Some(comp.as_str());
        let target = json!({"appid": appid, "component_appid": comp});
        let mut out = Vec::new();

        match self.wxa_account_info(appid, c).await {
            Ok(info) => {
                if info.display_nickname().trim().is_empty() {
                    out.push(finding(
                        CheckCode::NoNickname,
                        Severity::Blocker,
                        (
                            "the mini program has no nickname (86002)".into(),
                            "小程序未设置名称（86002）".into(),
                        ),
                        (
                            "set the nickname in the mini program's console (or with setnickname)"
                                .into(),
                            "在小程序后台设置名称".into(),
                        ),
                    ));
                }
                if info.head_image_url().trim().is_empty() {
                    out.push(finding(
                        CheckCode::NoAvatar,
                        Severity::Blocker,
                        (
                            "the mini program has no avatar (86002)".into(),
                            "小程序未设置头像（86002）".into(),
                        ),
                        (
                            "set the avatar in the mini program's console".into(),
                            "在小程序后台设置头像".into(),
                        ),
                    ));
                }
                if info.signature().trim().is_empty() {
                    out.push(finding(
                        CheckCode::NoDescription,
                        Severity::Blocker,
                        (
                            "the mini program has no description (86002)".into(),
                            "小程序未设置简介（86002）".into(),
                        ),
                        (
                            "set the description in the mini program's console".into(),
                            "在小程序后台设置简介".into(),
                        ),
                    ));
                }
            }
            Err(e) => out.push(failed("the account info", &e)),
        }

        let pages = match self.wxa_pages(appid, c).await {
            Ok(p) => Some(p),
            Err(e) if e.errcode().is_some() => {
                out.push(finding(
                    CheckCode::NoCode,
                    Severity::Blocker,
                    (
                        format!("no code is committed ({e})"),
                        format!("尚未提交代码（{e}）"),
                    ),
                    (
                        "commit a template: wxdesk code commit".into(),
                        "先上传代码：wxdesk code commit".into(),
                    ),
                ));
                None
            }
            Err(e) => {
                out.push(failed("the pages", &e));
                None
            }
        };
        if let Some(pages) = &pages {
            for (i, item) in input.item_list.iter().enumerate() {
                if let Some(a) = &item.address {
                    let page = a.split('?').next().unwrap_or(a);
                    if !pages.iter().any(|p| p == page) {
                        out.push(finding(
                            CheckCode::PageMissing,
                            Severity::Blocker,
                            (
                                format!(
                                    "item_list[{i}]: page {page} is not in the code ({})",
                                    pages.join(", ")
                                ),
                                format!("item_list[{i}]：页面 {page} 不在代码中"),
                            ),
                            (
                                "use a page of the committed code (wxdesk code pages)".into(),
                                "使用已提交代码中的页面（wxdesk code pages）".into(),
                            ),
                        ));
                    }
                }
            }
        }

        match self.wxa_categories(appid, c).await {
            Ok(cats) if cats.is_empty() => out.push(finding(
                CheckCode::NoCategory,
                Severity::Blocker,
                (
                    "the mini program has no category".into(),
                    "小程序未设置服务类目".into(),
                ),
                (
                    "add a category that fits the template's pages in the mini program's console"
                        .into(),
                    "在小程序后台添加与模板页面相符的类目".into(),
                ),
            )),
            Ok(cats) => {
                for (i, item) in input.item_list.iter().enumerate() {
                    let (Some(f), Some(s)) = (&item.first_class, &item.second_class) else {
                        continue;
                    };
                    if !cats
                        .iter()
                        .any(|k| &k.first_class == f && &k.second_class == s)
                    {
                        out.push(finding(CheckCode::CategoryMissing, Severity::Blocker,
                            (format!("item_list[{i}]: category {f} > {s} is not one of the account's"), format!("item_list[{i}]：类目 {f} > {s} 不是该小程序的类目")),
                            ("add the category in the console, or pick one of wxdesk code categories".into(), "在后台添加该类目，或改用 wxdesk code categories 列出的类目".into())));
                    }
                }
            }
            Err(e) => out.push(failed("the categories", &e)),
        }

        self.check_domains(appid, &comp, input, &target, &mut out)
            .await;
        self.check_privacy(appid, &comp, input, &target, &mut out)
            .await;

        match self.wxa_audit_status(appid, c, None).await {
            Ok(s) if s.status.in_progress() => {
                let mut f = finding(
                    CheckCode::AuditInProgress,
                    Severity::Blocker,
                    (
                        format!("audit {} is in progress (85009)", s.auditid),
                        format!("审核 {} 正在进行中（85009）", s.auditid),
                    ),
                    (
                        "wait for its result, or withdraw it (1 a day, 10 a month)".into(),
                        "等待审核结果，或撤回审核（每天 1 次，每月 10 次）".into(),
                    ),
                );
                f.apply = Some(CheckFix {
                    op: "audit_undo".into(),
                    args: target.clone(),
                });
                out.push(f);
            }
            Ok(_) => {}
            Err(e) if e.errcode() == Some(85012) => {}
            Err(e) => out.push(failed("the latest audit", &e)),
        }

        match self.wxa_audit_quota(appid, c).await {
            Ok(q) if q.quota.rest <= 0 => out.push(finding(
                CheckCode::QuotaExhausted,
                Severity::Blocker,
                (
                    format!(
                        "no submission left this month (0 of {}, 85085)",
                        q.quota.limit
                    ),
                    format!("本月提审次数已用完（共 {} 次，85085）", q.quota.limit),
                ),
                (
                    "wait for next month, or ask WeChat for more quota".into(),
                    "等待下月额度，或向微信申请提高额度".into(),
                ),
            )),
            Ok(_) => {}
            Err(e) => out.push(failed("the submit quota", &e)),
        }

        out.sort_by_key(|f| f.severity != Severity::Blocker);
        Ok(AuditCheckView {
            appid: appid.to_string(),
            component_appid: comp,
            ready: out.iter().all(|f| f.severity != Severity::Blocker),
            findings: out,
            checked_at: self.now(),
        })
    }

    async fn check_domains(
        &self,
        appid: &str,
        comp: &str,
        input: &CheckInput,
        target: &Value,
        out: &mut Vec<CheckFinding>,
    ) {
        let platform = self
            .wxa_platform_domains(
                comp,
                PlatformDomainKind::Server,
                DomainAction::Get,
                &[],
                false,
            )
            .await;
        let allowed: Option<Vec<String>> = platform.as_ref().ok().map(|p| {
            p.domains
                .published
                .iter()
                .chain(&p.domains.testing)
                .map(|d| host(d).to_string())
                .collect()
        });
        let proposal = input.domains.clone().or_else(|| {
            let hosts = allowed.as_ref().filter(|a| !a.is_empty())?;
            let https: Vec<String> = hosts.iter().map(|h| format!("https://{h}")).collect();
            Some(ServerDomains {
                requestdomain: https.clone(),
                wsrequestdomain: hosts.iter().map(|h| format!("wss://{h}")).collect(),
                uploaddomain: https.clone(),
                downloaddomain: https,
                ..ServerDomains::default()
            })
        });
        let fix = proposal.map(|d| {
            let mut args = target.clone();
            for (field, _, list) in d.lists() {
                args[field] = json!(list);
            }
            CheckFix {
                op: "domain_set".into(),
                args,
            }
        });
        let current = match self.wxa_effective_domains(appid, Some(comp)).await {
            Ok(d) => d,
            Err(e) => return out.push(failed("the server domains", &e)),
        };
        if current.effective_domain.requestdomain.is_empty() {
            let mut f = finding(
                CheckCode::NoServerDomain,
                Severity::Blocker,
                (
                    "no server (request) domain is set".into(),
                    "未配置服务器域名（request 合法域名）".into(),
                ),
                (
                    "set the server domains (from the platform's list or the profile)".into(),
                    "设置服务器域名（使用第三方平台的域名列表或发布配置）".into(),
                ),
            );
            f.apply = fix.clone();
            out.push(f);
        }
        // Domains set with modify_domain must be on the platform's list;
        // those set directly (with a verification file) need not.
        match &allowed {
            Some(allowed) => {
                let missing: Vec<String> = current
                    .third_domain
                    .lists()
                    .iter()
                    .flat_map(|(_, _, l)| l.iter())
                    .filter(|d| !allowed.iter().any(|a| a == host(d)))
                    .cloned()
                    .collect();
                if !missing.is_empty() {
                    let m = missing.join(", ");
                    out.push(finding(
                        CheckCode::DomainNotOnPlatform,
                        Severity::Blocker,
                        (
                            format!("not on the platform's server domain list: {m}"),
                            format!("以下域名不在第三方平台的服务器域名列表中：{m}"),
                        ),
                        (
                            "add them to the platform's list (platform_domains), or set the merchant's domains directly".into(),
                            "先将其加入第三方平台的服务器域名，或使用 directly 方式设置".into(),
                        ),
                    ));
                }
            }
            None => {
                if let Err(e) = &platform {
                    out.push(failed("the platform's domain list", e));
                }
            }
        }
    }

    async fn check_privacy(
        &self,
        appid: &str,
        comp: &str,
        input: &CheckInput,
        target: &Value,
        out: &mut Vec<CheckFinding>,
    ) {
        let fix = input.privacy.as_ref().map(|p| {
            let mut args = target.clone();
            args["setting"] = json!(p);
            CheckFix {
                op: "privacy_set".into(),
                args,
            }
        });
        let used = match self.wxa_privacy_get(appid, Some(comp), None).await {
            Ok(p) => {
                let info = &p.info;
                if info.setting_list.is_empty() && !info.privacy_list.is_empty() {
                    let mut f = finding(
                        CheckCode::NoPrivacyGuide,
                        Severity::Blocker,
                        (
                            format!(
                                "the code uses privacy data ({}) and no privacy guide is set",
                                info.privacy_list.join(", ")
                            ),
                            format!(
                                "代码使用了隐私信息（{}），但未设置用户隐私保护指引",
                                info.privacy_list.join("、")
                            ),
                        ),
                        (
                            "set the privacy guide (wxdesk privacy set --file guide.json)".into(),
                            "设置用户隐私保护指引（wxdesk privacy set --file guide.json）".into(),
                        ),
                    );
                    f.apply = fix.clone();
                    out.push(f);
                } else if !p.undeclared.is_empty() {
                    let k = p.undeclared.join(", ");
                    let mut f = finding(
                        CheckCode::PrivacyUndeclared,
                        Severity::Blocker,
                        (
                            format!("the privacy guide does not declare {k}, which the code uses"),
                            format!("用户隐私保护指引未声明代码使用的 {k}"),
                        ),
                        (
                            "declare every key the code uses in the privacy guide".into(),
                            "在隐私保护指引中声明代码使用的全部隐私信息".into(),
                        ),
                    );
                    f.apply = fix.clone();
                    out.push(f);
                }
                info.privacy_list.clone()
            }
            Err(e) => {
                out.push(failed("the privacy guide", &e));
                return;
            }
        };
        let needed: Vec<&str> = used
            .iter()
            .flat_map(|k| interfaces_for(k))
            .copied()
            .collect();
        if needed.is_empty() {
            return;
        }
        match self.wxa_privacy_interfaces(appid, Some(comp)).await {
            Ok(list) => {
                for name in needed {
                    match list.iter().find(|i| i.api_name == name) {
                        Some(i) if i.granted() => {}
                        Some(i) if i.apply_time.is_some() => out.push(finding(CheckCode::PrivacyInterfacePending, Severity::Warning,
                            (format!("the application for {name} is still under review"), format!("{name} 的接口申请仍在审核中")),
                            ("wait for the application's result".into(), "等待接口申请结果".into()))),
                        _ => out.push(finding(CheckCode::PrivacyInterfaceNotApplied, Severity::Blocker,
                            (format!("the code uses {name} without having applied for it"), format!("代码使用了 {name}，但尚未申请该接口")),
                            ("apply for the interface (privacy_apply) with the scene it is used in".into(), "申请该接口（privacy_apply），并说明使用场景".into()))),
                    }
                }
            }
            Err(e) => out.push(failed("the privacy interfaces", &e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_urls() {
        assert_eq!(host("https://api.example.com:8443"), "api.example.com");
        assert_eq!(host("wss://a.example.com"), "a.example.com");
        assert_eq!(host("a.example.com"), "a.example.com");
    }
}
