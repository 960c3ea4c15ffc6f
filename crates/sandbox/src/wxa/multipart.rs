//! A small `multipart/form-data` reader for the two upload endpoints
//! (`wxa/uploadmedia`, `uploadprivacyextfile`). WeChat reads one file part by
//! field name; so does this. A missing or malformed part answers 41005
//! ("media data missing") like WeChat's media uploads.

use std::sync::MutexGuard;

use axum::http::{header, HeaderMap};

use super::{err_hint, locked_caller, Caller};
use crate::state::{Shared, State};
use crate::wx::{Params, WxError};

/// One uploaded file.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    (from..=hay.len() - needle.len()).find(|&i| hay[i..].starts_with(needle))
}

fn attr(headers: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let start = headers.find(&key)? + key.len();
    let end = headers[start..].find('"')? + start;
    Some(headers[start..end].to_string())
}

/// The file part named `field` of a multipart request.
fn file_part(headers: &HeaderMap, body: &[u8], field: &str) -> Result<Part, WxError> {
    let missing = |why: &str| err_hint(41005, why);
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !ct.starts_with("multipart/form-data") {
        return Err(missing("the body must be multipart/form-data"));
    }
    let boundary = ct
        .split(';')
        .filter_map(|p| p.trim().strip_prefix("boundary="))
        .next()
        .map(|b| b.trim_matches('"').to_string())
        .ok_or_else(|| missing("no multipart boundary"))?;
    let delimiter = format!("--{boundary}");
    let mut pos = find(body, delimiter.as_bytes(), 0).ok_or_else(|| missing("no part"))?;
    loop {
        let start = pos + delimiter.len();
        if body[start..].starts_with(b"--") {
            break;
        }
        let head_start = start + 2;
        let head_end = find(body, b"\r\n\r\n", head_start).ok_or_else(|| missing("bad part"))?;
        let next = find(body, delimiter.as_bytes(), head_end).ok_or_else(|| missing("bad part"))?;
        let head = String::from_utf8_lossy(&body[head_start..head_end]).to_string();
        let content_end = next.saturating_sub(2).max(head_end + 4);
        if attr(&head, "name").as_deref() == Some(field) {
            let content_type = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("content-type:")
                        .then(|| l[13..].trim().to_string())
                })
                .unwrap_or_else(|| "application/octet-stream".to_string());
            return Ok(Part {
                filename: attr(&head, "filename").unwrap_or_default(),
                content_type,
                bytes: body[head_end + 4..content_end].to_vec(),
            });
        }
        pos = next;
    }
    Err(missing(&format!("no part named {field}")))
}

/// The prologue of an upload endpoint: a POST by a mini program (see
/// [`locked_caller`]) carrying the file part `field`.
pub(crate) fn locked_upload<'a>(
    shared: &'a Shared,
    headers: &HeaderMap,
    p: &Params,
    field: &str,
) -> Result<(MutexGuard<'a, State>, Caller, Part), WxError> {
    p.require_post()?;
    let (_, state, c) = locked_caller(shared, p)?;
    let part = file_part(headers, &p.body, field)?;
    Ok((state, c, part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_named_part() {
        let (boundary, body) =
            wxdesk_wechat::client::multipart_body(&wxdesk_wechat::client::Upload {
                field: "media",
                filename: "a.png".into(),
                content_type: "image/png".into(),
                bytes: b"\x89PNG\r\n--x".to_vec(),
            });
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}")
                .parse()
                .unwrap(),
        );
        let part = file_part(&headers, &body, "media").unwrap();
        assert_eq!(part.filename, "a.png");
        assert_eq!(part.content_type, "image/png");
        assert_eq!(part.bytes, b"\x89PNG\r\n--x");
        assert_eq!(
            file_part(&headers, &body, "file").unwrap_err().errcode,
            41005
        );
        assert_eq!(
            file_part(&HeaderMap::new(), &body, "media")
                .unwrap_err()
                .errcode,
            41005
        );
    }
}
