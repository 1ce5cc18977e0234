//! The shipping standard for examples (`zhibiao lint --strict`, always on
//! for the shipped rules): every rule has at least one example it must read
//! and one it must leave alone (`=> none`), as docs/authoring.md asks.
//!
//! Not part of [`super::check`]: a rule file being written may lack them
//! for a while (ZB0310 is a warning there), but what ships may not.

use std::collections::HashSet;

use super::RuleSet;
use crate::diag::{Code, Diagnostic, Severity, Sources, Span};
use crate::syntax::ast::Expectation;

/// Raises ZB0310 (no examples at all) to an error, and adds a ZB0316
/// error for each rule of `sets` without a positive or without a `none`
/// example. Each rule is judged once, where it is written.
pub fn require_examples(sets: &[RuleSet], sources: &Sources, diags: &mut Vec<Diagnostic>) {
    for d in diags.iter_mut() {
        if d.code == Code::NoExamples {
            d.severity = Severity::Error;
        }
    }
    let mut seen = HashSet::new();
    for rule in sets.iter().flat_map(|s| s.rules.iter()) {
        if !seen.insert((rule.file, rule.span)) || rule.examples.is_empty() {
            continue;
        }
        let nones = rule
            .examples
            .iter()
            .filter(|e| matches!(e.expect, Expectation::None))
            .count();
        let missing = if nones == 0 {
            "a `none` example (a sentence it must not read)"
        } else if nones == rule.examples.len() {
            "a positive example (a sentence it must read, with the value)"
        } else {
            continue;
        };
        // The rule's first line, not its whole body.
        let text = &sources.get(rule.file).text;
        let start = rule.span.start.min(text.len());
        let end = text[start..]
            .find('\n')
            .map_or(rule.span.end.min(text.len()), |i| start + i);
        diags.push(
            Diagnostic::new(
                Code::ExampleCoverage,
                format!("rule {} lacks {missing}", rule.qualified_name),
            )
            .with_label(rule.file, Span::new(start, end), "this rule")
            .with_help(if nones == 0 {
                "add a sentence in the reports' style that it must leave alone: example \"…\" => none"
            } else {
                "add a sentence it must read: example \"…达到712家\" => 712"
            }),
        );
    }
}
