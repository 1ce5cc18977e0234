//! What every subcommand shares about talking to a person: colour
//! (`--color`, `NO_COLOR`), quietness (`-q`), the terminal's width
//! (`COLUMNS`, else the terminal's size) and counted nouns ("1 report",
//! "2 reports").
//!
//! The global flags are parsed once per command line and kept here for the
//! run, so subcommand modules ask [`color_stderr`] or [`quiet`] instead of
//! each deciding anew (they disagreed before: one module honoured
//! `NO_COLOR`, another did not). They are atomics rather than a `OnceLock`
//! because tests run several command lines in one process.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

use clap::ValueEnum;

/// `--color`: when to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Always colour (even into a pipe or file).
    Always,
    /// Never colour.
    Never,
}

static COLOR: AtomicU8 = AtomicU8::new(0);
static QUIET: AtomicBool = AtomicBool::new(false);

/// Records the global flags of this command line.
pub fn set(color: ColorChoice, quiet: bool) {
    let c = match color {
        ColorChoice::Auto => 0,
        ColorChoice::Always => 1,
        ColorChoice::Never => 2,
    };
    COLOR.store(c, Ordering::Relaxed);
    QUIET.store(quiet, Ordering::Relaxed);
}

fn color_for(is_terminal: bool) -> bool {
    match COLOR.load(Ordering::Relaxed) {
        1 => true,
        2 => false,
        // `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
        _ => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Whether to colour what goes to stderr (diagnostics, notes).
pub fn color_stderr() -> bool {
    color_for(std::io::stderr().is_terminal())
}

/// Whether to colour what goes to stdout (tables, explanations).
pub fn color_stdout() -> bool {
    color_for(std::io::stdout().is_terminal())
}

/// `-q`: no progress bars, summaries or notes; results and errors still print.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// The width to fit output to, in terminal cells: `COLUMNS` when set to a
/// number, else the size of the terminal stdout is, else `None` (a pipe or
/// a file: no limit).
pub fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}

/// "1 report", "2 reports", "0 reports": `n` and the noun, plural (with
/// `s`) unless `n` is 1.
pub fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_are_counted() {
        assert_eq!(counted(1, "report"), "1 report");
        assert_eq!(counted(0, "report"), "0 reports");
        assert_eq!(counted(12, "fact"), "12 facts");
    }
}
