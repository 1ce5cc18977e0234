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

pub mod eval;
pub mod explain;
pub mod fmt;
pub mod format;
pub mod generate;
pub mod lint;
pub mod ordered;
pub mod rules_indicators;
pub mod rules_load;
pub mod rules_show;
pub mod run;
pub mod test;
pub mod ui;
pub mod watch;

/// zhibiao — pull numeric indicators out of science-and-technology bureau reports.
#[derive(Debug, Parser)]
#[command(name = "zhibiao", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Flags every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Flags every subcommand takes (before or after the subcommand's name).
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to colour output (`NO_COLOR` also turns it off under `auto`).
    #[arg(long, value_enum, global = true, default_value_t = ui::ColorChoice::Auto, value_name = "WHEN")]
    pub color: ui::ColorChoice,
    /// No progress bars, summaries or notes; results and errors still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Threads to match reports on (default, or 0: one per core).
    #[arg(short = 'j', long, global = true, value_name = "N")]
    pub threads: Option<usize>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run rules over reports and write the facts found.
    Run(RunArgs),
    /// Check rule files and report every problem.
    Lint(LintArgs),
    /// Run the examples of the rule files given (every shipped rule's by default).
    Test(TestArgs),
    /// Explain which rules matched a report, which almost did, and why.
    Explain(ExplainArgs),
    /// Score rules against annotated reports: precision, recall, F1, every miss explained.
    Eval(EvalArgs),
    /// Inspect rule sets.
    Rules(RulesArgs),
    /// Serve the Language Server Protocol on stdin/stdout (for editors).
    Lsp,
    /// Rewrite rule files in the canonical layout (`--check`: only say which are not).
    Fmt(fmt::FmtArgs),
    /// Print a diagnostic code's page (what it means, what to do, where it is raised).
    ExplainCode {
        /// The code, e.g. ZB0309 (or zb0309, 0309).
        code: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    ///
    /// `zhibiao man > zhibiao.1`; with `--dir`, a page per subcommand is
    /// written into that folder instead.
    Man {
        /// Write zhibiao.1, zhibiao-run.1, … into this folder instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `zhibiao test [RULES...] [--rule NAME] [--all] [--format human|json]`
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Rule files or folders (default: the shipped rules). Only the examples
    /// written in these files run; those of files they import run with `--all`.
    pub rules: Vec<PathBuf>,
    /// Also run the examples of the files the given ones import.
    #[arg(long)]
    pub all: bool,
    /// Only the examples of this rule (name or qualified name, e.g. 高企总数
    /// or 江苏/苏科贷); may be repeated.
    #[arg(long = "rule", value_name = "NAME")]
    pub rule: Vec<String>,
    /// How to print results.
    #[arg(long, value_enum, default_value_t = DiagFormat::Human)]
    pub format: DiagFormat,
    /// Run again whenever a rule file changes, and say which examples
    /// changed outcome (the shipped rules: the rules/ folder on disk).
    #[arg(long)]
    pub watch: bool,
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

/// `zhibiao explain REPORT [--rule NAME] [--indicator ID] [--at LINE[:COL]] [--number N] …`
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The report to explain (`-` for stdin).
    pub report: Option<PathBuf>,
    /// Explain this text instead of a report.
    #[arg(long, value_name = "TEXT")]
    pub text: Option<String>,
    /// Only the figure at this place of the report (line, or line and column).
    #[arg(long, value_name = "LINE[:COL]")]
    pub at: Option<String>,
    /// Only figures with this value (as written, or in an indicator's unit).
    #[arg(long, value_name = "VALUE")]
    pub number: Option<String>,
    /// Only this rule (name or qualified name; repeatable).
    #[arg(long)]
    pub rule: Vec<String>,
    /// Only rules for this indicator id (repeatable).
    #[arg(long)]
    pub indicator: Vec<String>,
    /// Rule files or folders (default: the shipped rules). A province
    /// file adds its province to the shipped rules (replacing a shipped
    /// file of the same province); files without a `province` replace them.
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Run the `--rules` files alone, without the shipped rules.
    #[arg(long, requires = "rules")]
    pub rules_only: bool,
    /// What the reports are: `summary` (figures without a cue word are
    /// actual), `plan` (they are targets), or `auto` (as each report's
    /// title, or its province file's `kind`, says).
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    /// Province whose rules to use, or `auto`.
    #[arg(long, value_name = "NAME|auto", default_value = "auto")]
    pub province: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
    /// Most near misses (each with a suggested fix) per figure.
    #[arg(long, default_value_t = 3)]
    pub limit: usize,
    /// Most figures shown (0: all); the rest are counted.
    #[arg(long, default_value_t = 30)]
    pub max_figures: usize,
    /// Also show near misses for figures another rule took.
    #[arg(long)]
    pub all: bool,
    /// Annotations (gold files): mark annotated figures and say what each
    /// suggested change would do to every annotated figure.
    #[arg(long, value_name = "GOLD_DIR")]
    pub gold: Option<PathBuf>,
    /// Where the annotated reports are (default: the report's folder).
    #[arg(long, value_name = "DIR")]
    pub reports: Option<PathBuf>,
}

/// Output format of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum EvalFormat {
    /// Tables and lists for people.
    #[default]
    Human,
    /// One JSON document (score.py's keys, plus the details).
    Json,
}

/// `zhibiao eval --gold GOLD_DIR REPORTS…`
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The folder of annotation files (one JSON file per report; docs/gold.md).
    #[arg(long, value_name = "GOLD_DIR")]
    pub gold: PathBuf,
    /// Report files or folders; reports without an annotation file are not scored.
    #[arg(required = true)]
    pub reports: Vec<PathBuf>,
    /// Rule files or folders (default: the shipped rules). A province
    /// file adds its province to the shipped rules (replacing a shipped
    /// file of the same province); files without a `province` replace them.
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Run the `--rules` files alone, without the shipped rules.
    #[arg(long, requires = "rules")]
    pub rules_only: bool,
    /// What the reports are: `summary` (figures without a cue word are
    /// actual), `plan` (they are targets), or `auto` (as each report's
    /// title, or its province file's `kind`, says).
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    /// Province whose rules to use, or `auto` to detect it from each report.
    #[arg(long, value_name = "NAME|auto")]
    pub province: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = EvalFormat::Human)]
    pub format: EvalFormat,
    /// Exit 1 when the F1 is below this (for CI).
    #[arg(long, value_name = "X")]
    pub min_f1: Option<f64>,
    /// Only this indicator (repeatable).
    #[arg(long)]
    pub indicator: Vec<String>,
    /// Only facts made by this rule, against its indicator's annotations (repeatable).
    #[arg(long)]
    pub rule: Vec<String>,
    /// Skip the explanation and suggested fix of each miss (faster).
    #[arg(long)]
    pub no_explain: bool,
    /// Run again whenever a rule file, report or annotation changes, and
    /// say how the scores moved.
    #[arg(long)]
    pub watch: bool,
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
        /// Rule files or folders (default: the shipped rules). A province
        /// file adds its province to the shipped rules, as in `run`.
        #[arg(long = "rules", value_name = "DIR|FILE")]
        rules: Vec<PathBuf>,
        /// Show the `--rules` files alone, without the shipped rules.
        #[arg(long, requires = "rules")]
        rules_only: bool,
        /// Only this province's set (default: every set).
        #[arg(long)]
        province: Option<String>,
    },
    /// List the indicators: id, name, unit, and the rules that count one
    /// (by rule file).
    Indicators {
        /// Rule files or folders (default: the shipped rules). A province
        /// file adds its province to the shipped rules, as in `run`.
        #[arg(long = "rules", value_name = "DIR|FILE")]
        rules: Vec<PathBuf>,
        /// List the `--rules` files alone, without the shipped rules.
        #[arg(long, requires = "rules")]
        rules_only: bool,
        /// Only this province's set (default: every set).
        #[arg(long)]
        province: Option<String>,
    },
}

/// `--kind`: what the reports are, when the analyst knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum KindArg {
    /// As each report's title (or its province file's `kind`) says.
    #[default]
    Auto,
    /// Summaries of work done: figures without a cue word are actual.
    Summary,
    /// Plans: figures without a cue word are targets.
    Plan,
}

impl KindArg {
    /// The declared kind (`None` for `auto`).
    pub fn declared(self) -> Option<crate::syntax::ast::ReportKind> {
        match self {
            KindArg::Auto => None,
            KindArg::Summary => Some(crate::syntax::ast::ReportKind::Summary),
            KindArg::Plan => Some(crate::syntax::ast::ReportKind::Plan),
        }
    }
}

/// `--labels`: the language of status and qualifier words in the CSVs and
/// the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LabelsArg {
    /// actual / estimate / target; exact / morethan / about / lessthan / range.
    #[default]
    En,
    /// 实际 / 预计 / 目标; 精确 / 以上 / 约 / 不足 / 区间.
    Zh,
}

impl LabelsArg {
    /// The output layer's [`crate::output::Labels`].
    pub fn labels(self) -> crate::output::Labels {
        match self {
            LabelsArg::En => crate::output::Labels::En,
            LabelsArg::Zh => crate::output::Labels::Zh,
        }
    }
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
    /// One CSV row per report, columns per indicator × status (UTF-8 with BOM).
    WideCsv,
    /// An aligned table (default on a terminal).
    Table,
}

/// `zhibiao run [--rules DIR|FILE] [--province NAME|auto] [--format …] [-o OUT] PATH...`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Rule files or folders (default: the shipped rules). A province
    /// file adds its province to the shipped rules (replacing a shipped
    /// file of the same province); files without a `province` replace them.
    #[arg(long = "rules", value_name = "DIR|FILE")]
    pub rules: Vec<PathBuf>,
    /// Run the `--rules` files alone, without the shipped rules.
    #[arg(long, requires = "rules")]
    pub rules_only: bool,
    /// What the reports are: `summary` (figures without a cue word are
    /// actual), `plan` (they are targets), or `auto` (as each report's
    /// title, or its province file's `kind`, says).
    #[arg(long, value_enum, default_value_t = KindArg::Auto)]
    pub kind: KindArg,
    /// Province whose rules to use for every report, or `auto` to detect
    /// it from each report (a report of a province without rules gets the
    /// common rules).
    #[arg(long, value_name = "NAME|auto", default_value = "auto")]
    pub province: Option<String>,
    /// Output format (default: from the extension of `-o` — .csv, .jsonl,
    /// .ndjson, .json; else a table on a terminal, JSON Lines otherwise).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Write to this file (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Only facts of this indicator id (repeatable; `zhibiao rules
    /// indicators` lists them). The wide CSV then has only its columns.
    #[arg(long, value_name = "ID")]
    pub indicator: Vec<String>,
    /// Words of the CSVs and the table: `en` (actual, estimate, target;
    /// exact, morethan …) or `zh` (实际, 预计, 目标; 精确, 以上 …, and the
    /// wide CSV's columns by indicator name). JSON keeps `en`.
    #[arg(long, value_enum, default_value_t = LabelsArg::En)]
    pub labels: LabelsArg,
    /// Wide CSV: add a `.facts` column per indicator and status, counting
    /// the facts that wanted the cell.
    #[arg(long)]
    pub fact_counts: bool,
    /// Print where the time went: per stage and per rule, slowest first.
    #[arg(long)]
    pub time: bool,
    /// Longer notes (which reports ran the common rules, and why).
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// A crawler's manifest: CSV or TSV with a header `path,url` (optionally
    /// `title,date`). The URL places each report (its gov.cn host names the
    /// division), the date gives its year where the text names none.
    #[arg(long, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    /// Also write the figures the report gives for a named part of its
    /// region (其中，某某县…) and for a wider area (全省, 全国), each with
    /// its own region and code and a `scope` field (`own`, `part`,
    /// `wider`); without it they are dropped (docs/output.md).
    #[arg(long)]
    pub all_regions: bool,
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
    /// JSON for editors and CI (`lint`: an object per diagnostic per line;
    /// `test`: one document with every example).
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
    /// Shipping standard: a rule without examples, or without both a
    /// positive and a `none` example, is an error. Always on for the
    /// shipped rules (no RULES given).
    #[arg(long)]
    pub strict: bool,
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
    ui::set(cli.global.color, cli.global.quiet);
    let command = cli.command;
    let dispatch = move || match command {
        Command::Run(args) => run::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Rules(RulesArgs {
            command:
                RulesCommand::Show {
                    rules,
                    rules_only,
                    province,
                },
        }) => rules_show::run(&rules, rules_only, province.as_deref()),
        Command::Rules(RulesArgs {
            command:
                RulesCommand::Indicators {
                    rules,
                    rules_only,
                    province,
                },
        }) => rules_indicators::run(&rules, rules_only, province.as_deref()),
        Command::Fmt(args) => fmt::run(&args),
        Command::Lsp => lsp(),
        Command::ExplainCode { code } => explain_code(&code),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man { dir } => generate::man(dir.as_deref()),
    };
    match cli.global.threads {
        // Each thread is started up front: tens of thousands took minutes
        // (issue 25, item 13). No machine this runs on has more cores.
        Some(n) if n > MAX_THREADS => {
            rules_load::print_diagnostics(
                &[crate::diag::Diagnostic::new(
                    crate::diag::Code::BadOption,
                    format!("-j {n}: more than {MAX_THREADS} threads"),
                )
                .with_help(format!(
                    "ask for at most {MAX_THREADS} (one per core is best), or leave out -j for one per core"
                ))],
                &crate::diag::Sources::new(),
            );
            ExitCode::from(1)
        }
        // A pool of its own rather than the global one: the global pool can
        // be sized only once per process, and tests run many command lines.
        Some(n) => match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
            Ok(pool) => pool.install(dispatch),
            Err(e) => {
                rules_load::print_diagnostics(
                    &[crate::diag::Diagnostic::new(
                        crate::diag::Code::BadOption,
                        format!("-j {n}: cannot start {n} threads: {e}"),
                    )
                    .with_help("ask for fewer threads, or leave out -j for one per core")],
                    &crate::diag::Sources::new(),
                );
                ExitCode::from(1)
            }
        },
        None => dispatch(),
    }
}

/// Most threads `-j` may ask for (ZB0712 above).
pub const MAX_THREADS: usize = 1024;

/// `zhibiao explain-code CODE`: the code's page from the registry.
fn explain_code(code: &str) -> ExitCode {
    use crate::diag::{Code, Diagnostic, Sources};
    let upper = code.trim().to_ascii_uppercase();
    let wanted = if upper.starts_with("ZB") {
        upper
    } else {
        format!("ZB{upper}")
    };
    match Code::ALL.iter().find(|c| c.as_str() == wanted) {
        Some(c) => {
            say_out(&crate::diag::codes::code_page(*c));
            ExitCode::SUCCESS
        }
        None => {
            let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
            let guess = crate::diag::suggest::closest(&wanted, all.iter().copied())
                .map(|g| format!("did you mean {g}? "))
                .unwrap_or_default();
            rules_load::print_diagnostics(
                &[
                    Diagnostic::new(Code::BadOption, format!("no diagnostic code {code}"))
                        .with_help(format!(
                            "{guess}codes are listed in docs/diagnostics.md (ZB0101 … ZB0722)"
                        )),
                ],
                &Sources::new(),
            );
            ExitCode::from(1)
        }
    }
}

/// Whether writing the results to stdout failed in a way the user must
/// hear of (a full disk, an I/O error): then it is said, as a ZB0702
/// diagnostic, and the command exits 1. A closed pipe (`| head`) ends
/// quietly and counts as written, as everywhere else.
pub(crate) fn write_failed(written: std::io::Result<()>) -> bool {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            rules_load::print_diagnostics(
                &[crate::diag::Diagnostic::new(
                    crate::diag::Code::OutputFailed,
                    format!("cannot write the output to stdout: {e}"),
                )
                .with_help("check the disk or device stdout goes to (is it full?)")],
                &crate::diag::Sources::new(),
            );
            true
        }
        _ => false,
    }
}

/// Writes `text` to stdout, ignoring a closed pipe.
fn say_out(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `zhibiao lsp`: serves until the editor says `exit`; a broken
/// connection is reported as a diagnostic (exit 1).
fn lsp() -> ExitCode {
    match crate::lsp::serve_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            rules_load::print_diagnostics(
                &[crate::diag::Diagnostic::new(crate::diag::Code::LspFailed, e.to_string())
                    .with_help("`zhibiao lsp` is started by an editor, which talks to it on stdin and stdout (docs/editors.md)")],
                &crate::diag::Sources::new(),
            );
            ExitCode::from(1)
        }
    }
}
