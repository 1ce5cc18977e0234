//! The number reader (issue 14): every form a report writes, read whole or
//! not at all.
//!
//! - The real binary on one sentence per form: the fact has the right value.
//! - Property tests: integers up to 10^12 and decimals to 4 places written
//!   in every style (plain, with 零, elliptic, financial, traditional, digits
//!   mixed with places, spaced thousands) read back exactly; the
//!   `chinese-number` crate writes the numerals and, where it parses a
//!   canonical numeral, is the oracle.
//! - On arbitrary runs of numeral characters the reader reads the whole run
//!   or nothing: never from inside a run, never a part that stops before a
//!   digit or a place.

mod common;

use std::collections::BTreeMap;
use std::str::FromStr;

use chinese_number::{
    ChineseCase, ChineseCountMethod, ChineseToNumber, ChineseVariant, NumberToChinese,
};
use proptest::prelude::*;
use rust_decimal::Decimal;
use zhibiao::text::{NotRead, Qualifier, read_number, try_read_number};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

// ------------------------------------------------------- the real binary

/// (sentence with `{}` for the number, the number, indicator, value)
const SENTENCES: &[(&str, &str, &str, &str)] = &[
    // The table.
    (
        "技术合同成交额达{}。",
        "三点五亿元",
        "tech_contract_value",
        "3.5",
    ),
    ("全市高新技术企业累计达{}家。", "1 200", "hte_total", "1200"),
    (
        "全市高新技术企业累计达{}家。",
        "十五点七",
        "hte_total",
        "15.7",
    ),
    ("全市高新技术企业累计达{}家。", "二点五", "hte_total", "2.5"),
    ("全市高新技术企业累计达{}家。", "零点五", "hte_total", "0.5"),
    (
        "全市高新技术企业累计达{}家。",
        "四百点五",
        "hte_total",
        "400.5",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "拾六万零五百零六",
        "hte_total",
        "160506",
    ),
    (
        "全社会研发投入占地区生产总值比重达{}。",
        "百分之二点五",
        "rd_gdp_ratio",
        "2.5",
    ),
    (
        "技术合同成交额达{}。",
        "叁亿伍仟万元",
        "tech_contract_value",
        "3.5",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "肆佰陸拾",
        "hte_total",
        "460",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "壹千零壹",
        "hte_total",
        "1001",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "5万4千6百",
        "hte_total",
        "54600",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "7万5千4百",
        "hte_total",
        "75400",
    ),
    ("全市高新技术企业累计达{}家。", "百三", "hte_total", "130"),
    (
        "全市高新技术企业累计达{}家。",
        "一千陆",
        "hte_total",
        "1600",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "兩千四百五",
        "hte_total",
        "2450",
    ),
    ("全市高新技术企业累计达{}家。", "倆千", "hte_total", "2000"),
    (
        "全市高新技术企业累计达{}家。",
        "十点二三三",
        "hte_total",
        "10.233",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "两千三点一",
        "hte_total",
        "2300.1",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "两千万点五五四四",
        "hte_total",
        "20000000.5544",
    ),
    // Separators between groups of three.
    ("全市高新技术企业累计达{}家。", "6 100", "hte_total", "6100"),
    (
        "全市高新技术企业累计达{}家。",
        "1，200",
        "hte_total",
        "1200",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "12 345",
        "hte_total",
        "12345",
    ),
    // Elliptic forms, and the others the issue names.
    (
        "全市高新技术企业累计达{}家。",
        "一千六",
        "hte_total",
        "1600",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "一万三",
        "hte_total",
        "13000",
    ),
    (
        "全市高新技术企业累计达{}家。",
        "一千六百",
        "hte_total",
        "1600",
    ),
    (
        "技术合同成交额达{}。",
        "1亿2000万元",
        "tech_contract_value",
        "1.2",
    ),
    (
        "技术合同成交额达{}。",
        "十二点五亿元",
        "tech_contract_value",
        "12.5",
    ),
];

/// Sentences whose number must give no fact (it cannot be read whole).
const NO_FACT: &[&str] = &[
    "全市高新技术企业累计达1 234,567家。",
    "全市高新技术企业累计达三四家。",
    "全市高新技术企业累计达1万5家。",
    "全市高新技术企业累计达一千六万家。",
    "全市高新技术企业累计达数十家。",
];

/// A space or comma not between groups of three glues nothing: (sentence,
/// the glued value no fact may have).
const NOT_GLUED: &[(&str, &str)] = &[
    ("全市高新技术企业累计达1 20家。", "120"),
    ("全市高新技术企业累计达1，20家。", "120"),
    ("全市高新技术企业累计达1234 567家。", "1234567"),
    ("全市高新技术企业累计达12，3456家。", "123456"),
];

/// Runs `zhibiao run --format jsonl` over one file per sentence; the facts
/// by file name.
fn run(sentences: &[String]) -> BTreeMap<String, Vec<serde_json::Value>> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, s) in sentences.iter().enumerate() {
        std::fs::write(dir.path().join(format!("{i:03}.txt")), s).expect("write");
    }
    let (code, out, err) = common::zhibiao_in(dir.path(), &["run", "--format", "jsonl", "."], &[]);
    assert_eq!(code, 0, "{err}");
    let mut facts: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("jsonl");
        let doc = v["doc"]
            .as_str()
            .expect("doc")
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string();
        facts.entry(doc).or_default().push(v);
    }
    facts
}

#[test]
fn every_form_gives_the_right_fact_through_zhibiao_run() {
    let sentences: Vec<String> = SENTENCES
        .iter()
        .map(|(s, x, _, _)| s.replace("{}", x))
        .chain(NO_FACT.iter().map(|s| s.to_string()))
        .chain(NOT_GLUED.iter().map(|(s, _)| s.to_string()))
        .collect();
    let facts = run(&sentences);
    for (i, (_, x, indicator, value)) in SENTENCES.iter().enumerate() {
        let got: Vec<Decimal> = facts
            .get(&format!("{i:03}.txt"))
            .into_iter()
            .flatten()
            .filter(|f| f["indicator"] == *indicator)
            .map(|f| dec(&f["value"].to_string()))
            .collect();
        assert_eq!(
            got,
            vec![dec(value)],
            "{x}: {:?}",
            facts.get(&format!("{i:03}.txt"))
        );
    }
    for (j, s) in NO_FACT.iter().enumerate() {
        let name = format!("{:03}.txt", SENTENCES.len() + j);
        assert!(!facts.contains_key(&name), "{s}: {:?}", facts.get(&name));
    }
    for (j, (s, glued)) in NOT_GLUED.iter().enumerate() {
        let name = format!("{:03}.txt", SENTENCES.len() + NO_FACT.len() + j);
        for f in facts.get(&name).into_iter().flatten() {
            assert_ne!(dec(&f["value"].to_string()), dec(glued), "{s}: {f}");
        }
    }
}

// ---------------------------------------------------------- generators

const STYLES: [(ChineseVariant, ChineseCase); 4] = [
    (ChineseVariant::Simple, ChineseCase::Lower),
    (ChineseVariant::Simple, ChineseCase::Upper),
    (ChineseVariant::Traditional, ChineseCase::Lower),
    (ChineseVariant::Traditional, ChineseCase::Upper),
];

/// `n` as the crate writes it (10^12 itself as 一万亿: the crate writes 兆).
fn chinese(n: u64, style: usize) -> String {
    let (variant, case) = STYLES[style % STYLES.len()];
    if n == 1_000_000_000_000 {
        return match variant {
            ChineseVariant::Simple => "一万亿".into(),
            ChineseVariant::Traditional => "一萬億".into(),
        };
    }
    n.to_chinese(variant, case, ChineseCountMethod::TenThousand)
        .expect("writes")
}

/// 二 before 百/千/万/亿 as reports write it: 两, 兩 or 俩 (`which`).
fn with_liang(s: &str, which: usize) -> String {
    let liang = ["两", "兩", "俩", "二"][which % 4];
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        if *c == '二' && matches!(next, Some('百' | '千' | '万' | '亿' | '萬' | '億')) {
            out.push_str(liang);
        } else {
            out.push(*c);
        }
    }
    out
}

/// Digits of `d` (a fraction's digits) as Chinese digits.
fn chinese_digits(digits: &str, upper: bool) -> String {
    digits
        .chars()
        .map(|c| {
            let i = c as usize - '0' as usize;
            if upper {
                ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"][i]
            } else {
                ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"][i]
            }
        })
        .collect()
}

/// `n` with its digits grouped by threes with `sep`.
fn grouped(n: u64, sep: char) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Reads `text` at 0 and checks the value and that the numeral is `numeral`.
fn assert_reads(text: &str, numeral: &str, value: Decimal) -> Result<(), TestCaseError> {
    let n = try_read_number(text, 0).map_err(|e| TestCaseError::fail(format!("{text}: {e:?}")))?;
    prop_assert_eq!(n.value, value.normalize(), "{}", text);
    prop_assert_eq!(&text[n.numeral.clone()], numeral, "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Integers up to 10^12 in the four styles (with 零 where the crate
    /// writes it), 二 as 两/兩/俩 before a place.
    #[test]
    fn integers_in_every_style(n in 0u64..=1_000_000_000_000, style in 0usize..4, liang in 0usize..4) {
        let s = with_liang(&chinese(n, style), liang);
        let text = format!("{s}家，");
        if s.chars().count() == 1 && matches!(STYLES[style].1, ChineseCase::Upper) && n != 0 && n != 10 {
            // One financial character is never a number (陆家嘴).
            prop_assert_eq!(try_read_number(&text, 0).map(|n| n.value), Err(NotRead::LoneCharacter));
        } else if s == "拾" {
            prop_assert_eq!(try_read_number(&text, 0).map(|n| n.value), Err(NotRead::LoneCharacter));
        } else {
            assert_reads(&text, &s, Decimal::from(n))?;
        }
    }

    /// Elliptic forms: a numeral ending in a place of 百 or more, then one
    /// digit standing a place lower (一千六 = 1600, 一万三 = 13000).
    #[test]
    fn elliptic_forms(k in 1u64..10_000, e in prop::sample::select(vec![2u32, 3, 4, 8]), d in 1u64..10, style in 0usize..4) {
        // Below 万 the numeral must end in the place itself (1300, not 1000).
        let k = if e < 4 && k % 10 == 0 { k + 1 } else { k };
        let m = k * 10u64.pow(e);
        let upper = matches!(STYLES[style].1, ChineseCase::Upper);
        let s = format!("{}{}", chinese(m, style), chinese_digits(&d.to_string(), upper));
        let value = m + d * 10u64.pow(e - 1);
        assert_reads(&format!("{s}家"), &s, Decimal::from(value))?;
        // Before a multiplier the last digit's place cannot be told.
        let before = format!("{s}万元");
        let read = try_read_number(&before, 0);
        if m < 10_000 {
            prop_assert!(matches!(read, Err(NotRead::Elliptic { .. })), "{}: {:?}", before, read);
        } else {
            prop_assert!(read.is_err(), "{}: {:?}", before, read);
        }
    }

    /// Decimals to 4 places with 点, alone and before 万/亿.
    #[test]
    fn decimals_with_dian(int in 0u64..100_000_000, frac in 0u32..10_000, places in 1usize..=4, style in 0usize..4, big in 0usize..3) {
        let digits = format!("{frac:04}")[..places].to_string();
        let upper = matches!(STYLES[style].1, ChineseCase::Upper);
        let int_s = chinese(int, style);
        let value = dec(&format!("{int}.{digits}"));
        let s = format!("{int_s}点{}", chinese_digits(&digits, upper));
        assert_reads(&format!("{s}家"), &s, value)?;
        // 三点五亿: the multiplier applies to the whole, when the integer
        // part has no 万/亿 of its own.
        if int < 10_000 && big > 0 {
            let (m, shift) = if big == 1 { ("万", 10_000u64) } else { ("亿", 100_000_000) };
            let s = format!("{s}{m}");
            assert_reads(&format!("{s}家"), &s, value * Decimal::from(shift))?;
        }
    }

    /// Arabic digits with places: the crate's numeral with its digits in
    /// Arabic (5万4千6百), and four-digit groups (12万3456, 1亿2000万).
    #[test]
    fn digits_mixed_with_places(n in 1u64..1_000_000_000_000, a in 0u64..10_000, b in 1u64..10_000, c in 0u64..10_000) {
        let s: String = chinese(n, 0)
            .chars()
            .map(|ch| match "一二三四五六七八九".chars().position(|x| x == ch) {
                Some(i) => char::from(b'1' + i as u8),
                None => ch,
            })
            .collect();
        assert_reads(&format!("{s}家"), &s, Decimal::from(n))?;
        let mut g = String::new();
        if a > 0 {
            g.push_str(&format!("{a}亿"));
        }
        g.push_str(&format!("{b}万"));
        if c > 0 {
            g.push_str(&format!("{c:04}"));
        }
        let value = a * 100_000_000 + b * 10_000 + c;
        assert_reads(&format!("{g}人"), &g, Decimal::from(value))?;
        // A unit that starts with 万 after 亿: 万 is the place.
        if a > 0 && c == 0 {
            let t = format!("{g}元");
            let r = read_number(&t, 0).expect("reads");
            prop_assert_eq!((r.value, r.unit.map(|u| u.text)), (Decimal::from(value), Some("元")));
        }
    }

    /// Digits grouped by threes with a space or a comma, with or without a
    /// fraction; never read from inside the groups.
    #[test]
    fn spaced_thousands(n in 0u64..1_000_000_000_000, frac in prop::option::of(0u32..10_000), comma in any::<bool>()) {
        let sep = if comma { ',' } else { ' ' };
        let mut s = grouped(n, sep);
        let mut value = Decimal::from(n);
        if let Some(f) = frac {
            s.push_str(&format!(".{f:04}"));
            value = dec(&format!("{n}.{f:04}"));
        }
        let text = format!("{s}家");
        assert_reads(&text, &s, value)?;
        for (i, c) in s.char_indices().skip(1) {
            if c.is_ascii_digit() {
                prop_assert!(read_number(&text, i).is_none(), "{} at {}", text, i);
            }
        }
    }
}

// ------------------------------------------------- whole or not at all

/// Characters that carry a numeral on: a digit or a place.
fn carries(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿".contains(c)
}

/// A numeral character the reader may never start right after.
fn inside_after(c: char) -> bool {
    c.is_ascii_digit()
        || "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿点.".contains(c)
}

/// The whole-or-nothing properties of `run`, put between 达 and `tail`.
fn whole_or_nothing(run: &str, tail: &str) -> Result<(), TestCaseError> {
    let text = format!("达{run}{tail}");
    let start = "达".len();
    // Never from inside the run.
    for (i, _) in text
        .char_indices()
        .filter(|(i, _)| *i > start && *i < start + run.len())
    {
        let prev = text[..i].chars().next_back().unwrap_or(' ');
        if inside_after(prev) {
            prop_assert!(read_number(&text, i).is_none(), "{} read at {}", text, i);
        }
    }
    let Some(n) = read_number(&text, start) else {
        return Ok(());
    };
    // Never a part that stops where a digit or a place goes on.
    let after = &text[n.numeral.end..];
    let next = after.chars().next().unwrap_or(' ');
    let unit_here = n
        .unit_range
        .as_ref()
        .is_some_and(|u| u.start == n.numeral.end);
    let word_zero = next == '零' && !after[3..].starts_with(carries);
    prop_assert!(
        unit_here || !carries(next) || word_zero,
        "{} read as {} up to {}",
        text,
        n.value,
        n.numeral.end
    );
    // The crate's canonical numerals: the crate's value.
    let numeral = &text[n.numeral.clone()];
    if n.unit.is_none()
        && n.qualifier == Qualifier::Exact
        && let Ok(v) = ChineseToNumber::<u64>::to_number(&numeral, ChineseCountMethod::TenThousand)
    {
        for (variant, case) in STYLES {
            let canonical = v.to_chinese(variant, case, ChineseCountMethod::TenThousand);
            if canonical.ok().as_deref() == Some(numeral) {
                prop_assert_eq!(n.value, Decimal::from(v), "{}", text);
            }
        }
    }
    Ok(())
}

/// A numeral character, for edits.
fn numeral_char() -> impl Strategy<Value = char> {
    prop::sample::select(
        "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿点几多余0123456789., "
            .chars()
            .collect::<Vec<_>>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// On any run of numeral characters between two words: the reader
    /// reads the whole run or nothing. Never from inside it; never a part
    /// that stops where a digit or a place goes on (unless a unit starts
    /// there); and where the run is the crate's own canonical numeral, the
    /// crate's value.
    #[test]
    fn a_run_is_read_whole_or_not_at_all(
        run in "[零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖十拾百佰千仟万亿点几多余0-9., ]{1,10}",
        tail in prop::sample::select(vec!["家", "企业", "元", "%", "。"]),
    ) {
        whole_or_nothing(&run, tail)?;
    }

    /// The same on numerals one edit away from a real one (a character
    /// inserted, dropped or replaced): where partial reads would lurk.
    #[test]
    fn a_numeral_one_edit_away_is_read_whole_or_not_at_all(
        n in 0u64..1_000_000_000_000,
        style in 0usize..4,
        edit in 0usize..3,
        at in any::<prop::sample::Index>(),
        c in numeral_char(),
        tail in prop::sample::select(vec!["家", "企业", "万元", "。"]),
    ) {
        let mut chars: Vec<char> = chinese(n, style).chars().collect();
        let i = at.index(chars.len() + 1);
        match edit {
            0 => chars.insert(i, c),
            1 if i < chars.len() => { chars.remove(i); }
            _ if i < chars.len() => chars[i] = c,
            _ => chars.push(c),
        }
        let run: String = chars.into_iter().collect();
        whole_or_nothing(&run, tail)?;
    }
}

#[test]
fn qualifiers_keep_the_figure_as_written() {
    for (text, value, q) in [
        ("十几家", "10", Qualifier::MoreThan),
        ("三百多万元", "300", Qualifier::MoreThan),
        ("五十余家", "50", Qualifier::MoreThan),
        ("近两千家", "2000", Qualifier::LessThan),
        ("超三点五亿元", "3.5", Qualifier::MoreThan),
        ("约百分之三十", "30", Qualifier::About),
        ("二十来家", "20", Qualifier::About),
    ] {
        let n = read_number(text, 0).expect(text);
        assert_eq!((n.value, n.qualifier), (dec(value), q), "{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// Any text, any place: no panic, and a number read lies inside the
    /// text, on character boundaries, its numeral inside its range.
    #[test]
    fn the_reader_never_panics(
        text in "[零〇一二两三四五六七八九壹陆十拾百千万亿点几多余来约近超过逾不到足将接大以上下左右内分之第数家元万亿%0-9., -]{0,12}",
    ) {
        for at in 0..=text.len() + 1 {
            if let Ok(n) = try_read_number(&text, at) {
                prop_assert!(n.range.end <= text.len() && text.is_char_boundary(n.range.end));
                prop_assert!(n.range.start <= n.numeral.start && n.numeral.end <= n.range.end);
                prop_assert!(n.bare_end() <= n.range.end);
            }
        }
    }
}
