//! Running rules' examples (`zhibiao test`, the Python module's
//! `Rules.test`): which examples run, each one's outcome and, for one that
//! did not do what it says, its diagnostic on the example line; and the
//! `--format json` document.
//!
//! Which examples run: those written in the rule files named (or found in
//! the folders named; every shipped file when none is), not those of the
//! files they import, unless `all`; `rule` narrows to some rules.

use serde::Serialize;

use super::rules::LoadedRules;
use crate::diag::render::{JsonDiagnostic, to_json};
use crate::diag::{Code, Diagnostic, suggest};
use crate::explain::examples::{ExampleResult, run_examples};
use crate::explain::report_examples::run_reports;

/// One example's outcome.
pub struct ExampleOutcome {
    /// What running it gave.
    pub result: ExampleResult,
    /// `passed`, `failed`, `todo` (a known miss), `todo_passes` (remove
    /// `todo`) or `differs` (an example of a replaced or extended rule that
    /// the new rule no longer passes: a warning, not a failure).
    pub outcome: &'static str,
    /// Why it is not `passed`, on the example line.
    pub diagnostic: Option<Diagnostic>,
}

/// The examples run and their tally.
pub struct ExampleRun {
    /// Each example run, in the rules' order.
    pub examples: Vec<ExampleOutcome>,
    /// Examples that did what they say.
    pub passed: usize,
    /// Examples that did not, and `todo` examples that now pass.
    pub failed: usize,
    /// `todo` examples that still fail (known misses).
    pub todo: usize,
    /// Examples of replaced or extended rules that the new rule no longer
    /// passes (ZB0614).
    pub differ: usize,
}

/// One example in `--format json`.
#[derive(Debug, Serialize)]
pub struct JsonExample {
    /// `rule` (a rule's `example` line) or `report` (a line of a
    /// report-level example).
    pub kind: &'static str,
    /// The rule's qualified name (a report's: its set's name / the report's).
    pub rule: String,
    /// The rule file.
    pub file: String,
    /// The example's line (1-based).
    pub line: usize,
    /// The example's column (1-based).
    pub column: usize,
    /// passed / failed / todo (a known miss) / todo_passes (remove `todo`) /
    /// differs (an example of a replaced or extended rule that the new rule
    /// no longer passes; not a failure).
    pub outcome: &'static str,
    /// What the example gave, against what it says.
    pub message: String,
    /// The failure as a diagnostic (absent when the example passed).
    pub diagnostic: Option<JsonDiagnostic>,
}

/// The whole `zhibiao test --format json` document.
#[derive(Debug, Serialize)]
pub struct TestReport {
    /// Examples that passed.
    pub passed: usize,
    /// Examples that failed.
    pub failed: usize,
    /// Known misses.
    pub todo: usize,
    /// Errors in the rules; when not 0, no example ran.
    pub rule_errors: usize,
    /// Why no example ran, when none did because the rules did not load.
    pub not_run: Option<String>,
    /// Every example run.
    pub examples: Vec<JsonExample>,
}

/// Runs the examples of `rules`: with `own_only`, only those written in
/// the root files (`rules.roots`, not their imports); with `rule` not
/// empty, only those of the rules it names (by qualified name or name
/// alone). A name that names no rule is an error (ZB0711).
pub fn test_examples(
    rules: &LoadedRules,
    own_only: bool,
    rule: &[String],
) -> Result<ExampleRun, Diagnostic> {
    check_rule_names(rules, rule)?;
    let mut run = ExampleRun {
        examples: Vec::new(),
        passed: 0,
        failed: 0,
        todo: 0,
        differ: 0,
    };
    for r in run_examples(&rules.sets, &rules.programs)
        .into_iter()
        .filter(|r| {
            !own_only
                || rules.roots.contains(&r.file)
                || r.inherited_by
                    .is_some_and(|(f, _)| rules.roots.contains(&f))
        })
        .filter(|r| rule.is_empty() || rule.iter().any(|n| names_rule(n, &r.rule)))
    {
        let (outcome, diagnostic) = match (r.todo, r.passed) {
            _ if r.inherited_by.is_some() => {
                run.differ += 1;
                ("differs", Some(failure(&r, Code::ExampleDiffers)))
            }
            (false, true) => {
                run.passed += 1;
                ("passed", None)
            }
            (false, false) => {
                run.failed += 1;
                ("failed", Some(failure(&r, Code::ExampleFailed)))
            }
            (true, true) => {
                run.failed += 1;
                ("todo_passes", Some(failure(&r, Code::TodoPasses)))
            }
            (true, false) => {
                run.todo += 1;
                ("todo", Some(failure(&r, Code::TodoStillFails)))
            }
        };
        run.examples.push(ExampleOutcome {
            result: r,
            outcome,
            diagnostic,
        });
    }
    // Report-level examples: each checked line of a report written in a
    // file tested (own_only: a root file), with the whole rule set.
    for r in run_reports(&rules.sets, &rules.programs)
        .into_iter()
        .filter(|r| !own_only || rules.roots.contains(&r.file))
        .filter(|r| rule.is_empty() || rule.iter().any(|n| names_rule(n, &r.rule)))
    {
        let (outcome, diagnostic) = if r.passed {
            run.passed += 1;
            ("passed", None)
        } else {
            run.failed += 1;
            ("failed", Some(failure(&r, Code::ReportFailed)))
        };
        run.examples.push(ExampleOutcome {
            result: r,
            outcome,
            diagnostic,
        });
    }
    Ok(run)
}

impl ExampleRun {
    /// The `--format json` document of this run.
    pub fn to_report(&self, rules: &LoadedRules) -> TestReport {
        let examples = self
            .examples
            .iter()
            .map(|e| {
                let r = &e.result;
                let (line, column) = rules.sources.line_col(r.file, r.span.start);
                JsonExample {
                    kind: if r.report { "report" } else { "rule" },
                    rule: r.rule.clone(),
                    file: rules.sources.get(r.file).name.clone(),
                    line,
                    column,
                    outcome: e.outcome,
                    message: r.message.clone(),
                    diagnostic: e.diagnostic.as_ref().map(|d| to_json(d, &rules.sources)),
                }
            })
            .collect();
        TestReport {
            passed: self.passed,
            failed: self.failed,
            todo: self.todo,
            rule_errors: 0,
            not_run: None,
            examples,
        }
    }
}

/// Whether `--rule wanted` names the rule `qualified` (`江苏/苏科贷`): by
/// its qualified name or its name alone.
fn names_rule(wanted: &str, qualified: &str) -> bool {
    qualified == wanted || qualified.rsplit('/').next() == Some(wanted)
}

/// Every `--rule` must name a rule of the loaded sets (ZB0711 otherwise).
fn check_rule_names(rules: &LoadedRules, wanted: &[String]) -> Result<(), Diagnostic> {
    // Report examples are named as rules are (`江苏/县区总结`).
    let reports: Vec<String> = rules
        .sets
        .iter()
        .flat_map(|s| {
            s.reports
                .iter()
                .map(move |r| format!("{}/{}", s.name, r.decl.name.name))
        })
        .collect();
    let all: Vec<&str> = rules
        .sets
        .iter()
        .flat_map(|s| s.rules.iter())
        .flat_map(|r| [r.name.as_str(), r.qualified_name.as_str()])
        .chain(reports.iter().map(String::as_str))
        .chain(reports.iter().filter_map(|q| q.rsplit('/').next()))
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
        Code::ExampleDiffers => format!(
            "rule {}: an example of the rule it replaces or extends now differs",
            r.rule
        ),
        Code::ReportFailed => format!("report {}: a line did not give its facts", r.rule),
        _ => format!("rule {}: example failed", r.rule),
    };
    let help = match code {
        Code::TodoPasses => "remove `todo` so the example guards the rule from now on",
        Code::TodoStillFails => "fix the rule, then remove `todo`",
        Code::ExampleDiffers => {
            "check that the override or extension means to change this; it does not fail the run"
        }
        Code::ReportFailed => {
            "change the rules (or the line's facts, if they are wrong); `zhibiao explain` on the report's text shows why"
        }
        _ => {
            "change the rule (or the example, if the example is wrong); `zhibiao explain` shows more"
        }
    };
    let mut d = Diagnostic::new(code, message)
        .with_label(r.file, r.span, r.message.clone())
        .with_help(help);
    if let Some((file, span)) = r.inherited_by {
        d = d.with_label(file, span, "changed here");
    }
    for n in &r.notes {
        d = d.with_note(n.clone());
    }
    d
}
