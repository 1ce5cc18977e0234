//! Scoring rules against annotated reports (`zhibiao eval`), and what a
//! change to a rule would do to every annotated figure.
//!
//! - [`gold`]: the annotation format (docs/gold.md) and loading it;
//! - [`score`]: precision, recall, F1 and the accuracies, with exactly the
//!   semantics of the shared scorer (score.py);
//! - here: running the rules over the annotated reports once (keeping every
//!   rule's candidates), per-indicator and per-rule figures, coverage, and
//!   [`effect`]: a suggested change compiled into the rule set and run again
//!   over every annotated report, compared figure by figure.

pub mod gold;
pub mod score;

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::check::RuleSet;
use crate::compile::{Program, compile};
use crate::engine::{self, Attempt, Candidate, Fact};
use crate::explain::edit::RuleEdit;
use crate::text::Document;
use gold::Gold;
use score::{DocScore, Outcome, Prediction, Ratios, Totals, score_doc};

/// One report, read and run once.
#[derive(Debug)]
pub struct Report {
    /// The path as given.
    pub name: String,
    /// Its stem (ties it to a gold file).
    pub stem: String,
    /// The report.
    pub doc: Document,
    /// The rule set that ran (index into the loaded sets).
    pub set: usize,
    /// Every candidate of every rule, paired as `run` pairs them.
    pub candidates: Vec<Candidate>,
    /// The facts `run` gives.
    pub facts: Vec<Fact>,
}

impl Report {
    /// Runs `program` over `doc` as `run` does, keeping the candidates.
    pub fn run(name: String, doc: Document, set: usize, program: &Program) -> Report {
        let candidates = candidates(program, &doc, None);
        let facts = settle(program, &doc, &candidates);
        Report {
            stem: gold::stem(&name),
            name,
            doc,
            set,
            candidates,
            facts,
        }
    }

    /// The facts as predictions, in output order.
    pub fn predictions(&self, program: &Program) -> Vec<Prediction> {
        predictions(program, &self.facts)
    }
}

/// Every candidate of `program` (or of rule `only`) on `doc`, paired with
/// its 分别 item.
fn candidates(program: &Program, doc: &Document, only: Option<usize>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let sink = &mut |_, a| {
        if let Attempt::Candidate(c) = a {
            out.push(c);
        }
    };
    match only {
        None => engine::scan_timed(program, doc, None, None, true, sink),
        Some(r) => engine::scan_in(program, doc, 0..doc.text.len(), Some(r), sink),
    }
    engine::resolve::pair_respectively(program, doc, &mut out);
    out
}

/// Resolves paired candidates into facts, in text order (as `run` gives them).
fn settle(program: &Program, doc: &Document, candidates: &[Candidate]) -> Vec<Fact> {
    engine::resolve::Settler::new(doc).settle(program, doc, candidates.to_vec())
}

/// A value as the JSON output carries it (an integer when it is one, else
/// the nearest double), so that scoring here and scoring `run`'s output
/// with score.py compare the same numbers.
pub fn output_value(d: Decimal) -> f64 {
    let d = d.normalize();
    if d.scale() == 0
        && let Some(i) = d.to_i64()
    {
        return i as f64;
    }
    d.to_f64().unwrap_or(f64::NAN)
}

/// The facts as predictions.
pub fn predictions(program: &Program, facts: &[Fact]) -> Vec<Prediction> {
    facts
        .iter()
        .enumerate()
        .map(|(i, f)| Prediction {
            indicator: f.indicator.clone(),
            value: output_value(f.value),
            status: f.status.as_str().to_string(),
            year: f.year,
            months: f.months.clone(),
            rule: program.rules[f.rule].qualified_name.clone(),
            fact: i,
        })
        .collect()
}

/// Which facts and annotations count (`--indicator`, `--rule`).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only these indicators (empty: all).
    pub indicators: Vec<String>,
    /// Only facts made by these rules (qualified names; empty: all); gold
    /// facts are those of the rules' indicators.
    pub rules: Vec<String>,
    /// The indicators of `rules`.
    pub rule_indicators: Vec<String>,
}

impl Filter {
    fn gold_fact(&self, ind: &str) -> bool {
        (self.indicators.is_empty() || self.indicators.iter().any(|i| i == ind))
            && (self.rules.is_empty() || self.rule_indicators.iter().any(|i| i == ind))
    }

    fn prediction(&self, p: &Prediction) -> bool {
        (self.indicators.is_empty() || self.indicators.contains(&p.indicator))
            && (self.rules.is_empty() || self.rules.contains(&p.rule))
    }
}

/// One scored report: its gold (filtered), its predictions (filtered) and
/// what became of each.
#[derive(Debug, Clone)]
pub struct Scored {
    /// Index into the reports.
    pub report: usize,
    /// The gold facts that count.
    pub gold: Vec<gold::GoldFact>,
    /// The predictions that count, in output order.
    pub preds: Vec<Prediction>,
    /// Their score.
    pub score: DocScore,
}

/// Figures for one rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RuleStats {
    /// Qualified name.
    pub rule: String,
    /// Indicator.
    pub indicator: String,
    /// Facts it made (repeats counted once).
    pub fired: usize,
    /// Hits on required facts.
    pub hits: usize,
    /// Hits on optional facts.
    pub optional_hits: usize,
    /// False hits.
    pub false_hits: usize,
}

/// Everything `zhibiao eval` computes.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Counts over all scored reports.
    pub totals: Totals,
    /// Ratios over all.
    pub ratios: Ratios,
    /// Per indicator (catalog order of first appearance, then by id).
    pub per_indicator: Vec<(String, Totals, Ratios)>,
    /// Per rule that fired, and rules that never fired (fired = 0).
    pub per_rule: Vec<RuleStats>,
    /// Each scored report.
    pub scored: Vec<Scored>,
}

/// Scores `reports` against `gold` (reports without a gold file are not
/// scored), with the rule sets' programs.
pub fn evaluate(
    reports: &[Report],
    gold: &IndexMap<String, Gold>,
    programs: &[Program],
    filter: &Filter,
) -> Evaluation {
    let mut scored = Vec::new();
    let mut totals = Totals::default();
    let mut per_ind: BTreeMap<String, Totals> = BTreeMap::new();
    let mut per_rule: BTreeMap<String, RuleStats> = BTreeMap::new();
    for (i, r) in reports.iter().enumerate() {
        let Some(g) = gold.get(&r.stem) else { continue };
        let program = &programs[r.set];
        let facts: Vec<gold::GoldFact> = g
            .facts
            .iter()
            .filter(|f| filter.gold_fact(&f.indicator))
            .cloned()
            .collect();
        let preds: Vec<Prediction> = r
            .predictions(program)
            .into_iter()
            .filter(|p| filter.prediction(p))
            .collect();
        let s = score_doc(&facts, &preds);
        totals.docs += 1;
        totals.add(&facts, &preds, &s);
        // Per indicator: matching never pairs two indicators, so scoring
        // each indicator's share alone gives the same outcomes. Grouped in
        // one pass (a filter per indicator was quadratic when an annotation
        // file named thousands of indicators).
        let mut shares: BTreeMap<&str, (Vec<gold::GoldFact>, Vec<Prediction>)> = BTreeMap::new();
        for f in &facts {
            shares
                .entry(f.indicator.as_str())
                .or_default()
                .0
                .push(f.clone());
        }
        for p in &preds {
            shares
                .entry(p.indicator.as_str())
                .or_default()
                .1
                .push(p.clone());
        }
        for (ind, (f, p)) in shares {
            let si = score_doc(&f, &p);
            let t = per_ind.entry(ind.to_string()).or_default();
            t.docs += 1;
            t.add(&f, &p, &si);
        }
        for (k, o) in &s.outcomes {
            let p = &preds[*k];
            let st = per_rule.entry(p.rule.clone()).or_insert_with(|| RuleStats {
                rule: p.rule.clone(),
                indicator: p.indicator.clone(),
                ..RuleStats::default()
            });
            st.fired += 1;
            match o {
                Outcome::Hit(_) => st.hits += 1,
                Outcome::Optional(_) => st.optional_hits += 1,
                Outcome::FalseHit => st.false_hits += 1,
            }
        }
        scored.push(Scored {
            report: i,
            gold: facts,
            preds,
            score: s,
        });
    }
    // Rules of the sets that ran that made no fact at all.
    let mut sets: Vec<usize> = scored.iter().map(|s| reports[s.report].set).collect();
    sets.sort_unstable();
    sets.dedup();
    for s in sets {
        for rule in &programs[s].rules {
            let kept = (filter.rules.is_empty() || filter.rules.contains(&rule.qualified_name))
                && (filter.indicators.is_empty() || filter.indicators.contains(&rule.indicator));
            if kept {
                per_rule
                    .entry(rule.qualified_name.clone())
                    .or_insert_with(|| RuleStats {
                        rule: rule.qualified_name.clone(),
                        indicator: rule.indicator.clone(),
                        ..RuleStats::default()
                    });
            }
        }
    }
    Evaluation {
        ratios: totals.ratios(),
        totals,
        per_indicator: per_ind
            .into_iter()
            .map(|(k, t)| {
                let r = t.ratios();
                (k, t, r)
            })
            .collect(),
        per_rule: per_rule.into_values().collect(),
        scored,
    }
}

/// An annotated figure, named for people: report stem, indicator, value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRef {
    /// The report's stem.
    pub doc: String,
    /// Indicator.
    pub indicator: String,
    /// Value.
    pub value: f64,
}

/// What a change to a rule does to the annotated reports.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Effect {
    /// Annotated reports it was run on.
    pub reports: usize,
    /// Required gold facts found that were missed.
    pub found: Vec<FigureRef>,
    /// Required gold facts missed that were found.
    pub lost: Vec<FigureRef>,
    /// False hits it adds.
    pub new_false_hits: Vec<FigureRef>,
    /// False hits it removes.
    pub fewer_false_hits: Vec<FigureRef>,
}

/// Runs the rule sets with `edit` made over every annotated report and
/// compares each with what the unchanged rules give. `None` when no rule
/// set has the rule (or the change finds nothing to change).
pub fn effect(
    reports: &[Report],
    gold: &IndexMap<String, Gold>,
    sets: &[RuleSet],
    programs: &[Program],
    edit: &RuleEdit,
) -> Option<Effect> {
    let mut changed: HashMap<usize, Option<(Program, usize, usize)>> = HashMap::new();
    let mut out = Effect::default();
    let mut any = false;
    for r in reports {
        let Some(g) = gold.get(&r.stem) else { continue };
        let entry = changed.entry(r.set).or_insert_with(|| {
            let set = edit.apply(sets.get(r.set)?)?;
            let (program, _) = compile(&set);
            let old = &programs[r.set];
            if program.rules.len() != old.rules.len() {
                return None;
            }
            let new_index = program
                .rules
                .iter()
                .position(|x| x.qualified_name == edit.rule)?;
            let old_index = old
                .rules
                .iter()
                .position(|x| x.qualified_name == edit.rule)?;
            Some((program, new_index, old_index))
        });
        out.reports += 1;
        let Some((program, new_index, old_index)) = entry.as_ref() else {
            continue;
        };
        any = true;
        let mut cands: Vec<Candidate> = r
            .candidates
            .iter()
            .filter(|c| c.rule != *old_index)
            .cloned()
            .collect();
        cands.extend(candidates(program, &r.doc, Some(*new_index)));
        let facts = settle(program, &r.doc, &cands);
        let before = score_doc(&g.facts, &r.predictions(&programs[r.set]));
        let after_preds = predictions(program, &facts);
        let after = score_doc(&g.facts, &after_preds);
        let before_preds = r.predictions(&programs[r.set]);
        diff(
            &r.stem,
            g,
            (&before, &before_preds),
            (&after, &after_preds),
            &mut out,
        );
    }
    any.then_some(out)
}

/// Adds what changed between two scores of one report to `out`.
fn diff(
    stem: &str,
    g: &Gold,
    (before, before_preds): (&DocScore, &[Prediction]),
    (after, after_preds): (&DocScore, &[Prediction]),
    out: &mut Effect,
) {
    let gold_ref = |k: usize| FigureRef {
        doc: stem.to_string(),
        indicator: g.facts[k].indicator.clone(),
        value: g.facts[k].value,
    };
    for k in &after.misses {
        if !before.misses.contains(k) {
            out.lost.push(gold_ref(*k));
        }
    }
    for k in &before.misses {
        if !after.misses.contains(k) {
            out.found.push(gold_ref(*k));
        }
    }
    let false_hits = |s: &DocScore, preds: &[Prediction]| -> Vec<(String, String)> {
        s.outcomes
            .iter()
            .filter(|(_, o)| *o == Outcome::FalseHit)
            .map(|(i, _)| {
                (
                    preds[*i].indicator.clone(),
                    format!("{:.6}", preds[*i].value),
                )
            })
            .collect()
    };
    let (b, a) = (
        false_hits(before, before_preds),
        false_hits(after, after_preds),
    );
    let pred_ref = |(ind, v): &(String, String)| FigureRef {
        doc: stem.to_string(),
        indicator: ind.clone(),
        value: v.parse().unwrap_or(f64::NAN),
    };
    out.new_false_hits
        .extend(a.iter().filter(|x| !b.contains(x)).map(pred_ref));
    out.fewer_false_hits
        .extend(b.iter().filter(|x| !a.contains(x)).map(pred_ref));
}
