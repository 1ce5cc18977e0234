//! Explaining a report or a text (`zhibiao explain`, the Python module's
//! `explain`): for each figure, which rule took it and why (status, year
//! and months with their reasons), which rules lost it, and for a figure
//! no rule took, how far the closest rules got and the smallest change
//! that would make them take it. `at` and `number` ask about one figure;
//! `gold` adds what each change would do to every annotated figure.
//!
//! Output is bounded (figures, rules per figure, near misses per figure are
//! capped and what is left out is counted), so that explaining a real
//! report gives a few kilobytes, never the report again.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

use super::choose::{ProvinceChoice, choose_rules, parse_province};
use super::filter::{RuleFilter, rule_filter};
use super::report::{read_document, run_for_eval};
use super::rules::LoadedRules;
use crate::compile::{CompiledRule, Program};
use crate::diag::{Code, Diagnostic, Sources, suggest};
use crate::eval::gold::{Gold, load_gold};
use crate::eval::{self, Effect, Report};
use crate::explain::edit::RuleEdit;
use crate::explain::view::{FigureView, HeaderView, Places, ViewContext, report_year_why};
use crate::explain::{Figures, Options, RuleFiles, explain_figures, explain_report};
use crate::input::Input;
use crate::input::collect_all as collect_inputs;
use crate::text::{self, Document, Number, SourceFormat};

/// What to explain, and how much to say.
#[derive(Debug, Clone)]
pub struct ExplainRequest {
    /// The report to explain (`-` for stdin); or
    pub report: Option<PathBuf>,
    /// a text to explain instead.
    pub text: Option<String>,
    /// Only the figure at this place of the report (`LINE` or `LINE:COL`).
    pub at: Option<String>,
    /// Only figures with this value (as written, or in an indicator's unit).
    pub number: Option<String>,
    /// Only these rules (name or qualified name).
    pub rule: Vec<String>,
    /// Only rules for these indicator ids.
    pub indicator: Vec<String>,
    /// Province whose rules to use; `None` or `auto`: detected.
    pub province: Option<String>,
    /// Most near misses (each with a suggested fix) per figure.
    pub limit: usize,
    /// Most figures shown (0: all); the rest are counted.
    pub max_figures: usize,
    /// Also near misses for figures another rule took.
    pub all: bool,
    /// Annotations (gold files): mark annotated figures and say what each
    /// suggested change would do to every annotated figure.
    pub gold: Option<PathBuf>,
    /// Where the annotated reports are (default: the report's folder).
    pub reports: Option<PathBuf>,
}

impl Default for ExplainRequest {
    /// The CLI's defaults: the whole report, 3 near misses per figure, 30
    /// figures, the province detected.
    fn default() -> Self {
        ExplainRequest {
            report: None,
            text: None,
            at: None,
            number: None,
            rule: Vec::new(),
            indicator: Vec::new(),
            province: None,
            limit: 3,
            max_figures: 30,
            all: false,
            gold: None,
            reports: None,
        }
    }
}

/// An explanation and what went wrong on the way without stopping it.
pub struct Explanation {
    /// The explanation (`--format json` serializes this).
    pub output: ExplainOutput,
    /// Problems with the annotations or the annotated reports (`gold`),
    /// which leave those out of the effects.
    pub notes: Vec<Diagnostic>,
    /// The annotation files, for the notes' labels.
    pub sources: Sources,
    /// What `--province` chose when it is not what it seems (a province
    /// without a rule file runs the common rules), to print before.
    pub province_note: Option<String>,
}

/// Why nothing was explained.
pub enum ExplainStop {
    /// The diagnostics (the last one stopped it), with the sources their
    /// labels point into, and the CLI's exit code (2: the report could not
    /// be read; 1: anything else).
    Diagnostics(Vec<Diagnostic>, Sources, u8),
    /// No rule set fits the report (a province file without common rules).
    NoRuleSet,
}

/// Explains `req.report` or `req.text` with `rules`.
pub fn explain(rules: &LoadedRules, req: &ExplainRequest) -> Result<Explanation, ExplainStop> {
    let stop = |d: Diagnostic, code: u8| ExplainStop::Diagnostics(vec![d], Sources::new(), code);
    let doc = read_subject(req).map_err(|(d, code)| stop(d, code))?;
    let choice = parse_province(rules, req.province.as_deref()).map_err(|d| stop(d, 1))?;
    let chosen = choose_rules(rules, &choice, &doc);
    let Some(set) = chosen.set else {
        return Err(ExplainStop::NoRuleSet);
    };
    let mut doc = doc;
    rules.declare_kind(Some(set), &mut doc);
    let program = &rules.programs[set];
    let keep = rule_filter(rules, set, &req.rule, &req.indicator).map_err(|d| stop(d, 1))?;
    let keep_fn = |r: &CompiledRule| keep.keeps(r);
    let opts = Options {
        keep: &keep_fn,
        all: req.all,
        near_misses: req.limit,
        max_figures: req.max_figures,
        max_rules: 12,
        fixes: true,
    };
    let places = Places::new(&doc);
    let targets = targets(req, &doc, &places, program, &keep).map_err(|d| {
        let mut sources = Sources::new();
        sources.add(doc.name.clone(), doc.decoded_text().to_string());
        ExplainStop::Diagnostics(vec![d], sources, 1)
    })?;
    let explained = match &targets {
        Some(t) => explain_figures(program, &doc, t, &opts),
        None => explain_report(program, &doc, &opts),
    };
    // With annotations: the annotated reports, run once, for the effects.
    let mut notes = Vec::new();
    let mut sources = Sources::new();
    let annotated = match &req.gold {
        Some(dir) => Some(Annotated::load(
            rules,
            &choice,
            dir,
            req,
            &mut notes,
            &mut sources,
        )?),
        None => None,
    };
    let effect_fn = |e: &RuleEdit| annotated.as_ref().and_then(|a| a.effect(rules, e));
    let gold_here = annotated
        .as_ref()
        .and_then(|a| a.gold.get(&eval::gold::stem(&doc.name)));
    let annotate_fn = |n: &Number| {
        gold_here
            .map(|g| annotations_of(g, program, n))
            .unwrap_or_default()
    };
    let files = RuleFiles::new(&rules.sources);
    let ctx = ViewContext {
        program,
        doc: &doc,
        places: &places,
        files: &files,
        effect: annotated
            .is_some()
            .then_some(&effect_fn as &dyn Fn(&RuleEdit) -> Option<Effect>),
        annotations: gold_here
            .is_some()
            .then_some(&annotate_fn as &dyn Fn(&Number) -> Vec<String>),
    };
    let header = HeaderView {
        report: doc.name.clone(),
        encoding: doc.encoding,
        province: chosen.province.clone(),
        province_why: chosen.why.clone(),
        region: chosen.region.clone(),
        rule_set: program.set_name.clone(),
        report_year: doc.report_year,
        report_year_why: report_year_why(&doc),
    };
    let output = ExplainOutput {
        header,
        figures_total: explained.figures_total,
        figures_left_out: explained
            .figures_total
            .saturating_sub(explained.figures.len()),
        near_misses_hidden: explained.hidden_near_misses,
        figures: ctx.figures(&explained),
        not_found: explained
            .not_found
            .iter()
            .map(|&r| program.rules[r].qualified_name.clone())
            .collect(),
        asked: targets.is_some(),
    };
    Ok(Explanation {
        output,
        notes,
        sources,
        province_note: choice.note(),
    })
}

/// Everything explain says (`zhibiao explain --format json` is this).
#[derive(Debug, Serialize)]
pub struct ExplainOutput {
    /// The report, its province, rule set and year, with reasons.
    #[serde(flatten)]
    pub header: HeaderView,
    /// Figures with findings, before the cap.
    pub figures_total: usize,
    /// Figures left out by `--max-figures`.
    pub figures_left_out: usize,
    /// Near misses on figures another rule took, not shown (`--all`).
    pub near_misses_hidden: usize,
    /// Each figure explained.
    pub figures: Vec<FigureView>,
    /// Rules (of those asked about) none of whose words occur.
    pub not_found: Vec<String>,
    /// Whether particular figures were asked about (`--at`, `--number`).
    pub asked: bool,
}

/// Reads the report (a file, `-` for stdin) or the `--text`.
fn read_subject(args: &ExplainRequest) -> Result<Document, (Diagnostic, u8)> {
    let (name, bytes, format) = match (&args.text, &args.report) {
        (Some(t), None) => (
            "<text>".to_string(),
            t.clone().into_bytes(),
            Some(SourceFormat::Text),
        ),
        (Some(_), Some(_)) => {
            return Err((
                Diagnostic::new(Code::BadPath, "give either a report or --text, not both")
                    .with_help("zhibiao explain report.txt, or zhibiao explain --text \"全市高新技术企业达到732家\""),
                1,
            ));
        }
        (None, None) => {
            return Err((
                Diagnostic::new(Code::BadPath, "no report to explain")
                    .with_help("give a report file, `-` for stdin, or --text \"…\""),
                1,
            ));
        }
        (None, Some(p)) => return read_document(&Input::from_arg(p), None).map_err(|d| (d, 2)),
    };
    text::read_report(&name, &bytes, format).map_err(|e| {
        (
            Diagnostic::new(e.code, e.message.clone()).with_help(e.help),
            2,
        )
    })
}

/// The figures `--at` or `--number` ask about (`None`: the whole report).
fn targets(
    args: &ExplainRequest,
    doc: &Document,
    places: &Places<'_>,
    program: &Program,
    keep: &RuleFilter,
) -> Result<Option<Vec<Number>>, Diagnostic> {
    if args.at.is_none() && args.number.is_none() {
        return Ok(None);
    }
    let figures = Figures::read(&doc.text);
    let mut found: Vec<Number> = figures.all().to_vec();
    if let Some(at) = &args.at {
        let (line, col) = parse_at(at).ok_or_else(|| {
            Diagnostic::new(
                Code::NoSuchFigure,
                format!("--at {at}: not LINE or LINE:COL"),
            )
            .with_help("give a line number, or a line and a column: --at 12 or --at 12:18")
        })?;
        let Some(from) = places.offset_at(line, col.unwrap_or(1)) else {
            return Err(Diagnostic::new(
                Code::NoSuchFigure,
                format!("--at {at}: the report has {} lines", places_lines(doc)),
            )
            .with_help("give a line of the report"));
        };
        let to = places.offset_at(line + 1, 1).unwrap_or(doc.text.len());
        found = match col {
            // The figure at or after the column, on that line.
            Some(_) => figures.at_or_after(from, to).cloned().into_iter().collect(),
            None => figures.starting_in(from..to.max(from)).to_vec(),
        };
        if found.is_empty() {
            return Err(Diagnostic::new(
                Code::NoSuchFigure,
                format!("--at {at}: no number there"),
            )
            .with_help("point at a number: --at LINE:COL with the column where it starts, or --number VALUE"));
        }
    }
    if let Some(n) = &args.number {
        let want: Decimal = n.parse().map_err(|_| {
            Diagnostic::new(Code::NoSuchFigure, format!("--number {n}: not a number"))
                .with_help("give the value as digits: --number 55 or --number 3.17")
        })?;
        let units: Vec<&CompiledRule> = program.rules.iter().filter(|r| keep.keeps(r)).collect();
        let all = std::mem::take(&mut found);
        found = all
            .iter()
            .filter(|x| {
                x.value == want
                    || units.iter().any(|r| {
                        crate::explain::figures::value_for(r, x)
                            .is_some_and(|v| v.normalize() == want.normalize())
                    })
            })
            .cloned()
            .collect();
        if found.is_empty() {
            let mut near: Vec<String> = all
                .iter()
                .filter(|x| x.unit.is_some())
                .map(|x| doc.text[x.range.clone()].to_string())
                .collect();
            near.dedup();
            let help = if near.is_empty() {
                "the report has no number with a unit".to_string()
            } else {
                format!(
                    "numbers in {}: {}",
                    if args.at.is_some() {
                        "that place"
                    } else {
                        "the report"
                    },
                    suggest::listing(&near.iter().map(String::as_str).collect::<Vec<_>>(), 12)
                )
            };
            let mut d = Diagnostic::new(
                Code::NoSuchFigure,
                format!("--number {n}: no such number in the report"),
            )
            .with_help(help);
            // Written there but not read: say why (a bad byte touching it,
            // an ordinal, a guess between two figures …).
            for note in unread_places(&doc.text, n, places) {
                d = d.with_note(note);
            }
            return Err(d);
        }
    }
    Ok(Some(found))
}

/// Most places [`unread_places`] names.
const UNREAD_LISTED: usize = 3;

/// Where `n` is written in `text` but no number is read, with the reader's
/// reason ([`text::NotRead`]): at most [`UNREAD_LISTED`], one pass.
fn unread_places(text: &str, n: &str, places: &Places<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if n.is_empty() {
        return out;
    }
    for (at, _) in text.match_indices(n) {
        // Only where the digits start a run of them.
        if text[..at].ends_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        match text::try_read_number(text, at) {
            Ok(_) | Err(text::NotRead::NoNumber) => {}
            Err(why) => {
                let place = places.of(at..at + n.len());
                out.push(format!(
                    "{n} at line {}, column {} is not read: {why}",
                    place.line, place.column
                ));
                if out.len() == UNREAD_LISTED {
                    break;
                }
            }
        }
    }
    out
}

fn places_lines(doc: &Document) -> usize {
    doc.decoded_text().lines().count()
}

/// `12` or `12:18`.
fn parse_at(s: &str) -> Option<(usize, Option<usize>)> {
    let (l, c) = match s.split_once(':') {
        Some((l, c)) => (l, Some(c)),
        None => (s, None),
    };
    let line: usize = l.trim().parse().ok().filter(|n| *n > 0)?;
    let col = match c {
        Some(c) => Some(c.trim().parse().ok().filter(|n: &usize| *n > 0)?),
        None => None,
    };
    Some((line, col))
}

/// The gold facts a figure stands for: same indicator unit and value.
fn annotations_of(g: &Gold, program: &Program, n: &Number) -> Vec<String> {
    g.facts
        .iter()
        .filter(|f| {
            program
                .rules
                .iter()
                .find(|r| r.indicator == f.indicator)
                .and_then(|r| crate::explain::figures::value_for(r, n))
                .and_then(|v| v.to_string().parse::<f64>().ok())
                .is_some_and(|v| eval::score::same(v, f.value))
        })
        .map(|f| {
            format!(
                "{} {} {}{}{}{}",
                f.indicator,
                f.value,
                f.status.as_deref().unwrap_or("?"),
                f.year.map(|y| format!(" {y}")).unwrap_or_default(),
                f.months
                    .as_ref()
                    .map(|m| format!(" {m}月"))
                    .unwrap_or_default(),
                if f.optional { " (optional)" } else { "" }
            )
        })
        .collect()
}

/// The annotated reports, run once, to see what a change does to them.
struct Annotated {
    gold: IndexMap<String, Gold>,
    reports: Vec<Report>,
}

impl Annotated {
    /// Loads the gold folder and runs every annotated report found in
    /// `--reports` (default: the explained report's folder).
    fn load(
        rules: &LoadedRules,
        choice: &ProvinceChoice,
        dir: &Path,
        args: &ExplainRequest,
        notes: &mut Vec<Diagnostic>,
        sources: &mut Sources,
    ) -> Result<Annotated, ExplainStop> {
        let (gold, diags) = load_gold(dir, sources);
        notes.extend(diags);
        let folder: PathBuf = match (&args.reports, &args.report) {
            (Some(r), _) => r.clone(),
            (None, Some(p)) if p.as_os_str() != "-" => p
                .parent()
                .map(Path::to_path_buf)
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or_else(|| PathBuf::from(".")),
            _ => {
                let d = Diagnostic::new(
                    Code::BadPath,
                    "--gold: where are the annotated reports?",
                )
                .with_help("give their folder with --reports DIR (explaining --text or stdin, there is no report folder to look in)");
                notes.push(d);
                return Err(ExplainStop::Diagnostics(
                    std::mem::take(notes),
                    std::mem::take(sources),
                    1,
                ));
            }
        };
        let (inputs, bad) = collect_inputs(&[folder]);
        notes.extend(bad);
        // A report that cannot be read, or that no rule set fits, is left
        // out of the effects, with its error among the notes.
        let mut reports = Vec::new();
        for input in inputs
            .iter()
            .filter(|i| gold.contains_key(&eval::gold::stem(&i.display())))
        {
            match run_for_eval(rules, choice, input) {
                Ok(r) => reports.push(r),
                Err(d) => notes.push(d),
            }
        }
        Ok(Annotated { gold, reports })
    }

    fn effect(&self, rules: &LoadedRules, edit: &RuleEdit) -> Option<Effect> {
        eval::effect(
            &self.reports,
            &self.gold,
            &rules.sets,
            &rules.programs,
            edit,
        )
    }
}
