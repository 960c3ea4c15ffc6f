//! The UI figures of issue 11, measured side by side in one run in the
//! engine the desktop app ships on (WebKitGTK):
//!
//! - memory: WebKitGTK's MiniBrowser on `about:blank` is the engine's floor;
//!   the same browser on wxdesk's UI (`wxdesk serve` on the large database)
//!   after walks through every screen is the UI; the difference is what the
//!   UI costs (target ≤ 50 MB for the web process). The UI is measured twice:
//!   with the engine's defaults, and with the environment the desktop app
//!   gives WebKitGTK ([`APP_WEBKIT_ENV`]: no accelerated compositing, no JIT), which
//!   the targets are checked on;
//! - the first screen interactive after navigation start (target ≤ 500 ms);
//! - every screen switch (target ≤ 100 ms), on 10,000 authorizers and
//!   1,000,000 call-log rows.
//!
//! The timings come from the UI's own User Timing entries
//! (`ui/src/lib/perfMarks.ts`): `wxdesk:first-screen` is marked once the first
//! screen has mounted, its operations have answered and the next frame is
//! due; `wxdesk:switch:<route>` measures from the navigation's start to the
//! same point on the new screen. Memory is the PSS of the processes below
//! `WebKitWebDriver` ([`procmem`]). The desktop window itself (`wxdesk-app`)
//! is not built here: MiniBrowser runs the same engine, and the page is the
//! same build of the UI.
//!
//! To find where memory and time go, [`probe`] reads a few knobs
//! (`WXDESK_BENCH_UI_WALKS`, `_ONLY`, `_PAUSE`, `_OPS`, `_SETTLE_SECS`,
//! `_AFTER_WARM`); none is set for the figures the README reports.

mod probe;
mod procmem;
mod webdriver;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use self::probe::{Probe, DOM_COUNTS, SETTLE, SWITCH_OPS, WARM_MARK};
use self::procmem::{mb, mb_diff, TreeMem};
use self::webdriver::WebDriver;
use super::{err, median, random_alnum, Bench, BigDb, Res};

/// Where Debian's WebKitGTK 4.1 installs MiniBrowser (`WXDESK_MINIBROWSER` overrides).
const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/// Memory target: the UI's web process above the blank page's.
const MEMORY_TARGET_MB: f64 = 50.0;
const FIRST_SCREEN_TARGET_MS: f64 = 500.0;
const SWITCH_TARGET_MS: f64 = 100.0;

/// The environment the desktop app gives WebKitGTK: `WEBKIT_ENV` in
/// src-tauri/src/main.rs (a test below keeps the two in step).
const APP_WEBKIT_ENV: [(&str, &str); 2] = [
    ("WEBKIT_DISABLE_COMPOSITING_MODE", "1"),
    ("JSC_useJIT", "0"),
];

/// What one WebKitWebDriver measured.
struct UiRun {
    /// The variables it ran the engine with (`K=V …`; empty: defaults).
    env: String,
    floor: TreeMem,
    /// The walk through the UI (`None` when only the floor was measured).
    walked: Option<Walked>,
}

/// The UI's figures from one walk.
struct Walked {
    /// How many walks were made.
    walks: usize,
    first: f64,
    switches: Vec<(String, Vec<f64>)>,
    after_one: TreeMem,
    after_all: TreeMem,
}

/// One step of the walk: a click on a navigation entry, or an address (a
/// detail page, named for `WXDESK_BENCH_UI_ONLY`).
enum Step {
    Nav(&'static str),
    Hash(&'static str, String),
}

impl Step {
    /// The name `WXDESK_BENCH_UI_ONLY` selects the step by.
    fn name(&self) -> &'static str {
        match self {
            Step::Nav(key) | Step::Hash(key, _) => key,
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

fn minibrowser() -> PathBuf {
    std::env::var_os("WXDESK_MINIBROWSER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(MINIBROWSER))
}

/// The built UI: `WXDESK_UI_DIR`, else this checkout's `ui/dist`.
fn ui_dist() -> PathBuf {
    std::env::var_os("WXDESK_UI_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist"))
}

/// Why the UI figures cannot run here, if they cannot.
fn missing() -> Option<String> {
    if !on_path("Xvfb") {
        return Some("Xvfb is not installed; apt-get install xvfb".into());
    }
    if !on_path("WebKitWebDriver") {
        return Some("WebKitWebDriver is not installed; apt-get install webkit2gtk-driver".into());
    }
    if !minibrowser().is_file() {
        return Some(format!(
            "no MiniBrowser at {} (set WXDESK_MINIBROWSER)",
            minibrowser().display()
        ));
    }
    if !ui_dist().join("index.html").is_file() {
        return Some(format!(
            "no built UI at {}; run (cd ui && npm run build) or set WXDESK_UI_DIR",
            ui_dist().display()
        ));
    }
    None
}

/// Reads the first line a child prints on stdout.
async fn first_line(child: &mut Child, what: &str) -> Res<String> {
    let out = child
        .stdout
        .take()
        .ok_or_else(|| format!("{what}: no stdout"))?;
    let mut lines = BufReader::new(out).lines();
    let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
        .await
        .map_err(|_| format!("{what} printed nothing within 30 s"))?
        .map_err(err(what))?
        .ok_or_else(|| format!("{what} exited without printing"))?;
    // Keep draining so the child never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(line.trim().to_string())
}

/// Starts Xvfb on a free display; returns it and the display (`:N`).
async fn start_xvfb() -> Res<(Child, String)> {
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1440x900x24",
            "-nolisten",
            "tcp",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(err("start Xvfb"))?;
    let n = first_line(&mut child, "Xvfb").await?;
    Ok((child, format!(":{n}")))
}

fn free_port() -> Res<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(err("free port"))?;
    Ok(l.local_addr().map_err(err("free port"))?.port())
}

/// Milliseconds with one decimal.
fn ms(v: f64) -> String {
    format!("{v:.1} ms")
}

/// The newest `wxdesk:switch:*` measure: how many there are, its name and duration.
const LAST_SWITCH: &str = "const m = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('wxdesk:switch:'));\
     const l = m[m.length - 1];\
     return [m.length, l ? l.name.slice('wxdesk:switch:'.length) : null, l ? l.duration : null];";

impl Bench {
    /// Starts `wxdesk serve` on the large database with the built UI; returns it and its login URL.
    async fn start_serve(&self, db: &Path) -> Res<(Child, String)> {
        let mut child = Command::new(&self.bin)
            .args(["serve", "--port", "0", "--ui-dir"])
            .arg(ui_dist())
            .args(["--env", "sandbox", "--sandbox-base"])
            .arg(self.sandbox.base_url())
            .arg("--db")
            .arg(db)
            .env("WXDESK_KEYRING", "off")
            .env("WXDESK_SERVE_TOKEN", random_alnum(40))
            .env_remove("WXDESK_API_BASE")
            .env_remove("WXDESK_MP_BASE")
            .env_remove("WXDESK_OPEN_BASE")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .map_err(err("start wxdesk serve"))?;
        let url = first_line(&mut child, "wxdesk serve").await?;
        if !url.starts_with("http://127.0.0.1:") {
            return Err(format!("wxdesk serve printed {url:?} instead of its URL"));
        }
        Ok((child, url))
    }

    /// The UI figures: memory against the floor, first screen, screen switches.
    pub(super) async fn ui_figures(&mut self, big: &BigDb) -> Res<()> {
        if let Some(why) = missing() {
            println!("ui: memory against the WebKitGTK floor, first screen, screen switches -> SKIPPED ({why})");
            return Ok(());
        }
        let (_xvfb, display) = start_xvfb().await?;
        // The engine with its defaults: the floor, and the UI as it was
        // before the desktop app set its variables.
        // `WXDESK_BENCH_UI_DEFAULTS=0` measures only its floor (a quicker run
        // when trying variables; the targets do not use its walk).
        let walk_defaults = std::env::var("WXDESK_BENCH_UI_DEFAULTS").map_or(true, |v| v != "0");
        let defaults = self.ui_run(&display, &[], big, walk_defaults).await?;
        // The engine as the desktop app runs it (src-tauri/src/main.rs):
        // the figures with their targets.
        // `WXDESK_BENCH_WEBKIT_ENV="K=V K=V"` adds variables to try (e.g.
        // `JSC_useJIT=1`, the JIT back on); a later value wins.
        let extra = std::env::var("WXDESK_BENCH_WEBKIT_ENV").unwrap_or_default();
        let mut env: Vec<(&str, &str)> = APP_WEBKIT_ENV.to_vec();
        for kv in extra.split_whitespace() {
            let (k, v) = kv
                .split_once('=')
                .ok_or_else(|| format!("WXDESK_BENCH_WEBKIT_ENV: {kv:?} is not NAME=VALUE"))?;
            env.push((k, v));
        }
        let app = self.ui_run(&display, &env, big, true).await?;
        let walked = app
            .walked
            .as_ref()
            .ok_or_else(|| "the app's engine settings were not walked".to_string())?;
        self.print_ui_figures(&defaults, &app, walked);
        Ok(())
    }

    /// One WebKitWebDriver with `env`: MiniBrowser on the blank page, then a
    /// fresh MiniBrowser on wxdesk walking every screen (when `walk`).
    async fn ui_run(
        &self,
        display: &str,
        env: &[(&str, &str)],
        big: &BigDb,
        walk: bool,
    ) -> Res<UiRun> {
        let port = free_port()?;
        // Variables tried with WXDESK_BENCH_WEBKIT_ENV (beyond the app's
        // own) may make the engine report on stderr (`JSC_logGC=1`): it is
        // passed through for that run.
        let engine_stderr = if env.len() > APP_WEBKIT_ENV.len() {
            Stdio::inherit()
        } else {
            Stdio::null()
        };
        let driver = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("DISPLAY", display)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(engine_stderr)
            .kill_on_drop(true)
            .spawn()
            .map_err(err("start WebKitWebDriver"))?;
        let driver_pid = driver
            .id()
            .ok_or_else(|| "WebKitWebDriver exited at once".to_string())?;
        let mut wd = WebDriver::new(port)?;
        wd.wait_ready(Duration::from_secs(20)).await?;
        let browser = minibrowser().display().to_string();

        // The floor: the engine on a blank page.
        wd.start(&browser).await?;
        let floor = async {
            wd.navigate("about:blank").await?;
            tokio::time::sleep(SETTLE).await;
            procmem::browser_tree(driver_pid, "floor")
        }
        .await;
        wd.stop().await;
        let floor = floor?;
        wait_gone(driver_pid).await;

        // The UI, in a fresh browser of the same engine (the login URL works once: a fresh server).
        let walked = if walk {
            let (_serve, url) = self.start_serve(&big.path).await?;
            wd.start(&browser).await?;
            let walked = self.walk(&wd, &url, big, driver_pid).await;
            wd.stop().await;
            Some(walked?)
        } else {
            None
        };
        drop(driver);
        Ok(UiRun {
            env: env
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
            floor,
            walked,
        })
    }

    /// Logs in, waits for the first screen, then walks every screen `WALKS` times.
    async fn walk(&self, wd: &WebDriver, url: &str, big: &BigDb, driver_pid: u32) -> Res<Walked> {
        wd.navigate(url).await?;
        let first = poll(wd, "const e = performance.getEntriesByName('wxdesk:first-screen'); return e.length ? e[0].startTime : null;", |v| v.as_f64())
            .await
            .map_err(|e| format!("the first screen never became interactive: {e}"))?;
        let probe = Probe::from_env()?;
        if probe.after_warm {
            let warm = poll(wd, WARM_MARK, |v| v.as_f64())
                .await
                .map_err(|e| format!("WXDESK_BENCH_UI_AFTER_WARM: the UI never marked its warm-up done (wxdesk:warm): {e}"))?;
            println!("  (warm-up done {warm:.0} ms after navigation start)");
        }
        let steps = [
            Step::Nav("apps"),
            Step::Hash("app", format!("#/apps/{}", big.app)),
            Step::Nav("components"),
            Step::Hash("component", format!("#/components/{}", big.component)),
            Step::Nav("authorizers"),
            Step::Hash(
                "authorizer",
                format!("#/authorizers/{}/{}", big.component, big.authorizer),
            ),
            Step::Nav("releases"),
            Step::Hash(
                "release",
                format!("#/releases/{}/{}", big.component, big.authorizer),
            ),
            Step::Nav("fastregister"),
            Step::Nav("tools"),
            Step::Nav("inbox"),
            Step::Nav("calls"),
            Step::Nav("settings"),
            Step::Nav("dashboard"),
        ];
        let names: Vec<&str> = steps.iter().map(Step::name).collect();
        let picked = probe.select(&names)?;
        let steps: Vec<Step> = steps
            .into_iter()
            .enumerate()
            .filter(|(i, _)| picked.contains(i))
            .map(|(_, step)| step)
            .collect();
        let mut switches: Vec<(String, Vec<f64>)> = Vec::new();
        let mut after_one = None;
        let walks = probe.walks;
        for walk in 0..walks {
            for (i, step) in steps.iter().enumerate() {
                let before = wd.execute(LAST_SWITCH, json!([])).await?;
                let count = before[0].as_u64().unwrap_or(0);
                match step {
                    Step::Nav(key) => wd.click(&format!("[data-testid=\"nav-{key}\"]")).await?,
                    Step::Hash(_, h) => {
                        wd.execute("location.hash = arguments[0]; return null;", json!([h]))
                            .await?;
                    }
                }
                let (screen, took) = poll(wd, LAST_SWITCH, |v| {
                    (v[0].as_u64().unwrap_or(0) > count)
                        .then(|| Some((v[1].as_str()?.to_string(), v[2].as_f64()?)))
                        .flatten()
                })
                .await
                .map_err(|e| {
                    format!(
                        "walk {}, step {}: no screen switch measured: {e}",
                        walk + 1,
                        i + 1
                    )
                })?;
                if probe.ops {
                    let ops = wd.execute(SWITCH_OPS, json!([])).await?;
                    println!(
                        "  (walk {}, {screen}: {took} ms; operations {ops})",
                        walk + 1
                    );
                }
                match switches.get_mut(i) {
                    Some((_, times)) => times.push(took),
                    None => switches.push((screen, vec![took])),
                }
            }
            if walk == 0 {
                tokio::time::sleep(SETTLE).await;
                after_one = Some(procmem::browser_tree(driver_pid, "walk1")?);
                if let Some(go) = &probe.pause {
                    let pids: Vec<u32> = procmem::descendants(driver_pid);
                    println!(
                        "  (paused after walk 1; browser pids {pids:?}; create {go:?} to go on)"
                    );
                    while !std::path::Path::new(go).exists() {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
            } else if probe.per_walk && walk + 1 < walks {
                let now = procmem::browser_tree(driver_pid, &format!("walk{}", walk + 1))?;
                let dom = wd.execute(DOM_COUNTS, json!([])).await?;
                println!(
                    "  (after walk {}: web process {}; page {dom})",
                    walk + 1,
                    mb(now.web_kb())
                );
            }
        }
        tokio::time::sleep(probe.last_settle).await;
        let after_all = procmem::browser_tree(driver_pid, "walks")?;
        let after_one = after_one.ok_or_else(|| "no walk ran".to_string())?;
        Ok(Walked {
            walks,
            first,
            switches,
            after_one,
            after_all,
        })
    }

    fn print_ui_figures(&mut self, defaults: &UiRun, app: &UiRun, ui: &Walked) {
        println!(
            "  (ui: WebKitGTK MiniBrowser under Xvfb, on `wxdesk serve` with the large database, after {} walks through {} screens; UI from {})",
            ui.walks,
            ui.switches.len(),
            ui_dist().display()
        );
        // The floor is the engine with its defaults, as issue 11 defines it.
        let floor = &defaults.floor;
        match &defaults.walked {
            Some(d) => println!(
                "  ui memory, engine defaults: about:blank web process {} (tree {}); wxdesk web process {} (tree {}) -> UI − floor {} web process, {} tree",
                mb(floor.web_kb()),
                mb(floor.total_kb()),
                mb(d.after_all.web_kb()),
                mb(d.after_all.total_kb()),
                mb_diff(d.after_all.web_kb(), floor.web_kb()),
                mb_diff(d.after_all.total_kb(), floor.total_kb()),
            ),
            None => println!(
                "  ui memory, engine defaults: about:blank web process {} (tree {}); the UI was not walked with the defaults (WXDESK_BENCH_UI_DEFAULTS=0)",
                mb(floor.web_kb()),
                mb(floor.total_kb()),
            ),
        }
        println!(
            "  ui memory, as the desktop app runs the engine ({}): about:blank web process {} (tree {}); wxdesk web process {} (tree {}) -> {} web process above that blank page",
            app.env,
            mb(app.floor.web_kb()),
            mb(app.floor.total_kb()),
            mb(ui.after_all.web_kb()),
            mb(ui.after_all.total_kb()),
            mb_diff(ui.after_all.web_kb(), app.floor.web_kb()),
        );
        let over_kb = ui.after_all.web_kb().saturating_sub(floor.web_kb());
        self.figure(
            format!(
                "ui memory: wxdesk as the desktop app runs it, web process {} (tree {}) against the engine's floor {} (tree {}) -> UI − floor {} web process, {} tree (target <= {MEMORY_TARGET_MB:.0} MB web process)",
                mb(ui.after_all.web_kb()),
                mb(ui.after_all.total_kb()),
                mb(floor.web_kb()),
                mb(floor.total_kb()),
                mb_diff(ui.after_all.web_kb(), floor.web_kb()),
                mb_diff(ui.after_all.total_kb(), floor.total_kb()),
            ),
            (over_kb as f64) / 1024.0 <= MEMORY_TARGET_MB,
        );
        for run in [defaults, app] {
            let Some(w) = &run.walked else { continue };
            println!(
                "  ui memory over the walks ({}): web process {} after walk 1, {} after walk {} ({}); processes: {}",
                if run.env.is_empty() { "engine defaults" } else { run.env.as_str() },
                mb(w.after_one.web_kb()),
                mb(w.after_all.web_kb()),
                w.walks,
                mb_diff(w.after_all.web_kb(), w.after_one.web_kb()),
                w.after_all
                    .procs
                    .iter()
                    .map(|p| format!("{} {}", p.name, mb(p.pss_kb)))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let defaults_first = defaults
            .walked
            .as_ref()
            .map_or_else(|| "not walked".to_string(), |d| ms(d.first));
        self.figure(
            format!(
                "ui first screen: interactive {} after navigation start (cold browser, large database; engine defaults: {defaults_first}) (target <= {FIRST_SCREEN_TARGET_MS:.0} ms)",
                ms(ui.first),
            ),
            ui.first <= FIRST_SCREEN_TARGET_MS,
        );
        let all: Vec<f64> = ui
            .switches
            .iter()
            .flat_map(|(_, t)| t.iter().copied())
            .collect();
        let (slowest_screen, slowest) = ui
            .switches
            .iter()
            .flat_map(|(s, t)| t.iter().map(move |v| (s.as_str(), *v)))
            .fold(("", 0.0f64), |a, b| if b.1 > a.1 { b } else { a });
        let med = median(
            all.iter()
                .map(|v| Duration::from_secs_f64(v / 1000.0))
                .collect(),
        );
        self.figure(
            format!(
                "ui screen switch: {} switches over {} screens on 10,000 authorizers + 1,000,000 call-log rows -> slowest {} ({slowest_screen}), median {} (target <= {SWITCH_TARGET_MS:.0} ms each)",
                all.len(),
                ui.switches.len(),
                ms(slowest),
                ms(med.as_secs_f64() * 1000.0),
            ),
            slowest <= SWITCH_TARGET_MS,
        );
        for (screen, times) in &ui.switches {
            println!(
                "  switch to {screen}: {}",
                times.iter().map(|t| ms(*t)).collect::<Vec<_>>().join(", ")
            );
        }
    }
}

/// Runs `script` every 25 ms until `ready` accepts its value (30 s at most).
async fn poll<T>(wd: &WebDriver, script: &str, ready: impl Fn(&Value) -> Option<T>) -> Res<T> {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let v = wd.execute(script, json!([])).await?;
        if let Some(t) = ready(&v) {
            return Ok(t);
        }
        if Instant::now() > until {
            return Err(format!("timed out; last value {v}"));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Waits (up to 10 s) until the browser below the driver has exited.
async fn wait_gone(driver_pid: u32) {
    let until = Instant::now() + Duration::from_secs(10);
    while !procmem::descendants(driver_pid).is_empty() && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::APP_WEBKIT_ENV;

    /// The bench measures the engine as the desktop app runs it: the app's
    /// `WEBKIT_ENV` (src-tauri/src/main.rs) and `APP_WEBKIT_ENV` name the same
    /// variables with the same values.
    #[test]
    fn the_bench_runs_the_engine_as_the_app_does() {
        let main = concat!(env!("CARGO_MANIFEST_DIR"), "/../../src-tauri/src/main.rs");
        let text = std::fs::read_to_string(main).unwrap_or_default();
        let decl = text.find("const WEBKIT_ENV").unwrap_or(text.len());
        let start = text[decl..].find("= [").map_or(text.len(), |i| decl + i);
        let block: String = text[start..].chars().take_while(|&c| c != ';').collect();
        let pairs: Vec<(String, String)> = block
            .split('(')
            .skip(1)
            .filter_map(|p| {
                let q: Vec<&str> = p.split('"').collect();
                (q.len() >= 4).then(|| (q[1].to_string(), q[3].to_string()))
            })
            .collect();
        let ours: Vec<(String, String)> = APP_WEBKIT_ENV
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            pairs, ours,
            "WEBKIT_ENV in {main} and APP_WEBKIT_ENV differ"
        );
    }
}
