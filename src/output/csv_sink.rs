//! CSV output: one row per fact, or one row per report (wide), both with a
//! UTF-8 BOM so that spreadsheet programs show Chinese correctly.

use std::io::{self, Write};

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::{FactRecord, FactSink, ReportInfo, UTF8_BOM};
use crate::syntax::ast::Status;

fn csv_err(e: csv::Error) -> io::Error {
    io::Error::other(e)
}

/// Columns of the long CSV, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "doc",
    "indicator",
    "value",
    "unit",
    "status",
    "year",
    "months",
    "rule",
    "start",
    "end",
    "evidence",
    "qualifier",
    "upper",
    "province",
    "region",
    "rule_set",
    "adcode",
    "region_source",
    "indicator_name",
    "line",
    "column",
    "evidence_original",
];

/// One row per fact.
pub struct CsvSink<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvSink<W> {
    /// Writes the BOM and header to `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(UTF8_BOM)?;
        let mut out = csv::Writer::from_writer(out);
        out.write_record(CSV_COLUMNS).map_err(csv_err)?;
        Ok(CsvSink { out })
    }
}

/// A cell of free text (a file name, evidence) made safe for spreadsheets:
/// one starting with `=` `+` `-` `@`, a tab or a carriage return would be
/// read as a formula by Excel, which the BOM invites to open the file, so
/// it gets a leading `'` as OWASP advises (issue 25, item 23).
fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// Months as a spreadsheet leaves them: `1-10` would become a date in
/// Excel, `1-10月` stays text (and says what it is).
pub fn excel_months(months: Option<&str>) -> String {
    months.map(|m| format!("{m}月")).unwrap_or_default()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl<W: Write> FactSink for CsvSink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            self.out
                .write_record([
                    text_cell(&r.doc),
                    r.indicator.clone(),
                    r.value.normalize().to_string(),
                    r.unit.to_string(),
                    r.status.as_str().to_string(),
                    opt(&r.year),
                    excel_months(r.months.as_deref()),
                    r.rule.clone(),
                    r.start.to_string(),
                    r.end.to_string(),
                    text_cell(&r.evidence),
                    serde_json::to_value(r.qualifier)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    opt(&r.upper.map(|u| u.normalize())),
                    opt(&r.province),
                    opt(&r.region),
                    r.rule_set.clone(),
                    opt(&r.adcode),
                    opt(&r.region_source),
                    r.indicator_name.clone(),
                    r.line.to_string(),
                    r.column.to_string(),
                    text_cell(&r.evidence_original),
                ])
                .map_err(csv_err)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// The statuses of the wide CSV's columns, in column order.
pub const WIDE_STATUSES: [Status; 3] = [Status::Actual, Status::Estimate, Status::Target];

/// Columns of the wide CSV for one indicator and status: the value, its
/// year, its months (empty for a whole year), and how many facts of that
/// indicator and status the report has (more than 1: the others are in the
/// long CSV).
pub const WIDE_SUFFIXES: [&str; 4] = ["", ".year", ".months", ".facts"];

/// The wide CSV's header for these indicator ids: `doc`, `province`,
/// `region`, `rule_set`, `report_year`, `adcode`, `region_source`, then per indicator and status
/// (`actual`, `estimate`, `target`) the columns `<id>.<status>`,
/// `<id>.<status>.year`, `<id>.<status>.months`, `<id>.<status>.facts`.
pub fn wide_header(indicators: &[String]) -> Vec<String> {
    let mut header: Vec<String> = [
        "doc",
        "province",
        "region",
        "rule_set",
        "report_year",
        "adcode",
        "region_source",
    ]
    .map(String::from)
    .to_vec();
    for id in indicators {
        for status in WIDE_STATUSES {
            for suffix in WIDE_SUFFIXES {
                header.push(format!("{id}.{}{suffix}", status.as_str()));
            }
        }
    }
    header
}

/// The fact shown in one cell, and how many facts wanted that cell.
struct Cell {
    value: Decimal,
    year: Option<i32>,
    months: Option<String>,
    facts: usize,
}

/// Which of two facts for one cell is shown: a whole-year figure before a
/// part of a year, then the year nearest the report's year (a later year
/// on a tie; a known year before none), then the first in the text
/// (`false`: keep the one already there).
fn better(new: &FactRecord, old: &Cell, report_year: Option<i32>) -> bool {
    let key = |months: bool, year: Option<i32>| {
        let distance = match (year, report_year) {
            (Some(y), Some(r)) => (i64::from(y) - i64::from(r)).unsigned_abs(),
            (Some(_), None) => 0,
            (None, _) => u64::MAX,
        };
        // Smaller is better.
        (months, distance, std::cmp::Reverse(year))
    };
    key(new.months.is_some(), new.year) < key(old.months.is_some(), old.year)
}

/// One row per report; per indicator and status, the value with its year
/// and months, and the number of facts for it (see [`wide_header`]).
///
/// Several facts of one indicator and status in a report (last year's and
/// this year's, a 1-10月 figure and the whole year's) share one cell: the
/// cell shows one (see `better`), its `.year` and `.months` say which, and
/// its `.facts` count says how many there were. Nothing is merged into
/// another status's column; [`FactSink::notes`] counts the facts not shown.
pub struct WideCsvSink<W: Write> {
    out: csv::Writer<W>,
    indicators: Vec<String>,
    /// The current report's cells so far: per indicator, one per status
    /// (in [`WIDE_STATUSES`] order).
    cells: IndexMap<String, [Option<Cell>; 3]>,
    /// Facts not shown in a cell, over the whole run.
    not_shown: usize,
    /// Reports with facts not shown.
    reports_not_shown: usize,
}

impl<W: Write> WideCsvSink<W> {
    /// Writes the BOM and a header with the given indicator ids.
    pub fn new(mut out: W, indicators: Vec<String>) -> io::Result<Self> {
        out.write_all(UTF8_BOM)?;
        let mut out = csv::Writer::from_writer(out);
        out.write_record(wide_header(&indicators))
            .map_err(csv_err)?;
        Ok(WideCsvSink {
            out,
            indicators,
            cells: IndexMap::new(),
            not_shown: 0,
            reports_not_shown: 0,
        })
    }
}

impl<W: Write> FactSink for WideCsvSink<W> {
    fn facts(&mut self, info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            let s = WIDE_STATUSES
                .iter()
                .position(|s| *s == r.status)
                .unwrap_or(0);
            // Keys are cloned only for an indicator's first fact.
            if !self.cells.contains_key(r.indicator.as_str()) {
                self.cells.insert(r.indicator.clone(), [None, None, None]);
            }
            let Some(slots) = self.cells.get_mut(r.indicator.as_str()) else {
                continue;
            };
            match &mut slots[s] {
                Some(cell) => {
                    cell.facts += 1;
                    if better(r, cell, info.year) {
                        cell.value = r.value;
                        cell.year = r.year;
                        cell.months = r.months.clone();
                    }
                }
                empty => {
                    *empty = Some(Cell {
                        value: r.value,
                        year: r.year,
                        months: r.months.clone(),
                        facts: 1,
                    });
                }
            }
        }
        Ok(())
    }
    fn end_report(&mut self, info: &ReportInfo) -> io::Result<()> {
        let mut row = vec![
            text_cell(&info.doc),
            opt(&info.province),
            opt(&info.region),
            info.rule_set.clone(),
            opt(&info.year),
            opt(&info.adcode),
            opt(&info.region_source),
        ];
        for id in &self.indicators {
            let slots = self.cells.get(id.as_str());
            for s in 0..WIDE_STATUSES.len() {
                match slots.and_then(|slots| slots[s].as_ref()) {
                    Some(c) => row.extend([
                        c.value.normalize().to_string(),
                        opt(&c.year),
                        excel_months(c.months.as_deref()),
                        c.facts.to_string(),
                    ]),
                    None => row.extend([String::new(), String::new(), String::new(), "0".into()]),
                }
            }
        }
        // Facts of an indicator the header does not name (cannot happen
        // with the ids of every loaded set, but never dropped unsaid).
        let facts = |slots: &[Option<Cell>; 3]| -> (usize, usize) {
            let cells = slots.iter().flatten();
            (cells.clone().map(|c| c.facts).sum(), cells.count())
        };
        let hidden: usize = self
            .cells
            .iter()
            .map(|(id, slots)| {
                let (all, shown) = facts(slots);
                if self.indicators.contains(id) {
                    all - shown
                } else {
                    all
                }
            })
            .sum();
        if hidden > 0 {
            self.not_shown += hidden;
            self.reports_not_shown += 1;
        }
        self.cells.clear();
        self.out.write_record(&row).map_err(csv_err)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
    fn notes(&self) -> Vec<String> {
        if self.not_shown == 0 {
            return Vec::new();
        }
        vec![format!(
            "wide-csv: {} in {} shared a cell with another fact of the same indicator and status \
             (the .facts columns count them); --format csv writes every fact",
            if self.not_shown == 1 {
                "1 fact".to_string()
            } else {
                format!("{} facts", self.not_shown)
            },
            if self.reports_not_shown == 1 {
                "1 report".to_string()
            } else {
                format!("{} reports", self.reports_not_shown)
            },
        )]
    }
}
