//! `zhibiao fmt`: one canonical layout for rule files, comments kept.
//!
//! Sits beside [`crate::syntax`], not after it: the AST drops comments and
//! line breaks, so the layout is printed from a token stream of its own
//! ([`lex`]) and the AST only checks the result. [`format_source`]
//! refuses a file the grammar rejects (it returns the syntax error), and
//! refuses to return a layout whose syntax tree differs from the input's
//! (spans left out) or that lost a comment ([`Code::FormatChangesMeaning`]):
//! formatting can never change what a file means. The layout itself is
//! described in [`layout`]; printing it twice gives the same text.
//!
//! The CLI (`zhibiao fmt`, `--check`) and the language server's
//! formatting request both call [`format_source`].

mod layout;
pub mod lex;
mod same;

use crate::diag::{Code, Diagnostic, FileId};

pub use same::without_spans;

/// Formats one rule file's text. `file` names it in diagnostics.
///
/// Errors: the file's syntax errors (it is not formatted), or a
/// [`Code::FormatChangesMeaning`] diagnostic if the layout would change
/// the file (a bug in the formatter, reported rather than written).
pub fn format_source(file: FileId, text: &str) -> Result<String, Vec<Diagnostic>> {
    let (ast, diags) = crate::syntax::parse(file, text);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    let Some(ast) = ast else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let toks = lex::lex(text);
    let out = layout::file(&toks);
    let (after, _) = crate::syntax::parse(file, &out);
    let same_tree = after.is_some_and(|a| without_spans(&a) == without_spans(&ast));
    let comments = |toks: &[lex::Tok]| -> Vec<String> {
        toks.iter()
            .filter(|t| t.kind == lex::Kind::Comment)
            .map(|t| t.text.clone())
            .collect()
    };
    let same_comments = comments(&toks) == comments(&lex::lex(&out));
    if !(same_tree && same_comments) {
        let what = if same_tree {
            "would lose or move a comment"
        } else {
            "would change what the file means"
        };
        return Err(vec![
            Diagnostic::new(
                Code::FormatChangesMeaning,
                format!("formatting this file {what}; it was left as it is"),
            )
            .with_help("this is a bug in `zhibiao fmt`: please report the file"),
        ]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format_source(FileId(0), text) {
            Ok(s) => s,
            Err(d) => panic!("{d:?}"),
        }
    }

    #[test]
    fn a_rule_on_one_line_gets_a_clause_per_line() {
        let src = "indicator i \"名\" unit 家\nrule r->i{match \"b\"  N : 家 unless(\"x\"|\"y\") example \"b1家\"=>1 todo example \"b2家\" => 2 actual}";
        assert_eq!(
            fmt(src),
            "indicator i \"名\" unit 家\nrule r -> i {\n    match \"b\" N:家\n    unless (\"x\" | \"y\")\n    example \"b1家\" => 1\n    todo example \"b2家\" => 2 actual\n}\n"
        );
    }

    #[test]
    fn indicators_align_by_display_width() {
        let src = "indicator a \"高新\" unit 家\nindicator bbb \"x\" unit 亿元 // note\n";
        assert_eq!(
            fmt(src),
            "indicator a   \"高新\" unit 家\nindicator bbb \"x\"    unit 亿元 // note\n"
        );
    }

    #[test]
    fn continuation_lines_align_under_the_pattern() {
        let src = "subject 甲 = \"a\"\n  \"b\"\n      | \"c\" // why\n// own line\nlet b = \"x\" …{ 0, 8 sentence }  \"y\"?\n\n\n\nlet c = !\"z\" [\"w\"]";
        assert_eq!(
            fmt(src),
            "subject 甲 = \"a\"\n             \"b\"\n           | \"c\" // why\n// own line\nlet b = \"x\" …{0,8 sentence} \"y\"?\n\nlet c = !\"z\" [\"w\"]\n"
        );
    }

    #[test]
    fn comments_inside_rules_stay() {
        let src = "rule r -> i { // head\n  // first\n  match \"b\"\n     N:家 // tail\n\n  example \"b1家\" => 1\n} // end\n";
        let out = fmt(src);
        assert_eq!(
            out,
            "rule r -> i { // head\n    // first\n    match \"b\"\n          N:家 // tail\n\n    example \"b1家\" => 1\n} // end\n"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn a_syntax_error_is_returned_not_formatted() {
        let Err(d) = format_source(FileId(0), "rule r -> {") else {
            panic!("formatted a broken file")
        };
        assert_eq!(d[0].code, Code::Syntax);
    }
}
