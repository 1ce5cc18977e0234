//! Rule-file syntax: the pest grammar (grammar/zhibiao.pest) and its lowering
//! to a typed AST with spans ([`ast`]).
//!
//! [`parse`] is the only entry point. It first guards against hostile input
//! (`limits`: size and nesting, so that pest's recursive descent can never
//! overflow the stack), then runs pest, then lowers pest's pairs to the AST
//! (`lower`). Syntax errors are reworded for rule authors (`errors`):
//! pest's rule names never reach the user.

pub mod ast;
mod errors;

/// The keywords of the rule language, as the grammar's `keyword` rule lists
/// them: for "did you mean" on a misspelt one and for editor completion.
pub const KEYWORDS: &[&str] = &[
    "import",
    "province",
    "regions",
    "indicator",
    "unit",
    "kind",
    "let",
    "words",
    "subject",
    "list",
    "rule",
    "override",
    "extend",
    "match",
    "unless",
    "sentence",
    "status",
    "priority",
    "emit",
    "example",
    "min",
    "max",
    "todo",
    "none",
    "actual",
    "estimate",
    "target",
    "report",
    "line",
    "before",
    "after",
    "item",
];

#[cfg(test)]
mod keyword_tests {
    /// The list and the grammar's `keyword` rule name the same words.
    #[test]
    fn keywords_are_the_grammars() {
        let grammar = include_str!("../../grammar/zhibiao.pest");
        let start = grammar.find("keyword = @{").expect("keyword rule");
        let rule = &grammar[start..start + grammar[start..].find('}').expect("rule end")];
        let mut in_grammar: Vec<&str> = rule.split('"').skip(1).step_by(2).collect();
        let mut listed = super::KEYWORDS.to_vec();
        in_grammar.sort_unstable();
        listed.sort_unstable();
        assert_eq!(in_grammar, listed);
    }
}
mod limits;
mod lower;

use pest::Parser as _;

use crate::diag::{Diagnostic, FileId};

pub use limits::{MAX_FILE_BYTES, MAX_NESTING};

mod grammar {
    #![allow(missing_docs)]
    //! The pest parser generated from grammar/zhibiao.pest.
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/zhibiao.pest"]
    pub(crate) struct ZbParser;
}

use grammar::{Rule, ZbParser};

/// Parses one rule file: the AST (or `None` when the file does not follow
/// the grammar) plus every diagnostic found while parsing and lowering.
///
/// Pest stops at the first syntax error, so a file with a syntax error gives
/// exactly one ZB0101; lowering problems (bad escapes, numbers too large)
/// are all reported.
pub fn parse(file: FileId, text: &str) -> (Option<ast::File>, Vec<Diagnostic>) {
    if let Some(diag) = limits::check(file, text) {
        return (None, vec![diag]);
    }
    match ZbParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let mut diags = Vec::new();
            let ast = match pairs.next() {
                Some(pair) => lower::file(pair, file, &mut diags),
                None => ast::File { items: Vec::new() },
            };
            (Some(ast), diags)
        }
        Err(err) => (None, vec![errors::syntax_error(file, text, &err)]),
    }
}

#[cfg(test)]
mod tests;
