//! Eval's view model: a scored evaluation turned into what `zhibiao eval`
//! prints — score.py's keys, per indicator and per rule, every miss
//! explained (the closest rule, where it broke off, the smallest change
//! and its effect on every annotated figure), every false hit, wrong
//! status, year and months with inference's reasons, and coverage. The CLI
//! renders it as text or JSON.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde::Serialize;

use super::rules::LoadedRules;
use crate::compile::CompiledRule;
use crate::eval::gold::{Gold, GoldFact};
use crate::eval::score::{Outcome, Ratios, Totals, norm_months, same};
use crate::eval::{self, Effect, Report, RuleStats};
use crate::explain::edit::RuleEdit;
use crate::explain::view::{FigureView, Place, Places, ViewContext};
use crate::explain::words::{months_reason, status_reason, year_reason};
use crate::explain::{Figures, Options, RuleFiles, explain_figures};
use crate::text::Number;

/// How many inputs and gold files were left out.
pub struct Counts {
    /// Inputs without an annotation file.
    pub not_annotated: usize,
    /// Annotation files without a report among the inputs.
    pub without_report: Vec<String>,
}

/// Everything eval prints: score.py's keys first, then the details.
#[derive(Debug, Serialize)]
pub struct EvalView {
    /// Counts (true and false hits, misses …).
    #[serde(flatten)]
    pub totals: Totals,
    /// Precision, recall, F1 and accuracies.
    #[serde(flatten)]
    pub ratios: Ratios,
    /// Inputs without an annotation file (not scored).
    pub reports_not_annotated: usize,
    /// Annotation files without a report among the inputs (not scored).
    pub annotations_without_report: Vec<String>,
    /// Per indicator.
    pub per_indicator: Vec<IndicatorRow>,
    /// Per rule that made a fact.
    pub per_rule: Vec<RuleStats>,
    /// Annotated facts not found.
    pub misses: Vec<MissView>,
    /// Facts no annotation backs, of indicators some annotation mentions.
    pub false_hits: Vec<FalseHitView>,
    /// Facts of indicators no annotation file mentions (a new province's
    /// own indicators): nothing could confirm or refute them. score.py
    /// counts them as false hits, and so do `fp` and `precision` above;
    /// `without_unscored` gives the figures without them.
    pub unscored: Vec<FalseHitView>,
    /// Precision, recall and F1 with `unscored` left out (equal to the
    /// figures above when there is none).
    pub without_unscored: Ratios,
    /// Hits with a wrong status.
    pub wrong_status: Vec<WrongView>,
    /// Hits with a wrong year.
    pub wrong_year: Vec<WrongView>,
    /// Hits with wrong months.
    pub wrong_months: Vec<WrongView>,
    /// Rules that never fired or only made false hits.
    pub coverage: Coverage,
}

/// One row of the per-indicator table.
#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    /// The indicator id.
    pub indicator: String,
    /// Counts (true and false hits, misses …).
    #[serde(flatten)]
    pub totals: Totals,
    /// Precision, recall, F1 and accuracies.
    #[serde(flatten)]
    pub ratios: Ratios,
}

/// A missed gold fact and why.
#[derive(Debug, Serialize)]
pub struct MissView {
    /// The report (its stem).
    pub doc: String,
    /// The indicator id.
    pub indicator: String,
    /// The value.
    pub value: f64,
    /// The annotated status.
    pub status: Option<String>,
    /// The annotated year.
    pub year: Option<i64>,
    /// The annotated months.
    pub months: Option<String>,
    /// Why, in one line.
    pub reason: String,
    /// The figure in the report, explained (rules of the indicator only).
    pub figure: Option<FigureView>,
}

/// A fact no annotation backs.
#[derive(Debug, Serialize)]
pub struct FalseHitView {
    /// The report (its stem).
    pub doc: String,
    /// The indicator id.
    pub indicator: String,
    /// The value.
    pub value: f64,
    /// The rule (qualified name).
    pub rule: String,
    /// Where the figure is.
    pub at: Place,
    /// The text around it.
    pub evidence: String,
}

/// A fact found with a wrong status, year or months.
#[derive(Debug, Clone, Serialize)]
pub struct WrongView {
    /// The report (its stem).
    pub doc: String,
    /// The indicator id.
    pub indicator: String,
    /// The value.
    pub value: f64,
    /// What the annotation says.
    pub gold: serde_json::Value,
    /// What the rule gave.
    pub got: serde_json::Value,
    /// The rule (qualified name).
    pub rule: String,
    /// Why inference decided as it did.
    pub why: String,
    /// Where the figure is.
    pub at: Place,
}

/// Rules that did nothing useful on the scored reports.
#[derive(Debug, Serialize)]
pub struct Coverage {
    /// Rules that made no fact on the scored reports.
    pub never_fired: Vec<String>,
    /// Rules whose every fact was a false hit.
    pub only_false_hits: Vec<String>,
}

impl EvalView {
    /// The view of evaluation `e` of `reports` against `gold`; `explain`:
    /// explain each miss and suggest a fix (with its effect on every
    /// annotated figure).
    pub fn build(
        rules: &LoadedRules,
        reports: &[Report],
        gold: &IndexMap<String, Gold>,
        e: &eval::Evaluation,
        explain: bool,
        counts: Counts,
    ) -> EvalView {
        let files = RuleFiles::new(&rules.sources);
        let effects: std::cell::RefCell<HashMap<String, Option<Effect>>> = Default::default();
        let effect_fn = |edit: &RuleEdit| {
            let key = format!("{edit:?}");
            if let Some(e) = effects.borrow().get(&key) {
                return e.clone();
            }
            let found = eval::effect(reports, gold, &rules.sets, &rules.programs, edit);
            effects.borrow_mut().insert(key, found.clone());
            found
        };
        let mut misses = Vec::new();
        let mut explained = 0usize;
        let mut false_hits = Vec::new();
        let mut unscored = Vec::new();
        // Indicators some annotation file mentions: a fact of any other
        // indicator is unscored rather than false.
        let annotated: std::collections::HashSet<&str> = gold
            .values()
            .flat_map(|g| g.facts.iter().map(|f| f.indicator.as_str()))
            .collect();
        let mut wrongs = Wrongs::default();
        for s in &e.scored {
            let r = &reports[s.report];
            let program = &rules.programs[r.set];
            let places = Places::new(&r.doc);
            let figures = Figures::read(&r.doc.text);
            for &k in &s.score.misses {
                let f = &s.gold[k];
                let (reason, figure) = if !explain {
                    ("not explained (--no-explain)".to_string(), None)
                } else if explained >= MAX_EXPLAINED_MISSES {
                    (
                        format!(
                            "not explained (only the first {MAX_EXPLAINED_MISSES} misses are; `zhibiao explain REPORT --number VALUE` explains this one)"
                        ),
                        None,
                    )
                } else {
                    explained += 1;
                    explain_miss(rules, r, &figures, &places, &files, f, &effect_fn)
                };
                misses.push(MissView {
                    doc: r.stem.clone(),
                    indicator: f.indicator.clone(),
                    value: f.value,
                    status: f.status.clone(),
                    year: f.year,
                    months: f.months.clone(),
                    reason,
                    figure,
                });
            }
            for (i, o) in &s.score.outcomes {
                let p = &s.preds[*i];
                let fact = &r.facts[p.fact];
                let at = places.of(fact.number_span.clone());
                match o {
                    Outcome::FalseHit => {
                        let ev = crate::engine::resolve::evidence_range(&r.doc, fact, 80);
                        let list = if annotated.contains(p.indicator.as_str()) {
                            &mut false_hits
                        } else {
                            &mut unscored
                        };
                        list.push(FalseHitView {
                            doc: r.stem.clone(),
                            indicator: p.indicator.clone(),
                            value: p.value,
                            rule: p.rule.clone(),
                            at,
                            evidence: r.doc.text[ev].trim().replace('\n', " "),
                        });
                    }
                    Outcome::Hit(k) => {
                        let why = crate::explain::report::reasons(program, &r.doc, fact);
                        let wrong = WrongView {
                            doc: r.stem.clone(),
                            indicator: p.indicator.clone(),
                            value: p.value,
                            gold: serde_json::Value::Null,
                            got: serde_json::Value::Null,
                            rule: p.rule.clone(),
                            why: String::new(),
                            at: at.clone(),
                        };
                        wrongs.check(&program.lexicon, &r.doc, &why, p, &s.gold[*k], wrong);
                    }
                    Outcome::Optional(_) => {}
                }
            }
        }
        let coverage = Coverage::of(&e.per_rule);
        let without_unscored = Totals {
            fp: e.totals.fp - unscored.len().min(e.totals.fp),
            ..e.totals
        }
        .ratios();
        EvalView {
            totals: e.totals,
            ratios: e.ratios,
            unscored,
            without_unscored,
            reports_not_annotated: counts.not_annotated,
            annotations_without_report: counts.without_report,
            per_indicator: e
                .per_indicator
                .iter()
                .map(|(i, t, r)| IndicatorRow {
                    indicator: i.clone(),
                    totals: *t,
                    ratios: *r,
                })
                .collect(),
            per_rule: e.per_rule.iter().filter(|r| r.fired > 0).cloned().collect(),
            misses,
            false_hits,
            wrong_status: wrongs.status,
            wrong_year: wrongs.year,
            wrong_months: wrongs.months,
            coverage,
        }
    }
}

/// The figures a rule took right but gave the wrong status, year or months.
#[derive(Default)]
struct Wrongs {
    status: Vec<WrongView>,
    year: Vec<WrongView>,
    months: Vec<WrongView>,
}

impl Wrongs {
    /// Compares prediction `p` with the annotation `g` it hit, and records
    /// each part that differs as `wrong` with what each side says and why
    /// (`why`: how the engine decided).
    fn check(
        &mut self,
        lexicon: &crate::lexicon::Lexicon,
        doc: &crate::text::Document,
        why: &crate::engine::infer::Reasons,
        p: &crate::eval::score::Prediction,
        g: &GoldFact,
        wrong: WrongView,
    ) {
        let with = |gold: serde_json::Value, got: serde_json::Value, why: String| WrongView {
            gold,
            got,
            why,
            ..wrong.clone()
        };
        if Some(&p.status) != g.status.as_ref() {
            self.status.push(with(
                serde_json::json!(g.status),
                serde_json::json!(p.status),
                status_reason(lexicon, doc, why),
            ));
        }
        if let Some(y) = g.year
            && p.year.map(i64::from) != Some(y)
        {
            self.year.push(with(
                serde_json::json!(y),
                serde_json::json!(p.year),
                year_reason(doc, why),
            ));
        }
        if norm_months(p.months.as_deref()) != norm_months(g.months.as_deref()) {
            self.months.push(with(
                serde_json::json!(g.months),
                serde_json::json!(p.months),
                months_reason(doc, why),
            ));
        }
    }
}

impl Coverage {
    /// The rules of `per_rule` that never fired, and those whose every
    /// fact was a false hit.
    fn of(per_rule: &[RuleStats]) -> Coverage {
        Coverage {
            never_fired: per_rule
                .iter()
                .filter(|r| r.fired == 0)
                .map(|r| r.rule.clone())
                .collect(),
            only_false_hits: per_rule
                .iter()
                .filter(|r| r.fired > 0 && r.hits == 0 && r.optional_hits == 0)
                .map(|r| r.rule.clone())
                .collect(),
        }
    }
}

/// Most misses `eval` explains: each runs explain and a fix search over
/// every annotated report, so 50,000 misses would each cost a run (issue
/// 25, item 14). The others are listed with a pointer to `explain`.
pub const MAX_EXPLAINED_MISSES: usize = 200;

/// Why a gold fact was missed: the figure in the report with that value,
/// explained for the rules of its indicator.
fn explain_miss(
    rules: &LoadedRules,
    r: &Report,
    figures: &Figures,
    places: &Places<'_>,
    files: &RuleFiles<'_>,
    f: &GoldFact,
    effect: &dyn Fn(&RuleEdit) -> Option<Effect>,
) -> (String, Option<FigureView>) {
    let program = &rules.programs[r.set];
    let of_indicator: Vec<&CompiledRule> = program
        .rules
        .iter()
        .filter(|x| x.indicator == f.indicator)
        .collect();
    let Some(unit_rule) = of_indicator.first() else {
        return (
            format!(
                "no rule of rule set {} is for {}",
                program.set_name, f.indicator
            ),
            None,
        );
    };
    let is_it = |n: &Number| {
        crate::explain::figures::value_for(unit_rule, n)
            .and_then(|v| v.to_string().parse::<f64>().ok())
            .is_some_and(|v| same(v, f.value))
            && (n.unit.is_none() || crate::explain::figures::compatible(unit_rule, n))
    };
    let Some(number) = figures.all().iter().find(|n| is_it(n)).cloned() else {
        return (
            format!(
                "no number in the report reads as {} {} (as the number reader reads it)",
                f.value, unit_rule.unit.text
            ),
            None,
        );
    };
    let keep = |x: &CompiledRule| x.indicator == f.indicator;
    let opts = Options {
        keep: &keep,
        all: true,
        near_misses: 1,
        max_figures: 1,
        max_rules: 3,
        fixes: true,
    };
    let explained = explain_figures(program, &r.doc, std::slice::from_ref(&number), &opts);
    let Some(report) = explained.figures.first() else {
        return ("not explained".into(), None);
    };
    let ctx = ViewContext {
        program,
        doc: &r.doc,
        places,
        files,
        effect: Some(effect),
        annotations: None,
    };
    let view = ctx.figure(report);
    let reason = match (&view.taken, view.rules.first()) {
        (Some(t), _) if t.indicator != f.indicator => {
            format!("taken as {} by {} ({})", t.indicator, t.rule, t.rule_at)
        }
        (Some(t), _) => format!("taken by {}, but with another value", t.rule),
        (None, Some(v)) => format!("{} {}: {}", v.kind.replace('_', " "), v.rule, v.message),
        (None, None) if !view.no_anchor.is_empty() => format!(
            "none of the anchor words of the {} rules for {} stands near it",
            of_indicator.len(),
            f.indicator
        ),
        (None, None) if number.unit.is_none() => format!(
            "“{}” has no unit, and the rules for {} take numbers with one ({})",
            &r.doc.text[number.range.clone()],
            f.indicator,
            unit_rule.unit.text
        ),
        (None, None) => "no rule for it came near".into(),
    };
    (reason, Some(view))
}
