//! `serve`: browser mode. The same UI and operations as the desktop app, over HTTP.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use wxdesk_core::ops::Runtime;
use wxdesk_server::{default_ui_dir, serve, ServerConfig};

use super::Ctx;
use crate::cli::ServeArgs;
use crate::output::CliError;

/// Serves until Ctrl-C. The first stdout line is the URL to open (it carries the access token).
pub async fn run(ctx: &Ctx<'_>, a: ServeArgs) -> Result<(), CliError> {
    if let Some(t) = &a.token {
        if t.len() < 16 {
            return Err(CliError::invalid(
                "--token",
                "use at least 16 characters (or omit it for a random token)",
            ));
        }
    }
    let rt = Arc::new(Runtime::open(ctx.desk_options()?).await?);
    for w in rt.desk().warnings() {
        ctx.out.warn(w);
    }
    let listen = SocketAddr::new(a.listen, a.port);
    let ui_dir = a.ui_dir.clone().unwrap_or_else(default_ui_dir);
    let server = serve(
        rt.clone(),
        ServerConfig {
            listen,
            ui_dir: ui_dir.clone(),
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
            let v = serde_json::json!({ "url": server.url(), "base_url": server.base_url(), "environment": rt.desk().env().label() });
            let _ = writeln!(stdout, "{v}");
        } else {
            let _ = writeln!(
                stdout,
                "wxdesk is serving its UI at the URL above (environment: {}).",
                rt.desk().env().label()
            );
            if !ui_dir.join("index.html").is_file() {
                let _ = writeln!(stdout, "note: the UI is not built at {}; build it with (cd ui && npm ci && npm run build)", ui_dir.display());
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
    server.shutdown().await;
    Ok(())
}
