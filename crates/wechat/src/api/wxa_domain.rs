//! Domains: the platform's own lists (server and business domains of the
//! third-party platform, with the component_access_token) and each mini
//! program's server and web-view (business) domains (authorizer token).
//!
//! WeChat only lets a platform put a domain on a merchant's mini program when
//! the domain is on the platform's own list first; the `_directly` variants
//! skip that rule but need the domain's verification file. Domains are
//! validated here (scheme per list, no spaces, no IPs' schemes mixed up) so
//! a typo is named before it costs one of the 50 monthly changes.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::require_appid;
use super::wxa_shared::{post_empty, post_with, string_list, ConfirmFile, DomainAction};
use crate::client::{Call, Client};
use crate::error::{Error, Result};

/// The platform's server (or business) domains after a change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlatformDomains {
    /// Domains of the released platform ("全网发布版"), when there is one.
    #[serde(default, deserialize_with = "string_list")]
    pub published: Vec<String>,
    /// Domains of the testing platform ("测试版").
    #[serde(default, deserialize_with = "string_list")]
    pub testing: Vec<String>,
    /// Domains that failed verification.
    #[serde(default, deserialize_with = "string_list")]
    pub invalid: Vec<String>,
}

#[derive(Deserialize)]
struct ServerDomainAnswer {
    #[serde(default, deserialize_with = "string_list")]
    published_wxa_server_domain: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    testing_wxa_server_domain: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    invalid_wxa_server_domain: Vec<String>,
}

#[derive(Deserialize)]
struct JumpDomainAnswer {
    #[serde(default, deserialize_with = "string_list")]
    published_wxa_jump_h5_domain: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    testing_wxa_jump_h5_domain: Vec<String>,
    #[serde(default, deserialize_with = "string_list")]
    invalid_wxa_jump_h5_domain: Vec<String>,
}

impl From<ServerDomainAnswer> for PlatformDomains {
    fn from(a: ServerDomainAnswer) -> Self {
        PlatformDomains {
            published: a.published_wxa_server_domain,
            testing: a.testing_wxa_server_domain,
            invalid: a.invalid_wxa_server_domain,
        }
    }
}

impl From<JumpDomainAnswer> for PlatformDomains {
    fn from(a: JumpDomainAnswer) -> Self {
        PlatformDomains {
            published: a.published_wxa_jump_h5_domain,
            testing: a.testing_wxa_jump_h5_domain,
            invalid: a.invalid_wxa_jump_h5_domain,
        }
    }
}

/// A mini program's server domains, per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ServerDomains {
    /// `wx.request` domains (`https://`).
    #[serde(default, deserialize_with = "string_list")]
    pub requestdomain: Vec<String>,
    /// Socket domains (`wss://`).
    #[serde(default, deserialize_with = "string_list")]
    pub wsrequestdomain: Vec<String>,
    /// `wx.uploadFile` domains (`https://`).
    #[serde(default, deserialize_with = "string_list")]
    pub uploaddomain: Vec<String>,
    /// `wx.downloadFile` domains (`https://`).
    #[serde(default, deserialize_with = "string_list")]
    pub downloaddomain: Vec<String>,
    /// UDP domains (`udp://`).
    #[serde(default, deserialize_with = "string_list")]
    pub udpdomain: Vec<String>,
    /// TCP domains (`tcp://`).
    #[serde(default, deserialize_with = "string_list")]
    pub tcpdomain: Vec<String>,
}

impl ServerDomains {
    /// Every list with its field name and required scheme.
    pub fn lists(&self) -> [(&'static str, &'static str, &Vec<String>); 6] {
        [
            ("requestdomain", "https://", &self.requestdomain),
            ("wsrequestdomain", "wss://", &self.wsrequestdomain),
            ("uploaddomain", "https://", &self.uploaddomain),
            ("downloaddomain", "https://", &self.downloaddomain),
            ("udpdomain", "udp://", &self.udpdomain),
            ("tcpdomain", "tcp://", &self.tcpdomain),
        ]
    }

    /// Every list's field name, in the order of [`ServerDomains::lists`].
    pub fn fields() -> [&'static str; 6] {
        ServerDomains::default().lists().map(|(field, _, _)| field)
    }

    /// True when every list is empty.
    pub fn is_empty(&self) -> bool {
        self.lists().iter().all(|(_, _, l)| l.is_empty())
    }

    /// Checks every domain's scheme and shape, naming the list and the value.
    pub fn validate(&self) -> Result<()> {
        for (field, scheme, list) in self.lists() {
            if list.len() > 200 {
                return Err(Error::invalid(
                    field,
                    format!(
                        "{field} holds {} domains; WeChat allows at most 200",
                        list.len()
                    ),
                ));
            }
            for d in list {
                validate_url(field, scheme, d)?;
            }
        }
        Ok(())
    }
}

/// The mini program's web-view (business) domains.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WebviewDomains {
    /// `https://` domains web-view pages may open.
    #[serde(default, deserialize_with = "string_list")]
    pub webviewdomain: Vec<String>,
}

/// Which domains are in effect, and where each list comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct EffectiveDomains {
    /// Set in the mini program's own console.
    #[serde(default)]
    pub mp_domain: ServerDomains,
    /// Set by the platform with `modify_domain`.
    #[serde(default)]
    pub third_domain: ServerDomains,
    /// Set by the platform with `modify_domain_directly`.
    #[serde(default)]
    pub direct_domain: ServerDomains,
    /// What the released code will use.
    #[serde(default)]
    pub effective_domain: ServerDomains,
}

/// Validates a server or web-view domain URL: `scheme` + host[:port], nothing else.
pub fn validate_url(field: &str, scheme: &str, value: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(Error::invalid(
            field,
            format!("{value:?} in {field} {why}; write it like {scheme}api.example.com"),
        ))
    };
    let Some(host) = value.strip_prefix(scheme) else {
        return bad(&format!("must start with {scheme}"));
    };
    if host.is_empty() || host.contains(['/', '?', '#', ' ', ';']) || value.trim() != value {
        return bad("must be a bare domain (optionally :port) without path, query or spaces");
    }
    let name = host.split(':').next().unwrap_or_default();
    if name.parse::<std::net::Ipv4Addr>().is_ok() || host.starts_with('[') {
        return bad("is an IP address; WeChat only accepts ICP-filed domain names");
    }
    if name.eq_ignore_ascii_case("api.weixin.qq.com") {
        return bad("is WeChat's own API host, which WeChat refuses as a server domain");
    }
    Ok(())
}

/// Validates a platform domain (no scheme: `www.example.com`).
pub fn validate_platform_domain(field: &str, value: &str) -> Result<()> {
    if value.is_empty()
        || value.contains("://")
        || value.contains(['/', '?', '#', ' ', ';'])
        || value.trim() != value
    {
        return Err(Error::invalid(
            field,
            format!("{value:?} must be a bare domain without scheme or path, e.g. www.example.com"),
        ));
    }
    Ok(())
}

fn platform_body(
    field: &'static str,
    action: DomainAction,
    domains: &[String],
    published_too: bool,
) -> Result<serde_json::Value> {
    let mut body = serde_json::json!({ "action": action });
    if action != DomainAction::Get {
        // An empty `set` would wipe the platform's list, which every
        // merchant's domains must be on; an empty add/delete means nothing.
        if domains.is_empty() {
            return Err(Error::invalid(
                field,
                "give at least one domain (e.g. api.example.com); to remove domains, delete them by name",
            ));
        }
        for d in domains {
            validate_platform_domain(field, d)?;
        }
        body[field] = serde_json::Value::from(domains.join(";"));
        body["is_modify_published_together"] = serde_json::Value::from(published_too);
    }
    Ok(body)
}

fn server_body(action: DomainAction, domains: &ServerDomains) -> Result<serde_json::Value> {
    let mut body = serde_json::json!({ "action": action });
    if action == DomainAction::Get {
        return Ok(body);
    }
    domains.validate()?;
    if action != DomainAction::Set && domains.is_empty() {
        return Err(Error::invalid(
            "requestdomain",
            "give at least one domain to add or delete",
        ));
    }
    for (field, _, list) in domains.lists() {
        if action == DomainAction::Set || !list.is_empty() {
            body[field] = serde_json::json!(list);
        }
    }
    Ok(body)
}

fn webview_body(action: DomainAction, domains: &[String]) -> Result<serde_json::Value> {
    let mut body = serde_json::json!({ "action": action });
    if action != DomainAction::Get {
        for d in domains {
            validate_url("webviewdomain", "https://", d)?;
        }
        body["webviewdomain"] = serde_json::json!(domains);
    }
    Ok(body)
}

/// A change spends one of the month's 50 domain changes, and a replayed
/// `add` would answer 85017: only reads may be replayed.
fn changes(call: Call, action: DomainAction) -> Call {
    if action == DomainAction::Get {
        call
    } else {
        call.single_use()
    }
}

impl Client {
    /// `POST cgi-bin/component/modify_wxa_server_domain`: the platform's own
    /// server-domain list (`published_too` also changes the released platform).
    pub async fn component_server_domain(
        &self,
        component_appid: &str,
        component_access_token: &str,
        action: DomainAction,
        domains: &[String],
        published_too: bool,
    ) -> Result<PlatformDomains> {
        let endpoint = "cgi-bin/component/modify_wxa_server_domain";
        let list = ("wxa_server_domain", action, domains, published_too);
        self.platform_domains::<ServerDomainAnswer>(
            endpoint,
            component_appid,
            component_access_token,
            list,
        )
        .await
    }

    /// `POST cgi-bin/component/get_domain_confirmfile`: the file proving the
    /// platform owns its business domains.
    pub async fn component_domain_confirmfile(
        &self,
        component_appid: &str,
        component_access_token: &str,
    ) -> Result<ConfirmFile> {
        require_appid("component_appid", component_appid)?;
        let call = post_empty(
            "cgi-bin/component/get_domain_confirmfile",
            component_access_token,
            component_appid,
        )?;
        self.execute(call).await
    }

    /// `POST cgi-bin/component/modify_wxa_jump_domain`: the platform's own
    /// business (web-view) domain list.
    pub async fn component_jump_domain(
        &self,
        component_appid: &str,
        component_access_token: &str,
        action: DomainAction,
        domains: &[String],
        published_too: bool,
    ) -> Result<PlatformDomains> {
        let endpoint = "cgi-bin/component/modify_wxa_jump_domain";
        let list = ("wxa_jump_h5_domain", action, domains, published_too);
        self.platform_domains::<JumpDomainAnswer>(
            endpoint,
            component_appid,
            component_access_token,
            list,
        )
        .await
    }

    /// One change of a platform's own domain list: `list` is the body's
    /// field, the action, the domains and `published_too`; `A` is the
    /// answer, whose three lists are named after the field.
    async fn platform_domains<A: DeserializeOwned + Into<PlatformDomains>>(
        &self,
        endpoint: &'static str,
        component_appid: &str,
        component_access_token: &str,
        (field, action, domains, published_too): (&'static str, DomainAction, &[String], bool),
    ) -> Result<PlatformDomains> {
        require_appid("component_appid", component_appid)?;
        let body = platform_body(field, action, domains, published_too)?;
        let call = changes(
            post_with(endpoint, component_access_token, component_appid, &body)?,
            action,
        );
        Ok(self.execute::<A>(call).await?.into())
    }

    /// `POST wxa/modify_domain` (or `wxa/modify_domain_directly` when
    /// `directly`): the mini program's server domains.
    pub async fn wxa_server_domain(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        action: DomainAction,
        domains: &ServerDomains,
        directly: bool,
    ) -> Result<ServerDomains> {
        let endpoints = ("wxa/modify_domain", "wxa/modify_domain_directly");
        let body = || server_body(action, domains);
        self.merchant_domains(
            endpoints,
            directly,
            (appid, authorizer_access_token),
            action,
            body,
        )
        .await
    }

    /// `POST wxa/setwebviewdomain` (or `wxa/setwebviewdomain_directly`): the
    /// mini program's business domains.
    pub async fn wxa_webview_domain(
        &self,
        appid: &str,
        authorizer_access_token: &str,
        action: DomainAction,
        domains: &[String],
        directly: bool,
    ) -> Result<WebviewDomains> {
        let endpoints = ("wxa/setwebviewdomain", "wxa/setwebviewdomain_directly");
        let body = || webview_body(action, domains);
        self.merchant_domains(
            endpoints,
            directly,
            (appid, authorizer_access_token),
            action,
            body,
        )
        .await
    }

    /// One call on a merchant's domains: the appid is checked first, then
    /// `body` builds (and validates) what is sent to `endpoints.0`, or to its
    /// `_directly` twin `endpoints.1` (no check against the platform's
    /// list); single-use unless it only reads.
    async fn merchant_domains<A: DeserializeOwned>(
        &self,
        endpoints: (&'static str, &'static str),
        directly: bool,
        (appid, authorizer_access_token): (&str, &str),
        action: DomainAction,
        body: impl FnOnce() -> Result<serde_json::Value>,
    ) -> Result<A> {
        require_appid("appid", appid)?;
        let body = body()?;
        let endpoint = if directly { endpoints.1 } else { endpoints.0 };
        let call = post_with(endpoint, authorizer_access_token, appid, &body)?;
        self.execute(changes(call, action)).await
    }

    /// `POST wxa/get_webviewdomain_confirmfile`: the file to place on a
    /// business domain before `setwebviewdomain_directly`.
    pub async fn wxa_webview_confirmfile(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<ConfirmFile> {
        require_appid("appid", appid)?;
        let call = post_empty(
            "wxa/get_webviewdomain_confirmfile",
            authorizer_access_token,
            appid,
        )?;
        self.execute(call).await
    }

    /// `POST wxa/get_effective_domain`: every source of server domains and what is in effect.
    pub async fn wxa_effective_domain(
        &self,
        appid: &str,
        authorizer_access_token: &str,
    ) -> Result<EffectiveDomains> {
        require_appid("appid", appid)?;
        let call = post_empty("wxa/get_effective_domain", authorizer_access_token, appid)?;
        self.execute(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_platform_list_is_never_changed_with_no_domain() {
        // An empty `set` would wipe the list every merchant's domains must be on.
        for action in [DomainAction::Add, DomainAction::Delete, DomainAction::Set] {
            let e = platform_body("wxa_server_domain", action, &[], true).unwrap_err();
            assert!(e.to_string().contains("at least one domain"), "{e}");
        }
        assert!(platform_body("wxa_server_domain", DomainAction::Get, &[], false).is_ok());
        let body = platform_body(
            "wxa_server_domain",
            DomainAction::Set,
            &["a.example.com".into()],
            false,
        )
        .unwrap();
        assert_eq!(body["wxa_server_domain"], "a.example.com");
    }

    #[test]
    fn domain_shapes_are_checked_per_list() {
        assert!(validate_url("requestdomain", "https://", "https://api.example.com").is_ok());
        assert!(validate_url("requestdomain", "https://", "https://api.example.com:8443").is_ok());
        for bad in [
            "http://api.example.com",
            "https://api.example.com/path",
            "https://1.2.3.4",
            "https://api.weixin.qq.com",
            " https://a.com",
            "https://",
        ] {
            match validate_url("requestdomain", "https://", bad) {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "requestdomain"),
                other => panic!("{bad}: {other:?}"),
            }
        }
        assert!(validate_platform_domain("wxa_server_domain", "www.example.com").is_ok());
        assert!(validate_platform_domain("wxa_server_domain", "https://www.example.com").is_err());
    }

    #[test]
    fn fields_name_every_list_in_wechats_order() {
        let order = "requestdomain wsrequestdomain uploaddomain downloaddomain udpdomain tcpdomain";
        assert_eq!(ServerDomains::fields().join(" "), order);
    }

    #[test]
    fn get_sends_only_the_action_and_set_sends_every_list() {
        let d = ServerDomains {
            requestdomain: vec!["https://a.example.com".into()],
            ..ServerDomains::default()
        };
        assert_eq!(
            server_body(DomainAction::Get, &d).unwrap(),
            serde_json::json!({"action": "get"})
        );
        let set = server_body(DomainAction::Set, &d).unwrap();
        assert_eq!(set["tcpdomain"], serde_json::json!([]));
        let add = server_body(DomainAction::Add, &d).unwrap();
        assert!(add.get("tcpdomain").is_none());
        assert!(server_body(DomainAction::Add, &ServerDomains::default()).is_err());
    }
}
