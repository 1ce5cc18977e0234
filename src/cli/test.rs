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

use serde::Serialize;

use super::rules_load::{self, LoadedRules, print_diagnostics};
use super::ui::counted;
use super::watch::Outcomes;
use super::{DiagFormat, TestArgs};
use crate::diag::render::{JsonDiagnostic, to_json};
use crate::diag::{Code, Diagnostic, suggest};
use crate::explain::examples::{ExampleResult, run_examples};

/// One example in `--format json`.
#[derive(Debug, Serialize)]
struct JsonExample {
    rule: String,
    file: String,
    line: usize,
    column: usize,
    /// passed / failed / todo (a known miss) / todo_passes (remove `todo`).
    outcome: &'static str,
    message: String,
    /// The failure as a diagnostic (absent when the example passed).
    diagnostic: Option<JsonDiagnostic>,
}

/// The whole `--format json` document.
#[derive(Debug, Serialize)]
struct JsonReport {
    passed: usize,
    failed: usize,
    todo: usize,
    /// Errors in the rules; when not 0, no example ran.
    rule_errors: usize,
    /// Why no example ran, when none did because the rules did not load.
    not_run: Option<String>,
    examples: Vec<JsonExample>,
}

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
                    print_json(&JsonReport {
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
    if let Err(d) = check_rule_names(&rules, &args.rule) {
        print_diagnostics(&[d], &rules.sources);
        return (ExitCode::from(1), Outcomes::new(), read);
    }
    let mut outcomes = Outcomes::new();
    let own_only = !args.rules.is_empty() && !args.all;
    let results: Vec<ExampleResult> = run_examples(&rules.sets, &rules.programs)
        .into_iter()
        .filter(|r| !own_only || rules.roots.contains(&r.file))
        .filter(|r| args.rule.is_empty() || args.rule.iter().any(|n| names_rule(n, &r.rule)))
        .collect();

    let (mut passed, mut failed, mut todo) = (0usize, 0usize, 0usize);
    let mut diags = Vec::new();
    let mut json = Vec::new();
    for r in &results {
        let (outcome, diag) = match (r.todo, r.passed) {
            (false, true) => {
                passed += 1;
                ("passed", None)
            }
            (false, false) => {
                failed += 1;
                ("failed", Some(failure(r, Code::ExampleFailed)))
            }
            (true, true) => {
                failed += 1;
                ("todo_passes", Some(failure(r, Code::TodoPasses)))
            }
            (true, false) => {
                todo += 1;
                ("todo", Some(failure(r, Code::TodoStillFails)))
            }
        };
        let example = rules
            .sources
            .get(r.file)
            .text
            .get(r.span.start..r.span.end)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        outcomes.insert(format!("{} {example}", r.rule), outcome.to_string());
        if args.format == DiagFormat::Json {
            let (line, column) = rules.sources.line_col(r.file, r.span.start);
            json.push(JsonExample {
                rule: r.rule.clone(),
                file: rules.sources.get(r.file).name.clone(),
                line,
                column,
                outcome,
                message: r.message.clone(),
                diagnostic: diag.as_ref().map(|d| to_json(d, &rules.sources)),
            });
        }
        if let Some(d) = diag {
            // `-q` keeps failures but leaves out known misses.
            if !(super::ui::quiet() && outcome == "todo") {
                diags.push(d);
            }
        }
    }
    let written = match args.format {
        DiagFormat::Json => print_json(&JsonReport {
            passed,
            failed,
            todo,
            rule_errors: 0,
            not_run: None,
            examples: json,
        }),
        DiagFormat::Human => {
            print_diagnostics(&diags, &rules.sources);
            if results.is_empty() && !super::ui::quiet() {
                say!("{}", nothing_ran(args));
            }
            let summary = if todo > 0 {
                format!("{passed} passed, {failed} failed, {todo} todo")
            } else {
                format!("{passed} passed, {failed} failed")
            };
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

/// Whether `--rule wanted` names the rule `qualified` (`江苏/苏科贷`): by
/// its qualified name or its name alone.
fn names_rule(wanted: &str, qualified: &str) -> bool {
    qualified == wanted || qualified.rsplit('/').next() == Some(wanted)
}

/// Every `--rule` must name a rule of the loaded sets (ZB0711 otherwise).
fn check_rule_names(rules: &LoadedRules, wanted: &[String]) -> Result<(), Diagnostic> {
    let all: Vec<&str> = rules
        .sets
        .iter()
        .flat_map(|s| s.rules.iter())
        .flat_map(|r| [r.name.as_str(), r.qualified_name.as_str()])
        .collect();
    for w in wanted {
        if !all.iter().any(|q| names_rule(w, q)) {
            let names = rules
                .sets
                .iter()
                .flat_map(|s| s.rules.iter().map(|r| r.name.as_str()));
            let mut d = suggest::unknown_name("rule", "rule", w, names);
            // A slip in a qualified name is matched against qualified names.
            if let Some(g) = suggest::closest(w, all.iter().copied())
                && w.contains('/')
            {
                d.help = Some(format!(
                    "did you mean {g}? `zhibiao rules show` lists every rule"
                ));
            }
            return Err(d);
        }
    }
    Ok(())
}

/// The diagnostic for an example that did not do what it says.
fn failure(r: &ExampleResult, code: Code) -> Diagnostic {
    let message = match code {
        Code::TodoPasses => format!("rule {}: a todo example now passes", r.rule),
        Code::TodoStillFails => format!("rule {}: known miss", r.rule),
        _ => format!("rule {}: example failed", r.rule),
    };
    let help = match code {
        Code::TodoPasses => "remove `todo` so the example guards the rule from now on",
        Code::TodoStillFails => "fix the rule, then remove `todo`",
        _ => {
            "change the rule (or the example, if the example is wrong); `zhibiao explain` shows more"
        }
    };
    let mut d = Diagnostic::new(code, message)
        .with_label(r.file, r.span, r.message.clone())
        .with_help(help);
    for n in &r.notes {
        d = d.with_note(n.clone());
    }
    d
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
fn print_json(report: &JsonReport) -> bool {
    let text = serde_json::to_string_pretty(report).unwrap_or_default();
    !super::write_failed(writeln!(std::io::stdout().lock(), "{text}"))
}
