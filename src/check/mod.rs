//! Checking rule files: names, imports, overrides, lints → effective
//! [`RuleSet`]s plus every diagnostic found.
//!
//! Stages, each collecting all its problems before the next runs:
//! 1. **load** ([`load_paths`], [`builtin::builtin_sources`]): rule files into
//!    a [`Sources`] table (following imports on disk);
//! 2. **parse** every file reachable from the roots, once ([`crate::syntax`]);
//! 3. **files** (`resolve`): per file, once — imports resolved, cycles,
//!    duplicate names, pattern lints, and each rule resolved (named patterns
//!    expanded, vetoes flattened, captures and examples checked) in the scope
//!    of its own file and what it imports;
//! 4. **sets** (`sets`): per root file, the effective rule list — imported
//!    rules first, overrides applied in place, duplicates and shadowing.
//!
//! A file imported by several roots is checked once, and set-level findings
//! are deduplicated, so each problem is reported once.

pub mod builtin;
mod lints;
mod load;
pub mod model;
pub mod paths;
mod resolve;
mod sets;

use crate::diag::{Diagnostic, FileId, Sources};

pub use builtin::builtin_sources;
pub use load::load_paths;
pub use model::{IndicatorDef, ProvinceInfo, ResolvedVeto, Rule, RuleSet};

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
    let mut world = resolve::World::build(sources, &roots);
    let sets = sets::build(&mut world, &roots);
    let mut diagnostics = world.take_diagnostics();
    diagnostics.sort_by_key(|d| {
        d.labels
            .first()
            .map(|l| (0, l.file, l.span.start, l.span.end))
            .unwrap_or((1, FileId(0), 0, 0))
    });
    Checked { sets, diagnostics }
}

#[cfg(test)]
mod tests;
