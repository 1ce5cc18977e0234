//! Conflict resolution and the 分别 (respectively) pairing.
//!
//! One number in the text becomes at most one fact: among the candidates
//! that claim it, the higher priority wins, then the longer match (more
//! specific), then the earlier rule. Ties are therefore never left to the
//! order of a hash map or of threads.

use rustc_hash::{FxHashMap, FxHashSet};
use std::ops::Range;

use rust_decimal::Decimal;

use super::{Candidate, Fact, Reading, Scope, infer};
use crate::compile::{CompiledRule, Program};
use crate::lexicon::{Lexicon, Role};
use crate::syntax::ast::Status;
use crate::text::{Document, Number, Qualifier, read_number};

/// The length of the item separator `text` starts with: 、 or a word of
/// the lexicon's `series` role (和, 及 …).
fn separator_at(lex: &Lexicon, text: &str) -> Option<usize> {
    if text.starts_with('、') {
        return Some('、'.len_utf8());
    }
    lex.starts(Role::Series, text)
}

/// True when `text` ends with an item separator (、 or a `series` word).
fn ends_with_separator(lex: &Lexicon, text: &str) -> bool {
    text.ends_with('、') || lex.ends_with(Role::Series, text)
}

/// Resolves candidates to facts, ordered by position.
pub fn resolve(program: &Program, doc: &Document, mut candidates: Vec<Candidate>) -> Vec<Fact> {
    pair_respectively(program, doc, &mut candidates);
    Settler::new(doc).settle(program, doc, candidates)
}

/// The second half of [`resolve`], for candidates already paired with
/// their 分别 item, fed in batches: every batch must hold all the
/// candidates of its numbers, and batches must come in text order. The
/// engine settles a long sentence as its scan moves on, so that a report
/// without punctuation does not hold all its candidates at once.
pub struct Settler {
    report_year: Option<i32>,
    /// (indicator, value, sentence start) already given a fact → the rule
    /// that took it and where its number starts.
    seen: Seen,
    /// Every candidate dropped, and why, when recording ([`Settler::recording`]).
    drops: Option<Vec<Drop>>,
}

/// How far apart two facts of one indicator, value and sentence may stand
/// and still be one fact. Far more than any sentence a report writes; a
/// "sentence" longer than this is a report without punctuation, whose
/// facts the settler must not all remember (issue 25, item 11).
pub const DEDUPE_BYTES: usize = 64 << 10;

/// A fact's key: (indicator, value, sentence start).
type SeenKey = (usize, Decimal, usize);

/// The keys given a fact, with the rule that took it and where its number
/// starts; forgotten once the settling is more than [`DEDUPE_BYTES`] past
/// them.
#[derive(Default)]
struct Seen {
    at: FxHashMap<SeenKey, (usize, usize)>,
    order: std::collections::VecDeque<(usize, SeenKey)>,
}

impl Seen {
    /// The rule and place that took `key` within [`DEDUPE_BYTES`] before
    /// `now`.
    fn get(&self, key: &SeenKey, now: usize) -> Option<(usize, usize)> {
        self.at
            .get(key)
            .copied()
            .filter(|&(_, was)| now.saturating_sub(was) <= DEDUPE_BYTES)
    }

    /// Records that `rule` took `key` at `at`.
    fn insert(&mut self, key: SeenKey, (rule, at): (usize, usize)) {
        self.at.insert(key, (rule, at));
        self.order.push_back((at, key));
    }

    /// Forgets `key` (its fact gave way to a wider one).
    fn remove(&mut self, key: &SeenKey) {
        self.at.remove(key);
    }

    /// Forgets what stands more than [`DEDUPE_BYTES`] before `low`.
    fn prune(&mut self, low: usize) {
        while let Some(&(at, key)) = self.order.front() {
            if at.saturating_add(DEDUPE_BYTES) >= low {
                break;
            }
            self.order.pop_front();
            if self.at.get(&key).is_some_and(|&(_, was)| was == at) {
                self.at.remove(&key);
            }
        }
    }
}

/// Why the resolver dropped a candidate (or a fact it had made from one),
/// recorded where it decided: `explain` and `zhibiao test` print this and
/// work nothing out again. Rules are indices into [`Program::rules`];
/// places are byte offsets of a number's start in the normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// Another candidate won the number.
    Outranked {
        /// The winning rule.
        winner: usize,
        /// The winner's match.
        span: Range<usize>,
        /// What decided ([`outranks`]).
        by: Outrank,
    },
    /// A wider area's figure (全国, or 全省 in a city's report): [`wider_area`].
    WiderArea {
        /// The word that says so.
        word: &'static str,
    },
    /// A part of a figure before it (a 其中 breakdown), not a fact of its own.
    PartOf {
        /// The rule that took the whole.
        rule: usize,
        /// Where the whole's number starts.
        at: usize,
    },
    /// A whole that gave way to the figure after its 其中: the region's own
    /// beside a wider total (全省900家，其中我市70家), or the part that passed
    /// what the whole applied for (评价60家，其中23家通过).
    GaveWayToPart {
        /// The rule that took the part.
        rule: usize,
        /// Where the part's number starts.
        at: usize,
        /// The word that decided (我市, 通过 …).
        word: &'static str,
        /// Why the part is the figure.
        kind: PartWins,
    },
    /// A part (其中 …) naming a place inside the region, whose whole the
    /// text gave in another form or not at all.
    NamedPlace,
    /// The rule is a trap (`emit none`): it won its number and gives no fact.
    Trap,
    /// The same fact (indicator, value) was already taken in the sentence.
    SameFact {
        /// The rule that took it.
        rule: usize,
        /// Where its number starts.
        at: usize,
    },
    /// A threshold (突破200家) whose sentence gives the same indicator's
    /// exact figure above it (达208家).
    Threshold {
        /// The rule that took the exact figure.
        rule: usize,
        /// Where the exact figure's number starts.
        at: usize,
        /// The exact figure.
        value: Decimal,
    },
}

/// Why the figure after a 其中 is taken instead of its whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartWins {
    /// The part is the region's own (我市 …) beside a wider total.
    OwnRegion,
    /// The part passed what the whole applied for (评价60家，其中23家通过).
    Passed,
    /// The part is the first-time ones of a mixed count (其中首次 …).
    FirstTime,
}

/// Which of the three tie-breakers decided between two candidates for one
/// number ([`outranks`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outrank {
    /// The winner's rule has the higher priority.
    Priority,
    /// Same priority; the winner's match is longer (more specific).
    Longer,
    /// Priority and length tie; the winner's rule is defined earlier.
    Earlier,
}

/// One dropped candidate: its rule and number, and why ([`Dropped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drop {
    /// The candidate's rule.
    pub rule: usize,
    /// The candidate's number.
    pub number: Range<usize>,
    /// Why it was dropped.
    pub why: Dropped,
}

impl Settler {
    /// A settler for one report (or one block of it).
    pub fn new(doc: &Document) -> Self {
        Settler {
            report_year: doc.report_year,
            seen: Seen::default(),
            drops: None,
        }
    }

    /// A settler that records every drop ([`Settler::take_drops`]), for
    /// `explain` and `zhibiao test`; `run` does not record.
    pub fn recording(doc: &Document) -> Self {
        Settler {
            drops: Some(Vec::new()),
            ..Settler::new(doc)
        }
    }

    /// The drops recorded so far (empty unless [`Settler::recording`]).
    pub fn take_drops(&mut self) -> Vec<Drop> {
        self.drops.as_mut().map(std::mem::take).unwrap_or_default()
    }

    fn record(&mut self, rule: usize, number: Range<usize>, why: Dropped) {
        if let Some(d) = &mut self.drops {
            d.push(Drop { rule, number, why });
        }
    }

    /// One winner per number (higher priority, then the longer match, then
    /// the earlier rule), then one fact per indicator, value and sentence,
    /// with status, year and months inferred.
    pub fn settle(
        &mut self,
        program: &Program,
        doc: &Document,
        candidates: Vec<Candidate>,
    ) -> Vec<Fact> {
        if let Some(low) = candidates.iter().map(|c| c.number.range.start).min() {
            self.seen.prune(low);
        }
        let winners = self.winners(program, candidates);
        let mut facts: Vec<Fact> = Vec::with_capacity(winners.len());
        for c in winners {
            let rule = &program.rules[c.rule];
            // A trap (`emit none`) won the number from the rules that would
            // misread it, and gives no fact itself.
            if rule.trap {
                self.record(c.rule, c.number.range.clone(), Dropped::Trap);
                continue;
            }
            // With `--all-regions` (`doc.keep_parts`) a wider area's figure
            // and a named part's are kept, with their scope.
            let mut scope = Scope::Own;
            if let Some(word) = wider_area(&program.lexicon, doc, &c) {
                if !doc.keep_parts {
                    self.record(c.rule, c.number.range.clone(), Dropped::WiderArea { word });
                    continue;
                }
                scope = Scope::Wider { word };
            }
            let sentence = doc.sentence_at(c.number.range.start);
            let named = || {
                doc.keep_parts
                    .then(|| breakdown_place(&program.lexicon, doc, c.number.range.start))
                    .flatten()
            };
            match part_of(
                &program.lexicon,
                doc,
                &facts,
                &rule.indicator,
                &c,
                super::scope_start(&program.lexicon, doc, &sentence),
            ) {
                Part::Own => {}
                Part::Of(whole) => {
                    if let Some(place) = named() {
                        scope = Scope::Part { place };
                    } else {
                        let w = &facts[whole];
                        let why = Dropped::PartOf {
                            rule: w.rule,
                            at: w.number_span.start,
                        };
                        self.record(c.rule, c.number.range.clone(), why);
                        continue;
                    }
                }
                Part::Named => {
                    if let Some(place) = named() {
                        scope = Scope::Part { place };
                    } else {
                        self.record(c.rule, c.number.range.clone(), Dropped::NamedPlace);
                        continue;
                    }
                }
                Part::Wider(whole, _, PartWins::OwnRegion)
                    if doc.keep_parts
                        && let Some(word) = wider_word(&program.lexicon, doc, &facts[whole]) =>
                {
                    // The whole is a wider area's figure: kept as one.
                    facts[whole].scope = Scope::Wider { word };
                }
                Part::Wider(whole, word, kind) => {
                    let gone = facts.remove(whole);
                    let key = program.rules[gone.rule].indicator_index;
                    self.seen.remove(&(key, gone.value, gone.sentence.start));
                    let why = Dropped::GaveWayToPart {
                        rule: c.rule,
                        at: c.number.range.start,
                        word,
                        kind,
                    };
                    self.record(gone.rule, gone.number_span, why);
                }
            }
            if let Some((r, at)) = self.seen.get(
                &(rule.indicator_index, c.value.normalize(), sentence.start),
                c.number.range.start,
            ) {
                let why = Dropped::SameFact { rule: r, at };
                self.record(c.rule, c.number.range.clone(), why);
                continue;
            }
            self.seen.insert(
                (rule.indicator_index, c.value.normalize(), sentence.start),
                (c.rule, c.number.range.start),
            );
            let ratio = rule.unit.kind == crate::text::UnitKind::Percent;
            let ctx = infer::infer(
                &program.lexicon,
                doc,
                self.report_year,
                c.number.range.start,
                rule.status,
                ratio,
            );
            let earlier = c.from.as_ref().map(|f| f.number.range.clone());
            facts.push(Fact {
                rule: c.rule,
                indicator: rule.indicator.clone(),
                value: c.value.normalize(),
                upper: c.upper.map(|u| u.normalize()),
                unit: rule.unit.text,
                qualifier: c.number.qualifier,
                status: ctx.status,
                year: ctx.year,
                months: ctx.months,
                span: c.span.start.min(c.number.range.start)..c.span.end.max(c.number.range.end),
                number_span: c.number.range.clone(),
                sentence: sentence.clone(),
                reading: Reading {
                    carried: c.carried,
                    from_to: earlier,
                    earlier_of: None,
                    unit_inferred: c.unit_inferred,
                    row_of: None,
                },
                scope,
            });
            self.earlier_facts(rule, &c, &sentence, &mut facts);
        }
        self.spread_rows(program, doc, &mut facts);
        facts.sort_by_key(|f| (f.number_span.start, f.rule));
        for (gone, exact) in drop_thresholds(doc, &mut facts) {
            let why = Dropped::Threshold {
                rule: exact.rule,
                at: exact.number_span.start,
                value: exact.value,
            };
            self.record(gone.rule, gone.number_span, why);
        }
        facts
    }

    /// One winner per number (higher priority, then the longer match, then
    /// the earlier rule), in text order; each loser is recorded with the
    /// tie-breaker that beat it.
    fn winners(&mut self, program: &Program, candidates: Vec<Candidate>) -> Vec<Candidate> {
        let mut best: FxHashMap<(usize, usize), Candidate> = FxHashMap::default();
        let recording = self.drops.is_some();
        let mut losers = Vec::new();
        for c in candidates {
            let key = (c.number.range.start, c.number.range.end);
            match best.get(&key) {
                Some(old) if !beats(program, &c, old) => {
                    if recording {
                        losers.push(c);
                    }
                }
                _ => {
                    if let Some(old) = best.insert(key, c)
                        && recording
                    {
                        losers.push(old);
                    }
                }
            }
        }
        for l in losers {
            let key = (l.number.range.start, l.number.range.end);
            if let Some(w) = best.get(&key) {
                // Two matches of one rule on one number tie on everything
                // but length: the first found stays.
                let by = outranks(program, w, &l).unwrap_or(Outrank::Longer);
                let why = Dropped::Outranked {
                    winner: w.rule,
                    span: w.span.clone(),
                    by,
                };
                self.record(l.rule, l.number.range.clone(), why);
            }
        }
        let mut winners: Vec<Candidate> = best.into_values().collect();
        winners.sort_by_key(|c| (c.number.range.start, c.rule));
        winners
    }

    /// Adds the earlier figures of `c`'s from–to phrase (or series) to
    /// `facts`, as facts of their own, when the text names their year.
    fn earlier_facts(
        &mut self,
        rule: &CompiledRule,
        c: &Candidate,
        sentence: &Range<usize>,
        facts: &mut Vec<Fact>,
    ) {
        // The earlier figures of a from–to phrase (or series) are facts
        // of their own when the text names their year
        // (从2018年的860家增长到…, …2019年的48家、2020年的102家和…).
        if let Some(from) = &c.from {
            for step in std::iter::once(from.as_ref()).chain(&from.steps) {
                let Some(year) = step.year else { continue };
                let Some((value, upper)) = super::convert(rule, &step.number) else {
                    continue;
                };
                let key = (rule.indicator_index, value.normalize(), sentence.start);
                if self.seen.get(&key, step.number.range.start).is_some() {
                    continue;
                }
                self.seen.insert(key, (c.rule, step.number.range.start));
                facts.push(Fact {
                    rule: c.rule,
                    indicator: rule.indicator.clone(),
                    value: value.normalize(),
                    upper: upper.map(|u| u.normalize()),
                    unit: rule.unit.text,
                    qualifier: step.number.qualifier,
                    status: Status::Actual,
                    year: Some(year),
                    months: None,
                    span: step.number.range.clone(),
                    number_span: step.number.range.clone(),
                    sentence: sentence.clone(),
                    reading: Reading {
                        earlier_of: Some(c.number.range.clone()),
                        ..Reading::default()
                    },
                    scope: Scope::Own,
                });
            }
        }
    }

    /// A figure a rule took in a table cell gives its row's other figures
    /// too: a cell that holds nothing but a figure in a compatible unit,
    /// later in the row ("新增高新技术企业 | 30家 | 36家": 36 is the same
    /// indicator's, with its column's status — the goal, then the result).
    fn spread_rows(&mut self, program: &Program, doc: &Document, facts: &mut Vec<Fact>) {
        if doc.table_cells.is_empty() {
            return;
        }
        let taken: FxHashSet<usize> = facts.iter().map(|f| f.number_span.start).collect();
        let mut more = Vec::new();
        for f in facts.iter() {
            if f.reading.row_of.is_some() || f.reading.earlier_of.is_some() {
                continue;
            }
            let Some(cell) = doc.table_cell_at(f.number_span.start) else {
                continue;
            };
            let rule = &program.rules[f.rule];
            let i = doc
                .table_cells
                .partition_point(|c| c.range.start <= cell.range.start);
            for other in doc.table_cells[i..]
                .iter()
                .take_while(|c| c.row == cell.row)
            {
                let Some(n) = read_number(&doc.text, other.range.start) else {
                    continue;
                };
                if n.unit.is_none()
                    || n.range.end != other.range.end
                    || taken.contains(&n.range.start)
                {
                    continue;
                }
                let Some((value, upper)) = super::convert(rule, &n) else {
                    continue;
                };
                let sentence = doc.sentence_at(n.range.start);
                let key = (rule.indicator_index, value.normalize(), sentence.start);
                if self.seen.get(&key, n.range.start).is_some() {
                    continue;
                }
                self.seen.insert(key, (f.rule, n.range.start));
                let ratio = rule.unit.kind == crate::text::UnitKind::Percent;
                let ctx = infer::infer(
                    &program.lexicon,
                    doc,
                    self.report_year,
                    n.range.start,
                    rule.status,
                    ratio,
                );
                more.push(Fact {
                    rule: f.rule,
                    indicator: f.indicator.clone(),
                    value: value.normalize(),
                    upper: upper.map(|u| u.normalize()),
                    unit: rule.unit.text,
                    qualifier: n.qualifier,
                    status: ctx.status,
                    year: ctx.year,
                    months: ctx.months,
                    span: n.range.clone(),
                    number_span: n.range.clone(),
                    sentence: sentence.clone(),
                    reading: Reading {
                        row_of: Some(f.number_span.clone()),
                        ..Reading::default()
                    },
                    scope: f.scope.clone(),
                });
            }
        }
        facts.extend(more);
    }
}

/// Drops actual figures given only as a threshold (突破200家, 6.5%以上)
/// when the same sentence gives the same indicator's exact figure above it
/// ("入库企业突破200家，达208家" is 208), or when the threshold stands in a
/// headline (a line of its own without a sentence mark, as a title) and
/// the body after it ([`HEADLINE_REACH`]) gives the exact figure
/// ("高企总数突破200家" over a body that says 达209家). Figures before a
/// headline never outrank it. Returns each fact dropped with the exact figure
/// that outranked it.
fn drop_thresholds(doc: &Document, facts: &mut Vec<Fact>) -> Vec<(Fact, Fact)> {
    // Facts come in text order: a sentence's facts stand together, and a
    // fact is compared with its own sentence's only (a headline's with
    // those after it).
    let exact_above = |i: usize| {
        let f = &facts[i];
        let headline = is_figure_headline(doc, &f.sentence);
        let same_sentence = |g: &&Fact| g.sentence.start == f.sentence.start;
        // A headline's figure gives way to the body's after it, within
        // [`HEADLINE_REACH`] (never to figures before it, nor further on:
        // what a block or a settling batch holds must decide nothing, and
        // `blocks_of` and the settler keep a headline with its body).
        let body = |g: &&Fact| {
            same_sentence(g)
                || (headline
                    && g.sentence.start > f.sentence.end
                    && g.sentence.start <= f.sentence.end + HEADLINE_REACH)
        };
        // Within a few dozen facts: a sentence may be the whole report.
        let before = facts[..i]
            .iter()
            .rev()
            .take(BREAKDOWN_FACTS)
            .take_while(same_sentence);
        let after = facts[i + 1..].iter().take(BREAKDOWN_FACTS).take_while(body);
        before.chain(after).find(|g| {
            g.indicator == f.indicator
                && g.status == Status::Actual
                && matches!(g.qualifier, Qualifier::Exact | Qualifier::About)
                && g.value > f.value
        })
    };
    let drop: Vec<Option<Fact>> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| {
            if f.status == Status::Actual && f.qualifier == Qualifier::MoreThan {
                exact_above(i).cloned()
            } else {
                None
            }
        })
        .collect();
    if drop.iter().all(Option::is_none) {
        return Vec::new();
    }
    let mut dropped = Vec::new();
    let mut kept = Vec::with_capacity(facts.len());
    for (f, exact) in std::mem::take(facts).into_iter().zip(drop) {
        match exact {
            Some(e) => dropped.push((f, e)),
            None => kept.push(f),
        }
    }
    *facts = kept;
    dropped
}

/// True when `sentence` is a headline: a line of its own (a line break
/// before and after it) that ends without a sentence mark and is short.
/// How far (bytes) after a headline's line break its body runs: the text
/// whose exact figure a headline's threshold gives way to (a title, a
/// date or source line, then the article's first paragraphs).
pub const HEADLINE_REACH: usize = 1500;

/// The nearest headline (see [`is_headline`]) that ends at most
/// [`HEADLINE_REACH`] bytes before `pos`, `pos` lying after its line break:
/// the body a headline's threshold gives way to. Reads at most that many
/// bytes back, so asking per block or batch stays linear.
pub(crate) fn headline_before(doc: &Document, pos: usize) -> Option<Range<usize>> {
    let text = doc.text.as_bytes();
    let pos = pos.min(text.len());
    let from = pos.saturating_sub(HEADLINE_REACH);
    for nl in memchr::memrchr_iter(b'\n', &text[from..pos]).map(|i| from + i) {
        if nl == 0 {
            break;
        }
        let sentence = doc.sentence_at(nl - 1);
        if sentence.end <= nl && is_figure_headline(doc, &sentence) {
            return Some(sentence);
        }
    }
    None
}

/// Where settling or a block may end at or before `pos` without parting a
/// headline from its body ([`headline_before`]): the headline's start when
/// `pos` lies in it or in its body, else `pos`.
pub(crate) fn cut_before_headline(doc: &Document, pos: usize) -> usize {
    if pos >= doc.text.len() {
        return pos;
    }
    let mut cut = pos;
    // A headline's start may lie in an earlier headline's body: step back
    // a few times (each step reads at most HEADLINE_REACH bytes; a page of
    // short lines without marks is a table, not a run of headlines).
    for _ in 0..HEADLINE_STEPS {
        let here = doc.sentence_at(cut);
        let back = match headline_before(doc, cut) {
            Some(h) => h.start,
            None if here.start < cut && is_figure_headline(doc, &here) => here.start,
            None => break,
        };
        if back >= cut {
            break;
        }
        cut = back;
    }
    cut
}

/// How many headlines [`cut_before_headline`] steps back over at most.
const HEADLINE_STEPS: usize = 8;

/// A headline ([`is_headline`]) holding a threshold (突破300家, 200余家,
/// 5亿元以上: a number read with the "more than" qualifier): only such a
/// one can give way to its body, so only it is kept with its body (a
/// title, a section heading or a metadata row is not).
fn is_figure_headline(doc: &Document, sentence: &Range<usize>) -> bool {
    let Some(s) = doc.text.get(sentence.clone()) else {
        return false;
    };
    // Headlines are short (≤ 60 characters): each digit run, with the
    // word before it (突破, 超过, 逾) or after it (以上, 余).
    let threshold = s.char_indices().any(|(i, c)| {
        c.is_ascii_digit()
            && !s[..i].ends_with(|c: char| c.is_ascii_digit() || c == '.')
            && (crate::text::number::QUALIFIERS_BEFORE
                .iter()
                .any(|(w, q)| *q == Qualifier::MoreThan && s[..i].ends_with(w))
                || read_number(s, i).is_some_and(|n| n.qualifier == Qualifier::MoreThan))
    });
    threshold && is_headline(doc, sentence)
}

fn is_headline(doc: &Document, sentence: &Range<usize>) -> bool {
    let text = doc.text.as_str();
    let Some(s) = text.get(sentence.clone()) else {
        return false;
    };
    let line_before = sentence.start == 0 || text[..sentence.start].ends_with('\n');
    let line_after = text[sentence.end..].starts_with('\n') || sentence.end == text.len();
    let no_mark = !s
        .trim_end()
        .ends_with(|c: char| crate::text::is_sentence_break(c) && c != '\n');
    line_before && line_after && no_mark && s.chars().count() <= 60
}

/// Whether a figure is the region's own, a part of a figure before it, or
/// the region's own beside a wider total before it.
enum Part {
    /// Nothing before it in the sentence says otherwise.
    Own,
    /// `…新增高企20家，其中第一批12家`: a part of the fact at this index.
    Of(usize),
    /// `全省入库900家，其中我市70家`: the fact at this index is the wider
    /// total, and this one is the region's own (or the part that passed
    /// what the whole applied for, or the first-time part of a mixed
    /// count); with the word that decided.
    Wider(usize, &'static str, PartWins),
    /// `…。其中，某某县完成…15亿元`: a named place inside the region, whose
    /// whole the text gave in another form (or not at all).
    Named,
}

/// How far (bytes) a 其中 breakdown looks back from a part to its whole, and
/// how much text around them it reads: a breakdown follows its whole closely
/// ("新增20家，其中第一批12家"), and the bound keeps settling linear in one
/// endless sentence (every figure would otherwise rescan it from its start).
const BREAKDOWN_REACH: usize = 600;
/// How many of the sentence's facts a part looks back over for its whole
/// (and a threshold looks around for its exact figure).
const BREAKDOWN_FACTS: usize = 64;

/// The text of `range`, cut to at most [`BREAKDOWN_REACH`] bytes at the end
/// (`keep_end`) or at the start, on character boundaries.
fn near(text: &str, range: std::ops::Range<usize>, keep_end: bool) -> &str {
    let end = range.end.min(text.len());
    let (start, end) = if end.saturating_sub(range.start) <= BREAKDOWN_REACH {
        (range.start, end)
    } else if keep_end {
        (
            crate::diag::ceil_char_boundary(text, end - BREAKDOWN_REACH),
            end,
        )
    } else {
        let cut = crate::diag::floor_char_boundary(text, range.start + BREAKDOWN_REACH);
        (range.start, cut)
    };
    text.get(start..end).unwrap_or("")
}

/// The word that makes a candidate's figure a wider area's than the
/// report's own, if any: 全国 opening the number's clause, or 全省 (我省) in
/// a report of a city, county or district ("全省高新技术企业总数达到2.1万
/// 家，我市占5.2%"). (Public for `explain`.)
pub fn wider_area(lex: &Lexicon, doc: &Document, c: &Candidate) -> Option<&'static str> {
    let clause = doc.clause_at(c.number.range.start);
    // The clause opens with the area: it is what the clause is about
    // ("在全省率先突破50亿元" is the report's own figure).
    // And the rule's own words do not hold it (全国科技型中小企业 names a
    // national programme the region's firms enter).
    let full = doc.text.get(clause.start..c.number.range.start)?;
    let head = full.trim_start();
    let at = clause.start + (full.len() - head.len());
    if c.span.start <= at {
        return None;
    }
    lex.words(Role::Nation)
        .find(|w| head.starts_with(w))
        .or_else(|| {
            lex.words(Role::ProvinceSelf)
                .find(|w| head.starts_with(w))
                .filter(|_| doc.below_province())
        })
}

/// Decides [`Part`] for a winner: a figure after a 其中 that follows a fact
/// of the same indicator in its sentence (or, when its sentence opens with
/// 其中, the sentence before), within [`BREAKDOWN_REACH`].
fn part_of(
    lex: &Lexicon,
    doc: &Document,
    facts: &[Fact],
    indicator: &str,
    c: &Candidate,
    sentence_start: usize,
) -> Part {
    // Facts come in text order: only the scope's own are looked at.
    let own_sentence = facts
        .iter()
        .rev()
        .take(BREAKDOWN_FACTS)
        .take_while(|f| f.sentence.start >= sentence_start)
        .count();
    let from = facts.len() - own_sentence;
    let Some(whole) = facts[from..]
        .iter()
        .rposition(|f| {
            f.indicator == indicator
                // A part kept with `--all-regions` is no whole.
                && f.scope == Scope::Own
                && f.sentence.start >= sentence_start
                && f.number_span.end <= c.number.range.start
        })
        .map(|i| from + i)
    else {
        return if breakdown_names_a_place(lex, doc, c.number.range.start) {
            Part::Named
        } else {
            Part::Own
        };
    };
    if c.number.range.start - facts[whole].number_span.end > BREAKDOWN_REACH {
        return Part::Own;
    }
    // A 其中 after the whole opens its breakdown: every figure after it in
    // the sentence is a part ("新增20家，其中第一批12家，第二批8家").
    let between = doc
        .text
        .get(facts[whole].number_span.end..c.number.range.start)
        .unwrap_or("");
    let Some(at) = lex
        .words(Role::Breakdown)
        .filter_map(|w| between.find(w))
        .min()
    else {
        return Part::Own;
    };
    let head = &between[at..];
    let own = lex.words(Role::OwnRegion).find(|w| head.contains(*w));
    let whole_clause = doc.clause_at(facts[whole].number_span.start);
    let whole_text = near(
        &doc.text,
        doc.sentence_at(whole_clause.start).start..whole_clause.end,
        true,
    );
    // The part's own clause, to its end: what the part did.
    let part_text = near(
        &doc.text,
        c.number.range.start..doc.clause_at(c.number.range.start).end,
        false,
    );
    // "我市", "本县" name the reporting region itself: the whole is wider.
    let explicit_own = lex
        .words(Role::OwnRegion)
        .filter(|w| w.starts_with('我') || w.starts_with('本'))
        .find(|w| head.contains(*w));
    // "评价60家，其中23家通过评价": the whole went through a process, the
    // part passed it — the part is the figure.
    let passed = lex
        .words(Role::Passed)
        .find(|w| part_text.contains(*w) || head.contains(*w));
    let process = lex.contains(Role::Process, whole_text);
    // "23家通过认定，其中首次通过认定的14家": the whole mixes first and
    // renewed certifications, the part is the new ones.
    let first_time = lex
        .words(Role::FirstTime)
        .find(|w| head.contains(*w))
        .filter(|_| !lex.contains(Role::FirstTime, whole_text));
    let wider = own.filter(|_| lex.contains(Role::WiderArea, whole_text));
    let decided = explicit_own
        .or(wider)
        .map(|w| (w, PartWins::OwnRegion))
        .or(passed.filter(|_| process).map(|w| (w, PartWins::Passed)))
        .or(first_time.map(|w| (w, PartWins::FirstTime)));
    match decided {
        Some((word, kind)) => Part::Wider(whole, word, kind),
        None => Part::Of(whole),
    }
}

/// The wider area's word (全省, 全国) in the sentence of a whole that gave
/// way to its region's own part (全省入库900家，其中我市70家).
fn wider_word(lex: &Lexicon, doc: &Document, whole: &Fact) -> Option<&'static str> {
    let text = near(
        &doc.text,
        whole.sentence.start..whole.number_span.start,
        true,
    );
    lex.words(Role::WiderArea).find(|w| text.contains(*w))
}

/// True when the figure at `at` stands in a 其中 breakdown that names a
/// place of its own (其中，某某县…, 其中某区…): a part of the region, not
/// the region, whether or not its whole was read. The place is a name of
/// one to six characters ending in a `division_end` word of the lexicon
/// (县, 区, 镇 …), before any digit; the region's own names (全县, 我市,
/// 本区 …) are not a part.
fn breakdown_names_a_place(lex: &Lexicon, doc: &Document, at: usize) -> bool {
    breakdown_head(lex, doc, at).is_some_and(|(rest, _)| place_at(lex, rest).is_some())
}

/// The place a 其中 breakdown names for the figure at `at` (`--all-regions`):
/// the name opening the breakdown (其中，衡东县…), or, in a list of parts
/// (其中衡东县30家、衡南县25家), the name opening the figure's own item.
/// A normalized-text byte range.
pub fn breakdown_place(lex: &Lexicon, doc: &Document, at: usize) -> Option<Range<usize>> {
    let (rest, offset) = breakdown_head(lex, doc, at)?;
    let first = place_at(lex, rest)?;
    // The figure's own item: after the last list mark before it.
    let item = rest
        .rfind(['、', ',', ';', '，', '；'])
        .map(|i| i + rest[i..].chars().next().map_or(1, char::len_utf8));
    let own = item
        .and_then(|i| place_at(lex, &rest[i..]).map(|r| i + r.start..i + r.end))
        .unwrap_or(first);
    Some(offset + own.start..offset + own.end)
}

/// The text after the 其中 of the breakdown the figure at `at` stands in,
/// up to the figure, and its offset in the text; `None` when the figure is
/// in no breakdown, or the breakdown opens with the region's own name.
fn breakdown_head<'d>(lex: &Lexicon, doc: &'d Document, at: usize) -> Option<(&'d str, usize)> {
    let clause = doc.clause_at(at);
    // The 其中 opens the number's clause or the one before it (其中，X县…).
    let from = doc
        .text
        .get(..clause.start)
        .and_then(|t| t.char_indices().next_back())
        .map_or(clause.start, |(i, _)| doc.clause_at(i).start);
    let head = doc.text.get(from..at)?;
    let (i, len) = lex
        .words(Role::Breakdown)
        .filter_map(|w| head.find(w).map(|i| (i, w.len())))
        .min()?;
    let after = &head[i + len..];
    let rest = after.trim_start_matches([',', ':', ' ']);
    if lex.starts_with(Role::OwnRegion, rest) || rest.starts_with(['全', '我', '本']) {
        return None;
    }
    Some((rest, from + i + len + (after.len() - rest.len())))
}

/// The place name opening `rest`: one to six Chinese characters ending in
/// a division word (县级/区级 is a level, not a place), as a byte range.
fn place_at(lex: &Lexicon, rest: &str) -> Option<Range<usize>> {
    for (k, (j, ch)) in rest.char_indices().enumerate() {
        if k >= 7 || !crate::text::is_han(ch) {
            return None;
        }
        if k >= 1
            && let Some(end) = lex.word_at(Role::DivisionEnd, &rest[j..])
        {
            // 县级/区级/市级 is a level, not a place.
            let end = j + end.len();
            return (!rest[end..].starts_with(['级', '属', '直', '本'])).then_some(0..end);
        }
    }
    None
}

/// True when candidate `a` wins over `b` for the same number: higher
/// priority, then the longer match, then the earlier rule ([`outranks`]).
pub fn beats(program: &Program, a: &Candidate, b: &Candidate) -> bool {
    outranks(program, a, b).is_some()
}

/// Which tie-breaker makes candidate `a` win over `b` for the same number
/// (higher priority, then the longer match, then the earlier rule), or
/// `None` when `a` does not win. The one place this order is decided.
pub fn outranks(program: &Program, a: &Candidate, b: &Candidate) -> Option<Outrank> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (ra, rb) = (&program.rules[a.rule], &program.rules[b.rule]);
    match ra.priority.cmp(&rb.priority) {
        Greater => return Some(Outrank::Priority),
        Less => return None,
        Equal => {}
    }
    match a.span.len().cmp(&b.span.len()) {
        Greater => Some(Outrank::Longer),
        Less => None,
        Equal => (a.rule < b.rule).then_some(Outrank::Earlier),
    }
}

/// When the number captured by a match starting at `start` opens a 分别
/// list ("新增省级、市级工程技术研究中心分别为8家、96家"), returns the list.
pub fn respectively_list(
    lex: &Lexicon,
    doc: &Document,
    start: usize,
    number: &Number,
) -> Option<Vec<Number>> {
    let text = doc.text.as_str();
    let between = text.get(start..number.range.start)?;
    let (resp, len) = lex
        .words(Role::Respectively)
        .filter_map(|w| between.rfind(w).map(|i| (i, w.len())))
        .max()?;
    let mut pos = start + resp + len;
    if let Some(v) = lex
        .words(Role::RespectivelyVerb)
        .find(|v| text[pos..].starts_with(v))
    {
        pos += v.len();
    }
    if pos != number.range.start {
        return None;
    }
    let mut list: Vec<Number> = Vec::new();
    while list.len() < 32 {
        let Some(n) = read_number(text, pos) else {
            break;
        };
        pos = n.range.end;
        list.push(n);
        let comma = text[pos..].starts_with(',').then_some(1);
        match comma.or_else(|| separator_at(lex, &text[pos..])) {
            Some(len) => pos += len,
            None => break,
        }
    }
    if list.len() < 2 {
        return None;
    }
    let unit = list.iter().rev().find_map(|n| n.unit);
    for n in &mut list {
        if n.unit.is_none() {
            n.unit = unit;
        }
    }
    Some(list)
}

/// The item a match stands for in the enumeration before 分别: the number of
/// separators (、 和 及 与) between the start of its phrase (after the last
/// ， ： or sentence end; 、 itself separates items) and the match start.
fn item_index(lex: &Lexicon, doc: &Document, start: usize) -> usize {
    let sentence = doc.sentence_at(start);
    // At most CONTEXT_BYTES back: a sentence without punctuation may be
    // the whole report, and every item of it looked back to its start.
    let from = crate::diag::ceil_char_boundary(
        &doc.text,
        sentence
            .start
            .min(start)
            .max(start.saturating_sub(super::infer::CONTEXT_BYTES)),
    );
    let head = doc.text.get(from..start).unwrap_or("");
    crate::work::add(head.len());
    let phrase_start = head
        .char_indices()
        .rev()
        .find(|(_, c)| matches!(c, ',' | ':' | ';' | '。' | '!' | '?' | '\n'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let head = &head[phrase_start..];
    // Each separator once (以及 is one, not 及 too).
    let mut n = 0;
    let mut at = 0;
    while at < head.len() {
        match separator_at(lex, &head[at..]) {
            Some(len) => {
                n += 1;
                at += len;
            }
            None => at += head[at..].chars().next().map_or(1, char::len_utf8),
        }
    }
    n
}

/// Pairs each candidate on a 分别 list with the value at its item's place.
///
/// A candidate's item is where its naming word stands in the enumeration
/// before 分别. The naming word is the first of its words that touches an
/// item separator (高新技术企业 in "高新技术企业、科技型中小企业", 省 in
/// "省、市工程技术研究中心", 市级 in "省级、市级…"); a leading verb (新增) and a
/// noun the items share (工程技术研究中心) touch none. When no word touches a
/// separator, the first word past the list's first item decides.
pub fn pair_respectively(program: &Program, doc: &Document, candidates: &mut [Candidate]) {
    let text = doc.text.as_str();
    let lex = &*program.lexicon;
    let touches = |p: usize, len: usize| {
        let before = &text[..p];
        let after = text.get(p + len..).unwrap_or("");
        ends_with_separator(lex, before) || separator_at(lex, after).is_some()
    };
    for c in candidates.iter_mut() {
        if c.list.is_none() {
            continue;
        }
        // Only the words before 分别 name the item.
        let resp = text
            .get(c.span.start..c.number.range.start)
            .and_then(|t| {
                lex.words(Role::Respectively)
                    .filter_map(|w| t.rfind(w))
                    .max()
            })
            .map_or(c.number.range.start, |r| c.span.start + r);
        let words: Vec<(usize, usize)> = c
            .literals
            .iter()
            .filter(|&&p| p < resp)
            .map(|&p| (p, word_len_at(program, c.rule, text, p)))
            .collect();
        let slot = words
            .iter()
            .find(|&&(p, len)| touches(p, len))
            .map(|&(p, _)| item_index(lex, doc, p))
            .or_else(|| {
                words
                    .iter()
                    .map(|&(p, _)| item_index(lex, doc, p))
                    .filter(|item| *item > 0)
                    .min()
            })
            .unwrap_or(0);
        assign(program, c, slot);
    }
}

/// Length of the rule's word that matched at `p` (longest first, as matched).
fn word_len_at(program: &Program, rule: usize, text: &str, p: usize) -> usize {
    let rest = text.get(p..).unwrap_or("");
    program.rules[rule]
        .insts
        .iter()
        .filter_map(|i| match i {
            crate::compile::Inst::Lit(words) => words.iter().find(|w| rest.starts_with(w.as_str())),
            _ => None,
        })
        .map(String::len)
        .max()
        .unwrap_or(0)
}

fn assign(program: &Program, c: &mut Candidate, slot: usize) {
    let Some(n) = c.list.as_ref().and_then(|l| l.get(slot)).cloned() else {
        return;
    };
    if let Some((value, upper)) = super::convert(&program.rules[c.rule], &n) {
        c.number = n;
        c.value = value;
        c.upper = upper;
    }
}

/// The byte range of a fact's evidence: its sentence, clipped to at most
/// `max_chars` characters around the number.
pub fn evidence_range(doc: &Document, fact: &Fact, max_chars: usize) -> Range<usize> {
    // Walks at most `max_chars` characters each way from the number, never
    // the whole sentence: counting a sentence of thousands of clauses for
    // each of its facts was quadratic.
    clip_around(&doc.text, fact.sentence.clone(), fact.span.start, max_chars)
}

/// At most `max_chars` characters of `sentence` (a range of `text`): from
/// half that many before `at` on.
fn clip_around(text: &str, sentence: Range<usize>, at: usize, max_chars: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let mut start = at.max(sentence.start).min(sentence.end);
    // Back over up to half the characters, by the bytes that start one.
    let mut back = 0;
    while back < max_chars / 2 && start > sentence.start {
        start -= 1;
        back += usize::from(bytes[start] & 0xC0 != 0x80);
    }
    let end = start + crate::text::char_prefix_len(&text[start..sentence.end], max_chars);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `clip_around` character by character.
    fn clip_by_chars(text: &str, s: Range<usize>, at: usize, max_chars: usize) -> Range<usize> {
        let mut start = at.max(s.start).min(s.end);
        for _ in 0..max_chars / 2 {
            match text[s.start..start].chars().next_back() {
                Some(c) => start -= c.len_utf8(),
                None => break,
            }
        }
        let end = text[start..s.end]
            .char_indices()
            .nth(max_chars)
            .map_or(s.end, |(i, _)| start + i);
        start..end
    }

    /// The facts of `text` under the shipped common rules.
    fn facts_of(text: &str) -> Vec<Fact> {
        let mut sources = crate::diag::Sources::new();
        let files = crate::check::builtin_sources(&mut sources);
        let checked = crate::check::check(&sources, &files);
        let set = checked
            .sets
            .iter()
            .find(|s| s.province.is_none())
            .expect("the common rule set");
        let program = crate::compile::compile(set).0;
        let doc = crate::text::read_report("t.txt", text.as_bytes(), None).expect("reads");
        crate::engine::run(&program, &doc)
    }

    #[test]
    fn a_breakdown_after_its_whole_is_a_part_but_not_one_a_page_later() {
        let close = facts_of("今年新增高新技术企业20家，其中第一批12家，第二批8家。");
        let values: Vec<String> = close.iter().map(|f| f.value.to_string()).collect();
        assert_eq!(values, ["20"], "{close:#?}");
        // The same 其中 hundreds of characters on, in one endless sentence:
        // too far to be the breakdown of the 20 (and not looked for).
        let filler = "推动创新平台建设，".repeat(30);
        let far = facts_of(&format!(
            "今年新增高新技术企业20家，{filler}其中新增高新技术企业12家。"
        ));
        let values: Vec<String> = far.iter().map(|f| f.value.to_string()).collect();
        assert_eq!(values, ["20", "12"], "{far:#?}");
    }

    #[test]
    fn text_near_a_range_is_cut_on_character_boundaries() {
        let text = "高".repeat(BREAKDOWN_REACH);
        let tail = near(&text, 1..text.len(), true);
        assert!(tail.len() <= BREAKDOWN_REACH && tail.chars().all(|c| c == '高'));
        assert!(text.ends_with(tail));
        let head = near(&text, 0..text.len(), false);
        assert!(head.len() <= BREAKDOWN_REACH && text.starts_with(head));
        assert_eq!(near(&text, 3..9, true), "高高");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        #[test]
        fn clipping_by_bytes_is_clipping_by_characters(
            text in "[a高新技术企业😀é,。]{0,60}",
            a in 0usize..200,
            b in 0usize..200,
            at in 0usize..200,
            max_chars in 0usize..30,
        ) {
            let boundary = |i: usize| crate::diag::floor_char_boundary(&text, i.min(text.len()));
            let (a, b, at) = (boundary(a), boundary(b), boundary(at));
            let s = a.min(b)..a.max(b);
            proptest::prop_assert_eq!(
                clip_around(&text, s.clone(), at, max_chars),
                clip_by_chars(&text, s, at, max_chars)
            );
        }
    }
}
