//! Years as reports write them (`2021年`): the one reader. Which mentions
//! count — the first, the last a figure is for, one at a given place, the
//! most named — is the caller's decision (`segment` for headings and the
//! report's year, `engine::infer` for a figure's year, `engine::figure`
//! for the years of a from–to series); reading the year is done here.
//! Dates too (`2022-01-13`, `2022年1月13日`, `13.01.2022`): the one reader
//! of the year-month-day shape, for datelines, labelled dates and URLs.

/// The year written at byte `at` of `text`: four ASCII digits, no digit
/// right before them, and 年 right after (`2021年`). Any four digits: the
/// caller bounds the range it believes.
pub fn year_written_at(text: &str, at: usize) -> Option<i32> {
    let digits = text.get(at..at + 4)?;
    if !digits.bytes().all(|b| b.is_ascii_digit())
        || !text[at + 4..].starts_with('年')
        || text[..at]
            .bytes()
            .next_back()
            .is_some_and(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

/// Every year written in `text` ([`year_written_at`]), in order, with the
/// byte offset of its first digit. One pass over the 年 of the text.
pub fn years_written(text: &str) -> impl Iterator<Item = (usize, i32)> + '_ {
    text.match_indices('年').filter_map(move |(nian, _)| {
        let at = nian.checked_sub(4)?;
        // Four ASCII bytes before a 年 start on a character boundary.
        if !text.as_bytes()[at..nian].iter().all(u8::is_ascii_digit) {
            return None;
        }
        year_written_at(text, at).map(|y| (at, y))
    })
}

/// A date as a report or a page writes it: year, month and, when written,
/// the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// The year (1990 to 2100).
    pub year: i32,
    /// The month (1 to 12).
    pub month: u32,
    /// The day (1 to 31), when written.
    pub day: Option<u32>,
}

/// `year` and `month` when they make a date a report may carry (years 1990
/// to 2100): the one check every date reader asks, URL dates included.
pub fn year_month(year: i32, month: u32) -> Option<(i32, u32)> {
    ((1990..=2100).contains(&year) && (1..=12).contains(&month)).then_some((year, month))
}

/// The ASCII digits `s` starts with, when there are 1 to `max` of them:
/// their value and count.
fn leading_number(s: &str, max: usize) -> Option<(u32, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=max).contains(&n) {
        return None;
    }
    Some((s[..n].parse().ok()?, n))
}

/// The date written year first at the start of `s`: `2022-01-13`,
/// `2022/1/13`, `2022.01.13`, `2022年1月13日`, or without its day
/// (`2022-01`, `2022年1月`). The one reader of that shape: datelines,
/// labelled dates and dates in URLs all read it here. A day that is not
/// 1 to 31 is not read (the year and month still are).
pub fn date_written_at(s: &str) -> Option<Date> {
    let (year, 4) = leading_number(s, 4)? else {
        return None;
    };
    let rest = &s[4..];
    let (sep1, sep2) = match rest.chars().next()? {
        '年' => ('年', '月'),
        c @ ('-' | '/' | '.') => (c, c),
        _ => return None,
    };
    let rest = &rest[sep1.len_utf8()..];
    let (month, k) = leading_number(rest, 2)?;
    let (year, month) = year_month(i32::try_from(year).ok()?, month)?;
    let day = rest[k..]
        .strip_prefix(sep2)
        .and_then(|r| leading_number(r, 2))
        .map(|(d, _)| d)
        .filter(|d| (1..=31).contains(d));
    Some(Date { year, month, day })
}

/// A full date at the start of `s`: year first with its day
/// ([`date_written_at`]), or day first, `13.01.2022`, `13/01/2022`.
pub fn full_date_at(s: &str) -> Option<Date> {
    if let Some(d) = date_written_at(s) {
        return d.day.is_some().then_some(d);
    }
    let (day, n) = leading_number(s, 2)?;
    let rest = &s[n..];
    let sep = rest.chars().next().filter(|c| matches!(c, '.' | '/'))?;
    let rest = &rest[1..];
    let (month, k) = leading_number(rest, 2)?;
    let (year, 4) = leading_number(rest[k..].strip_prefix(sep)?, 4)? else {
        return None;
    };
    let (year, month) = year_month(i32::try_from(year).ok()?, month)?;
    (1..=31).contains(&day).then_some(Date {
        year,
        month,
        day: Some(day),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digits_before_nian_and_no_more() {
        let all: Vec<(usize, i32)> =
            years_written("2021年至2025年,12021年,共3000年,21年").collect();
        assert_eq!(all, [(0, 2021), (10, 2025), (30, 3000)]);
        assert_eq!(year_written_at("较2022年", "较".len()), Some(2022));
        assert_eq!(year_written_at("12022年", 1), None);
        assert_eq!(year_written_at("2022", 0), None);
        assert_eq!(year_written_at("年", 0), None);
    }

    #[test]
    fn every_place_agrees_with_the_list() {
        let text = "自2019年以来,2020年、2021年,(2022年)3年,1999年末";
        let listed: Vec<(usize, i32)> = years_written(text).collect();
        let by_place: Vec<(usize, i32)> = (0..text.len())
            .filter(|&i| text.is_char_boundary(i))
            .filter_map(|i| year_written_at(text, i).map(|y| (i, y)))
            .collect();
        assert_eq!(listed, by_place);
    }

    #[test]
    fn dates_read_year_first_with_or_without_the_day_and_day_first_in_full() {
        let d = |year, month, day| Some(Date { year, month, day });
        assert_eq!(date_written_at("2022-01-13 08:49"), d(2022, 1, Some(13)));
        assert_eq!(date_written_at("2022年1月13日"), d(2022, 1, Some(13)));
        assert_eq!(date_written_at("2022/3"), d(2022, 3, None));
        assert_eq!(date_written_at("2022年12月"), d(2022, 12, None));
        assert_eq!(date_written_at("2022-1/13"), d(2022, 1, None));
        assert_eq!(date_written_at("2022-13-01"), None);
        assert_eq!(date_written_at("1889-01-01"), None);
        assert_eq!(date_written_at("20221-01"), None);
        assert_eq!(date_written_at("2022-123"), None);
        assert_eq!(full_date_at("2022.01.13"), d(2022, 1, Some(13)));
        assert_eq!(full_date_at("2022.01"), None);
        assert_eq!(full_date_at("2022-01-32"), None);
        assert_eq!(full_date_at("30.01.2017 14:33"), d(2017, 1, Some(30)));
        assert_eq!(full_date_at("30/01/17"), None);
        assert_eq!(full_date_at("30-01-2017"), None);
        assert_eq!(year_month(2100, 12), Some((2100, 12)));
        assert_eq!(year_month(2101, 1), None);
    }
}
