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

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl<W: Write> FactSink for CsvSink<W> {
    fn facts(&mut self, _info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        for r in records {
            self.out
                .write_record([
                    r.doc.clone(),
                    r.indicator.clone(),
                    r.value.normalize().to_string(),
                    r.unit.to_string(),
                    r.status.as_str().to_string(),
                    opt(&r.year),
                    opt(&r.months),
                    r.rule.clone(),
                    r.start.to_string(),
                    r.end.to_string(),
                    r.evidence.clone(),
                    serde_json::to_value(r.qualifier)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    opt(&r.upper.map(|u| u.normalize())),
                    opt(&r.province),
                    opt(&r.region),
                    r.rule_set.clone(),
                ])
                .map_err(csv_err)?;
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// One row per report, one column per indicator (the report year's actual
/// or estimated figure) and one per indicator's target (`<id>:target`).
pub struct WideCsvSink<W: Write> {
    out: csv::Writer<W>,
    indicators: Vec<String>,
    /// The current report's figures so far, per indicator.
    now: IndexMap<String, (Status, Option<i32>, Decimal)>,
    target: IndexMap<String, Decimal>,
}

impl<W: Write> WideCsvSink<W> {
    /// Writes the BOM and a header with the given indicator ids.
    pub fn new(mut out: W, indicators: Vec<String>) -> io::Result<Self> {
        out.write_all(UTF8_BOM)?;
        let mut out = csv::Writer::from_writer(out);
        let mut header = vec![
            "doc".to_string(),
            "province".into(),
            "region".into(),
            "year".into(),
        ];
        for id in &indicators {
            header.push(id.clone());
        }
        for id in &indicators {
            header.push(format!("{id}:target"));
        }
        out.write_record(&header).map_err(csv_err)?;
        Ok(WideCsvSink {
            out,
            indicators,
            now: IndexMap::new(),
            target: IndexMap::new(),
        })
    }
}

impl<W: Write> FactSink for WideCsvSink<W> {
    fn facts(&mut self, info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        // First fact wins per column, except that an actual figure for the
        // report's year replaces an estimate; in text order.
        // Keys are cloned only for an indicator's first figure.
        for r in records {
            let figure = (r.status, r.year, r.value);
            match r.status {
                Status::Target => {
                    if !self.target.contains_key(r.indicator.as_str()) {
                        self.target.insert(r.indicator.clone(), r.value);
                    }
                }
                _ => match self.now.get_mut(r.indicator.as_str()) {
                    Some(slot) => {
                        if r.status == Status::Actual
                            && slot.0 != Status::Actual
                            && r.year == info.year
                        {
                            *slot = figure;
                        }
                    }
                    None => {
                        self.now.insert(r.indicator.clone(), figure);
                    }
                },
            }
        }
        Ok(())
    }
    fn end_report(&mut self, info: &ReportInfo) -> io::Result<()> {
        let mut row = vec![
            info.doc.clone(),
            opt(&info.province),
            opt(&info.region),
            opt(&info.year),
        ];
        for id in &self.indicators {
            row.push(opt(&self.now.get(id.as_str()).map(|r| r.2.normalize())));
        }
        for id in &self.indicators {
            row.push(opt(&self.target.get(id.as_str()).map(|v| v.normalize())));
        }
        self.now.clear();
        self.target.clear();
        self.out.write_record(&row).map_err(csv_err)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
