//! The docs cannot drift: every ```zb block in docs/language.md and
//! docs/authoring.md is parsed and checked, the examples of its rules and
//! its reports run and pass, and
//! docs/diagnostics.md has exactly one section per code.

use zhibiao::check::check;
use zhibiao::diag::{Code, Sources};

struct Block {
    name: String,
    text: String,
    expect: Option<String>,
    line: usize,
}

/// The ```zb blocks of `doc`, each named `FOLDER/NAME` after its
/// `// file: NAME` line (or its line number).
fn zb_blocks(doc: &str, folder: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (i, line) in doc.lines().enumerate() {
        match &mut current {
            None => {
                if let Some(info) = line.strip_prefix("```zb") {
                    let expect = info.trim().strip_prefix("expect=").map(str::to_string);
                    current = Some(Block {
                        name: String::new(),
                        text: String::new(),
                        expect,
                        line: i + 1,
                    });
                }
            }
            Some(b) => {
                if line.starts_with("```") {
                    let mut b = current.take().expect("open block");
                    b.name = match b
                        .text
                        .lines()
                        .next()
                        .and_then(|l| l.strip_prefix("// file: "))
                    {
                        Some(n) => format!("{folder}/{}", n.trim()),
                        None => format!("{folder}/example-line-{}.zb", b.line),
                    };
                    blocks.push(b);
                } else {
                    b.text.push_str(line);
                    b.text.push('\n');
                }
            }
        }
    }
    assert!(current.is_none(), "unclosed ```zb block");
    blocks
}

#[test]
fn language_examples_parse_and_check() {
    let doc = std::fs::read_to_string("docs/language.md").expect("docs/language.md");
    let blocks = zb_blocks(&doc, "docs");
    assert!(blocks.len() >= 20, "only {} zb blocks", blocks.len());
    check_blocks(&blocks, "docs/language.md");
}

/// The authoring guide's blocks are files of the reader's rules/ folder
/// beside a copy of the shipped ones (`import "common.zb"`): they are
/// checked, and their examples and reports run, with the shipped files.
#[test]
fn authoring_examples_parse_and_check() {
    let doc = std::fs::read_to_string("docs/authoring.md").expect("docs/authoring.md");
    let blocks = zb_blocks(&doc, "rules");
    assert!(blocks.len() >= 2, "only {} zb blocks", blocks.len());
    check_blocks(&blocks, "docs/authoring.md");
}

fn check_blocks(blocks: &[Block], page: &str) {
    let mut sources = Sources::new();
    zhibiao::check::builtin_sources(&mut sources);
    let ids: Vec<_> = blocks
        .iter()
        .map(|b| sources.add(b.name.clone(), b.text.clone()))
        .collect();
    for (b, id) in blocks.iter().zip(ids) {
        let checked = check(&sources, &[id]);
        let codes: Vec<&str> = checked
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        // A block named `// file: …` is a whole file and lints clean; an
        // unnamed one of the authoring guide (a sketch of a province file)
        // must have no errors.
        let named = b.text.starts_with("// file: ") || page.ends_with("language.md");
        match &b.expect {
            None if !named => assert!(
                !checked.has_errors(),
                "{page} block at line {}: {:#?}",
                b.line,
                checked.diagnostics
            ),
            None => assert!(
                checked.diagnostics.is_empty(),
                "{page} block at line {}: {:#?}",
                b.line,
                checked.diagnostics
            ),
            Some(code) => assert!(
                codes.contains(&code.as_str()),
                "{page} block at line {} should give {code}, gave {codes:?}",
                b.line
            ),
        }
        if b.expect.is_none() {
            assert_eq!(checked.sets.len(), 1, "block at line {}", b.line);
            // Every example of the block's rules runs, and passes.
            let programs: Vec<_> = checked
                .sets
                .iter()
                .map(|s| zhibiao::compile::compile(s).0)
                .collect();
            let reports = zhibiao::explain::report_examples::run_reports(&checked.sets, &programs);
            for r in zhibiao::explain::examples::run_examples(&checked.sets, &programs)
                .into_iter()
                .chain(reports)
            {
                assert!(
                    r.passed || r.todo,
                    "{page} block at line {}: example of {} failed: {}",
                    b.line,
                    r.rule,
                    r.message
                );
            }
        }
    }
}

#[test]
fn every_code_has_a_section_and_vice_versa() {
    let doc = std::fs::read_to_string("docs/diagnostics.md").expect("docs/diagnostics.md");
    let headings: Vec<&str> = doc.lines().filter_map(|l| l.strip_prefix("## ")).collect();
    for code in Code::ALL {
        let want = format!("{} — {}", code.as_str(), code.title());
        assert!(
            headings.contains(&want.as_str()),
            "docs/diagnostics.md lacks `## {want}`"
        );
    }
    for h in &headings {
        assert!(
            Code::ALL
                .iter()
                .any(|c| *h == format!("{} — {}", c.as_str(), c.title())),
            "docs/diagnostics.md has a section for no code: `## {h}`"
        );
    }
    // Sections are in registry order.
    let order: Vec<&str> = headings.iter().map(|h| &h[..6]).collect();
    let registry: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(order, registry);
}
