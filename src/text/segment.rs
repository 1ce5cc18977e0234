//! Segmentation of normalized text: sections, sentences, clauses, and what
//! the report says about itself (title, year, issuer, kind).
//!
//! Boundaries are stored as sorted `u32` start offsets (4 bytes per
//! sentence or clause) and looked up by binary search.
//!
//! Headings are recognized at the start of a line only:
//! `第一部分`/`第一章` and `一、` (level 1), `(一)` (2), `1.` `1、` (3),
//! `(1)` `①` (4), `一是` (5); and a short unnumbered line (≤ 30 characters,
//! no `,` `。` `:` `|`) that holds a summary or plan word, such as
//! `2022年工作计划` (level 1). A heading's text is its line up to the first
//! sentence break, so `(一)服务工作。牵头…` is headed by `(一)服务工作`.

use std::ops::Range;

use super::calendar;
use super::normalize::is_han;
use super::{ReportMeta, ReportYearSource, Section, SectionKind};
use crate::lexicon::{Lexicon, Role};

/// 一 to 十, the numbers of Chinese headings.
fn is_cn_digit(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

fn fold(c: char) -> char {
    match c {
        '（' => '(',
        '）' => ')',
        '．' => '.',
        '\u{ff10}'..='\u{ff19}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        c => c,
    }
}

/// The heading level that a numbered marker at the start of `line` gives,
/// if any. Works on raw or normalized text (full-width forms are folded).
pub(crate) fn heading_level(line: &str) -> Option<u8> {
    let line = line.trim_start_matches([' ', '\t', '\u{3000}']);
    // Every marker below starts with one of these (most lines do not).
    let first = line.chars().next().map(fold)?;
    if !(first == '第'
        || first == '('
        || first.is_ascii_digit()
        || is_cn_digit(first)
        || matches!(first, '\u{2460}'..='\u{2487}'))
    {
        return None;
    }
    // The first eight characters, on the stack: this runs for every line.
    let mut buf = ['\0'; 8];
    let mut len = 0;
    for c in line.chars().take(8) {
        buf[len] = fold(c);
        len += 1;
    }
    let cs = &buf[..len];
    let cn = |c: &char| is_cn_digit(*c);
    let n_cn = cs.iter().take_while(|c| cn(c)).count();
    let n_ar = cs.iter().take_while(|c| c.is_ascii_digit()).count();
    if cs.first() == Some(&'第') {
        let k = cs[1..].iter().take_while(|c| cn(c)).count();
        let rest: String = cs.iter().skip(1 + k).take(2).collect();
        if k > 0 && (rest.starts_with("部分") || rest.starts_with('章') || rest.starts_with('篇'))
        {
            return Some(1);
        }
        return None;
    }
    if (1..=3).contains(&n_cn) {
        match cs.get(n_cn) {
            Some('、') => return Some(1),
            Some('是') => return Some(5),
            Some('.') if !cs.get(n_cn + 1).is_some_and(|c| c.is_ascii_digit()) => {
                return Some(1);
            }
            _ => {}
        }
    }
    if (1..=2).contains(&n_ar) {
        match cs.get(n_ar) {
            Some('、') => return Some(3),
            Some('.')
                if !cs
                    .get(n_ar + 1)
                    .is_some_and(|c| c.is_ascii_digit() || *c == '%') =>
            {
                return Some(3);
            }
            _ => {}
        }
    }
    if cs.first() == Some(&'(') {
        let k = cs[1..].iter().take_while(|c| cn(c)).count();
        if (1..=3).contains(&k) && cs.get(1 + k) == Some(&')') {
            return Some(2);
        }
        let k = cs[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=2).contains(&k) && cs.get(1 + k) == Some(&')') {
            return Some(4);
        }
    }
    if cs
        .first()
        .is_some_and(|c| matches!(c, '\u{2460}'..='\u{2473}' | '\u{2474}'..='\u{2487}'))
    {
        return Some(4);
    }
    None
}

/// The shipped lexicon: headings, titles and page labels are read before a
/// report's province (and so its rule set) is known.
fn lex() -> &'static Lexicon {
    Lexicon::shipped()
}

/// Summary or plan from the words of a heading or title; `None` when silent.
pub(crate) fn kind_of(text: &str) -> Option<SectionKind> {
    // One automaton over the three lists (pattern ids in list order), built
    // once: a heading is read once instead of once per word.
    // (plan words, plan and summary words) counted, with the automaton.
    type Words = Option<(aho_corasick::AhoCorasick, usize, usize)>;
    static WORDS: std::sync::OnceLock<Words> = std::sync::OnceLock::new();
    let (words, n_plan, n_summary) = WORDS
        .get_or_init(|| {
            let plan: Vec<&str> = lex().words(Role::PlanHeading).collect();
            let summary: Vec<&str> = lex().words(Role::SummaryHeading).collect();
            let all = plan
                .iter()
                .chain(&summary)
                .copied()
                .chain(lex().words(Role::WeakPlanHeading));
            let ac = aho_corasick::AhoCorasick::new(all).ok()?;
            Some((ac, plan.len(), plan.len() + summary.len()))
        })
        .as_ref()?;
    let (mut plan, mut summary, mut weak_plan) = (false, false, false);
    for m in words.find_overlapping_iter(text) {
        match m.pattern().as_usize() {
            // "超额完成目标任务", "完成年度目标": the plan reached is a result.
            i if i < *n_plan && lex().ends_with(Role::PlanDone, &text[..m.start()]) => {
                summary = true
            }
            i if i < *n_plan => plan = true,
            i if i < *n_summary => summary = true,
            _ => weak_plan = true,
        }
    }
    match (plan, summary) {
        // "…目标任务落实情况", "2023年工作要点执行情况": the plan's record.
        (true, true) if ends_with_summary_word(text) => Some(SectionKind::Summary),
        (true, true) => Some(SectionKind::Unknown),
        (true, false) => Some(SectionKind::Plan),
        (false, true) => Some(SectionKind::Summary),
        (false, false) if weak_plan => Some(SectionKind::Plan),
        _ => None,
    }
}

/// True when `text` (a heading or title) ends with a word that reports on
/// what was done (…落实情况, …进展情况表, …完成情况): whatever plan it
/// names, it records results.
fn ends_with_summary_word(text: &str) -> bool {
    let t = text
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches(['表', '一', '览']);
    lex().ends_with(Role::ResultEnding, t)
}

/// The first year written as `2021年` (1900–2099) in `text`.
pub(crate) fn first_year_in(text: &str) -> Option<i32> {
    super::dates::years_written(text)
        .map(|(_, y)| y)
        .find(|y| (1900..=2099).contains(y))
}

fn is_sentence_end(c: char) -> bool {
    super::is_sentence_break(c)
}

/// Closing quotes and brackets that stay with the sentence they follow.
fn is_closer(c: char) -> bool {
    matches!(c, '”' | '’' | '」' | '』' | ')' | '》' | '"' | '\'')
}

/// True when the ',' at byte `i` of `text` is a thousands separator:
/// digit, comma, exactly three digits, then no digit.
pub(crate) fn is_thousands_comma(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    i > 0
        && b[i] == b','
        && b[i - 1].is_ascii_digit()
        && b.len() >= i + 4
        && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
        && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
}

/// Sentence and clause start offsets.
pub(crate) fn boundaries(text: &str) -> (Vec<u32>, Vec<u32>) {
    let mut sentences = vec![0u32];
    let mut clauses = vec![0u32];
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Every break character is ASCII or starts with 0xE3 (、。) or 0xEF
        // (full-width ！？；，：): other characters are skipped undecoded,
        // Chinese characters (0xE4..=0xE9, three bytes) in one step.
        match bytes[i] {
            0xe4..=0xe9 => {
                i += 3;
                continue;
            }
            b',' | b';' | b':' | b'!' | b'?' | b'\n' | 0xe3 | 0xef => {}
            _ => {
                i += 1;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let sentence = is_sentence_end(c);
        let clause = sentence || (super::is_clause_break(c) && !is_thousands_comma(text, i));
        let mut end = i + c.len_utf8();
        if clause {
            for n in text[end..].chars() {
                if is_closer(n) || (sentence && is_sentence_end(n)) {
                    end += n.len_utf8();
                } else {
                    break;
                }
            }
            if end < text.len() {
                push_start(&mut sentences, &mut clauses, end, sentence);
            }
        }
        i = end;
    }
    (sentences, clauses)
}

/// Records a clause start at `end` (and a sentence start when the break
/// ends a sentence), once each.
fn push_start(sentences: &mut Vec<u32>, clauses: &mut Vec<u32>, end: usize, sentence: bool) {
    let end = end as u32;
    if sentence && sentences.last() != Some(&end) {
        sentences.push(end);
    }
    if clauses.last() != Some(&end) {
        clauses.push(end);
    }
}

/// The span of boundary `starts` that holds `pos`, without trailing space.
pub(crate) fn span_at(text: &str, starts: &[u32], pos: usize) -> Range<usize> {
    let pos = pos.min(text.len());
    let i = starts
        .partition_point(|s| (*s as usize) <= pos)
        .saturating_sub(1);
    let start = starts.get(i).map_or(0, |s| *s as usize);
    let end = starts.get(i + 1).map_or(text.len(), |s| *s as usize);
    let trimmed = text[start..end].trim_end_matches(['\n', ' ', '\t']);
    start..start + trimmed.len()
}

/// Sections and, per section, the index of its parent.
pub(crate) fn sections(text: &str) -> (Vec<Section>, Vec<Option<u32>>) {
    let mut out: Vec<Section> = Vec::new();
    let mut parents: Vec<Option<u32>> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let level = heading_level(body).or_else(|| bare_heading(body).then_some(1));
        if let Some(level) = level {
            while let Some(&top) = open.last() {
                if out[top].level >= level {
                    out[top].range.end = start;
                    open.pop();
                } else {
                    break;
                }
            }
            let head_len = body
                .char_indices()
                .find(|(_, c)| is_sentence_end(*c))
                .map_or(body.len(), |(k, _)| k);
            let heading = &body[..head_len];
            let parent = open.last().copied();
            let kind = match kind_of(heading) {
                Some(k) => k,
                None => parent.map_or(SectionKind::Unknown, |p| out[p].kind),
            };
            open.push(out.len());
            parents.push(parent.map(|p| p as u32));
            out.push(Section {
                heading: start..start + head_len,
                range: start..text.len(),
                level,
                kind,
                year: first_year_in(heading),
            });
        }
        start += line.len();
    }
    (out, parents)
}

/// True when `line` is page chrome rather than text: a breadcrumb trail
/// (`>政府信息公开>政府决策>重点工作`, `首页 » 工作计划`) or a row of metadata
/// fields (`组配分类 重点工作 发布机构 区科技局`). Such a line is never a
/// report's title nor a section heading, so the column name it ends with
/// (重点工作, 工作总结 …) decides no figure's status.
pub(crate) fn is_page_chrome(line: &str) -> bool {
    let separators = line.matches(['>', '»', '›', '→']).count();
    if separators >= 2 || (separators == 1 && lex().contains(Role::TrailWord, line)) {
        return true;
    }
    line.len() <= MAX_FIELD_LINE_BYTES && lex().contains(Role::FieldLabel, line)
}

/// Page chrome whose only summary or plan word is a weak one (重点工作,
/// 主要任务 …: the portal's column for any work document): such a line is
/// never a title or heading. Chrome that names 工作计划 or 工作总结 outright
/// still counts, as a page's own header field: on the dev corpus it is
/// right far more often than not.
pub(crate) fn is_weak_chrome(line: &str) -> bool {
    is_page_chrome(line) && {
        let strong = lex()
            .words(Role::WeakPlanHeading)
            .fold(line.to_string(), |acc, w| acc.replace(w, ""));
        kind_of(&strong).is_none()
    }
}

/// A short unnumbered line that names a summary or plan.
fn bare_heading(line: &str) -> bool {
    // 30 characters take at most 120 bytes: a paragraph is ruled out
    // without counting its characters.
    line.len() <= 120
        && !is_weak_chrome(line)
        && line
            .chars()
            .next()
            .is_some_and(|c| is_han(c) || c.is_ascii_digit())
        && (4..=30).contains(&line.chars().count())
        && !line.contains([',', '。', ':', '|', ';', '!', '?', '、'])
        && match kind_of(line) {
            Some(SectionKind::Summary) => true,
            // A plan heading names when or what next; a bare 工作计划 or
            // 重点工作 on a line of its own is a page's menu or keyword.
            Some(SectionKind::Plan) => {
                line.chars().count() >= 6
                    || first_year_in(line).is_some()
                    || lex().contains(Role::PlanHeadingWhen, line)
                    || calendar::plan_periods(line).next().is_some()
            }
            _ => false,
        }
}

/// The value of a header field such as `发布机构 | X` or `来源:X`.
fn field<'a>(line: &'a str, labels: &[&str]) -> Option<&'a str> {
    // Header lines are short; a paragraph that quotes a source (（来源：…）)
    // is not one, and searching every long line costs a pass over the head.
    // And every field has a `:` or `|` after its label.
    if line.len() > MAX_FIELD_LINE_BYTES || memchr::memchr2(b':', b'|', line.as_bytes()).is_none() {
        return None;
    }
    for label in labels {
        let Some(at) = line.find(label) else { continue };
        let rest = line[at + label.len()..].trim_start_matches([' ', '\t']);
        let Some(rest) = rest.strip_prefix([':', '|']) else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t', ':']);
        let end = rest.find(['|', ' ', '\t']).unwrap_or(rest.len());
        let v = rest[..end].trim();
        if !v.is_empty() {
            return Some(v);
        }
    }
    None
}

/// The year a title says the report covers: its first year, except where
/// the summary it names comes first with a blank year (a template's 20XX)
/// and the year belongs to the plan after it (`20XX年工作总结及2024年工作
/// 要点`: the summary is of 2023).
fn title_year(title: &str) -> Option<i32> {
    let y = first_year_in(title)?;
    let at = title.find(&format!("{y}年"))?;
    let (before, after) = title.split_at(at);
    let plan_after = ["计划", "要点", "思路", "打算", "安排"]
        .iter()
        .any(|w| after.contains(w));
    // Only a templated summary year (20XX年, ××年) says nothing of its own.
    let blank_year = ["XX年", "xx年", "××年", "XX年度"]
        .iter()
        .any(|w| before.contains(w));
    Some(if before.contains("总结") && plan_after && blank_year {
        y - 1
    } else {
        y
    })
}

/// The year a report covers. In order of trust:
/// 1. its title's (`2021年工作总结`);
/// 2. the year that opens most sentences of its first part (`2021年，市科技局…`);
/// 3. the page's date (`生成日期 | 2022-02-28`): a summary published in the
///    first quarter covers the year before;
/// 4. the year named most often in its first part.
///
/// Years inside book titles (`《…规划(2021—2025年)》`), at either end of a
/// range (`2021-2025年`) and compared with (`较2020年`) do not count.
pub(crate) fn report_year(text: &str, meta: &ReportMeta) -> Option<(i32, ReportYearSource)> {
    if let Some(y) = meta.year {
        return Some((y, ReportYearSource::Title));
    }
    let head = &text[..crate::diag::floor_char_boundary(text, 6000)];
    // Per year: mentions outside book titles, of them those that open a
    // sentence or clause, and mentions inside book titles.
    let mut counts: std::collections::HashMap<i32, (usize, usize, usize)> = Default::default();
    // "2022年以来，…" opening a sentence: the year the work since then is
    // in, when the text names no other.
    let mut since: Option<i32> = None;
    for (at, y) in super::dates::years_written(head) {
        let i = at + 4;
        let before = &head[..at];
        if !(1990..=2100).contains(&y)
            || calendar::COMPARED_IN_TEXT
                .iter()
                .any(|w| before.ends_with(w))
            || head[i + '年'.len_utf8()..].starts_with('-')
        {
            continue;
        }
        if head[i + '年'.len_utf8()..].starts_with("以来") {
            let opens = before
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, '\n' | '。' | ' '));
            if opens && since.is_none() {
                since = Some(y);
            }
            continue;
        }
        let e = counts.entry(y).or_default();
        if inside_book_title(before) {
            e.2 += 1;
            continue;
        }
        // A year opens a sentence, or stands as a clause of its own
        // (`…4月12日电2016年,经…`).
        let opens = before
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '\n' | '。' | ';' | '!' | '?' | ' ' | ')' | ',' | ':'))
            || head[i + '年'.len_utf8()..].starts_with([',', ':']);
        e.0 += 1;
        e.1 += usize::from(opens);
    }
    let opening = counts
        .iter()
        .filter(|(_, (_, o, _))| *o > 0)
        .max_by_key(|(y, (n, o, _))| (*o, *n, std::cmp::Reverse(**y)))
        .map(|(y, _)| *y);
    if let Some(y) = opening {
        return Some((y, ReportYearSource::OpensSentences));
    }
    if let Some((year, month)) = meta.date {
        let covers_last_year = month <= 3 && meta.kind != Some(SectionKind::Plan);
        let y = if covers_last_year { year - 1 } else { year };
        return Some((y, ReportYearSource::PageDate));
    }
    counts
        .into_iter()
        .max_by_key(|(y, (n, _, in_titles))| (*n, *in_titles, std::cmp::Reverse(*y)))
        .map(|(y, _)| (y, ReportYearSource::MostNamed))
        .or(since.map(|y| (y, ReportYearSource::MostNamed)))
}

/// True when the end of `before` is inside 《…》.
fn inside_book_title(before: &str) -> bool {
    match (before.rfind('《'), before.rfind('》')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// A date written `2022-02-28`, `2022/2/28`, `2022.02.28` or `2022年2月28日`
/// at the start of `s` (its day may be left out): year and month.
fn date_at(s: &str) -> Option<(i32, u32)> {
    super::dates::date_written_at(s).map(|d| (d.year, d.month))
}

/// How many lines from the top a page's dateline may stand.
const DATELINE_LINES: usize = 12;

/// Longest line (in bytes) read as a dateline.
const MAX_DATELINE_BYTES: usize = 160;

/// The date of a news page's dateline: a short line of the page's head,
/// not a sentence, with a full date standing on its own (`2022-01-13 08:49
/// 阅读 1641`, `来源:区科技局 2022年1月13日`, `30.01.2017 14:33`): year and
/// month. A date inside a sentence (`截至2021年12月31日,…`) is not one.
fn dateline(line: &str) -> Option<(i32, u32)> {
    let l = line.trim();
    if l.len() > MAX_DATELINE_BYTES || l.contains(['。', ',', ';', '!', '?']) {
        return None;
    }
    l.split([' ', '\t', '\u{3000}', '|'])
        .find_map(|piece| {
            super::dates::full_date_at(piece.trim_start_matches(['[', '【', '(', ':']))
        })
        .map(|d| (d.year, d.month))
}

/// A date anywhere at the start of `s` after spaces (`2022-01-10`,
/// `2022-01-10T08:00:00+08:00`, `2022年1月10日`): year and month.
pub(crate) fn date_in(s: &str) -> Option<(i32, u32)> {
    date_at(s.trim())
}

/// The five-year period a title names for a plan (`“十四五”科技创新规划`).
fn period_of(title: &str) -> Option<(i32, i32)> {
    if !lex().contains(Role::PlanTitle, title) {
        return None;
    }
    calendar::plan_periods(title)
        .map(|(_, _, a, b)| (a, b))
        .min()
}

/// True when a part of a page's `<title>` is only the portal column the
/// page sits in (`重点工作`, `工作计划`, `规划计划`): the column a page is filed
/// under says nothing about whether the page reports or plans.
fn is_column_name(part: &str) -> bool {
    let n = part.chars().count();
    n <= 6 && first_year_in(part).is_none() && !ends_with_summary_word(part) && {
        let rest = lex()
            .words(Role::ColumnName)
            .fold(part.to_string(), |acc, w| acc.replace(w, ""));
        rest.chars()
            .all(|c| !c.is_alphanumeric() || "与和及".contains(c))
    }
}

/// Longest line (in bytes) read as a header field.
const MAX_FIELD_LINE_BYTES: usize = 400;

/// Reads title, year, issuer and kind from the first lines, preferring
/// header fields, then the page's own title, then the first title-like line.
pub(crate) fn meta(text: &str, html_title: Option<&str>, html_issuer: Option<&str>) -> ReportMeta {
    let head: Vec<&str> = text.lines().take(60).collect();
    let has_word = |s: &str| lex().contains(Role::TitleWord, s);
    let title_labels: Vec<&str> = lex().words(Role::TitleLabel).collect();
    let field_title = head
        .iter()
        .find_map(|l| field(l, &title_labels))
        .filter(|t| has_word(t));
    let page_title = html_title.map(|t| {
        t.split(['_', '|'])
            .map(str::trim)
            .find(|p| has_word(p) && !is_column_name(p))
            .unwrap_or(t)
            .to_owned()
    });
    let is_candidate = |l: &&str| {
        let n = if l.len() > 80 * 4 {
            usize::MAX
        } else {
            l.chars().count()
        };
        (6..=80).contains(&n) && !l.contains(['|', ':']) && has_word(l) && !l.contains('。')
    };
    let mut candidates = head.iter().map(|l| l.trim()).filter(is_candidate);
    // Page chrome (a breadcrumb, a metadata row) is never the title. A
    // line after it is one only when it reads like a report's title: not
    // a numbered heading, and naming a year (某区科技局2023年工作总结);
    // else the page's first lines name no title (a numbered section
    // heading or a line of text is no title of the whole page).
    let line_title = match candidates.next() {
        Some(l) if is_weak_chrome(l) => candidates.find(|l| {
            !is_weak_chrome(l) && heading_level(l).is_none() && first_year_in(l).is_some()
        }),
        first => first,
    }
    .map(str::to_owned);
    let title = field_title.map(str::to_owned).or(page_title).or(line_title);
    let issuer_labels: Vec<&str> = lex().words(Role::IssuerLabel).collect();
    let issuer = head
        .iter()
        .find_map(|l| field(l, &issuer_labels))
        .map(str::to_owned)
        .or_else(|| html_issuer.map(str::to_owned));
    let year = title.as_deref().and_then(title_year);
    let kind = title
        .as_deref()
        .and_then(kind_of)
        .filter(|k| *k != SectionKind::Unknown);
    let date_labels: Vec<&str> = lex().words(Role::DateLabel).collect();
    let mut date_ends: Vec<char> = date_labels
        .iter()
        .filter_map(|w| w.chars().next_back())
        .collect();
    date_ends.sort_unstable();
    date_ends.dedup();
    let date = head.iter().find_map(|l| {
        // Every label ends in one of a few characters (期, 间); most lines
        // hold none.
        if l.len() > MAX_FIELD_LINE_BYTES || !l.contains(&date_ends[..]) {
            return None;
        }
        date_labels.iter().find_map(|label| {
            let at = l.find(label)? + label.len();
            let rest = l[at..].trim_start_matches([' ', '\t', ']', '】', ':', '|', ' ']);
            date_at(rest)
        })
    });
    // No labelled date: a dateline under the title (`2022-01-13 08:49`).
    let date = date.or_else(|| head.iter().take(DATELINE_LINES).find_map(|l| dateline(l)));
    let period = title.as_deref().and_then(period_of);
    ReportMeta {
        title,
        year,
        issuer,
        kind,
        kind_declared_by: None,
        date,
        period,
        url: None,
        date_from: None,
        url_from: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn boundaries_equal_the_reference(s in "[高企1-9,,、。;:!?”》)\n ]{0,60}") {
            proptest::prop_assert_eq!(boundaries(&s), boundaries_reference(&s));
        }
    }

    #[test]
    fn a_dateline_is_a_short_line_with_a_full_date() {
        assert_eq!(dateline("2021-02-03 09:15   阅读 388"), Some((2021, 2)));
        assert_eq!(dateline("  14.02.2019  10:02"), Some((2019, 2)));
        assert_eq!(dateline("来源:县科技局 2020年3月9日"), Some((2020, 3)));
        assert_eq!(dateline("[2018/11/5]"), Some((2018, 11)));
        // Inside a sentence, or without a day, it is no dateline.
        assert_eq!(dateline("截至2021年12月31日,全县高企达到45家。"), None);
        assert_eq!(dateline("2022年1月工作简报"), None);
        assert_eq!(dateline("2022-13-01"), None);
    }

    #[test]
    fn boundaries_match_the_straightforward_scan() {
        let cases = [
            "一是高企达到1,305家,同比增长5%。二是“科小”入库;三是!\n四、工作计划:(一)目标。",
            "增长12%,达3家、5家。”下一句？！后面：完成；",
            "末尾没有标点",
            "1,2345 和 12,345。。。",
        ];
        for c in cases {
            assert_eq!(boundaries(c), boundaries_reference(c), "{c:?}");
        }
    }

    /// The straightforward version of [`boundaries`], as an oracle.
    fn boundaries_reference(text: &str) -> (Vec<u32>, Vec<u32>) {
        let mut sentences = vec![0u32];
        let mut clauses = vec![0u32];
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let sentence = is_sentence_end(c);
            let clause =
                sentence || (crate::text::is_clause_break(c) && !is_thousands_comma(text, i));
            if !clause {
                continue;
            }
            let mut end = i + c.len_utf8();
            while let Some(&(k, n)) = iter.peek() {
                if is_closer(n) || (sentence && is_sentence_end(n)) {
                    end = k + n.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            if end < text.len() {
                push_start(&mut sentences, &mut clauses, end, sentence);
            }
        }
        (sentences, clauses)
    }

    #[test]
    fn heading_markers() {
        assert_eq!(heading_level("一、工作总结"), Some(1));
        assert_eq!(heading_level("十二、其他"), Some(1));
        assert_eq!(heading_level("(一)科技创新"), Some(2));
        assert_eq!(heading_level("（二）人才"), Some(2));
        assert_eq!(heading_level("1.加强"), Some(3));
        assert_eq!(heading_level("2、推进"), Some(3));
        assert_eq!(heading_level("(3)落实"), Some(4));
        assert_eq!(heading_level("一是加强"), Some(5));
        assert_eq!(heading_level("第二部分 计划"), Some(1));
        assert_eq!(heading_level("1.2万家企业"), None);
        assert_eq!(heading_level("2022年工作计划"), None);
        assert_eq!(heading_level("统一部署"), None);
    }

    #[test]
    fn kinds() {
        assert_eq!(kind_of("2022年工作计划"), Some(SectionKind::Plan));
        assert_eq!(kind_of("一、主要成效"), Some(SectionKind::Summary));
        assert_eq!(
            kind_of("2021年工作总结及2022年工作计划"),
            Some(SectionKind::Unknown)
        );
        assert_eq!(kind_of("二、重点工作"), Some(SectionKind::Plan));
        assert_eq!(kind_of("(一)科技创新"), None);
    }

    #[test]
    fn years() {
        assert_eq!(first_year_in("二、2022年工作思路"), Some(2022));
        assert_eq!(first_year_in("12021年"), None);
        assert_eq!(first_year_in("共3000年"), None);
        assert_eq!(
            title_year("区科技局20XX年工作总结及2027年工作要点"),
            Some(2026)
        );
        assert_eq!(
            title_year("2026年度县科技局工作总结及2027年工作计划"),
            Some(2026)
        );
        assert_eq!(title_year("2027年工作计划"), Some(2027));
        assert_eq!(title_year("区科技局工作总结及2027年工作计划"), Some(2027));
    }

    #[test]
    fn sections_nest_and_inherit_kind() {
        let t = "标题行\n一、2021年工作总结\n(一)企业培育。新增12家。\n(二)平台\n二、2022年工作计划\n(一)目标\n力争新增20家。";
        let (s, parents) = sections(t);
        let heads: Vec<&str> = s.iter().map(|x| &t[x.heading.clone()]).collect();
        assert_eq!(
            heads,
            [
                "一、2021年工作总结",
                "(一)企业培育",
                "(二)平台",
                "二、2022年工作计划",
                "(一)目标"
            ]
        );
        assert_eq!(s[0].kind, SectionKind::Summary);
        assert_eq!(s[0].year, Some(2021));
        assert_eq!(s[1].kind, SectionKind::Summary);
        assert_eq!(s[4].kind, SectionKind::Plan);
        assert_eq!(parents[4], Some(3));
        assert_eq!(s[0].range.end, s[3].range.start);
        assert_eq!(s[4].range.end, t.len());
    }

    #[test]
    fn bare_plan_line_is_a_heading() {
        let (s, _) = sections("前言。\n2022年工作计划\n力争突破。");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].kind, SectionKind::Plan);
        assert_eq!(s[0].year, Some(2022));
    }

    #[test]
    fn thousands_commas_do_not_split_clauses() {
        let t = "高企达1,305家,同比增长9.1%;新增61家。下一句";
        let (sent, cl) = boundaries(t);
        assert_eq!(span_at(t, &cl, 3), 0.."高企达1,305家,".len());
        assert_eq!(span_at(t, &sent, 3), 0..t.find(';').unwrap_or(0) + 1);
        let xia = t.find("下").unwrap_or(0);
        assert_eq!(span_at(t, &sent, xia), xia..t.len());
        assert!(is_thousands_comma("1,305家", 1));
        assert!(!is_thousands_comma("1,3055", 1));
        assert!(!is_thousands_comma("1,30家", 1));
    }

    #[test]
    fn page_chrome_is_no_title_nor_heading() {
        // Normalized text: the spaces between Han characters are gone.
        for line in [
            ">政府信息公开>政府决策>重点工作",
            "首页>工作动态>重点工作",
            "组配分类重点工作发布机构区科技局",
            "索引号113200/2024-001生成日期2024-01-15",
        ] {
            assert!(is_weak_chrome(line), "{line}");
            assert!(!bare_heading(line), "{line}");
        }
        for line in ["2024年工作计划", "一、重点工作", "全市技术交易额达到12亿元"]
        {
            assert!(!is_page_chrome(line), "{line}");
        }
        let text = ">政府信息公开>政府决策>重点工作\n组配分类重点工作发布机构区科技局\n区科技局2023年科技工作\n";
        let m = meta(text, None, None);
        assert_eq!(m.title.as_deref(), Some("区科技局2023年科技工作"));
        assert_eq!(m.kind, None);
        assert!(sections(text).0.is_empty());
        // After chrome, a numbered heading or a line naming no year is no
        // title of the page (the body has begun).
        for after in ["一、2024年工作计划\n", "科技工作稳步推进\n"] {
            let m = meta(
                &format!(">政府信息公开>政府决策>重点工作\n{after}"),
                None,
                None,
            );
            assert_eq!(m.title, None, "{after}");
            assert_eq!(m.kind, None, "{after}");
        }
        // Chrome that names a plan outright still is the page's header.
        assert!(!is_weak_chrome("首页>规划计划>工作计划"));
        assert!(is_weak_chrome("首页>政府决策>重点工作"));
        // A <title> part that is only the portal column is passed over.
        let m = meta("正文\n", Some("重点工作_某区科技局2023年科技工作"), None);
        assert_eq!(m.title.as_deref(), Some("某区科技局2023年科技工作"));
    }

    #[test]
    fn meta_from_header_fields() {
        let t = "索引号 | 001/2023 | 生成日期 | 2023-01-05\n发布机构 | 某某县科学技术局 | 公开方式 | 主动公开\n某某县科技局2022年工作总结\n正文。";
        let m = meta(t, None, None);
        assert_eq!(m.title.as_deref(), Some("某某县科技局2022年工作总结"));
        assert_eq!(m.year, Some(2022));
        assert_eq!(m.issuer.as_deref(), Some("某某县科学技术局"));
        assert_eq!(m.kind, Some(SectionKind::Summary));
        let m = meta(
            "发布时间:2023-02-01 10:00 来源:某市科技局 浏览次数:\n2023年工作要点\n",
            None,
            None,
        );
        assert_eq!(m.issuer.as_deref(), Some("某市科技局"));
        assert_eq!(m.year, Some(2023));
        assert_eq!(m.kind, Some(SectionKind::Plan));
    }
}
