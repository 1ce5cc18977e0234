//! Engine benchmarks (divan): compiling the shipped rules, reading and
//! normalizing a report, scanning and resolving it — per MB of a synthetic
//! report built from our own sample reports (samples/), numbers varied.
//!
//! After divan's table, two checks print ratios that the issue asks for:
//! - **linearity**: the same pipeline on 1× and 10× the input; the time
//!   ratio should be at most ~11;
//! - **rule scaling**: the shipped rules against 10× as many rules (copies
//!   renamed); one scan serves all rules, so time should grow sub-linearly.
//!
//! Run: `cargo bench --bench engine` (size via `ZHIBIAO_BENCH_MB`, default 1;
//! other source reports via `ZHIBIAO_BENCH_SAMPLES=DIR`, e.g. real reports
//! with fewer facts per MB than our dense samples).

mod common;

use common::median;
use std::hint::black_box;

use divan::counter::BytesCount;
use zhibiao::check::{RuleSet, builtin_sources, check};
use zhibiao::compile::{Program, compile};
use zhibiao::diag::Sources;
use zhibiao::engine;
use zhibiao::text::{Document, read_report};

fn main() {
    divan::main();
    scaling_checks();
}

/// The shipped rule sets, checked.
fn shipped_sets() -> Vec<RuleSet> {
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    assert!(
        !checked.has_errors(),
        "the shipped rules must check cleanly"
    );
    checked.sets
}

/// The rule set that runs for the synthetic report: the one with the most
/// rules (a province file importing the common rules).
fn biggest_program(sets: &[RuleSet]) -> Program {
    let set = sets
        .iter()
        .max_by_key(|s| s.rules.len())
        .expect("at least one rule set");
    compile(set).0
}

/// `set` with its rules repeated `times` times, copies renamed (`名#2` …).
fn multiplied(set: &RuleSet, times: usize) -> RuleSet {
    let mut out = set.clone();
    out.rules.clear();
    for k in 0..times {
        for r in &set.rules {
            let mut r = r.clone();
            if k > 0 {
                r.name = format!("{}#{k}", r.name);
                r.qualified_name = format!("{}#{k}", r.qualified_name);
            }
            out.rules.push(r);
        }
    }
    out
}

/// The sample reports' normalized texts (decoded from GBK, HTML stripped),
/// from samples/ or `ZHIBIAO_BENCH_SAMPLES`.
fn sample_texts() -> Vec<String> {
    let dir = std::env::var("ZHIBIAO_BENCH_SAMPLES")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/samples").to_string());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("samples/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths
        .iter()
        .filter_map(|p| {
            let bytes = std::fs::read(p).ok()?;
            read_report(&p.display().to_string(), &bytes, None)
                .ok()
                .map(|d| d.text)
        })
        .collect()
}

/// A UTF-8 text report of about `bytes` bytes: the samples one after the
/// other, again and again, every run of ASCII digits replaced by a
/// pseudo-random number of the same length (so facts vary but stay facts).
fn synthetic_report(bytes: usize) -> String {
    let samples = sample_texts();
    assert!(!samples.is_empty(), "no sample reports found");
    let mut out = String::with_capacity(bytes + 4096);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next_digit = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (b'1' + ((seed >> 33) % 9) as u8) as char
    };
    let mut i = 0;
    while out.len() < bytes {
        let text = &samples[i % samples.len()];
        let mut rest = text.as_str();
        while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
            out.push_str(&rest[..start]);
            let len = rest[start..]
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len() - start);
            let digits = &rest[start..start + len];
            if len == 4 && digits.starts_with("20") {
                out.push_str(digits); // a year: keep it
            } else {
                (0..len).for_each(|_| out.push(next_digit()));
            }
            rest = &rest[start + len..];
        }
        out.push_str(rest);
        out.push_str("\n\n");
        i += 1;
    }
    out
}

/// The same content wrapped in HTML paragraphs (for the HTML reader).
fn synthetic_html(bytes: usize) -> String {
    let text = synthetic_report(bytes);
    let mut out = String::with_capacity(text.len() * 2);
    out.push_str("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>科学技术局工作总结</title></head><body><div class=\"article\">\n");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str("<p>");
        out.push_str(line);
        out.push_str("</p>\n");
    }
    out.push_str("</div></body></html>\n");
    out
}

fn bench_mb() -> usize {
    std::env::var("ZHIBIAO_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Check and compile the shipped rules (what every `run` does first).
#[divan::bench]
fn check_and_compile_shipped(b: divan::Bencher) {
    b.bench(|| {
        let sets = shipped_sets();
        sets.iter().map(|s| compile(s).0).collect::<Vec<_>>()
    });
}

/// Compile alone (the checked sets prepared outside the timing).
#[divan::bench]
fn compile_shipped(b: divan::Bencher) {
    let sets = shipped_sets();
    b.bench(|| {
        sets.iter()
            .map(|s| compile(black_box(s)).0)
            .collect::<Vec<_>>()
    });
}

/// Decode + normalize + segment a UTF-8 text report.
#[divan::bench]
fn read_normalize_text(b: divan::Bencher) {
    let text = synthetic_report(bench_mb() << 20);
    b.counter(BytesCount::new(text.len()))
        .bench(|| read_report("bench.txt", black_box(text.as_bytes()), None).map(|d| d.text.len()));
}

/// Decode + HTML + normalize + segment an HTML report.
#[divan::bench]
fn read_normalize_html(b: divan::Bencher) {
    let html = synthetic_html(bench_mb() << 20);
    b.counter(BytesCount::new(html.len())).bench(|| {
        read_report("bench.html", black_box(html.as_bytes()), None).map(|d| d.text.len())
    });
}

/// Scan + verify + resolve + infer with the largest shipped rule set.
#[divan::bench]
fn scan_resolve(b: divan::Bencher) {
    let program = biggest_program(&shipped_sets());
    let text = synthetic_report(bench_mb() << 20);
    let doc = read_report("bench.txt", text.as_bytes(), None).expect("synthetic report reads");
    b.counter(BytesCount::new(text.len()))
        .bench(|| engine::run(&program, black_box(&doc)).len());
}

/// Province detection over the whole text (runs once per report in `run`).
#[divan::bench]
fn detect_province(b: divan::Bencher) {
    let text = synthetic_report(bench_mb() << 20);
    let doc = read_report("bench.txt", text.as_bytes(), None).expect("synthetic report reads");
    b.counter(BytesCount::new(text.len())).bench(|| {
        zhibiao::province::detect(
            doc.meta.issuer.as_deref(),
            doc.meta.title.as_deref(),
            black_box(&doc.text),
        )
    });
}

fn read_and_run(program: &Program, bytes: &[u8]) -> usize {
    let doc: Document = read_report("bench.txt", bytes, None).expect("synthetic report reads");
    // Block by block, as `run` does for a big report: facts are written and
    // dropped as they come, not all held to the end.
    let mut facts = 0;
    engine::run_in_blocks(program, &doc, None, &mut |block| facts += block.len());
    facts
}

/// Prints the linearity and rule-scaling ratios.
fn scaling_checks() {
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    let sets = shipped_sets();
    let base = sets
        .iter()
        .max_by_key(|s| s.rules.len())
        .expect("at least one rule set");
    let program = compile(base).0;
    let mb = bench_mb();

    println!("\nlinearity (read + normalize + scan + resolve, median of 5):");
    let small = synthetic_report(mb << 20);
    let large = synthetic_report(10 * (mb << 20));
    let t1 = median(5, || {
        black_box(read_and_run(&program, small.as_bytes()));
    });
    let t10 = median(5, || {
        black_box(read_and_run(&program, large.as_bytes()));
    });
    println!(
        "  {:>6.1} MB: {:>9.2} ms  ({:.1} MB/s)",
        small.len() as f64 / 1e6,
        t1.as_secs_f64() * 1e3,
        small.len() as f64 / 1e6 / t1.as_secs_f64()
    );
    println!(
        "  {:>6.1} MB: {:>9.2} ms  ({:.1} MB/s)",
        large.len() as f64 / 1e6,
        t10.as_secs_f64() * 1e3,
        large.len() as f64 / 1e6 / t10.as_secs_f64()
    );
    let ratio = t10.as_secs_f64() / t1.as_secs_f64();
    let size_ratio = large.len() as f64 / small.len() as f64;
    println!(
        "  {size_ratio:.1}× input → {ratio:.2}× time ({}; target ≤ 11×)",
        if ratio <= 11.0 {
            "linear"
        } else {
            "SUPER-LINEAR"
        }
    );

    println!("\nrule scaling (scan + resolve on {mb} MB, median of 5):");
    let doc = read_report("bench.txt", small.as_bytes(), None).expect("synthetic report reads");
    let ten = multiplied(base, 10);
    let (program10, _) = compile(&ten);
    let c1 = median(5, || {
        black_box(compile(base));
    });
    let c10 = median(5, || {
        black_box(compile(&ten));
    });
    let r1 = median(5, || {
        black_box(engine::run(&program, &doc).len());
    });
    let r10 = median(5, || {
        black_box(engine::run(&program10, &doc).len());
    });
    println!(
        "  {:>4} rules: compile {:>7.2} ms, run {:>9.2} ms",
        program.rules.len(),
        c1.as_secs_f64() * 1e3,
        r1.as_secs_f64() * 1e3
    );
    println!(
        "  {:>4} rules: compile {:>7.2} ms, run {:>9.2} ms",
        program10.rules.len(),
        c10.as_secs_f64() * 1e3,
        r10.as_secs_f64() * 1e3
    );
    let rr = r10.as_secs_f64() / r1.as_secs_f64();
    println!(
        "  10× rules → {rr:.2}× run time ({}; compile {:.2}×)",
        if rr < 10.0 {
            "sub-linear"
        } else {
            "NOT sub-linear"
        },
        c10.as_secs_f64() / c1.as_secs_f64()
    );
}
