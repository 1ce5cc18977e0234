//! Guards run before pest: a rule file that is too large or nested too deeply
//! gets one clear ZB0102 instead of a slow parse or a stack overflow.
//!
//! Pest parses recursively (one set of frames per bracket level), and so do
//! the checker's walks over the AST; bounding bracket depth here bounds the
//! depth of every later recursion over one file's patterns.

use crate::diag::{Code, Diagnostic, FileId, Span};

/// Largest rule file accepted, in bytes (4 MiB).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Deepest nesting of `(`, `[` and `{` accepted.
pub const MAX_NESTING: usize = 64;

/// Most `!` in a row in front of one pattern.
pub const MAX_NOT_CHAIN: usize = 8;

/// Returns a ZB0102 diagnostic when `text` is too large or too deeply nested.
pub fn check(file: FileId, text: &str) -> Option<Diagnostic> {
    if text.len() > MAX_FILE_BYTES {
        return Some(
            Diagnostic::new(
                Code::TooComplex,
                format!(
                    "the rule file is {} bytes long; the limit is {} bytes (4 MiB)",
                    text.len(),
                    MAX_FILE_BYTES
                ),
            )
            .with_label(file, Span::new(0, 0), "file starts here")
            .with_help("split the rules into several files and `import` them"),
        );
    }
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                // Skip a string literal (escapes included); stop at a line end
                // so that an unterminated string does not hide the rest.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(
                        Diagnostic::new(
                            Code::TooComplex,
                            format!("brackets are nested more than {MAX_NESTING} deep"),
                        )
                        .with_label(file, Span::new(i, i + 1), "this bracket is too deep")
                        .with_help("flatten the pattern, or give parts of it a name with `let`"),
                    );
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if b == b'!' {
            nots += 1;
            if nots > MAX_NOT_CHAIN {
                return Some(
                    Diagnostic::new(
                        Code::TooComplex,
                        format!("more than {MAX_NOT_CHAIN} `!` in a row"),
                    )
                    .with_label(file, Span::new(i, i + 1), "too many `!`")
                    .with_help("one `!` says \"not followed by\"; two cancel out"),
                );
            }
        } else if !b.is_ascii_whitespace() {
            nots = 0;
        }
        i += 1;
    }
    None
}
