//! The command line as an analyst meets it (issue 15), through the real
//! binary: the output format from `-o`'s extension, a province file on a
//! folder of mixed provinces, the wide CSV's layout, the table fitted to
//! 80 columns, global flags (`-q`, `--color`, `-j`), `test` by file and
//! rule, unknown names, one error per missing import, the strict example
//! lint, completions and the man page, and docs/output.md against the code.

mod common;

use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthStr;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const ZHEJIANG: &str = "tests/fixtures/cli/rules/zhejiang.zb";
const COMMON: &str = "tests/fixtures/cli/rules/common.zb";
const REPORTS: &str = "tests/fixtures/cli/reports";
const HANGZHOU: &str = "tests/fixtures/cli/reports/hangzhou_2023.txt";

/// Runs the binary in the crate root; returns (exit code, stdout, stderr).
fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

fn zhibiao_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, env)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
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

// ---- item 2: the format from -o's extension ----

#[test]
fn output_format_follows_the_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = |name: &str| dir.path().join(name);
    let run = |target: &Path, extra: &[&str]| {
        let mut args = vec!["run", "-q", "--rules", ZHEJIANG, "-o", path_str(target)];
        args.extend_from_slice(extra);
        args.push(REPORTS);
        zhibiao(&args)
    };

    let csv = out("facts.csv");
    let (code, stdout, err) = run(&csv, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.is_empty());
    let text = std::fs::read_to_string(&csv).expect("csv written");
    assert!(
        text.starts_with("\u{feff}doc,indicator,value,unit,status"),
        "a CSV, not JSON Lines: {text}"
    );

    let jsonl = out("facts.jsonl");
    assert_eq!(run(&jsonl, &[]).0, 0);
    let text = std::fs::read_to_string(&jsonl).expect("jsonl written");
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("one JSON object per line");
    }

    let json = out("facts.json");
    assert_eq!(run(&json, &[]).0, 0);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json written"))
            .expect("one JSON document");
    assert!(v.is_array());

    // wide CSV is chosen by flag, and fits .csv.
    let wide = out("wide.csv");
    assert_eq!(run(&wide, &["--format", "wide-csv"]).0, 0);
    let text = std::fs::read_to_string(&wide).expect("wide written");
    assert!(text.contains("report_year"), "{text}");
}

#[test]
fn a_format_that_contradicts_the_extension_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = root().join(ZHEJIANG);
    let reports = root().join(REPORTS);
    // Run in the temporary folder, so the message names `x.csv` as given.
    let run = |args: &[&str]| {
        let mut all = vec!["run", "--rules", path_str(&rules)];
        all.extend_from_slice(args);
        all.push(path_str(&reports));
        common::zhibiao_in(dir.path(), &all, &[])
    };
    let (code, _, err) = run(&["-o", "x.csv", "--format", "jsonl"]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0710"), "{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!dir.path().join("x.csv").exists(), "nothing written");
    insta::assert_snapshot!("format_contradicts_extension", err);

    // An extension that names no format, without --format.
    let (code, _, err) = run(&["-o", "facts.xlsx"]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0710") && err.contains("--format"), "{err}");
    assert!(!dir.path().join("facts.xlsx").exists());
    // … and with one: written.
    let (code, _, err) = run(&["-q", "-o", "facts.txt", "--format", "table"]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("facts.txt").is_file());
}

// ---- item 3: a province file does not relabel other provinces' reports ----

#[test]
fn a_province_file_runs_only_on_its_province() {
    // `--rules-only`: the file (and the common file it imports) alone; without
    // it, the shipped 江苏 rules would take the 江苏 report (issue 24, below).
    let (code, out, err) = zhibiao(&[
        "run",
        "--rules",
        ZHEJIANG,
        "--rules-only",
        "--format",
        "jsonl",
        REPORTS,
    ]);
    assert_eq!(code, 0, "{err}");
    let facts: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let of = |doc: &str| -> Vec<&serde_json::Value> {
        facts
            .iter()
            .filter(|f| f["doc"].as_str().is_some_and(|d| d.ends_with(doc)))
            .collect()
    };
    let hangzhou = of("hangzhou_2023.txt");
    let suzhou = of("suzhou_2023.txt");
    assert!(!hangzhou.is_empty() && !suzhou.is_empty());
    assert!(
        hangzhou
            .iter()
            .all(|f| f["rule_set"] == "浙江" && f["province"] == "浙江")
    );
    // The 江苏 report keeps its province and runs the common rules: no
    // 浙江-only indicator, no 浙江 label.
    assert!(
        suzhou
            .iter()
            .all(|f| f["rule_set"] == "common" && f["province"] == "江苏"),
        "{suzhou:?}"
    );
    assert!(
        suzhou
            .iter()
            .all(|f| f["indicator"] != "rd_center_prov_new")
    );
    // … and the run says so.
    assert!(
        err.contains("1 report ran the common rules") && err.contains("江苏"),
        "{err}"
    );
    insta::assert_snapshot!("province_file_on_mixed_folder_stderr", stable(&err));

    // --province forces one set on every report.
    let (code, out, err) = zhibiao(&[
        "run",
        "--rules",
        ZHEJIANG,
        "--province",
        "浙江",
        "--format",
        "jsonl",
        REPORTS,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().all(|l| l.contains(r#""rule_set":"浙江""#)));
    assert!(
        out.lines()
            .any(|l| l.contains("suzhou") && l.contains("rd_center_prov_new")),
        "{out}"
    );
    assert!(!err.contains("ran the common rules"), "{err}");
}

#[test]
fn a_province_file_without_common_rules_runs_nothing_on_other_provinces() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("zj.zb");
    std::fs::write(
        &rules,
        "province 浙江 { regions \"杭州\" }\n\
         indicator hte_new \"新增高新技术企业\" unit 家\n\
         rule 新增高企 -> hte_new {\n    match \"新增高新技术企业\" N:家\n    \
         example \"新增高新技术企业5家\" => 5\n    example \"新增高新技术企业培育\" => none\n}\n",
    )
    .expect("write rules");
    let (code, out, err) = zhibiao(&[
        "run",
        "--rules",
        path_str(&rules),
        "--rules-only",
        "--format",
        "jsonl",
        REPORTS,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.lines().all(|l| !l.contains("suzhou")), "{out}");
    assert!(err.contains("1 report ran no rules"), "{err}");
}

// ---- item 6: the wide CSV ----

#[test]
fn wide_csv_keeps_status_year_and_months_apart() {
    let (code, out, err) = zhibiao(&[
        "run",
        "--rules",
        ZHEJIANG,
        "--rules-only",
        "--format",
        "wide-csv",
        "--fact-counts",
        REPORTS,
    ]);
    assert_eq!(code, 0, "{err}");
    let mut reader = csv::Reader::from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 2, "one row per report");
    let cell = |row: usize, col: &str| -> &str {
        let i = header.iter().position(|h| h == col).expect(col);
        &rows[row][i]
    };
    // The 1-10月 actual, the whole-year estimate and the target stay apart.
    assert_eq!(cell(0, "hte_new.actual"), "41");
    // Written so Excel leaves it alone (a bare 1-10 becomes a date there).
    assert_eq!(cell(0, "hte_new.actual.months"), "1-10月");
    assert_eq!(cell(0, "hte_new.estimate"), "55");
    assert_eq!(cell(0, "hte_new.estimate.months"), "");
    // Two targets (2024, 2025): the nearest year shown, both counted.
    assert_eq!(cell(0, "hte_new.target"), "60");
    assert_eq!(cell(0, "hte_new.target.year"), "2024");
    assert_eq!(cell(0, "hte_new.target.facts"), "2");
    // Last year's actual is labelled with its year, not taken for this year's.
    assert_eq!(cell(0, "hte_total.actual"), "548");
    assert_eq!(cell(0, "hte_total.actual.year"), "2022");
    assert_eq!(cell(0, "hte_total.estimate"), "612");
    assert!(err.contains("1 fact in 1 report shared a cell"), "{err}");
    insta::assert_snapshot!("wide_csv_layout", out);
}

// ---- the table fitted to the terminal ----

#[test]
fn table_fits_80_columns() {
    let (code, out, err) = zhibiao_env(
        &[
            "run",
            "--rules",
            ZHEJIANG,
            "--rules-only",
            "--format",
            "table",
            REPORTS,
        ],
        &[("COLUMNS", "80")],
    );
    assert_eq!(code, 0, "{err}");
    for line in out.lines() {
        assert!(line.width() <= 80, "{} cells: {line}", line.width());
    }
    // Docs by their distinguishing tail, not the shared folders.
    assert!(out.contains("hangzhou_2023.txt") && !out.contains("tests/fixtures"));
    assert!(out.contains("以上"), "the qualifier column: {out}");
    insta::assert_snapshot!("table_80_columns", out);

    let (code, out, _) = zhibiao_env(
        &[
            "run",
            "-q",
            "--rules",
            ZHEJIANG,
            "--rules-only",
            "--format",
            "table",
            REPORTS,
        ],
        &[("COLUMNS", "180")],
    );
    assert_eq!(code, 0);
    for line in out.lines() {
        assert!(line.width() <= 180, "{line}");
    }
    assert!(out.lines().next().is_some_and(|h| h.contains("rule")));
    insta::assert_snapshot!("table_180_columns", out);
}

#[test]
fn table_keeps_the_number_in_view_and_highlights_it() {
    let (code, out, _) = zhibiao_env(
        &[
            "run", "-q", "--color", "always", "--rules", ZHEJIANG, "--format", "table", HANGZHOU,
        ],
        &[("COLUMNS", "100")],
    );
    assert_eq!(code, 0);
    // Every fact's number is highlighted, so it is on screen.
    let rows = out.lines().filter(|l| l.contains("\x1b[1;33m")).count();
    assert_eq!(rows, 9, "{out}");
    assert!(out.contains("\x1b[1;33m700家\x1b[0m"), "{out}");
    // NO_COLOR (set by the test helper) turns colour off under auto.
    let (_, out, _) = zhibiao_env(
        &[
            "run", "-q", "--rules", ZHEJIANG, "--format", "table", HANGZHOU,
        ],
        &[("COLUMNS", "100")],
    );
    assert!(!out.contains('\x1b'), "{out}");
}

// ---- counts, -q, --color, -j ----

#[test]
fn counts_are_singular_for_one() {
    let (code, _, err) = zhibiao(&[
        "run",
        "--rules",
        COMMON,
        "--format",
        "jsonl",
        "tests/fixtures/cli/reports/suzhou_2023.txt",
    ]);
    assert_eq!(code, 0);
    assert!(err.contains("1 report, 3 facts, 0 failed"), "{err}");
    let (_, out, _) = zhibiao(&["rules", "show", "--rules", ZHEJIANG, "--province", "浙江"]);
    assert!(out.contains("4 indicators"), "{out}");
}

#[test]
fn quiet_works_on_every_subcommand() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: Vec<Vec<&str>> = vec![
        vec![
            "run", "-q", "--rules", ZHEJIANG, "--format", "jsonl", REPORTS,
        ],
        vec!["-q", "lint", ZHEJIANG],
        vec!["test", "-q", ZHEJIANG],
        vec!["explain", "-q", "--rules", ZHEJIANG, HANGZHOU],
        vec!["rules", "show", "-q", "--rules", ZHEJIANG],
        vec!["completions", "-q", "bash"],
        vec!["man", "-q", "--dir", path_str(dir.path())],
    ];
    for args in cases {
        let (code, _, err) = zhibiao(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?} printed on stderr: {err}");
    }
}

#[test]
fn color_flag_overrides_no_color_and_the_pipe() {
    let bad = "tests/fixtures/lint/ZB0310_no_examples.zb";
    let (_, _, err) = zhibiao(&["lint", "--color", "always", bad]);
    assert!(err.contains('\x1b'), "coloured: {err}");
    let (_, _, err) = zhibiao(&["lint", "--color", "never", bad]);
    assert!(!err.contains('\x1b'), "{err}");
    let (_, _, err) = zhibiao(&["lint", bad]);
    assert!(!err.contains('\x1b'), "auto into a pipe: {err}");
}

#[test]
fn threads_flag_does_not_change_the_output() {
    let args = |j: &'static str| {
        vec![
            "run",
            "-q",
            "-j",
            j,
            "--format",
            "jsonl",
            "samples",
            REPORTS,
            "tests/fixtures/run/reports",
        ]
    };
    let (code, one, err) = zhibiao(&args("1"));
    assert_eq!(code, 0, "{err}");
    let (code, two, _) = zhibiao(&args("2"));
    assert_eq!(code, 0);
    assert!(one.lines().count() > 20);
    assert_eq!(one, two);
}

#[test]
fn province_default_is_shown_in_help() {
    let (code, out, _) = zhibiao(&["run", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("[default: auto]"), "{out}");
    for flag in ["--color", "--quiet", "--threads"] {
        assert!(out.contains(flag), "{flag} in run --help: {out}");
    }
}

// ---- test: by file, by rule, JSON, rule errors ----

#[test]
fn test_of_a_file_runs_its_own_examples_only() {
    let (code, out, _) = zhibiao(&["test", ZHEJIANG]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "4 passed, 0 failed");
    let (code, out, _) = zhibiao(&["test", "--all", ZHEJIANG]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "10 passed, 0 failed");
    let (code, out, _) = zhibiao(&["test", "--all", "--rule", "技术合同", ZHEJIANG]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "2 passed, 0 failed");
    let (code, out, _) = zhibiao(&["test", "--rule", "浙江/省级研发中心", ZHEJIANG]);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "2 passed, 0 failed");
}

#[test]
fn test_json_lists_every_example() {
    let (code, out, _) = zhibiao(&["test", "--format", "json", "tests/fixtures/run/failing.zb"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(v["failed"], 4);
    assert_eq!(v["todo"], 1);
    assert_eq!(v["rule_errors"], 0);
    let examples = v["examples"].as_array().expect("examples");
    assert_eq!(examples.len(), 5);
    assert!(
        examples
            .iter()
            .all(|e| e["line"].as_u64().is_some_and(|l| l > 0))
    );
    assert!(
        examples
            .iter()
            .filter(|e| e["outcome"] == "failed")
            .all(|e| e["diagnostic"]["code"] == "ZB0601")
    );
}

#[test]
fn test_with_a_rule_error_says_so() {
    let (code, out, err) = zhibiao(&["test", "tests/fixtures/lint/ZB0201_unknown_pattern.zb"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("not run: the rules have 1 error"), "{out}");
    assert!(!out.contains("0 passed"), "{out}");
    assert!(err.contains("ZB0201"), "{err}");
    let (code, out, _) = zhibiao(&[
        "test",
        "--format",
        "json",
        "tests/fixtures/lint/ZB0201_unknown_pattern.zb",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["rule_errors"], 1);
}

#[test]
fn unknown_rule_names_get_a_guess_and_the_list() {
    let (code, out, err) = zhibiao(&["test", "--rule", "技术合约", ZHEJIANG]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("ZB0711"), "{err}");
    assert!(err.contains("did you mean 技术合同?"), "{err}");
    insta::assert_snapshot!("unknown_rule_name", err);
}

// ---- rule files: one error per missing import; the strict example lint ----

#[test]
fn a_missing_import_is_one_error() {
    // 浙江's file with `import "comon.zb"`: its override, pattern names and
    // indicator would all be unknown too.
    let broken = "tests/fixtures/cli/broken_import/zhejiang.zb";
    let (code, _, err) = zhibiao(&["lint", broken]);
    assert_eq!(code, 1);
    assert_eq!(err.matches("ZB0203").count(), 1, "{err}");
    for cascade in ["ZB0201", "ZB0202", "ZB0206"] {
        assert!(!err.contains(cascade), "{cascade}: {err}");
    }
    assert!(err.contains("3 more errors"), "{err}");
    assert!(
        err.trim_end().ends_with("1 error, 0 warnings in 1 file"),
        "{err}"
    );
    insta::assert_snapshot!("missing_import_one_error", err);
    // `run` and `test` say the same, once.
    let (code, out, err) = zhibiao(&["test", broken]);
    assert_eq!(code, 1);
    assert!(out.starts_with("not run: the rules have 1 error"), "{out}");
    assert_eq!(err.matches("ZB0203").count(), 1, "{err}");
}

#[test]
fn strict_lint_requires_a_positive_and_a_none_example() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("r.zb");
    std::fs::write(
        &rules,
        "indicator hte_new \"新增高新技术企业\" unit 家\n\
         rule 新增高企 -> hte_new {\n    match \"新增高新技术企业\" N:家\n    \
         example \"新增高新技术企业5家\" => 5\n}\n",
    )
    .expect("write");
    let (code, _, err) = zhibiao(&["lint", path_str(&rules)]);
    assert_eq!(code, 0, "a rule being written may lack them: {err}");
    let (code, _, err) = zhibiao(&["lint", "--strict", path_str(&rules)]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0316") && err.contains("none"), "{err}");
    // The shipped rules are held to it without asking.
    let (code, _, err) = zhibiao(&["lint"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = zhibiao(&["lint", "--strict", "rules"]);
    assert_eq!(code, 0, "{err}");
}

// ---- completions and man page ----

#[test]
fn completions_and_man_page_come_from_the_cli() {
    let (code, out, _) = zhibiao(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("zhibiao") && out.contains("--province"),
        "{out}"
    );
    let (code, out, _) = zhibiao(&["completions", "fish"]);
    assert_eq!(code, 0);
    assert!(out.contains("complete -c zhibiao"), "{out}");
    let (code, out, _) = zhibiao(&["man"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH zhibiao"),
        "{out}"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, _, err) = zhibiao(&["man", "--dir", path_str(dir.path())]);
    assert_eq!(code, 0, "{err}");
    for page in ["zhibiao.1", "zhibiao-run.1", "zhibiao-test.1"] {
        assert!(dir.path().join(page).is_file(), "{page}");
    }
}

// ---- docs/output.md says what each format holds ----

#[test]
fn output_doc_names_every_field_and_column() {
    let doc = std::fs::read_to_string(root().join("docs/output.md")).expect("docs/output.md");
    for column in zhibiao::output::CSV_COLUMNS {
        assert!(
            doc.contains(&format!("`{column}`")),
            "docs/output.md does not describe `{column}`"
        );
    }
    for suffix in ["report_year", ".year", ".months", ".facts"] {
        assert!(doc.contains(suffix), "wide CSV: {suffix}");
    }
    for format in ["jsonl", "json", "csv", "wide-csv", "table"] {
        assert!(
            doc.contains(&format!("## `{format}`")),
            "a section for {format}"
        );
    }
}
