//! `zhibiao fmt`: every shipped and fixture rule file formats to a fixed
//! point (twice = once), means the same afterwards (same syntax tree, same
//! lint findings, same `zhibiao test` results), and the shipped rules are
//! formatted (`zhibiao fmt --check rules/`, also run by CI).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zhibiao::diag::{FileId, Sources};
use zhibiao::fmt::{format_source, without_spans};

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rule_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "zb") {
            out.push(p);
        }
    }
}

fn all_rule_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rule_files(&root.join("rules"), &mut files);
    rule_files(&root.join("tests/fixtures"), &mut files);
    files
}

#[test]
fn formatting_twice_is_formatting_once_and_keeps_the_tree() {
    let files = all_rule_files();
    let mut formatted = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).expect("read");
        let (Some(before), diags) = zhibiao::syntax::parse(FileId(0), &text) else {
            // Fixtures with syntax errors are refused, never formatted.
            assert!(
                format_source(FileId(0), &text).is_err(),
                "{}",
                path.display()
            );
            continue;
        };
        if diags.iter().any(|d| d.is_error()) {
            continue;
        }
        let once =
            format_source(FileId(0), &text).unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        let twice = format_source(FileId(0), &once).expect("format again");
        assert_eq!(once, twice, "{}: not idempotent", path.display());
        let (after, _) = zhibiao::syntax::parse(FileId(0), &once);
        let after = after.expect("formatted file parses");
        assert_eq!(
            without_spans(&before),
            without_spans(&after),
            "{}: meaning changed",
            path.display()
        );
        formatted += 1;
    }
    assert!(formatted >= 30, "only {formatted} rule files formatted");
}

/// What a folder of rule files lints and tests to, with places left out
/// (they move when lines are re-laid): each diagnostic's code, message and
/// the text under its first label; each example's rule, text and outcome.
fn meaning(dir: &Path) -> (Vec<String>, BTreeMap<String, String>) {
    let mut sources = Sources::new();
    let (files, load) = zhibiao::check::load_paths(&[dir.to_path_buf()], &mut sources);
    assert!(load.is_empty(), "{load:?}");
    let linted = zhibiao::workspace::lint_sources(&sources, &files, false);
    let mut diags: Vec<String> = linted
        .diagnostics
        .iter()
        .map(|d| {
            let under = d.labels.first().map_or(String::new(), |l| {
                let text = &sources.get(l.file).text;
                text.get(l.span.start..l.span.end)
                    .unwrap_or("")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            });
            let message = d.message.replace(&dir.display().to_string(), "<dir>");
            format!("{} {message} [{under}]", d.code.as_str())
        })
        .collect();
    diags.sort();
    let mut examples = BTreeMap::new();
    if !linted.checked.has_errors() && !linted.programs.is_empty() {
        for r in zhibiao::explain::examples::run_examples(&linted.checked.sets, &linted.programs) {
            let text = &sources.get(r.file).text[r.span.start..r.span.end];
            examples.insert(
                format!("{} {}", r.rule, text),
                format!("passed={} todo={}", r.passed, r.todo),
            );
        }
    }
    (diags, examples)
}

fn copy_formatted(from: &Path, to: &Path) -> usize {
    let mut changed = 0;
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let p = e.expect("entry").path();
        let target = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            changed += copy_formatted(&p, &target);
        } else {
            let bytes = std::fs::read(&p).expect("read");
            let out = match std::str::from_utf8(&bytes) {
                Ok(text) if p.extension().is_some_and(|e| e == "zb") => {
                    format_source(FileId(0), text).map_or(bytes.clone(), String::into_bytes)
                }
                _ => bytes.clone(),
            };
            changed += usize::from(out != bytes);
            std::fs::write(&target, out).expect("write");
        }
    }
    changed
}

#[test]
fn formatted_rules_lint_and_test_the_same() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut changed = 0;
    for dir in [
        "rules",
        "tests/fixtures/lint",
        "tests/fixtures/explain",
        "tests/fixtures/run",
        "tests/fixtures/cli/rules",
    ] {
        let copy = tmp.path().join(dir);
        changed += copy_formatted(&root.join(dir), &copy);
        // ZB0324 is about how `……` is written (two gaps that look like
        // one); the formatter writes them apart (`… …`), which means the
        // same and answers the lint, so that finding may go.
        let style = |d: Vec<String>| -> Vec<String> {
            d.into_iter().filter(|f| !f.starts_with("ZB0324")).collect()
        };
        let (d0, e0) = meaning(&root.join(dir));
        let (d1, e1) = meaning(&copy);
        let (d0, d1) = (style(d0), style(d1));
        assert_eq!(d0, d1, "{dir}: lint findings changed");
        assert_eq!(e0, e1, "{dir}: example results changed");
        if dir == "rules" {
            assert!(e0.len() > 100, "the shipped rules' examples ran");
        }
    }
    // The fixtures are not all in the canonical layout: the comparison
    // above compared something.
    assert!(changed >= 5, "only {changed} files changed");
}

#[test]
fn the_shipped_rules_are_formatted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, _, err) = common::zhibiao_in(root, &["fmt", "--check", "rules/"], &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains(" rule files not formatted"), "{err}");
}

#[test]
fn check_names_the_file_and_the_lines_and_fmt_rewrites_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("a.zb");
    let src = "indicator hte_total \"高新技术企业总数\" unit 家\nrule r -> hte_total { match \"高企\" N:家 // the count\n example \"高企5家\" => 5 }\n";
    std::fs::write(&file, src).expect("write");
    let (code, _, err) = common::zhibiao_in(tmp.path(), &["fmt", "--check", "a.zb"], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("ZB0720") && err.contains("a.zb is not formatted"),
        "{err}"
    );
    assert!(err.contains("-rule r -> hte_total { match"), "{err}");
    assert!(
        err.contains("+    match \"高企\" N:家 // the count"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        src,
        "--check wrote"
    );

    let (code, _, err) = common::zhibiao_in(tmp.path(), &["fmt", "a.zb"], &[]);
    assert_eq!(code, 0, "{err}");
    let out = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        out,
        "indicator hte_total \"高新技术企业总数\" unit 家\nrule r -> hte_total {\n    match \"高企\" N:家 // the count\n    example \"高企5家\" => 5\n}\n"
    );
    let (code, _, err) = common::zhibiao_in(tmp.path(), &["fmt", "--check", "."], &[]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_broken_file_is_reported_and_left_alone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("b.zb");
    std::fs::write(&file, "rule r -> {\n").expect("write");
    let (code, _, err) = common::zhibiao_in(tmp.path(), &["fmt", "b.zb"], &[]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0101"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "rule r -> {\n"
    );
}
