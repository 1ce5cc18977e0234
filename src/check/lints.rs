//! Lints on patterns, one function per question.
//!
//! [`raw`] looks at a pattern as written in its own file (literals, gaps,
//! capture units): each problem is reported once, where it is written, even
//! when a `let` is used by many rules. [`nullable`] and [`has_anchor`] look
//! at a rule's expanded pattern. Every walk here recurses once per nesting
//! level, which [`crate::syntax`] bounds before parsing and expansion bounds
//! after (see `world::MAX_EXPANDED_DEPTH`).

use crate::diag::{Code, Diagnostic, FileId, suggest};
use crate::syntax::ast::{Gap, GapScope, Pattern, PatternKind};
use crate::text::units::UNITS;
use crate::text::{Unit, UnitKind, normalize_str};

/// Largest upper bound of a gap, in characters. Each anchor hit may walk a
/// gap's whole bound; in a report without punctuation a clause is the whole
/// file, so a huge bound made matching quadratic.
pub const MAX_GAP: u32 = 200;

/// Shortest bound a list gap needs to reach over one item (a noun of a few
/// characters, a number and its unit, the separator).
pub const MIN_LIST_GAP: u32 = 6;

/// Kind keywords accepted after `:` in a capture.
pub const KIND_KEYWORDS: &[&str] = &["count", "money", "percent", "ratio", "points", "area"];

/// Every unit spelling and kind keyword, for "did you mean".
pub fn units_and_kinds() -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .map(|u| u.text)
        .chain(KIND_KEYWORDS.iter().copied())
}

/// Problems visible in a pattern as written: empty literals and branches,
/// empty patterns, unbounded or reversed gaps, literals that normalization
/// changes, unknown capture units.
pub fn raw(p: &Pattern, file: FileId, out: &mut Vec<Diagnostic>) {
    walk_raw(p, file, out, true);
}

fn walk_raw(p: &Pattern, file: FileId, out: &mut Vec<Diagnostic>, top: bool) {
    match &p.kind {
        PatternKind::Literal(s) if s.is_empty() => out.push(
            Diagnostic::new(
                Code::EmptyAlternative,
                "an empty literal `\"\"` matches nothing",
            )
            .with_label(file, p.span, "empty literal")
            .with_help("remove it; to make a part optional, write `x?` or `[x]`"),
        ),
        PatternKind::Literal(s) => {
            let n = normalize_str(s);
            if n != *s {
                out.push(
                    Diagnostic::new(
                        Code::NeverMatchesAfterNormalization,
                        format!(
                            "report text is normalized before matching, so \"{}\" can never match as written",
                            s.escape_debug()
                        ),
                    )
                    .with_label(file, p.span, format!("normalized, this reads \"{}\"", n.escape_debug()))
                    .with_help(format!("write it as it reads after normalization: \"{}\"", n.escape_debug())),
                );
            }
        }
        PatternKind::Seq(items) if items.is_empty() => {
            if top {
                out.push(
                    Diagnostic::new(Code::UnboundedPattern, "this pattern is empty")
                        .with_label(file, p.span, "nothing inside")
                        .with_help("put the words to match inside, e.g. (\"达到\" | \"达\")"),
                );
            }
        }
        PatternKind::Seq(items) => {
            for item in items {
                walk_raw(item, file, out, true);
            }
            // `……` (the Chinese ellipsis) reads as two gaps, one after the other.
            for pair in items.windows(2) {
                if let (PatternKind::Gap(_), PatternKind::Gap(_)) = (&pair[0].kind, &pair[1].kind)
                    && pair[0].span.end == pair[1].span.start
                    && pair[0].span.len() == '…'.len_utf8()
                {
                    out.push(
                        Diagnostic::new(
                            Code::DoubleGap,
                            "`……` is two gaps, one after the other, not one",
                        )
                        .with_label(file, pair[0].span.join(pair[1].span), "two gaps")
                        .with_help("write one gap, `…` (up to 16 characters) or `…{0,30}`"),
                    );
                }
            }
        }
        PatternKind::Alt(branches) => {
            for b in branches {
                if matches!(&b.kind, PatternKind::Seq(v) if v.is_empty()) {
                    out.push(
                        Diagnostic::new(
                            Code::EmptyAlternative,
                            "one alternative of this `|` is empty",
                        )
                        .with_label(file, b.span, "empty alternative")
                        .with_help(
                            "remove it; to make the whole choice optional, write `(a | b)?`",
                        ),
                    );
                } else {
                    walk_raw(b, file, out, true);
                }
            }
        }
        PatternKind::Optional(inner) | PatternKind::NotAhead(inner) => {
            walk_raw(inner, file, out, true)
        }
        PatternKind::Either(a, g, b) => {
            walk_raw(a, file, out, true);
            gap_bounds(g, p.span, file, out);
            walk_raw(b, file, out, true);
        }
        PatternKind::Gap(g) => {
            gap_bounds(g, p.span, file, out);
            if g.scope == GapScope::List && g.max.is_some_and(|m| m < MIN_LIST_GAP) {
                out.push(
                    Diagnostic::new(
                        Code::ListGapTooShort,
                        format!(
                            "a list gap reaches over whole items such as “省级重点实验室16家，”; {} characters cannot hold one",
                            g.max.unwrap_or(0)
                        ),
                    )
                    .with_label(file, p.span, "too short for a list item")
                    .with_help("give it room for the items it skips, e.g. …{0,60 list}"),
                );
            }
        }
        PatternKind::Capture(c) => {
            for a in &c.accepts {
                if accepted(&a.name).is_none() {
                    let mut d = Diagnostic::new(
                        Code::UnknownUnit,
                        format!("`{}` is not a unit or a value kind", a.name),
                    )
                    .with_label(file, a.span, "unknown unit");
                    d = match suggest::closest(&a.name, units_and_kinds()) {
                        Some(s) => d.with_help(format!("did you mean {s}?")),
                        None => d.with_help(
                            "use a unit (家, 个, 项, 亿元, 万元, %, 万平方米 …) or a kind (count, money, percent, points, area)",
                        ),
                    };
                    out.push(d);
                }
            }
        }
        PatternKind::Ref(_) | PatternKind::Subject(_) => {}
    }
}

/// Gap bounds: present, not reversed, not too far.
fn gap_bounds(g: &Gap, span: crate::diag::Span, file: FileId, out: &mut Vec<Diagnostic>) {
    let p = Pattern {
        kind: PatternKind::Gap(*g),
        span,
    };
    match g.max {
        None => out.push(
            Diagnostic::new(
                Code::UnboundedPattern,
                "this gap has no upper bound, so it could skip any amount of text",
            )
            .with_label(file, p.span, "no upper bound")
            .with_help(format!(
                "give it one, e.g. …{{{},{}}}",
                g.min,
                g.min.max(1) * 10
            )),
        ),
        Some(max) if max < g.min => out.push(
            Diagnostic::new(
                Code::UnboundedPattern,
                format!(
                    "this gap's upper bound {max} is below its lower bound {}",
                    g.min
                ),
            )
            .with_label(file, p.span, "bounds reversed")
            .with_help(format!("write …{{{max},{}}}", g.min)),
        ),
        Some(max) if max > MAX_GAP => out.push(
            Diagnostic::new(
                Code::UnboundedPattern,
                format!(
                    "this gap's upper bound {max} is too large; the limit is {MAX_GAP} characters"
                ),
            )
            .with_label(file, p.span, "too far")
            .with_help(format!(
                "gaps stay inside a clause or sentence; a bound such as …{{{},30}} is enough",
                g.min.min(30)
            )),
        ),
        Some(_) => {}
    }
}

/// What a capture's accepted spelling stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepted {
    /// A unit, e.g. 家.
    Unit(Unit),
    /// A kind keyword, e.g. money.
    Kind(UnitKind),
}

impl Accepted {
    /// The kind of value accepted.
    pub fn kind(self) -> UnitKind {
        match self {
            Accepted::Unit(u) => u.kind,
            Accepted::Kind(k) => k,
        }
    }
}

/// Reads a capture's accepted unit or kind keyword.
pub fn accepted(s: &str) -> Option<Accepted> {
    Unit::parse(s)
        .map(Accepted::Unit)
        .or_else(|| UnitKind::from_keyword(s).map(Accepted::Kind))
}

/// True when the pattern can match without reading any text. An empty
/// literal counts as reading text here: it is reported on its own (ZB0305).
pub fn nullable(p: &Pattern) -> bool {
    match &p.kind {
        PatternKind::Literal(_)
        | PatternKind::Capture(_)
        | PatternKind::Ref(_)
        | PatternKind::Subject(_) => false,
        PatternKind::Either(a, g, b) => nullable(a) && nullable(b) && g.min == 0,
        PatternKind::Seq(items) => items.iter().all(nullable),
        PatternKind::Alt(branches) => branches.iter().any(nullable),
        PatternKind::Optional(_) | PatternKind::NotAhead(_) => true,
        PatternKind::Gap(g) => g.min == 0,
    }
}

/// True when every match must contain some literal of the pattern, so the
/// scan (one automaton over all literals) can find where to start.
pub fn has_anchor(p: &Pattern) -> bool {
    match &p.kind {
        PatternKind::Literal(s) => !s.is_empty(),
        // Its words anchor a match that names it; a carried one is found
        // from the clause start (docs/language.md, subjects).
        PatternKind::Subject(s) => !s.words.is_empty(),
        PatternKind::Either(a, _, b) => has_anchor(a) || has_anchor(b),
        PatternKind::Seq(items) => items.iter().any(has_anchor),
        PatternKind::Alt(branches) => !branches.is_empty() && branches.iter().all(has_anchor),
        _ => false,
    }
}

/// `<>` sides that can match nothing (both orders would be the same), in
/// an expanded pattern.
pub fn either_sides(p: &Pattern, file: FileId, out: &mut Vec<Diagnostic>) {
    match &p.kind {
        PatternKind::Either(a, _, b) => {
            for side in [a, b] {
                if nullable(side) {
                    out.push(
                        Diagnostic::new(
                            Code::EitherSideEmpty,
                            "one side of this `<>` can match nothing, so “either order” means nothing here",
                        )
                        .with_label(file, side.span, "can be empty")
                        .with_label(file, p.span, "this `<>`")
                        .with_help("make the side required (remove its `?`), or write the pattern in one order"),
                    );
                }
                either_sides(side, file, out);
            }
        }
        PatternKind::Seq(v) | PatternKind::Alt(v) => {
            v.iter().for_each(|x| either_sides(x, file, out))
        }
        PatternKind::Optional(x) | PatternKind::NotAhead(x) => either_sides(x, file, out),
        _ => {}
    }
}

/// `由`/`从` written right before a capture (with or without a gap): a
/// capture reads a from–to phrase itself (由320家增加到500家 → 500), so the
/// written-out form is redundant and, with a gap, may take the earlier figure.
pub fn redundant_from_to(p: &Pattern, file: FileId, out: &mut Vec<Diagnostic>) {
    fn last_word_is_from(p: &Pattern) -> Option<crate::diag::Span> {
        match &p.kind {
            PatternKind::Literal(s) if s.ends_with('由') || s.ends_with('从') => Some(p.span),
            PatternKind::Alt(v) => v.iter().find_map(last_word_is_from),
            PatternKind::Seq(v) => v.last().and_then(last_word_is_from),
            _ => None,
        }
    }
    match &p.kind {
        PatternKind::Seq(items) => {
            for w in items.windows(2) {
                let next_is_capture = matches!(w[1].kind, PatternKind::Capture(_));
                if next_is_capture && let Some(at) = last_word_is_from(&w[0]) {
                    out.push(
                        Diagnostic::new(
                            Code::RedundantFromTo,
                            "a capture reads a from–to phrase itself (由320家增加到500家 gives 500), so 由/从 need not be written before it",
                        )
                        .with_label(file, at, "written out here")
                        .with_label(file, w[1].span, "this capture reads from 由/从 on")
                        .with_help("drop the 由/从 (and the verb after the first figure): match 高企 … N:家"),
                    );
                }
            }
            items.iter().for_each(|x| redundant_from_to(x, file, out));
        }
        PatternKind::Alt(v) => v.iter().for_each(|x| redundant_from_to(x, file, out)),
        PatternKind::Optional(x) | PatternKind::NotAhead(x) => redundant_from_to(x, file, out),
        PatternKind::Either(a, _, b) => {
            redundant_from_to(a, file, out);
            redundant_from_to(b, file, out);
        }
        _ => {}
    }
}

/// True when the pattern is `()` or `[]` with nothing inside.
pub fn is_empty(p: &Pattern) -> bool {
    matches!(&p.kind, PatternKind::Seq(v) if v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ast::Item;

    fn pat(src: &str) -> Pattern {
        let (ast, d) = crate::syntax::parse(FileId(0), &format!("let x = {src}"));
        assert!(d.is_empty(), "{d:?}");
        match ast.and_then(|f| f.items.into_iter().next()) {
            Some(Item::Let(l)) => l.pattern,
            _ => panic!("no let"),
        }
    }

    #[test]
    fn nullability() {
        assert!(nullable(&pat("\"a\"? [\"b\"]")));
        assert!(nullable(&pat("…")));
        assert!(!nullable(&pat("…{1,3}")));
        assert!(!nullable(&pat("\"a\"? N:家")));
        assert!(nullable(&pat("\"a\" | \"b\"?")));
    }

    #[test]
    fn anchors() {
        assert!(has_anchor(&pat("\"a\" … N:家")));
        assert!(has_anchor(&pat("(\"a\" | \"b\") N:家")));
        assert!(!has_anchor(&pat("(\"a\" | N:家) …")));
        assert!(!has_anchor(&pat("\"a\"? N:家")));
        assert!(!has_anchor(&pat("!\"a\" N:家")));
    }
}
