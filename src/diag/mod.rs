//! Diagnostics as data: code, severity, message, labelled spans, help.
//!
//! Every stage (syntax, check, text, engine, test) reports problems as
//! [`Diagnostic`] values; nothing here knows about terminals or colours.
//! Rendering to miette (for people) or JSON (for editors and CI) happens at
//! the edge, in [`render`]. Codes come from one registry, [`codes`], so a
//! code is never reused and each has a section in docs/diagnostics.md.

pub mod codes;
pub mod lines;
pub mod render;
pub mod suggest;

pub use codes::Code;
pub use lines::LineIndex;

use std::sync::OnceLock;

use serde::Serialize;

/// Where a [`Diagnostic`]'s labels point: a byte range in one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (byte offsets).
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Index of a source (rule file or report) in a [`Sources`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct FileId(pub u32);

/// One named text a diagnostic can point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown to the user: a path as given, or `<builtin>/common.zb`.
    pub name: String,
    /// The full text (UTF-8) that spans index into.
    pub text: String,
}

/// All sources of one run, so that diagnostics can carry a small [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// Each file's line index, built on first use.
    lines: Vec<OnceLock<LineIndex>>,
}

impl Sources {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a source and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile {
            name: name.into(),
            text: text.into(),
        });
        self.lines.push(OnceLock::new());
        id
    }

    /// The source with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Looks a source up by its name.
    pub fn find(&self, name: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.name == name)
            .map(|i| FileId(i as u32))
    }

    /// Every source with its id, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// The line index of a source (built once, on first use).
    pub fn line_index(&self, id: FileId) -> &LineIndex {
        self.lines[id.0 as usize].get_or_init(|| LineIndex::new(&self.get(id).text))
    }

    /// 1-based line and column (in characters) of a byte offset in a source,
    /// from its line index: no rescan of the file per diagnostic.
    pub fn line_col(&self, id: FileId, offset: usize) -> (usize, usize) {
        self.line_index(id).line_col(&self.get(id).text, offset)
    }
}

/// The largest char boundary of `text` at or before `i` (clamped to its end).
/// (`str::floor_char_boundary` is not stable yet.)
pub fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary of `text` at or after `i` (clamped to its end).
pub fn ceil_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// 1-based line and column (counted in characters, not bytes) of `offset`.
/// Scans `text` up to `offset`: for many lookups in one text, use
/// [`Sources::line_col`] or a [`LineIndex`].
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = text[line_start..offset].chars().count() + 1;
    (line, col)
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information (explain output); never fails anything.
    Advice,
    /// Worth knowing; never fails a command unless `--deny-warnings`.
    Warning,
    /// The input cannot be used as written.
    Error,
}

/// A labelled span: "this is the place, and this is what is wrong with it".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The source the span points into.
    pub file: FileId,
    /// The exact place.
    pub span: Span,
    /// A short text shown at the place (may be empty).
    pub message: String,
}

/// A problem found by any stage, as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code from the registry.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One sentence in plain words.
    pub message: String,
    /// The places it concerns; the first is the primary one.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// Extra lines (e.g. a near-miss explanation) shown after the snippet.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity and no labels yet.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// Adds a label on `span` in `file`.
    pub fn with_label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
