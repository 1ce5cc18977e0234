//! The library front door (`zhibiao::workspace`, issue 20): rules loaded
//! once, `--province` read one way by every command, a report processed
//! through the library as `run` processes it.

mod common;

use std::path::PathBuf;

use zhibiao::input::Input;
use zhibiao::workspace::{self, ProvinceChoice};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

#[test]
fn one_province_reader_for_every_name() {
    let rules = workspace::load_rules(&[]).expect("the shipped rules load");
    let fallback = rules.fallback().expect("a common set");
    let jiangsu = rules.province("江苏").expect("江苏 has rules");
    for (name, want) in [
        (None, ProvinceChoice::Auto),
        (Some("auto"), ProvinceChoice::Auto),
        (Some("common"), ProvinceChoice::Fixed(fallback)),
        (Some("none"), ProvinceChoice::Fixed(fallback)),
        (Some("江苏"), ProvinceChoice::Fixed(jiangsu)),
        (Some("江苏省"), ProvinceChoice::Fixed(jiangsu)),
    ] {
        assert_eq!(
            workspace::parse_province(&rules, name).ok(),
            Some(want),
            "{name:?}"
        );
    }
    // A province without a rule file runs the common rules as that
    // province (issue 24, point 9); a name that is no province is an error.
    assert_eq!(
        workspace::parse_province(&rules, Some("江西省")).ok(),
        Some(ProvinceChoice::Common(fallback, "江西".into()))
    );
    let unknown = workspace::parse_province(&rules, Some("江鼠")).expect_err("no such province");
    assert_eq!(unknown.code.as_str(), "ZB0502");
}

#[test]
fn explain_and_eval_take_province_common_as_run_does() {
    let text = "全县高新技术企业总数达到88家。";
    for province in ["common", "auto", "江苏"] {
        let (code, out, err) = zhibiao(&["explain", "--text", text, "--province", province]);
        assert_eq!(code, 0, "explain --province {province}: {err}");
        assert!(out.contains("88"), "{out}");
    }
    // 江西 has no rule file: the common rules run, with a one-line note.
    let (code, out, err) = zhibiao(&["explain", "--text", text, "--province", "江西"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("88"), "{out}");
    assert!(err.contains("no rule file for 江西"), "{err}");
    let (code, _, err) = zhibiao(&["explain", "--text", text, "--province", "江鼠"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("ZB0502") || err.contains("no rules for province"),
        "{err}"
    );
    let eval = |province: &str| {
        zhibiao(&[
            "eval",
            "--rules",
            "tests/fixtures/explain/rules.zb",
            "--gold",
            "tests/fixtures/explain/gold",
            "--province",
            province,
            "--format",
            "json",
            "--no-explain",
            "tests/fixtures/explain/reports",
        ])
    };
    let (code, common_out, err) = eval("common");
    assert_eq!(code, 0, "eval --province common: {err}");
    let (code, auto_out, err) = eval("auto");
    assert_eq!(code, 0, "{err}");
    // The fixture's rules are common rules: `common` and `auto` agree.
    assert_eq!(common_out, auto_out);
}

#[test]
fn a_report_through_the_library_is_a_report_through_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("county_2023.txt");
    std::fs::write(
        &path,
        "某县科技局2023年工作总结\n全县高新技术企业总数突破200家，达208家。\n",
    )
    .expect("write");
    let rules = workspace::load_rules(&[]).expect("the shipped rules load");
    let choice = workspace::parse_province(&rules, Some("common")).expect("common");
    let outcome =
        workspace::process(&rules, &choice, &Input::from_arg(&path), false).expect("processed");
    let values: Vec<String> = outcome
        .records
        .iter()
        .map(|r| r.value.to_string())
        .collect();
    assert_eq!(values, ["208"]);
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--province",
        "common",
        "--format",
        "jsonl",
        path.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<String> = outcome
        .records
        .iter()
        .map(|r| serde_json::to_string(r).expect("json"))
        .collect();
    assert_eq!(out.lines().collect::<Vec<_>>(), lines);
}

#[test]
fn rules_that_do_not_load_are_returned_not_printed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.zb");
    std::fs::write(&bad, "rule 坏 -> nowhere { match \"x\" N:家 }\n").expect("write");
    let err = match workspace::load_rules(std::slice::from_ref(&bad)) {
        Ok(_) => panic!("a rule for an undeclared indicator loads"),
        Err(e) => e,
    };
    assert!(err.errors > 0);
    assert_eq!(err.errors, err.diagnostics.len());
    assert!(err.diagnostics.iter().all(|d| d.is_error()));
    let empty = tempfile::tempdir().expect("tempdir");
    let none = match workspace::load_rules(&[empty.path().to_path_buf()]) {
        Ok(_) => panic!("an empty folder loads rules"),
        Err(e) => e,
    };
    assert_eq!(none.errors, 0);
    assert_eq!(none.diagnostics.len(), 1);
}

#[test]
fn lint_through_the_library_finds_what_lint_prints() {
    let linted = workspace::lint(&[root().join("tests/fixtures/explain/rules.zb")], false);
    assert!(
        linted.diagnostics.iter().all(|d| !d.is_error()),
        "{:?}",
        linted.diagnostics
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.zb");
    std::fs::write(&bad, "rule 坏 -> nowhere { match \"x\" N:家 }\n").expect("write");
    let linted = workspace::lint(std::slice::from_ref(&bad), false);
    assert!(linted.diagnostics.iter().any(|d| d.is_error()));
}

#[test]
fn a_text_in_memory_runs_as_a_file_and_a_url_places_it() {
    let rules = workspace::load_rules(&[]).expect("the shipped rules load");
    let choice = workspace::parse_province(&rules, None).expect("auto");
    // My own wording: a district's text that names no place, and its page.
    let text = "全区科技创新工作持续推进，高新技术企业达到77家。\n";
    let alone = workspace::process_bytes(&rules, &choice, "<text>".into(), text.into(), None)
        .expect("processed");
    assert_eq!(alone.records.len(), 1);
    assert_eq!(alone.records[0].value.to_string(), "77");
    assert_eq!(alone.records[0].doc, "<text>");
    assert_eq!(alone.records[0].region, None);
    let page = workspace::PageInfo {
        url: Some("http://www.jinshui.gov.cn/kjj/21.html".into()),
        ..workspace::PageInfo::default()
    };
    let placed = workspace::process_bytes(&rules, &choice, "page".into(), text.into(), Some(&page))
        .expect("processed");
    assert_eq!(placed.records.len(), 1);
    assert_eq!(placed.records[0].region.as_deref(), Some("郑州市金水区"));
    assert_eq!(placed.records[0].region_source.as_deref(), Some("manifest"));
    // Bytes that are no text are a diagnostic, not a panic.
    let bad = workspace::process_bytes(
        &rules,
        &choice,
        "bin".into(),
        vec![0, 159, 146, 150, 0, 0],
        None,
    );
    if let Err(d) = bad {
        assert!(d.code.as_str().starts_with("ZB"), "{d:?}");
    }
}

#[test]
fn examples_explanations_and_scores_come_back_as_data() {
    let rules = workspace::load_rules(&[]).expect("the shipped rules load");
    let run = workspace::test_examples(&rules, false, &["高企总数".to_string()]).expect("a rule");
    assert!(run.passed > 0 && run.failed == 0, "{} failed", run.failed);
    let report = run.to_report(&rules);
    assert_eq!(report.examples.len(), run.passed + run.todo);
    assert!(report.examples.iter().all(|e| e.rule.ends_with("高企总数")));
    let unknown = match workspace::test_examples(&rules, false, &["没有这条".to_string()]) {
        Ok(_) => panic!("an unknown rule name runs"),
        Err(d) => d,
    };
    assert_eq!(unknown.code.as_str(), "ZB0711");

    let req = workspace::ExplainRequest {
        text: Some("全市高新技术企业达到45家。".into()),
        number: Some("45".into()),
        ..workspace::ExplainRequest::default()
    };
    let done = match workspace::explain(&rules, &req) {
        Ok(e) => e,
        Err(_) => panic!("explain stopped"),
    };
    assert_eq!(done.output.figures.len(), 1);
    assert!(done.notes.is_empty());
    let missing = workspace::ExplainRequest {
        number: Some("46".into()),
        ..req
    };
    match workspace::explain(&rules, &missing) {
        Err(workspace::ExplainStop::Diagnostics(d, _, 1)) => {
            assert_eq!(d.last().map(|d| d.code.as_str()), Some("ZB0611"), "{d:?}");
        }
        _ => panic!("a number not in the text is explained"),
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let gold = dir.path().join("gold");
    std::fs::create_dir(&gold).expect("mkdir");
    let reports = [dir.path().join("reports")];
    std::fs::create_dir(&reports[0]).expect("mkdir");
    std::fs::write(reports[0].join("a.txt"), "全市高新技术企业达到45家。\n").expect("write");
    let scored = workspace::evaluate(
        &rules,
        &workspace::EvalRequest {
            gold: &gold,
            reports: &reports,
            province: None,
            indicator: &[],
            rule: &[],
            explain: true,
        },
    );
    match scored.view {
        Err((d, 1)) => assert_eq!(d.code.as_str(), "ZB0613", "{d:?}"),
        _ => panic!("a report without annotations is scored"),
    }
}
