//! What explain shows, as one serializable model: places in the file the
//! user opened, the clause around each figure, every verdict and change in
//! plain words. The CLI prints it as text or writes it as JSON, so both
//! carry the same.

use std::ops::Range;

use serde::Serialize;

use super::edit::RuleEdit;
use super::report::{Because, Explained, FigureReport, Taken, Verdict, VerdictKind};
use super::words::{
    RuleFiles, cite, clip, describe_break, months_reason, status_reason, year_reason,
};
use crate::compile::{CompiledRule, Program};
use crate::diag::Code;
use crate::engine::resolve::{Dropped, Outrank};
use crate::eval::Effect;
use crate::text::{Document, Number};

/// Characters of context shown before a figure.
const BEFORE_CHARS: usize = 36;
/// Characters of context shown after a figure.
const AFTER_CHARS: usize = 16;
/// Most rule names listed on one line (rules whose words do not occur).
const NAMES_SHOWN: usize = 8;

/// A place in the report: byte offsets in the original file, and line and
/// column (in characters) as an editor shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Byte offset of the start in the original file.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// Maps normalized ranges to [`Place`]s (line starts found once).
pub struct Places<'a> {
    doc: &'a Document,
    line_starts: Vec<usize>,
}

impl<'a> Places<'a> {
    /// Indexes the lines of `doc`'s decoded text.
    pub fn new(doc: &'a Document) -> Self {
        let decoded = doc.decoded_text();
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', decoded.as_bytes()).map(|i| i + 1))
            .collect();
        Places { doc, line_starts }
    }

    /// The place of a normalized-text range.
    pub fn of(&self, r: Range<usize>) -> Place {
        let o = self.doc.original_range(r.clone());
        let d = self.doc.decoded_range(r);
        let (line, column) = self.line_col(d.start);
        Place {
            start: o.start,
            end: o.end,
            line,
            column,
        }
    }

    /// 1-based line and column (characters) of a decoded-text offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let decoded = self.doc.decoded_text();
        let offset = crate::diag::floor_char_boundary(decoded, offset);
        let i = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[i.saturating_sub(1)];
        (i.max(1), decoded[start..offset].chars().count() + 1)
    }

    /// The normalized offset at `line` and `column` (1-based, column in
    /// characters) of the decoded text; `None` past the text.
    pub fn offset_at(&self, line: usize, column: usize) -> Option<usize> {
        let decoded = self.doc.decoded_text();
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let line_end = self.line_starts.get(line).copied().unwrap_or(decoded.len());
        let target = decoded[start..line_end]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_end, |(i, _)| start + i);
        Some(self.normalized_at(target))
    }

    /// The normalized offset whose decoded place is the first at or after
    /// `decoded` (the maps are monotonic: a binary search).
    pub fn normalized_at(&self, decoded: usize) -> usize {
        let text = &self.doc.text;
        let (mut lo, mut hi) = (0usize, text.len());
        while lo < hi {
            let mid = crate::diag::floor_char_boundary(text, lo + (hi - lo) / 2);
            let mid = if mid < lo {
                crate::diag::ceil_char_boundary(text, lo + 1)
            } else {
                mid
            };
            if mid >= hi {
                break;
            }
            if self.doc.decoded_range(mid..mid).start < decoded {
                lo = crate::diag::ceil_char_boundary(text, mid + 1);
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// A fact as explain shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TakenView {
    /// Qualified rule name.
    pub rule: String,
    /// Where the rule is defined.
    pub rule_at: String,
    /// Indicator id.
    pub indicator: String,
    /// Value in the indicator's unit.
    pub value: String,
    /// The unit.
    pub unit: &'static str,
    /// actual / estimate / target.
    pub status: &'static str,
    /// Why that status.
    pub status_why: String,
    /// The year.
    pub year: Option<i32>,
    /// Why that year.
    pub year_why: String,
    /// "1-10", or none for a whole year.
    pub months: Option<String>,
    /// Why those months.
    pub months_why: String,
    /// How the engine read it beyond the rule's own words: a subject
    /// carried from an earlier clause, a from–to phrase, a unit the text
    /// left out.
    pub reading: Vec<String>,
}

/// A suggested change and what it would do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HelpView {
    /// The kind of change: add_word, make_optional, widen_gap,
    /// gap_across_clauses, accept_unit, drop_excluded, drop_vetoes, priority.
    pub kind: &'static str,
    /// The change, in the rule file's terms.
    pub change: String,
    /// What it removes ("the gap's bound", "a veto word" …).
    pub obstacle: &'static str,
    /// What it does to the annotated reports (when run with annotations).
    pub effect: Option<Effect>,
}

/// What one rule did about a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictView {
    /// The diagnostic code of this kind of finding.
    pub code: &'static str,
    /// lost, vetoed, unconvertible, near_miss, elsewhere, no_anchor.
    pub kind: &'static str,
    /// Qualified rule name.
    pub rule: String,
    /// Its indicator.
    pub indicator: String,
    /// Where the rule is defined.
    pub rule_at: String,
    /// One line: what happened.
    pub message: String,
    /// The text a near miss matched before it broke off.
    pub got_to: Option<String>,
    /// What it expected there.
    pub expected: Option<String>,
    /// What stood there.
    pub found: Option<String>,
    /// The smallest change that makes the rule take the figure.
    pub help: Option<HelpView>,
}

/// One figure and what the rules did about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureView {
    /// Whether a subject named earlier in the sentence is carried to the
    /// figure's clause, and if not why (for a figure no rule took).
    pub carry: Option<String>,
    /// The number as written (normalized).
    pub number: String,
    /// Where it stands.
    pub at: Place,
    /// Its clause or sentence before it (clipped with …).
    pub before: String,
    /// After it.
    pub after: String,
    /// Gold facts on this figure, when run with annotations.
    pub annotated: Vec<String>,
    /// The fact made of it.
    pub taken: Option<TakenView>,
    /// The other rules.
    pub rules: Vec<VerdictView>,
    /// Rules left out (caps).
    pub rules_left_out: usize,
    /// Near misses not shown because a rule took the figure (`--all`).
    pub near_misses_hidden: usize,
    /// Rules whose unit fits but whose anchor words do not stand near it.
    pub no_anchor: Vec<String>,
    /// How many such rules are not named.
    pub no_anchor_left_out: usize,
}

/// What a change does to the annotated reports (`None`: not known).
pub type EffectFn<'a> = &'a dyn Fn(&RuleEdit) -> Option<Effect>;
/// The gold facts a figure stands for, in words.
pub type AnnotationsFn<'a> = &'a dyn Fn(&crate::text::Number) -> Vec<String>;

/// How a figure view is built: the rule files (to word changes), and,
/// with annotations, what a change does and which gold facts a figure is.
pub struct ViewContext<'a> {
    /// The program that ran.
    pub program: &'a Program,
    /// The report.
    pub doc: &'a Document,
    /// Places in the report.
    pub places: &'a Places<'a>,
    /// The rule files.
    pub files: &'a RuleFiles<'a>,
    /// What a change does to the annotated reports.
    pub effect: Option<EffectFn<'a>>,
    /// The gold facts of a figure (by its number), when annotated.
    pub annotations: Option<AnnotationsFn<'a>>,
}

impl ViewContext<'_> {
    /// The views of every figure explained.
    pub fn figures(&self, e: &Explained) -> Vec<FigureView> {
        e.figures.iter().map(|f| self.figure(f)).collect()
    }

    /// The view of one figure.
    pub fn figure(&self, f: &FigureReport) -> FigureView {
        let doc = self.doc;
        let number = &f.number;
        let (before, after) = context(doc, f.sentence.clone(), number.range.clone());
        let mut rules = Vec::new();
        let mut no_anchor = Vec::new();
        for v in &f.verdicts {
            if matches!(v.kind, VerdictKind::NoAnchor) {
                no_anchor.push(self.program.rules[v.rule].qualified_name.clone());
            } else {
                rules.push(self.verdict(v, f));
            }
        }
        let no_anchor_left_out = no_anchor.len().saturating_sub(NAMES_SHOWN);
        no_anchor.truncate(NAMES_SHOWN);
        FigureView {
            number: doc.text[number.range.clone()].to_string(),
            at: self.places.of(number.range.clone()),
            before,
            after,
            annotated: self.annotations.map(|a| a(number)).unwrap_or_default(),
            taken: f.taken.as_ref().map(|t| self.taken(t)),
            rules,
            rules_left_out: f.left_out,
            near_misses_hidden: f.hidden_near_misses,
            no_anchor,
            no_anchor_left_out,
            carry: if f.taken.is_some() {
                None
            } else {
                self.carry(number.range.start)
            },
        }
    }

    /// What carrying a subject does for the clause at `at`, for a figure no
    /// rule took.
    fn carry(&self, at: usize) -> Option<String> {
        let c = crate::engine::carry_at(self.program, self.doc, at)?;
        let text = self.doc.text.as_str();
        let name = self
            .program
            .subjects
            .get(c.subject)
            .map_or("?", |s| s.name.as_str());
        let p = self.places.of(c.named.clone());
        let named = format!(
            "subject {name} (“{}” at {}:{})",
            text.get(c.named.clone()).unwrap_or(""),
            p.line,
            p.column
        );
        Some(match c.stopped_by {
            None => {
                // The predicate words its clause holds before the number,
                // each with its lexicon line.
                let clause_start = self.doc.clause_at(at).start;
                let head = text.get(clause_start..at).unwrap_or("");
                let words = super::words::cite_words_in(
                    &self.program.lexicon,
                    crate::lexicon::Role::Predicate,
                    head,
                );
                if words.is_empty() {
                    format!("{named} is carried to this clause")
                } else {
                    format!(
                        "{named} is carried to this clause over the predicate words {}",
                        words.join(", ")
                    )
                }
            }
            Some(r) if r.is_empty() => format!(
                "{named} is not carried to this clause: no number follows its predicate words within {} characters",
                crate::engine::CARRY_HEAD_CHARS
            ),
            Some(r) => format!(
                "{named} is not carried to this clause: it names “{}” of its own before its number",
                text.get(r).unwrap_or("")
            ),
        })
    }

    fn taken(&self, t: &Taken) -> TakenView {
        let rule = &self.program.rules[t.fact.rule];
        TakenView {
            rule: rule.qualified_name.clone(),
            rule_at: self.files.rule_place(rule),
            indicator: t.fact.indicator.clone(),
            value: t.fact.value.to_string(),
            unit: t.fact.unit,
            status: t.fact.status.as_str(),
            status_why: status_reason(&self.program.lexicon, self.doc, &t.why),
            year: t.fact.year,
            year_why: year_reason(self.doc, &t.why),
            months: t.fact.months.clone(),
            months_why: months_reason(self.doc, &t.why),
            reading: self.reading(&t.fact.reading),
        }
    }

    /// [`crate::engine::Reading`] in plain words.
    fn reading(&self, r: &crate::engine::Reading) -> Vec<String> {
        let text = self.doc.text.as_str();
        let place = |at: usize| {
            let p = self.places.of(at..at);
            format!("{}:{}", p.line, p.column)
        };
        let mut out = Vec::new();
        if let Some((subject, at)) = r.carried {
            let def = self.program.subjects.get(subject);
            let name = def.map_or("?", |s| s.name.as_str());
            let rest = text.get(at..).unwrap_or("");
            let word = def
                .and_then(|s| s.words.iter().find(|w| rest.starts_with(w.as_str())))
                .map_or("", String::as_str);
            out.push(format!(
                "subject {name} carried from “{word}” at {}: this clause names no subject of its own",
                place(at)
            ));
        }
        if let Some(earlier) = &r.from_to {
            out.push(format!(
                "the later figure of a from–to phrase (the earlier, “{}”, at {})",
                text.get(earlier.clone()).unwrap_or(""),
                place(earlier.start)
            ));
        }
        if let Some(later) = &r.earlier_of {
            out.push(format!(
                "the earlier figure of a from–to phrase whose year is named (the later, “{}”, at {})",
                text.get(later.clone()).unwrap_or(""),
                place(later.start)
            ));
        }
        if r.unit_inferred {
            out.push("its unit is not written: taken in the rule's own".to_string());
        }
        if let Some(first) = &r.row_of {
            out.push(format!(
                "alone in its table cell, in the row of “{}” at {} (which the rule took): the same indicator, its own column",
                text.get(first.clone()).unwrap_or(""),
                place(first.start)
            ));
        }
        out
    }

    /// Why a match of `rule` lost its figure to `winner`: the resolver's
    /// record, in words.
    fn lost_message(
        &self,
        rule: &CompiledRule,
        winner: usize,
        because: &Because,
        f: &FigureReport,
    ) -> String {
        let program = self.program;
        let name = |r: usize| program.rules[r].qualified_name.clone();
        match (&because.dropped, because.compared) {
            (Dropped::Outranked { by: Outrank::Priority, .. }, Some((w, loser))) => format!(
                "matched it, but {} has priority {w} over this rule's {loser}",
                name(winner)
            ),
            (Dropped::Outranked { by: Outrank::Longer, .. }, Some((w, loser))) => format!(
                "matched it, but {} matched more text ({w} characters against {loser}), so it is more specific",
                name(winner)
            ),
            (Dropped::Outranked { .. }, _) => format!(
                "matched it, but {} is defined earlier and priority and length tie",
                name(winner)
            ),
            (Dropped::WiderArea { word }, _) => format!(
                "matched it, but {} before it in its clause makes it a wider area's figure, not this report's",
                cite(&program.lexicon, WIDER, word)
            ),
            (Dropped::PartOf { rule: r, at }, _) => {
                let p = self.places.of(*at..*at);
                format!(
                    "matched it, but it is a part ({}) of the figure at {}:{} that {} took: not a fact of its own",
                    breakdown_word(&program.lexicon),
                    p.line,
                    p.column,
                    name(*r)
                )
            }
            (
                Dropped::GaveWayToPart {
                    rule: r,
                    at,
                    word,
                    kind,
                },
                _,
            ) => {
                let p = self.places.of(*at..*at);
                let what = part_wins_words(*kind);
                format!(
                    "matched it, but the figure after its 其中 at {}:{} is {what} ({}), and {} took that one instead of this whole",
                    p.line,
                    p.column,
                    cite(&program.lexicon, PART_WINS, word),
                    name(*r)
                )
            }
            (Dropped::NamedPlace, _) => "matched it, but it is a part (其中 …) naming a place inside the region, not the region's figure".to_string(),
            (Dropped::Trap, _) => "matched it: this rule is a trap (`emit none`), which claims the number and gives no fact".to_string(),
            (Dropped::Threshold { rule: r, at, value }, _) => {
                let p = self.places.of(*at..*at);
                format!(
                    "matched it, but it is only a threshold: its sentence gives the exact figure {} at {}:{}, which {} took",
                    value.normalize(),
                    p.line,
                    p.column,
                    name(*r)
                )
            }
            (Dropped::SameFact { rule: r, at }, _) => {
                let (line, col) = {
                    let p = self.places.of(*at..*at);
                    (p.line, p.column)
                };
                format!(
                    "matched it, but the same fact ({} {}) was already taken from this sentence by {} at {line}:{col}",
                    rule.indicator,
                    crate::explain::figures::value_for(rule, &f.number)
                        .map(|d| d.normalize().to_string())
                        .unwrap_or_default(),
                    name(*r)
                )
            }
        }
    }

    fn verdict(&self, v: &Verdict, f: &FigureReport) -> VerdictView {
        let program = self.program;
        let rule = &program.rules[v.rule];
        let text = self.doc.text.as_str();
        let mut view = VerdictView {
            code: "",
            kind: "",
            rule: rule.qualified_name.clone(),
            indicator: rule.indicator.clone(),
            rule_at: self.files.rule_place(rule),
            message: String::new(),
            got_to: None,
            expected: None,
            found: None,
            help: None,
        };
        match &v.kind {
            VerdictKind::Lost {
                winner, because, ..
            } => {
                view.code = Code::ExplainLostConflict.as_str();
                view.kind = "lost";
                view.message = self.lost_message(rule, *winner, because, f);
            }
            VerdictKind::Vetoed { word, .. } => {
                view.code = Code::ExplainVetoed.as_str();
                view.kind = "vetoed";
                view.message = format!("matched it, but the veto word “{word}” stands in scope");
            }
            VerdictKind::OwnSubject { word, .. } => {
                view.code = Code::ExplainVetoed.as_str();
                view.kind = "own_subject";
                view.message = format!(
                    "matched it with its subject carried from an earlier clause, but this clause names a subject of its own: “{word}”"
                );
            }
            VerdictKind::Unconvertible { .. } => {
                view.code = Code::ExplainVetoed.as_str();
                view.kind = "unconvertible";
                view.message = unconvertible_message(rule, &f.number);
            }
            VerdictKind::Broke { start, walk, .. } => {
                view.code = Code::ExplainNearMiss.as_str();
                view.kind = "near_miss";
                let (expected, found) = describe_break(rule, self.doc, walk.progress);
                let got = text
                    .get(*start..walk.progress.pos.max(*start))
                    .unwrap_or("")
                    .trim();
                view.message = if got.is_empty() {
                    format!("expected {expected} at the start; found {found}")
                } else {
                    format!(
                        "got to “{}”, then expected {expected}; found {found}",
                        clip(got, 30)
                    )
                };
                view.got_to = Some(got.to_string());
                view.expected = Some(expected);
                view.found = Some(found);
            }
            VerdictKind::Elsewhere { number } => {
                view.code = Code::ExplainMatched.as_str();
                view.kind = "elsewhere";
                let p = self.places.of(number.clone());
                view.message = format!(
                    "matched in this sentence, but took “{}” at {}:{}",
                    &text[number.clone()],
                    p.line,
                    p.column
                );
            }
            VerdictKind::NoAnchor => {
                view.code = Code::ExplainNotFound.as_str();
                view.kind = "no_anchor";
                view.message = format!(
                    "none of its anchor words ({}) stands within its reach",
                    super::words::words(&rule.anchor.literals)
                );
            }
        }
        view.help = v.fix.as_ref().map(|fix| HelpView {
            kind: fix.edit.kind(),
            change: self.files.describe_edit(rule, &fix.edit),
            obstacle: fix.edit.obstacle(),
            effect: self
                .effect
                .and_then(|eff| RuleEdit::from_fix(rule, &fix.edit).and_then(|e| eff(&e))),
        });
        view
    }
}

/// Why a match of `rule` on `number` makes no fact although it matched:
/// outside the rule's bounds, or a unit that does not convert.
fn unconvertible_message(rule: &CompiledRule, number: &Number) -> String {
    match crate::engine::convert(rule, number) {
        Some((value, _)) => {
            let (lo, hi) = rule.bounds;
            let bound = match (lo, hi) {
                (Some(lo), _) if value < lo => format!("`min {lo}`"),
                (_, Some(hi)) => format!("`max {hi}`"),
                _ => "its bounds".to_string(),
            };
            format!(
                "matched it, but {} {} is outside the rule's {bound}",
                value.normalize(),
                rule.unit.text
            )
        }
        None => format!(
            "matched it, but its unit does not convert to {}",
            rule.unit.text
        ),
    }
}

/// The clause-or-sentence context of a number: what stands before and after
/// it in its sentence, clipped (with …), on one line.
pub fn context(doc: &Document, sentence: Range<usize>, number: Range<usize>) -> (String, String) {
    let text = doc.text.as_str();
    let before_all = text
        .get(sentence.start.min(number.start)..number.start)
        .unwrap_or("");
    let after_all = text
        .get(number.end..sentence.end.max(number.end))
        .unwrap_or("");
    let n_before = before_all.chars().count();
    let before: String = if n_before > BEFORE_CHARS {
        let skip = before_all
            .char_indices()
            .nth(n_before - BEFORE_CHARS)
            .map_or(0, |(i, _)| i);
        format!("…{}", &before_all[skip..])
    } else {
        before_all.to_string()
    };
    let after = clip(after_all, AFTER_CHARS);
    let one_line = |s: String| s.replace(['\n', '\r'], " ").trim().to_string();
    (one_line(before), one_line(after))
}

/// The report's header facts, for the first lines of explain and eval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderView {
    /// The report as named.
    pub report: String,
    /// Its encoding.
    pub encoding: &'static str,
    /// The province whose rules ran (or the gazetteer found).
    pub province: Option<String>,
    /// How it was decided.
    pub province_why: String,
    /// The region found.
    pub region: Option<String>,
    /// The rule set that ran.
    pub rule_set: String,
    /// The report's year.
    pub report_year: Option<i32>,
    /// Where that year comes from.
    pub report_year_why: String,
}

/// Where the report's year comes from, in plain words.
pub fn report_year_why(doc: &Document) -> String {
    match (doc.report_year, doc.meta.year) {
        (None, _) => "no year in the title or the first part".into(),
        (Some(y), Some(t)) if y == t => format!(
            "from the title “{}”",
            clip(doc.meta.title.as_deref().unwrap_or(""), 30)
        ),
        (Some(y), _) if doc.report_year_source == Some(crate::text::ReportYearSource::PageDate) => {
            match (doc.meta.date, doc.meta.date_from) {
                (Some((py, pm)), Some(from)) => format!(
                    "weakly, from the page's date: the text names no year, and {from} dates the page {py}-{pm:02}{}",
                    if y != py {
                        " (a summary published early in the year reviews the year before)"
                    } else {
                        ""
                    }
                ),
                (Some((py, pm)), None) => format!("from the page's date {py}-{pm:02}"),
                _ => "from the page's date".into(),
            }
        }
        (Some(_), _) => "the year the report's first part names most often".into(),
    }
}

/// What a part after 其中 is, when it is taken instead of its whole.
pub fn part_wins_words(kind: crate::engine::resolve::PartWins) -> &'static str {
    use crate::engine::resolve::PartWins;
    match kind {
        PartWins::OwnRegion => "the region's own figure",
        PartWins::Passed => "the part that passed",
        PartWins::FirstTime => "the first-time part of a mixed count",
    }
}

/// The roles of a word that makes a figure a wider area's.
const WIDER: &[crate::lexicon::Role] = &[
    crate::lexicon::Role::WiderArea,
    crate::lexicon::Role::Nation,
    crate::lexicon::Role::ProvinceSelf,
];

/// The roles of a word that makes the figure after 其中 win over its whole.
pub(crate) const PART_WINS: &[crate::lexicon::Role] = &[
    crate::lexicon::Role::OwnRegion,
    crate::lexicon::Role::Passed,
    crate::lexicon::Role::FirstTime,
];

/// `其中 …, rules/lexicon.zb:NN`: the breakdown word with its lexicon line.
pub(crate) fn breakdown_word(lex: &crate::lexicon::Lexicon) -> String {
    let role = crate::lexicon::Role::Breakdown;
    match lex.words(role).next() {
        Some(w) => match lex.origin(role, w) {
            Some(o) => format!("{w} …, {o}"),
            None => format!("{w} …"),
        },
        None => "其中 …".to_string(),
    }
}

/// [`cite`] for the wider-area roles, for `zhibiao test`'s notes.
pub(crate) fn cite_wider(lex: &crate::lexicon::Lexicon, word: &str) -> String {
    cite(lex, WIDER, word)
}
