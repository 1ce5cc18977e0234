//! Per-file checking: imports, scopes, named-pattern expansion, and each
//! rule resolved to a [`Rule`].
//!
//! Scoping is lexical: a name in a file means that file's own `let` (or
//! `indicator`) first, then one from what it imports, transitively. A `let`
//! from another file is expanded in *its* file's scope. Nodes inlined from a
//! `let` take the span of the name that brought them in, so every span in a
//! [`Rule::pattern`] points into the rule's own file.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use rust_decimal::Decimal;

use super::lints::{self, accepted};
use super::model::{ProvinceInfo, ResolvedVeto, Rule};
use super::paths;
use crate::diag::{Code, Diagnostic, FileId, Sources, Span, suggest};
use crate::syntax::ast::{
    self, Capture, Expectation, Ident, IndicatorDecl, Item, LetDecl, Pattern, PatternKind, RuleDecl,
};
use crate::text::{Unit, UnitKind};

/// Deepest nesting of an expanded pattern (brackets plus named patterns).
pub const MAX_EXPANDED_DEPTH: usize = 256;
/// Most nodes one rule's pattern may expand to.
pub const MAX_EXPANDED_NODES: usize = 500_000;

/// A rule declaration with what resolving it gave.
pub struct RuleEntry {
    /// The rule's name and its span.
    pub name: Ident,
    /// Span of `override`, when it replaces an imported rule.
    pub override_span: Option<Span>,
    /// The file it is written in.
    pub file: FileId,
    /// The resolved rule, when it could be resolved.
    pub rule: Option<Rule>,
}

/// What is known of one parsed file.
pub struct FileInfo {
    /// The AST, when the file parsed.
    pub ast: Option<ast::File>,
    /// Files it imports (resolved), in order.
    pub imports: Vec<FileId>,
    /// Its province, when it declares one.
    pub province: Option<ProvinceInfo>,
    /// Prefix of qualified rule names: province name or file stem.
    pub prefix: String,
    /// Its rules, resolved.
    pub rules: Vec<RuleEntry>,
}

#[derive(Default)]
struct Scope {
    lets: HashMap<String, (FileId, usize)>,
    indicators: HashMap<String, (FileId, usize)>,
}

/// Every file reachable from the roots, checked.
pub struct World<'s> {
    /// The sources.
    pub sources: &'s Sources,
    /// Per-file results.
    pub files: HashMap<FileId, FileInfo>,
    scopes: HashMap<FileId, Scope>,
    /// Named patterns already found too large or deep to expand: later
    /// uses fail at once instead of expanding (and reporting) again.
    too_complex: RefCell<HashSet<(FileId, String)>>,
    /// Every named pattern some pattern refers to, with its file.
    used: RefCell<HashSet<(FileId, String)>>,
    diags: Vec<Diagnostic>,
    seen: HashSet<String>,
}

impl<'s> World<'s> {
    /// Parses and checks every file reachable from `roots`.
    pub fn build(sources: &'s Sources, roots: &[FileId]) -> World<'s> {
        let mut w = World {
            sources,
            files: HashMap::new(),
            scopes: HashMap::new(),
            too_complex: RefCell::new(HashSet::new()),
            used: RefCell::new(HashSet::new()),
            diags: Vec::new(),
            seen: HashSet::new(),
        };
        let by_name: HashMap<String, FileId> = sources
            .iter()
            .map(|(id, f)| (paths::normalize(&f.name), id))
            .collect();
        // Parse everything reachable.
        let mut work: Vec<FileId> = roots.to_vec();
        let mut order: Vec<FileId> = Vec::new();
        while let Some(id) = work.pop() {
            if w.files.contains_key(&id) {
                continue;
            }
            order.push(id);
            let src = sources.get(id);
            let (ast, diags) = crate::syntax::parse(id, &src.text);
            w.push_all(diags);
            let mut imports = Vec::new();
            let mut province = None;
            if let Some(file) = &ast {
                for item in &file.items {
                    match item {
                        Item::Import(imp) => {
                            let target = paths::resolve(&src.name, &imp.path.value);
                            match by_name.get(&target) {
                                Some(t) => {
                                    imports.push(*t);
                                    work.push(*t);
                                }
                                None => {
                                    let d = unknown_import(sources, id, imp, &target);
                                    w.push(d);
                                }
                            }
                        }
                        Item::Province(p) if province.is_none() => {
                            province = Some(ProvinceInfo {
                                name: p.name.name.clone(),
                                regions: p.regions.iter().map(|r| r.value.clone()).collect(),
                                file: id,
                                kind: p.kind,
                            });
                        }
                        Item::Province(p) => {
                            let first = province.as_ref().map_or("", |f| f.name.as_str());
                            w.push(
                                Diagnostic::new(
                                    Code::DuplicateProvince,
                                    format!("a second `province` in one file: this file is {first}'s"),
                                )
                                .with_label(id, p.span, "ignored: only the first `province` counts")
                                .with_help("a file belongs to one province: move these regions into the first declaration, or this declaration into its own file"),
                            );
                        }
                        _ => {}
                    }
                }
            }
            let prefix = match &province {
                Some(p) => p.name.clone(),
                None => paths::stem(&src.name).to_string(),
            };
            w.files.insert(
                id,
                FileInfo {
                    ast,
                    imports,
                    province,
                    prefix,
                    rules: Vec::new(),
                },
            );
        }
        order.sort();
        w.find_cycles(&order);
        for id in &order {
            let scope = w.scope_of(*id);
            w.scopes.insert(*id, scope);
        }
        for id in &order {
            let mut out = Vec::new();
            let rules = w.check_file(*id, &mut out);
            w.push_all(out);
            if let Some(info) = w.files.get_mut(id) {
                info.rules = rules;
            }
        }
        w
    }

    /// Records a diagnostic unless the same one was recorded already.
    pub fn push(&mut self, d: Diagnostic) {
        if self.seen.insert(format!("{d:?}")) {
            self.diags.push(d);
        }
    }

    fn push_all(&mut self, ds: Vec<Diagnostic>) {
        for d in ds {
            self.push(d);
        }
    }

    /// A warning per `let` no pattern of any checked file refers to, in a
    /// file that has rules (a file of definitions only is a library). (A
    /// `subject` needs no use: the engine tracks where it is named, so it
    /// stops another subject from being carried.)
    pub fn unused_lets(&mut self) {
        let mut found = Vec::new();
        for (id, info) in &self.files {
            let Some(ast) = info.ast.as_ref() else {
                continue;
            };
            // A file of definitions only is a library for its importers.
            if !ast.items.iter().any(|i| matches!(i, Item::Rule(_))) {
                continue;
            }
            for item in &ast.items {
                let Item::Let(l) = item else { continue };
                if l.subject || self.used.borrow().contains(&(*id, l.name.name.clone())) {
                    continue;
                }
                found.push(
                    Diagnostic::new(
                        Code::UnusedPattern,
                        format!("let {} is not used by any pattern", l.name.name),
                    )
                    .with_label(*id, l.name.span, "never used")
                    .with_help(
                        "use it in a rule, or remove it (a province's copy of a shared let does not change the rules that use the shared one)",
                    ),
                );
            }
        }
        for d in found {
            self.push(d);
        }
    }

    /// Every diagnostic recorded.
    pub fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags)
    }

    fn name(&self, id: FileId) -> &str {
        &self.sources.get(id).name
    }

    /// Every `subject` in scope of `root` (its own and its imports'), with
    /// the words it spells, in the order of the files (imports first) and
    /// of the declarations: the subjects the engine tracks for a rule set.
    /// Subjects that do not check (ZB0320, reported with the file) are left
    /// out.
    pub fn subjects(&self, root: FileId) -> indexmap::IndexMap<String, Vec<String>> {
        let mut out = indexmap::IndexMap::new();
        let Some(scope) = self.scopes.get(&root) else {
            return out;
        };
        let mut ignored = Vec::new();
        for f in self.order(root) {
            for (i, item) in self.items(f).iter().enumerate() {
                let Item::Let(l) = item else { continue };
                // Only the declaration the root sees under this name.
                if !l.subject || scope.lets.get(&l.name.name) != Some(&(f, i)) {
                    continue;
                }
                let mut ex = Expander::new(self, &mut ignored);
                ex.stack.push((f, l.name.name.clone()));
                let expanded = ex.expand(&l.pattern, f, None, 0);
                if ex.failed {
                    continue;
                }
                if let Ok(Some(words)) = words_of(&expanded)
                    && !words.is_empty()
                {
                    out.insert(l.name.name.clone(), words);
                }
            }
        }
        out
    }

    /// `root` and everything it imports, imports first (post-order), each once.
    pub fn order(&self, root: FileId) -> Vec<FileId> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        // Iterative post-order DFS (import chains can be long).
        let mut stack: Vec<(FileId, usize)> = vec![(root, 0)];
        seen.insert(root);
        while let Some((id, next)) = stack.pop() {
            let imports = self
                .files
                .get(&id)
                .map(|f| f.imports.as_slice())
                .unwrap_or(&[]);
            if let Some(child) = imports.get(next) {
                stack.push((id, next + 1));
                if seen.insert(*child) {
                    stack.push((*child, 0));
                }
            } else {
                out.push(id);
            }
        }
        out
    }

    fn find_cycles(&mut self, order: &[FileId]) {
        // Colours: absent = white, false = on the stack, true = done.
        let mut state: HashMap<FileId, bool> = HashMap::new();
        let mut found = Vec::new();
        for start in order {
            if state.contains_key(start) {
                continue;
            }
            let mut stack: Vec<(FileId, usize)> = vec![(*start, 0)];
            state.insert(*start, false);
            while let Some((id, next)) = stack.pop() {
                let imports = self
                    .files
                    .get(&id)
                    .map(|f| f.imports.clone())
                    .unwrap_or_default();
                if let Some(child) = imports.get(next) {
                    stack.push((id, next + 1));
                    match state.get(child) {
                        None => {
                            state.insert(*child, false);
                            stack.push((*child, 0));
                        }
                        Some(false) => {
                            // A back edge: id imports child, which is on the stack.
                            let pos = stack.iter().position(|(f, _)| f == child).unwrap_or(0);
                            let mut names: Vec<String> = stack[pos..]
                                .iter()
                                .map(|(f, _)| self.name(*f).to_string())
                                .collect();
                            names.push(self.name(*child).to_string());
                            found.push((id, next, names));
                        }
                        Some(true) => {}
                    }
                } else {
                    state.insert(id, true);
                }
            }
        }
        for (id, index, names) in found {
            let span = self.import_span(id, index);
            let d = Diagnostic::new(
                Code::ImportCycle,
                format!("files import each other in a circle: {}", names.join(" → ")),
            )
            .with_label(id, span, "this import closes the circle")
            .with_help("move what both files need into a third file that both import");
            self.push(d);
        }
    }

    /// Span of the `index`-th resolved import of `id`.
    fn import_span(&self, id: FileId, index: usize) -> Span {
        let src = &self.sources.get(id).name;
        let by_name: Vec<Span> = self
            .files
            .get(&id)
            .and_then(|f| f.ast.as_ref())
            .map(|ast| {
                ast.items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Import(imp) => Some(imp),
                        _ => None,
                    })
                    .filter(|imp| {
                        let t = paths::resolve(src, &imp.path.value);
                        self.sources
                            .iter()
                            .any(|(_, f)| paths::normalize(&f.name) == t)
                    })
                    .map(|imp| imp.span)
                    .collect()
            })
            .unwrap_or_default();
        by_name.get(index).copied().unwrap_or_default()
    }

    fn items(&self, id: FileId) -> &[Item] {
        self.files
            .get(&id)
            .and_then(|f| f.ast.as_ref())
            .map(|a| a.items.as_slice())
            .unwrap_or(&[])
    }

    fn scope_of(&self, id: FileId) -> Scope {
        let mut scope = Scope::default();
        let mut files = vec![id];
        files.extend(self.order(id).into_iter().rev().filter(|f| *f != id));
        for f in files {
            for (i, item) in self.items(f).iter().enumerate() {
                match item {
                    Item::Let(l) => {
                        scope.lets.entry(l.name.name.clone()).or_insert((f, i));
                    }
                    Item::Indicator(d) => {
                        scope.indicators.entry(d.id.name.clone()).or_insert((f, i));
                    }
                    _ => {}
                }
            }
        }
        scope
    }

    fn let_decl(&self, at: (FileId, usize)) -> Option<&LetDecl> {
        match self.items(at.0).get(at.1) {
            Some(Item::Let(l)) => Some(l),
            _ => None,
        }
    }

    /// The indicator `id` as seen from `file`, with its unit when known.
    pub fn indicator(&self, file: FileId, id: &str) -> Option<(FileId, &IndicatorDecl)> {
        let at = self.scopes.get(&file)?.indicators.get(id)?;
        match self.items(at.0).get(at.1) {
            Some(Item::Indicator(d)) => Some((at.0, d)),
            _ => None,
        }
    }

    fn check_file(&self, id: FileId, out: &mut Vec<Diagnostic>) -> Vec<RuleEntry> {
        let items = self.items(id);
        let mut lets: HashMap<&str, &Ident> = HashMap::new();
        let mut indicators: HashMap<&str, &Ident> = HashMap::new();
        for item in items {
            match item {
                Item::Let(l) => {
                    if let Some(first) = lets.get(l.name.name.as_str()) {
                        out.push(
                            Diagnostic::new(
                                Code::DuplicatePattern,
                                format!("pattern {} is defined twice in this file", l.name.name),
                            )
                            .with_label(id, l.name.span, "defined again here")
                            .with_label(id, first.span, "first defined here")
                            .with_help("remove one definition, or give it another name"),
                        );
                    } else {
                        lets.insert(&l.name.name, &l.name);
                    }
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
                    if let Some(first) = indicators.get(d.id.name.as_str()) {
                        out.push(
                            Diagnostic::new(
                                Code::DuplicateIndicator,
                                format!("indicator {} is declared twice in this file", d.id.name),
                            )
                            .with_label(id, d.id.span, "declared again here")
                            .with_label(id, first.span, "first declared here")
                            .with_help("remove one declaration"),
                        );
                    } else {
                        indicators.insert(&d.id.name, &d.id);
                    }
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
                Item::Rule(r) => Some(RuleEntry {
                    name: r.name.clone(),
                    override_span: r.override_span,
                    file: id,
                    rule: self.resolve_rule(id, r, out),
                }),
                _ => None,
            })
            .collect()
    }

    fn resolve_rule(&self, file: FileId, r: &RuleDecl, out: &mut Vec<Diagnostic>) -> Option<Rule> {
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

        // Examples.
        if r.examples.is_empty() {
            out.push(
                Diagnostic::new(Code::NoExamples, format!("rule {} has no examples", r.name.name))
                    .with_label(file, r.name.span, "no `example` lines")
                    .with_help("add a sentence it should read, e.g. example \"…达到712家\" => 712, and one it must not"),
            );
        }
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
        })
    }

    /// Let names visible from `file`.
    fn let_names(&self, file: FileId) -> Vec<&str> {
        self.scopes
            .get(&file)
            .map(|s| s.lets.keys().map(String::as_str).collect())
            .unwrap_or_default()
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

fn unknown_import(sources: &Sources, id: FileId, imp: &ast::Import, target: &str) -> Diagnostic {
    let dir = paths::parent(target);
    let candidates: Vec<String> = sources
        .iter()
        // A file does not mean to import itself.
        .filter(|(other, _)| *other != id)
        .map(|(_, f)| paths::normalize(&f.name))
        .filter(|n| paths::parent(n) == dir)
        .collect();
    let wanted = imp.path.value.rsplit('/').next().unwrap_or(&imp.path.value);
    let shipped = super::builtin::BUILTIN_RULES
        .iter()
        .any(|(n, _)| n.rsplit('/').next() == Some(wanted));
    let help = match suggest::closest(target, candidates.iter().map(String::as_str)) {
        Some(s) => format!("did you mean \"{}\"?", s.rsplit('/').next().unwrap_or(s)),
        None if shipped && !imp.path.value.starts_with(paths::BUILTIN_PREFIX) => format!(
            "{wanted} ships with zhibiao: `import \"{}{wanted}\"` imports the built-in copy from any folder",
            paths::BUILTIN_PREFIX
        ),
        None => {
            let from = paths::parent(&sources.get(id).name);
            if from.is_empty() {
                "import paths are relative to the importing file".to_string()
            } else {
                format!("import paths are relative to the importing file's folder, {from}/")
            }
        }
    };
    Diagnostic::new(
        Code::UnknownImport,
        format!("cannot find the imported file {target}"),
    )
    .with_label(id, imp.path.span, "no such rule file")
    .with_help(help)
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

/// Expands named patterns, reporting unknown and self-referring names.
struct Expander<'w, 'o> {
    world: &'w World<'w>,
    out: &'o mut Vec<Diagnostic>,
    stack: Vec<(FileId, String)>,
    nodes: usize,
    failed: bool,
    too_big: bool,
    /// A name looked up was already known to be too complex: so is what
    /// refers to it. (Marking it saves expanding a chain of 100,000 `let`s
    /// again down to the limit from every link: that was quadratic.)
    refers_to_too_complex: bool,
}

impl<'w, 'o> Expander<'w, 'o> {
    fn new(world: &'w World<'w>, out: &'o mut Vec<Diagnostic>) -> Self {
        Expander {
            world,
            out,
            stack: Vec::new(),
            nodes: 0,
            failed: false,
            too_big: false,
            refers_to_too_complex: false,
        }
    }

    fn too_complex(&mut self, file: FileId, span: Span, why: &str) {
        self.failed = true;
        if !self.too_big {
            self.too_big = true;
            self.out.push(
                Diagnostic::new(Code::TooComplex, why.to_string())
                    .with_label(file, span, "expanded here")
                    .with_help("use fewer levels of named patterns inside each other"),
            );
        }
    }

    /// Looks `name` up from `file`: the let and its file, or a diagnostic.
    fn lookup(&mut self, name: &str, file: FileId, span: Span) -> Option<(FileId, &'w LetDecl)> {
        let world = self.world;
        let at = world
            .scopes
            .get(&file)
            .and_then(|s| s.lets.get(name))
            .copied();
        let Some(at) = at else {
            self.failed = true;
            let help = match suggest::closest(name, world.let_names(file)) {
                Some(s) => format!("did you mean {s}?"),
                None => format!("put it in quotes to match the text itself: \"{name}\""),
            };
            self.out.push(
                Diagnostic::new(
                    Code::UnknownPattern,
                    format!("no pattern named {name} is defined here or in an import"),
                )
                .with_label(file, span, "unknown pattern name")
                .with_help(help),
            );
            return None;
        };
        world.used.borrow_mut().insert((at.0, name.to_string()));
        if world
            .too_complex
            .borrow()
            .contains(&(at.0, name.to_string()))
        {
            self.failed = true;
            self.refers_to_too_complex = true;
            return None;
        }
        if let Some(pos) = self.stack.iter().position(|(f, n)| *f == at.0 && n == name) {
            self.failed = true;
            let mut chain: Vec<&str> = self.stack[pos..].iter().map(|(_, n)| n.as_str()).collect();
            chain.push(name);
            self.out.push(
                Diagnostic::new(
                    Code::DuplicatePattern,
                    format!(
                        "pattern {} is defined in terms of itself: {}",
                        name,
                        chain.join(" → ")
                    ),
                )
                .with_label(file, span, "refers back to itself here")
                .with_help("a pattern cannot contain itself; write the repeated part out"),
            );
            return None;
        }
        world.let_decl(at).map(|l| (at.0, l))
    }

    fn expand(&mut self, p: &Pattern, file: FileId, site: Option<Span>, depth: usize) -> Pattern {
        let span = site.unwrap_or(p.span);
        let empty = Pattern {
            kind: PatternKind::Seq(Vec::new()),
            span,
        };
        if self.too_big {
            return empty;
        }
        if depth > MAX_EXPANDED_DEPTH {
            self.too_complex(
                file,
                p.span,
                "named patterns are nested too deeply to expand",
            );
            return empty;
        }
        self.nodes += 1;
        if self.nodes > MAX_EXPANDED_NODES {
            self.too_complex(
                file,
                p.span,
                "this pattern expands to more than 500,000 pieces",
            );
            return empty;
        }
        let kind = match &p.kind {
            PatternKind::Ref(name) => {
                let Some((lf, l)) = self.lookup(name, file, p.span) else {
                    return empty;
                };
                self.stack.push((lf, name.clone()));
                let inner = self.expand(&l.pattern, lf, Some(span), depth + 1);
                self.stack.pop();
                if !l.subject {
                    return inner;
                }
                // A subject stays one node: the engine carries it across
                // clauses. Its words are reported where it is declared.
                return match words_of(&inner) {
                    Ok(Some(words)) if !words.is_empty() => Pattern {
                        kind: PatternKind::Subject(ast::SubjectRef {
                            name: name.clone(),
                            words,
                        }),
                        span,
                    },
                    _ => {
                        self.failed = true;
                        empty
                    }
                };
            }
            PatternKind::Either(a, g, b) => PatternKind::Either(
                Box::new(self.expand(a, file, site, depth + 1)),
                *g,
                Box::new(self.expand(b, file, site, depth + 1)),
            ),
            PatternKind::Seq(v) => PatternKind::Seq(
                v.iter()
                    .map(|x| self.expand(x, file, site, depth + 1))
                    .collect(),
            ),
            PatternKind::Alt(v) => PatternKind::Alt(
                v.iter()
                    .map(|x| self.expand(x, file, site, depth + 1))
                    .collect(),
            ),
            PatternKind::Optional(b) => {
                PatternKind::Optional(Box::new(self.expand(b, file, site, depth + 1)))
            }
            PatternKind::NotAhead(b) => {
                PatternKind::NotAhead(Box::new(self.expand(b, file, site, depth + 1)))
            }
            PatternKind::Capture(c) => match site {
                None => PatternKind::Capture(c.clone()),
                Some(s) => PatternKind::Capture(Capture {
                    name: Ident {
                        name: c.name.name.clone(),
                        span: s,
                    },
                    accepts: c
                        .accepts
                        .iter()
                        .map(|a| Ident {
                            name: a.name.clone(),
                            span: s,
                        })
                        .collect(),
                }),
            },
            k @ (PatternKind::Literal(_) | PatternKind::Gap(_) | PatternKind::Subject(_)) => {
                k.clone()
            }
        };
        Pattern { kind, span }
    }

    /// Flattens a veto to its words: literals, names of such, and `|`.
    fn flatten(&mut self, p: &Pattern, file: FileId, words: &mut Vec<String>, depth: usize) {
        if depth > MAX_EXPANDED_DEPTH {
            self.too_complex(
                file,
                p.span,
                "named patterns are nested too deeply to expand",
            );
            return;
        }
        match &p.kind {
            PatternKind::Literal(s) => {
                if !s.is_empty() {
                    words.push(s.clone());
                }
            }
            PatternKind::Alt(v) => {
                for x in v {
                    self.flatten(x, file, words, depth + 1);
                }
            }
            PatternKind::Ref(name) => {
                if let Some((lf, l)) = self.lookup(name, file, p.span) {
                    self.stack.push((lf, name.clone()));
                    self.flatten(&l.pattern, lf, words, depth + 1);
                    self.stack.pop();
                }
            }
            // Words written as a sequence of parts ("研发" ("投入" | "经费")?).
            PatternKind::Seq(_) | PatternKind::Optional(_) => {
                match words_of(&self.expand(p, file, None, depth + 1)) {
                    Ok(Some(w)) => words.extend(w),
                    _ => self.not_words(p, file),
                }
            }
            _ => self.not_words(p, file),
        }
    }

    /// Reports a veto part that is not a word.
    fn not_words(&mut self, p: &Pattern, file: FileId) {
        self.failed = true;
        self.out.push(
            Diagnostic::new(
                Code::VetoNotWords,
                "an `unless` veto is a list of words: quoted literals, pattern names, `|`, sequences and optional parts of words",
            )
            .with_label(file, p.span, "not a word")
            .with_help("list the words, e.g. unless \"培育\" | \"每万家\"; put patterns in `match` with `!` instead"),
        );
    }
}

/// Checks that a `subject` spells a list of words (reported once, where
/// it is declared).
fn subject_words(file: FileId, l: &LetDecl, expanded: &Pattern, out: &mut Vec<Diagnostic>) {
    match words_of(expanded) {
        Ok(Some(w)) if !w.is_empty() => {}
        Ok(Some(_)) => out.push(
            Diagnostic::new(
                Code::SubjectNotWords,
                format!("subject {} names nothing", l.name.name),
            )
            .with_label(file, l.pattern.span, "no word here")
            .with_help("list the words that name the subject, e.g. subject 高企 = \"高新技术企业\" | \"高企\""),
        ),
        Ok(None) => out.push(
            Diagnostic::new(
                Code::SubjectNotWords,
                format!(
                    "subject {} spells more than {MAX_SUBJECT_WORDS} words",
                    l.name.name
                ),
            )
            .with_label(file, l.pattern.span, "too many combinations")
            .with_help("a subject lists the few ways a report names one thing; split it, or use a `let` for the rest"),
        ),
        Err(at) => out.push(
            Diagnostic::new(
                Code::SubjectNotWords,
                format!(
                    "subject {} must be a list of words, but holds a gap, a capture, `!` or `<>`",
                    l.name.name
                ),
            )
            .with_label(file, at, "not a word")
            .with_label(file, l.name.span, "declared as a subject here")
            .with_help("keep the words in the subject and put gaps and numbers in the rule: match 高企 … N:家"),
        ),
    }
}

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
