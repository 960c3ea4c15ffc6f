//! The paid phone-number meter.
//!
//! `wxa/business/getuserphonenumber` is paid: each successful call costs
//! 0.03 yuan with the fast-verification component (手机号快速验证) or 0.04
//! with real-time verification (手机号实时验证), after 1,000 free trial calls
//! per component per mini program. Both components end in the same server
//! call, so each mini program (app or authorizer: the setting is keyed by
//! appid) says which one it uses; fast verification is the default.
//!
//! The counts come from the counter table kept in step with the call log
//! (`store::phone_meter`). Days and months are China days (UTC+8), WeChat's
//! billing calendar. Prices are a setting because WeChat changes them.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::desk::Desk;
use crate::error::{Error, Result};
use crate::store::{apps, authorizers, phone_meter, settings};

/// Free trial calls per component per mini program.
pub const TRIAL_CALLS: i64 = 1000;
/// The trial counts as nearly used up from this share on (percent).
pub const WARN_AT_PERCENT: i64 = 90;
/// Default price of a fast-verification call, in yuan.
pub const DEFAULT_FAST_YUAN: f64 = 0.03;
/// Default price of a real-time-verification call, in yuan.
pub const DEFAULT_REALTIME_YUAN: f64 = 0.04;
/// Highest price accepted, in yuan (a guard against typing fen as yuan ×100).
pub const MAX_PRICE_YUAN: f64 = 10.0;

const CHINA_OFFSET_SECS: i64 = 8 * 3600;

/// The phone-number component a mini program uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PhoneComponent {
    /// 手机号快速验证 (the default).
    Fast,
    /// 手机号实时验证.
    Realtime,
}

impl PhoneComponent {
    /// Both, in display order.
    pub const ALL: [PhoneComponent; 2] = [PhoneComponent::Fast, PhoneComponent::Realtime];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            PhoneComponent::Fast => "fast",
            PhoneComponent::Realtime => "realtime",
        }
    }

    fn parse(s: &str) -> PhoneComponent {
        if s == "realtime" {
            PhoneComponent::Realtime
        } else {
            PhoneComponent::Fast
        }
    }
}

/// Prices per successful call, in yuan.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct MeterPrices {
    /// Fast verification (default 0.03).
    pub fast_yuan: f64,
    /// Real-time verification (default 0.04).
    pub realtime_yuan: f64,
}

impl Default for MeterPrices {
    fn default() -> Self {
        MeterPrices {
            fast_yuan: DEFAULT_FAST_YUAN,
            realtime_yuan: DEFAULT_REALTIME_YUAN,
        }
    }
}

impl MeterPrices {
    fn of(&self, c: PhoneComponent) -> f64 {
        match c {
            PhoneComponent::Fast => self.fast_yuan,
            PhoneComponent::Realtime => self.realtime_yuan,
        }
    }
}

/// One component's figures for one mini program and month.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeterComponentView {
    /// Which component.
    pub component: PhoneComponent,
    /// Its price per call, in yuan.
    pub price_yuan: f64,
    /// Successful calls in the month.
    pub month_calls: i64,
    /// Successful calls today (China day; 0 outside the current month).
    pub today_calls: i64,
    /// Trial calls used by the end of the month (or now), at most the trial.
    pub trial_used: i64,
    /// Trial calls left.
    pub trial_left: i64,
    /// Calls in the month beyond the trial (billed).
    pub billable_calls: i64,
    /// What the month's calls cost so far, in yuan.
    pub cost_yuan: f64,
    /// Calls expected by the end of the month at the pace so far.
    pub projected_calls: i64,
    /// What the month is expected to cost, in yuan.
    pub projected_cost_yuan: f64,
    /// The trial is nearly (≥ 90 %) or wholly used up.
    pub trial_warning: bool,
}

/// Calls of one day.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeterDayView {
    /// `YYYY-MM-DD` (China day).
    pub day: String,
    /// Fast-verification calls.
    pub fast: i64,
    /// Real-time-verification calls.
    pub realtime: i64,
}

/// One mini program on the meter.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeterAppView {
    /// AppID.
    pub appid: String,
    /// App name or the merchant's nick name (may be empty).
    pub name: String,
    /// Stored as a mini program with its own AppSecret.
    pub is_app: bool,
    /// Platforms it authorized.
    pub authorizer_of: Vec<String>,
    /// The component it is set to use.
    pub component: PhoneComponent,
    /// Figures per component (fast, then real-time).
    pub components: Vec<MeterComponentView>,
    /// Calls per day of the month (days with calls only).
    pub days: Vec<MeterDayView>,
    /// Calls in the month, both components.
    pub month_calls: i64,
    /// Cost of the month so far, in yuan.
    pub cost_yuan: f64,
    /// Projected cost of the month, in yuan.
    pub projected_cost_yuan: f64,
    /// Some component's trial is nearly or wholly used up.
    pub trial_warning: bool,
}

/// The meter for one month.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeterView {
    /// `YYYY-MM`.
    pub month: String,
    /// Today, `YYYY-MM-DD` (China day).
    pub today: String,
    /// The month is the current one (projections extrapolate).
    pub is_current_month: bool,
    /// Days of the month elapsed, today included (all of them for a past month).
    pub days_elapsed: u32,
    /// Days in the month.
    pub days_in_month: u32,
    /// Prices in use.
    pub prices: MeterPrices,
    /// Free trial calls per component per mini program.
    pub trial_calls: i64,
    /// Warning threshold of the trial, percent.
    pub warn_at_percent: i64,
    /// Mini programs with paid calls (or the one asked for).
    pub apps: Vec<MeterAppView>,
    /// Calls in the month over all of them.
    pub month_calls: i64,
    /// Cost of the month so far over all of them, in yuan.
    pub cost_yuan: f64,
    /// Projected cost of the month over all of them, in yuan.
    pub projected_cost_yuan: f64,
    /// How many have a trial warning.
    pub warnings: usize,
}

/// A mini program's component setting.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeterComponentSetting {
    /// AppID.
    pub appid: String,
    /// The component it uses.
    pub component: PhoneComponent,
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn day_string(y: i64, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses `YYYY-MM` into (year, month).
pub fn parse_month(field: &str, s: &str) -> Result<(i64, u32)> {
    let bad = || {
        Error::invalid(
            field,
            format!("{s:?} is not a month; write it as YYYY-MM, e.g. 2026-12"),
        )
    };
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let y: i64 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || y < 2000 {
        return Err(bad());
    }
    Ok((y, m))
}

/// Billed calls of `calls` made after `before` earlier calls of the same component.
fn billable(before: i64, calls: i64) -> i64 {
    let free_left = (TRIAL_CALLS - before).max(0);
    (calls - free_left).max(0)
}

/// Yuan rounded to the fen's hundredth (4 decimals), so sums print cleanly.
fn yuan(calls: i64, price: f64) -> f64 {
    ((calls as f64) * price * 10_000.0).round() / 10_000.0
}

fn check_price(field: &str, p: f64) -> Result<f64> {
    if !p.is_finite() || !(0.0..=MAX_PRICE_YUAN).contains(&p) {
        return Err(Error::invalid(
            field,
            format!("{p} is not a price in yuan per call; give a number from 0 to {MAX_PRICE_YUAN}, e.g. 0.03"),
        ));
    }
    Ok(p)
}

impl Desk {
    /// The prices in use (the defaults until set).
    pub fn meter_prices(&self) -> Result<MeterPrices> {
        Ok(self
            .store()
            .read(|c| settings::get::<MeterPrices>(c, phone_meter::PRICES))?
            .unwrap_or_default())
    }

    /// Sets the prices per call, in yuan.
    pub fn meter_set_prices(&self, prices: MeterPrices) -> Result<MeterPrices> {
        let prices = MeterPrices {
            fast_yuan: check_price("fast_yuan", prices.fast_yuan)?,
            realtime_yuan: check_price("realtime_yuan", prices.realtime_yuan)?,
        };
        self.store()
            .write(|tx| settings::set(tx, phone_meter::PRICES, &prices))?;
        Ok(prices)
    }

    /// Which component `appid` uses.
    pub fn meter_component(&self, appid: &str) -> Result<MeterComponentSetting> {
        let c = self.store().read(|c| phone_meter::component(c, appid))?;
        Ok(MeterComponentSetting {
            appid: appid.to_string(),
            component: c
                .as_deref()
                .map_or(PhoneComponent::Fast, PhoneComponent::parse),
        })
    }

    /// Sets which component `appid` (a stored app or authorizer) uses; calls
    /// from now on are counted under it.
    pub fn meter_set_component(
        &self,
        appid: &str,
        component: PhoneComponent,
    ) -> Result<MeterComponentSetting> {
        let appid = appid.trim();
        crate::services::apps::check_appid("appid", appid)?;
        self.store().write(|tx| {
            let known = apps::get(tx, appid)?.is_some()
                || !authorizers::find_by_appid(tx, appid)?.is_empty();
            if !known {
                return Err(Error::not_found("mini program or authorizer", appid));
            }
            phone_meter::set_component(tx, appid, component.as_str())
        })?;
        self.meter_component(appid)
    }

    /// The meter of `month` (`YYYY-MM`, default the current China month),
    /// for every mini program with paid calls or only `appid`.
    pub fn meter(&self, appid: Option<&str>, month: Option<&str>) -> Result<MeterView> {
        let appid = appid.map(str::trim).filter(|a| !a.is_empty());
        if let Some(a) = appid {
            crate::services::apps::check_appid("appid", a)?;
        }
        let today_days = (self.now() + CHINA_OFFSET_SECS).div_euclid(86_400);
        let (ty, tm, td) = civil_from_days(today_days);
        let (y, m) = match month.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => parse_month("month", s)?,
            None => (ty, tm),
        };
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let start = day_string(y, m, 1);
        let next = day_string(ny, nm, 1);
        let days_in_month = (days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1)) as u32;
        let is_current = (y, m) == (ty, tm);
        let is_past = (y, m) < (ty, tm);
        let days_elapsed = if is_current {
            td
        } else if is_past {
            days_in_month
        } else {
            0
        };
        let today = day_string(ty, tm, td);
        let prices = self.meter_prices()?;

        let (before, rows, settings_of, names) = self.store().read(|c| {
            let before = phone_meter::totals_before(c, &start, appid)?;
            let rows = phone_meter::days_between(c, &start, &next, appid)?;
            let mut ids: BTreeSet<String> = before.iter().map(|b| b.0.clone()).collect();
            ids.extend(rows.iter().map(|r| r.appid.clone()));
            if let Some(a) = appid {
                ids.insert(a.to_string());
            }
            let mut settings_of = BTreeMap::new();
            let mut names = BTreeMap::new();
            for id in &ids {
                let comp = phone_meter::component(c, id)?;
                settings_of.insert(id.clone(), comp);
                let app = apps::get(c, id)?;
                let auths = authorizers::find_by_appid(c, id)?;
                names.insert(id.clone(), (app, auths));
            }
            Ok((before, rows, settings_of, names))
        })?;

        if let Some(a) = appid {
            let (app, auths) = names.get(a).cloned().unwrap_or_default();
            let has_counts = before.iter().any(|b| b.0 == a) || rows.iter().any(|r| r.appid == a);
            if app.is_none() && auths.is_empty() && !has_counts {
                return Err(Error::not_found("mini program or authorizer", a));
            }
        }

        let mut apps_out = Vec::new();
        for (id, setting) in &settings_of {
            let (app, auths) = names.get(id).cloned().unwrap_or_default();
            let name = app
                .as_ref()
                .map(|a| a.name.clone())
                .filter(|n| !n.is_empty())
                .or_else(|| {
                    auths
                        .iter()
                        .map(|a| a.nick_name.clone())
                        .find(|n| !n.is_empty())
                })
                .unwrap_or_default();
            let mut days: BTreeMap<String, MeterDayView> = BTreeMap::new();
            let mut components = Vec::new();
            for comp in PhoneComponent::ALL {
                let before_calls: i64 = before
                    .iter()
                    .filter(|b| &b.0 == id && b.1 == comp.as_str())
                    .map(|b| b.2)
                    .sum();
                let mut month_calls = 0;
                let mut today_calls = 0;
                for r in rows
                    .iter()
                    .filter(|r| &r.appid == id && r.component == comp.as_str())
                {
                    month_calls += r.calls;
                    if r.day == today {
                        today_calls += r.calls;
                    }
                    let d = days.entry(r.day.clone()).or_insert_with(|| MeterDayView {
                        day: r.day.clone(),
                        fast: 0,
                        realtime: 0,
                    });
                    match comp {
                        PhoneComponent::Fast => d.fast += r.calls,
                        PhoneComponent::Realtime => d.realtime += r.calls,
                    }
                }
                let projected_calls = if is_current && days_elapsed > 0 {
                    let per_day = month_calls as f64 / f64::from(days_elapsed);
                    month_calls + (per_day * f64::from(days_in_month - days_elapsed)).round() as i64
                } else {
                    month_calls
                };
                let trial_used = (before_calls + month_calls).min(TRIAL_CALLS);
                let billable_calls = billable(before_calls, month_calls);
                let price = prices.of(comp);
                components.push(MeterComponentView {
                    component: comp,
                    price_yuan: price,
                    month_calls,
                    today_calls,
                    trial_used,
                    trial_left: TRIAL_CALLS - trial_used,
                    billable_calls,
                    cost_yuan: yuan(billable_calls, price),
                    projected_calls,
                    projected_cost_yuan: yuan(billable(before_calls, projected_calls), price),
                    trial_warning: trial_used * 100 >= TRIAL_CALLS * WARN_AT_PERCENT,
                });
            }
            let month_calls = components.iter().map(|c| c.month_calls).sum();
            let cost_yuan = round4(components.iter().map(|c| c.cost_yuan).sum());
            let projected_cost_yuan =
                round4(components.iter().map(|c| c.projected_cost_yuan).sum());
            let trial_warning = components.iter().any(|c| c.trial_warning);
            apps_out.push(MeterAppView {
                appid: id.clone(),
                name,
                is_app: app.is_some(),
                authorizer_of: auths.iter().map(|a| a.component_appid.clone()).collect(),
                component: setting
                    .as_deref()
                    .map_or(PhoneComponent::Fast, PhoneComponent::parse),
                components,
                days: days.into_values().collect(),
                month_calls,
                cost_yuan,
                projected_cost_yuan,
                trial_warning,
            });
        }
        // Busiest first.
        apps_out.sort_by(|a, b| {
            b.month_calls
                .cmp(&a.month_calls)
                .then_with(|| a.appid.cmp(&b.appid))
        });
        Ok(MeterView {
            month: format!("{y:04}-{m:02}"),
            today,
            is_current_month: is_current,
            days_elapsed,
            days_in_month,
            prices,
            trial_calls: TRIAL_CALLS,
            warn_at_percent: WARN_AT_PERCENT,
            month_calls: apps_out.iter().map(|a| a.month_calls).sum(),
            cost_yuan: round4(apps_out.iter().map(|a| a.cost_yuan).sum()),
            projected_cost_yuan: round4(apps_out.iter().map(|a| a.projected_cost_yuan).sum()),
            warnings: apps_out.iter().filter(|a| a.trial_warning).count(),
            apps: apps_out,
        })
    }
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for d in [-1, 0, 59, 10_957, 20_000, 20_792] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2026, 12, 5), 20_792);
    }

    #[test]
    fn the_trial_is_free_then_each_call_is_billed() {
        assert_eq!(billable(0, 3), 0);
        assert_eq!(billable(998, 5), 3);
        assert_eq!(billable(1200, 5), 5);
        assert_eq!(billable(0, 1000), 0);
        assert_eq!(yuan(3, 0.03), 0.09);
    }

    #[test]
    fn months_are_checked() {
        assert_eq!(parse_month("month", "2026-02").unwrap(), (2026, 2));
        for bad in ["2026-13", "26-01", "2026/01", "2026-1", "x"] {
            let e = parse_month("month", bad).unwrap_err().to_string();
            assert!(e.contains("YYYY-MM"), "{bad}: {e}");
        }
    }
}
