//! Phone-number exchange: `wxa/business/getuserphonenumber`.
//!
//! The code from a `getPhoneNumber` button is single-use and lives five
//! minutes. `countryCode` is documented as a string and shown as a number; it
//! is read as either.

use serde::{Deserialize, Serialize};

use super::require;
use crate::client::{Call, Client};
use crate::error::Result;

/// The phone number WeChat returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneInfo {
    /// Number with country code for non-mainland numbers.
    #[serde(rename = "phoneNumber")]
    pub phone_number: String,
    /// Number without country code.
    #[serde(rename = "purePhoneNumber")]
    pub pure_phone_number: String,
    /// Country code, as text whatever JSON type it arrived as.
    #[serde(
        rename = "countryCode",
        deserialize_with = "crate::lenient::string_or_number"
    )]
    pub country_code: String,
    /// Which mini program the number was issued to, and when.
    pub watermark: PhoneWatermark,
}

/// The watermark of a phone number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneWatermark {
    /// Unix seconds when the user obtained the number.
    #[serde(default, deserialize_with = "crate::lenient::i64_lenient")]
    pub timestamp: i64,
    /// The mini program's AppID.
    #[serde(default)]
    pub appid: String,
}

#[derive(Deserialize)]
struct PhoneResponse {
    phone_info: PhoneInfo,
}

impl Client {
    /// Exchanges a phone code with the mini program's (or authorizer's) access token.
    pub async fn phone_number(
        &self,
        appid: &str,
        access_token: &str,
        code: &str,
    ) -> Result<PhoneInfo> {
        require("access_token", access_token)?;
        require("code", code)?;
        let call = Call::post(
            "wxa/business/getuserphonenumber",
            &serde_json::json!({ "code": code }),
        )?
        .query("access_token", access_token)
        .single_use()
        .account(appid);
        let r: PhoneResponse = self.execute(call).await?;
        Ok(r.phone_info)
    }
}
