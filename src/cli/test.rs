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
use std::process::ExitCode;

use serde::Serialize;

use super::rules_load::{self, LoadedRules, print_diagnostics};
use super::ui::counted;
use super::{DiagFormat, TestArgs};
use crate::diag::render::{JsonDiagnostic, to_json};
use crate::diag::{Code, Diagnostic, suggest};
use crate::explain::examples::{ExampleResult, run_examples};

/// One example in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonExample {
    /// The rule's qualified name.
    pub rule: String,
    /// The rule file's name.
    pub file: String,
    /// 1-based line of the example.
    pub line: usize,
    /// 1-based column of the example.
    pub column: usize,
    /// passed / failed / todo (a known miss) / todo_passes (remove `todo`).
    pub outcome: &'static str,
    /// What happened, in one sentence.
    pub message: String,
    /// The failure as a diagnostic (absent when the example passed).
    pub diagnostic: Option<JsonDiagnostic>,
}

/// The whole `--format json` document.
#[derive(Debug, Serialize)]
pub struct JsonReport {
    /// Examples that passed.
    pub passed: usize,
    /// Examples that failed (a `todo` that passes counts here).
    pub failed: usize,
    /// Known misses (`todo` examples that still fail).
    pub todo: usize,
    /// Errors in the rules; when not 0, no example ran.
    pub rule_errors: usize,
    /// Why no example ran, when none did because the rules did not load.
    pub not_run: Option<String>,
    /// Every example run.
    pub examples: Vec<JsonExample>,
}

/// Runs `zhibiao test`.
pub fn run(args: &TestArgs) -> ExitCode {
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
                DiagFormat::Json => print_json(&JsonReport {
                    passed: 0,
                    failed: 0,
                    todo: 0,
                    rule_errors: e.errors,
                    not_run: Some(line),
                    examples: Vec::new(),
                }),
                DiagFormat::Human => {
                    let _ = writeln!(std::io::stdout().lock(), "{line}");
                }
            }
            return ExitCode::from(1);
        }
    };
    let (report, failures) = match examples(&rules, args) {
        Ok(done) => done,
        Err(d) => {
            print_diagnostics(&[d], &rules.sources);
            return ExitCode::from(1);
        }
    };
    let JsonReport {
        passed,
        failed,
        todo,
        ..
    } = report;
    // `-q` keeps failures but leaves out known misses.
    let diags: Vec<Diagnostic> = failures
        .into_iter()
        .filter(|d| !(super::ui::quiet() && d.code == Code::TodoStillFails))
        .collect();
    match args.format {
        DiagFormat::Json => print_json(&report),
        DiagFormat::Human => {
            print_diagnostics(&diags, &rules.sources);
            if report.examples.is_empty() && !super::ui::quiet() {
                say!("{}", nothing_ran(args));
            }
            let summary = if todo > 0 {
                format!("{passed} passed, {failed} failed, {todo} todo")
            } else {
                format!("{passed} passed, {failed} failed")
            };
            let _ = writeln!(std::io::stdout().lock(), "{summary}");
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether `--rule wanted` names the rule `qualified` (`江苏/苏科贷`): by
/// its qualified name or its name alone.
/// Runs the examples `args` asks for on loaded rules: the `--format json`
/// document, and a diagnostic per example that did not pass (known misses
/// included). `Err` when a `--rule` names no rule.
pub fn examples(
    rules: &LoadedRules,
    args: &TestArgs,
) -> Result<(JsonReport, Vec<Diagnostic>), Diagnostic> {
    check_rule_names(rules, &args.rule)?;
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
        diags.extend(diag);
    }
    Ok((
        JsonReport {
            passed,
            failed,
            todo,
            rule_errors: 0,
            not_run: None,
            examples: json,
        },
        diags,
    ))
}

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

fn print_json(report: &JsonReport) {
    let text = serde_json::to_string_pretty(report).unwrap_or_default();
    let _ = writeln!(std::io::stdout().lock(), "{text}");
}
