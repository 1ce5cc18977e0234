//! `zhibiao lint`: parse and check rule files, print every diagnostic.

use std::process::ExitCode;

use super::LintArgs;

/// Runs `zhibiao lint`.
pub fn run(_args: &LintArgs) -> ExitCode {
    eprintln!("zhibiao lint: not implemented yet");
    ExitCode::from(1)
}
