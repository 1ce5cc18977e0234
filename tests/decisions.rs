//! Every drop is decided once, by the resolver, and reported from there
//! (issue 20): `explain` and `zhibiao test` print the resolver's record of
//! why a figure was dropped — the rival, the threshold's exact figure, the
//! part that passed — and work nothing out again.

mod common;

use std::path::PathBuf;

use zhibiao::engine::resolve::{Dropped, PartWins, Settler, pair_respectively};
use zhibiao::text::{SourceFormat, read_report};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

const THRESHOLD: &str = "全县高新技术企业总数突破200家，达208家。";
const PASSED: &str = "全县开展高新技术企业评价60家，其中有23家通过评价确认。";
const RULES: &str = "tests/fixtures/decide/rules.zb";

/// The `lost` lines `explain --number N` prints about `text`.
fn lost_lines(text: &str, number: &str, rules: &[&str]) -> Vec<String> {
    let mut args = vec!["explain", "--text", text, "--number", number];
    for r in rules {
        args.extend(["--rules", r]);
    }
    let (code, out, err) = zhibiao(&args);
    assert_eq!(code, 0, "{err}");
    out.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("lost:"))
        .map(String::from)
        .collect()
}

#[test]
fn a_threshold_names_the_exact_figure_it_gave_way_to() {
    let lost = lost_lines(THRESHOLD, "200", &[]);
    let by_threshold: Vec<&String> = lost.iter().filter(|l| l.contains("threshold")).collect();
    assert_eq!(by_threshold.len(), 1, "{lost:#?}");
    // The exact figure, at its own place (1:19), not the threshold's (1:13).
    assert!(
        by_threshold[0].contains("208") && by_threshold[0].contains("1:19"),
        "{lost:#?}"
    );
    assert!(
        !lost.iter().any(|l| l.contains("already taken")),
        "no fact of 200 was ever taken: {lost:#?}"
    );
}

#[test]
fn a_whole_names_the_part_that_passed() {
    let lost = lost_lines(PASSED, "60", &[RULES]);
    assert_eq!(lost.len(), 1, "{lost:#?}");
    let line = &lost[0];
    assert!(line.contains("评价企业"), "{line}");
    assert!(
        line.contains("the part that passed") && line.contains("“通过”"),
        "{line}"
    );
    // The part's place and rule.
    assert!(line.contains("1:20") && line.contains("其中通过"), "{line}");
    assert!(!line.contains("already taken"), "{line}");
}

#[test]
fn the_resolver_records_each_drop_where_it_decides() {
    let sources_program = |path: &str| {
        let mut sources = zhibiao::diag::Sources::new();
        let text = std::fs::read_to_string(root().join(path)).expect("fixture");
        let file = sources.add(path, text);
        let checked = zhibiao::check::check(&sources, &[file]);
        assert!(!checked.has_errors());
        zhibiao::compile::compile(&checked.sets[0]).0
    };
    let program = sources_program(RULES);
    let doc = read_report("<t>", PASSED.as_bytes(), Some(SourceFormat::Text)).expect("read");
    let mut candidates = Vec::new();
    zhibiao::engine::scan(&program, &doc, None, &mut |_, a| {
        if let zhibiao::engine::Attempt::Candidate(c) = a {
            candidates.push(c);
        }
    });
    pair_respectively(&program, &doc, &mut candidates);
    let mut settler = Settler::recording(&doc);
    let facts = settler.settle(&program, &doc, candidates);
    let values: Vec<String> = facts.iter().map(|f| f.value.to_string()).collect();
    assert_eq!(values, ["23"]);
    let drops = settler.take_drops();
    assert_eq!(drops.len(), 1, "{drops:#?}");
    let at_23 = doc.text.find("23").expect("23");
    match &drops[0].why {
        Dropped::GaveWayToPart { at, word, kind, .. } => {
            assert_eq!(*at, at_23);
            assert_eq!(*word, "通过");
            assert_eq!(*kind, PartWins::Passed);
        }
        other => panic!("{other:?}"),
    }
    // Without recording, nothing is kept.
    let mut quiet = Settler::new(&doc);
    let _ = quiet.settle(&program, &doc, Vec::new());
    assert!(quiet.take_drops().is_empty());
}

#[test]
fn zhibiao_test_says_why_the_resolver_dropped_an_example_figure() {
    let (code, out, err) = zhibiao(&[
        "test",
        "tests/fixtures/decide/threshold_example.zb",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "the example expects the threshold: {out}{err}");
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
    let notes = doc["examples"][0]["diagnostic"]["notes"].to_string();
    assert!(
        notes.contains("200家") && notes.contains("threshold") && notes.contains("208"),
        "{notes}"
    );
}
