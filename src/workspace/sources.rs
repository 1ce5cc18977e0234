//! `--sources FILE`: a crawler's manifest of where each report came from.
//!
//! A CSV or TSV with a header naming `path` and `url`, optionally `title`
//! and `date`. The URL places the report (docs/output.md: `region_source`
//! `manifest`), the date gives the report's year where the text names none.
//! Rows naming files that do not exist are errors (ZB0714), labelled on
//! their row, and stop the run before any report is read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, Sources, Span};

/// What a manifest says about one report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The page's address.
    pub url: Option<String>,
    /// The page's title.
    pub title: Option<String>,
    /// The page's date as written (`2022-01-10`).
    pub date: Option<String>,
}

/// Manifest rows by the canonical path of the file they name.
#[derive(Debug, Default)]
pub struct Pages {
    by_path: HashMap<PathBuf, PageInfo>,
}

impl Pages {
    /// What the manifest says about the report at `path`, if anything.
    pub fn get(&self, path: &Path) -> Option<&PageInfo> {
        if self.by_path.is_empty() {
            return None;
        }
        let key = path.canonicalize().ok()?;
        self.by_path.get(&key)
    }
}

/// Reads a manifest; on error, every diagnostic found (with the manifest
/// as a source, so rows are labelled).
pub fn load(file: &Path) -> Result<Pages, (Vec<Diagnostic>, Sources)> {
    let mut sources = Sources::new();
    let name = crate::input::display_path(file);
    let text = match std::fs::read(file) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => {
            return Err((
                vec![
                    Diagnostic::new(Code::BadSources, format!("--sources {name}: {e}")).with_help(
                        "give a CSV or TSV file with a header `path,url` (optionally `title,date`)",
                    ),
                ],
                sources,
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let id = sources.add(name.clone(), text.clone());
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            return Err((
                vec![Diagnostic::new(
                    Code::BadSources,
                    format!("--sources {name}: {e}"),
                )],
                sources,
            ));
        }
    };
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(path_col), Some(url_col)) = (col("path"), col("url")) else {
        let span = Span::new(0, header_line.len());
        return Err((
            vec![
                Diagnostic::new(
                    Code::BadSources,
                    format!("--sources {name}: the header names no `path` or no `url` column"),
                )
                .with_label(id, span, "this header")
                .with_help(
                    "the first line must name the columns: path,url (optionally title,date)",
                ),
            ],
            sources,
        ));
    };
    let (title_col, date_col) = (col("title"), col("date"));
    let base = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let mut pages = Pages::default();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(Diagnostic::new(
                    Code::BadSources,
                    format!("--sources {name}: {e}"),
                ));
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let line_len = text[start.min(text.len())..]
            .find('\n')
            .unwrap_or(text.len() - start.min(text.len()));
        let span = Span::new(
            start,
            start + line_len.max(1).min(text.len() - start.min(text.len())),
        );
        let field = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let Some(path) = field(Some(path_col)) else {
            errors.push(
                Diagnostic::new(
                    Code::BadSources,
                    format!("--sources {name}: a row without a path"),
                )
                .with_label(id, span, "no path here")
                .with_help("give each row the report's path"),
            );
            continue;
        };
        let given = PathBuf::from(&path);
        let found = [base.join(&given), given.clone()]
            .into_iter()
            .find_map(|p| p.canonicalize().ok().filter(|p| p.is_file()));
        let Some(key) = found else {
            errors.push(
                Diagnostic::new(
                    Code::BadSources,
                    format!("--sources {name}: no file {path}"),
                )
                .with_label(id, span, "this row names a file that does not exist")
                .with_help(format!(
                    "paths are read from the manifest's folder ({}) or the current folder; fix or remove the row",
                    crate::input::display_path(&base)
                )),
            );
            continue;
        };
        pages.by_path.insert(
            key,
            PageInfo {
                url: field(Some(url_col)),
                title: field(title_col),
                date: field(date_col),
            },
        );
    }
    if errors.is_empty() {
        Ok(pages)
    } else {
        Err((errors, sources))
    }
}
