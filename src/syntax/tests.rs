//! Parser tests: valid constructs lower to the expected AST, invalid ones
//! give the expected message.

use super::ast::*;
use super::parse;
use crate::diag::{Code, FileId};

fn ok(src: &str) -> File {
    let (ast, diags) = parse(FileId(0), src);
    assert!(
        diags.is_empty(),
        "unexpected diagnostics for {src:?}: {diags:#?}"
    );
    ast.expect("parsed")
}

fn err(src: &str) -> String {
    let (_, diags) = parse(FileId(0), src);
    assert!(!diags.is_empty(), "expected an error for {src:?}");
    diags[0].message.clone()
}

fn let_pattern(src: &str) -> PatternKind {
    let file = ok(&format!("let x = {src}"));
    match &file.items[0] {
        Item::Let(l) => strip(&l.pattern),
        other => panic!("not a let: {other:?}"),
    }
}

/// The pattern with spans zeroed, for comparison.
fn strip(p: &Pattern) -> PatternKind {
    fn go(p: &Pattern) -> Pattern {
        let kind = match &p.kind {
            PatternKind::Seq(v) => PatternKind::Seq(v.iter().map(go).collect()),
            PatternKind::Alt(v) => PatternKind::Alt(v.iter().map(go).collect()),
            PatternKind::Optional(b) => PatternKind::Optional(Box::new(go(b))),
            PatternKind::NotAhead(b) => PatternKind::NotAhead(Box::new(go(b))),
            PatternKind::Capture(c) => PatternKind::Capture(Capture {
                name: Ident {
                    name: c.name.name.clone(),
                    span: Default::default(),
                },
                accepts: c
                    .accepts
                    .iter()
                    .map(|a| Ident {
                        name: a.name.clone(),
                        span: Default::default(),
                    })
                    .collect(),
            }),
            k => k.clone(),
        };
        Pattern {
            kind,
            span: Default::default(),
        }
    }
    go(p).kind
}

fn lit(s: &str) -> Pattern {
    Pattern {
        kind: PatternKind::Literal(s.into()),
        span: Default::default(),
    }
}
fn rf(s: &str) -> Pattern {
    Pattern {
        kind: PatternKind::Ref(s.into()),
        span: Default::default(),
    }
}
fn gap(min: u32, max: Option<u32>, scope: GapScope) -> PatternKind {
    PatternKind::Gap(Gap { min, max, scope })
}

#[test]
fn literal_with_escapes() {
    assert_eq!(
        let_pattern(r#""a\"b\\c\n\u{4E07}""#),
        PatternKind::Literal("a\"b\\c\n万".into())
    );
}

#[test]
fn sequence_alternation_and_grouping() {
    assert_eq!(
        let_pattern(r#"高企 ("a" | "b") 累计"#),
        PatternKind::Seq(vec![
            rf("高企"),
            Pattern {
                kind: PatternKind::Alt(vec![lit("a"), lit("b")]),
                span: Default::default()
            },
            rf("累计"),
        ])
    );
}

#[test]
fn optional_two_ways_and_lookahead() {
    let opt = |p| Pattern {
        kind: PatternKind::Optional(Box::new(p)),
        span: Default::default(),
    };
    assert_eq!(
        let_pattern(r#""a"? ["b"] !"c""#),
        PatternKind::Seq(vec![
            opt(lit("a")),
            opt(lit("b")),
            Pattern {
                kind: PatternKind::NotAhead(Box::new(lit("c"))),
                span: Default::default()
            },
        ])
    );
}

#[test]
fn gaps_and_their_bounds() {
    use GapScope::*;
    assert_eq!(let_pattern("…"), gap(0, Some(16), Clause));
    assert_eq!(let_pattern("..."), gap(0, Some(16), Clause));
    assert_eq!(let_pattern("…{0,20}"), gap(0, Some(20), Clause));
    assert_eq!(let_pattern("…{5}"), gap(0, Some(5), Clause));
    assert_eq!(let_pattern("…{2,20}"), gap(2, Some(20), Clause));
    assert_eq!(let_pattern("…{,30}"), gap(0, Some(30), Clause));
    assert_eq!(let_pattern("…{0,30 sentence}"), gap(0, Some(30), Sentence));
    assert_eq!(let_pattern("…{sentence}"), gap(0, Some(16), Sentence));
    assert_eq!(let_pattern("…{3,}"), gap(3, None, Clause));
}

#[test]
fn captures_with_units_and_kinds() {
    let file = ok("let x = N:家/个 V:money");
    let Item::Let(l) = &file.items[0] else {
        panic!()
    };
    let PatternKind::Seq(items) = &l.pattern.kind else {
        panic!()
    };
    let PatternKind::Capture(c) = &items[0].kind else {
        panic!()
    };
    assert_eq!(c.name.name, "N");
    let accepts: Vec<_> = c.accepts.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(accepts, ["家", "个"]);
    // Spans are exact: `N:家/个` starts at byte 8.
    assert_eq!(items[0].span.start, 8);
    assert_eq!(
        &"let x = N:家/个 V:money"[items[0].span.start..items[0].span.end],
        "N:家/个"
    );
}

#[test]
fn a_whole_file() {
    let src = r#"// comment
import "common.zb"
province 江苏 { regions "南京" "无锡" }
indicator hte_total "高新技术企业总数" unit 家
indicator tech_loans "科技贷款发放额" unit 亿元 kind money
let 高企 = "高新技术企业" | "高企"
override rule 高企总数 -> hte_total {
    match 高企 … "达到" N:家
    unless "培育" | "每万家"
    unless sentence "每万家"
    status estimate
    priority 10
    emit N
    example "预计年末有效高企达到712家" => 712 estimate
    example "共发放科技贷款6660万元" => 0.666 亿元 actual
    example "省高企培育库入库企业达到43家" => none
    todo example "x" => 5
}
"#;
    let file = ok(src);
    assert_eq!(file.items.len(), 6);
    let Item::Province(p) = &file.items[1] else {
        panic!()
    };
    assert_eq!(p.name.name, "江苏");
    assert_eq!(p.regions.len(), 2);
    let Item::Indicator(i) = &file.items[3] else {
        panic!()
    };
    assert_eq!(i.unit.name, "亿元");
    assert_eq!(i.kind.as_ref().map(|k| k.name.as_str()), Some("money"));
    let Item::Rule(r) = &file.items[5] else {
        panic!()
    };
    assert!(r.override_span.is_some());
    assert_eq!(r.name.name, "高企总数");
    assert_eq!(r.indicator.name, "hte_total");
    assert_eq!(r.matches.len(), 1);
    assert_eq!(r.vetoes.len(), 2);
    assert_eq!(r.vetoes[1].scope, VetoScope::Sentence);
    assert_eq!(r.status.map(|s| s.0), Some(Status::Estimate));
    assert_eq!(r.priority.map(|p| p.0), Some(10));
    assert_eq!(r.emit.as_ref().map(|e| e.name.as_str()), Some("N"));
    assert_eq!(r.examples.len(), 4);
    assert!(r.examples[3].todo);
    match &r.examples[1].expect {
        Expectation::Fact {
            value,
            unit,
            status,
            ..
        } => {
            assert_eq!(value, "0.666");
            assert_eq!(unit.as_ref().map(|u| u.name.as_str()), Some("亿元"));
            assert_eq!(status.map(|s| s.0), Some(Status::Actual));
        }
        Expectation::None => panic!("expected a fact"),
    }
    assert_eq!(r.examples[2].expect, Expectation::None);
}

#[test]
fn keywords_are_not_names() {
    assert!(err("let rule = \"a\"").starts_with("expected a name after `let`"));
}

#[test]
fn empty_branch_after_bar() {
    assert_eq!(
        err("let x = \"a\" | \nrule r -> i { }"),
        "expected a quoted literal or a pattern name after `|`, found `rule`"
    );
}

#[test]
fn misspelt_item_keyword() {
    let (_, diags) = parse(FileId(0), "rul r -> i {}");
    assert_eq!(diags[0].code, Code::Syntax);
    assert_eq!(diags[0].help.as_deref(), Some("did you mean `rule`?"));
    assert!(
        diags[0].message.starts_with("expected an item"),
        "{}",
        diags[0].message
    );
}

#[test]
fn unclosed_literal() {
    let m = err("let x = \"abc\nlet y = \"d\"");
    assert!(m.contains("closing `\"`"), "{m}");
}

#[test]
fn capture_needs_a_unit() {
    let m = err("let x = N: \"a\"");
    assert!(m.starts_with("expected a unit"), "{m}");
    assert!(m.contains("after `:`"), "{m}");
}

#[test]
fn missing_arrow_in_rule() {
    let m = err("rule r hte { }");
    assert_eq!(m, "expected `->`, found `hte`");
}

#[test]
fn bad_clause_in_rule() {
    let m = err("rule r -> i { mach \"a\" }");
    assert!(m.starts_with("expected a rule clause"), "{m}");
}

#[test]
fn no_pest_rule_names_leak() {
    for src in [
        "let",
        "let x",
        "let x =",
        "rule",
        "rule r -> i { example \"a\" => }",
        "rule r -> i { status maybe }",
        "indicator x \"y\" unit",
        "province 江苏 { \"南京\" }",
        "let x = …{a}",
        "let x = (\"a\"",
        "let x = [\"a\"",
        "let x = \"\\q\"",
    ] {
        let m = err(src);
        for leak in [
            "kw_",
            "_clause",
            "unit_name",
            "str_inner",
            "gap_",
            "EOI",
            "ident",
            "close_",
        ] {
            assert!(!m.contains(leak), "{src:?} leaks {leak}: {m}");
        }
    }
}

#[test]
fn hostile_nesting_is_refused_quickly() {
    let deep = format!("let x = {}\"a\"{}", "(".repeat(1000), ")".repeat(1000));
    let (ast, diags) = parse(FileId(0), &deep);
    assert!(ast.is_none());
    assert_eq!(diags[0].code, Code::TooComplex);
    let nots = format!("let x = {}\"a\"", "!".repeat(1000));
    let (_, diags) = parse(FileId(0), &nots);
    assert_eq!(diags[0].code, Code::TooComplex);
}

#[test]
fn nesting_at_the_limit_parses() {
    let n = super::MAX_NESTING - 1;
    let src = format!("let x = {}\"a\"{}", "(".repeat(n), ")".repeat(n));
    ok(&src);
}

#[test]
fn huge_files_are_refused() {
    let big = "// x\n".repeat(super::MAX_FILE_BYTES / 5 + 1);
    let (ast, diags) = parse(FileId(0), &big);
    assert!(ast.is_none());
    assert_eq!(diags[0].code, Code::TooComplex);
}

#[test]
fn many_alternatives_parse() {
    let alts: Vec<String> = (0..100_000).map(|i| format!("\"w{i}\"")).collect();
    let src = format!("let x = {}", alts.join(" | "));
    let file = ok(&src);
    let Item::Let(l) = &file.items[0] else {
        panic!()
    };
    let PatternKind::Alt(v) = &l.pattern.kind else {
        panic!()
    };
    assert_eq!(v.len(), 100_000);
}

#[test]
fn unknown_escape_is_named() {
    assert_eq!(
        err(r#"let x = "a\qb""#),
        "unknown escape `\\q` in a quoted literal"
    );
    assert_eq!(
        err(r#"let x = "\u{110000000}""#),
        "unknown escape `\\u` in a quoted literal"
    );
}

#[test]
fn escape_naming_no_character() {
    let (_, diags) = parse(FileId(0), r#"let x = "\u{D800}""#);
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].message.contains("names no character"),
        "{}",
        diags[0].message
    );
}

#[test]
fn override_needs_rule() {
    assert_eq!(
        err("override let x = \"a\""),
        "expected `rule` after `override`, found `let`"
    );
}

#[test]
fn curly_quotes_get_a_hint() {
    let (_, diags) = parse(FileId(0), "let x = “高企”");
    assert_eq!(
        diags[0].help.as_deref(),
        Some("quote literals with straight double quotes: \"高企\"")
    );
}

#[test]
fn unquoted_import_path() {
    let (_, diags) = parse(FileId(0), "import common.zb");
    assert_eq!(
        diags[0].help.as_deref(),
        Some("quote the path: import \"common.zb\"")
    );
}

#[test]
fn report_examples_and_veto_scopes_lower() {
    let src = "report 一段 {\n    line \"标题\"\n    line \"甲。\" => hte_total 5 家 actual 2023 1-10; hte_new 2\n    line \"乙。\" => none\n}\n\
               rule r -> hte_total {\n    match \"高企\" N:家\n    unless before \"省\"\n    unless after \"以上\"\n    unless item \"市\"\n    unless subject \"新增\"\n}\n";
    let file = ok(src);
    let Item::Report(r) = &file.items[0] else {
        panic!()
    };
    assert_eq!(r.name.name, "一段");
    assert_eq!(r.lines.len(), 3);
    assert!(!r.lines[0].checked && r.lines[0].facts.is_empty());
    let l = &r.lines[1];
    assert!(l.checked);
    // The line's span ends at its last token, not at the next line.
    assert!(src[l.span.start..l.span.end].ends_with("hte_new 2"));
    let f = &l.facts[0];
    assert_eq!(f.indicator.name, "hte_total");
    assert_eq!(f.value, "5");
    assert_eq!(f.unit.as_ref().map(|u| u.name.as_str()), Some("家"));
    assert_eq!(f.status.map(|s| s.0), Some(Status::Actual));
    assert_eq!(f.year.map(|y| y.0), Some(2023));
    assert_eq!(f.months.as_ref().map(|m| m.0.as_str()), Some("1-10"));
    assert_eq!(l.facts[1].indicator.name, "hte_new");
    assert!(l.facts[1].status.is_none());
    assert!(r.lines[2].checked && r.lines[2].facts.is_empty());
    let Item::Rule(rule) = &file.items[1] else {
        panic!()
    };
    let scopes: Vec<VetoScope> = rule.vetoes.iter().map(|v| v.scope).collect();
    assert_eq!(
        scopes,
        [
            VetoScope::Before,
            VetoScope::After,
            VetoScope::Item,
            VetoScope::Subject
        ]
    );
    // A year is four digits; months are checked by check, not here.
    assert!(!err("report x {\n    line \"a\" => hte_total 5 actual 20231\n}\n").is_empty());
}
