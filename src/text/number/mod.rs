//! Numbers as reports write them, read from normalized text.
//!
//! A number is `prefix? 百分之? numeral tail unit? range? suffix?`. The
//! reader's one promise: **a numeral is read whole or not at all.** Where
//! reading it would drop a digit, guess at a place, or start inside another
//! numeral, it reads nothing and says why ([`NotRead`], from
//! [`try_read_number`]); [`read_number`] is the same without the reason.
//!
//! - **Arabic**: `1305`, `63.25`; digits grouped by threes with `,` (a
//!   full-width `，` is `,` after normalization) or a space: `1,305`,
//!   `1 200`, `12 345 678`. A separator is a group mark only between a group
//!   of one to three digits and one of exactly three followed by a
//!   non-digit, the same mark throughout; otherwise the digits on each side
//!   are separate numbers (`1,30` is 1 and 30). Mixed marks (`1 234,567`) or
//!   a stray group after spaced ones (`1 200 30`) read nothing.
//! - **Chinese**: `十二`, `一百零五`, `两千三百`, `一亿二千万`; financial
//!   forms `壹贰叁肆伍陆柒捌玖拾佰仟` (and `貳 參 陸`), traditional `兩 倆 萬 億 點`,
//!   `十`/`拾` at the start (`拾六万零五百零六` = 160506), a missing 零 after
//!   万/亿 (`一万二百五十` = 10250), year-style digit strings with a zero
//!   (`二〇二二` = 2022).
//! - **Elliptic** forms: a digit right after a place of 百 or more, with no
//!   零 between, stands one place lower and ends the numeral: `三百五` = 350,
//!   `一千六` = 1600, `一万三` = 13000, `一亿三` = 130000000, `百三` = 130
//!   (a leading 百/千 means one of it, only with a digit after). Not applied
//!   — the numeral is not read — where a multiplier follows (`一千六万`,
//!   `三百五万元`: 1600万 or 1006万?) or 多/余 does (`一千六多`). After 十
//!   or 零 a digit is the units (`一百零六` = 106, `二十五` = 25).
//! - **Decimals with 点**: `三点五` = 3.5, `十五点七`, `零点五`, `四百点五`,
//!   `两千三点一` = 2300.1 (elliptic, then the fraction), `两千万点五五四四`;
//!   a multiplier after the fraction applies to the whole (`三点五亿` =
//!   350000000) only when the integer part has no 万/亿 of its own. `3点5` is
//!   3.5 too. `点` not followed by a digit ends the numeral (`三点建议`);
//!   `三点五分` (a time or a score) and `两百点两` read nothing.
//! - **Digits with places**: `5万4千6百` = 54600, `1亿2000万` = 120000000,
//!   `12万3456` = 123456, `3千` = 3000, `1.5千` = 1500, `1.2万` = 12000. An
//!   Arabic number after a place must take a place itself (`4千`), follow
//!   十 or 零 (`1千零5`), or be the four digits under 万 (`12万3456`);
//!   `1万5` (15000 or 10005?) reads nothing.
//! - **The unit wins** over a multiplier: where `万元`, `亿元`, `千元` or
//!   `万平方米` starts, the number ends, so `1.2万元` is 1.2 with unit 万元
//!   and `3000多万元` is 3000 万元; but where the number already has a
//!   higher place, the character is a place: `1亿2000万元` is 120000000 元,
//!   `1万5千元` is 15000 元.
//! - **Percentages**: `百分之二点五` is 2.5 with unit `%` (so a
//!   `P:percent` capture takes it), `百分之3.5`, `百分之百` = 100.
//! - **Ranges** `2-3` (after normalization `2至3`, `2～3` are `2-3`): value 2,
//!   upper 3, qualifier [`Qualifier::Range`]; only when upper > value, so a
//!   date `2022-02-28` reads as 2022. A unit may stand at both ends
//!   (`20%-30%`, `2000万元-1亿元`: the upper end converted to the lower's
//!   unit, 10000 万元).
//! - **Unit**: the longest of [`super::units::UNITS`] right after.
//!
//! Never read: a lone Chinese numeral character with no unit (`统一`, `一是`,
//! `进一步`), a lone financial character even with one (`陆家嘴`), a lone
//! place (`百家`, `上千`, `千亿级`), anything right after `第` (ordinals), a
//! numeral after `数`/`几` (`数十家`, `几百`: no figure), two digits side by
//! side (`三四家`, `二三十`: a guess between two figures), runs no number
//! is written as (`十三五`, `一百一百`, `1.2.3`), `兆`, `万万`, fractions
//! (`三分之一`), and a number right after a lone `-` (a minus sign or the end
//! of a range: the sign cannot be told).
//!
//! Approximations have one meaning: `value` is always the figure as
//! written, and the qualifier says where the truth lies relative to it —
//! `MoreThan` (余 多 几 超 超过 逾 以上): at or above, `About` (约 大约 左右 来):
//! near, either side, `LessThan` (近 将近 接近 不到 不足 以下 以内): below.
//! So `3000多` is value 3000, `MoreThan`, and `十几家` is 10, `MoreThan`; we
//! do not guess 3000–4000. A prefix qualifier wins over a suffix one; a range
//! wins over both. All arithmetic is exact (integers, then [`rust_decimal`]).
//!
//! Hand-written rather than built on the `chinese-number` crate: that crate
//! parses a whole string it is given, so it cannot say where a numeral ends
//! in running text nor let a unit win over a multiplier; finding the extent
//! is the same walk that computes the value here, so calling it after would
//! only add its cost (40–145 ns per numeral, benches/numbers.rs). It also
//! reads fractions through `f64`, refuses `三点五`, `俩千`, `1.2万`,
//! `12万3456` and `百分之五`, and reads `一千六万` as 10060000, an elliptic
//! form this reader refuses. It is the oracle of the property tests instead
//! (tests/numbers.rs).

use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;
use serde::Serialize;

use super::units::Unit;
use arabic::joins_group;
use chinese::{Class, Scanned, class, continues_numeral, is_numeral_char, scan, starts_numeral};
use fixed::Fixed;

/// Where the true figure lies relative to [`Number::value`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    /// As written.
    Exact,
    /// At or above the value: 余 多 几 超 超过 逾 以上.
    MoreThan,
    /// Near the value, either side: 约 大约 左右 来.
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
    /// The unit of the number, if any: after it (`家`), or before it for
    /// `百分之` (`%`).
    pub unit: Option<Unit>,
    /// The whole number: qualifiers and unit included (normalized offsets).
    pub range: Range<usize>,
    /// The unit alone (in a range written with a unit at both ends,
    /// `2000万元-1亿元`, the upper end's; `value` and `upper` are both in
    /// `unit`, the lower end's).
    pub unit_range: Option<Range<usize>>,
    /// The figure alone: from its first digit (after any qualifier word or
    /// `百分之`) to its last (a range's upper end included), with its 多/余
    /// and multipliers; no unit after it.
    pub numeral: Range<usize>,
}

impl Number {
    /// Where a capture that leaves a following unit to the rest of its
    /// pattern ends: before a unit written after the number, else at the
    /// end of the whole number (a `百分之` unit stands before the figure).
    pub fn bare_end(&self) -> usize {
        match &self.unit_range {
            Some(u) if u.start >= self.numeral.end => u.start,
            _ => self.range.end,
        }
    }
}

/// Why no number was read at a place ([`try_read_number`]). Offsets are
/// byte offsets in the normalized text: where the reader saw the trouble.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotRead {
    /// Nothing that starts a number stands here.
    NoNumber,
    /// The place is inside a numeral that starts earlier (五 in 三点五, 200
    /// in `1 200`, 五 in 百分之五): reading from here would drop its head.
    InsideNumeral,
    /// Right after 第: an ordinal, not a count.
    Ordinal,
    /// Right after a lone `-`: a minus sign or a dash, which cannot be told.
    AfterMinus,
    /// Right after 数 or 几 (数十家, 几百): a vague figure, no number.
    Vague,
    /// A single Chinese numeral character without a unit after it (统一,
    /// 一是), or a single financial numeral character (陆家嘴).
    LoneCharacter,
    /// A place character with no digit (百家, 上千, 千亿级): a round figure
    /// named loosely, not a number.
    LonePlace,
    /// The numeral goes on in a way no number is written (十三五, 一百一百,
    /// `1.2.3`): reading a part of it would be a different number.
    Broken {
        /// Where the run stops making sense.
        at: usize,
    },
    /// Two digits side by side (三四家, 二三十): a guess between two figures.
    Guess {
        /// The second digit.
        at: usize,
    },
    /// A digit that would stand one place lower, before a multiplier or
    /// 多/余 (一千六万, 三百五万元): 1600万 or 1006万 cannot be told.
    Elliptic {
        /// The multiplier, or 多/余.
        at: usize,
    },
    /// Arabic digits after a place that give no place of their own (1万5,
    /// 1千2): 15000 or 10005 cannot be told.
    DigitsAfterPlace {
        /// The digits.
        at: usize,
    },
    /// Digit groups with mixed separators, or a stray group after spaced
    /// ones (`1 234,567`, `1 200 30`).
    Grouping {
        /// The separator that breaks the pattern.
        at: usize,
    },
    /// A 点 numeral followed by 分, 刻 or 时 (三点五分): a time of day or a
    /// score, not a decimal.
    TimeOrScore {
        /// The word after the fraction.
        at: usize,
    },
    /// More than 28 digits, or a value too large to hold exactly.
    TooLong,
    /// A replacement character (U+FFFD, a byte the report's encoding could
    /// not decode) touches the numeral (`2.\u{FFFD}38%`): the figure is
    /// damaged, and the part beside the bad byte would be another number.
    Replaced {
        /// The replacement character.
        at: usize,
    },
}

impl NotRead {
    /// The reason in plain words, for `explain`.
    pub fn message(&self) -> &'static str {
        match self {
            NotRead::NoNumber => "no number starts here",
            NotRead::InsideNumeral => {
                "this is inside a longer number; reading from here would drop its first digits"
            }
            NotRead::Ordinal => "a number right after 第 is an ordinal, not a count",
            NotRead::AfterMinus => {
                "a lone '-' stands right before the number: a minus sign or a dash cannot be told"
            }
            NotRead::Vague => "after 数 or 几 the numeral names no figure (数十家, 几百)",
            NotRead::LoneCharacter => {
                "a single numeral character counts only before a unit (一家), and never in the financial form"
            }
            NotRead::LonePlace => "a place character with no digit (百家, 上千) names no figure",
            NotRead::Broken { .. } => {
                "the numeral goes on in a way numbers are not written; a part of it would be a different number"
            }
            NotRead::Guess { .. } => {
                "two digits side by side (三四家) are a guess between two figures"
            }
            NotRead::Elliptic { .. } => {
                "a shortened numeral (一千六) before a multiplier or 多/余: the place of its last digit cannot be told"
            }
            NotRead::DigitsAfterPlace { .. } => {
                "digits after a place without a place of their own (1万5): their place cannot be told"
            }
            NotRead::Grouping { .. } => {
                "the digit groups are not separated the same way throughout (1 234,567)"
            }
            NotRead::TimeOrScore { .. } => "a 点 numeral before 分/刻/时 is a time or a score",
            NotRead::TooLong => "more than 28 digits, or too large to hold exactly",
            NotRead::Replaced { .. } => {
                "a byte that could not be decoded (shown as U+FFFD) touches the numeral: the figure is damaged"
            }
        }
    }
}

impl fmt::Display for NotRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for NotRead {}

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

/// Words right before a number that say where the truth lies, as a
/// capture reads them (the verbs 突破 and 不低于 too).
pub const QUALIFIERS_BEFORE: &[(&str, Qualifier)] = &[
    ("突破", Qualifier::MoreThan),
    ("超过", Qualifier::MoreThan),
    ("超", Qualifier::MoreThan),
    ("逾", Qualifier::MoreThan),
    ("不低于", Qualifier::MoreThan),
    ("将近", Qualifier::LessThan),
    ("接近", Qualifier::LessThan),
    ("不到", Qualifier::LessThan),
    ("不足", Qualifier::LessThan),
    ("近", Qualifier::LessThan),
    ("大约", Qualifier::About),
    ("约", Qualifier::About),
];

const SUFFIXES: &[(&str, Qualifier)] = &[
    ("以上", Qualifier::MoreThan),
    ("左右", Qualifier::About),
    ("以下", Qualifier::LessThan),
    ("以内", Qualifier::LessThan),
];

/// What decoding puts for a byte it cannot read (U+FFFD).
const REPLACEMENT: char = '\u{FFFD}';

/// The percent word that stands before its figure.
const PERCENT: &str = "百分之";

/// Longest run of digits we read; longer runs are not figures.
const MAX_DIGITS: usize = 28;

/// Whether a number [`read_number`] reads can start with `c`: a digit, a
/// Chinese digit (lower or financial case, 零 〇 两 俩), 十/拾, 百/千 (for
/// 百三 and 百分之), or the first character of a qualifier (约, 超过 …). A
/// cheap test that lets the engine skip places where a rule that opens with
/// a number cannot match.
pub fn may_start_number(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            class(c),
            Class::Digit(_) | Class::Place(_) | Class::Financial(_)
        )
        || PREFIXES.iter().any(|(p, _)| p.starts_with(c))
}

/// A common Chinese numeral character (一 … 九, 两, 十, 百, 千, 零): what
/// the engine's cheap tests take for part of a number (the reader itself
/// knows every form: financial, 万/亿, 点).
pub fn is_common_numeral(c: char) -> bool {
    matches!(
        c,
        '零' | '一'
            | '二'
            | '两'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '千'
    )
}

/// A character that continues the numeral before it (a digit, `.`, or a
/// common Chinese numeral): a capture never starts right after one, so a
/// figure is never read from inside another (not 五 out of 三点五).
pub fn continues_number(c: char) -> bool {
    c.is_ascii_digit() || c == '.' || is_common_numeral(c)
}

/// Every character [`may_start_number`] admits, for tables built once.
pub fn number_start_chars() -> Vec<char> {
    let mut chars: Vec<char> = ('0'..='9')
        .chain(NUMERAL_CHARS.chars().filter(|c| may_start_number(*c)))
        .chain(PREFIXES.iter().filter_map(|(p, _)| p.chars().next()))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    chars
}

/// Every Chinese character the reader takes as part of a numeral.
const NUMERAL_CHARS: &str =
    "零〇一二两兩俩倆三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖十拾百佰千仟万萬亿億点點几";

/// Reads the number that starts exactly at byte `at` of normalized `text`
/// (a prefix qualifier may stand at `at`). `None` if no number starts there
/// or it cannot be read whole; [`try_read_number`] says why.
pub fn read_number(text: &str, at: usize) -> Option<Number> {
    try_read_number(text, at).ok()
}

/// [`read_number`], saying why when no number is read.
pub fn try_read_number(text: &str, at: usize) -> Result<Number, NotRead> {
    if at >= text.len() || !text.is_char_boundary(at) {
        return Err(NotRead::NoNumber);
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
    } else {
        let first = text[at..].chars().next().unwrap_or(' ');
        if !first.is_ascii_digit()
            && !matches!(
                class(first),
                Class::Digit(_) | Class::Financial(_) | Class::Place(_)
            )
        {
            return Err(NotRead::NoNumber);
        }
        check_start(text, at)?;
    }
    let mut unit = None;
    let percent = text[pos..].starts_with(PERCENT);
    if percent {
        unit = Some((
            Unit::parse("%").ok_or(NotRead::NoNumber)?,
            pos..pos + PERCENT.len(),
        ));
        pos += PERCENT.len();
    }
    let numeral_start = pos;
    let read = if percent && text[pos..].starts_with('百') && !continues_numeral(text, pos + 3) {
        // 百分之百.
        Scanned {
            value: Fixed::int(100),
            end: pos + 3,
            everyday: true,
            approx: None,
            unit: None,
        }
    } else {
        scan(text, pos)?
    };
    // A bad byte right after the figure (`1\u{FFFD}503`, `2.\u{FFFD}38`):
    // what was read is only the head of a damaged numeral.
    let after = text[read.end..]
        .strip_prefix('.')
        .unwrap_or(&text[read.end..]);
    if after.starts_with(REPLACEMENT) {
        return Err(NotRead::Replaced {
            at: text.len() - after.len(),
        });
    }
    pos = read.end;
    if let Some(q) = read.approx
        && qualifier == Qualifier::Exact
    {
        qualifier = q;
    }
    let value = read.value.to_decimal().ok_or(NotRead::TooLong)?;
    let mut upper = None;
    let mut numeral_end = pos;
    if percent {
        if read.unit.is_some() {
            // 百分之五万元: nonsense.
            return Err(NotRead::Broken { at: pos });
        }
    } else {
        unit = read.unit;
        if unit.is_none() {
            unit = take_unit(text, pos);
        }
        // A range: 2-3家, 2-3万元; 20%-30%, 2000万元-1亿元 (the upper end
        // converted to the lower's unit).
        let dash = unit.as_ref().map_or(pos, |(_, r)| r.end);
        if text[dash..].starts_with('-')
            && starts_numeral(text, dash + 1)
            && let Ok(hi) = scan(text, dash + 1)
            && hi.approx.is_none()
            && let Some(hi_value) = hi.value.to_decimal()
        {
            let hi_unit = hi.unit.clone().or_else(|| take_unit(text, hi.end));
            let hi_value = match (&unit, &hi_unit) {
                (None, _) => Some(hi_value),
                (Some((u, _)), Some((h, _))) => h.convert(hi_value, *u),
                (Some(_), None) => None,
            };
            if let Some(hi_value) = hi_value
                && hi_value > value
            {
                upper = Some(hi_value.normalize());
                qualifier = Qualifier::Range;
                numeral_end = hi.end;
                pos = hi.end;
                unit = match (unit, hi_unit) {
                    (Some((u, _)), Some((_, r))) => Some((u, r)),
                    (None, h) => h,
                    (u, None) => u,
                };
            }
        }
        // One Chinese character and nothing else (every one is 3 bytes;
        // three digits are not one).
        if read.end - numeral_start == 3
            && !text.as_bytes()[numeral_start].is_ascii_digit()
            && (unit.is_none() || !read.everyday)
        {
            return Err(NotRead::LoneCharacter);
        }
    }
    if let Some((_, r)) = &unit
        && r.end > pos
    {
        pos = r.end;
    }
    if let Some((s, q)) = SUFFIXES.iter().find(|(s, _)| text[pos..].starts_with(s)) {
        pos += s.len();
        if qualifier == Qualifier::Exact {
            qualifier = *q;
        }
    }
    let (unit, unit_range) = match unit {
        Some((u, r)) => (Some(u), Some(r)),
        None => (None, None),
    };
    Ok(Number {
        value,
        upper,
        qualifier,
        unit,
        range: at..pos,
        unit_range,
        numeral: numeral_start..numeral_end,
    })
}

/// A unit and where it stands.
type UnitAt = Option<(Unit, Range<usize>)>;

/// The unit that starts at `pos`, with its range; one space may stand
/// before it (`520 家`: a figure whose line was broken before its unit).
fn take_unit(text: &str, pos: usize) -> UnitAt {
    let pos = if text[pos..].starts_with(' ') && !text[pos + 1..].starts_with(' ') {
        pos + 1
    } else {
        pos
    };
    Unit::at_start(&text[pos..]).map(|u| (u, pos..pos + u.text.len()))
}

/// Refuses a start inside another numeral, after 第, 数/几 or a lone `-`.
fn check_start(text: &str, at: usize) -> Result<(), NotRead> {
    let before = &text[..at];
    let mut back = before.chars().rev();
    let Some(prev) = back.next() else {
        return Ok(());
    };
    let here = text[at..].chars().next().unwrap_or(' ');
    match prev {
        '0'..='9' | '.' => Err(NotRead::InsideNumeral),
        '第' => Err(NotRead::Ordinal),
        REPLACEMENT => Err(NotRead::Replaced {
            at: at - REPLACEMENT.len_utf8(),
        }),
        '数' | '几' if !here.is_ascii_digit() => Err(NotRead::Vague),
        '点' | '點' if back.next().is_some_and(is_numeral_char) => Err(NotRead::InsideNumeral),
        '之' if before.ends_with("分之") => Err(NotRead::InsideNumeral),
        ',' | ' ' if joins_group(text, at) => Err(NotRead::InsideNumeral),
        '-' => match back.next() {
            Some('-') => Ok(()),
            Some(c) if is_numeral_char(c) => Err(NotRead::InsideNumeral),
            _ => Err(NotRead::AfterMinus),
        },
        // 参 too: zhconv writes the financial 參 as 参 (参拾 = 30).
        c if is_numeral_char(c) || c == '参' => Err(NotRead::InsideNumeral),
        _ => Ok(()),
    }
}

mod arabic;
mod chinese;
mod fixed;
#[cfg(test)]
mod forms;
#[cfg(test)]
mod tests;
