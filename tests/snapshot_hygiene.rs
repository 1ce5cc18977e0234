//! Every committed snapshot belongs to a test that still exists, and no
//! pending `.snap.new` file is left behind (what `cargo insta test
//! --unreferenced reject` checks, without needing cargo-insta installed).

use std::path::Path;

#[test]
fn no_orphaned_or_pending_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("tests/snapshots"), root.join("src")];
    let mut problems = Vec::new();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
                problems.push(format!("pending snapshot {}", path.display()));
                continue;
            }
            let Some(stem) = name.strip_suffix(".snap") else {
                continue;
            };
            // tests/snapshots/<test file>__<snapshot name>.snap
            let Some((file, snap)) = stem.split_once("__") else {
                continue;
            };
            let source = if path.starts_with(root.join("tests")) {
                root.join("tests").join(format!("{file}.rs"))
            } else {
                continue;
            };
            let referenced = std::fs::read_to_string(&source)
                .map(|s| s.contains(&format!("\"{snap}\"")) || s.contains(&format!("{snap},")))
                .unwrap_or(false);
            if !referenced {
                problems.push(format!("orphaned snapshot {}", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
