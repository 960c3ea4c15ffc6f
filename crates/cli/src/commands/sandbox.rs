//! `sandbox`: runs the offline WeChat emulator in the foreground.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};

use wxdesk_sandbox::{Sandbox, SandboxConfig};

use crate::cli::SandboxArgs;
use crate::output::{CliError, Output};

/// Starts the sandbox, prints its base URL as the first stdout line, and runs until Ctrl-C.
pub async fn run(a: SandboxArgs, out: &Output) -> Result<(), CliError> {
    let config = SandboxConfig {
        demo: !a.no_demo,
        ..SandboxConfig::default()
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, a.port));
    let handle = Sandbox::start_on(addr, config).await.map_err(|e| {
        CliError::invalid(
            "--port",
            format!("cannot listen on {addr}: {e}; pick another port or omit --port"),
        )
    })?;
    let base = handle.base_url();
    {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{base}");
        if out.json {
            let demo = if a.no_demo {
                serde_json::Value::Null
            } else {
                serde_json::to_value(handle.demo_accounts()).unwrap_or_default()
            };
            let _ = writeln!(
                stdout,
                "{}",
                serde_json::json!({ "base_url": base, "demo": demo })
            );
        } else {
            let _ = writeln!(
                stdout,
                "WeChat sandbox running (api, mp and open bases). Console: {base}/"
            );
            if !a.no_demo {
                let demo =
                    serde_json::to_string_pretty(&handle.demo_accounts()).unwrap_or_default();
                let _ = writeln!(stdout, "demo accounts:\n{demo}");
            }
            let _ = writeln!(stdout, "press Ctrl-C to stop");
        }
        let _ = stdout.flush();
    }
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
    Ok(())
}
