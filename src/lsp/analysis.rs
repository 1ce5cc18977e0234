//! One document's analysis: the document (its unsaved text) and every file
//! it imports, linted by the library's pipeline ([`crate::workspace::lint_sources`],
//! the code `zhibiao lint` runs), plus an index of what each name is and
//! where it is used, for hover, definition, references and completion.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::check::paths;
use crate::diag::{FileId, Sources, Span};
use crate::explain::examples::{ExampleResult, run_examples};
use crate::explain::report_examples::run_reports;
use crate::input::read_bounded;
use crate::syntax::MAX_FILE_BYTES;
use crate::syntax::ast::{self, Item, Pattern, PatternKind};
use crate::workspace::{SourcesLinted, lint_sources};

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymKind {
    /// `let NAME = …`
    Let,
    /// `subject NAME = …`
    Subject,
    /// `indicator ID …`
    Indicator,
    /// `rule NAME -> …`
    Rule,
    /// `province NAME { … }`
    Province,
    /// `report NAME { line … }`: a report-level example.
    Report,
}

/// A declaration.
#[derive(Debug, Clone)]
pub struct Symbol {
    /// What it declares.
    pub kind: SymKind,
    /// The name.
    pub name: String,
    /// Its file.
    pub file: FileId,
    /// The name's place.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
}

/// What a use of a name points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A `let` or `subject`, by name.
    Pattern(String),
    /// An indicator id.
    Indicator(String),
    /// The imported rule an `override rule NAME` replaces.
    Overridden(String),
    /// The file an `import "…"` names (when found).
    File(Option<FileId>),
}

/// A use of a name.
#[derive(Debug, Clone)]
pub struct Use {
    /// Its file.
    pub file: FileId,
    /// Where it stands.
    pub span: Span,
    /// What it names.
    pub target: Target,
}

/// A document, what it imports, what lint says of them, and their names.
pub struct Analysis {
    /// The document and its imports (the document is `root`).
    pub sources: Sources,
    /// The document.
    pub root: FileId,
    /// The lint pipeline's result.
    pub linted: SourcesLinted,
    /// Every declaration, file by file.
    pub symbols: Vec<Symbol>,
    /// Every use of a name.
    pub uses: Vec<Use>,
    /// Each file's syntax tree (when it parses).
    pub asts: HashMap<FileId, ast::File>,
    /// The files read from the copies built into the binary (`import
    /// "zhibiao:common.zb"`, and what they import): shown to the editor as
    /// virtual documents `zhibiao:NAME` ([`Analysis::uri`]).
    pub builtin: HashSet<FileId>,
    examples: std::sync::OnceLock<Vec<ExampleResult>>,
}

/// The built-in text of the shipped file a source name or virtual URI
/// names: `zhibiao:common.zb` (as the editor asks for it) is the source
/// `rules/common.zb`, read from the binary.
pub fn builtin_text(name: &str) -> Option<(&'static str, &'static str)> {
    let source = match name.strip_prefix(paths::BUILTIN_PREFIX) {
        Some(rest) => paths::resolve("", &format!("{}{rest}", paths::BUILTIN_PREFIX)),
        None => name.to_string(),
    };
    crate::check::builtin::BUILTIN_RULES
        .iter()
        .find(|(n, _)| *n == source)
        .copied()
}

/// Reads the text of `name`: from `open` (the editor's unsaved text), else
/// from disk (bounded as rule loading is).
fn text_of(name: &str, open: &HashMap<String, String>) -> Option<String> {
    if let Some(t) = open.get(name) {
        return Some(t.clone());
    }
    let bytes = read_bounded(Path::new(name), MAX_FILE_BYTES as u64).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    Some(
        text.strip_prefix('\u{feff}')
            .map(str::to_string)
            .unwrap_or(text),
    )
}

/// The import paths written in a file: from its syntax tree, or, when it
/// does not parse (it is being typed), from its `import "…"` lines.
fn imports_of(ast: Option<&ast::File>, text: &str) -> Vec<String> {
    match ast {
        Some(f) => f
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Import(imp) => Some(imp.path.value.clone()),
                _ => None,
            })
            .collect(),
        None => text
            .lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("import")?.trim();
                let inner = rest.strip_prefix('"')?;
                Some(inner[..inner.find('"')?].to_string())
            })
            .collect(),
    }
}

impl Analysis {
    /// Analyses the document `name` with `open` holding every open
    /// document's text by name.
    pub fn new(name: &str, open: &HashMap<String, String>) -> Analysis {
        let mut sources = Sources::new();
        let mut builtin = HashSet::new();
        // A virtual document `zhibiao:common.zb` (opened by going to a
        // definition in a shipped file) is the built-in `rules/common.zb`.
        let root = match (name.starts_with(paths::BUILTIN_PREFIX), builtin_text(name)) {
            (true, Some((n, t))) => {
                let id = sources.add(n, open.get(name).cloned().unwrap_or_else(|| t.to_string()));
                builtin.insert(id);
                id
            }
            _ => sources.add(name, text_of(name, open).unwrap_or_default()),
        };
        let mut asts = HashMap::new();
        let mut queue = vec![root];
        while let Some(id) = queue.pop() {
            let file_name = sources.get(id).name.clone();
            let text = sources.get(id).text.clone();
            let (ast, _) = crate::syntax::parse(id, &text);
            for target in imports_of(ast.as_ref(), &text) {
                let path = paths::resolve(&file_name, &target);
                let known = sources
                    .iter()
                    .any(|(_, f)| paths::normalize(&f.name) == path);
                if known {
                    continue;
                }
                // As rule loading does: `zhibiao:` imports, and the imports
                // of a built-in file, read the copies built into the binary.
                let from_binary =
                    target.starts_with(paths::BUILTIN_PREFIX) || builtin.contains(&id);
                match (from_binary, builtin_text(&path)) {
                    (true, Some((n, t))) => {
                        let new = sources.add(n, t);
                        builtin.insert(new);
                        queue.push(new);
                    }
                    _ => {
                        if let Some(t) = text_of(&path, open) {
                            queue.push(sources.add(path, t));
                        }
                    }
                }
            }
            if let Some(ast) = ast {
                asts.insert(id, ast);
            }
        }
        let linted = lint_sources(&sources, &[root], false);
        let mut a = Analysis {
            sources,
            root,
            linted,
            symbols: Vec::new(),
            uses: Vec::new(),
            asts,
            builtin,
            examples: std::sync::OnceLock::new(),
        };
        a.index();
        a
    }

    fn index(&mut self) {
        let mut files: Vec<FileId> = self.asts.keys().copied().collect();
        files.sort();
        for file in files {
            let Some(ast) = self.asts.get(&file) else {
                continue;
            };
            for item in &ast.items {
                match item {
                    // A lexicon line names no symbol and uses none.
                    Item::Words(_) => {}
                    Item::Report(r) => {
                        self.symbols.push(Symbol {
                            kind: SymKind::Report,
                            name: r.name.name.clone(),
                            file,
                            name_span: r.name.span,
                            span: r.span,
                        });
                        for f in r.lines.iter().flat_map(|l| &l.facts) {
                            self.uses.push(Use {
                                file,
                                span: f.indicator.span,
                                target: Target::Indicator(f.indicator.name.clone()),
                            });
                        }
                    }
                    Item::Province(p) => self.symbols.push(Symbol {
                        kind: SymKind::Province,
                        name: p.name.name.clone(),
                        file,
                        name_span: p.name.span,
                        span: p.span,
                    }),
                    Item::Import(imp) => {
                        let path = paths::resolve(&self.sources.get(file).name, &imp.path.value);
                        let target = self
                            .sources
                            .iter()
                            .find(|(_, f)| paths::normalize(&f.name) == path)
                            .map(|(id, _)| id);
                        self.uses.push(Use {
                            file,
                            span: imp.path.span,
                            target: Target::File(target),
                        });
                    }
                    Item::Indicator(d) => self.symbols.push(Symbol {
                        kind: SymKind::Indicator,
                        name: d.id.name.clone(),
                        file,
                        name_span: d.id.span,
                        span: d.span,
                    }),
                    Item::Let(l) => {
                        self.symbols.push(Symbol {
                            kind: if l.subject {
                                SymKind::Subject
                            } else {
                                SymKind::Let
                            },
                            name: l.name.name.clone(),
                            file,
                            name_span: l.name.span,
                            span: l.span,
                        });
                        pattern_uses(&l.pattern, file, &mut self.uses);
                    }
                    Item::Rule(r) => {
                        self.symbols.push(Symbol {
                            kind: SymKind::Rule,
                            name: r.name.name.clone(),
                            file,
                            name_span: r.name.span,
                            span: r.span,
                        });
                        if r.override_span.is_some() || r.extend_span.is_some() {
                            self.uses.push(Use {
                                file,
                                span: r.name.span,
                                target: Target::Overridden(r.name.name.clone()),
                            });
                        }
                        self.uses.push(Use {
                            file,
                            span: r.indicator.span,
                            target: Target::Indicator(r.indicator.name.clone()),
                        });
                        for p in &r.matches {
                            pattern_uses(p, file, &mut self.uses);
                        }
                        for v in &r.vetoes {
                            pattern_uses(&v.pattern, file, &mut self.uses);
                        }
                    }
                }
            }
        }
    }

    /// The declaration a use points to, looked up from `from`: its own
    /// file first, then the files it imports.
    pub fn resolve(&self, from: FileId, target: &Target) -> Option<&Symbol> {
        let (name, kinds, skip_own): (&str, &[SymKind], bool) = match target {
            Target::Pattern(n) => (n, &[SymKind::Let, SymKind::Subject], false),
            Target::Indicator(n) => (n, &[SymKind::Indicator], false),
            Target::Overridden(n) => (n, &[SymKind::Rule], true),
            Target::File(_) => return None,
        };
        let fits = |s: &&Symbol| s.name == name && kinds.contains(&s.kind);
        let own = self.symbols.iter().filter(fits).find(|s| s.file == from);
        if own.is_some() && !skip_own {
            return own;
        }
        self.symbols.iter().filter(fits).find(|s| s.file != from)
    }

    /// The use or declaration name at byte `offset` of `file`.
    pub fn at(&self, file: FileId, offset: usize) -> Option<At<'_>> {
        let inside = |s: Span| s.start <= offset && offset <= s.end;
        if let Some(u) = self.uses.iter().find(|u| u.file == file && inside(u.span)) {
            return Some(At::Use(u));
        }
        self.symbols
            .iter()
            .find(|s| s.file == file && inside(s.name_span))
            .map(At::Decl)
    }

    /// The declaration behind whatever is at `offset`, if any.
    pub fn symbol_at(&self, file: FileId, offset: usize) -> Option<&Symbol> {
        match self.at(file, offset)? {
            At::Decl(s) => Some(s),
            At::Use(u) => self.resolve(u.file, &u.target),
        }
    }

    /// Every use of `sym` in this analysis (its declaration not included).
    pub fn uses_of<'a>(&'a self, sym: &'a Symbol) -> impl Iterator<Item = &'a Use> + 'a {
        self.uses.iter().filter(move |u| {
            self.resolve(u.file, &u.target)
                .is_some_and(|s| s.file == sym.file && s.name_span == sym.name_span)
        })
    }

    /// The results of every example of the rule sets (run once, on demand).
    pub fn examples(&self) -> &[ExampleResult] {
        self.examples.get_or_init(|| {
            if self.linted.checked.has_errors() || self.linted.programs.is_empty() {
                Vec::new()
            } else {
                let (sets, programs) = (&self.linted.checked.sets, &self.linted.programs);
                let mut all = run_examples(sets, programs);
                all.extend(run_reports(sets, programs));
                all
            }
        })
    }

    /// The URI the editor knows a file by: its path, or `zhibiao:NAME`
    /// for a file read from the binary (a virtual document, whose text the
    /// `zhibiao/builtin` request gives).
    pub fn uri(&self, file: FileId) -> Option<lsp_types::Url> {
        let name = &self.sources.get(file).name;
        if self.builtin.contains(&file) {
            let short = name.strip_prefix("rules/").unwrap_or(name);
            return lsp_types::Url::parse(&format!("{}{short}", paths::BUILTIN_PREFIX)).ok();
        }
        super::convert::uri_of(name)
    }

    /// The text of a span of a file.
    pub fn text(&self, file: FileId, span: Span) -> &str {
        self.sources
            .get(file)
            .text
            .get(span.start..span.end)
            .unwrap_or("")
    }
}

/// What stands at a place.
pub enum At<'a> {
    /// A use of a name.
    Use(&'a Use),
    /// A declaration's name.
    Decl(&'a Symbol),
}

fn pattern_uses(p: &Pattern, file: FileId, out: &mut Vec<Use>) {
    match &p.kind {
        PatternKind::Ref(name) => out.push(Use {
            file,
            span: p.span,
            target: Target::Pattern(name.clone()),
        }),
        PatternKind::Seq(ps) | PatternKind::Alt(ps) => {
            ps.iter().for_each(|q| pattern_uses(q, file, out));
        }
        PatternKind::Optional(q) | PatternKind::NotAhead(q) => pattern_uses(q, file, out),
        PatternKind::Either(a, _, b) => {
            pattern_uses(a, file, out);
            pattern_uses(b, file, out);
        }
        PatternKind::Literal(_)
        | PatternKind::Gap(_)
        | PatternKind::Capture(_)
        | PatternKind::Subject(_) => {}
    }
}
