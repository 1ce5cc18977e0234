//! Lowering pest's pairs to the typed AST.
//!
//! The grammar has already accepted the text, so the shapes here are known;
//! a shape that is not (which would be a bug in the grammar) lowers to
//! nothing rather than panicking. Problems that the grammar cannot see
//! (an escape naming no character, a number too large) become diagnostics.

use pest::iterators::Pair;

use super::Rule;
use super::ast::*;
use crate::diag::{Code, Diagnostic, FileId, Span};

struct Cx<'d> {
    file: FileId,
    diags: &'d mut Vec<Diagnostic>,
}

/// A pair's span up to the end of its last token: an optional part that
/// did not match leaves the blanks before it in the pair's span.
fn without_trailing_blank(pair: &Pair<'_, Rule>) -> Span {
    let whole = span(pair);
    let end = pair
        .clone()
        .into_inner()
        .flatten()
        // A fact's own span has the same blanks; its tokens do not.
        .filter(|p| p.as_rule() != Rule::report_fact)
        .map(|p| p.as_span().end())
        .max()
        .unwrap_or(whole.end);
    Span::new(whole.start, end)
}

fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// Lowers the `file` pair.
pub fn file(pair: Pair<'_, Rule>, file: FileId, diags: &mut Vec<Diagnostic>) -> File {
    let mut cx = Cx { file, diags };
    let mut items = Vec::new();
    for p in pair.into_inner() {
        let item = match p.as_rule() {
            Rule::import => cx.import(p).map(Item::Import),
            Rule::province => cx.province(p).map(Item::Province),
            Rule::indicator => cx.indicator(p).map(Item::Indicator),
            Rule::let_decl => cx.let_decl(p).map(Item::Let),
            Rule::words_decl => cx.words_decl(p).map(Item::Words),
            Rule::rule => cx.rule(p).map(|r| Item::Rule(Box::new(r))),
            Rule::report => cx.report(p).map(Item::Report),
            _ => None,
        };
        items.extend(item);
    }
    File { items }
}

impl Cx<'_> {
    fn error(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.diags.push(
            Diagnostic::new(Code::Syntax, message)
                .with_label(self.file, span, label)
                .with_help(help),
        );
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: span(&pair),
        }
    }

    fn string(&mut self, pair: Pair<'_, Rule>) -> StrLit {
        let whole = span(&pair);
        let mut value = String::new();
        if let Some(inner) = pair.into_inner().next() {
            let base = inner.as_span().start();
            let raw = inner.as_str();
            let mut chars = raw.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c != '\\' {
                    value.push(c);
                    continue;
                }
                match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, '"')) => value.push('"'),
                    Some((_, '\\')) => value.push('\\'),
                    Some((_, 'u')) => {
                        // The grammar guarantees `{hex}` follows.
                        let mut hex = String::new();
                        let mut end = i + 2;
                        for (j, h) in chars.by_ref() {
                            end = j + h.len_utf8();
                            if h == '}' {
                                break;
                            }
                            if h != '{' {
                                hex.push(h);
                            }
                        }
                        match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                            Some(ch) => value.push(ch),
                            None => self.error(
                                Span::new(base + i, base + end),
                                format!("`\\u{{{hex}}}` names no character"),
                                "not a character",
                                "use a Unicode scalar value, e.g. \\u{4E07} for 万",
                            ),
                        }
                    }
                    _ => {}
                }
            }
        }
        StrLit { value, span: whole }
    }

    fn words_decl(&mut self, pair: Pair<'_, Rule>) -> Option<WordsDecl> {
        let sp = span(&pair);
        let mut role = None;
        let mut remove = false;
        let mut words = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::role_name => role = Some(self.ident(p)),
                Rule::minus_equals => remove = true,
                Rule::string => words.push(self.string(p)),
                _ => {}
            }
        }
        Some(WordsDecl {
            role: role?,
            remove,
            words,
            span: sp,
        })
    }

    fn import(&mut self, pair: Pair<'_, Rule>) -> Option<Import> {
        let sp = span(&pair);
        let s = pair.into_inner().find(|p| p.as_rule() == Rule::string)?;
        Some(Import {
            path: self.string(s),
            span: sp,
        })
    }

    fn province(&mut self, pair: Pair<'_, Rule>) -> Option<ProvinceDecl> {
        let sp = span(&pair);
        let mut name = None;
        let mut regions = Vec::new();
        let mut kind = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(p)),
                Rule::string => regions.push(self.string(p)),
                Rule::report_kind => {
                    kind = match p.as_str() {
                        "summary" => Some(ReportKind::Summary),
                        "plan" => Some(ReportKind::Plan),
                        _ => None,
                    }
                }
                _ => {}
            }
        }
        Some(ProvinceDecl {
            name: name?,
            regions,
            kind,
            span: sp,
        })
    }

    fn indicator(&mut self, pair: Pair<'_, Rule>) -> Option<IndicatorDecl> {
        let sp = span(&pair);
        let mut idents = Vec::new();
        let mut name = None;
        let mut unit = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => idents.push(self.ident(p)),
                Rule::string => name = Some(self.string(p)),
                Rule::unit_name => unit = Some(self.ident(p)),
                _ => {}
            }
        }
        let mut idents = idents.into_iter();
        Some(IndicatorDecl {
            id: idents.next()?,
            name: name?,
            unit: unit?,
            kind: idents.next(),
            span: sp,
        })
    }

    fn let_decl(&mut self, pair: Pair<'_, Rule>) -> Option<LetDecl> {
        let sp = span(&pair);
        let mut name = None;
        let mut pattern = None;
        let mut subject = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_subject => subject = true,
                Rule::ident => name = Some(self.ident(p)),
                Rule::pattern => pattern = Some(self.pattern(p)),
                _ => {}
            }
        }
        Some(LetDecl {
            name: name?,
            subject,
            pattern: pattern?,
            span: sp,
        })
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> Option<RuleDecl> {
        let sp = span(&pair);
        let mut override_span = None;
        let mut extend_span = None;
        let mut emit_none = None;
        let mut min = None;
        let mut max = None;
        let mut idents = Vec::new();
        let mut matches = Vec::new();
        let mut vetoes = Vec::new();
        let mut status = None;
        let mut priority = None;
        let mut emit = None;
        let mut examples = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_override => override_span = Some(span(&p)),
                Rule::kw_extend => extend_span = Some(span(&p)),
                Rule::ident => idents.push(self.ident(p)),
                Rule::match_clause => {
                    if let Some(pat) = p.into_inner().find(|q| q.as_rule() == Rule::pattern) {
                        matches.push(self.pattern(pat));
                    }
                }
                Rule::unless_clause => {
                    let vsp = span(&p);
                    let mut scope = VetoScope::Clause;
                    let mut pattern = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::kw_sentence => scope = VetoScope::Sentence,
                            Rule::kw_before => scope = VetoScope::Before,
                            Rule::kw_after => scope = VetoScope::After,
                            Rule::kw_item => scope = VetoScope::Item,
                            Rule::kw_subject => scope = VetoScope::Subject,
                            Rule::pattern => pattern = Some(self.pattern(q)),
                            _ => {}
                        }
                    }
                    if let Some(pattern) = pattern {
                        vetoes.push(Veto {
                            scope,
                            pattern,
                            span: vsp,
                        });
                    }
                }
                Rule::status_clause => {
                    if let Some(q) = p.into_inner().find(|q| q.as_rule() == Rule::status_value) {
                        status = status_of(q.as_str()).map(|s| (s, span(&q)));
                    }
                }
                Rule::priority_clause => {
                    if let Some(q) = p.into_inner().find(|q| q.as_rule() == Rule::integer) {
                        match q.as_str().parse::<i64>() {
                            Ok(n) => priority = Some((n, span(&q))),
                            Err(_) => self.error(
                                span(&q),
                                format!("priority {} is too large", q.as_str()),
                                "too large",
                                "use a small whole number such as 10",
                            ),
                        }
                    }
                }
                Rule::emit_clause => {
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::ident => emit = Some(self.ident(q)),
                            Rule::kw_none => emit_none = Some(span(&q)),
                            _ => {}
                        }
                    }
                }
                Rule::bound_clause => {
                    let mut is_max = false;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::kw_max => is_max = true,
                            Rule::value => {
                                let v = Some((q.as_str().to_string(), span(&q)));
                                if is_max {
                                    max = v;
                                } else {
                                    min = v;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                Rule::example_clause => examples.extend(self.example(p)),
                _ => {}
            }
        }
        let mut idents = idents.into_iter();
        Some(RuleDecl {
            name: idents.next()?,
            indicator: idents.next()?,
            override_span,
            extend_span,
            matches,
            vetoes,
            status,
            priority,
            emit,
            emit_none,
            min,
            max,
            examples,
            span: sp,
        })
    }

    fn example(&mut self, pair: Pair<'_, Rule>) -> Option<Example> {
        let sp = span(&pair);
        let mut todo = false;
        let mut text = None;
        let mut expect = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_todo => todo = true,
                Rule::string => text = Some(self.string(p)),
                Rule::kw_none => expect = Some(Expectation::None),
                Rule::fact => {
                    let mut value = None;
                    let mut unit = None;
                    let mut status = None;
                    for q in p.into_inner() {
                        match q.as_rule() {
                            Rule::value => value = Some((q.as_str().to_string(), span(&q))),
                            Rule::unit_name => unit = Some(self.ident(q)),
                            Rule::status_value => {
                                status = status_of(q.as_str()).map(|s| (s, span(&q)))
                            }
                            _ => {}
                        }
                    }
                    let (value, value_span) = value?;
                    expect = Some(Expectation::Fact {
                        value,
                        value_span,
                        unit,
                        status,
                    });
                }
                _ => {}
            }
        }
        Some(Example {
            text: text?,
            expect: expect?,
            todo,
            span: sp,
        })
    }

    fn report(&mut self, pair: Pair<'_, Rule>) -> Option<ReportDecl> {
        let sp = span(&pair);
        let mut name = None;
        let mut lines = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = Some(self.ident(p)),
                Rule::report_line => lines.extend(self.report_line(p)),
                _ => {}
            }
        }
        Some(ReportDecl {
            name: name?,
            lines,
            span: sp,
        })
    }

    fn report_line(&mut self, pair: Pair<'_, Rule>) -> Option<ReportLine> {
        let sp = without_trailing_blank(&pair);
        let mut text = None;
        let mut facts = Vec::new();
        let mut checked = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::string => text = Some(self.string(p)),
                Rule::fat_arrow => checked = true,
                Rule::report_fact => facts.extend(self.report_fact(p)),
                _ => {}
            }
        }
        Some(ReportLine {
            text: text?,
            facts,
            checked,
            span: sp,
        })
    }

    fn report_fact(&mut self, pair: Pair<'_, Rule>) -> Option<ReportFact> {
        let sp = without_trailing_blank(&pair);
        let mut indicator = None;
        let mut value = None;
        let mut unit = None;
        let mut status = None;
        let mut year = None;
        let mut months = None;
        for q in pair.into_inner() {
            match q.as_rule() {
                Rule::ident => indicator = Some(self.ident(q)),
                Rule::value => value = Some((q.as_str().to_string(), span(&q))),
                Rule::unit_name => unit = Some(self.ident(q)),
                Rule::status_value => status = status_of(q.as_str()).map(|s| (s, span(&q))),
                // Four digits: the grammar has checked.
                Rule::fact_year => year = q.as_str().parse::<i32>().ok().map(|y| (y, span(&q))),
                Rule::fact_months => months = Some((q.as_str().to_string(), span(&q))),
                _ => {}
            }
        }
        let (value, value_span) = value?;
        Some(ReportFact {
            indicator: indicator?,
            value,
            value_span,
            unit,
            status,
            year,
            months,
            span: sp,
        })
    }

    fn pattern(&mut self, pair: Pair<'_, Rule>) -> Pattern {
        let sp = span(&pair);
        match pair.into_inner().next() {
            Some(alt) => self.alt(alt),
            None => empty(sp),
        }
    }

    fn alt(&mut self, pair: Pair<'_, Rule>) -> Pattern {
        let sp = span(&pair);
        let mut branches: Vec<Pattern> = pair
            .into_inner()
            .filter(|p| p.as_rule() == Rule::order)
            .map(|p| self.order(p))
            .collect();
        if branches.len() == 1 {
            branches.pop().unwrap_or_else(|| empty(sp))
        } else {
            Pattern {
                kind: PatternKind::Alt(branches),
                span: sp,
            }
        }
    }

    /// `a <> b`: both orders; a lone sequence otherwise.
    fn order(&mut self, pair: Pair<'_, Rule>) -> Pattern {
        let sp = span(&pair);
        let mut seqs = Vec::new();
        let mut gap = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::seq => seqs.push(self.seq(p)),
                Rule::swap => gap = Some(self.gap_with_default(p, DEFAULT_SWAP_GAP_MAX)),
                _ => {}
            }
        }
        match (seqs.len(), gap) {
            (2, Some(gap)) => {
                let second = seqs.pop().unwrap_or_else(|| empty(sp));
                let first = seqs.pop().unwrap_or_else(|| empty(sp));
                Pattern {
                    kind: PatternKind::Either(Box::new(first), gap, Box::new(second)),
                    span: sp,
                }
            }
            _ => seqs.pop().unwrap_or_else(|| empty(sp)),
        }
    }

    fn seq(&mut self, pair: Pair<'_, Rule>) -> Pattern {
        let sp = span(&pair);
        let mut items: Vec<Pattern> = pair.into_inner().map(|p| self.unary(p)).collect();
        if items.len() == 1 {
            items.pop().unwrap_or_else(|| empty(sp))
        } else {
            Pattern {
                kind: PatternKind::Seq(items),
                span: sp,
            }
        }
    }

    fn unary(&mut self, pair: Pair<'_, Rule>) -> Pattern {
        let sp = span(&pair);
        let mut nots = Vec::new();
        let mut atom = None;
        let mut optional = false;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::not_op => nots.push(span(&p).start),
                Rule::question => optional = true,
                _ => atom = Some(self.atom(p)),
            }
        }
        let mut pat = atom.unwrap_or_else(|| empty(sp));
        if optional {
            let start = pat.span.start;
            pat = Pattern {
                kind: PatternKind::Optional(Box::new(pat)),
                span: Span::new(start, sp.end),
            };
        }
        for start in nots.into_iter().rev() {
            pat = Pattern {
                span: Span::new(start, pat.span.end),
                kind: PatternKind::NotAhead(Box::new(pat)),
            };
        }
        pat
    }

    fn atom(&mut self, pair: Pair<'_, Rule>) -> Pattern {
        let sp = span(&pair);
        let kind = match pair.as_rule() {
            Rule::string => PatternKind::Literal(self.string(pair).value),
            Rule::ident => PatternKind::Ref(pair.as_str().to_string()),
            Rule::capture => {
                let mut name = None;
                let mut accepts = Vec::new();
                for p in pair.into_inner() {
                    match p.as_rule() {
                        Rule::ident => name = Some(self.ident(p)),
                        Rule::unit_name => accepts.push(self.ident(p)),
                        _ => {}
                    }
                }
                match name {
                    Some(name) => PatternKind::Capture(Capture { name, accepts }),
                    None => return empty(sp),
                }
            }
            Rule::gap => PatternKind::Gap(self.gap(pair)),
            Rule::group | Rule::optional => {
                let is_opt = pair.as_rule() == Rule::optional;
                let inner = pair
                    .into_inner()
                    .find(|p| p.as_rule() == Rule::alt)
                    .map(|p| self.alt(p));
                let inner = match inner {
                    // A group is only parentheses: its node takes the
                    // group's span so labels cover the brackets.
                    Some(mut p) if !is_opt => {
                        p.span = sp;
                        return p;
                    }
                    Some(p) => p,
                    None => empty(sp),
                };
                if is_opt {
                    PatternKind::Optional(Box::new(inner))
                } else {
                    return inner;
                }
            }
            _ => return empty(sp),
        };
        Pattern { kind, span: sp }
    }

    fn gap(&mut self, pair: Pair<'_, Rule>) -> Gap {
        self.gap_with_default(pair, DEFAULT_GAP_MAX)
    }

    /// A gap (or the gap of `<>`) whose bound is `default_max` when the
    /// braces do not give one.
    fn gap_with_default(&mut self, pair: Pair<'_, Rule>, default_max: u32) -> Gap {
        let mut gap = Gap {
            min: 0,
            max: Some(default_max),
            scope: GapScope::Clause,
        };
        let Some(bound) = pair.into_inner().find(|p| p.as_rule() == Rule::gap_bound) else {
            return gap;
        };
        let mut saw_range = false;
        for p in bound.into_inner() {
            match p.as_rule() {
                Rule::kw_sentence => gap.scope = GapScope::Sentence,
                Rule::kw_list => gap.scope = GapScope::List,
                Rule::gap_range => {
                    saw_range = true;
                    gap.max = None;
                    for q in p.into_inner() {
                        let n = self.bound_number(&q);
                        match q.as_rule() {
                            Rule::gap_min => gap.min = n,
                            Rule::gap_max => gap.max = Some(n),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if !saw_range {
            gap.max = Some(default_max);
        }
        gap
    }

    fn bound_number(&mut self, pair: &Pair<'_, Rule>) -> u32 {
        match pair.as_str().parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.error(
                    span(pair),
                    format!("gap bound {} is too large", pair.as_str()),
                    "too large",
                    "gaps are counted in characters; use a small bound such as 30",
                );
                0
            }
        }
    }
}

/// The default bound of a gap written `…` without braces: {0,16}.
pub const DEFAULT_GAP_MAX: u32 = 16;

/// The default gap between the two sides of `a <> b`: {0,4}.
pub const DEFAULT_SWAP_GAP_MAX: u32 = 4;

fn empty(span: Span) -> Pattern {
    Pattern {
        kind: PatternKind::Seq(Vec::new()),
        span,
    }
}

fn status_of(s: &str) -> Option<Status> {
    match s {
        "actual" => Some(Status::Actual),
        "estimate" => Some(Status::Estimate),
        "target" => Some(Status::Target),
        _ => None,
    }
}
