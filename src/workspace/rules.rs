//! Loading, checking and compiling rules for everything that runs them.
//!
//! Loading a province file (`--rules rules/zhejiang.zb`) must not make every
//! report that province's: the common files it imports are loaded as rule
//! sets of their own, so that a report detected as another province (or as
//! none) runs the common rules instead ([`LoadedRules::fallback`]).

use std::path::PathBuf;

use crate::check::{self, RuleSet};
use crate::compile::{Program, compile};
use crate::diag::{Code, Diagnostic, Sources};

/// Rules ready to run: every effective rule set, compiled.
pub struct LoadedRules {
    /// Rule-file sources (for diagnostics on rule files).
    pub sources: Sources,
    /// Effective rule sets, in file order.
    pub sets: Vec<RuleSet>,
    /// The compiled programs, one per set, same order.
    pub programs: Vec<Program>,
    /// The rule files named on the command line (or found in the folders
    /// named; every shipped file when none was), without their imports.
    pub roots: Vec<crate::diag::FileId>,
    /// `--kind summary|plan`: what every report is, whatever its title or
    /// its province file says (`None`: `auto`).
    pub kind: Option<crate::syntax::ast::ReportKind>,
    /// The names province files list under `regions`, for
    /// [`LoadedRules::province_by_regions`].
    regions: RegionNames,
    /// Warnings every command that runs the rules prints (lint prints them
    /// all): a rule file that holds no rules (ZB0325) would otherwise run
    /// nothing without a word.
    pub notices: Vec<Diagnostic>,
}

/// Every province set's `regions` names and its `省` name, in one automaton.
struct RegionNames {
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each automaton pattern: its set, and whether it is the `省` name.
    owners: Vec<(usize, bool)>,
}

impl RegionNames {
    fn new(sets: &[RuleSet]) -> Self {
        let mut words = Vec::new();
        let mut owners = Vec::new();
        for (i, set) in sets.iter().enumerate() {
            let Some(p) = &set.province else { continue };
            // An empty name names nothing.
            for r in p.regions.iter().filter(|r| !r.is_empty()) {
                words.push(r.clone());
                owners.push((i, false));
            }
            words.push(format!("{}省", p.name));
            owners.push((i, true));
        }
        RegionNames {
            // Fails only past the automaton's size limits, which a few
            // hundred names do not reach; then no set is chosen by region.
            automaton: aho_corasick::AhoCorasick::new(&words).ok(),
            owners,
        }
    }
}

impl LoadedRules {
    /// The set for a report whose province has no rules (or is unknown):
    /// the one rooted at a file named `common.zb`, else the first set without
    /// a province. `None` when every set is a province's (a province file
    /// that imports no common file): such a report then runs no rules,
    /// rather than another province's.
    pub fn fallback(&self) -> Option<usize> {
        self.sets
            .iter()
            .position(|s| {
                s.province.is_none() && self.sources.get(s.root).name.ends_with("common.zb")
            })
            .or_else(|| self.sets.iter().position(|s| s.province.is_none()))
    }

    /// The set of a province, by short name (江苏).
    pub fn province(&self, name: &str) -> Option<usize> {
        self.sets
            .iter()
            .position(|s| s.province.as_ref().is_some_and(|p| p.name == name))
    }

    /// The province set whose `regions` the report's head (and issuer) name
    /// most often, for when the gazetteer could not decide: each region name
    /// counts once in the head and three times in the issuer, the set's
    /// `江苏省` three times in the head. Ties go to the earlier set; `None`
    /// when no name occurs.
    pub fn province_by_regions(&self, head: &str, issuer: &str) -> Option<usize> {
        let names = &self.regions;
        let automaton = names.automaton.as_ref()?;
        let mut hits = vec![0usize; self.sets.len()];
        // Occurrences of one name do not overlap (as `str::matches` counts):
        // a name's next occurrence counts only from the end of the last.
        let mut count = |text: &str, region_weight: usize, province_weight: usize| {
            let mut last_end = vec![0usize; names.owners.len()];
            for m in automaton.find_overlapping_iter(text) {
                let k = m.pattern().as_usize();
                if m.start() < last_end[k] {
                    continue;
                }
                last_end[k] = m.end();
                let (set, is_province) = names.owners[k];
                hits[set] += if is_province {
                    province_weight
                } else {
                    region_weight
                };
            }
        };
        count(head, 1, 3);
        count(issuer, 3, 0);
        hits.iter()
            .enumerate()
            .filter(|(_, h)| **h > 0)
            .max_by_key(|(i, h)| (**h, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
    }

    /// Applies what the analyst declared about the report's kind: `--kind`
    /// first, else the `kind` of the province file whose set runs on it
    /// (`set`). Either replaces the kind the title gave, and the report
    /// then says who decided ([`crate::text::ReportMeta::kind_declared_by`]).
    pub fn declare_kind(&self, set: Option<usize>, doc: &mut crate::text::Document) {
        use crate::syntax::ast::ReportKind;
        let declared = match self.kind {
            Some(k) => Some((k, format!("--kind {}", kind_word(k)))),
            None => set
                .and_then(|i| self.sets[i].province.as_ref())
                .and_then(|p| {
                    let k = p.kind?;
                    Some((
                        k,
                        format!("the {} rules say `kind {}`", p.name, kind_word(k)),
                    ))
                }),
        };
        if let Some((k, by)) = declared {
            doc.meta.kind = Some(match k {
                ReportKind::Summary => crate::text::SectionKind::Summary,
                ReportKind::Plan => crate::text::SectionKind::Plan,
            });
            doc.meta.kind_declared_by = Some(by);
        }
    }

    /// Whether the file a set is rooted at is the copy built into the
    /// binary (named `rules/…` but no path on an installed machine).
    pub fn is_shipped(&self, set: usize) -> bool {
        let root = self.sources.get(self.sets[set].root);
        crate::check::builtin::BUILTIN_RULES
            .iter()
            .any(|(n, t)| *n == root.name && *t == root.text)
    }

    /// Province names that have rules.
    pub fn province_names(&self) -> Vec<&str> {
        self.sets
            .iter()
            .filter_map(|s| s.province.as_ref().map(|p| p.name.as_str()))
            .collect()
    }
}

/// Why rules could not be used: every error found (or, when no rule file
/// was found, one diagnostic saying so), with the sources they point into.
#[derive(Debug)]
pub struct RulesError {
    /// The rule files read (the diagnostics' labels point into them).
    pub sources: Sources,
    /// The errors, in the order found.
    pub diagnostics: Vec<Diagnostic>,
    /// How many of `diagnostics` are errors in the rules (0: no rule file
    /// was found, and `diagnostics` says so).
    pub errors: usize,
}

/// Loads rules from `paths` (rule files or folders; the shipped rules,
/// embedded in the binary, when empty), checks and compiles them. A
/// province file's common imports become rule sets of their own (see
/// [`LoadedRules::fallback`]). `Err` holds every error when any is one,
/// or says that no rule file was found. Warnings are not kept — `lint`
/// ([`super::lint`]) reports them — except a rule file that declares
/// nothing (ZB0325, in [`LoadedRules::notices`]).
pub fn load_rules(paths: &[PathBuf]) -> Result<LoadedRules, RulesError> {
    load_rules_with(paths, true)
}

/// [`load_rules`]; unless `only`, the province files named in `paths` are
/// added to the shipped rules ([`with_shipped`]) instead of replacing them.
pub fn load_rules_with(paths: &[PathBuf], only: bool) -> Result<LoadedRules, RulesError> {
    let mut sources = Sources::new();
    let (mut files, mut diags) = if paths.is_empty() {
        (check::builtin_sources(&mut sources), Vec::new())
    } else {
        check::load_paths(paths, &mut sources)
    };
    if !only && !paths.is_empty() {
        files.extend(with_shipped(&mut sources, &files));
    }
    let roots = files.clone();
    files.extend(common_imports(&sources, &files));
    let checked = check::check(&sources, &files);
    diags.extend(checked.diagnostics);
    let mut programs = Vec::new();
    for set in &checked.sets {
        let (program, d) = compile(set);
        diags.extend(d);
        programs.push(program);
    }
    let notices: Vec<Diagnostic> = diags
        .iter()
        .filter(|d| d.code == Code::NoRules)
        .cloned()
        .collect();
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        return Err(RulesError {
            errors: errors.len(),
            diagnostics: errors,
            sources,
        });
    }
    if checked.sets.is_empty() {
        return Err(RulesError {
            diagnostics: vec![
                Diagnostic::new(Code::BadPath, "no rule files found")
                    .with_help("give rule files (*.zb) or folders that hold them"),
            ],
            errors: 0,
            sources,
        });
    }
    Ok(LoadedRules {
        sources,
        regions: RegionNames::new(&checked.sets),
        kind: None,
        sets: checked.sets,
        programs,
        roots,
        notices,
    })
}

/// The province a rule file declares (`None`: a common file, or one that
/// does not parse).
fn declared_province(sources: &Sources, id: crate::diag::FileId) -> Option<String> {
    use crate::syntax::ast::Item;
    let (ast, _) = crate::syntax::parse(id, &sources.get(id).text);
    ast?.items.into_iter().find_map(|i| match i {
        Item::Province(p) => Some(p.name.name),
        _ => None,
    })
}

/// The shipped province files to run beside `named` (the files given with
/// `--rules`): when every named file is a province file, each shipped
/// province file of another province, so that `--rules zhejiang.zb` adds
/// 浙江 to the shipped rules instead of dropping 江苏 and 安徽. A named
/// file of a shipped province replaces the shipped one. Named files
/// without a `province` (a common file, a folder that holds one) are a
/// whole rule set: nothing is added. The shipped common file comes along
/// as the shipped province files' import.
fn with_shipped(sources: &mut Sources, named: &[crate::diag::FileId]) -> Vec<crate::diag::FileId> {
    let mut provinces = Vec::new();
    for &id in named {
        match declared_province(sources, id) {
            Some(p) => provinces.push(p),
            None => return Vec::new(),
        }
    }
    if provinces.is_empty() {
        return Vec::new();
    }
    check::builtin_sources(sources)
        .into_iter()
        .filter(|id| !named.contains(id))
        .filter(|&id| declared_province(sources, id).is_some_and(|p| !provinces.contains(&p)))
        .collect()
}

/// The rule-language word for a report kind.
pub fn kind_word(k: crate::syntax::ast::ReportKind) -> &'static str {
    match k {
        crate::syntax::ast::ReportKind::Summary => "summary",
        crate::syntax::ast::ReportKind::Plan => "plan",
    }
}

/// The files `roots` import (transitively) that declare no province and
/// are not roots themselves: the common rules a province file builds on.
/// They become rule sets of their own, for the reports of other provinces.
fn common_imports(sources: &Sources, roots: &[crate::diag::FileId]) -> Vec<crate::diag::FileId> {
    use crate::syntax::ast::Item;
    let mut extra = Vec::new();
    for (id, _) in sources.iter() {
        if roots.contains(&id) {
            continue;
        }
        // Files that do not parse are reported by `check`; leave them out.
        let (ast, _) = crate::syntax::parse(id, &sources.get(id).text);
        if ast.is_some_and(|a| !a.items.iter().any(|i| matches!(i, Item::Province(_)))) {
            extra.push(id);
        }
    }
    extra
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> LoadedRules {
        load_rules(&[]).unwrap_or_else(|_| panic!("the shipped rules load"))
    }

    /// The old per-name count: `str::matches` over each name, weighted.
    fn by_regions_naive(rules: &LoadedRules, head: &str, issuer: &str) -> Option<usize> {
        rules
            .sets
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let p = s.province.as_ref()?;
                let hits: usize = p
                    .regions
                    .iter()
                    .map(|r| {
                        head.matches(r.as_str()).count() + 3 * issuer.matches(r.as_str()).count()
                    })
                    .sum::<usize>()
                    + 3 * head.matches(&format!("{}省", p.name)).count();
                (hits > 0).then_some((hits, std::cmp::Reverse(i)))
            })
            .max()
            .map(|(_, std::cmp::Reverse(i))| i)
    }

    #[test]
    fn regions_choose_the_province_named_most() {
        let rules = shipped();
        let jiangsu = rules.province("江苏");
        let anhui = rules.province("安徽");
        assert!(jiangsu.is_some() && anhui.is_some());
        let cases = [
            ("合肥、芜湖两地合作,苏州参加。", "", anhui),
            ("合肥与苏州、无锡。", "", jiangsu),
            ("合肥来访。", "昆山市科技局", jiangsu),
            ("安徽省合作,苏州、无锡、南京。", "", anhui),
            ("与北京合作。", "", None),
            ("苏州苏州苏州合肥", "", jiangsu),
            // Names inside names count as `str::matches` counts them.
            ("张家港市、连云港市与六安市、宿州市、淮北市", "", anhui),
        ];
        for (head, issuer, want) in cases {
            assert_eq!(
                rules.province_by_regions(head, issuer),
                want,
                "{head} / {issuer}"
            );
            assert_eq!(
                rules.province_by_regions(head, issuer),
                by_regions_naive(&rules, head, issuer),
                "{head} / {issuer}"
            );
        }
    }
}
