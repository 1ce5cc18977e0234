//! Years as reports write them (`2021年`): the one reader. Which mentions
//! count — the first, the last a figure is for, one at a given place, the
//! most named — is the caller's decision (`segment` for headings and the
//! report's year, `engine::infer` for a figure's year, `engine::figure`
//! for the years of a from–to series); reading the year is done here.

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
}
