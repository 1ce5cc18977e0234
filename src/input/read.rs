//! Bounded reads: a file is never read past a limit, whatever it is.
//!
//! `fs::read` trusts the file: `/dev/zero` never ends, a pipe's size is 0,
//! a device or socket may block forever. Here the type is checked before
//! opening (folders, devices and sockets are refused without being opened),
//! a named pipe is opened without blocking (`O_NONBLOCK`; a pipe nobody
//! writes to reads as empty instead of hanging), the file type is checked
//! again on the opened handle (it may have been replaced in between), and
//! reading stops one byte past the limit.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::diag::{Code, Diagnostic};

/// Why a bounded read failed.
#[derive(Debug)]
pub enum ReadFailure {
    /// The operating system refused (missing file, permissions, …).
    Io(io::Error),
    /// Larger than the limit (`size` when known before reading).
    TooLarge {
        /// The limit in bytes.
        limit: u64,
        /// The file's size, when its metadata gave one.
        size: Option<u64>,
    },
    /// Not something that holds a file's bytes: "a folder", "a device", "a
    /// socket".
    NotAFile(&'static str),
}

impl From<io::Error> for ReadFailure {
    fn from(e: io::Error) -> Self {
        ReadFailure::Io(e)
    }
}

impl ReadFailure {
    /// The failure in a few words, for a message after the file's name.
    pub fn describe(&self) -> String {
        match self {
            ReadFailure::Io(e) => format!("cannot read: {e}"),
            ReadFailure::TooLarge { limit, size } => match size {
                Some(size) => format!("{size} bytes, more than the limit of {}", mib(*limit)),
                None => format!("larger than the limit of {}", mib(*limit)),
            },
            ReadFailure::NotAFile(what) => format!("{what}, not a file"),
        }
    }

    /// A per-report diagnostic for a report named `name`.
    pub fn report_diagnostic(&self, name: &str) -> Diagnostic {
        let message = format!("{name}: {}", self.describe());
        match self {
            ReadFailure::Io(_) => Diagnostic::new(Code::UnreadableReport, message)
                .with_help("check that the file exists and is readable"),
            ReadFailure::TooLarge { .. } => Diagnostic::new(Code::ReportTooLarge, message)
                .with_help("split the report, or check that it is a report at all"),
            ReadFailure::NotAFile(_) => Diagnostic::new(Code::NotARegularFile, message)
                .with_help("give report files or folders of them; a pipe may be read with `-`"),
        }
    }
}

/// "512 MiB", "4 MiB", "100 bytes".
fn mib(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads the file at `path`, at most `limit` bytes (a larger file is an
/// error, checked before reading when its size is known). Symbolic links are
/// followed; a named pipe is read until its writer closes it (or at once
/// when it has none); folders, devices and sockets are refused.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadFailure> {
    let file = open(path)?;
    let meta = file.metadata()?;
    let size = meta.is_file().then_some(meta.len());
    if let Some(size) = size
        && size > limit
    {
        return Err(ReadFailure::TooLarge {
            limit,
            size: Some(size),
        });
    }
    read_limited(file, limit, size.unwrap_or(0))
}

/// Reads stdin, at most `limit` bytes.
pub fn read_stdin(limit: u64) -> Result<Vec<u8>, ReadFailure> {
    read_limited(io::stdin().lock(), limit, 0)
}

/// Reads at most `limit` bytes (one more to tell that there are more).
/// `hint` sizes the buffer up front: growing by doubling would hold up to
/// twice the file.
fn read_limited(reader: impl Read, limit: u64, hint: u64) -> Result<Vec<u8>, ReadFailure> {
    let mut bytes = Vec::new();
    let capacity = hint.saturating_add(1).min(limit.saturating_add(1));
    bytes.reserve_exact(usize::try_from(capacity).unwrap_or(0));
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadFailure::TooLarge { limit, size: None });
    }
    Ok(bytes)
}

/// What a file type is, when it is not a regular file or a named pipe.
#[cfg(unix)]
fn refused(ft: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        Some("a folder")
    } else if ft.is_block_device() || ft.is_char_device() {
        Some("a device")
    } else if ft.is_socket() {
        Some("a socket")
    } else {
        None
    }
}

#[cfg(unix)]
fn open(path: &Path) -> Result<File, ReadFailure> {
    use rustix::fs::{Mode, OFlags};
    // Refused without opening: opening a device can have effects, and
    // blocks on some.
    if let Some(what) = refused(std::fs::metadata(path)?.file_type()) {
        return Err(ReadFailure::NotAFile(what));
    }
    // Without O_NONBLOCK, opening a named pipe waits for a writer, forever
    // if none comes. (On a regular file the flag changes nothing.)
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io::Error::from)?;
    let file = File::from(fd);
    // The path may have been replaced between the check and the open.
    if let Some(what) = refused(file.metadata()?.file_type()) {
        return Err(ReadFailure::NotAFile(what));
    }
    // Reads block again: a pipe with a writer is read until it closes; one
    // without a writer reads as empty at once.
    rustix::fs::fcntl_setfl(&file, OFlags::empty()).map_err(io::Error::from)?;
    Ok(file)
}

#[cfg(not(unix))]
fn open(path: &Path) -> Result<File, ReadFailure> {
    if std::fs::metadata(path)?.is_dir() {
        return Err(ReadFailure::NotAFile("a folder"));
    }
    Ok(File::open(path)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_within_the_limit_is_read_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("r.txt");
        std::fs::write(&p, "高企503家").expect("write");
        assert_eq!(
            read_bounded(&p, 100).expect("reads"),
            "高企503家".as_bytes()
        );
        assert!(matches!(
            read_bounded(&p, 4),
            Err(ReadFailure::TooLarge { size: Some(12), .. })
        ));
        assert!(matches!(
            read_bounded(dir.path(), 100),
            Err(ReadFailure::NotAFile("a folder"))
        ));
        assert!(matches!(
            read_bounded(&dir.path().join("none"), 100),
            Err(ReadFailure::Io(_))
        ));
    }

    #[test]
    fn a_reader_that_never_ends_stops_at_the_limit() {
        let endless = io::repeat(0);
        assert!(matches!(
            read_limited(endless, 1000, 0),
            Err(ReadFailure::TooLarge { size: None, .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        for dev in ["/dev/zero", "/dev/null"] {
            if Path::new(dev).exists() {
                assert!(
                    matches!(
                        read_bounded(Path::new(dev), 1 << 30),
                        Err(ReadFailure::NotAFile("a device"))
                    ),
                    "{dev}"
                );
            }
        }
    }

    #[test]
    fn sizes_read_in_mib() {
        assert_eq!(mib(512 << 20), "512 MiB");
        assert_eq!(mib(100), "100 bytes");
    }
}
