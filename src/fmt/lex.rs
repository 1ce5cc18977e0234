//! A token stream of a rule file that keeps what the AST drops: comments
//! and the author's line breaks.
//!
//! The formatter only runs on files the grammar accepts, so this lexer can
//! be simple: it finds token boundaries, never decides validity. A gap or
//! a swap with its bounds (`…{0,30 sentence}`, `<>{0,5}`) is one token,
//! so the braces of a rule body are the only braces left.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A keyword, name, unit name or capture type.
    Word,
    /// A quoted string, as written (escapes kept).
    Str,
    /// A number (`5`, `-1`, `0.715`, `1,200`).
    Num,
    /// A gap `…` / `...` with its bounds, normalized.
    Gap,
    /// `<>` with its bounds, normalized.
    Swap,
    /// `// …` to the end of the line (trailing blanks dropped).
    Comment,
    /// One of `( ) [ ] { } | ? ! : / = ; -> =>`.
    Punct,
}

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    /// What it is.
    pub kind: Kind,
    /// Its text (normalized for gaps and swaps).
    pub text: String,
    /// Line breaks between the previous token and this one.
    pub breaks: usize,
}

impl Tok {
    /// True for a punctuation token with this text.
    pub fn is(&self, p: &str) -> bool {
        self.kind == Kind::Punct && self.text == p
    }

    /// True for a word token with this text.
    pub fn is_word(&self, w: &str) -> bool {
        self.kind == Kind::Word && self.text == w
    }
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}' | '\u{feff}')
}

fn is_word_char(c: char) -> bool {
    !is_blank(c)
        && !matches!(
            c,
            '"' | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '|'
                | '?'
                | '!'
                | ':'
                | '/'
                | '='
                | '<'
                | '…'
                | ';'
        )
        && !matches!(c, '.' | ',' | '-' | '+' | '>')
}

/// Splits `text` (a file the grammar accepts) into tokens.
pub fn lex(text: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut breaks = 0;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if is_blank(c) {
            if c == '\n' {
                breaks += 1;
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let (kind, len, norm) = token_at(rest);
        let raw = &rest[..len];
        let text = norm.unwrap_or_else(|| raw.to_string());
        toks.push(Tok { kind, text, breaks });
        breaks = 0;
        rest = &rest[len..];
    }
    toks
}

/// The token at the start of `s`: its kind, its length in bytes, and its
/// normalized text when that differs from the source.
fn token_at(s: &str) -> (Kind, usize, Option<String>) {
    if s.starts_with("//") {
        let len = s.find('\n').unwrap_or(s.len());
        return (Kind::Comment, len, Some(s[..len].trim_end().to_string()));
    }
    if s.starts_with('"') {
        let mut escaped = false;
        for (i, c) in s.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return (Kind::Str, i + 1, None),
                _ => escaped = false,
            }
        }
        return (Kind::Str, s.len(), None);
    }
    for dots in ["…", "..."] {
        if let Some(after) = s.strip_prefix(dots) {
            let (len, bound) = bound(after);
            return (Kind::Gap, dots.len() + len, Some(format!("…{bound}")));
        }
    }
    if let Some(after) = s.strip_prefix("<>") {
        let (len, bound) = bound(after);
        return (Kind::Swap, 2 + len, Some(format!("<>{bound}")));
    }
    for p in ["->", "=>", "+=", "-="] {
        if s.starts_with(p) {
            return (Kind::Punct, 2, None);
        }
    }
    let c = s.chars().next().unwrap_or(' ');
    if c.is_ascii_digit()
        || ((c == '-' || c == '+') && s[1..].starts_with(|d: char| d.is_ascii_digit()))
    {
        let mut len = s[1..]
            .find(|d: char| !(d.is_ascii_digit() || matches!(d, '.' | ',' | '_')))
            .map_or(s.len(), |i| i + 1);
        // A report fact's months (`1-10`) are one token.
        if c.is_ascii_digit()
            && let Some(rest) = s[len..].strip_prefix('-')
            && rest.starts_with(|d: char| d.is_ascii_digit())
        {
            len += 1 + rest
                .find(|d: char| !d.is_ascii_digit())
                .unwrap_or(rest.len());
        }
        return (Kind::Num, len, None);
    }
    if !is_word_char(c) {
        return (Kind::Punct, c.len_utf8(), None);
    }
    let len = s.find(|d: char| !is_word_char(d)).unwrap_or(s.len());
    (Kind::Word, len.max(c.len_utf8()), None)
}

/// A gap's or swap's `{…}` right after its dots: length in the source and
/// its canonical text (`{0,30 sentence}`, `{,8}`, `{list}`), or nothing.
fn bound(after: &str) -> (usize, String) {
    if !after.starts_with('{') {
        return (0, String::new());
    }
    let Some(close) = after.find('}') else {
        return (0, String::new());
    };
    let inner = &after[1..close];
    let mut range = String::new();
    let mut scope = String::new();
    for part in inner.split(is_blank).filter(|p| !p.is_empty()) {
        if part.chars().all(|c| c.is_ascii_digit() || c == ',') {
            range.push_str(part);
        } else if part.starts_with(|c: char| c.is_ascii_digit() || c == ',') {
            // `0,30sentence` cannot occur (the grammar needs a blank before
            // a keyword), but keep whatever it is.
            range.push_str(part);
        } else {
            scope = part.to_string();
        }
    }
    let text = match (range.is_empty(), scope.is_empty()) {
        (false, false) => format!("{{{range} {scope}}}"),
        (false, true) => format!("{{{range}}}"),
        (true, false) => format!("{{{scope}}}"),
        (true, true) => "{}".to_string(),
    };
    (close + 1, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        lex(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn gaps_swaps_and_captures() {
        assert_eq!(
            texts("a …{ 0 ,30  sentence } b <>{0,5} N:家/户 ... -> => -1"),
            vec![
                "a",
                "…{0,30 sentence}",
                "b",
                "<>{0,5}",
                "N",
                ":",
                "家",
                "/",
                "户",
                "…",
                "->",
                "=>",
                "-1"
            ]
        );
    }

    #[test]
    fn strings_and_comments_keep_their_text() {
        let toks = lex("let a = \"x\\\"y\" // note  \n\n\"z\"");
        assert_eq!(toks[3].text, "\"x\\\"y\"");
        assert_eq!(toks[4].kind, Kind::Comment);
        assert_eq!(toks[4].text, "// note");
        assert_eq!(toks[5].breaks, 2);
    }
}
