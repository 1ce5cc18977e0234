//! The analyst's week (issue 24), through the real binary: page chrome
//! deciding no status, `--kind` and a province file's `kind`, a province
//! file in the analyst's own folder importing the shipped rules and adding
//! to them, `--province` for a province without a file, and the short note.

mod common;

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const PORTAL: &str = "tests/fixtures/analyst/reports/portal_summary.txt";
const SUZHOU: &str = "tests/fixtures/analyst/reports/suzhou_loans.txt";
const REPORTS: &str = "tests/fixtures/analyst/reports";
const ZHEJIANG: &str = "tests/fixtures/analyst/zhejiang.zb";
const ZHEJIANG_PLANS: &str = "tests/fixtures/analyst/zhejiang_plans.zb";

fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

use common::json_facts as facts;

fn of<'a>(facts: &'a [serde_json::Value], doc: &str) -> Vec<&'a serde_json::Value> {
    facts
        .iter()
        .filter(|f| f["doc"].as_str().is_some_and(|d| d.ends_with(doc)))
        .collect()
}

fn statuses(out: &str) -> Vec<String> {
    facts(out)
        .iter()
        .map(|f| f["status"].as_str().unwrap_or("?").to_string())
        .collect()
}

// ---- point 1: chrome decides nothing; --kind and a province's `kind` ----

#[test]
fn breadcrumbs_and_metadata_rows_decide_no_status() {
    let (code, out, err) = zhibiao(&["run", "-q", "--format", "jsonl", PORTAL]);
    assert_eq!(code, 0, "{err}");
    let s = statuses(&out);
    assert_eq!(s.len(), 3, "{out}");
    assert!(s.iter().all(|s| s == "actual"), "{out}");
    let (_, out, _) = zhibiao(&["explain", "-q", "--number", "411", PORTAL]);
    assert!(out.contains("actual: no cue word"), "{out}");
    assert!(out.contains("浦江区科技局2023年科技工作"), "{out}");
}

#[test]
fn kind_flag_declares_what_the_reports_are() {
    let (code, out, err) = zhibiao(&["run", "-q", "--kind", "plan", "--format", "jsonl", PORTAL]);
    assert_eq!(code, 0, "{err}");
    assert!(statuses(&out).iter().all(|s| s == "target"), "{out}");
    let (_, out, _) = zhibiao(&["explain", "-q", "--kind", "plan", "--number", "411", PORTAL]);
    assert!(out.contains("the report is a plan (--kind plan)"), "{out}");
    // eval takes it too (it changes the status accuracy, not the F1).
    let (_, _, err) = zhibiao(&["eval", "--kind", "summary", "--gold", "no/such", PORTAL]);
    assert!(!err.contains("unexpected argument"), "{err}");
}

#[test]
fn a_province_file_declares_its_reports_kind() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--rules",
        ZHEJIANG_PLANS,
        "--format",
        "jsonl",
        REPORTS,
    ]);
    assert_eq!(code, 0, "{err}");
    let all = facts(&out);
    // 浙江's report is a plan by its file; 江苏's keeps its title's kind.
    assert!(
        of(&all, "portal_summary.txt")
            .iter()
            .all(|f| f["status"] == "target")
    );
    assert!(
        of(&all, "suzhou_loans.txt")
            .iter()
            .all(|f| f["status"] == "actual")
    );
    let (_, out, _) = zhibiao(&[
        "explain",
        "-q",
        "--rules",
        ZHEJIANG_PLANS,
        "--number",
        "411",
        PORTAL,
    ]);
    assert!(out.contains("the 浙江 rules say `kind plan`"), "{out}");
    // --kind wins over the file.
    let (_, out, _) = zhibiao(&[
        "run",
        "-q",
        "--rules",
        ZHEJIANG_PLANS,
        "--kind",
        "summary",
        "--format",
        "jsonl",
        PORTAL,
    ]);
    assert!(statuses(&out).iter().all(|s| s == "actual"), "{out}");
}

// ---- point 2: the shipped rules from the analyst's own folder ----

/// A folder outside the repository (no `rules/` beside it) holding `name`.
fn own_folder(name: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), text).expect("write rules");
    dir
}

#[test]
fn an_own_folder_imports_the_shipped_rules() {
    let text = std::fs::read_to_string(root().join(ZHEJIANG)).expect("fixture");
    let dir = own_folder("zhejiang.zb", &text);
    let (code, out, err) = common::zhibiao_in(dir.path(), &["lint", "zhejiang.zb"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = common::zhibiao_in(dir.path(), &["test", "zhejiang.zb"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    // A bare `import "common.zb"` there names the way to the shipped copy.
    let dir = own_folder(
        "zj.zb",
        "province 浙江 { regions \"杭州\" }\nimport \"common.zb\"\n",
    );
    let (code, out, err) = common::zhibiao_in(dir.path(), &["lint", "zj.zb"], &[]);
    assert_eq!(code, 1);
    let all = format!("{out}{err}");
    assert!(all.contains("import \"zhibiao:common.zb\""), "{all}");
}

fn rule_sets(out: &str, doc: &str) -> Vec<String> {
    of(&facts(out), doc)
        .iter()
        .map(|f| f["rule_set"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn rules_flag_adds_a_province_to_the_shipped_ones() {
    let args = |only: bool| {
        let mut a = vec!["run", "-q", "--rules", ZHEJIANG, "--format", "jsonl"];
        if only {
            a.push("--rules-only");
        }
        a.push(REPORTS);
        zhibiao(&a)
    };
    let (code, out, err) = args(false);
    assert_eq!(code, 0, "{err}");
    // 江苏's report still runs the shipped 江苏 file (苏科贷 is its rule) …
    assert!(
        rule_sets(&out, "suzhou_loans.txt")
            .iter()
            .all(|s| s == "江苏")
    );
    assert!(out.contains("江苏/发放苏科贷"), "{out}");
    // … and 浙江's runs the analyst's file.
    assert!(
        rule_sets(&out, "portal_summary.txt")
            .iter()
            .all(|s| s == "浙江")
    );
    // --rules-only: the file alone; 江苏's report gets the common rules.
    let (code, out, err) = args(true);
    assert_eq!(code, 0, "{err}");
    assert!(!out.contains("苏科贷\""), "{out}");
    assert!(
        rule_sets(&out, "suzhou_loans.txt")
            .iter()
            .all(|s| s == "common")
    );
}

// ---- point 9: --province without a file; the short note ----

#[test]
fn a_province_without_a_file_runs_the_common_rules() {
    let (code, out, err) = zhibiao(&["run", "--province", "浙江", "--format", "jsonl", SUZHOU]);
    assert_eq!(code, 0, "{err}");
    let all = facts(&out);
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|f| f["province"] == "浙江" && f["rule_set"] == "common")
    );
    let notes: Vec<&str> = err.lines().filter(|l| l.starts_with("note:")).collect();
    assert_eq!(notes.len(), 1, "{err}");
    assert!(notes[0].contains("no rule file for 浙江"), "{err}");
    // A name that is no province is still an error.
    let (code, _, err) = zhibiao(&["run", "--province", "火星", SUZHOU]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0502"), "{err}");
}

#[test]
fn the_common_rules_note_is_one_short_line() {
    let (code, _, err) = zhibiao(&["run", "--format", "jsonl", PORTAL]);
    assert_eq!(code, 0, "{err}");
    let note = err
        .lines()
        .find(|l| l.starts_with("note:"))
        .expect("a note");
    assert!(note.chars().count() <= 100, "{note}");
    assert!(
        note.contains("浙江") && !note.contains("rules/common.zb"),
        "{note}"
    );
    let (_, _, err) = zhibiao(&["run", "-v", "--format", "jsonl", PORTAL]);
    assert!(
        err.contains("the built-in common rules") && err.contains("--province NAME"),
        "{err}"
    );
}

// ---- point 7: eval and a new province's own indicators ----

#[test]
fn eval_leaves_unannotated_indicators_unscored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir_all(reports.join("gold")).expect("mkdir");
    std::fs::write(
        reports.join("zj.txt"),
        "浦江区科技局2023年科技工作\n2023年，全区高新技术企业总数达到411家，技术市场实现交易额9368万元。\n",
    )
    .expect("report");
    // The annotations sit inside the reports folder.
    std::fs::write(
        reports.join("gold/zj.json"),
        r#"{"doc": "zj.txt", "facts": [{"indicator": "hte_total", "value": 411, "status": "actual", "year": 2023}]}"#,
    )
    .expect("gold");
    std::fs::write(
        dir.path().join("zj.zb"),
        "province 浙江 { regions \"浦江\" }\nimport \"zhibiao:common.zb\"\n\
         indicator tech_market_deals \"技术市场交易额\" unit 亿元\n\
         rule 技术市场 -> tech_market_deals {\n    match \"技术市场\" …{0,6} \"交易额\" V:money\n    \
         example \"技术市场实现交易额9368万元\" => 0.9368 actual\n}\n",
    )
    .expect("rules");
    let (code, out, err) = common::zhibiao_in(
        dir.path(),
        &[
            "eval",
            "--rules",
            "zj.zb",
            "--gold",
            "reports/gold",
            "--format",
            "json",
            "reports",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["docs"], 1, "the gold file is no report: {out}");
    assert!(err.contains("left out (not reports)"), "{err}");
    let unscored = v["unscored"].as_array().expect("unscored");
    assert!(
        unscored
            .iter()
            .any(|f| f["indicator"] == "tech_market_deals"),
        "{out}"
    );
    assert!(
        v["false_hits"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["indicator"] == "hte_total")),
        "{out}"
    );
    // score.py's figures stay: the unscored facts are in fp …
    assert_eq!(v["fp"].as_u64(), Some(unscored.len() as u64));
    // … and the figures without them are beside.
    assert_eq!(v["without_unscored"]["precision"], 1.0);
    // Without --rules, eval names the rules it scored.
    let (_, _, err) = common::zhibiao_in(
        dir.path(),
        &["eval", "--gold", "reports/gold", "reports"],
        &[],
    );
    assert!(
        err.contains("scoring the built-in rules (common, 安徽, 江苏)"),
        "{err}"
    );
}

#[test]
fn rules_indicators_lists_ids_names_units_and_rules() {
    let (code, out, err) = zhibiao(&["rules", "indicators"]);
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("tech_contract_value "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("技术合同成交额"), "{line}");
    assert!(line.contains("亿元"), "{line}");
    assert!(line.contains("common: "), "{line}");
    // A province file of the analyst's own adds its indicator, with its rules.
    let (code, out, err) = zhibiao(&["rules", "indicators", "--rules", ZHEJIANG]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines().next().is_some_and(|h| h.starts_with("id ")),
        "{out}"
    );
    assert!(out.contains("zhejiang: 技术市场交易额"), "{out}");
}

// ---- point 5: --labels zh, the wide CSV's names and counts; point 11: run --indicator ----

/// The CSV's rows as maps from header to cell (BOM dropped).
fn csv_rows(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn labels_zh_writes_status_and_qualifier_in_chinese() {
    let (code, out, err) = zhibiao(&["run", "-q", "--format", "csv", "--labels", "zh", SUZHOU]);
    assert_eq!(code, 0, "{err}");
    let rows = csv_rows(&out);
    assert!(!rows.is_empty(), "{out}");
    for row in &rows {
        assert_eq!(row["status"], "实际", "{row:?}");
        assert_eq!(row["qualifier"], "精确", "{row:?}");
    }
    // The default keeps the contract's words.
    let (_, out, _) = zhibiao(&["run", "-q", "--format", "csv", SUZHOU]);
    assert!(
        csv_rows(&out)
            .iter()
            .all(|r| r["status"] == "actual" && r["qualifier"] == "exact")
    );
    // The table too; JSON keeps English and says so.
    let (_, out, _) = zhibiao(&["run", "-q", "--format", "table", "--labels", "zh", SUZHOU]);
    assert!(out.contains("实际") && !out.contains("actual"), "{out}");
    let (_, out, err) = zhibiao(&["run", "--format", "jsonl", "--labels", "zh", SUZHOU]);
    assert!(out.contains("\"status\":\"actual\""), "{out}");
    assert!(err.contains("JSON keeps"), "{err}");
}

#[test]
fn wide_csv_names_indicators_and_counts_only_when_asked() {
    let (code, out, err) = zhibiao(&["run", "-q", "--format", "wide-csv", SUZHOU]);
    assert_eq!(code, 0, "{err}");
    let header = out
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    assert!(header.contains("hte_new.actual.months"), "{header}");
    assert!(
        !header.contains(".facts"),
        "no counts unless asked: {header}"
    );
    let (_, out, _) = zhibiao(&["run", "-q", "--format", "wide-csv", "--fact-counts", SUZHOU]);
    let rows = csv_rows(&out);
    assert_eq!(rows[0]["hte_new.actual"], "61", "{out}");
    assert_eq!(rows[0]["hte_new.actual.facts"], "1", "{out}");
    // In Chinese: report columns and indicators by name.
    let (_, out, _) = zhibiao(&[
        "run", "-q", "--format", "wide-csv", "--labels", "zh", SUZHOU,
    ]);
    let rows = csv_rows(&out);
    assert_eq!(rows[0]["新增高新技术企业(实际)"], "61", "{out}");
    assert_eq!(rows[0]["新增高新技术企业(实际)年份"], "2023", "{out}");
    assert!(rows[0]["报告"].ends_with("suzhou_loans.txt"), "{out}");
}

#[test]
fn run_indicator_keeps_one_indicators_facts() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--format",
        "jsonl",
        "--indicator",
        "hte_new",
        SUZHOU,
    ]);
    assert_eq!(code, 0, "{err}");
    let all = facts(&out);
    assert!(!all.is_empty(), "{out}");
    assert!(all.iter().all(|f| f["indicator"] == "hte_new"), "{out}");
    // Without it, the loans are there too.
    let (_, out, _) = zhibiao(&["run", "-q", "--format", "jsonl", SUZHOU]);
    assert!(
        facts(&out).iter().any(|f| f["indicator"] != "hte_new"),
        "{out}"
    );
    // The wide CSV has only its columns.
    let (_, out, _) = zhibiao(&[
        "run",
        "-q",
        "--format",
        "wide-csv",
        "--indicator",
        "hte_new",
        SUZHOU,
    ]);
    let header = out
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    assert!(
        header.contains("hte_new.actual") && !header.contains("hte_total"),
        "{header}"
    );
    // A misspelt id: an error with "did you mean".
    let (code, _, err) = zhibiao(&["run", "--indicator", "hte_nwe", SUZHOU]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("did you mean hte_new"), "{err}");
}

// ---- rules show / rules indicators load as run does ----

#[test]
fn rules_show_adds_a_province_file_to_the_shipped_rules() {
    let (code, out, err) = zhibiao(&["rules", "show", "--rules", ZHEJIANG]);
    assert_eq!(code, 0, "{err}");
    // The analyst's 浙江 set beside the shipped 江苏 and 安徽, as run has them.
    for set in ["rule set 浙江", "rule set 江苏", "rule set 安徽"] {
        assert!(out.contains(set), "{set}: {out}");
    }
    let (code, out, err) = zhibiao(&["rules", "show", "--rules", ZHEJIANG, "--province", "江苏"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("发放苏科贷"), "{out}");
    // --rules-only: the file alone.
    let (code, out, err) = zhibiao(&["rules", "show", "--rules", ZHEJIANG, "--rules-only"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("rule set 浙江") && !out.contains("rule set 江苏"),
        "{out}"
    );
    let (code, out, err) = zhibiao(&["rules", "indicators", "--rules", ZHEJIANG]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("jiangsu: "),
        "the shipped files' rules are listed too: {out}"
    );
}

// ---- point 8: a misspelt keyword inside a rule ----

#[test]
fn a_misspelt_keyword_inside_a_rule_gets_did_you_mean() {
    let dir = own_folder(
        "typo.zb",
        "import \"zhibiao:common.zb\"\nrule 高企 -> hte_total {\n    match \"高企\" unles \"培育\" N:家\n}\n",
    );
    let (code, _, err) = common::zhibiao_in(dir.path(), &["lint", "typo.zb"], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("did you mean the keyword `unless`?"), "{err}");
    assert!(!err.contains("put it in quotes"), "{err}");
    // A pattern name that is no keyword's slip still gets the quoting hint.
    let dir = own_folder(
        "name.zb",
        "import \"zhibiao:common.zb\"\nrule 高企 -> hte_total {\n    match \"高企\" 无此名称甲 N:家\n}\n",
    );
    let (_, _, err) = common::zhibiao_in(dir.path(), &["lint", "name.zb"], &[]);
    assert!(err.contains("put it in quotes"), "{err}");
}
