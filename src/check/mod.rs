//! Checking rule files: names, imports, overrides, lints → effective
//! [`RuleSet`]s plus every diagnostic found.
//!
//! Stages, each collecting all its problems before the next runs:
//! 1. **load** ([`load_paths`], [`builtin::builtin_sources`]): rule files into
//!    a [`Sources`] table (following imports on disk);
//! 2. **parse** every file reachable from the roots, once ([`crate::syntax`]);
//! 3. **files** (`world`): per file, once — imports resolved, cycles,
//!    duplicate names; then each rule resolved (`rule`: named patterns
//!    expanded by `expand`, vetoes flattened, captures and examples checked,
//!    pattern lints) in the scope of its own file and what it imports;
//!    `canon` gives patterns and examples span-free keys;
//! 4. **sets** (`sets`): per root file, the effective rule list — imported
//!    rules first, overrides applied in place, duplicates and shadowing.
//!
//! A file imported by several roots is checked once, and set-level findings
//! are deduplicated, so each problem is reported once.

pub mod builtin;
mod canon;
mod coverage;
mod expand;
mod lints;
mod load;
pub mod model;
pub mod paths;
mod reports;
mod rule;
mod sets;
mod world;

use std::collections::HashMap;

use crate::diag::{Code, Diagnostic, FileId, Sources};

pub use builtin::builtin_sources;
pub use coverage::require_examples;
pub use lints::units_and_kinds;
pub use load::load_paths;
pub use model::{
    Extension, IndicatorDef, Inherited, ProvinceInfo, Report, ResolvedVeto, Rule, RuleSet,
};

/// The result of checking: the effective rule sets and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    /// One set per root file that parsed.
    pub sets: Vec<RuleSet>,
    /// Every problem, each once, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// True when some diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses and checks every file in `files` (all in `sources`).
///
/// Imports resolve among `sources` by path relative to the importer's name.
/// One [`RuleSet`] per root file: its province's (when it declares one) or
/// its "common" set, with everything it imports transitively (imported rules
/// first, overrides in place of the rules they replace).
pub fn check(sources: &Sources, files: &[FileId]) -> Checked {
    let mut roots: Vec<FileId> = Vec::new();
    for f in files {
        if !roots.contains(f) {
            roots.push(*f);
        }
    }
    let mut world = world::World::build(sources, &roots);
    let sets = sets::build(&mut world, &roots);
    world.unused_lets();
    world.unused_indicators();
    world.foreign_regions();
    let mut diagnostics = world.take_diagnostics();
    diagnostics = without_import_cascade(&world, diagnostics);
    diagnostics.sort_by_key(|d| {
        d.labels
            .first()
            .map(|l| (0, l.file, l.span.start, l.span.end))
            .unwrap_or((1, FileId(0), 0, 0))
    });
    Checked { sets, diagnostics }
}

/// Codes that a missing import explains: names the lost file would have
/// defined, rules it would have held.
const CASCADE: [Code; 4] = [
    Code::UnknownPattern,
    Code::UnknownIndicator,
    Code::OverrideOfNothing,
    Code::ExtendOfNothing,
];

/// One missing import, one error: in a file whose imports (its own, or
/// those of a file it imports) could not all be found, unknown names and
/// overrides of nothing are what the missing file would have provided, so
/// they are left out and counted in a note on the import error instead of
/// burying it under a page of follow-on errors.
fn without_import_cascade(world: &world::World<'_>, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // The import errors, by the file they are in.
    let mut missing: HashMap<FileId, usize> = HashMap::new();
    for (i, d) in diags.iter().enumerate() {
        if d.code == Code::UnknownImport
            && let Some(l) = d.labels.first()
        {
            missing.entry(l.file).or_insert(i);
        }
    }
    if missing.is_empty() {
        return diags;
    }
    // For each file, the import error that leaves it incomplete: its own,
    // else the first one among the files it imports.
    let cause = |file: FileId| -> Option<usize> {
        missing.get(&file).copied().or_else(|| {
            world
                .order(file)
                .into_iter()
                .find_map(|f| missing.get(&f).copied())
        })
    };
    let mut hidden: HashMap<usize, (usize, Vec<FileId>)> = HashMap::new();
    let mut kept = Vec::with_capacity(diags.len());
    let mut explained = vec![false; diags.len()];
    for (i, d) in diags.iter().enumerate() {
        let file = d.labels.first().map(|l| l.file);
        if CASCADE.contains(&d.code)
            && let Some(file) = file
            && let Some(c) = cause(file)
        {
            explained[i] = true;
            let entry = hidden.entry(c).or_default();
            entry.0 += 1;
            if !entry.1.contains(&file) {
                entry.1.push(file);
            }
        }
    }
    for (i, mut d) in diags.into_iter().enumerate() {
        if explained[i] {
            continue;
        }
        if let Some((n, files)) = hidden.get(&i) {
            let names: Vec<&str> = files
                .iter()
                .map(|f| world.sources.get(*f).name.as_str())
                .collect();
            d = d.with_note(format!(
                "{} in {} (unknown names, overrides of nothing) may follow from this \
                 missing file; {} shown until the import is found",
                if *n == 1 {
                    "1 more error".to_string()
                } else {
                    format!("{n} more errors")
                },
                names.join(", "),
                if *n == 1 { "it is not" } else { "they are not" }
            ));
        }
        kept.push(d);
    }
    kept
}

#[cfg(test)]
mod tests;
