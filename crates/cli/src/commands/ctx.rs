//! What every stateful command shares: the operation runtime, opened
//! lazily, the environment chosen by the global options, and the shell's half
//! of confirmations.
//!
//! Every command runs operations of the core's table (`ops::handlers::NAME`,
//! the same functions `ops::dispatch` calls for the UI and HTTP). The
//! stateless commands (crypto, links with all inputs given, QR, errcode,
//! sandbox) must work without a database, so the runtime is opened only when
//! a command first asks for it. Whether an action needs confirmation, and its
//! wording, is decided by the operation (`NeedsConfirmation{action, risk}`);
//! [`Ctx::confirmed`] only asks: `--yes` confirms, a terminal is asked, and
//! anything else is refused before a single request is sent.

use std::cell::OnceCell;
use std::future::Future;
use std::io::{BufRead, IsTerminal, Write};

use wxdesk_core::ops::Runtime;
use wxdesk_core::vault::KeyStorage;
use wxdesk_core::{default_db_path, DeskOptions, Environment};
use wxdesk_wechat::ClientConfig;

use crate::cli::GlobalArgs;
use crate::output::{CliError, Output};

/// The per-run context of a command.
pub struct Ctx<'a> {
    /// The global options.
    pub g: &'a GlobalArgs,
    /// Where results go.
    pub out: &'a Output,
    rt: OnceCell<Runtime>,
}

/// Whether both stdin and stderr are terminals (a person can be asked).
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

impl<'a> Ctx<'a> {
    /// A context; nothing is opened yet.
    pub fn new(g: &'a GlobalArgs, out: &'a Output) -> Self {
        Ctx {
            g,
            out,
            rt: OnceCell::new(),
        }
    }

    /// The environment the global options ask for, or `None` for the saved one.
    fn requested_environment(&self) -> Result<Option<Environment>, CliError> {
        let g = self.g;
        let any_base = g.api_base.is_some() || g.mp_base.is_some() || g.open_base.is_some();
        match (&g.environment, any_base) {
            (Some(_), true) if !g.bases_from_env => Err(CliError::invalid(
                "--env",
                "give either --env or --api-base/--mp-base/--open-base (a custom environment), not both",
            )),
            (Some(name), _) => match (name.as_str(), &g.sandbox_base) {
                ("sandbox", None) => Ok(None), // resolved against the saved sandbox in `desk()`
                (name, base) => Ok(Some(Environment::parse_name(name, base.as_deref())?)),
            },
            (None, true) => Ok(Some(Environment::custom(
                g.api_base.as_deref(),
                g.mp_base.as_deref(),
                g.open_base.as_deref(),
            )?)),
            (None, false) => Ok(None),
        }
    }

    /// How to open the desk: `--db` (the home database; default: `desk.db` in
    /// the data directory) and the requested environment, whose own database
    /// file sits beside the home one.
    pub fn desk_options(&self) -> Result<DeskOptions, CliError> {
        Ok(DeskOptions {
            db_path: self.g.db.clone().unwrap_or_else(default_db_path),
            key_storage: KeyStorage::Auto,
            environment: self.requested_environment()?,
            client: ClientConfig::default(),
        })
    }

    /// The operation runtime, opened on first use.
    pub fn rt(&self) -> Result<&Runtime, CliError> {
        if let Some(rt) = self.rt.get() {
            return Ok(rt);
        }
        let opts = self.desk_options()?;
        // `--env sandbox` without a base: only a saved sandbox can say where it
        // runs (and a database that does not exist yet has none saved).
        let needs_saved_sandbox =
            self.g.environment.as_deref() == Some("sandbox") && opts.environment.is_none();
        let no_sandbox = || -> CliError {
            match Environment::parse_name("sandbox", None) {
                Err(e) => e.into(),
                Ok(_) => CliError::invalid("--env", "sandbox needs --sandbox-base URL"),
            }
        };
        if needs_saved_sandbox && !opts.db_path.exists() {
            return Err(no_sandbox());
        }
        let rt = Runtime::open_once(opts)?;
        if needs_saved_sandbox && !matches!(rt.environment(), Environment::Sandbox { .. }) {
            return Err(no_sandbox());
        }
        for w in rt.warnings() {
            self.out.warn(&w);
        }
        Ok(self.rt.get_or_init(|| rt))
    }

    /// Asks for confirmation of `action` (whose `risk` is shown). `--yes`
    /// confirms; on a terminal the operator must type `yes`; otherwise the
    /// action is refused with `needs_confirmation` and nothing is done.
    pub fn confirm(&self, action: &str, risk: &str) -> Result<(), CliError> {
        if self.g.yes {
            return Ok(());
        }
        let refused = || -> CliError {
            wxdesk_core::Error::NeedsConfirmation {
                action: action.to_string(),
                risk: risk.to_string(),
            }
            .into()
        };
        if !interactive() {
            return Err(refused());
        }
        let env = self
            .rt
            .get()
            .map(|rt| format!(" [environment: {}]", rt.environment().label()))
            .unwrap_or_default();
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{action}{env}\n  risk: {risk}\nType yes to continue: ");
        let _ = err.flush();
        drop(err);
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line).is_err() {
            return Err(refused());
        }
        if line.trim() == "yes" {
            Ok(())
        } else {
            Err(CliError::new(
                wxdesk_core::ErrorCode::Cancelled,
                format!("{action}: not confirmed; nothing was done"),
            )
            .with_hint("type yes at the prompt, or pass --yes"))
        }
    }

    /// Runs an operation that refuses with `NeedsConfirmation` unless its
    /// arguments say `confirmed`: with `--yes` it runs confirmed at once;
    /// otherwise the unconfirmed call (which changes nothing) supplies the
    /// wording to ask with.
    pub async fn confirmed<T, F, Fut>(&self, mut run: F) -> Result<T, CliError>
    where
        F: FnMut(bool) -> Fut,
        Fut: Future<Output = wxdesk_core::Result<T>>,
    {
        if self.g.yes {
            return Ok(run(true).await?);
        }
        match run(false).await {
            Err(wxdesk_core::Error::NeedsConfirmation { action, risk }) => {
                self.confirm(&action, &risk)?;
                Ok(run(true).await?)
            }
            other => Ok(other?),
        }
    }
}
