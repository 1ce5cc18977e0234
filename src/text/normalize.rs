//! Normalization for matching, with an offset map.
//!
//! One pass over the text, in this order of decisions per position:
//! - runs of line breaks: dropped at the start and end; a single break is
//!   *joined* (removed) only when it is clearly a wrap — the line before has
//!   at least [`JOIN_MIN`] characters, holds clause punctuation (so it is
//!   prose, not a title or a header field), is not a bare heading, and ends
//!   with a Chinese character (not punctuation); and the next line starts
//!   with a Chinese character, is not a heading and not a field (`来源:`);
//!   otherwise the run becomes one `\n`;
//! - runs of spaces (incl. U+3000, NBSP): dropped at line edges and between
//!   Chinese and Chinese/digit/punctuation; otherwise one ASCII space;
//! - zero-width characters, soft hyphens and control characters: dropped;
//! - `至` between a digit or `月` and a digit: `-`;
//! - everything else: NFKC per character (with its combining marks), then
//!   every dash or wave (— – ‐ − ～ 〜 ~ …) becomes `-`. Circled and
//!   parenthesized numbers (① ⑴ …) are list markers and kept as they are
//!   (NFKC would glue them to the following digits).
//!
//! Traditional characters are converted to simplified (zhconv) in a pass
//! before this one, line by line, only on lines that contain a character
//! from a list of common traditional-only characters, so simplified reports
//! pay nothing.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::offsets::{MapBuilder, OffsetMap};
use super::segment::heading_level;

/// A line shorter than this (in characters) is never joined to the next.
pub(crate) const JOIN_MIN: usize = 20;

/// Normalizes `input`; the map sends output bytes to `input` bytes.
pub(crate) fn normalize(input: &str) -> (String, OffsetMap) {
    let (text, map, _) = normalize_with(input, true);
    (text, map)
}

/// [`normalize`], also telling whether `input` holds a traditional character
/// (as [`to_simplified`] would find): the check rides along the pass that
/// normalizes, instead of a pass of its own over every report.
pub(crate) fn normalize_noting_traditional(input: &str) -> (String, OffsetMap, bool) {
    normalize_with(input, true)
}

/// [`normalize_noting_traditional`]; without `fast_path` every character
/// takes the general path (tests compare the two).
fn normalize_with(input: &str, fast_path: bool) -> (String, OffsetMap, bool) {
    let mut out = String::with_capacity(input.len());
    let mut b = MapBuilder::new();
    let bytes = input.as_bytes();
    let mut prev: Option<char> = None;
    let mut line_chars = 0usize;
    let mut line_heading = heading_level(input).is_some();
    // Whether the current output line has clause / sentence punctuation.
    let (mut line_punct, mut line_sentence) = (false, false);
    let markers = traditional_markers();
    let mut traditional = false;
    let mut i = 0;
    while i < input.len() {
        // Fast path: a run of characters that every rule below leaves
        // alone (most of a report) is copied in one piece.
        let run = if fast_path {
            plain_run(input, i, markers)
        } else {
            PlainRun::empty(i)
        };
        if run.end > i {
            let piece = &input[i..run.end];
            out.push_str(piece);
            b.copy(i, piece.len());
            prev = piece.chars().next_back();
            line_chars += run.chars;
            line_punct |= run.clause_punct;
            line_sentence |= run.sentence_punct;
            traditional |= run.traditional;
            i = run.end;
            continue;
        }
        let Some(c) = input[i..].chars().next() else {
            break;
        };
        // Every character is looked at here or in a plain run (below, only
        // spaces, breaks and combining marks are passed over in bulk).
        traditional |= is_marker(markers, c as u32);
        let clen = c.len_utf8();
        if is_line_break(c) || (is_space(c) && run_has_break(&input[i..])) {
            // A run of breaks and spaces.
            let (end, breaks, first) = break_run(input, i);
            if prev.is_none() || prev == Some('\n') || end >= input.len() {
                i = end;
                continue;
            }
            if let Some(first) = first {
                let next = input[end..].chars().next();
                let join = breaks == 1
                    && line_chars >= JOIN_MIN
                    && line_punct
                    && (!line_heading || line_sentence)
                    && !looks_like_field(&input[end..])
                    && prev.is_some_and(is_han)
                    && next.is_some_and(is_han)
                    && heading_level(&input[end..]).is_none();
                if !join {
                    let flen = if bytes[first] == b'\r' && bytes.get(first + 1) == Some(&b'\n') {
                        2
                    } else {
                        input[first..].chars().next().map_or(1, char::len_utf8)
                    };
                    out.push('\n');
                    b.piece(first, flen, 1);
                    prev = Some('\n');
                    line_chars = 0;
                    line_punct = false;
                    line_sentence = false;
                    line_heading = heading_level(&input[end..]).is_some();
                }
                i = end;
                continue;
            }
        }
        if is_space(c) {
            let end = i + input[i..]
                .char_indices()
                .find(|(_, c)| !is_space(*c))
                .map_or(input.len() - i, |(k, _)| k);
            let next = input[end..].chars().next();
            let drop = match (prev, next) {
                (None | Some('\n'), _) | (_, None) => true,
                (Some(p), Some(n)) => {
                    let n = fold_width(n);
                    (is_wide(p) && (is_wide(n) || n.is_ascii_digit() || n.is_ascii_punctuation()))
                        || (is_wide(n) && (p.is_ascii_digit() || p.is_ascii_punctuation()))
                }
            };
            if !drop {
                out.push(' ');
                b.piece_in(input, 0, i, end - i, 1);
                prev = Some(' ');
                line_chars += 1;
            }
            i = end;
            continue;
        }
        if is_invisible(c) {
            i += clen;
            continue;
        }
        if c == '至'
            && prev.is_some_and(|p| p.is_ascii_digit() || p == '月')
            && input[i + clen..]
                .chars()
                .next()
                .is_some_and(|n| fold_width(n).is_ascii_digit())
        {
            out.push('-');
            b.piece(i, clen, 1);
            prev = Some('-');
            line_chars += 1;
            i += clen;
            continue;
        }
        // A character with its combining marks.
        let mut j = i + clen;
        while let Some(m) = input[j..].chars().next() {
            if is_combining_mark(m) {
                j += m.len_utf8();
            } else {
                break;
            }
        }
        let group = &input[i..j];
        let n = normalize_group(group);
        if n.as_ref() == group {
            b.copy(i, group.len());
        } else {
            b.piece(i, group.len(), n.len());
        }
        out.push_str(&n);
        if let Some(last) = n.chars().last() {
            prev = Some(last);
            line_chars += 1;
            line_punct |= matches!(last, ',' | '、' | '。' | ';' | '!' | '?');
            line_sentence |= matches!(last, '。' | ';' | '!' | '?');
        }
        i = j;
    }
    let len = input.len();
    (out, b.finish(len), traditional)
}

/// A run of plain characters found by [`plain_run`].
struct PlainRun {
    /// Byte offset one past the run (the start when there is none).
    end: usize,
    /// Characters in the run.
    chars: usize,
    /// Whether it holds clause punctuation (, 、 。 ; ! ?).
    clause_punct: bool,
    /// Whether it holds sentence punctuation (。 ; ! ?).
    sentence_punct: bool,
    /// Whether it holds a traditional character (see [`has_traditional`]).
    traditional: bool,
}

impl PlainRun {
    fn empty(at: usize) -> Self {
        PlainRun {
            end: at,
            chars: 0,
            clause_punct: false,
            sentence_punct: false,
            traditional: false,
        }
    }
}

/// The longest run at `i` of characters that normalization copies as they
/// are: printable ASCII but `~`, CJK unified ideographs but `至`, and the CJK
/// punctuation and quotes NFKC leaves alone. A last character followed by a
/// combining mark is left out (it is normalized with its mark).
///
/// Written by hand because this loop is most of the time spent reading a
/// report: it decodes UTF-8 bytewise and asks no Unicode table.
fn plain_run(input: &str, i: usize, markers: &[u64]) -> PlainRun {
    let bytes = input.as_bytes();
    let mut j = i;
    let mut chars = 0;
    let mut last_start = i;
    let (mut clause_punct, mut sentence_punct) = (false, false);
    let mut traditional = false;
    while j < bytes.len() {
        let b0 = bytes[j];
        let len = if b0 < 0x80 {
            if !(0x21..=0x7e).contains(&b0) || b0 == b'~' {
                break;
            }
            match b0 {
                b',' => clause_punct = true,
                b';' | b'!' | b'?' => (clause_punct, sentence_punct) = (true, true),
                _ => {}
            }
            1
        } else if (0xe0..=0xef).contains(&b0) {
            // A three-byte sequence (U+0800..U+FFFF): `input` is valid UTF-8.
            // Decided on the bytes: most are ideographs, told by the first.
            let (b1, b2) = (bytes[j + 1], bytes[j + 2]);
            // The character's 64-character block and place in it.
            let block = (usize::from(b0 & 0x0f) << 6) | usize::from(b1 & 0x3f);
            let bit = b2 & 0x3f;
            traditional |= markers.get(block).is_some_and(|w| w & (1 << bit) != 0);
            let plain = match b0 {
                // U+5000..U+7FFF, U+9000..U+9FFF: ideographs.
                0xe5..=0xe7 | 0xe9 => true,
                // U+8000..U+8FFF: ideographs but 至 (U+81F3).
                0xe8 => !(b1 == 0x87 && b2 == 0xb3),
                // U+4000..U+4FFF: ideographs but U+4DC0..U+4DFF.
                0xe4 => b1 != 0xb7,
                // U+3400..U+3FFF ideographs; 、 。 〈 〉 《 》 「 」 『 』 【 】.
                0xe3 => b1 >= 0x90 || (b1 == 0x80 && matches!(b2, 0x81 | 0x82 | 0x88..=0x91)),
                // ‘ ’ “ ”.
                0xe2 => b1 == 0x80 && matches!(b2, 0x98 | 0x99 | 0x9c | 0x9d),
                _ => false,
            };
            if !plain {
                break;
            }
            if b0 == 0xe3 && b1 == 0x80 {
                match b2 {
                    0x81 => clause_punct = true,
                    0x82 => (clause_punct, sentence_punct) = (true, true),
                    _ => {}
                }
            }
            3
        } else {
            break;
        };
        last_start = j;
        j += len;
        chars += 1;
    }
    // A combining mark after the run belongs to its last character
    // (combining marks start at U+0300, encoded 0xCC 0x80).
    if j > i
        && bytes.get(j).is_some_and(|b| *b >= 0xcc)
        && input[j..].chars().next().is_some_and(is_combining_mark)
    {
        j = last_start;
        chars -= 1;
        // The flags may have come from the character left out (rare).
        let piece = &input[i..j];
        clause_punct = piece.contains([',', ';', '!', '?', '、', '。']);
        sentence_punct = piece.contains([';', '!', '?', '。']);
    }
    PlainRun {
        end: j,
        chars,
        clause_punct,
        sentence_punct,
        traditional,
    }
}

/// True when a line starts like a header field (`来源:` `发布机构 |`).
fn looks_like_field(line: &str) -> bool {
    line.chars()
        .take(12)
        .take_while(|c| !is_line_break(*c))
        .any(|c| matches!(c, ':' | '：' | '|' | '\t'))
}

/// The end of a run of spaces and line breaks at `i`, how many breaks it
/// holds (CR LF counts once) and where the first break is.
fn break_run(input: &str, i: usize) -> (usize, usize, Option<usize>) {
    let mut breaks = 0;
    let mut first = None;
    let mut end = input.len();
    let mut last_cr = false;
    for (k, c) in input[i..].char_indices() {
        if is_line_break(c) {
            if !(c == '\n' && last_cr) {
                breaks += 1;
            }
            first.get_or_insert(i + k);
            last_cr = c == '\r';
        } else if is_space(c) || is_invisible(c) {
            last_cr = false;
        } else {
            end = i + k;
            break;
        }
    }
    (end, breaks, first)
}

/// True when the run of spaces at the start of `s` ends in a line break.
fn run_has_break(s: &str) -> bool {
    s.chars()
        .find(|c| !is_space(*c) && !is_invisible(*c))
        .is_some_and(is_line_break)
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{a0}' | '\u{3000}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}'
    )
}

/// Characters dropped outright.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' | '\u{180e}'
    ) || (c.is_control() && !is_line_break(c) && c != '\t')
}

/// A Chinese character (CJK ideograph).
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{20000}'..='\u{2ebef}' | '\u{f900}'..='\u{faff}')
}

/// Chinese characters and CJK punctuation (which keep no spaces around).
fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c, '\u{3001}'..='\u{303f}' | '\u{ff01}'..='\u{ff65}' | '\u{2018}'..='\u{201f}')
}

/// Full-width ASCII to ASCII, for classifying a character before NFKC.
fn fold_width(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        c => c,
    }
}

/// True for every dash and wave mark that ranges and dashes use.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '~' | '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2053}'
                | '\u{2e3a}'
                | '\u{2e3b}'
                | '\u{301c}'
                | '\u{3030}'
                | '\u{fe58}'
                | '\u{fe63}'
                | '\u{ff0d}'
                | '\u{ff5e}'
    )
}

/// List markers that NFKC would turn into plain digits.
fn keep_as_is(c: char) -> bool {
    matches!(c, '\u{2460}'..='\u{24ff}' | '\u{2776}'..='\u{2793}' | '\u{3251}'..='\u{325f}' | '\u{32b1}'..='\u{32bf}')
}

/// NFKC and dash unification of one character with its combining marks.
pub(crate) fn normalize_group(g: &str) -> Cow<'_, str> {
    let mut chars = g.chars();
    let first = chars.next().unwrap_or(' ');
    let single = chars.next().is_none();
    if single {
        if is_dash(first) {
            return if first == '-' {
                Cow::Borrowed(g)
            } else {
                Cow::Borrowed("-")
            };
        }
        if first.is_ascii() || is_han_unified(first) || keep_as_is(first) {
            return Cow::Borrowed(g);
        }
        // Full-width ASCII (，：（）％ …), the most common characters NFKC
        // changes in a report: the ASCII character 0xFEE0 below, without
        // running NFKC (a unit test checks every one against it).
        if let Some(a) = (first as u32)
            .checked_sub(0xfee0)
            .filter(|a| (0x21..=0x7e).contains(a))
        {
            let a = a as usize;
            return Cow::Borrowed(if is_dash(char::from(a as u8)) {
                "-"
            } else {
                &PRINTABLE_ASCII[a - 0x21..a - 0x20]
            });
        }
    }
    let n: String = g
        .nfkc()
        .filter(|c| !is_invisible(*c))
        .map(|c| if is_dash(c) { '-' } else { c })
        .collect();
    if n == g {
        Cow::Borrowed(g)
    } else {
        Cow::Owned(n)
    }
}

/// The printable ASCII characters, 0x21 to 0x7E, to borrow one from.
const PRINTABLE_ASCII: &str = "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// CJK Unified Ideographs, which NFKC leaves alone.
fn is_han_unified(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// Common characters that only traditional Chinese uses.
const TRADITIONAL_MARKERS: &str = "們這個來說為對業學會發經國與產區開關務實際體機資術項級計劃營總結額較點萬億費當從時進動後現場長問應頭將還種導領書東車門電話認識議論設該讀請辦員幾歲專網線標準變構態範圍權濟價園組織協調達擴雙類鄉縣統優環圖層據單創屆聯興獎獲轉輔倉儲職蘇閩廣華";

/// A bit per BMP character, set for [`TRADITIONAL_MARKERS`] (8 KiB), built
/// once: the check runs over every character of every report, so it must
/// cost a load and a test.
fn traditional_markers() -> &'static [u64] {
    static MARKERS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    MARKERS.get_or_init(|| {
        let mut bits = vec![0u64; 0x10000 / 64];
        for c in TRADITIONAL_MARKERS.chars() {
            let c = c as usize;
            if c < 0x10000 {
                bits[c / 64] |= 1 << (c % 64);
            }
        }
        bits
    })
}

/// Whether code point `c` is one of [`TRADITIONAL_MARKERS`].
#[inline]
fn is_marker(markers: &[u64], c: u32) -> bool {
    let c = c as usize;
    markers
        .get(c / 64)
        .is_some_and(|w| w & (1 << (c % 64)) != 0)
}

fn has_traditional(line: &str) -> bool {
    let markers = traditional_markers();
    // Every marker is a three-byte UTF-8 sequence; look at those only.
    let bytes = line.as_bytes();
    let mut j = 0;
    while j < bytes.len() {
        let b0 = bytes[j];
        if b0 < 0x80 {
            j += 1;
        } else if (0xe0..=0xef).contains(&b0) {
            let c = (usize::from(b0 & 0x0f) << 12)
                | (usize::from(bytes[j + 1] & 0x3f) << 6)
                | usize::from(bytes[j + 2] & 0x3f);
            if is_marker(markers, c as u32) {
                return true;
            }
            j += 3;
        } else if b0 >= 0xf0 {
            j += 4;
        } else {
            j += 2;
        }
    }
    false
}

/// Converts lines with traditional characters to simplified. `None` when
/// no line needs it.
pub(crate) fn to_simplified(input: &str) -> Option<(String, OffsetMap)> {
    if !has_traditional(input) {
        return None;
    }
    let mut out = String::with_capacity(input.len());
    let mut b = MapBuilder::new();
    let mut start = 0;
    for line in input.split_inclusive('\n') {
        if has_traditional(line) {
            let conv = zhconv::zhconv(line, zhconv::Variant::ZhHans);
            if conv.chars().count() == line.chars().count() {
                for ((k, a), z) in line.char_indices().zip(conv.chars()) {
                    if a == z {
                        b.copy(start + k, a.len_utf8());
                    } else {
                        b.piece(start + k, a.len_utf8(), z.len_utf8());
                    }
                }
            } else {
                b.piece_in(input, 0, start, line.len(), conv.len());
            }
            out.push_str(&conv);
        } else {
            b.copy(start, line.len());
            out.push_str(line);
        }
        start += line.len();
    }
    Some((out, b.finish(input.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_run_decides_every_three_byte_character_by_its_code_point() {
        let markers = traditional_markers();
        for c in ('\u{800}'..='\u{ffff}').filter(|c| c.len_utf8() == 3) {
            let u = c as u32;
            let plain = matches!(u, 0x4e00..=0x9fff | 0x3400..=0x4dbf) && u != 0x81f3
                || matches!(
                    u,
                    0x3001 | 0x3002 | 0x3008..=0x3011 | 0x2018 | 0x2019 | 0x201c | 0x201d
                );
            let run = plain_run(&c.to_string(), 0, markers);
            assert_eq!(run.end > 0, plain, "{c} U+{u:04X}");
            assert_eq!(
                run.traditional,
                plain && TRADITIONAL_MARKERS.contains(c),
                "{c}"
            );
            assert_eq!(run.clause_punct, u == 0x3001 || u == 0x3002, "{c}");
            assert_eq!(run.sentence_punct, u == 0x3002, "{c}");
        }
    }

    #[test]
    fn full_width_ascii_is_what_nfkc_makes_of_it() {
        assert_eq!(PRINTABLE_ASCII.len(), 0x7e - 0x20);
        for c in '\u{ff01}'..='\u{ff5e}' {
            let g = c.to_string();
            let nfkc: String = g.nfkc().map(|c| if is_dash(c) { '-' } else { c }).collect();
            assert_eq!(normalize_group(&g), nfkc.as_str(), "{c}");
        }
    }

    fn n(s: &str) -> String {
        normalize(s).0
    }

    #[test]
    fn nfkc_digits_percent_and_punctuation() {
        assert_eq!(n("增长１２．５％，达３家"), "增长12.5%,达3家");
        assert_eq!(n("面积５０㎡"), "面积50m2");
    }

    #[test]
    fn dashes_and_zhi_between_numbers() {
        assert_eq!(n("2021—2025年"), "2021-2025年");
        assert_eq!(n("2～3家"), "2-3家");
        assert_eq!(n("1–10月"), "1-10月");
        assert_eq!(n("2至3家"), "2-3家");
        assert_eq!(n("1月至10月"), "1月-10月");
        assert_eq!(n("自2019年至今"), "自2019年至今");
        assert_eq!(n("直至年底"), "直至年底");
    }

    #[test]
    fn zero_width_and_spaces() {
        assert_eq!(n("高新\u{200b}技术"), "高新技术");
        assert_eq!(n("高新 技术　企业 52 家"), "高新技术企业52家");
        assert_eq!(n("  前导空格"), "前导空格");
        assert_eq!(n("R&D  投入"), "R&D 投入");
        assert_eq!(n("2021 2022"), "2021 2022");
    }

    #[test]
    fn wrapped_lines_are_joined_conservatively() {
        let wrapped = "全市上下认真贯彻落实市委市政府决策部署，扎实推进科技\n创新各项工作。";
        assert_eq!(
            n(wrapped),
            "全市上下认真贯彻落实市委市政府决策部署,扎实推进科技创新各项工作。"
        );
        // A short line (a title) is never joined.
        assert_eq!(n("科技局工作总结\n今年以来"), "科技局工作总结\n今年以来");
        // Sentence punctuation ends the line.
        let done = "全市上下认真贯彻落实市委市政府决策部署,扎实推进各项工作。\n二是";
        assert_eq!(n(done), done);
        // The next line is a heading.
        let h = "全市上下认真贯彻落实市委市政府决策部署扎实推进科技创新工作\n二、主要做法";
        assert_eq!(n(h), h);
        // A blank line is a paragraph break.
        let p = "全市上下认真贯彻落实市委市政府决策部署扎实推进科技创新工作\n\n今年";
        assert_eq!(
            n(p),
            "全市上下认真贯彻落实市委市政府决策部署扎实推进科技创新工作\n今年"
        );
    }

    #[test]
    fn crlf_and_edges() {
        assert_eq!(n("\r\n甲。\r\n乙。\r\n\r\n"), "甲。\n乙。");
    }

    #[test]
    fn fast_path_characters_are_left_alone() {
        // Every character plain_run copies must be one the general path
        // copies unchanged too.
        let all: String = (0x20u32..0x10000).filter_map(char::from_u32).collect();
        let mut i = 0;
        while i < all.len() {
            let run = plain_run(&all, i, traditional_markers());
            for c in all[i..run.end].chars() {
                let s = c.to_string();
                assert_eq!(normalize_group(&s), s.as_str(), "{c:?}");
                assert!(!is_line_break(c) && !is_space(c) && !is_invisible(c) && c != '至');
                assert!(!is_combining_mark(c), "{c:?}");
            }
            i = all[run.end..]
                .chars()
                .next()
                .map_or(all.len(), |c| run.end + c.len_utf8());
        }
    }

    #[test]
    fn fast_path_changes_nothing() {
        let cases = [
            "增长１２．５％，达３家。\n二、主要做法",
            "全市上下认真贯彻落实市委市政府决策部署，扎实推进科技\n创新各项工作。",
            "R&D  投入 2021—2025年 1月至10月 e\u{301}x 。\u{301}。 2至3家",
            "  前导空格\r\n\r\n高新\u{200b}技术 企业 52 家;合计",
            "《报告》“引号”【注】~波浪 ①2022年",
            "高新技術企業\u{301} 達到 52 家",
            "  蘇\u{301}",
        ];
        for c in cases {
            let (fast, fm, ft) = normalize_with(c, true);
            let (slow, sm, st) = normalize_with(c, false);
            assert_eq!((ft, st), (has_traditional(c), has_traditional(c)), "{c:?}");
            assert_eq!(fast, slow, "{c:?}");
            for k in 0..=fast.len() {
                if fast.is_char_boundary(k) {
                    assert_eq!(fm.map(k..k), sm.map(k..k), "{c:?} at {k}");
                }
            }
        }
    }

    #[test]
    fn traditional_markers_are_found() {
        assert!(has_traditional("abc 高新技術"));
        assert!(has_traditional("蘇"));
        assert!(!has_traditional("高新技术企业 😀 é"));
    }

    #[test]
    fn circled_numbers_are_kept() {
        assert_eq!(n("①2022年"), "①2022年");
    }

    #[test]
    fn map_points_into_the_input() {
        let s = "增长１２％，达 ３ 家";
        let (t, m) = normalize(s);
        let at = t.find("12").expect("12");
        assert_eq!(&s[m.map(at..at + 2)], "１２");
        let jia = t.find('家').expect("家");
        assert_eq!(&s[m.map(jia..jia + 3)], "家");
    }

    #[test]
    fn traditional_to_simplified() {
        let (t, m) = to_simplified("高新技術企業達到52家\n简体行").expect("converts");
        assert_eq!(t, "高新技术企业达到52家\n简体行");
        let at = t.find("企业").expect("企业");
        assert_eq!(m.map(at..at + 6), at..at + 6);
        assert!(to_simplified("全部是简体").is_none());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn fast_path_equals_general_path(
            s in "[高新技术企业家至月年術業蘇。,、;:!?《》“” a-z0-9\\-\n\r～~①１２，：\u{301}\u{3000}\u{200b}]{0,80}"
        ) {
            let (fast, fm, ft) = normalize_with(&s, true);
            let (slow, sm, st) = normalize_with(&s, false);
            proptest::prop_assert_eq!(ft, has_traditional(&s));
            proptest::prop_assert_eq!(st, has_traditional(&s));
            proptest::prop_assert_eq!(&fast, &slow);
            for k in (0..=fast.len()).filter(|k| fast.is_char_boundary(*k)) {
                proptest::prop_assert_eq!(fm.map(k..k), sm.map(k..k));
            }
        }
    }
}
