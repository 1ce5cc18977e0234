//! Running every rule's `example` lines (`zhibiao test`).
//!
//! Each example is read as a one-sentence report and run through its own
//! rule alone (with the rule set it was defined in), so an example tests
//! its rule, not its neighbours. A positive example passes when the rule
//! yields a fact with the expected value (and unit and status, when given);
//! `=> none` passes when it yields nothing. A `todo` example is a known
//! miss: it is reported, does not fail, and fails once it starts passing.

use std::collections::HashSet;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::check::RuleSet;
use crate::compile::Program;
use crate::diag::{FileId, Span};
use crate::engine;
use crate::syntax::ast::{Example, Expectation};
use crate::text::{SourceFormat, Unit, read_report};

/// The outcome of one example.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleResult {
    /// The rule file.
    pub file: FileId,
    /// The example line's span.
    pub span: Span,
    /// Qualified rule name.
    pub rule: String,
    /// Whether it did what it says.
    pub passed: bool,
    /// Marked `todo`.
    pub todo: bool,
    /// "expected 712 家 estimate, got 54 家 actual".
    pub message: String,
    /// Near-miss explanation for a failed positive example.
    pub notes: Vec<String>,
    /// For an example of a replaced or extended rule run against the rule
    /// that replaced or extended it: where that `override` or `extend` is
    /// written. Only those that now fail are reported.
    pub inherited_by: Option<(FileId, Span)>,
    /// A line of a report-level example (`report NAME { line … }`), not a
    /// rule's `example`.
    pub report: bool,
}

/// Runs every example of every rule in `sets` once.
pub fn run_examples(sets: &[RuleSet], programs: &[Program]) -> Vec<ExampleResult> {
    let mut seen: HashSet<(FileId, Span)> = HashSet::new();
    let mut results = Vec::new();
    // Rules run in the set rooted at their own file first, then wherever they appear.
    for native_only in [true, false] {
        for (set, program) in sets.iter().zip(programs) {
            for rule in &set.rules {
                if native_only && rule.file != set.root {
                    continue;
                }
                if !seen.insert((rule.file, rule.span)) {
                    continue;
                }
                let Some(index) = program.rule_index(&rule.qualified_name) else {
                    continue;
                };
                for ex in &rule.examples {
                    results.push(run_one(program, index, rule.file, ex));
                }
            }
        }
    }
    // Examples an `extend` added run with the set the extension is in;
    // those of a replaced or extended rule run against the rule that
    // replaced or extended it, and are reported when they now fail.
    let mut seen_added: HashSet<(FileId, Span)> = HashSet::new();
    let mut seen_inherited: HashSet<(FileId, Span, Span)> = HashSet::new();
    for native_only in [true, false] {
        for (set, program) in sets.iter().zip(programs) {
            for rule in &set.rules {
                let Some(index) = program.rule_index(&rule.qualified_name) else {
                    continue;
                };
                for (file, ex) in &rule.added_examples {
                    if (native_only && *file != set.root) || !seen_added.insert((*file, ex.span)) {
                        continue;
                    }
                    results.push(run_one(program, index, *file, ex));
                }
                for inh in &rule.inherited {
                    if (native_only && inh.by_file != set.root)
                        || !seen_inherited.insert((inh.file, inh.example.span, inh.by_span))
                    {
                        continue;
                    }
                    let mut r = run_one(program, index, inh.file, &inh.example);
                    if !r.passed {
                        r.inherited_by = Some((inh.by_file, inh.by_span));
                        results.push(r);
                    }
                }
            }
        }
    }
    results
}

fn run_one(program: &Program, index: usize, file: FileId, ex: &Example) -> ExampleResult {
    let compiled = &program.rules[index];
    let mut result = ExampleResult {
        file,
        span: ex.span,
        rule: compiled.qualified_name.clone(),
        passed: false,
        todo: ex.todo,
        message: String::new(),
        notes: Vec::new(),
        inherited_by: None,
        report: false,
    };
    let doc = match read_report(
        "<example>",
        ex.text.value.as_bytes(),
        Some(SourceFormat::Text),
    ) {
        Ok(d) => d,
        Err(e) => {
            result.message = format!("the example text cannot be read: {}", e.message);
            return result;
        }
    };
    let traces = super::explain(
        program,
        &doc,
        Some(&|r: &crate::compile::CompiledRule| r.index == index),
    );
    let Some(trace) = traces.into_iter().next() else {
        result.message = "the rule did not run".into();
        return result;
    };
    // The rule alone: facts it won, plus those it lost only to other rules.
    let mut facts: Vec<(Decimal, &'static str, String)> = trace
        .facts
        .iter()
        .map(|f| (f.value, f.unit, f.status.as_str().to_string()))
        .collect();
    // Other rules are not in play for an example: the matches this rule
    // lost because of another rule's (as the resolver recorded it) are
    // resolved again for this rule alone. Those it lost to its own (a part
    // of its own whole, a threshold beside its own exact figure, a repeat,
    // a wider area's figure) stay lost.
    let to_others: Vec<_> = trace
        .lost
        .iter()
        .filter(|l| l.winner != index)
        .map(|l| l.candidate.clone())
        .collect();
    // A trap (`emit none`) gives no fact: its example's value is the
    // number it claims (each of its matches, whatever took them).
    if compiled.trap {
        facts = trace
            .lost
            .iter()
            .map(|l| (l.candidate.value, compiled.unit.text, "claimed".to_string()))
            .collect();
    } else if !to_others.is_empty() {
        let cands = to_others;
        for f in engine::resolve::resolve(program, &doc, cands) {
            facts.push((f.value, f.unit, f.status.as_str().to_string()));
        }
    }
    let got = if facts.is_empty() {
        "nothing".to_string()
    } else {
        facts
            .iter()
            .map(|(v, u, s)| format!("{} {u} {s}", v.normalize()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match &ex.expect {
        Expectation::None => {
            result.passed = facts.is_empty();
            result.message = format!("expected no fact, got {got}");
            for v in &trace.vetoed {
                result
                    .notes
                    .push(format!("a match was vetoed by “{}”", v.word));
            }
        }
        Expectation::Fact {
            value,
            unit,
            status,
            ..
        } => {
            let Ok(mut expected) = Decimal::from_str(value) else {
                result.message = format!("the expected value {value} is not a number");
                return result;
            };
            if let Some(u) = unit.as_ref().and_then(|u| Unit::parse(&u.name))
                && let Some(v) = u.convert(expected, compiled.unit)
            {
                expected = v;
            }
            let want_status = status.map(|(s, _)| s.as_str().to_string());
            result.passed = facts.iter().any(|(v, _, s)| {
                v.normalize() == expected.normalize() && want_status.as_ref().is_none_or(|w| w == s)
            });
            result.message = format!(
                "expected {} {}{}, got {got}",
                expected.normalize(),
                compiled.unit.text,
                want_status.map(|s| format!(" {s}")).unwrap_or_default()
            );
            if !result.passed {
                // Matches the resolver dropped for reasons of this rule's
                // own, as it recorded them.
                for l in trace.lost.iter().filter(|l| l.winner == index) {
                    let figure = doc.text.get(l.candidate.number.range.clone()).unwrap_or("");
                    result
                        .notes
                        .push(format!("the match of “{figure}” was dropped: {}", l.reason));
                }
            }
            if facts.is_empty() {
                if trace.anchor_hits == 0 {
                    result.notes.push(format!(
                        "none of the words the rule starts from occur in the example ({})",
                        super::describe_inst(&crate::compile::Inst::Lit(
                            compiled.anchor.literals.clone()
                        ))
                    ));
                }
                for v in &trace.vetoed {
                    result
                        .notes
                        .push(format!("the match was vetoed by “{}”", v.word));
                }
                if let Some(m) = trace.near_misses.first() {
                    let got_to = doc.text.get(m.anchor.start..m.progress.pos).unwrap_or("");
                    result.notes.push(format!(
                        "matched “{got_to}”, then expected {}, but {}",
                        m.expected, m.found
                    ));
                }
            }
        }
    }
    result
}
