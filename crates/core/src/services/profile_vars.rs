//! The per-merchant variables of a release profile's `ext_json` template:
//! the CSV they come from and their substitution.
//!
//! `{{appid}}`, `{{nickname}}` and each CSV column (the first column being
//! the appid) are replaced per merchant; values are JSON-string-escaped, so a
//! merchant's name can neither break the file nor inject into it, and the
//! result must be a JSON object. An unknown variable, or a column without a
//! value for a merchant, is an error naming the variable and the merchant.

use std::collections::BTreeMap;

use serde_json::Value;
use wxdesk_wechat::links::validate_appid;

use crate::error::{Error, Result};
use crate::services::profiles::ProfileVars;

/// Parses a CSV of variables: header `appid,col…`, one row per merchant.
pub fn parse_vars_csv(text: &str) -> Result<ProfileVars> {
    let mut lines = parse_csv(text)?
        .into_iter()
        .filter(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    let header = lines.next().ok_or_else(|| {
        Error::invalid(
            "vars",
            "the CSV is empty; its first line names the columns, the first being appid",
        )
    })?;
    if header
        .first()
        .map(|h| h.trim().trim_start_matches('\u{feff}'))
        != Some("appid")
    {
        return Err(Error::invalid(
            "vars",
            "the CSV's first column must be named appid (header line: appid,column,…)",
        ));
    }
    let columns: Vec<String> = header[1..].iter().map(|c| c.trim().to_string()).collect();
    for c in &columns {
        if !is_var_name(c) || c == "appid" || c == "nickname" {
            return Err(Error::invalid(
                "vars",
                format!("column {c:?} cannot be a variable: use letters, digits and _ (appid and nickname are built in)"),
            ));
        }
    }
    let mut rows = BTreeMap::new();
    for (n, row) in lines.enumerate() {
        let line = n + 2;
        if row.len() != columns.len() + 1 {
            return Err(Error::invalid(
                "vars",
                format!(
                    "CSV line {line} has {} fields; the header has {}",
                    row.len(),
                    columns.len() + 1
                ),
            ));
        }
        let appid = row[0].trim().to_string();
        validate_appid(&format!("vars line {line}"), &appid)?;
        let values = columns
            .iter()
            .cloned()
            .zip(row[1..].iter().cloned())
            .collect();
        if rows.insert(appid.clone(), values).is_some() {
            return Err(Error::invalid(
                "vars",
                format!("CSV line {line}: {appid} appears twice"),
            ));
        }
    }
    Ok(ProfileVars { columns, rows })
}

/// RFC 4180 fields: commas, `"quoted, ""escaped"""` fields, CRLF or LF.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(Error::invalid("vars", "the CSV ends inside a quoted field"));
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

fn is_var_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The `{{variables}}` of a template, in order of first use.
pub fn template_variables(template: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_string();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = &after[end + 2..];
    }
    out
}

/// Renders the `ext_json` template for one merchant.
///
/// An unknown variable, or a CSV column without a row for this merchant, is
/// an error naming the variable and the merchant. Values are JSON-string
/// escaped (the template puts them inside quotes); the result must be a JSON
/// object.
pub fn render_ext_json(
    template: &str,
    appid: &str,
    nickname: &str,
    vars: &ProfileVars,
) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| {
            Error::invalid(
                "ext_json",
                "a {{ is not closed with }} in the ext_json template",
            )
        })?;
        let name = after[..end].trim();
        let value = match name {
            "appid" => appid.to_string(),
            "nickname" => nickname.to_string(),
            _ if vars.columns.iter().any(|c| c == name) => vars
                .rows
                .get(appid)
                .and_then(|r| r.get(name))
                .cloned()
                .ok_or_else(|| {
                    Error::invalid(
                        "vars",
                        format!("no value of {{{{{name}}}}} for merchant {appid}: add a row for {appid} to the CSV"),
                    )
                })?,
            _ => {
                return Err(Error::invalid(
                    "ext_json",
                    format!(
                        "unknown variable {{{{{name}}}}} for merchant {appid}: use appid, nickname or a CSV column ({})",
                        if vars.columns.is_empty() { "none given".to_string() } else { vars.columns.join(", ") }
                    ),
                ))
            }
        };
        let quoted =
            serde_json::to_string(&value).map_err(|e| Error::invalid("ext_json", e.to_string()))?;
        out.push_str(&quoted[1..quoted.len() - 1]);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    match serde_json::from_str::<Value>(&out) {
        Ok(Value::Object(_)) => Ok(out),
        Ok(_) => Err(Error::invalid(
            "ext_json",
            format!("the ext_json for merchant {appid} is not a JSON object; write {{\"extAppid\":\"{{{{appid}}}}\",…}}"),
        )),
        Err(e) => Err(Error::invalid(
            "ext_json",
            format!("the ext_json for merchant {appid} is not valid JSON ({e}); put each {{{{variable}}}} inside quotes"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> ProfileVars {
        parse_vars_csv("appid,shop,city\nwx0123456789abcdef,\"Tea \"\"House\"\", Ltd\",上海\n")
            .unwrap()
    }

    #[test]
    fn substitutes_and_escapes() {
        let t = r#"{"extAppid":"{{appid}}","ext":{"name":"{{nickname}}","shop":"{{ shop }}","city":"{{city}}"}}"#;
        let out =
            render_ext_json(t, "wx0123456789abcdef", "A \"quoted\"\\ name\n", &vars()).unwrap();
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["extAppid"], "wx0123456789abcdef");
        assert_eq!(v["ext"]["name"], "A \"quoted\"\\ name\n");
        assert_eq!(v["ext"]["shop"], "Tea \"House\", Ltd");
        assert_eq!(v["ext"]["city"], "上海");
    }

    #[test]
    fn unknown_variable_names_it_and_the_merchant() {
        let e = render_ext_json(r#"{"a":"{{shop_id}}"}"#, "wx0123456789abcdef", "n", &vars())
            .unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("{{shop_id}}") && m.contains("wx0123456789abcdef"),
            "{m}"
        );
        let e =
            render_ext_json(r#"{"a":"{{shop}}"}"#, "wx00000000000000ff", "n", &vars()).unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("{{shop}}") && m.contains("wx00000000000000ff"),
            "{m}"
        );
    }

    #[test]
    fn result_must_be_a_json_object() {
        assert!(render_ext_json(r#"{"a":{{appid}}}"#, "wx0123456789abcdef", "", &vars()).is_err());
        assert!(render_ext_json(r#"["{{appid}}"]"#, "wx0123456789abcdef", "", &vars()).is_err());
    }

    #[test]
    fn csv_header_and_rows_are_checked() {
        assert!(parse_vars_csv("shop,appid\n").is_err());
        assert!(parse_vars_csv("appid,shop\nwx0123456789abcdef\n").is_err());
        assert!(parse_vars_csv("appid,shop\nnot-an-appid,x\n").is_err());
        assert!(parse_vars_csv("appid,bad name\n").is_err());
        let v = parse_vars_csv("appid,shop\r\nwx0123456789abcdef,x\r\n\r\n").unwrap();
        assert_eq!(v.rows.len(), 1);
    }
}
