//! `zhibiao test`: run rules' examples; failures as diagnostics on the
//! example line; a closing `N passed, N failed` line (or, with `--format
//! json`, one JSON document).
//!
//! Which examples run: those written in the rule files named (or found in
//! the folders named; every shipped file when none is), not those of the
//! files they import — `test rules/zhejiang.zb` tests 浙江's rules, and
//! `--all` adds the imported files' examples. `--rule NAME` narrows to
//! some rules. Rules that do not load are reported as such, never as
//! examples that failed.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::rules_load::{self, print_diagnostics};
use super::ui::counted;
use super::watch::Outcomes;
use super::{DiagFormat, TestArgs};
use crate::diag::{Code, Diagnostic};
use crate::workspace::examples::{TestReport, test_examples};

/// Runs `zhibiao test` (once, or with `--watch` on every change).
pub fn run(args: &TestArgs) -> ExitCode {
    if !args.watch {
        return run_once(args).0;
    }
    // The shipped rules are built into the binary: watching them means
    // watching the rules/ folder on disk.
    let rules = if args.rules.is_empty() {
        let here = PathBuf::from("rules");
        if !here.is_dir() {
            print_diagnostics(
                &[
                    Diagnostic::new(Code::BadPath, "--watch: no rule files to watch").with_help(
                        "name the rule files or folders to watch: zhibiao test --watch rules/",
                    ),
                ],
                &crate::diag::Sources::new(),
            );
            return ExitCode::from(1);
        }
        vec![here]
    } else {
        args.rules.clone()
    };
    let watched = TestArgs {
        rules: rules.clone(),
        all: args.all,
        rule: args.rule.clone(),
        format: args.format,
        watch: true,
    };
    super::watch::watch(&rules, &["zb"], || {
        let (_, outcomes, read) = run_once(&watched);
        (outcomes, read)
    })
}

/// One run: its exit code, each example's outcome, the files it read.
fn run_once(args: &TestArgs) -> (ExitCode, Outcomes, Vec<PathBuf>) {
    let rules = match rules_load::load(&args.rules) {
        Ok(r) => r,
        Err(e) => {
            let line = if e.errors == 0 {
                "not run: no rules were loaded".to_string()
            } else {
                format!(
                    "not run: the rules have {} (shown above); fix them first, `zhibiao lint` lists every problem",
                    counted(e.errors, "error")
                )
            };
            match args.format {
                DiagFormat::Json => {
                    print_json(&TestReport {
                        passed: 0,
                        failed: 0,
                        todo: 0,
                        rule_errors: e.errors,
                        not_run: Some(line),
                        examples: Vec::new(),
                    });
                }
                DiagFormat::Human => {
                    let _ = writeln!(std::io::stdout().lock(), "{line}");
                }
            }
            return (ExitCode::from(1), Outcomes::new(), args.rules.clone());
        }
    };
    let read: Vec<PathBuf> = rules
        .sources
        .iter()
        .map(|(_, f)| PathBuf::from(&f.name))
        .filter(|p| p.is_file())
        .collect();
    let own_only = !args.rules.is_empty() && !args.all;
    let run = match test_examples(&rules, own_only, &args.rule) {
        Ok(run) => run,
        Err(d) => {
            print_diagnostics(&[d], &rules.sources);
            return (ExitCode::from(1), Outcomes::new(), read);
        }
    };
    let (passed, failed, todo) = (run.passed, run.failed, run.todo);
    let mut outcomes = Outcomes::new();
    let mut diags = Vec::new();
    for e in &run.examples {
        let r = &e.result;
        let example = rules
            .sources
            .get(r.file)
            .text
            .get(r.span.start..r.span.end)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        outcomes.insert(format!("{} {example}", r.rule), e.outcome.to_string());
        if let Some(d) = &e.diagnostic {
            // `-q` keeps failures but leaves out known misses.
            if !(super::ui::quiet() && e.outcome == "todo") {
                diags.push(d.clone());
            }
        }
    }
    let written = match args.format {
        DiagFormat::Json => print_json(&run.to_report(&rules)),
        DiagFormat::Human => {
            print_diagnostics(&diags, &rules.sources);
            if run.examples.is_empty() && !super::ui::quiet() {
                say!("{}", nothing_ran(args));
            }
            let mut summary = if todo > 0 {
                format!("{passed} passed, {failed} failed, {todo} todo")
            } else {
                format!("{passed} passed, {failed} failed")
            };
            if run.differ > 0 {
                summary.push_str(&format!(
                    ", {} of the replaced rules' examples differ",
                    run.differ
                ));
            }
            !super::write_failed(writeln!(std::io::stdout().lock(), "{summary}"))
        }
    };
    let code = if failed > 0 || !written {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    (code, outcomes, read)
}

/// Why no example ran.
fn nothing_ran(args: &TestArgs) -> String {
    match (args.rule.is_empty(), args.all || args.rules.is_empty()) {
        (false, _) => "note: the rules named with --rule have no examples here; \
                       add --all to include the examples of imported files"
            .to_string(),
        (true, false) => "note: these files have no examples of their own; \
                          --all also runs those of the files they import"
            .to_string(),
        (true, true) => "note: the rules have no examples".to_string(),
    }
}

/// Prints the JSON report; false when stdout could not be written (said).
fn print_json(report: &TestReport) -> bool {
    let text = serde_json::to_string_pretty(report).unwrap_or_default();
    !super::write_failed(writeln!(std::io::stdout().lock(), "{text}"))
}
