//! Running a report in blocks (what `run` does for big reports, so that
//! memory stays bounded) must give exactly the facts of running it whole:
//! the shipped rules, every own report, blocks from one byte to a few KB.

mod common;

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

#[test]
fn settling_as_the_scan_goes_changes_nothing() {
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    let programs: Vec<_> = checked.sets.iter().map(|s| compile(s).0).collect();
    // Own reports, and a report without any punctuation (one endless
    // sentence, where settling early is what keeps memory bounded).
    let mut texts: Vec<(String, Vec<u8>)> = Vec::new();
    for dir in ["samples", "tests/holdout/reports"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).expect("report folder") {
            let path = entry.expect("entry").path();
            texts.push((
                path.display().to_string(),
                std::fs::read(&path).expect("report"),
            ));
        }
    }
    let endless = "全县有效高新技术企业达到131家科技型中小企业入库208家新增高企分别为12家和9家"
        .repeat(300)
        + &"新认定高新技术企业".repeat(5)
        + &(0..200)
            .map(|i| format!("高企总数达到{}家", 100 + i))
            .collect::<String>();
    texts.push(("endless.txt".into(), endless.into_bytes()));
    for (name, bytes) in &texts {
        let doc = read_report(name, bytes, None).expect("readable");
        for program in &programs {
            // All candidates first, resolved at once: the reference.
            let mut candidates = Vec::new();
            engine::scan_timed(program, &doc, None, None, true, &mut |_, a| {
                if let engine::Attempt::Candidate(c) = a {
                    candidates.push(c);
                }
            });
            let whole = engine::resolve::resolve(program, &doc, candidates);
            for batch in [1, 7, 100, 4096] {
                let settled =
                    engine::run_block_settling(program, &doc, 0..doc.text.len(), batch, None);
                assert_eq!(settled, whole, "{name}, settling every {batch}");
            }
        }
    }
}

#[test]
fn rules_whose_words_hold_a_sentence_break_run_the_text_whole() {
    // A rule may cross sentences only through its own words; then the text
    // is not cut into blocks, and the fact that spans two sentences stays.
    let rules = r#"
indicator hte_total "高新技术企业总数" unit 家
rule 跨句 -> hte_total {
    match "高企。总数" …{0,4} N:家
}
"#;
    let mut sources = Sources::new();
    let file = sources.add("cross.zb", rules);
    let checked = check(&sources, &[file]);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let program = compile(&checked.sets[0]).0;
    let text = "前言。".repeat(50) + "高企。总数达到52家。" + &"后记。".repeat(50);
    let doc = read_report("cross.txt", text.as_bytes(), None).expect("readable");
    assert_eq!(engine::blocks_of(&program, &doc, 8).len(), 1);
    let facts = engine::run(&program, &doc);
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert_eq!(facts[0].value.to_string(), "52");
}

#[test]
fn skipping_places_no_match_can_start_at_changes_no_candidate() {
    // The run skips anchor hits whose window lacks a rule's required words,
    // and starts no match can begin with; `explain` walks them all. Both
    // must find the same candidates.
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    let programs: Vec<_> = checked.sets.iter().map(|s| compile(s).0).collect();
    let mut names = Vec::new();
    for dir in ["samples", "tests/holdout/reports"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&dir).expect("report folder") {
            names.push(entry.expect("entry").path());
        }
    }
    for path in &names {
        let bytes = std::fs::read(path).expect("report");
        let doc = read_report(&path.display().to_string(), &bytes, None).expect("readable");
        for program in &programs {
            let candidates = |prefilter: bool| {
                let mut found = Vec::new();
                engine::scan_timed(program, &doc, None, None, prefilter, &mut |_, a| {
                    if let engine::Attempt::Candidate(c) = a {
                        found.push(c);
                    }
                });
                found
            };
            let skipping = candidates(true);
            assert!(!skipping.is_empty() || program.rules.is_empty() || doc.text.len() < 100);
            assert_eq!(skipping, candidates(false), "{}", path.display());
        }
    }
}

#[test]
fn a_match_through_a_later_anchor_word_is_found_when_an_earlier_one_is_skipped() {
    // The prefilter skips an anchor hit whose required words do not follow
    // within reach (the first 高企 below has no 总数 after it). A match that
    // starts before that hit but passes the anchor at the next one must
    // still be found, from its real start (全区).
    let rules = r#"
indicator hte_total "高新技术企业总数" unit 家
rule 总数 -> hte_total {
    match "全区" …{0,12} "高企" "总数" …{0,2} N:家
}
"#;
    let mut sources = Sources::new();
    let file = sources.add("prefilter-test.zb", rules);
    let checked = check(&sources, &[file]);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let (program, diags) = compile(&checked.sets[0]);
    assert!(diags.is_empty(), "{diags:?}");
    let text = "全区高企培育和高企总数达到57家。";
    let doc = read_report("t.txt", text.as_bytes(), None).expect("readable");
    let candidates = |prefilter: bool| {
        let mut found = Vec::new();
        engine::scan_timed(&program, &doc, None, None, prefilter, &mut |_, a| {
            if let engine::Attempt::Candidate(c) = a {
                found.push(c);
            }
        });
        found
    };
    let skipping = candidates(true);
    assert_eq!(skipping.len(), 1, "{skipping:?}");
    assert_eq!(skipping[0].span.start, 0, "the match starts at 全区");
    assert_eq!(skipping, candidates(false));
}

#[test]
fn a_sentence_opening_with_qizhong_stays_in_the_block_of_the_one_before() {
    let program = common::common_program();
    let text = "全省今年入库科技型中小企业2100家。其中，我区入库133家。\
                全区新增高新技术企业41家。其中，东湖街道新增高新技术企业9家。"
        .repeat(20);
    let doc = read_report("t.txt", text.as_bytes(), None).expect("reads");
    let whole = engine::run(&program, &doc);
    let values: Vec<String> = whole.iter().map(|f| f.value.to_string()).collect();
    assert_eq!(values.len(), 40, "{values:?}");
    assert!(values.chunks(2).all(|p| p == ["133", "41"]), "{values:?}");
    for size in [1, 50, 97] {
        let blocks = engine::blocks_of(&program, &doc, size);
        for b in &blocks[1..] {
            assert!(
                !doc.text[b.start..].starts_with("其中"),
                "cut before 其中 at {}",
                b.start
            );
        }
        let parts: Vec<_> = blocks
            .into_iter()
            .flat_map(|b| engine::run_block(&program, &doc, b, None))
            .collect();
        assert_eq!(parts, whole, "blocks of {size}");
    }
}

#[test]
fn gaps_that_stop_only_before_a_possible_word_change_no_fact() {
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    let mut reports = 0;
    for set in &checked.sets {
        let program = compile(set).0;
        let mut plain = program.clone();
        for rule in &mut plain.rules {
            rule.gap_next = vec![None; rule.insts.len()];
        }
        for dir in ["samples", "tests/holdout/reports", "tests/fixtures/reports"] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("entry").path();
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                let Ok(doc) = read_report(&path.display().to_string(), &bytes, None) else {
                    continue;
                };
                reports += 1;
                assert_eq!(
                    engine::run(&program, &doc),
                    engine::run(&plain, &doc),
                    "{} with {}",
                    path.display(),
                    set.name
                );
            }
        }
    }
    assert!(reports >= 20, "only {reports} reports");
}

/// The fuzz finding of docs/fuzzing.md (sixth round): a last line without
/// a sentence mark reads as a headline, and a headline's threshold
/// (`…25家以上`) was compared with every fact before it in its block — run
/// whole, an earlier sentence's larger exact figure (61) dropped it; in
/// blocks it stayed. A headline now gives way only to the body after it,
/// and blocks and settling batches keep a headline with its body.
#[test]
fn a_headline_threshold_is_settled_alike_whole_and_in_blocks() {
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    let programs: Vec<_> = checked.sets.iter().map(|s| compile(s).0).collect();
    let damaged: &[u8] = b"2022\xe5\xb9\xb4\xe5\x85\xa8\xe5\x8e\xbf\xe6\x96\xb0\xe5\xa2\x9e\xe9\xab\x98\xe6\x96\xb0\xe6\x8a\x80\xe6\x9c\xaf\xe4\xbc\x81\xe4\xb8\x9a47\xe5\xae\xb6\xef\xbc\x8c\xe7\xb4\xaf\xe8\xae\xa1\xe8\xbe\xbe\xe5\x88\xb0380\xe5\xae\xb6\xe3\x80\x82\n<body>\n<p>\xe6\x96\xb0\xe5\xa2\x9e\xe9\xab\x98\xe6\x96\xb0\xe6\x8a\x80\xe6\x9c\xaf\xe4\xbc\x81\xe4\xb8\x9a18\xe5\xae\xb6\xe4\xbb\xa5\xe4\xb8\x8a\xef\xbc\x8c\xe7\xa0\x94\xe5\x8f\xe5\xae\xb6</td><td>207\xe5\xae<!DOCTYPE html>";
    let texts: Vec<(&str, Vec<u8>, Option<u32>)> = vec![
        // The finding's shape, in our own words and numbers.
        ("damaged", damaged.to_vec(), Some(18)),
        // Its core without bad bytes: the last line is the "headline".
        (
            "last line",
            "2022年全县新增高新技术企业47家。\n新增高新技术企业18家以上，研发".as_bytes().to_vec(),
            Some(18),
        ),
        // A real headline over its body: it gives way to the exact figure,
        // however small the blocks.
        (
            "headline",
            "南湖区高新技术企业总数突破300家\n近日，省高新技术企业名单公布。南湖区高新技术企业总数达到316家，同比增长8%。\n"
                .as_bytes()
                .to_vec(),
            None,
        ),
    ];
    for (what, bytes, kept) in texts {
        let doc = read_report("r.txt", &bytes, None).expect("readable");
        for program in &programs {
            let whole = engine::run(program, &doc);
            if let Some(v) = kept {
                assert!(
                    whole.iter().any(|f| f.value == v.into()),
                    "{what}: {v} dropped: {whole:?}"
                );
            } else if program.set_name == "common" {
                let values: Vec<String> = whole.iter().map(|f| f.value.to_string()).collect();
                assert!(
                    values.contains(&"316".to_string()) && !values.contains(&"300".to_string()),
                    "{what}: {values:?}"
                );
            }
            for size in [1, 16, 64] {
                let parts: Vec<_> = engine::blocks_of(program, &doc, size)
                    .into_iter()
                    .flat_map(|b| engine::run_block(program, &doc, b, None))
                    .collect();
                assert_eq!(parts, whole, "{what} in blocks of {size}");
                let settled = engine::run_block_settling(program, &doc, 0..doc.text.len(), 1, None);
                assert_eq!(settled, whole, "{what} settled one candidate at a time");
            }
        }
    }
}
