//! `serve`: browser mode. The same UI and operations as the desktop app, over HTTP.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use wxdesk_core::ops::Runtime;
use wxdesk_server::{check_token, resolve_ui, serve, ServerConfig};

use super::Ctx;
use crate::cli::ServeArgs;
use crate::output::CliError;

/// Serves until Ctrl-C. The first stdout line is the URL to open (it carries the access token and
/// logs one browser in, once; scripts send the token as `Authorization: Bearer …`).
pub async fn run(ctx: &Ctx<'_>, a: ServeArgs) -> Result<(), CliError> {
    if let Some(t) = &a.token {
        check_token(t).map_err(|m| CliError::invalid("--token", m))?;
    }
    let rt = Arc::new(Runtime::open(ctx.desk_options()?).await?);
    for w in rt.warnings() {
        ctx.out.warn(&w);
    }
    let environment = rt.environment().label();
    let listen = SocketAddr::new(a.listen, a.port);
    let ui = resolve_ui(a.ui_dir.clone());
    let server = serve(
        rt.clone(),
        ServerConfig {
            listen,
            ui: ui.clone(),
            token: a.token.clone(),
        },
    )
    .await
    .map_err(|e| {
        CliError::invalid(
            "--port",
            format!("cannot listen on {listen}: {e}; pick another port or omit --port"),
        )
    })?;
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", server.url());
        if ctx.out.json {
            let v = serde_json::json!({ "url": server.url(), "base_url": server.base_url(), "environment": environment });
            let _ = writeln!(stdout, "{v}");
        } else {
            let _ = writeln!(
                stdout,
                "wxdesk is serving its UI at the URL above (environment: {environment})."
            );
            if !ui.is_present() {
                let _ = writeln!(stdout, "note: no UI at {}; build it with (cd ui && npm ci && npm run build) and rebuild wxdesk, or pass --ui-dir", ui.describe());
            }
            let _ = writeln!(
                stdout,
                "Open it in a browser on this machine. Press Ctrl-C to stop."
            );
        }
        let _ = stdout.flush();
    }
    if !a.listen.is_loopback() {
        ctx.out.note("listening beyond loopback: anyone who can reach this port and learns the token can use your secrets");
    }
    let _ = tokio::signal::ctrl_c().await;
    // Operations still running (also those whose tab closed) end first; a
    // second Ctrl-C stops at once.
    tokio::select! {
        _ = server.shutdown() => {}
        _ = tokio::signal::ctrl_c() => {
            ctx.out.note("stopped without waiting for the operations still running");
        }
    }
    Ok(())
}
