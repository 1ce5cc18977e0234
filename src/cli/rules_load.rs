//! Loading, checking and compiling rules for the subcommands that run them.

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::check::{self, RuleSet};
use crate::compile::{Program, compile};
use crate::diag::render::{RenderOptions, render_human};
use crate::diag::{Diagnostic, Sources};

/// Rules ready to run: every effective rule set, compiled.
pub struct LoadedRules {
    /// Rule-file sources (for diagnostics on rule files).
    pub sources: Sources,
    /// Effective rule sets, in file order.
    pub sets: Vec<RuleSet>,
    /// The compiled programs, one per set, same order.
    pub programs: Vec<Program>,
}

impl LoadedRules {
    /// The set to use when no province is known: the one rooted at a file
    /// named `common.zb`, else the first set without a province, else the first.
    pub fn fallback(&self) -> Option<usize> {
        let no_province = |s: &&RuleSet| s.province.is_none();
        self.sets
            .iter()
            .position(|s| {
                s.province.is_none() && self.sources.get(s.root).name.ends_with("common.zb")
            })
            .or_else(|| self.sets.iter().position(|s| no_province(&s)))
            .or(if self.sets.is_empty() { None } else { Some(0) })
    }

    /// The set of a province, by short name (江苏).
    pub fn province(&self, name: &str) -> Option<usize> {
        self.sets
            .iter()
            .position(|s| s.province.as_ref().is_some_and(|p| p.name == name))
    }

    /// Province names that have rules.
    pub fn province_names(&self) -> Vec<&str> {
        self.sets
            .iter()
            .filter_map(|s| s.province.as_ref().map(|p| p.name.as_str()))
            .collect()
    }
}

/// Prints diagnostics to stderr (colour only on a terminal).
pub fn print_diagnostics(diags: &[Diagnostic], sources: &Sources) {
    let options = RenderOptions {
        color: std::io::stderr().is_terminal(),
        width: 100,
    };
    for d in diags {
        eprint!("{}", render_human(d, sources, options));
    }
}

/// The rules had errors (already printed) or there were none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesUnusable;

/// Loads rules from `paths` (or the shipped rules when empty), checks and
/// compiles them. Prints every diagnostic; `Err` when any is an error.
pub fn load(paths: &[PathBuf]) -> Result<LoadedRules, RulesUnusable> {
    let mut sources = Sources::new();
    let (files, mut diags) = if paths.is_empty() {
        (check::builtin_sources(&mut sources), Vec::new())
    } else {
        check::load_paths(paths, &mut sources)
    };
    let checked = check::check(&sources, &files);
    diags.extend(checked.diagnostics);
    let mut programs = Vec::new();
    for set in &checked.sets {
        let (program, d) = compile(set);
        diags.extend(d);
        programs.push(program);
    }
    let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() {
        print_diagnostics(&errors, &sources);
        eprintln!(
            "zhibiao: the rules have {} error(s); run `zhibiao lint` for details",
            errors.len()
        );
        return Err(RulesUnusable);
    }
    if checked.sets.is_empty() {
        eprintln!("zhibiao: no rule files found");
        return Err(RulesUnusable);
    }
    Ok(LoadedRules {
        sources,
        sets: checked.sets,
        programs,
    })
}
