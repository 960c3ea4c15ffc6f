//! Operations of the paid phone-number meter: read it, set the prices, set a
//! mini program's component. Their arguments live here too, so this area's
//! additions to the table stay out of the shared files.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::Runtime;
use crate::error::Result;
use crate::services::phone_meter::{MeterComponentSetting, MeterPrices, MeterView, PhoneComponent};

/// Read the meter.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MeterArgs {
    /// Only this mini program or authorizer.
    #[serde(default)]
    pub appid: Option<String>,
    /// `YYYY-MM` (default: the current month, China time).
    #[serde(default)]
    pub month: Option<String>,
}

/// Set the prices per successful call, in yuan.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MeterPricesArgs {
    /// Fast verification (手机号快速验证), e.g. 0.03.
    pub fast_yuan: f64,
    /// Real-time verification (手机号实时验证), e.g. 0.04.
    pub realtime_yuan: f64,
}

/// Set which component a mini program or authorizer uses.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MeterComponentArgs {
    /// AppID of a stored mini program or authorizer.
    pub appid: String,
    /// `fast` or `realtime`.
    pub component: PhoneComponent,
}

impl Default for MeterComponentArgs {
    fn default() -> Self {
        MeterComponentArgs {
            appid: String::new(),
            component: PhoneComponent::Fast,
        }
    }
}

/// Read which component a mini program or authorizer uses.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct MeterAppArgs {
    /// AppID.
    pub appid: String,
}

pub async fn meter(rt: &Runtime, a: MeterArgs) -> Result<MeterView> {
    rt.desk().meter(a.appid.as_deref(), a.month.as_deref())
}

pub async fn meter_set_prices(rt: &Runtime, a: MeterPricesArgs) -> Result<MeterPrices> {
    rt.desk().meter_set_prices(MeterPrices {
        fast_yuan: a.fast_yuan,
        realtime_yuan: a.realtime_yuan,
    })
}

pub async fn meter_component(rt: &Runtime, a: MeterAppArgs) -> Result<MeterComponentSetting> {
    crate::services::apps::check_appid("appid", a.appid.trim())?;
    rt.desk().meter_component(a.appid.trim())
}

pub async fn meter_set_component(
    rt: &Runtime,
    a: MeterComponentArgs,
) -> Result<MeterComponentSetting> {
    rt.desk().meter_set_component(&a.appid, a.component)
}
