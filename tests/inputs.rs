//! Which reports `run` reads (issue 15, items 1, 4, 5 and `--files-from`),
//! with the real binary: every file under a folder that is not hidden or
//! clearly binary by name, `--glob`/`--type`, a clear error when nothing
//! was read, stdin when piped, a short UTF-8 file with a few bad bytes.

use std::path::Path;
use std::process::Command;

mod common;

use common::{HANG_LIMIT, run_bounded, zhibiao_bounded};

const GOOD: &str = "全年新增高新技术企业68家，高企总数达到503家。";

/// The `doc` of each JSONL line, sorted and deduplicated.
fn docs(jsonl: &str) -> Vec<String> {
    let mut docs: Vec<String> = jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSONL line");
            v["doc"].as_str().unwrap_or_default().replace('\\', "/")
        })
        .collect();
    docs.sort();
    docs.dedup();
    docs
}

/// A folder of pages as government sites name them, plus files that are
/// not reports.
fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("2023")).expect("mkdir");
    let page = format!("<html><body><div class=\"article\"><p>{GOOD}</p></div></body></html>");
    for name in ["a.shtml", "b.jhtml", "c.aspx", "d.php", "2023/e.html"] {
        std::fs::write(site.join(name), &page).expect("write");
    }
    // No extension at all: a page and a text report.
    std::fs::write(site.join("content_4711"), &page).expect("write");
    std::fs::write(site.join("2023/report"), GOOD).expect("write");
    // Not reports by their names, and hidden.
    std::fs::write(site.join("logo.png"), b"\x89PNG\r\n\x1a\n").expect("write");
    std::fs::write(site.join("2023/plan.pdf"), b"%PDF-1.4").expect("write");
    std::fs::write(site.join(".cache.txt"), GOOD).expect("write");
    dir
}

#[test]
fn every_page_under_a_folder_is_read_whatever_its_extension() {
    let dir = site();
    let (code, out, err) = zhibiao_bounded(dir.path(), &["run", "--format", "jsonl", "site"], None);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        docs(&out),
        [
            "site/2023/e.html",
            "site/2023/report",
            "site/a.shtml",
            "site/b.jhtml",
            "site/c.aspx",
            "site/content_4711",
            "site/d.php",
        ]
    );
    assert!(out.contains("\"value\":503"), "{out}");
    // The skipped files are counted, by extension.
    assert!(
        err.contains("ZB0708") && err.contains("skipped 2 files") && err.contains(".png"),
        "{err}"
    );
}

#[test]
fn globs_and_types_select_files_under_folders() {
    let dir = site();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", "--format", "jsonl"];
        args.extend_from_slice(extra);
        args.push("site");
        let (code, out, err) = zhibiao_bounded(dir.path(), &args, None);
        assert_eq!(code, 0, "{extra:?}: {err}");
        docs(&out)
    };
    assert_eq!(run(&["--glob", "*.shtml"]), ["site/a.shtml"]);
    assert_eq!(run(&["-g", "!*.php", "-g", "!*.aspx"]).len(), 5);
    assert_eq!(run(&["--type", "html"]).len(), 5);
    assert_eq!(
        run(&["--type-not", "html"]),
        ["site/2023/report", "site/content_4711"]
    );
    // A file named on the command line is always read.
    let (code, out, err) = zhibiao_bounded(
        dir.path(),
        &[
            "run",
            "--format",
            "jsonl",
            "--glob",
            "*.php",
            "site/a.shtml",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(docs(&out), ["site/a.shtml"]);
    // Nothing of that type: nothing read, and said so.
    let (code, _, err) = zhibiao_bounded(dir.path(), &["run", "--type", "text", "site"], None);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ZB0705"), "{err}");
    // An unknown type is a usage error that names the known ones.
    let (code, _, err) = zhibiao_bounded(dir.path(), &["run", "--type", "pdf", "site"], None);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("ZB0709") && err.contains("html, text, xml"),
        "{err}"
    );
}

#[test]
fn a_run_that_reads_no_report_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pics = dir.path().join("pics");
    std::fs::create_dir(&pics).expect("mkdir");
    std::fs::write(pics.join("a.jpg"), b"\xff\xd8\xff").expect("write");
    std::fs::write(pics.join("b.docx"), b"PK\x03\x04").expect("write");
    std::fs::create_dir(dir.path().join("empty")).expect("mkdir");
    for folder in ["pics", "empty"] {
        let (code, out, err) =
            zhibiao_bounded(dir.path(), &["run", "--format", "csv", folder], None);
        assert_eq!(code, 2, "{folder}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("ZB0705") && err.contains(folder), "{err}");
    }
    let (_, _, err) = zhibiao_bounded(dir.path(), &["run", "pics"], None);
    assert!(err.contains("2 skipped by name"), "{err}");
}

/// Issue 15, item 4: UTF-8 with three bad bytes was read as GB18030.
#[test]
fn a_short_utf8_file_with_bad_bytes_keeps_both_facts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = "全市高新技术企业累计达88家。".as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe\x80");
    bytes.extend_from_slice("科技型中小企业入库120家。".as_bytes());
    std::fs::write(dir.path().join("mixed.txt"), &bytes).expect("write");
    let (code, out, err) =
        zhibiao_bounded(dir.path(), &["run", "--format", "jsonl", "mixed.txt"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("\"indicator\":\"hte_total\",\"value\":88"),
        "{out}"
    );
    assert!(
        out.contains("\"indicator\":\"tsme_registered\",\"value\":120"),
        "{out}"
    );
    assert!(err.contains("ZB0404") && err.contains("UTF-8"), "{err}");
}

#[test]
fn a_report_piped_into_stdin_is_read_without_a_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, out, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl"],
        Some(GOOD.as_bytes().to_vec()),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(docs(&out), ["-"]);
    assert!(out.contains("\"value\":503"), "{out}");
}

#[test]
fn no_report_given_outside_the_repository_says_how_to_give_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    // As a user runs it: no `cargo run`, stdin not a pipe.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    cmd.arg("run")
        .current_dir(dir.path())
        .env_remove("CARGO_MANIFEST_DIR")
        .env("NO_COLOR", "1");
    let (code, out, err) = run_bounded(&mut cmd, None, HANG_LIMIT);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("ZB0704") && err.contains("no report given"),
        "{err}"
    );
    assert!(
        err.contains("zhibiao run reports/") && err.contains("zhibiao run < report.txt"),
        "{err}"
    );
    assert!(
        !err.contains("samples"),
        "no path the user never typed: {err}"
    );
}

#[test]
fn files_from_reads_paths_from_a_file_or_stdin() {
    let dir = site();
    std::fs::write(dir.path().join("list.txt"), "site/a.shtml\r\n\nsite/2023\n").expect("write");
    let want = ["site/2023/e.html", "site/2023/report", "site/a.shtml"];
    let (code, out, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl", "--files-from", "list.txt"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(docs(&out), want);
    let (code, out, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl", "--files-from", "-"],
        Some(b"site/a.shtml\nsite/2023\n".to_vec()),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(docs(&out), want);
    // A path in the list that does not exist fails alone.
    std::fs::write(dir.path().join("list.txt"), "gone.txt\nsite/a.shtml\n").expect("write");
    let (code, out, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl", "--files-from", "list.txt"],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("gone.txt"), "{err}");
    assert_eq!(docs(&out), ["site/a.shtml"]);
    assert!(Path::new(&dir.path().join("site/a.shtml")).exists());
}
