//! The shipped rules on whole reports nobody wrote them for.
//!
//! tests/holdout/reports holds six reports of our own (浙江, 广东, 山东, 四川,
//! 河南, 湖北; one HTML page with navigation and scripts, one GBK file; a
//! summary, summaries with plans, a plan-only 工作要点), annotated by hand in
//! tests/holdout/gold in the seeds' gold format. The binary extracts them and
//! shared/eval/score.py scores the result; skipped, with the reason printed,
//! when python3 or the shared scorer is missing.

mod common;

use std::path::Path;
use std::process::Command;

/// Floors: the level reached, minus a small margin.
const MIN_F1: f64 = 0.95;
const MIN_STATUS: f64 = 0.93;

fn number(json: &str, key: &str) -> f64 {
    let at = json
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in scorer output: {json}"));
    let rest = &json[at + key.len() + 3..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    rest[..end].trim().parse().expect("a number")
}

#[test]
fn holdout_reports_score() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scorer = root.join("../shared/eval/score.py");
    if !scorer.exists() {
        common::skip_unless_required(&format!("{} is missing", scorer.display()));
        return;
    }
    if Command::new("python3").arg("--version").output().is_err() {
        common::skip_unless_required("python3 is not available");
        return;
    }
    let out_file =
        std::env::temp_dir().join(format!("zhibiao-holdout-{}.jsonl", std::process::id()));
    let run = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .current_dir(root)
        .args(["run", "--quiet", "--format", "jsonl", "-o"])
        .arg(&out_file)
        .arg("tests/holdout/reports")
        .output()
        .expect("run zhibiao");
    assert!(
        run.status.success(),
        "zhibiao run failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let score = Command::new("python3")
        .arg(&scorer)
        .arg(root.join("tests/holdout/gold"))
        .arg(&out_file)
        .arg("--json")
        .output()
        .expect("run score.py");
    let _ = std::fs::remove_file(&out_file);
    assert!(
        score.status.success(),
        "score.py failed: {}",
        String::from_utf8_lossy(&score.stderr)
    );
    let json = String::from_utf8_lossy(&score.stdout).to_string();
    let (p, r, f1, st) = (
        number(&json, "precision"),
        number(&json, "recall"),
        number(&json, "f1"),
        number(&json, "status_accuracy"),
    );
    println!("holdout: precision {p} recall {r} F1 {f1} status accuracy {st}");
    assert!(f1 >= MIN_F1, "holdout F1 {f1} < {MIN_F1}: {json}");
    assert!(
        st >= MIN_STATUS,
        "holdout status accuracy {st} < {MIN_STATUS}: {json}"
    );
}
