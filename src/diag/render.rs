//! Rendering [`Diagnostic`]s at the edge: miette reports for people, JSON
//! objects for editors and CI.
//!
//! We build miette's labels by hand from byte spans (pest's own adapter counts
//! columns in bytes, which breaks on Chinese). Colour and width are chosen by
//! the caller, so snapshot tests render with a fixed, colourless theme.
//!
//! Rendering is linear in what is shown, not in the source: the source is
//! borrowed, lines and columns come from the source's [`LineIndex`], and a
//! snippet is a window of at most a few hundred bytes around its label
//! (`Snippets`), whatever the length of the line it sits on.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};
use serde::Serialize;

use super::{Diagnostic, LineIndex, Severity, Sources, ceil_char_boundary, floor_char_boundary};

/// A diagnostic joined with its source text, ready for miette.
struct MietteView<'a> {
    message: String,
    code: &'static str,
    severity: miette::Severity,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<Snippets<'a>>,
}

impl fmt::Debug for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for MietteView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MietteView<'_> {}

impl miette::Diagnostic for MietteView<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
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

/// Most bytes of a label shown: a label over a 70,000-character line made
/// miette panic ("Formatting argument out of range", its columns are
/// 16-bit), and nobody reads an underline that long.
const MAX_LABEL_BYTES: usize = 600;

/// Most bytes of a line shown before a label's start and after its end.
const CONTEXT_BYTES: usize = 240;

/// Largest span a snippet is read for. miette merges the snippets of
/// labels close together; refusing larger spans keeps far-apart labels on
/// one long line in snippets of their own.
const MAX_SNIPPET_BYTES: usize = 4 * 1024;

/// The source as miette sees it: borrowed (not copied per diagnostic),
/// lines found through the source's [`LineIndex`] (not by scanning from the
/// file's start per snippet), each snippet clipped to a window around its
/// span, and columns in the snippet header counted in characters (miette
/// counts bytes: `1:25` for the 17th character of a Chinese line).
struct Snippets<'a> {
    name: &'a str,
    text: &'a str,
    index: &'a LineIndex,
}

impl miette::SourceCode for Snippets<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'b> + 'b>, miette::MietteError> {
        let text = self.text;
        if span.offset() > text.len() || span.len() > MAX_SNIPPET_BYTES {
            return Err(miette::MietteError::OutOfBounds);
        }
        let start = floor_char_boundary(text, span.offset());
        let end = floor_char_boundary(text, (span.offset() + span.len()).max(start));
        let index = self.index;
        let first = index.line_of(start).saturating_sub(context_lines_before);
        let mut from = index.line_start(first, text);
        if from + CONTEXT_BYTES < start {
            from = ceil_char_boundary(text, start - CONTEXT_BYTES);
        }
        let last = (index.line_of(end) + context_lines_after).min(index.line_count() - 1);
        let mut to = index.line_end(last, text).max(end);
        if to > end + CONTEXT_BYTES {
            to = floor_char_boundary(text, end + CONTEXT_BYTES);
        }
        let from_line = index.line_of(from);
        let column = if context_lines_before == 0 {
            index.chars_before(text, start)
                - index.chars_before(text, index.line_start(from_line, text))
        } else {
            0
        };
        let line_count = index.line_of(to) - from_line + 1;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            &text.as_bytes()[from..to],
            SourceSpan::new(from.into(), to - from),
            from_line,
            column,
            line_count,
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

fn view<'a>(diag: &Diagnostic, sources: &'a Sources) -> MietteView<'a> {
    let primary_file = diag.labels.first().map(|l| l.file);
    let mut labels = Vec::new();
    let mut extra_notes = Vec::new();
    for label in &diag.labels {
        let file = sources.get(label.file);
        if Some(label.file) == primary_file {
            let start = floor_char_boundary(&file.text, label.span.start);
            let end = floor_char_boundary(
                &file.text,
                label.span.end.max(start).min(start + MAX_LABEL_BYTES),
            );
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
        Snippets {
            name: &f.name,
            text: &f.text,
            index: sources.line_index(id),
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{Code, Span};

    fn render(text: &str, spans: &[(usize, usize)]) -> String {
        let mut sources = Sources::new();
        let id = sources.add("r.txt", text);
        let mut d = Diagnostic::new(Code::ExplainNearMiss, "here");
        for (i, &(s, e)) in spans.iter().enumerate() {
            d = d.with_label(id, Span::new(s, e), format!("label {i}"));
        }
        render_human(&d, &sources, RenderOptions::default())
    }

    #[test]
    fn a_label_on_a_line_of_70000_characters_is_clipped() {
        let line = "高".repeat(70_000);
        let text = format!("第一行\n{line}新增企业12家{line}\n末行");
        let at = text.find("12家").expect("label");
        let out = render(&text, &[(at, at + 5)]);
        assert!(out.contains("12家"), "{out}");
        assert!(out.contains(":2:70005"), "column in characters: {out}");
        assert!(out.len() < 4_000, "{} bytes", out.len());
        // A label as long as the line, and labels far apart on it.
        let out = render(&text, &[(4, text.len() - 7)]);
        assert!(out.len() < 4_000, "{} bytes", out.len());
        let out = render(&text, &[(4, 10), (at, at + 5)]);
        assert!(out.contains("label 0") && out.contains("label 1"), "{out}");
        assert!(out.len() < 8_000, "{} bytes", out.len());
    }

    #[test]
    fn labels_at_the_edges_render() {
        for (text, span) in [
            ("", (0, 0)),
            ("abc", (3, 3)),
            ("abc\n", (4, 4)),
            ("a\r\nb", (3, 4)),
            ("高企", (1, 2)),
            ("高企", (0, 99)),
        ] {
            let out = render(text, &[span]);
            assert!(out.contains("here"), "{text:?} {span:?}: {out}");
        }
    }
}
