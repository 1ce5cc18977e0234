//! `zhibiao test`: run every rule's examples; failures as diagnostics on
//! the example line; a closing `N passed, N failed` line.

use std::io::Write;
use std::process::ExitCode;

use super::TestArgs;
use super::rules_load::{self, print_diagnostics};
use crate::diag::{Code, Diagnostic};
use crate::explain::examples::run_examples;

/// Runs `zhibiao test`.
pub fn run(args: &TestArgs) -> ExitCode {
    let Ok(rules) = rules_load::load(&args.rules) else {
        let _ = writeln!(std::io::stdout().lock(), "0 passed, 1 failed");
        return ExitCode::from(1);
    };
    let results = run_examples(&rules.sets, &rules.programs);
    let (mut passed, mut failed, mut todo) = (0usize, 0usize, 0usize);
    let mut diags = Vec::new();
    for r in &results {
        let (code, counts_as_failure) = match (r.todo, r.passed) {
            (false, true) => {
                passed += 1;
                continue;
            }
            (false, false) => (Code::ExampleFailed, true),
            (true, true) => (Code::TodoPasses, true),
            (true, false) => {
                todo += 1;
                (Code::TodoStillFails, false)
            }
        };
        if counts_as_failure {
            failed += 1;
        }
        let message = match code {
            Code::TodoPasses => format!("rule {}: a todo example now passes", r.rule),
            Code::TodoStillFails => format!("rule {}: known miss", r.rule),
            _ => format!("rule {}: example failed", r.rule),
        };
        let help = match code {
            Code::TodoPasses => "remove `todo` so the example guards the rule from now on".to_string(),
            Code::TodoStillFails => "fix the rule, then remove `todo`".to_string(),
            _ => "change the rule (or the example, if the example is wrong); `zhibiao explain` shows more".to_string(),
        };
        let mut d = Diagnostic::new(code, message)
            .with_label(r.file, r.span, r.message.clone())
            .with_help(help);
        for n in &r.notes {
            d = d.with_note(n.clone());
        }
        diags.push(d);
    }
    print_diagnostics(&diags, &rules.sources);
    if todo > 0 {
        let _ = writeln!(
            std::io::stdout().lock(),
            "{passed} passed, {failed} failed, {todo} todo"
        );
    } else {
        let _ = writeln!(std::io::stdout().lock(), "{passed} passed, {failed} failed");
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
