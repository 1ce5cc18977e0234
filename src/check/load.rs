//! Loading rule files from disk into a [`Sources`] table.
//!
//! A path is a file or a folder (searched recursively for `*.zb`, sorted by
//! path, links followed and loops skipped: `input::walk`). Every file is
//! read bounded, no further than the 4 MiB the parser accepts. Each source is named by the user's path joined with the file's
//! place under it, so diagnostics show paths the user recognizes. Imports are
//! followed on disk too, so `zhibiao lint rules/jiangsu.zb` also reads the
//! `common.zb` it imports (checked as part of it, not as a root of its own).

use std::path::{Path, PathBuf};

use crate::diag::{Code, Diagnostic, FileId, Sources};
use crate::input::{ReadFailure, display_path, read_bounded};
use crate::syntax::MAX_FILE_BYTES;
use crate::syntax::ast::Item;

use super::paths;

/// Loads rule files and folders; returns the ids of the files named (or
/// found in the folders named), plus a diagnostic per path that could not be read.
pub fn load_paths(paths_in: &[PathBuf], sources: &mut Sources) -> (Vec<FileId>, Vec<Diagnostic>) {
    let mut ids = Vec::new();
    let mut diags = Vec::new();
    for path in paths_in {
        if path.is_dir() {
            let (found, walk_diags) = crate::input::walk::files_with_extension(path, "zb");
            diags.extend(walk_diags);
            for f in found {
                ids.extend(load_one(&f, sources, &mut diags));
            }
        } else if path.exists() {
            ids.extend(load_one(path, sources, &mut diags));
        } else {
            diags.push(
                Diagnostic::new(
                    Code::BadPath,
                    format!("no such file or folder: {}", display_path(path)),
                )
                .with_help("give a rule file (*.zb) or a folder of them"),
            );
        }
    }
    // Follow imports on disk.
    let mut i = 0;
    let mut loaded: Vec<FileId> = ids.clone();
    // Files loaded from the binary: their own imports (common.zb's
    // `import "lexicon.zb"`) are the binary's too, not files on disk.
    let mut built_in: Vec<FileId> = Vec::new();
    while i < loaded.len() {
        let id = loaded[i];
        i += 1;
        let name = sources.get(id).name.clone();
        let (ast, _) = crate::syntax::parse(id, &sources.get(id).text);
        let Some(ast) = ast else { continue };
        for item in &ast.items {
            let Item::Import(imp) = item else { continue };
            let target = paths::resolve(&name, &imp.path.value);
            let known = sources
                .iter()
                .any(|(_, f)| paths::normalize(&f.name) == target);
            if !known
                && (imp.path.value.starts_with(paths::BUILTIN_PREFIX) || built_in.contains(&id))
            {
                // `zhibiao:common.zb`: the copy built into the binary.
                if let Some((n, text)) = super::builtin::BUILTIN_RULES
                    .iter()
                    .find(|(n, _)| *n == target)
                {
                    let new = sources.add(*n, *text);
                    built_in.push(new);
                    loaded.push(new);
                }
            } else if !known && Path::new(&target).is_file() {
                let mut ignore = Vec::new();
                if let Some(new) = load_one(Path::new(&target), sources, &mut ignore) {
                    loaded.push(new);
                }
            }
        }
    }
    (ids, diags)
}

fn load_one(path: &Path, sources: &mut Sources, diags: &mut Vec<Diagnostic>) -> Option<FileId> {
    let name = display_path(path).replace('\\', "/");
    if let Some(id) = sources.find(&name) {
        return Some(id);
    }
    // Read no further than the parser accepts: a rule "file" may be
    // /dev/zero or a pipe.
    match read_bounded(path, MAX_FILE_BYTES as u64) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => {
                let text = text
                    .strip_prefix('\u{feff}')
                    .map(str::to_string)
                    .unwrap_or(text);
                Some(sources.add(name, text))
            }
            Err(_) => {
                diags.push(
                    Diagnostic::new(
                        Code::UnreadableRuleFile,
                        format!("{name} is not UTF-8 text"),
                    )
                    .with_help("save rule files as UTF-8"),
                );
                None
            }
        },
        Err(ReadFailure::TooLarge { size, .. }) => {
            let size = size.map_or_else(|| "more".to_string(), |n| n.to_string());
            diags.push(
                Diagnostic::new(
                    Code::TooComplex,
                    format!(
                        "{name}: the rule file is {size} bytes long; the limit is {MAX_FILE_BYTES} bytes (4 MiB)"
                    ),
                )
                .with_help("split the rules into several files and `import` them"),
            );
            None
        }
        Err(e) => {
            diags.push(
                Diagnostic::new(
                    Code::UnreadableRuleFile,
                    format!("{name}: {}", e.describe()),
                )
                .with_help("check the path and its permissions"),
            );
            None
        }
    }
}
