//! Running a compiled [`Program`] over one [`Document`]: one scan, then
//! verification, then conflict resolution and inference.
//!
//! 1. **scan** — the program's automaton finds every anchor word and every
//!    required word in one pass.
//! 2. **verify** — each hit runs the instructions of those of its rules whose
//!    required words stand near ([`matcher`]), from the start positions
//!    their first characters allow; vetoes are checked in a bounded window
//!    around the match.
//! 3. **resolve** ([`resolve`]) — one winner per number: higher priority, then
//!    the longer (more specific) match, then the earlier rule; one fact per
//!    indicator, value and sentence.
//! 4. **infer** ([`infer`]) — status, year and months from the words around.
//!
//! The engine does no I/O and knows no output format: it returns [`Fact`]s
//! with normalized-text spans, which output code maps to the original file.

pub mod infer;
pub mod matcher;
pub mod resolve;

use std::ops::Range;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

use crate::compile::{CompiledRule, Program, WordHit};
use crate::diag::{ceil_char_boundary, floor_char_boundary};
use crate::syntax::ast::{Status, VetoScope};
use crate::text::{Document, Number, Qualifier, is_sentence_break};

pub use matcher::{Progress, RawMatch, Scratch};

/// How far (in bytes) around a match veto words are looked for, at most.
/// Keeps veto checks bounded even in a report without punctuation.
pub const VETO_WINDOW: usize = 300;

/// One extracted figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// Index of the rule in [`Program::rules`].
    pub rule: usize,
    /// Indicator id.
    pub indicator: String,
    /// Value in the indicator's unit.
    pub value: Decimal,
    /// Upper end of a range (2-3家 → 3), in the indicator's unit.
    pub upper: Option<Decimal>,
    /// The indicator's unit.
    pub unit: &'static str,
    /// Exact, more than, about, less than, range.
    pub qualifier: Qualifier,
    /// actual / estimate / target.
    pub status: Status,
    /// The year the figure is for.
    pub year: Option<i32>,
    /// `"1-10"` for 1—10月.
    pub months: Option<String>,
    /// The match (normalized-text byte range).
    pub span: Range<usize>,
    /// The number itself (normalized-text byte range).
    pub number_span: Range<usize>,
    /// The sentence the fact comes from (normalized-text byte range).
    pub sentence: Range<usize>,
}

/// A verified match before conflict resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Index of the rule.
    pub rule: usize,
    /// The match.
    pub span: Range<usize>,
    /// The emitted number.
    pub number: Number,
    /// The value converted to the indicator's unit.
    pub value: Decimal,
    /// The upper end of a range, converted.
    pub upper: Option<Decimal>,
    /// Literal starts of the match (see [`RawMatch::literals`]).
    pub literals: Vec<usize>,
    /// When the number opens a 分别 list ("分别为8家、96家"): every number of it.
    pub list: Option<Vec<Number>>,
}

/// Why a verified match did not become a candidate.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejection {
    /// A veto word stood in scope.
    Vetoed {
        /// The word.
        word: String,
        /// Where it stands.
        at: usize,
    },
    /// The number's unit cannot be converted to the indicator's.
    Unconvertible,
}

/// Everything one hit of one rule led to: for `run`, only candidates
/// matter; `explain` also shows misses and rejections.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// The pattern matched and survived its vetoes.
    Candidate(Candidate),
    /// The pattern matched but was rejected.
    Rejected(RawMatch, Rejection),
    /// The pattern broke off.
    Miss {
        /// Where the anchor word was found.
        anchor: Range<usize>,
        /// How far it got.
        progress: Progress,
    },
}

/// Runs every rule of `program` over `doc` and returns the resolved facts,
/// ordered by position.
pub fn run(program: &Program, doc: &Document) -> Vec<Fact> {
    run_timed(program, doc, None)
}

/// Where the time of a run went (`zhibiao run --time`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    /// Scanning and verifying, all rules.
    pub scan: Duration,
    /// Resolving and inferring.
    pub resolve: Duration,
    /// Verification time per rule (by rule index).
    pub per_rule: Vec<Duration>,
}

/// [`run`], adding where the time went to `timings` when given.
pub fn run_timed(program: &Program, doc: &Document, timings: Option<&mut Timings>) -> Vec<Fact> {
    let mut facts = Vec::new();
    run_in_blocks(program, doc, timings, &mut |block| facts.extend(block));
    facts
}

/// How much text (in bytes) [`run_in_blocks`] matches and resolves at a time.
pub const BLOCK_BYTES: usize = 256 << 10;

/// [`run_timed`], handing the facts to `emit` block by block (blocks of about
/// [`BLOCK_BYTES`], cut at sentence starts, in text order), so that a very
/// large report never holds more than one block's candidates and facts.
///
/// The facts are the same as for the whole text at once: a match never
/// crosses a sentence break (gaps stop there, and rules whose words hold a
/// sentence break are run on the whole text), and conflicts, duplicates
/// and 分别 lists are settled within a sentence.
pub fn run_in_blocks(
    program: &Program,
    doc: &Document,
    mut timings: Option<&mut Timings>,
    emit: &mut dyn FnMut(Vec<Fact>),
) {
    for block in blocks(program, doc) {
        emit(run_block(program, doc, block, timings.as_deref_mut()));
    }
}

/// The blocks [`run_in_blocks`] runs, in text order: about [`BLOCK_BYTES`]
/// each, cut at sentence starts (one block when the rules' words may cross
/// sentences). Blocks are independent: they may also run in parallel.
pub fn blocks(program: &Program, doc: &Document) -> Vec<Range<usize>> {
    blocks_of(program, doc, BLOCK_BYTES)
}

/// [`blocks`] of about `size` bytes (tests use small ones).
pub fn blocks_of(program: &Program, doc: &Document, size: usize) -> Vec<Range<usize>> {
    let len = doc.text.len();
    let size = if program.words_cross_sentences {
        usize::MAX
    } else {
        size.max(1)
    };
    let mut out = Vec::new();
    let mut start = 0;
    while start < len {
        let end = if len - start <= size {
            len
        } else {
            doc.sentence_start_from(start + size)
        };
        out.push(start..end);
        start = end;
    }
    out
}

/// Matches and resolves one block of [`blocks`].
pub fn run_block(
    program: &Program,
    doc: &Document,
    block: Range<usize>,
    timings: Option<&mut Timings>,
) -> Vec<Fact> {
    run_block_settling(program, doc, block, SETTLE_BATCH, timings)
}

/// [`run_block`], settling candidates whenever `batch` of them wait (tests
/// use tiny batches to check that settling early changes nothing).
#[doc(hidden)]
pub fn run_block_settling(
    program: &Program,
    doc: &Document,
    block: Range<usize>,
    batch: usize,
    mut timings: Option<&mut Timings>,
) -> Vec<Fact> {
    let batch = batch.max(1);
    if let Some(t) = timings.as_deref_mut() {
        t.per_rule.resize(program.rules.len(), Duration::ZERO);
    }
    let started = Instant::now();
    // Candidates are settled as the scan moves on: once the scan is past a
    // number by more than any match can reach back (`Program::reach`),
    // every candidate for it is in. A sentence without end (a report without
    // punctuation) so never holds more than a window of candidates.
    let mut settler = resolve::Settler::new(doc);
    let mut pending: Vec<Candidate> = Vec::new();
    let mut facts = Vec::new();
    let mut furthest = 0;
    let mut settle_at = batch;
    let mut settling = Duration::ZERO;
    let per_rule = timings.as_deref_mut().map(|t| &mut t.per_rule[..]);
    scan_range(
        program,
        doc,
        block,
        None,
        per_rule,
        true,
        &mut |_, attempt| {
            let Attempt::Candidate(mut c) = attempt else {
                return;
            };
            resolve::pair_respectively(program, doc, std::slice::from_mut(&mut c));
            furthest = furthest.max(c.span.start);
            pending.push(c);
            if pending.len() >= settle_at {
                let t = Instant::now();
                let frontier = furthest.saturating_sub(program.reach);
                let (done, rest): (Vec<_>, Vec<_>) = pending
                    .drain(..)
                    .partition(|c| c.number.range.start < frontier);
                pending = rest;
                // Never re-sort a window that is still growing at every push.
                settle_at = batch.max(2 * pending.len());
                facts.extend(settler.settle(program, doc, done));
                settling += t.elapsed();
            }
        },
    );
    let scanned = Instant::now();
    facts.extend(settler.settle(program, doc, pending));
    if let Some(t) = timings {
        t.scan += scanned - started - settling;
        t.resolve += scanned.elapsed() + settling;
    }
    facts
}

/// How many candidates wait before the settled ones are resolved.
const SETTLE_BATCH: usize = 4096;

impl Timings {
    /// Adds `other`'s times to these.
    pub fn add(&mut self, other: &Timings) {
        self.scan += other.scan;
        self.resolve += other.resolve;
        if self.per_rule.len() < other.per_rule.len() {
            self.per_rule.resize(other.per_rule.len(), Duration::ZERO);
        }
        for (a, b) in self.per_rule.iter_mut().zip(&other.per_rule) {
            *a += *b;
        }
    }
}

/// Scans `doc` once and reports every attempt of every rule (or only of
/// `only`, a rule index) to `sink`.
pub fn scan(
    program: &Program,
    doc: &Document,
    only: Option<usize>,
    sink: &mut dyn FnMut(usize, Attempt),
) {
    scan_timed(program, doc, only, None, false, sink)
}

/// [`scan`], adding each rule's verification time to `per_rule` when given.
/// With `prefilter`, places where a rule's required words cannot all occur
/// are skipped without a walk (and without a near-miss record, which is why
/// `explain` scans without it).
pub fn scan_timed(
    program: &Program,
    doc: &Document,
    only: Option<usize>,
    per_rule: Option<&mut [Duration]>,
    prefilter: bool,
    sink: &mut dyn FnMut(usize, Attempt),
) {
    let all = 0..doc.text.len();
    scan_range(program, doc, all, only, per_rule, prefilter, sink)
}

/// [`scan`] for the anchor words that start inside `range` of the text
/// (matches may look back before it and run on past it): `explain` asks
/// about one sentence without scanning the whole report.
pub fn scan_in(
    program: &Program,
    doc: &Document,
    range: Range<usize>,
    only: Option<usize>,
    sink: &mut dyn FnMut(usize, Attempt),
) {
    scan_range(program, doc, range, only, None, false, sink)
}

/// [`scan_timed`] for the anchor words that start inside `range` (matches
/// may look back before it and run on past it).
///
/// One pass of the program's automaton finds the anchor words and the
/// words rules require. An anchor hit waits until the pass has gone past
/// the furthest a match from it can reach; by then every required word
/// that could stand in its window has been seen, and the prefilter is a
/// lookup. Hits are verified in the order the pass finds them.
fn scan_range(
    program: &Program,
    doc: &Document,
    range: Range<usize>,
    only: Option<usize>,
    per_rule: Option<&mut [Duration]>,
    prefilter: bool,
    sink: &mut dyn FnMut(usize, Attempt),
) {
    let Some(automaton) = &program.automaton else {
        return;
    };
    let text = doc.text.as_str();
    // From as far back as a match may start to as far on as one may reach
    // (and an anchor word that starts before the end may run on).
    let scan_start = floor_char_boundary(text, range.start.saturating_sub(program.reach));
    let scan_end = ceil_char_boundary(
        text,
        range
            .end
            .saturating_add(program.longest_word.max(program.window)),
    );
    let mut scratch = Scratch::take();
    let near = matcher::RequiredNear::new(&program.required_words, &mut scratch);
    let mut hits = HitVerifier {
        program,
        doc,
        only,
        per_rule,
        prefilter,
        sink,
        scratch,
        verified: vec![None; program.rules.len()],
        starts: Vec::new(),
        near,
    };
    let mut pending: std::collections::VecDeque<WordHit> = std::collections::VecDeque::new();
    for hit in automaton.find_overlapping(text, scan_start..scan_end) {
        // The pass is past these hits' windows: all their words are known.
        while let Some(p) = pending.front().copied()
            && p.start.saturating_add(program.window) < hit.end
        {
            pending.pop_front();
            hits.verify(p);
        }
        if let Some(w) = hit.required {
            hits.near.found(
                w,
                hit.start,
                hit.end.saturating_sub(program.reach + program.window),
            );
        }
        if hit.anchor.is_some() && (range.start..range.end).contains(&hit.start) {
            pending.push_back(hit);
        }
    }
    while let Some(p) = pending.pop_front() {
        hits.verify(p);
    }
    let HitVerifier {
        mut scratch, near, ..
    } = hits;
    near.give_back(&mut scratch);
    scratch.put_back();
}

/// Verifies the rules an anchor hit may start, for [`scan_range`].
struct HitVerifier<'a, 's> {
    program: &'a Program,
    doc: &'a Document,
    only: Option<usize>,
    per_rule: Option<&'s mut [Duration]>,
    prefilter: bool,
    sink: &'s mut dyn FnMut(usize, Attempt),
    scratch: Scratch,
    /// Per rule: the start positions verified for its last hit (a range of
    /// character boundaries), so that hits close together (within a rule's
    /// look-back) do not verify the same start twice.
    verified: Vec<Option<Range<usize>>>,
    starts: Vec<usize>,
    /// Where the required words stand.
    near: matcher::RequiredNear,
}

impl HitVerifier<'_, '_> {
    fn verify(&mut self, hit: WordHit) {
        let Some(literal) = hit.anchor else { return };
        let (program, doc) = (self.program, self.doc);
        let text = doc.text.as_str();
        for &r in &program.literal_owners[literal] {
            if self.only.is_some_and(|o| o != r) {
                continue;
            }
            let rule = &program.rules[r];
            let first = first_start(rule, text, hit.start);
            let done = self.verified[r].replace(first..hit.start + 1);
            let began = self.per_rule.as_ref().map(|_| Instant::now());
            // One prefilter test for all starts (per start it would cost
            // more than the walk it saves: a wrong start fails at once),
            // before they are listed: most hits fail it.
            if self.prefilter && !self.near.may_match_within(rule, text, first, hit.start) {
                continue;
            }
            let starts = &mut self.starts;
            starts.clear();
            starts.extend(
                std::iter::once(hit.start)
                    .chain(
                        text[first..hit.start]
                            .char_indices()
                            .rev()
                            .map(|(i, _)| first + i),
                    )
                    .filter(|s| done.as_ref().is_none_or(|d| !d.contains(s))),
            );
            for &start in starts.iter() {
                // Like the prefilter, skips places no match can start at,
                // without the near-miss record `explain` shows.
                if self.prefilter && !rule.first.admit_at(text, start) {
                    continue;
                }
                match matcher::verify(rule, text, start, &mut self.scratch) {
                    Ok(m) => (self.sink)(r, check_match(rule, doc, m)),
                    Err(progress) => (self.sink)(
                        r,
                        Attempt::Miss {
                            anchor: hit.start..hit.end,
                            progress,
                        },
                    ),
                }
            }
            if let (Some(t), Some(b)) = (self.per_rule.as_deref_mut(), began) {
                t[r] += b.elapsed();
            }
        }
    }
}

/// The earliest position a match may start at for an anchor hit at `at`:
/// up to the rule's look-back in characters, not past a sentence break.
/// (Public for `explain`, which walks those starts again to find the one
/// behind a near miss.)
pub fn first_start(rule: &CompiledRule, text: &str, at: usize) -> usize {
    let mut first = at;
    if rule.anchor.back_chars == 0 {
        return first;
    }
    for (n, (i, c)) in text[..at].char_indices().rev().enumerate() {
        if n as u32 >= rule.anchor.back_chars || is_sentence_break(c) {
            break;
        }
        first = i;
    }
    first
}

/// Applies vetoes, unit conversion and 分别 pairing to a verified match.
/// (Public for `explain`, which tries what a changed rule would match.)
pub fn check_match(rule: &CompiledRule, doc: &Document, m: RawMatch) -> Attempt {
    let Some(Some(cap)) = m.captures.get(rule.emit_slot) else {
        return Attempt::Rejected(m, Rejection::Unconvertible);
    };
    let number = cap.number.clone();
    let list = resolve::respectively_list(doc, m.start, &number);
    for (scope, words) in &rule.vetoes {
        let range = veto_range(doc, *scope, m.start..m.end);
        let hay = &doc.text.as_bytes()[range.clone()];
        for w in words {
            if let Some(i) = w.find(hay) {
                return Attempt::Rejected(
                    m.clone(),
                    Rejection::Vetoed {
                        word: String::from_utf8_lossy(w.needle()).into_owned(),
                        at: range.start + i,
                    },
                );
            }
        }
    }
    let Some((value, upper)) = convert(rule, &number) else {
        return Attempt::Rejected(m, Rejection::Unconvertible);
    };
    Attempt::Candidate(Candidate {
        rule: rule.index,
        span: m.start..m.end,
        number,
        value,
        upper,
        literals: m.literals,
        list,
    })
}

/// A number's value (and upper end) in the rule's indicator unit.
pub fn convert(rule: &CompiledRule, number: &Number) -> Option<(Decimal, Option<Decimal>)> {
    let convert = |v: Decimal| match number.unit {
        Some(u) => u.convert(v, rule.unit),
        None => Some(v),
    };
    let value = convert(number.value)?;
    Some((value, number.upper.and_then(convert)))
}

/// The text a veto looks at: the clauses (or sentence) the match touches,
/// clipped to [`VETO_WINDOW`] bytes on each side.
fn veto_range(doc: &Document, scope: VetoScope, span: Range<usize>) -> Range<usize> {
    let (a, b) = match scope {
        VetoScope::Clause => (
            doc.clause_at(span.start),
            doc.clause_at(span.end.saturating_sub(1).max(span.start)),
        ),
        VetoScope::Sentence => (
            doc.sentence_at(span.start),
            doc.sentence_at(span.end.saturating_sub(1).max(span.start)),
        ),
    };
    let start = ceil_char_boundary(
        &doc.text,
        a.start.max(span.start.saturating_sub(VETO_WINDOW)),
    );
    let end = floor_char_boundary(&doc.text, b.end.min(span.end + VETO_WINDOW));
    start..end.max(start)
}
