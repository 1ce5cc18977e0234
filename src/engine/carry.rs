//! What a clause may hold when its subject is carried from an earlier one.
//!
//! `技术合同成交额10月底达到62.3亿元，全年有望突破75亿元`: the second clause has
//! no subject of its own, so the first one's carries into it. But in
//! `科技型中小企业入库1200家，众创空间达到45家` the second clause has a subject
//! of its own (众创空间) that no rule set declares. So a carried match is
//! accepted only when its clause, up to the number, holds nothing but the
//! rule's own words and *predicate words*: time (全年, 2022年, 10月底,
//! “十四五”末 …), modality (预计, 有望, 力争 …), verbs of reaching (达到, 突破,
//! 提升到 …), region scope (全市 …) and particles (的, 了, 并 …). Any other
//! word is taken for a subject of the clause's own, and the match is
//! dropped ([`super::Rejection::OtherSubject`] names it).
//!
//! The predicate words are the rule set's lexicon's (role `predicate`, in
//! rules/lexicon.zb; every status cue and own-region name is one too): they
//! describe how Chinese predicates are built, not any indicator
//! (docs/language.md, subjects and the lexicon).

use crate::compile::WordsByFirstChar;
use crate::lexicon::{Lexicon, Role};
use std::ops::Range;

/// The length of the predicate word (lexicon role `predicate`, which holds
/// the status cues and own-region names too) or five-year plan period
/// (十四五, computed) that `text` starts with.
fn predicate_at(lex: &Lexicon, text: &str) -> Option<usize> {
    let word = lex.starts(Role::Predicate, text);
    match crate::text::calendar::plan_period_at(text) {
        Some((len, _, _)) if word.is_none_or(|w| w < len) => Some(len),
        _ => word,
    }
}

/// Where a carried subject may stand in the clause starting at `at`: the
/// start, then after each of up to `max` leading predicate words (预计 | 年底
/// | 可 | 达180家), so that words the carry passes over do not count
/// against the rule's own gap.
pub fn predicate_starts(lex: &Lexicon, text: &str, at: usize, max: usize) -> Vec<usize> {
    let mut starts = vec![at];
    let mut i = at;
    for _ in 0..max {
        match text.get(i..).and_then(|rest| predicate_at(lex, rest)) {
            Some(len) if len > 0 => {
                i += len;
                starts.push(i);
            }
            _ => break,
        }
    }
    starts
}

/// Whether a subject may be carried to the clause starting at `at`: before
/// its first number (or its end) it holds only predicate words and
/// `rule_words` (the words of the rules that start with the subject). A
/// clause with a word of its own has a subject of its own; one without a
/// number has no figure to carry to. Both are skipped without a walk.
pub fn may_carry(
    lex: &Lexicon,
    text: &str,
    at: usize,
    rule_words: &WordsByFirstChar,
    max_chars: usize,
) -> bool {
    carry_stop(lex, text, at, rule_words, max_chars).is_none()
}

/// Most characters of a clause's own word shown by [`carry_stop`].
const OWN_WORD_CHARS: usize = 8;

/// Why a subject is not carried to the clause at `at` ([`may_carry`]):
/// where the clause's own word stands, or an empty range where the clause
/// (or the `max_chars` looked at) ends without a number; `None` when it is
/// carried.
pub fn carry_stop(
    lex: &Lexicon,
    text: &str,
    at: usize,
    rule_words: &WordsByFirstChar,
    max_chars: usize,
) -> Option<Range<usize>> {
    let mut i = at;
    for _ in 0..max_chars {
        let Some(ch) = text[i..].chars().next() else {
            return Some(i..i);
        };
        if ch.is_ascii_digit() || crate::text::number::is_common_numeral(ch) {
            return None;
        }
        if super::super::text::is_clause_break(ch) {
            return Some(i..i);
        }
        if !ch.is_alphanumeric() {
            i += ch.len_utf8();
            continue;
        }
        let rest = &text[i..];
        let word = rule_words
            .longest_at(rest)
            .or_else(|| predicate_at(lex, rest));
        match word {
            Some(len) => i += len,
            None => {
                // The word shown ends where the run of letters does, or
                // after a few characters (a clause without punctuation).
                let end = rest
                    .char_indices()
                    .take(OWN_WORD_CHARS)
                    .find(|(_, c)| !c.is_alphanumeric() || c.is_ascii_digit())
                    .map_or_else(
                        || {
                            i + rest
                                .chars()
                                .take(OWN_WORD_CHARS)
                                .map(char::len_utf8)
                                .sum::<usize>()
                        },
                        |(k, _)| i + k,
                    );
                return Some(i..end);
            }
        }
    }
    Some(i..i)
}

/// The first word in `range` of `text` that is neither one of the rule's
/// own words (`covered`, ranges in match order) nor a predicate word,
/// number, date, punctuation or space: a subject of the clause's own.
pub fn own_subject(
    lex: &Lexicon,
    text: &str,
    range: Range<usize>,
    covered: &[Range<usize>],
) -> Option<Range<usize>> {
    let mut at = range.start;
    while at < range.end {
        if let Some(c) = covered.iter().find(|r| r.start == at && r.end > at) {
            at = c.end;
            continue;
        }
        let Some(ch) = text[at..].chars().next() else {
            break;
        };
        if ch.is_ascii_digit() {
            at = crate::text::calendar::past_date(text, at);
            continue;
        }
        if !ch.is_alphanumeric() {
            at += ch.len_utf8();
            continue;
        }
        if let Some(len) = predicate_at(lex, &text[at..]) {
            at += len;
            continue;
        }
        // The stretch of word characters that starts here.
        let end = text[at..range.end]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric() || c.is_ascii_digit())
            .map_or(range.end, |(i, _)| at + i);
        return Some(at..end.max(at + ch.len_utf8()));
    }
    None
}

/// A word of the clause's own after a carried match (`range`: from the
/// match's end to its clause's end), if the text there does not start
/// with punctuation, a predicate word or a word of the lexicon's `after`
/// role (…1207家居全省第二, …增幅全省第一, …创历史新高).
pub fn own_subject_after(
    lex: &Lexicon,
    text: &str,
    range: Range<usize>,
    covered: &[Range<usize>],
) -> Option<Range<usize>> {
    let rest = text.get(range.clone())?.trim_start();
    let at = range.end - rest.len();
    let c = rest.chars().next()?;
    if !c.is_alphanumeric() || c.is_ascii_digit() || covered.iter().any(|r| r.start == at) {
        return None;
    }
    if lex.starts_with(Role::After, rest) || predicate_at(lex, rest).is_some() {
        return None;
    }
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric() || c.is_ascii_digit())
        .map_or(range.end, |(k, _)| at + k);
    Some(at..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(text: &str, covered: &[&str]) -> Option<String> {
        let ranges: Vec<Range<usize>> = covered
            .iter()
            .filter_map(|w| text.find(w).map(|i| i..i + w.len()))
            .collect();
        own_subject(Lexicon::shipped(), text, 0..text.len(), &ranges).map(|r| text[r].to_string())
    }

    #[test]
    fn predicate_only_clauses_carry() {
        assert_eq!(own("全年有望突破", &[]), None);
        assert_eq!(own("并在“十三五”末继续提升到", &[]), None);
        assert_eq!(own("10月底达到", &[]), None);
        assert_eq!(own("2022年1-10月份累计达", &[]), None);
        assert_eq!(own("投入强度达到", &["投入强度"]), None);
        assert_eq!(
            own("占全区规模以上工业总产值的", &["规模以上工业总产值"]),
            None
        );
        assert_eq!(own("比上年度净增", &["净增"]), None);
        assert_eq!(own("较上年同期", &[]), None);
    }

    #[test]
    fn a_noun_of_its_own_does_not() {
        assert_eq!(own("众创空间达到", &[]).as_deref(), Some("众创空间达到"));
        assert_eq!(
            own("带动企业新增产值", &[]).as_deref(),
            Some("带动企业新增产值")
        );
        assert_eq!(own("全市专利授权", &[]).as_deref(), Some("专利授权"));
    }
}
