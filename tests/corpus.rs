//! Scores the shipped rules on ../shared/corpus with ../shared/eval/score.py
//! and fails below the accuracy the rules promise:
//! - the seed reports (tuned on): F1 ≥ 0.98, status ≥ 0.98, year ≥ 0.95;
//! - the dev corpus (166 real excerpts from 30 provinces): F1 ≥ 0.96,
//!   precision ≥ 0.965, status ≥ 0.965, year ≥ 0.905 (reached: 0.971,
//!   0.976, 0.975, 0.915).
//!
//! Skipped, with a printed reason, only when ../shared or python3 is absent.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one corpus must reach.
struct Floor {
    f1: f64,
    precision: f64,
    status: f64,
    year: f64,
}

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

/// Runs the shipped rules over `reports`, scores them against `gold` with
/// score.py, and checks `floor`. Returns false (after saying why) when the
/// corpus or python3 is missing.
fn score(name: &str, reports: &Path, gold: &Path, floor: &Floor) -> bool {
    let score = shared().join("eval/score.py");
    if !reports.is_dir() || !gold.is_dir() || !score.is_file() {
        common::skip_unless_required(&format!(
            "{name}: ../shared/corpus is absent ({} not found)",
            reports.display()
        ));
        return false;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        common::skip_unless_required(&format!(
            "{name}: python3 is not installed, so score.py cannot run"
        ));
        return false;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let facts = dir.path().join("facts.jsonl");
    let status = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["run", "--quiet", "--format", "jsonl", "-o"])
        .arg(&facts)
        .arg(reports)
        .status()
        .expect("run zhibiao");
    assert!(status.success(), "zhibiao run failed on {name}: {status}");
    let out = Command::new("python3")
        .arg(&score)
        .arg(gold)
        .arg(&facts)
        .arg("--json")
        .output()
        .expect("run score.py");
    assert!(
        out.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let result: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("score.py prints JSON");
    let get = |k: &str| result[k].as_f64().unwrap_or(0.0);
    println!(
        "{name}: precision {} recall {} f1 {} status {} year {} months {}",
        get("precision"),
        get("recall"),
        get("f1"),
        get("status_accuracy"),
        get("year_accuracy"),
        get("months_accuracy")
    );
    let checks = [
        ("F1", get("f1"), floor.f1, "misses", "false_hits"),
        (
            "precision",
            get("precision"),
            floor.precision,
            "false_hits",
            "false_hits",
        ),
        (
            "status accuracy",
            get("status_accuracy"),
            floor.status,
            "wrong_status",
            "wrong_status",
        ),
        (
            "year accuracy",
            get("year_accuracy"),
            floor.year,
            "wrong_year",
            "wrong_year",
        ),
    ];
    for (what, got, min, a, b) in checks {
        assert!(
            got >= min,
            "{name}: {what} {got} below {min}; {a}: {}; {b}: {}",
            result[a],
            result[b]
        );
    }
    true
}

#[test]
fn shipped_rules_score_on_the_seed_corpus() {
    let shared = shared();
    score(
        "seeds",
        &shared.join("corpus/seeds"),
        &shared.join("corpus/gold"),
        &Floor {
            f1: 0.98,
            precision: 0.98,
            status: 0.98,
            year: 0.95,
        },
    );
}

#[test]
fn shipped_rules_score_on_the_dev_corpus() {
    let shared = shared();
    score(
        "dev",
        &shared.join("corpus/dev/reports"),
        &shared.join("corpus/dev/gold"),
        &Floor {
            f1: 0.96,
            precision: 0.965,
            status: 0.965,
            year: 0.905,
        },
    );
}
