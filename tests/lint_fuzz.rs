//! Hostile rule files never crash the checker: random token soup built from
//! the language's own pieces goes through parse and check without a panic,
//! and every diagnostic points inside the file.

use proptest::prelude::*;
use zhibiao::check::check;
use zhibiao::diag::Sources;

const TOKENS: &[&str] = &[
    "import",
    "\"common.zb\"",
    "province",
    "江苏",
    "{",
    "}",
    "regions",
    "\"南京\"",
    "indicator",
    "hte_total",
    "\"高企总数\"",
    "unit",
    "家",
    "%",
    "kind",
    "money",
    "let",
    "高企",
    "=",
    "\"高企\"",
    "|",
    "(",
    ")",
    "[",
    "]",
    "?",
    "!",
    "…",
    "...",
    "…{0,20}",
    "…{3,}",
    "…{sentence}",
    "N:家",
    "V:money",
    "P:架",
    "rule",
    "override",
    "->",
    "match",
    "unless",
    "sentence",
    "status",
    "actual",
    "priority",
    "10",
    "emit",
    "N",
    "example",
    "todo",
    "report",
    "line",
    "before",
    "after",
    "item",
    ";",
    "2024",
    "1-10",
    "=>",
    "none",
    "712",
    "1,305",
    "\"\"",
    "\"１２\"",
    "\"\\u{4E07}\"",
    "\"\\q\"",
    "//",
    "\n",
    " ",
    "\"",
    "“",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(0..TOKENS.len(), 0..80).prop_map(|ix| {
        ix.into_iter()
            .map(|i| TOKENS[i])
            .collect::<Vec<_>>()
            .join(" ")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn token_soup_never_panics(body in soup()) {
        let mut s = Sources::new();
        s.add("common.zb", "indicator hte_total \"x\" unit 家\nlet 高企 = \"高企\"\n");
        let id = s.add("soup.zb", body.clone());
        let checked = check(&s, &[id]);
        for d in &checked.diagnostics {
            for l in &d.labels {
                let len = s.get(l.file).text.len();
                prop_assert!(l.span.start <= l.span.end && l.span.end <= len, "{d:?} in {body:?}");
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(body in "\\PC{0,200}") {
        let mut s = Sources::new();
        let id = s.add("any.zb", body);
        let _ = check(&s, &[id]);
    }
}
