//! The annotation ("gold") format: one JSON file per report, listing the
//! facts a careful reader finds in it. Documented in docs/gold.md.
//!
//! ```json
//! {"doc": "d001.txt", "province": "江苏", "region": "江阴市", "report_year": 2019,
//!  "facts": [{"indicator": "hte_total", "value": 732, "status": "actual", "year": 2019},
//!            {"indicator": "tech_loans", "value": 1.2, "status": "actual", "months": "1-10",
//!             "optional": true}],
//!  "traps": ["每万家企业法人中高新技术企业数达122家 is a density"]}
//! ```
//!
//! A gold file belongs to the report whose file stem (name without its
//! last extension) is the stem of its `doc`.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::diag::{Code, Diagnostic, Sources, Span};

/// The annotations of one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gold {
    /// The report's file name (its stem ties the two together).
    pub doc: String,
    /// The province the report is from.
    #[serde(default)]
    pub province: Option<String>,
    /// The city or county.
    #[serde(default)]
    pub region: Option<String>,
    /// The year the report covers.
    #[serde(default)]
    pub report_year: Option<i32>,
    /// The facts in the report.
    pub facts: Vec<GoldFact>,
    /// Figures that look like indicators but are not (for people; not scored).
    #[serde(default)]
    pub traps: Vec<String>,
}

/// One annotated fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldFact {
    /// Indicator id from the catalog.
    pub indicator: String,
    /// The value in the indicator's unit.
    pub value: f64,
    /// actual / estimate / target.
    #[serde(default)]
    pub status: Option<String>,
    /// The year the figure is for, when the text fixes it.
    #[serde(default)]
    pub year: Option<i64>,
    /// "1-10" for 1—10月; absent or null for a whole year.
    #[serde(default, deserialize_with = "months_text")]
    pub months: Option<String>,
    /// Doubtful: a prediction that hits it is neither rewarded nor punished,
    /// and missing it costs nothing.
    #[serde(default)]
    pub optional: bool,
}

/// Months may be written as a string ("1-10") or, for one month, a number.
fn months_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => Some(other.to_string()),
    })
}

/// The stem of a path as score.py takes it: the base name (after the last
/// `/`) without its last extension.
pub fn stem(path: &str) -> String {
    let base = path.rsplit('/').next().unwrap_or(path);
    match base.rsplit_once('.') {
        Some((head, _)) => head.to_string(),
        None => base.to_string(),
    }
}

/// Every gold file of a folder (`*.json`, in name order), by the stem of
/// its `doc`; a later file with the same stem replaces an earlier one (a
/// ZB0615 warning names both). A
/// file that cannot be read or parsed is left out with a diagnostic
/// (labelled in `sources`); the others still load.
pub fn load_gold(dir: &Path, sources: &mut Sources) -> (IndexMap<String, Gold>, Vec<Diagnostic>) {
    let mut gold = IndexMap::new();
    let mut diags = Vec::new();
    let mut names: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::BadGold,
                    format!(
                        "{}: cannot list the gold folder: {e}",
                        crate::input::display_path(dir)
                    ),
                )
                .with_help("give the folder that holds the annotation files (*.json)"),
            );
            return (gold, diags);
        }
    };
    names.sort();
    // The file each report's annotations came from, to name both when a
    // second one names the same report.
    let mut from: std::collections::HashMap<String, PathBuf> = std::collections::HashMap::new();
    for path in names {
        match read_gold(&path, sources) {
            Ok(g) => {
                let key = stem(&g.doc);
                if let Some(earlier) = from.insert(key.clone(), path.clone()) {
                    diags.push(
                        Diagnostic::new(
                            Code::DuplicateGold,
                            format!(
                                "{} and {} both annotate the report {}: the later one is used",
                                crate::input::display_path(&earlier),
                                crate::input::display_path(&path),
                                crate::input::escape_controls(&g.doc)
                            ),
                        )
                        .with_help(
                            "merge them into one file, or remove the one that is out of date",
                        ),
                    );
                }
                gold.insert(key, g);
            }
            Err(d) => diags.push(d),
        }
    }
    (gold, diags)
}

/// Longest gold file read, in bytes.
const MAX_GOLD_BYTES: u64 = 16 << 20;

/// Reads and parses one gold file.
pub fn read_gold(path: &Path, sources: &mut Sources) -> Result<Gold, Diagnostic> {
    let name = crate::input::display_path(path);
    // Through the bounded reader, as every file a user names: a device is
    // refused unopened, a named pipe opened without waiting for a writer,
    // and nothing is read past the limit (issue 25: a pipe among the gold
    // files hung `eval`, a link to /dev/zero was read 16 MiB).
    let bytes = crate::input::read::read_bounded(path, MAX_GOLD_BYTES).map_err(|e| match e {
        crate::input::read::ReadFailure::TooLarge { .. } => {
            Diagnostic::new(Code::BadGold, format!("{name}: larger than 16 MiB"))
                .with_help("one gold file annotates one report; check that this is one")
        }
        e => Diagnostic::new(Code::BadGold, format!("{name}: {}", e.describe()))
            .with_help("check that the file exists and is UTF-8 JSON"),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::new(Code::BadGold, format!("{name}: cannot read: not UTF-8"))
            .with_help("check that the file exists and is UTF-8 JSON")
    })?;
    match serde_json::from_str::<Gold>(&text) {
        Ok(g) => Ok(g),
        Err(e) => {
            let offset = offset_of(&text, e.line(), e.column());
            let file = sources.add(name.clone(), text);
            // The label shows the place: drop serde's " at line … column …".
            let what = e.to_string();
            let what = what
                .rfind(" at line ")
                .map_or(what.as_str(), |i| &what[..i]);
            Err(Diagnostic::new(
                Code::BadGold,
                format!("not an annotation file: {what}"),
            )
            .with_label(file, Span::new(offset, offset), "here")
            .with_help(
                "a gold file is one JSON object with \"doc\" and \"facts\" (each with \"indicator\" and a numeric \"value\"); see docs/gold.md",
            ))
        }
    }
}

/// The byte offset of a 1-based line and column (serde_json counts columns
/// in bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    crate::diag::floor_char_boundary(text, start + column.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_as_score_py_takes_them() {
        assert_eq!(stem("reports/d001.txt"), "d001");
        assert_eq!(stem("a.b.html"), "a.b");
        assert_eq!(stem("noext"), "noext");
        assert_eq!(stem("dir.x/noext"), "noext");
    }

    #[test]
    fn gold_parses_with_optional_fields() {
        let g: Gold = serde_json::from_str(
            r#"{"doc": "x.txt", "facts": [{"indicator": "hte_total", "value": 5},
                {"indicator": "tech_loans", "value": 1.5, "months": "1-6", "optional": true}]}"#,
        )
        .expect("parses");
        assert_eq!(g.facts.len(), 2);
        assert!(g.facts[1].optional);
        assert_eq!(g.facts[1].months.as_deref(), Some("1-6"));
        assert_eq!(g.facts[0].status, None);
    }

    #[test]
    fn offsets_point_at_the_line_and_column() {
        let text = "{\n  \"doc\": 1\n}";
        assert_eq!(&text[offset_of(text, 2, 10)..], "1\n}");
    }
}
