//! Byte offsets ↔ LSP positions (line, UTF-16 code unit: the protocol's
//! default encoding), and file paths ↔ URIs.

use std::path::PathBuf;

use lsp_types::{Position, Range, Url};

use crate::diag::Span;

/// The LSP position of byte `offset` in `text`.
pub fn position(text: &str, offset: usize) -> Position {
    let offset = crate::diag::floor_char_boundary(text, offset);
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// The LSP range of a span.
pub fn range(text: &str, span: Span) -> Range {
    Range::new(position(text, span.start), position(text, span.end))
}

/// The byte offset of an LSP position (clamped to its line and the text).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let mut units = 0u32;
    for (i, c) in text[start..].char_indices() {
        if units >= pos.character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The source name zhibiao gives a document: its path for a `file:` URI
/// (so that imports resolve against the folder), else the URI itself.
pub fn name_of(uri: &Url) -> String {
    match uri.to_file_path() {
        Ok(p) => p.to_string_lossy().replace('\\', "/"),
        Err(()) => uri.to_string(),
    }
}

/// The URI of a source name (see [`name_of`]).
pub fn uri_of(name: &str) -> Option<Url> {
    if let Ok(u) = Url::parse(name)
        && u.scheme() != "file"
        && u.scheme().len() > 1
    {
        return Some(u);
    }
    let path = PathBuf::from(name);
    let path = if path.is_absolute() {
        path
    } else {
        std::env::current_dir().ok()?.join(path)
    };
    Url::from_file_path(path).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "ab\n高企𠀀x\n";
        let p = position(text, text.find('x').unwrap_or(0));
        assert_eq!(p, Position::new(1, 4));
        assert_eq!(offset(text, p), text.find('x').unwrap_or(0));
        assert_eq!(offset(text, Position::new(0, 99)), 2);
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
    }
}
