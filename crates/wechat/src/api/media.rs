//! Temporary media read back by id (`cgi-bin/media/get`). An audit rejection
//! names its screenshots as media ids (`weapp_audit_fail`'s `ScreenShot`,
//! `get_auditstatus`'s `screenshot`, joined by `|`); the operator needs to
//! see them, so they are fetched as image bytes with the merchant's token.
//! WeChat answers the bytes, or a JSON error (40007: the id is unknown or
//! expired), which becomes [`crate::Error::Api`].

use super::require_appid;
use super::wxa_shared::get_with;
use crate::client::{BinaryBody, Client};
use crate::error::{Error, Result};

/// Checks a media id: what WeChat mints is URL-safe text (letters, digits,
/// `-`, `_`), at most 128 characters. A list joined by `|` is rejected with
/// the hint to split it.
pub fn validate_media_id(field: &str, id: &str) -> Result<()> {
    super::require(field, id)?;
    if id.contains('|') {
        return Err(Error::invalid(
            field,
            format!("{field} holds several media ids joined by |; fetch them one at a time"),
        ));
    }
    if id.len() > 128
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::invalid(
            field,
            format!(
                "{field} must be a media id WeChat gave (letters, digits, - and _, at most 128 characters)"
            ),
        ));
    }
    Ok(())
}

impl Client {
    /// `GET cgi-bin/media/get?media_id=`: a temporary media file's bytes
    /// (e.g. an audit rejection's screenshot), with the authorizer token of
    /// the account that owns it.
    pub async fn media_get(
        &self,
        appid: &str,
        access_token: &str,
        media_id: &str,
    ) -> Result<BinaryBody> {
        require_appid("appid", appid)?;
        validate_media_id("media_id", media_id)?;
        let call = get_with("cgi-bin/media/get", access_token, appid)?.query("media_id", media_id);
        self.execute_binary(&call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_ids_are_checked_naming_the_field() {
        assert!(validate_media_id("media_id", "AbC-12_x").is_ok());
        for bad in ["", " a", "a|b", "a/b", "a b", &"x".repeat(129)] {
            let e = validate_media_id("media_id", bad).unwrap_err();
            assert!(e.to_string().contains("media_id"), "{bad}: {e}");
        }
        let e = validate_media_id("media_id", "m1|m2").unwrap_err();
        assert!(e.to_string().contains("one at a time"), "{e}");
    }
}
