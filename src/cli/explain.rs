//! `zhibiao explain`: for each figure of a report, which rule took it and
//! why (status, year and months with their reasons), which rules lost it,
//! and for a figure no rule took, how far the closest rules got and the
//! smallest change that would make them take it. `--at`, `--number` and
//! `--text` ask about one figure or one piece of text; `--gold` adds what
//! each change would do to every annotated figure.
//!
//! Output is bounded (figures, rules per figure, near misses per figure are
//! capped and what is left out is counted), so that explaining a real
//! report prints a few kilobytes, never the report again.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indexmap::IndexMap;
use rust_decimal::Decimal;
use serde::Serialize;

use super::rules_load::{self, LoadedRules, print_diagnostics};
use super::{ExplainArgs, ExplainFormat};
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
use crate::workspace::{
    ProvinceChoice, RuleFilter, choose_rules, parse_province, read_document, rule_filter,
    run_for_eval,
};

/// Runs `zhibiao explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    let Ok(rules) = rules_load::load_for(&args.rules, args.rules_only, args.kind.declared()) else {
        return ExitCode::from(1);
    };
    let doc = match read_subject(args) {
        Ok(d) => d,
        Err((d, code)) => {
            print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(code);
        }
    };
    let choice = match parse_province(&rules, args.province.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(1);
        }
    };
    if let Some(note) = choice.note().filter(|_| !super::ui::quiet()) {
        say!("note: {note}");
    }
    let chosen = choose_rules(&rules, &choice, &doc);
    let Some(set) = chosen.set else {
        say!("zhibiao: no rule set to run");
        return ExitCode::from(1);
    };
    let mut doc = doc;
    rules.declare_kind(Some(set), &mut doc);
    let program = &rules.programs[set];
    let keep = match rule_filter(&rules, set, &args.rule, &args.indicator) {
        Ok(k) => k,
        Err(d) => {
            print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(1);
        }
    };
    let keep_fn = |r: &CompiledRule| keep.keeps(r);
    let opts = Options {
        keep: &keep_fn,
        all: args.all,
        near_misses: args.limit,
        max_figures: args.max_figures,
        max_rules: 12,
        fixes: true,
    };
    let places = Places::new(&doc);
    let targets = match targets(args, &doc, &places, program, &keep) {
        Ok(t) => t,
        Err(d) => {
            let mut sources = Sources::new();
            sources.add(doc.name.clone(), doc.decoded_text().to_string());
            print_diagnostics(&[d], &sources);
            return ExitCode::from(1);
        }
    };
    let explained = match &targets {
        Some(t) => explain_figures(program, &doc, t, &opts),
        None => explain_report(program, &doc, &opts),
    };
    // With annotations: the annotated reports, run once, for the effects.
    let annotated = match &args.gold {
        Some(dir) => match Annotated::load(&rules, &choice, dir, args) {
            Ok(a) => Some(a),
            Err(code) => return ExitCode::from(code),
        },
        None => None,
    };
    let effect_fn = |e: &RuleEdit| annotated.as_ref().and_then(|a| a.effect(&rules, e));
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
    let out = ExplainOutput {
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
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        // Serialized first, written in one go: a closed pipe is then an
        // I/O error of its own kind (serde_json's writer would wrap it),
        // and ends quietly as everywhere else.
        ExplainFormat::Json => serde_json::to_vec_pretty(&out)
            .map_err(std::io::Error::other)
            .and_then(|json| {
                stdout.write_all(&json)?;
                writeln!(stdout)
            }),
        ExplainFormat::Human => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            stdout.write_all(render_human(&out, color).as_bytes())
        }
    };
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            say!("zhibiao: {e}");
            ExitCode::from(1)
        }
        // Annotation files or annotated reports that could not be read
        // (their errors printed above): exit 2, as `run` and `eval` do.
        _ if annotated.as_ref().is_some_and(|a| a.failed) => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
    }
}

/// Everything explain prints.
#[derive(Debug, Serialize)]
struct ExplainOutput {
    #[serde(flatten)]
    header: HeaderView,
    /// Figures with findings, before the cap.
    figures_total: usize,
    /// Figures left out by `--max-figures`.
    figures_left_out: usize,
    /// Near misses on figures another rule took, not shown (`--all`).
    near_misses_hidden: usize,
    figures: Vec<FigureView>,
    /// Rules (of those asked about) none of whose words occur.
    not_found: Vec<String>,
    /// Whether particular figures were asked about (`--at`, `--number`).
    asked: bool,
}

/// Reads the report (a file, `-` for stdin) or the `--text`.
fn read_subject(args: &ExplainArgs) -> Result<Document, (Diagnostic, u8)> {
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
    args: &ExplainArgs,
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
    /// Whether an annotation file or an annotated report could not be read.
    failed: bool,
}

impl Annotated {
    /// Loads the gold folder and runs every annotated report found in
    /// `--reports` (default: the explained report's folder).
    fn load(
        rules: &LoadedRules,
        choice: &ProvinceChoice,
        dir: &Path,
        args: &ExplainArgs,
    ) -> Result<Annotated, u8> {
        let mut sources = Sources::new();
        let (gold, diags) = load_gold(dir, &mut sources);
        let mut failed = diags.iter().any(Diagnostic::is_error);
        if !diags.is_empty() {
            print_diagnostics(&diags, &sources);
        }
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
                print_diagnostics(&[d], &Sources::new());
                return Err(1);
            }
        };
        let (inputs, bad) = collect_inputs(&[folder]);
        if !bad.is_empty() {
            print_diagnostics(&bad, &Sources::new());
            failed |= bad.iter().any(Diagnostic::is_error);
        }
        // A report that cannot be read, or that no rule set fits, is left
        // out of the effects, with its error.
        let mut reports = Vec::new();
        for input in inputs
            .iter()
            .filter(|i| gold.contains_key(&eval::gold::stem(&i.display())))
        {
            match run_for_eval(rules, choice, input) {
                Ok(r) => reports.push(r),
                Err(d) => {
                    failed |= d.is_error();
                    print_diagnostics(&[d], &Sources::new());
                }
            }
        }
        Ok(Annotated {
            gold,
            reports,
            failed,
        })
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

/// Explain's output as text.
fn render_human(out: &ExplainOutput, color: bool) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let h = &out.header;
    let _ = writeln!(
        s,
        "{} · {} · rules {} · {}",
        h.report,
        match &h.province {
            Some(p) => format!("province {p} ({})", h.province_why),
            None => format!("no province ({})", h.province_why),
        },
        h.rule_set,
        h.encoding
    );
    let _ = writeln!(
        s,
        "report year {} ({})",
        h.report_year
            .map_or("unknown".to_string(), |y| y.to_string()),
        h.report_year_why
    );
    if out.figures.is_empty() && !out.asked {
        let _ = writeln!(s, "no rule was about any figure here");
    }
    for f in &out.figures {
        s.push('\n');
        render_figure(&mut s, f, color);
    }
    let mut tail = Vec::new();
    if out.figures_left_out > 0 {
        tail.push(format!(
            "{} more figures left out (--max-figures 0 shows all)",
            out.figures_left_out
        ));
    }
    if out.near_misses_hidden > 0 {
        tail.push(format!(
            "{} near misses on figures other rules took not shown (--all)",
            out.near_misses_hidden
        ));
    }
    if !out.not_found.is_empty() {
        let names: Vec<&str> = out.not_found.iter().map(String::as_str).collect();
        tail.push(format!(
            "{} rules never ran (none of their anchor words occur): {}",
            names.len(),
            suggest::listing(&names, 8)
        ));
    }
    if !tail.is_empty() {
        s.push('\n');
        for t in tail {
            let _ = writeln!(s, "{t}");
        }
    }
    s
}

/// One figure's block.
pub fn render_figure(s: &mut String, f: &FigureView, color: bool) {
    use std::fmt::Write as _;
    let (on, off) = if color {
        ("\x1b[1;4m", "\x1b[0m")
    } else {
        ("⟦", "⟧")
    };
    let _ = writeln!(s, "── {}:{} · {} ──", f.at.line, f.at.column, f.number);
    let _ = writeln!(s, "  {}{on}{}{off}{}", f.before, f.number, f.after);
    for a in &f.annotated {
        let _ = writeln!(s, "  annotated: {a}");
    }
    if let Some(t) = &f.taken {
        let _ = writeln!(
            s,
            "  taken by {} ({}): {} = {} {} · {}{}{}",
            t.rule,
            t.rule_at,
            t.indicator,
            t.value,
            t.unit,
            t.status,
            t.year.map(|y| format!(" · {y}")).unwrap_or_default(),
            t.months
                .as_ref()
                .map(|m| format!(" · {m}月"))
                .unwrap_or_default()
        );
        let _ = writeln!(s, "    {}: {}", t.status, t.status_why);
        let _ = writeln!(
            s,
            "    {}: {}",
            t.year.map_or("year unknown".to_string(), |y| y.to_string()),
            t.year_why
        );
        let _ = writeln!(
            s,
            "    {}: {}",
            t.months
                .as_ref()
                .map_or("whole year".to_string(), |m| format!("{m}月")),
            t.months_why
        );
        for r in &t.reading {
            let _ = writeln!(s, "    read: {r}");
        }
    } else if f.rules.iter().all(|r| r.kind == "near_miss") && !f.rules.is_empty() {
        let _ = writeln!(s, "  no rule took it; the closest:");
    }
    if let Some(c) = &f.carry {
        let _ = writeln!(s, "  carry: {c}");
    }
    for r in &f.rules {
        let label = match r.kind {
            "near_miss" => "near miss",
            "no_anchor" => "no anchor",
            k => k,
        };
        let _ = writeln!(
            s,
            "  {label}: {} ({}, {}): {}",
            r.rule, r.indicator, r.rule_at, r.message
        );
        if let Some(h) = &r.help {
            let _ = writeln!(s, "    stopped by {}", h.obstacle);
            let _ = writeln!(s, "    help: {}", h.change);
            if let Some(e) = &h.effect {
                let _ = writeln!(s, "      {}", effect_line(e));
            }
        }
    }
    if f.rules_left_out > 0 {
        let _ = writeln!(s, "  … {} more rules", f.rules_left_out);
    }
    if !f.no_anchor.is_empty() {
        let more = if f.no_anchor_left_out > 0 {
            format!(" and {} more", f.no_anchor_left_out)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  no anchor word within reach: {}{more}",
            f.no_anchor.join(", ")
        );
    }
    if f.near_misses_hidden > 0 {
        let _ = writeln!(
            s,
            "  ({} near misses of other rules not shown: --all)",
            f.near_misses_hidden
        );
    }
    if f.taken.is_none() && f.rules.is_empty() && f.no_anchor.is_empty() {
        let _ = writeln!(
            s,
            "  no rule takes a number like this (none of their units fits)"
        );
    }
}

/// "on 56 annotated reports: finds 2 (…), loses 0, 1 new false hit (…)".
pub fn effect_line(e: &Effect) -> String {
    let list = |v: &[eval::FigureRef]| {
        let shown: Vec<String> = v
            .iter()
            .take(3)
            .map(|f| format!("{} {} {}", f.doc, f.indicator, f.value))
            .collect();
        let more = if v.len() > 3 {
            format!(", {} more", v.len() - 3)
        } else {
            String::new()
        };
        if v.is_empty() {
            String::new()
        } else {
            format!(" ({}{more})", shown.join(", "))
        }
    };
    format!(
        "on {} annotated reports: finds {}{}, loses {}{}, {} new false hits{}, {} false hits gone{}",
        e.reports,
        e.found.len(),
        list(&e.found),
        e.lost.len(),
        list(&e.lost),
        e.new_false_hits.len(),
        list(&e.new_false_hits),
        e.fewer_false_hits.len(),
        list(&e.fewer_false_hits),
    )
}
