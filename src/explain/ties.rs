//! Finding ties left to chance (lint ZB0309): two rules for different
//! indicators that claim the same number in some rule's example, with the
//! same priority and the same match length, so only definition order would
//! decide. Uses the engine itself on every example text, so it sees exactly
//! the conflicts `run` would resolve.

use std::collections::{BTreeSet, HashMap};

use crate::check::RuleSet;
use crate::compile::Program;
use crate::diag::{Code, Diagnostic};
use crate::engine::{self, Attempt};
use crate::syntax::ast::Expectation;
use crate::text::{SourceFormat, read_report};

/// Warnings for every pair of rules whose conflict only definition order decides.
pub fn find_ties(sets: &[RuleSet], programs: &[Program]) -> Vec<Diagnostic> {
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    let mut out = Vec::new();
    for (set, program) in sets.iter().zip(programs) {
        for rule in &set.rules {
            for ex in &rule.examples {
                if matches!(ex.expect, Expectation::None) {
                    continue;
                }
                let Ok(doc) = read_report(
                    "<example>",
                    ex.text.value.as_bytes(),
                    Some(SourceFormat::Text),
                ) else {
                    continue;
                };
                let mut by_number: HashMap<(usize, usize), Vec<engine::Candidate>> = HashMap::new();
                engine::scan(program, &doc, None, &mut |_, a| {
                    // Candidates on a 分别 list are paired with its values by
                    // position, not resolved as a conflict.
                    if let Attempt::Candidate(c) = a
                        && c.list.is_none()
                    {
                        by_number
                            .entry((c.number.range.start, c.number.range.end))
                            .or_default()
                            .push(c);
                    }
                });
                for cands in by_number.values() {
                    for (i, a) in cands.iter().enumerate() {
                        for b in &cands[i + 1..] {
                            let (ra, rb) = (&program.rules[a.rule], &program.rules[b.rule]);
                            if ra.indicator == rb.indicator
                                || ra.priority != rb.priority
                                || a.span.len() != b.span.len()
                            {
                                continue;
                            }
                            let (first, second) = if a.rule < b.rule { (ra, rb) } else { (rb, ra) };
                            let key = (first.qualified_name.clone(), second.qualified_name.clone());
                            if !reported.insert(key) {
                                continue;
                            }
                            out.push(
                                Diagnostic::new(
                                    Code::AmbiguousPriority,
                                    format!(
                                        "rules {} ({}) and {} ({}) both claim the same number with priority {}; only their order decides",
                                        first.qualified_name,
                                        first.indicator,
                                        second.qualified_name,
                                        second.indicator,
                                        first.priority
                                    ),
                                )
                                .with_label(second.file, second.span, "this rule ties")
                                .with_label(rule.file, ex.span, "in this example")
                                .with_help(format!(
                                    "give one of them a higher `priority`, or a veto that tells them apart (now {} wins)",
                                    first.qualified_name
                                )),
                            );
                        }
                    }
                }
            }
        }
    }
    out
}
