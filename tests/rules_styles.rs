//! The shipped rules on short reports worded the way bureaus across China
//! write, not only the seed reports'. The cases are report-level examples
//! in the rule files themselves (`report NAME { line "…" => … }` at the end
//! of rules/common.zb, jiangsu.zb, anhui.zb), so an author adds a case
//! without touching Rust; this test runs `zhibiao test` on them and holds
//! the suite to its size.

use std::process::Command;

use serde_json::Value;

/// `zhibiao test --format json ARGS…`: the exit status and the document.
fn zhibiao_test(args: &[&str]) -> (bool, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("test")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("zhibiao runs");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.success(), doc)
}

/// The report lines of a `zhibiao test` document.
fn report_lines(doc: &Value) -> Vec<&Value> {
    doc["examples"]
        .as_array()
        .expect("examples")
        .iter()
        .filter(|e| e["kind"] == "report")
        .collect()
}

#[test]
fn shipped_rules_on_many_styles() {
    let (ok, doc) = zhibiao_test(&["rules/"]);
    let lines = report_lines(&doc);
    let failed: Vec<String> = lines
        .iter()
        .filter(|e| e["outcome"] != "passed")
        .map(|e| {
            format!(
                "{}:{} {} — {}",
                e["file"], e["line"], e["rule"], e["message"]
            )
        })
        .collect();
    assert!(
        failed.is_empty(),
        "{} report lines failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert!(ok, "zhibiao test failed: {doc}");
    // The suite stays large, with many traps, and covers the provinces'
    // own rule sets too.
    let traps = lines
        .iter()
        .filter(|e| {
            e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("expected no fact"))
        })
        .count();
    assert!(lines.len() >= 250, "{} report lines", lines.len());
    assert!(traps >= 40, "{traps} traps");
    for set in ["common/", "江苏/", "安徽/"] {
        assert!(
            lines
                .iter()
                .any(|e| e["rule"].as_str().is_some_and(|r| r.starts_with(set))),
            "no report of {set}"
        );
    }
}

/// A report file of our own: a summary with a plan section, a line whose
/// facts are listed, a context line, a trap.
const REPORT: &str = r#"indicator hte_total "高新技术企业总数" unit 家
rule 高企总数 -> hte_total {
    match "高新技术企业" …{0,6} "达到" N:家
    unless "培育"
    example "高新技术企业总数达到300家" => 300
    example "高新技术企业培育库企业达到40家" => none
}
report 总结和计划 {
    line "某县科技局2023年工作总结和2024年工作计划"
    line "一、2023年工作成效"
    line "全县高新技术企业总数达到120家。" => hte_total 120 actual 2023
    line "高新技术企业培育库企业达到40家。" => none
    line "二、2024年工作计划"
    line "全县高新技术企业总数达到150家以上。" => hte_total 150 target 2024
}
"#;

#[test]
fn a_report_example_runs_the_whole_set_with_its_sections() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("own.zb");
    std::fs::write(&path, REPORT).expect("write");
    let (ok, doc) = zhibiao_test(&[path.to_str().expect("utf-8 path")]);
    assert!(ok, "{doc}");
    let lines = report_lines(&doc);
    assert_eq!(lines.len(), 3, "{doc}");
    assert!(lines.iter().all(|e| e["outcome"] == "passed"), "{doc}");
}

#[test]
fn a_report_line_that_gives_another_fact_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("own.zb");
    // The plan section makes 150 a target; the line says actual. A
    // context line (no `=>`) that gives a fact fails too.
    let text = REPORT
        .replace("hte_total 150 target 2024", "hte_total 150 actual")
        .replace(
            "line \"一、2023年工作成效\"",
            "line \"一、2023年工作成效\"\n    line \"全县高新技术企业达到99家。\"",
        );
    std::fs::write(&path, text).expect("write");
    let (ok, doc) = zhibiao_test(&[path.to_str().expect("utf-8 path")]);
    assert!(!ok, "{doc}");
    let failed: Vec<&Value> = report_lines(&doc)
        .into_iter()
        .filter(|e| e["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 2, "{doc}");
    assert_eq!(failed[0]["diagnostic"]["code"], "ZB0616", "{doc}");
    assert!(
        failed[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("expected no fact, got hte_total 99 actual")),
        "{doc}"
    );
    assert!(
        failed[1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("got hte_total 150 target 2024")),
        "{doc}"
    );
}

#[test]
fn a_report_fact_that_cannot_hold_is_a_lint_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("own.zb");
    std::fs::write(&path, REPORT.replace("=> hte_total 120", "=> hte_totl 120")).expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["lint", path.to_str().expect("utf-8 path")])
        .output()
        .expect("zhibiao runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("ZB0202") && err.contains("did you mean hte_total?"),
        "{err}"
    );
    // Months that are no months, and a unit of another kind.
    std::fs::write(
        &path,
        REPORT
            .replace("actual 2023", "actual 2023 9-3")
            .replace("hte_total 150 target", "hte_total 150 亿元 target"),
    )
    .expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["lint", path.to_str().expect("utf-8 path")])
        .output()
        .expect("zhibiao runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert_eq!(err.matches("ZB0314").count(), 2, "{err}");
    assert!(
        err.contains("`9-3` are not months") && err.contains("亿元 does not convert"),
        "{err}"
    );
}
