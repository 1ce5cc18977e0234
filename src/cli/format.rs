//! Which output format `run` writes: `--format`, else the extension of
//! `-o`, else a table on a terminal and JSON Lines anywhere else.
//!
//! `-o facts.csv` used to write JSON Lines into the `.csv` (the default for
//! anything not a terminal) — a file a spreadsheet then showed as one column
//! of braces. The extension now decides when `--format` is absent, and a
//! `--format` that contradicts the extension is an error (ZB0710) rather
//! than a file whose name lies about its contents.

use std::path::Path;

use super::OutputFormat;
use crate::diag::{Code, Diagnostic};

/// The formats a file extension names (lower case, without the dot).
/// `None`: an extension zhibiao writes no format for.
fn formats_of(extension: &str) -> Option<&'static [OutputFormat]> {
    Some(match extension {
        "csv" => &[OutputFormat::Csv, OutputFormat::WideCsv],
        "jsonl" | "ndjson" => &[OutputFormat::Jsonl],
        "json" => &[OutputFormat::Json],
        _ => return None,
    })
}

/// The name of a format as `--format` takes it.
pub fn format_name(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Jsonl => "jsonl",
        OutputFormat::Json => "json",
        OutputFormat::Csv => "csv",
        OutputFormat::WideCsv => "wide-csv",
        OutputFormat::Table => "table",
    }
}

/// Decides the format of `run`'s output.
///
/// - `--format` given and `-o` has an extension that names formats: the
///   format must be one of them (`.csv` takes `csv` or `wide-csv`);
///   `--format` given otherwise: that format.
/// - no `--format`, `-o` given: the extension's first format; a file with no
///   extension gets JSON Lines (the pipe default); an extension that names
///   no format is an error, so that `-o facts.xlsx` does not fill a file
///   with something else.
/// - neither: a table when stdout is a terminal, else JSON Lines.
pub fn choose_format(
    format: Option<OutputFormat>,
    output: Option<&Path>,
    stdout_is_terminal: bool,
) -> Result<OutputFormat, Diagnostic> {
    let Some(output) = output else {
        return Ok(format.unwrap_or(if stdout_is_terminal {
            OutputFormat::Table
        } else {
            OutputFormat::Jsonl
        }));
    };
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let named = extension.as_deref().map(formats_of);
    match (format, named) {
        (Some(f), Some(Some(fits))) if !fits.contains(&f) => {
            let ext = extension.as_deref().unwrap_or_default();
            Err(Diagnostic::new(
                Code::OutputFormatMismatch,
                format!(
                    "--format {} does not fit the file name {}: .{ext} is {}",
                    format_name(f),
                    crate::input::display_path(output),
                    fits.iter()
                        .map(|f| format_name(*f))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            )
            .with_help(format!(
                "leave out --format to write {}, or name the file for {} (e.g. {})",
                format_name(fits[0]),
                format_name(f),
                crate::input::display_path(&output.with_extension(suggested_extension(f)))
            )))
        }
        (Some(f), _) => Ok(f),
        (None, Some(Some(fits))) => Ok(fits[0]),
        (None, None) => Ok(OutputFormat::Jsonl),
        (None, Some(None)) => Err(Diagnostic::new(
            Code::OutputFormatMismatch,
            format!(
                "cannot tell the output format from the file name {}",
                crate::input::display_path(output)
            ),
        )
        .with_help(
            "use .csv, .jsonl (or .ndjson) or .json, or say the format: --format csv|wide-csv|jsonl|json|table",
        )),
    }
}

/// The extension that names `format` (a table goes in a `.txt`).
fn suggested_extension(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Jsonl => "jsonl",
        OutputFormat::Json => "json",
        OutputFormat::Csv | OutputFormat::WideCsv => "csv",
        OutputFormat::Table => "txt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OutputFormat::*;

    fn choose(format: Option<OutputFormat>, out: Option<&str>) -> Result<OutputFormat, Code> {
        choose_format(format, out.map(Path::new), false).map_err(|d| d.code)
    }

    #[test]
    fn the_extension_decides_without_format() {
        assert_eq!(choose(None, Some("facts.csv")), Ok(Csv));
        assert_eq!(choose(None, Some("out/FACTS.CSV")), Ok(Csv));
        assert_eq!(choose(None, Some("facts.jsonl")), Ok(Jsonl));
        assert_eq!(choose(None, Some("facts.ndjson")), Ok(Jsonl));
        assert_eq!(choose(None, Some("facts.json")), Ok(Json));
        assert_eq!(choose(None, Some("facts")), Ok(Jsonl));
        assert_eq!(
            choose(None, Some("facts.xlsx")),
            Err(Code::OutputFormatMismatch)
        );
    }

    #[test]
    fn a_format_must_fit_the_extension() {
        assert_eq!(choose(Some(WideCsv), Some("wide.csv")), Ok(WideCsv));
        assert_eq!(choose(Some(Csv), Some("facts.csv")), Ok(Csv));
        assert_eq!(
            choose(Some(Jsonl), Some("x.csv")),
            Err(Code::OutputFormatMismatch)
        );
        assert_eq!(
            choose(Some(Csv), Some("x.json")),
            Err(Code::OutputFormatMismatch)
        );
        assert_eq!(
            choose(Some(Table), Some("x.jsonl")),
            Err(Code::OutputFormatMismatch)
        );
        // An extension that names no format takes any --format.
        assert_eq!(choose(Some(Table), Some("facts.txt")), Ok(Table));
        assert_eq!(choose(Some(Csv), Some("facts")), Ok(Csv));
    }

    #[test]
    fn without_a_file_the_terminal_decides() {
        assert_eq!(choose_format(None, None, true).ok(), Some(Table));
        assert_eq!(choose_format(None, None, false).ok(), Some(Jsonl));
        assert_eq!(choose_format(Some(Csv), None, true).ok(), Some(Csv));
    }
}
