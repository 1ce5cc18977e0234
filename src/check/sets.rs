//! Effective rule sets: one per root file, its imports' rules first,
//! overrides applied in place, then duplicate names and shadowing.
//!
//! Files are taken in import post-order (each once, even when imported by
//! two paths), so a diamond of imports contributes each rule once.

use std::collections::HashMap;

use indexmap::IndexMap;

use super::canon::{canon, example_key};
use super::model::{IndicatorDef, Inherited, Rule, RuleSet};
use super::world::{RuleEntry, World};
use crate::diag::{Code, Diagnostic, FileId, Span, suggest};
use crate::syntax::ast::Item;
use crate::text::Unit;

struct Entry {
    name: String,
    name_span: Span,
    file: FileId,
    rule: Option<Rule>,
}

/// Builds one set per root (roots that did not parse get none).
pub fn build(world: &mut World<'_>, roots: &[FileId]) -> Vec<RuleSet> {
    let mut sets = Vec::new();
    for root in roots {
        let Some(info) = world.files.get(root) else {
            continue;
        };
        let Some(ast) = info.ast.as_ref() else {
            continue;
        };
        // A lexicon file (words only) is imported, not run: no set of its
        // own, but its words are checked.
        if !ast.items.is_empty() && ast.items.iter().all(|i| matches!(i, Item::Words(_))) {
            let mut diags = Vec::new();
            lexicon_words(world, &world.order(*root), &mut diags);
            for d in diags {
                world.push(d);
            }
            continue;
        }
        let province = info.province.clone();
        let name = info.prefix.clone();
        let order = world.order(*root);
        let mut diags = Vec::new();
        let indicators = indicators(world, &order, &mut diags);
        let rules = rules(world, &order, &mut diags);
        let subjects = world.subjects(*root);
        let (words, own_lexicon) = lexicon_words(world, &order, &mut diags);
        let reports = super::reports::reports(world, &order, &indicators, &mut diags);
        // A file that declares nothing at all (only comments and blanks),
        // not imported by another file checked here: given to `run`, it
        // would find nothing without a word. (A file with declarations but
        // no rules is taken for a library or a fragment of a larger set.)
        let imported = world
            .files
            .iter()
            .any(|(id, f)| id != root && f.imports.contains(root));
        if rules.is_empty() && !imported && ast.items.is_empty() {
            let text = &world.sources.get(*root).text;
            let first_line = text.find('\n').unwrap_or(text.len());
            diags.push(
                Diagnostic::new(Code::NoRules, "this rule file holds no rules: running it finds nothing")
                    .with_label(*root, Span::new(0, first_line), "no `rule` in this file or the files it imports")
                    .with_help("add a rule (`rule NAME -> INDICATOR { match … }`), or import a file that has some: `import \"common.zb\"`"),
            );
        }
        for d in diags {
            world.push(d);
        }
        sets.push(RuleSet {
            province,
            name,
            root: *root,
            indicators,
            subjects,
            rules,
            words,
            own_lexicon,
            reports,
        });
    }
    sets
}

/// True when `name` is a lexicon file's (`lexicon.zb`, in any folder).
fn is_lexicon_file(name: &str) -> bool {
    name == "lexicon.zb" || name.ends_with("/lexicon.zb")
}

/// The set's lexicon words in import order, and whether it imports a
/// lexicon file of its own; unknown roles, shipped-only roles changed
/// outside a lexicon file and removals of nothing are reported.
fn lexicon_words(
    world: &World<'_>,
    order: &[FileId],
    out: &mut Vec<Diagnostic>,
) -> (Vec<crate::lexicon::Entry>, bool) {
    use crate::lexicon::{Lexicon, Role};
    let mut entries = Vec::new();
    let mut own = false;
    for f in order {
        let Some(ast) = world.files.get(f).and_then(|i| i.ast.as_ref()) else {
            continue;
        };
        let name = &world.sources.get(*f).name;
        let in_lexicon = is_lexicon_file(name);
        own |= in_lexicon;
        for item in &ast.items {
            let Item::Words(d) = item else { continue };
            let Some(role) = Role::from_name(&d.role.name) else {
                let names = Role::ALL.iter().map(|r| r.name());
                let help = match suggest::closest(&d.role.name, names) {
                    Some(s) => format!("did you mean `{s}`? (docs/language.md lists the roles)"),
                    None => "docs/language.md, \"The lexicon\", lists the roles".to_string(),
                };
                out.push(
                    Diagnostic::new(
                        Code::UnknownRole,
                        format!("`{}` is not a lexicon role", d.role.name),
                    )
                    .with_label(*f, d.role.span, "no such role")
                    .with_help(help),
                );
                continue;
            };
            if role.shipped_only() && !in_lexicon {
                out.push(
                    Diagnostic::new(
                        Code::ShippedRole,
                        format!(
                            "`{}` words are read before a report's province is known: only a lexicon.zb can change them",
                            role.name()
                        ),
                    )
                    .with_label(*f, d.role.span, "read from the shipped lexicon")
                    .with_help("change rules/lexicon.zb (every province reads it), or remove this line"),
                );
                continue;
            }
            let lines = world.sources.line_index(*f);
            let file: std::sync::Arc<str> = std::sync::Arc::from(name.as_str());
            for w in &d.words {
                entries.push(crate::lexicon::Entry {
                    role,
                    word: w.value.clone(),
                    remove: d.remove,
                    origin: crate::lexicon::Origin {
                        file: file.clone(),
                        line: (lines.line_of(w.span.start) + 1) as u32,
                    },
                });
            }
        }
    }
    // A removal of a word the role does not hold (at that point).
    let base = (!own).then(Lexicon::shipped);
    let mut held: std::collections::HashSet<(Role, String)> = base
        .map(|l| {
            Role::ALL
                .iter()
                .flat_map(|r| l.words(*r).map(move |w| (*r, w.to_string())))
                .collect()
        })
        .unwrap_or_default();
    for f in order {
        let Some(ast) = world.files.get(f).and_then(|i| i.ast.as_ref()) else {
            continue;
        };
        for item in &ast.items {
            let Item::Words(d) = item else { continue };
            let Some(role) = Role::from_name(&d.role.name) else {
                continue;
            };
            for w in &d.words {
                let key = (role, w.value.clone());
                if !d.remove {
                    held.insert(key);
                } else if !held.remove(&key) {
                    out.push(
                        Diagnostic::new(
                            Code::RemovesNothing,
                            format!("`{}` is not a `{}` word here", w.value, role.name()),
                        )
                        .with_label(*f, w.span, "nothing to remove")
                        .with_help(
                            "check the spelling against rules/lexicon.zb, or remove this word",
                        ),
                    );
                }
            }
        }
    }
    (entries, own)
}

fn indicators(
    world: &World<'_>,
    order: &[FileId],
    out: &mut Vec<Diagnostic>,
) -> IndexMap<String, IndicatorDef> {
    let mut map: IndexMap<String, IndicatorDef> = IndexMap::new();
    for f in order {
        let Some(ast) = world.files.get(f).and_then(|i| i.ast.as_ref()) else {
            continue;
        };
        for item in &ast.items {
            let Item::Indicator(d) = item else { continue };
            let Some(unit) = Unit::parse(&d.unit.name) else {
                continue;
            };
            match map.get(&d.id.name) {
                Some(first) if first.file == *f => {} // same file: reported per file
                Some(first) => {
                    if first.unit != unit || first.name != d.name.value {
                        out.push(
                            Diagnostic::new(
                                Code::DuplicateIndicator,
                                format!(
                                    "indicator {} is declared again, differently from its declaration in {}",
                                    d.id.name,
                                    world.sources.get(first.file).name
                                ),
                            )
                            .with_label(*f, d.id.span, "declared again here")
                            .with_label(first.file, first.span, "first declared here")
                            .with_help("declare each indicator once, in a file the others import"),
                        );
                    }
                }
                None => {
                    map.insert(
                        d.id.name.clone(),
                        IndicatorDef {
                            id: d.id.name.clone(),
                            name: d.name.value.clone(),
                            unit,
                            file: *f,
                            span: d.span,
                        },
                    );
                }
            }
        }
    }
    map
}

fn same_rule(a: &Rule, b: &Rule) -> bool {
    let key = |r: &Rule| {
        let mut p = String::new();
        canon(&r.pattern, &mut p);
        let ex: Vec<String> = r.examples.iter().map(example_key).collect();
        (
            r.indicator.clone(),
            p,
            r.vetoes.clone(),
            r.status,
            r.priority,
            r.emit.clone(),
            ex,
        )
    };
    key(a) == key(b) && (a.trap, a.min, a.max) == (b.trap, b.min, b.max)
}

/// The examples of `old` (its own and those extensions added), to be run
/// against the rule that replaces or extends it, written at `by_span` of
/// `by_file`.
fn inherited_examples(old: &Rule, by_file: FileId, by_span: Span) -> Vec<Inherited> {
    old.examples
        .iter()
        .map(|e| (old.file, e))
        .chain(old.added_examples.iter().map(|(f, e)| (*f, e)))
        .filter(|(_, e)| !e.todo)
        .map(|(file, e)| Inherited {
            file,
            example: e.clone(),
            by_file,
            by_span,
        })
        .collect()
}

/// Applies `extend rule NAME -> IND { … }` to the imported rule of that
/// name: its vetoes added, its priority and status replaced when given, its
/// examples added (ZB0214 when there is no such imported rule, or it emits
/// into another indicator).
fn extend(
    r: &RuleEntry,
    kw: Span,
    by_name: &HashMap<String, usize>,
    entries: &mut [Entry],
    out: &mut Vec<Diagnostic>,
) {
    let here = Span::new(kw.start, r.name.span.end);
    let existing = by_name
        .get(&r.name.name)
        .copied()
        .filter(|i| entries[*i].file != r.file);
    let Some(i) = existing else {
        let help = match suggest::closest(&r.name.name, entries.iter().map(|e| e.name.as_str())) {
            Some(s) => format!("did you mean {s}?"),
            None if entries.is_empty() => {
                "nothing is imported to extend; write a `rule` of its own instead".to_string()
            }
            None => "import the file that defines it, or write a `rule` of its own".to_string(),
        };
        out.push(
            Diagnostic::new(
                Code::ExtendOfNothing,
                format!(
                    "`extend rule {}` extends nothing: no imported rule has that name",
                    r.name.name
                ),
            )
            .with_label(r.file, here, "nothing to extend")
            .with_help(help),
        );
        return;
    };
    let (Some(ext), Some(old)) = (&r.extension, &entries[i].rule) else {
        return;
    };
    if ext.indicator != old.indicator {
        out.push(
            Diagnostic::new(
                Code::ExtendOfNothing,
                format!(
                    "`extend rule {}` names indicator {}, but the rule emits into {}",
                    r.name.name, ext.indicator, old.indicator
                ),
            )
            .with_label(r.file, r.indicator.span, "another indicator")
            .with_label(entries[i].file, entries[i].name_span, "the rule it extends")
            .with_help(format!(
                "write `-> {}`; to emit into another indicator, write a rule of its own",
                old.indicator
            )),
        );
        return;
    }
    let mut new = old.clone();
    new.inherited = inherited_examples(old, r.file, here);
    new.vetoes.extend(ext.vetoes.iter().cloned());
    if let Some(s) = ext.status {
        new.status = Some(s);
    }
    if let Some(p) = ext.priority {
        new.priority = p;
    }
    if ext.min.is_some() {
        new.min = ext.min;
    }
    if ext.max.is_some() {
        new.max = ext.max;
    }
    new.added_examples
        .extend(ext.examples.iter().map(|e| (r.file, e.clone())));
    entries[i].rule = Some(new);
}

fn rules(world: &World<'_>, order: &[FileId], out: &mut Vec<Diagnostic>) -> Vec<Rule> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for f in order {
        let Some(info) = world.files.get(f) else {
            continue;
        };
        for r in &info.rules {
            if let Some(kw) = r.extend_span {
                extend(r, kw, &by_name, &mut entries, out);
                continue;
            }
            let existing = by_name.get(&r.name.name).copied();
            if existing.is_none() {
                by_name.insert(r.name.name.clone(), entries.len());
            }
            // Only an imported rule can be overridden: an override of a rule
            // in the same file is a second rule of that name.
            let override_span = r
                .override_span
                .filter(|_| existing.is_none_or(|i| entries[i].file != r.file));
            match (override_span, existing) {
                (Some(ov), Some(i)) => {
                    let mut rule = r.rule.clone();
                    if let (Some(new), Some(old)) = (&mut rule, &entries[i].rule) {
                        if same_rule(new, old) {
                            out.push(
                                Diagnostic::new(
                                    Code::OverrideChangesNothing,
                                    format!(
                                        "this override of {} is the same as the rule it replaces",
                                        r.name.name
                                    ),
                                )
                                .with_label(
                                    r.file,
                                    Span::new(ov.start, r.name.span.end),
                                    "changes nothing",
                                )
                                .with_label(
                                    entries[i].file,
                                    entries[i].name_span,
                                    "the rule it replaces",
                                )
                                .with_help(
                                    "remove the override, or change what it should do differently",
                                ),
                            );
                        }
                        new.overrides = Some(old.qualified_name.clone());
                        new.inherited =
                            inherited_examples(old, r.file, Span::new(ov.start, r.name.span.end));
                    }
                    entries[i] = Entry {
                        name: r.name.name.clone(),
                        name_span: r.name.span,
                        file: r.file,
                        rule,
                    };
                }
                (Some(ov), None) => {
                    let help = match suggest::closest(&r.name.name, entries.iter().map(|e| e.name.as_str())) {
                        Some(s) => format!("did you mean {s}?"),
                        None if entries.is_empty() => {
                            "nothing is imported to override; remove `override` to add a new rule".to_string()
                        }
                        None => "remove `override` to add a new rule, or import the file that defines it".to_string(),
                    };
                    out.push(
                        Diagnostic::new(
                            Code::OverrideOfNothing,
                            format!("`override rule {}` replaces nothing: no imported rule has that name", r.name.name),
                        )
                        .with_label(r.file, Span::new(ov.start, r.name.span.end), "nothing to override")
                        .with_help(help),
                    );
                    entries.push(Entry {
                        name: r.name.name.clone(),
                        name_span: r.name.span,
                        file: r.file,
                        rule: r.rule.clone(),
                    });
                }
                (None, Some(i)) => {
                    let first = &entries[i];
                    let help = if first.file == r.file {
                        "rename one of them".to_string()
                    } else {
                        format!(
                            "write `override rule {}` to replace the imported rule, or rename this one",
                            r.name.name
                        )
                    };
                    out.push(
                        Diagnostic::new(
                            Code::DuplicateRule,
                            format!("there is already a rule named {}", r.name.name),
                        )
                        .with_label(r.file, r.name.span, "defined again here")
                        .with_label(first.file, first.name_span, "first defined here")
                        .with_help(help),
                    );
                }
                (None, None) => entries.push(Entry {
                    name: r.name.name.clone(),
                    name_span: r.name.span,
                    file: r.file,
                    rule: r.rule.clone(),
                }),
            }
        }
    }
    // Shadowing: same indicator, same pattern.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(rule) = &e.rule else { continue };
        let mut p = String::new();
        canon(&rule.pattern, &mut p);
        match seen.get(&(rule.indicator.clone(), p.clone())) {
            Some(j) => {
                let first = &entries[*j];
                out.push(
                    Diagnostic::new(
                        Code::ShadowedRule,
                        format!(
                            "rule {} has the same pattern and indicator as rule {}, so one of them never adds a fact",
                            e.name, first.name
                        ),
                    )
                    .with_label(e.file, e.name_span, "same pattern as another rule")
                    .with_label(first.file, first.name_span, "the other rule")
                    .with_help("remove one of them and move its examples to the other"),
                );
            }
            None => {
                seen.insert((rule.indicator.clone(), p), i);
            }
        }
    }
    entries.into_iter().filter_map(|e| e.rule).collect()
}
