//! Arabic digits: thousands groups (`1,305`, `1 200`), a decimal fraction.

use super::MAX_DIGITS;
use super::NotRead;
use super::fixed::Fixed;

/// Arabic digits read by [`arabic`].
pub(super) struct Arabic {
    pub(super) value: Fixed,
    pub(super) len: usize,
    pub(super) int_digits: usize,
}

/// Arabic digits at `at`: thousands groups, a decimal fraction.
pub(super) fn arabic(text: &str, at: usize) -> Result<Arabic, NotRead> {
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

/// True when the digits at `at` are a group of three joined by the
/// separator before them to one to three digits before it (`1 200`:
/// the 200).
pub(super) fn joins_group(text: &str, at: usize) -> bool {
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
