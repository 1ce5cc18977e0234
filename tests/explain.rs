//! `zhibiao explain` with the real binary on our own fixtures: a match with
//! its inference reasons, a lost conflict, a veto, near misses with their
//! fixes, a figure no rule anchors on, `--at`, `--number`, `--text`, stdin,
//! `--all`, JSON, annotations, filters; and the size of explain's output
//! on the shared seed reports.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RULES: &str = "tests/fixtures/explain/rules.zb";
const R1: &str = "tests/fixtures/explain/reports/r1.txt";

/// Runs the binary in the crate root; returns (exit code, stdout, stderr).
fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

/// `explain --rules RULES ARGS…`, which must succeed; its stdout.
fn explain(args: &[&str]) -> String {
    let mut all = vec!["explain", "--rules", RULES];
    all.extend_from_slice(args);
    let (code, out, err) = zhibiao(&all);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn whole_report_groups_findings_by_figure() {
    let out = explain(&[R1]);
    // Taken figures with reasons, a lost conflict, a veto, near misses
    // with their fixes; no figure is shown twice.
    assert!(out.contains("taken by rules/新增高企"), "{out}");
    assert!(out.contains("lost: rules/宽泛高企"), "{out}");
    assert!(out.contains("vetoed: rules/高企总数"), "{out}");
    assert!(out.contains("help: add “增加到” to `let 达`"), "{out}");
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("── ")).collect();
    let mut unique = headers.clone();
    unique.dedup();
    assert_eq!(headers, unique);
    insta::assert_snapshot!("explain_report", out);
}

#[test]
fn inference_reasons_for_a_target_in_a_plan_section() {
    let out = explain(&["--at", "12:13", R1]);
    assert!(
        out.contains("target: “力争” (rules/lexicon.zb:24) stands before it in its clause"),
        "{out}"
    );
    assert!(
        out.contains("2031: from the heading “二、2031年工作计划”"),
        "{out}"
    );
    insta::assert_snapshot!("explain_at_target", out);
}

#[test]
fn a_veto_with_the_words_to_remove() {
    insta::assert_snapshot!("explain_at_veto", explain(&["--at", "4", R1]));
}

#[test]
fn a_near_miss_a_unit_away() {
    let out = explain(&["--number", "152", R1]);
    assert!(
        out.contains("help: let `N:家` take 户 too: `N:家/户`"),
        "{out}"
    );
    insta::assert_snapshot!("explain_number_unit", out);
}

#[test]
fn a_near_miss_stopped_by_a_clause_mark() {
    let out = explain(&["--number", "1.2", R1]);
    assert!(out.contains("let the gap cross ，、："), "{out}");
    insta::assert_snapshot!("explain_number_clause", out);
}

#[test]
fn a_figure_no_rule_anchors_on() {
    let out = explain(&["--number", "2.5", R1]);
    assert!(
        out.contains("no anchor word within reach: rules/科技贷款"),
        "{out}"
    );
    insta::assert_snapshot!("explain_number_no_anchor", out);
}

#[test]
fn all_shows_near_misses_on_taken_figures() {
    let without = explain(&["--at", "3:25", R1]);
    let with = explain(&["--at", "3:25", "--all", R1]);
    assert!(without.contains("not shown: --all"), "{without}");
    assert!(!with.contains("not shown: --all"), "{with}");
    assert!(!without.contains("near miss: rules/宽泛高企"), "{without}");
    assert!(with.contains("near miss: rules/宽泛高企"), "{with}");
    insta::assert_snapshot!("explain_all", with);
}

#[test]
fn text_and_stdin_are_explained_like_a_report() {
    let text = "预计全年高新技术企业总数增至95家。";
    let out = explain(&["--text", text]);
    assert!(
        out.contains("estimate: “预计” (rules/lexicon.zb:21) stands before it in its clause"),
        "{out}"
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["explain", "--rules", RULES, "-"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let piped = child.wait_with_output().expect("wait");
    assert!(piped.status.success());
    let piped = String::from_utf8_lossy(&piped.stdout);
    // Same findings; only the name differs.
    assert_eq!(piped.replacen("- ·", "<text> ·", 1), out);
    insta::assert_snapshot!("explain_text", out);
}

#[test]
fn json_carries_the_same() {
    let out = explain(&["--format", "json", "--number", "150", R1]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let figure = &v["figures"][0];
    assert_eq!(figure["number"], "150家");
    assert_eq!(figure["at"]["line"], 6);
    let first = &figure["rules"][0];
    assert_eq!(first["kind"], "near_miss");
    assert_eq!(first["code"], "ZB0605");
    assert!(
        first["help"]["change"]
            .as_str()
            .is_some_and(|c| c.contains("增加到"))
    );
    insta::assert_snapshot!("explain_json", out);
}

#[test]
fn with_annotations_a_fix_says_what_it_does_elsewhere() {
    let out = explain(&[
        "--number",
        "150",
        "--gold",
        "tests/fixtures/explain/gold",
        R1,
    ]);
    assert!(
        out.contains("annotated: hte_total 150 estimate 2030"),
        "{out}"
    );
    assert!(
        out.contains(
            "on 2 annotated reports: finds 1 (r1 hte_total 150), loses 0, 0 new false hits"
        ),
        "{out}"
    );
    // Widening 宽泛高企's gap also takes the pool of 40 (a trap).
    assert!(out.contains("1 new false hits (r1 hte_total 40)"), "{out}");
    insta::assert_snapshot!("explain_gold", out);
}

#[test]
fn unknown_filters_get_a_suggestion_and_the_list() {
    let (code, _, err) = zhibiao(&["explain", "--rules", RULES, "--indicator", "hte_totl", R1]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0609"), "{err}");
    assert!(err.contains("did you mean hte_total?"), "{err}");
    let (code, _, err) = zhibiao(&["explain", "--rules", RULES, "--rule", "高企总量", R1]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean 高企总数?"), "{err}");
    assert!(err.contains("rules/科小入库"), "{err}");
    insta::assert_snapshot!("explain_unknown_rule", err);
}

#[test]
fn figures_that_are_not_there() {
    let (code, _, err) = zhibiao(&["explain", "--rules", RULES, "--number", "999", R1]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0611"), "{err}");
    let (code, _, err) = zhibiao(&["explain", "--rules", RULES, "--at", "2:1", R1]);
    assert_eq!(code, 1, "{err}");
    let (code, out, _) = zhibiao(&["explain", "--rules", RULES, "--at", "1:9", R1]);
    assert_eq!(code, 0);
    assert!(out.contains("no rule takes a number like this"), "{out}");
    let (code, _, err) = zhibiao(&["explain", "--rules", RULES, "--at", "x", R1]);
    assert_eq!(code, 1);
    assert!(err.contains("LINE"), "{err}");
    let (code, _, _) = zhibiao(&["explain", "--rules", RULES]);
    assert_eq!(code, 1);
}

#[test]
fn a_filter_keeps_one_indicator() {
    let out = explain(&["--indicator", "tsme_registered", R1]);
    assert!(out.contains("310家"), "{out}");
    assert!(!out.contains("rules/高企总数 ("), "{out}");
}

/// The shared seed reports, when present.
fn seeds() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/corpus/seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    Some(paths)
}

#[test]
fn explain_on_each_seed_report_stays_small() {
    let Some(seeds) = seeds() else {
        common::skip_unless_required("../shared/corpus/seeds is not here");
        return;
    };
    for path in seeds {
        let p = path.display().to_string();
        let (code, out, err) = zhibiao(&["explain", &p]);
        assert_eq!(code, 0, "{err}");
        assert!(out.len() < 60_000, "{p}: {} bytes", out.len());
        // Every figure block stays under about 4 KB.
        for block in out.split("\n── ").skip(1) {
            assert!(block.len() < 4_096, "{p}: a block of {} bytes", block.len());
        }
        assert!(out.contains("taken by"), "{p}");
    }
}

#[test]
fn number_answers_about_a_figure_no_rule_anchors_on() {
    // Our own report: a money figure (万元, a unit money rules take) that
    // no indicator is about — what brochures cost — so no rule's anchor
    // word stands near it, whatever the rules learn next.
    let p = "tests/fixtures/decide/no_anchor.txt";
    let (code, out, err) = zhibiao(&["explain", "--number", "18.6", p]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("18.6万元"), "{out}");
    assert!(out.contains("no anchor word within reach:"), "{out}");
    assert!(!out.contains("taken by"), "{out}");
}

#[test]
fn explain_is_bounded_on_a_report_of_one_endless_sentence() {
    // 200 KB of the same clause: the output stays a few kilobytes.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("endless.txt");
    std::fs::write(&path, "全县高新技术企业总数达到12家,".repeat(7_000)).expect("write");
    let out = explain(&[path.to_str().expect("utf-8 path")]);
    assert!(out.len() < 60_000, "{} bytes", out.len());
    assert!(out.contains("more figures left out"), "{out}");
}

/// The shipped rules' new readings show in explain: a subject carried into
/// a later clause, the later figure of a from–to phrase, and a carried
/// match dropped because its clause names a subject of its own.
#[test]
fn readings_of_the_shipped_rules_are_shown() {
    let text = "某市科技局2031年工作总结\n全市技术合同成交额9月底达到18.4亿元，全年有望突破26亿元。\
                研发投入强度从1.9%提高到2.3%。科技型中小企业入库640家，众创空间达到35家。";
    let (code, out, err) = zhibiao(&["explain", "--text", text]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("read: subject 技术合同 carried from “技术合同成交额”"),
        "{out}"
    );
    assert!(
        out.contains("read: the later figure of a from–to phrase (the earlier, “1.9%”"),
        "{out}"
    );
    let (code, out, err) = zhibiao(&["explain", "--all", "--number", "35", "--text", text]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("is not carried to this clause: it names “众创空间达到” of its own"),
        "{out}"
    );
    insta::assert_snapshot!("explain_readings", out);
}

#[test]
fn a_figure_in_a_table_column_says_so() {
    // A table flattened one cell per line: the row reads as one line and
    // the column's header decides the status.
    let text = "序号\n\n工作目标\n\n完成情况\n\n1\n\n新增高新技术企业40家\n\n新增高新技术企业43家\n\n2\n\n新增高新技术企业50家\n\n新增高新技术企业52家\n";
    let out = explain(&["--text", text, "--number", "40"]);
    assert!(
        out.contains("target: no cue word; it stands in the table column “工作目标”"),
        "{out}"
    );
    let out = explain(&["--text", text, "--number", "43"]);
    assert!(
        out.contains("actual: no cue word; it stands in the table column “完成情况”"),
        "{out}"
    );
}

#[test]
fn a_breakdown_part_says_whose_part_it_is() {
    // In its own sentence and in a sentence that opens with 其中, asked
    // about the whole report and about the part alone.
    for text in [
        "全区新增高新技术企业41家，其中东湖街道新增高新技术企业9家。",
        "全区新增高新技术企业41家。其中，东湖街道新增高新技术企业9家。",
    ] {
        for args in [vec!["--text", text], vec!["--text", text, "--number", "9"]] {
            let out = explain(&args);
            // The breakdown word is the lexicon's, and explain cites its line.
            assert!(
                out.contains("it is a part (其中 …, rules/lexicon.zb:")
                    && out.contains(") of the figure at 1:11 that"),
                "{args:?}\n{out}"
            );
            assert!(!out.contains("hte_new = 9"), "{args:?}\n{out}");
        }
    }
}

#[test]
fn a_bare_figure_in_a_table_row_names_the_figure_it_follows() {
    let page = "<html><body><p>西岭县科技局2031年工作总结</p><table><tr><td>指标名称</td><td>年度目标</td><td>完成情况</td></tr><tr><td>新增高新技术企业</td><td>25家</td><td>29家</td></tr></table></body></html>";
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("table.html");
    std::fs::write(&path, page).expect("write");
    let path = path.to_string_lossy().to_string();
    let out = explain(&[path.as_str(), "--number", "29"]);
    assert!(out.contains("hte_new = 29 家 · actual"), "{out}");
    assert!(
        out.contains("alone in its table cell, in the row of “25家”"),
        "{out}"
    );
    assert!(
        out.contains("it stands in the table column “完成情况”"),
        "{out}"
    );
}
