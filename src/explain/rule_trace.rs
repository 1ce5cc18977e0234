//! What each rule did on a (short) text, rule by rule: the facts it made,
//! the matches it lost or that a veto stopped, and its near misses. `zhibiao
//! test` reports failed examples with it; `explain` groups the same engine
//! evidence by figure instead ([`super::report`]).

use std::ops::Range;

use crate::compile::{CompiledRule, Program};
use crate::engine::{self, Attempt, Candidate, Fact, Progress, Rejection};
use crate::text::Document;

use super::words::describe_inst;
use crate::compile::Inst;
use crate::text::is_sentence_break;

/// What happened to one rule on one report.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleTrace {
    /// Index into [`Program::rules`].
    pub rule: usize,
    /// Facts this rule produced.
    pub facts: Vec<Fact>,
    /// Matches that another rule's match beat (or that duplicated a fact).
    pub lost: Vec<Lost>,
    /// Matches stopped by a veto word.
    pub vetoed: Vec<Vetoed>,
    /// Places where the anchor word was found but the pattern broke off,
    /// most promising first.
    pub near_misses: Vec<NearMiss>,
    /// Number of anchor hits (0: none of the rule's words occur).
    pub anchor_hits: usize,
}

/// A match that lost.
#[derive(Debug, Clone, PartialEq)]
pub struct Lost {
    /// The losing candidate.
    pub candidate: Candidate,
    /// The rule that won the number (may be this rule, for a duplicate).
    pub winner: usize,
    /// Plain-words reason.
    pub reason: String,
}

/// A match stopped by a veto.
#[derive(Debug, Clone, PartialEq)]
pub struct Vetoed {
    /// The match.
    pub span: Range<usize>,
    /// The veto word.
    pub word: String,
    /// Where it stands.
    pub at: usize,
}

/// A place where a rule got some way and broke off.
#[derive(Debug, Clone, PartialEq)]
pub struct NearMiss {
    /// The anchor word's place.
    pub anchor: Range<usize>,
    /// How far the pattern got.
    pub progress: Progress,
    /// Fraction of the pattern matched (0..1), for ranking.
    pub score: f32,
    /// What was expected at the place it broke off.
    pub expected: String,
    /// What stood there instead.
    pub found: String,
}

/// Explains every rule of `program` (or only `only`) on `doc`.
pub fn explain(
    program: &Program,
    doc: &Document,
    only: Option<&dyn Fn(&CompiledRule) -> bool>,
) -> Vec<RuleTrace> {
    let mut traces: Vec<RuleTrace> = program
        .rules
        .iter()
        .map(|r| RuleTrace {
            rule: r.index,
            facts: Vec::new(),
            lost: Vec::new(),
            vetoed: Vec::new(),
            near_misses: Vec::new(),
            anchor_hits: 0,
        })
        .collect();
    let mut candidates = Vec::new();
    engine::scan(program, doc, None, &mut |r, attempt| {
        let t = &mut traces[r];
        t.anchor_hits += 1;
        match attempt {
            Attempt::Candidate(c) => candidates.push(c),
            Attempt::Rejected(m, Rejection::Vetoed { word, at }) => t.vetoed.push(Vetoed {
                span: m.start..m.end,
                word,
                at,
            }),
            Attempt::Rejected(_, Rejection::Unconvertible | Rejection::OtherSubject { .. }) => {}
            Attempt::Miss { anchor, progress } => {
                let rule = &program.rules[r];
                let (expected, found) = describe_break(rule, doc, progress);
                t.near_misses.push(NearMiss {
                    anchor,
                    progress,
                    score: progress.pc as f32 / rule.insts.len().max(1) as f32,
                    expected,
                    found,
                });
            }
        }
    });
    let facts = engine::resolve::resolve(program, doc, candidates.clone());
    // Compare the candidates as resolution saw them: with 分别 values paired.
    engine::resolve::pair_respectively(program, doc, &mut candidates);
    for c in candidates {
        let won = facts
            .iter()
            .any(|f| f.rule == c.rule && f.number_span == c.number.range);
        if won {
            continue;
        }
        let winner = facts
            .iter()
            .find(|f| f.number_span == c.number.range)
            .or_else(|| {
                facts
                    .iter()
                    .find(|f| f.indicator == program.rules[c.rule].indicator && f.value == c.value)
            });
        if let Some(w) = winner {
            let reason = conflict_reason(program, &c, w);
            traces[c.rule].lost.push(Lost {
                candidate: c,
                winner: w.rule,
                reason,
            });
        }
    }
    for f in facts {
        traces[f.rule].facts.push(f);
    }
    for t in &mut traces {
        t.near_misses.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.anchor.start.cmp(&b.anchor.start))
        });
        // Near misses at places where the rule matched anyway say nothing.
        let matched: Vec<Range<usize>> = t
            .facts
            .iter()
            .map(|f| f.sentence.clone())
            .chain(t.lost.iter().map(|l| l.candidate.span.clone()))
            .chain(t.vetoed.iter().map(|v| v.span.clone()))
            .collect();
        t.near_misses
            .retain(|m| !matched.iter().any(|s| s.contains(&m.anchor.start)));
    }
    if let Some(keep) = only {
        traces.retain(|t| keep(&program.rules[t.rule]));
    }
    traces
}

fn conflict_reason(program: &Program, loser: &Candidate, winner: &Fact) -> String {
    let (l, w) = (&program.rules[loser.rule], &program.rules[winner.rule]);
    if loser.rule == winner.rule
        || (l.indicator == w.indicator && winner.number_span != loser.number.range)
    {
        return format!(
            "the same fact ({} {}) was already taken from this sentence",
            winner.value, winner.unit
        );
    }
    if w.priority != l.priority {
        format!(
            "rule {} has priority {} over this rule's {}",
            w.qualified_name, w.priority, l.priority
        )
    } else if winner.span.len() != loser.span.len() {
        format!(
            "rule {} matched more text ({} bytes against {}), so it is more specific",
            w.qualified_name,
            winner.span.len(),
            loser.span.len()
        )
    } else {
        format!(
            "rule {} is defined earlier and the priorities tie (give one a `priority`)",
            w.qualified_name
        )
    }
}

/// What the rule expected where it broke off, and what stood there.
fn describe_break(rule: &CompiledRule, doc: &Document, p: Progress) -> (String, String) {
    // The furthest instruction reached may be a split or jump; describe the
    // first consuming instruction from there.
    let mut pc = p.pc;
    while let Some(Inst::Split(a, _) | Inst::Jmp(a)) = rule.insts.get(pc) {
        pc = *a;
    }
    let mut expected = rule.insts.get(pc).map(describe_inst).unwrap_or_default();
    let (gap_max, window, ended) = super::words::break_window(rule, doc, p);
    if let Some(max) = gap_max {
        expected = format!("{expected} within {max} characters");
    }
    let found = match (window.is_empty(), ended) {
        (true, None) => "the report ended".to_string(),
        (true, Some(c)) if is_sentence_break(c) => {
            format!("the sentence ended at “{}”", c.escape_debug())
        }
        (true, Some(c)) => format!("the clause ended at “{c}”"),
        (false, Some(c)) if is_sentence_break(c) => {
            format!(
                "found “{window}” and then the sentence ended at “{}”",
                c.escape_debug()
            )
        }
        (false, Some(c)) => format!("found “{window}” and then the clause ended at “{c}”"),
        (false, None) => format!("found “{window}”"),
    };
    (expected, found)
}
