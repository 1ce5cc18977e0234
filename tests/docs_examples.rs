//! The docs cannot drift: every ```zb block in docs/language.md is parsed
//! and checked, the examples of its rules run and pass, and
//! docs/diagnostics.md has exactly one section per code.

use zhibiao::check::check;
use zhibiao::diag::{Code, Sources};

struct Block {
    name: String,
    text: String,
    expect: Option<String>,
    line: usize,
}

fn zb_blocks(doc: &str) -> Vec<Block> {
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
                        Some(n) => format!("docs/{}", n.trim()),
                        None => format!("docs/example-line-{}.zb", b.line),
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
    let blocks = zb_blocks(&doc);
    assert!(blocks.len() >= 20, "only {} zb blocks", blocks.len());
    let mut sources = Sources::new();
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
        match &b.expect {
            None => assert!(
                checked.diagnostics.is_empty(),
                "docs/language.md block at line {}: {:#?}",
                b.line,
                checked.diagnostics
            ),
            Some(code) => assert!(
                codes.contains(&code.as_str()),
                "docs/language.md block at line {} should give {code}, gave {codes:?}",
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
            for r in zhibiao::explain::examples::run_examples(&checked.sets, &programs) {
                assert!(
                    r.passed || r.todo,
                    "docs/language.md block at line {}: example of {} failed: {}",
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
