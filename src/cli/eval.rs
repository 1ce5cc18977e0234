//! `zhibiao eval --gold GOLD_DIR REPORTS…`: the rules scored against
//! annotated reports, with score.py's exact figures, per indicator and per
//! rule; every miss with its explanation (the closest rule, where it broke
//! off, the smallest change and what that change does to every annotated
//! figure); every false hit with its rule and evidence; wrong status, year
//! and months with the reasons inference gave; and coverage (rules that
//! never fired, rules whose every fact was a false hit).
//!
//! Reports without an annotation file are not scored (they are counted);
//! annotation files without a report among the inputs are not scored
//! either (score.py would count their facts as missed: give all reports
//! to compare with it).

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;

use super::EvalArgs;
use super::EvalFormat;
use super::explain::{province_choice, render_figure};
use super::rules_load::{self, LoadedRules, print_diagnostics};
use super::run::{Input, ProvinceChoice, choose_rules_why, read_input};
use crate::compile::CompiledRule;
use crate::diag::{Code, Diagnostic, Sources, suggest};
use crate::eval::gold::{Gold, GoldFact, load_gold, stem};
use crate::eval::score::{Outcome, Ratios, Totals, norm_months, same};
use crate::eval::{self, Effect, Filter, Report, RuleStats};
use crate::explain::edit::RuleEdit;
use crate::explain::view::{FigureView, Place, Places, ViewContext};
use crate::explain::words::{clip, months_reason, status_reason, year_reason};
use crate::explain::{Figures, Options, RuleFiles, explain_figures};
use crate::input::collect_all as collect_inputs;
use crate::text::{self, Number};

/// Runs `zhibiao eval`.
pub fn run(args: &EvalArgs) -> ExitCode {
    let Ok(rules) = rules_load::load(&args.rules) else {
        return ExitCode::from(1);
    };
    let done = evaluate(&rules, args);
    if !done.problems.is_empty() {
        print_diagnostics(&done.problems, &done.sources);
    }
    let failed = done.failed;
    let out = match done.out {
        Ok(out) => out,
        Err((d, code)) => {
            print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(code);
        }
    };
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        EvalFormat::Json => serde_json::to_writer(&mut stdout, &out)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(stdout)),
        EvalFormat::Human => stdout.write_all(render_human(&out).as_bytes()),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        say!("zhibiao: {e}");
        return ExitCode::from(1);
    }
    drop(stdout);
    if failed {
        return ExitCode::from(2);
    }
    if let Some(min) = args.min_f1
        && out.ratios.f1 < min
    {
        print_diagnostics(
            &[Diagnostic::new(
                Code::BelowMinF1,
                format!("F1 {} is below --min-f1 {min}", out.ratios.f1),
            )
            .with_help("see the misses and false hits above; `zhibiao explain` shows why")],
            &Sources::new(),
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// What [`evaluate`] found: the output (or the diagnostic that stopped it,
/// with its exit code), and the problems met on the way (unreadable
/// annotation files or reports), which point into `sources`.
pub struct Evaluated {
    /// The scores, or why there are none and the exit code that means.
    pub out: Result<EvalOutput, (Diagnostic, u8)>,
    /// Annotation files or reports that could not be read (the rest were scored).
    pub problems: Vec<Diagnostic>,
    /// The annotation files read.
    pub sources: Sources,
    /// Whether a problem was an error (exit 2).
    pub failed: bool,
}

/// `zhibiao eval` on loaded rules, as the data `--format json` prints
/// (`args.rules`, `args.format` and `args.min_f1` are not looked at).
pub fn evaluate(rules: &LoadedRules, args: &EvalArgs) -> Evaluated {
    let mut done = Evaluated {
        out: Err((Diagnostic::new(Code::NothingToScore, ""), 1)),
        problems: Vec::new(),
        sources: Sources::new(),
        failed: false,
    };
    let choice = match province_choice(rules, args.province.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            done.out = Err((d, 1));
            return done;
        }
    };
    let (gold, gold_diags) = load_gold(&args.gold, &mut done.sources);
    if !gold_diags.is_empty() {
        done.problems.extend(gold_diags);
        done.failed = true;
    }
    let (inputs, bad) = collect_inputs(&args.reports);
    if !bad.is_empty() {
        done.failed |= bad.iter().any(Diagnostic::is_error);
        done.problems.extend(bad);
    }
    let (annotated, not_annotated): (Vec<Input>, Vec<Input>) = inputs
        .into_iter()
        .partition(|i| gold.contains_key(&stem(&i.display())));
    let results: Vec<Result<Report, Diagnostic>> = annotated
        .par_iter()
        .map(|input| read_and_run(rules, &choice, input))
        .collect();
    let mut reports = Vec::new();
    let mut read_errors = Vec::new();
    for r in results {
        match r {
            Ok(r) => reports.push(r),
            Err(d) => read_errors.push(d),
        }
    }
    if !read_errors.is_empty() {
        done.problems.extend(read_errors);
        done.failed = true;
    }
    if reports.is_empty() {
        done.out = Err((
            Diagnostic::new(
                Code::NothingToScore,
                format!(
                    "no report given has an annotation file in {}",
                    args.gold.display()
                ),
            )
            .with_help(
                "a report is scored when a gold file's \"doc\" has the report's file name (without extension)",
            ),
            if done.failed { 2 } else { 1 },
        ));
        return done;
    }
    let filter = match filter(rules, &reports, &args.indicator, &args.rule) {
        Ok(f) => f,
        Err(d) => {
            done.out = Err((d, 1));
            return done;
        }
    };
    let evaluation = eval::evaluate(&reports, &gold, &rules.programs, &filter);
    let scored_stems: Vec<&str> = reports.iter().map(|r| r.stem.as_str()).collect();
    done.out = Ok(EvalOutput::build(
        rules,
        &reports,
        &gold,
        &evaluation,
        !args.no_explain,
        Counts {
            not_annotated: not_annotated.len(),
            without_report: gold
                .keys()
                .filter(|k| !scored_stems.contains(&k.as_str()))
                .cloned()
                .collect(),
        },
    ));
    done
}

/// Reads one report and runs its rule set, keeping every candidate.
fn read_and_run(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    input: &Input,
) -> Result<Report, Diagnostic> {
    let bytes = read_input(input)?;
    let name = input.display();
    let doc = text::read_report(&name, &bytes, None)
        .map_err(|e| Diagnostic::new(e.code, e.message.clone()).with_help(e.help))?;
    let set = choose_rules_why(rules, choice, &doc).set.ok_or_else(|| {
        Diagnostic::new(Code::NothingToScore, format!("{name}: no rule set to run"))
    })?;
    Ok(Report::run(name, doc, set, &rules.programs[set]))
}

/// `--indicator` and `--rule`, checked against the rule sets that ran.
fn filter(
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

/// How many inputs and gold files were left out.
struct Counts {
    not_annotated: usize,
    without_report: Vec<String>,
}

/// Everything eval prints: score.py's keys first, then the details.
#[derive(Debug, Serialize)]
pub struct EvalOutput {
    #[serde(flatten)]
    totals: Totals,
    #[serde(flatten)]
    ratios: Ratios,
    /// Inputs without an annotation file (not scored).
    reports_not_annotated: usize,
    /// Annotation files without a report among the inputs (not scored).
    annotations_without_report: Vec<String>,
    per_indicator: Vec<IndicatorRow>,
    per_rule: Vec<RuleStats>,
    misses: Vec<MissView>,
    false_hits: Vec<FalseHitView>,
    wrong_status: Vec<WrongView>,
    wrong_year: Vec<WrongView>,
    wrong_months: Vec<WrongView>,
    coverage: Coverage,
}

#[derive(Debug, Serialize)]
struct IndicatorRow {
    indicator: String,
    #[serde(flatten)]
    totals: Totals,
    #[serde(flatten)]
    ratios: Ratios,
}

/// A missed gold fact and why.
#[derive(Debug, Serialize)]
struct MissView {
    doc: String,
    indicator: String,
    value: f64,
    status: Option<String>,
    year: Option<i64>,
    months: Option<String>,
    /// Why, in one line.
    reason: String,
    /// The figure in the report, explained (rules of the indicator only).
    figure: Option<FigureView>,
}

#[derive(Debug, Serialize)]
struct FalseHitView {
    doc: String,
    indicator: String,
    value: f64,
    rule: String,
    at: Place,
    evidence: String,
}

#[derive(Debug, Serialize)]
struct WrongView {
    doc: String,
    indicator: String,
    value: f64,
    gold: serde_json::Value,
    got: serde_json::Value,
    rule: String,
    /// Why inference decided as it did.
    why: String,
    at: Place,
}

#[derive(Debug, Serialize)]
struct Coverage {
    /// Rules that made no fact on the scored reports.
    never_fired: Vec<String>,
    /// Rules whose every fact was a false hit.
    only_false_hits: Vec<String>,
}

impl EvalOutput {
    fn build(
        rules: &LoadedRules,
        reports: &[Report],
        gold: &IndexMap<String, Gold>,
        e: &eval::Evaluation,
        explain: bool,
        counts: Counts,
    ) -> EvalOutput {
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
        let mut false_hits = Vec::new();
        let (mut wrong_status, mut wrong_year, mut wrong_months) =
            (Vec::new(), Vec::new(), Vec::new());
        for s in &e.scored {
            let r = &reports[s.report];
            let program = &rules.programs[r.set];
            let places = Places::new(&r.doc);
            let figures = Figures::read(&r.doc.text);
            for &k in &s.score.misses {
                let f = &s.gold[k];
                let (reason, figure) = if explain {
                    explain_miss(rules, r, &figures, &places, &files, f, &effect_fn)
                } else {
                    ("not explained (--no-explain)".to_string(), None)
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
                        false_hits.push(FalseHitView {
                            doc: r.stem.clone(),
                            indicator: p.indicator.clone(),
                            value: p.value,
                            rule: p.rule.clone(),
                            at,
                            evidence: r.doc.text[ev].trim().replace('\n', " "),
                        });
                    }
                    Outcome::Hit(k) => {
                        let g = &s.gold[*k];
                        let why = crate::explain::report::reasons(program, &r.doc, fact);
                        let wrong = |gold: serde_json::Value,
                                     got: serde_json::Value,
                                     why: String| WrongView {
                            doc: r.stem.clone(),
                            indicator: p.indicator.clone(),
                            value: p.value,
                            gold,
                            got,
                            rule: p.rule.clone(),
                            why,
                            at: at.clone(),
                        };
                        if Some(&p.status) != g.status.as_ref() {
                            wrong_status.push(wrong(
                                serde_json::json!(g.status),
                                serde_json::json!(p.status),
                                status_reason(&r.doc, &why),
                            ));
                        }
                        if let Some(y) = g.year
                            && p.year.map(i64::from) != Some(y)
                        {
                            wrong_year.push(wrong(
                                serde_json::json!(y),
                                serde_json::json!(p.year),
                                year_reason(&r.doc, &why),
                            ));
                        }
                        if norm_months(p.months.as_deref()) != norm_months(g.months.as_deref()) {
                            wrong_months.push(wrong(
                                serde_json::json!(g.months),
                                serde_json::json!(p.months),
                                months_reason(&r.doc, &why),
                            ));
                        }
                    }
                    Outcome::Optional(_) => {}
                }
            }
        }
        let coverage = Coverage {
            never_fired: e
                .per_rule
                .iter()
                .filter(|r| r.fired == 0)
                .map(|r| r.rule.clone())
                .collect(),
            only_false_hits: e
                .per_rule
                .iter()
                .filter(|r| r.fired > 0 && r.hits == 0 && r.optional_hits == 0)
                .map(|r| r.rule.clone())
                .collect(),
        };
        EvalOutput {
            totals: e.totals,
            ratios: e.ratios,
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
            wrong_status,
            wrong_year,
            wrong_months,
            coverage,
        }
    }
}

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

/// Eval's output as text.
fn render_human(out: &EvalOutput) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let t = &out.totals;
    let r = &out.ratios;
    let _ = writeln!(
        s,
        "{} annotated reports scored{}{}",
        t.docs,
        if out.reports_not_annotated > 0 {
            format!(
                " ({} reports without annotations left out)",
                out.reports_not_annotated
            )
        } else {
            String::new()
        },
        if out.annotations_without_report.is_empty() {
            String::new()
        } else {
            format!(
                " ({} annotation files without a report left out)",
                out.annotations_without_report.len()
            )
        }
    );
    let _ = writeln!(
        s,
        "precision {}  recall {}  f1 {}  (tp {}  fp {}  fn {}; {} hits on optional facts)",
        r.precision, r.recall, r.f1, t.tp, t.fp, t.fn_, t.optional_hits
    );
    let _ = writeln!(
        s,
        "status accuracy {}  year accuracy {}  months accuracy {}",
        r.status_accuracy, r.year_accuracy, r.months_accuracy
    );
    s.push_str("\nper indicator\n");
    let _ = writeln!(
        s,
        "  {:<26} {:>4} {:>4} {:>4} {:>9} {:>7} {:>7}",
        "indicator", "tp", "fp", "fn", "precision", "recall", "f1"
    );
    for row in &out.per_indicator {
        let _ = writeln!(
            s,
            "  {:<26} {:>4} {:>4} {:>4} {:>9} {:>7} {:>7}",
            row.indicator,
            row.totals.tp,
            row.totals.fp,
            row.totals.fn_,
            row.ratios.precision,
            row.ratios.recall,
            row.ratios.f1
        );
    }
    s.push_str("\nper rule (facts made: hits, optional, false hits)\n");
    for row in &out.per_rule {
        let _ = writeln!(
            s,
            "  {} {:<24} {:>3}: {} hits, {} optional, {} false",
            pad(&row.rule, 30),
            row.indicator,
            row.fired,
            row.hits,
            row.optional_hits,
            row.false_hits
        );
    }
    let _ = writeln!(s, "\nmisses ({})", out.misses.len());
    for m in &out.misses {
        let _ = writeln!(
            s,
            "  {} {} {}{}{}{}",
            m.doc,
            m.indicator,
            m.value,
            m.status
                .as_ref()
                .map(|x| format!(" {x}"))
                .unwrap_or_default(),
            m.year.map(|y| format!(" {y}")).unwrap_or_default(),
            m.months
                .as_ref()
                .map(|x| format!(" {x}月"))
                .unwrap_or_default()
        );
        let _ = writeln!(s, "    why: {}", m.reason);
        if let Some(f) = &m.figure {
            let mut block = String::new();
            render_figure(&mut block, f, false);
            for line in block.lines() {
                let _ = writeln!(s, "    {line}");
            }
        }
    }
    let _ = writeln!(s, "\nfalse hits ({})", out.false_hits.len());
    for f in &out.false_hits {
        let _ = writeln!(
            s,
            "  {} {} {} by {} at {}:{}: {}",
            f.doc,
            f.indicator,
            f.value,
            f.rule,
            f.at.line,
            f.at.column,
            clip(&f.evidence, 60)
        );
    }
    for (title, list) in [
        ("wrong status", &out.wrong_status),
        ("wrong year", &out.wrong_year),
        ("wrong months", &out.wrong_months),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{title} ({})", list.len());
        for w in list {
            let _ = writeln!(
                s,
                "  {} {} {}: annotated {}, got {} ({}) — {}",
                w.doc, w.indicator, w.value, w.gold, w.got, w.rule, w.why
            );
        }
    }
    let c = &out.coverage;
    let _ = writeln!(s, "\ncoverage");
    let names = |v: &[String]| {
        let v: Vec<&str> = v.iter().map(String::as_str).collect();
        if v.is_empty() {
            "none".to_string()
        } else {
            suggest::listing(&v, 20)
        }
    };
    let _ = writeln!(
        s,
        "  rules that never fired ({}): {}",
        c.never_fired.len(),
        names(&c.never_fired)
    );
    let _ = writeln!(
        s,
        "  rules whose every fact was a false hit ({}): {}",
        c.only_false_hits.len(),
        names(&c.only_false_hits)
    );
    s
}

/// `s` padded with spaces to `width` terminal columns (a Chinese character
/// takes two).
fn pad(s: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}
