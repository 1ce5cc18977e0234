//! Scoring rules against annotated reports (`zhibiao eval`, the Python
//! module's `eval`): load the annotations, run every annotated report once,
//! score with score.py's figures and build the [`EvalView`].
//!
//! Reports without an annotation file are not scored (they are counted);
//! annotation files without a report among the inputs are not scored
//! either (score.py would count their facts as missed).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::choose::parse_province;
use super::eval_view::{Counts, EvalView};
use super::filter::eval_filter;
use super::report::run_for_eval;
use super::rules::LoadedRules;
use crate::diag::{Code, Diagnostic, Sources};
use crate::eval::gold::{load_gold, stem};
use crate::eval::{self, Report};
use crate::input::Input;
use crate::input::collect_all as collect_inputs;

/// What to score, and how.
#[derive(Debug, Clone, Copy)]
pub struct EvalRequest<'a> {
    /// The folder of annotation files (gold JSON).
    pub gold: &'a Path,
    /// The reports (files or folders).
    pub reports: &'a [PathBuf],
    /// Province whose rules to use; `None` or `auto`: detected per report.
    pub province: Option<&'a str>,
    /// Only these indicators are scored (empty: all).
    pub indicator: &'a [String],
    /// Only the facts of these rules are scored (empty: all).
    pub rule: &'a [String],
    /// Each miss with its explanation (the closest rule and the smallest
    /// change); slower.
    pub explain: bool,
}

/// A scoring and what went wrong on the way.
pub struct Scored {
    /// The scores and lists (`--format json` serializes the view), or the
    /// diagnostic that stopped the scoring with the CLI's exit code.
    pub view: Result<EvalView, (Diagnostic, u8)>,
    /// Annotation files, reports or paths that could not be read, in the
    /// order found: those are left out.
    pub problems: Vec<Diagnostic>,
    /// Whether a problem is an error (the CLI exits 2 after its output).
    pub failed: bool,
    /// The annotation files, for the problems' labels.
    pub sources: Sources,
    /// What the scoring chose or left out that a user should hear (a
    /// province without rules, annotation files among the reports), in
    /// plain words.
    pub notes: Vec<String>,
}

/// Scores `rules` on the annotated reports of `req`.
pub fn evaluate(rules: &LoadedRules, req: &EvalRequest<'_>) -> Scored {
    let mut sources = Sources::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let stopped = |d: Diagnostic, code: u8, problems, failed, sources, notes| Scored {
        view: Err((d, code)),
        problems,
        failed,
        sources,
        notes,
    };
    let choice = match parse_province(rules, req.province) {
        Ok(c) => c,
        Err(d) => return stopped(d, 1, problems, false, sources, notes),
    };
    notes.extend(choice.note());
    let mut failed = false;
    let (gold, gold_diags) = load_gold(req.gold, &mut sources);
    if !gold_diags.is_empty() {
        // A warning (two annotation files for one report, ZB0615) fails
        // nothing.
        failed |= gold_diags.iter().any(Diagnostic::is_error);
        problems.extend(gold_diags);
    }
    let (inputs, bad) = collect_inputs(req.reports);
    // Annotation files kept beside the reports are not reports.
    let gold_dir = std::fs::canonicalize(req.gold).ok();
    let (inputs, gold_files): (Vec<Input>, Vec<Input>) =
        inputs.into_iter().partition(|i| match (i, &gold_dir) {
            (Input::File(p), Some(g)) => !std::fs::canonicalize(p).is_ok_and(|p| p.starts_with(g)),
            _ => true,
        });
    if !gold_files.is_empty() {
        let n = gold_files.len();
        notes.push(format!(
            "{n} file{} under the annotation folder {} left out (not reports)",
            if n == 1 { "" } else { "s" },
            crate::input::display_path(req.gold)
        ));
    }
    failed |= bad.iter().any(Diagnostic::is_error);
    problems.extend(bad);
    let (annotated, not_annotated): (Vec<Input>, Vec<Input>) = inputs
        .into_iter()
        .partition(|i| gold.contains_key(&stem(&i.display())));
    let results: Vec<Result<Report, Diagnostic>> = annotated
        .par_iter()
        .map(|input| run_for_eval(rules, &choice, input))
        .collect();
    let mut reports = Vec::new();
    for r in results {
        match r {
            Ok(r) => reports.push(r),
            Err(d) => {
                problems.push(d);
                failed = true;
            }
        }
    }
    if reports.is_empty() {
        let d = Diagnostic::new(
            Code::NothingToScore,
            format!(
                "no report given has an annotation file in {}",
                crate::input::display_path(req.gold)
            ),
        )
        .with_help(
            "a report is scored when a gold file's \"doc\" has the report's file name (without extension)",
        );
        return stopped(
            d,
            if failed { 2 } else { 1 },
            problems,
            failed,
            sources,
            notes,
        );
    }
    let filter = match eval_filter(rules, &reports, req.indicator, req.rule) {
        Ok(f) => f,
        Err(d) => return stopped(d, 1, problems, failed, sources, notes),
    };
    let evaluation = eval::evaluate(&reports, &gold, &rules.programs, &filter);
    let scored_stems: Vec<&str> = reports.iter().map(|r| r.stem.as_str()).collect();
    let view = EvalView::build(
        rules,
        &reports,
        &gold,
        &evaluation,
        req.explain,
        Counts {
            not_annotated: not_annotated.len(),
            without_report: gold
                .keys()
                .filter(|k| !scored_stems.contains(&k.as_str()))
                .cloned()
                .collect(),
        },
    );
    Scored {
        view: Ok(view),
        problems,
        failed,
        sources,
        notes,
    }
}
