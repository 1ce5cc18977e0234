//! "Formatting never changes meaning", checked on every file formatted:
//! the syntax tree of the output, places left out, must equal the input's.

use crate::diag::Span;
use crate::syntax::ast::*;

/// `file` with every span set to zero: what the file means, not where.
pub fn without_spans(file: &File) -> File {
    let mut f = file.clone();
    for item in &mut f.items {
        match item {
            Item::Province(p) => {
                ident(&mut p.name);
                p.regions.iter_mut().for_each(string);
                p.span = Span::default();
            }
            Item::Import(i) => {
                string(&mut i.path);
                i.span = Span::default();
            }
            Item::Indicator(d) => {
                ident(&mut d.id);
                string(&mut d.name);
                ident(&mut d.unit);
                d.kind.iter_mut().for_each(ident);
                d.span = Span::default();
            }
            Item::Let(l) => {
                ident(&mut l.name);
                pattern(&mut l.pattern);
                l.span = Span::default();
            }
            Item::Rule(r) => rule(r),
            Item::Report(r) => {
                ident(&mut r.name);
                for l in &mut r.lines {
                    string(&mut l.text);
                    l.span = Span::default();
                    for f in &mut l.facts {
                        ident(&mut f.indicator);
                        f.value_span = Span::default();
                        f.unit.iter_mut().for_each(ident);
                        f.status = f.status.map(|(s, _)| (s, Span::default()));
                        f.year = f.year.map(|(y, _)| (y, Span::default()));
                        f.months = f.months.take().map(|(m, _)| (m, Span::default()));
                        f.span = Span::default();
                    }
                }
                r.span = Span::default();
            }
            Item::Words(w) => {
                ident(&mut w.role);
                w.words.iter_mut().for_each(string);
                w.span = Span::default();
            }
        }
    }
    f
}

fn rule(r: &mut RuleDecl) {
    ident(&mut r.name);
    ident(&mut r.indicator);
    r.override_span = r.override_span.map(|_| Span::default());
    r.extend_span = r.extend_span.map(|_| Span::default());
    r.emit_none = r.emit_none.map(|_| Span::default());
    r.min = r.min.take().map(|(v, _)| (v, Span::default()));
    r.max = r.max.take().map(|(v, _)| (v, Span::default()));
    r.matches.iter_mut().for_each(pattern);
    for v in &mut r.vetoes {
        pattern(&mut v.pattern);
        v.span = Span::default();
    }
    if let Some((_, s)) = &mut r.status {
        *s = Span::default();
    }
    if let Some((_, s)) = &mut r.priority {
        *s = Span::default();
    }
    r.emit.iter_mut().for_each(ident);
    for e in &mut r.examples {
        string(&mut e.text);
        e.span = Span::default();
        if let Expectation::Fact {
            value_span,
            unit,
            status,
            ..
        } = &mut e.expect
        {
            *value_span = Span::default();
            unit.iter_mut().for_each(ident);
            if let Some((_, s)) = status {
                *s = Span::default();
            }
        }
    }
    r.span = Span::default();
}

fn ident(i: &mut Ident) {
    i.span = Span::default();
}

fn string(s: &mut StrLit) {
    s.span = Span::default();
}

fn pattern(p: &mut Pattern) {
    p.span = Span::default();
    match &mut p.kind {
        PatternKind::Seq(ps) | PatternKind::Alt(ps) => ps.iter_mut().for_each(pattern),
        PatternKind::Optional(q) | PatternKind::NotAhead(q) => pattern(q),
        PatternKind::Either(a, _, b) => {
            pattern(a);
            pattern(b);
        }
        PatternKind::Capture(c) => {
            ident(&mut c.name);
            c.accepts.iter_mut().for_each(ident);
        }
        PatternKind::Literal(_)
        | PatternKind::Ref(_)
        | PatternKind::Gap(_)
        | PatternKind::Subject(_) => {}
    }
}
