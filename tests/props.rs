//! Property tests (issue 7): the rule parser never panics; facts' offsets
//! lie inside the original file, on character boundaries; the engine's
//! output does not depend on the order of a batch or on the thread count.
//!
//! Case counts are kept small so the suite stays fast in debug builds;
//! `PROPTEST_CASES=10000 cargo test --release --test props` searches harder.
//! The cargo-fuzz targets in fuzz/ cover the same ground without bounds.

mod common;

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use zhibiao::check::{builtin_sources, check};
use zhibiao::compile::{Program, compile};
use zhibiao::diag::{FileId, Sources};
use zhibiao::engine;
use zhibiao::output::{ReportInfo, records};
use zhibiao::text::read_report;

fn programs() -> &'static [Program] {
    static P: OnceLock<Vec<Program>> = OnceLock::new();
    P.get_or_init(|| {
        let mut sources = Sources::new();
        let files = builtin_sources(&mut sources);
        let checked = check(&sources, &files);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked.sets.iter().map(|s| compile(s).0).collect()
    })
}

fn common_rules() -> &'static str {
    include_str!("../rules/common.zb")
}

// ------------------------------------------------------------ the parser

/// An edit of a real rule file: delete, insert or replace a few bytes at a
/// char boundary.
fn mutated_rules() -> impl Strategy<Value = String> {
    let text = common_rules();
    let pieces = prop::sample::select(vec![
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        "\"",
        "|",
        "…",
        "...",
        "…{",
        "N:",
        ":家",
        "?",
        "!",
        "\\",
        "\n",
        " ",
        "rule",
        "let",
        "match",
        "unless",
        "example",
        "=>",
        "->",
        "0",
        "99999999999",
        "家",
        "高企",
        "//",
        "import",
    ]);
    prop::collection::vec((0..text.len(), 0usize..8, pieces), 1..6).prop_map(move |edits| {
        let mut s = text.to_string();
        for (at, del, ins) in edits {
            let mut at = at.min(s.len());
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + del).min(s.len());
            while !s.is_char_boundary(end) {
                end += 1;
            }
            s.replace_range(at..end, ins);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn parser_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        let (_, diags) = zhibiao::syntax::parse(FileId(0), &text);
        for d in diags {
            for l in d.labels {
                prop_assert!(l.span.start <= l.span.end && l.span.end <= text.len());
            }
        }
    }

    #[test]
    fn parser_and_checker_never_panic_on_edited_rules(text in mutated_rules()) {
        let (_, diags) = zhibiao::syntax::parse(FileId(0), &text);
        for d in &diags {
            for l in &d.labels {
                prop_assert!(l.span.end <= text.len(), "{d:?}");
            }
        }
        let mut sources = Sources::new();
        let id = sources.add("common.zb", text.clone());
        let checked = check(&sources, &[id]);
        if !checked.has_errors() {
            for set in &checked.sets {
                let _ = compile(set);
            }
        }
    }
}

// ------------------------------------------------------------ offsets

/// Report bytes from pieces that stress decoding, HTML and numbers: real
/// sentences, punctuation, tags, entities, GBK, broken bytes.
fn report_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces: Vec<Vec<u8>> = [
        "全年新增高新技术企业68家，",
        "高企总数达到503家。",
        "预计年末有效高企总数达到365家以上；",
        "技术合同成交额达到19.63亿元，",
        "全社会研发投入占地区生产总值比重达3.05%。",
        "新增江苏省、常州市工程技术研究中心分别为6家、23家。",
        "为37家科技型企业发放“苏科贷”8460万元。",
        "1－11月，",
        "二、2024年工作计划\n",
        "（一）",
        "力争",
        "１２３４５",
        "\u{200b}",
        "　",
        "<p>",
        "</p>",
        "<div class=\"a\">",
        "<script>var x = \"高企总数达到9999家\";</script>",
        "&nbsp;",
        "&gt;",
        "<br>",
        "\n",
        "\r\n",
        "一百零五",
        "两",
        "近40",
        "2-3家",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .chain([
        // 高新技术企业 in GBK, stray bytes, a lone UTF-8 lead byte.
        vec![
            0xb8, 0xdf, 0xd0, 0xc2, 0xbc, 0xbc, 0xca, 0xf5, 0xc6, 0xf3, 0xd2, 0xb5,
        ],
        vec![0xff, 0xfe],
        vec![0xe9],
        vec![0xef, 0xbb, 0xbf],
    ])
    .collect();
    prop::collection::vec(prop::sample::select(pieces), 0..40).prop_map(|ps| ps.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn fact_offsets_lie_inside_the_original_file(bytes in report_bytes()) {
        let Ok(doc) = read_report("p.txt", &bytes, None) else {
            return Ok(());
        };
        let info = ReportInfo { doc: "p.txt".into(), ..Default::default() };
        let utf8 = std::str::from_utf8(&bytes).ok();
        for program in programs() {
            let facts = engine::run(program, &doc);
            for f in &facts {
                prop_assert!(f.span.start <= f.span.end && f.span.end <= doc.text.len());
                prop_assert!(doc.text.is_char_boundary(f.span.start));
                prop_assert!(doc.text.is_char_boundary(f.span.end));
            }
            for r in records(&doc, &info, &facts, |i| program.rules[i].qualified_name.clone()) {
                prop_assert!(r.start <= r.end && r.end <= bytes.len(),
                    "{}..{} outside {} bytes", r.start, r.end, bytes.len());
                if let Some(text) = utf8 {
                    prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end),
                        "{}..{} not on character boundaries", r.start, r.end);
                }
            }
        }
    }

    /// Reports are processed alone: running one after others gives the
    /// same facts as running it first.
    #[test]
    fn facts_do_not_depend_on_batch_order(
        a in report_bytes(), b in report_bytes(), c in report_bytes()
    ) {
        let docs: Vec<_> = [&a, &b, &c]
            .iter()
            .filter_map(|bytes| read_report("p.txt", bytes, None).ok())
            .collect();
        let program = &programs()[0];
        let forward: Vec<_> = docs.iter().map(|d| engine::run(program, d)).collect();
        let mut backward: Vec<_> = docs.iter().rev().map(|d| engine::run(program, d)).collect();
        backward.reverse();
        prop_assert_eq!(forward, backward);
    }
}

// ------------------------------------------------------------ the binary

fn run_binary(dir: &Path, threads: &str, paths: &[String]) -> (i32, String) {
    let mut args = vec!["run", "-q", "--format", "jsonl"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, _) = common::zhibiao_in(dir, &args, &[("RAYON_NUM_THREADS", threads)]);
    (code, out)
}

proptest! {
    // Each case runs the binary four times; a few cases suffice.
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// The same folder on 1 and 2 threads, and its files named in any
    /// order, give byte-identical output.
    #[test]
    fn output_independent_of_threads_and_argument_order(
        reports in prop::collection::vec(report_bytes(), 6..24),
        order in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut names = Vec::new();
        for (i, bytes) in reports.iter().enumerate() {
            let name = format!("r{i:02}.{}", if i % 3 == 0 { "html" } else { "txt" });
            std::fs::write(dir.path().join(&name), bytes).expect("write");
            names.push(name);
        }
        // The samples too, so that some reports surely have facts.
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        for entry in std::fs::read_dir(&samples).expect("samples/") {
            let entry = entry.expect("samples/ entry");
            let name = entry.file_name().to_string_lossy().into_owned();
            std::fs::copy(entry.path(), dir.path().join(&name)).expect("copy sample");
            names.push(name);
        }
        let (code1, one) = run_binary(dir.path(), "1", &[".".to_string()]);
        let (code2, two) = run_binary(dir.path(), "2", &[".".to_string()]);
        prop_assert_eq!(code1, code2);
        prop_assert!(!one.is_empty());
        prop_assert_eq!(&one, &two);
        // The files named one by one, in a shuffled order, on 2 threads.
        let mut shuffled: Vec<String> = names.iter().map(|n| format!("./{n}")).collect();
        let mut seed = order | 1;
        for i in (1..shuffled.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            shuffled.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        let (code3, three) = run_binary(dir.path(), "2", &shuffled);
        prop_assert_eq!(code1, code3);
        prop_assert_eq!(one, three);
    }
}
