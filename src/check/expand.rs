//! Named patterns expanded in their own file's scope, and a `subject`'s
//! words checked.

use super::canon::{MAX_SUBJECT_WORDS, words_of};
use super::world::{MAX_EXPANDED_DEPTH, MAX_EXPANDED_NODES, World};
use crate::diag::{Code, Diagnostic, FileId, Span, suggest};
use crate::syntax::ast::{self, Capture, Ident, LetDecl, Pattern, PatternKind};

/// Expands named patterns, reporting unknown and self-referring names.
pub(super) struct Expander<'w, 'o> {
    pub(super) world: &'w World<'w>,
    pub(super) out: &'o mut Vec<Diagnostic>,
    pub(super) stack: Vec<(FileId, String)>,
    pub(super) nodes: usize,
    pub(super) failed: bool,
    pub(super) too_big: bool,
    /// A name looked up was already known to be too complex: so is what
    /// refers to it. (Marking it saves expanding a chain of 100,000 `let`s
    /// again down to the limit from every link: that was quadratic.)
    pub(super) refers_to_too_complex: bool,
}

impl<'w, 'o> Expander<'w, 'o> {
    pub(super) fn new(world: &'w World<'w>, out: &'o mut Vec<Diagnostic>) -> Self {
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

    pub(super) fn too_complex(&mut self, file: FileId, span: Span, why: &str) {
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
    pub(super) fn lookup(
        &mut self,
        name: &str,
        file: FileId,
        span: Span,
    ) -> Option<(FileId, &'w LetDecl)> {
        let world = self.world;
        let at = world
            .scopes
            .get(&file)
            .and_then(|s| s.lets.get(name))
            .copied();
        let Some(at) = at else {
            self.failed = true;
            // A misspelt keyword (`unles`, `exmaple`) inside a rule reads
            // as a pattern name; quoting it would make a rule that lints
            // clean and never matches (issue 24, point 8).
            let keyword = name
                .bytes()
                .all(|b| b.is_ascii_lowercase())
                .then(|| suggest::closest(name, crate::syntax::KEYWORDS.iter().copied()))
                .flatten();
            let help = match (keyword, suggest::closest(name, world.let_names(file))) {
                (Some(k), _) => format!("did you mean the keyword `{k}`?"),
                (None, Some(s)) => format!("did you mean {s}?"),
                (None, None) => format!("put it in quotes to match the text itself: \"{name}\""),
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

    pub(super) fn expand(
        &mut self,
        p: &Pattern,
        file: FileId,
        site: Option<Span>,
        depth: usize,
    ) -> Pattern {
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
    pub(super) fn flatten(
        &mut self,
        p: &Pattern,
        file: FileId,
        words: &mut Vec<String>,
        depth: usize,
    ) {
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
    pub(super) fn not_words(&mut self, p: &Pattern, file: FileId) {
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
pub(super) fn subject_words(
    file: FileId,
    l: &LetDecl,
    expanded: &Pattern,
    out: &mut Vec<Diagnostic>,
) {
    let name = &l.name.name;
    // The message, where it points, its label, the help, and whether the
    // declaration is pointed at too (when the lint points inside it).
    let (message, at, label, help, inside) = match words_of(expanded) {
        Ok(Some(w)) if !w.is_empty() => return,
        Ok(Some(_)) => (
            format!("subject {name} names nothing"),
            l.pattern.span,
            "no word here",
            "list the words that name the subject, e.g. subject 高企 = \"高新技术企业\" | \"高企\"",
            false,
        ),
        Ok(None) => (
            format!("subject {name} spells more than {MAX_SUBJECT_WORDS} words"),
            l.pattern.span,
            "too many combinations",
            "a subject lists the few ways a report names one thing; split it, or use a `let` for the rest",
            false,
        ),
        Err(at) => (
            format!(
                "subject {name} must be a list of words, but holds a gap, a capture, `!` or `<>`"
            ),
            at,
            "not a word",
            "keep the words in the subject and put gaps and numbers in the rule: match 高企 … N:家",
            true,
        ),
    };
    let mut d = Diagnostic::new(Code::SubjectNotWords, message).with_label(file, at, label);
    if inside {
        d = d.with_label(file, l.name.span, "declared as a subject here");
    }
    out.push(d.with_help(help));
}
