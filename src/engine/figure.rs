//! What a capture reads at a place: a number with its unit
//! ([`crate::text::read_number`]), and two readings every rule gets
//! without writing them out.
//!
//! - **From–to**: `由320家增加到500家`, `从2.1%提高到2.6%`,
//!   `从2018年的860家增长到1.5万家`. The figure is the later one; the earlier
//!   one comes along ([`Figure::from`]) with the year it names, if any. A
//!   capture reads the phrase whether it starts at 由/从 or at the earlier
//!   number, so no rule can take the earlier figure for the later one.
//! - **A unit the text left out**: `研发投入2.4亿，` (亿 without 元) is
//!   money; `投入强度2.36，` or a count at the end of a clause or line is
//!   taken in the capture's own unit ([`Figure::unit_inferred`]).
//!
//! Written by hand: these are readings of report prose that no number
//! parsing crate makes; each is a bounded look at a few characters.

use crate::compile::Accept;
use crate::lexicon::{Lexicon, Role};
use crate::text::{
    Number, Qualifier, Unit, UnitKind, is_clause_break, is_sentence_break, may_start_number,
    read_number,
};

/// The words of the from–to phrase and its neighbours (roles `from`, `to`,
/// `lead`, `change`, `series_now`, `series`) are the shipped lexicon's:
/// how far a phrase reaches bounds every rule's window (`FROM_HALF_CHARS`),
/// so a province cannot change them.
fn lex() -> &'static Lexicon {
    Lexicon::shipped()
}

/// True when `c` opens a from–to phrase (由, 从).
fn is_from(c: char) -> bool {
    let mut buf = [0u8; 4];
    lex().is_word(Role::From, c.encode_utf8(&mut buf))
}

/// The length of the series separator `text` starts with: 、 , or a word
/// of the lexicon's `series` role (和 …).
fn series_separator(text: &str) -> Option<usize> {
    if text.starts_with('、') {
        Some('、'.len_utf8())
    } else if text.starts_with(',') {
        Some(1)
    } else {
        lex().starts(Role::Series, text)
    }
}

/// The length of `2000年`: a year's four digits and 年.
const YEAR_LEN: usize = 4 + '年'.len_utf8();

/// Most characters of an adverb between the earlier figure and the verb.
const MAX_ADVERB_CHARS: usize = 4;

/// Most characters between 由/从 and the earlier figure (上年的, 2018年的).
const FROM_REACH_CHARS: usize = 10;
/// The most characters the earlier half of a from–to phrase takes.
const FROM_HALF_CHARS: usize = crate::compile::FROM_HALF_CHARS as usize;

/// A figure a capture reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The figure (for a from–to phrase, the later one).
    pub number: Number,
    /// Where the capture ends: after the figure and its unit.
    pub end: usize,
    /// The earlier figure of a from–to phrase.
    pub from: Option<FromFigure>,
    /// The unit was not written; the capture's own unit is taken.
    pub unit_inferred: bool,
}

/// The earlier figure of a from–to phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct FromFigure {
    /// The number.
    pub number: Number,
    /// The year named for it (`从2018年的860家`), if any.
    pub year: Option<i32>,
    /// The figures between it and the later one, each with its year, when
    /// the phrase is a series (增长到2018年的40家、2019年的48家和今年的60家).
    pub steps: Vec<FromFigure>,
}

/// Reads the figure a capture accepting `accepts` takes at byte `pos` of
/// `text`, or `None`.
pub fn read(text: &str, pos: usize, accepts: &[Accept]) -> Option<Figure> {
    read_unchecked(text, pos).and_then(|f| accept(text, f, accepts))
}

/// [`read`] before the capture's units are checked: the figure at `pos`
/// whatever unit it has (the same for every capture, so it can be kept).
pub fn read_unchecked(text: &str, pos: usize) -> Option<Figure> {
    // Most places a capture is tried at hold no figure: a test of the
    // first character turns them away before the readers run.
    let first = text.get(pos..)?.chars().next()?;
    if !first.is_ascii_digit() && !is_from(first) && !may_start_number(first) {
        return None;
    }
    if let Some(f) = from_to_at(text, pos) {
        return Some(f);
    }
    // A year and 的 before the figure name its year (增加到2031年的260家):
    // the figure is the number after them (one year only: no loop).
    match year_then_of(text, pos) {
        (Some(_), skip) if text[..pos + skip].ends_with('的') => read_plain(text, pos + skip),
        _ => read_plain(text, pos),
    }
}

/// The figure of a plain number at `pos` (no from–to phrase opens there),
/// with the earlier figure of a from–to phrase it ends, if any.
fn read_plain(text: &str, pos: usize) -> Option<Figure> {
    let mut number = read_number(text, pos)?;
    let before = &text[..pos];
    // A change is no figure, except a count's change over last year
    // (拥有量达到614家、比上年增加111家: the net increase).
    let count = matches!(number.unit.map(|u| u.text), Some("家" | "户"));
    if lex().words(Role::Change).any(|w| {
        before.strip_suffix(w).is_some_and(|b| {
            let net = b.ends_with(['净', '新']);
            let over_last_year = count && lex().ends_with(Role::OverLastYear, b);
            !(net || over_last_year)
        })
    }) {
        return None;
    }
    // A qualifier the pattern's words took (达到超过500家 → 超过 is a word
    // of the rule) still qualifies the number.
    if number.qualifier == Qualifier::Exact
        && let Some(q) = qualifier_before(&text[..pos])
    {
        number.qualifier = q;
    }
    // The earlier figure of a from–to phrase is never a figure of its own;
    // the later one, reached past the verb, still knows the earlier.
    if let Some(open) = opening_before(text, pos, 2 * FROM_REACH_CHARS + FROM_HALF_CHARS)
        && let Some(f) = from_to_at(text, open)
    {
        if f.from.as_ref().is_some_and(|x| x.number.range.start == pos) {
            return Some(f);
        }
        if f.number.range.start == pos {
            let from = f.from;
            let end = number.range.end;
            return Some(Figure {
                number,
                end,
                from,
                unit_inferred: false,
            });
        }
    }
    let end = number.range.end;
    Some(Figure {
        number,
        end,
        from: None,
        unit_inferred: false,
    })
}

/// Where the earlier half of a from–to phrase that starts at `pos` (由/从,
/// the earlier figure) ends: the verb that leads to the later figure
/// follows. A gap passes over this half as over one character, so that
/// `高企 …{0,6} 达 N` reads "高企从2026年的730家增长到1.3万家".
pub fn from_half_end(text: &str, pos: usize) -> Option<usize> {
    let f = from_to_at(text, pos)?;
    let from = f.from?;
    // The earlier figures before the verb, the last of them included
    // (由2019年的120家、2020年的160家增加到…).
    let mut end = from
        .steps
        .iter()
        .map(|s| s.number.range.end)
        .filter(|&e| e < f.number.range.start)
        .fold(from.number.range.end, usize::max);
    if text[end..].starts_with(',') {
        end += 1;
    }
    // Never longer than the engine reckons a match may grow by.
    (text[pos..end].chars().count() <= crate::compile::FROM_HALF_CHARS as usize).then_some(end)
}

/// The figure if its unit is accepted, or can be taken as accepted.
/// The figure `f` as a capture accepting `accepts` takes it (its end
/// moved to where the accepted unit ends), or `None`.
pub fn accept(text: &str, mut f: Figure, accepts: &[Accept]) -> Option<Figure> {
    if let Some(end) = accepted_end(&f.number, accepts) {
        f.end = end;
        return Some(f);
    }
    if f.number.unit.is_some() {
        return None;
    }
    let next = text[f.number.range.end..].chars().next();
    let wants = |k: UnitKind| {
        accepts.iter().any(|a| match a {
            Accept::Unit(u) => u.kind == k,
            Accept::Kind(kind) => *kind == k,
            Accept::Bare => false,
        })
    };
    // 亿 or 万 without 元, not followed by another word (亿美元, 万人次).
    let numeral_text = &text[f.number.range.clone()];
    if wants(UnitKind::Money)
        && (numeral_text.ends_with('亿') || numeral_text.ends_with('万'))
        && !next.is_some_and(is_word_char)
        && let Some(yuan) = Unit::parse("元")
    {
        f.number.unit = Some(yuan);
        f.unit_inferred = true;
        return Some(f);
    }
    // A count or a ratio whose unit was lost at the end of a clause.
    let at_clause_end = next.is_none_or(|c| is_clause_break(c) || is_sentence_break(c));
    let plain = f.number.value.scale() == 0;
    if at_clause_end
        && !numeral_text.ends_with(['亿', '万', '千'])
        && ((wants(UnitKind::Count) && plain)
            || (wants(UnitKind::Percent) && f.number.value < rust_decimal::Decimal::from(100)))
    {
        f.unit_inferred = true;
        return Some(f);
    }
    None
}

/// The qualifier that `before` (the text up to a number) ends with.
fn qualifier_before(before: &str) -> Option<Qualifier> {
    crate::text::number::QUALIFIERS_BEFORE
        .iter()
        .find(|(w, _)| before.ends_with(w))
        .map(|(_, q)| *q)
}

/// A Chinese character or a Latin letter: a word goes on.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !c.is_ascii_digit()
}

/// Where a capture ends if the number's unit is accepted.
pub fn accepted_end(number: &Number, accepts: &[Accept]) -> Option<usize> {
    for a in accepts {
        match a {
            Accept::Bare => return Some(number.bare_end()),
            Accept::Unit(u) if number.unit == Some(*u) => return Some(number.range.end),
            Accept::Kind(k) if number.unit.is_some_and(|u| u.kind == *k) => {
                return Some(number.range.end);
            }
            _ => {}
        }
    }
    None
}

/// The 由/从 that opens a from–to phrase reaching the number at `pos`: the
/// nearest one before it within `reach` characters, in its clause or across
/// the 、 and , of a series of earlier figures (由2027年的118家、2028年的164家
/// 增加到…; the caller checks the phrase reaches `pos`).
fn opening_before(text: &str, pos: usize, reach: usize) -> Option<usize> {
    for (n, (i, c)) in text[..pos].char_indices().rev().enumerate() {
        if n > reach || (is_clause_break(c) && c != '、' && c != ',') {
            return None;
        }
        if is_from(c) {
            return Some(i);
        }
    }
    None
}

/// A from–to phrase starting with 由/从 at `pos`.
fn from_to_at(text: &str, pos: usize) -> Option<Figure> {
    let open = text[pos..].chars().next()?;
    if !is_from(open) {
        return None;
    }
    let mut at = pos + open.len_utf8();
    // The earlier figure, past a year and 的 (从2018年的860家, 由上年的196家).
    let mut year = None;
    let mut first = None;
    for _ in 0..=FROM_REACH_CHARS {
        let c = text[at..].chars().next()?;
        if is_clause_break(c) {
            return None;
        }
        if let Some(n) = read_number(text, at) {
            if let Some(y) = year_at(text, at) {
                year = Some(y);
                at += YEAR_LEN;
                continue;
            }
            first = Some(n);
            break;
        }
        at += c.len_utf8();
    }
    let first = first?;
    let mut at = first.range.end;
    // More earlier figures, each with its year, before the verb
    // (由2019年的120家、2020年的160家增加到…): steps of the series.
    let mut steps = Vec::new();
    while steps.len() < MAX_STEPS {
        let Some(sep) = series_separator(&text[at..]) else {
            break;
        };
        let (Some(y), skip) = year_then_of(text, at + sep) else {
            break;
        };
        let Some(mut next) = read_number(text, at + sep + skip) else {
            break;
        };
        if next.unit.is_none() {
            next.unit = first.unit;
        }
        if next.unit.map(|u| u.kind) != first.unit.map(|u| u.kind) {
            break;
        }
        at = next.range.end;
        steps.push(FromFigure {
            number: next,
            year: Some(y),
            steps: Vec::new(),
        });
    }
    if text[at..].starts_with(',') {
        at += 1;
    }
    // An adverb may stand before the verb (飞速增长到, 稳步提升至).
    let verb_at = text[at..]
        .char_indices()
        .take(MAX_ADVERB_CHARS + 1)
        .take_while(|(_, c)| !is_clause_break(*c) && !c.is_ascii_digit())
        .map(|(i, _)| at + i)
        .find(|&p| lex().starts_with(Role::To, &text[p..]))?;
    at = verb_at;
    at += lex().starts(Role::To, &text[at..])?;
    // A year the later figure is for (增长到2022年的1500家) is left to
    // inference for the last figure; skip it and 的.
    let (mut second_year, skip) = year_then_of(text, at);
    at += skip;
    let mut second = read_number(text, at);
    if second.is_none()
        && let Some(w) = lex().starts(Role::Lead, &text[at..])
    {
        second = read_number(text, at + w);
    }
    let mut second = second?;
    if second.unit.is_none() {
        second.unit = first.unit;
    }
    if let (Some(a), Some(b)) = (first.unit, second.unit)
        && a.kind != b.kind
    {
        return None;
    }
    // A series: "增长到2018年的40家、2019年的48家和今年的60家": each step
    // with its year; the last is the figure.
    let before_verb = steps.len();
    while steps.len() < before_verb + MAX_STEPS {
        let rest = &text[second.range.end..];
        let Some(sep) = series_separator(rest) else {
            break;
        };
        let p = second.range.end + sep;
        let (y, skip) = year_then_of(text, p);
        let (y, skip) = match y {
            Some(_) => (y, skip),
            None => match lex().starts(Role::SeriesNow, &text[p..]) {
                Some(w) => (None, w),
                // Without a year or 今年 an item is not a step of the series.
                None => break,
            },
        };
        let Some(mut next) = read_number(text, p + skip) else {
            break;
        };
        if next.unit.is_none() {
            next.unit = second.unit;
        }
        if next.unit.map(|u| u.kind) != second.unit.map(|u| u.kind) {
            break;
        }
        steps.push(FromFigure {
            number: std::mem::replace(&mut second, next),
            year: second_year,
            steps: Vec::new(),
        });
        second_year = y;
    }
    let end = second.range.end;
    Some(Figure {
        number: second,
        end,
        from: Some(FromFigure {
            number: first,
            year,
            steps,
        }),
        unit_inferred: false,
    })
}

/// Most steps of a from–to series read (增长到2018年的40家、2019年的48家 …).
const MAX_STEPS: usize = 12;

/// A year and 的 at `at` (`2018年的`): the year, and how many bytes they take.
fn year_then_of(text: &str, at: usize) -> (Option<i32>, usize) {
    match year_at(text, at) {
        Some(y) => {
            let mut len = YEAR_LEN;
            if text[at + len..].starts_with('的') {
                len += '的'.len_utf8();
            }
            (Some(y), len)
        }
        None => (None, 0),
    }
}

/// A year written `2018年` at `at` (four digits, 1990–2100, then 年).
fn year_at(text: &str, at: usize) -> Option<i32> {
    crate::text::dates::year_written_at(text, at).filter(|y| (1990..=2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn count() -> Vec<Accept> {
        vec![Accept::Kind(UnitKind::Count)]
    }

    fn value(text: &str, at: &str, accepts: &[Accept]) -> Option<(Decimal, Option<Decimal>)> {
        let pos = text.find(at)?;
        read(text, pos, accepts).map(|f| (f.number.value, f.from.map(|x| x.number.value)))
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn from_to_takes_the_later_figure_from_either_start() {
        let t = "高企由320家增加到500家";
        assert_eq!(value(t, "由", &count()), Some((d("500"), Some(d("320")))));
        assert_eq!(value(t, "320", &count()), Some((d("500"), Some(d("320")))));
        let p = vec![Accept::Kind(UnitKind::Percent)];
        let t = "研发投入强度从2.1%提高到2.6%";
        assert_eq!(value(t, "从", &p), Some((d("2.6"), Some(d("2.1")))));
        assert_eq!(value(t, "2.1", &p), Some((d("2.6"), Some(d("2.1")))));
        // The later figure, reached past the verb, still knows the earlier.
        assert_eq!(value(t, "2.6", &p), Some((d("2.6"), Some(d("2.1")))));
        // A figure after 由 that no later figure follows is itself.
        assert_eq!(
            value("由38家企业组成", "38", &count()),
            Some((d("38"), None))
        );
    }

    #[test]
    fn from_to_with_years_lead_words_and_lost_units() {
        let t = "高企从2018年的86家增长到突破150家";
        let f = read(t, t.find('从').unwrap_or(0), &count()).expect("a figure");
        assert_eq!(f.number.value, d("150"));
        assert_eq!(f.from.as_ref().map(|x| x.year), Some(Some(2018)));
        let t = "由上年的196家增至243";
        assert_eq!(value(t, "由", &count()), Some((d("243"), Some(d("196")))));
        let t = "由441家到1000家";
        assert_eq!(value(t, "由", &count()), Some((d("1000"), Some(d("441")))));
    }

    #[test]
    fn not_from_to() {
        // A number after 由 without a later figure is a plain number.
        let t = "由38家企业组成";
        assert_eq!(value(t, "38", &count()), Some((d("38"), None)));
        // Counts and money do not pair.
        let t = "由3家增加到5亿元";
        assert_eq!(value(t, "3", &count()), Some((d("3"), None)));
    }

    #[test]
    fn units_left_out() {
        let money = vec![Accept::Kind(UnitKind::Money)];
        let t = "研发投入2.4亿,同比增长";
        let f = read(t, t.find("2.4").unwrap_or(0), &money).expect("money");
        assert!(f.unit_inferred);
        assert_eq!(f.number.value, d("240000000"));
        assert!(read("外资1亿美元", "外资".len(), &money).is_none());
        let p = vec![Accept::Kind(UnitKind::Percent)];
        assert!(read("投入强度2.36,居全国", "投入强度".len(), &p).is_some_and(|f| f.unit_inferred));
        assert!(read("投入强度2.36亿", "投入强度".len(), &p).is_none());
        assert!(read("突破300,获评", "突破".len(), &count()).is_some());
        assert!(read("突破30.5,获评", "突破".len(), &count()).is_none());
        assert!(read("入库520有效期内", "入库".len(), &count()).is_none());
    }
}
