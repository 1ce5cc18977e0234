//! Tables flattened one cell per line (a page copied from a PDF, a web table
//! stripped of its markup): a header row of short labels that opens with
//! 序号 (序号 / 工作目标 / 完成情况 / 责任单位), then rows that each open with
//! their number (1, 2, 3 …) followed by one line per cell.
//!
//! Each row is joined into one line, its cells separated by clause marks,
//! so that a figure reads with its row (and the row's label is in its
//! sentence); each cell keeps its column, so that a figure in a 目标 or 任务
//! column is a goal and one in a 完成情况 or 进展 column a result, whatever
//! the heading above the table says.
//!
//! Only line breaks and the blanks around them are rewritten, byte for
//! byte (a line break becomes `,` or a space), so every offset into the text
//! stays valid and no offset map is needed. Written by hand: no crate
//! recovers tables from flattened text.
//!
//! What is not taken for a table: a header without 序号 (or 编号) first;
//! fewer than three columns; rows that do not count 1, 2, 3 …; a row whose
//! cells run past the next row's number. Such text stays as it was: a wrong
//! join would put one row's label before another row's figure.

use crate::lexicon::{Lexicon, Role};
use std::ops::Range;

/// What a table column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Goals: 目标, 任务, 计划, 要求 (工作目标, 具体任务与要求).
    Goal,
    /// Results: 完成, 进展, 落实, 实际, 成效 (完成情况, 目标完成情况).
    Result,
    /// Anything else (序号, 指标名称, 责任单位 …).
    Other,
}

/// One cell of a joined table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCell {
    /// The cell's text, in the document's text.
    pub range: Range<usize>,
    /// Its column's header cell.
    pub header: Range<usize>,
    /// What the column holds.
    pub column: ColumnKind,
    /// Which row of the report's tables it is in (cells of one row share it).
    pub row: u32,
}

/// Most columns a table is taken to have.
const MAX_COLUMNS: usize = 12;

/// Most characters of a header cell.
const MAX_HEADER_CHARS: usize = 16;

/// The shipped lexicon: tables are read before a report's province is
/// known (roles `row_number`, `table_goal`, `table_result`).
fn lex() -> &'static Lexicon {
    Lexicon::shipped()
}

/// True when `text` holds a word that heads a table's row numbers (序号):
/// one pass per last character of those words (号 for all shipped ones).
fn has_row_number_word(text: &str) -> bool {
    let words: Vec<&str> = lex().words(Role::RowNumber).collect();
    let mut ends: Vec<char> = words.iter().filter_map(|w| w.chars().next_back()).collect();
    ends.sort_unstable();
    ends.dedup();
    ends.iter().any(|&c| {
        let mut buf = [0u8; 4];
        let c = c.encode_utf8(&mut buf);
        memchr::memmem::find_iter(text.as_bytes(), c.as_bytes()).any(|i| {
            let upto = &text[..i + c.len()];
            words.iter().any(|w| upto.ends_with(w))
        })
    })
}

/// Joins the rows of every flattened table in `text` (in place, byte
/// lengths unchanged) and returns their cells, sorted by start.
pub fn join_tables(text: &mut String) -> Vec<TableCell> {
    // Most reports hold no table.
    if !has_row_number_word(text) {
        return Vec::new();
    }
    let lines = content_lines(text);
    let mut cells = Vec::new();
    let mut row_id = 0u32;
    // Blanks between two cells of a row, and whether a comma goes there.
    let mut joins: Vec<(Range<usize>, bool)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        match table_at(text, &lines, i) {
            Some(table) => {
                i = table.next_line;
                for row in &table.rows {
                    for pair in row.windows(2) {
                        let (before, after) = (&lines[pair[0].0], &lines[pair[1].0]);
                        joins.push((before.end..after.start, needs_comma(&text[before.clone()])));
                    }
                    // A short row's cells may stand under other columns than
                    // their place says (which were left empty is unknown):
                    // their column says nothing.
                    let whole = row.len() == table.header.len();
                    row_id += 1;
                    for &(line, column) in row {
                        let header = lines[table.header[column]].clone();
                        cells.push(TableCell {
                            range: lines[line].clone(),
                            column: if whole {
                                column_kind(&text[header.clone()])
                            } else {
                                ColumnKind::Other
                            },
                            header,
                            row: row_id,
                        });
                    }
                }
            }
            None => i += 1,
        }
    }
    if joins.is_empty() {
        return cells;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for (gap, comma) in joins {
        for (k, b) in bytes[gap].iter_mut().enumerate() {
            *b = if k == 0 && comma { b',' } else { b' ' };
        }
    }
    // Only ASCII blanks were rewritten, with ASCII: still UTF-8.
    *text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    cells
}

/// The cells of tables whose rows are lines of cells separated by `|` (what
/// the HTML reader makes of `<tr><td>…`): a header line of at least three
/// short labels, or two header lines whose lower one splits the last
/// columns of the upper (`rowspan`/`colspan`: 指标 | 2024年 over 目标 |
/// 完成), then lines with as many cells, however many. Row ids start after
/// `first_row`. Nothing is rewritten.
pub fn pipe_tables(text: &str, first_row: u32) -> Vec<TableCell> {
    let mut cells = Vec::new();
    if memchr::memchr(b'|', text.as_bytes()).is_none() {
        return cells;
    }
    let mut row_id = first_row;
    // Only lines of two cells or more are looked at, found from the `|`
    // themselves; a run of them is what a table can be (a header field
    // "来源 | 某局" is two cells, and so is each line of a two-row header).
    // Text between two such lines breaks a run (an empty range marks the
    // break).
    let bytes = text.as_bytes();
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut pipes = memchr::memchr_iter(b'|', bytes).peekable();
    while let Some(p) = pipes.next() {
        let start = memchr::memrchr(b'\n', &bytes[..p]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[p..]).map_or(bytes.len(), |i| p + i);
        while pipes.next_if(|&q| q < end).is_some() {}
        let body_end = start + text[start..end].trim_end_matches('\r').len();
        if let Some(last) = lines.last()
            && !last.is_empty()
            && !text[last.end..start]
                .trim_matches([' ', '\t', '\r', '\n', '\u{3000}'])
                .is_empty()
        {
            lines.push(start..start);
        }
        lines.push(start..body_end);
    }
    let cells_of = |line: &Range<usize>| -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut start = line.start;
        for part in text[line.clone()].split('|') {
            let lead = part.len() - part.trim_start_matches([' ', '\t', '\u{3000}']).len();
            let trimmed = part.trim_matches([' ', '\t', '\u{3000}']);
            out.push(start + lead..start + lead + trimmed.len());
            start += part.len() + 1;
        }
        out
    };
    // Labels only (a figure is a row's, not a header's: 2024年目标 is a
    // label).
    let label = |c: &Range<usize>| {
        let t = &text[c.clone()];
        !t.is_empty()
            && is_header_cell(t)
            && (!t.starts_with(|ch: char| ch.is_ascii_digit()) || t.contains('年'))
    };
    // The header starting at line `i` and the line of its first row.
    let header_at = |i: usize| -> Option<(Vec<Range<usize>>, usize)> {
        let top = cells_of(&lines[i]);
        if !top.iter().all(label) {
            return None;
        }
        // Two rows: the upper's first `lead` cells span both rows, its
        // others span the lower's cells; the first row below says how many
        // columns there are.
        if let (Some(lower), Some(first)) = (lines.get(i + 1), lines.get(i + 2))
            && !lower.is_empty()
            && !first.is_empty()
        {
            let bottom = cells_of(lower);
            let width = cells_of(first).len();
            if bottom.iter().all(label)
                && (3..=MAX_COLUMNS).contains(&width)
                && bottom.len() < width
                && (1..top.len()).contains(&(width - bottom.len()))
            {
                let lead = width - bottom.len();
                let header = top[..lead].iter().cloned().chain(bottom).collect();
                return Some((header, i + 2));
            }
        }
        (3..=MAX_COLUMNS)
            .contains(&top.len())
            .then_some((top, i + 1))
    };
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        let Some((header, first)) = header_at(i) else {
            i += 1;
            continue;
        };
        // A column of goals or results, or nothing is gained.
        let kinds: Vec<ColumnKind> = header
            .iter()
            .map(|h| column_kind(&text[h.clone()]))
            .collect();
        if kinds.iter().all(|k| *k == ColumnKind::Other) {
            i += 1;
            continue;
        }
        // Every row that follows, however many (each line is looked at
        // once: a long table costs no more than its text).
        let mut j = first;
        while j < lines.len() {
            let row = cells_of(&lines[j]);
            if row.len() != header.len() {
                break;
            }
            row_id += 1;
            for (k, cell) in row.into_iter().enumerate() {
                if !cell.is_empty() {
                    cells.push(TableCell {
                        range: cell,
                        header: header[k].clone(),
                        column: kinds[k],
                        row: row_id,
                    });
                }
            }
            j += 1;
        }
        i = if j > first { j } else { i + 1 };
    }
    cells
}

/// Whether a comma goes after `cell` when its row is joined: not after a
/// short label (a rule reads from the row's label into its figures,
/// "新增高新技术企业 30家"), nor after a mark; after a longer cell, so that
/// sentences in cells stay apart.
fn needs_comma(cell: &str) -> bool {
    let ends_with_mark = cell.chars().next_back().is_some_and(super::is_clause_break);
    !ends_with_mark && !is_header_cell(cell)
}

/// The non-blank lines of `text`, trimmed of blanks, in order.
fn content_lines(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_matches([' ', '\t', '\u{3000}']);
        if !trimmed.is_empty() {
            let lead = body.len() - body.trim_start_matches([' ', '\t', '\u{3000}']).len();
            out.push(start + lead..start + lead + trimmed.len());
        }
        start = end;
    }
    out
}

/// A table found: its header lines (by index into the lines), its rows
/// (each a list of (line index, column index)), and the first line after.
struct Found {
    header: Vec<usize>,
    rows: Vec<Vec<(usize, usize)>>,
    next_line: usize,
}

/// The table whose header starts at line `i`, if one does.
fn table_at(text: &str, lines: &[Range<usize>], i: usize) -> Option<Found> {
    let first = &text[lines[i].clone()];
    if !lex().is_word(Role::RowNumber, first) {
        return None;
    }
    // Header cells up to the first row's number.
    let mut j = i + 1;
    while j < lines.len() && j - i < MAX_COLUMNS {
        let cell = &text[lines[j].clone()];
        if row_number(cell) == Some(1) || !is_header_cell(cell) {
            break;
        }
        j += 1;
    }
    let columns = j - i;
    if columns < 3
        || lines
            .get(j)
            .is_none_or(|l| row_number(&text[l.clone()]) != Some(1))
    {
        return None;
    }
    let header: Vec<usize> = (i..j).collect();
    let mut rows = Vec::new();
    let mut at = j;
    let mut n = 1;
    while at < lines.len() && row_number(&text[lines[at].clone()]) == Some(n) {
        let full_end = at + columns;
        let next_is_row = |k: usize| {
            lines
                .get(k)
                .is_some_and(|l| row_number(&text[l.clone()]) == Some(n + 1))
        };
        let end = if next_is_row(full_end) {
            // A whole row, and the next one follows.
            full_end
        } else if let Some(k) = (at + 1..full_end.min(lines.len())).find(|&k| next_is_row(k)) {
            // A short row: cells left empty were dropped when flattened;
            // the ones there are taken in order.
            k
        } else if full_end <= lines.len()
            && !rows.is_empty()
            && !swallows_heading(text, &lines[at + 1..full_end])
        {
            // The last row, of a table of at least two rows.
            full_end
        } else {
            break;
        };
        let last = !next_is_row(end);
        rows.push((at..end).zip(0..columns).collect::<Vec<_>>());
        at = end;
        n += 1;
        if last {
            break;
        }
    }
    if rows.len() < 2 {
        return None;
    }
    Some(Found {
        header,
        rows,
        next_line: at,
    })
}

/// True when one of `cells` reads as a heading of the text after a table
/// ("三、下一步工作"): the table ended before it.
fn swallows_heading(text: &str, cells: &[Range<usize>]) -> bool {
    cells.iter().any(|c| {
        let s = &text[c.clone()];
        s.chars().count() <= 30 && super::heading_level(s) == Some(1)
    })
}

/// A header cell: a short label without sentence marks.
fn is_header_cell(cell: &str) -> bool {
    cell.chars().count() <= MAX_HEADER_CHARS
        && !cell.chars().any(|c| super::is_clause_break(c) && c != '、')
        && !cell.chars().all(|c| c.is_ascii_digit())
}

/// The number a row opens with: `1`, `2.`, `(3)`, `四`.
fn row_number(cell: &str) -> Option<u32> {
    let s = cell.trim_end_matches(['.', '、']);
    let s = s
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(s);
    if !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    const DIGITS: &str = "一二三四五六七八九十";
    let mut chars = s.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some(a), None, None) => DIGITS.chars().position(|d| d == a).map(|p| p as u32 + 1),
        (Some('十'), Some(b), None) => DIGITS
            .chars()
            .position(|d| d == b)
            .filter(|&p| p < 9)
            .map(|p| 11 + p as u32),
        _ => None,
    }
}

/// What a column holds, from its header's words.
fn column_kind(header: &str) -> ColumnKind {
    // Result words win over goal words (目标完成情况).
    if lex().contains(Role::TableResult, header) {
        ColumnKind::Result
    } else if lex().contains(Role::TableGoal, header) {
        ColumnKind::Goal
    } else {
        ColumnKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipe_rows_under_a_header_of_labels_keep_their_columns() {
        let t = "标题\n指标名称 | 年度目标 | 完成情况\n新增高新技术企业 | 25家 | 29家\n技术合同成交额 | 3亿元 | 3.6亿元\n正文。\n";
        let cells = pipe_tables(t, 7);
        let shown: Vec<(&str, ColumnKind, u32, &str)> = cells
            .iter()
            .map(|c| (&t[c.range.clone()], c.column, c.row, &t[c.header.clone()]))
            .collect();
        assert_eq!(
            shown,
            [
                ("新增高新技术企业", ColumnKind::Other, 8, "指标名称"),
                ("25家", ColumnKind::Goal, 8, "年度目标"),
                ("29家", ColumnKind::Result, 8, "完成情况"),
                ("技术合同成交额", ColumnKind::Other, 9, "指标名称"),
                ("3亿元", ColumnKind::Goal, 9, "年度目标"),
                ("3.6亿元", ColumnKind::Result, 9, "完成情况"),
            ]
        );
    }

    /// Issue 25 item 8: a header of two rows (rowspan/colspan), the usual
    /// shape of a goals/results table.
    #[test]
    fn a_two_row_header_gives_its_lower_row_columns() {
        for t in [
            "指标 | 2024年\n目标 | 完成\n新增高新技术企业 | 25家 | 29家\n技术合同成交额 | 3亿元 | 3.6亿元\n",
            "指标 | 单位 | 2024年\n目标 | 完成\n新增高新技术企业 | 家 | 25 | 29\n",
        ] {
            let cells = pipe_tables(t, 0);
            let shown: Vec<(&str, ColumnKind)> = cells
                .iter()
                .map(|c| (&t[c.range.clone()], c.column))
                .collect();
            let goal = shown.iter().find(|(_, k)| *k == ColumnKind::Goal);
            let result = shown.iter().find(|(_, k)| *k == ColumnKind::Result);
            assert!(
                goal.is_some_and(|g| g.0.starts_with("25")),
                "{t}: {shown:?}"
            );
            assert!(
                result.is_some_and(|r| r.0.starts_with("29")),
                "{t}: {shown:?}"
            );
            assert!(shown.iter().all(|(c, _)| !c.contains("目标")), "{shown:?}");
        }
    }

    /// Issue 25 item 5: a table keeps its columns past any number of rows.
    #[test]
    fn a_long_table_keeps_its_columns_to_the_end() {
        let mut t = String::from("指标名称 | 年度目标 | 完成情况\n");
        for i in 1..=1000 {
            t.push_str(&format!("指标{i} | {i}家 | {}家\n", i + 1));
        }
        let cells = pipe_tables(&t, 0);
        assert_eq!(cells.len(), 3000);
        let last = cells.last().expect("cells");
        assert_eq!(&t[last.range.clone()], "1001家");
        assert_eq!(last.column, ColumnKind::Result);
    }

    #[test]
    fn pipe_lines_without_a_header_of_goals_or_results_are_no_table() {
        // Data first (a figure is no label), no goal or result column, two
        // cells only: nothing.
        for t in [
            "新增高新技术企业 | 25家 | 29家\n技术合同成交额 | 3亿元 | 3.6亿元\n",
            "指标 | 数值 | 单位\n高企 | 25 | 家\n",
            "发布机构 | 科技局\n目标 | 完成\n",
        ] {
            assert!(pipe_tables(t, 0).is_empty(), "{t}");
        }
    }

    fn joined(text: &str) -> (String, Vec<TableCell>) {
        let mut t = text.to_string();
        let cells = join_tables(&mut t);
        assert_eq!(t.len(), text.len(), "byte length kept");
        (t, cells)
    }

    #[test]
    fn a_flattened_table_is_joined_row_by_row_and_cells_keep_their_columns() {
        let text = "二、重点任务推进表\n序号\n\n工作目标\n\n完成情况\n\n责任单位\n\n1\n\n新增高新技术企业30家\n\n新增高新技术企业34家。\n\n科技局\n\n2\n\n技术合同成交额8亿元\n\n完成6.5亿元\n\n科技局\n三、下一步工作\n";
        let (t, cells) = joined(text);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines.contains(&"1, 新增高新技术企业30家  新增高新技术企业34家。  科技局"),
            "{lines:#?}"
        );
        assert!(
            lines.contains(&"2, 技术合同成交额8亿元  完成6.5亿元  科技局"),
            "{lines:#?}"
        );
        // The header and what follows the table are left alone.
        assert!(lines.contains(&"序号") && lines.contains(&"三、下一步工作"));
        let column_of = |s: &str| {
            cells
                .iter()
                .find(|c| &t[c.range.clone()] == s)
                .map(|c| (c.column, t[c.header.clone()].to_string()))
        };
        assert_eq!(
            column_of("新增高新技术企业30家"),
            Some((ColumnKind::Goal, "工作目标".into()))
        );
        assert_eq!(
            column_of("完成6.5亿元"),
            Some((ColumnKind::Result, "完成情况".into()))
        );
        assert_eq!(column_of("科技局").map(|c| c.0), Some(ColumnKind::Other));
    }

    #[test]
    fn a_short_row_takes_the_cells_it_has() {
        let text =
            "序号\n指标\n目标值\n完成值\n1\n研发投入强度\n2.5%\n2\n高新技术企业\n300家\n310家\n";
        let (t, cells) = joined(text);
        assert!(
            t.contains("1,研发投入强度 2.5%\n2,高新技术企业 300家 310家"),
            "{t}"
        );
        assert_eq!(cells.len(), 7);
        // Which cell of the short row was left empty is unknown.
        let column_of = |s: &str| {
            cells
                .iter()
                .find(|c| &t[c.range.clone()] == s)
                .map(|c| c.column)
        };
        assert_eq!(column_of("2.5%"), Some(ColumnKind::Other));
        assert_eq!(column_of("310家"), Some(ColumnKind::Result));
    }

    #[test]
    fn text_that_is_not_a_table_stays_as_it_was() {
        for text in [
            // No 序号 first.
            "指标\n目标\n完成\n1\n甲\n乙\n2\n丙\n丁\n",
            // Two columns only.
            "序号\n内容\n1\n新增高企5家\n2\n新增科小8家\n",
            // Rows that do not count up.
            "序号\n指标\n目标\n完成\n1\n甲\n3家\n4家\n5\n乙\n6家\n7家\n",
            // One row only.
            "序号\n指标\n目标\n完成\n1\n甲\n3家\n4家\n",
            "全年新增高新技术企业45家。\n",
        ] {
            let (t, cells) = joined(text);
            assert_eq!(t, text);
            assert!(cells.is_empty(), "{text}: {cells:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn only_blanks_change_and_nothing_panics(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "序号", "工作目标", "完成情况", "1", "2", "3", "十", "新增高企30家",
                    "。", ",", "\n", "\n\n", " ", "\r\n", "(2)", "三、下一步", "é",
                ]),
                0..60,
            )
        ) {
            let text: String = parts.concat();
            let mut t = text.clone();
            let cells = join_tables(&mut t);
            proptest::prop_assert_eq!(t.len(), text.len());
            for (a, b) in text.bytes().zip(t.bytes()) {
                proptest::prop_assert!(a == b || (a.is_ascii_whitespace() && (b == b',' || b == b' ')));
            }
            for c in &cells {
                proptest::prop_assert!(t.is_char_boundary(c.range.start) && t.is_char_boundary(c.range.end));
            }
        }
    }

    #[test]
    fn row_numbers() {
        assert_eq!(row_number("1"), Some(1));
        assert_eq!(row_number("12."), Some(12));
        assert_eq!(row_number("(3)"), Some(3));
        assert_eq!(row_number("四"), Some(4));
        assert_eq!(row_number("十二"), Some(12));
        assert_eq!(row_number("2023"), None);
        assert_eq!(row_number("高企"), None);
    }
}
