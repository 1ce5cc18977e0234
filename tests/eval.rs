//! `zhibiao eval` with the real binary: our own annotated fixtures
//! (figures, misses with their fixes, false hits, wrong months, coverage,
//! filters, thresholds, bad annotation files), and agreement with the
//! shared scorer (score.py) on the dev corpus.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const RULES: &str = "tests/fixtures/explain/rules.zb";
const GOLD: &str = "tests/fixtures/explain/gold";
const REPORTS: &str = "tests/fixtures/explain/reports";

fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&root(), args, &[])
}

fn eval(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["eval", "--rules", RULES, "--gold", GOLD];
    args.extend_from_slice(extra);
    args.push(REPORTS);
    zhibiao(&args)
}

#[test]
fn scores_explains_misses_and_lists_false_hits() {
    let (code, out, err) = eval(&[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("precision 0.875  recall 0.7  f1 0.7778"),
        "{out}"
    );
    assert!(
        out.contains("(1 reports without annotations left out)"),
        "{out}"
    );
    // Every miss says why.
    assert_eq!(out.matches("\n    why: ").count(), 3, "{out}");
    assert!(out.contains("help: add “增加到” to `let 达`"), "{out}");
    assert!(out.contains("r2 hte_total 3 by rules/宽泛高企"), "{out}");
    assert!(
        out.contains("rules whose every fact was a false hit (1): rules/宽泛高企"),
        "{out}"
    );
    insta::assert_snapshot!("eval_human", out);
}

#[test]
fn json_has_score_py_keys_and_the_details() {
    let (code, out, _) = eval(&["--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    for (key, want) in [
        ("docs", 2.0),
        ("tp", 7.0),
        ("fp", 1.0),
        ("fn", 3.0),
        ("precision", 0.875),
        ("recall", 0.7),
        ("f1", 0.7778),
        ("months_accuracy", 0.8571),
    ] {
        assert_eq!(v[key].as_f64(), Some(want), "{key}");
    }
    assert_eq!(v["misses"].as_array().map(Vec::len), Some(3));
    // r2's annotation says 1-9 where the title says 上半年 (1-6).
    assert_eq!(v["wrong_months"].as_array().map(Vec::len), Some(1));
    let miss = &v["misses"][0];
    assert_eq!(miss["figure"]["rules"][0]["kind"], "near_miss");
    assert!(miss["figure"]["rules"][0]["help"]["effect"]["found"].is_array());
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    insta::assert_json_snapshot!("eval_json", json);
}

#[test]
fn min_f1_fails_below_the_threshold() {
    let (code, _, err) = eval(&["--min-f1", "0.9"]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0612"), "{err}");
    let (code, _, _) = eval(&["--min-f1", "0.7"]);
    assert_eq!(code, 0);
}

#[test]
fn filters_by_indicator_and_rule() {
    let (code, out, _) = eval(&["--indicator", "tsme_registered", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!((v["tp"].as_u64(), v["fn"].as_u64()), (Some(1), Some(1)));
    let (code, out, _) = eval(&["--rule", "宽泛高企", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    // Its one fact is false; the hte_total annotations it did not find are missed.
    assert_eq!((v["tp"].as_u64(), v["fp"].as_u64()), (Some(0), Some(1)));
    let (code, _, err) = eval(&["--rule", "宽泛高"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean 宽泛高企?"), "{err}");
    let (code, _, err) = eval(&["--indicator", "hte_totals"]);
    assert_eq!(code, 1);
    assert!(err.contains("did you mean hte_total?"), "{err}");
}

#[test]
fn a_bad_annotation_file_spoils_only_itself() {
    let (code, out, err) = zhibiao(&[
        "eval",
        "--rules",
        RULES,
        "--gold",
        "tests/fixtures/explain/bad_gold",
        "--format",
        "json",
        REPORTS,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("ZB0610"), "{err}");
    assert!(err.contains("bad_gold/r1.json"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["docs"].as_u64(), Some(1));
    insta::assert_snapshot!("eval_bad_gold", err);
}

#[test]
fn no_annotated_report_is_an_error() {
    let (code, _, err) = zhibiao(&[
        "eval",
        "--rules",
        RULES,
        "--gold",
        GOLD,
        "tests/fixtures/explain/reports/r3.txt",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0613"), "{err}");
}

/// python3 and the shared corpus, when both are here.
fn shared_dev() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let shared = root().join("../shared");
    let dev = shared.join("corpus/dev");
    let score = shared.join("eval/score.py");
    if !dev.join("gold").is_dir() || !score.is_file() {
        common::skip_unless_required("../shared/corpus/dev or ../shared/eval/score.py is not here");
        return None;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        common::skip_unless_required("python3 is not installed");
        return None;
    }
    Some((dev.join("gold"), dev.join("reports"), score))
}

/// (doc stem, indicator, value at 6 places) of a list of score.py tuples
/// or of eval's objects.
fn keys(list: &serde_json::Value, python: bool) -> BTreeSet<(String, String, String)> {
    let stem = |s: &str| {
        let base = s.rsplit('/').next().unwrap_or(s);
        base.rsplit_once('.').map_or(base, |(h, _)| h).to_string()
    };
    list.as_array()
        .expect("a list")
        .iter()
        .map(|x| {
            let (doc, ind, val) = if python {
                (&x[0], &x[1], &x[2])
            } else {
                (&x["doc"], &x["indicator"], &x["value"])
            };
            (
                stem(doc.as_str().unwrap_or("")),
                ind.as_str().unwrap_or("").to_string(),
                format!("{:.6}", val.as_f64().unwrap_or(f64::NAN)),
            )
        })
        .collect()
}

#[test]
fn eval_agrees_with_score_py_on_the_dev_corpus() {
    let Some((gold, reports, score)) = shared_dev() else {
        return;
    };
    let (g, r) = (gold.display().to_string(), reports.display().to_string());
    let (code, jsonl, err) = zhibiao(&["run", "-q", "--format", "jsonl", &r]);
    assert_eq!(code, 0, "{err}");
    let dir = tempfile::tempdir().expect("tempdir");
    let facts = dir.path().join("dev.jsonl");
    std::fs::write(&facts, jsonl).expect("write facts");
    let py = Command::new("python3")
        .arg(&score)
        .arg(&g)
        .arg(&facts)
        .arg("--json")
        .output()
        .expect("python3 runs");
    assert!(py.status.success(), "score.py failed");
    let want: serde_json::Value = serde_json::from_slice(&py.stdout).expect("score.py json");
    let (code, out, err) = zhibiao(&["eval", "--no-explain", "--format", "json", "--gold", &g, &r]);
    assert_eq!(code, 0, "{err}");
    let got: serde_json::Value = serde_json::from_str(&out).expect("eval json");
    for key in [
        "docs",
        "tp",
        "fp",
        "fn",
        "precision",
        "recall",
        "f1",
        "status_accuracy",
        "year_accuracy",
        "months_accuracy",
    ] {
        assert_eq!(got[key], want[key], "{key} differs from score.py");
    }
    // The lists, compared without printing them (the dev corpus holds
    // reports held out from us: no per-fact lists in test output).
    for key in [
        "misses",
        "false_hits",
        "wrong_status",
        "wrong_year",
        "wrong_months",
    ] {
        let same = keys(&got[key], false) == keys(&want[key], true);
        assert!(
            same,
            "{key}: eval's list differs from score.py's (not printed)"
        );
    }
}

#[test]
fn eval_explains_every_dev_miss() {
    let Some((gold, reports, _)) = shared_dev() else {
        return;
    };
    let (g, r) = (gold.display().to_string(), reports.display().to_string());
    let (code, out, err) = zhibiao(&["eval", "--format", "json", "--gold", &g, &r]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let misses = v["misses"].as_array().expect("misses");
    // Counted, not printed (held-out reports).
    let without_reason = misses
        .iter()
        .filter(|m| m["reason"].as_str().is_none_or(str::is_empty))
        .count();
    assert_eq!(without_reason, 0, "misses without a reason");
}
