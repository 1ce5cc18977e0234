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
