//! Output: facts as records, and sinks that write them.
//!
//! The engine knows no formats; the `run` command turns each report's facts
//! into [`FactRecord`]s (original-file offsets, evidence text, province)
//! and pushes them into a [`FactSink`]. Each format is one sink.

pub mod atomic;
mod csv_sink;
mod json_sink;
mod table_sink;

pub use csv_sink::{
    CSV_COLUMNS, CsvSink, WIDE_STATUSES, WIDE_SUFFIXES, WideCsvSink, WideOptions, wide_header,
};
pub use json_sink::{JsonArraySink, JsonlSink, jsonl_lines};
pub use table_sink::{MAX_TABLE_ROWS, TableSink, qualifier_word};

use std::io;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Serialize, Serializer};

use crate::engine::resolve::evidence_range;
use crate::engine::{Fact, Scope};
use crate::syntax::ast::Status;
use crate::text::{Document, Qualifier};

/// Longest evidence text, in characters.
pub const EVIDENCE_CHARS: usize = 160;

/// One fact as written out: the output contract (design.md) plus province,
/// region and the number's qualifier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactRecord {
    /// The report's path as given.
    pub doc: String,
    /// Indicator id from the catalog.
    pub indicator: String,
    /// Value in the indicator's unit.
    #[serde(serialize_with = "decimal_as_number")]
    pub value: Decimal,
    /// The indicator's unit.
    pub unit: &'static str,
    /// actual / estimate / target.
    pub status: Status,
    /// The year the figure is for.
    pub year: Option<i32>,
    /// `"1-10"` for 1—10月, null for a whole year.
    pub months: Option<String>,
    /// Qualified rule name.
    pub rule: String,
    /// Byte offset of the match in the original file.
    pub start: usize,
    /// Byte offset one past the match in the original file.
    pub end: usize,
    /// The sentence the fact was read from (normalized, clipped).
    pub evidence: String,
    /// exact / morethan / about / lessthan / range.
    pub qualifier: Qualifier,
    /// Upper end of a range.
    #[serde(serialize_with = "opt_decimal_as_number")]
    pub upper: Option<Decimal>,
    /// The report's province: the one whose rules ran, else the one the
    /// gazetteer found (null when neither is known).
    pub province: Option<String>,
    /// Region found in the report.
    pub region: Option<String>,
    /// The rule set that ran: a province's, or `common` when none fitted.
    pub rule_set: String,
    /// The region's six-digit division code (GB/T 2260, 统计用区划代码): a
    /// development zone's is the code of the division it lies in.
    pub adcode: Option<String>,
    /// Which evidence placed the region: `issuer`, `title`, `text`, `url`,
    /// `manifest` or `path` (docs/output.md).
    pub region_source: Option<String>,
    /// The indicator's name (高新技术企业总数), from the rule files.
    pub indicator_name: String,
    /// The line of the original file where the match starts (1-based).
    pub line: usize,
    /// The column of that line (1-based, in characters).
    pub column: usize,
    /// The evidence as it stands in the source, before normalization
    /// (markup tags left out): what a search in the file finds.
    pub evidence_original: String,
    /// Whose figure it is: `own`, `part` (a named part of the region:
    /// 其中，某县…) or `wider` (全省, 全国) — written only with
    /// `--all-regions` (without it every fact is the report's own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
    /// Where the number stands in `evidence` (bytes), for the table to keep
    /// it in view and highlight it. Not part of the written record.
    #[serde(skip)]
    pub evidence_number: Option<std::ops::Range<usize>>,
}

fn decimal_as_number<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let d = d.normalize();
    if d.scale() == 0
        && let Some(i) = d.to_i64()
    {
        return s.serialize_i64(i);
    }
    match d.to_f64() {
        Some(f) => s.serialize_f64(f),
        None => s.serialize_str(&d.to_string()),
    }
}

fn opt_decimal_as_number<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => decimal_as_number(d, s),
        None => s.serialize_none(),
    }
}

/// What `run` knows about one report besides its facts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportInfo {
    /// Path as given.
    pub doc: String,
    /// Province whose rules ran.
    pub province: Option<String>,
    /// Region found.
    pub region: Option<String>,
    /// Name of the rule set that ran.
    pub rule_set: String,
    /// The report's year.
    pub year: Option<i32>,
    /// The region's division code.
    pub adcode: Option<String>,
    /// Which evidence placed the region (issuer, title, text, url,
    /// manifest, path).
    pub region_source: Option<String>,
}

/// Builds the records for one report's facts (`indicator_name` is left
/// empty: the caller knows the rule set's names).
pub fn records(
    doc: &Document,
    info: &ReportInfo,
    facts: &[Fact],
    rule_name: impl Fn(usize) -> String,
) -> Vec<FactRecord> {
    facts
        .iter()
        .map(|f| {
            let original = doc.original_range(f.span.clone());
            let ev = evidence_range(doc, f, EVIDENCE_CHARS);
            let raw = &doc.text[ev.clone()];
            let evidence = raw.trim();
            let from = ev.start + (raw.len() - raw.trim_start().len());
            let (line, column) = doc.line_column(f.span.start).unwrap_or((0, 0));
            let evidence_original = doc
                .original_text(from..from + evidence.len())
                .map(|t| t.trim().to_string())
                .unwrap_or_default();
            let evidence_number = (f.number_span.start >= from
                && f.number_span.end <= from + evidence.len())
            .then(|| f.number_span.start - from..f.number_span.end - from);
            let (scope, place) = scoped(doc, info, f);
            let (region, adcode, region_source) = match place {
                Some(p) => (p.region, p.adcode, Some("text".to_string())),
                None => (
                    info.region.clone(),
                    info.adcode.clone(),
                    info.region_source.clone(),
                ),
            };
            FactRecord {
                doc: info.doc.clone(),
                indicator: f.indicator.clone(),
                value: f.value,
                unit: f.unit,
                status: f.status,
                year: f.year,
                months: f.months.clone(),
                rule: rule_name(f.rule),
                start: original.start,
                end: original.end,
                evidence: evidence.to_string(),
                qualifier: f.qualifier,
                upper: f.upper,
                province: info.province.clone(),
                region,
                rule_set: info.rule_set.clone(),
                adcode,
                region_source,
                indicator_name: String::new(),
                line,
                column,
                evidence_original,
                scope,
                evidence_number,
            }
        })
        .collect()
}

/// A fact's scope as written (only with `--all-regions`: `doc.keep_parts`),
/// and the place of a part or wider area (`None` for the report's own).
fn scoped(
    doc: &Document,
    info: &ReportInfo,
    f: &Fact,
) -> (Option<&'static str>, Option<crate::province::ScopedPlace>) {
    if !doc.keep_parts {
        return (None, None);
    }
    let place = match &f.scope {
        Scope::Own => None,
        Scope::Part { place } => Some(crate::province::part_region(
            info.province.as_deref(),
            info.region.as_deref(),
            info.adcode.as_deref(),
            doc.text.get(place.clone()).unwrap_or_default(),
        )),
        Scope::Wider { word } => {
            let nation = crate::lexicon::Lexicon::shipped()
                .words(crate::lexicon::Role::Nation)
                .any(|w| word.starts_with(w));
            Some(crate::province::wider_region(
                info.province.as_deref(),
                nation,
            ))
        }
    };
    (Some(f.scope.as_str()), place)
}

/// Where facts go. One implementation per output format.
///
/// Reports arrive in a stable order. A report's records may come in several
/// parts (a very large report is written block by block as it is matched),
/// each through [`FactSink::facts`], followed by one [`FactSink::end_report`].
pub trait FactSink {
    /// Writes some records of the report `info` (in text order).
    fn facts(&mut self, info: &ReportInfo, records: &[FactRecord]) -> io::Result<()>;
    /// Closes the report `info` after all its records (the wide CSV writes
    /// its row here; line formats have nothing left to do).
    fn end_report(&mut self, _info: &ReportInfo) -> io::Result<()> {
        Ok(())
    }
    /// Writes some records of the report `info`, already encoded by
    /// [`jsonl_lines`] on the thread that matched them. Only the JSON Lines
    /// sink takes them; the others refuse.
    fn lines(&mut self, _info: &ReportInfo, _lines: &[u8]) -> io::Result<()> {
        Err(io::Error::other(
            "this output format takes records, not encoded lines",
        ))
    }
    /// Writes one whole report: its records, then its end.
    fn report(&mut self, info: &ReportInfo, records: &[FactRecord]) -> io::Result<()> {
        self.facts(info, records)?;
        self.end_report(info)
    }
    /// Writes what remains (closing brackets, buffered tables) and flushes.
    fn finish(&mut self) -> io::Result<()>;
    /// What the reader of the output should know that the output cannot
    /// say itself (the wide CSV: how many facts shared a cell), for the
    /// run to print on stderr after [`FactSink::finish`].
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// How the CSVs and the table write status and qualifier (`run --labels`).
/// JSON keeps the contract's English words whatever is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Labels {
    /// The contract's words: `actual`, `estimate`, `target`; `exact`,
    /// `morethan`, `about`, `lessthan`, `range`; column names by id.
    #[default]
    En,
    /// Chinese: 实际, 预计, 目标; 精确, 以上, 约, 不足, 区间; the wide CSV's
    /// columns by indicator name (高新技术企业总数(实际)).
    Zh,
}

impl Labels {
    /// The status as written in this language.
    pub fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Labels::En, s) => s.as_str(),
            (Labels::Zh, Status::Actual) => "实际",
            (Labels::Zh, Status::Estimate) => "预计",
            (Labels::Zh, Status::Target) => "目标",
        }
    }

    /// The qualifier as written in this language (the CSV's cell; the
    /// table writes [`qualifier_word`], empty for an exact figure).
    pub fn qualifier(self, q: Qualifier) -> &'static str {
        match (self, q) {
            (Labels::En, Qualifier::Exact) => "exact",
            (Labels::En, Qualifier::MoreThan) => "morethan",
            (Labels::En, Qualifier::About) => "about",
            (Labels::En, Qualifier::LessThan) => "lessthan",
            (Labels::En, Qualifier::Range) => "range",
            (Labels::Zh, Qualifier::Exact) => "精确",
            (Labels::Zh, q) => qualifier_word(q),
        }
    }
}

/// The UTF-8 byte order mark, written first in CSV files so that Excel
/// reads them as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
