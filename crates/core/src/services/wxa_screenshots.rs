//! An audit rejection's screenshots as images. WeChat names them by media id
//! (`get_auditstatus`'s `screenshot`, `weapp_audit_fail`'s `ScreenShot`,
//! joined by `|`), which an operator cannot look at; this fetches each with
//! the merchant's token (`cgi-bin/media/get`) and hands back the bytes as
//! base64 with their type, for the Releases screen's thumbnails.
//!
//! A screenshot never changes under its id, and WeChat keeps it 3 days, so
//! each is fetched once per desk and kept in memory (bounded; the images are
//! not secrets). The cache is per desk, so per environment.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use wxdesk_wechat::api::media::validate_media_id;

use crate::desk::Desk;
use crate::error::{Error, Result};

/// At most this many screenshots are kept; the cache is emptied when full.
const CACHE_CAP: usize = 256;
/// At most this many base64 bytes are kept in all (a screenshot is ~100 KB–2 MB).
const CACHE_BYTES: usize = 32 * 1024 * 1024;
/// At most this many ids in one request (a rejection has a handful).
pub const MAX_IDS: usize = 20;

/// One screenshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ScreenshotView {
    /// Its media id.
    pub media_id: String,
    /// `image/png`, `image/jpeg` (what WeChat sent).
    pub content_type: String,
    /// The image, base64.
    pub image_base64: String,
}

/// The screenshots fetched so far, by (mini program, media id).
#[derive(Debug, Default)]
pub(crate) struct ScreenshotCache {
    shots: Mutex<HashMap<(String, String), Arc<ScreenshotView>>>,
}

impl ScreenshotCache {
    fn get(&self, appid: &str, id: &str) -> Option<Arc<ScreenshotView>> {
        let shots = self.shots.lock().unwrap_or_else(|p| p.into_inner());
        shots.get(&(appid.to_string(), id.to_string())).cloned()
    }

    fn put(&self, appid: &str, shot: ScreenshotView) {
        let mut shots = self.shots.lock().unwrap_or_else(|p| p.into_inner());
        let held: usize = shots.values().map(|s| s.image_base64.len()).sum();
        if shots.len() >= CACHE_CAP || held + shot.image_base64.len() > CACHE_BYTES {
            shots.clear();
        }
        shots.insert((appid.to_string(), shot.media_id.clone()), Arc::new(shot));
    }
}

/// Splits WeChat's `|`-joined list (also accepted as separate ids), checking each.
pub fn media_ids(given: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for id in given.iter().flat_map(|g| g.split('|')) {
        let id = id.trim();
        if id.is_empty() || out.iter().any(|o| o == id) {
            continue;
        }
        validate_media_id("media_ids", id)?;
        out.push(id.to_string());
    }
    if out.is_empty() {
        return Err(Error::invalid(
            "media_ids",
            "give the rejection's screenshot media ids (audit_status's screenshots)",
        ));
    }
    if out.len() > MAX_IDS {
        return Err(Error::invalid(
            "media_ids",
            format!("at most {MAX_IDS} screenshots at once"),
        ));
    }
    Ok(out)
}

impl Desk {
    /// The screenshots `media_ids` of `appid`'s rejected audit, each fetched
    /// once (then from memory), in the order given.
    pub async fn wxa_audit_screenshots(
        &self,
        appid: &str,
        component: Option<&str>,
        media_ids: &[String],
    ) -> Result<Vec<ScreenshotView>> {
        let mut out = Vec::with_capacity(media_ids.len());
        for id in media_ids {
            if let Some(hit) = self.screenshots.get(appid, id) {
                out.push((*hit).clone());
                continue;
            }
            let client = self.client();
            let (_, img) = self
                .with_wxa_token(appid, component, |t| async move {
                    client.media_get(appid, &t, id).await
                })
                .await?;
            let shot = ScreenshotView {
                media_id: id.clone(),
                content_type: image_type(&img.content_type),
                image_base64: B64.encode(&img.bytes),
            };
            self.screenshots.put(appid, shot.clone());
            out.push(shot);
        }
        Ok(out)
    }
}

/// The image type to show the bytes as: WeChat's when it names a raster
/// image, else JPEG (what WeChat's screenshots are); never anything a data
/// URL could run.
fn image_type(sent: &str) -> String {
    let t = sent
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match t.as_str() {
        "image/png" | "image/jpeg" | "image/jpg" | "image/gif" | "image/webp" | "image/bmp" => t,
        _ => "image/jpeg".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_raster_image_types_are_passed_on() {
        assert_eq!(image_type("image/png"), "image/png");
        assert_eq!(image_type("Image/JPEG; charset=binary"), "image/jpeg");
        for other in ["", "text/html", "image/svg+xml", "application/octet-stream"] {
            assert_eq!(image_type(other), "image/jpeg", "{other}");
        }
    }

    #[test]
    fn the_cache_is_bounded_by_bytes() {
        let c = ScreenshotCache::default();
        let big = |id: &str| ScreenshotView {
            media_id: id.into(),
            content_type: "image/png".into(),
            image_base64: "A".repeat(CACHE_BYTES / 2 + 1),
        };
        c.put("wx0123456789abcdef", big("m1"));
        c.put("wx0123456789abcdef", big("m2"));
        assert!(
            c.get("wx0123456789abcdef", "m1").is_none(),
            "emptied before going over"
        );
        assert!(c.get("wx0123456789abcdef", "m2").is_some());
    }

    #[test]
    fn joined_lists_are_split_deduplicated_and_checked() {
        let ids = media_ids(&["a1|b2".into(), "b2".into(), " c3 ".into()]).unwrap();
        assert_eq!(ids, ["a1", "b2", "c3"]);
        for bad in [vec![], vec!["|".to_string()], vec!["a/b".to_string()]] {
            let e = media_ids(&bad).unwrap_err();
            assert!(e.to_string().contains("media_ids"), "{e}");
        }
        let many: Vec<String> = (0..=MAX_IDS).map(|i| format!("m{i}")).collect();
        assert!(media_ids(&many).is_err());
    }

    #[test]
    fn the_cache_is_per_mini_program() {
        let c = ScreenshotCache::default();
        let shot = ScreenshotView {
            media_id: "m1".into(),
            content_type: "image/png".into(),
            image_base64: "AA==".into(),
        };
        c.put("wx0123456789abcdef", shot.clone());
        assert_eq!(c.get("wx0123456789abcdef", "m1").as_deref(), Some(&shot));
        assert!(c.get("wxfedcba9876543210", "m1").is_none());
    }
}
