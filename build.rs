//! Embeds every rules/*.zb file into the binary (see src/check/builtin.rs).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=rules");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest).join("rules");
    let mut files: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str());
            if let (true, Some(name)) = (path.extension().is_some_and(|e| e == "zb"), name) {
                println!("cargo:rerun-if-changed=rules/{name}");
                files.push(name.to_string());
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Every shipped rule file: (name, text), sorted by name.\npub static BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let full = dir.join(f);
        let _ = writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            format!("rules/{f}"),
            full.to_string_lossy()
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out) {
        panic!("cannot write builtin_rules.rs: {e}");
    }
}
