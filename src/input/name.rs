//! How a path is shown: as given, and never two files under one name.

use std::path::Path;

/// `path` as shown in output (`doc`) and messages. A UTF-8 path without
/// backslashes or control characters is shown as is. Otherwise each byte
/// that is not part of a UTF-8 character (possible on Unix) and each
/// control character (ESC, BEL, a line break: they would move a terminal's
/// cursor, set its title or clear it) is shown as `\xNN` — a control
/// character outside ASCII as `\u{NN}` — and a backslash as `\\`, so that
/// two different names never look the same (`Path::display` would turn
/// every bad byte into U+FFFD, and `a\xE9.txt` written out would read as
/// the byte E9).
pub fn display_path(path: &Path) -> String {
    if let Some(s) = path.to_str()
        && !s.contains(|c: char| c.is_control() || (c == '\\' && cfg!(unix)))
    {
        return s.to_string();
    }
    escape_bytes(path)
}

/// `text` with its control characters written as escapes (see
/// [`display_path`]): for any text from outside (a line of a
/// `--files-from` list) shown on a terminal.
pub fn escape_controls(text: &str) -> String {
    if !text.contains(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_char(&mut out, c);
    }
    out
}

/// Pushes `c` onto `out`, escaped when it is a control character.
fn push_char(out: &mut String, c: char) {
    use std::fmt::Write as _;
    if c.is_ascii_control() {
        let _ = write!(out, "\\x{:02X}", c as u32);
    } else if c.is_control() {
        let _ = write!(out, "\\u{{{:X}}}", c as u32);
    } else {
        out.push(c);
    }
}

#[cfg(unix)]
fn escape_bytes(path: &Path) -> String {
    use std::fmt::Write as _;
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\\' {
                out.push_str("\\\\");
            } else {
                push_char(&mut out, c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02X}");
        }
    }
    out
}

#[cfg(not(unix))]
fn escape_bytes(path: &Path) -> String {
    // Windows paths that are not UTF-8 hold unpaired surrogates: shown
    // lossily (rare, and the platform's own tools do the same); a
    // backslash is the separator there, shown as is.
    escape_controls(&path.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_are_shown_as_given() {
        assert_eq!(display_path(Path::new("报告/a b.txt")), "报告/a b.txt");
    }

    /// Issue 25 items 15 and 18: control characters never reach the
    /// terminal, and a backslash written in a name is told from an escaped
    /// byte.
    #[test]
    fn control_characters_and_backslashes_are_escaped() {
        assert_eq!(
            display_path(Path::new("a\u{1b}]0;x\u{7}b.txt")),
            "a\\x1B]0;x\\x07b.txt"
        );
        assert_eq!(display_path(Path::new("a\nb\u{85}")), "a\\x0Ab\\u{85}");
        assert_eq!(escape_controls("r\u{1b}[2J.txt"), "r\\x1B[2J.txt");
        #[cfg(unix)]
        assert_eq!(display_path(Path::new("a\\xE9.txt")), "a\\\\xE9.txt");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let a = Path::new(OsStr::from_bytes(b"r\xff.txt"));
        let b = Path::new(OsStr::from_bytes(b"r\xfe.txt"));
        assert_eq!(display_path(a), "r\\xFF.txt");
        assert_eq!(display_path(b), "r\\xFE.txt");
        // GBK-encoded 报告 (B1 A8 B8 E6) as a file name.
        let gbk = Path::new(OsStr::from_bytes(b"\xb1\xa8\xb8\xe6\\.txt"));
        assert_eq!(display_path(gbk), "\\xB1\\xA8\\xB8\\xE6\\\\.txt");
    }
}
