//! CSV output: one row per fact, or one row per report (wide), both with a
//! UTF-8 BOM so that spreadsheet programs show Chinese correctly.

use std::io::{self, Write};

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::{FactRecord, FactSink, Labels, ReportInfo, UTF8_BOM};
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
    labels: Labels,
    /// `--all-regions`: a last column `scope` (own, part, wider).
    scope: bool,
}

impl<W: Write> CsvSink<W> {
    /// Writes the BOM and header to `out`.
    pub fn new(out: W) -> io::Result<Self> {
        Self::with_scope(out, false)
    }

    /// [`CsvSink::new`], with a last column `scope` when `scope` is true
    /// (`--all-regions`).
    pub fn with_scope(mut out: W, scope: bool) -> io::Result<Self> {
        out.write_all(UTF8_BOM)?;
        let mut out = csv::Writer::from_writer(out);
        let mut header = CSV_COLUMNS.to_vec();
        if scope {
            header.push("scope");
        }
        out.write_record(header).map_err(csv_err)?;
        Ok(CsvSink {
            out,
            labels: Labels::En,
            scope,
        })
    }

    /// Writes status and qualifier in `labels`' words (the header keeps
    /// the field names: they are the contract's).
    pub fn with_labels(mut self, labels: Labels) -> Self {
        self.labels = labels;
        self
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
            let mut row = vec![
                text_cell(&r.doc),
                r.indicator.clone(),
                r.value.normalize().to_string(),
                r.unit.to_string(),
                self.labels.status(r.status).to_string(),
                opt(&r.year),
                excel_months(r.months.as_deref()),
                r.rule.clone(),
                r.start.to_string(),
                r.end.to_string(),
                text_cell(&r.evidence),
                self.labels.qualifier(r.qualifier).to_string(),
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
            ];
            if self.scope {
                row.push(r.scope.unwrap_or("own").to_string());
            }
            self.out.write_record(&row).map_err(csv_err)?;
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
/// long CSV). The last, `.facts`, only with [`WideOptions::fact_counts`].
pub const WIDE_SUFFIXES: [&str; 4] = ["", ".year", ".months", ".facts"];

/// The report columns that open every wide CSV row.
const WIDE_REPORT_COLUMNS: [&str; 7] = [
    "doc",
    "province",
    "region",
    "rule_set",
    "report_year",
    "adcode",
    "region_source",
];

/// [`WIDE_REPORT_COLUMNS`] in Chinese (`--labels zh`).
const WIDE_REPORT_COLUMNS_ZH: [&str; 7] = [
    "报告",
    "省份",
    "地区",
    "规则集",
    "报告年份",
    "区划代码",
    "地区依据",
];

/// [`WIDE_SUFFIXES`] in Chinese (`--labels zh`).
const WIDE_SUFFIXES_ZH: [&str; 4] = ["", "年份", "月份", "条数"];

/// What the wide CSV's header holds besides the indicators.
#[derive(Debug, Clone, Default)]
pub struct WideOptions {
    /// Add the `<id>.<status>.facts` columns (how many facts shared the
    /// cell): mostly zeros, so left out unless asked (`--fact-counts`).
    pub fact_counts: bool,
    /// Column names by id and status (`hte_total.actual`), or in Chinese
    /// by the indicator's name and status (`高新技术企业总数(实际)`).
    pub labels: Labels,
    /// Each indicator's name, in the order of the indicators given (an
    /// empty or missing name: the id is used).
    pub names: Vec<String>,
    /// A `scope` column after the report's, and a row per part or wider
    /// area (`--all-regions`).
    pub scope: bool,
}

/// The wide CSV's header for these indicator ids: `doc`, `province`,
/// `region`, `rule_set`, `report_year`, `adcode`, `region_source`, then per
/// indicator and status (`actual`, `estimate`, `target`) the columns
/// `<id>.<status>`, `<id>.<status>.year`, `<id>.<status>.months` and, with
/// [`WideOptions::fact_counts`], `<id>.<status>.facts`. With
/// [`Labels::Zh`] the same columns in Chinese: `报告` … `地区依据`, then
/// `<name>(实际)`, `<name>(实际)年份`, `<name>(实际)月份`,
/// `<name>(实际)条数` (the id joins a name two indicators share). With
/// [`WideOptions::scope`] (`--all-regions`) a column `scope` (范围) follows
/// the report columns.
pub fn wide_header(indicators: &[String], options: &WideOptions) -> Vec<String> {
    let zh = options.labels == Labels::Zh;
    let report = if zh {
        WIDE_REPORT_COLUMNS_ZH
    } else {
        WIDE_REPORT_COLUMNS
    };
    let mut header: Vec<String> = report.map(String::from).to_vec();
    if options.scope {
        header.push(if zh { "范围" } else { "scope" }.to_string());
    }
    let suffixes = &WIDE_SUFFIXES[..wide_suffix_count(options)];
    for (i, id) in indicators.iter().enumerate() {
        let label = match options.names.get(i).filter(|n| !n.is_empty()) {
            Some(name) if zh => {
                let shared = options.names.iter().filter(|n| *n == name).count() > 1;
                if shared {
                    format!("{name}[{id}]")
                } else {
                    name.clone()
                }
            }
            _ => id.clone(),
        };
        for status in WIDE_STATUSES {
            for (k, suffix) in suffixes.iter().enumerate() {
                header.push(if zh {
                    format!(
                        "{label}({}){}",
                        options.labels.status(status),
                        WIDE_SUFFIXES_ZH[k]
                    )
                } else {
                    format!("{id}.{}{suffix}", status.as_str())
                });
            }
        }
    }
    header
}

/// How many of [`WIDE_SUFFIXES`] the header holds per indicator and status.
fn wide_suffix_count(options: &WideOptions) -> usize {
    if options.fact_counts { 4 } else { 3 }
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

/// The cells of one row: per indicator, one per status (in
/// [`WIDE_STATUSES`] order).
type Cells = IndexMap<String, [Option<Cell>; 3]>;

/// A row of the wide CSV other than the report's own (`--all-regions`): a
/// part's or a wider area's, by its scope, region, code and source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PlaceRow {
    scope: &'static str,
    region: Option<String>,
    adcode: Option<String>,
    region_source: Option<String>,
}

/// One row per report; per indicator and status, the value with its year
/// and months, and the number of facts for it (see [`wide_header`]).
///
/// Several facts of one indicator and status in a report (last year's and
/// this year's, a 1-10月 figure and the whole year's) share one cell: the
/// cell shows one (see `better`), its `.year` and `.months` say which, and
/// its `.facts` count says how many there were. Nothing is merged into
/// another status's column; [`FactSink::notes`] counts the facts not shown.
///
/// With `--all-regions` ([`WideOptions::scope`]) a `scope` column
/// follows `region_source`, and the figures of each named part or wider
/// area get a row of their own after the report's (`part`, `wider`), with
/// that place's region and code.
pub struct WideCsvSink<W: Write> {
    out: csv::Writer<W>,
    indicators: Vec<String>,
    /// Whether the `.facts` columns are written.
    fact_counts: bool,
    /// The current report's cells so far: `None` for its own row, then a
    /// row per part or wider area, in the order first met.
    rows: IndexMap<Option<PlaceRow>, Cells>,
    /// Write the `scope` column.
    scope: bool,
    /// Facts not shown in a cell, over the whole run.
    not_shown: usize,
    /// Reports with facts not shown.
    reports_not_shown: usize,
}

impl<W: Write> WideCsvSink<W> {
    /// Writes the BOM and a header with the given indicator ids (no
    /// `.facts` columns, column names by id).
    pub fn new(out: W, indicators: Vec<String>) -> io::Result<Self> {
        Self::with_options(out, indicators, &WideOptions::default())
    }

    /// Writes the BOM and a header with the given indicator ids, as
    /// `options` say (see [`wide_header`]).
    pub fn with_options(
        mut out: W,
        indicators: Vec<String>,
        options: &WideOptions,
    ) -> io::Result<Self> {
        out.write_all(UTF8_BOM)?;
        let mut out = csv::Writer::from_writer(out);
        out.write_record(wide_header(&indicators, options))
            .map_err(csv_err)?;
        Ok(WideCsvSink {
            out,
            indicators,
            fact_counts: options.fact_counts,
            rows: IndexMap::new(),
            scope: options.scope,
            not_shown: 0,
            reports_not_shown: 0,
        })
    }

    /// Writes one row of the current report.
    fn write_row(
        &mut self,
        info: &ReportInfo,
        place: Option<&PlaceRow>,
        cells: &Cells,
    ) -> io::Result<()> {
        let mut row = vec![text_cell(&info.doc), opt(&info.province)];
        match place {
            None => row.extend([
                opt(&info.region),
                info.rule_set.clone(),
                opt(&info.year),
                opt(&info.adcode),
                opt(&info.region_source),
            ]),
            Some(p) => row.extend([
                opt(&p.region),
                info.rule_set.clone(),
                opt(&info.year),
                opt(&p.adcode),
                opt(&p.region_source),
            ]),
        }
        if self.scope {
            row.push(place.map_or("own", |p| p.scope).to_string());
        }
        for id in &self.indicators {
            let slots = cells.get(id.as_str());
            for s in 0..WIDE_STATUSES.len() {
                match slots.and_then(|slots| slots[s].as_ref()) {
                    Some(c) => row.extend([
                        c.value.normalize().to_string(),
                        opt(&c.year),
                        excel_months(c.months.as_deref()),
                    ]),
                    None => row.extend([String::new(), String::new(), String::new()]),
                }
                if self.fact_counts {
                    let n = slots
                        .and_then(|slots| slots[s].as_ref())
                        .map_or(0, |c| c.facts);
                    row.push(n.to_string());
                }
            }
        }
        self.out.write_record(&row).map_err(csv_err)
    }
}

impl<W: Write> FactSink for WideCsvSink<W> {
    fn facts(&mut self, info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            let s = WIDE_STATUSES
                .iter()
                .position(|s| *s == r.status)
                .unwrap_or(0);
            let place = r.scope.filter(|s| *s != "own").map(|scope| PlaceRow {
                scope,
                region: r.region.clone(),
                adcode: r.adcode.clone(),
                region_source: r.region_source.clone(),
            });
            let cells = self.rows.entry(place).or_default();
            // Keys are cloned only for an indicator's first fact.
            if !cells.contains_key(r.indicator.as_str()) {
                cells.insert(r.indicator.clone(), [None, None, None]);
            }
            let Some(slots) = cells.get_mut(r.indicator.as_str()) else {
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
        let mut rows = std::mem::take(&mut self.rows);
        // The report's own row always, first (empty when it has no fact).
        let own = rows.shift_remove(&None).unwrap_or_default();
        // Facts of an indicator the header does not name (cannot happen
        // with the ids of every loaded set, but never dropped unsaid).
        let facts = |slots: &[Option<Cell>; 3]| -> (usize, usize) {
            let cells = slots.iter().flatten();
            (cells.clone().map(|c| c.facts).sum(), cells.count())
        };
        let hidden: usize = std::iter::once(&own)
            .chain(rows.values())
            .flat_map(|cells| cells.iter())
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
        self.write_row(info, None, &own)?;
        for (place, cells) in &rows {
            self.write_row(info, place.as_ref(), cells)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
    fn notes(&self) -> Vec<String> {
        if self.not_shown == 0 {
            return Vec::new();
        }
        let counted = if self.fact_counts {
            "the .facts columns count them"
        } else {
            "--fact-counts adds columns counting them"
        };
        vec![format!(
            "wide-csv: {} in {} shared a cell with another fact of the same indicator and status \
             ({counted}); --format csv writes every fact",
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
