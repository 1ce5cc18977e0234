//! Numbers as reports write them, read from normalized text.
//!
//! A number is `prefix? numeral multiplier* (余|多)? multiplier* range? unit? suffix?`:
//!
//! - numeral: Arabic (`1,305`, `63.25`; a comma groups thousands only as
//!   digit, comma, exactly three digits, non-digit) or Chinese (`十二`,
//!   `一百零五`, `两千三百`, `一万五` = 15000, `三百五` = 350). A lone `万` or `亿`
//!   is not a number. A Chinese numeral of one character (`一`, `两`, `十`)
//!   counts only when a unit follows (`一家`, `两项`, `一批`), so `统一`, `一是`,
//!   `进一步` read nothing; nor does anything right after `第` (ordinals).
//! - multiplier: `千` `万` `亿` multiply — *unless* a unit starts there:
//!   the unit wins, so `1.2万元` is 1.2 with unit 万元, `1.2万家` is 12000 家,
//!   `3000多万元` is 3000 (more than) 万元, `300多万人` is 3000000 人.
//! - range: `2-3` (after normalization `2至3`, `2～3` are `2-3`): value 2,
//!   upper 3, qualifier [`Qualifier::Range`]; only when upper > value, so a
//!   date `2022-02-28` reads as 2022.
//! - unit: the longest of [`super::units::UNITS`] right after.
//!
//! Approximations have one meaning: `value` is always the figure as
//! written, and the qualifier says where the truth lies relative to it —
//! `MoreThan` (余 多 超 超过 逾 以上): at or above, `About` (约 大约 左右):
//! near, either side, `LessThan` (近 将近 接近 不到 不足 以下 以内): below.
//! So `3000多` is value 3000, `MoreThan`; we do not guess 3000–4000.
//! A prefix qualifier wins over a suffix one; a range wins over both.
//! All arithmetic is exact ([`rust_decimal`]).

use std::ops::Range;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;

use super::units::Unit;

/// Where the true figure lies relative to [`Number::value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    /// As written.
    Exact,
    /// At or above the value: 余 多 超 超过 逾 以上.
    MoreThan,
    /// Near the value, either side: 约 大约 左右.
    About,
    /// Below the value: 近 将近 接近 不到 不足 以下 以内.
    LessThan,
    /// From `value` to `upper`: 2-3.
    Range,
}

/// A number read from normalized text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    /// The figure as written, multipliers applied (1.2万家 → 12000).
    pub value: Decimal,
    /// The upper end of a range.
    pub upper: Option<Decimal>,
    /// Where the truth lies relative to `value`.
    pub qualifier: Qualifier,
    /// The unit right after the number, if any.
    pub unit: Option<Unit>,
    /// The whole number: qualifiers and unit included (normalized offsets).
    pub range: Range<usize>,
    /// The unit alone.
    pub unit_range: Option<Range<usize>>,
}

const PREFIXES: &[(&str, Qualifier)] = &[
    ("超过", Qualifier::MoreThan),
    ("不到", Qualifier::LessThan),
    ("不足", Qualifier::LessThan),
    ("将近", Qualifier::LessThan),
    ("接近", Qualifier::LessThan),
    ("大约", Qualifier::About),
    ("约", Qualifier::About),
    ("近", Qualifier::LessThan),
    ("超", Qualifier::MoreThan),
    ("逾", Qualifier::MoreThan),
];

const SUFFIXES: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::MoreThan),
    ("左右", Qualifier::About),
    ("以下", Qualifier::LessThan),
    ("以内", Qualifier::LessThan),
];

/// Longest run of digits we read; longer runs are not figures.
const MAX_DIGITS: usize = 28;

/// Whether a number [`read_number`] reads can start with `c`: a digit, a
/// Chinese numeral that can lead one (一 … 九, 零, 十; not 百 or 万), or the
/// first character of a qualifier (约, 超过 …). A cheap test that lets the
/// engine skip places where a rule that opens with a number cannot match.
pub fn may_start_number(c: char) -> bool {
    c.is_ascii_digit()
        || cn_digit(c).is_some()
        || c == '十'
        || PREFIXES.iter().any(|(p, _)| p.starts_with(c))
}

/// Every character [`may_start_number`] admits, for tables built once.
pub fn number_start_chars() -> Vec<char> {
    let mut chars: Vec<char> = ('0'..='9')
        .chain("零〇一二两三四五六七八九十".chars())
        .chain(PREFIXES.iter().filter_map(|(p, _)| p.chars().next()))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// Reads the number that starts exactly at byte `at` of normalized `text`
/// (a prefix qualifier may stand at `at`). `None` if no number starts there.
pub fn read_number(text: &str, at: usize) -> Option<Number> {
    if at >= text.len() || !text.is_char_boundary(at) {
        return None;
    }
    let mut qualifier = Qualifier::Exact;
    let mut pos = at;
    // No qualifier starts with a digit (the common case here).
    let prefix = if text.as_bytes()[at].is_ascii_digit() {
        None
    } else {
        PREFIXES.iter().find(|(p, _)| text[at..].starts_with(p))
    };
    if let Some((p, q)) = prefix {
        qualifier = *q;
        pos += p.len();
    } else if let Some(prev) = text[..at].chars().next_back() {
        // Never start inside another number or after 第.
        if prev.is_ascii_digit() || prev == '.' || prev == '第' || is_cn_numeral(prev) {
            return None;
        }
    }
    let (mut value, numeral_len, single_cn) = numeral(text, pos)?;
    pos += numeral_len;
    let mut unit = None;
    let mut unit_range = None;
    let mut upper = None;

    let take_unit = |pos: usize| Unit::at_start(&text[pos..]).map(|u| (u, pos..pos + u.text.len()));

    // Multipliers, 余/多, multipliers again, range, unit.
    let mut found = take_unit(pos);
    if found.is_none() {
        pos = multiply(text, pos, &mut value)?;
        found = take_unit(pos);
    }
    if found.is_none()
        && let Some(s) = ["余", "多"].iter().find(|s| text[pos..].starts_with(**s))
    {
        pos += s.len();
        if qualifier == Qualifier::Exact {
            qualifier = Qualifier::MoreThan;
        }
        found = take_unit(pos);
        if found.is_none() {
            pos = multiply(text, pos, &mut value)?;
            found = take_unit(pos);
        }
    }
    if found.is_none()
        && text[pos..].starts_with('-')
        && let Some((mut hi, len, _)) = numeral(text, pos + 1)
    {
        let mut p = pos + 1 + len;
        if take_unit(p).is_none() {
            p = multiply(text, p, &mut hi)?;
        }
        if hi > value {
            upper = Some(hi);
            qualifier = Qualifier::Range;
            pos = p;
            found = take_unit(pos);
        }
    }
    if let Some((u, r)) = found {
        pos = r.end;
        unit = Some(u);
        unit_range = Some(r);
    } else if single_cn {
        return None;
    }
    if let Some((s, q)) = SUFFIXES.iter().find(|(s, _)| text[pos..].starts_with(s)) {
        pos += s.len();
        if qualifier == Qualifier::Exact {
            qualifier = *q;
        }
    }
    Some(Number {
        value: value.normalize(),
        upper: upper.map(|u| u.normalize()),
        qualifier,
        unit,
        range: at..pos,
        unit_range,
    })
}

/// Applies 千 万 亿 at `pos` unless a unit starts there; the new position.
/// `None` on overflow.
fn multiply(text: &str, mut pos: usize, value: &mut Decimal) -> Option<usize> {
    while Unit::at_start(&text[pos..]).is_none() {
        let m = match text[pos..].chars().next() {
            Some('千') => 1_000u64,
            Some('万') => 10_000,
            Some('亿') => 100_000_000,
            _ => break,
        };
        *value = value.checked_mul(Decimal::from(m))?;
        pos += 3;
    }
    Some(pos)
}

/// An Arabic or Chinese numeral at `pos`: value, byte length, and whether it
/// is a single Chinese character.
fn numeral(text: &str, pos: usize) -> Option<(Decimal, usize, bool)> {
    let c = text[pos..].chars().next()?;
    if c.is_ascii_digit() {
        arabic(&text[pos..]).map(|(v, n)| (v, n, false))
    } else {
        chinese(&text[pos..]).map(|(v, n, chars)| (v, n, chars == 1))
    }
}

fn arabic(s: &str) -> Option<(Decimal, usize)> {
    let b = s.as_bytes();
    let mut i = b
        .iter()
        .take(MAX_DIGITS + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if i > MAX_DIGITS {
        return None;
    }
    // Digits read, thousands commas not counted.
    let mut digits = i;
    let mut commas = false;
    if i <= 3 {
        while b.get(i) == Some(&b',')
            && b.len() >= i + 4
            && b[i + 1..i + 4].iter().all(u8::is_ascii_digit)
            && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            commas = true;
            digits += 3;
            i += 4;
            if digits > MAX_DIGITS {
                return None;
            }
        }
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac > MAX_DIGITS || digits + frac > MAX_DIGITS {
            return None;
        }
        i += 1 + frac;
    }
    // Read in place; only a number with thousands commas is copied without
    // them (this runs for every number a rule tries).
    let value = if commas {
        Decimal::from_str(&s[..i].replace(',', ""))
    } else {
        Decimal::from_str(&s[..i])
    };
    value.ok().map(|v| (v, i))
}

fn cn_digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn is_cn_numeral(c: char) -> bool {
    cn_digit(c).is_some() || matches!(c, '十' | '百' | '千' | '万' | '亿')
}

/// A Chinese numeral: value, byte length, characters read.
fn chinese(s: &str) -> Option<(Decimal, usize, usize)> {
    let first = s.chars().next()?;
    if cn_digit(first).is_none() && first != '十' {
        return None;
    }
    let mut yi: u64 = 0; // the part in 亿
    let mut wan: u64 = 0; // the part in 万 (below 亿)
    let mut section: u64 = 0; // below 万
    let mut digit: Option<u64> = None;
    let mut last_unit: u64 = u64::MAX; // the last multiplier read
    let mut after_zero = false;
    let (mut end, mut chars) = (0usize, 0usize);
    let (mut n, mut used_wan) = (0usize, false);
    let mut value_at_end = 0u64;
    for (i, c) in s.char_indices() {
        if let Some(d) = cn_digit(c) {
            if digit.is_some() {
                break;
            }
            n += 1;
            if d == 0 {
                if n == 1 {
                    // 零 alone is zero.
                    end = i + c.len_utf8();
                    chars = n;
                    value_at_end = 0;
                }
                after_zero = true;
                continue;
            }
            digit = Some(d);
        } else if let Some(m) = match c {
            '十' => Some(10u64),
            '百' => Some(100),
            '千' => Some(1_000),
            _ => None,
        } {
            if m >= last_unit && last_unit < 10_000 {
                break;
            }
            let d = match digit {
                Some(d) => d,
                None if m == 10 && section == 0 => 1,
                None => break,
            };
            section += d * m;
            digit = None;
            after_zero = false;
            last_unit = m;
            n += 1;
        } else if c == '万' || c == '亿' {
            if Unit::at_start(&s[i..]).is_some() || (section == 0 && digit.is_none()) {
                break;
            }
            let part = section + digit.unwrap_or(0);
            if c == '万' {
                if used_wan {
                    break;
                }
                wan = part * 10_000;
                used_wan = true;
                last_unit = 10_000;
            } else {
                if yi > 0 {
                    break;
                }
                yi = (wan + part).checked_mul(100_000_000)?;
                wan = 0;
                used_wan = false;
                last_unit = 100_000_000;
            }
            section = 0;
            digit = None;
            after_zero = false;
            n += 1;
        } else {
            break;
        }
        // A trailing bare digit after a multiplier of 100 or more means the
        // next place down (三百五 = 350, 一万五 = 15000), unless 零 came between.
        let tail = match digit {
            Some(d) if !after_zero && last_unit >= 100 && last_unit != u64::MAX => {
                d * (last_unit / 10)
            }
            Some(d) => d,
            None => 0,
        };
        end = i + c.len_utf8();
        chars = n;
        value_at_end = yi
            .checked_add(wan)?
            .checked_add(section)?
            .checked_add(tail)?;
    }
    if end == 0 {
        return None;
    }
    Some((Decimal::from(value_at_end), end, chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        /// `may_start_number` admits every character a number can start with.
        #[test]
        fn numbers_start_only_where_may_start_number_says(
            s in "[0-9.,一二两三四五六七八九十百千万亿零〇约近超逾过不到足将接大余多家个亿元%-]{1,8}",
        ) {
            if read_number(&s, 0).is_some() {
                let first = s.chars().next().unwrap_or_default();
                proptest::prop_assert!(may_start_number(first), "{s}");
            }
        }
    }

    #[test]
    fn number_start_chars_are_what_may_start_number_admits() {
        let listed = number_start_chars();
        for c in ('\0'..='\u{ffff}').filter(|c| may_start_number(*c)) {
            assert!(listed.contains(&c), "{c}");
        }
        assert!(listed.iter().all(|c| may_start_number(*c)));
    }

    #[test]
    fn may_start_number_is_narrow() {
        for c in [
            '1', '一', '两', '十', '零', '约', '超', '不', '近', '逾', '大', '将', '接',
        ] {
            assert!(may_start_number(c), "{c}");
        }
        for c in ['百', '千', '万', '家', '高', '企', '.', '-', '第'] {
            assert!(!may_start_number(c), "{c}");
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    /// (text, value, upper, qualifier, unit, matched text)
    fn check(
        text: &str,
        value: &str,
        upper: Option<&str>,
        q: Qualifier,
        unit: Option<&str>,
        whole: &str,
    ) {
        let n = read_number(text, 0).unwrap_or_else(|| panic!("no number in {text}"));
        assert_eq!(n.value, d(value), "{text}");
        assert_eq!(n.upper, upper.map(d), "{text}");
        assert_eq!(n.qualifier, q, "{text}");
        assert_eq!(n.unit.map(|u| u.text), unit, "{text}");
        assert_eq!(&text[n.range.clone()], whole, "{text}");
        if let Some(r) = n.unit_range {
            assert_eq!(Some(&text[r]), unit);
        }
    }

    use Qualifier::*;

    #[test]
    fn arabic() {
        check("1,305家企业", "1305", None, Exact, Some("家"), "1,305家");
        check(
            "63.25亿元,",
            "63.25",
            None,
            Exact,
            Some("亿元"),
            "63.25亿元",
        );
        check("2.25%", "2.25", None, Exact, Some("%"), "2.25%");
        check(
            "3.1个百分点",
            "3.1",
            None,
            Exact,
            Some("个百分点"),
            "3.1个百分点",
        );
        check(
            "12,345,678元",
            "12345678",
            None,
            Exact,
            Some("元"),
            "12,345,678元",
        );
        check("1,30家", "1", None, Exact, None, "1");
        check("2021年", "2021", None, Exact, None, "2021");
        check("5.", "5", None, Exact, None, "5");
    }

    #[test]
    fn chinese() {
        check("十二家", "12", None, Exact, Some("家"), "十二家");
        check("一百零五项", "105", None, Exact, Some("项"), "一百零五项");
        check("两千三百人", "2300", None, Exact, Some("人"), "两千三百人");
        check("两千三百", "2300", None, Exact, None, "两千三百");
        check("三百五十", "350", None, Exact, None, "三百五十");
        check("三百五家", "350", None, Exact, Some("家"), "三百五家");
        check("一万五千", "15000", None, Exact, None, "一万五千");
        check("一亿二千万", "120000000", None, Exact, None, "一亿二千万");
        check("五百万元", "500", None, Exact, Some("万元"), "五百万元");
        check("两家", "2", None, Exact, Some("家"), "两家");
        check("十家", "10", None, Exact, Some("家"), "十家");
        check("一百零", "100", None, Exact, None, "一百");
    }

    #[test]
    fn words_with_numerals_are_not_numbers() {
        assert!(read_number("万家", 0).is_none());
        assert!(read_number("亿元", 0).is_none());
        assert!(read_number("一是加强", 0).is_none());
        let t = "统一部署";
        assert!(read_number(t, "统".len()).is_none());
        let t = "进一步";
        assert!(read_number(t, "进".len()).is_none());
        let t = "第一家";
        assert!(read_number(t, "第".len()).is_none());
        // Not inside another number.
        assert!(read_number("1305", 1).is_none());
        assert!(read_number("十二", "十".len()).is_none());
        assert!(read_number("企业", 0).is_none());
    }

    #[test]
    fn multipliers_and_the_unit_wins() {
        check("1.2万家", "12000", None, Exact, Some("家"), "1.2万家");
        check("1.2万元", "1.2", None, Exact, Some("万元"), "1.2万元");
        check("1.2万", "12000", None, Exact, None, "1.2万");
        check("3千家", "3000", None, Exact, Some("家"), "3千家");
        check("3千万元", "3000", None, Exact, Some("万元"), "3千万元");
        check(
            "5.6万平方米",
            "5.6",
            None,
            Exact,
            Some("万平方米"),
            "5.6万平方米",
        );
        check("1.2万亿元", "12000", None, Exact, Some("亿元"), "1.2万亿元");
    }

    #[test]
    fn approximations() {
        check(
            "3000多万元",
            "3000",
            None,
            MoreThan,
            Some("万元"),
            "3000多万元",
        );
        check(
            "300多万人",
            "3000000",
            None,
            MoreThan,
            Some("人"),
            "300多万人",
        );
        check("50余家", "50", None, MoreThan, Some("家"), "50余家");
        check("近40家", "40", None, LessThan, Some("家"), "近40家");
        check("超400家", "400", None, MoreThan, Some("家"), "超400家");
        check(
            "超过1.5亿元",
            "1.5",
            None,
            MoreThan,
            Some("亿元"),
            "超过1.5亿元",
        );
        check("逾200家", "200", None, MoreThan, Some("家"), "逾200家");
        assert!(read_number("逾百家", 0).is_none());
        check("约2000人", "2000", None, About, Some("人"), "约2000人");
        check("50%左右", "50", None, About, Some("%"), "50%左右");
        check("400家以上", "400", None, MoreThan, Some("家"), "400家以上");
        check("不到30%", "30", None, LessThan, Some("%"), "不到30%");
        check("不足十项", "10", None, LessThan, Some("项"), "不足十项");
    }

    #[test]
    fn ranges() {
        check("2-3家", "2", Some("3"), Range, Some("家"), "2-3家");
        check("2-3万元", "2", Some("3"), Range, Some("万元"), "2-3万元");
        check("1-10月", "1", Some("10"), Range, None, "1-10");
        check("2022-02-28", "2022", None, Exact, None, "2022");
    }

    #[test]
    fn money_converts_exactly() {
        let n = read_number("6660万元", 0).expect("number");
        let yi = Unit::parse("亿元").expect("亿元");
        let v = n
            .unit
            .and_then(|u| u.convert(n.value, yi))
            .expect("converts");
        assert_eq!(v, d("0.666"));
    }

    #[test]
    fn long_digit_runs_are_refused_quickly() {
        let s = "9".repeat(2_000_000);
        assert!(read_number(&s, 0).is_none());
    }

    #[test]
    fn qualifier_serializes_lowercase() {
        assert_eq!(
            serde_json::to_string(&MoreThan).expect("json"),
            "\"morethan\""
        );
    }
}
