//! The command line: clap arguments → validated configuration → one module
//! per subcommand. Callable in-process ([`main_with_args`]) so tests can
//! drive it without spawning the binary.
//!
//! Exit codes are decided in one place per subcommand: 0 all fine, 1 usage
//! or rule errors (lint/test failures), 2 some reports failed (run).

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod lint;

/// zhibiao — pull numeric indicators out of science-and-technology bureau reports.
#[derive(Debug, Parser)]
#[command(name = "zhibiao", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check rule files and report every problem.
    Lint(LintArgs),
}

/// Output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum DiagFormat {
    /// miette reports for people.
    #[default]
    Human,
    /// One JSON object per line, for editors and CI.
    Json,
}

/// `zhibiao lint [RULES...]`
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Rule files or folders (default: the shipped rules).
    pub rules: Vec<PathBuf>,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    pub format: DiagFormat,
}

/// Runs the command line given by `args` (including the program name).
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Lint(args) => lint::run(&args),
    }
}
