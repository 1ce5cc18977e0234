//! docs/diagnostics.md is generated from the code registry's doc text
//! (`zhibiao::diag::codes::diagnostics_markdown`); this test holds the file
//! equal to it (`UPDATE_DOCS=1` rewrites the file instead). And each code
//! names the files that raise it: held equal to where `Code::…` is used.

use std::path::{Path, PathBuf};

use zhibiao::diag::Code;
use zhibiao::diag::codes::diagnostics_markdown;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_diagnostics_is_the_registry() {
    let path = root().join("docs/diagnostics.md");
    let want = diagnostics_markdown();
    if std::env::var("UPDATE_DOCS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &want).expect("write docs/diagnostics.md");
        return;
    }
    let have = std::fs::read_to_string(&path).expect("docs/diagnostics.md");
    assert!(
        have == want,
        "docs/diagnostics.md differs from the registry (src/diag/codes.rs): \
         edit the doc text there and run `UPDATE_DOCS=1 cargo test --test diagnostics_doc`"
    );
}

/// Source files under `dir`, without their `#[cfg(test)] mod tests` and
/// without `tests.rs` files: where codes are raised, not asserted.
fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).expect("src").flatten() {
        let p = entry.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs")
            && p.file_name().is_some_and(|n| n != "tests.rs")
        {
            let text = std::fs::read_to_string(&p).expect("source");
            let text = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            let rel = p
                .strip_prefix(root().join("src"))
                .expect("under src")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, text));
        }
    }
}

#[test]
fn each_code_names_the_files_that_raise_it() {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    files.retain(|(f, _)| f != "diag/codes.rs");
    files.sort();
    for code in Code::ALL {
        let name = format!("Code::{code:?}");
        let used: Vec<&str> = files
            .iter()
            .filter(|(_, text)| {
                text.match_indices(&name).any(|(i, _)| {
                    !text[i + name.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
                })
            })
            .map(|(f, _)| f.as_str())
            .collect();
        assert_eq!(
            code.raised_in(),
            used.join(", "),
            "{}: the registry's `raised_in` differs from the files that use {name}",
            code.as_str()
        );
    }
}

#[test]
fn explain_code_prints_a_codes_page() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["explain-code", "ZB0309"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("## ZB0309 — tie between rules left to chance"),
        "{text}"
    );
    assert!(text.contains(&Code::AmbiguousPriority.page()), "{text}");
    assert!(text.contains("src/explain/ties.rs"), "{text}");
    // Lower case and without the prefix work too; an unknown code does not.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["explain-code", "zb0309"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["explain-code", "ZB0399"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ZB0712"));
}
