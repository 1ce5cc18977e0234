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
use std::process::ExitCode;

use super::rules_load::{self, print_diagnostics};
use super::{ExplainArgs, ExplainFormat};
use crate::diag::{Diagnostic, suggest};
use crate::eval::{self, Effect};
use crate::explain::view::FigureView;
use crate::workspace::explain::{ExplainOutput, ExplainRequest, ExplainStop, explain};

/// Runs `zhibiao explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    let Ok(rules) = rules_load::load_for(&args.rules, args.rules_only, args.kind.declared()) else {
        return ExitCode::from(1);
    };
    let req = ExplainRequest {
        report: args.report.clone(),
        text: args.text.clone(),
        at: args.at.clone(),
        number: args.number.clone(),
        rule: args.rule.clone(),
        indicator: args.indicator.clone(),
        province: args.province.clone(),
        limit: args.limit,
        max_figures: args.max_figures,
        all: args.all,
        gold: args.gold.clone(),
        reports: args.reports.clone(),
    };
    // Annotation files or annotated reports that could not be read (their
    // errors printed): exit 2 after the explanation, as `run` and `eval` do.
    let failed;
    let out = match explain(&rules, &req) {
        Ok(e) => {
            if let Some(note) = e.province_note.filter(|_| !super::ui::quiet()) {
                say!("note: {note}");
            }
            if !e.notes.is_empty() {
                print_diagnostics(&e.notes, &e.sources);
            }
            failed = e.notes.iter().any(Diagnostic::is_error);
            e.output
        }
        Err(ExplainStop::Diagnostics(diags, sources, code)) => {
            print_diagnostics(&diags, &sources);
            return ExitCode::from(code);
        }
        Err(ExplainStop::NoRuleSet) => {
            say!("zhibiao: no rule set to run");
            return ExitCode::from(1);
        }
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
        _ if failed => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
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
