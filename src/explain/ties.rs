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

/// Warnings for every rule whose positive examples all pass on the rule
/// alone while, with the whole rule set it is defined in, a rule of another
/// indicator and a higher priority takes each of their numbers (lint ZB0326): the rule never adds
/// a fact where its own examples say it should, so a priority or a veto is
/// missing somewhere. (A loss to a rule of the same indicator gives the
/// same fact; a province's set may beat a common rule on purpose.)
pub fn find_always_losing(sets: &[RuleSet], programs: &[Program]) -> Vec<Diagnostic> {
    let mut reported: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (set, program) in sets.iter().zip(programs) {
        for rule in &set.rules {
            if rule.file != set.root {
                continue;
            }
            let Some(index) = program.rule_index(&rule.qualified_name) else {
                continue;
            };
            if reported.contains(&rule.qualified_name) {
                continue;
            }
            let mut positives = 0;
            let mut winners: Vec<usize> = Vec::new();
            let mut lost_everywhere = true;
            for ex in &rule.examples {
                if ex.todo || matches!(ex.expect, Expectation::None) {
                    continue;
                }
                positives += 1;
                let Ok(doc) = read_report(
                    "<example>",
                    ex.text.value.as_bytes(),
                    Some(SourceFormat::Text),
                ) else {
                    lost_everywhere = false;
                    break;
                };
                // The numbers this rule matched, and who took each.
                let mut mine: Vec<(usize, usize)> = Vec::new();
                engine::scan(program, &doc, None, &mut |_, a| {
                    if let Attempt::Candidate(c) = a
                        && c.rule == index
                    {
                        mine.push((c.number.range.start, c.number.range.end));
                    }
                });
                if mine.is_empty() {
                    // The rule does not match its own example in the set
                    // (its example fails, or another reason): not this lint.
                    lost_everywhere = false;
                    break;
                }
                let facts = engine::run(program, &doc);
                let taken_by_other = mine.iter().all(|n| {
                    facts
                        .iter()
                        .find(|f| (f.number_span.start, f.number_span.end) == *n)
                        .is_some_and(|f| f.rule != index && f.indicator != rule.indicator)
                });
                if !taken_by_other || facts.iter().any(|f| f.rule == index) {
                    lost_everywhere = false;
                    break;
                }
                for n in &mine {
                    if let Some(f) = facts
                        .iter()
                        .find(|f| (f.number_span.start, f.number_span.end) == *n)
                        && !winners.contains(&f.rule)
                    {
                        winners.push(f.rule);
                    }
                }
            }
            // Only a loss on priority: a tie is ZB0309's, a longer match
            // of another rule is the more specific reading.
            let mine = program.rules[index].priority;
            if positives == 0
                || !lost_everywhere
                || winners
                    .iter()
                    .any(|w| program.rules.get(*w).is_none_or(|r| r.priority <= mine))
            {
                continue;
            }
            reported.insert(rule.qualified_name.clone());
            let names: Vec<&str> = winners
                .iter()
                .filter_map(|w| program.rules.get(*w))
                .map(|r| r.qualified_name.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Code::AlwaysLoses,
                    format!(
                        "rule {} never wins in its own examples: with the whole rule set, {} (another indicator) takes each of their numbers",
                        rule.qualified_name,
                        names.join(", ")
                    ),
                )
                .with_label(rule.file, rule.span, "always loses")
                .with_help(
                    "its examples pass on the rule alone; give it a higher `priority`, or a veto to the rule that wins, or remove it",
                ),
            );
        }
    }
    out
}
