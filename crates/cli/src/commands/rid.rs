//! `rid RID --appid A`: what WeChat saw for a failed request.
//!
//! Every WeChat errmsg ends in ` rid: …`; the errcode hints tell operators to
//! look it up. This asks `cgi-bin/openapi/rid/get` with a token of the account
//! that made the request and prints the request WeChat received (secrets
//! masked), its answer, and when.

use clap::Args;

use wxdesk_core::ops::args::RidLookupArgs;
use wxdesk_core::ops::handlers as op;

use super::Ctx;
use crate::output::CliError;
use crate::text;

/// Arguments of `rid`.
#[derive(Debug, Args)]
pub struct RidArgs {
    /// The rid, as printed after `rid:` in the errmsg (e.g. 617682e0-09059ac5-34a8e2ea).
    pub rid: String,
    /// The account that made the request (app, authorizer or platform).
    #[arg(long)]
    pub appid: String,
    /// Ask with this platform's authorizer token (default: the app's own token when its AppSecret is stored, else the authorizer token).
    #[arg(long, value_name = "C")]
    pub component: Option<String>,
}

/// `rid RID --appid A [--component C]`.
pub async fn run(ctx: &Ctx<'_>, a: RidArgs) -> Result<(), CliError> {
    let v = op::rid_lookup(
        ctx.rt()?,
        RidLookupArgs {
            rid: a.rid,
            appid: a.appid,
            component_appid: a.component,
        },
    )
    .await?;
    let text = format!(
        "rid:      {}\nat:       {} ({} ms)\nclient:   {}\nrequest:  {}\nbody:     {}\nresponse: {}",
        v.rid,
        text::time(v.invoke_time),
        v.cost_in_ms,
        v.client_ip,
        v.request_url,
        if v.request_body.is_empty() {
            "(empty)"
        } else {
            &v.request_body
        },
        v.response_body
    );
    ctx.out.view(&v, &text)
}
