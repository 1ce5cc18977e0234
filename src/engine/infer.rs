//! Status, year and months of a fact, from the words around it.
//!
//! The rule's own `status` wins; otherwise cue words before the number in
//! its sentence decide (预计 … → estimate; 力争 目标 … → target), then the
//! section (a plan section → target). The year is the nearest year named
//! before the number in the sentence (not one it is compared with), else
//! the section heading's, else the report's (plus one in a plan section of a
//! summary report). Months come from 1-10月 / 前三季度 / 上半年 / 截至10月底.
//!
//! Every decision carries its reason ([`Reasons`]: the cue word, the year's
//! place, the heading …) as a small `Copy` value made from what the decision
//! looked at anyway, so `run` pays nothing for it and `explain` can say
//! "year 2021 from the title" or "estimate: 预计 heads this clause".

use std::ops::Range;

use daachorse::CharwiseDoubleArrayAhoCorasick;

use crate::diag::{Span, ceil_char_boundary, floor_char_boundary};
use crate::lexicon::{Lexicon, Role};
use crate::syntax::ast::Status;
use crate::text::calendar::{
    COMPARED_IN_TEXT, WHOLE_YEAR, names_period_end, opens_time_frame, plan_periods, title_months,
    year_mentions,
};
pub use crate::text::calendar::{months_at, months_in, year_at, year_in};
use crate::text::{ColumnKind, Document, ReportYearSource, SectionKind};

/// How far before a number (in bytes, about 300 Chinese characters) its
/// sentence is searched for cues, years and months. Keeps inference linear
/// in the report on sentences without end.
pub const CONTEXT_BYTES: usize = 1024;

/// The context of one fact, as inferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// actual / estimate / target.
    pub status: Status,
    /// The year the figure is for.
    pub year: Option<i32>,
    /// `"1-10"` for 1—10月; `None` for a whole year.
    pub months: Option<String>,
    /// Why each was decided so.
    pub why: Reasons,
}

/// Why [`infer`] decided a fact's status, year and months. Positions are
/// byte offsets into the normalized text ([`Document::text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reasons {
    /// Why the status.
    pub status: StatusReason,
    /// Why the year.
    pub year: YearReason,
    /// Why the months.
    pub months: MonthsReason,
}

/// Why a fact has its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReason {
    /// The rule fixes it (`status …` in the rule).
    Rule,
    /// A cue word (lexicon roles `estimate`, `target`; or `goal_after`
    /// right after it) before the number: in the number's own clause, or
    /// heading an earlier clause of its sentence.
    Cue {
        /// The cue word's length in bytes (the word is the text at `at`).
        len: usize,
        /// Where it stands.
        at: usize,
        /// True when it stands in the number's own clause.
        own_clause: bool,
    },
    /// The sentence names a year later than the report's: a goal.
    LaterYear {
        /// The year named.
        year: i32,
        /// Where (the year's first digit).
        at: usize,
        /// The report's year.
        report_year: i32,
    },
    /// Inside a plan, the sentence names a year before the plan's: the base
    /// the plan starts from.
    BeforePlan {
        /// The year named.
        year: i32,
        /// Where.
        at: usize,
        /// The year the plan is for.
        plan_year: i32,
    },
    /// No cue, in a plan section.
    PlanSection {
        /// The innermost section's heading.
        heading: Span,
    },
    /// No cue; the report is a plan (its title says).
    PlanReport,
    /// No cue; the paragraph opens with 下一步, 明年 … (a plan without a
    /// plan heading).
    PlanParagraph {
        /// Where the opening word stands.
        at: usize,
    },
    /// No cue; 以上 follows the number in a plan report.
    AtLeastInPlan {
        /// Where 以上 stands.
        at: usize,
    },
    /// No cue; the figure stands in a table column whose header says
    /// goals (目标, 任务) or results (完成情况, 进展).
    TableColumn {
        /// The column's header cell.
        header: Span,
    },
    /// No cue and not in a plan: achieved.
    NoCue,
}

/// Why a fact has its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearReason {
    /// Named before the number in its sentence (or clause run).
    Sentence {
        /// Where (the year's first digit).
        at: usize,
    },
    /// Named at the head of the sentence, before a ； that the number follows.
    SentenceHead {
        /// Where.
        at: usize,
    },
    /// The section's heading names it.
    Heading {
        /// The heading.
        heading: Span,
    },
    /// The report's year, from its title.
    Title,
    /// The report's year: the year named most often in its first part.
    MostNamed,
    /// The report's year: the year that opens most of its sentences.
    OpensSentences,
    /// The report's year, from the page's date (the year before, for a
    /// summary published in the first quarter).
    PageDate,
    /// A plan period's last year named in the sentence (`“十三五”末` → 2020).
    PeriodEnd {
        /// The period's last year (its name: `calendar::plan_period_name`).
        end: i32,
        /// Where it is named.
        at: usize,
    },
    /// A word in the sentence naming a year from the report's own (今年,
    /// 去年, 明年: the lexicon's `this_year`, `last_year`, `next_year`).
    Relative {
        /// Where the word stands.
        at: usize,
        /// Where it ends.
        end: usize,
        /// Years from the report's present (−1, 0, 1).
        shift: i32,
        /// Whether the present is the page's date (else the report's year).
        from_page: bool,
    },
    /// A five-year plan's starting point: the year before its period (a
    /// “十四五” plan's actual figures are for 2020).
    PlanBase {
        /// The period's last year (its name: `calendar::plan_period_name`).
        end: i32,
    },
    /// The year after the report's: a plan section in a summary report.
    NextYearPlan,
    /// A plan period's last year (十四五 → 2025) for a target.
    PlanPeriod {
        /// The period's last year (its name: `calendar::plan_period_name`).
        end: i32,
    },
    /// Nothing names a year.
    Unknown,
}

/// Why a fact has its months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MonthsReason {
    /// A period (1-10月, 前三季度 …) is named before the number.
    Named {
        /// Where the period's last word (月, 季度 …) starts.
        at: usize,
    },
    /// A period was named, but a later 全年 makes it the whole year.
    WholeYear {
        /// Where the period was named.
        at: usize,
    },
    /// The report's title names the part of the year it covers
    /// (…二季度进展情况, 上半年工作总结).
    Title,
    /// No period is named: the whole year.
    NotNamed,
}

/// Infers the context of a number at `number_start` in `doc`, matched by a
/// rule whose fixed status is `fixed`. `ratio`: the figure is a ratio (a
/// percentage), which is not taken to cover the months a period word
/// names at the head of an earlier part of the sentence (an annual ratio
/// often follows 1-11月 figures).
pub fn infer(
    lex: &Lexicon,
    doc: &Document,
    report_year: Option<i32>,
    number_start: usize,
    fixed: Option<Status>,
    ratio: bool,
) -> Context {
    let sentence = doc.sentence_at(number_start);
    // Look back at most CONTEXT_BYTES: a "sentence" of thousands of clauses
    // (a report punctuated with commas only) made every fact rescan it.
    let start = ceil_char_boundary(
        &doc.text,
        sentence
            .start
            .max(number_start.saturating_sub(CONTEXT_BYTES)),
    );
    let sentence = start..sentence.end;
    let before = &doc.text[sentence.start..number_start];
    // What follows the figure, to the end of its clause but at most
    // CONTEXT_BYTES: a clause without punctuation may be the whole report,
    // and every fact of it looked at its rest (issue 25, item 1).
    let after_end = floor_char_boundary(
        &doc.text,
        doc.clause_at(number_start)
            .end
            .min(number_start.saturating_add(CONTEXT_BYTES)),
    );
    let after = doc.text.get(number_start..after_end).unwrap_or("");
    crate::work::add(before.len() + after.len());
    let section = doc.section_at(number_start);
    let section_kind = section
        .map(|s| s.kind)
        .filter(|k| *k != SectionKind::Unknown)
        .or(doc.meta.kind)
        .unwrap_or(SectionKind::Unknown);
    let in_plan = section_kind == SectionKind::Plan;

    // A year that opens a sentence covers its ；-separated parts too
    // ("2023年，新增高企41家；科技型中小企业入库289家"), so the year is looked
    // for back to the last 。！？ or line break (within CONTEXT_BYTES).
    let window = number_start
        .saturating_sub(CONTEXT_BYTES)
        .min(sentence.start);
    let full_start = last_sentence_end(&doc.text, window..sentence.start).map_or_else(
        || {
            ceil_char_boundary(
                &doc.text,
                number_start
                    .saturating_sub(CONTEXT_BYTES)
                    .min(sentence.start),
            )
        },
        |(i, c)| i + c.len_utf8(),
    );
    let named = named_year(
        lex,
        doc,
        report_year,
        sentence.start,
        full_start,
        number_start,
    );
    let named_year = named.map(|(y, _)| y);
    // A plan section of a summary is for the next year — unless the report
    // covers the year's first months only ("上半年工作总结和下半年工作打算"):
    // then its plan is for the rest of the same year.
    let next_year_plan =
        in_plan && doc.meta.kind != Some(SectionKind::Plan) && !title_covers_early_months(doc);
    let section_year = doc.section_year_at(number_start);
    let base = match section_year {
        Some((y, s)) => Some((
            y,
            YearReason::Heading {
                heading: Span::new(s.heading.start, s.heading.end),
            },
        )),
        None => report_year.map(|y| {
            if next_year_plan {
                (y + 1, YearReason::NextYearPlan)
            } else {
                let why = match doc.report_year_source {
                    Some(ReportYearSource::Title) => YearReason::Title,
                    Some(ReportYearSource::OpensSentences) => YearReason::OpensSentences,
                    Some(ReportYearSource::PageDate) => YearReason::PageDate,
                    Some(ReportYearSource::MostNamed) | None => YearReason::MostNamed,
                };
                (y, why)
            }
        }),
    };
    // A table column whose header names a year (2024年目标值).
    let base = doc
        .table_cell_at(number_start)
        .and_then(|cell| {
            let now = Present::of(doc, report_year);
            let &(_, y, _) = years_in(lex, &doc.text, cell.header.clone(), now).first()?;
            Some((
                y,
                YearReason::Heading {
                    heading: Span::new(cell.header.start, cell.header.end),
                },
            ))
        })
        .or(base);
    let base_year = base.map(|(y, _)| y);
    let (year, year_why) = named
        .or(base)
        .map_or((None, YearReason::Unknown), |(y, why)| (Some(y), why));

    let (status, status_why) = match fixed {
        Some(st) => (st, StatusReason::Rule),
        None => decide_status(
            doc,
            Decide {
                lex,
                sentence_start: sentence.start,
                number_start,
                named: named.map(|(y, why)| (y, year_place(why))),
                report_year,
                base_year,
                in_plan,
                section_decides: section
                    .filter(|s| s.kind != SectionKind::Unknown)
                    .map(|s| Span::new(s.heading.start, s.heading.end)),
                after,
            },
        ),
    };
    // "到“十四五”末" names the plan period's last year.
    let (year, year_why) = match (status, named_year) {
        (Status::Target, None) if let Some(end) = plan_periods(before).map(|p| p.3).min() => {
            (Some(end), YearReason::PlanPeriod { end })
        }
        // A five-year plan states where it starts from and where it aims.
        (Status::Target, None) if let Some((_, end)) = doc.meta.period => {
            (Some(end), YearReason::PlanPeriod { end })
        }
        (_, None)
            if let Some((start, end)) = doc.meta.period
                && section_year.is_none() =>
        {
            (Some(start - 1), YearReason::PlanBase { end })
        }
        _ => (year, year_why),
    };
    // Months a paragraph or the title gives are the report year's: a figure
    // for another year ("“十三五”末", "2020年") does not take them.
    let same_year = year.is_none() || year == report_year;
    let (months, months_why) = match months_at(before) {
        Some((at, Some(m))) => (
            Some(m),
            MonthsReason::Named {
                at: sentence.start + at,
            },
        ),
        Some((at, None)) => (
            None,
            MonthsReason::WholeYear {
                at: sentence.start + at,
            },
        ),
        None => {
            // A period word heading the whole sentence (its ；-parts share
            // it), or the report's title naming part of a year.
            let head = &doc.text[full_start..sentence.start];
            if let Some(m) = (!ratio).then(|| months_heading(head)).flatten() {
                (
                    Some(m),
                    MonthsReason::Named {
                        at: full_start + (head.len() - head.trim_start().len()),
                    },
                )
            } else if let Some((m, at)) = (!ratio
                && status == Status::Actual
                && same_year
                && !opens_time_frame(doc.text[full_start..sentence.start].trim_start())
                && !opens_time_frame(before.trim_start()))
            .then(|| paragraph_months(doc, full_start))
            .flatten()
            {
                (Some(m), MonthsReason::Named { at })
            } else if let Some(m) =
                (status == Status::Actual && same_year && !before.contains(WHOLE_YEAR))
                    .then(|| doc.meta.title.as_deref().and_then(title_months))
                    .flatten()
            {
                (Some(m), MonthsReason::Title)
            } else {
                (None, MonthsReason::NotNamed)
            }
        }
    };
    Context {
        status,
        year,
        months,
        why: Reasons {
            status: status_why,
            year: year_why,
            months: months_why,
        },
    }
}

/// Where a year named in the sentence stands.
fn year_place(why: YearReason) -> usize {
    match why {
        YearReason::Sentence { at }
        | YearReason::SentenceHead { at }
        | YearReason::PeriodEnd { at, .. }
        | YearReason::Relative { at, .. } => at,
        _ => 0,
    }
}

/// What [`decide_status`] looks at.
struct Decide<'a> {
    /// The rule set's lexicon.
    lex: &'a Lexicon,
    sentence_start: usize,
    number_start: usize,
    /// A year named in the sentence, with its place.
    named: Option<(i32, usize)>,
    report_year: Option<i32>,
    base_year: Option<i32>,
    in_plan: bool,
    /// The heading of the section whose kind decides (when it is not the
    /// report's title that decides).
    section_decides: Option<Span>,
    /// From the number to the end of its clause.
    after: &'a str,
}

/// The status of a figure whose rule does not fix one, with its reason.
fn decide_status(doc: &Document, d: Decide<'_>) -> (Status, StatusReason) {
    let cue = cue_status(d.lex, doc, d.sentence_start, d.number_start);
    let cue_kind = cue.map(|(st, _)| st);
    if let (Some((y, at)), Some(r)) = (d.named, d.report_year) {
        // A figure for a later year than the report's is a goal …
        if y > r && cue_kind != Some(Status::Estimate) {
            return (
                Status::Target,
                StatusReason::LaterYear {
                    year: y,
                    at,
                    report_year: r,
                },
            );
        }
        // … and one for a year before the plan's, named inside a plan,
        // is the base the plan starts from.
        if d.in_plan
            && cue.is_none()
            && let Some(b) = d.base_year.filter(|b| y < *b)
        {
            return (
                Status::Actual,
                StatusReason::BeforePlan {
                    year: y,
                    at,
                    plan_year: b,
                },
            );
        }
    }
    // "围绕新增高企130家目标": 目标 right after the figure (unless the clause
    // says it was reached: 完成…目标).
    let goal_after = || {
        let after: String = d.after.chars().take(GOAL_AFTER_CHARS).collect();
        let (at, len) = d
            .lex
            .words(Role::GoalAfter)
            .filter_map(|w| after.find(w).map(|i| (i, w.len())))
            .min()?;
        let clause = doc.clause_at(d.number_start);
        let from = ceil_char_boundary(
            &doc.text,
            clause
                .start
                .max(d.number_start.saturating_sub(CONTEXT_BYTES)),
        );
        let before = doc.text.get(from..d.number_start).unwrap_or("");
        crate::work::add(before.len());
        (!d.lex.contains(Role::GoalMet, before)).then_some((d.number_start + at, len))
    };
    match cue {
        Some((st, why)) => (st, why),
        None if let Some((at, len)) = goal_after() => (
            Status::Target,
            StatusReason::Cue {
                len,
                at,
                own_clause: true,
            },
        ),
        None if let Some(cell) = doc
            .table_cell_at(d.number_start)
            .filter(|c| c.column != ColumnKind::Other) =>
        {
            (
                if cell.column == ColumnKind::Goal {
                    Status::Target
                } else {
                    Status::Actual
                },
                StatusReason::TableColumn {
                    header: Span::new(cell.header.start, cell.header.end),
                },
            )
        }
        None if !d.in_plan
            && let Some(at) = plan_paragraph(d.lex, doc, d.number_start) =>
        {
            (Status::Target, StatusReason::PlanParagraph { at })
        }
        None if d.in_plan => (
            Status::Target,
            match d.section_decides {
                Some(heading) => StatusReason::PlanSection { heading },
                None => StatusReason::PlanReport,
            },
        ),
        None => match d.after.find(AT_LEAST) {
            Some(i) if doc.meta.kind == Some(SectionKind::Plan) => (
                Status::Target,
                StatusReason::AtLeastInPlan {
                    at: d.number_start + i,
                },
            ),
            _ => (Status::Actual, StatusReason::NoCue),
        },
    }
}

/// How many characters into a clause a year may stand and still head it
/// ("2022年，…", "截至2023年底…", "我局在2022年…"); a year further in
/// belongs to what the clause says ("某项目荣获2029年省科技进步奖").
const YEAR_HEAD_CHARS: usize = 4;

/// How many characters into a sentence a period word may stand and still
/// head it ("一季度，…", "1-10月份，…").
const MONTHS_HEAD_CHARS: usize = 10;

/// The year named for the figure at `number_start`: the last one named in
/// its own clause before it; else one heading an earlier clause of its
/// sentence; else one heading the whole sentence up to 。 (its ；-separated
/// parts share it). A year in a clause about something else ("荣获2018年省
/// 科技进步奖；全年新增…") names nothing for the figure.
fn named_year(
    lex: &Lexicon,
    doc: &Document,
    report_year: Option<i32>,
    sentence_start: usize,
    full_start: usize,
    number_start: usize,
) -> Option<(i32, YearReason)> {
    let text = doc.text.as_str();
    let clause = doc.clause_at(number_start);
    let own_start = clause.start.max(sentence_start);
    let now = Present::of(doc, report_year);
    if let Some(&(at, y, m)) = years_in(lex, text, own_start..number_start, now).last() {
        return Some((y, m.reason(at, false)));
    }
    let heads = |start: usize, end: usize, whole: bool| {
        // Only the head can name the year: a mention starting within
        // YEAR_HEAD_CHARS, of at most eight characters (“十三五”末期).
        let head_end =
            crate::diag::floor_char_boundary(text, end.min(start + (YEAR_HEAD_CHARS + 8) * 4));
        years_in(lex, text, start..head_end, now)
            .into_iter()
            .find(|(at, _, _)| text[start..*at].chars().count() <= YEAR_HEAD_CHARS)
            .or_else(|| {
                // A year that ends its clause frames what follows, wherever
                // the clause starts (`…4月12日电 2016年,经…`).
                let tail = years_in(lex, text, start..end, now).pop()?;
                ends_clause_as_year(&text[tail.0..end]).then_some(tail)
            })
            .map(|(at, y, m)| (y, m.reason(at, whole)))
    };
    // Earlier clauses of the sentence, nearest first.
    let mut end = own_start;
    while end > sentence_start {
        let Some(prev) = text[..end].char_indices().next_back().map(|(i, _)| i) else {
            break;
        };
        if prev < sentence_start {
            break;
        }
        let c = doc.clause_at(prev);
        let start = c.start.max(sentence_start);
        if let Some(y) = heads(start, end, false) {
            return Some(y);
        }
        end = start;
    }
    if full_start < sentence_start {
        return heads(full_start, sentence_start, true);
    }
    None
}

/// True when `s`, from a year mention to its clause's end, is the year
/// alone (`2016年,`, `2016年度:`): a time frame for the clauses after it.
fn ends_clause_as_year(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    digits == 4
        && s[digits..]
            .trim_end_matches([',', ':', ';', ' '])
            .trim_end_matches('度')
            == "年"
}

/// How a year is named ([`years_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mention {
    /// `2022年`.
    Year,
    /// `“十三五”末`: a plan period's last year.
    PeriodEnd(i32),
    /// A word for a year from the report's present (今年, 去年, 明年).
    Relative {
        /// Where the word ends.
        end: usize,
        /// Years from the present.
        shift: i32,
        /// Whether the present is the page's date.
        from_page: bool,
    },
}

/// What a report's words for years count from: 今年 and 明年 from the
/// year the report covers (a summary published on 2 January still says 今年
/// of the year it reviews), 去年 from the page's date (a summary published
/// late in January calls that year 去年). Without a page date 去年 is left
/// unread: a report dated only by its text may be written the year after.
#[derive(Debug, Clone, Copy)]
struct Present {
    report_year: Option<i32>,
    page_year: Option<i32>,
}

impl Present {
    fn of(doc: &Document, report_year: Option<i32>) -> Present {
        Present {
            report_year,
            page_year: doc.meta.date.map(|(y, _)| y),
        }
    }
}

impl Mention {
    /// The reason for a year named so at `at`; `whole`: at the head of the
    /// whole sentence, whose ；-separated part the number is in.
    fn reason(self, at: usize, whole: bool) -> YearReason {
        match self {
            Mention::Year if whole => YearReason::SentenceHead { at },
            Mention::Year => YearReason::Sentence { at },
            Mention::PeriodEnd(end) => YearReason::PeriodEnd { end, at },
            Mention::Relative {
                end,
                shift,
                from_page,
            } => YearReason::Relative {
                at,
                end,
                shift,
                from_page,
            },
        }
    }
}

/// The years named in `range` of `text` that a figure can be *for*, with
/// their places: `2022年` (not `较2021年`, `2021年以来`, nor one inside
/// 《…》), the last year of a plan period (`“十三五”末` → 2020), and the
/// lexicon's words for this, last and next year ([`Present`]).
fn years_in(
    lex: &Lexicon,
    text: &str,
    range: Range<usize>,
    now: Present,
) -> Vec<(usize, i32, Mention)> {
    let part = &text[range.clone()];
    crate::work::add(part.len());
    let mut out = Vec::new();
    for (start, y) in year_mentions(part) {
        // "成为2020年全国…改革以来": a year a later 以来 in its clause refers to.
        let rest = &part[start..];
        let clause_rest = &rest[..rest.find([',', ';', '。', '、']).unwrap_or(rest.len())];
        let in_book_title = part[..start].rfind('《') > part[..start].rfind('》');
        if clause_rest.contains(SINCE) || in_book_title {
            continue;
        }
        out.push((range.start + start, y, Mention::Year));
    }
    // Plan periods all hold 五 (most clauses have none).
    if part.contains('五') {
        for (at, len, _, end_year) in plan_periods(part) {
            let after = part[at + len..].trim_start_matches(['”', '"', '’']);
            if names_period_end(after) {
                out.push((range.start + at, end_year, Mention::PeriodEnd(end_year)));
            }
        }
    }
    let roles = [
        (Role::ThisYear, 0, now.report_year, false),
        (Role::LastYear, -1, now.page_year, true),
        (Role::NextYear, 1, now.report_year, false),
    ];
    for (role, shift, present, from_page) in roles {
        if let Some(r) = present {
            for word in lex.words(role) {
                for (at, _) in part.match_indices(word) {
                    let before = part[..at].chars().next_back();
                    let after = &part[at + word.len()..];
                    // Not a comparison (比去年, 较去年同期), and not the 明
                    // of 说明, 表明 (表明年均增长): the word opens a clause
                    // or follows a word of time or intent.
                    let compared = COMPARED_IN_TEXT.iter().any(|w| part[..at].ends_with(w))
                        || after.starts_with("同期");
                    let inside_word = shift == 1
                        && before.is_some_and(|c| {
                            ('\u{4e00}'..='\u{9fff}').contains(&c)
                                && !"到至在于计争保将".contains(c)
                        });
                    if !compared && !inside_word {
                        let end = range.start + at + word.len();
                        let mention = Mention::Relative {
                            end,
                            shift,
                            from_page,
                        };
                        out.push((range.start + at, r + shift, mention));
                    }
                }
            }
        }
    }
    out.sort_by_key(|(at, _, _)| *at);
    out
}

/// How many characters after a number 目标 may stand to make it a goal
/// ("130家目标", "130家的目标任务").
const GOAL_AFTER_CHARS: usize = 6;

/// A word after a year that makes it where a span starts (2021年以来).
const SINCE: &str = "以来";

/// The qualifier after a figure that makes it a floor (a plan's 200家以上).
const AT_LEAST: &str = "以上";

/// Where a word of the lexicon's `plan_opener` role opens the paragraph
/// (line) holding `at`, if one does.
fn plan_paragraph(lex: &Lexicon, doc: &Document, at: usize) -> Option<usize> {
    let text = doc.text.as_str();
    let from = at.saturating_sub(CONTEXT_BYTES);
    let from = ceil_char_boundary(text, from);
    let line_start = memchr::memrchr(b'\n', &text.as_bytes()[from..at])
        .map_or(if from == 0 { Some(0) } else { None }, |i| {
            Some(from + i + 1)
        })?;
    let line = &text[line_start..at];
    let trimmed = line.trim_start_matches([' ', '\u{3000}']);
    let lead = line.len() - trimmed.len();
    // Past a list marker (一是, (一), 1.) the paragraph's first words.
    let body = trimmed.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "一二三四五六七八九十()、.是".contains(c)
    });
    lex.starts_with(Role::PlanOpener, body)
        .then_some(line_start + lead + (trimmed.len() - body.len()))
}

/// The last 。 ! ? or line break in `range` of `text` (a character range),
/// with its position: found with `memrchr` rather than by decoding each
/// character back from the end.
fn last_sentence_end(text: &str, range: Range<usize>) -> Option<(usize, char)> {
    let hay = &text.as_bytes()[range.clone()];
    let ascii = memchr::memrchr3(b'!', b'?', b'\n', hay);
    let full_stop = memchr::memmem::rfind(hay, "。".as_bytes());
    match (ascii, full_stop) {
        (Some(a), Some(f)) if f > a => Some((range.start + f, '。')),
        (Some(a), _) => Some((range.start + a, char::from(hay[a]))),
        (None, Some(f)) => Some((range.start + f, '。')),
        (None, None) => None,
    }
}

/// Byte position of the last cue in `text` that is not inside quotes or
/// book-title marks (“双创计划”, 《…计划》 name things, they set no goal),
/// with the cue's index in its list (`words`).
fn last_cue(
    lex: &Lexicon,
    text: &str,
    cues: &CharwiseDoubleArrayAhoCorasick<u32>,
) -> Option<(usize, usize)> {
    cues.find_overlapping_iter(text)
        .filter(|m| {
            !lex.starts_with(Role::Secured, &text[m.end()..])
                || !text[m.start()..m.end()].ends_with(SECURED_CUE)
        })
        .filter(|m| !reached_year(lex, &text[..m.start()], &text[m.start()..m.end()]))
        .map(|m| (m.start(), m.value() as usize))
        .filter(|&(i, _)| !inside_quotes(text, i))
        .max_by_key(|&(i, _)| i)
}

/// True when a "到2030年" cue is the 到 of a verb of reaching (增加到2030年的
/// 257家; lexicon role `reach_verb`): the year dates a figure reached, it
/// sets no goal.
fn reached_year(lex: &Lexicon, before: &str, cue: &str) -> bool {
    (cue.starts_with('到') || cue.starts_with('至')) && lex.ends_with(Role::ReachVerb, before)
}

/// The target cue that the lexicon's `secured` words can turn into a report
/// of funding won (争取省级项目资金, 争取到…), not a goal.
const SECURED_CUE: &str = "争取";

fn inside_quotes(text: &str, at: usize) -> bool {
    let head = &text[..at];
    let open = head.matches(['“', '《', '「']).count();
    let close = head.matches(['”', '》', '」']).count();
    open > close
}

/// How many characters may stand before a cue at the head of a clause for
/// the cue to reach the following clauses ("全年预计…", "2023年力争…").
const CUE_HEAD_CHARS: usize = 8;

/// The status cue that governs a number: a cue earlier in the number's own
/// clause, else a cue heading an earlier clause of the sentence, as long as
/// no clause in between opens a new time frame (1-9月份, 2022年, 全年 …)
/// and no clause before the cue's holds a figure (the cue then opens the
/// sentence's list of figures: "力争新增高企20家，科小入库300家"; in
/// "目前已申报583家，预计总数1100家，入库科小1009家" 预计 is about its own
/// clause). A sentence ended by ; continues one opened before it, unless it
/// opens with an item marker (二是, (二), 2.).
fn cue_status(
    lex: &Lexicon,
    doc: &Document,
    sentence_start: usize,
    number_start: usize,
) -> Option<(Status, StatusReason)> {
    let text = doc.text.as_str();
    let own_sentence = sentence_start;
    let sentence_start = list_start(lex, doc, sentence_start, number_start);
    let mut clause = doc.clause_at(number_start);
    let mut end = number_start;
    let mut own = true;
    loop {
        let start = clause.start.max(sentence_start);
        let part = text.get(start..end).unwrap_or("");
        crate::work::add(part.len());
        let (estimate, target) = lex.cues()?;
        let est = last_cue(lex, part, estimate);
        let tgt = last_cue(lex, part, target);
        let head_ok = |(p, _): &(usize, usize)| own || part[..*p].chars().count() <= CUE_HEAD_CHARS;
        let reason = |(p, w): (usize, usize), role: Role| StatusReason::Cue {
            len: lex.nth(role, w).map_or(0, str::len),
            at: start + p,
            own_clause: own,
        };
        let pick = match (est.filter(head_ok), tgt.filter(head_ok)) {
            (Some(e), Some(t)) => Some(if e.0 > t.0 {
                (Status::Estimate, reason(e, Role::Estimate))
            } else {
                (Status::Target, reason(t, Role::Target))
            }),
            (Some(e), None) => Some((Status::Estimate, reason(e, Role::Estimate))),
            (None, Some(t)) => Some((Status::Target, reason(t, Role::Target))),
            (None, None) => None,
        };
        if pick.is_some() {
            let own_list = doc.sentence_at(start).start.max(sentence_start);
            if !own && holds_figure(text.get(own_list..start).unwrap_or("")) {
                return None;
            }
            // A cue reaches over ; only from the list's first part.
            if own_list < own_sentence && text[..own_list].ends_with(';') {
                return None;
            }
            return pick;
        }
        if opens_time_frame(part) || start <= sentence_start {
            return None;
        }
        // Step back over the clause mark to the previous clause.
        let prev = text[..start].char_indices().next_back().map(|(i, _)| i)?;
        if prev < sentence_start {
            return None;
        }
        clause = doc.clause_at(prev);
        // The clause mark stays with its clause: a cue may end with it (目标:).
        end = start;
        own = false;
    }
}

/// Where the list a sentence belongs to starts: the sentence's start, or,
/// while the sentence before ends with ; and this one does not open with
/// an item marker, that one's (within [`CONTEXT_BYTES`] of the number).
fn list_start(lex: &Lexicon, doc: &Document, sentence_start: usize, number_start: usize) -> usize {
    let text = doc.text.as_str();
    let mut start = sentence_start;
    while start > 0 && number_start - start < CONTEXT_BYTES {
        let Some(before) = text[..start].strip_suffix(';') else {
            break;
        };
        let upto = text.get(start..number_start).unwrap_or("");
        if opens_item(&text[start..]) || lex.contains(Role::Done, upto) {
            break;
        }
        let prev = doc.sentence_at(before.len().saturating_sub(1)).start;
        if prev >= start || number_start - prev > CONTEXT_BYTES {
            break;
        }
        start = prev;
    }
    start
}

/// True when `s` opens with an item marker (一是, (二), 2., 一、 …): the
/// text layer's heading-marker reader decides.
fn opens_item(s: &str) -> bool {
    crate::text::heading_level(s).is_some()
}

/// True when `s` holds a figure: digits that are not a year, month, day or
/// a range's first half (2023年, 1-9月, 3月1日 are dates, not figures).
fn holds_figure(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let run = b[i..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .count();
        let after = s[i + run..].trim_start_matches(' ');
        // A figure has a unit (or a qualifier before it): "583家", "3.6亿元",
        // "10余项"; "6+1" or a code does not count, nor dates.
        if crate::text::units::unit_follows(after) {
            return true;
        }
        i += run;
    }
    false
}

/// The months named at the head of `text` (a sentence that a period word
/// opens covers its ；-separated parts: "一季度，…；…完成583万元").
fn months_heading(text: &str) -> Option<String> {
    let text_head = text.trim_start();
    let end = text_head
        .char_indices()
        .nth(MONTHS_HEAD_CHARS)
        .map_or(text_head.len(), |(i, _)| i);
    let m = months_in(&text_head[..end])?;
    (!text.contains(WHOLE_YEAR)).then_some(m)
}

/// The months named at the head of an earlier sentence of the paragraph
/// (line) whose sentence starts at `start`, with where: "2023年1-6月份，全县
/// 研发投入…。技术合同成交额为7424万元。" The nearest heading wins; a 全年 on the
/// way means the whole year.
fn paragraph_months(doc: &Document, start: usize) -> Option<(String, usize)> {
    let text = doc.text.as_str();
    let floor = ceil_char_boundary(text, start.saturating_sub(CONTEXT_BYTES));
    let mut end = start;
    loop {
        // Back over the mark that ends the sentence before `end`; a line
        // break there is the paragraph's start.
        let head = text.get(floor..end)?;
        let trimmed = head.trim_end_matches(['。', '!', '?', ' ']);
        if trimmed.len() == head.len() || trimmed.ends_with('\n') || trimmed.is_empty() {
            return None;
        }
        let e = floor + trimmed.len();
        let begin = match last_sentence_end(text, floor..e) {
            Some((i, c)) => i + c.len_utf8(),
            None if floor == 0 => 0,
            None => return None,
        };
        let sentence = text.get(begin..e).unwrap_or("");
        if sentence.contains(WHOLE_YEAR) {
            return None;
        }
        if let Some(m) = months_heading(sentence) {
            return Some((m, begin + (sentence.len() - sentence.trim_start().len())));
        }
        // A sentence that opens with a heading marker (三是…, (二)…) or a
        // time frame of its own starts a new topic.
        let opening = sentence.trim_start();
        if crate::text::heading_level(opening).is_some() || opens_time_frame(opening) {
            return None;
        }
        if begin <= floor {
            return None;
        }
        end = begin;
    }
}

/// True when the report's title says it covers the year's first months, up
/// to September at most (上半年, 前三季度, 1-6月).
fn title_covers_early_months(doc: &Document) -> bool {
    doc.meta
        .title
        .as_deref()
        .and_then(title_months)
        .and_then(|m| m.rsplit('-').next().and_then(|end| end.parse::<u32>().ok()))
        .is_some_and(|end| end <= 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        /// The last sentence end, found with memrchr, is the one a walk back
        /// over the characters finds.
        #[test]
        fn last_sentence_end_is_the_last_one(text in "[a!?。\n高企,é]{0,40}", from in 0usize..120) {
            // Any byte, as in `infer` (the window may start inside a character).
            let from = from.min(text.len());
            let walk = text
                .char_indices()
                .rev()
                .take_while(|&(i, _)| i >= from)
                .find(|&(_, c)| matches!(c, '。' | '!' | '?' | '\n'));
            proptest::prop_assert_eq!(last_sentence_end(&text, from..text.len()), walk);
        }
    }

    #[test]
    fn cue_automata_build_and_find_the_last_cue() {
        let lex = Lexicon::shipped();
        let (estimate, target) = lex.cues().expect("the cue lists build");
        assert_eq!(
            last_cue(lex, "预计全年有望", estimate),
            Some(("预计全年".len(), 3))
        );
        assert_eq!(last_cue(lex, "实施“力争计划”,完成", target), None);
    }

    /// `year_in` as first written: every position tried.
    fn year_in_by_position(text: &str) -> Option<i32> {
        let bytes = text.as_bytes();
        let mut found = None;
        let mut i = 0;
        while i + 5 <= bytes.len() {
            if bytes[i..i + 4].iter().all(u8::is_ascii_digit)
                && (i == 0 || !bytes[i - 1].is_ascii_digit())
                && text[i + 4..].starts_with('年')
            {
                let year: i32 = text[i..i + 4].parse().unwrap_or(0);
                let prefix = &text[..i];
                let suffix = &text[i + 4 + '年'.len_utf8()..];
                let compared = [
                    "较", "比", "同比", "与", "自", "从", "由", "相比", "超过", "高于",
                ]
                .iter()
                .any(|w| prefix.ends_with(w));
                let since = ["以来", "同期", "相比", "水平"]
                    .iter()
                    .any(|w| suffix.starts_with(w));
                let range_start = prefix.ends_with('-');
                if (1990..=2100).contains(&year) && ((!compared && !since) || range_start) {
                    found = Some(year);
                }
                i += 4;
            } else {
                i += 1;
            }
        }
        found
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        /// Looking at each 年 finds what trying every position found.
        #[test]
        fn year_in_looks_at_every_year(text in "[0-9年较以来底-]{0,16}|(20[0-9][0-9]年[较以来底-]?){1,4}") {
            proptest::prop_assert_eq!(year_in(&text), year_in_by_position(&text));
        }
    }

    #[test]
    fn years_for_not_compared_with() {
        assert_eq!(year_in("2022年全市新增"), Some(2022));
        assert_eq!(year_in("较2021年增长"), None);
        assert_eq!(year_in("2021年以来累计"), None);
        assert_eq!(year_in("2021年完成,2022年力争"), Some(2022));
        assert_eq!(year_in("第12345年"), None);
    }

    /// Infers the context of the first `number` in `text` (a whole report).
    fn context_of(text: &str, number: &str) -> (Document, Context) {
        let doc = crate::text::read_report("t.txt", text.as_bytes(), None).expect("reads");
        let at = doc.text.find(number).expect("number in text");
        let ctx = infer(Lexicon::shipped(), &doc, doc.report_year, at, None, false);
        (doc, ctx)
    }

    /// The text at a reason's place, `len` characters long.
    fn at(doc: &Document, at: usize, len: usize) -> String {
        doc.text[at..].chars().take(len).collect()
    }

    #[test]
    fn reasons_name_the_cue_and_the_title() {
        let (doc, c) = context_of(
            "桃源县科技局2031年工作总结\n全县预计新增科技企业47家。",
            "47",
        );
        assert_eq!((c.status, c.year), (Status::Estimate, Some(2031)));
        let StatusReason::Cue {
            len,
            at: p,
            own_clause,
        } = c.why.status
        else {
            panic!("{:?}", c.why.status)
        };
        assert_eq!(
            (len, own_clause, at(&doc, p, 2).as_str()),
            ("预计".len(), true, "预计")
        );
        // The title line heads the report as a section of its own.
        let YearReason::Heading { heading } = c.why.year else {
            panic!("{:?}", c.why.year)
        };
        assert!(doc.text[heading.start..heading.end].contains("2031年工作总结"));
        assert_eq!(c.why.months, MonthsReason::NotNamed);
        let (_, c) = context_of(
            "科技简报\n2031年,全县新增科技企业47家。\n2031年经费3亿元。",
            "47",
        );
        assert!(
            matches!(c.why.year, YearReason::Sentence { .. }),
            "{:?}",
            c.why.year
        );
    }

    #[test]
    fn reasons_tell_the_title_from_the_most_named_year() {
        let page = "<html><head><title>桃源县2031年科技工作总结</title></head><body><p>全县新增高企47家。</p></body></html>";
        let (_, c) = context_of(page, "47");
        assert_eq!((c.year, c.why.year), (Some(2031), YearReason::Title));
        let (_, c) = context_of(
            "全县新增高企47家。\n比2028年多。2030年成效显著,2030年底验收。",
            "47",
        );
        assert_eq!(
            (c.year, c.why.year),
            (Some(2030), YearReason::OpensSentences)
        );
        let (_, c) = context_of(
            "全县新增高企47家。\n比2028年多,完成了2030年目标和2030年任务。",
            "47",
        );
        assert_eq!((c.year, c.why.year), (Some(2030), YearReason::MostNamed));
    }

    #[test]
    fn reasons_name_a_cue_heading_an_earlier_clause() {
        let (doc, c) = context_of("桃源县2031年工作总结\n力争全年,新增高企12家。", "12");
        let StatusReason::Cue {
            len,
            at,
            own_clause: false,
        } = c.why.status
        else {
            panic!("{:?}", c.why.status)
        };
        assert_eq!(&doc.text[at..at + len], "力争");
    }

    #[test]
    fn next_year_is_named_by_mingnian_but_not_by_the_ming_of_biaoming() {
        let (_, c) = context_of("桃源县2031年工作总结\n明年,全县高企达到300家。", "300");
        assert_eq!(c.year, Some(2032));
        let (_, c) = context_of("桃源县2031年工作总结\n数据表明年内高企达到300家。", "300");
        assert_eq!(c.year, Some(2031));
    }

    #[test]
    fn reasons_name_the_plan_heading_and_its_year() {
        let text = "桃源县2031年工作总结\n一、工作成效\n新增高企12家。\n二、2032年工作计划\n新增高企57家。";
        let (doc, c) = context_of(text, "57");
        assert_eq!((c.status, c.year), (Status::Target, Some(2032)));
        let StatusReason::PlanSection { heading } = c.why.status else {
            panic!("{:?}", c.why.status)
        };
        assert!(doc.text[heading.start..heading.end].contains("工作计划"));
        assert!(matches!(c.why.year, YearReason::Heading { .. }));
    }

    #[test]
    fn reasons_name_the_year_and_months_in_the_sentence() {
        let (doc, c) = context_of("简报\n2030年1-9月,技术合同成交额8.5亿元。", "8.5");
        assert_eq!((c.year, c.months.as_deref()), (Some(2030), Some("1-9")));
        let YearReason::Sentence { at: y } = c.why.year else {
            panic!("{:?}", c.why.year)
        };
        assert_eq!(at(&doc, y, 5), "2030年");
        let MonthsReason::Named { at: m } = c.why.months else {
            panic!("{:?}", c.why.months)
        };
        assert_eq!(at(&doc, m, 1), "月");
        assert_eq!(c.why.status, StatusReason::NoCue);
    }

    #[test]
    fn reasons_name_a_later_year_and_a_whole_year() {
        let (_, c) = context_of("桃源县2031年工作总结\n到2035年,高企达到300家。", "300");
        assert!(
            matches!(
                c.why.status,
                StatusReason::LaterYear {
                    year: 2035,
                    report_year: 2031,
                    ..
                }
            ),
            "{:?}",
            c.why.status
        );
        let (_, c) = context_of(
            "桃源县2031年工作总结\n1-10月完成,全年实现产值15亿元。",
            "15",
        );
        assert!(
            matches!(c.why.months, MonthsReason::WholeYear { .. }),
            "{:?}",
            c.why.months
        );
        assert_eq!(c.months, None);
    }

    #[test]
    fn months_ranges_and_quarters() {
        assert_eq!(months_in("1-10月,全市完成"), Some("1-10".into()));
        assert_eq!(months_in("1-11月份高新技术产业产值"), Some("1-11".into()));
        assert_eq!(months_in("前三季度实现"), Some("1-9".into()));
        assert_eq!(months_in("截至10月底,全市"), Some("1-10".into()));
        assert_eq!(months_in("全年新增"), None);
        assert_eq!(months_in("10月18日开园"), None);
    }
}
