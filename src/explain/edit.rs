//! A suggested change made on the checked rule set, so that it can be
//! compiled like any rule and run over other reports ("what would this do
//! to every other annotated figure?").
//!
//! A [`Fix`](super::Fix) is found on compiled instructions; [`RuleEdit`]
//! carries it back to the rule's checked pattern through the instruction's
//! span (the pattern node it was compiled from) and its content (the same
//! words, the same gap). Nodes a `let` brought in share the span of the
//! name that brought them in, so a change inside a `let` that holds two
//! identical gaps changes both — as editing the `let` would.

use crate::check::{Rule, RuleSet};
use crate::compile::{CompiledRule, Inst, literal_words};
use crate::diag::Span;
use crate::syntax::ast::{GapScope, Ident, Pattern, PatternKind};

use super::fix::Edit;

/// One change to one rule of a rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleEdit {
    /// The rule's qualified name.
    pub rule: String,
    /// The change.
    pub change: Change,
}

/// A change to a rule's checked form.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Add `word` to the words written at `span` (now `words`); "" makes
    /// them optional.
    AddWord {
        /// Where the words are written.
        span: Span,
        /// The words now there.
        words: Vec<String>,
        /// The word to add.
        word: String,
    },
    /// Change the gap written at `span` (now `from`: min, max, crosses
    /// clauses) to reach `max`, across clauses when `cross`.
    Gap {
        /// Where the gap is written.
        span: Span,
        /// Its bounds now.
        from: (u32, u32, bool),
        /// The new upper bound.
        max: u32,
        /// Whether it may cross ，、：.
        cross: bool,
    },
    /// Let the capture written at `span` take `unit`.
    AcceptUnit {
        /// Where the capture is written.
        span: Span,
        /// The unit's spelling.
        unit: &'static str,
    },
    /// Stop excluding `word` in the `!` written at `span`.
    DropExcluded {
        /// Where the look-ahead is written.
        span: Span,
        /// The word.
        word: String,
    },
    /// Remove these veto words.
    DropVetoes(Vec<String>),
    /// Set the priority.
    Priority(i64),
}

impl RuleEdit {
    /// The change `edit` (found on `rule`'s instructions) on the rule's
    /// checked pattern.
    pub fn from_fix(rule: &CompiledRule, edit: &Edit) -> Option<RuleEdit> {
        let span = |pc: usize| rule.spans.get(pc).copied();
        let change = match edit {
            Edit::AddWord { pc, word } => match rule.insts.get(*pc)? {
                Inst::Lit(words) => Change::AddWord {
                    span: span(*pc)?,
                    words: words.clone(),
                    word: word.clone(),
                },
                _ => return None,
            },
            Edit::Gap {
                pc,
                max,
                cross_clauses,
            } => match rule.insts.get(*pc)? {
                Inst::Gap {
                    min,
                    max: old,
                    cross_clauses: was,
                    ..
                } => Change::Gap {
                    span: span(*pc)?,
                    from: (*min, *old, *was),
                    max: *max,
                    cross: *cross_clauses,
                },
                _ => return None,
            },
            Edit::AcceptUnit { pc, unit } => Change::AcceptUnit {
                span: span(*pc)?,
                unit: unit.text,
            },
            Edit::DropExcluded { pc, word } => Change::DropExcluded {
                span: span(*pc)?,
                word: word.clone(),
            },
            Edit::DropVetoes { words } => Change::DropVetoes(words.clone()),
            Edit::Priority { to } => Change::Priority(*to),
        };
        Some(RuleEdit {
            rule: rule.qualified_name.clone(),
            change,
        })
    }

    /// `set` with the change made; `None` when the set has no such rule or
    /// the change found nothing to change.
    pub fn apply(&self, set: &RuleSet) -> Option<RuleSet> {
        let mut out = set.clone();
        let rule = out
            .rules
            .iter_mut()
            .find(|r| r.qualified_name == self.rule)?;
        change_rule(rule, &self.change).then_some(out)
    }
}

/// Makes `change` on `rule`; false when nothing matched it.
fn change_rule(rule: &mut Rule, change: &Change) -> bool {
    match change {
        Change::DropVetoes(words) => {
            let before: usize = rule.vetoes.iter().map(|v| v.words.len()).sum();
            for v in &mut rule.vetoes {
                v.words.retain(|w| !words.contains(w));
            }
            before != rule.vetoes.iter().map(|v| v.words.len()).sum::<usize>()
        }
        Change::Priority(p) => {
            rule.priority = *p;
            true
        }
        _ => change_pattern(&mut rule.pattern, change),
    }
}

/// Makes `change` on every node of `p` it is about.
fn change_pattern(p: &mut Pattern, change: &Change) -> bool {
    let here = match (&mut p.kind, change) {
        (_, Change::AddWord { span, words, word }) if p.span == *span => match literal_words(p) {
            Some(mut have) => {
                let mut want = words.clone();
                want.sort();
                want.dedup();
                have.sort();
                have.dedup();
                if have == want {
                    let node = p.clone();
                    p.kind = if word.is_empty() {
                        PatternKind::Optional(Box::new(node))
                    } else {
                        PatternKind::Alt(vec![
                            node,
                            Pattern {
                                kind: PatternKind::Literal(word.clone()),
                                span: *span,
                            },
                        ])
                    };
                    return true;
                }
                false
            }
            None => false,
        },
        (
            PatternKind::Gap(g),
            Change::Gap {
                span,
                from,
                max,
                cross,
            },
        ) if p.span == *span
            && (
                g.min,
                g.max.unwrap_or(u32::MAX),
                g.scope == GapScope::Sentence,
            ) == *from =>
        {
            g.max = Some(*max);
            g.scope = if *cross {
                GapScope::Sentence
            } else {
                GapScope::Clause
            };
            true
        }
        (PatternKind::Capture(c), Change::AcceptUnit { span, unit }) if p.span == *span => {
            if !c.accepts.iter().any(|a| a.name == *unit) {
                c.accepts.push(Ident {
                    name: (*unit).to_string(),
                    span: *span,
                });
            }
            true
        }
        (PatternKind::NotAhead(inner), Change::DropExcluded { span, word }) if p.span == *span => {
            match literal_words(inner) {
                Some(ws) if ws.contains(word) => {
                    let rest: Vec<Pattern> = ws
                        .into_iter()
                        .filter(|w| w != word)
                        .map(|w| Pattern {
                            kind: PatternKind::Literal(w),
                            span: *span,
                        })
                        .collect();
                    p.kind = if rest.is_empty() {
                        PatternKind::Seq(Vec::new())
                    } else {
                        PatternKind::NotAhead(Box::new(Pattern {
                            kind: PatternKind::Alt(rest),
                            span: *span,
                        }))
                    };
                    true
                }
                _ => false,
            }
        }
        _ => false,
    };
    if here {
        return true;
    }
    let mut any = false;
    match &mut p.kind {
        PatternKind::Seq(items) | PatternKind::Alt(items) => {
            for item in items {
                any |= change_pattern(item, change);
            }
        }
        PatternKind::Optional(inner) | PatternKind::NotAhead(inner) => {
            any |= change_pattern(inner, change);
        }
        _ => {}
    }
    any
}
