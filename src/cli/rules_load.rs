//! Loading rules for the subcommands that run them: [`crate::workspace`]
//! loads, this prints what went wrong.

use std::path::PathBuf;

use crate::diag::render::{RenderOptions, render_human};
use crate::diag::{Diagnostic, Sources};
pub use crate::workspace::LoadedRules;

/// Prints diagnostics to stderr (colour as `--color` and `NO_COLOR` say).
pub fn print_diagnostics(diags: &[Diagnostic], sources: &Sources) {
    let options = RenderOptions {
        color: super::ui::color_stderr(),
        width: 100,
    };
    for d in diags {
        say_raw!("{}", render_human(d, sources, options));
    }
}

/// The rules had errors (already printed) or there were none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RulesUnusable {
    /// How many errors (0: no rule file was found).
    pub errors: usize,
}

/// Loads rules ([`crate::workspace::load_rules`]); prints every error and
/// `Err` when there is any, or when no rule file was found.
pub fn load(paths: &[PathBuf]) -> Result<LoadedRules, RulesUnusable> {
    load_with(paths, true)
}

/// [`load`] for the subcommands that run rules: unless `only`
/// (`--rules-only`), province files are added to the shipped rules; and
/// `kind` (`--kind`) is what every report is.
pub fn load_for(
    paths: &[PathBuf],
    only: bool,
    kind: Option<crate::syntax::ast::ReportKind>,
) -> Result<LoadedRules, RulesUnusable> {
    let mut rules = load_with(paths, only)?;
    rules.kind = kind;
    Ok(rules)
}

fn load_with(paths: &[PathBuf], only: bool) -> Result<LoadedRules, RulesUnusable> {
    let loaded = crate::workspace::rules::load_rules_with(paths, only);
    if let Ok(rules) = &loaded {
        print_diagnostics(&rules.notices, &rules.sources);
    }
    loaded.map_err(|e| {
        print_diagnostics(&e.diagnostics, &e.sources);
        if e.errors > 0 {
            say!(
                "zhibiao: the rules have {}; run `zhibiao lint` for details",
                super::ui::counted(e.errors, "error")
            );
        }
        RulesUnusable { errors: e.errors }
    })
}

/// The rules `rules show` and `rules indicators` list, loaded as `run`
/// loads them (a province file adds to the shipped rules unless `only`,
/// `--rules-only`), and the one set `--province` names (`common`
/// included; `auto` or none: every set, `None`). Diagnostics are printed;
/// `None` when the command should exit 1.
pub fn load_for_listing(
    paths: &[PathBuf],
    only: bool,
    province: Option<&str>,
) -> Option<(LoadedRules, Option<usize>)> {
    let rules = load_for(paths, only, None).ok()?;
    match crate::workspace::parse_province(&rules, province) {
        Ok(choice) => {
            let wanted = choice.fixed_set();
            Some((rules, wanted))
        }
        Err(d) => {
            print_diagnostics(&[d], &crate::diag::Sources::new());
            None
        }
    }
}
