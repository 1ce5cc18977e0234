//! `--watch` for `test` and `eval`: run, wait until a file the run read
//! changes on disk, run again, and say what changed since the last run.
//!
//! Changes are found by polling modification times and sizes every 300
//! ms rather than with the platform's file events (`notify`): a rule
//! folder holds a few files, polling them costs nothing, behaves the same
//! on every system and file system (network drives, containers), and
//! adds no dependency. An editor that saves by writing a new file and
//! renaming it is seen like any other write.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// What one run produced, as named values (an example → its outcome, a
/// score → its figure); two runs are compared key by key.
pub type Outcomes = BTreeMap<String, String>;

/// How often the files are looked at.
const POLL: Duration = Duration::from_millis(300);

type Stamp = Option<(SystemTime, u64)>;

/// Every file under `paths` (folders walked, only files with one of
/// `exts` there) with its modification time and size.
fn stamps(paths: &[PathBuf], exts: &[&str]) -> BTreeMap<PathBuf, Stamp> {
    let mut out = BTreeMap::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else {
                    continue;
                };
                for e in entries.flatten().take(100_000) {
                    let path = e.path();
                    if path.is_dir() {
                        stack.push(path);
                    } else if exts.is_empty()
                        || path
                            .extension()
                            .is_some_and(|x| exts.iter().any(|e| x == *e))
                    {
                        out.insert(path.clone(), stamp(&path));
                    }
                }
            }
        } else {
            out.insert(p.clone(), stamp(p));
        }
    }
    out
}

fn stamp(p: &std::path::Path) -> Stamp {
    let m = std::fs::metadata(p).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// The lines that say what changed between two runs' outcomes.
pub fn changes(before: &Outcomes, after: &Outcomes) -> Vec<String> {
    let mut lines = Vec::new();
    for (k, v) in after {
        match before.get(k) {
            None => lines.push(format!("  new      {k}: {v}")),
            Some(old) if old != v => lines.push(format!("  changed  {k}: {old} → {v}")),
            Some(_) => {}
        }
    }
    for k in before.keys().filter(|k| !after.contains_key(*k)) {
        lines.push(format!("  gone     {k}"));
    }
    lines
}

/// Runs `once` now and again whenever a file under `paths` changes,
/// printing what changed since the previous run. `once` returns the
/// outcomes of its run and the files it read (watched too). Ends when the
/// process is interrupted.
pub fn watch(
    paths: &[PathBuf],
    exts: &[&str],
    mut once: impl FnMut() -> (Outcomes, Vec<PathBuf>),
) -> std::process::ExitCode {
    let mut previous: Option<Outcomes> = None;
    loop {
        let (outcomes, read) = once();
        if let Some(before) = &previous {
            let lines = changes(before, &outcomes);
            if lines.is_empty() {
                say!("[watch] nothing changed since the last run");
            } else {
                say!("[watch] since the last run:");
                for l in lines {
                    say!("{l}");
                }
            }
        }
        previous = Some(outcomes);
        let mut watched: Vec<PathBuf> = paths.to_vec();
        watched.extend(read);
        let start = stamps(&watched, exts);
        say!(
            "[watch] watching {} file{}; runs again on a change (Ctrl-C stops)",
            start.len(),
            if start.len() == 1 { "" } else { "s" }
        );
        loop {
            std::thread::sleep(POLL);
            let now = stamps(&watched, exts);
            if now != start {
                let changed: Vec<String> = now
                    .iter()
                    .filter(|(p, s)| start.get(*p) != Some(s))
                    .map(|(p, _)| crate::input::display_path(p))
                    .chain(
                        start
                            .keys()
                            .filter(|p| !now.contains_key(*p))
                            .map(|p| crate::input::display_path(p)),
                    )
                    .collect();
                say!("[watch] {} changed; running again", changed.join(", "));
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_name_new_changed_and_gone() {
        let a: Outcomes = [("x".into(), "passed".into()), ("y".into(), "passed".into())].into();
        let b: Outcomes = [("x".into(), "failed".into()), ("z".into(), "passed".into())].into();
        assert_eq!(
            changes(&a, &b),
            [
                "  changed  x: passed → failed",
                "  new      z: passed",
                "  gone     y"
            ]
        );
        assert!(changes(&a, &a).is_empty());
    }
}
