//! One scan of the engine, every attempt of every rule kept as evidence
//! about a figure.
//!
//! The engine's own scan ([`engine::scan_in`], without the prefilters that
//! skip hopeless places) reports every attempt: candidates, matches stopped
//! by a veto or a unit, and walks that broke off. Each is filed under the
//! figure it was about: a match under the number it took, a walk that broke
//! off under the figure it was heading for (the first number of a unit the
//! rule could take within the rule's reach after the break, else the last
//! one before it). Per figure and rule only the walk that got furthest is
//! kept, so the evidence is bounded by figures × rules however many times
//! an anchor word occurs, and collecting it is linear in the report.

use std::collections::HashMap;
use std::ops::Range;

use super::figures::{Figures, taken_as_is};
use crate::compile::{CompiledRule, Program};
use crate::engine::{self, Attempt, Candidate, Progress, RawMatch, Rejection};
use crate::text::{Document, Number};

/// A walk that broke off, as kept for a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Walk {
    /// Where the anchor word stands.
    pub anchor: (usize, usize),
    /// How far the walk got.
    pub progress: Progress,
}

/// A match that a veto word stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct VetoedMatch {
    /// The rule.
    pub rule: usize,
    /// The match.
    pub m: RawMatch,
    /// The number it took.
    pub number: Number,
    /// The veto word.
    pub word: String,
    /// Where the veto word stands.
    pub at: usize,
}

/// A carried match dropped because its clause names a subject of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnSubject {
    /// The rule.
    pub rule: usize,
    /// The match.
    pub m: RawMatch,
    /// The end of the number it took.
    pub end: Option<usize>,
    /// The clause's own subject (a declared subject's name, or the word).
    pub word: String,
    /// Where it stands.
    pub at: usize,
}

/// Which walks to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Every figure: each walk is filed under the one figure it was heading for.
    All,
    /// One figure (its number's range): every walk whose reach covers it.
    One(usize, usize),
}

/// Everything one scan found, by figure.
#[derive(Debug, Default)]
pub struct Collected {
    /// Every candidate, paired with its 分别 item as `run` pairs it.
    pub candidates: Vec<Candidate>,
    /// Matches stopped by a veto word.
    pub vetoed: Vec<VetoedMatch>,
    /// Matches whose number's unit does not convert (rule, match, and the
    /// end of the number it took).
    pub unconvertible: Vec<(usize, RawMatch, Option<usize>)>,
    /// Matches that took their subject as carried into a clause that names
    /// a subject of its own: the rule, the match, the end of the number it
    /// took, the word and where it stands.
    pub own_subject: Vec<OwnSubject>,
    /// Per figure (by its number's end), the furthest walk of each rule.
    pub walks: HashMap<usize, Vec<(usize, Walk)>>,
    /// Anchor hits per rule (0: none of the rule's anchor words occur).
    pub anchor_hits: Vec<usize>,
    /// Walks that broke off with no figure in reach.
    pub walks_without_figure: usize,
}

/// Scans `range` of `doc` (the whole text, or one sentence) and files what
/// every rule did.
pub fn collect(
    program: &Program,
    doc: &Document,
    figures: &Figures,
    range: Range<usize>,
    focus: Focus,
) -> Collected {
    let mut out = Collected {
        anchor_hits: vec![0; program.rules.len()],
        ..Collected::default()
    };
    let text = doc.text.as_str();
    engine::scan_in(program, doc, range, None, &mut |r, attempt| {
        out.anchor_hits[r] += 1;
        let rule = &program.rules[r];
        match attempt {
            Attempt::Candidate(mut c) => {
                engine::resolve::pair_respectively(program, doc, std::slice::from_mut(&mut c));
                out.candidates.push(c);
            }
            Attempt::Rejected(m, Rejection::Vetoed { word, at }) => {
                if let Some(Some(cap)) = m.captures.get(rule.emit_slot) {
                    out.vetoed.push(VetoedMatch {
                        rule: r,
                        number: cap.number.clone(),
                        m,
                        word,
                        at,
                    });
                }
            }
            Attempt::Rejected(m, Rejection::OtherSubject { subject, at }) => {
                let end = m
                    .captures
                    .get(rule.emit_slot)
                    .and_then(|c| c.as_ref())
                    .map(|c| c.number.range.end);
                out.own_subject.push(OwnSubject {
                    rule: r,
                    m,
                    end,
                    word: subject,
                    at,
                });
            }
            // A value outside the rule's bounds is shown with the
            // unconvertible ones (the view tells them apart).
            Attempt::Rejected(m, Rejection::Unconvertible | Rejection::OutOfBounds) => {
                let end = m
                    .captures
                    .get(rule.emit_slot)
                    .and_then(|c| c.as_ref())
                    .map(|c| c.number.range.end);
                out.unconvertible.push((r, m, end));
            }
            // A walk that matched nothing at all says nothing about a
            // figure it happened to be near (asked about one, it does).
            Attempt::Miss { progress, .. } if progress.pc == 0 && focus == Focus::All => {}
            Attempt::Miss { anchor, progress } => {
                let walk = Walk {
                    anchor: (anchor.start, anchor.end),
                    progress,
                };
                let lo = engine::first_start(rule, text, anchor.start);
                let hi = anchor.start.saturating_add(rule.max_bytes).min(text.len());
                let target = match focus {
                    Focus::One(start, end) => {
                        (lo <= start && start < hi.max(lo + 1)).then_some(end)
                    }
                    Focus::All => heading_for(rule, doc, figures, lo..hi, anchor.start, progress),
                };
                match target {
                    Some(end) => keep_furthest(out.walks.entry(end).or_default(), r, walk),
                    None => out.walks_without_figure += 1,
                }
            }
        }
    });
    out
}

/// Keeps the walk that got further (then the one whose anchor is later,
/// nearer a figure that follows it).
fn keep_furthest(walks: &mut Vec<(usize, Walk)>, rule: usize, walk: Walk) {
    let better = |a: &Walk, b: &Walk| (a.progress.pc, a.anchor.0) > (b.progress.pc, b.anchor.0);
    match walks.iter_mut().find(|(r, _)| *r == rule) {
        Some((_, old)) => {
            if better(&walk, old) {
                *old = walk;
            }
        }
        None => walks.push((rule, walk)),
    }
}

/// The figure a broken-off walk was heading for: in the anchor's sentence
/// and the rule's reach (`window`), of a unit the rule takes as it is; the first
/// one at or after the place it broke off, else the last one before it.
fn heading_for(
    rule: &CompiledRule,
    doc: &Document,
    figures: &Figures,
    window: Range<usize>,
    anchor: usize,
    progress: Progress,
) -> Option<usize> {
    let sentence = doc.sentence_at(anchor);
    let lo = window.start.max(sentence.start);
    let hi = window.end.min(sentence.end);
    if lo >= hi {
        return None;
    }
    let near = figures.starting_in(lo..hi);
    let usable = |n: &&Number| taken_as_is(rule, n);
    near.iter()
        .filter(usable)
        .find(|n| n.range.end > progress.pos)
        .or_else(|| near.iter().rfind(usable))
        .map(|n| n.range.end)
}
