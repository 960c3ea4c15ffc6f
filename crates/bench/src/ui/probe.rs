//! The knobs of `--only ui` for finding where the UI's memory and time go
//! (README, "The UI in WebKitGTK"). Each is read from the environment once,
//! checked, and none is set for the figures the README reports: unset, the
//! walk is the standard one (3 walks through every screen, memory read after
//! the first and the last, 4 s of quiet before each reading).

use std::ffi::OsString;
use std::time::Duration;

use super::Res;

/// Walks through every screen before memory is read.
pub const WALKS: usize = 3;
/// Quiet time before memory is read (timers, garbage collection).
pub const SETTLE: Duration = Duration::from_secs(4);

/// What the page holds, printed after each walk when walks are counted:
/// elements, style sheets, performance entries, history entries.
pub const DOM_COUNTS: &str = "return { elements: document.getElementsByTagName('*').length, styles: document.querySelectorAll('style').length, css_rules: [...document.styleSheets].reduce((n, s) => { try { return n + s.cssRules.length } catch (e) { return n } }, 0), entries: performance.getEntries().length, history: history.length };";

/// The operations the last switch waited for, as `op start-end` in ms from
/// the switch's start (Resource Timing), then any User Timing marks a build
/// instrumented for profiling made during it, as `name @ms` (the UI's own
/// `wxdesk:` marks are left out).
pub const SWITCH_OPS: &str = "const m = performance.getEntriesByType('measure').filter((e) => e.name.startsWith('wxdesk:switch:')).pop();\
     if (!m) return null;\
     return performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/') && r.startTime >= m.startTime && r.startTime <= m.startTime + m.duration)\
       .map((r) => `${r.name.split('/api/')[1]} ${Math.round(r.startTime - m.startTime)}-${Math.round(r.responseEnd - m.startTime)}`)\
       .concat(performance.getEntriesByType('mark').filter((e) => !e.name.startsWith('wxdesk:') && e.startTime >= m.startTime && e.startTime <= m.startTime + m.duration)\
         .map((e) => `${e.name} @${Math.round(e.startTime - m.startTime)}`)).join(', ');";

/// When the UI's warm-up finished (`wxdesk:warm`, ms from navigation start).
pub const WARM_MARK: &str =
    "const e = performance.getEntriesByName('wxdesk:warm'); return e.length ? e[0].startTime : null;";

/// The knobs, as this run has them.
#[derive(Debug, Clone)]
pub struct Probe {
    /// `WXDESK_BENCH_UI_WALKS=N`: walks (≥ 1), default [`WALKS`].
    pub walks: usize,
    /// Set with `WXDESK_BENCH_UI_WALKS`: memory and page counts after every walk.
    pub per_walk: bool,
    /// `WXDESK_BENCH_UI_ONLY=a,b`: only these steps (at least two).
    pub only: Vec<String>,
    /// `WXDESK_BENCH_UI_PAUSE=FILE`: after walk 1, wait until FILE exists.
    pub pause: Option<OsString>,
    /// `WXDESK_BENCH_UI_OPS=1`: print each switch's calls.
    pub ops: bool,
    /// `WXDESK_BENCH_UI_SETTLE_SECS=N`: quiet before the last reading.
    pub last_settle: Duration,
    /// `WXDESK_BENCH_UI_AFTER_WARM=1`: walk only once the warm-up is done.
    pub after_warm: bool,
}

impl Probe {
    /// The knobs from the environment; a malformed one is an error naming it.
    pub fn from_env() -> Res<Probe> {
        Probe::from_lookup(|k| std::env::var_os(k))
    }

    fn from_lookup(get: impl Fn(&str) -> Option<OsString>) -> Res<Probe> {
        let text = |k: &str| -> Res<Option<String>> {
            get(k)
                .map(|v| v.into_string().map_err(|_| format!("{k} is not UTF-8")))
                .transpose()
        };
        let walks = match text("WXDESK_BENCH_UI_WALKS")? {
            None => None,
            Some(v) => Some(
                v.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("WXDESK_BENCH_UI_WALKS={v:?}: give a whole number of walks, 1 or more (e.g. 8)"))?,
            ),
        };
        let last_settle = match text("WXDESK_BENCH_UI_SETTLE_SECS")? {
            None => SETTLE,
            Some(v) => Duration::from_secs(v.trim().parse::<u64>().map_err(|_| {
                format!("WXDESK_BENCH_UI_SETTLE_SECS={v:?}: give whole seconds (e.g. 75)")
            })?),
        };
        let only = text("WXDESK_BENCH_UI_ONLY")?
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        Ok(Probe {
            walks: walks.unwrap_or(WALKS),
            per_walk: walks.is_some(),
            only,
            pause: get("WXDESK_BENCH_UI_PAUSE"),
            ops: get("WXDESK_BENCH_UI_OPS").is_some(),
            last_settle,
            after_warm: get("WXDESK_BENCH_UI_AFTER_WARM").is_some(),
        })
    }

    /// Which of the steps named `names` (in walk order) to walk: all without
    /// `WXDESK_BENCH_UI_ONLY`, else the ones it names — every name must be a
    /// step's, and at least two (a switch needs somewhere to come from).
    pub fn select(&self, names: &[&str]) -> Res<Vec<usize>> {
        if self.only.is_empty() {
            return Ok((0..names.len()).collect());
        }
        if let Some(bad) = self.only.iter().find(|o| !names.contains(&o.as_str())) {
            return Err(format!(
                "WXDESK_BENCH_UI_ONLY: no step is called {bad:?}; the steps are {}",
                names.join(",")
            ));
        }
        let picked: Vec<usize> = (0..names.len())
            .filter(|i| self.only.iter().any(|o| o == names[*i]))
            .collect();
        if picked.len() < 2 {
            return Err(format!(
                "WXDESK_BENCH_UI_ONLY={}: name at least two steps (e.g. tools,settings); the steps are {}",
                self.only.join(","),
                names.join(",")
            ));
        }
        Ok(picked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn probe(vars: &[(&str, &str)]) -> Res<Probe> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        Probe::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn unset_is_the_standard_walk() {
        let p = probe(&[]).unwrap();
        assert_eq!(
            (p.walks, p.per_walk, p.ops, p.after_warm),
            (WALKS, false, false, false)
        );
        assert_eq!(p.last_settle, SETTLE);
        assert!(p.pause.is_none() && p.only.is_empty());
        assert_eq!(p.select(&["a", "b", "c"]).unwrap(), vec![0, 1, 2]);
    }

    #[test]
    fn malformed_knobs_are_named() {
        for (k, v) in [
            ("WXDESK_BENCH_UI_WALKS", "0"),
            ("WXDESK_BENCH_UI_WALKS", "eight"),
            ("WXDESK_BENCH_UI_SETTLE_SECS", "1.5"),
        ] {
            let e = probe(&[(k, v)]).unwrap_err();
            assert!(e.contains(k), "{e}");
        }
        let p = probe(&[
            ("WXDESK_BENCH_UI_WALKS", "8"),
            ("WXDESK_BENCH_UI_SETTLE_SECS", "75"),
        ])
        .unwrap();
        assert_eq!(
            (p.walks, p.per_walk, p.last_settle),
            (8, true, Duration::from_secs(75))
        );
    }

    #[test]
    fn only_names_real_steps_and_at_least_two() {
        let names = ["apps", "app", "tools", "settings"];
        let p = probe(&[("WXDESK_BENCH_UI_ONLY", "settings, tools")]).unwrap();
        assert_eq!(p.select(&names).unwrap(), vec![2, 3]);
        let e = probe(&[("WXDESK_BENCH_UI_ONLY", "tools,setings")])
            .unwrap()
            .select(&names)
            .unwrap_err();
        assert!(
            e.contains("\"setings\"") && e.contains("apps,app,tools,settings"),
            "{e}"
        );
        let e = probe(&[("WXDESK_BENCH_UI_ONLY", "tools")])
            .unwrap()
            .select(&names)
            .unwrap_err();
        assert!(e.contains("at least two"), "{e}");
    }
}
