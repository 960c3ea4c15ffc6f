//! `meter [--appid A] [--month YYYY-MM]`: the paid phone-number meter.
//!
//! `getuserphonenumber` is billed per successful call beyond a 1,000-call
//! trial per component; this prints each mini program's calls of the month
//! against the trial, the cost so far and the projection for the month, with
//! a warning when a trial is nearly used up. `--component` sets which
//! component an app or authorizer uses; `--fast-price`/`--realtime-price` set
//! the prices. Everything runs through the operation table (`ops::meter`).

use clap::Args;
use wxdesk_core::ops::meter::{self as op, MeterArgs, MeterComponentArgs, MeterPricesArgs};
use wxdesk_core::ops::Runtime;
use wxdesk_core::services::phone_meter::{MeterView, PhoneComponent};

use super::Ctx;
use crate::output::CliError;
use crate::text::Table;

/// Arguments of `meter`.
#[derive(Debug, Args)]
pub struct MeterArgsCli {
    /// Only this mini program or authorizer.
    #[arg(long, value_name = "A")]
    pub appid: Option<String>,
    /// The month, YYYY-MM (default: the current month, China time).
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// Set the component the --appid uses: fast (手机号快速验证) or realtime (手机号实时验证).
    #[arg(long, value_name = "fast|realtime", requires = "appid", value_parser = parse_component)]
    pub component: Option<PhoneComponent>,
    /// Set the price of a fast-verification call, in yuan (with --realtime-price).
    #[arg(long, value_name = "YUAN", requires = "realtime_price")]
    pub fast_price: Option<f64>,
    /// Set the price of a real-time-verification call, in yuan (with --fast-price).
    #[arg(long, value_name = "YUAN", requires = "fast_price")]
    pub realtime_price: Option<f64>,
}

fn parse_component(s: &str) -> Result<PhoneComponent, String> {
    match s.trim() {
        "fast" => Ok(PhoneComponent::Fast),
        "realtime" => Ok(PhoneComponent::Realtime),
        other => Err(format!(
            "{other:?} is not a component; use fast or realtime"
        )),
    }
}

fn yuan(v: f64) -> String {
    format!("¥{v:.2}")
}

/// The text form of a meter.
fn render(v: &MeterView) -> String {
    let mut t = Table::new(&[
        "APPID",
        "NAME",
        "USES",
        "CALLS",
        "TRIAL USED",
        "COST",
        "PROJECTED",
        "",
    ]);
    for a in &v.apps {
        let used: Vec<String> = a
            .components
            .iter()
            .map(|c| {
                format!(
                    "{} {}/{}",
                    c.component.as_str(),
                    c.trial_used,
                    v.trial_calls
                )
            })
            .collect();
        t.row(vec![
            a.appid.clone(),
            a.name.clone(),
            a.component.as_str().to_string(),
            a.month_calls.to_string(),
            used.join(", "),
            yuan(a.cost_yuan),
            yuan(a.projected_cost_yuan),
            if a.trial_warning {
                "trial nearly used up".to_string()
            } else {
                String::new()
            },
        ]);
    }
    format!(
        "month {} (day {} of {}), prices fast {} / realtime {} per call, trial {} calls per component\n{}\ntotal: {} calls, cost {}, projected {}{}",
        v.month,
        v.days_elapsed,
        v.days_in_month,
        yuan(v.prices.fast_yuan),
        yuan(v.prices.realtime_yuan),
        v.trial_calls,
        t.render("(no paid calls)"),
        v.month_calls,
        yuan(v.cost_yuan),
        yuan(v.projected_cost_yuan),
        if v.warnings > 0 {
            format!("\nwarning: {} trial(s) at {}% or more", v.warnings, v.warn_at_percent)
        } else {
            String::new()
        }
    )
}

/// `meter [--appid A] [--month YYYY-MM] [--component C] [--fast-price Y --realtime-price Y]`.
pub async fn run(ctx: &Ctx<'_>, a: MeterArgsCli) -> Result<(), CliError> {
    let rt = Runtime::open_once(ctx.desk_options()?)?;
    if let (Some(fast_yuan), Some(realtime_yuan)) = (a.fast_price, a.realtime_price) {
        op::meter_set_prices(
            &rt,
            MeterPricesArgs {
                fast_yuan,
                realtime_yuan,
            },
        )
        .await?;
    }
    if let (Some(component), Some(appid)) = (a.component, a.appid.clone()) {
        op::meter_set_component(&rt, MeterComponentArgs { appid, component }).await?;
    }
    let v = op::meter(
        &rt,
        MeterArgs {
            appid: a.appid,
            month: a.month,
        },
    )
    .await?;
    if v.warnings > 0 {
        ctx.out.warn(&format!(
            "{} trial(s) of 1,000 free phone-number calls are {}% used or more; calls beyond them are billed",
            v.warnings, v.warn_at_percent
        ));
    }
    let text = render(&v);
    ctx.out.view(&v, &text)
}
