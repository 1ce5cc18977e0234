//! Scores the shipped rules on ../shared/corpus with ../shared/eval/score.py
//! and fails below the accuracy the rules promise (issue 5: F1 ≥ 0.95,
//! status accuracy ≥ 0.90). Skipped, with a printed reason, only when
//! ../shared or python3 is absent.

use std::path::PathBuf;
use std::process::Command;

const MIN_F1: f64 = 0.95;
const MIN_STATUS: f64 = 0.90;

fn shared() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

#[test]
fn shipped_rules_score_on_the_seed_corpus() {
    let shared = shared();
    let seeds = shared.join("corpus/seeds");
    let gold = shared.join("corpus/gold");
    let score = shared.join("eval/score.py");
    if !seeds.is_dir() || !gold.is_dir() || !score.is_file() {
        println!(
            "skipped: ../shared/corpus is absent ({} not found)",
            seeds.display()
        );
        return;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        println!("skipped: python3 is not installed, so score.py cannot run");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let facts = dir.path().join("facts.jsonl");
    let status = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["run", "--quiet", "--format", "jsonl", "-o"])
        .arg(&facts)
        .arg(&seeds)
        .status()
        .expect("run zhibiao");
    assert!(status.success(), "zhibiao run failed: {status}");
    let out = Command::new("python3")
        .arg(&score)
        .arg(&gold)
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
    let f1 = result["f1"].as_f64().expect("f1");
    let status_acc = result["status_accuracy"].as_f64().expect("status_accuracy");
    println!(
        "corpus: precision {} recall {} f1 {f1} status_accuracy {status_acc}",
        result["precision"], result["recall"]
    );
    assert!(
        f1 >= MIN_F1,
        "F1 {f1} below {MIN_F1}; misses: {}; false hits: {}",
        result["misses"],
        result["false_hits"]
    );
    assert!(
        status_acc >= MIN_STATUS,
        "status accuracy {status_acc} below {MIN_STATUS}; wrong: {}",
        result["wrong_status"]
    );
}
