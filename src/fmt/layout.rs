//! The canonical layout, printed from the token stream ([`super::lex`]).
//!
//! - Items start at column 0; a blank line the author left between items
//!   (or comments) is kept, several become one.
//! - A run of `indicator` lines (no blank line or comment between) is
//!   aligned: ids, names and units in columns, counted in display width
//!   (a Chinese character is two columns), as the catalog is read.
//! - A rule is `[override |extend ]rule NAME -> INDICATOR {`, one clause per line
//!   indented four spaces, `}`; a province is `province NAME {`, its
//!   `regions` line(s), `}`; a report is `report NAME {`, one `line` per
//!   line, `}`.
//! - Inside a pattern, one space between tokens, none inside `( )`,
//!   `[ ]`, after `!`, before `?`, around a capture's `:` and `/`.
//! - The author's line breaks inside a pattern (a long `subject`, a long
//!   `regions` list) are kept; a continuation line is aligned under the
//!   pattern's first token, or two columns left of it when it opens with
//!   `|`, so that the alternatives line up.
//! - Comments stay where they were: at the end of their line, or on a line
//!   of their own at the indentation of what follows.

use unicode_width::UnicodeWidthStr;

use super::lex::{Kind, Tok};

/// Words that open an item at the top level.
const ITEM_STARTS: [&str; 10] = [
    "words",
    "report",
    "import",
    "province",
    "indicator",
    "let",
    "subject",
    "rule",
    "override",
    "extend",
];

/// Words that open a clause in a rule's body.
const CLAUSE_STARTS: [&str; 10] = [
    "match", "unless", "status", "priority", "emit", "min", "max", "example", "todo", "line",
];

fn starts_item(t: &Tok) -> bool {
    t.kind == Kind::Word && ITEM_STARTS.contains(&t.text.as_str())
}

/// Prints a whole file from its tokens.
pub fn file(toks: &[Tok]) -> String {
    let mut out = Out::default();
    let mut i = 0;
    let mut first = true;
    while i < toks.len() {
        let t = &toks[i];
        if t.kind == Kind::Comment {
            if !first && t.breaks == 0 {
                out.trailing(&t.text);
            } else {
                if !first && t.breaks >= 2 {
                    out.blank();
                }
                out.line(0, &t.text);
            }
            first = false;
            i += 1;
            continue;
        }
        if !first && t.breaks >= 2 {
            out.blank();
        }
        first = false;
        if t.is_word("indicator") {
            // A run of indicators, aligned together.
            let mut run = Vec::new();
            let mut j = i;
            loop {
                let end = item_end(toks, j);
                run.push(&toks[j..end]);
                j = end;
                if j < toks.len() && toks[j].is_word("indicator") && toks[j].breaks == 1 {
                    continue;
                }
                break;
            }
            indicators(&mut out, &run);
            i = j;
            continue;
        }
        let end = item_end(toks, i);
        item(&mut out, &toks[i..end]);
        i = end;
    }
    out.finish()
}

/// The index one past the item that starts at `start`: after its closing
/// brace (and a comment on the same line), or before the next item (or
/// an own-line comment that only more comments and an item follow).
fn item_end(toks: &[Tok], start: usize) -> usize {
    let mut depth = 0usize;
    let mut braced = false;
    let mut i = start + 1;
    while i < toks.len() {
        let t = &toks[i];
        if t.is("{") {
            depth += 1;
            braced = true;
        } else if t.is("}") {
            depth = depth.saturating_sub(1);
            if depth == 0 && braced {
                i += 1;
                if i < toks.len() && toks[i].kind == Kind::Comment && toks[i].breaks == 0 {
                    i += 1;
                }
                return i;
            }
        } else if depth == 0 && starts_item(t) {
            // `override rule`, `extend rule`: `rule` right after either is
            // the same item.
            if !(t.is_word("rule")
                && (toks[i - 1].is_word("override") || toks[i - 1].is_word("extend")))
            {
                return i;
            }
        } else if depth == 0 && t.kind == Kind::Comment && t.breaks > 0 {
            let next = toks[i..].iter().find(|t| t.kind != Kind::Comment);
            if next.is_none_or(starts_item) {
                return i;
            }
        }
        i += 1;
    }
    toks.len()
}

fn item(out: &mut Out, toks: &[Tok]) {
    if toks.iter().any(|t| t.is("{")) {
        braced(out, toks);
    } else if toks[0].is_word("let") || toks[0].is_word("subject") {
        // `let NAME =` then the pattern, aligned under its first token.
        let eq = toks.iter().position(|t| t.is("=")).unwrap_or(0);
        let mut line = Line::new(0);
        for t in &toks[..=eq] {
            line.push(out, t, 0);
        }
        let base = line.width + 1;
        for t in &toks[eq + 1..] {
            line.push(out, t, base);
        }
        line.end(out);
    } else {
        let mut line = Line::new(0);
        for t in toks {
            line.push(out, t, 4);
        }
        line.end(out);
    }
}

/// A rule or a province: the head, a line per clause, the closing brace.
fn braced(out: &mut Out, toks: &[Tok]) {
    let open = toks.iter().position(|t| t.is("{")).unwrap_or(0);
    let close = toks.iter().rposition(|t| t.is("}")).unwrap_or(toks.len());
    let mut line = Line::new(0);
    for t in &toks[..=open] {
        line.push(out, t, 4);
    }
    let body = &toks[open + 1..close];
    // A comment right after `{` stays on the head line.
    let mut start = 0;
    if let Some(t) = body.first()
        && t.kind == Kind::Comment
        && t.breaks == 0
    {
        line.push(out, t, 4);
        start = 1;
    }
    line.end(out);
    let province = toks[0].is_word("province");
    let mut i = start;
    let mut first = true;
    while i < body.len() {
        // One clause (or a comment line) at a time.
        let t = &body[i];
        if !first && t.breaks >= 2 {
            out.blank();
        }
        first = false;
        if t.kind == Kind::Comment {
            out.line(4, &t.text);
            i += 1;
            continue;
        }
        let mut end = i + 1;
        while end < body.len() {
            let u = &body[end];
            let opens = if province {
                u.is_word("regions")
            } else {
                u.kind == Kind::Word
                    && CLAUSE_STARTS.contains(&u.text.as_str())
                    && !(u.is_word("example") && body[end - 1].is_word("todo"))
            };
            if opens {
                break;
            }
            if u.kind == Kind::Comment && u.breaks > 0 {
                // An own-line comment before the next clause belongs to it.
                let next = body[end..].iter().find(|t| t.kind != Kind::Comment);
                let next_opens = next.is_none_or(|n| {
                    n.kind == Kind::Word
                        && (CLAUSE_STARTS.contains(&n.text.as_str()) || n.text == "regions")
                });
                if next_opens {
                    break;
                }
            }
            end += 1;
        }
        clause(out, &body[i..end]);
        i = end;
    }
    let mut last = Line::new(0);
    for t in &toks[close..] {
        last.push(out, t, 0);
    }
    last.end(out);
}

/// One clause of a rule (or a province's `regions`), its continuation lines
/// aligned under the first token after its keywords.
fn clause(out: &mut Out, toks: &[Tok]) {
    let mut line = Line::new(4);
    let mut base = None;
    for t in toks {
        let keyword = t.kind == Kind::Word
            && matches!(
                t.text.as_str(),
                "match"
                    | "unless"
                    | "sentence"
                    | "before"
                    | "after"
                    | "item"
                    | "subject"
                    | "todo"
                    | "example"
                    | "regions"
                    | "line"
            );
        if base.is_none() && !keyword && t.kind != Kind::Comment {
            base = Some(line.width + usize::from(line.width > 4));
        }
        line.push(out, t, base.unwrap_or(8));
    }
    line.end(out);
}

/// A run of indicator declarations in aligned columns.
fn indicators(out: &mut Out, run: &[&[Tok]]) {
    // The regular shape: indicator ID "NAME" unit U [kind K] [// comment].
    let regular = |toks: &[Tok]| {
        let n = toks.len();
        let body = if toks[n - 1].kind == Kind::Comment && toks[n - 1].breaks == 0 {
            n - 1
        } else {
            n
        };
        let shape_ok = (body == 5 || body == 7)
            && toks[1..body]
                .iter()
                .all(|t| t.breaks == 0 && t.kind != Kind::Comment)
            && toks[2].kind == Kind::Str
            && toks[3].is_word("unit");
        shape_ok.then_some(body)
    };
    if run.iter().any(|toks| regular(toks).is_none()) {
        for toks in run {
            item(out, toks);
        }
        return;
    }
    let col = |k: usize| {
        run.iter()
            .map(|toks| toks.get(k).map_or(0, |t| t.text.width()))
            .max()
            .unwrap_or(0)
    };
    let (id_w, name_w, unit_w) = (col(1), col(2), col(4));
    let any_kind = run.iter().any(|toks| regular(toks) == Some(7));
    for toks in run {
        let body = regular(toks).unwrap_or(toks.len());
        let mut s = format!(
            "indicator {}{} {}{} unit {}",
            toks[1].text,
            pad(id_w, &toks[1].text),
            toks[2].text,
            pad(name_w, &toks[2].text),
            toks[4].text
        );
        if body == 7 {
            s.push_str(&pad(unit_w, &toks[4].text));
            s.push_str(&format!(" kind {}", toks[6].text));
        } else if any_kind && body < toks.len() {
            s.push_str(&pad(unit_w, &toks[4].text));
        }
        if body < toks.len() {
            s.push(' ');
            s.push_str(&toks[body].text);
        }
        out.line(0, &s);
    }
}

fn pad(width: usize, text: &str) -> String {
    " ".repeat(width.saturating_sub(text.width()))
}

/// Whether a space goes between two tokens on one line.
fn spaced(prev: &Tok, next: &Tok) -> bool {
    if prev.kind == Kind::Punct && matches!(prev.text.as_str(), "(" | "[" | "!" | ":" | "/") {
        return false;
    }
    if next.kind == Kind::Punct && matches!(next.text.as_str(), ")" | "]" | "?" | ":" | "/" | ";") {
        return false;
    }
    true
}

/// The lines printed so far.
#[derive(Default)]
struct Out {
    text: String,
}

impl Out {
    fn line(&mut self, indent: usize, s: &str) {
        self.text.push_str(&" ".repeat(indent));
        self.text.push_str(s);
        self.text.push('\n');
    }

    /// One blank line (never two, never at the start).
    fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    /// A comment at the end of the last line.
    fn trailing(&mut self, comment: &str) {
        if self.text.ends_with('\n') {
            self.text.pop();
        }
        self.text.push(' ');
        self.text.push_str(comment);
        self.text.push('\n');
    }

    fn finish(mut self) -> String {
        while self.text.ends_with("\n\n") {
            self.text.pop();
        }
        self.text
    }
}

/// A line being built token by token.
struct Line {
    text: String,
    /// Display width so far, indentation included.
    width: usize,
    indent: usize,
    last: Option<Tok>,
    /// The last token was a comment: the next token starts a new line.
    must_break: bool,
}

impl Line {
    fn new(indent: usize) -> Self {
        Line {
            text: String::new(),
            width: indent,
            indent,
            last: None,
            must_break: false,
        }
    }

    /// Adds a token; a line break the author made before it (or a comment
    /// before it) starts a continuation line at `cont` columns (two fewer
    /// for a `|`).
    fn push(&mut self, out: &mut Out, t: &Tok, cont: usize) {
        if let Some(last) = &self.last {
            if self.must_break || t.breaks > 0 {
                out.line(self.indent, &self.text);
                let comment_line = t.kind == Kind::Comment;
                let indent = if t.is("|") && !comment_line {
                    cont.saturating_sub(2)
                } else {
                    cont
                };
                self.text.clear();
                self.indent = indent;
                self.width = indent;
                self.append(t);
                return;
            }
            if spaced(last, t) {
                self.text.push(' ');
                self.width += 1;
            }
        }
        self.append(t);
    }

    fn append(&mut self, t: &Tok) {
        self.text.push_str(&t.text);
        self.width += t.text.width();
        self.must_break = t.kind == Kind::Comment;
        self.last = Some(t.clone());
    }

    fn end(self, out: &mut Out) {
        if self.last.is_some() {
            out.line(self.indent, &self.text);
        }
    }
}
