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

pub mod carry;
pub mod figure;
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

pub use figure::FromFigure;
pub use matcher::{Carry, Progress, RawMatch, Scratch};

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
    /// How the engine read it beyond the rule's own words.
    pub reading: Reading,
}

/// How a fact was read beyond the words of its rule: what `explain` shows
/// so that an author sees why a figure came out as it did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reading {
    /// The rule's subject was carried from an earlier clause: the subject's
    /// index in `Program::subjects` and where it was named.
    pub carried: Option<(usize, usize)>,
    /// The figure ends a from–to phrase; the earlier figure's span.
    pub from_to: Option<Range<usize>>,
    /// The fact is the earlier figure of a from–to phrase (for the year it
    /// names); the later figure's span.
    pub earlier_of: Option<Range<usize>>,
    /// The unit was not written; the rule's own was taken.
    pub unit_inferred: bool,
    /// The figure stands alone in a table cell, in the row of the figure
    /// at this span, which a rule took: the same indicator's.
    pub row_of: Option<Range<usize>>,
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
    /// The earlier figure, when the number ends a from–to phrase.
    pub from: Option<Box<FromFigure>>,
    /// The subject the match took as carried from an earlier clause of its
    /// sentence: its index in `Program::subjects` and where it was named.
    pub carried: Option<(usize, usize)>,
    /// The number's unit was not written; the rule's own was taken.
    pub unit_inferred: bool,
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
    /// The value is outside the rule's `min`/`max`.
    OutOfBounds,
    /// The match took a subject as carried into its clause, but the clause
    /// names a subject of its own before the number (another declared
    /// subject, or a word that is not a predicate word: see [`carry`]).
    OtherSubject {
        /// The other subject's name, or the word.
        subject: String,
        /// Where it is named.
        at: usize,
    },
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
        let mut end = if len - start <= size {
            len
        } else {
            doc.sentence_start_from(start + size)
        };
        // A sentence opening with 其中 stays with the one before it: its
        // context starts there ([`scope_start`]).
        while end < len && opens_with_breakdown(&program.lexicon, doc, end) {
            end = doc.sentence_start_from(end + 1);
        }
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
    timings: Option<&mut Timings>,
) -> Vec<Fact> {
    let mut facts = Vec::new();
    run_block_streaming(program, doc, block, batch, timings, &mut |f| {
        facts.extend(f)
    });
    facts
}

/// [`run_block`], handing the facts to `sink` as they are settled (in the
/// order [`run_block`] returns them), so a block that is one endless
/// sentence — a report without punctuation — never holds all its facts
/// (issue 25, item 11). `batch` as in [`run_block_settling`].
pub fn run_block_streaming(
    program: &Program,
    doc: &Document,
    block: Range<usize>,
    batch: usize,
    mut timings: Option<&mut Timings>,
    sink: &mut dyn FnMut(Vec<Fact>),
) {
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
                let settled = settler.settle(program, doc, done);
                if !settled.is_empty() {
                    sink(settled);
                }
                settling += t.elapsed();
            }
        },
    );
    let scanned = Instant::now();
    let settled = settler.settle(program, doc, pending);
    if !settled.is_empty() {
        sink(settled);
    }
    if let Some(t) = timings {
        t.scan += scanned - started - settling;
        t.resolve += scanned.elapsed() + settling;
    }
}

/// How many candidates wait before the settled ones are resolved.
pub const SETTLE_BATCH: usize = 4096;

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
    let near = matcher::RequiredNear::new(program.required_sets.len(), &mut scratch);
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
        subjects: SubjectTrack::default(),
    };
    let mut pending: std::collections::VecDeque<Pending> = std::collections::VecDeque::new();
    // Clause starts the scan has gone past: where carried subjects are tried.
    let clause_starts = doc.clause_starts();
    let carrying = !program.subjects.is_empty();
    let mut next_clause = clause_starts.partition_point(|&c| (c as usize) < range.start);
    for hit in automaton.find_overlapping(text, scan_start..scan_end) {
        // The pass is past these hits' windows: all their words are known.
        while let Some(p) = pending.front()
            && p.start().saturating_add(program.window) < hit.end
        {
            let p = pending.pop_front();
            hits.verify_pending(p);
        }
        if let Some(w) = hit.required {
            hits.near.found(
                &program.word_sets[w],
                hit.start,
                hit.end - hit.start,
                hit.end.saturating_sub(program.reach + program.window),
            );
        }
        // Every subject named so far ends before `hit.end`: the clause
        // starts before it know which subject is carried to them.
        if carrying {
            while let Some(&c) = clause_starts.get(next_clause)
                && (c as usize) < hit.end.min(range.end)
            {
                next_clause += 1;
                pending.extend(hits.carried_to(c as usize));
            }
        }
        if let Some(s) = hit.subject {
            hits.subjects.named(hit.start, hit.end, s);
        }
        if let Some(a) = hit.anchor
            && (range.start..range.end).contains(&hit.start)
        {
            // A word inside a longer one that ends with it and anchors the
            // same rules (高新技术企业 in 国家高新技术企业): whatever a match
            // from the inner word finds, the match from the outer one finds
            // too, with a longer span that would win. Verify only the outer.
            let same_end = |p: &Pending| match p {
                Pending::Word(w) => {
                    w.end == hit.end
                        && w.anchor
                            .is_some_and(|b| program.literal_owners[b] == program.literal_owners[a])
                }
                Pending::Carried { .. } => false,
            };
            match pending.back() {
                Some(last) if same_end(last) => {
                    if last.start() > hit.start {
                        pending.pop_back();
                        pending.push_back(Pending::Word(hit));
                    }
                }
                _ => pending.push_back(Pending::Word(hit)),
            }
        }
    }
    if carrying {
        while let Some(&c) = clause_starts.get(next_clause)
            && (c as usize) < range.end
        {
            next_clause += 1;
            pending.extend(hits.carried_to(c as usize));
        }
    }
    while let Some(p) = pending.pop_front() {
        hits.verify_pending(Some(p));
    }
    let HitVerifier {
        mut scratch, near, ..
    } = hits;
    near.give_back(&mut scratch);
    scratch.put_back();
}

/// What the scan decides about carrying a subject to the clause holding a
/// position: for `explain`, which says why a figure was (not) read with a
/// subject named earlier in its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct CarryAt {
    /// The subject in force at the clause's start (index into
    /// `Program::subjects`).
    pub subject: usize,
    /// Where it is named.
    pub named: Range<usize>,
    /// Why it is not carried to this clause: the clause's own word (an
    /// empty range: the clause holds no number), or `None` when it is.
    pub stopped_by: Option<Range<usize>>,
}

/// Whether, and which, subject the scan carries to the clause holding
/// `pos` (`None` when no subject is named before it in its sentence, or
/// the clause opens the sentence).
pub fn carry_at(program: &Program, doc: &Document, pos: usize) -> Option<CarryAt> {
    let automaton = program.automaton.as_ref()?;
    let clause = doc.clause_at(pos);
    let sentence = doc.sentence_at(pos);
    if clause.start <= sentence.start {
        return None;
    }
    let mut track = SubjectTrack::default();
    for hit in automaton.find_overlapping(&doc.text, sentence.start..clause.start) {
        if let Some(s) = hit.subject {
            track.named(hit.start, hit.end, s);
        }
    }
    let subject = track.carried_to(&program.lexicon, doc, clause.start)?;
    let (start, end, _) = *track.named.last()?;
    let words = program.carry_words.get(subject)?;
    Some(CarryAt {
        subject,
        named: start..end,
        stopped_by: carry::carry_stop(
            &program.lexicon,
            &doc.text,
            clause.start,
            words,
            CARRY_HEAD_CHARS,
        ),
    })
}

/// A place the scan will verify rules at, once it is past its window.
enum Pending {
    /// An anchor word: the rules it anchors, from the starts it allows.
    Word(WordHit),
    /// A clause start that a subject is carried to: the rules that start
    /// with that subject, from the clause start alone.
    Carried {
        /// The clause start.
        at: usize,
        /// The subject.
        subject: usize,
    },
}

impl Pending {
    fn start(&self) -> usize {
        match self {
            Pending::Word(h) => h.start,
            Pending::Carried { at, .. } => *at,
        }
    }
}

/// How many characters of a clause, before its first number, are read to
/// decide whether a subject can be carried to it.
pub const CARRY_HEAD_CHARS: usize = 40;

/// Where the context of a sentence starts: at the sentence, or at the one
/// before when it opens with 其中 ("新增高企26家。其中，某街道新增8家。": a
/// breakdown of the sentence before, whose subject carries into it and
/// whose figure is its whole).
pub(crate) fn scope_start(
    lex: &crate::lexicon::Lexicon,
    doc: &Document,
    sentence: &Range<usize>,
) -> usize {
    match sentence.start.checked_sub(1) {
        Some(before) if opens_with_breakdown(lex, doc, sentence.start) => {
            doc.sentence_at(before).start
        }
        _ => sentence.start,
    }
}

/// True when the sentence starting at `start` opens with 其中 (a word of
/// the lexicon's `breakdown` role).
fn opens_with_breakdown(lex: &crate::lexicon::Lexicon, doc: &Document, start: usize) -> bool {
    // A look at the sentence's first bytes only: blanks before it are few.
    let end = crate::diag::floor_char_boundary(&doc.text, start.saturating_add(32));
    doc.text.get(start..end).is_some_and(|s| {
        lex.starts_with(
            crate::lexicon::Role::Breakdown,
            s.trim_start_matches([' ', '\n', '\t']),
        )
    })
}

/// How far (in bytes, about 200 Chinese characters) a subject is carried
/// past where it is named.
pub const CARRY_BYTES: usize = 600;

/// Where subjects are named, as the scan finds them: enough to tell which
/// subject is carried to a clause start, and whether another is named
/// between a carried match's start and its number.
#[derive(Default)]
struct SubjectTrack {
    /// (start, end, subject), in order of end; a name inside a longer one
    /// (高新技术企业 in 国家高新技术企业) gives way to it.
    named: Vec<(usize, usize, usize)>,
}

impl SubjectTrack {
    fn named(&mut self, start: usize, end: usize, subject: usize) {
        if let Some(last) = self.named.last_mut()
            && start < last.1
        {
            if start <= last.0 {
                *last = (start, end, subject);
            }
            return;
        }
        // Names far behind the scan can no longer be carried anywhere.
        if self.named.len() >= 256 {
            let keep_from = start.saturating_sub(2 * CARRY_BYTES);
            let stale = self.named.partition_point(|n| n.1 < keep_from);
            self.named.drain(..stale);
        }
        self.named.push((start, end, subject));
    }

    /// The subject carried to clause start `at`: the last one named before
    /// it in its sentence (not at the sentence's start, and within
    /// [`CARRY_BYTES`]), or in the sentence before when its own opens with
    /// 其中 ([`scope_start`]).
    fn carried_to(
        &self,
        lex: &crate::lexicon::Lexicon,
        doc: &Document,
        at: usize,
    ) -> Option<usize> {
        // Most clause starts are far from any subject: decided without a
        // sentence lookup.
        let last = self.named.last()?;
        if last.1 <= at && at - last.1 > CARRY_BYTES {
            return None;
        }
        let i = self.named.partition_point(|n| n.1 <= at).checked_sub(1)?;
        let (start, end, subject) = self.named[i];
        if at - end > CARRY_BYTES {
            return None;
        }
        let sentence = doc.sentence_at(at);
        let scope = scope_start(lex, doc, &sentence);
        (sentence.start < at && start >= scope && at - end <= CARRY_BYTES).then_some(subject)
    }

    /// Where the subject carried to a clause start was named.
    fn named_before(&self, at: usize) -> Option<Range<usize>> {
        let i = self.named.partition_point(|n| n.1 <= at).checked_sub(1)?;
        Some(self.named[i].0..self.named[i].1)
    }

    /// Another subject than `subject` named in `range`, if any, outside
    /// the `covered` ranges (the rule's own words: 研发经费 in a rule about
    /// 规上企业's R&D names its own topic, not another subject).
    fn other_in(
        &self,
        range: Range<usize>,
        subject: usize,
        covered: &[Range<usize>],
    ) -> Option<(usize, usize)> {
        let i = self.named.partition_point(|n| n.0 < range.start);
        self.named[i..]
            .iter()
            .take_while(|n| n.0 < range.end)
            .filter(|n| !covered.iter().any(|c| c.contains(&n.0)))
            .find(|n| n.2 != subject)
            .map(|n| (n.2, n.0))
    }
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
    /// Where subjects are named.
    subjects: SubjectTrack,
}

impl HitVerifier<'_, '_> {
    /// The carried subject to try at clause start `at`, if one is in force
    /// there and the clause can hold it ([`carry::may_carry`]).
    fn carried_to(&self, at: usize) -> Option<Pending> {
        let subject = self
            .subjects
            .carried_to(&self.program.lexicon, self.doc, at)?;
        let words = self.program.carry_words.get(subject)?;
        carry::may_carry(
            &self.program.lexicon,
            &self.doc.text,
            at,
            words,
            CARRY_HEAD_CHARS,
        )
        .then_some(Pending::Carried { at, subject })
    }

    fn verify_pending(&mut self, p: Option<Pending>) {
        match p {
            Some(Pending::Word(hit)) => self.verify(hit),
            Some(Pending::Carried { at, subject }) => self.verify_carried(at, subject),
            None => {}
        }
    }

    /// Verifies the rules that start with `subject` at clause start `at`,
    /// the subject taken as carried there.
    fn verify_carried(&mut self, at: usize, subject: usize) {
        let (program, doc) = (self.program, self.doc);
        let text = doc.text.as_str();
        let Some(rules) = program.carry_rules.get(subject) else {
            return;
        };
        for &r in rules {
            if self.only.is_some_and(|o| o != r) {
                continue;
            }
            let rule = &program.rules[r];
            let began = self.per_rule.as_ref().map(|_| Instant::now());
            if self.prefilter
                && !(self.near.may_match_within(rule, text, at, at)
                    && self.near.may_follow(rule, at, true))
            {
                continue;
            }
            let carry = matcher::Carry { at, subject };
            match matcher::verify(rule, text, at, Some(carry), &mut self.scratch) {
                Ok(m) => {
                    let attempt = match m.carried {
                        Some(s) => self.check_carried(rule, m, s),
                        None => check_match(&program.lexicon, rule, doc, m, None),
                    };
                    (self.sink)(r, attempt)
                }
                Err(progress) => (self.sink)(
                    r,
                    Attempt::Miss {
                        anchor: at..at,
                        progress,
                    },
                ),
            }
            if let (Some(t), Some(b)) = (self.per_rule.as_deref_mut(), began) {
                t[r] += b.elapsed();
            }
        }
    }

    /// [`check_match`] for a match that took its subject as carried: no
    /// other subject may be named between its start and its number.
    fn check_carried(&self, rule: &CompiledRule, m: RawMatch, subject: usize) -> Attempt {
        // Where the figure's phrase starts: for a from–to phrase, at its
        // earlier figure (the rest of the phrase is the figure's own words).
        let number_start = m
            .captures
            .get(rule.emit_slot)
            .and_then(Option::as_ref)
            .map_or(m.end, |c| {
                c.from
                    .as_ref()
                    .map_or(c.number.range.start, |f| f.number.range.start)
            });
        let covered: Vec<Range<usize>> = m
            .literals
            .iter()
            .zip(&m.literal_ends)
            .map(|(&a, &b)| a..b)
            .collect();
        if let Some((other, at)) = self
            .subjects
            .other_in(m.start..number_start, subject, &covered)
        {
            let name = self
                .program
                .subjects
                .get(other)
                .map_or_else(String::new, |s| s.name.clone());
            return Attempt::Rejected(m, Rejection::OtherSubject { subject: name, at });
        }
        let text = self.doc.text.as_str();
        if let Some(own) =
            carry::own_subject(&self.program.lexicon, text, m.start..number_start, &covered)
        {
            return Attempt::Rejected(
                m,
                Rejection::OtherSubject {
                    subject: text[own.clone()].to_string(),
                    at: own.start,
                },
            );
        }
        // After the number, a word of the clause's own says what the figure
        // is about ("已有5家企业提交了复审资料").
        let clause_end = self.doc.clause_at(number_start).end;
        let after = m.end.min(clause_end)..clause_end;
        if let Some(own) = carry::own_subject_after(&self.program.lexicon, text, after, &covered) {
            return Attempt::Rejected(
                m,
                Rejection::OtherSubject {
                    subject: text[own.clone()].to_string(),
                    at: own.start,
                },
            );
        }
        let named = self.subjects.named_before(m.start);
        // The subject's own clause may hold a veto word too (高企培育库…，新增45家).
        match check_match(
            &self.program.lexicon,
            rule,
            self.doc,
            m,
            named.clone(),
        ) {
            Attempt::Candidate(mut c) => {
                c.carried = named.map(|at| (subject, at.start));
                Attempt::Candidate(c)
            }
            other => other,
        }
    }

    fn verify(&mut self, hit: WordHit) {
        let Some(literal) = hit.anchor else { return };
        let (program, doc) = (self.program, self.doc);
        let text = doc.text.as_str();
        for &r in &program.literal_owners[literal] {
            if self.only.is_some_and(|o| o != r) {
                continue;
            }
            let rule = &program.rules[r];
            // No match passes the anchor at this hit. Its starts are not
            // marked done: a match through a later hit may start there.
            if self.prefilter && !self.near.may_follow(rule, hit.start, false) {
                continue;
            }
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
                match matcher::verify(rule, text, start, None, &mut self.scratch) {
                    Ok(m) => (self.sink)(r, check_match(&program.lexicon, rule, doc, m, None)),
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
/// `also`: a further place whose clause the vetoes look at (where a carried
/// subject was named). (Public for `explain`, which tries what a changed
/// rule would match.)
pub fn check_match(
    lex: &crate::lexicon::Lexicon,
    rule: &CompiledRule,
    doc: &Document,
    m: RawMatch,
    also: Option<Range<usize>>,
) -> Attempt {
    let Some(Some(cap)) = m.captures.get(rule.emit_slot) else {
        return Attempt::Rejected(m, Rejection::Unconvertible);
    };
    let number = cap.number.clone();
    let (from, unit_inferred) = (cap.from.clone(), cap.unit_inferred);
    let phrase = from
        .as_ref()
        .map(|f| f.number.range.start..number.range.end);
    let list = resolve::respectively_list(lex, doc, m.start, &number);
    // A match that reaches over list items is vetoed by words in its head's
    // clause and its number's, not in the items it skipped.
    let spans: [Option<Range<usize>>; 2] = if rule.list_gap {
        [Some(m.start..m.start + 1), Some(number.range.clone())]
    } else {
        [Some(m.start..m.end), None]
    };
    // Where a carried subject was named: from the name to its clause's end,
    // and a veto word that runs into the name from before it (省 of
    // 新增省科技型中小企业652家，累计达到3420家: the subject carried is 省科小).
    let named_at = also.as_ref().map(|a| a.start);
    let named = also.map(|a| {
        let clause = doc.clause_at(a.start);
        let end = clause.end.min(a.start + VETO_WINDOW);
        // When the name's clause has a figure of its own (高新技术企业较上年
        // 净增15家，达到140家), its verb and what follows are about that
        // figure: only the words qualifying the name (高企培育库企业达到80家)
        // are the subject's.
        let end = if doc.text.as_bytes()[a.end.min(end)..end]
            .iter()
            .any(u8::is_ascii_digit)
        {
            name_qualifiers_end(lex, &doc.text, a.end, end)
        } else {
            end
        };
        let start = ceil_char_boundary(&doc.text, a.start.saturating_sub(NAMED_BACK))
            .max(clause.start)
            .min(a.start);
        start..floor_char_boundary(&doc.text, end).max(a.start)
    });
    for (scope, words) in &rule.vetoes {
        let ranges = spans
            .iter()
            .flatten()
            .map(|span| (veto_range(doc, *scope, span.clone()), None))
            .chain(named.clone().map(|r| (r, named_at)));
        for (range, name) in ranges {
            let hay = &doc.text.as_bytes()[range.clone()];
            for w in words {
                // Words of a from–to phrase (由…增长到…) are its verbs, not
                // what the veto is about (同比增长12%). Before a carried
                // subject's name, only a word that runs into it counts.
                let len = w.needle().len();
                let hit = w
                    .find_iter(hay)
                    .map(|i| range.start + i)
                    .filter(|&at| name.is_none_or(|n| at >= n || at + len > n))
                    .find(|&at| !phrase.as_ref().is_some_and(|p| p.contains(&at)));
                if let Some(at) = hit {
                    let i = at - range.start;
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
    }
    let Some((value, upper)) = convert(rule, &number) else {
        return Attempt::Rejected(m, Rejection::Unconvertible);
    };
    // A value outside the rule's bounds is no match of it (a county's
    // 高企 count above `max` is its province's): another rule may take it.
    if rule.bounds.0.is_some_and(|lo| value < lo) || rule.bounds.1.is_some_and(|hi| value > hi) {
        return Attempt::Rejected(m, Rejection::OutOfBounds);
    }
    Attempt::Candidate(Candidate {
        rule: rule.index,
        span: m.start..m.end,
        number,
        value,
        upper,
        literals: m.literals,
        list,
        from,
        carried: None,
        unit_inferred,
    })
}

/// Where the words qualifying a subject's name end: at the first predicate
/// word (达到, 较, 新增 …) or digit after `from`, within `to`.
fn name_qualifiers_end(lex: &crate::lexicon::Lexicon, text: &str, from: usize, to: usize) -> usize {
    let tail = text.get(from..to).unwrap_or("");
    tail.char_indices()
        .find(|&(i, c)| c.is_ascii_digit() || lex.starts_with(crate::lexicon::Role::Predicate, &tail[i..]))
        .map_or(to, |(i, _)| from + i)
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

/// How far (bytes) before a carried subject's name a veto word may start
/// and still run into the name.
const NAMED_BACK: usize = 64;

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
