//! An aligned table for terminals (the default when stdout is a terminal),
//! fitted to the terminal's width.
//!
//! Widths are counted in terminal cells (a Chinese character takes two), so
//! columns line up. To fit a width:
//! - each report is shown by its **distinguishing tail**: the folders every
//!   report shares are dropped (`corpus/dev/d001.html` and
//!   `corpus/dev/d002.html` show as `d001.html`, `d002.html`);
//! - the evidence is clipped **around the number**, which stays in view
//!   (and is highlighted when colour is on);
//! - the rule column is shown only when there is room to spare;
//! - when the doc column leaves less than [`MIN_EVIDENCE`] cells for the
//!   evidence, reports are grouped under a heading line (doc and province,
//!   as ripgrep groups matches under their file), and when even that is too
//!   narrow, each fact's evidence goes on an indented line of its own.
//!
//! The table is for reading; every field of every fact is in the other
//! formats (docs/output.md).

use std::io::{self, Write};
use std::ops::Range;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{FactRecord, FactSink, Labels, ReportInfo};
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

/// Most facts the table shows. The table is aligned over all its rows, so
/// it holds them until the end; past this many (already more than anyone
/// reads on a terminal) the rest are counted, not held, and a closing line
/// points to the formats that hold every fact (issue 25, item 17: 4,000
/// reports held 99 MB, one fact-dense report 1.1 GB).
pub const MAX_TABLE_ROWS: usize = 10_000;

/// Buffers rows (at most [`MAX_TABLE_ROWS`]) and prints them aligned and
/// fitted at the end.
pub struct TableSink<W: Write> {
    out: W,
    rows: Vec<Row>,
    /// Facts past [`MAX_TABLE_ROWS`], not shown.
    left_out: usize,
    width: Option<usize>,
    color: bool,
    labels: Labels,
}

impl<W: Write> TableSink<W> {
    /// A sink writing to `out`, no width to fit and no colour.
    pub fn new(out: W) -> Self {
        TableSink {
            out,
            rows: Vec::new(),
            left_out: 0,
            width: None,
            color: false,
            labels: Labels::En,
        }
    }

    /// Writes the status in `labels`' words (实际, 预计, 目标 for Chinese).
    pub fn with_labels(mut self, labels: Labels) -> Self {
        self.labels = labels;
        self
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
            if self.rows.len() >= MAX_TABLE_ROWS {
                self.left_out += 1;
                continue;
            }
            let value = match r.upper {
                Some(u) => format!("{}-{} {}", r.value.normalize(), u.normalize(), r.unit),
                None => format!("{} {}", r.value.normalize(), r.unit),
            };
            self.rows.push(Row {
                doc: r.doc.clone(),
                cells: [
                    if r.indicator_name.is_empty() {
                        r.indicator.clone()
                    } else {
                        r.indicator_name.clone()
                    },
                    value,
                    qualifier_word(r.qualifier).to_string(),
                    self.labels.status(r.status).to_string(),
                    match (&r.year, &r.months) {
                        (Some(y), Some(m)) => format!("{y} {m}月"),
                        (Some(y), None) => y.to_string(),
                        (None, Some(m)) => format!("{m}月"),
                        (None, None) => String::new(),
                    },
                    place(r),
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
        if self.left_out > 0 {
            writeln!(
                self.out,
                "… and {} more facts not shown: the table shows the first {MAX_TABLE_ROWS}; \
                 --format csv or jsonl (or -o facts.csv) writes every fact",
                self.left_out
            )?;
        }
        self.out.flush()
    }
}

/// The place column: province and region (`湖南 衡阳市衡东县`), the
/// region's division code being in the other formats.
/// With `--all-regions`, a part's or a wider area's place says so
/// (`湖南 衡阳市衡东县 (part)`).
fn place(r: &FactRecord) -> String {
    let province = r.province.as_deref().unwrap_or_default();
    let place = match r.region.as_deref() {
        Some(region) if !province.is_empty() && !region.starts_with(province) => {
            format!("{province} {region}")
        }
        Some(region) => region.to_string(),
        None => province.to_string(),
    };
    match r.scope {
        Some(scope) if scope != "own" => format!("{place} ({scope})"),
        _ => place,
    }
}

/// Column titles of the cells in [`Row::cells`].
const HEADERS: [&str; 6] = ["indicator", "value", "qual", "status", "year", "place"];
/// The province column (moves into the heading when reports are grouped).
const PROVINCE: usize = 5;

/// How the table is laid out for a width.
struct Plan {
    /// `Some(width)`: a doc column; `None`: a heading line per report.
    doc: Option<usize>,
    /// The cells of [`HEADERS`] shown, with their widths.
    columns: Vec<(usize, usize)>,
    /// The rule column's width, when shown.
    rule: Option<usize>,
    /// The evidence column's width, or `None`: a line of its own.
    evidence: Option<usize>,
}

/// Decides the layout: everything on one line per fact when it fits; else
/// the doc moves to a heading line per report (with its province); else
/// the evidence too moves to a line of its own.
fn plan(rows: &[Row], tails: &[String], width: Option<usize>) -> Plan {
    let natural = |cells: &mut dyn Iterator<Item = usize>, title: &str| {
        cells.chain([title.width()]).max().unwrap_or(0)
    };
    // Columns that are empty in every row (no qualifier, no province
    // known) are left out: nothing is lost.
    let columns: Vec<(usize, usize)> = (0..HEADERS.len())
        .filter(|&i| i < 2 || i == 3 || rows.iter().any(|r| !r.cells[i].is_empty()))
        .map(|i| {
            (
                i,
                natural(&mut rows.iter().map(|r| r.cells[i].width()), HEADERS[i]),
            )
        })
        .collect();
    let doc = natural(&mut tails.iter().map(|t| t.width()), "doc");
    let rule = natural(&mut rows.iter().map(|r| r.rule.width()), "rule");
    let evidence = natural(&mut rows.iter().map(|r| r.evidence.width()), "evidence");
    let Some(w) = width else {
        return Plan {
            doc: Some(doc),
            columns,
            rule: Some(rule),
            evidence: Some(evidence.min(UNFITTED_EVIDENCE)),
        };
    };
    let cells = |cols: &[(usize, usize)]| cols.iter().map(|(_, w)| w + GAP).sum::<usize>();
    // One line per fact, with the doc column.
    let left = w.saturating_sub(cells(&columns) + doc + GAP);
    if left >= MIN_EVIDENCE {
        let show_rule = left >= EVIDENCE_BEFORE_RULE + rule + GAP;
        let room = if show_rule { left - rule - GAP } else { left };
        return Plan {
            doc: Some(doc),
            columns,
            rule: show_rule.then_some(rule),
            evidence: Some(room.min(evidence)),
        };
    }
    // A heading per report, which also names its province — unless the
    // place differs within a report (`--all-regions`): the column stays.
    let varies = rows
        .windows(2)
        .any(|w| w[0].doc == w[1].doc && w[0].cells[PROVINCE] != w[1].cells[PROVINCE]);
    let grouped: Vec<(usize, usize)> = columns
        .into_iter()
        .filter(|(i, _)| *i != PROVINCE || varies)
        .collect();
    let left = w.saturating_sub(cells(&grouped));
    let show_rule = left >= EVIDENCE_BEFORE_RULE + rule + GAP;
    let room = if show_rule { left - rule - GAP } else { left };
    Plan {
        doc: None,
        columns: grouped,
        rule: show_rule.then_some(rule),
        evidence: (room >= MIN_EVIDENCE).then_some(room.min(evidence)),
    }
}

/// The table's lines for `rows`, fitted to `width` cells.
fn layout(rows: &[Row], width: Option<usize>, color: bool) -> Vec<String> {
    let docs: Vec<&str> = rows.iter().map(|r| r.doc.as_str()).collect();
    let tails = distinguishing_tails(&docs);
    let plan = plan(rows, &tails, width);
    let bold = |s: String| {
        if color {
            format!("{BOLD}{s}{RESET}")
        } else {
            s
        }
    };

    let mut header: Vec<String> = Vec::new();
    if let Some(doc_w) = plan.doc {
        header.push(pad("doc", doc_w));
    }
    for &(i, w) in &plan.columns {
        header.push(pad(HEADERS[i], w));
    }
    if let Some(w) = plan.rule {
        header.push(pad("rule", w));
    }
    if plan.evidence.is_some() {
        header.push("evidence".to_string());
    }
    let mut lines = Vec::with_capacity(rows.len() + 1);
    lines.push(bold(fit(header.join(&" ".repeat(GAP)).trim_end(), width)));

    let mut previous: Option<&str> = None;
    for (row, tail) in rows.iter().zip(&tails) {
        if plan.doc.is_none() && previous != Some(row.doc.as_str()) {
            // A new report: a blank line, then its heading.
            lines.push(String::new());
            let province = &row.cells[PROVINCE];
            let in_column = plan.columns.iter().any(|(i, _)| *i == PROVINCE);
            let heading = if province.is_empty() || in_column {
                tail.clone()
            } else {
                format!("{tail} · {province}")
            };
            lines.push(bold(
                width.map_or(heading.clone(), |w| clip_start(&heading, w)),
            ));
        }
        previous = Some(row.doc.as_str());
        let mut cells: Vec<String> = Vec::new();
        if let Some(doc_w) = plan.doc {
            cells.push(pad(tail, doc_w));
        }
        for &(i, w) in &plan.columns {
            // These columns are as wide as their widest cell: never clipped.
            cells.push(pad(&row.cells[i], w));
        }
        if let Some(w) = plan.rule {
            cells.push(pad(&row.rule, w));
        }
        let evidence_cells = plan.evidence.unwrap_or_else(|| {
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
        if plan.evidence.is_some() {
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
        assert_eq!(clip_start("reports/2022/d001.html", 12), "…2/d001.html");
        assert!(clip_start("很长的中文文件名报告.html", 10).width() <= 10);
    }
}
