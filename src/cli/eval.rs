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

use std::io::Write;
use std::process::ExitCode;

use super::EvalArgs;
use super::EvalFormat;
use super::explain::render_figure;
use super::rules_load::{self, print_diagnostics};
use crate::diag::{Code, Diagnostic, Sources, suggest};
use crate::explain::words::clip;
use crate::workspace::eval_view::{EvalView, FalseHitView};
use crate::workspace::scoring::{EvalRequest, evaluate};

/// Runs `zhibiao eval`.
pub fn run(args: &EvalArgs) -> ExitCode {
    if !args.watch {
        return run_once(args).0;
    }
    let mut paths = args.rules.clone();
    if paths.is_empty() && std::path::Path::new("rules").is_dir() {
        // The shipped rules are built in; what changes is rules/ on disk.
        paths.push("rules".into());
    }
    let watched = EvalArgs {
        gold: args.gold.clone(),
        reports: args.reports.clone(),
        rules: paths.clone(),
        rules_only: args.rules_only,
        kind: args.kind,
        province: args.province.clone(),
        format: args.format,
        min_f1: args.min_f1,
        indicator: args.indicator.clone(),
        rule: args.rule.clone(),
        no_explain: args.no_explain,
        watch: true,
    };
    paths.push(args.gold.clone());
    paths.extend(args.reports.iter().cloned());
    super::watch::watch(&paths, &[], || {
        let (_, outcomes) = run_once(&watched);
        (outcomes, Vec::new())
    })
}

/// One run: its exit code and its scores (overall and per indicator).
fn run_once(args: &EvalArgs) -> (ExitCode, super::watch::Outcomes) {
    let mut scores = super::watch::Outcomes::new();
    // NaN compares false with everything: `--min-f1 NaN` never failed
    // (issue 25, item 22).
    if let Some(min) = args.min_f1
        && !(0.0..=1.0).contains(&min)
    {
        print_diagnostics(
            &[
                Diagnostic::new(Code::BadOption, format!("--min-f1 {min}: not an F1"))
                    .with_help("give a number from 0 to 1, such as --min-f1 0.8"),
            ],
            &Sources::new(),
        );
        return (ExitCode::from(1), scores);
    }
    let Ok(rules) = rules_load::load_for(&args.rules, args.rules_only, args.kind.declared()) else {
        return (ExitCode::from(1), scores);
    };
    let scored = evaluate(
        &rules,
        &EvalRequest {
            gold: &args.gold,
            reports: &args.reports,
            province: args.province.as_deref(),
            indicator: &args.indicator,
            rule: &args.rule,
            explain: !args.no_explain,
        },
    );
    if !super::ui::quiet() {
        if args.rules.is_empty() {
            let mut names: Vec<&str> = rules.sets.iter().map(|s| s.name.as_str()).collect();
            names.sort_unstable();
            say!(
                "note: scoring the built-in rules ({}); --rules FILE scores others",
                names.join(", ")
            );
        }
        for note in &scored.notes {
            say!("note: {note}");
        }
    }
    if !scored.problems.is_empty() {
        print_diagnostics(&scored.problems, &scored.sources);
    }
    let failed = scored.failed;
    let out = match scored.view {
        Ok(view) => view,
        Err((d, code)) => {
            print_diagnostics(&[d], &Sources::new());
            return (ExitCode::from(code), scores);
        }
    };
    scores.insert(
        "overall".to_string(),
        format!(
            "precision {} recall {} f1 {} (tp {} fp {} fn {})",
            out.ratios.precision,
            out.ratios.recall,
            out.ratios.f1,
            out.totals.tp,
            out.totals.fp,
            out.totals.fn_
        ),
    );
    for row in &out.per_indicator {
        scores.insert(
            row.indicator.clone(),
            format!(
                "f1 {} (tp {} fp {} fn {})",
                row.ratios.f1, row.totals.tp, row.totals.fp, row.totals.fn_
            ),
        );
    }
    let mut stdout = std::io::stdout().lock();
    let written = match args.format {
        // Serialized first: a closed pipe stays an I/O error of its own
        // kind (serde_json's writer would wrap it) and ends quietly.
        EvalFormat::Json => serde_json::to_vec(&out)
            .map_err(std::io::Error::other)
            .and_then(|json| {
                stdout.write_all(&json)?;
                writeln!(stdout)
            }),
        EvalFormat::Human => stdout.write_all(render_human(&out).as_bytes()),
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        say!("zhibiao: {e}");
        return (ExitCode::from(1), scores);
    }
    drop(stdout);
    if failed {
        return (ExitCode::from(2), scores);
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
        return (ExitCode::from(1), scores);
    }
    (ExitCode::SUCCESS, scores)
}

/// Eval's output as text.
fn render_human(out: &EvalView) -> String {
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
    if !out.unscored.is_empty() {
        let mut ids: Vec<&str> = out.unscored.iter().map(|f| f.indicator.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let w = &out.without_unscored;
        let _ = writeln!(
            s,
            "  {} facts of indicators no annotation mentions ({}) are unscored; \
             counted as false hits above, as score.py counts them. Without them: \
             precision {}  recall {}  f1 {}",
            out.unscored.len(),
            ids.join(", "),
            w.precision,
            w.recall,
            w.f1
        );
    }
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
    let line = |s: &mut String, f: &FalseHitView| {
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
    };
    for f in &out.false_hits {
        line(&mut s, f);
    }
    if !out.unscored.is_empty() {
        let _ = writeln!(
            s,
            "\nunscored: no annotation mentions their indicator ({})",
            out.unscored.len()
        );
        for f in &out.unscored {
            line(&mut s, f);
        }
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
