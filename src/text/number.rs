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

/// True when the digits at `at` are a group of three joined by the
/// separator before them to one to three digits before it (`1 200`:
/// the 200).
fn joins_group(text: &str, at: usize) -> bool {
    let b = text.as_bytes();
    if !group_of_three(b, at) {
        return false;
    }
    let sep = at - 1;
    let left = b[..sep]
        .iter()
        .rev()
        .take(4)
        .take_while(|c| c.is_ascii_digit())
        .count();
    (1..=3).contains(&left) && !(sep > left && b[sep - left - 1] == b'.')
}

/// Exactly three digits at `i`, then no digit.
fn group_of_three(b: &[u8], i: usize) -> bool {
    b.len() >= i + 3
        && b[i..i + 3].iter().all(u8::is_ascii_digit)
        && !b.get(i + 3).is_some_and(u8::is_ascii_digit)
}

/// 10^k, from a table (u128 holds up to 10^38).
fn pow10(k: u32) -> Option<u128> {
    const POW10: [u128; 39] = {
        let mut t = [1u128; 39];
        let mut i = 1;
        while i < 39 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    POW10.get(k as usize).copied()
}

/// An exact non-negative decimal: `m / 10^s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Fixed {
    m: u128,
    s: u32,
}

impl Fixed {
    const ZERO: Fixed = Fixed { m: 0, s: 0 };

    fn int(v: u128) -> Fixed {
        Fixed { m: v, s: 0 }
    }

    fn is_zero(self) -> bool {
        self.m == 0
    }

    /// `self × 10^k`.
    fn shift(self, k: u32) -> Option<Fixed> {
        if self.s >= k {
            Some(Fixed {
                m: self.m,
                s: self.s - k,
            })
        } else {
            let m = self.m.checked_mul(pow10(k - self.s)?)?;
            Some(Fixed { m, s: 0 })
        }
    }

    fn add(self, o: Fixed) -> Option<Fixed> {
        if self.s == o.s {
            return Some(Fixed {
                m: self.m.checked_add(o.m)?,
                s: self.s,
            });
        }
        let s = self.s.max(o.s);
        let a = self.m.checked_mul(pow10(s - self.s)?)?;
        let b = o.m.checked_mul(pow10(s - o.s)?)?;
        Some(Fixed {
            m: a.checked_add(b)?,
            s,
        })
    }

    /// `self < 10^k`.
    fn below(self, k: u32) -> bool {
        pow10(k + self.s).is_some_and(|p| self.m < p)
    }

    /// The value as a [`Decimal`], trailing fraction zeros dropped.
    fn to_decimal(self) -> Option<Decimal> {
        let (mut m, mut s) = (self.m, self.s);
        while s > 0 && m % 10 == 0 {
            m /= 10;
            s -= 1;
        }
        Decimal::try_from_i128_with_scale(i128::try_from(m).ok()?, s).ok()
    }
}

/// What a character is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// 零 〇 一 … 九 两 兩 (everyday forms).
    Digit(u8),
    /// 壹 贰 … 玖 俩 倆: digits that are everyday words alone.
    Financial(u8),
    /// 十 百 千 (and 拾 佰 仟): the exponent.
    Place(u32),
    /// 万 亿 (萬 億): the exponent.
    Big(u32),
    /// 点 點.
    Point,
    /// 几: a vague digit.
    Ji,
    /// 多 余: more than.
    More,
    /// Anything else (ASCII digits included: they are read apart).
    Other,
}

fn class(c: char) -> Class {
    match c {
        '零' | '〇' => Class::Digit(0),
        '一' => Class::Digit(1),
        '二' | '两' | '兩' => Class::Digit(2),
        '三' => Class::Digit(3),
        '四' => Class::Digit(4),
        '五' => Class::Digit(5),
        '六' => Class::Digit(6),
        '七' => Class::Digit(7),
        '八' => Class::Digit(8),
        '九' => Class::Digit(9),
        '壹' => Class::Financial(1),
        '贰' | '貳' | '俩' | '倆' => Class::Financial(2),
        '叁' | '參' => Class::Financial(3),
        '肆' => Class::Financial(4),
        '伍' => Class::Financial(5),
        '陆' | '陸' => Class::Financial(6),
        '柒' => Class::Financial(7),
        '捌' => Class::Financial(8),
        '玖' => Class::Financial(9),
        '十' | '拾' => Class::Place(1),
        '百' | '佰' => Class::Place(2),
        '千' | '仟' => Class::Place(3),
        '万' | '萬' => Class::Big(4),
        '亿' | '億' => Class::Big(8),
        '点' | '點' => Class::Point,
        '几' => Class::Ji,
        '多' | '余' => Class::More,
        _ => Class::Other,
    }
}

/// A Chinese digit in either case.
fn cn_digit(c: char) -> Option<u8> {
    match class(c) {
        Class::Digit(d) | Class::Financial(d) => Some(d),
        _ => None,
    }
}

/// A character that belongs to a numeral: digits, places, 点.
fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            class(c),
            Class::Digit(_) | Class::Financial(_) | Class::Place(_) | Class::Big(_) | Class::Point
        )
}

/// Whether the numeral would go on at `p`: a digit or a place.
fn continues_numeral(text: &str, p: usize) -> bool {
    text[p..].chars().next().is_some_and(|c| {
        c.is_ascii_digit()
            || matches!(
                class(c),
                Class::Digit(_) | Class::Financial(_) | Class::Place(_) | Class::Big(_)
            )
    })
}

/// Whether a numeral starts at `p` (for a range's upper end).
fn starts_numeral(text: &str, p: usize) -> bool {
    text[p..].chars().next().is_some_and(|c| {
        c.is_ascii_digit() || matches!(class(c), Class::Digit(_) | Class::Financial(_))
    })
}

/// A digit after 点: not 两/俩 (两百点两 is no decimal).
fn fraction_digit(c: char) -> Option<u8> {
    match c {
        '两' | '兩' | '俩' | '倆' => None,
        c => cn_digit(c),
    }
}

/// A numeral read by [`scan`].
#[derive(Debug)]
struct Scanned {
    value: Fixed,
    /// Where the numeral ends (before a unit).
    end: usize,
    /// When one character was read: whether it is an everyday form.
    everyday: bool,
    /// 多 余 几 (MoreThan) or 来 (About).
    approx: Option<Qualifier>,
    /// A unit that starts where a multiplier could have (万元 …).
    unit: UnitAt,
}

/// A figure after its fraction or 多/余 and the multipliers after them.
struct Figure {
    value: Fixed,
    end: usize,
    unit: UnitAt,
}

/// A number read but not yet given its place.
#[derive(Debug, Clone, Copy)]
enum Pending {
    /// A Chinese digit (0 only as a leading 零).
    Cn(u8),
    /// Arabic digits: value, integer digits, whether it has a fraction.
    Arabic(Fixed, usize, bool),
    /// 几.
    Ji,
}

/// The integer part of a numeral as it is read.
#[derive(Debug, Default)]
struct Int {
    /// The part in 亿 and above.
    yi: Fixed,
    /// The part in 万 (below 亿).
    wan: Fixed,
    /// The part below 万.
    sec: Fixed,
    pending: Option<Pending>,
    /// Exponent of the last small place (十 1, 百 2, 千 3) in `sec`; 0: none.
    small: u32,
    /// Exponent of the last big place (万 4, 亿 8); 0: none.
    big: u32,
    /// 零 read since the last place.
    zero: bool,
    /// That 零 came right after 万/亿.
    lead_zero: bool,
    /// Anything read.
    any: bool,
    /// An Arabic decimal or multi-digit number took a place (1.5千, 1.2万):
    /// nothing smaller may follow.
    closed: bool,
    /// 几 read.
    ji: bool,
    /// The first character read is an everyday form.
    everyday: bool,
}

impl Int {
    /// Refuses an elliptic digit before a multiplier or 多/余 at `at`.
    fn no_elliptic(&self, at: usize) -> Result<(), NotRead> {
        if let Some(Pending::Cn(d)) = self.pending
            && d > 0
            && !self.zero
            && (self.small >= 2 || (self.small == 0 && self.big > 0))
        {
            return Err(NotRead::Elliptic { at });
        }
        Ok(())
    }

    /// The pending number as units of a section that is about to be
    /// multiplied (by 万/亿) or end in 多/余 (`at` is that character).
    fn pending_units(&self, at: usize) -> Result<Fixed, NotRead> {
        self.no_elliptic(at)?;
        Ok(match self.pending {
            None | Some(Pending::Ji) => Fixed::ZERO,
            Some(Pending::Cn(d)) => Fixed::int(u128::from(d)),
            Some(Pending::Arabic(v, digits, frac)) => {
                let alone = self.sec.is_zero() && self.small == 0 && !self.zero;
                let units = !frac && digits == 1 && (self.small == 1 || self.zero);
                if !(alone || units) {
                    return Err(NotRead::DigitsAfterPlace { at });
                }
                v
            }
        })
    }

    /// The value of the integer read, elliptic digits resolved (`at`: where
    /// the pending digits stand, for errors).
    fn value(&self, at: usize) -> Result<Fixed, NotRead> {
        let tail = match self.pending {
            None | Some(Pending::Ji) => Fixed::ZERO,
            Some(Pending::Cn(d)) => {
                let d = Fixed::int(u128::from(d));
                if self.zero || self.small == 1 || (self.small == 0 && self.big == 0) {
                    d
                } else if self.small >= 2 {
                    d.shift(self.small - 1).ok_or(NotRead::TooLong)?
                } else {
                    d.shift(self.big - 1).ok_or(NotRead::TooLong)?
                }
            }
            Some(Pending::Arabic(v, digits, frac)) => {
                let alone = self.sec.is_zero() && self.small == 0 && self.big == 0 && !self.zero;
                let units = !frac && digits == 1 && (self.small == 1 || self.zero);
                let under_wan = !frac
                    && digits == 4
                    && self.big == 4
                    && self.small == 0
                    && self.sec.is_zero()
                    && !self.zero;
                if !(alone || units || under_wan) {
                    return Err(NotRead::DigitsAfterPlace { at });
                }
                v
            }
        };
        self.yi
            .add(self.wan)
            .and_then(|v| v.add(self.sec))
            .and_then(|v| v.add(tail))
            .ok_or(NotRead::TooLong)
    }

    /// Whether the value ends in an elliptic digit (一千六).
    fn elliptic(&self) -> bool {
        matches!(self.pending, Some(Pending::Cn(d)) if d > 0)
            && !self.zero
            && (self.small >= 2 || (self.small == 0 && self.big > 0))
    }
}

/// Reads the numeral at `start`: Arabic or Chinese digits, places, 点
/// fractions, 多/余/几 and multipliers, up to a unit or a character that is
/// no part of a numeral. Refuses what cannot be read whole.
fn scan(text: &str, start: usize) -> Result<Scanned, NotRead> {
    // Fast path: Arabic digits followed by nothing a numeral goes on with
    // (most numbers a rule tries).
    if text.as_bytes().get(start).is_some_and(u8::is_ascii_digit) {
        let a = arabic(text, start)?;
        let end = start + a.len;
        let next = text[end..].chars().next();
        if next.is_none_or(|c| !c.is_ascii_digit() && class(c) == Class::Other && c != '来') {
            return Ok(Scanned {
                value: a.value,
                end,
                everyday: true,
                approx: None,
                unit: None,
            });
        }
    }
    let mut n = Int::default();
    let mut p = start;
    let mut pending_at = start;
    let mut trailing_zero = false;
    // How the integer part ends.
    enum Stop {
        End,
        Unit(Unit, Range<usize>),
        Point(usize),
        More(usize, Qualifier),
    }
    let stop = loop {
        let Some(c) = text[p..].chars().next() else {
            break Stop::End;
        };
        let len = c.len_utf8();
        if c.is_ascii_digit() {
            if n.pending.is_some() || n.closed {
                return Err(NotRead::Broken { at: p });
            }
            let a = arabic(text, p)?;
            n.pending = Some(Pending::Arabic(a.value, a.int_digits, a.value.s > 0));
            if !n.any {
                n.everyday = true;
            }
            n.any = true;
            pending_at = p;
            p += a.len;
            continue;
        }
        match class(c) {
            Class::Digit(d) | Class::Financial(d) => {
                if n.closed || n.ji {
                    return Err(NotRead::Broken { at: p });
                }
                match n.pending {
                    Some(Pending::Cn(first)) => {
                        if n.sec.is_zero() && n.small == 0 && n.big == 0 && !n.zero && first > 0 {
                            return digit_string(text, start, first, p);
                        }
                        return Err(side_by_side(text, first, p));
                    }
                    Some(_) => return Err(NotRead::Broken { at: p }),
                    None => {}
                }
                if !n.any {
                    n.everyday = matches!(class(c), Class::Digit(_));
                }
                if d == 0 {
                    if !n.any {
                        // A leading 零: 零点五, 零家.
                        n.pending = Some(Pending::Cn(0));
                    } else {
                        if n.zero {
                            return Err(NotRead::Broken { at: p });
                        }
                        // 零 before a word (一百零部件) is not the numeral's.
                        if !continues_numeral(text, p + len) {
                            if c != '零' {
                                return Err(NotRead::Broken { at: p });
                            }
                            trailing_zero = true;
                            break Stop::End;
                        }
                        n.zero = true;
                        n.lead_zero = n.small == 0 && n.big > 0;
                    }
                } else {
                    n.pending = Some(Pending::Cn(d));
                    pending_at = p;
                }
                n.any = true;
                p += len;
            }
            Class::Place(e) => {
                if e == 3
                    && n.big == 0
                    && let Some(u) = Unit::at_start(&text[p..])
                {
                    // 5千元: the unit wins.
                    n.no_elliptic(p)?;
                    break Stop::Unit(u, p..p + u.text.len());
                }
                if n.closed {
                    return Err(NotRead::Broken { at: p });
                }
                let d = match n.pending.take() {
                    Some(Pending::Cn(d)) if d > 0 => Fixed::int(u128::from(d)),
                    Some(Pending::Arabic(v, 1, false)) if !v.is_zero() => v,
                    // 1.5千, 12千 (at the start): a multiplier; nothing
                    // smaller may follow.
                    Some(Pending::Arabic(v, _, _))
                        if e == 3 && n.big == 0 && n.sec.is_zero() && n.small == 0 && !n.zero =>
                    {
                        n.closed = true;
                        v
                    }
                    Some(Pending::Ji) if n.small == 0 || e < n.small => Fixed::ZERO,
                    Some(_) => return Err(NotRead::Broken { at: p }),
                    None if !n.any => {
                        // 十五, 拾六万; 百三, 千五 (a digit must follow 百/千).
                        if e == 1 || continues_digit(text, p + len) {
                            n.everyday = matches!(c, '十' | '百' | '千');
                            Fixed::int(1)
                        } else {
                            return Err(NotRead::LonePlace);
                        }
                    }
                    // 一千零十.
                    None if e == 1 && n.zero => Fixed::int(1),
                    None => return Err(NotRead::Broken { at: p }),
                };
                if n.small != 0 && e >= n.small {
                    return Err(NotRead::Broken { at: p });
                }
                // 零 stands for a skipped place: 一千零五十, not 一百零五十
                // (nor 一万零五千).
                if n.zero
                    && (e + 1 >= n.small && n.small != 0 || n.small == 0 && n.big == 4 && e >= 3)
                {
                    return Err(NotRead::Broken { at: p });
                }
                let term = d.shift(e).ok_or(NotRead::TooLong)?;
                n.sec = n.sec.add(term).ok_or(NotRead::TooLong)?;
                n.small = e;
                n.zero = false;
                n.any = true;
                p += len;
            }
            Class::Big(e) => {
                if let Some(u) = Unit::at_start(&text[p..]) {
                    if n.big < e {
                        // 五百万元, 1.2万亿元: the unit wins.
                        n.no_elliptic(p)?;
                        if !n.any {
                            return Err(NotRead::LonePlace);
                        }
                        break Stop::Unit(u, p..p + u.text.len());
                    }
                    if n.big == e {
                        return Err(NotRead::Broken { at: p });
                    }
                    // 1亿2000万元: a place; the unit is what follows.
                }
                if !n.any {
                    return Err(NotRead::LonePlace);
                }
                let part = n.sec.add(n.pending_units(p)?).ok_or(NotRead::TooLong)?;
                if n.big != 0 && !part.below(4) {
                    // 1亿12345万: a section under a big place is below 10^4.
                    return Err(NotRead::Broken { at: p });
                }
                if e == 4 && n.lead_zero && !n.sec.below(3) {
                    // 一亿零五千万: 零 skips no place (一亿零一千 does).
                    return Err(NotRead::Broken { at: p });
                }
                let was_decimal = matches!(n.pending, Some(Pending::Arabic(_, _, true)));
                if e == 4 {
                    if n.big == 4 || part.is_zero() || n.closed && n.big != 0 {
                        return Err(NotRead::Broken { at: p });
                    }
                    n.wan = part.shift(4).ok_or(NotRead::TooLong)?;
                } else {
                    let all = n.wan.add(part).ok_or(NotRead::TooLong)?;
                    if n.big == 8 || all.is_zero() {
                        return Err(NotRead::Broken { at: p });
                    }
                    n.yi = all.shift(8).ok_or(NotRead::TooLong)?;
                    n.wan = Fixed::ZERO;
                }
                n.closed |= was_decimal;
                n.big = e;
                n.lead_zero = false;
                n.sec = Fixed::ZERO;
                n.small = 0;
                n.zero = false;
                n.pending = None;
                p += len;
            }
            Class::Point => {
                let next = text[p + len..].chars().next();
                match next {
                    Some(d) if d.is_ascii_digit() || fraction_digit(d).is_some() => {
                        if !n.any {
                            break Stop::End;
                        }
                        break Stop::Point(p);
                    }
                    Some('两' | '兩' | '俩' | '倆') if n.any => {
                        return Err(NotRead::Broken { at: p });
                    }
                    _ => break Stop::End,
                }
            }
            Class::Ji => {
                if !n.any {
                    break Stop::End;
                }
                if n.pending.is_some() || n.closed || n.ji {
                    return Err(NotRead::Broken { at: p });
                }
                n.pending = Some(Pending::Ji);
                n.ji = true;
                p += len;
            }
            Class::More => {
                if !n.any || n.ji {
                    break Stop::End;
                }
                break Stop::More(p, Qualifier::MoreThan);
            }
            Class::Other => {
                // 二十来家: about twenty.
                if c == '来' && n.any && !n.ji && Unit::at_start(&text[p + len..]).is_some() {
                    break Stop::More(p, Qualifier::About);
                }
                break Stop::End;
            }
        }
    };
    if !n.any {
        return Err(NotRead::NoNumber);
    }
    let mut approx = n.ji.then_some(Qualifier::MoreThan);
    let (value, end, unit) = match stop {
        Stop::End => (n.value(pending_at)?, p, None),
        Stop::Unit(u, r) => (n.value(pending_at)?, p, Some((u, r))),
        Stop::Point(at) => {
            if n.ji || matches!(n.pending, Some(Pending::Arabic(_, _, true))) {
                return Err(NotRead::Broken { at });
            }
            let int = n.value(pending_at)?;
            let arabic_int = matches!(n.pending, Some(Pending::Arabic(..)))
                && n.sec.is_zero()
                && n.big == 0
                && n.small == 0;
            let (frac, after) = fraction(text, at + '点'.len_utf8(), arabic_int)?;
            let value = int.add(frac).ok_or(NotRead::TooLong)?;
            let word = text[after..].chars().next();
            if let Some('分' | '刻' | '时' | '時') = word {
                return Err(NotRead::TimeOrScore { at: after });
            }
            // A multiplier after the fraction (三点五亿) only when the
            // integer part has no big place of its own.
            let may_multiply = n.big == 0 && !n.elliptic();
            let fig = multipliers(text, after, value, 0, may_multiply, n.elliptic())?;
            let (fig, more) = more_tail(text, fig)?;
            if more {
                approx = Some(Qualifier::MoreThan);
            }
            (fig.value, fig.end, fig.unit)
        }
        Stop::More(at, q) => {
            n.no_elliptic(at)?;
            let units = n.pending_units(at)?;
            let int =
                n.yi.add(n.wan)
                    .and_then(|v| v.add(n.sec))
                    .and_then(|v| v.add(units))
                    .ok_or(NotRead::TooLong)?;
            if let Some(Pending::Cn(_)) = n.pending
                && (n.small != 1 || n.zero)
            {
                // 五多, 一百零五多: 多 after a units digit (but 二十五多).
                return Err(NotRead::Broken { at });
            }
            approx = Some(q);
            let after = at + 3;
            if q == Qualifier::About {
                (int, after, None)
            } else {
                let fig = multipliers(text, after, int, n.big, true, false)?;
                (fig.value, fig.end, fig.unit)
            }
        }
    };
    if unit.is_none() && !trailing_zero && continues_numeral(text, end) {
        return Err(NotRead::Broken { at: end });
    }
    Ok(Scanned {
        value,
        end,
        everyday: n.everyday,
        approx,
        unit,
    })
}

/// A Chinese digit (not a place) at `p`.
fn continues_digit(text: &str, p: usize) -> bool {
    text[p..]
        .chars()
        .next()
        .is_some_and(|c| cn_digit(c).is_some())
}

/// The error for a digit at `at` right after another: a guess between two
/// figures when the two are neighbours and a place or a unit follows
/// (三四家, 二三十), else a broken run (十三五规划).
fn side_by_side(text: &str, first: u8, at: usize) -> NotRead {
    let mut rest = text[at..].chars();
    let d = rest.next().and_then(cn_digit).unwrap_or(0);
    let after = &text[at + 3..];
    let placed = after
        .chars()
        .next()
        .is_some_and(|c| matches!(class(c), Class::Place(_) | Class::Big(_)));
    if d == first + 1 && (placed || Unit::at_start(after).is_some()) {
        NotRead::Guess { at }
    } else {
        NotRead::Broken { at }
    }
}

/// A run of Chinese digits with no places (`二〇二二`, `三四`) from `start`;
/// the second digit is at `second`. Read positionally when it holds a zero,
/// else two digits side by side are a guess.
fn digit_string(text: &str, start: usize, first: u8, second: usize) -> Result<Scanned, NotRead> {
    let mut m: u128 = 0;
    let mut p = start;
    let mut count = 0usize;
    let mut has_zero = false;
    while let Some(c) = text[p..].chars().next() {
        let Some(d) = cn_digit(c) else { break };
        has_zero |= d == 0;
        m = m * 10 + u128::from(d);
        count += 1;
        if count > MAX_DIGITS {
            return Err(NotRead::TooLong);
        }
        p += c.len_utf8();
    }
    if !has_zero {
        return Err(side_by_side(text, first, second));
    }
    if continues_numeral(text, p)
        || text[p..]
            .chars()
            .next()
            .is_some_and(|c| matches!(class(c), Class::Point | Class::More | Class::Ji))
    {
        return Err(NotRead::Broken { at: p });
    }
    Ok(Scanned {
        value: Fixed::int(m),
        end: p,
        everyday: true,
        approx: None,
        unit: None,
    })
}

/// The digits after 点 at `p`: Arabic after an Arabic integer, Chinese after
/// a Chinese one. The fraction and where it ends.
fn fraction(text: &str, p: usize, arabic_int: bool) -> Result<(Fixed, usize), NotRead> {
    let mut m: u128 = 0;
    let mut s: u32 = 0;
    let mut q = p;
    while let Some(c) = text[q..].chars().next() {
        let d = if c.is_ascii_digit() {
            if !arabic_int {
                return Err(NotRead::Broken { at: q });
            }
            c as u8 - b'0'
        } else if let Some(d) = fraction_digit(c) {
            if arabic_int {
                return Err(NotRead::Broken { at: q });
            }
            d
        } else {
            break;
        };
        m = m * 10 + u128::from(d);
        s += 1;
        if s as usize > MAX_DIGITS {
            return Err(NotRead::TooLong);
        }
        q += c.len_utf8();
    }
    if text[q..].starts_with(['点', '點', '十', '拾', '百', '佰', '千', '仟']) {
        return Err(NotRead::Broken { at: q });
    }
    Ok((Fixed { m, s }, q))
}

/// Multipliers 万 亿 at `p` after a figure whose last big place is `big`,
/// each bigger than the last; a unit that starts with one wins.
fn multipliers(
    text: &str,
    mut p: usize,
    mut value: Fixed,
    mut big: u32,
    allowed: bool,
    elliptic: bool,
) -> Result<Figure, NotRead> {
    while let Some(c) = text[p..].chars().next() {
        let Class::Big(e) = class(c) else { break };
        if let Some(u) = Unit::at_start(&text[p..])
            && big < e
            && allowed
        {
            if elliptic {
                return Err(NotRead::Elliptic { at: p });
            }
            return Ok(Figure {
                value,
                end: p,
                unit: Some((u, p..p + u.text.len())),
            });
        }
        if !allowed || e <= big {
            return Err(if elliptic {
                NotRead::Elliptic { at: p }
            } else {
                NotRead::Broken { at: p }
            });
        }
        value = value.shift(e).ok_or(NotRead::TooLong)?;
        big = e;
        p += c.len_utf8();
    }
    if Unit::at_start(&text[p..]).is_none() && text[p..].starts_with(['千', '仟']) {
        return Err(NotRead::Broken { at: p });
    }
    Ok(Figure {
        value,
        end: p,
        unit: None,
    })
}

/// 多/余 after a fraction and its multipliers (`1.5万多`): whether it
/// stands there, and the figure past it; nothing may multiply after it.
fn more_tail(text: &str, fig: Figure) -> Result<(Figure, bool), NotRead> {
    if fig.unit.is_some() || !text[fig.end..].starts_with(['多', '余']) {
        return Ok((fig, false));
    }
    let past = multipliers(text, fig.end + 3, fig.value, 8, false, false)?;
    Ok((past, true))
}

/// Arabic digits read by [`arabic`].
struct Arabic {
    value: Fixed,
    len: usize,
    int_digits: usize,
}

/// Arabic digits at `at`: thousands groups, a decimal fraction.
fn arabic(text: &str, at: usize) -> Result<Arabic, NotRead> {
    let b = &text.as_bytes()[at..];
    let n = b
        .iter()
        .take(MAX_DIGITS + 1)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n > MAX_DIGITS {
        return Err(NotRead::TooLong);
    }
    let mut m: u128 = 0;
    for d in &b[..n] {
        m = m * 10 + u128::from(d - b'0');
    }
    let mut i = n;
    let mut int_digits = n;
    if n <= 3 {
        let mut sep = None;
        while let Some(&s) = b.get(i)
            && (s == b',' || s == b' ')
            && group_of_three(b, i + 1)
        {
            if sep.is_some_and(|x| x != s) {
                return Err(NotRead::Grouping { at: at + i });
            }
            sep = Some(s);
            for d in &b[i + 1..i + 4] {
                m = m * 10 + u128::from(d - b'0');
            }
            i += 4;
            int_digits += 3;
            if int_digits > MAX_DIGITS {
                return Err(NotRead::TooLong);
            }
        }
        // 1 200 30: a stray group after spaced ones.
        if sep.is_some()
            && matches!(b.get(i), Some(b' ' | b','))
            && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            && (sep == Some(b' ') || b[i] == b' ')
        {
            return Err(NotRead::Grouping { at: at + i });
        }
    }
    let mut s = 0u32;
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac > MAX_DIGITS || int_digits + frac > MAX_DIGITS {
            return Err(NotRead::TooLong);
        }
        for d in &b[i + 1..i + 1 + frac] {
            m = m * 10 + u128::from(d - b'0');
        }
        s = frac as u32;
        i += 1 + frac;
        // 1.2.3: a section number, not a figure.
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return Err(NotRead::Broken { at: at + i });
        }
    }
    Ok(Arabic {
        value: Fixed { m, s },
        len: i,
        int_digits,
    })
}
#[cfg(test)]
mod tests {
    use std::str::FromStr;

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
        for c in ['万', '亿', '家', '高', '企', '.', '-', '第', '点', '多'] {
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
        check("20%-30%", "20", Some("30"), Range, Some("%"), "20%-30%");
        check("5家-3家", "5", None, Exact, Some("家"), "5家");
        let n = read_number("2000万元-1亿元的", 0).expect("range");
        assert_eq!((n.value, n.upper), (d("2000"), Some(d("10000"))));
        assert_eq!(n.unit.map(|u| u.text), Some("万元"));
        assert_eq!(n.range, 0.."2000万元-1亿元".len());
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

#[cfg(test)]
mod forms {
    //! Every form the reader takes, and every refusal, one line each.
    use std::str::FromStr;

    use super::*;

    /// `text` reads as `value` (and `unit`), the numeral covering `whole`.
    #[track_caller]
    fn reads(text: &str, value: &str, unit: Option<&str>, whole: &str) {
        let n = try_read_number(text, 0).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(
            n.value,
            Decimal::from_str(value).expect("decimal"),
            "{text}"
        );
        assert_eq!(n.unit.map(|u| u.text), unit, "{text}");
        assert_eq!(&text[n.range.clone()], whole, "{text}");
    }

    #[track_caller]
    fn refuses(text: &str, at: usize, why: NotRead) {
        assert_eq!(
            try_read_number(text, at).map(|n| n.value),
            Err(why),
            "{text} at {at}"
        );
    }

    #[test]
    fn the_issue_table() {
        reads("三点五亿元", "3.5", Some("亿元"), "三点五亿元");
        reads("1 200家", "1200", Some("家"), "1 200家");
        reads("十五点七家", "15.7", Some("家"), "十五点七家");
        reads("二点五家", "2.5", Some("家"), "二点五家");
        reads("零点五家", "0.5", Some("家"), "零点五家");
        reads("四百点五家", "400.5", Some("家"), "四百点五家");
        reads(
            "拾六万零五百零六家",
            "160506",
            Some("家"),
            "拾六万零五百零六家",
        );
        reads("百分之二点五", "2.5", Some("%"), "百分之二点五");
        reads("叁亿伍仟万元", "350000000", Some("元"), "叁亿伍仟万元");
        reads("肆佰陸拾家", "460", Some("家"), "肆佰陸拾家");
        reads("壹千零壹家", "1001", Some("家"), "壹千零壹家");
        reads("5万4千6百家", "54600", Some("家"), "5万4千6百家");
        reads("7万5千4百家", "75400", Some("家"), "7万5千4百家");
        reads("百三家", "130", Some("家"), "百三家");
        reads("一千陆家", "1600", Some("家"), "一千陆家");
        reads("兩千四百五家", "2450", Some("家"), "兩千四百五家");
        reads("倆千家", "2000", Some("家"), "倆千家");
        reads("俩千家", "2000", Some("家"), "俩千家");
        reads("十点二三三家", "10.233", Some("家"), "十点二三三家");
        reads("两千三点一家", "2300.1", Some("家"), "两千三点一家");
        reads(
            "两千万点五五四四家",
            "20000000.5544",
            Some("家"),
            "两千万点五五四四家",
        );
    }

    #[test]
    fn separators_between_groups_of_three() {
        reads("1,200家", "1200", Some("家"), "1,200家");
        reads("6 100家", "6100", Some("家"), "6 100家");
        reads("12 345 678元", "12345678", Some("元"), "12 345 678元");
        reads("1 200.5万元", "1200.5", Some("万元"), "1 200.5万元");
        // Not between groups of three: separate numbers.
        reads("1 20家", "1", None, "1");
        reads("1,30家", "1", None, "1");
        reads("1234 567家", "1234", None, "1234");
        reads("1234 567家", "1234", None, "1234");
        assert_eq!(
            read_number("1 20家", 2).map(|n| n.value),
            Some(Decimal::from(20))
        );
        assert_eq!(
            read_number("1234 567家", 5).map(|n| n.value),
            Some(Decimal::from(567))
        );
        // Never from inside a grouped number.
        refuses("1 200家", 2, NotRead::InsideNumeral);
        refuses("6 100家", 2, NotRead::InsideNumeral);
        refuses("1,200家", 2, NotRead::InsideNumeral);
        refuses("1 234 567", 6, NotRead::InsideNumeral);
        // Mixed or stray groups: nothing.
        refuses("1 234,567家", 0, NotRead::Grouping { at: 5 });
        refuses("1 234,567家", 6, NotRead::InsideNumeral);
        refuses("1 200 30家", 0, NotRead::Grouping { at: 5 });
    }

    /// Issue 25 item 6: a bad byte inside a figure makes it unreadable on
    /// both sides, never a part of it.
    #[test]
    fn a_replacement_character_touching_a_numeral_refuses_it() {
        // 2.\u{FFFD}38%: neither 2 nor 38.
        refuses("2.\u{FFFD}38%", 0, NotRead::Replaced { at: 2 });
        refuses("2.\u{FFFD}38%", 5, NotRead::Replaced { at: 2 });
        // 1\u{FFFD}503家: neither 1 nor 503.
        refuses("1\u{FFFD}503家", 0, NotRead::Replaced { at: 1 });
        refuses("1\u{FFFD}503家", 4, NotRead::Replaced { at: 1 });
        // One apart, the figure reads.
        assert!(read_number("\u{FFFD} 38%", 4).is_some());
    }

    #[test]
    fn chinese_forms() {
        reads("十二", "12", None, "十二");
        reads("一十二", "12", None, "一十二");
        reads("一百零五", "105", None, "一百零五");
        reads("一千零一十", "1010", None, "一千零一十");
        reads("一千零十", "1010", None, "一千零十");
        reads("一万零二百五十", "10250", None, "一万零二百五十");
        reads("一万二百五十", "10250", None, "一万二百五十");
        reads("十万柒仟捌佰伍拾肆", "107854", None, "十万柒仟捌佰伍拾肆");
        reads(
            "四亿五千六百四十二万零一十五",
            "456420015",
            None,
            "四亿五千六百四十二万零一十五",
        );
        reads("四千零五万", "40050000", None, "四千零五万");
        reads("一万亿", "1000000000000", None, "一万亿");
        reads("三万五千亿", "3500000000000", None, "三万五千亿");
        reads(
            "玖仟玖佰玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖",
            "999999999999",
            None,
            "玖仟玖佰玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖",
        );
        reads("貳佰參拾", "230", None, "貳佰參拾");
        reads("二〇二二年", "2022", None, "二〇二二");
        reads("二零二一年", "2021", None, "二零二一");
        reads("零家", "0", Some("家"), "零家");
        reads("一百零部件", "100", None, "一百");
    }

    #[test]
    fn elliptic_forms_and_where_they_stop() {
        reads("三百五", "350", None, "三百五");
        reads("一千六", "1600", None, "一千六");
        reads("一万三", "13000", None, "一万三");
        reads("十万三", "103000", None, "十万三");
        reads("一亿三", "130000000", None, "一亿三");
        reads("一百一", "110", None, "一百一");
        reads("一千零六", "1006", None, "一千零六");
        reads("一千六百万元", "1600", Some("万元"), "一千六百万元");
        reads("一万三千元", "13000", Some("元"), "一万三千元");
        refuses("一千六万元", 0, NotRead::Elliptic { at: 9 });
        refuses("三百五万元", 0, NotRead::Elliptic { at: 9 });
        refuses("一千六万", 0, NotRead::Elliptic { at: 9 });
        refuses("一百五千元", 0, NotRead::Elliptic { at: 9 });
        refuses("一千六多家", 0, NotRead::Elliptic { at: 9 });
        refuses("一千六点五万", 0, NotRead::Elliptic { at: 15 });
    }

    #[test]
    fn digits_with_places() {
        reads("5亿1万4千6百", "500014600", None, "5亿1万4千6百");
        reads("1亿2000万元", "120000000", Some("元"), "1亿2000万元");
        reads("12万3456人", "123456", Some("人"), "12万3456人");
        reads("3千家", "3000", Some("家"), "3千家");
        reads("1.5千家", "1500", Some("家"), "1.5千家");
        reads("3.5千万元", "3500", Some("万元"), "3.5千万元");
        reads("1万5千元", "15000", Some("元"), "1万5千元");
        reads("1千2百3十4", "1234", None, "1千2百3十4");
        reads("1千零5", "1005", None, "1千零5");
        reads("4.78万亿", "4780000000000", None, "4.78万亿");
        reads("3点5亿元", "3.5", Some("亿元"), "3点5亿元");
        refuses("1万5", 0, NotRead::DigitsAfterPlace { at: 4 });
        refuses("1千2", 0, NotRead::DigitsAfterPlace { at: 4 });
        refuses("1亿2000", 0, NotRead::DigitsAfterPlace { at: 4 });
        refuses("1.2万3千", 0, NotRead::Broken { at: 6 });
        refuses("5三家", 0, NotRead::Broken { at: 1 });
        refuses("1万15千", 0, NotRead::Broken { at: 6 });
        refuses("一百零五十", 0, NotRead::Broken { at: 12 });
        refuses("一万零五千", 0, NotRead::Broken { at: 12 });
        reads("一千零五十", "1050", None, "一千零五十");
        reads("一亿零五百万", "105000000", None, "一亿零五百万");
        reads("一亿零一千", "100001000", None, "一亿零一千");
        refuses("一亿零五千万", 0, NotRead::Broken { at: 15 });
        refuses("1亿12345万", 0, NotRead::Broken { at: 9 });
        refuses("1万12345亿", 0, NotRead::Broken { at: 9 });
    }

    #[test]
    fn decimals_with_dian() {
        reads("三点五", "3.5", None, "三点五");
        reads("十二点五万元", "12.5", Some("万元"), "十二点五万元");
        reads("十二点五万家", "125000", Some("家"), "十二点五万家");
        reads("零点零五", "0.05", None, "零点零五");
        refuses("三点建议", 0, NotRead::LoneCharacter);
        // Three digits take three bytes too, and are a number without a unit.
        assert_eq!(
            read_number("突破300,获评", "突破".len()).map(|n| n.value),
            Some(Decimal::from(300))
        );
        refuses("三点五分", 0, NotRead::TimeOrScore { at: 9 });
        refuses("两百点两", 0, NotRead::Broken { at: 6 });
        refuses("三点五十", 0, NotRead::Broken { at: 9 });
        refuses("两千万点五亿", 0, NotRead::Broken { at: 15 });
        refuses("3.5点5", 0, NotRead::Broken { at: 3 });
        refuses("三点5", 0, NotRead::Broken { at: 6 });
    }

    #[test]
    fn percent_words() {
        reads("百分之十二", "12", Some("%"), "百分之十二");
        reads("百分之百", "100", Some("%"), "百分之百");
        reads(
            "百分之一百二十点五",
            "120.5",
            Some("%"),
            "百分之一百二十点五",
        );
        reads("百分之3.5", "3.5", Some("%"), "百分之3.5");
        let n = read_number("约百分之三十左右", 0).expect("percent");
        assert_eq!(
            (n.value, n.qualifier),
            (Decimal::from(30), Qualifier::About)
        );
        let n = read_number("百分之五十以上", 0).expect("percent");
        assert_eq!(n.qualifier, Qualifier::MoreThan);
        assert_eq!(n.bare_end(), "百分之五十以上".len());
        refuses("百分之五", 9, NotRead::InsideNumeral);
        refuses("三分之一", 9, NotRead::InsideNumeral);
        refuses("百分点", 0, NotRead::LonePlace);
    }

    #[test]
    fn approximate_words() {
        let q = |t: &str| read_number(t, 0).map(|n| (n.value, n.qualifier, n.unit.map(|u| u.text)));
        let d = Decimal::from;
        assert_eq!(q("十几家"), Some((d(10), Qualifier::MoreThan, Some("家"))));
        assert_eq!(
            q("二十几万元"),
            Some((d(20), Qualifier::MoreThan, Some("万元")))
        );
        assert_eq!(
            q("二十几万人"),
            Some((d(200000), Qualifier::MoreThan, Some("人")))
        );
        assert_eq!(
            q("三百几十家"),
            Some((d(300), Qualifier::MoreThan, Some("家")))
        );
        assert_eq!(q("十多万"), Some((d(100000), Qualifier::MoreThan, None)));
        assert_eq!(
            q("一百多家"),
            Some((d(100), Qualifier::MoreThan, Some("家")))
        );
        assert_eq!(
            q("五十余万元"),
            Some((d(50), Qualifier::MoreThan, Some("万元")))
        );
        assert_eq!(
            q("1万多人"),
            Some((d(10000), Qualifier::MoreThan, Some("人")))
        );
        assert_eq!(
            q("一万多亿元"),
            Some((d(10000), Qualifier::MoreThan, Some("亿元")))
        );
        assert_eq!(q("二十来家"), Some((d(20), Qualifier::About, Some("家"))));
        assert_eq!(
            q("近两千家"),
            Some((d(2000), Qualifier::LessThan, Some("家")))
        );
        assert_eq!(
            q("超三点五亿元"),
            Some((Decimal::new(35, 1), Qualifier::MoreThan, Some("亿元")))
        );
        refuses("五多家", 0, NotRead::Broken { at: 3 });
        refuses("三万多千", 0, NotRead::Broken { at: 9 });
        refuses("数十家", 3, NotRead::Vague);
        refuses("几百家", 3, NotRead::Vague);
        assert!(read_number("总数1200家", 6).is_some());
    }

    #[test]
    fn runs_that_are_no_number() {
        refuses("三四家", 0, NotRead::Guess { at: 3 });
        refuses("二三十家", 0, NotRead::Guess { at: 3 });
        refuses("十三五规划", 0, NotRead::Broken { at: 6 });
        refuses("十四五规划", 0, NotRead::Broken { at: 6 });
        refuses("一百二三十家", 0, NotRead::Guess { at: 9 });
        refuses("一百一百", 0, NotRead::Broken { at: 9 });
        refuses("1.2.3", 0, NotRead::Broken { at: 3 });
        refuses("四万万", 0, NotRead::Broken { at: 6 });
        refuses("百家", 0, NotRead::LonePlace);
        refuses("千亿级", 0, NotRead::LonePlace);
        refuses("陆家嘴", 0, NotRead::LoneCharacter);
        refuses("伍家岗", 0, NotRead::LoneCharacter);
        refuses("一是", 0, NotRead::LoneCharacter);
        refuses("增长-3.2%", 7, NotRead::AfterMinus);
        refuses("2-3家", 2, NotRead::InsideNumeral);
        assert!(read_number("--50家", 2).is_some());
        refuses("大陆3家", 6, NotRead::InsideNumeral);
        refuses("参拾家", 3, NotRead::InsideNumeral);
        // Found by the property tests: a qualifier at the end of the text,
        // digits after a financial digit, a trailing 〇.
        refuses("逾", 0, NotRead::NoNumber);
        refuses("伍0家", 3, NotRead::InsideNumeral);
        refuses("八亿〇,家", 0, NotRead::Broken { at: 6 });
    }

    #[test]
    fn never_from_inside_a_numeral() {
        for (text, inner) in [
            ("三点五亿元", "五"),
            ("四百点五", "五"),
            ("5万4千6百", "4"),
            ("拾六万零五百零六", "六"),
            ("1亿2000万", "2000"),
            ("3.5亿", "5"),
            ("百分之二点五", "二"),
            ("叁拾陆万", "拾"),
        ] {
            let at = text.rfind(inner).expect("inner");
            assert!(read_number(text, at).is_none(), "{text} at {inner}");
        }
    }
}
