//! An aligned table for terminals (the default when stdout is a terminal),
//! fitted to the terminal's width.
//!
//! Widths are counted in terminal cells (a Chinese character takes two), so
//! columns line up. To fit a width:
//! - the doc column shows each report by its **distinguishing tail**: the
//!   folders every report shares are dropped (`corpus/dev/d001.html` and
//!   `corpus/dev/d002.html` show as `d001.html`, `d002.html`), and a tail
//!   still too long keeps its end (`…2022/d001.html`);
//! - the evidence is clipped **around the number**, which stays in view
//!   (and is highlighted when colour is on);
//! - the rule column is shown only when there is room to spare; with less
//!   than [`MIN_EVIDENCE`] cells left for the evidence, it moves to its own
//!   indented line under each fact.
//!
//! The table is for reading; every field of every fact is in the other
//! formats (docs/output.md).

use std::io::{self, Write};
use std::ops::Range;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{FactRecord, FactSink, ReportInfo};
use crate::text::Qualifier;

/// Fewest cells the evidence column gets beside the other columns; below
/// this, evidence goes on a line of its own.
pub const MIN_EVIDENCE: usize = 24;
/// Cells of evidence shown when there is no width to fit (a pipe or file).
pub const UNFITTED_EVIDENCE: usize = 60;
/// Cells of evidence wanted before the rule column is shown too.
const EVIDENCE_BEFORE_RULE: usize = 50;
/// Cells between columns.
const GAP: usize = 2;
/// Indent of an evidence line of its own.
const EVIDENCE_INDENT: &str = "    ";

const BOLD: &str = "\x1b[1m";
const HIGHLIGHT: &str = "\x1b[1;33m";
const RESET: &str = "\x1b[0m";

/// One fact's cells, before widths are known.
struct Row {
    doc: String,
    cells: [String; 6],
    rule: String,
    evidence: String,
    /// The number's bytes in `evidence`, when it lies within.
    number: Option<Range<usize>>,
}

/// Buffers rows and prints them aligned and fitted at the end.
pub struct TableSink<W: Write> {
    out: W,
    rows: Vec<Row>,
    width: Option<usize>,
    color: bool,
}

impl<W: Write> TableSink<W> {
    /// A sink writing to `out`, no width to fit and no colour.
    pub fn new(out: W) -> Self {
        TableSink {
            out,
            rows: Vec::new(),
            width: None,
            color: false,
        }
    }

    /// Fits the table to `width` cells (`None`: no limit).
    pub fn with_width(mut self, width: Option<usize>) -> Self {
        self.width = width;
        self
    }

    /// Bold header and highlighted numbers.
    pub fn with_color(mut self, color: bool) -> Self {
        self.color = color;
        self
    }
}

/// The qualifier as the reports write it: 以上 for 余/多/超/以上, 约 for
/// 约/左右, 不足 for 近/不到/以下, 区间 for a range.
pub fn qualifier_word(q: Qualifier) -> &'static str {
    match q {
        Qualifier::Exact => "",
        Qualifier::MoreThan => "以上",
        Qualifier::About => "约",
        Qualifier::LessThan => "不足",
        Qualifier::Range => "区间",
    }
}

/// Clips `s` to at most `cells` terminal cells, keeping its start.
fn clip(s: &str, cells: usize) -> String {
    if s.width() <= cells {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > cells {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

/// Clips `s` to at most `cells` terminal cells, keeping its end.
fn clip_start(s: &str, cells: usize) -> String {
    if s.width() <= cells {
        return s.to_string();
    }
    let mut kept = Vec::new();
    let mut w = 0;
    for c in s.chars().rev() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > cells {
            break;
        }
        w += cw;
        kept.push(c);
    }
    let mut out = String::from("…");
    out.extend(kept.into_iter().rev());
    out
}

/// Each doc without the leading folders that all of them share (at least
/// the file name is kept).
fn distinguishing_tails(docs: &[&str]) -> Vec<String> {
    let parts: Vec<Vec<&str>> = docs.iter().map(|d| d.split('/').collect()).collect();
    let shortest = parts.iter().map(Vec::len).min().unwrap_or(0);
    let mut shared = 0;
    // Never drop a file name: only folders (all but each doc's last part).
    while shared + 1 < shortest && parts.iter().all(|p| p[shared] == parts[0][shared]) {
        shared += 1;
    }
    parts.iter().map(|p| p[shared..].join("/")).collect()
}

/// Clips `s` to at most `cells` cells around `focus` (a byte range of `s`),
/// so that the focus stays in view: an equal share of context each side,
/// `…` where text was cut. Returns the text and the focus's new range.
fn clip_around(
    s: &str,
    focus: Option<Range<usize>>,
    cells: usize,
) -> (String, Option<Range<usize>>) {
    if s.width() <= cells {
        return (s.to_string(), focus);
    }
    let Some(focus) = focus.filter(|f| {
        f.start <= f.end
            && f.end <= s.len()
            && s.is_char_boundary(f.start)
            && s.is_char_boundary(f.end)
    }) else {
        return (clip(s, cells), None);
    };
    let mid = &s[focus.clone()];
    if mid.width() + 2 >= cells {
        // Only the number fits (or not even that): show it, clipped.
        let shown = clip(mid, cells);
        let len = shown.len();
        return (shown, Some(0..len));
    }
    // Cells for context, less one `…` on each side that may be needed.
    let mut left = String::new();
    let mut right = String::new();
    let mut budget = cells - mid.width() - 2;
    let mut before = s[..focus.start].chars().rev();
    let mut after = s[focus.end..].chars();
    let (mut more_before, mut more_after) = (true, true);
    // Alternate sides so that context is shared equally.
    while budget > 0 && (more_before || more_after) {
        if more_before {
            match before.next() {
                Some(c) if c.width().unwrap_or(0) <= budget => {
                    budget -= c.width().unwrap_or(0);
                    left.insert(0, c);
                }
                Some(_) => more_before = false,
                None => more_before = false,
            }
        }
        if more_after && budget > 0 {
            match after.next() {
                Some(c) if c.width().unwrap_or(0) <= budget => {
                    budget -= c.width().unwrap_or(0);
                    right.push(c);
                }
                Some(_) => more_after = false,
                None => more_after = false,
            }
        }
    }
    let cut_before = left.len() < focus.start;
    let cut_after = focus.end + right.len() < s.len();
    let mut out = String::new();
    if cut_before {
        out.push('…');
    }
    out.push_str(&left);
    let start = out.len();
    out.push_str(mid);
    let end = out.len();
    out.push_str(&right);
    if cut_after {
        out.push('…');
    }
    (out, Some(start..end))
}

/// `cell` padded with spaces to `width` cells.
fn pad(cell: &str, width: usize) -> String {
    let mut s = cell.to_string();
    s.push_str(&" ".repeat(width.saturating_sub(cell.width())));
    s
}

impl<W: Write> FactSink for TableSink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            let value = match r.upper {
                Some(u) => format!("{}-{} {}", r.value.normalize(), u.normalize(), r.unit),
                None => format!("{} {}", r.value.normalize(), r.unit),
            };
            self.rows.push(Row {
                doc: r.doc.clone(),
                cells: [
                    r.indicator.clone(),
                    value,
                    qualifier_word(r.qualifier).to_string(),
                    r.status.as_str().to_string(),
                    match (&r.year, &r.months) {
                        (Some(y), Some(m)) => format!("{y} {m}月"),
                        (Some(y), None) => y.to_string(),
                        (None, Some(m)) => format!("{m}月"),
                        (None, None) => String::new(),
                    },
                    r.province.clone().unwrap_or_default(),
                ],
                rule: r.rule.clone(),
                evidence: r.evidence.clone(),
                number: r.evidence_number.clone(),
            });
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let rows = std::mem::take(&mut self.rows);
        let lines = layout(&rows, self.width, self.color);
        for line in lines {
            writeln!(self.out, "{line}")?;
        }
        self.out.flush()
    }
}

/// The table's lines for `rows`, fitted to `width` cells.
fn layout(rows: &[Row], width: Option<usize>, color: bool) -> Vec<String> {
    const HEADERS: [&str; 6] = ["indicator", "value", "qual", "status", "year", "province"];
    let docs: Vec<&str> = rows.iter().map(|r| r.doc.as_str()).collect();
    let tails = distinguishing_tails(&docs);

    // Columns that are empty in every row (no qualifier, no province
    // known) are left out: nothing is lost.
    let shown: Vec<usize> = (0..HEADERS.len())
        .filter(|&i| i < 2 || i == 3 || rows.iter().any(|r| !r.cells[i].is_empty()))
        .collect();
    let widths: Vec<usize> = shown
        .iter()
        .map(|&i| {
            rows.iter()
                .map(|r| r.cells[i].width())
                .chain([HEADERS[i].width()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let doc_natural = tails
        .iter()
        .map(|t| t.width())
        .chain(["doc".width()])
        .max()
        .unwrap_or(3);
    let rule_natural = rows
        .iter()
        .map(|r| r.rule.width())
        .chain(["rule".width()])
        .max()
        .unwrap_or(4);
    let evidence_natural = rows
        .iter()
        .map(|r| r.evidence.width())
        .chain(["evidence".width()])
        .max()
        .unwrap_or(8);
    let fixed: usize = widths.iter().sum::<usize>() + GAP * widths.len();

    // (doc width, rule shown, evidence width inline or None for own line)
    let (doc_w, show_rule, evidence_w) = match width {
        None => (
            doc_natural,
            true,
            Some(evidence_natural.min(UNFITTED_EVIDENCE)),
        ),
        Some(w) => {
            let doc_w = doc_natural.min((w / 5).max(12));
            let left = |doc_w: usize| w.saturating_sub(fixed + doc_w + GAP);
            // The doc may shrink to this much to keep the evidence inline.
            let doc_min = doc_natural.min(12);
            if left(doc_w) >= EVIDENCE_BEFORE_RULE + rule_natural + GAP {
                let ev = (left(doc_w) - rule_natural - GAP).min(evidence_natural);
                (doc_w, true, Some(ev))
            } else if left(doc_w) >= MIN_EVIDENCE {
                (doc_w, false, Some(left(doc_w).min(evidence_natural)))
            } else if left(doc_min) >= MIN_EVIDENCE {
                let doc_w = w.saturating_sub(fixed + GAP + MIN_EVIDENCE).min(doc_w);
                (doc_w, false, Some(left(doc_w).min(evidence_natural)))
            } else {
                // Evidence on its own line; the doc shrinks if the rest
                // still does not fit.
                let room = w.saturating_sub(fixed);
                (doc_w.min(room.max(8)), false, None)
            }
        }
    };

    let mut header: Vec<String> = vec![pad("doc", doc_w)];
    for (k, &i) in shown.iter().enumerate() {
        header.push(pad(HEADERS[i], widths[k]));
    }
    if show_rule {
        header.push(pad("rule", rule_natural));
    }
    if evidence_w.is_some() {
        header.push("evidence".to_string());
    }
    let mut lines = Vec::with_capacity(rows.len() + 1);
    let header_line = header.join(&" ".repeat(GAP)).trim_end().to_string();
    let header_line = fit(&header_line, width);
    lines.push(if color {
        format!("{BOLD}{header_line}{RESET}")
    } else {
        header_line
    });

    for (row, tail) in rows.iter().zip(&tails) {
        let mut cells: Vec<String> = vec![pad(&clip_start(tail, doc_w), doc_w)];
        for (k, &i) in shown.iter().enumerate() {
            // Fixed columns are never clipped: their widths are their contents'.
            cells.push(pad(&row.cells[i], widths[k]));
        }
        if show_rule {
            cells.push(pad(&row.rule, rule_natural));
        }
        let evidence_cells = evidence_w.unwrap_or_else(|| {
            width.map_or(UNFITTED_EVIDENCE, |w| {
                w.saturating_sub(EVIDENCE_INDENT.len())
            })
        });
        let (evidence, number) = clip_around(&row.evidence, row.number.clone(), evidence_cells);
        let evidence = if color {
            highlight(&evidence, number)
        } else {
            evidence
        };
        let line = cells.join(&" ".repeat(GAP));
        if evidence_w.is_some() {
            // The columns before take at most `width - MIN_EVIDENCE` cells.
            lines.push(
                format!("{line}{}{evidence}", " ".repeat(GAP))
                    .trim_end()
                    .to_string(),
            );
        } else {
            lines.push(fit(line.trim_end(), width));
            lines.push(format!("{EVIDENCE_INDENT}{evidence}"));
        }
    }
    lines
}

/// `line` clipped to `width` cells (a last resort on very narrow terminals).
fn fit(line: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if line.width() > w => clip(line, w),
        _ => line.to_string(),
    }
}

/// `s` with the bytes `number` in bold yellow.
fn highlight(s: &str, number: Option<Range<usize>>) -> String {
    match number {
        Some(r) if r.end <= s.len() && s.is_char_boundary(r.start) && s.is_char_boundary(r.end) => {
            format!(
                "{}{HIGHLIGHT}{}{RESET}{}",
                &s[..r.start],
                &s[r.clone()],
                &s[r.end..]
            )
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tails_drop_the_shared_folders_only() {
        assert_eq!(
            distinguishing_tails(&["corpus/dev/d001.html", "corpus/dev/d002.html"]),
            ["d001.html", "d002.html"]
        );
        assert_eq!(
            distinguishing_tails(&["a/x/r.txt", "a/y/r.txt"]),
            ["x/r.txt", "y/r.txt"]
        );
        assert_eq!(distinguishing_tails(&["a/b/r.txt"]), ["r.txt"]);
        assert_eq!(
            distinguishing_tails(&["r.txt", "a/r.txt"]),
            ["r.txt", "a/r.txt"]
        );
        assert_eq!(distinguishing_tails(&["-"]), ["-"]);
    }

    #[test]
    fn clipping_keeps_the_number_in_view() {
        let s = "全年新增高新技术企业17家,高新技术企业总数达到210家,同比增长百分之十二。";
        let at = s.find("210").unwrap_or(0);
        let (out, n) = clip_around(s, Some(at..at + 3), 20);
        assert!(out.width() <= 20, "{out}");
        let n = n.unwrap_or(0..0);
        assert_eq!(&out[n], "210");
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        // Room for everything: unchanged.
        let (out, _) = clip_around(s, Some(at..at + 3), 200);
        assert_eq!(out, s);
    }

    #[test]
    fn clip_start_keeps_the_end() {
        assert_eq!(clip_start("reports/2022/d001.html", 12), "…/d001.html");
        assert!(clip_start("很长的中文文件名报告.html", 10).width() <= 10);
    }
}
