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
//! The list is the engine's, not a rule set's: it describes how Chinese
//! predicates are built, not any indicator (docs/language.md, subjects).

use crate::compile::WordsByFirstChar;
use std::ops::Range;
use std::sync::OnceLock;

/// Predicate words a carried clause may hold besides the rule's own words.
pub const PREDICATE_WORDS: &[&str] = &[
    // time
    "全年",
    "当年",
    "今年",
    "本年",
    "年内",
    "年底",
    "年末",
    "年初",
    "年度",
    "目前",
    "当前",
    "截至目前",
    "截止目前",
    "截至",
    "截止",
    "到",
    "至",
    "底",
    "末",
    "期末",
    "期间",
    "时期",
    "以来",
    "上半年",
    "下半年",
    "前三季度",
    "一季度",
    "二季度",
    "三季度",
    "四季度",
    "同期",
    "届时",
    "上年度",
    "去年同期",
    "上年同期",
    "此后",
    "之后",
    "最终",
    "去年",
    "上年",
    "明年",
    "月份",
    "月底",
    "月末",
    // modality and aspect
    "预计",
    "预期",
    "估计",
    "有望",
    "力争",
    "争取",
    "确保",
    "计划",
    "目标",
    "继续",
    "首次",
    "进一步",
    "仅为",
    "仅有",
    "仅",
    "只有",
    "只",
    "偏低",
    "偏高",
    "较低",
    "较高",
    "再次",
    "已经",
    "仍然",
    "依然",
    "始终",
    "持续",
    "正式",
    "顺利",
    "稳步",
    "大幅",
    "实际",
    "初步",
    "基本",
    "全部",
    "合计",
    "共计",
    "总计",
    "累计",
    "一共",
    "整体",
    // reaching a figure
    "达到",
    "达",
    "突破",
    "超过",
    "超",
    "实现",
    "完成",
    "增至",
    "增长到",
    "增长至",
    "增加到",
    "增加至",
    "提升到",
    "提升至",
    "提高到",
    "提高至",
    "上升到",
    "上升至",
    "跃升到",
    "跃升至",
    "攀升到",
    "攀升至",
    "保持在",
    "稳定在",
    "保持",
    "稳定",
    "增长",
    "增加",
    "提升",
    "提高",
    "上升",
    "回升",
    "占比",
    "占",
    "比重",
    "比例",
    "规模",
    "水平",
    "数量",
    "总量",
    "总数",
    // region scope
    "全市",
    "全区",
    "全县",
    "全省",
    "全镇",
    "全州",
    "全盟",
    "我市",
    "我区",
    "我县",
    "本市",
    "本区",
    "本县",
    "同比",
    "比",
    "较",
    "相比",
    // particles
    "的",
    "了",
    "在",
    "于",
    "为",
    "是",
    "并",
    "且",
    "共",
    "又",
    "再",
    "已",
    "将",
    "均",
    "也",
    "还",
    "都",
    "则",
    "就",
    "有",
    "约",
    "近",
    "逾",
    "余",
    "多",
    "及",
    "和",
    "与",
    "其",
    "其中",
    "由",
    "从",
];

/// Plan periods written as 十三五 / 十四五 (with or without quotes).
const PLAN_PERIODS: &[&str] = &["十一五", "十二五", "十三五", "十四五", "十五五"];

/// The predicate words (and plan periods) by first character.
fn predicate_words() -> &'static WordsByFirstChar {
    static WORDS: OnceLock<WordsByFirstChar> = OnceLock::new();
    WORDS.get_or_init(|| {
        WordsByFirstChar::new(
            PREDICATE_WORDS
                .iter()
                .chain(PLAN_PERIODS)
                .map(|w| (*w).to_string()),
        )
    })
}

/// Whether a subject may be carried to the clause starting at `at`: before
/// its first number (or its end) it holds only predicate words and
/// `rule_words` (the words of the rules that start with the subject). A
/// clause with a word of its own has a subject of its own; one without a
/// number has no figure to carry to. Both are skipped without a walk.
pub fn may_carry(text: &str, at: usize, rule_words: &WordsByFirstChar, max_chars: usize) -> bool {
    carry_stop(text, at, rule_words, max_chars).is_none()
}

/// Most characters of a clause's own word shown by [`carry_stop`].
const OWN_WORD_CHARS: usize = 8;

/// Why a subject is not carried to the clause at `at` ([`may_carry`]):
/// where the clause's own word stands, or an empty range where the clause
/// (or the `max_chars` looked at) ends without a number; `None` when it is
/// carried.
pub fn carry_stop(
    text: &str,
    at: usize,
    rule_words: &WordsByFirstChar,
    max_chars: usize,
) -> Option<Range<usize>> {
    let words = predicate_words();
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
            .or_else(|| words.longest_at(rest));
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
    text: &str,
    range: Range<usize>,
    covered: &[Range<usize>],
) -> Option<Range<usize>> {
    let words = predicate_words();
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
            at = past_date(text, at);
            continue;
        }
        if !ch.is_alphanumeric() {
            at += ch.len_utf8();
            continue;
        }
        if let Some(len) = words.longest_at(&text[at..]) {
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

/// Words that may follow a carried figure in its clause: a rank, a share, a
/// change, a record (…1207家居全省第二, …增幅全省第一, …创历史新高).
const AFTER_WORDS: &[&str] = &[
    "居", "位居", "位列", "名列", "稳居", "跃居", "排名", "排", "列", "创", "占", "同比", "增长",
    "增幅", "增速", "较", "比", "为", "是", "实现", "以上", "左右", "以内", "以下", "的", "了",
    "全省", "全市", "全国", "历史", "首次", "再创", "均",
];

/// A word of the clause's own after a carried match (`range`: from the
/// match's end to its clause's end), if the text there does not start
/// with punctuation, a predicate word or one of [`AFTER_WORDS`].
pub fn own_subject_after(
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
    if AFTER_WORDS.iter().any(|w| rest.starts_with(w))
        || predicate_words().longest_at(rest).is_some()
    {
        return None;
    }
    let end = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric() || c.is_ascii_digit())
        .map_or(range.end, |(k, _)| at + k);
    Some(at..end)
}

/// Past digits and what makes them a date or period: 2022年, 10月底, 1-10月份.
fn past_date(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() && (bytes[at].is_ascii_digit() || matches!(bytes[at], b'-' | b'.')) {
        at += 1;
    }
    for unit in ["年度", "年", "月份", "月底", "月末", "月", "日", "号"] {
        if text[at..].starts_with(unit) {
            return at + unit.len();
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(text: &str, covered: &[&str]) -> Option<String> {
        let ranges: Vec<Range<usize>> = covered
            .iter()
            .filter_map(|w| text.find(w).map(|i| i..i + w.len()))
            .collect();
        own_subject(text, 0..text.len(), &ranges).map(|r| text[r].to_string())
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
