//! What each rule did on a (short) text, rule by rule: the facts it made,
//! the matches it lost or that a veto stopped, and its near misses. `zhibiao
//! test` reports failed examples with it; `explain` groups the same engine
//! evidence by figure instead ([`super::report`]).

use std::ops::Range;

use crate::compile::{CompiledRule, Program};
use crate::engine::resolve::{Dropped, Outrank, Settler};
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
    /// The rule that won the number or took the fact it lost to (may be
    /// this rule, for a duplicate).
    pub winner: usize,
    /// Why, as the resolver recorded it.
    pub why: Dropped,
    /// The same in plain words.
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
            Attempt::Rejected(
                _,
                Rejection::Unconvertible | Rejection::OutOfBounds | Rejection::OtherSubject { .. },
            ) => {}
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
    // Resolve as `run` does (分别 values paired first), recording drops.
    engine::resolve::pair_respectively(program, doc, &mut candidates);
    let mut settler = Settler::recording(doc);
    let facts = settler.settle(program, doc, candidates.clone());
    let drops = settler.take_drops();
    for c in candidates {
        let won = facts
            .iter()
            .any(|f| f.rule == c.rule && f.number_span == c.number.range);
        if won {
            continue;
        }
        // The resolver's record for this rule's match on this number; a
        // loss to the rule's own longer match defers to that match's fate.
        let mine = |d: &&engine::resolve::Drop| d.rule == c.rule && d.number == c.number.range;
        let record = drops
            .iter()
            .filter(mine)
            .find(|d| !matches!(d.why, Dropped::Outranked { winner, .. } if winner == c.rule))
            .or_else(|| drops.iter().find(mine));
        if let Some(d) = record {
            let winner = dropped_by(&d.why).unwrap_or(c.rule);
            let reason = dropped_reason(program, doc, &c, &d.why);
            let why = d.why.clone();
            traces[c.rule].lost.push(Lost {
                candidate: c,
                winner,
                why,
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

/// The rule a drop names (the winner, the whole's, the part's, the exact
/// figure's), or `None` for a wider area's figure.
fn dropped_by(d: &Dropped) -> Option<usize> {
    match *d {
        Dropped::Outranked { winner, .. } => Some(winner),
        Dropped::WiderArea { .. } | Dropped::NamedPlace | Dropped::Trap => None,
        Dropped::PartOf { rule, .. }
        | Dropped::GaveWayToPart { rule, .. }
        | Dropped::SameFact { rule, .. }
        | Dropped::Threshold { rule, .. } => Some(rule),
    }
}

/// A drop in plain words (for `zhibiao test`'s notes).
pub fn dropped_reason(program: &Program, doc: &Document, loser: &Candidate, d: &Dropped) -> String {
    let name = |r: usize| program.rules[r].qualified_name.as_str();
    let figure = |at: usize| {
        crate::text::read_number(&doc.text, at)
            .and_then(|n| doc.text.get(n.range))
            .unwrap_or("")
            .to_string()
    };
    let l = &program.rules[loser.rule];
    match d {
        Dropped::Outranked { winner, span, by } => {
            let w = &program.rules[*winner];
            match by {
                Outrank::Priority => format!(
                    "rule {} has priority {} over this rule's {}",
                    w.qualified_name, w.priority, l.priority
                ),
                Outrank::Longer => format!(
                    "rule {} matched more text ({} bytes against {}), so it is more specific",
                    w.qualified_name,
                    span.len(),
                    loser.span.len()
                ),
                Outrank::Earlier => format!(
                    "rule {} is defined earlier and the priorities tie (give one a `priority`)",
                    w.qualified_name
                ),
            }
        }
        Dropped::WiderArea { word } => format!(
            "{} opens its clause: a wider area's figure, not the report's",
            super::view::cite_wider(&program.lexicon, word)
        ),
        Dropped::PartOf { rule, at } => format!(
            "it is a part ({}) of “{}”, which {} took: not a fact of its own",
            super::view::breakdown_word(&program.lexicon),
            figure(*at),
            name(*rule)
        ),
        Dropped::GaveWayToPart {
            rule,
            at,
            word,
            kind,
        } => format!(
            "the figure “{}” after its 其中 is {} ({}): {} took it instead of this whole",
            figure(*at),
            super::view::part_wins_words(*kind),
            super::words::cite(&program.lexicon, super::view::PART_WINS, word),
            name(*rule)
        ),
        Dropped::NamedPlace => {
            "it is a part (其中 …) naming a place inside the region, not the region's figure"
                .to_string()
        }
        Dropped::Trap => format!(
            "rule {} is a trap (`emit none`): it claims the number and gives no fact",
            l.qualified_name
        ),
        Dropped::SameFact { rule, at } => format!(
            "the same fact ({} {}) was already taken from this sentence by {} at “{}”",
            l.indicator,
            loser.value.normalize(),
            name(*rule),
            figure(*at)
        ),
        Dropped::Threshold { rule, at, value } => format!(
            "it is only a threshold: the sentence gives the exact figure {} (“{}”), which {} took",
            value.normalize(),
            figure(*at),
            name(*rule)
        ),
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
