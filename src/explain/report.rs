//! What every rule did about each figure of a report, as data.
//!
//! [`explain_report`] scans the whole report once and groups the evidence
//! by figure: which rule took it (with the reasons for its status, year and
//! months), which rules matched it too and why they lost, which were
//! stopped by a veto, and, for a figure no rule took, how far the closest
//! rules got. [`explain_figures`] asks about given figures only: it scans
//! just their sentences and reports every rule whose indicator's unit fits
//! the figure, including those whose anchor word does not occur near it.
//!
//! Output is bounded whatever the report: at most `max_figures` figures,
//! `near_misses` walks per figure with a fix search each, `max_rules`
//! rules per figure; what is left out is counted.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::collect::{Collected, Focus, Walk, collect};
use super::figures::{Figures, compatible};
use super::fix::{Edit, Fix, Search, fix_veto, vocabulary};
use crate::compile::{CompiledRule, Program};
use crate::engine::infer::{self, Reasons};
use crate::engine::resolve::{Drop, Dropped, Outrank, Settler};
use crate::engine::{Candidate, Fact};
use crate::text::{Document, Number};

/// What to explain and how much of it.
pub struct Options<'a> {
    /// Which rules to report on (`--rule`, `--indicator`); every rule still
    /// runs, as in `run`.
    pub keep: &'a dyn Fn(&CompiledRule) -> bool,
    /// Also show near misses for figures another rule took.
    pub all: bool,
    /// Most near misses (with a fix search each) per figure.
    pub near_misses: usize,
    /// Most figures (0: no limit).
    pub max_figures: usize,
    /// Most rules listed per figure.
    pub max_rules: usize,
    /// Search for fixes.
    pub fixes: bool,
}

/// Why a candidate lost its figure: the resolver's record ([`Dropped`]),
/// and for a tie-breaker what it compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Because {
    /// Why the resolver dropped it, as it recorded it.
    pub dropped: Dropped,
    /// What an [`Outrank`] compared, the winner's first: the two rules'
    /// priorities ([`Outrank::Priority`]) or match lengths in characters
    /// ([`Outrank::Longer`]); `None` for any other drop.
    pub compared: Option<(i64, i64)>,
}

/// What one rule did about one figure.
#[derive(Debug, Clone, PartialEq)]
pub enum VerdictKind {
    /// It matched the figure, but another rule won it.
    Lost {
        /// The match.
        span: Range<usize>,
        /// The rule that won.
        winner: usize,
        /// Why.
        because: Because,
    },
    /// It matched, but a veto word stood in scope.
    Vetoed {
        /// The match.
        span: Range<usize>,
        /// The veto word.
        word: String,
        /// Where the veto word stands.
        at: usize,
    },
    /// It matched, but the number's unit does not convert.
    Unconvertible {
        /// The match.
        span: Range<usize>,
    },
    /// It matched with its subject carried from an earlier clause, but the
    /// number's clause names a subject of its own.
    OwnSubject {
        /// The match.
        span: Range<usize>,
        /// The clause's own subject (a declared subject's name, or the word).
        word: String,
        /// Where it stands.
        at: usize,
    },
    /// Its walk found the anchor word and broke off.
    Broke {
        /// Where the walk began.
        start: usize,
        /// The anchor and how far the walk got.
        walk: Walk,
        /// Share of the pattern's instructions passed (0..1).
        score: f32,
    },
    /// It matched in this sentence, but took another number.
    Elsewhere {
        /// The number it took.
        number: Range<usize>,
    },
    /// None of its anchor words stands within its reach of the figure.
    NoAnchor,
}

/// What one rule did about one figure, and the smallest change that would
/// have made it take the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The rule (index into [`Program::rules`]).
    pub rule: usize,
    /// What happened.
    pub kind: VerdictKind,
    /// A change that would make it take the figure.
    pub fix: Option<Fix>,
}

/// The fact a rule made of a figure, with the reasons for its context.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    /// The fact, as `run` writes it.
    pub fact: Fact,
    /// Why its status, year and months.
    pub why: Reasons,
}

/// One figure and what the rules did about it.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureReport {
    /// The number as read.
    pub number: Number,
    /// Its sentence.
    pub sentence: Range<usize>,
    /// The fact made of it, if any.
    pub taken: Option<Taken>,
    /// The other rules, most telling first.
    pub verdicts: Vec<Verdict>,
    /// Rules left out of `verdicts` (over the caps).
    pub left_out: usize,
    /// Near misses not shown because a rule took the figure (`--all`).
    pub hidden_near_misses: usize,
}

/// What explain found in one report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Explained {
    /// Every fact `run` gives for the report.
    pub facts: Vec<Fact>,
    /// The figures shown, in text order.
    pub figures: Vec<FigureReport>,
    /// Figures with something to show, before the cap.
    pub figures_total: usize,
    /// Near misses on taken figures not shown (`--all`), over all figures.
    pub hidden_near_misses: usize,
    /// Rules (kept by the filter) none of whose anchor words occur.
    pub not_found: Vec<usize>,
    /// Walks that broke off with no figure in reach.
    pub walks_without_figure: usize,
}

/// Explains every figure some rule was about.
pub fn explain_report(program: &Program, doc: &Document, opts: &Options<'_>) -> Explained {
    let figures = Figures::read(&doc.text);
    let collected = collect(program, doc, &figures, 0..doc.text.len(), Focus::All);
    let (facts, drops) = settle(program, doc, &collected.candidates);
    let index = Index::new(&collected, &facts, drops);
    // The figures with something to show, and how telling each is.
    let mut ends: HashSet<usize> = HashSet::new();
    ends.extend(
        facts
            .iter()
            .filter(|f| (opts.keep)(&program.rules[f.rule]))
            .map(|f| f.number_span.end),
    );
    let kept = |r: usize| (opts.keep)(&program.rules[r]);
    ends.extend(
        collected
            .candidates
            .iter()
            .filter(|c| kept(c.rule))
            .map(|c| c.number.range.end),
    );
    ends.extend(
        collected
            .vetoed
            .iter()
            .filter(|v| kept(v.rule))
            .map(|v| v.number.range.end),
    );
    ends.extend(
        collected
            .walks
            .iter()
            .filter(|(end, ws)| {
                ws.iter().any(|(r, _)| kept(*r)) && (opts.all || !index.facts.contains_key(end))
            })
            .map(|(end, _)| *end),
    );
    // The furthest walk per figure, in one pass over the walks.
    let furthest: HashMap<usize, usize> = collected
        .walks
        .iter()
        .map(|(end, ws)| {
            (
                *end,
                ws.iter().map(|(_, w)| w.progress.pc).max().unwrap_or(0),
            )
        })
        .collect();
    let mut ranked: Vec<(u8, usize)> = ends
        .into_iter()
        .map(|end| (telling(&index, furthest.get(&end).copied(), end), end))
        .collect();
    ranked.sort_unstable();
    let figures_total = ranked.len();
    if opts.max_figures > 0 {
        ranked.truncate(opts.max_figures);
    }
    let mut chosen: Vec<usize> = ranked.into_iter().map(|(_, e)| e).collect();
    chosen.sort_unstable();
    let vocabulary = vocabulary(program);
    let mut out = Explained {
        figures_total,
        walks_without_figure: collected.walks_without_figure,
        ..Explained::default()
    };
    for end in chosen {
        let Some(number) = index.number(&figures, end) else {
            continue;
        };
        let report = figure_report(
            program,
            doc,
            (&collected, &facts, &index),
            &number,
            opts,
            false,
            &vocabulary,
        );
        out.figures.push(report);
    }
    out.hidden_near_misses = collected
        .walks
        .iter()
        .filter(|(end, _)| !opts.all && index.facts.contains_key(end))
        .flat_map(|(end, ws)| ws.iter().map(move |(r, _)| (*end, *r)))
        .filter(|(end, r)| kept(*r) && index.facts.get(end).is_none_or(|&f| facts[f].rule != *r))
        .count();
    out.not_found = program
        .rules
        .iter()
        .filter(|r| (opts.keep)(r) && collected.anchor_hits[r.index] == 0)
        .map(|r| r.index)
        .collect();
    out.facts = facts;
    out
}

/// Explains the given figures only (each must be a number of `doc`'s text,
/// as [`Figures`] reads it): every rule whose indicator's unit fits.
pub fn explain_figures(
    program: &Program,
    doc: &Document,
    targets: &[Number],
    opts: &Options<'_>,
) -> Explained {
    let vocabulary = vocabulary(program);
    let figures = Figures::read(&doc.text);
    let mut out = Explained::default();
    let shown = if opts.max_figures > 0 {
        targets.len().min(opts.max_figures)
    } else {
        targets.len()
    };
    out.figures_total = targets.len();
    for number in &targets[..shown] {
        // The sentence is enough: no match crosses a sentence break (unless
        // a rule's own words hold one: then the whole text).
        let range = if program.words_cross_sentences {
            0..doc.text.len()
        } else {
            // From the sentence before when this one opens with 其中.
            let sentence = doc.sentence_at(number.range.start);
            crate::engine::scope_start(&program.lexicon, doc, &sentence)..sentence.end
        };
        let focus = Focus::One(number.range.start, number.range.end);
        let collected = collect(program, doc, &figures, range, focus);
        let (facts, drops) = settle(program, doc, &collected.candidates);
        let index = Index::new(&collected, &facts, drops);
        let report = figure_report(
            program,
            doc,
            (&collected, &facts, &index),
            number,
            opts,
            true,
            &vocabulary,
        );
        out.hidden_near_misses += report.hidden_near_misses;
        out.facts.extend(
            facts
                .into_iter()
                .filter(|f| f.number_span.end == number.range.end),
        );
        out.figures.push(report);
    }
    out
}

/// Resolves candidates as `run` does (they are already paired), recording
/// why each dropped candidate was dropped.
fn settle(program: &Program, doc: &Document, candidates: &[Candidate]) -> (Vec<Fact>, Vec<Drop>) {
    let mut settler = Settler::recording(doc);
    let mut facts = settler.settle(program, doc, candidates.to_vec());
    facts.sort_by_key(|f| (f.number_span.start, f.rule));
    (facts, settler.take_drops())
}

/// Lookups by figure end.
struct Index {
    /// Figure end → index into the facts.
    facts: HashMap<usize, usize>,
    /// Figure end → candidates on it.
    candidates: HashMap<usize, Vec<usize>>,
    /// Figure end → vetoed matches on it.
    vetoed: HashMap<usize, Vec<usize>>,
    /// Figure end → matches on it whose unit does not convert.
    unconvertible: HashMap<usize, Vec<usize>>,
    /// Figure end → carried matches on it whose clause has its own subject.
    own_subject: HashMap<usize, Vec<usize>>,
    /// Number taken by each candidate, for numbers [`Figures`] does not list.
    numbers: HashMap<usize, Number>,
    /// (rule, number start, number end) → why the resolver dropped it.
    drops: HashMap<(usize, usize, usize), Dropped>,
}

impl Index {
    fn new(c: &Collected, facts: &[Fact], drops: Vec<Drop>) -> Index {
        let mut index = Index {
            drops: HashMap::new(),
            facts: HashMap::new(),
            candidates: HashMap::new(),
            vetoed: HashMap::new(),
            unconvertible: HashMap::new(),
            own_subject: HashMap::new(),
            numbers: HashMap::new(),
        };
        for (i, f) in facts.iter().enumerate() {
            index.facts.entry(f.number_span.end).or_insert(i);
        }
        for (i, cand) in c.candidates.iter().enumerate() {
            let end = cand.number.range.end;
            index.candidates.entry(end).or_default().push(i);
            index
                .numbers
                .entry(end)
                .or_insert_with(|| cand.number.clone());
        }
        for (i, (_, _, end)) in c.unconvertible.iter().enumerate() {
            if let Some(end) = end {
                index.unconvertible.entry(*end).or_default().push(i);
            }
        }
        for (i, o) in c.own_subject.iter().enumerate() {
            if let Some(end) = o.end {
                index.own_subject.entry(end).or_default().push(i);
            }
        }
        for (i, v) in c.vetoed.iter().enumerate() {
            let end = v.number.range.end;
            index.vetoed.entry(end).or_default().push(i);
            index.numbers.entry(end).or_insert_with(|| v.number.clone());
        }
        for d in drops {
            // A rule's match that lost to its own longer match says
            // nothing when the longer one was dropped too: keep that drop.
            let key = (d.rule, d.number.start, d.number.end);
            let to_itself =
                |w: &Dropped| matches!(w, Dropped::Outranked { winner, .. } if *winner == d.rule);
            match index.drops.get(&key) {
                Some(old) if !to_itself(old) => {}
                _ => {
                    index.drops.insert(key, d.why);
                }
            }
        }
        index
    }

    /// The number of the figure ending at `end`: the longest reading.
    fn number(&self, figures: &Figures, end: usize) -> Option<Number> {
        match (figures.ending_at(end), self.numbers.get(&end)) {
            (Some(a), Some(b)) if b.range.start < a.range.start => Some(b.clone()),
            (Some(a), _) => Some(a.clone()),
            (None, b) => b.cloned(),
        }
    }
}

/// How telling a figure is (smaller first): taken, then matched but lost
/// or vetoed, then the furthest near miss.
fn telling(index: &Index, furthest: Option<usize>, end: usize) -> u8 {
    if index.facts.contains_key(&end) {
        0
    } else if index.candidates.contains_key(&end) || index.vetoed.contains_key(&end) {
        1
    } else {
        // More instructions passed: more telling.
        let best = furthest.unwrap_or(0).min(8) as u8;
        2 + (8 - best)
    }
}

/// Builds the report on one figure from what the scan collected.
#[allow(clippy::too_many_arguments)]
fn figure_report(
    program: &Program,
    doc: &Document,
    (c, facts, index): (&Collected, &[Fact], &Index),
    number: &Number,
    opts: &Options<'_>,
    targeted: bool,
    vocabulary: &HashSet<String>,
) -> FigureReport {
    let end = number.range.end;
    let sentence = doc.sentence_at(number.range.start);
    let taken = index.facts.get(&end).map(|&i| Taken {
        fact: facts[i].clone(),
        why: reasons(program, doc, &facts[i]),
    });
    let mut v = FigureVerdicts {
        program,
        doc,
        c,
        index,
        opts,
        end,
        seen: taken.iter().map(|t| t.fact.rule).collect(),
        verdicts: Vec::new(),
    };
    v.lost();
    v.stopped();
    let search = Search {
        program,
        doc,
        figure: number,
        vocabulary,
    };
    let (hidden, walks_left_out) = v.broken_walks(&search, taken.is_some(), targeted);
    if targeted {
        v.nearby(number, sentence.clone(), taken.is_some());
    }
    let (verdicts, left_out) = cap(v.verdicts, opts.max_rules, walks_left_out);
    FigureReport {
        number: number.clone(),
        sentence,
        taken,
        verdicts,
        left_out,
        hidden_near_misses: hidden,
    }
}

/// The verdicts on the rules about one figure (the one ending at `end`),
/// gathered kind by kind; each rule gets one, the first that applies.
struct FigureVerdicts<'a, 'o> {
    program: &'a Program,
    doc: &'a Document,
    c: &'a Collected,
    index: &'a Index,
    opts: &'a Options<'o>,
    end: usize,
    /// The rules that have a verdict (or took the figure).
    seen: HashSet<usize>,
    verdicts: Vec<Verdict>,
}

impl FigureVerdicts<'_, '_> {
    /// Whether rule `r` is asked about and has no verdict yet; it has one
    /// from now on.
    fn first_for(&mut self, r: usize) -> bool {
        (self.opts.keep)(&self.program.rules[r]) && self.seen.insert(r)
    }

    /// Matches that lost, with the resolver's record of why.
    fn lost(&mut self) {
        let (program, opts) = (self.program, self.opts);
        for &i in self.index.candidates.get(&self.end).into_iter().flatten() {
            let cand = &self.c.candidates[i];
            let r = cand.rule;
            if !self.first_for(r) {
                continue;
            }
            // Every candidate that made no fact has the resolver's record.
            let Some((winner, because)) = lost_because(program, self.doc, self.index, cand) else {
                continue;
            };
            // Within one indicator it does not matter which rule takes a
            // figure: only a loss to another indicator has a fix.
            let other_indicator = program.rules[winner].indicator != program.rules[r].indicator;
            // Only a loss to a tie-breaker has a fix; the other drops are
            // how reports are written.
            let fix = match because.dropped {
                Dropped::Outranked { .. } if opts.fixes && other_indicator => Some(Fix {
                    edit: Edit::Priority {
                        to: program.rules[winner].priority + 1,
                    },
                    cost: 1,
                }),
                _ => None,
            };
            self.verdicts.push(Verdict {
                rule: r,
                kind: VerdictKind::Lost {
                    span: cand.span.clone(),
                    winner,
                    because,
                },
                fix,
            });
        }
    }

    /// Matches the scan refused: a veto, a carried clause naming its own
    /// subject, a unit that does not convert.
    fn stopped(&mut self) {
        let (program, c, end) = (self.program, self.c, self.end);
        for &i in self.index.vetoed.get(&end).into_iter().flatten() {
            let v = &c.vetoed[i];
            if !self.first_for(v.rule) {
                continue;
            }
            let fix = self
                .opts
                .fixes
                .then(|| {
                    fix_veto(
                        &program.lexicon,
                        &program.rules[v.rule],
                        self.doc,
                        &v.m,
                        &v.word,
                    )
                })
                .flatten();
            self.verdicts.push(Verdict {
                rule: v.rule,
                kind: VerdictKind::Vetoed {
                    span: v.m.start..v.m.end,
                    word: v.word.clone(),
                    at: v.at,
                },
                fix,
            });
        }
        for &i in self.index.own_subject.get(&end).into_iter().flatten() {
            let o = &c.own_subject[i];
            if self.first_for(o.rule) {
                self.verdicts.push(Verdict {
                    rule: o.rule,
                    kind: VerdictKind::OwnSubject {
                        span: o.m.start..o.m.end,
                        word: o.word.clone(),
                        at: o.at,
                    },
                    fix: None,
                });
            }
        }
        for &i in self.index.unconvertible.get(&end).into_iter().flatten() {
            let (r, m, _) = &c.unconvertible[i];
            if self.first_for(*r) {
                self.verdicts.push(Verdict {
                    rule: *r,
                    kind: VerdictKind::Unconvertible {
                        span: m.start..m.end,
                    },
                    fix: None,
                });
            }
        }
    }

    /// Walks that broke off, closest first, with a fix looked for in the
    /// closest few: (near misses hidden because the figure was taken,
    /// near misses left out past the cap).
    fn broken_walks(&mut self, search: &Search<'_>, taken: bool, targeted: bool) -> (usize, usize) {
        let (program, opts) = (self.program, self.opts);
        let mut walks: Vec<(usize, Walk)> = self
            .c
            .walks
            .get(&self.end)
            .into_iter()
            .flatten()
            .filter(|(r, _)| (opts.keep)(&program.rules[*r]) && !self.seen.contains(r))
            .copied()
            .collect();
        let score =
            |r: usize, w: &Walk| w.progress.pc as f32 / program.rules[r].insts.len().max(1) as f32;
        walks.sort_by(|(ra, a), (rb, b)| score(*rb, b).total_cmp(&score(*ra, a)).then(ra.cmp(rb)));
        let mut hidden = 0;
        if taken && !opts.all {
            hidden = walks.len();
            walks.clear();
        }
        let mut left_out = 0;
        // Asked about one figure, every rule's walk is listed (a fix is looked
        // for in the closest few); otherwise only the closest few.
        if !targeted && walks.len() > opts.near_misses {
            left_out = walks.len() - opts.near_misses;
            walks.truncate(opts.near_misses);
        }
        for (k, (r, walk)) in walks.into_iter().enumerate() {
            self.seen.insert(r);
            let rule = &program.rules[r];
            let mut walk = walk;
            let mut start = search.start_of(rule, &walk);
            let fix = if !opts.fixes || k >= opts.near_misses {
                None
            } else if walk.progress.pc == 0 {
                // Nothing matched from any start: the change may need another
                // start than the anchor's (the words before it): try each.
                let (s, fix) = search.for_any_start(rule, &walk);
                start = s;
                walk.progress = crate::engine::Progress { pc: 0, pos: s };
                fix
            } else {
                search.for_walk(rule, start, walk.progress)
            };
            self.verdicts.push(Verdict {
                rule: r,
                kind: VerdictKind::Broke {
                    start,
                    walk,
                    score: score(r, &walk),
                },
                fix,
            });
        }
        (hidden, left_out)
    }

    /// Asked about one figure: rules that matched nearby but took another
    /// number of its sentence; then those whose anchor words do not stand
    /// within reach.
    fn nearby(&mut self, number: &Number, sentence: Range<usize>, taken: bool) {
        let (program, opts, doc) = (self.program, self.opts, self.doc);
        let fits: Vec<&CompiledRule> = program
            .rules
            .iter()
            .filter(|r| (opts.keep)(r) && compatible(r, number) && !self.seen.contains(&r.index))
            .collect();
        for rule in fits {
            let elsewhere = self
                .c
                .candidates
                .iter()
                .filter(|x| x.rule == rule.index && x.number.range.end != self.end)
                .filter(|x| doc.sentence_at(x.number.range.start) == sentence)
                .min_by_key(|x| x.number.range.start.abs_diff(number.range.start));
            let kind = match elsewhere {
                Some(x) => VerdictKind::Elsewhere {
                    number: x.number.range.clone(),
                },
                None => VerdictKind::NoAnchor,
            };
            if matches!(kind, VerdictKind::NoAnchor) && taken && !opts.all {
                continue;
            }
            self.verdicts.push(Verdict {
                rule: rule.index,
                kind,
                fix: None,
            });
        }
    }
}

/// The verdicts capped at `max_rules` lines (0: no cap), the no-anchor
/// ones aside (they print as one line), with the count left out added to
/// `left_out`.
fn cap(verdicts: Vec<Verdict>, max_rules: usize, mut left_out: usize) -> (Vec<Verdict>, usize) {
    if max_rules == 0 || verdicts.len() <= max_rules {
        return (verdicts, left_out);
    }
    let (mut keep, no_anchor): (Vec<Verdict>, Vec<Verdict>) = verdicts
        .into_iter()
        .partition(|v| !matches!(v.kind, VerdictKind::NoAnchor));
    if keep.len() > max_rules {
        left_out += keep.len() - max_rules;
        keep.truncate(max_rules);
    }
    keep.extend(no_anchor);
    (keep, left_out)
}

/// The rule that won `cand`'s number (or took the fact it lost to), and
/// why `cand` lost: the resolver's own record, with what a tie-breaker
/// compared.
fn lost_because(
    program: &Program,
    doc: &Document,
    index: &Index,
    cand: &Candidate,
) -> Option<(usize, Because)> {
    let key = (cand.rule, cand.number.range.start, cand.number.range.end);
    let dropped = index.drops.get(&key)?;
    let mut compared = None;
    let by = match dropped {
        Dropped::Outranked { winner, span, by } => {
            let (w, l) = (&program.rules[*winner], &program.rules[cand.rule]);
            let chars = |r: &Range<usize>| {
                doc.text
                    .get(r.clone())
                    .map_or(0, |t| t.chars().count() as i64)
            };
            compared = match by {
                Outrank::Priority => Some((w.priority, l.priority)),
                Outrank::Longer => Some((chars(span), chars(&cand.span))),
                Outrank::Earlier => None,
            };
            *winner
        }
        Dropped::WiderArea { .. } | Dropped::NamedPlace | Dropped::Trap => cand.rule,
        Dropped::PartOf { rule, .. }
        | Dropped::GaveWayToPart { rule, .. }
        | Dropped::SameFact { rule, .. }
        | Dropped::Threshold { rule, .. } => *rule,
    };
    Some((
        by,
        Because {
            dropped: dropped.clone(),
            compared,
        },
    ))
}

/// The reasons for a fact's status, year and months (inference run again
/// at its number: it is deterministic).
pub fn reasons(program: &Program, doc: &Document, fact: &Fact) -> Reasons {
    let rule = &program.rules[fact.rule];
    infer::infer(
        &program.lexicon,
        doc,
        doc.report_year,
        fact.number_span.start,
        rule.status,
        rule.unit.kind == crate::text::UnitKind::Percent,
    )
    .why
}
