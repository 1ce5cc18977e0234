//! Which files a command reads: paths given, folders walked.
//!
//! Folders are walked with `ignore`'s `WalkBuilder` (ripgrep's walker):
//! symbolic links are followed, a link back to a folder being walked is
//! detected and skipped (a warning) instead of walked again and again; the
//! walk is sorted by path. No `.gitignore` is consulted: reports are data,
//! often kept out of version control. Under a folder, a file is read unless
//!
//! - it is hidden (its name, or a folder's on the way, starts with `.`),
//! - its name says it is not a report ([`NOT_REPORTS`]: images, archives,
//!   office files, media, web assets, spreadsheets) — counted and reported,
//! - it is a named pipe, device or socket — skipped with an error (reading
//!   a pipe in a folder would wait for a writer; the batch goes on),
//! - `--glob`/`--type` filters leave it out (ripgrep's semantics: a glob
//!   selects, `!glob` excludes; a glob that selects a file also reads it
//!   when its extension is in [`NOT_REPORTS`]).
//!
//! A file named on the command line is always read, whatever its name. The
//! same file reached twice (`a.txt ./a.txt`, a folder and a file in it, two
//! links) is read once, under the first of its names in path order.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::WalkBuilder;
use ignore::overrides::{Override, OverrideBuilder};
use ignore::types::{Types, TypesBuilder};

use super::{Input, display_path};
use crate::diag::{Code, Diagnostic};

/// Extensions of files that are not reports, by kind, skipped when met in
/// a folder (lower case, without the dot).
pub const NOT_REPORTS: &[(&str, &[&str])] = &[
    (
        "images",
        &[
            "png", "jpg", "jpeg", "gif", "bmp", "webp", "ico", "tif", "tiff", "svg", "psd", "heic",
        ],
    ),
    (
        "archives",
        &[
            "zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "zst", "lz", "cab", "iso",
        ],
    ),
    (
        "PDFs and office files (convert them to text first)",
        &[
            "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "wps", "et",
            "dps", "rtf", "ofd", "ceb",
        ],
    ),
    (
        "spreadsheets and data, zhibiao's own output among them",
        &["csv", "tsv", "jsonl"],
    ),
    (
        "media",
        &[
            "mp3", "mp4", "avi", "mov", "wmv", "flv", "wav", "ogg", "m4a", "webm", "mkv", "swf",
        ],
    ),
    (
        "programs and libraries",
        &[
            "exe", "dll", "so", "dylib", "bin", "class", "jar", "o", "a", "obj", "lib", "pyc",
            "wasm", "apk", "dmg", "msi",
        ],
    ),
    ("fonts", &["ttf", "otf", "woff", "woff2", "eot"]),
    (
        "web assets that are never reports",
        &["css", "js", "mjs", "map"],
    ),
    ("databases", &["db", "sqlite", "mdb"]),
];

/// The file types `--type` and `--type-not` know, with their globs.
pub const TYPES: &[(&str, &[&str])] = &[
    (
        "html",
        &[
            "*.html", "*.htm", "*.shtml", "*.shtm", "*.xhtml", "*.jhtml", "*.asp", "*.aspx",
            "*.php", "*.jsp", "*.do",
        ],
    ),
    ("text", &["*.txt", "*.text"]),
    ("xml", &["*.xml"]),
];

/// Filters for the files found under folders.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// `--glob`: globs that select files (`!glob` excludes), matched as
    /// ripgrep matches them (a glob without `/` matches the file name).
    pub globs: Vec<String>,
    /// `--type`: read only files of these types ([`TYPES`]).
    pub types: Vec<String>,
    /// `--type-not`: never read files of these types.
    pub types_not: Vec<String>,
    /// Files never read (the `-o` output, which may lie in the folder).
    pub exclude: Vec<PathBuf>,
}

/// What [`collect`] found.
#[derive(Debug, Default)]
pub struct Collected {
    /// The inputs to read, sorted by path, each file once (stdin last).
    pub inputs: Vec<Input>,
    /// Errors (paths that do not exist, folders that cannot be listed, links
    /// to nothing) and warnings (link loops, pipes and devices in folders).
    pub diagnostics: Vec<Diagnostic>,
    /// Files skipped because their name says they are not reports, by
    /// extension.
    pub skipped_by_name: BTreeMap<String, usize>,
    /// Hidden files and folders skipped.
    pub skipped_hidden: usize,
}

impl Collected {
    /// How many errors: paths that count as failed inputs.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// One line saying which files were skipped by name, if any:
    /// "skipped 5 files that are not reports by their names: 3 .png, 2 .pdf".
    pub fn skipped_note(&self) -> Option<Diagnostic> {
        let total: usize = self.skipped_by_name.values().sum();
        if total == 0 {
            return None;
        }
        let mut by_count: Vec<(&String, &usize)> = self.skipped_by_name.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let list: Vec<String> = by_count
            .iter()
            .take(8)
            .map(|(ext, n)| format!("{n} .{ext}"))
            .collect();
        let more = if by_count.len() > 8 { ", …" } else { "" };
        Some(
            Diagnostic::new(
                Code::SkippedByName,
                format!(
                    "skipped {total} {} that {} not reports by {} name{}: {}{more}",
                    plural(total, "file", "files"),
                    plural(total, "is", "are"),
                    plural(total, "its", "their"),
                    plural(total, "", "s"),
                    list.join(", ")
                ),
            )
            .with_help("to read them anyway, select them: --glob '*.EXT'"),
        )
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Expands `paths` (files, folders, `-`) into the inputs to read. `Err` when
/// a filter is malformed (an unknown type, a bad glob).
pub fn collect(paths: &[PathBuf], options: &WalkOptions) -> Result<Collected, Diagnostic> {
    let overrides = build_overrides(&options.globs)?;
    let types = build_types(&options.types, &options.types_not)?;
    let exclude: HashSet<FileId> = options.exclude.iter().filter_map(|p| file_id(p)).collect();
    // `zhibiao run r/ > r/out`: the file stdout is would be read while it
    // is written (ripgrep skips it too).
    let stdout = stdout_id();
    let mut found = Collected::default();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stdin = false;
    for p in paths {
        if p.as_os_str() == "-" {
            stdin = true;
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &overrides, &types, &mut files, &mut found),
            // Named on the command line: read whatever it is (the read says
            // why it cannot be, for a device).
            Ok(_) => files.push(p.clone()),
            Err(e) => {
                let what = if std::fs::symlink_metadata(p).is_ok() {
                    format!("{}: a link to nothing ({e})", display_path(p))
                } else {
                    format!("{}: {e}", display_path(p))
                };
                found.diagnostics.push(
                    Diagnostic::new(Code::BadPath, what)
                        .with_help("give report files or folders that exist"),
                );
            }
        }
    }
    files.sort();
    let mut seen: HashSet<FileId> = HashSet::new();
    for f in files {
        // A file whose identity cannot be read is kept: its read will say why.
        match file_id(&f) {
            Some(id) if exclude.contains(&id) => {}
            Some(id) if Some(id) == stdout => {
                found.diagnostics.push(
                    Diagnostic::new(
                        Code::OutputSkipped,
                        format!(
                            "{}: skipped: it is where the output is being written",
                            display_path(&f)
                        ),
                    )
                    .with_help("write the output outside the folders read, or with -o"),
                );
            }
            Some(id) => {
                if seen.insert(id) {
                    found.inputs.push(Input::File(f));
                }
            }
            None => found.inputs.push(Input::File(f)),
        }
    }
    if stdin {
        found.inputs.push(Input::Stdin);
    }
    Ok(found)
}

fn walk(
    root: &Path,
    overrides: &Override,
    types: &Types,
    files: &mut Vec<PathBuf>,
    found: &mut Collected,
) {
    let hidden = Arc::new(AtomicUsize::new(0));
    let hidden_in_filter = Arc::clone(&hidden);
    let walker = WalkBuilder::new(root)
        .standard_filters(false)
        .follow_links(true)
        .overrides(overrides.clone())
        .types(types.clone())
        .sort_by_file_path(|a, b| a.cmp(b))
        .filter_entry(move |entry| {
            let is_hidden =
                entry.depth() > 0 && entry.file_name().as_encoded_bytes().first() == Some(&b'.');
            if is_hidden {
                hidden_in_filter.fetch_add(1, Ordering::Relaxed);
            }
            !is_hidden
        })
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found.diagnostics.push(walk_error(&e, root));
                continue;
            }
        };
        let Some(ft) = entry.file_type() else {
            continue;
        };
        if ft.is_dir() {
            continue;
        }
        let path = entry.path();
        if !ft.is_file() {
            found.diagnostics.push(
                Diagnostic::new(
                    Code::NotARegularFile,
                    format!(
                        "{}: skipped: {}, not a file",
                        display_path(path),
                        special_kind(ft)
                    ),
                )
                .with_help("name it on the command line to read it, or pipe it in with `-`"),
            );
            continue;
        }
        if let Some(ext) = not_a_report(path)
            && !overrides.matched(path, false).is_whitelist()
        {
            *found.skipped_by_name.entry(ext).or_default() += 1;
            continue;
        }
        files.push(entry.into_path());
    }
    found.skipped_hidden += hidden.load(Ordering::Relaxed);
}

/// The extension (lower case) of a file whose name says it is not a report.
fn not_a_report(path: &Path) -> Option<String> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    NOT_REPORTS
        .iter()
        .any(|(_, exts)| exts.contains(&ext.as_str()))
        .then_some(ext)
}

#[cfg(unix)]
fn special_kind(ft: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_fifo() {
        "a named pipe"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_block_device() || ft.is_char_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: std::fs::FileType) -> &'static str {
    "a special file"
}

/// A diagnostic for an entry the walk of `root` could not take.
fn walk_error(e: &ignore::Error, root: &Path) -> Diagnostic {
    // `ignore` wraps errors with the path and depth they concern.
    let mut err = e;
    let mut path = None;
    loop {
        match err {
            ignore::Error::WithPath {
                path: p,
                err: inner,
            } => {
                path.get_or_insert(p.clone());
                err = inner;
            }
            ignore::Error::WithDepth { err: inner, .. }
            | ignore::Error::WithLineNumber { err: inner, .. } => err = inner,
            _ => break,
        }
    }
    match err {
        // A link back to a folder on the way down names that folder; a link
        // to a folder above the one given (the walker checks those too:
        // it holds what is read) names it as such, not as "being read"
        // (issue 25, item 25).
        ignore::Error::Loop { ancestor, child } if ancestor.starts_with(root) => Diagnostic::new(
            Code::FileSystemLoop,
            format!(
                "{}: skipped: a link back to {}, which is already being read",
                display_path(child),
                display_path(ancestor)
            ),
        )
        .with_help("the files under it are read once, under their first path"),
        ignore::Error::Loop { ancestor, child } => Diagnostic::new(
            Code::FileSystemLoop,
            format!(
                "{}: skipped: a link to {}, a folder that holds the folder being read",
                display_path(child),
                display_path(ancestor)
            ),
        )
        .with_help("following it would read the folder being read again, under another path"),
        _ => {
            let name = path.as_deref().map(display_path).unwrap_or_default();
            let dangling = path.as_deref().is_some_and(|p| {
                std::fs::symlink_metadata(p).is_ok() && std::fs::metadata(p).is_err()
            });
            if dangling {
                Diagnostic::new(
                    Code::UnreadableReport,
                    format!("{name}: cannot read: a link to a file that does not exist"),
                )
                .with_help("check that the file exists and is readable")
            } else {
                Diagnostic::new(Code::BadPath, format!("{name}: cannot list: {err}"))
                    .with_help("check the path and its permissions")
            }
        }
    }
}

fn build_overrides(globs: &[String]) -> Result<Override, Diagnostic> {
    if globs.is_empty() {
        return Ok(Override::empty());
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let mut builder = OverrideBuilder::new(cwd);
    for g in globs {
        builder
            .add(g)
            .map_err(|e| bad_filter(format!("--glob {g}: {e}")))?;
    }
    builder
        .build()
        .map_err(|e| bad_filter(format!("--glob: {e}")))
}

fn build_types(select: &[String], negate: &[String]) -> Result<Types, Diagnostic> {
    if select.is_empty() && negate.is_empty() {
        return Ok(Types::empty());
    }
    let mut builder = TypesBuilder::new();
    for (name, globs) in TYPES {
        for g in *globs {
            builder
                .add(name, g)
                .map_err(|e| bad_filter(format!("type {name}: {e}")))?;
        }
    }
    let known: Vec<&str> = TYPES.iter().map(|(n, _)| *n).collect();
    for (names, negated) in [(select, false), (negate, true)] {
        for name in names {
            if !known.contains(&name.as_str()) {
                return Err(bad_filter(format!("unknown file type {name}"))
                    .with_help(format!("known types: {}", known.join(", "))));
            }
            if negated {
                builder.negate(name);
            } else {
                builder.select(name);
            }
        }
    }
    builder
        .build()
        .map_err(|e| bad_filter(format!("--type: {e}")))
}

fn bad_filter(message: String) -> Diagnostic {
    Diagnostic::new(Code::BadFilter, message)
        .with_help("globs as ripgrep takes them (`*.shtml`, `!*.tmp`); types: html, text, xml")
}

/// The files under `dir` (or `dir` itself, when it is a file) whose
/// extension is `ext`, sorted by path, each once; with diagnostics for what
/// could not be walked. Used for rule folders (`*.zb`).
pub fn files_with_extension(dir: &Path, ext: &str) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut types = TypesBuilder::new();
    let glob = format!("*.{ext}");
    let types = types
        .add(ext, &glob)
        .ok()
        .and_then(|()| types.select(ext).build().ok())
        .unwrap_or_else(Types::empty);
    let mut found = Collected::default();
    let mut files = Vec::new();
    walk(dir, &Override::empty(), &types, &mut files, &mut found);
    files.sort();
    let mut seen = HashSet::new();
    files.retain(|f| file_id(f).is_none_or(|id| seen.insert(id)));
    (files, found.diagnostics)
}

/// A file's identity: the same for every path (link, `./`) that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct FileId(u64, u64);

#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(FileId(m.dev(), m.ino()))
}

/// The identity of the file stdout writes to, when it is a regular file.
#[cfg(unix)]
fn stdout_id() -> Option<FileId> {
    let st = rustix::fs::fstat(std::io::stdout()).ok()?;
    rustix::fs::FileType::from_raw_mode(st.st_mode)
        .is_file()
        .then_some(FileId(st.st_dev as u64, st.st_ino as u64))
}

#[cfg(not(unix))]
fn stdout_id() -> Option<FileId> {
    None
}

#[cfg(not(unix))]
fn file_id(path: &Path) -> Option<FileId> {
    use std::hash::{Hash, Hasher};
    let canonical = std::fs::canonicalize(path).ok()?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    canonical.hash(&mut h);
    Some(FileId(0, h.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: &Collected, root: &Path) -> Vec<String> {
        c.inputs
            .iter()
            .map(|i| match i {
                Input::File(p) => p
                    .strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/"),
                Input::Stdin => "-".into(),
            })
            .collect()
    }

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, "x").expect("write");
        }
        dir
    }

    #[test]
    fn every_file_but_hidden_and_clearly_binary_ones_is_read() {
        let dir = tree(&[
            "a.shtml",
            "b",
            "c.PHP",
            "d.xml",
            "e.png",
            "f.pdf",
            "g.docx",
            ".hidden.txt",
            ".git/x.txt",
            "sub/h.jhtml",
            "sub/i.aspx",
        ]);
        let c = collect(&[dir.path().to_path_buf()], &WalkOptions::default()).expect("collects");
        assert_eq!(
            names(&c, dir.path()),
            [
                "a.shtml",
                "b",
                "c.PHP",
                "d.xml",
                "sub/h.jhtml",
                "sub/i.aspx"
            ]
        );
        assert_eq!(c.skipped_by_name.values().sum::<usize>(), 3);
        assert_eq!(c.skipped_hidden, 2);
        let note = c.skipped_note().expect("a note");
        assert!(note.message.contains("skipped 3 files"), "{}", note.message);
        assert!(note.message.contains("1 .docx"), "{}", note.message);
    }

    #[test]
    fn the_skipped_extensions_and_types_are_documented() {
        let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reports.md"))
            .expect("docs/reports.md");
        for (_, exts) in NOT_REPORTS {
            for ext in *exts {
                assert!(
                    doc.split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == *ext),
                    "docs/reports.md does not list .{ext}"
                );
            }
        }
        for (name, globs) in TYPES {
            let row = format!("| `{name}` | `{}` |", globs.join(" "));
            assert!(doc.contains(&row), "docs/reports.md lacks {row}");
        }
    }

    #[test]
    fn globs_and_types_filter_like_ripgrep() {
        let dir = tree(&["a.shtml", "b.txt", "c.html", "d.png", "e.tmp"]);
        let root = vec![dir.path().to_path_buf()];
        let with = |globs: &[&str], types: &[&str], not: &[&str]| {
            let o = WalkOptions {
                globs: globs.iter().map(|s| s.to_string()).collect(),
                types: types.iter().map(|s| s.to_string()).collect(),
                types_not: not.iter().map(|s| s.to_string()).collect(),
                exclude: Vec::new(),
            };
            names(&collect(&root, &o).expect("collects"), dir.path())
        };
        assert_eq!(with(&["*.shtml"], &[], &[]), ["a.shtml"]);
        assert_eq!(with(&["!*.tmp"], &[], &[]), ["a.shtml", "b.txt", "c.html"]);
        // A glob that selects a file reads it even when its name says binary.
        assert_eq!(with(&["*.png"], &[], &[]), ["d.png"]);
        assert_eq!(with(&[], &["html"], &[]), ["a.shtml", "c.html"]);
        assert_eq!(with(&[], &[], &["html"]), ["b.txt", "e.tmp"]);
        let unknown = collect(
            &root,
            &WalkOptions {
                types: vec!["pdf".into()],
                ..WalkOptions::default()
            },
        )
        .expect_err("unknown type");
        assert_eq!(unknown.code, Code::BadFilter);
    }

    #[test]
    fn one_file_named_twice_is_read_once() {
        let dir = tree(&["r/a.txt", "r/b.txt"]);
        let r = dir.path().join("r");
        let paths = vec![
            r.join("a.txt"),
            r.join(".").join("a.txt"),
            r.clone(),
            PathBuf::from("-"),
        ];
        let c = collect(&paths, &WalkOptions::default()).expect("collects");
        assert_eq!(c.inputs.len(), 3, "{:?}", c.inputs);
        assert_eq!(c.inputs.last(), Some(&Input::Stdin));
        // The -o target is never read.
        let o = WalkOptions {
            exclude: vec![r.join("b.txt")],
            ..WalkOptions::default()
        };
        let c = collect(&[r], &o).expect("collects");
        assert_eq!(names(&c, &dir.path().join("r")), ["a.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_are_walked_once() {
        let dir = tree(&["r/a.txt", "r/sub/b.txt"]);
        let r = dir.path().join("r");
        std::os::unix::fs::symlink(".", r.join("loop1")).expect("symlink");
        std::os::unix::fs::symlink("..", r.join("sub/loop2")).expect("symlink");
        let c = collect(std::slice::from_ref(&r), &WalkOptions::default()).expect("collects");
        assert_eq!(names(&c, &r), ["a.txt", "sub/b.txt"]);
        let loops = c
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::FileSystemLoop)
            .count();
        assert_eq!(loops, 2, "{:?}", c.diagnostics);
        assert_eq!(c.errors(), 0);
        let (rules, diags) = files_with_extension(&r, "txt");
        assert_eq!(rules.len(), 2);
        assert_eq!(diags.len(), 2);
        // Both go back to r, and say so.
        let back = format!("a link back to {}, which", display_path(&r));
        for d in &c.diagnostics {
            assert!(d.message.contains(&back), "{}", d.message);
        }
    }

    /// Issue 25 item 25: a link to a folder above the one being read is
    /// named as such, not as a folder "already being read".
    #[cfg(unix)]
    #[test]
    fn a_link_above_the_folder_read_is_named_as_such() {
        let dir = tree(&["top/r/a.txt"]);
        let r = dir.path().join("top/r");
        std::os::unix::fs::symlink("../..", r.join("up")).expect("symlink");
        let c = collect(std::slice::from_ref(&r), &WalkOptions::default()).expect("collects");
        assert_eq!(names(&c, &r), ["a.txt"]);
        let loops: Vec<&str> = c
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::FileSystemLoop)
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(loops.len(), 1, "{:?}", c.diagnostics);
        assert!(
            loops[0].contains("a folder that holds the folder being read")
                && !loops[0].contains("already being read"),
            "{}",
            loops[0]
        );
    }
}
