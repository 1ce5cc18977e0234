//! How a path is shown: as given, and never two files under one name.

use std::path::Path;

/// `path` as shown in output (`doc`) and messages. A UTF-8 path is shown as
/// is. A path that is not UTF-8 (possible on Unix) shows each byte that is
/// not part of a UTF-8 character as `\xNN` and a backslash as `\\`, so that
/// two different names never look the same (`Path::display` would turn
/// every such byte into U+FFFD).
pub fn display_path(path: &Path) -> String {
    if let Some(s) = path.to_str() {
        return s.to_string();
    }
    escape_bytes(path)
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
                out.push(c);
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
    // lossily (rare, and the platform's own tools do the same).
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_are_shown_as_given() {
        assert_eq!(display_path(Path::new("报告/a b.txt")), "报告/a b.txt");
        assert_eq!(display_path(Path::new("a\\b")), "a\\b");
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
