//! The whole lint pipeline over rule files already in a [`Sources`] table:
//! check (names, imports, overrides, every pattern lint), the shipping
//! standard under `strict`, then — when the rules check cleanly — compile
//! (what `run` would refuse) and the ties between rules found by running
//! the rules' own examples.
//!
//! `zhibiao lint` prints what this returns; the language server
//! (`crate::lsp`) calls it on every change with the unsaved text of open
//! files. It does no I/O: loading the files is the caller's.

use crate::check::{self, Checked};
use crate::compile::{Program, compile};
use crate::diag::{Diagnostic, FileId, Sources};
use crate::explain::ties::find_ties;

/// What linting found.
#[derive(Debug, Clone)]
pub struct Linted {
    /// The checked rule sets (empty of sets that did not parse).
    pub checked: Checked,
    /// The compiled programs, one per set, when every set checked cleanly.
    pub programs: Vec<Program>,
    /// Every diagnostic, each once: check's, then compile's and the ties.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints the rule files `files` (roots; their imports must be in
/// `sources` too). `strict`: a rule without both a positive and a `none`
/// example is an error (always so for the shipped rules).
pub fn lint(sources: &Sources, files: &[FileId], strict: bool) -> Linted {
    let checked = check::check(sources, files);
    let clean = !checked.has_errors();
    let mut diagnostics = checked.diagnostics.clone();
    if strict {
        check::require_examples(&checked.sets, sources, &mut diagnostics);
    }
    let mut programs = Vec::new();
    if clean {
        // Compiling reports what `run` would refuse (too many anchor words,
        // a pattern with nothing to anchor on): lint says it first. A rule
        // shared by several sets is reported once.
        let mut compiled_clean = true;
        for set in &checked.sets {
            let (program, found) = compile(set);
            for d in found {
                compiled_clean &= !d.is_error();
                if !diagnostics.contains(&d) {
                    diagnostics.push(d);
                }
            }
            programs.push(program);
        }
        // Ties are found by running the engine on the rules' own examples,
        // so only rule sets that compile cleanly are looked at.
        if compiled_clean {
            diagnostics.extend(find_ties(&checked.sets, &programs));
        }
    }
    Linted {
        checked,
        programs,
        diagnostics,
    }
}
