//! Rendering [`Diagnostic`]s at the edge: miette reports for people, JSON
//! objects for editors and CI.
//!
//! We build miette's labels by hand from byte spans (pest's own adapter counts
//! columns in bytes, which breaks on Chinese). Colour and width are chosen by
//! the caller, so snapshot tests render with a fixed, colourless theme.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde::Serialize;

use super::{Diagnostic, Severity, Sources, floor_char_boundary};

/// A diagnostic joined with its source text, ready for miette.
struct MietteView {
    message: String,
    code: &'static str,
    severity: miette::Severity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<CharColumns>,
}

impl fmt::Debug for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for MietteView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView {}

impl miette::Diagnostic for MietteView {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h.as_str()) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

/// A source whose snippet headers count columns in characters, like the
/// message line does (miette counts bytes, so `1:25` for the 17th character
/// of a Chinese line).
struct CharColumns(NamedSource<String>);

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let inner = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        let text = self.0.inner();
        let at = floor_char_boundary(text, inner.span().offset());
        let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
        let column = text[line_start..at].chars().count();
        let name = inner.name().unwrap_or_default().to_string();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            name,
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// Options for [`render_human`].
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Use colours (only when writing to a terminal).
    pub color: bool,
    /// Wrap width in columns.
    pub width: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            width: 100,
        }
    }
}

fn view(diag: &Diagnostic, sources: &Sources) -> MietteView {
    let primary_file = diag.labels.first().map(|l| l.file);
    let mut labels = Vec::new();
    let mut extra_notes = Vec::new();
    for label in &diag.labels {
        let file = sources.get(label.file);
        if Some(label.file) == primary_file {
            let start = floor_char_boundary(&file.text, label.span.start);
            let end = floor_char_boundary(&file.text, label.span.end.max(start));
            let text = if label.message.is_empty() {
                None
            } else {
                Some(label.message.clone())
            };
            labels.push(LabeledSpan::new_with_span(
                text,
                SourceSpan::new(start.into(), end - start),
            ));
        } else {
            let (line, col) = sources.line_col(label.file, label.span.start);
            extra_notes.push(format!("{}:{}:{}: {}", file.name, line, col, label.message));
        }
    }
    let mut help = diag.help.clone();
    let notes: Vec<String> = diag.notes.iter().cloned().chain(extra_notes).collect();
    if !notes.is_empty() {
        let joined = notes.join("\n");
        help = Some(match help {
            Some(h) => format!("{h}\n{joined}"),
            None => joined,
        });
    }
    let source = primary_file.map(|id| {
        let f = sources.get(id);
        CharColumns(NamedSource::new(f.name.clone(), f.text.clone()))
    });
    let message = match primary_file.zip(diag.labels.first()) {
        Some((id, label)) => {
            let (line, col) = sources.line_col(id, label.span.start);
            format!(
                "{}:{}:{}: {}",
                sources.get(id).name,
                line,
                col,
                diag.message
            )
        }
        None => diag.message.clone(),
    };
    MietteView {
        message,
        code: diag.code.as_str(),
        severity: match diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        },
        help,
        labels,
        source,
    }
}

/// Renders one diagnostic as miette's graphical report.
pub fn render_human(diag: &Diagnostic, sources: &Sources, options: RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(options.width);
    let mut out = String::new();
    let v = view(diag, sources);
    if handler.render_report(&mut out, &v).is_err() {
        // Rendering into a String cannot fail in practice; fall back to plain text.
        out = format!("{}: {}\n", diag.code.as_str(), v.message);
    }
    out
}

/// The JSON form of a diagnostic (`--format json`).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// Source name.
    pub file: Option<String>,
    /// 1-based line of the primary label.
    pub line: Option<usize>,
    /// 1-based column (characters) of the primary label.
    pub column: Option<usize>,
    /// Byte offsets of the primary label.
    pub start: Option<usize>,
    /// Byte offset one past the end of the primary label.
    pub end: Option<usize>,
    /// The stable code.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// The help line.
    pub help: Option<String>,
    /// Extra notes.
    pub notes: Vec<String>,
}

/// Converts a diagnostic to its JSON form.
pub fn to_json(diag: &Diagnostic, sources: &Sources) -> JsonDiagnostic {
    let primary = diag.labels.first();
    let (file, line, column, start, end) = match primary {
        Some(l) => {
            let (line, col) = sources.line_col(l.file, l.span.start);
            (
                Some(sources.get(l.file).name.clone()),
                Some(line),
                Some(col),
                Some(l.span.start),
                Some(l.span.end),
            )
        }
        None => (None, None, None, None, None),
    };
    JsonDiagnostic {
        file,
        line,
        column,
        start,
        end,
        code: diag.code.as_str(),
        severity: diag.severity,
        message: diag.message.clone(),
        help: diag.help.clone(),
        notes: diag.notes.clone(),
    }
}
