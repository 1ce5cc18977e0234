//! "Matching is linear in the report" and "explain is linear and bounded"
//! (ARCHITECTURE.md), asserted by counting work rather than timing it: the
//! work meter (`zhibiao::work`: the verifier's steps — states looked up
//! plus memo words cleared — and the bytes inference and the resolver look
//! at) on a text and on the same text twice
//! and ten times over. Each repeat is its own paragraph, so the facts
//! multiply exactly; the steps may not grow faster.

mod common;

use std::path::PathBuf;

use zhibiao::engine;
use zhibiao::explain::{Options, explain_report};
use zhibiao::text::{Document, SourceFormat, read_report};
use zhibiao::work;

/// The sample reports (in the repository), decoded and normalized, as one
/// text.
fn samples_text() -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples/")
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    let mut text = String::new();
    for p in paths {
        let bytes = std::fs::read(&p).expect("sample");
        let doc = read_report(&p.display().to_string(), &bytes, None).expect("sample reads");
        text.push_str(&doc.text);
        text.push('\n');
    }
    text
}

fn doc_of(text: &str) -> Document {
    read_report("<t>", text.as_bytes(), Some(SourceFormat::Text)).expect("reads")
}

/// (work, facts) of one run of the common rules over `text`.
fn run_steps(program: &zhibiao::compile::Program, text: &str) -> (u64, usize) {
    let doc = doc_of(text);
    work::take();
    let facts = engine::run(program, &doc);
    (work::take(), facts.len())
}

fn assert_linear(what: &str, one: u64, many: u64, times: u64) {
    assert!(
        one > 1000,
        "{what}: too little work to measure ({one} steps)"
    );
    let bound = times as f64 * 1.1;
    let ratio = many as f64 / one as f64;
    assert!(
        ratio <= bound,
        "{what}: {times}× the text took {ratio:.2}× the work ({one} → {many}); at most {bound:.1}× is linear"
    );
}

#[test]
fn matching_takes_steps_linear_in_the_report() {
    let program = common::common_program();
    let text = samples_text();
    let (one, facts_one) = run_steps(&program, &text);
    for times in [2u64, 10] {
        let (many, facts_many) = run_steps(&program, &text.repeat(times as usize));
        assert_eq!(facts_many, facts_one * times as usize, "{times}×");
        assert_linear("samples", one, many, times);
    }
}

#[test]
fn one_endless_sentence_takes_steps_linear_in_its_length() {
    // No sentence break at all: windows, blocks and settling must keep the
    // work per figure bounded.
    let program = common::common_program();
    let clause = "全县高新技术企业总数达到12家,科技型中小企业入库35家,";
    let (one, _) = run_steps(&program, &clause.repeat(1_000));
    let (two, _) = run_steps(&program, &clause.repeat(2_000));
    assert_linear("endless sentence", one, two, 2);
}

#[test]
fn explain_takes_steps_linear_in_the_report() {
    let program = common::common_program();
    let keep = |_: &zhibiao::compile::CompiledRule| true;
    let opts = Options {
        keep: &keep,
        all: false,
        near_misses: 3,
        max_figures: 30,
        max_rules: 12,
        fixes: true,
    };
    let text = samples_text();
    let steps = |t: &str| {
        let doc = doc_of(t);
        work::take();
        let explained = explain_report(&program, &doc, &opts);
        assert!(!explained.figures.is_empty());
        work::take()
    };
    let one = steps(&text);
    let two = steps(&text.repeat(2));
    assert_linear("explain", one, two, 2);
}
