//! `zhibiao test --watch`: runs, sees a rule file change on disk, runs
//! again and says which example changed outcome. Every wait is bounded,
//! so a watcher that never notices fails the test instead of hanging it.

use std::io::{BufRead, BufReader};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

mod common;

const LIMIT: Duration = Duration::from_secs(120);

#[test]
fn test_watch_reruns_on_save_and_names_what_changed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let file = tmp.path().join("r.zb");
    let good = "indicator hte_total \"高新技术企业总数\" unit 家\nrule 高企数 -> hte_total {\n    match \"高企\" N:家\n    example \"高企5家\" => 5\n    example \"别的5家\" => none\n}\n";
    std::fs::write(&file, good).expect("write");
    let mut child = common::zhibiao_command(tmp.path(), &["test", "--watch", "r.zb"])
        .spawn()
        .expect("spawn");
    // stdout (the summaries) and stderr (the watch lines), merged.
    let (tx, lines) = channel::<String>();
    for pipe in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
    }
    // stdout and stderr come through two pipes: lines of one run may
    // arrive in either order, so each wait is for a set of lines.
    let mut seen: Vec<String> = Vec::new();
    let mut wait_for_all = |needles: &[&str], child: &mut std::process::Child| {
        let deadline = Instant::now() + LIMIT;
        let mut missing: Vec<&str> = needles.to_vec();
        while !missing.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(l) => {
                    missing.retain(|n| !l.contains(n));
                    seen.push(l);
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("no lines with {missing:?} within {LIMIT:?}; saw {seen:#?}");
                }
            }
        }
    };
    wait_for_all(
        &["2 passed, 0 failed", "[watch] watching 1 file"],
        &mut child,
    );
    // Modification times can be coarse: make sure the new one differs.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(&file, good.replace("=> 5", "=> 6")).expect("write");
    wait_for_all(
        &[
            "r.zb changed; running again",
            "1 passed, 1 failed",
            "[watch] since the last run:",
            "new      r/高企数 example \"高企5家\" => 6: failed",
            "gone     r/高企数 example \"高企5家\" => 5",
        ],
        &mut child,
    );
    let _ = child.kill();
    let _ = child.wait();
}
