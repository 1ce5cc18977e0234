//! Running report-level examples (`report NAME { line "…" => … }`) for
//! `zhibiao test`.
//!
//! Unlike a rule's `example` (one sentence, its rule alone), a report
//! example is a whole short report — a title, headings, sentences — run
//! with the whole rule set of the file it is written in, exactly as `run`
//! would: sections decide status, titles the year, rules compete for a
//! number, wider areas and 其中 parts are dropped. Each fact belongs to the
//! line its figure stands in; a line with `=>` passes when it gives the
//! facts it lists (in order, no more), and a line without `=>` must give
//! none (it fails only if it does).

use std::collections::HashSet;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::examples::ExampleResult;
use crate::check::{Report, RuleSet};
use crate::compile::Program;
use crate::diag::{FileId, Span};
use crate::engine::{self, Fact};
use crate::syntax::ast::ReportFact;
use crate::text::{SourceFormat, Unit, read_report};

/// Runs every report example of `sets` once: with the set rooted at its
/// own file when there is one, else with the first set that imports it.
/// One result per checked line.
pub fn run_reports(sets: &[RuleSet], programs: &[Program]) -> Vec<ExampleResult> {
    let mut seen: HashSet<(FileId, Span)> = HashSet::new();
    let mut results = Vec::new();
    for native_only in [true, false] {
        for (set, program) in sets.iter().zip(programs) {
            for report in &set.reports {
                if (native_only && report.file != set.root)
                    || !seen.insert((report.file, report.decl.span))
                {
                    continue;
                }
                results.extend(run_report(set, program, report));
            }
        }
    }
    results
}

/// One report: its text read as a report, the set run over it, each line's
/// facts held against what the line lists.
fn run_report(set: &RuleSet, program: &Program, report: &Report) -> Vec<ExampleResult> {
    let name = format!("{}/{}", set.name, report.decl.name.name);
    let mut text = String::new();
    let mut starts = Vec::new();
    for line in &report.decl.lines {
        starts.push(text.len());
        text.push_str(&line.text.value);
        text.push('\n');
    }
    let result =
        |line: &crate::syntax::ast::ReportLine, passed: bool, message: String| ExampleResult {
            file: report.file,
            span: line.span,
            rule: name.clone(),
            passed,
            todo: false,
            message,
            notes: Vec::new(),
            inherited_by: None,
            report: true,
        };
    let doc = match read_report("<report>", text.as_bytes(), Some(SourceFormat::Text)) {
        Ok(d) => d,
        Err(e) => {
            return report
                .decl
                .lines
                .iter()
                .take(1)
                .map(|l| {
                    result(
                        l,
                        false,
                        format!("the report's text cannot be read: {}", e.message),
                    )
                })
                .collect();
        }
    };
    let facts = engine::run(program, &doc);
    // Each fact under the line its figure stands in (offsets of the text
    // as written: normalization may change lengths).
    let line_of = |f: &Fact| {
        let at = doc.original_range(f.number_span.clone()).start;
        starts.partition_point(|&s| s <= at).saturating_sub(1)
    };
    let mut out = Vec::new();
    for (i, line) in report.decl.lines.iter().enumerate() {
        let got: Vec<&Fact> = facts.iter().filter(|f| line_of(f) == i).collect();
        if !line.checked && got.is_empty() {
            continue;
        }
        let passed = got.len() == line.facts.len()
            && line.facts.iter().zip(&got).all(|(w, g)| agrees(set, w, g));
        let want = if line.facts.is_empty() {
            "no fact".to_string()
        } else {
            line.facts
                .iter()
                .map(describe_expected)
                .collect::<Vec<_>>()
                .join("; ")
        };
        let got = if got.is_empty() {
            "nothing".to_string()
        } else {
            got.iter()
                .map(|f| describe_fact(f))
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push(result(line, passed, format!("expected {want}, got {got}")));
    }
    out
}

/// Whether `got` is the fact `want` describes, in what `want` says.
fn agrees(set: &RuleSet, want: &ReportFact, got: &Fact) -> bool {
    if want.indicator.name != got.indicator {
        return false;
    }
    let Ok(mut value) = Decimal::from_str(&want.value) else {
        return false;
    };
    if let (Some(u), Some(def)) = (
        want.unit.as_ref().and_then(|u| Unit::parse(&u.name)),
        set.indicators.get(&want.indicator.name),
    ) && let Some(v) = u.convert(value, def.unit)
    {
        value = v;
    }
    value.normalize() == got.value.normalize()
        && want.status.is_none_or(|(s, _)| s == got.status)
        && want.year.is_none_or(|(y, _)| Some(y) == got.year)
        && want
            .months
            .as_ref()
            .is_none_or(|(m, _)| got.months.as_deref() == Some(m.as_str()))
}

/// `hte_total 300 target 2024`.
fn describe_expected(f: &ReportFact) -> String {
    let mut s = format!("{} {}", f.indicator.name, f.value);
    if let Some(u) = &f.unit {
        s.push_str(&u.name);
    }
    if let Some((st, _)) = f.status {
        s.push(' ');
        s.push_str(st.as_str());
    }
    if let Some((y, _)) = f.year {
        s.push_str(&format!(" {y}"));
    }
    if let Some((m, _)) = &f.months {
        s.push_str(&format!(" {m}"));
    }
    s
}

/// `hte_total 300 target 2024 -` (year and months `-` when there are none).
fn describe_fact(f: &Fact) -> String {
    format!(
        "{} {} {} {} {}",
        f.indicator,
        f.value.normalize(),
        f.status.as_str(),
        f.year.map_or("-".to_string(), |y| y.to_string()),
        f.months.as_deref().unwrap_or("-")
    )
}
