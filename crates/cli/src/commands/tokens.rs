//! `token`, `component token` and `authorizer token`: access tokens from the
//! desk's token manager.
//!
//! The token is printed masked unless `--reveal`. Fetches that disturb the
//! token production holds — legacy `cgi-bin/token`, any `--force` — are
//! confirmed first, and refused without a terminal or `--yes` before
//! anything is sent. With `--json` the fields are `token`, `expires_at`,
//! `expires_in` and `source` (`cache`/`fresh`/`redis`), plus the token's kind,
//! owner, issuing endpoint and any warning; a token of an account bound to a
//! team store also has `layout`, `key` and `ttl` (its Redis key), and the text
//! says "Redis, wxjava-open layout, TTL 6,900 s".

use wxdesk_core::token_types::{AppTokenMode, TokenGrant, FORCE_PER_DAY, FORCE_SPACING_SECS};
use wxdesk_core::Desk;

use super::Ctx;
use crate::cli::{AuthorizerTokenArgs, ComponentTokenArgs, TokenArgs, TokenModeArg};
use crate::output::CliError;
use crate::text;

fn print_grant(ctx: &Ctx<'_>, grant: &TokenGrant) -> Result<(), CliError> {
    let view = Desk::token_view(grant, ctx.g.reveal);
    if let Some(w) = &view.warning {
        ctx.out.warn(w);
    }
    let source = match (view.source, &grant.team) {
        (wxdesk_core::token_types::TokenSource::Redis, Some(t)) => t.line(),
        (wxdesk_core::token_types::TokenSource::Fresh, Some(t)) => format!(
            "fresh ({}), written to Redis: {}",
            view.endpoint,
            t.line().trim_start_matches("Redis, ")
        ),
        (wxdesk_core::token_types::TokenSource::Cache, _) => format!("cache ({})", view.endpoint),
        (wxdesk_core::token_types::TokenSource::Fresh, None) => {
            format!("fresh ({})", view.endpoint)
        }
        (wxdesk_core::token_types::TokenSource::Redis, None) => "redis".to_string(),
    };
    let mut text = format!(
        "token:   {}{}\nexpires: {} (in {})\nsource:  {}\nowner:   {} [{}]",
        view.token,
        if view.revealed {
            ""
        } else {
            "  (masked; add --reveal to print it)"
        },
        text::time(view.expires_at),
        text::duration(view.expires_in),
        source,
        view.owner,
        view.kind.as_str(),
    );
    if let Some(key) = &view.key {
        text.push_str(&format!("\nkey:     {key}"));
    }
    if let Some(left) = view.force_budget_left {
        text.push_str(&format!(
            "\nforce:   {left} of {FORCE_PER_DAY} force refreshes left today"
        ));
    }
    ctx.out.view(&view, &text)
}

/// `token --appid A [--mode stable|legacy] [--force]`.
pub async fn app_token(ctx: &Ctx<'_>, a: TokenArgs) -> Result<(), CliError> {
    let desk = ctx.desk()?;
    let mode = match a.mode {
        TokenModeArg::Stable => AppTokenMode::Stable,
        TokenModeArg::Legacy => AppTokenMode::Legacy,
    };
    if matches!(mode, AppTokenMode::Legacy) || a.force {
        // Check the app exists before asking anything.
        desk.app_show(&a.appid)?;
        let env = desk.env().label();
        let (action, risk) = match mode {
            AppTokenMode::Legacy => (
                format!("mint a new access token for {} with cgi-bin/token", a.appid),
                format!(
                    "it REPLACES the access token your servers hold ({env}): theirs stops working in about 5 minutes, \
                     and cgi-bin/token calls are limited to 2000 a day. The default stable mode does not disturb them"
                ),
            ),
            AppTokenMode::Stable => (
                format!("force-refresh the access token of {} (stable_token force_refresh)", a.appid),
                format!(
                    "the access token your servers hold ({env}) stops working AT ONCE (they see 40001 until they fetch again); \
                     WeChat allows {FORCE_PER_DAY} force refreshes a day, {FORCE_SPACING_SECS} s apart: {}",
                    desk.force_budget(&a.appid)?.summary()
                ),
            ),
        };
        ctx.confirm(&action, &risk)?;
    }
    let grant = desk.app_token(&a.appid, mode, a.force).await?;
    print_grant(ctx, &grant)
}

/// `component token C [--force]`.
pub async fn component_token(ctx: &Ctx<'_>, a: ComponentTokenArgs) -> Result<(), CliError> {
    let desk = ctx.desk()?;
    if a.force {
        desk.component_show(&a.component)?;
        ctx.confirm(
            &format!("force a new component_access_token for {}", a.component),
            &format!(
                "a new token is fetched although the cached one may still be valid; other servers of this platform ({}) \
                 may hold the old one, and api_component_token calls are rate-limited by WeChat",
                desk.env().label()
            ),
        )?;
    }
    let grant = desk.component_token(&a.component, a.force).await?;
    print_grant(ctx, &grant)
}

/// `authorizer token A --component C [--force]`.
pub async fn authorizer_token(ctx: &Ctx<'_>, a: AuthorizerTokenArgs) -> Result<(), CliError> {
    let desk = ctx.desk()?;
    if a.force {
        desk.authorizer_show(&a.appid, Some(&a.component))?;
        ctx.confirm(
            &format!("force a new authorizer_access_token for {} (platform {})", a.appid, a.component),
            &format!(
                "servers acting for this merchant ({}) may hold the current token, and api_authorizer_token calls count \
                 against a daily limit; a rotated refresh token is saved",
                desk.env().label()
            ),
        )?;
    }
    let grant = desk
        .authorizer_token(&a.component, &a.appid, a.force)
        .await?;
    print_grant(ctx, &grant)
}
