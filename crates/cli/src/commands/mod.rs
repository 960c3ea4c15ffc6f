//! One module per command family; each turns parsed arguments into one call
//! of the protocol crate and one printed result.

mod crypto;
mod links;
mod sandbox;
mod tools;

use std::io::Read;
use std::path::Path;

use wxdesk_wechat::client::{parse_base, DEFAULT_API_BASE, DEFAULT_MP_BASE, DEFAULT_OPEN_BASE};
use wxdesk_wechat::Bases;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::output::{CliError, Output};

/// Runs the parsed command.
pub async fn run(cli: Cli, out: &Output) -> Result<(), CliError> {
    match cli.command {
        Command::Decrypt(c) => crypto::decrypt(c, out),
        Command::Encrypt(c) => crypto::encrypt(c, out),
        Command::Sign(c) => crypto::sign(c, out),
        Command::Link(c) => links::link(c, &bases(&cli.global)?, out),
        Command::Qr(a) => tools::qr(a, out),
        Command::Errcode(a) => tools::errcode(a, out),
        Command::Sandbox(a) => sandbox::run(a, out).await,
    }
}

/// The three bases from the global options (production where not given).
pub fn bases(g: &GlobalArgs) -> Result<Bases, CliError> {
    Ok(Bases {
        api: parse_base(
            "--api-base",
            g.api_base.as_deref().unwrap_or(DEFAULT_API_BASE),
        )?,
        mp: parse_base("--mp-base", g.mp_base.as_deref().unwrap_or(DEFAULT_MP_BASE))?,
        open: parse_base(
            "--open-base",
            g.open_base.as_deref().unwrap_or(DEFAULT_OPEN_BASE),
        )?,
    })
}

/// Reads `--body FILE`, or stdin when no file is given.
pub fn read_body(flag: &str, file: Option<&Path>) -> Result<String, CliError> {
    match file {
        Some(p) => std::fs::read_to_string(p)
            .map_err(|e| CliError::invalid(flag, format!("cannot read {}: {e}", p.display()))),
        None => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).map_err(|e| {
                CliError::invalid(
                    flag,
                    format!("cannot read stdin: {e}; pass the file with {flag} FILE"),
                )
            })?;
            Ok(s)
        }
    }
}
