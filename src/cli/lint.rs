//! `zhibiao lint`: parse and check rule files, print every diagnostic.
//!
//! Human output goes to stderr (miette reports, then one summary line);
//! `--format json` prints one object per diagnostic on stdout. Exit status
//! is decided in one place, [`exit_code`].

use std::io::Write;
use std::process::ExitCode;

use super::{DiagFormat, LintArgs};
use crate::diag::render::{self, RenderOptions};
use crate::diag::{Diagnostic, Severity};

/// Runs `zhibiao lint`.
pub fn run(args: &LintArgs) -> ExitCode {
    let crate::workspace::Linted {
        sources,
        diagnostics,
    } = crate::workspace::lint(&args.rules, args.strict);

    match args.format {
        DiagFormat::Json => {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for d in &diagnostics {
                let line = serde_json::to_string(&render::to_json(d, &sources)).unwrap_or_default();
                if writeln!(out, "{line}").is_err() {
                    break; // closed pipe: stop quietly
                }
            }
        }
        DiagFormat::Human => {
            let stderr = std::io::stderr();
            let options = RenderOptions {
                color: super::ui::color_stderr(),
                width: 100,
            };
            let mut err = stderr.lock();
            for d in &diagnostics {
                let _ = write!(err, "{}", render::render_human(d, &sources, options));
            }
            if !super::ui::quiet() {
                let _ = writeln!(err, "{}", summary(&diagnostics, sources.iter().count()));
            }
        }
    }
    exit_code(&diagnostics, args.deny_warnings)
}

/// "2 errors, 1 warning in 3 files".
pub fn summary(diagnostics: &[Diagnostic], files: usize) -> String {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files, "file")
    )
}

/// 1 on any error (or any warning with `--deny-warnings`), else 0.
pub fn exit_code(diagnostics: &[Diagnostic], deny_warnings: bool) -> ExitCode {
    let fails = diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error || deny_warnings);
    if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
