//! Reports: arbitrary bytes through the reading layer and the engine with
//! the shipped rules. Either a clean per-file error or facts whose offsets
//! lie inside the file, the same whether the text runs whole or in blocks.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zhibiao::compile::{Program, compile};
use zhibiao::diag::Sources;
use zhibiao::output::{ReportInfo, records};

fn programs() -> &'static Vec<Program> {
    static PROGRAMS: OnceLock<Vec<Program>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let mut sources = Sources::new();
        let files = zhibiao::check::builtin_sources(&mut sources);
        let checked = zhibiao::check::check(&sources, &files);
        assert!(!checked.has_errors(), "shipped rules must check cleanly");
        checked.sets.iter().map(|s| compile(s).0).collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = zhibiao::text::read_report("fuzz.txt", data, None) else {
        return;
    };
    let _ = zhibiao::province::detect(
        doc.meta.issuer.as_deref(),
        doc.meta.title.as_deref(),
        &doc.text,
    );
    let info = ReportInfo {
        doc: "fuzz.txt".into(),
        year: doc.report_year,
        ..Default::default()
    };
    for program in programs() {
        let facts = zhibiao::engine::run(program, &doc);
        // Small blocks (as big reports are run) give the same facts.
        let blocks: Vec<_> = zhibiao::engine::blocks_of(program, &doc, 64)
            .into_iter()
            .flat_map(|b| zhibiao::engine::run_block(program, &doc, b, None))
            .collect();
        assert_eq!(blocks, facts, "facts differ when run in blocks");
        for f in &facts {
            assert!(f.span.start <= f.span.end && f.span.end <= doc.text.len());
            assert!(
                doc.text.is_char_boundary(f.span.start) && doc.text.is_char_boundary(f.span.end)
            );
        }
        for r in records(&doc, &info, &facts, |i| {
            program.rules[i].qualified_name.clone()
        }) {
            assert!(
                r.start <= r.end && r.end <= data.len(),
                "offsets {}..{} outside {} bytes",
                r.start,
                r.end,
                data.len()
            );
        }
    }
});
