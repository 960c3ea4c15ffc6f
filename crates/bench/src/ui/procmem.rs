//! Memory of a browser's process tree, read from `/proc` (Linux only).
//!
//! PSS (proportional set size, `/proc/PID/smaps_rollup`) charges each shared
//! page to the processes sharing it in proportion, so the figures of two
//! browsers on one machine add up and the engine's shared libraries are not
//! counted twice. The web process (`WebKitWebProcess`) holds the page: the DOM,
//! the JavaScript heap, styles and layers; the tree adds the browser (UI)
//! process and the network process.

use std::collections::HashMap;

use super::super::Res;

/// PSS of one process.
#[derive(Debug, Clone)]
pub struct ProcMem {
    pub name: String,
    pub pss_kb: u64,
}

/// The memory of a browser's processes (the root and all its descendants).
#[derive(Debug, Clone)]
pub struct TreeMem {
    pub procs: Vec<ProcMem>,
}

impl TreeMem {
    pub fn total_kb(&self) -> u64 {
        self.procs.iter().map(|p| p.pss_kb).sum()
    }

    /// The largest web process (the one holding the page; a second one may
    /// be a prewarmed spare).
    pub fn web_kb(&self) -> u64 {
        self.procs
            .iter()
            .filter(|p| p.name == "WebKitWebProcess")
            .map(|p| p.pss_kb)
            .max()
            .unwrap_or(0)
    }
}

/// MB (MiB) with one decimal, from kB.
pub fn mb(kb: u64) -> String {
    format!("{:.1} MB", kb as f64 / 1024.0)
}

/// Signed difference in MB.
pub fn mb_diff(a: u64, b: u64) -> String {
    format!("{:+.1} MB", (a as f64 - b as f64) / 1024.0)
}

fn parent_of(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid …`; comm may hold spaces or parentheses.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(1)?.parse().ok()
}

/// The program name of a process: the file name of its argv[0].
fn name_of(pid: u32) -> String {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
    let argv0 = String::from_utf8_lossy(argv0);
    argv0.rsplit('/').next().unwrap_or_default().to_string()
}

/// PSS of `pid` in kB, from `smaps_rollup`.
pub fn pss_kb(pid: u32) -> Res<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .map_err(|e| format!("cannot read /proc/{pid}/smaps_rollup: {e}"))?;
    parse_pss(&text).ok_or_else(|| format!("/proc/{pid}/smaps_rollup has no Pss line"))
}

fn parse_pss(smaps_rollup: &str) -> Option<u64> {
    smaps_rollup.lines().find_map(|l| {
        let v = l.strip_prefix("Pss:")?;
        v.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Every descendant of `root` (not `root` itself).
pub fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Some(ppid) = parent_of(pid) {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(p) = stack.pop() {
        for c in children.get(&p).into_iter().flatten() {
            out.push(*c);
            stack.push(*c);
        }
    }
    out
}

/// The memory of every process below `driver` (the browser WebDriver
/// started, its web and network processes); the driver itself is left out.
///
/// With `WXDESK_BENCH_SMAPS=DIR`, each web process's full `smaps` is copied
/// to `DIR/<label>-<pid>.smaps` too, to see where the memory goes by mapping.
pub fn browser_tree(driver: u32, label: &str) -> Res<TreeMem> {
    let smaps_dir = std::env::var_os("WXDESK_BENCH_SMAPS").map(std::path::PathBuf::from);
    let mut procs = Vec::new();
    for pid in descendants(driver) {
        // A process that ended between the listing and the read is skipped.
        if let Ok(pss_kb) = pss_kb(pid) {
            let name = name_of(pid);
            if let (Some(dir), "WebKitWebProcess") = (&smaps_dir, name.as_str()) {
                if let Ok(text) = std::fs::read(format!("/proc/{pid}/smaps")) {
                    let _ = std::fs::create_dir_all(dir);
                    let _ = std::fs::write(dir.join(format!("{label}-{pid}.smaps")), text);
                }
            }
            procs.push(ProcMem { name, pss_kb });
        }
    }
    if procs.is_empty() {
        return Err(format!("no browser process below WebDriver (pid {driver})"));
    }
    Ok(TreeMem { procs })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_is_read_from_the_rollup() {
        let text = "00400000-7fff [rollup]\nRss:              207900 kB\nPss:              137678 kB\nPss_Anon:          90000 kB\n";
        assert_eq!(parse_pss(text), Some(137_678));
        assert_eq!(parse_pss("Rss: 1 kB\n"), None);
    }

    #[test]
    fn this_process_has_a_pss_and_its_parent_a_child() {
        let me = std::process::id();
        assert!(pss_kb(me).is_ok_and(|kb| kb > 0));
        let parent = parent_of(me).unwrap_or(0);
        assert!(descendants(parent).contains(&me));
    }
}
