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

/// `eprintln!` that ignores a closed stderr (`zhibiao run dir 2>&1 | head`):
/// a message nobody can read must not stop the run, and `eprintln!` panics.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// [`say!`] without the line break (`eprint!` that ignores a closed stderr).
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

pub mod explain;
pub mod lint;
pub mod ordered;
pub mod rules_load;
pub mod rules_show;
pub mod run;
pub mod test;

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
    /// Run rules over reports and write the facts found.
    Run(RunArgs),
    /// Check rule files and report every problem.
    Lint(LintArgs),
    /// Run every rule's examples.
    Test(TestArgs),
    /// Explain which rules matched a report, which almost did, and why.
    Explain(ExplainArgs),
    /// Inspect rule sets.
    Rules(RulesArgs),
}

/// `zhibiao test [RULES...]`
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule files or folders (default: the shipped rules).
    pub rules: Vec<PathBuf>,
}

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExplainFormat {
    /// miette reports on the report text.
    #[default]
    Human,
    /// One JSON document.
    Json,
}

/// `zhibiao explain REPORT [--rule NAME] [--indicator ID]`
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The report to explain (`-` for stdin).
    pub report: PathBuf,
    /// Only this rule (name or qualified name).
    #[arg(long)]
    pub rule: Option<String>,
    /// Only rules for this indicator id.
    #[arg(long)]
    pub indicator: Option<String>,
    /// Rule files or folders (default: the shipped rules).
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Province whose rules to use, or `auto`.
    #[arg(long, value_name = "NAME|auto")]
    pub province: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
    /// Most near misses shown per rule.
    #[arg(long, default_value_t = 3)]
    pub limit: usize,
}

/// `zhibiao rules …`
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// What to do with the rules.
    #[command(subcommand)]
    pub command: RulesCommand,
}

/// Subcommands of `zhibiao rules`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Show the effective rule set (after imports and overrides), each rule with its file.
    Show {
        /// Rule files or folders (default: the shipped rules).
        #[arg(long = "rules", value_name = "DIR|FILE")]
        rules: Vec<PathBuf>,
        /// Only this province's set (default: every set).
        #[arg(long)]
        province: Option<String>,
    },
}

/// Output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object per fact per line.
    Jsonl,
    /// One JSON array.
    Json,
    /// One CSV row per fact (UTF-8 with BOM).
    Csv,
    /// One CSV row per report, one column per indicator (UTF-8 with BOM).
    WideCsv,
    /// An aligned table (default on a terminal).
    Table,
}

/// `zhibiao run [--rules DIR|FILE] [--province NAME|auto] [--format …] [-o OUT] PATH...`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Rule files or folders (default: the shipped rules).
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Province whose rules to use, or `auto` to detect it from each report.
    #[arg(long, value_name = "NAME|auto")]
    pub province: Option<String>,
    /// Output format (default: table on a terminal, else jsonl).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// No progress bar or summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print where the time went: per stage and per rule, slowest first.
    #[arg(long)]
    pub time: bool,
    /// Reports larger than this many bytes are matched block by block and
    /// written as they go (default 2 MiB). Hidden: for tests and tuning.
    #[arg(long, hide = true, value_name = "BYTES")]
    pub stream_above: Option<u64>,
    /// Which reports to read.
    #[command(flatten)]
    pub reports: ReportArgs,
}

/// Which reports `run` reads: paths, a list of paths, filters for folders.
#[derive(Debug, Args, Default)]
pub struct ReportArgs {
    /// Under folders, read only files matching GLOB (`!GLOB` excludes);
    /// repeatable. Files named on the command line are always read.
    #[arg(short = 'g', long = "glob", value_name = "GLOB")]
    pub globs: Vec<String>,
    /// Under folders, read only files of TYPE: html (.html .htm .shtml
    /// .jhtml .asp .aspx .php .jsp …), text (.txt), xml; repeatable.
    #[arg(short = 't', long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Under folders, never read files of TYPE; repeatable.
    #[arg(short = 'T', long = "type-not", value_name = "TYPE")]
    pub types_not: Vec<String>,
    /// Read the paths of reports (files or folders) from FILE, one per
    /// line; `-` reads the list from stdin.
    #[arg(long, value_name = "FILE")]
    pub files_from: Option<PathBuf>,
    /// Report files or folders (`-` for stdin). Without any, a report piped
    /// into stdin is read.
    pub paths: Vec<PathBuf>,
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
        Command::Run(args) => run::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Rules(RulesArgs {
            command: RulesCommand::Show { rules, province },
        }) => rules_show::run(&rules, province.as_deref()),
    }
}
