//! The lint pipeline: parse and check rule files, apply the shipping
//! standard, compile, and look for ties, gathering every diagnostic.

use std::path::PathBuf;

use crate::check::{self, Checked, builtin_sources, load_paths};
use crate::compile::{Program, compile};
use crate::diag::{Diagnostic, FileId, Sources};
use crate::explain::ties::{find_always_losing, find_ties};

/// Every problem found in some rule files, with the sources they point into.
#[derive(Debug)]
pub struct Linted {
    /// The rule files read (with their imports).
    pub sources: Sources,
    /// Every diagnostic, errors and warnings, in the order found; a problem
    /// of a rule shared by several sets appears once.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints the rule files and folders `paths` (the shipped rules when
/// empty). `strict`: the shipping standard (every rule has a positive and
/// a `none` example), always applied to the shipped rules.
pub fn lint(paths: &[PathBuf], strict: bool) -> Linted {
    let mut sources = Sources::new();
    let (files, mut diagnostics) = if paths.is_empty() {
        (builtin_sources(&mut sources), Vec::new())
    } else {
        load_paths(paths, &mut sources)
    };
    let found = lint_sources(&sources, &files, strict || paths.is_empty());
    diagnostics.extend(found.diagnostics);
    Linted {
        sources,
        diagnostics,
    }
}

/// What linting rule files already in a [`Sources`] table found.
#[derive(Debug, Clone)]
pub struct SourcesLinted {
    /// The checked rule sets.
    pub checked: Checked,
    /// The compiled programs, one per set, when every set checked cleanly.
    pub programs: Vec<Program>,
    /// Every diagnostic, each once: check's, the shipping standard's,
    /// compile's and the ties.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lints the root rule files `files`, already in `sources` with what they
/// import (the language server puts the editor's unsaved text there).
/// Compiling reports what `run` would refuse; ties left to definition
/// order (ZB0309) are looked for only when everything compiles cleanly,
/// since they are found by running the rules' own examples.
pub fn lint_sources(sources: &Sources, files: &[FileId], strict: bool) -> SourcesLinted {
    let checked = check::check(sources, files);
    let clean = !checked.has_errors();
    let mut diagnostics = checked.diagnostics.clone();
    if strict {
        check::require_examples(&checked.sets, sources, &mut diagnostics);
    }
    let mut programs = Vec::new();
    if clean {
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
        if compiled_clean {
            diagnostics.extend(find_ties(&checked.sets, &programs));
            diagnostics.extend(find_always_losing(&checked.sets, &programs));
        }
    }
    SourcesLinted {
        checked,
        programs,
        diagnostics,
    }
}
