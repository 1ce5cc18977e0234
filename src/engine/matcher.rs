//! Verifying one rule at one place: a depth-first walk over the rule's
//! instructions with a memo of visited (instruction, position) states.
//!
//! The memo makes the walk polynomial in the window it can reach, and the
//! window is bounded by the pattern's gap and literal bounds, so the total
//! work over a report is linear in its length. The walk keeps the furthest
//! state it reached, which is what `explain` reports for a near miss.
//!
//! Captures and literal positions are not copied from state to state: each
//! state points into a trail of events (a persistent list), and only a
//! successful match walks its trail back. The memo is a bitset over
//! (instruction, offset from the start) when the window is small, the
//! common case, and a hash set otherwise.

use std::collections::HashSet;

use rustc_hash::FxHashMap;

use super::figure::{self, Figure, FromFigure};
use crate::compile::{Accept, CompiledRule, Inst, filter_admits};
use crate::diag::floor_char_boundary;
use crate::text::number::continues_number;
use crate::text::{Number, is_clause_break, is_sentence_break};

/// A capture's value as read from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    /// The number with its unit, as read (for a from–to phrase, the later
    /// figure).
    pub number: Number,
    /// The earlier figure of a from–to phrase.
    pub from: Option<Box<FromFigure>>,
    /// The unit was not written; the capture's own was taken.
    pub unit_inferred: bool,
}

/// Verifying at a clause start that a subject is carried to: the subject
/// instruction may match there without its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Carry {
    /// The clause start.
    pub at: usize,
    /// The subject in force there (index into `Program::subjects`).
    pub subject: usize,
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMatch {
    /// Start of the match (normalized-text byte offset).
    pub start: usize,
    /// End of the match.
    pub end: usize,
    /// Captures by slot.
    pub captures: Vec<Option<Captured>>,
    /// Start of every literal the match went through, in order (used to
    /// order rules that share a 分别 list).
    pub literals: Vec<usize>,
    /// End of every literal the match went through (parallel to `literals`).
    pub literal_ends: Vec<usize>,
    /// The subject the match took as carried from an earlier clause.
    pub carried: Option<usize>,
}

/// How far a failed verification got, for `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// The furthest instruction reached (the one that failed there).
    pub pc: usize,
    /// The earliest text position at which it was tried.
    pub pos: usize,
}

/// Something that happened on the way to a state.
enum Event {
    Literal(usize, usize),
    Capture(usize, u32),
    Carried(usize),
}

/// No parent: the start of every trail.
const ROOT: u32 = u32::MAX;

/// Bitset memos up to this many bits; larger windows use a hash set.
const MAX_BITSET_BITS: usize = 1 << 16;

thread_local! {
    /// The last [`Scratch`], kept for the next scan on this thread.
    static SPARE_SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Scratch {
    /// Scratch space for a scan: this thread's last one, with the room it
    /// grew, when there is one. Give it back with [`Scratch::put_back`].
    pub fn take() -> Scratch {
        let mut scratch: Scratch = SPARE_SCRATCH
            .try_with(|spare| std::mem::take(&mut *spare.borrow_mut()))
            .unwrap_or_default();
        scratch.read_figures.clear();
        scratch
    }

    /// Keeps this scratch space for the next scan on this thread.
    pub fn put_back(self) {
        let _ = SPARE_SCRATCH.try_with(|spare| *spare.borrow_mut() = self);
    }
}

/// Most figures [`Scratch`] keeps read between verifications (the rules
/// anchored near one figure share its reading; more is only memory).
const MAX_READ_FIGURES: usize = 1024;

/// Reusable scratch space, so verifying allocates little.
#[derive(Default)]
pub struct Scratch {
    /// [`RequiredNear`]'s lists, kept between scans.
    required_lists: Vec<Vec<(usize, usize)>>,
    bits: Vec<u64>,
    seen: HashSet<(u32, u32)>,
    trail: Vec<(u32, Event)>,
    stack: Vec<(usize, usize, u32)>,
    /// The figures the walk's captures read, by index from the trail (a
    /// figure is large; the trail stays small and nothing is allocated per
    /// capture).
    figures: Vec<Figure>,
    /// The figures read in one text, by place, before a capture's units are
    /// checked: the rules that try a capture at the same place (a dozen
    /// anchored on one word) read it once.
    read_figures: FxHashMap<usize, Option<Figure>>,
    /// The text `read_figures` is about (its address and length).
    read_in: (usize, usize),
}

/// A memo of visited states for one verification.
struct Memo<'a> {
    scratch_bits: Option<&'a mut Vec<u64>>,
    seen: &'a mut HashSet<(u32, u32)>,
    start: usize,
    stride: usize,
    /// Work done: states looked up, plus memo words cleared.
    steps: u64,
}

impl Drop for Memo<'_> {
    fn drop(&mut self) {
        // The verifier's work goes on the one meter the linearity tests
        // read (`crate::work`).
        crate::work::add(usize::try_from(self.steps).unwrap_or(usize::MAX));
    }
}

impl Memo<'_> {
    /// Marks (pc, pos) visited; false if it already was.
    fn visit(&mut self, pc: usize, pos: usize) -> bool {
        self.steps += 1;
        let off = pos.wrapping_sub(self.start);
        if let Some(bits) = self.scratch_bits.as_deref_mut()
            && off < self.stride
        {
            let i = pc * self.stride + off;
            let (w, b) = (i / 64, 1u64 << (i % 64));
            if bits[w] & b != 0 {
                return false;
            }
            bits[w] |= b;
            return true;
        }
        self.seen.insert((pc as u32, pos as u32))
    }
}

/// Where the words rules require stand, as the scan finds them: the
/// prefilter before the walk asks it whether a rule's words occur near an
/// anchor hit. Occurrences are kept per required *set* (a rule needs one
/// word of each of its sets), so a question costs one lookup per set
/// whatever its number of words. Positions a later hit cannot reach are
/// dropped as the scan moves on, so it holds about a window's worth.
pub struct RequiredNear {
    /// Per required set: (start, length) of its words' occurrences, by
    /// start. A plain vector, its front cut off when pruning.
    sets: Vec<Vec<(usize, usize)>>,
    /// Occurrences recorded since the last pruning.
    since_pruned: usize,
}

/// How many occurrences [`RequiredNear`] records between prunings.
const PRUNE_EVERY: usize = 1024;

impl RequiredNear {
    /// Nothing found yet, for a program's `sets` required sets; the lists
    /// reuse the room `scratch` kept from the last scan (give it back with
    /// [`RequiredNear::give_back`]).
    pub fn new(sets: usize, scratch: &mut Scratch) -> Self {
        let mut lists = std::mem::take(&mut scratch.required_lists);
        lists.resize_with(sets, Default::default);
        for at in &mut lists {
            at.clear();
        }
        RequiredNear {
            sets: lists,
            since_pruned: 0,
        }
    }

    /// Hands the lists back to `scratch`, for the next scan to reuse.
    pub fn give_back(self, scratch: &mut Scratch) {
        scratch.required_lists = self.sets;
    }

    /// Records that a word of `len` bytes, of the sets `in_sets`, occurs at
    /// `start`; every later question is about windows that start at or
    /// after `keep_from`.
    pub fn found(&mut self, in_sets: &[u32], start: usize, len: usize, keep_from: usize) {
        for &s in in_sets {
            if let Some(at) = self.sets.get_mut(s as usize) {
                // Words arrive by end; a longer one may start earlier than
                // the last recorded: keep the list ordered by start.
                let mut i = at.len();
                while i > 0 && at[i - 1].0 > start {
                    i -= 1;
                }
                at.insert(i, (start, len));
            }
        }
        self.since_pruned += 1;
        if self.since_pruned >= PRUNE_EVERY {
            self.since_pruned = 0;
            for at in &mut self.sets {
                let stale = at.partition_point(|&(p, _)| p < keep_from);
                at.drain(..stale);
            }
        }
    }

    /// True when every set `rule` requires after its anchor has a word that
    /// ends within its reach ([`CompiledRule::required_reach`], or
    /// [`CompiledRule::carry_reach`] for a subject carried to `at`) of an
    /// anchor hit at `at`: else no match passes the anchor there.
    pub fn may_follow(&self, rule: &CompiledRule, at: usize, carried: bool) -> bool {
        let reaches = if carried {
            &rule.carry_reach
        } else {
            &rule.required_reach
        };
        rule.required.iter().zip(reaches).all(|(&s, reach)| {
            let Some(reach) = reach else { return true };
            let start = at.saturating_sub(reach.before as usize);
            let end = at.saturating_add(reach.after as usize);
            self.sets.get(s as usize).is_some_and(|found| {
                let i = found.partition_point(|&(p, _)| p < start);
                found[i..]
                    .iter()
                    .take_while(|&&(p, _)| p < end)
                    .any(|&(p, len)| p + len <= end)
            })
        })
    }

    /// True when every set `rule` requires has a word wholly inside the
    /// window that a match starting between `first` and `last` can reach.
    pub fn may_match_within(
        &self,
        rule: &CompiledRule,
        text: &str,
        first: usize,
        last: usize,
    ) -> bool {
        if rule.required.is_empty() {
            return true;
        }
        let end = floor_char_boundary(text, last.saturating_add(rule.max_bytes));
        let first = first.min(end);
        rule.required.iter().all(|&s| {
            self.sets.get(s as usize).is_some_and(|at| {
                let i = at.partition_point(|&(p, _)| p < first);
                at[i..]
                    .iter()
                    .take_while(|&&(p, _)| p < end)
                    .any(|&(p, len)| p + len <= end)
            })
        })
    }
}

/// Tries to match `rule` starting exactly at `start`; with `carry`, a
/// subject may be taken as carried to that clause start.
pub fn verify(
    rule: &CompiledRule,
    text: &str,
    start: usize,
    carry: Option<Carry>,
    scratch: &mut Scratch,
) -> Result<RawMatch, Progress> {
    let Scratch {
        bits,
        seen,
        trail,
        stack,
        figures,
        read_figures,
        read_in,
        ..
    } = scratch;
    let this_text = (text.as_ptr() as usize, text.len());
    // A cache, not a record: past a bound it starts over, so a text of
    // figures without end does not hold one per figure (issue 25: 116 MB
    // for a 1 MB report without punctuation).
    if *read_in != this_text || read_figures.len() >= MAX_READ_FIGURES {
        read_figures.clear();
        *read_in = this_text;
    }
    seen.clear();
    trail.clear();
    stack.clear();
    figures.clear();
    let stride = rule.max_bytes + 1;
    let nbits = stride.saturating_mul(rule.insts.len());
    let use_bits = nbits <= MAX_BITSET_BITS;
    let mut cleared = 0;
    if use_bits {
        let words = nbits.div_ceil(64);
        bits.clear();
        bits.resize(words, 0);
        cleared = words as u64;
    }
    let mut memo = Memo {
        scratch_bits: if use_bits { Some(bits) } else { None },
        seen,
        start,
        stride,
        steps: cleared,
    };
    stack.push((0, start, ROOT));
    let mut furthest = Progress { pc: 0, pos: start };
    while let Some((pc, pos, at)) = stack.pop() {
        if !memo.visit(pc, pos) {
            continue;
        }
        if pc > furthest.pc || (pc == furthest.pc && pos < furthest.pos) {
            furthest = Progress { pc, pos };
        }
        let Some(inst) = rule.insts.get(pc) else {
            continue;
        };
        let rest = &text[pos..];
        match inst {
            Inst::Match => return Ok(collect(rule, trail, figures, at, start, pos)),
            Inst::Lit(words) => {
                // Longest first: push in reverse so the first word is tried first.
                for w in words.iter().rev() {
                    if has_prefix(rest.as_bytes(), w.as_bytes()) {
                        trail.push((at, Event::Literal(pos, pos + w.len())));
                        stack.push((pc + 1, pos + w.len(), (trail.len() - 1) as u32));
                    }
                }
            }
            Inst::Subject { subject, words } => {
                if carry.is_some_and(|c| c.at == pos && c.subject == *subject) {
                    trail.push((at, Event::Carried(*subject)));
                    stack.push((pc + 1, pos, (trail.len() - 1) as u32));
                }
                for w in words.iter().rev() {
                    if has_prefix(rest.as_bytes(), w.as_bytes()) {
                        trail.push((at, Event::Literal(pos, pos + w.len())));
                        stack.push((pc + 1, pos + w.len(), (trail.len() - 1) as u32));
                    }
                }
            }
            Inst::NotAhead(words) => {
                if !words
                    .iter()
                    .any(|w| has_prefix(rest.as_bytes(), w.as_bytes()))
                {
                    stack.push((pc + 1, pos, at));
                }
            }
            Inst::Split(a, b) => {
                stack.push((*b, pos, at));
                stack.push((*a, pos, at));
            }
            Inst::Jmp(a) => stack.push((*a, pos, at)),
            Inst::Gap {
                min,
                max,
                cross_clauses,
                list,
            } => {
                let gap = GapInst {
                    min: *min,
                    max: *max,
                    cross_clauses: *cross_clauses,
                    list: *list,
                };
                push_gap_states(rule, text, carry, gap, (pc, pos, at), stack);
            }
            Inst::Capture { slot, accepts } => {
                let Some(fig) = capture_at(text, pos, accepts, read_figures) else {
                    continue;
                };
                let end = fig.end;
                figures.push(fig);
                trail.push((at, Event::Capture(*slot, (figures.len() - 1) as u32)));
                stack.push((pc + 1, end, (trail.len() - 1) as u32));
            }
        }
    }
    Err(furthest)
}

/// A gap instruction's bounds (`…{min,max}`), copied out of [`Inst::Gap`].
#[derive(Clone, Copy)]
struct GapInst {
    min: u32,
    max: u32,
    cross_clauses: bool,
    list: bool,
}

/// Pushes the states a gap at `(pc, pos, at)` leads to, nearest first on
/// top: every place from `min` to `max` characters on that a word after
/// the gap may start at, within the clause (or the sentence).
#[inline]
fn push_gap_states(
    rule: &CompiledRule,
    text: &str,
    carry: Option<Carry>,
    gap: GapInst,
    (pc, pos, at): (usize, usize, u32),
    stack: &mut Vec<(usize, usize, u32)>,
) {
    let rest = &text[pos..];
    // Lazy: fewest characters first, so push the farthest first.
    let base = stack.len();
    // Where words follow the gap, only the places where one of
    // them may start are worth a state — besides the first
    // place, which keeps how far the walk got the same.
    let next = rule.gap_next.get(pc).copied().flatten();
    let worth = |p: usize, first: bool| {
        first
            || next.is_none_or(|f| {
                carry.is_some_and(|c| c.at == p)
                    || text[p..]
                        .chars()
                        .next()
                        .is_some_and(|ch| filter_admits(&f, ch))
            })
    };
    if gap.min == 0 {
        stack.push((pc + 1, pos, at));
    }
    let mut k = 0u32;
    for (i, c) in rest.char_indices() {
        if k >= gap.max || is_sentence_break(c) {
            break;
        }
        if !gap.cross_clauses
            && is_clause_break(c)
            && !(gap.list
                && ends_with_figure(&text[..pos + i])
                && !opens_new_head(&rest[i + c.len_utf8()..]))
        {
            break;
        }
        k += 1;
        if k >= gap.min {
            let p = pos + i + c.len_utf8();
            if worth(p, stack.len() == base) {
                stack.push((pc + 1, p, at));
            }
            // The earlier half of a from–to phrase (由上年的196家)
            // counts as one character: the verb after it can
            // follow the gap.
            if (c == '由' || c == '从')
                && let Some(e) = figure::from_half_end(text, pos + i)
                && worth(e, stack.len() == base)
            {
                stack.push((pc + 1, e, at));
            }
        }
    }
    stack[base..].reverse();
}

/// The figure a capture reads at `pos`, if one starts there and `accepts`
/// takes it (read once per place, kept in `read_figures`).
#[inline]
fn capture_at(
    text: &str,
    pos: usize,
    accepts: &[Accept],
    read_figures: &mut FxHashMap<usize, Option<Figure>>,
) -> Option<Figure> {
    if text[..pos]
        .chars()
        .next_back()
        .is_some_and(continues_number)
    {
        return None;
    }
    // Digits after digits and a space ("12 34家") are either a
    // group of a number the reader already took whole ("6 100家")
    // or a split it cannot tell: never a figure of their own.
    if text[..pos]
        .strip_suffix(' ')
        .is_some_and(|b| b.ends_with(|c: char| c.is_ascii_digit()))
        && text[pos..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let read = read_figures
        .entry(pos)
        .or_insert_with(|| figure::read_unchecked(text, pos));
    read.as_ref()
        .and_then(|f| figure::accept(text, f.clone(), accepts))
}

/// `rest.starts_with(w)`, rejecting on the first and last byte before
/// comparing the rest: most tries fail, and a library call per try was a
/// visible share of verification.
#[inline]
fn has_prefix(rest: &[u8], w: &[u8]) -> bool {
    match rest.get(..w.len()) {
        Some(head) => head.first() == w.first() && head.last() == w.last() && head == w,
        None => false,
    }
}

/// Walks a successful state's trail back into captures and literal starts.
fn collect(
    rule: &CompiledRule,
    trail: &[(u32, Event)],
    figures: &[Figure],
    mut at: u32,
    start: usize,
    end: usize,
) -> RawMatch {
    let mut captures: Vec<Option<Captured>> = vec![None; rule.captures.len().max(1)];
    let mut literals = Vec::new();
    let mut literal_ends = Vec::new();
    let mut carried = None;
    while at != ROOT {
        let (parent, event) = &trail[at as usize];
        match event {
            Event::Literal(pos, end) => {
                literals.push(*pos);
                literal_ends.push(*end);
            }
            Event::Capture(slot, fig) => {
                let Some(fig) = figures.get(*fig as usize) else {
                    at = *parent;
                    continue;
                };
                if let Some(c) = captures.get_mut(*slot)
                    && c.is_none()
                {
                    *c = Some(Captured {
                        number: fig.number.clone(),
                        from: fig.from.clone().map(Box::new),
                        unit_inferred: fig.unit_inferred,
                    });
                }
            }
            Event::Carried(subject) => carried = Some(*subject),
        }
        at = *parent;
    }
    literals.reverse();
    literal_ends.reverse();
    RawMatch {
        start,
        end,
        captures,
        literals,
        literal_ends,
        carried,
    }
}

/// True when the clause `after` (the text right after a clause mark) opens
/// with a head of its own (the shipped lexicon's `list_head` words: the
/// verifier runs for any rule set), so an item starting with one is not
/// under the head before it ("新增…5家，目前累计…19家，高新技术企业23家":
/// 23 is a stock, not a new one).
fn opens_new_head(after: &str) -> bool {
    let t = after.trim_start_matches(' ');
    crate::lexicon::Lexicon::shipped().starts_with(crate::lexicon::Role::ListHead, t)
}

/// True when `before` ends with a figure (a number, its unit, a qualifier,
/// a closing bracket): the end of an item of an enumeration, which a list
/// gap may reach past.
fn ends_with_figure(before: &str) -> bool {
    let t = before.trim_end_matches([')', '”', '」', '’', ' ']);
    let t = crate::text::units::without_unit_end(t);
    t.chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || crate::text::number::is_common_numeral(c))
}
