//! `-o FILE`: the output appears whole or not at all.
//!
//! Output goes to a temporary file in the target's folder
//! (`tempfile::NamedTempFile`, named `.NAME.zhibiao-PID-XXXXXX.tmp`), which
//! is renamed over the target once everything is written (`persist`), as
//! cargo and rustup write their files. Around that:
//!
//! - **The target is checked before the work**: a folder, or a folder that
//!   cannot be written, is an error before any report is read.
//! - **A target that is not a regular file is written through**, not
//!   replaced: a device (`/dev/null`, `/dev/stdout`) or a named pipe is
//!   opened and written directly; a symbolic link stays a link and the file
//!   it points to is replaced.
//! - **The target's permissions are kept** (a new file gets the usual
//!   `0666 & !umask`).
//! - **No temporary file is left behind**: it is removed when the run fails
//!   or ends early (drop), on SIGINT, SIGTERM and SIGHUP (a signal thread
//!   removes it, then the signal takes its default course); one left by a
//!   killed run (SIGKILL, power loss) is removed by the next run that writes
//!   to the same folder. A run holds a lock on its temporary file, and only
//!   an unlocked one is removed, once no process with its PID runs or it is
//!   a minute old — a live run whose PID is not visible (another PID
//!   namespace) keeps its file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Bytes of output gathered before a write: a run writes tens of MB, and
/// with the default 8 KiB it made thousands of system calls.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// A file being written for `-o`. Write to it, then [`AtomicOutput::commit`].
pub struct AtomicOutput {
    /// `None` once committed.
    inner: Option<Target>,
}

enum Target {
    /// A temporary file to be renamed to `target`.
    Temp {
        file: BufWriter<tempfile::NamedTempFile>,
        target: PathBuf,
        /// What the signal thread removes.
        pending: cleanup::Pending,
    },
    /// A device or pipe, written directly.
    Through(BufWriter<File>),
}

impl AtomicOutput {
    /// Checks `target` and opens the output: a temporary file beside it, or
    /// the target itself when it is a device or a pipe. Fails (before any
    /// work) when the target is a folder or its folder cannot be written.
    pub fn create(target: &Path) -> io::Result<AtomicOutput> {
        // `-o /dev/stdout >> log`: the name stands for a descriptor already
        // open — a file being appended to, a pipe. Replaced by a temporary
        // file, the log lost its earlier lines; resolved as a link, a pipe
        // named nothing (issue 25, item 10). Written through, appending.
        if names_open_descriptor(target) {
            let file = OpenOptions::new().append(true).open(target)?;
            return Ok(AtomicOutput {
                inner: Some(Target::Through(BufWriter::with_capacity(
                    OUTPUT_BUFFER,
                    file,
                ))),
            });
        }
        let resolved = resolve_links(target)?;
        match fs::metadata(&resolved) {
            Ok(m) if m.is_dir() => {
                return Err(io::Error::new(
                    io::ErrorKind::IsADirectory,
                    "is a folder; give a file name for the output",
                ));
            }
            Ok(m) if !m.is_file() => {
                // A device or a pipe: written through, never replaced.
                let file = OpenOptions::new().write(true).open(&resolved)?;
                return Ok(AtomicOutput {
                    inner: Some(Target::Through(BufWriter::with_capacity(
                        OUTPUT_BUFFER,
                        file,
                    ))),
                });
            }
            _ => {}
        }
        let existing = fs::metadata(&resolved).ok();
        let dir = match resolved.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = resolved
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let name = temp_stem(&name);
        remove_stale(&dir, name);
        let prefix = format!(".{name}.zhibiao-{}-", std::process::id());
        // Registered before the file exists, so that a signal at any moment
        // finds it.
        let pending = cleanup::register(&dir, &prefix);
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As `File::create` would make it (the umask applies).
            builder.permissions(fs::Permissions::from_mode(0o666));
        }
        let temp = builder
            .tempfile_in(&dir)
            .map_err(|e| about_target(e, &dir))?;
        // Held until the file is closed: another run's clean-up of stale
        // files leaves a locked one alone, whether or not it can see our
        // PID (issue 25, item 19). Where locks are not supported the PID
        // and age checks still apply.
        let _ = temp.as_file().try_lock();
        if let Some(m) = existing {
            fs::set_permissions(temp.path(), m.permissions())?;
        }
        Ok(AtomicOutput {
            inner: Some(Target::Temp {
                file: BufWriter::with_capacity(OUTPUT_BUFFER, temp),
                target: resolved,
                pending,
            }),
        })
    }

    /// Finishes the output: flushes it and renames the temporary file over
    /// the target (or flushes a device or pipe).
    pub fn commit(mut self) -> io::Result<()> {
        match self.inner.take() {
            None => Ok(()),
            Some(Target::Through(mut f)) => f.flush(),
            Some(Target::Temp {
                file,
                target,
                pending,
            }) => {
                let temp = file.into_inner().map_err(io::IntoInnerError::into_error)?;
                temp.as_file().sync_all()?;
                let persisted = temp.persist(&target).map(drop).map_err(|e| e.error);
                cleanup::unregister(&pending);
                persisted
            }
        }
    }
}

impl Drop for AtomicOutput {
    fn drop(&mut self) {
        // The temporary file itself is removed by `NamedTempFile`'s drop.
        if let Some(Target::Temp { pending, .. }) = &self.inner {
            cleanup::unregister(pending);
        }
    }
}

impl Write for AtomicOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            Some(Target::Temp { file, .. }) => file.write(buf),
            Some(Target::Through(f)) => f.write(buf),
            None => Err(io::Error::other("output already closed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            Some(Target::Temp { file, .. }) => file.flush(),
            Some(Target::Through(f)) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Follows symbolic links from `path` to the path that will be written: the
/// link's target, even one that does not exist yet. A link chain longer
/// than the system allows is an error.
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// True when `path` names a descriptor the process already has open:
/// `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`.
fn names_open_descriptor(path: &Path) -> bool {
    let Some(p) = path.to_str() else {
        return false;
    };
    let fd = |rest: &str| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit());
    p == "/dev/stdout"
        || p == "/dev/stderr"
        || p.strip_prefix("/dev/fd/").is_some_and(fd)
        || p.strip_prefix("/proc/self/fd/").is_some_and(fd)
}

/// Longest part of the target's name the temporary file's name repeats:
/// with the rest (`.` `.zhibiao-PID-XXXXXX.tmp`, under 40 bytes) a valid
/// name of 255 bytes would run over NAME_MAX (issue 25, item 24).
const TEMP_STEM_BYTES: usize = 128;

/// The part of `name` the temporary file's name repeats: at most
/// [`TEMP_STEM_BYTES`], cut at a character boundary.
fn temp_stem(name: &str) -> &str {
    &name[..crate::diag::floor_char_boundary(name, TEMP_STEM_BYTES.min(name.len()))]
}

/// Removes `.NAME.zhibiao-PID….tmp` files in `dir` left by runs that were
/// killed. A live run holds a lock on its temporary file (`File::try_lock`,
/// `flock` on Unix), so only a file nobody holds is removed — whether or
/// not its PID can be seen (another PID namespace sharing the folder) —
/// and then only when its PID no longer runs (on Linux, by /proc) or it is
/// over a minute old (a run locks its file right after creating it).
fn remove_stale(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let head = format!(".{name}.zhibiao-");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .and_then(|f| f.strip_prefix(&head))
            .and_then(|f| f.strip_suffix(".tmp"))
        else {
            continue;
        };
        let digits = rest.split('-').next().unwrap_or("");
        let Ok(pid) = digits.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || !unlocked(&entry.path()) {
            continue;
        }
        if !process_may_run(pid) || older_than(&entry, std::time::Duration::from_secs(60)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether nobody holds a lock on the file at `path` (false when it cannot
/// be opened, or the lock is taken).
fn unlocked(path: &Path) -> bool {
    match File::open(path) {
        // Taken and dropped at once: the lock goes with the file.
        Ok(f) => f.try_lock().is_ok(),
        Err(_) => false,
    }
}

/// Whether a process with `pid` may run: on Linux, by /proc; elsewhere it
/// cannot be told, and it may.
fn process_may_run(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    true
}

/// Whether the entry was last modified more than `age` ago.
fn older_than(entry: &fs::DirEntry, age: std::time::Duration) -> bool {
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|elapsed| elapsed > age)
}

/// The temporary files to remove if a signal ends the process.
mod cleanup {
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once, PoisonError};

    /// Files in `dir` whose names start with `prefix` (which holds our PID)
    /// and end in `.tmp`: registered before the file is created, so there
    /// is no moment at which a signal would miss it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) struct Pending {
        dir: PathBuf,
        prefix: String,
    }

    static PENDING: Mutex<Vec<Pending>> = Mutex::new(Vec::new());
    static HANDLER: Once = Once::new();

    pub(super) fn register(dir: &Path, prefix: &str) -> Pending {
        HANDLER.call_once(install);
        let pending = Pending {
            dir: dir.to_path_buf(),
            prefix: prefix.to_string(),
        };
        PENDING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(pending.clone());
        pending
    }

    pub(super) fn unregister(pending: &Pending) {
        PENDING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|p| p != pending);
    }

    #[cfg(unix)]
    fn remove_all() {
        for p in PENDING
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..)
        {
            let Ok(entries) = std::fs::read_dir(&p.dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with(&p.prefix) && name.ends_with(".tmp") {
                    let _ = std::fs::remove_file(entry.path());
                }
            }
        }
    }

    #[cfg(unix)]
    fn install() {
        use signal_hook::consts::{
            SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ,
        };
        // Every signal whose default course ends the process and that a
        // program may catch (issue 25, item 19: SIGQUIT, SIGUSR1 and
        // SIGXFSZ left the temporary file behind).
        let Ok(mut signals) = signal_hook::iterator::Signals::new([
            SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ,
        ]) else {
            return;
        };
        // A thread of its own waits for the signal, so the removal runs as
        // ordinary code (not in a signal handler).
        let _ = std::thread::Builder::new()
            .name("zhibiao-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    remove_all();
                    // The signal's own course: the exit status says which.
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
    }

    #[cfg(not(unix))]
    fn install() {}
}

/// An error making the temporary file, said of the output's folder: the
/// temporary name is ours, not the user's (`-o missing/facts.csv` said
/// "… at path missing/.facts.csv.zhibiao-123-x.tmp").
fn about_target(e: io::Error, dir: &Path) -> io::Error {
    let kind = e.kind();
    if kind == io::ErrorKind::NotFound && !dir.exists() {
        return io::Error::new(
            kind,
            format!(
                "the folder {} does not exist",
                crate::input::display_path(dir)
            ),
        );
    }
    let cause = e
        .get_ref()
        .and_then(|inner| inner.source())
        .map_or_else(|| e.to_string(), ToString::to_string);
    io::Error::new(
        kind,
        format!(
            "cannot create a file in {}: {cause}",
            crate::input::display_path(dir)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(target: &Path, text: &str) -> io::Result<()> {
        let mut out = AtomicOutput::create(target)?;
        out.write_all(text.as_bytes())?;
        out.commit()
    }

    fn temp_files(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn the_output_appears_whole_and_no_temporary_file_stays() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("facts.csv");
        write(&target, "a,b\n").expect("writes");
        assert_eq!(fs::read_to_string(&target).expect("read"), "a,b\n");
        // Dropped without commit: the old output stays, no temporary file.
        let mut out = AtomicOutput::create(&target).expect("create");
        out.write_all(b"half").expect("write");
        drop(out);
        assert_eq!(fs::read_to_string(&target).expect("read"), "a,b\n");
        assert!(temp_files(dir.path()).is_empty());
    }

    #[test]
    fn a_folder_is_refused_before_any_work() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = AtomicOutput::create(dir.path()).err().expect("refused");
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory);
        let missing = dir.path().join("no/such/folder/out.csv");
        assert!(AtomicOutput::create(&missing).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_pipes_and_modes_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("real.jsonl");
        fs::write(&real, "old").expect("write");
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).expect("chmod");
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink("real.jsonl", &link).expect("symlink");
        write(&link, "new").expect("writes");
        assert!(
            fs::symlink_metadata(&link)
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).expect("read"), "new");
        let mode = fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // A link to a file that does not exist yet creates that file.
        let dangling = dir.path().join("dangling.jsonl");
        std::os::unix::fs::symlink("later.jsonl", &dangling).expect("symlink");
        write(&dangling, "x").expect("writes");
        assert_eq!(
            fs::read_to_string(dir.path().join("later.jsonl")).expect("read"),
            "x"
        );
        // A named pipe (as a device would be) is written through, not
        // replaced. (Not tried on /dev/null: as root, a regression would
        // replace the machine's /dev/null.)
        let pipe = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if made.is_ok_and(|s| s.success()) {
            let reader = {
                let pipe = pipe.clone();
                std::thread::spawn(move || fs::read_to_string(pipe).expect("read the pipe"))
            };
            write(&pipe, "through").expect("writes");
            assert_eq!(reader.join().expect("reader"), "through");
            assert!(!fs::metadata(&pipe).expect("meta").is_file());
        }
        assert!(temp_files(dir.path()).is_empty());
    }

    #[test]
    fn stale_temporary_files_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        // PID 0 never names a user process; the old name had no suffix.
        for stale in [".facts.csv.zhibiao-0.tmp", ".facts.csv.zhibiao-0-ab12.tmp"] {
            fs::write(dir.path().join(stale), "x").expect("write");
        }
        let mine = format!(".facts.csv.zhibiao-{}-keep.tmp", std::process::id());
        fs::write(dir.path().join(&mine), "x").expect("write");
        fs::write(dir.path().join(".other.zhibiao-0.tmp"), "x").expect("write");
        // A live run whose PID we cannot see (PID 0 here) holds its lock:
        // kept (issue 25, item 19).
        let live = dir.path().join(".facts.csv.zhibiao-0-live.tmp");
        fs::write(&live, "x").expect("write");
        let held = File::open(&live).expect("open");
        held.try_lock().expect("lock");
        if Path::new("/proc/self").exists() {
            write(&dir.path().join("facts.csv"), "ok").expect("writes");
            let mut left = temp_files(dir.path());
            left.sort();
            assert_eq!(
                left,
                [
                    ".facts.csv.zhibiao-0-live.tmp".to_string(),
                    mine,
                    ".other.zhibiao-0.tmp".to_string()
                ]
            );
        }
        drop(held);
    }
}
