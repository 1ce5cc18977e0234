//! Conflict resolution and the 分别 (respectively) pairing.
//!
//! One number in the text becomes at most one fact: among the candidates
//! that claim it, the higher priority wins, then the longer match (more
//! specific), then the earlier rule. Ties are therefore never left to the
//! order of a hash map or of threads.

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;

use super::{Candidate, Fact, infer};
use crate::compile::Program;
use crate::text::{Document, Number, read_number};

/// Words that separate the items of an enumeration (A、B和C).
const ITEM_SEPARATORS: &[&str] = &["、", "和", "及", "与", "以及"];
/// Words that may stand between 分别 and the first number.
const RESPECTIVELY_VERBS: &[&str] = &[
    "达到", "达", "为", "是", "有", "新增", "增加", "实现", "完成",
];

/// Resolves candidates to facts, ordered by position.
pub fn resolve(program: &Program, doc: &Document, candidates: Vec<Candidate>) -> Vec<Fact> {
    // One winner per number span.
    let mut best: HashMap<(usize, usize), Candidate> = HashMap::new();
    for c in candidates {
        let key = (c.number.range.start, c.number.range.end);
        match best.get(&key) {
            Some(old) if !beats(program, &c, old) => {}
            _ => {
                best.insert(key, c);
            }
        }
    }
    let mut winners: Vec<Candidate> = best.into_values().collect();
    winners.sort_by_key(|c| (c.number.range.start, c.rule));

    let report_year = report_year(doc);
    let mut facts: Vec<Fact> = Vec::with_capacity(winners.len());
    let mut seen: HashMap<(String, Decimal, usize), ()> = HashMap::new();
    for c in winners {
        let rule = &program.rules[c.rule];
        let sentence = doc.sentence_at(c.number.range.start);
        if seen
            .insert(
                (rule.indicator.clone(), c.value.normalize(), sentence.start),
                (),
            )
            .is_some()
        {
            continue;
        }
        let ctx = infer::infer(doc, report_year, c.number.range.start, rule.status);
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
            sentence,
        });
    }
    facts
}

/// True when candidate `a` wins over `b` for the same number.
fn beats(program: &Program, a: &Candidate, b: &Candidate) -> bool {
    let (ra, rb) = (&program.rules[a.rule], &program.rules[b.rule]);
    (ra.priority, a.span.len(), std::cmp::Reverse(a.rule))
        > (rb.priority, b.span.len(), std::cmp::Reverse(b.rule))
}

/// The year a report covers: its title's, else the year named most often
/// in its first part.
pub fn report_year(doc: &Document) -> Option<i32> {
    if doc.meta.year.is_some() {
        return doc.meta.year;
    }
    let mut end = doc.text.len().min(6000);
    while !doc.text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &doc.text[..end];
    let mut counts: HashMap<i32, usize> = HashMap::new();
    let b = head.as_bytes();
    for (i, _) in head.match_indices('年') {
        if i >= 4
            && b[i - 4..i].iter().all(u8::is_ascii_digit)
            && (i < 5 || !b[i - 5].is_ascii_digit())
        {
            if let Ok(y) = head[i - 4..i].parse::<i32>()
                && (1990..=2100).contains(&y)
            {
                *counts.entry(y).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(y, n)| (*n, std::cmp::Reverse(*y)))
        .map(|(y, _)| y)
}

/// In "新增省级、市级工程技术研究中心分别为8家、96家", the rule anchored on 市级
/// must take the second number. Given a match starting at `start` whose
/// captured number is the first of a 分别 list, returns the number at the
/// position of the match's item in the enumeration before 分别.
pub fn respectively(doc: &Document, start: usize, number: &Number) -> Option<Number> {
    let text = doc.text.as_str();
    let between = text.get(start..number.range.start)?;
    let resp = between.rfind("分别")? + start;
    // Item index: separators between the clause start and the anchor.
    let clause = doc.clause_at(start);
    let head = text.get(clause.start..start)?;
    let idx: usize = ITEM_SEPARATORS
        .iter()
        .map(|s| head.matches(s).count())
        .sum::<usize>()
        - if head.contains("以及") {
            head.matches("以及").count()
        } else {
            0
        };
    if idx == 0 {
        return None;
    }
    // The list of values after 分别.
    let mut pos = resp + "分别".len();
    for v in RESPECTIVELY_VERBS {
        if text[pos..].starts_with(v) {
            pos += v.len();
            break;
        }
    }
    if pos != number.range.start {
        return None;
    }
    let mut list: Vec<Number> = Vec::new();
    loop {
        let Some(n) = read_number(text, pos) else {
            break;
        };
        pos = n.range.end;
        list.push(n);
        let rest = &text[pos..];
        let sep = ["、", ",", "和", "及"]
            .iter()
            .find(|s| rest.starts_with(**s));
        match sep {
            Some(s) => pos += s.len(),
            None => break,
        }
        if list.len() > 32 {
            break;
        }
    }
    let unit = list.iter().rev().find_map(|n| n.unit);
    let mut chosen = list.get(idx)?.clone();
    if chosen.unit.is_none() {
        chosen.unit = unit;
    }
    Some(chosen)
}

/// The byte range of a fact's evidence: its sentence, clipped to at most
/// `max_chars` characters around the number.
pub fn evidence_range(doc: &Document, fact: &Fact, max_chars: usize) -> Range<usize> {
    let s = &fact.sentence;
    let text = &doc.text;
    let mut start = s.start;
    let mut end = s.end;
    let chars_before = text[s.start..fact.span.start.max(s.start)].chars().count();
    if chars_before > max_chars / 2 {
        let skip = chars_before - max_chars / 2;
        start = text[s.start..]
            .char_indices()
            .nth(skip)
            .map_or(s.start, |(i, _)| s.start + i);
    }
    let total = text[start..end].chars().count();
    if total > max_chars {
        end = text[start..]
            .char_indices()
            .nth(max_chars)
            .map_or(end, |(i, _)| start + i);
    }
    start..end
}
