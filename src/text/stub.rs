//! TEMPORARY minimal reading layer so the engine can be built in parallel;
//! replaced by the real text layer (issue 3) on merge.
#![allow(missing_docs)]

use std::ops::Range;

use rust_decimal::Decimal;

use super::{ReportMeta, Section, Unit};
use crate::diag::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Text,
    Html,
}

#[derive(Debug, Clone)]
pub struct TextWarning {
    pub code: Code,
    pub message: String,
    pub offset: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct ReadError {
    pub code: Code,
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for ReadError {}

pub struct Document {
    pub name: String,
    pub encoding: &'static str,
    pub format: SourceFormat,
    pub text: String,
    pub warnings: Vec<TextWarning>,
    pub meta: ReportMeta,
    pub sections: Vec<Section>,
}

pub fn is_clause_break(c: char) -> bool {
    matches!(c, ',' | '、' | ';' | ':' | '。' | '!' | '?' | '\n')
}
pub fn is_sentence_break(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n')
}

pub fn read_report(
    name: &str,
    bytes: &[u8],
    _format: Option<SourceFormat>,
) -> Result<Document, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError {
        code: Code::Undecodable,
        message: "not UTF-8".into(),
        help: String::new(),
    })?;
    Ok(Document {
        name: name.into(),
        encoding: "UTF-8",
        format: SourceFormat::Text,
        text: super::normalize_str(text),
        warnings: vec![],
        meta: ReportMeta::default(),
        sections: vec![],
    })
}

impl Document {
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        r
    }
    pub fn decoded_text(&self) -> &str {
        &self.text
    }
    pub fn decoded_range(&self, r: Range<usize>) -> Range<usize> {
        r
    }
    fn around(&self, pos: usize, brk: fn(char) -> bool) -> Range<usize> {
        let t = &self.text;
        let start = t[..pos]
            .rfind(brk)
            .map(|i| i + t[i..].chars().next().map_or(1, |c| c.len_utf8()))
            .unwrap_or(0);
        let end = t[pos..].find(brk).map(|i| pos + i).unwrap_or(t.len());
        start..end
    }
    pub fn sentence_at(&self, pos: usize) -> Range<usize> {
        self.around(pos, is_sentence_break)
    }
    pub fn clause_at(&self, pos: usize) -> Range<usize> {
        self.around(pos, is_clause_break)
    }
    pub fn section_at(&self, pos: usize) -> Option<&Section> {
        self.sections.iter().rev().find(|s| s.range.contains(&pos))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    Exact,
    MoreThan,
    About,
    LessThan,
    Range,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: Decimal,
    pub upper: Option<Decimal>,
    pub qualifier: Qualifier,
    pub unit: Option<Unit>,
    pub range: Range<usize>,
    pub unit_range: Option<Range<usize>>,
}

pub fn read_number(text: &str, at: usize) -> Option<Number> {
    let rest = &text[at..];
    let len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let value: Decimal = rest[..len].parse().ok()?;
    let unit = Unit::at_start(&rest[len..]);
    let unit_range = unit.map(|u| at + len..at + len + u.text.len());
    Some(Number {
        value,
        upper: None,
        qualifier: Qualifier::Exact,
        unit,
        range: at..unit_range.as_ref().map_or(at + len, |r| r.end),
        unit_range,
    })
}
