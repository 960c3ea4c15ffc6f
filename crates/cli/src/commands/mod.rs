//! One module per command family; each maps parsed flags to the argument type
//! of one operation of the core's table (`wxdesk_core::ops`), runs it — the
//! stateful ones through `ops::handlers` on the [`Ctx`]'s runtime, the
//! stateless tools through `ops::tools` without a database — and prints its
//! result: with `--json` exactly the operation's result type, else text.
//! What stays here is the shell: prompts, progress, files and stdin.

mod accounts;
mod authorizers;
pub mod batch;
mod ctx;
mod fastregister;
mod links;
mod login;
pub mod meter;
mod ops;
mod profiles;
pub mod receive;
pub mod rid;
mod sandbox;
mod serve;
pub mod team;
mod tokens;
mod tools;
pub mod wxa_args;
mod wxa_audit;
mod wxa_run;

use std::io::Read;
use std::path::Path;

use wxdesk_core::Environment;
use wxdesk_wechat::client::{parse_base, DEFAULT_API_BASE, DEFAULT_MP_BASE, DEFAULT_OPEN_BASE};
use wxdesk_wechat::Bases;

use crate::cli::{Cli, Command, DecryptCommand, GlobalArgs};
use crate::output::{CliError, Output};

pub use ctx::Ctx;

/// Runs the parsed command.
pub async fn run(cli: Cli, out: &Output) -> Result<(), CliError> {
    let ctx = Ctx::new(&cli.global, out);
    match cli.command {
        Command::Decrypt(DecryptCommand::Data(a)) if a.session_key.is_none() => {
            login::decrypt_stored(&ctx, a).await
        }
        Command::Decrypt(c) => tools::decrypt(c, out),
        Command::Encrypt(c) => tools::encrypt(c, out),
        Command::Sign(c) => tools::sign(c, out),
        Command::Link(c) => links::link(&ctx, c).await,
        Command::Qr(a) => tools::qr(a, out),
        Command::Errcode(a) => tools::errcode(a, out),
        Command::Sandbox(a) => sandbox::run(a, out).await,
        Command::Serve(a) => serve::run(&ctx, a).await,
        Command::App(c) => accounts::app(&ctx, c).await,
        Command::Component(c) => accounts::component(&ctx, c).await,
        Command::Token(a) => tokens::app_token(&ctx, a).await,
        Command::Authorizer(c) => authorizers::authorizer(&ctx, c).await,
        Command::Authorize(a) => authorizers::authorize(&ctx, a).await,
        Command::Login(a) => login::login(&ctx, a).await,
        Command::Phone(a) => login::phone(&ctx, a).await,
        Command::Checksession(a) => login::checksession(&ctx, a).await,
        Command::Fastregister(c) => fastregister::run(&ctx, c).await,
        Command::Quota(c) => ops::quota(&ctx, c).await,
        Command::Log(a) => ops::log(&ctx, a).await,
        Command::Export(a) => ops::export(&ctx, a).await,
        Command::Import(a) => ops::import(&ctx, a).await,
        Command::Env(c) => ops::env(&ctx, c).await,
        Command::Team(c) => team::run(&ctx, c).await,
        Command::Rid(a) => rid::run(&ctx, a).await,
        Command::Meter(a) => meter::run(&ctx, a).await,
        Command::Receive(a) => receive::run_receive(&ctx, a).await,
        Command::Inbox(c) => receive::run_inbox(&ctx, c).await,
        Command::Template(c) => wxa_run::template(&ctx, c).await,
        Command::Code(c) => wxa_run::code(&ctx, c).await,
        Command::Tester(c) => wxa_run::tester(&ctx, c).await,
        Command::Domain(c) => wxa_run::domain(&ctx, c).await,
        Command::Privacy(c) => wxa_run::privacy(&ctx, c).await,
        Command::Audit(c) => wxa_audit::audit(&ctx, c).await,
        Command::Release(c) => wxa_audit::release(&ctx, c).await,
        Command::Profile(c) => batch::profile(&ctx, c).await,
        Command::Batch(c) => batch::batch(&ctx, c).await,
    }
}

/// The three bases for commands that only build links (no database): the
/// custom bases when given, else the `--env` environment, else production.
pub fn bases(g: &GlobalArgs) -> Result<Bases, CliError> {
    let any_base = g.api_base.is_some() || g.mp_base.is_some() || g.open_base.is_some();
    if !any_base {
        if let Some(name) = &g.environment {
            if let Ok(env) = Environment::parse_name(name, g.sandbox_base.as_deref()) {
                return Ok(env.bases()?);
            }
        }
    }
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

/// Writes `url` as a QR code to `path` (PNG or SVG by extension); returns the path shown.
pub fn write_qr(flag: &str, url: &str, path: &Path) -> Result<String, CliError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = match ext.as_str() {
        "png" => wxdesk_core::services::links::qr_png_for(url, 512)?,
        "svg" => wxdesk_core::services::links::qr_svg_for(url, 512)?.into_bytes(),
        _ => {
            return Err(CliError::invalid(
                flag,
                format!(
                    "{} must end in .png or .svg (the extension picks the format)",
                    path.display()
                ),
            ))
        }
    };
    std::fs::write(path, &bytes)
        .map_err(|e| CliError::invalid(flag, format!("cannot write {}: {e}", path.display())))?;
    Ok(path.display().to_string())
}

/// Checks a `--qr FILE` extension before anything is sent, so a typo does
/// not spend a single-use code.
pub fn check_qr_path(flag: &str, path: Option<&Path>) -> Result<(), CliError> {
    if let Some(p) = path {
        let ext = p
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_default();
        if ext != "png" && ext != "svg" {
            return Err(CliError::invalid(
                flag,
                format!(
                    "{} must end in .png or .svg (the extension picks the format)",
                    p.display()
                ),
            ));
        }
    }
    Ok(())
}
