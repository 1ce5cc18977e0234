//! Line breaks inside a sentence: text copied from a PDF or a narrow page
//! breaks lines wherever the line was full, so a figure can land on a line
//! of its own ("全市高新技术企业达到" / "520" / "家。"). A line break ends a
//! sentence everywhere else in the product, so such a break is rewritten to
//! a space — byte for byte, no offset map — in two cases only:
//!
//! - the line before ends in a word (not a mark, not a digit) and the line
//!   after holds nothing but a figure (its unit and a closing mark allowed):
//!   "…达到" / "520";
//! - the line before ends in a digit and the line after opens with a unit:
//!   "…12.6" / "亿元。".
//!
//! A heading line is never joined to what follows. Written by hand: no
//! crate knows which line breaks of Chinese text are soft.

use super::number::read_number;

/// Whether a line opening with `after` continues the figure before it: a
/// unit of the reader's table (家, 亿元, % …), or 亿/万 before one.
fn opens_with_unit(after: &str) -> bool {
    super::units::Unit::at_start(after).is_some() || after.starts_with(['亿', '万'])
}

/// Rewrites the soft line breaks of `text` (see the module) to spaces.
pub fn join_soft_breaks(text: &mut String) {
    let mut soft = Vec::new();
    for at in memchr::memchr_iter(b'\n', text.as_bytes()) {
        // Most lines open with a word: turned away on their first
        // character, before the line before is looked at.
        let next = text[at + 1..].trim_start_matches([' ', '\t']);
        let opens_figure = next.starts_with(|c: char| c.is_ascii_digit()) || opens_with_unit(next);
        if opens_figure && is_soft(text, at) {
            soft.push(at);
        }
    }
    if soft.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for at in soft {
        bytes[at] = b' ';
    }
    // Only ASCII line breaks were rewritten, with ASCII: still UTF-8.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
}

/// Whether the line break at byte `at` is inside a sentence.
fn is_soft(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..at].trim_end_matches([' ', '\t', '\r']);
    let Some(last) = before.chars().next_back() else {
        return false;
    };
    let next_end = text[at + 1..].find('\n').map_or(text.len(), |i| at + 1 + i);
    let after_line = &text[at + 1..next_end];
    let lead = after_line.len() - after_line.trim_start_matches([' ', '\t']).len();
    let after = &after_line[lead..];
    if after.is_empty() || super::heading_level(before).is_some() {
        return false;
    }
    if last.is_ascii_digit() {
        return opens_with_unit(after);
    }
    if !is_word_char(last) || !after.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    // The next line is a figure and nothing else.
    let from = at + 1 + lead;
    read_number(text, from).is_some_and(|n| {
        let Some(rest) = text.get(n.range.end..next_end) else {
            return false;
        };
        let rest = rest.trim_end_matches([' ', '\t', '\r']);
        rest.chars()
            .all(|c| super::is_clause_break(c) || "”’)".contains(c))
            && !(n.unit.is_none() && rest.is_empty() && next_opens_figure(text, next_end))
    })
}

/// Whether the line after the one ending at `end` opens with a figure or a
/// year: then a bare number alone on the line before is a page or list
/// number ("…达到" / "3" / "520家"), not the figure of the sentence.
fn next_opens_figure(text: &str, end: usize) -> bool {
    text.get(end..).is_some_and(|rest| {
        rest.trim_start_matches(['\n', '\r', ' ', '\t'])
            .starts_with(|c: char| c.is_ascii_digit())
    })
}

/// A Chinese character or a letter: a word goes on at the line's end.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(t: &str) -> String {
        let mut s = t.to_string();
        join_soft_breaks(&mut s);
        assert_eq!(s.len(), t.len());
        s
    }

    #[test]
    fn a_figure_broken_over_lines_is_joined() {
        assert_eq!(
            joined("全市高新技术企业达到\n520\n家。技术合同成交额12.6\n亿元。\n"),
            "全市高新技术企业达到 520 家。技术合同成交额12.6 亿元。\n"
        );
        assert_eq!(
            joined("共有高新技术企业\n430家\n下一段"),
            "共有高新技术企业 430家\n下一段"
        );
    }

    #[test]
    fn other_line_breaks_stay() {
        for t in [
            "一、2022年工作成效\n2022年，全市新增高企40家。",
            "一、主要指标\n520家",
            "全市新增高企40家。\n2023年目标",
            "标题\n2022年，全市新增高企40家。",
            "高新技术企业\n520家，技术合同成交额\n12亿元，同比增长",
            "序号 12\n技术合同",
            // A page or list number before the figure's own line (issue 25
            // item 7).
            "全市高新技术企业达到\n3\n520家。",
            "全市高新技术企业达到\n12\n2023年新增40家。",
        ] {
            assert_eq!(joined(t), t, "{t}");
        }
    }
}
