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

use super::canon::words_of;
use super::expand::Expander;
use super::model::{Extension, ProvinceInfo, Rule};
use super::paths;
use crate::diag::{Code, Diagnostic, FileId, Sources, Span, suggest};
use crate::syntax::ast::{self, Ident, IndicatorDecl, Item, LetDecl, Pattern, PatternKind};

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
    /// Span of `extend`, when it adds to an imported rule.
    pub extend_span: Option<Span>,
    /// The indicator as written, with its span.
    pub indicator: Ident,
    /// What an `extend` adds, when it could be resolved.
    pub extension: Option<Extension>,
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
pub(super) struct Scope {
    pub(super) lets: HashMap<String, (FileId, usize)>,
    pub(super) indicators: HashMap<String, (FileId, usize)>,
}

/// Every file reachable from the roots, checked.
pub struct World<'s> {
    /// The sources.
    pub sources: &'s Sources,
    /// Per-file results.
    pub files: HashMap<FileId, FileInfo>,
    pub(super) scopes: HashMap<FileId, Scope>,
    /// Named patterns already found too large or deep to expand: later
    /// uses fail at once instead of expanding (and reporting) again.
    pub(super) too_complex: RefCell<HashSet<(FileId, String)>>,
    /// Every named pattern some pattern refers to, with its file.
    pub(super) used: RefCell<HashSet<(FileId, String)>>,
    /// The words of each `subject` declaration (by file and item), once
    /// expanded: a subject expands in its own file's scope, so every rule
    /// set that sees it gets the same words ([`World::subjects`] is asked
    /// once per set, and the common file's subjects are in every set).
    subject_words: RefCell<SubjectWords>,
    pub(super) diags: Vec<Diagnostic>,
    pub(super) seen: HashSet<String>,
}

/// The words of each `subject` declaration, by its file and item index
/// (`None`: it does not spell words).
type SubjectWords = HashMap<(FileId, usize), Option<Vec<String>>>;

impl<'s> World<'s> {
    /// Parses and checks every file reachable from `roots`.
    pub fn build(sources: &'s Sources, roots: &[FileId]) -> World<'s> {
        let mut w = World {
            sources,
            files: HashMap::new(),
            scopes: HashMap::new(),
            too_complex: RefCell::new(HashSet::new()),
            used: RefCell::new(HashSet::new()),
            subject_words: RefCell::new(HashMap::new()),
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
            if let Some(file) = &ast {
                crate::lexicon::note_parsed(&src.name, &src.text, file);
            }
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
                            let Some(first) = province.as_mut() else {
                                continue;
                            };
                            let same = first.name == p.name.name;
                            let kinds_agree =
                                p.kind.is_none() || first.kind.is_none() || p.kind == first.kind;
                            let d = if same && kinds_agree {
                                // The same province again: nothing is lost by
                                // reading both, so its regions (and a kind the
                                // first left out) join the first declaration.
                                for r in &p.regions {
                                    if !first.regions.contains(&r.value) {
                                        first.regions.push(r.value.clone());
                                    }
                                }
                                first.kind = first.kind.or(p.kind);
                                Diagnostic::new(
                                    Code::DuplicateProvince,
                                    format!("a second `province {}` in one file", p.name.name),
                                )
                                .with_label(
                                    id,
                                    p.span,
                                    "its regions are added to the first declaration",
                                )
                                .with_help("write one `province` declaration with every region")
                            } else {
                                let what = if same {
                                    "with another `kind`".to_string()
                                } else {
                                    format!("naming {}", p.name.name)
                                };
                                // Another province (or a contradicting kind):
                                // the file's reports cannot be both, so the
                                // file is refused until the author decides.
                                let mut d = Diagnostic::new(
                                    Code::DuplicateProvince,
                                    format!(
                                        "a second `province` {what} in a file of {}",
                                        first.name
                                    ),
                                )
                                .with_label(id, p.span, "a file belongs to one province")
                                .with_help("move this declaration and its rules into a file of their own, or merge it into the first");
                                d.severity = crate::diag::Severity::Error;
                                d
                            };
                            w.push(d);
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

    pub(super) fn push_all(&mut self, ds: Vec<Diagnostic>) {
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
                if self.used.borrow().contains(&(*id, l.name.name.clone())) {
                    continue;
                }
                if l.subject {
                    // An unused subject still stops another from being
                    // carried; only one that redefines a subject of
                    // another file does nothing of its own.
                    let shared = self.files.iter().any(|(other, info)| {
                        other != id
                            && info.ast.as_ref().is_some_and(|a| {
                                a.items.iter().any(|i| {
                                    matches!(i, Item::Let(o) if o.subject && o.name.name == l.name.name)
                                })
                            })
                    });
                    if shared {
                        found.push(
                            Diagnostic::new(
                                Code::UnusedPattern,
                                format!(
                                    "subject {} is not used by any pattern of this file, and the shared subject of that name stays the one other files' rules use",
                                    l.name.name
                                ),
                            )
                            .with_label(*id, l.name.span, "never used")
                            .with_help(
                                "use it in a rule of this file, extend or override the rules that should see it, or remove it",
                            ),
                        );
                    }
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

    /// A warning per indicator no rule of the checked files emits into,
    /// declared in a province file (ZB0216). A shared file's indicators
    /// are a catalog for the files that import it, which may not all be
    /// checked.
    pub fn unused_indicators(&mut self) {
        let mut emitted: HashSet<&str> = HashSet::new();
        for info in self.files.values() {
            for item in info.ast.iter().flat_map(|a| &a.items) {
                if let Item::Rule(r) = item {
                    emitted.insert(&r.indicator.name);
                }
            }
        }
        let mut found = Vec::new();
        for (id, info) in &self.files {
            let Some(ast) = info.ast.as_ref() else {
                continue;
            };
            if info.province.is_none() {
                continue;
            }
            for item in &ast.items {
                let Item::Indicator(d) = item else { continue };
                if emitted.contains(d.id.name.as_str()) {
                    continue;
                }
                found.push(
                    Diagnostic::new(
                        Code::UnusedIndicator,
                        format!("no rule emits into indicator {}", d.id.name),
                    )
                    .with_label(*id, d.id.span, "never emitted")
                    .with_help(format!(
                        "write a rule `-> {}`, or remove the declaration",
                        d.id.name
                    )),
                );
            }
        }
        for d in found {
            self.push(d);
        }
    }

    /// A warning per place name of another province in a province file:
    /// in its `regions`, or a literal of its rules and patterns that is a
    /// prefecture's or county's name no division of its own province has
    /// (ZB0325). Files whose `province` is not a province of the gazetteer
    /// are not checked.
    pub fn foreign_regions(&mut self) {
        let gaz = crate::province::gazetteer();
        let mut found = Vec::new();
        for (id, info) in &self.files {
            let (Some(ast), Some(p)) = (info.ast.as_ref(), info.province.as_ref()) else {
                continue;
            };
            let own = crate::province::short_province_name(&p.name);
            if gaz.province_full_name(&own).is_none() {
                continue;
            }
            // The provinces a name belongs to, when none is `own`.
            let foreign = |name: &str| -> Option<String> {
                if name.chars().count() < 2 {
                    return None;
                }
                let places = gaz.lookup(name);
                if places.is_empty() || places.iter().any(|pl| pl.province == own) {
                    return None;
                }
                let mut provinces: Vec<&str> =
                    places.iter().map(|pl| pl.province.as_str()).collect();
                provinces.dedup();
                Some(provinces.join("、"))
            };
            let mut check = |lit: &str, span: Span, what: &str| {
                if let Some(of) = foreign(lit) {
                    found.push(
                        Diagnostic::new(
                            Code::ForeignRegion,
                            format!("{lit} is a place of {of}, not of {}", p.name),
                        )
                        .with_label(*id, span, format!("a place of another province in {what}"))
                        .with_help(format!(
                            "a province file speaks for {}'s reports: remove it, or move the rule to {of}'s file",
                            p.name
                        )),
                    );
                }
            };
            for item in &ast.items {
                match item {
                    Item::Province(d) => {
                        for r in &d.regions {
                            check(&r.value, r.span, "`regions`");
                        }
                    }
                    Item::Let(l) => {
                        let mut lits = Vec::new();
                        literals_of(&l.pattern, &mut lits);
                        for (s, sp) in lits {
                            check(&s, sp, "a pattern");
                        }
                    }
                    Item::Rule(r) => {
                        let mut lits = Vec::new();
                        for m in &r.matches {
                            literals_of(m, &mut lits);
                        }
                        for v in &r.vetoes {
                            literals_of(&v.pattern, &mut lits);
                        }
                        for (s, sp) in lits {
                            check(&s, sp, "a rule");
                        }
                    }
                    _ => {}
                }
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

    pub(super) fn name(&self, id: FileId) -> &str {
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
                let known = self.subject_words.borrow().get(&(f, i)).cloned();
                let words = known.unwrap_or_else(|| {
                    let mut ex = Expander::new(self, &mut ignored);
                    ex.stack.push((f, l.name.name.clone()));
                    let expanded = ex.expand(&l.pattern, f, None, 0);
                    let words = if ex.failed {
                        None
                    } else {
                        words_of(&expanded)
                            .ok()
                            .flatten()
                            .filter(|words| !words.is_empty())
                    };
                    self.subject_words
                        .borrow_mut()
                        .insert((f, i), words.clone());
                    words
                });
                if let Some(words) = words {
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

    pub(super) fn find_cycles(&mut self, order: &[FileId]) {
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
    pub(super) fn import_span(&self, id: FileId, index: usize) -> Span {
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

    pub(super) fn items(&self, id: FileId) -> &[Item] {
        self.files
            .get(&id)
            .and_then(|f| f.ast.as_ref())
            .map(|a| a.items.as_slice())
            .unwrap_or(&[])
    }

    pub(super) fn scope_of(&self, id: FileId) -> Scope {
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

    pub(super) fn let_decl(&self, at: (FileId, usize)) -> Option<&LetDecl> {
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

    /// Let names visible from `file`.
    pub(super) fn let_names(&self, file: FileId) -> Vec<&str> {
        self.scopes
            .get(&file)
            .map(|s| s.lets.keys().map(String::as_str).collect())
            .unwrap_or_default()
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

/// The literals written in `p`, with their spans (no names expanded).
fn literals_of(p: &Pattern, out: &mut Vec<(String, Span)>) {
    let mut stack = vec![p];
    while let Some(p) = stack.pop() {
        match &p.kind {
            PatternKind::Literal(s) => out.push((s.clone(), p.span)),
            PatternKind::Seq(v) | PatternKind::Alt(v) => stack.extend(v.iter()),
            PatternKind::Optional(a) | PatternKind::NotAhead(a) => stack.push(a),
            PatternKind::Either(a, _, b) => {
                stack.push(a);
                stack.push(b);
            }
            PatternKind::Ref(_)
            | PatternKind::Gap(_)
            | PatternKind::Capture(_)
            | PatternKind::Subject(_) => {}
        }
    }
}
