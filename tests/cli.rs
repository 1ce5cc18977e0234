//! The real binary on our own fixtures: `run` in every format, bad files in a
//! batch, stdin, atomic `-o`, `explain` and `test` — outputs snapshotted.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RULES: &str = "tests/fixtures/run/rules.zb";
const REPORTS: &str = "tests/fixtures/run/reports";

/// Runs the binary in the crate root; returns (exit code, stdout, stderr).
fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

/// Drops the timing from the summary line so snapshots are stable.
fn stable(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.find(" failed in ") {
            Some(i) => format!("{} failed in <time>", &l[..i]),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn run_jsonl_on_text_gbk_and_html() {
    let (code, out, err) = zhibiao(&["run", "--rules", RULES, "--format", "jsonl", REPORTS]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("run_jsonl", out);
    insta::assert_snapshot!("run_jsonl_stderr", stable(&err));
}

#[test]
fn run_table() {
    let (code, out, _) = zhibiao(&["run", "-q", "--rules", RULES, "--format", "table", REPORTS]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("run_table", out);
}

#[test]
fn run_csv_has_bom_and_header() {
    let (code, out, _) = zhibiao(&["run", "-q", "--rules", RULES, "--format", "csv", REPORTS]);
    assert_eq!(code, 0);
    assert!(out.starts_with('\u{feff}'), "CSV starts with a BOM");
    insta::assert_snapshot!("run_csv", out);
}

#[test]
fn run_wide_csv_one_row_per_report() {
    let (code, out, _) = zhibiao(&[
        "run", "-q", "--rules", RULES, "--format", "wide-csv", REPORTS,
    ]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 1 + 3, "header plus one row per report");
    insta::assert_snapshot!("run_wide_csv", out);
}

#[test]
fn run_json_is_one_array() {
    let (code, out, _) = zhibiao(&["run", "-q", "--rules", RULES, "--format", "json", REPORTS]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(11));
}

#[test]
fn offsets_point_into_the_original_file() {
    let (_, out, _) = zhibiao(&["run", "-q", "--rules", RULES, "--format", "jsonl", REPORTS]);
    for line in out.lines() {
        let fact: serde_json::Value = serde_json::from_str(line).expect("json line");
        let doc = fact["doc"].as_str().expect("doc");
        let bytes = std::fs::read(root().join(doc)).expect("report");
        let (s, e) = (
            fact["start"].as_u64().expect("start") as usize,
            fact["end"].as_u64().expect("end") as usize,
        );
        assert!(s < e && e <= bytes.len(), "{doc}: {s}..{e}");
        let slice = &bytes[s..e];
        let text = if doc.ends_with("_gbk.txt") {
            encoding_rs::GB18030.decode(slice).0.into_owned()
        } else {
            String::from_utf8(slice.to_vec()).expect("utf-8 slice on char boundaries")
        };
        let value = fact["value"].to_string();
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        let shown: String = text.chars().filter(char::is_ascii_digit).collect();
        assert!(
            shown.contains(&digits) || fact["indicator"] == "tech_loans",
            "{doc}: span “{text}” does not show {value}"
        );
    }
}

#[test]
fn bad_files_are_reported_and_the_batch_goes_on() {
    let (code, out, err) = zhibiao(&[
        "run",
        "--rules",
        RULES,
        "--format",
        "jsonl",
        "tests/fixtures/run/bad",
        "tests/fixtures/run/reports/report.txt",
    ]);
    assert_eq!(code, 2, "some reports failed");
    assert_eq!(
        out.lines().count(),
        4,
        "the good report's facts are all there"
    );
    insta::assert_snapshot!("run_bad_files_stderr", stable(&err));
}

#[test]
fn missing_path_is_an_error_not_a_crash() {
    let (code, _, err) = zhibiao(&["run", "--rules", RULES, "no/such/folder"]);
    assert_eq!(code, 2);
    assert!(err.contains("ZB0701"), "{err}");
}

#[test]
fn stdin_is_read_with_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["run", "-q", "--rules", RULES, "--format", "jsonl", "-"])
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all("2023年新增高新技术企业9家。".as_bytes())
            .expect("write");
    }
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r#""doc":"-""#) && text.contains(r#""value":9"#),
        "{text}"
    );
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("facts.csv");
    let t = target.to_str().expect("utf-8 path");
    let (code, out, _) = zhibiao(&[
        "run", "-q", "--rules", RULES, "--format", "csv", "-o", t, REPORTS,
    ]);
    assert_eq!(code, 0);
    assert!(out.is_empty(), "nothing on stdout with -o");
    let written = std::fs::read_to_string(&target).expect("written");
    assert_eq!(written.lines().count(), 12);
    // A failed run (rule errors) leaves the earlier file untouched and no temporary behind.
    let broken = dir.path().join("broken.zb");
    std::fs::write(&broken, "rule x -> {").expect("write rules");
    let (code, _, _) = zhibiao(&[
        "run",
        "--rules",
        broken.to_str().expect("path"),
        "-o",
        t,
        REPORTS,
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        std::fs::read_to_string(&target).expect("still there"),
        written
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn explain_shows_match_near_miss_veto_and_lost_conflict() {
    let (code, out, _) = zhibiao(&[
        "explain",
        "--rules",
        RULES,
        "tests/fixtures/run/reports/report.txt",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain_human", out);
}

#[test]
fn explain_json_for_one_indicator() {
    let (code, out, _) = zhibiao(&[
        "explain",
        "--rules",
        RULES,
        "--indicator",
        "hte_total",
        "--format",
        "json",
        "tests/fixtures/run/reports/report_gbk.txt",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let figures = v["figures"].as_array().expect("figures");
    assert!(!figures.is_empty());
    assert!(figures.iter().all(|f| {
        f["rules"]
            .as_array()
            .is_some_and(|r| r.iter().all(|r| r["indicator"] == "hte_total"))
    }));
    insta::assert_snapshot!("explain_json_gbk", out);
}

#[test]
fn test_command_passes_on_good_examples() {
    let (code, out, _) = zhibiao(&["test", RULES]);
    assert_eq!(code, 0);
    assert!(out.trim_end().ends_with("6 passed, 0 failed"), "{out}");
}

#[test]
fn test_command_reports_failures_on_the_example_line() {
    let (code, out, err) = zhibiao(&["test", "tests/fixtures/run/failing.zb"]);
    assert_eq!(code, 1);
    assert_eq!(out.trim(), "0 passed, 4 failed, 1 todo");
    insta::assert_snapshot!("test_failures", err);
}

#[test]
fn shipped_rules_pass_their_own_examples() {
    let (code, out, err) = zhibiao(&["test"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(" passed, 0 failed"), "{out}");
}

#[test]
fn shipped_rules_lint_clean() {
    let (code, _, err) = zhibiao(&["lint", "rules"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn main_job_runs_on_the_shipped_samples() {
    let (code, out, err) = zhibiao(&["run", "--format", "jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().count() >= 30, "facts from samples/: {out}");
    assert!(Path::new(&root().join("samples")).is_dir());
}

#[test]
fn streamed_reports_are_written_exactly_like_whole_ones() {
    // With --stream-above 0 every report is matched block by block on the
    // writing thread and written as it goes; the output must not change, in
    // any format, on one thread or two, bad files included.
    for format in ["jsonl", "json", "csv", "wide-csv", "table"] {
        let args = |stream: bool| {
            let mut a = vec![
                "run",
                "--format",
                format,
                "samples",
                "tests/holdout/reports",
                "tests/fixtures/run/bad",
            ];
            if stream {
                a.extend(["--stream-above", "0"]);
            }
            a
        };
        let (code, whole, _) = zhibiao(&args(false));
        assert_eq!(code, 2, "the bad files fail");
        assert!(whole.lines().count() > 8, "{format}: {whole}");
        for threads in ["1", "2"] {
            let (code, streamed, err) =
                common::zhibiao_in(&root(), &args(true), &[("RAYON_NUM_THREADS", threads)]);
            assert_eq!(code, 2, "{err}");
            assert_eq!(streamed, whole, "{format} on {threads} thread(s)");
        }
    }
}

#[test]
fn time_lists_stages_and_each_rule_once() {
    let (code, _, err) = zhibiao(&[
        "run",
        "--time",
        "-q",
        "--format",
        "jsonl",
        "samples",
        "tests/holdout/reports",
    ]);
    assert_eq!(code, 0, "{err}");
    for stage in ["read", "normalize", "scan", "resolve", "slowest rules"] {
        assert!(err.contains(stage), "{stage} missing: {err}");
    }
    // Every stage of the run is listed (issue 26), and the sum line adds
    // them up.
    let ms = |line: &str| -> f64 {
        let value = line.split_whitespace().nth(1).expect("a figure");
        value
            .parse()
            .unwrap_or_else(|_| panic!("not a figure: {line}"))
    };
    let stages = [
        "start-up",
        "read",
        "normalize",
        "province",
        "scan",
        "resolve",
        "records",
        "write",
    ];
    let mut listed = 0.0;
    for stage in stages {
        let line = err
            .lines()
            .find(|l| l.split_whitespace().next() == Some(stage))
            .unwrap_or_else(|| panic!("no {stage} line: {err}"));
        listed += ms(line);
    }
    let sum = err
        .lines()
        .find(|l| l.trim_start().starts_with("sum "))
        .unwrap_or_else(|| panic!("no sum line: {err}"));
    assert!(sum.contains("% of the wall clock"), "{sum}");
    // Each figure is rounded to 0.1 ms.
    assert!((ms(sum) - listed).abs() <= 0.5, "{sum} vs {listed}: {err}");
    // The samples run under three rule sets; a common rule is one row.
    let rules: Vec<&str> = err
        .lines()
        .skip_while(|l| !l.starts_with("slowest rules"))
        .skip(1)
        .filter(|l| l.contains(" ms  "))
        .filter_map(|l| l.split(" ms  ").nth(1))
        .collect();
    assert!(rules.len() >= 5, "{err}");
    let mut unique = rules.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), rules.len(), "a rule listed twice: {err}");
}

#[test]
fn many_streamed_reports_do_not_stall_the_pipeline() {
    // More streamed reports than the pipeline's window (8 per thread): the
    // writer runs their blocks on the pool while the window is full.
    let dir = tempfile::tempdir().expect("tempdir");
    let report = std::fs::read(root().join("samples/2023_qinghe_summary.txt")).expect("sample");
    for i in 0..40 {
        std::fs::write(dir.path().join(format!("r{i:02}.txt")), &report).expect("write");
    }
    let folder = dir.path().to_str().expect("utf-8 path");
    let args = |stream: bool| {
        let mut a = vec!["run", "--format", "jsonl", folder];
        if stream {
            a.extend(["--stream-above", "0"]);
        }
        a
    };
    let (code, whole, err) =
        common::zhibiao_in(&root(), &args(false), &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(code, 0, "{err}");
    let (code, streamed, err) =
        common::zhibiao_in(&root(), &args(true), &[("RAYON_NUM_THREADS", "2")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(streamed, whole);
    assert!(
        whole.lines().count() >= 40 * 10,
        "{}",
        whole.lines().count()
    );
}
