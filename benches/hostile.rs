//! Hostile-input benchmarks (divan): the paths issue 16 found quadratic,
//! each timed at one size and at twice that size.
//!
//! - decoding UTF-16 (was 4 min for 15 MB) and GBK with one stray byte
//!   (3 min for 14 MB), through `read_report`;
//! - HTML with a tag of many attributes and with stray end tags among many
//!   open elements;
//! - rendering diagnostics on one report (each used to rescan the file:
//!   20,000 warnings took a minute);
//! - checking a chain of `let`s (100,000 took 7.9 s); 40,000 and 80,000
//!   here (pest parses 20,000 at a cache-size step: 2.3× for 2×).
//!
//! After divan's table, a **linearity** line per path prints the time at 2×
//! the input over the time at 1× (median of several runs); linear work
//! gives about 2, the bound is 2.2. Sizes via `ZHIBIAO_BENCH_MB`
//! (default 2: 2 MB and 4 MB of input).
//!
//! Run: `cargo bench --bench hostile`.

mod common;

use common::median;
use std::fmt::Write as _;
use std::hint::black_box;

use divan::counter::BytesCount;
use zhibiao::check::check;
use zhibiao::diag::render::{RenderOptions, render_human};
use zhibiao::diag::{Code, Diagnostic, Sources, Span};
use zhibiao::text::{SourceFormat, read_report};

fn main() {
    divan::main();
    linearity();
}

const LINE: &str = "全年新增高新技术企业68家，高企总数达到503家，技术合同成交额12.5亿元。\n";

fn bench_bytes() -> usize {
    std::env::var("ZHIBIAO_BENCH_MB")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(2)
        << 20
}

fn text_of(bytes: usize) -> String {
    LINE.repeat(bytes / LINE.len() + 1)
}

/// UTF-16LE with a BOM, about `bytes` long.
fn utf16(bytes: usize) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text_of(bytes * 2 / 3).encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

/// GBK, about `bytes` long, one stray 0xFF in the middle (at a line start).
fn gbk_with_a_stray_byte(bytes: usize) -> Vec<u8> {
    let mut out = encoding_rs::GBK
        .encode(&text_of(bytes * 2 / 3))
        .0
        .into_owned();
    let middle = out.len() / 2;
    let at = out[..middle]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    out.insert(at, 0xFF);
    out
}

/// A page of paragraphs, one tag in every hundred with 5,000 attributes.
fn html_with_attribute_bombs(bytes: usize) -> Vec<u8> {
    let bomb = format!("<p {}>", "a=\"v\" ".repeat(5_000));
    let mut page = String::from("<html><body>");
    let mut k = 0;
    while page.len() < bytes {
        if k % 100 == 0 {
            page.push_str(&bomb);
        } else {
            page.push_str("<p class=\"text\">");
        }
        page.push_str(LINE.trim_end());
        page.push_str("</p>\n");
        k += 1;
    }
    page.push_str("</body></html>");
    page.into_bytes()
}

/// Many open `<div>`s, then as many stray `</span>`s, then text.
fn html_with_stray_end_tags(bytes: usize) -> Vec<u8> {
    let n = bytes / 12;
    format!(
        "<html><body>{}<p>{}</p>{}</body></html>",
        "<div>".repeat(n),
        LINE.trim_end(),
        "</span>".repeat(n)
    )
    .into_bytes()
}

/// A report of about `bytes` and one warning per 200 bytes on it.
fn report_with_warnings(bytes: usize) -> (Sources, Vec<Diagnostic>) {
    let text = text_of(bytes);
    let mut sources = Sources::new();
    let id = sources.add("report.txt", text.clone());
    let diags = (0..text.len() / 200)
        .map(|k| {
            let at = zhibiao::diag::floor_char_boundary(&text, k * 200);
            let end = zhibiao::diag::floor_char_boundary(&text, at + 12);
            Diagnostic::new(Code::ExplainNearMiss, "a near miss").with_label(
                id,
                Span::new(at, end),
                "broke off here",
            )
        })
        .collect();
    (sources, diags)
}

/// A rule file with a chain of `n` lets.
fn let_chain(n: usize) -> String {
    let mut s = String::from("indicator x \"X\" unit 家\nlet n0 = \"高企\"\n");
    for i in 1..n {
        let _ = writeln!(s, "let n{i} = n{}", i - 1);
    }
    let _ = writeln!(s, "rule r -> x {{\n    match n{} N:家\n}}", n - 1);
    s
}

fn read_text(bytes: &[u8]) -> usize {
    read_report("r.txt", bytes, Some(SourceFormat::Text)).map_or(0, |d| d.text.len())
}

fn read_html(bytes: &[u8]) -> usize {
    read_report("r.html", bytes, Some(SourceFormat::Html)).map_or(0, |d| d.text.len())
}

fn render_all(sources: &Sources, diags: &[Diagnostic]) -> usize {
    diags
        .iter()
        .map(|d| render_human(d, sources, RenderOptions::default()).len())
        .sum()
}

fn check_chain(text: &str) -> usize {
    let mut sources = Sources::new();
    let id = sources.add("chain.zb", text);
    check(&sources, &[id]).diagnostics.len()
}

#[divan::bench]
fn decode_utf16(b: divan::Bencher) {
    let input = utf16(bench_bytes());
    b.counter(BytesCount::new(input.len()))
        .bench(|| read_text(black_box(&input)));
}

#[divan::bench]
fn decode_gbk_with_a_stray_byte(b: divan::Bencher) {
    let input = gbk_with_a_stray_byte(bench_bytes());
    b.counter(BytesCount::new(input.len()))
        .bench(|| read_text(black_box(&input)));
}

#[divan::bench]
fn html_attribute_bombs(b: divan::Bencher) {
    let input = html_with_attribute_bombs(bench_bytes());
    b.counter(BytesCount::new(input.len()))
        .bench(|| read_html(black_box(&input)));
}

#[divan::bench]
fn html_stray_end_tags(b: divan::Bencher) {
    let input = html_with_stray_end_tags(bench_bytes());
    b.counter(BytesCount::new(input.len()))
        .bench(|| read_html(black_box(&input)));
}

#[divan::bench]
fn render_warnings(b: divan::Bencher) {
    let (sources, diags) = report_with_warnings(bench_bytes() / 4);
    b.bench(|| render_all(&sources, black_box(&diags)));
}

#[divan::bench]
fn check_let_chain(b: divan::Bencher) {
    let text = let_chain(40_000);
    b.counter(BytesCount::new(text.len()))
        .bench(|| check_chain(black_box(&text)));
}

/// Prints time(2×) / time(1×) for each path.
fn linearity() {
    let n = bench_bytes();
    let ratio = |name: &str, one: &dyn Fn(), two: &dyn Fn()| {
        // Warm up, then alternate so that machine noise hits both sizes.
        one();
        two();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            a.push(median(1, one));
            b.push(median(1, two));
        }
        a.sort();
        b.sort();
        let (a, b) = (a[2], b[2]);
        println!(
            "linearity {name:<32} 1×: {:>9.2} ms  2×: {:>9.2} ms  ratio {:.2} (bound 2.2)",
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            b.as_secs_f64() / a.as_secs_f64()
        );
    };
    let (u1, u2) = (utf16(n), utf16(2 * n));
    ratio(
        "decode UTF-16",
        &|| {
            black_box(read_text(&u1));
        },
        &|| {
            black_box(read_text(&u2));
        },
    );
    let (g1, g2) = (gbk_with_a_stray_byte(n), gbk_with_a_stray_byte(2 * n));
    ratio(
        "decode GBK with a stray byte",
        &|| {
            black_box(read_text(&g1));
        },
        &|| {
            black_box(read_text(&g2));
        },
    );
    let (h1, h2) = (
        html_with_attribute_bombs(n),
        html_with_attribute_bombs(2 * n),
    );
    ratio(
        "HTML with attribute bombs",
        &|| {
            black_box(read_html(&h1));
        },
        &|| {
            black_box(read_html(&h2));
        },
    );
    let (e1, e2) = (html_with_stray_end_tags(n), html_with_stray_end_tags(2 * n));
    ratio(
        "HTML with stray end tags",
        &|| {
            black_box(read_html(&e1));
        },
        &|| {
            black_box(read_html(&e2));
        },
    );
    let (r1, r2) = (report_with_warnings(n / 4), report_with_warnings(n / 2));
    ratio(
        "render warnings on one report",
        &|| {
            black_box(render_all(&r1.0, &r1.1));
        },
        &|| {
            black_box(render_all(&r2.0, &r2.1));
        },
    );
    let (c1, c2) = (let_chain(40_000), let_chain(80_000));
    ratio(
        "check a chain of lets",
        &|| {
            black_box(check_chain(&c1));
        },
        &|| {
            black_box(check_chain(&c2));
        },
    );
}
