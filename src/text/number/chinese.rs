//! Chinese numerals (and Arabic digits mixed with places): the character
//! classes and the scan that reads a numeral one character class at a time.

use std::ops::Range;

use super::arabic::arabic;
use super::fixed::Fixed;
use super::{MAX_DIGITS, NotRead, Qualifier, UnitAt};
use crate::text::units::Unit;

/// What a character is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
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

pub(super) fn class(c: char) -> Class {
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
pub(super) fn is_numeral_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            class(c),
            Class::Digit(_) | Class::Financial(_) | Class::Place(_) | Class::Big(_) | Class::Point
        )
}

/// Whether the numeral would go on at `p`: a digit or a place.
pub(super) fn continues_numeral(text: &str, p: usize) -> bool {
    text[p..].chars().next().is_some_and(|c| {
        c.is_ascii_digit()
            || matches!(
                class(c),
                Class::Digit(_) | Class::Financial(_) | Class::Place(_) | Class::Big(_)
            )
    })
}

/// Whether a numeral starts at `p` (for a range's upper end).
pub(super) fn starts_numeral(text: &str, p: usize) -> bool {
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
pub(super) struct Scanned {
    /// The numeral's value.
    pub(super) value: Fixed,
    /// Where the numeral ends (before a unit).
    pub(super) end: usize,
    /// When one character was read: whether it is an everyday form.
    pub(super) everyday: bool,
    /// 多 余 几 (MoreThan) or 来 (About).
    pub(super) approx: Option<Qualifier>,
    /// A unit that starts where a multiplier could have (万元 …).
    pub(super) unit: UnitAt,
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
///
/// One step per character class ([`IntScan`]'s methods) reads the integer
/// part; what ends it (a unit, 点, 多/余/来, anything else) is then read on
/// by [`IntScan::finish`].
pub(super) fn scan(text: &str, start: usize) -> Result<Scanned, NotRead> {
    if let Some(plain) = plain_arabic(text, start) {
        return plain;
    }
    let mut scan = IntScan {
        text,
        start,
        n: Int::default(),
        p: start,
        pending_at: start,
        trailing_zero: false,
    };
    let stop = loop {
        match scan.step()? {
            Flow::Next => {}
            Flow::Stop(stop) => break stop,
            Flow::Whole(whole) => return Ok(whole),
        }
    };
    scan.finish(stop)
}

/// Fast path: Arabic digits followed by nothing a numeral goes on with
/// (most numbers a rule tries); `None` when the numeral may go on.
fn plain_arabic(text: &str, start: usize) -> Option<Result<Scanned, NotRead>> {
    if !text.as_bytes().get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let a = match arabic(text, start) {
        Ok(a) => a,
        Err(e) => return Some(Err(e)),
    };
    let end = start + a.len;
    let next = text[end..].chars().next();
    next.is_none_or(|c| !c.is_ascii_digit() && class(c) == Class::Other && c != '来')
        .then_some(Ok(Scanned {
            value: a.value,
            end,
            everyday: true,
            approx: None,
            unit: None,
        }))
}

/// How the integer part ends.
enum Stop {
    /// At a character that is no part of the numeral (or the text's end).
    End,
    /// At a unit that starts where a multiplier could have (5千元, 五百万元).
    Unit(Unit, Range<usize>),
    /// At 点 (its offset) with a fraction digit after it.
    Point(usize),
    /// At 多/余 (more than) or 来 (about), at its offset.
    More(usize, Qualifier),
}

/// What one character did to the integer part.
enum Flow {
    /// Read; go on with the next character.
    Next,
    /// The integer part ends here.
    Stop(Stop),
    /// The numeral was read whole another way (a digit string, 二〇二二).
    Whole(Scanned),
}

/// The integer part of a numeral as [`scan`] reads it, one character class
/// per method.
struct IntScan<'t> {
    text: &'t str,
    /// Where the numeral starts.
    start: usize,
    n: Int,
    /// The next character to read.
    p: usize,
    /// Where the pending digits stand (for errors).
    pending_at: usize,
    /// The numeral ended at a 零 that belongs to the next word.
    trailing_zero: bool,
}

impl IntScan<'_> {
    /// Reads the next character, by its class.
    fn step(&mut self) -> Result<Flow, NotRead> {
        let Some(c) = self.text[self.p..].chars().next() else {
            return Ok(Flow::Stop(Stop::End));
        };
        let len = c.len_utf8();
        if c.is_ascii_digit() {
            return self.arabic_digits();
        }
        let n = &self.n;
        match class(c) {
            Class::Digit(d) | Class::Financial(d) => self.digit(c, d, len),
            Class::Place(e) => self.place(c, e, len),
            Class::Big(e) => self.big(e, len),
            Class::Point => self.point(len),
            Class::Ji => self.ji(len),
            Class::More if !n.any || n.ji => Ok(Flow::Stop(Stop::End)),
            Class::More => Ok(Flow::Stop(Stop::More(self.p, Qualifier::MoreThan))),
            // 二十来家: about twenty.
            Class::Other
                if c == '来'
                    && n.any
                    && !n.ji
                    && Unit::at_start(&self.text[self.p + len..]).is_some() =>
            {
                Ok(Flow::Stop(Stop::More(self.p, Qualifier::About)))
            }
            Class::Other => Ok(Flow::Stop(Stop::End)),
        }
    }

    /// Arabic digits (12, 1.5) among Chinese places.
    fn arabic_digits(&mut self) -> Result<Flow, NotRead> {
        let (n, p) = (&mut self.n, self.p);
        if n.pending.is_some() || n.closed {
            return Err(NotRead::Broken { at: p });
        }
        let a = arabic(self.text, p)?;
        n.pending = Some(Pending::Arabic(a.value, a.int_digits, a.value.s > 0));
        if !n.any {
            n.everyday = true;
        }
        n.any = true;
        self.pending_at = p;
        self.p += a.len;
        Ok(Flow::Next)
    }

    /// A Chinese digit `c` of value `d` (零 … 九, 壹 … 玖).
    fn digit(&mut self, c: char, d: u8, len: usize) -> Result<Flow, NotRead> {
        let (text, p, n) = (self.text, self.p, &mut self.n);
        if n.closed || n.ji {
            return Err(NotRead::Broken { at: p });
        }
        match n.pending {
            Some(Pending::Cn(first)) => {
                if n.sec.is_zero() && n.small == 0 && n.big == 0 && !n.zero && first > 0 {
                    return digit_string(text, self.start, first, p).map(Flow::Whole);
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
                    self.trailing_zero = true;
                    return Ok(Flow::Stop(Stop::End));
                }
                n.zero = true;
                n.lead_zero = n.small == 0 && n.big > 0;
            }
        } else {
            n.pending = Some(Pending::Cn(d));
            self.pending_at = p;
        }
        n.any = true;
        self.p += len;
        Ok(Flow::Next)
    }

    /// A small place `c` of exponent `e` (十 百 千).
    fn place(&mut self, c: char, e: u32, len: usize) -> Result<Flow, NotRead> {
        let (text, p, n) = (self.text, self.p, &mut self.n);
        if e == 3
            && n.big == 0
            && let Some(u) = Unit::at_start(&text[p..])
        {
            // 5千元: the unit wins.
            n.no_elliptic(p)?;
            return Ok(Flow::Stop(Stop::Unit(u, p..p + u.text.len())));
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
        if n.zero && (e + 1 >= n.small && n.small != 0 || n.small == 0 && n.big == 4 && e >= 3) {
            return Err(NotRead::Broken { at: p });
        }
        let term = d.shift(e).ok_or(NotRead::TooLong)?;
        n.sec = n.sec.add(term).ok_or(NotRead::TooLong)?;
        n.small = e;
        n.zero = false;
        n.any = true;
        self.p += len;
        Ok(Flow::Next)
    }

    /// A big place of exponent `e` (万 亿), or a unit starting with one.
    fn big(&mut self, e: u32, len: usize) -> Result<Flow, NotRead> {
        let (text, p, n) = (self.text, self.p, &mut self.n);
        if let Some(u) = Unit::at_start(&text[p..]) {
            if n.big < e {
                // 五百万元, 1.2万亿元: the unit wins.
                n.no_elliptic(p)?;
                if !n.any {
                    return Err(NotRead::LonePlace);
                }
                return Ok(Flow::Stop(Stop::Unit(u, p..p + u.text.len())));
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
        self.p += len;
        Ok(Flow::Next)
    }

    /// 点: a fraction follows, or the numeral ends before it.
    fn point(&mut self, len: usize) -> Result<Flow, NotRead> {
        let p = self.p;
        match self.text[p + len..].chars().next() {
            Some(d) if d.is_ascii_digit() || fraction_digit(d).is_some() => {
                Ok(Flow::Stop(if self.n.any {
                    Stop::Point(p)
                } else {
                    Stop::End
                }))
            }
            Some('两' | '兩' | '俩' | '倆') if self.n.any => Err(NotRead::Broken { at: p }),
            _ => Ok(Flow::Stop(Stop::End)),
        }
    }

    /// 几: a vague digit.
    fn ji(&mut self, len: usize) -> Result<Flow, NotRead> {
        let n = &mut self.n;
        if !n.any {
            return Ok(Flow::Stop(Stop::End));
        }
        if n.pending.is_some() || n.closed || n.ji {
            return Err(NotRead::Broken { at: self.p });
        }
        n.pending = Some(Pending::Ji);
        n.ji = true;
        self.p += len;
        Ok(Flow::Next)
    }

    /// The numeral, read on from where its integer part stopped.
    fn finish(self, stop: Stop) -> Result<Scanned, NotRead> {
        let (text, n) = (self.text, &self.n);
        if !n.any {
            return Err(NotRead::NoNumber);
        }
        let mut approx = n.ji.then_some(Qualifier::MoreThan);
        let (value, end, unit) = match stop {
            Stop::End => (n.value(self.pending_at)?, self.p, None),
            Stop::Unit(u, r) => (n.value(self.pending_at)?, self.p, Some((u, r))),
            Stop::Point(at) => {
                let (fig, more) = self.after_point(at)?;
                if more {
                    approx = Some(Qualifier::MoreThan);
                }
                (fig.value, fig.end, fig.unit)
            }
            Stop::More(at, q) => {
                approx = Some(q);
                let fig = self.after_more(at, q)?;
                (fig.value, fig.end, fig.unit)
            }
        };
        if unit.is_none() && !self.trailing_zero && continues_numeral(text, end) {
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

    /// The fraction after 点 at `at`, the multipliers and 多/余 after it:
    /// the figure, and whether 多/余 followed.
    fn after_point(&self, at: usize) -> Result<(Figure, bool), NotRead> {
        let (text, n) = (self.text, &self.n);
        if n.ji || matches!(n.pending, Some(Pending::Arabic(_, _, true))) {
            return Err(NotRead::Broken { at });
        }
        let int = n.value(self.pending_at)?;
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
        more_tail(text, fig)
    }

    /// The figure whose integer part ends at 多/余/来 (`q`) at `at`, with
    /// the multipliers after 多/余.
    fn after_more(&self, at: usize, q: Qualifier) -> Result<Figure, NotRead> {
        let n = &self.n;
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
        let after = at + 3;
        if q == Qualifier::About {
            Ok(Figure {
                value: int,
                end: after,
                unit: None,
            })
        } else {
            multipliers(self.text, after, int, n.big, true, false)
        }
    }
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
