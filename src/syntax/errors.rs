//! Syntax errors in words a rule author understands.
//!
//! Pest reports the grammar rules it tried at the furthest position
//! ("positives"). Each rule maps to a phrase ("a quoted literal", "a rule
//! clause (`match`, `unless` …)"); the phrases are joined, the token before
//! the error is named ("after `|`") and the token found is quoted. Pest's
//! rule names never reach the user (like pest's own `renamed_rules`).

use pest::error::{Error, ErrorVariant, InputLocation};

use super::KEYWORDS;
use super::Rule;
use crate::diag::{Code, Diagnostic, FileId, Span, suggest};

const ITEM: &str = "an item (`import`, `province`, `indicator`, `let` or `rule`)";
const CLAUSE: &str =
    "a rule clause (`match`, `unless`, `status`, `priority`, `emit`, `min`, `max` or `example`)";
const PATTERN: &str = "a quoted literal or a pattern name";

fn phrase(r: Rule) -> Option<&'static str> {
    Some(match r {
        Rule::kw_import
        | Rule::kw_province
        | Rule::kw_indicator
        | Rule::kw_let
        | Rule::kw_words
        | Rule::words_decl
        | Rule::kw_subject
        | Rule::kw_rule
        | Rule::kw_override
        | Rule::kw_extend
        | Rule::file
        | Rule::import
        | Rule::province
        | Rule::indicator
        | Rule::let_decl
        | Rule::rule => ITEM,
        Rule::EOI => "the end of the file",
        Rule::kw_match
        | Rule::kw_unless
        | Rule::kw_status
        | Rule::kw_priority
        | Rule::kw_emit
        | Rule::kw_min
        | Rule::kw_max
        | Rule::kw_example
        | Rule::kw_todo
        | Rule::match_clause
        | Rule::unless_clause
        | Rule::status_clause
        | Rule::priority_clause
        | Rule::emit_clause
        | Rule::bound_clause
        | Rule::example_clause => CLAUSE,
        Rule::fact => "a number or `none`",
        Rule::pattern
        | Rule::alt
        | Rule::order
        | Rule::seq
        | Rule::unary
        | Rule::not_op
        | Rule::group
        | Rule::optional
        | Rule::capture
        | Rule::gap
        | Rule::gap_dots => PATTERN,
        Rule::ident => "a name",
        Rule::role_name => "a lexicon role (estimate, predicate, own_region …)",
        Rule::unit_name => "a unit (家, 亿元, % …) or a kind (count, money, percent …)",
        Rule::string => "a quoted literal",
        Rule::str_inner | Rule::escape => "a closing `\"`",
        Rule::integer => "a whole number",
        Rule::value => "a number",
        Rule::gap_range | Rule::gap_min | Rule::gap_max => "gap bounds such as {0,20}",
        Rule::gap_bound => "gap bounds such as {0,20}",
        Rule::arrow => "`->`",
        Rule::fat_arrow => "`=>`",
        Rule::equals => "`=`",
        Rule::plus_equals => "`+=`",
        Rule::minus_equals => "`-=`",
        Rule::open_brace => "`{`",
        Rule::close_brace => "`}`",
        Rule::close_paren => "`)`",
        Rule::close_bracket => "`]`",
        Rule::colon => "`:`",
        Rule::bar => "`|`",
        Rule::swap => "`<>`",
        Rule::kw_list => "`list`",
        Rule::question => "`?`",
        Rule::kw_regions => "`regions`",
        Rule::kw_unit => "`unit`",
        Rule::kw_kind => "`kind`",
        Rule::kw_sentence => "`sentence`",
        Rule::kw_none => "`none`",
        Rule::report_kind => "a report kind (`summary`, `plan` or `auto`)",
        Rule::status_value => "a status (`actual`, `estimate` or `target`)",
        _ => return None,
    })
}

/// Phrases that only continue a pattern that could already have ended.
fn is_continuation(p: &str) -> bool {
    p == PATTERN || p == "`|`" || p == "`?`" || p == "`:`" || p == "`<>`"
}

fn join(phrases: &[&str]) -> String {
    match phrases {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

/// The token (symbol or keyword) just before `pos`, if it says something.
fn token_before(text: &str, pos: usize) -> Option<String> {
    let before = text.get(..pos)?.trim_end();
    for sym in [
        "=>", "->", "|", ":", "=", "/", "!", "(", "[", "{", "…", "...",
    ] {
        if before.ends_with(sym) {
            return Some(sym.to_string());
        }
    }
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| !c.is_whitespace())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    KEYWORDS.contains(&word.as_str()).then_some(word)
}

/// The token found at `pos` (up to the next space, at most 12 characters).
fn token_at(text: &str, pos: usize) -> &str {
    let rest = text.get(pos..).unwrap_or("");
    if let Some(body) = rest.strip_prefix('"') {
        let line = body.split('\n').next().unwrap_or("");
        if let Some(close) = line.find('"') {
            return &rest[..close + 2];
        }
    }
    let mut end = 0;
    for (count, (i, c)) in rest.char_indices().enumerate() {
        if c.is_whitespace() || count == 12 || (count > 0 && "\"(){}[]|:".contains(c)) {
            break;
        }
        end = i + c.len_utf8();
    }
    &rest[..end]
}

/// Turns pest's error into one ZB0101 diagnostic.
pub fn syntax_error(file: FileId, text: &str, err: &Error<Rule>) -> Diagnostic {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if let Some(diag) = unclosed_literal(file, text, pos) {
        return diag;
    }
    if let Some(diag) = bad_escape(file, text, pos) {
        return diag;
    }
    let found = token_at(text, pos);
    // `…{0，20}`: a full-width comma in gap bounds.
    if found.starts_with('，')
        && text[..pos]
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .ends_with('{')
    {
        return Diagnostic::new(Code::Syntax, "gap bounds take an ASCII comma, found `，`")
            .with_label(
                file,
                Span::new(pos, pos + '，'.len_utf8()),
                "full-width comma",
            )
            .with_help("write the bounds with `,`: …{0,20}");
    }
    let found_words = if found.is_empty() {
        "the end of the file".to_string()
    } else {
        format!("`{found}`")
    };
    let (expected, phrases) = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut phrases: Vec<&str> = Vec::new();
            for p in positives.iter().filter_map(|r| phrase(*r)) {
                if !phrases.contains(&p) {
                    phrases.push(p);
                }
            }
            // After a complete pattern element, pest also lists every way the
            // pattern could go on; the structural choices are the useful ones.
            if phrases.iter().any(|p| !is_continuation(p))
                && phrases.iter().any(|p| is_continuation(p))
                && phrases.iter().any(|p| {
                    *p == CLAUSE
                        || *p == ITEM
                        || p.starts_with("`)")
                        || p.starts_with("`]")
                        || p.starts_with("`}")
                })
            {
                phrases.retain(|p| !is_continuation(p));
            }
            (join(&phrases), phrases)
        }
        ErrorVariant::CustomError { message } => (message.clone(), Vec::new()),
    };
    let after = token_before(text, pos)
        .map(|t| format!(" after `{t}`"))
        .unwrap_or_default();
    let expected = if after == " after `override`" || after == " after `extend`" {
        "`rule`".to_string()
    } else {
        expected
    };
    let message = format!("expected {expected}{after}, found {found_words}");
    let has = |p: &str| phrases.contains(&p);

    let help = if found.starts_with(['“', '”', '\'', '「', '『'])
        && phrases
            .iter()
            .any(|p| *p == PATTERN || p.starts_with("a quoted"))
    {
        "quote literals with straight double quotes: \"高企\"".to_string()
    } else if let Some(kw) = (phrases.contains(&ITEM) || phrases.contains(&CLAUSE))
        .then(|| suggest::closest(found, KEYWORDS.iter().copied()))
        .flatten()
    {
        format!("did you mean `{kw}`?")
    } else if after == " after `|`" {
        "each side of `|` needs a pattern, e.g. \"高企\" | \"高新技术企业\"".to_string()
    } else if has("`=`") {
        "a named pattern is written `let NAME = PATTERN`".to_string()
    } else if has("`->`") {
        "a rule is written `rule NAME -> INDICATOR { match … }`".to_string()
    } else if has("`=>`") || has("a number or `none`") {
        "an example is written `example \"TEXT\" => VALUE [UNIT] [STATUS]` or `=> none`".to_string()
    } else if has("a quoted literal") && after == " after `import`" {
        format!("quote the path: import \"{found}\"")
    } else if has("`regions`") {
        "a province is written `province NAME { regions \"城市\" … }`".to_string()
    } else if has("`)`") || has("`]`") {
        "close every `(` with `)` and every `[` with `]`".to_string()
    } else {
        "see docs/language.md for how rule files are written".to_string()
    };
    let end = pos + found.len();
    Diagnostic::new(Code::Syntax, message)
        .with_label(file, Span::new(pos, end), "not expected here")
        .with_help(help)
}

/// A `"` at `pos` with no closing quote on its line: say so directly.
fn unclosed_literal(file: FileId, text: &str, pos: usize) -> Option<Diagnostic> {
    let rest = text.get(pos..)?;
    let line = rest.split('\n').next().unwrap_or("");
    let body = line.strip_prefix('"')?;
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                chars.next();
            }
            _ => {}
        }
    }
    Some(
        Diagnostic::new(
            Code::Syntax,
            "this quoted literal is not closed: expected a closing `\"` before the end of the line",
        )
        .with_label(
            file,
            Span::new(pos, pos + line.trim_end().len()),
            "no closing `\"`",
        )
        .with_help("close the literal with `\"` on the same line; write a quote inside it as \\\""),
    )
}

/// A quoted literal at `pos` with an escape that is not one of ours.
fn bad_escape(file: FileId, text: &str, pos: usize) -> Option<Diagnostic> {
    let rest = text.get(pos..)?;
    let line = rest.split('\n').next().unwrap_or("");
    let body = line.strip_prefix('"')?;
    let mut iter = body.char_indices();
    while let Some((i, c)) = iter.next() {
        match c {
            '"' => return None,
            '\\' => {
                let next = iter.next().map(|(_, n)| n);
                let ok = match next {
                    Some('"' | '\\' | 'n') => true,
                    Some('u') => {
                        let tail = &body[i + 2..];
                        tail.starts_with('{')
                            && tail[1..].find('}').is_some_and(|end| {
                                (1..=6).contains(&end)
                                    && tail[1..1 + end].chars().all(|h| h.is_ascii_hexdigit())
                            })
                    }
                    _ => false,
                };
                if !ok {
                    let start = pos + 1 + i;
                    let len = 1 + next.map(char::len_utf8).unwrap_or(0);
                    return Some(
                        Diagnostic::new(
                            Code::Syntax,
                            format!("unknown escape `{}` in a quoted literal", &text[start..start + len]),
                        )
                        .with_label(file, Span::new(start, start + len), "not an escape")
                        .with_help("the escapes are \\\" \\\\ \\n and \\u{4E07}; write a backslash itself as \\\\"),
                    );
                }
            }
            _ => {}
        }
    }
    None
}
