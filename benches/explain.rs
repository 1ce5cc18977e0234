//! Explain benchmarks (divan): `explain` over a whole report, per MB, and a
//! linearity check the hostile-input issue asks for: twice the input must
//! take at most about 2.2 times as long, on real-density reports and on
//! the inputs that made the old explain quadratic (one endless sentence of
//! the same clause; one keyword repeated without a figure).
//!
//! Run: `cargo bench --bench explain` (size via `ZHIBIAO_BENCH_KB`,
//! default 512: the check compares that size with twice it).

mod common;

use common::median;
use std::hint::black_box;

use divan::counter::BytesCount;
use zhibiao::check::{builtin_sources, check};
use zhibiao::compile::{CompiledRule, Program, compile};
use zhibiao::diag::Sources;
use zhibiao::explain::{Options, explain_report};
use zhibiao::text::read_report;

fn main() {
    divan::main();
    linearity();
}

/// The largest shipped rule set, compiled.
fn program() -> Program {
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    let set = checked
        .sets
        .iter()
        .max_by_key(|s| s.rules.len())
        .expect("a rule set");
    compile(set).0
}

/// About `bytes` of the sample reports one after the other (their numbers
/// varied, so facts stay facts but differ).
fn samples_text(bytes: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            read_report("s", &bytes, None).ok().map(|d| d.text)
        })
        .collect();
    let mut out = String::new();
    let mut n: u32 = 7;
    while out.len() < bytes {
        for t in &texts {
            for c in t.chars() {
                if c.is_ascii_digit() {
                    n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    out.push(char::from(b'1' + (n >> 16) as u8 % 9));
                } else {
                    out.push(c);
                }
            }
            out.push('\n');
        }
    }
    out
}

/// `clause` repeated to about `bytes`.
fn repeated(clause: &str, bytes: usize) -> String {
    clause.repeat(bytes / clause.len() + 1)
}

fn kb() -> usize {
    std::env::var("ZHIBIAO_BENCH_KB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(512)
}

fn explain(program: &Program, text: &str) -> usize {
    let doc = read_report("bench.txt", text.as_bytes(), None).expect("reads");
    let keep = |_: &CompiledRule| true;
    let opts = Options {
        keep: &keep,
        all: false,
        near_misses: 3,
        max_figures: 30,
        max_rules: 12,
        fixes: true,
    };
    explain_report(program, &doc, &opts).figures.len()
}

/// Reading and explaining a report of real density.
#[divan::bench]
fn explain_samples(b: divan::Bencher) {
    let program = program();
    let text = samples_text(kb() << 10);
    b.counter(BytesCount::new(text.len()))
        .bench(|| explain(&program, black_box(&text)));
}

/// Reading and explaining one endless sentence of the same clause.
#[divan::bench]
fn explain_endless_sentence(b: divan::Bencher) {
    let program = program();
    let text = repeated("全县高新技术企业总数达到12家,", kb() << 10);
    b.counter(BytesCount::new(text.len()))
        .bench(|| explain(&program, black_box(&text)));
}

/// Makes an input of about the given size.
type MakeInput = fn(usize) -> String;

/// Prints the time for 1× and 2× the input, and their ratio.
fn linearity() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let program = program();
    let size = kb() << 10;
    println!("\nlinearity of explain (read + explain, median of 5; 2x input should take <= 2.2x):");
    let inputs: [(&str, MakeInput); 3] = [
        ("sample reports", samples_text),
        ("one endless sentence", |n| {
            repeated("全县高新技术企业总数达到12家,", n)
        }),
        ("one keyword, no figure", |n| repeated("高新技术企业", n)),
    ];
    for (name, make) in inputs {
        let (small, large) = (make(size), make(2 * size));
        let t1 = median(5, || {
            black_box(explain(&program, &small));
        });
        let t2 = median(5, || {
            black_box(explain(&program, &large));
        });
        let ratio = t2.as_secs_f64() / t1.as_secs_f64();
        println!(
            "  {name:<24} {:>7.0} KB: {:>8.1} ms   {:>7.0} KB: {:>8.1} ms   ratio {ratio:.2} {}",
            small.len() as f64 / 1024.0,
            t1.as_secs_f64() * 1e3,
            large.len() as f64 / 1024.0,
            t2.as_secs_f64() * 1e3,
            if ratio <= 2.2 { "ok" } else { "OVER 2.2" }
        );
    }
}
