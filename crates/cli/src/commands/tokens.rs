//! `token`, `component token` and `authorizer token`: access tokens from the
//! `app_token`, `component_token` and `authorizer_token` operations.
//!
//! The token is printed masked unless `--reveal`. Fetches that disturb the
//! token production holds — legacy `cgi-bin/token`, any `--force` — are
//! refused by the operation until confirmed; this shell asks with the
//! operation's wording (or `--yes`), and without a terminal nothing is sent.
//! With `--json` the output is the operation's `TokenView`: `token`,
//! `expires_at`, `expires_in` and `source` (`cache`/`fresh`/`redis`), plus the
//! token's kind, owner, issuing endpoint and any warning; a token of an
//! account bound to a team store also has `layout`, `key` and `ttl` (its
//! Redis key), and the text says "Redis, wxjava-open layout, TTL 6,900 s".

use wxdesk_core::ops::args::{AppTokenArgs, AuthorizerTokenArgs, ComponentTokenArgs};
use wxdesk_core::ops::handlers as op;
use wxdesk_core::team::store::source_line;
use wxdesk_core::token_types::{AppTokenMode, TokenSource, TokenView, FORCE_PER_DAY};

use super::Ctx;
use crate::cli::{self, TokenModeArg};
use crate::output::CliError;
use crate::text;

/// "Redis, wxjava-open layout, TTL 6,900 s" for a token of a team binding.
fn team_line(view: &TokenView) -> Option<String> {
    let layout = view.layout.as_deref()?.parse().ok()?;
    Some(source_line(layout, view.ttl))
}

fn print_token(ctx: &Ctx<'_>, view: &TokenView) -> Result<(), CliError> {
    if let Some(w) = &view.warning {
        ctx.out.warn(w);
    }
    let source = match (view.source, team_line(view)) {
        (TokenSource::Redis, Some(line)) => line,
        (TokenSource::Fresh, Some(line)) => format!(
            "fresh ({}), written to Redis: {}",
            view.endpoint,
            line.trim_start_matches("Redis, ")
        ),
        (TokenSource::Cache, _) => format!("cache ({})", view.endpoint),
        (TokenSource::Fresh, None) => format!("fresh ({})", view.endpoint),
        (TokenSource::Redis, None) => "redis".to_string(),
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
    ctx.out.view(view, &text)
}

/// `token --appid A [--mode stable|legacy] [--force]`.
pub async fn app_token(ctx: &Ctx<'_>, a: cli::TokenArgs) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    let mode = match a.mode {
        TokenModeArg::Stable => AppTokenMode::Stable,
        TokenModeArg::Legacy => AppTokenMode::Legacy,
    };
    let view = ctx
        .confirmed(|confirmed| {
            op::app_token(
                rt,
                AppTokenArgs {
                    appid: a.appid.clone(),
                    mode: Some(mode),
                    force: a.force,
                    confirmed,
                    reveal: ctx.g.reveal,
                },
            )
        })
        .await?;
    print_token(ctx, &view)
}

/// `component token C [--force]`.
pub async fn component_token(ctx: &Ctx<'_>, a: cli::ComponentTokenArgs) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    let view = ctx
        .confirmed(|confirmed| {
            op::component_token(
                rt,
                ComponentTokenArgs {
                    component_appid: a.component.clone(),
                    force: a.force,
                    confirmed,
                    reveal: ctx.g.reveal,
                },
            )
        })
        .await?;
    print_token(ctx, &view)
}

/// `authorizer token A --component C [--force]`.
pub async fn authorizer_token(ctx: &Ctx<'_>, a: cli::AuthorizerTokenArgs) -> Result<(), CliError> {
    let rt = ctx.rt()?;
    let view = ctx
        .confirmed(|confirmed| {
            op::authorizer_token(
                rt,
                AuthorizerTokenArgs {
                    component_appid: a.component.clone(),
                    authorizer_appid: a.appid.clone(),
                    force: a.force,
                    confirmed,
                    reveal: ctx.g.reveal,
                },
            )
        })
        .await?;
    print_token(ctx, &view)
}
