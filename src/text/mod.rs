//! Reading reports: bytes in, a normalized, segmented [`Document`] out.
//!
//! `decode` (UTF-8 / BOM / UTF-16 / GB18030, said which) → `html` (a real
//! HTML tokenizer; scripts, styles and navigation dropped; blocks become line
//! breaks) → `normalize` (NFKC, dashes, zero-width and stray spaces,
//! traditional → simplified) → `segment` (sections, sentences, clauses,
//! report year and issuer). Every stage keeps an offset map, so any range of
//! the normalized text maps back to byte offsets in the original file.
//! `number` reads Chinese and Arabic numbers with units; `units` converts.
//!
//! This layer does no matching and knows nothing of rules.

pub mod units;

// The modules below are filled in by the reading-reports work (issue 3).
// Their public API is fixed here so the engine can be written against it.

use std::ops::Range;

pub use units::{Unit, UnitKind};

/// Whether a section reports what was done or plans what will be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// 工作总结, 主要成效, 完成情况 …
    Summary,
    /// 工作计划, 工作安排, 工作思路, 工作打算, 目标任务 …
    Plan,
    /// Neither could be told.
    Unknown,
}

/// A section of a report, from a heading to the next heading of the same or
/// a higher level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading line (normalized-text offsets).
    pub heading: Range<usize>,
    /// The whole section including its heading (normalized-text offsets).
    pub range: Range<usize>,
    /// 1 for 一、, 2 for (一), 3 for 1. …
    pub level: u8,
    /// Summary or plan, from the heading words (inherited from the parent when silent).
    pub kind: SectionKind,
    /// A year named in the heading (2022年工作计划 → 2022).
    pub year: Option<i32>,
}

/// What the report says about itself in its title and header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportMeta {
    /// The title line, when one could be found.
    pub title: Option<String>,
    /// The year the report covers (2021年工作总结 → 2021).
    pub year: Option<i32>,
    /// The issuing body (发布机构, 来源 …), e.g. 宜兴市科学技术局.
    pub issuer: Option<String>,
    /// Summary or plan, when the title says.
    pub kind: Option<SectionKind>,
}

/// Normalizes a short string the way report text is normalized (NFKC,
/// dashes unified, zero-width characters dropped), without an offset map.
/// Rule literals are compared against normalized text, so the checker uses
/// this to find literals that can never match.
pub fn normalize_str(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkc()
        .filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}'))
        .map(|c| match c {
            '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '~' | '\u{301c}' => {
                '-'
            }
            c => c,
        })
        .collect()
}
