//! Patterns and examples as keys that ignore spans (to compare a rule with
//! its override, or two examples), and a subject's words read off its
//! pattern.

use crate::diag::Span;
use crate::syntax::ast::{self, Expectation, Pattern, PatternKind};

/// A key for comparing patterns without their spans.
pub fn canon(p: &Pattern, out: &mut String) {
    match &p.kind {
        PatternKind::Literal(s) => quote_into(s, out),
        PatternKind::Ref(n) => out.push_str(&format!("@{n}")),
        PatternKind::Seq(v) | PatternKind::Alt(v) => {
            out.push(if matches!(p.kind, PatternKind::Seq(_)) {
                '('
            } else {
                '{'
            });
            for (i, x) in v.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                canon(x, out);
            }
            out.push(if matches!(p.kind, PatternKind::Seq(_)) {
                ')'
            } else {
                '}'
            });
        }
        PatternKind::Optional(b) => {
            out.push('[');
            canon(b, out);
            out.push(']');
        }
        PatternKind::NotAhead(b) => {
            out.push('!');
            canon(b, out);
        }
        PatternKind::Gap(g) => out.push_str(&format!("…{}:{:?}:{:?}", g.min, g.max, g.scope)),
        PatternKind::Capture(c) => {
            out.push_str(&c.name.name);
            out.push(':');
            let a: Vec<&str> = c.accepts.iter().map(|a| a.name.as_str()).collect();
            out.push_str(&a.join("/"));
        }
        PatternKind::Either(a, g, b) => {
            out.push('<');
            canon(a, out);
            out.push_str(&format!(" <>{}:{:?}:{:?} ", g.min, g.max, g.scope));
            canon(b, out);
            out.push('>');
        }
        PatternKind::Subject(s) => out.push_str(&format!("^{}", s.name)),
    }
}

/// Most words a `subject` (or a veto) may spell: a subject is a short list
/// of ways to name one thing, and every word goes into the scan automaton.
pub const MAX_SUBJECT_WORDS: usize = 4096;

/// Every word an expanded pattern made of literals, sequences, `|` and
/// optional parts can spell (longest first, each once); `Err` with the node
/// that is not a word (a gap, a capture, `!`, `<>`), or `Ok(None)` when
/// there would be more than [`MAX_SUBJECT_WORDS`].
pub fn words_of(p: &Pattern) -> Result<Option<Vec<String>>, Span> {
    fn walk(p: &Pattern) -> Result<Option<Vec<String>>, Span> {
        Ok(Some(match &p.kind {
            PatternKind::Literal(s) => vec![s.clone()],
            PatternKind::Subject(s) => s.words.clone(),
            PatternKind::Alt(v) => {
                let mut all = Vec::new();
                for x in v {
                    let Some(w) = walk(x)? else { return Ok(None) };
                    all.extend(w);
                    if all.len() > MAX_SUBJECT_WORDS {
                        return Ok(None);
                    }
                }
                all
            }
            PatternKind::Seq(v) => {
                let mut all = vec![String::new()];
                for x in v {
                    let Some(w) = walk(x)? else { return Ok(None) };
                    if all.len().saturating_mul(w.len()) > MAX_SUBJECT_WORDS {
                        return Ok(None);
                    }
                    all = all
                        .iter()
                        .flat_map(|a| w.iter().map(move |b| format!("{a}{b}")))
                        .collect();
                }
                all
            }
            PatternKind::Optional(b) => {
                let Some(mut w) = walk(b)? else {
                    return Ok(None);
                };
                w.push(String::new());
                w
            }
            _ => return Err(p.span),
        }))
    }
    Ok(walk(p)?.map(|mut w| {
        w.retain(|x| !x.is_empty());
        w.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        w.dedup();
        w
    }))
}

/// A key for comparing examples without their spans.
pub fn example_key(e: &ast::Example) -> String {
    let expect = match &e.expect {
        Expectation::None => "none".to_string(),
        Expectation::Fact {
            value,
            unit,
            status,
            ..
        } => format!(
            "{value} {} {}",
            unit.as_ref().map(|u| u.name.as_str()).unwrap_or(""),
            status.map(|s| s.0.as_str()).unwrap_or("")
        ),
    };
    let mut key = String::from(if e.todo { "todo " } else { "" });
    quote_into(&e.text.value, &mut key);
    key.push_str("=>");
    key.push_str(&expect);
    key
}

/// Appends `s` quoted, with `"` and `\` escaped: an unambiguous key, cheaper
/// than `{:?}` (which looks up every Chinese character's printability and
/// was a tenth of loading the shipped rules).
fn quote_into(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}
