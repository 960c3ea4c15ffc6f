//! `wxdesk`: the command line over the WeChat protocol crate and the sandbox.
//!
//! Other tools script against this binary, so its output rules are strict:
//! `--json` prints exactly one JSON object on stdout; a failure exits non-zero
//! with one line on stderr and, with `--json`, an `{"error":{…}}` object on
//! stdout. Notes (such as repaired input) go to stderr, never into the JSON.
//! Diagnostics (`tracing`) go to stderr too, filtered by `WXDESK_LOG`
//! (default `warn`: only failures that would otherwise go unnoticed).

// The command dispatch awaits every operation's future in one `match`.
#![recursion_limit = "256"]

mod cli;
mod commands;
mod output;
mod text;

use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::output::{CliError, Output};

/// Sends `tracing` events to stderr, filtered by `WXDESK_LOG` (an
/// env-filter directive such as `info` or `wxdesk_core=debug`; default `warn`).
fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("WXDESK_LOG") {
        Ok(v) if !v.trim().is_empty() => EnvFilter::try_new(v.trim()).unwrap_or_else(|e| {
            eprintln!("warning: WXDESK_LOG {v:?} is not a valid filter ({e}); using warn");
            EnvFilter::new("warn")
        }),
        _ => EnvFilter::new("warn"),
    };
    // Fails only if a subscriber is already set, which nothing else does.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(true)
        .try_init();
}

fn main() -> ExitCode {
    init_tracing();
    // `args_os`, not `args`: an argument that is not valid Unicode must become
    // a clear usage error from clap, not a panic before parsing starts.
    let raw: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json_requested = raw.iter().skip(1).any(|a| a == "--json");
    let parsed = Cli::command()
        .try_get_matches_from(&raw)
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let cli = match parsed {
        Ok((mut cli, matches)) => {
            let from_env = |id: &str| {
                matches!(
                    matches.value_source(id),
                    None | Some(ValueSource::EnvVariable)
                )
            };
            cli.global.bases_from_env =
                from_env("api_base") && from_env("mp_base") && from_env("open_base");
            cli
        }
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            let out = Output::new(json_requested);
            let err = CliError::usage(e.kind(), e.render().to_string());
            return out.fail(&err);
        }
    };
    let out = Output::new(cli.global.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return out.fail(&CliError::new(
                wxdesk_core::ErrorCode::Runtime,
                format!("could not start the async runtime: {e}"),
            ))
        }
    };
    match runtime.block_on(commands::run(cli, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.fail(&e),
    }
}
