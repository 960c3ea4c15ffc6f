//! `cgi-bin/media/get`: the temporary media a mini program's token may read
//! back. The sandbox keeps no uploaded bytes, so it serves what wxdesk needs
//! to show: an audit rejection's screenshots, each a real small PNG (a QR
//! code reading `wxdesk sandbox audit screenshot <media_id>`, so a test can
//! tell which screenshot it got). An id that is unknown, not a screenshot, or
//! another account's answers 40007, as WeChat does.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use wxdesk_wechat::qr::{qr_png, QrOptions};

use super::{caller, err, err_hint};
use crate::state::AppState;
use crate::wx::Params;

/// What a sandbox screenshot's QR code reads.
pub fn screenshot_text(media_id: &str) -> String {
    format!("wxdesk sandbox audit screenshot {media_id}")
}

/// `GET cgi-bin/media/get?access_token=&media_id=`: the PNG, or JSON 40007.
pub(crate) async fn get(State(shared): State<AppState>, p: Params) -> Response {
    let now = shared.now();
    let found = {
        let state = shared.lock();
        caller(&state, p.q("access_token"), now).and_then(|c| {
            let id = p.q("media_id").unwrap_or_default().to_string();
            match state.wxa.media.get(&id) {
                Some(m) if m.appid == c.appid && m.kind == "screenshot" => Ok(id),
                _ if id.is_empty() => Err(err_hint(40007, "media_id is missing")),
                _ => Err(err(40007)),
            }
        })
    };
    let id = match found {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    let opts = QrOptions {
        size_px: 160,
        ..QrOptions::default()
    };
    match qr_png(&screenshot_text(&id), &opts) {
        Ok(png) => {
            let mut r = (StatusCode::OK, png).into_response();
            r.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
            r
        }
        Err(_) => err_hint(-1, "could not render the screenshot").into_response(),
    }
}
