//! Reading inputs: which files a command reads, and reading them safely.
//!
//! Every file a user names — reports for `run` and `explain`, rule files for
//! `lint`, `test` and `--rules`, the list of `--files-from` — is found and
//! read here, so the guarantees hold for all of them at once (the shape of
//! ripgrep's `ignore` and `grep-cli` crates):
//!
//! - **Every read is bounded** ([`read`]): a file is never read past its
//!   limit, whatever its size claims to be (`/dev/zero`, a pipe, a file
//!   growing while read). Devices and sockets are refused without reading;
//!   a named pipe is opened without waiting for a writer.
//! - **Walks end** ([`walk`]): folders are walked by `ignore`'s `WalkBuilder`,
//!   which follows symbolic links but detects loops; named pipes, devices
//!   and sockets met in a folder are skipped with a message; the same file
//!   named twice (`a.txt ./a.txt`, a folder and a file in it, two links) is
//!   read once.
//! - **Nothing is dropped silently**: files skipped because their name says
//!   they are not reports (images, archives, office files) are counted and
//!   reported; a run that reads no report at all says so.
//!
//! Nothing here knows about rules or report text; errors are
//! [`Diagnostic`]s for the CLI to print.

mod name;
pub mod read;
pub mod walk;

use std::path::{Path, PathBuf};

pub use name::{display_path, escape_controls};
pub use read::{ReadFailure, read_bounded, read_stdin};
pub use walk::{Collected, WalkOptions, collect};

use crate::diag::{Code, Diagnostic};

/// Largest report read, in bytes (512 MiB). The text layer holds about three
/// times a report's size while reading it; offsets are 32-bit.
pub const MAX_REPORT_BYTES: u64 = crate::text::MAX_REPORT_BYTES as u64;

/// Largest `--files-from` list read, in bytes (64 MiB: about a million paths).
pub const MAX_LIST_BYTES: u64 = 64 * 1024 * 1024;

/// The inputs under `paths` with no filters (`eval` and `explain`, which
/// read the reports a gold folder annotates), and the errors met on the way
/// (missing paths, unlistable folders, link loops) for the caller to print.
pub fn collect_all(paths: &[PathBuf]) -> (Vec<Input>, Vec<Diagnostic>) {
    match collect(paths, &WalkOptions::default()) {
        Ok(found) => (found.inputs, found.diagnostics),
        Err(d) => (Vec::new(), vec![d]),
    }
}

/// One input: a file path, or stdin.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// `-`: standard input.
    Stdin,
}

impl Input {
    /// The input a command-line argument names: `-` is stdin.
    pub fn from_arg(path: &Path) -> Input {
        if path.as_os_str() == "-" {
            Input::Stdin
        } else {
            Input::File(path.to_path_buf())
        }
    }

    /// The name shown in output and messages (`-` for stdin). Names that are
    /// not UTF-8 keep their bytes as `\xNN` escapes, so two different files
    /// never show under one name.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => display_path(p),
            Input::Stdin => "-".to_string(),
        }
    }

    /// The size in bytes of a regular file; `None` for stdin, pipes and
    /// anything whose size is not known before reading it.
    pub fn size_hint(&self) -> Option<u64> {
        match self {
            Input::File(p) => std::fs::metadata(p)
                .ok()
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len()),
            Input::Stdin => None,
        }
    }
}

/// Reads a report's bytes, at most [`MAX_REPORT_BYTES`]; a per-report
/// diagnostic (ZB0501, ZB0405, ZB0706) when that fails.
pub fn read_input(input: &Input) -> Result<Vec<u8>, Diagnostic> {
    let result = match input {
        Input::Stdin => read_stdin(MAX_REPORT_BYTES),
        Input::File(p) => read_bounded(p, MAX_REPORT_BYTES),
    };
    result.map_err(|failure| failure.report_diagnostic(&input.display()))
}

/// Whether stdin holds something to read: a file, pipe or socket — not a
/// terminal, and not `/dev/null` (as tests and cron jobs give). ripgrep's
/// rule (`grep_cli::is_readable_stdin`).
pub fn stdin_is_readable() -> bool {
    grep_cli::is_readable_stdin()
}

/// The paths listed in `list` (`--files-from`): one per line, `-` reads the
/// list from stdin. Empty lines are skipped and a trailing `\r` is dropped;
/// on Unix, names that are not UTF-8 keep their bytes.
pub fn read_path_list(list: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let name = display_path(list);
    let bytes = if list.as_os_str() == "-" {
        read_stdin(MAX_LIST_BYTES)
    } else {
        read_bounded(list, MAX_LIST_BYTES)
    }
    .map_err(|failure| {
        Diagnostic::new(
            Code::BadPath,
            format!("--files-from {name}: {}", failure.describe()),
        )
        .with_help("give a file that lists one report path per line, or `-` for stdin")
    })?;
    // No path holds a NUL byte: a list with one is a binary file (a
    // program, an archive), never printed back line by line.
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Err(Diagnostic::new(
            Code::BadPath,
            format!(
                "--files-from {name}: not a list of paths (a NUL byte at byte {at}: a binary file)"
            ),
        )
        .with_help("give a text file that lists one report path per line"));
    }
    Ok(bytes
        .split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line))
        .filter(|line| !line.is_empty())
        .map(path_from_bytes)
        .collect())
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dash_is_stdin() {
        assert_eq!(Input::from_arg(Path::new("-")), Input::Stdin);
        assert_eq!(
            Input::from_arg(Path::new("a.txt")),
            Input::File(PathBuf::from("a.txt"))
        );
        assert_eq!(Input::Stdin.display(), "-");
    }

    #[test]
    fn path_lists_skip_blank_lines_and_carriage_returns() {
        let dir = tempfile::tempdir().expect("tempdir");
        let list = dir.path().join("list.txt");
        std::fs::write(&list, "a.txt\r\n\nreports/b.shtml\n  c d.txt\n").expect("write");
        let paths = read_path_list(&list).expect("reads");
        assert_eq!(
            paths,
            vec![
                PathBuf::from("a.txt"),
                PathBuf::from("reports/b.shtml"),
                PathBuf::from("  c d.txt")
            ]
        );
        let missing = read_path_list(&dir.path().join("none.txt")).expect_err("missing");
        assert_eq!(missing.code, Code::BadPath);
    }
}
