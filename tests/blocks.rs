//! Running a report in blocks (what `run` does for big reports, so that
//! memory stays bounded) must give exactly the facts of running it whole:
//! the shipped rules, every own report, blocks from one byte to a few KB.

use std::path::Path;

use zhibiao::check::{builtin_sources, check};
use zhibiao::compile::compile;
use zhibiao::diag::Sources;
use zhibiao::engine;
use zhibiao::text::read_report;

#[test]
fn blocks_give_the_same_facts_as_the_whole_text() {
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let programs: Vec<_> = checked.sets.iter().map(|s| compile(s).0).collect();
    let mut reports = 0;
    for dir in ["samples", "tests/holdout/reports"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).expect("report folder") {
            let path = entry.expect("entry").path();
            let bytes = std::fs::read(&path).expect("report");
            let doc = read_report(&path.display().to_string(), &bytes, None).expect("readable");
            reports += 1;
            for program in &programs {
                let whole = engine::run(program, &doc);
                assert!(
                    program.set_name != "common" || !whole.is_empty(),
                    "{}: no facts at all",
                    path.display()
                );
                for size in [1, 97, 600, 4096] {
                    let blocks = engine::blocks_of(program, &doc, size);
                    // Blocks tile the text in order.
                    assert_eq!(blocks.first().map(|b| b.start), Some(0));
                    assert_eq!(blocks.last().map(|b| b.end), Some(doc.text.len()));
                    assert!(blocks.windows(2).all(|w| w[0].end == w[1].start));
                    if size < 600 {
                        assert!(
                            blocks.len() > 3,
                            "{}: {} blocks",
                            path.display(),
                            blocks.len()
                        );
                    }
                    let parts: Vec<_> = blocks
                        .into_iter()
                        .flat_map(|b| engine::run_block(program, &doc, b, None))
                        .collect();
                    assert_eq!(parts, whole, "{} in blocks of {size}", path.display());
                }
            }
        }
    }
    assert!(reports >= 9, "only {reports} reports");
}
