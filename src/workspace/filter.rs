//! The rules a command is asked about (`--rule`, `--indicator`), checked
//! against the rules loaded: an unknown name is a diagnostic with "did you
//! mean" and the valid names.

use super::rules::LoadedRules;
use crate::compile::CompiledRule;
use crate::diag::{Code, Diagnostic, suggest};
use crate::eval::{Filter, Report};

/// Which rules `--rule` and `--indicator` keep.
pub struct RuleFilter {
    /// Rule names (as written or qualified); empty: all.
    pub rules: Vec<String>,
    /// Indicator ids; empty: all.
    pub indicators: Vec<String>,
}

impl RuleFilter {
    /// Whether `r` is kept.
    pub fn keeps(&self, r: &CompiledRule) -> bool {
        (self.rules.is_empty()
            || self
                .rules
                .iter()
                .any(|n| *n == r.name || *n == r.qualified_name))
            && (self.indicators.is_empty() || self.indicators.contains(&r.indicator))
    }
}

/// Checks `--rule` and `--indicator` against the rule set `set`: an unknown
/// name gets "did you mean" and the list of valid ones.
pub fn rule_filter(
    rules: &LoadedRules,
    set: usize,
    rule_names: &[String],
    indicators: &[String],
) -> Result<RuleFilter, Diagnostic> {
    let program = &rules.programs[set];
    for name in rule_names {
        let known = program
            .rules
            .iter()
            .any(|r| r.name == *name || r.qualified_name == *name);
        if !known {
            let all: Vec<&str> = program
                .rules
                .iter()
                .map(|r| r.qualified_name.as_str())
                .collect();
            let short: Vec<&str> = program.rules.iter().map(|r| r.name.as_str()).collect();
            return Err(unknown(
                "rule",
                name,
                short.iter().chain(all.iter()).copied(),
                &all,
                &program.set_name,
            ));
        }
    }
    let mut with_rules: Vec<&str> = program.rules.iter().map(|r| r.indicator.as_str()).collect();
    with_rules.sort_unstable();
    with_rules.dedup();
    for ind in indicators {
        if !with_rules.contains(&ind.as_str()) {
            let declared = rules.sets[set].indicators.contains_key(ind);
            if declared {
                return Err(Diagnostic::new(
                    Code::UnknownFilter,
                    format!(
                        "no rule of rule set {} is for indicator {ind}",
                        program.set_name
                    ),
                )
                .with_help(format!(
                    "write a rule for it (docs/authoring.md); indicators with rules: {}",
                    with_rules.join(", ")
                )));
            }
            return Err(unknown(
                "indicator",
                ind,
                with_rules.iter().copied(),
                &with_rules,
                &program.set_name,
            ));
        }
    }
    Ok(RuleFilter {
        rules: rule_names.to_vec(),
        indicators: indicators.to_vec(),
    })
}

/// "no rule X in rule set Y" with "did you mean" and the valid names.
fn unknown<'a>(
    what: &str,
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    valid: &[&str],
    set: &str,
) -> Diagnostic {
    let list = suggest::listing(valid, 40);
    let help = match suggest::closest(name, candidates) {
        Some(s) => format!("did you mean {s}? Valid {what}s: {list}"),
        None => format!("valid {what}s: {list}"),
    };
    Diagnostic::new(
        Code::UnknownFilter,
        format!("no {what} {name} in rule set {set}"),
    )
    .with_help(help)
}

/// `eval`'s `--indicator` and `--rule`, checked against the rule sets that
/// ran on `reports`: an unknown name gets "did you mean" and the valid ones.
pub fn eval_filter(
    rules: &LoadedRules,
    reports: &[Report],
    indicators: &[String],
    rule_names: &[String],
) -> Result<Filter, Diagnostic> {
    let mut sets: Vec<usize> = reports.iter().map(|r| r.set).collect();
    sets.sort_unstable();
    sets.dedup();
    let all_rules: Vec<&CompiledRule> = sets
        .iter()
        .flat_map(|s| &rules.programs[*s].rules)
        .collect();
    let mut known_ind: Vec<&str> = sets
        .iter()
        .flat_map(|s| rules.sets[*s].indicators.keys().map(String::as_str))
        .collect();
    known_ind.sort_unstable();
    known_ind.dedup();
    for ind in indicators {
        if !known_ind.contains(&ind.as_str()) {
            let help = match suggest::closest(ind, known_ind.iter().copied()) {
                Some(s) => format!(
                    "did you mean {s}? Valid indicators: {}",
                    suggest::listing(&known_ind, 40)
                ),
                None => format!("valid indicators: {}", suggest::listing(&known_ind, 40)),
            };
            return Err(Diagnostic::new(
                Code::UnknownFilter,
                format!("no indicator {ind} in the rules"),
            )
            .with_help(help));
        }
    }
    let mut qualified = Vec::new();
    let mut rule_indicators = Vec::new();
    for name in rule_names {
        let found: Vec<&&CompiledRule> = all_rules
            .iter()
            .filter(|r| r.name == *name || r.qualified_name == *name)
            .collect();
        if found.is_empty() {
            let mut names: Vec<&str> = all_rules
                .iter()
                .map(|r| r.qualified_name.as_str())
                .collect();
            names.sort_unstable();
            names.dedup();
            let candidates = all_rules
                .iter()
                .map(|r| r.name.as_str())
                .chain(names.iter().copied());
            let help = match suggest::closest(name, candidates) {
                Some(s) => format!(
                    "did you mean {s}? Valid rules: {}",
                    suggest::listing(&names, 40)
                ),
                None => format!("valid rules: {}", suggest::listing(&names, 40)),
            };
            return Err(Diagnostic::new(
                Code::UnknownFilter,
                format!("no rule {name} in the rules that ran"),
            )
            .with_help(help));
        }
        for r in found {
            qualified.push(r.qualified_name.clone());
            rule_indicators.push(r.indicator.clone());
        }
    }
    Ok(Filter {
        indicators: indicators.to_vec(),
        rules: qualified,
        rule_indicators,
    })
}
