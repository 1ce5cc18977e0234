//! Calendar syntax: how reports write years, months, parts of a year and
//! five-year plan periods. This is how Chinese writes dates, not how a
//! province phrases an indicator, so it stays in Rust (the words that read
//! sentences are in the lexicon, `rules/lexicon.zb`).
//!
//! Five-year plans are computed, not listed: 十X五 (X one of 一 … 九) is the
//! (10 + X)th plan, which ends in 1955 + 5 × (10 + X): 十四五 → 2021–2025,
//! 十六五 → 2031–2035.

use std::sync::OnceLock;

use memchr::memmem::FinderRev;

/// The Chinese digits 一 … 九 with their values.
fn digit(c: char) -> Option<i32> {
    "一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|i| i as i32 + 1)
}

/// A five-year plan period named at the start of `text` (十四五): its
/// length in bytes and its first and last years.
pub fn plan_period_at(text: &str) -> Option<(usize, i32, i32)> {
    let mut cs = text.chars();
    if cs.next()? != '十' {
        return None;
    }
    let n = 10 + digit(cs.next()?)?;
    if cs.next()? != '五' {
        return None;
    }
    let end = 1955 + 5 * n;
    Some(('十'.len_utf8() * 3, end - 4, end))
}

/// Every five-year plan period named in `text`: where, its length in bytes,
/// its first and last years.
pub fn plan_periods(text: &str) -> impl Iterator<Item = (usize, usize, i32, i32)> + '_ {
    text.match_indices('十')
        .filter_map(|(at, _)| plan_period_at(&text[at..]).map(|(len, a, b)| (at, len, a, b)))
}

/// The name of the five-year plan period that ends in `end` (十四五 for
/// 2025), if `end` ends one.
pub fn plan_period_name(end: i32) -> Option<String> {
    let n = (end - 1955) / 5;
    if (end - 1955) % 5 != 0 || !(11..=19).contains(&n) {
        return None;
    }
    let d = "一二三四五六七八九".chars().nth((n - 11) as usize)?;
    Some(format!("十{d}五"))
}

/// Words after a plan period that name its end (“十三五”末 → 2020).
const PERIOD_END: &[&str] = &["末", "期末", "期间", "时期", "末期"];

/// True when `after` (the text after a plan period, quotes skipped) names
/// the period's end or span.
pub fn names_period_end(after: &str) -> bool {
    PERIOD_END.iter().any(|w| after.starts_with(w))
}

/// Past digits and what makes them a date or period: 2022年, 10月底, 1-10月份.
pub fn past_date(text: &str, mut at: usize) -> usize {
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

/// Words before a year that compare with it (较2021年): the figure is not
/// for that year.
const COMPARED: &[&str] = &[
    "较", "比", "同比", "与", "自", "从", "由", "相比", "超过", "高于",
];
/// Words after a year that make it a point of comparison or a start
/// (2021年以来, 2021年同期).
const SINCE: &[&str] = &["以来", "同期", "相比", "水平"];

/// The last year named in `text` that the figure is *for*: `2022年` but not
/// `较2021年`, `比2021年`, `2021年以来`, nor the first year of `2021-2025年`.
pub fn year_in(text: &str) -> Option<i32> {
    year_at(text).map(|(y, _)| y)
}

/// [`year_in`], with where the year's first digit stands in `text`.
pub fn year_at(text: &str) -> Option<(i32, usize)> {
    year_mentions(text).last().map(|(i, y)| (y, i))
}

/// Every year named in `text` that a figure can be for (see [`year_in`]),
/// with the byte offset of its first digit.
pub fn year_mentions(text: &str) -> impl Iterator<Item = (usize, i32)> + '_ {
    // Which written years count is decided here; reading them is
    // `dates::years_written`.
    super::dates::years_written(text).filter(move |&(i, year)| {
        let prefix = &text[..i];
        let suffix = &text[i + 4 + '年'.len_utf8()..];
        let compared = COMPARED.iter().any(|w| prefix.ends_with(w));
        let since = SINCE.iter().any(|w| suffix.starts_with(w));
        let range_start = prefix.ends_with('-');
        (1990..=2100).contains(&year) && ((!compared && !since) || range_start)
    })
}

/// Words before a year in a report's text that make it no year the report
/// is about (较2021年, 自2019年): used when counting the years a report names.
pub const COMPARED_IN_TEXT: &[&str] = &["较", "比", "与", "自", "从", "由", "-"];

/// True when a clause starts a new time frame of its own (1-9月份, 2022年,
/// 全年, 截至 …).
pub fn opens_time_frame(clause: &str) -> bool {
    let c = clause.trim_start();
    let digits = c.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0
        && (c[digits..].starts_with('月')
            || c[digits..].starts_with('年')
            || c[digits..].starts_with('-')))
        || [
            "前三季度",
            "上半年",
            "全年",
            "今年",
            "去年",
            "截至",
            "截止",
            "年初以来",
            "一季度",
        ]
        .iter()
        .any(|w| c.starts_with(w))
}

/// The word for the whole year: after a part of the year it means the
/// figure covers all of it.
pub const WHOLE_YEAR: &str = "全年";

/// The months a report's title says it covers.
pub fn title_months(title: &str) -> Option<String> {
    const PARTS: &[(&str, &str)] = &[
        ("前三季度", "1-9"),
        ("三季度", "1-9"),
        ("上半年", "1-6"),
        ("二季度", "1-6"),
        ("半年", "1-6"),
        ("一季度", "1-3"),
    ];
    PARTS
        .iter()
        .find(|(w, _)| title.contains(w))
        .map(|(_, m)| m.to_string())
        .or_else(|| months_in(title))
}

/// Where the run of ASCII digits that ends `s` starts.
fn trailing_digits_start(s: &str) -> usize {
    s.len() - s.bytes().rev().take_while(u8::is_ascii_digit).count()
}

/// The months a figure covers, from the nearest mention before it.
pub fn months_in(text: &str) -> Option<String> {
    months_at(text).and_then(|(_, m)| m)
}

/// [`months_in`], with where the nearest mention stands in `text` (the
/// months are `None` when a later 全年 makes it the whole year).
pub fn months_at(text: &str) -> Option<(usize, Option<String>)> {
    let mut best: Option<(usize, String)> = None;
    let mut consider = |pos: usize, m: String| {
        if best.as_ref().is_none_or(|(p, _)| pos >= *p) {
            best = Some((pos, m));
        }
    };
    // 1-10月, 1-11月份
    for (i, _) in text.match_indices('月') {
        let head = &text[..i];
        let digits_end = head.len();
        let digits_start = trailing_digits_start(head);
        if digits_start == digits_end {
            continue;
        }
        let end_month: u32 = head[digits_start..].parse().unwrap_or(0);
        if !(1..=12).contains(&end_month) {
            continue;
        }
        let before_digits = &head[..digits_start];
        if let Some(stripped) = before_digits.strip_suffix('-') {
            let s = trailing_digits_start(stripped);
            if let Ok(from) = stripped[s..].parse::<u32>()
                && (1..=12).contains(&from)
                && from < end_month
            {
                consider(i, format!("{from}-{end_month}"));
            }
        } else if (text[i..].starts_with("月底") || text[i..].starts_with("月末"))
            && !before_digits.ends_with('年')
            && end_month < 12
        {
            // 截至10月底, 10月底达到…: the year so far.
            consider(i, format!("1-{end_month}"));
        }
    }
    // Searchers built once: this runs for every fact.
    static PERIODS: OnceLock<Vec<(FinderRev<'static>, &str)>> = OnceLock::new();
    let periods = PERIODS.get_or_init(|| {
        [
            ("前三季度", "1-9"),
            ("前两季度", "1-6"),
            ("上半年", "1-6"),
            ("一季度", "1-3"),
            ("第一季度", "1-3"),
        ]
        .into_iter()
        .map(|(word, m)| (FinderRev::new(word.as_bytes()).into_owned(), m))
        .collect()
    });
    // Each period names 季度 or 半年: most texts name neither.
    if text.contains('季') || text.contains('半') {
        for (word, m) in periods {
            if let Some(p) = word.rfind(text.as_bytes()) {
                consider(p, m.to_string());
            }
        }
    }
    // "1-10月 … 预计全年 …", "截至10月底…，预计年底…": a later 全年 or
    // year's end means the whole year.
    best.map(|(p, m)| (p, Some(m).filter(|_| !names_whole_year(&text[p..]))))
}

/// True when `text` names the whole year (全年) or its end (年底, 年末; not
/// 上年底 or 去年末, which are the year before's).
fn names_whole_year(text: &str) -> bool {
    text.contains(WHOLE_YEAR)
        || ["年底", "年末"].iter().any(|w| {
            text.match_indices(w)
                .any(|(at, _)| !text[..at].ends_with(['上', '去', '前']))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_years_end_makes_the_whole_year() {
        assert_eq!(
            months_at("截至10月底,入库157家,预计年底可达"),
            Some((8, None))
        );
        assert_eq!(
            months_at("截至10月底,较上年底增加"),
            Some((8, Some("1-10".to_string())))
        );
    }

    #[test]
    fn plan_periods_are_computed() {
        assert_eq!(
            plan_period_at("十四五末"),
            Some(("十四五".len(), 2021, 2025))
        );
        assert_eq!(plan_period_at("十六五"), Some(("十六五".len(), 2031, 2035)));
        assert_eq!(plan_period_at("十一五"), Some(("十一五".len(), 2006, 2010)));
        assert_eq!(plan_period_at("十五"), None);
        assert_eq!(plan_period_at("十五万"), None);
        assert_eq!(plan_period_name(2030).as_deref(), Some("十五五"));
        assert_eq!(plan_period_name(2035).as_deref(), Some("十六五"));
        assert_eq!(plan_period_name(2031), None);
        let found: Vec<_> = plan_periods("“十三五”末到十五五").map(|p| p.3).collect();
        assert_eq!(found, vec![2020, 2030]);
    }
}
