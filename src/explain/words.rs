//! Plain words for what explain found: inference reasons, where a walk
//! broke off, and changes to a rule in the rule file's own terms ("add
//! “拥有量” to `let 达` (rules/common.zb:27)").
//!
//! A change is worded from the compiled rule's instruction spans: the text
//! the author wrote there (a quoted word, a group in brackets, a gap, a
//! capture or a pattern name) says what to edit, and a pattern name is
//! looked up among the rule files' `let`s to point at its definition.

use std::collections::HashMap;
use std::ops::Range;

use super::fix::{Edit, expected_at};
use crate::compile::{Accept, CompiledRule, Inst};
use crate::diag::{FileId, Sources, Span, ceil_char_boundary, floor_char_boundary};
use crate::engine::Progress;
use crate::engine::infer::{MonthsReason, Reasons, StatusReason, YearReason};
use crate::lexicon::{Lexicon, Role};
use crate::syntax::ast::{Item, Pattern, PatternKind};
use crate::text::{Document, is_clause_break, is_sentence_break};

/// At most this many characters of a quoted heading or title.
const QUOTE_CHARS: usize = 24;

/// `s` clipped to `n` characters, with … when clipped.
pub fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// The normalized text in `r`, clipped, on one line.
fn quote(doc: &Document, r: Range<usize>) -> String {
    let t = doc.text.get(r).unwrap_or("").trim();
    clip(&t.replace('\n', " "), QUOTE_CHARS)
}

/// A five-year plan period's name from its last year (十四五 for 2025).
fn period(end: i32) -> String {
    crate::text::calendar::plan_period_name(end).unwrap_or_else(|| "规划期".to_string())
}

/// `“word” (rules/lexicon.zb:21)`: a word with the lexicon line that gave
/// it the first of `roles` it has (or `“word”` when it has none of them).
pub fn cite(lex: &Lexicon, roles: &[Role], word: &str) -> String {
    match roles.iter().find_map(|r| lex.origin(*r, word)) {
        Some(o) => format!("“{word}” ({o})"),
        None => format!("“{word}”"),
    }
}

/// The words of `role` in `text`, each cited with its lexicon line
/// (longest first at each place; other characters are passed over), each
/// distinct word once.
pub fn cite_words_in(lex: &Lexicon, role: Role, text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        if let Some(w) = lex.word_at(role, rest) {
            if !seen.contains(&w) {
                seen.push(w);
                out.push(cite(lex, &[role], w));
            }
            at += w.len();
        } else {
            at += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The word of `role` held in `text` (the first found, longest at its
/// place), cited with its lexicon line.
fn cite_first_in(lex: &Lexicon, role: Role, text: &str) -> Option<String> {
    cite_words_in(lex, role, text).into_iter().next()
}

/// Why a fact has its status, in plain words, citing the lexicon line of
/// the word that decided it (a cue, a plan opener, a plan heading's word, a
/// table column's word).
pub fn status_reason(lex: &Lexicon, doc: &Document, why: &Reasons) -> String {
    let cue = |at: usize, len: usize| {
        let word = doc.text.get(at..at + len).unwrap_or("");
        // The lexicon line that made it a cue, when it is one.
        let origin = [Role::Estimate, Role::Target, Role::GoalAfter]
            .into_iter()
            .find_map(|r| lex.origin(r, word));
        match origin {
            Some(o) => format!("“{word}” ({o})"),
            None => format!("“{word}”"),
        }
    };
    match why.status {
        StatusReason::Rule => "the rule fixes it (`status`)".into(),
        StatusReason::Cue {
            len,
            at,
            own_clause: true,
        } => format!("{} stands before it in its clause", cue(at, len)),
        StatusReason::Cue { len, at, .. } => {
            format!("{} heads an earlier clause of its sentence", cue(at, len))
        }
        StatusReason::LaterYear {
            year, report_year, ..
        } => format!("the sentence names {year}, later than the report's {report_year}"),
        StatusReason::BeforePlan {
            year, plan_year, ..
        } => format!(
            "the sentence names {year}, before the plan's {plan_year}: the base the plan starts from"
        ),
        StatusReason::PlanSection { heading } => {
            let h = doc.text.get(heading.start..heading.end).unwrap_or("");
            let shipped = Lexicon::shipped();
            let word = cite_first_in(shipped, Role::PlanHeading, h)
                .or_else(|| cite_first_in(shipped, Role::WeakPlanHeading, h));
            match word {
                Some(w) => format!(
                    "no cue word; in the plan section “{}” ({w})",
                    quote(doc, heading.start..heading.end)
                ),
                None => format!(
                    "no cue word; in the plan section “{}”",
                    quote(doc, heading.start..heading.end)
                ),
            }
        }
        StatusReason::PlanReport => match &doc.meta.kind_declared_by {
            Some(by) => format!("no cue word; the report is a plan ({by})"),
            None => "no cue word; the report is a plan (its title says)".into(),
        },
        StatusReason::PlanParagraph { at } => {
            let opener = doc
                .text
                .get(at..)
                .and_then(|t| lex.word_at(Role::PlanOpener, t))
                .map(|w| format!(" ({})", cite(lex, &[Role::PlanOpener], w)))
                .unwrap_or_default();
            format!(
                "no cue word; its paragraph opens with “{}”{opener}: what is to be done",
                quote(doc, at..crate::diag::floor_char_boundary(&doc.text, at + 9))
            )
        }
        StatusReason::AtLeastInPlan { .. } => "“以上” follows it in a plan".into(),
        StatusReason::TableColumn { header } => {
            let h = doc.text.get(header.start..header.end).unwrap_or("");
            let shipped = Lexicon::shipped();
            let word = cite_first_in(shipped, Role::TableGoal, h)
                .or_else(|| cite_first_in(shipped, Role::TableResult, h))
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            format!(
                "no cue word; it stands in the table column “{}”{word}",
                quote(doc, header.start..header.end)
            )
        }
        StatusReason::NoCue => {
            "no cue word (预计, 力争 …) before it, and not in a plan section".into()
        }
    }
}

/// Why a fact has its year, in plain words.
pub fn year_reason(doc: &Document, why: &Reasons) -> String {
    let year_at = |at: usize| quote(doc, at..(at + 7).min(doc.text.len()));
    match why.year {
        YearReason::Sentence { at } => format!("“{}” before it in the sentence", year_at(at)),
        YearReason::SentenceHead { at } => {
            format!("“{}” at the head of the sentence", year_at(at))
        }
        YearReason::Heading { heading } => format!(
            "from the heading “{}”",
            quote(doc, heading.start..heading.end)
        ),
        YearReason::Title => format!(
            "from the title “{}”",
            clip(doc.meta.title.as_deref().unwrap_or(""), QUOTE_CHARS)
        ),
        YearReason::MostNamed => {
            "the report's year: the one its first part names most often".into()
        }
        YearReason::OpensSentences => {
            "the report's year: the one that opens most of its sentences".into()
        }
        YearReason::PageDate if doc.meta.date_from.is_some() => match doc.meta.date {
            Some((y, m)) => format!(
                "the report's year, weakly: the text names none, and {} dates the page {y}-{m:02}",
                doc.meta.date_from.unwrap_or("the page")
            ),
            None => "the report's year, from the page's date".into(),
        },
        YearReason::PageDate => match doc.meta.date {
            Some((y, m)) if m <= 3 && doc.report_year == Some(y - 1) => format!(
                "the report's year: the page is dated {y}-{m:02}, early in the year after the one it reviews"
            ),
            Some((y, m)) => format!("the report's year: the page is dated {y}-{m:02}"),
            None => "the report's year, from the page's date".into(),
        },
        YearReason::PeriodEnd { end, at } => format!(
            "“{}” before it: the last year of {}",
            quote(doc, at..(at + 12).min(doc.text.len())),
            period(end)
        ),
        YearReason::Relative {
            at,
            end,
            shift,
            from_page,
        } => {
            let present = if from_page {
                "the page's date"
            } else {
                "the report's year"
            };
            let relation = match shift {
                0 => "the year of",
                -1 => "the year before",
                _ => "the year after",
            };
            format!("“{}” before it: {relation} {present}", quote(doc, at..end))
        }
        YearReason::PlanBase { end } => format!(
            "a {} plan: its actual figures are for the year before the period",
            period(end)
        ),
        YearReason::NextYearPlan => "the year after the report's: a plan in a summary".into(),
        YearReason::PlanPeriod { end } => {
            format!("the last year of the plan period {}", period(end))
        }
        YearReason::Unknown => "no year is named in the sentence, heading or title".into(),
    }
}

/// Why a fact has its months, in plain words.
pub fn months_reason(doc: &Document, why: &Reasons) -> String {
    match why.months {
        MonthsReason::Named { at } => format!("“{}” before it", period_at(doc, at)),
        MonthsReason::WholeYear { at } => {
            format!("a later “全年” overrides “{}”", period_at(doc, at))
        }
        MonthsReason::Title => format!(
            "the title “{}” names the part of the year the report covers",
            clip(doc.meta.title.as_deref().unwrap_or(""), QUOTE_CHARS)
        ),
        MonthsReason::NotNamed => "no period (1-10月, 上半年 …) before it".into(),
    }
}

/// The period named at `at` (the 月 of 1-10月, or a word such as 前三季度).
fn period_at(doc: &Document, at: usize) -> String {
    let text = doc.text.as_str();
    if text[at..].starts_with('月') {
        let head = &text[..at];
        let from = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_ascii_digit() || *c == '-')
            .last()
            .map_or(at, |(i, _)| i);
        let from = if head[..from].ends_with("截至") || head[..from].ends_with("截止") {
            from - "截至".len()
        } else {
            from
        };
        return text[from..at + '月'.len_utf8()].to_string();
    }
    clip(&text[at..], 4)
}

/// What stood where a rule's walk broke off: the bound of the gap before
/// the element it looked for (the element was looked for over the gap's
/// whole reach), the text up to a bit past that reach, and the mark that
/// ended the clause or sentence there, if one did. Shared by `explain` and
/// `zhibiao test`'s notes, which word it each their own way.
pub(super) fn break_window(
    rule: &CompiledRule,
    doc: &Document,
    p: Progress,
) -> (Option<u32>, String, Option<char>) {
    let gap = p.pc.checked_sub(1).and_then(|g| match rule.insts.get(g) {
        Some(Inst::Gap {
            max, cross_clauses, ..
        }) => Some((*max, *cross_clauses)),
        _ => None,
    });
    let reach = gap.map_or(8, |(max, _)| max as usize + 4);
    let rest = doc.text.get(p.pos..).unwrap_or("");
    let mut window = String::new();
    let mut ended = None;
    for c in rest.chars().take(reach) {
        if is_sentence_break(c) || (is_clause_break(c) && !gap.is_some_and(|(_, cross)| cross)) {
            ended = Some(c);
            break;
        }
        window.push(c);
    }
    (gap.map(|(max, _)| max), window, ended)
}

/// What a rule expected where its walk broke off, and what stood there.
pub fn describe_break(rule: &CompiledRule, doc: &Document, p: Progress) -> (String, String) {
    let expected: Vec<String> = expected_at(&rule.insts, p.pc)
        .into_iter()
        .filter_map(|pc| rule.insts.get(pc))
        .map(describe_inst)
        .collect();
    let mut expected = expected.join(", or ");
    let (gap_max, window, ended) = break_window(rule, doc, p);
    if let Some(max) = gap_max {
        expected = format!("{expected} within {max} characters");
    }
    let mark = |c: char| match c {
        '\n' => "the line break".to_string(),
        c => format!("“{c}”"),
    };
    let found = match (window.is_empty(), ended) {
        (true, None) => "the report ended".to_string(),
        (true, Some(c)) if is_sentence_break(c) => format!("the sentence ended at {}", mark(c)),
        (true, Some(c)) => format!("the clause ended at {}", mark(c)),
        (false, Some(c)) if is_sentence_break(c) => {
            format!("“{window}”, then the sentence ended at {}", mark(c))
        }
        (false, Some(c)) => format!("“{window}”, then the clause ended at {}", mark(c)),
        (false, None) => format!("“{window}…”"),
    };
    (expected, found)
}

/// Describes an instruction in plain words.
pub fn describe_inst(inst: &Inst) -> String {
    match inst {
        Inst::Lit(ws) => words(ws),
        Inst::Subject { words: ws, .. } => format!(
            "{} (or the same subject carried from an earlier clause)",
            words(ws)
        ),
        Inst::NotAhead(ws) => format!("anything but {}", words(ws)),
        Inst::Gap { max, .. } => format!("at most {max} more characters"),
        Inst::Capture { accepts, .. } => {
            let units: Vec<String> = accepts
                .iter()
                .map(|a| match a {
                    Accept::Unit(u) => u.text.to_string(),
                    Accept::Kind(k) => format!("a {} unit", k.keyword()),
                    Accept::Bare => "any unit".to_string(),
                })
                .collect();
            format!("a number with {}", units.join(" or "))
        }
        Inst::Split(..) | Inst::Jmp(..) => "one of the alternatives".to_string(),
        Inst::Match => "the end of the pattern".to_string(),
    }
}

/// “a”, or one of “a”, “b” (or N more).
pub fn words(ws: &[String]) -> String {
    let shown: Vec<String> = ws.iter().take(5).map(|w| format!("“{w}”")).collect();
    let more = if ws.len() > 5 {
        format!(" (or {} more)", ws.len() - 5)
    } else {
        String::new()
    };
    if ws.len() == 1 {
        shown.join("")
    } else {
        format!("one of {}{more}", shown.join(", "))
    }
}

/// A pattern name's definition, as found in the rule files.
#[derive(Debug, Clone)]
struct LetInfo {
    file: FileId,
    span: Span,
    /// Its words, when it is a list of words only (other such names
    /// included).
    words: Option<Vec<String>>,
}

/// The rule files, read again to word changes in their terms.
pub struct RuleFiles<'a> {
    sources: &'a Sources,
    /// (file, name) → definition, for every `let` of every file.
    lets: HashMap<(FileId, String), LetInfo>,
    /// Name → the files defining it, in file order.
    by_name: HashMap<String, Vec<FileId>>,
}

impl<'a> RuleFiles<'a> {
    /// Parses every rule file of `sources` for its `let`s.
    pub fn new(sources: &'a Sources) -> Self {
        let mut raw: HashMap<(FileId, String), (Span, Pattern)> = HashMap::new();
        let mut by_name: HashMap<String, Vec<FileId>> = HashMap::new();
        for (id, file) in sources.iter() {
            let (ast, _) = crate::syntax::parse(id, &file.text);
            for item in ast.map(|a| a.items).unwrap_or_default() {
                if let Item::Let(l) = item {
                    by_name.entry(l.name.name.clone()).or_default().push(id);
                    raw.insert((id, l.name.name.clone()), (l.span, l.pattern));
                }
            }
        }
        let mut lets = HashMap::new();
        for ((file, name), (span, pattern)) in &raw {
            let mut words = Vec::new();
            let ok = flatten(&pattern.kind, *file, &raw, &by_name, &mut words, 0);
            if ok {
                words.sort();
                words.dedup();
            }
            lets.insert(
                (*file, name.clone()),
                LetInfo {
                    file: *file,
                    span: *span,
                    words: ok.then_some(words),
                },
            );
        }
        RuleFiles {
            sources,
            lets,
            by_name,
        }
    }

    /// `file:line` of a span.
    pub fn line(&self, file: FileId, span: Span) -> String {
        let (line, _) = self.sources.line_col(file, span.start);
        format!("{}:{line}", self.sources.get(file).name)
    }

    /// `file:line:col` of a span.
    pub fn place(&self, file: FileId, span: Span) -> String {
        let (line, col) = self.sources.line_col(file, span.start);
        format!("{}:{line}:{col}", self.sources.get(file).name)
    }

    /// The text written at `span` of `file`.
    fn written(&self, file: FileId, span: Span) -> &str {
        let text = &self.sources.get(file).text;
        let a = floor_char_boundary(text, span.start);
        let b = ceil_char_boundary(text, span.end.max(a));
        &text[a..b]
    }

    /// The `let` named `name` as seen from `file`: its own first, then the
    /// first other file that defines it.
    fn let_named(&self, from: FileId, name: &str) -> Option<&LetInfo> {
        self.lets.get(&(from, name.to_string())).or_else(|| {
            self.by_name
                .get(name)?
                .iter()
                .find_map(|f| self.lets.get(&(*f, name.to_string())))
        })
    }

    /// Where the rule is defined (`file:line`).
    pub fn rule_place(&self, rule: &CompiledRule) -> String {
        self.line(rule.file, rule.span)
    }

    /// The change, in the rule file's terms.
    pub fn describe_edit(&self, rule: &CompiledRule, edit: &Edit) -> String {
        let site = |pc: usize| rule.spans.get(pc).copied().unwrap_or(rule.span);
        let written = |pc: usize| self.written(rule.file, site(pc)).trim();
        let at = |pc: usize| self.place(rule.file, site(pc));
        let name_of = |pc: usize| {
            let w = written(pc);
            is_name(w).then(|| w.to_string())
        };
        match edit {
            Edit::AddWord { pc, word } => {
                let Some(Inst::Lit(current)) = rule.insts.get(*pc) else {
                    return String::new();
                };
                match name_of(*pc).and_then(|n| self.let_named(rule.file, &n).map(|l| (n, l))) {
                    Some((name, _)) if word.is_empty() => format!(
                        "make `{name}` optional where rule {} uses it: `{name}?` ({})",
                        rule.name,
                        at(*pc),
                    ),
                    Some((name, l)) => {
                        let whole = l.words.as_ref().is_some_and(|w| {
                            let mut c = current.clone();
                            c.sort();
                            c.dedup();
                            *w == c
                        });
                        if whole {
                            format!(
                                "add “{word}” to `let {name}` ({})",
                                self.line(l.file, l.span)
                            )
                        } else {
                            format!(
                                "add “{word}” next to {} inside `let {name}` ({})",
                                words(current),
                                self.line(l.file, l.span)
                            )
                        }
                    }
                    None if word.is_empty() => format!(
                        "make `{}` optional: `{}?` ({})",
                        clip(written(*pc), 30),
                        bracket(written(*pc)),
                        at(*pc)
                    ),
                    None => format!(
                        "add “{word}” as an alternative to {} ({}): `{}`",
                        words(current),
                        at(*pc),
                        clip(&with_alternative(written(*pc), word), 60)
                    ),
                }
            }
            Edit::Gap {
                pc,
                max,
                cross_clauses,
            } => {
                let Some(Inst::Gap {
                    min,
                    max: old,
                    cross_clauses: was,
                    ..
                }) = rule.insts.get(*pc)
                else {
                    return String::new();
                };
                let new = gap_text(*min, *max, *cross_clauses);
                let verb = if *cross_clauses && !was {
                    "let the gap cross ，、： and reach"
                } else {
                    "widen the gap to"
                };
                match name_of(*pc) {
                    Some(name) => format!(
                        "{verb} `{new}` inside `{name}` (now `{}`; {})",
                        gap_text(*min, *old, *was),
                        self.let_named(rule.file, &name)
                            .map_or_else(|| at(*pc), |l| self.line(l.file, l.span))
                    ),
                    None => format!(
                        "{verb} `{new}`: `{}` → `{new}` ({})",
                        clip(written(*pc), 20),
                        at(*pc)
                    ),
                }
            }
            Edit::AcceptUnit { pc, unit } => {
                let w = written(*pc);
                if w.contains(':') && !is_name(w) {
                    format!(
                        "let `{w}` take {} too: `{w}/{}` ({})",
                        unit.text,
                        unit.text,
                        at(*pc)
                    )
                } else {
                    format!(
                        "let the number in rule {} take {} too ({})",
                        rule.name,
                        unit.text,
                        at(*pc)
                    )
                }
            }
            Edit::DropExcluded { pc, word } => format!(
                "stop excluding “{word}” (`{}`, {})",
                clip(written(*pc), 30),
                at(*pc)
            ),
            Edit::DropVetoes { words: ws } => {
                let rule_text = self.written(rule.file, rule.span);
                let quoted = ws
                    .iter()
                    .map(|w| format!("“{w}”"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let place = ws
                    .iter()
                    .find_map(|w| rule_text.find(&format!("\"{w}\"")))
                    .or_else(|| rule_text.find("unless"))
                    .map(|i| {
                        self.place(
                            rule.file,
                            Span::new(rule.span.start + i, rule.span.start + i),
                        )
                    })
                    .unwrap_or_else(|| self.rule_place(rule));
                format!(
                    "if the figure is real, remove {quoted} from the `unless` of rule {} ({place})",
                    rule.name
                )
            }
            Edit::Priority { to } => format!(
                "give rule {} `priority {to}` (now {}; {})",
                rule.name,
                rule.priority,
                self.rule_place(rule)
            ),
        }
    }
}

/// Collects the words of a pattern made of words, `|` and names of such;
/// false for anything else.
fn flatten(
    p: &PatternKind,
    file: FileId,
    raw: &HashMap<(FileId, String), (Span, Pattern)>,
    by_name: &HashMap<String, Vec<FileId>>,
    out: &mut Vec<String>,
    depth: usize,
) -> bool {
    if depth > 16 {
        return false;
    }
    match p {
        PatternKind::Literal(s) => {
            out.push(crate::text::normalize_str(s));
            true
        }
        PatternKind::Alt(bs) => bs
            .iter()
            .all(|b| flatten(&b.kind, file, raw, by_name, out, depth + 1)),
        PatternKind::Seq(items) if items.len() == 1 => {
            flatten(&items[0].kind, file, raw, by_name, out, depth + 1)
        }
        PatternKind::Ref(name) => {
            let found = raw
                .get(&(file, name.clone()))
                .map(|x| (file, x))
                .or_else(|| {
                    by_name
                        .get(name)?
                        .iter()
                        .find_map(|f| raw.get(&(*f, name.clone())).map(|x| (*f, x)))
                });
            match found {
                Some((f, (_, pat))) => flatten(&pat.kind, f, raw, by_name, out, depth + 1),
                None => false,
            }
        }
        _ => false,
    }
}

/// True when `s` is a pattern name as written (not a quoted word, a
/// bracket, a gap or a capture).
fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// `…{0,8}`, `…{0,8 sentence}`.
fn gap_text(min: u32, max: u32, cross: bool) -> String {
    let scope = if cross { " sentence" } else { "" };
    format!("…{{{min},{max}{scope}}}")
}

/// `w` in brackets when it is more than one token.
fn bracket(w: &str) -> String {
    if w.starts_with('(') || w.starts_with('"') && w.ends_with('"') && w.matches('"').count() == 2 {
        w.to_string()
    } else {
        format!("({w})")
    }
}

/// The written text with `word` added as an alternative.
fn with_alternative(written: &str, word: &str) -> String {
    let w = word.replace('"', "\\\"");
    match written.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => format!("({inner} | \"{w}\")"),
        None => format!("({written} | \"{w}\")"),
    }
}
