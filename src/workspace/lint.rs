//! The lint pipeline: parse and check rule files, apply the shipping
//! standard, compile, and look for ties, gathering every diagnostic.

use std::path::PathBuf;

use crate::check::{self, builtin_sources, load_paths};
use crate::compile::compile;
use crate::diag::{Diagnostic, Sources};
use crate::explain::ties::find_ties;

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
/// a `none` example), always applied to the shipped rules. Compiling
/// reports what `run` would refuse; ties left to definition order (ZB0309)
/// are looked for only when everything compiles cleanly, since they are
/// found by running the rules' own examples.
pub fn lint(paths: &[PathBuf], strict: bool) -> Linted {
    let mut sources = Sources::new();
    let (files, mut diagnostics) = if paths.is_empty() {
        (builtin_sources(&mut sources), Vec::new())
    } else {
        load_paths(paths, &mut sources)
    };
    let checked = check::check(&sources, &files);
    let clean = !checked.has_errors();
    diagnostics.extend(checked.diagnostics);
    if strict || paths.is_empty() {
        check::require_examples(&checked.sets, &sources, &mut diagnostics);
    }
    if clean {
        let mut programs = Vec::new();
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
        }
    }
    Linted {
        sources,
        diagnostics,
    }
}
