//! An aligned table for terminals (the default when stdout is a terminal).

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::{FactRecord, FactSink, ReportInfo};

/// Buffers rows and prints them aligned (column widths in terminal cells,
/// so Chinese counts double).
pub struct TableSink<W: Write> {
    out: W,
    rows: Vec<[String; 7]>,
}

impl<W: Write> TableSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        TableSink {
            out,
            rows: Vec::new(),
        }
    }
}

/// Clips `s` to at most `cells` terminal cells.
fn clip(s: &str, cells: usize) -> String {
    if s.width() <= cells {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > cells {
            break;
        }
        w += cw;
        out.push(c);
    }
    out.push('…');
    out
}

impl<W: Write> FactSink for TableSink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            self.rows.push([
                clip(&r.doc, 28),
                r.indicator.clone(),
                format!("{} {}", r.value.normalize(), r.unit),
                r.status.as_str().to_string(),
                match (&r.year, &r.months) {
                    (Some(y), Some(m)) => format!("{y} {m}月"),
                    (Some(y), None) => y.to_string(),
                    (None, Some(m)) => format!("{m}月"),
                    (None, None) => String::new(),
                },
                r.rule.clone(),
                clip(&r.evidence, 40),
            ]);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let header = [
            "doc",
            "indicator",
            "value",
            "status",
            "year",
            "rule",
            "evidence",
        ];
        let mut widths = header.map(|h| h.width());
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row.iter()) {
                *w = (*w).max(cell.width());
            }
        }
        let mut line = |cells: &[&str]| -> io::Result<()> {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                s.push_str(cell);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(widths[i].saturating_sub(cell.width()) + 2));
                }
            }
            writeln!(self.out, "{}", s.trim_end())
        };
        line(&header)?;
        for row in std::mem::take(&mut self.rows) {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            line(&cells)?;
        }
        self.out.flush()
    }
}
