//! Each rule resolved to a [`Rule`]: its file's names checked, its pattern
//! expanded, its captures, emits, vetoes and examples checked, and the
//! pattern lints run on it.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use rust_decimal::Decimal;

use super::expand::{Expander, subject_words};
use super::lints::{self, accepted};
use super::model::{Extension, ResolvedVeto, Rule};
use super::world::{RuleEntry, World};
use crate::diag::{Code, Diagnostic, FileId, Span, suggest};
use crate::syntax::ast::{
    Capture, Expectation, Ident, IndicatorDecl, Item, Pattern, PatternKind, RuleDecl,
};
use crate::text::{Unit, UnitKind};

/// A name declared twice in one file (a `let`, an indicator): the lint
/// and its wording.
struct Twice {
    /// The lint raised.
    code: Code,
    /// What the name names (`pattern`, `indicator`).
    noun: &'static str,
    /// How it is written (`defined`, `declared`).
    verb: &'static str,
    /// The lint's help.
    help: &'static str,
}

/// A `let` defined twice in one file.
const PATTERN_TWICE: Twice = Twice {
    code: Code::DuplicatePattern,
    noun: "pattern",
    verb: "defined",
    help: "remove one definition, or give it another name",
};

/// An indicator declared twice in one file.
const INDICATOR_TWICE: Twice = Twice {
    code: Code::DuplicateIndicator,
    noun: "indicator",
    verb: "declared",
    help: "remove one declaration",
};

impl Twice {
    /// Records `name` in `seen`, or, when the file already declared it,
    /// raises the lint pointing at both.
    fn check<'a>(
        &self,
        seen: &mut HashMap<&'a str, &'a Ident>,
        name: &'a Ident,
        id: FileId,
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(first) = seen.get(name.name.as_str()) else {
            seen.insert(&name.name, name);
            return;
        };
        let (noun, verb) = (self.noun, self.verb);
        out.push(
            Diagnostic::new(
                self.code,
                format!("{noun} {} is {verb} twice in this file", name.name),
            )
            .with_label(id, name.span, format!("{verb} again here"))
            .with_label(id, first.span, format!("first {verb} here"))
            .with_help(self.help),
        );
    }
}

impl World<'_> {
    pub(super) fn check_file(&self, id: FileId, out: &mut Vec<Diagnostic>) -> Vec<RuleEntry> {
        let items = self.items(id);
        let mut lets: HashMap<&str, &Ident> = HashMap::new();
        let mut indicators: HashMap<&str, &Ident> = HashMap::new();
        for item in items {
            match item {
                Item::Let(l) => {
                    PATTERN_TWICE.check(&mut lets, &l.name, id, out);
                    lints::raw(&l.pattern, id, out);
                    let mut ex = Expander::new(self, out);
                    ex.stack.push((id, l.name.name.clone()));
                    let expanded = ex.expand(&l.pattern, id, None, 0);
                    let (failed, too_big) = (ex.failed, ex.too_big || ex.refers_to_too_complex);
                    if l.subject && !failed {
                        subject_words(id, l, &expanded, out);
                    }
                    if too_big {
                        self.too_complex
                            .borrow_mut()
                            .insert((id, l.name.name.clone()));
                    }
                }
                Item::Indicator(d) => {
                    INDICATOR_TWICE.check(&mut indicators, &d.id, id, out);
                    check_indicator(id, d, out);
                }
                Item::Rule(r) => {
                    for m in &r.matches {
                        lints::raw(m, id, out);
                    }
                    for v in &r.vetoes {
                        lints::raw(&v.pattern, id, out);
                    }
                }
                _ => {}
            }
        }
        items
            .iter()
            .filter_map(|i| match i {
                Item::Rule(r) if r.extend_span.is_some() => Some(RuleEntry {
                    name: r.name.clone(),
                    override_span: None,
                    extend_span: r.extend_span,
                    indicator: r.indicator.clone(),
                    file: id,
                    rule: None,
                    extension: self.resolve_extension(id, r, out),
                }),
                Item::Rule(r) => Some(RuleEntry {
                    name: r.name.clone(),
                    override_span: r.override_span,
                    extend_span: None,
                    indicator: r.indicator.clone(),
                    file: id,
                    rule: self.resolve_rule(id, r, out),
                    extension: None,
                }),
                _ => None,
            })
            .collect()
    }

    pub(super) fn resolve_rule(
        &self,
        file: FileId,
        r: &RuleDecl,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Rule> {
        let mut ok = true;
        let prefix = self
            .files
            .get(&file)
            .map(|f| f.prefix.as_str())
            .unwrap_or("");

        // The indicator.
        let indicator = self.indicator(file, &r.indicator.name);
        let unit = indicator.and_then(|(_, d)| Unit::parse(&d.unit.name));
        if indicator.is_none() {
            ok = false;
            let names: Vec<&str> = self
                .scopes
                .get(&file)
                .map(|s| s.indicators.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let help = match suggest::closest(&r.indicator.name, names) {
                Some(s) => format!("did you mean {s}?"),
                None => format!(
                    "declare it first: indicator {} \"…\" unit 家, or import the file that declares it",
                    r.indicator.name
                ),
            };
            out.push(
                Diagnostic::new(
                    Code::UnknownIndicator,
                    format!(
                        "no indicator {} is declared in this file or its imports",
                        r.indicator.name
                    ),
                )
                .with_label(file, r.indicator.span, "unknown indicator")
                .with_help(help),
            );
        }

        // The match clause.
        let Some(raw) = r.matches.first() else {
            out.push(
                Diagnostic::new(
                    Code::MissingMatch,
                    format!(
                        "rule {} has no `match` clause, so it can never find anything",
                        r.name.name
                    ),
                )
                .with_label(file, r.name.span, "no `match` in this rule")
                .with_help("add a pattern, e.g. match 高企 … \"达到\" N:家"),
            );
            return None;
        };
        if let Some(second) = r.matches.get(1) {
            out.push(
                Diagnostic::new(
                    Code::MissingMatch,
                    "a rule has exactly one `match` clause; this is a second one",
                )
                .with_label(file, second.span, "second `match`")
                .with_help("join the patterns with `|`, or write a second rule"),
            );
        }
        let mut ex = Expander::new(self, out);
        let pattern = ex.expand(raw, file, None, 0);
        ok &= !ex.failed;
        let expanded_ok = !ex.failed;

        if expanded_ok {
            lints::either_sides(&pattern, file, out);
            lints::redundant_from_to(&pattern, file, out);
        }
        if expanded_ok && !lints::is_empty(raw) {
            if lints::nullable(&pattern) {
                out.push(
                    Diagnostic::new(Code::MatchesEmpty, "this pattern can match without reading any text")
                        .with_label(file, raw.span, "every part of it is optional")
                        .with_help("make at least one part required: remove a `?` or `[ ]`, or give a gap a lower bound"),
                );
            } else if !lints::has_anchor(&pattern) {
                out.push(
                    Diagnostic::new(
                        Code::NoAnchor,
                        "this pattern has no word that every match must contain, so the scan cannot find where to start",
                    )
                    .with_label(file, raw.span, "no required literal")
                    .with_help("add a required word, e.g. \"达到\"; words only inside `?`, `[ ]` or `!` do not count"),
                );
            }
        }

        // Captures and what is emitted.
        let mut caps: Vec<&Capture> = Vec::new();
        let mut cap_spans: Vec<Span> = Vec::new();
        collect_captures(&pattern, &mut caps, &mut cap_spans);
        let mut names: Vec<&str> = Vec::new();
        for c in &caps {
            if !names.contains(&c.name.name.as_str()) {
                names.push(&c.name.name);
            }
        }
        let emit = match &r.emit {
            Some(e) => {
                if !names.contains(&e.name.as_str()) && expanded_ok {
                    ok = false;
                    let help = match suggest::closest(&e.name, names.iter().copied()) {
                        Some(s) => format!("did you mean {s}?"),
                        None if names.is_empty() => {
                            "bind it in the pattern with a capture, e.g. N:家".to_string()
                        }
                        None => format!("the pattern binds {}", names.join(", ")),
                    };
                    out.push(
                        Diagnostic::new(
                            Code::CaptureNotBound,
                            format!(
                                "`emit {}` names a capture the pattern does not bind",
                                e.name
                            ),
                        )
                        .with_label(file, e.span, "not bound in the pattern")
                        .with_help(help),
                    );
                }
                e.name.clone()
            }
            None => {
                match names.as_slice() {
                    [one] => (*one).to_string(),
                    [] => {
                        if expanded_ok && !lints::is_empty(raw) {
                            ok = false;
                            out.push(
                            Diagnostic::new(Code::CaptureNotBound, "this pattern binds no number to emit")
                                .with_label(file, raw.span, "no capture here")
                                .with_help("capture the number with a name and a unit, e.g. N:家 or V:money"),
                        );
                        }
                        String::new()
                    }
                    [first, ..] => {
                        ok = false;
                        out.push(
                        Diagnostic::new(
                            Code::CaptureNotBound,
                            format!(
                                "the pattern binds {} captures ({}) and the rule does not say which to emit",
                                names.len(),
                                names.join(", ")
                            ),
                        )
                        .with_label(file, raw.span, "several captures")
                        .with_help(format!("add `emit {first}` (or the one you mean)")),
                    );
                        (*first).to_string()
                    }
                }
            }
        };
        let mut warned: HashSet<&str> = HashSet::new();
        for (c, span) in caps.iter().zip(&cap_spans) {
            let emit_bound = names.contains(&emit.as_str());
            if c.name.name != emit && emit_bound && warned.insert(&c.name.name) {
                out.push(
                    Diagnostic::new(
                        Code::CaptureNotEmitted,
                        format!("capture {} is bound but the rule emits {}", c.name.name, emit),
                    )
                    .with_label(file, *span, "never emitted")
                    .with_help("match this number without binding it (e.g. with a gap), or emit it in a rule of its own"),
                );
            }
            if c.name.name == emit
                && let (Some(unit), Some((_, ind))) = (unit, indicator)
            {
                for a in &c.accepts {
                    if let Some(acc) = accepted(&a.name)
                        && acc.kind() != unit.kind
                    {
                        out.push(
                                    Diagnostic::new(
                                        Code::UnitMismatch,
                                        format!(
                                            "capture {} reads {} ({}), but indicator {} is given in {} ({})",
                                            c.name.name,
                                            a.name,
                                            acc.kind().keyword(),
                                            ind.id.name,
                                            unit.text,
                                            unit.kind.keyword()
                                        ),
                                    )
                                    .with_label(file, a.span, "cannot be converted")
                                    .with_help(format!(
                                        "capture a {} unit, e.g. {}:{}, or emit into another indicator",
                                        unit.kind.keyword(),
                                        c.name.name,
                                        unit.text
                                    )),
                                );
                    }
                }
            }
        }

        // Vetoes.
        let (vetoes, vetoes_ok) = self.resolve_vetoes(file, r, out);
        ok &= vetoes_ok;
        let (min, max, bounds_ok) = bounds(file, r, out);
        ok &= bounds_ok;

        // Examples.
        if r.examples.is_empty() {
            out.push(
                Diagnostic::new(Code::NoExamples, format!("rule {} has no examples", r.name.name))
                    .with_label(file, r.name.span, "no `example` lines")
                    .with_help("add a sentence it should read, e.g. example \"…达到712家\" => 712, and one it must not"),
            );
        }
        self.check_examples(file, r, unit, out);

        if !ok {
            return None;
        }
        let (ind_file, ind) = indicator?;
        let _ = ind_file;
        Some(Rule {
            name: r.name.name.clone(),
            qualified_name: format!("{prefix}/{}", r.name.name),
            file,
            span: r.span,
            indicator: ind.id.name.clone(),
            pattern,
            vetoes,
            status: r.status.map(|s| s.0),
            priority: r.priority.map(|p| p.0).unwrap_or(0),
            emit,
            examples: r.examples.clone(),
            overrides: None,
            trap: r.emit_none.is_some(),
            min,
            max,
            added_examples: Vec::new(),
            inherited: Vec::new(),
        })
    }

    /// The veto words of `r`'s `unless` clauses, and whether every name in
    /// them resolved.
    fn resolve_vetoes(
        &self,
        file: FileId,
        r: &RuleDecl,
        out: &mut Vec<Diagnostic>,
    ) -> (Vec<ResolvedVeto>, bool) {
        let mut ok = true;
        let mut vetoes = Vec::new();
        for v in &r.vetoes {
            let mut ex = Expander::new(self, out);
            let mut words = Vec::new();
            ex.flatten(&v.pattern, file, &mut words, 0);
            ok &= !ex.failed;
            let mut seen = HashSet::new();
            words.retain(|w| seen.insert(w.clone()));
            vetoes.push(ResolvedVeto {
                scope: v.scope,
                words,
            });
        }
        (vetoes, ok)
    }

    /// Resolves `extend rule NAME -> IND { … }`: vetoes, examples, a
    /// priority or a status; a `match` or an `emit` is an error (ZB0215:
    /// a changed pattern is an `override`).
    fn resolve_extension(
        &self,
        file: FileId,
        r: &RuleDecl,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Extension> {
        let mut ok = true;
        let kw = r.extend_span.unwrap_or(r.name.span);
        for m in &r.matches {
            ok = false;
            // The pattern's span runs on over the blanks after it.
            let written = self
                .sources
                .get(file)
                .text
                .get(m.span.start..m.span.end)
                .map_or(m.span.end, |t| m.span.start + t.trim_end().len());
            let m_span = Span::new(m.span.start, written);
            out.push(
                Diagnostic::new(
                    Code::ExtendChangesPattern,
                    format!("`extend rule {}` cannot change the rule's pattern", r.name.name),
                )
                .with_label(file, m_span, "a `match` in an extension")
                .with_label(file, Span::new(kw.start, r.name.span.end), "extends the imported rule")
                .with_help(format!(
                    "write `override rule {}` with the whole rule to change its pattern, or remove this `match`",
                    r.name.name
                )),
            );
        }
        if let Some(sp) = r.emit_none {
            ok = false;
            out.push(
                Diagnostic::new(
                    Code::ExtendChangesPattern,
                    format!("`extend rule {}` cannot make the rule a trap", r.name.name),
                )
                .with_label(file, sp, "`emit none` in an extension")
                .with_label(file, Span::new(kw.start, r.name.span.end), "extends the imported rule")
                .with_help("write a trap rule of its own (`emit none`) with a higher priority, or remove this clause"),
            );
        }
        if let Some(e) = &r.emit {
            ok = false;
            out.push(
                Diagnostic::new(
                    Code::ExtendChangesPattern,
                    format!("`extend rule {}` cannot change what the rule emits", r.name.name),
                )
                .with_label(file, e.span, "an `emit` in an extension")
                .with_label(file, Span::new(kw.start, r.name.span.end), "extends the imported rule")
                .with_help(format!(
                    "write `override rule {}` with the whole rule to emit another capture, or remove this `emit`",
                    r.name.name
                )),
            );
        }
        let indicator = self.indicator(file, &r.indicator.name);
        let unit = indicator.and_then(|(_, d)| Unit::parse(&d.unit.name));
        let (vetoes, vetoes_ok) = self.resolve_vetoes(file, r, out);
        ok &= vetoes_ok;
        let (min, max, bounds_ok) = bounds(file, r, out);
        ok &= bounds_ok;
        self.check_examples(file, r, unit, out);
        if !ok {
            return None;
        }
        Some(Extension {
            indicator: r.indicator.name.clone(),
            vetoes,
            status: r.status.map(|s| s.0),
            priority: r.priority.map(|p| p.0),
            min,
            max,
            examples: r.examples.clone(),
        })
    }

    /// Checks the expected values and units of `r`'s examples.
    fn check_examples(
        &self,
        file: FileId,
        r: &RuleDecl,
        unit: Option<Unit>,
        out: &mut Vec<Diagnostic>,
    ) {
        for e in &r.examples {
            if let Expectation::Fact {
                value,
                value_span,
                unit: eunit,
                ..
            } = &e.expect
            {
                if Decimal::from_str(value).is_err() {
                    out.push(
                        Diagnostic::new(
                            Code::BadExample,
                            format!("the expected value `{value}` is not a number"),
                        )
                        .with_label(file, *value_span, "not a number")
                        .with_help(format!(
                            "write it with digits and at most one decimal point, no separators: {}",
                            value.replace([',', '_'], "")
                        )),
                    );
                }
                if let Some(u) = eunit {
                    match Unit::parse(&u.name) {
                        None => out.push(
                            Diagnostic::new(Code::BadExample, format!("`{}` is not a unit", u.name))
                                .with_label(file, u.span, "unknown unit")
                                .with_help(match suggest::closest(&u.name, crate::text::units::UNITS.iter().map(|u| u.text)) {
                                    Some(s) => format!("did you mean {s}?"),
                                    None => "use a unit such as 家, 亿元, 万元 or %; or leave it out to mean the indicator's unit".to_string(),
                                }),
                        ),
                        Some(eu) => {
                            if let Some(iu) = unit
                                && !eu.converts_to(iu) {
                                    out.push(
                                        Diagnostic::new(
                                            Code::BadExample,
                                            format!(
                                                "the example is in {} ({}), which cannot be converted to the indicator's {} ({})",
                                                eu.text,
                                                eu.kind.keyword(),
                                                iu.text,
                                                iu.kind.keyword()
                                            ),
                                        )
                                        .with_label(file, u.span, "wrong kind of unit")
                                        .with_help(format!("give the value in {}", iu.text)),
                                    );
                                }
                        }
                    }
                }
            }
        }
    }
}

fn check_indicator(id: FileId, d: &IndicatorDecl, out: &mut Vec<Diagnostic>) {
    let unit = Unit::parse(&d.unit.name);
    if unit.is_none() {
        let help = match suggest::closest(
            &d.unit.name,
            crate::text::units::UNITS.iter().map(|u| u.text),
        ) {
            Some(s) => format!("did you mean {s}?"),
            None => "use a unit such as 家, 个, 项, 亿元, 万元, % or 万平方米".to_string(),
        };
        out.push(
            Diagnostic::new(
                Code::UnknownUnit,
                format!("`{}` is not a known unit", d.unit.name),
            )
            .with_label(id, d.unit.span, "unknown unit")
            .with_help(help),
        );
    }
    if let Some(k) = &d.kind {
        if k.name == "number" {
            return;
        }
        match UnitKind::from_keyword(&k.name) {
            None => out.push(
                Diagnostic::new(
                    Code::UnknownUnit,
                    format!("`{}` is not a value kind", k.name),
                )
                .with_label(id, k.span, "unknown kind")
                .with_help(
                    match suggest::closest(&k.name, lints::KIND_KEYWORDS.iter().copied()) {
                        Some(s) => format!("did you mean {s}?"),
                        None => {
                            "use count, money, percent, ratio, points, area or number".to_string()
                        }
                    },
                ),
            ),
            Some(kind) => {
                if let Some(u) = unit
                    && u.kind != kind
                {
                    out.push(
                        Diagnostic::new(
                            Code::UnitMismatch,
                            format!(
                                "the unit {} is {}, but the kind says {}",
                                u.text,
                                u.kind.keyword(),
                                k.name
                            ),
                        )
                        .with_label(id, k.span, "does not fit the unit")
                        .with_help(format!(
                            "write kind {}, or leave the kind out",
                            u.kind.keyword()
                        )),
                    );
                }
            }
        }
    }
}

fn collect_captures<'p>(p: &'p Pattern, caps: &mut Vec<&'p Capture>, spans: &mut Vec<Span>) {
    match &p.kind {
        PatternKind::Capture(c) => {
            caps.push(c);
            spans.push(p.span);
        }
        PatternKind::Seq(v) | PatternKind::Alt(v) => {
            for x in v {
                collect_captures(x, caps, spans);
            }
        }
        PatternKind::Optional(b) => collect_captures(b, caps, spans),
        PatternKind::Either(a, _, b) => {
            collect_captures(a, caps, spans);
            collect_captures(b, caps, spans);
        }
        // A capture inside `!` can never bind anything.
        PatternKind::NotAhead(_) => {}
        _ => {}
    }
}

/// A rule's `min` and `max` as numbers, and whether both read (ZB0327 for
/// one that is not a number, or a `min` above the `max`).
fn bounds(
    file: FileId,
    r: &RuleDecl,
    out: &mut Vec<Diagnostic>,
) -> (Option<Decimal>, Option<Decimal>, bool) {
    let mut ok = true;
    let mut read = |b: &Option<(String, Span)>, out: &mut Vec<Diagnostic>| {
        let (text, span) = b.as_ref()?;
        match Decimal::from_str(text) {
            Ok(v) => Some(v),
            Err(_) => {
                ok = false;
                out.push(
                    Diagnostic::new(Code::BadBound, format!("the bound `{text}` is not a number"))
                        .with_label(file, *span, "not a number")
                        .with_help(format!(
                            "write it in the indicator's unit with digits and at most one decimal point, no separators: {}",
                            text.replace([',', '_'], "")
                        )),
                );
                None
            }
        }
    };
    let min = read(&r.min, out);
    let max = read(&r.max, out);
    if let (Some(lo), Some(hi), Some((_, lo_span)), Some((_, hi_span))) = (min, max, &r.min, &r.max)
        && lo > hi
    {
        ok = false;
        out.push(
            Diagnostic::new(
                Code::BadBound,
                format!("`min {lo}` is above `max {hi}`: the rule can take no value"),
            )
            .with_label(file, *lo_span, "the least value")
            .with_label(file, *hi_span, "the greatest value")
            .with_help("swap them"),
        );
    }
    (min, max, ok)
}
