//! The decrypted inner message of a push, parsed safely and typed.
//!
//! After [`crate::crypto::push`] has verified and decrypted a push, what is left
//! is a small XML document: `<xml><AppId>…</AppId><CreateTime>…</CreateTime>
//! <InfoType>…</InfoType>…</xml>` for authorization events (§5.2, §6.1–6.3),
//! or `MsgType`/`Event` messages on the message-and-event URL. This module
//! turns it into a [`PushMessage`]: every field by its tag name (so nothing the
//! operator might need is lost), plus a typed [`PushEvent`] for the InfoTypes
//! the product acts on (store the ticket, record an authorization, finish a
//! fast registration).
//!
//! The XML reader is deliberately minimal and hostile-input safe: it never
//! reads a DTD, so no entity beyond the five predefined ones and character
//! references is ever expanded (no billion laughs, no external entities), and
//! any `<!DOCTYPE`/`<!ENTITY` is rejected outright. WeChat never sends one.
//!
//! [`build_message`] is the inverse used by the sandbox to create pushes.

use crate::error::CryptoError;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde::Serialize;
use serde_json::{Map, Value};

/// Maximum element nesting accepted; WeChat messages are two or three deep.
const MAX_DEPTH: usize = 32;

/// Wraps `text` in CDATA, splitting any `]]>` so it cannot end the section early.
pub(crate) fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

struct Frame {
    name: String,
    children: Map<String, Value>,
    text: String,
}

fn insert_child(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        None => {
            map.insert(name, value);
        }
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

fn xml_err(reader: &Reader<&[u8]>, what: impl std::fmt::Display) -> CryptoError {
    CryptoError::Xml(format!("{what} (near byte {})", reader.buffer_position()))
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Parses an XML document into its root element's name and children.
///
/// Leaf elements become strings (CDATA and text alike; entity and character
/// references are unescaped, whitespace around plain text is trimmed, CDATA
/// is kept verbatim); elements with children become nested objects; repeated
/// tags become arrays; empty elements are `""`. Attributes are ignored.
/// Any DOCTYPE (and with it any entity declaration) is rejected.
pub(crate) fn parse_xml_tree(text: &str) -> Result<(String, Map<String, Value>), CryptoError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    reader.config_mut().check_end_names = true;

    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<(String, Map<String, Value>)> = None;

    loop {
        let event = reader.read_event().map_err(|e| {
            if contains_ignore_case(text, "<!ENTITY") {
                xml_err(
                    &reader,
                    "an <!ENTITY> declaration is not accepted; WeChat never sends one",
                )
            } else {
                xml_err(&reader, format_args!("malformed XML: {e}"))
            }
        })?;
        match event {
            Event::DocType(_) => {
                return Err(xml_err(
                    &reader,
                    "a <!DOCTYPE> declaration is not accepted (it can define entities); WeChat never sends one",
                ))
            }
            Event::Start(e) => {
                if root.is_some() {
                    return Err(xml_err(&reader, "content after the root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(xml_err(&reader, format_args!("elements nested deeper than {MAX_DEPTH}")));
                }
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.push(Frame {
                    name,
                    children: Map::new(),
                    text: String::new(),
                });
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                match stack.last_mut() {
                    Some(parent) => insert_child(&mut parent.children, name, Value::String(String::new())),
                    None if root.is_none() => root = Some((name, Map::new())),
                    None => return Err(xml_err(&reader, "content after the root element")),
                }
            }
            Event::Text(t) => {
                let s = t
                    .unescape()
                    .map_err(|e| xml_err(&reader, format_args!("bad text (only &lt; &gt; &amp; &quot; &apos; and &#…; references are allowed): {e}")))?;
                match stack.last_mut() {
                    Some(frame) => frame.text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(xml_err(&reader, "text outside the root element")),
                }
            }
            Event::CData(c) => {
                let raw = c.into_inner();
                let s = std::str::from_utf8(&raw)
                    .map_err(|e| xml_err(&reader, format_args!("CDATA is not UTF-8: {e}")))?;
                match stack.last_mut() {
                    Some(frame) => frame.text.push_str(s),
                    None => return Err(xml_err(&reader, "CDATA outside the root element")),
                }
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else {
                    return Err(xml_err(&reader, "closing tag without an opening tag"));
                };
                let value = if frame.children.is_empty() {
                    Value::String(frame.text)
                } else {
                    Value::Object(frame.children)
                };
                match stack.last_mut() {
                    Some(parent) => insert_child(&mut parent.children, frame.name, value),
                    None => {
                        let children = match value {
                            Value::Object(m) => m,
                            _ => Map::new(),
                        };
                        root = Some((frame.name, children));
                    }
                }
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if let Some(open) = stack.last() {
        return Err(CryptoError::Xml(format!(
            "the document ends inside <{}>: it was truncated",
            open.name
        )));
    }
    root.ok_or_else(|| CryptoError::Xml("the document has no root element".to_string()))
}

/// An `authorized` / `updateauthorized` push (§5.2).
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct AuthorizationNotice {
    /// The authorizing mini program / official account (`AuthorizerAppid`).
    pub authorizer_appid: String,
    /// The authorization code to exchange with `api_query_auth` (`AuthorizationCode`).
    pub authorization_code: String,
    /// `AuthorizationCodeExpiredTime` as sent (absolute or relative; see
    /// [`AuthorizationNotice::code_expires_at`]); `None` when absent or not a number.
    pub authorization_code_expired_time: Option<i64>,
    /// The pre-auth code the authorization link was built with (`PreAuthCode`).
    pub pre_auth_code: Option<String>,
}

impl AuthorizationNotice {
    /// When the authorization code expires, in Unix seconds.
    ///
    /// The doc calls the field "过期时间 单位秒" while SDKs model it as a
    /// timestamp, so a value above 10^9 is taken as absolute and a smaller one
    /// as seconds counted from the push's `CreateTime` (or `now` when that is
    /// unknown). `None` when the field is absent or negative.
    pub fn code_expires_at(&self, create_time: Option<i64>, now: i64) -> Option<i64> {
        let raw = self.authorization_code_expired_time?;
        if raw > 1_000_000_000 {
            Some(raw)
        } else if raw >= 0 {
            Some(create_time.unwrap_or(now).saturating_add(raw))
        } else {
            None
        }
    }
}

/// A `notify_third_fasteregister` push: result of an enterprise (§6.1) or
/// personal (§6.2) fast registration.
#[derive(Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct FastRegisterNotice {
    /// The new mini program's appid (`appid`), present on success.
    pub appid: Option<String>,
    /// `status`: 0 is success; see §6.1/§6.2 for the others.
    pub status: i64,
    /// The authorization code of the new mini program (`auth_code`), for `api_query_auth`.
    pub auth_code: Option<String>,
    /// `msg`, WeChat's text for the status.
    pub msg: Option<String>,
    /// The `<info>` echo of the request (enterprise: name, code, code_type,
    /// legal_persona_*; personal: wxuser, idname), used to match the task.
    pub info: Map<String, Value>,
}

/// A `notify_third_fastregisterbetaapp` push: result of a trial mini program
/// creation (§6.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct FastRegisterBetaNotice {
    /// The new trial mini program's appid (`appid`).
    pub appid: Option<String>,
    /// `status`: 0 is success.
    pub status: i64,
    /// `msg`, WeChat's text for the status.
    pub msg: Option<String>,
    /// `info.unique_id`, matching the `unique_id` returned by the create call.
    pub unique_id: Option<String>,
    /// `info.name`, the requested name.
    pub name: Option<String>,
}

/// The typed meaning of a push, by `InfoType`.
#[derive(Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PushEvent {
    /// `component_verify_ticket`: the ticket pushed every 10 minutes (valid 12 h).
    ComponentVerifyTicket {
        /// `ComponentVerifyTicket`.
        ticket: String,
    },
    /// `authorized`: a new authorization.
    Authorized(AuthorizationNotice),
    /// `updateauthorized`: an authorizer changed the permissions granted.
    UpdateAuthorized(AuthorizationNotice),
    /// `unauthorized`: an authorizer cancelled the authorization.
    Unauthorized {
        /// `AuthorizerAppid`.
        authorizer_appid: String,
    },
    /// `notify_third_fasteregister` (sic): enterprise or personal fast registration result.
    FastRegister(FastRegisterNotice),
    /// `notify_third_fastregisterbetaapp`: trial mini program creation result.
    FastRegisterBeta(FastRegisterBetaNotice),
    /// Any other message: an unknown InfoType, a `MsgType`/`Event` message, or non-XML text.
    Other,
}

/// A decrypted push message.
#[derive(Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub struct PushMessage {
    /// `AppId`: the platform's component appid.
    pub app_id: Option<String>,
    /// `CreateTime`, Unix seconds.
    pub create_time: Option<i64>,
    /// `InfoType`, for authorization-event pushes (None for `MsgType` messages).
    pub info_type: Option<String>,
    /// Every element of the message by its tag name exactly as sent; leaves are
    /// strings, nested elements (e.g. `info`) are objects.
    pub fields: Map<String, Value>,
    /// The typed meaning.
    pub event: PushEvent,
}

fn leaf(fields: &Map<String, Value>, name: &str) -> Option<String> {
    match fields.get(name) {
        Some(Value::String(s)) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        _ => None,
    }
}

fn required(
    fields: &Map<String, Value>,
    name: &str,
    info_type: &str,
) -> Result<String, CryptoError> {
    leaf(fields, name)
        .ok_or_else(|| CryptoError::Xml(format!("the {info_type} push has no <{name}> value")))
}

/// Reads an integer leniently: `0`, ` 0 `, `+0`, `0.0`.
fn lenient_int(s: &str) -> Option<i64> {
    let s = s.trim();
    s.parse::<i64>().ok().or_else(|| {
        s.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| f as i64)
    })
}

fn status_of(fields: &Map<String, Value>, info_type: &str) -> Result<i64, CryptoError> {
    let raw = required(fields, "status", info_type)?;
    lenient_int(&raw).ok_or_else(|| {
        CryptoError::Xml(format!(
            "the {info_type} push has a <status> that is not a number: {raw:?}"
        ))
    })
}

/// Parses a decrypted push message.
///
/// Text that is not XML (does not start with `<` once trimmed; e.g. the
/// `echostr` of a URL check) is not an error: it yields a message with no
/// fields and [`PushEvent::Other`]. XML values may or may not be in CDATA.
///
/// Errors ([`CryptoError::Xml`]): malformed XML, a DOCTYPE/entity declaration,
/// an undefined entity, or a known InfoType missing its required field
/// (`ComponentVerifyTicket`, `AuthorizerAppid`, `AuthorizationCode`, `status`).
pub fn parse_message(text: &str) -> Result<PushMessage, CryptoError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if !trimmed.starts_with('<') {
        return Ok(PushMessage {
            app_id: None,
            create_time: None,
            info_type: None,
            fields: Map::new(),
            event: PushEvent::Other,
        });
    }
    let (_, fields) = parse_xml_tree(trimmed)?;
    let app_id = leaf(&fields, "AppId");
    let create_time = leaf(&fields, "CreateTime").and_then(|s| lenient_int(&s));
    let info_type = leaf(&fields, "InfoType");

    let event = match info_type.as_deref().map(str::to_ascii_lowercase).as_deref() {
        Some("component_verify_ticket") => PushEvent::ComponentVerifyTicket {
            ticket: required(&fields, "ComponentVerifyTicket", "component_verify_ticket")?,
        },
        Some(kind @ ("authorized" | "updateauthorized")) => {
            let notice = AuthorizationNotice {
                authorizer_appid: required(&fields, "AuthorizerAppid", kind)?,
                authorization_code: required(&fields, "AuthorizationCode", kind)?,
                authorization_code_expired_time: leaf(&fields, "AuthorizationCodeExpiredTime")
                    .and_then(|s| lenient_int(&s)),
                pre_auth_code: leaf(&fields, "PreAuthCode"),
            };
            if kind == "authorized" {
                PushEvent::Authorized(notice)
            } else {
                PushEvent::UpdateAuthorized(notice)
            }
        }
        Some("unauthorized") => PushEvent::Unauthorized {
            authorizer_appid: required(&fields, "AuthorizerAppid", "unauthorized")?,
        },
        Some(kind @ "notify_third_fasteregister") => PushEvent::FastRegister(FastRegisterNotice {
            appid: leaf(&fields, "appid"),
            status: status_of(&fields, kind)?,
            auth_code: leaf(&fields, "auth_code"),
            msg: leaf(&fields, "msg"),
            info: match fields.get("info") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            },
        }),
        Some(kind @ "notify_third_fastregisterbetaapp") => {
            let info = match fields.get("info") {
                Some(Value::Object(m)) => m.clone(),
                _ => Map::new(),
            };
            PushEvent::FastRegisterBeta(FastRegisterBetaNotice {
                appid: leaf(&fields, "appid"),
                status: status_of(&fields, kind)?,
                msg: leaf(&fields, "msg"),
                unique_id: leaf(&info, "unique_id").or_else(|| leaf(&fields, "unique_id")),
                name: leaf(&info, "name").or_else(|| leaf(&fields, "name")),
            })
        }
        _ => PushEvent::Other,
    };

    Ok(PushMessage {
        app_id,
        create_time,
        info_type,
        fields,
        event,
    })
}

/// Makes `name` a valid XML element name (letters, digits, `_`, `-`, `.`;
/// not starting with a digit, `-` or `.`), replacing anything else with `_`.
fn element_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Ordered tree used by [`build_message`] to group dotted field names.
enum Node {
    Leaf(String),
    Branch(Vec<(String, Node)>),
}

fn insert_path(children: &mut Vec<(String, Node)>, path: &[&str], value: &str) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        children.push((first.to_string(), Node::Leaf(value.to_string())));
        return;
    }
    let pos = children
        .iter()
        .position(|(n, node)| n == first && matches!(node, Node::Branch(_)));
    let idx = match pos {
        Some(i) => i,
        None => {
            children.push((first.to_string(), Node::Branch(Vec::new())));
            children.len() - 1
        }
    };
    if let Some((_, Node::Branch(sub))) = children.get_mut(idx) {
        insert_path(sub, rest, value);
    }
}

fn render(out: &mut String, children: &[(String, Node)]) {
    for (name, node) in children {
        let tag = element_name(name);
        out.push('<');
        out.push_str(&tag);
        out.push('>');
        match node {
            Node::Leaf(v) => out.push_str(&cdata(v)),
            Node::Branch(sub) => render(out, sub),
        }
        out.push_str("</");
        out.push_str(&tag);
        out.push('>');
    }
}

/// Builds an inner push message as WeChat sends it:
/// `<xml><AppId><![CDATA[…]]></AppId><CreateTime>…</CreateTime><InfoType><![CDATA[…]]></InfoType>…</xml>`.
///
/// Each `(name, value)` becomes an element with the value in CDATA (a `]]>`
/// inside a value is split so it round-trips). A dotted name nests:
/// `("info.name", "x")` and `("info.code", "y")` become
/// `<info><name>…</name><code>…</code></info>` (consecutive or not, in order of
/// first appearance). Names are sanitised to valid XML names.
pub fn build_message(
    app_id: &str,
    create_time: i64,
    info_type: &str,
    fields: &[(&str, &str)],
) -> String {
    let mut tree: Vec<(String, Node)> = Vec::new();
    for (name, value) in fields {
        let path: Vec<&str> = name.split('.').filter(|p| !p.is_empty()).collect();
        insert_path(&mut tree, &path, value);
    }
    let mut out = String::with_capacity(128 + fields.len() * 48);
    out.push_str("<xml><AppId>");
    out.push_str(&cdata(app_id));
    out.push_str("</AppId><CreateTime>");
    out.push_str(&create_time.to_string());
    out.push_str("</CreateTime><InfoType>");
    out.push_str(&cdata(info_type));
    out.push_str("</InfoType>");
    render(&mut out, &tree);
    out.push_str("</xml>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_escapes_terminator() {
        let xml = format!("<xml><a>{}</a></xml>", cdata("x]]>y]]>"));
        let (_, m) = parse_xml_tree(&xml).unwrap();
        assert_eq!(m["a"], "x]]>y]]>");
    }

    #[test]
    fn repeated_tags_become_arrays_and_entities_unescape() {
        let (root, m) = parse_xml_tree(
            "<?xml version=\"1.0\"?><xml><i>1</i><i>2</i><e/><t>a &amp; &#x4e2d;</t></xml>",
        )
        .unwrap();
        assert_eq!(root, "xml");
        assert_eq!(m["i"], serde_json::json!(["1", "2"]));
        assert_eq!(m["e"], "");
        assert_eq!(m["t"], "a & 中");
    }

    #[test]
    fn malformed_is_an_error() {
        for bad in [
            "<xml><a>1</b></xml>",
            "<xml><a>1</a>",
            "<xml>&lol;</xml>",
            "<xml/><xml/>",
            "<xml></xml>trailing",
        ] {
            assert!(
                matches!(parse_xml_tree(bad), Err(CryptoError::Xml(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn depth_is_limited() {
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        assert!(matches!(parse_xml_tree(&deep), Err(CryptoError::Xml(_))));
    }

    #[test]
    fn code_expiry_interpretation() {
        let n = AuthorizationNotice {
            authorizer_appid: "wx".into(),
            authorization_code: "c".into(),
            authorization_code_expired_time: Some(600),
            pre_auth_code: None,
        };
        assert_eq!(
            n.code_expires_at(Some(1_700_000_000), 5),
            Some(1_700_000_600)
        );
        assert_eq!(n.code_expires_at(None, 1_000), Some(1_600));
        let abs = AuthorizationNotice {
            authorization_code_expired_time: Some(1_700_000_600),
            ..n.clone()
        };
        assert_eq!(abs.code_expires_at(Some(1), 2), Some(1_700_000_600));
        let none = AuthorizationNotice {
            authorization_code_expired_time: None,
            ..n
        };
        assert_eq!(none.code_expires_at(Some(1), 2), None);
    }

    #[test]
    fn lenient_status() {
        assert_eq!(lenient_int(" 0 "), Some(0));
        assert_eq!(lenient_int("-1"), Some(-1));
        assert_eq!(lenient_int("100001.0"), Some(100001));
        assert_eq!(lenient_int("ok"), None);
    }
}
