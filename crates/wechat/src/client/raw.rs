//! The two exchanges that are not "JSON in, JSON out": a call whose success
//! body is an image (`wxa/get_qrcode`), and an upload (`wxa/uploadmedia`,
//! `uploadprivacyextfile`) sent as `multipart/form-data`.
//!
//! They live next to [`Client::execute_value`] so that they share its rules:
//! the same bases, the same bounded retries (only when the connection was
//! never made, or on `errcode -1`), and one redacted [`CallRecord`] per
//! attempt. An image call still fails with [`Error::Api`] when WeChat answers
//! with its JSON error body instead of an image. Bodies are read with a cap so
//! a misbehaving host cannot make the desk buffer without bound.

use serde_json::Value;

use super::attempt::{with_json_body, Outcome};
use super::{judge_json, Call, Client, Method, MAX_LOGGED_BODY};
use crate::error::{Error, Result};
use crate::redact::{redact_body, redact_json};

/// A binary answer (an image).
#[derive(Clone, PartialEq, Eq)]
pub struct BinaryBody {
    /// The `Content-Type` WeChat sent (e.g. `image/jpeg`), empty when none.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for BinaryBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinaryBody")
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// One file of a multipart upload.
#[derive(Clone)]
pub struct Upload {
    /// The form field WeChat reads (`media`, `file`).
    pub field: &'static str,
    /// The file name sent in `Content-Disposition`.
    pub filename: String,
    /// The part's `Content-Type`.
    pub content_type: String,
    /// The file content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("field", &self.field)
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

/// A `multipart/form-data` body with one file part, and its boundary.
pub fn multipart_body(upload: &Upload) -> (String, Vec<u8>) {
    let boundary = format!("----wxdesk{}", hex::encode(rand::random::<[u8; 12]>()));
    // Quotes and line breaks would break the header; WeChat only needs an extension.
    let filename: String = upload
        .filename
        .chars()
        .map(|c| if c == '"' || c.is_control() { '_' } else { c })
        .collect();
    let mut body = Vec::with_capacity(upload.bytes.len() + 256);
    body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"{}\"; filename=\"{filename}\"\r\n",
            upload.field
        )
        .as_bytes(),
    );
    body.extend_from_slice(format!("Content-Type: {}\r\n\r\n", upload.content_type).as_bytes());
    body.extend_from_slice(&upload.bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (boundary, body)
}

enum Answer {
    Json(Value),
    Binary(BinaryBody),
}

impl Client {
    /// Sends `call` (a GET or a JSON POST) and returns the image WeChat
    /// answers with. A JSON body is an error: [`Error::Api`] for a non-zero
    /// errcode, [`Error::Decode`] otherwise.
    pub async fn execute_binary(&self, call: &Call) -> Result<BinaryBody> {
        match self.raw_with_retries(call, None).await? {
            Answer::Binary(b) => Ok(b),
            Answer::Json(v) => Err(Error::Decode {
                endpoint: call.endpoint.to_string(),
                reason: "expected an image, WeChat answered JSON without an error code".into(),
                body: redact_body(&v.to_string(), MAX_LOGGED_BODY),
            }),
        }
    }

    /// Uploads one file as `multipart/form-data` and returns the JSON answer
    /// (errcode checked). `call` supplies the endpoint, query and retry rule;
    /// its JSON body, if any, is ignored.
    pub async fn execute_upload(&self, call: &Call, upload: &Upload) -> Result<Value> {
        match self.raw_with_retries(call, Some(upload)).await? {
            Answer::Json(v) => Ok(v),
            Answer::Binary(b) => Err(Error::Decode {
                endpoint: call.endpoint.to_string(),
                reason: format!(
                    "expected JSON, got {} bytes of {}",
                    b.bytes.len(),
                    b.content_type
                ),
                body: String::new(),
            }),
        }
    }

    async fn raw_with_retries(&self, call: &Call, upload: Option<&Upload>) -> Result<Answer> {
        self.with_retries(call, |attempt| self.raw_attempt(call, upload, attempt))
            .await
    }

    async fn raw_attempt(
        &self,
        call: &Call,
        upload: Option<&Upload>,
        attempt: u32,
    ) -> Result<Answer> {
        let sent = self.begin(call, attempt)?;
        let endpoint = call.endpoint;
        let mut req = match (call.method, upload) {
            (Method::Get, None) => self.http.get(sent.url.clone()),
            _ => self.http.post(sent.url.clone()),
        };
        let logged_body = match upload {
            Some(u) => {
                let (boundary, body) = multipart_body(u);
                req = req
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(body);
                Some(serde_json::json!({"multipart": {
                    "field": u.field, "filename": u.filename,
                    "content_type": u.content_type, "bytes": u.bytes.len(),
                }}))
            }
            None => match &call.body {
                Some(body) => {
                    req = with_json_body(req, body)?;
                    Some(redact_json(body))
                }
                None => None,
            },
        };
        let mut status = None;
        let mut logged_response: Option<String> = None;
        let result: Result<Answer> = async {
            let got = self.send_capped(req, endpoint, &mut status).await?;
            let (content_type, bytes) = (got.content_type, got.bytes);
            let looks_json = content_type.contains("json")
                || content_type.starts_with("text/")
                || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            if looks_json {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                logged_response = Some(redact_body(&text, MAX_LOGGED_BODY));
                let value = judge_json(endpoint, got.status, &bytes, &text)?;
                return Ok(Answer::Json(value));
            }
            logged_response = Some(format!("<{} bytes of {content_type}>", bytes.len()));
            if !(200..300).contains(&got.status) {
                return Err(Error::Http {
                    endpoint: endpoint.to_string(),
                    status: got.status,
                    body: String::new(),
                });
            }
            Ok(Answer::Binary(BinaryBody {
                content_type,
                bytes,
            }))
        }
        .await;
        self.report(
            &sent,
            Outcome {
                method: if upload.is_some() {
                    Method::Post.as_str()
                } else {
                    call.method.as_str()
                },
                http_status: status,
                json: match &result {
                    Ok(Answer::Json(v)) => Some(v),
                    _ => None,
                },
                error: result.as_ref().err(),
                request_body: logged_body,
                response: logged_response,
            },
        );
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_body_has_one_part_and_a_clean_filename() {
        let (boundary, body) = multipart_body(&Upload {
            field: "media",
            filename: "a\"b\r\n.png".into(),
            content_type: "image/png".into(),
            bytes: vec![1, 2, 3],
        });
        let text = String::from_utf8_lossy(&body);
        assert!(text.starts_with(&format!("--{boundary}\r\n")));
        assert!(text.contains("name=\"media\"; filename=\"a_b__.png\""));
        assert!(text.ends_with(&format!("\r\n--{boundary}--\r\n")));
        assert!(body.windows(3).any(|w| w == [1, 2, 3]));
    }
}
