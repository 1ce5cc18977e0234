//! `zhibiao explain`: which rules matched a report, which almost did, and
//! why — as miette diagnostics on the report (spans in the original file),
//! or as JSON.

use std::io::IsTerminal;
use std::io::Write;
use std::process::ExitCode;

use serde_json::json;

use super::rules_load::{self, print_diagnostics};
use super::run::{Input, ProvinceChoice, choose_rules, read_input};
use super::{ExplainArgs, ExplainFormat};
use crate::diag::render::{RenderOptions, render_human};
use crate::diag::{Code, Diagnostic, FileId, Sources, Span};
use crate::explain::{RuleTrace, explain, outcome};
use crate::text::{self, Document};

/// Runs `zhibiao explain`.
pub fn run(args: &ExplainArgs) -> ExitCode {
    let Ok(rules) = rules_load::load(&args.rules) else {
        return ExitCode::from(1);
    };
    let input = Input::from_arg(&args.report);
    let doc = match read_input(&input).and_then(|bytes| {
        text::read_report(&input.display(), &bytes, None)
            .map_err(|e| Diagnostic::new(e.code, e.message.clone()).with_help(e.help))
    }) {
        Ok(d) => d,
        Err(d) => {
            print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(2);
        }
    };
    let choice = match args.province.as_deref() {
        None | Some("auto") => ProvinceChoice::Auto,
        Some(p) => match rules.province(&crate::province::short_province_name(p)) {
            Some(i) => ProvinceChoice::Fixed(i),
            None => {
                eprintln!(
                    "zhibiao: no rules for province {p}; known: {}",
                    rules.province_names().join(", ")
                );
                return ExitCode::from(1);
            }
        },
    };
    let (set, province, region) = choose_rules(&rules, &choice, &doc);
    let Some(set) = set else {
        eprintln!("zhibiao: no rule set to run");
        return ExitCode::from(1);
    };
    let program = &rules.programs[set];
    let filter = |r: &crate::compile::CompiledRule| {
        args.rule
            .as_ref()
            .is_none_or(|n| r.name == *n || r.qualified_name == *n)
            && args.indicator.as_ref().is_none_or(|i| r.indicator == *i)
    };
    let mut traces = explain(program, &doc, Some(&filter));
    if traces.is_empty() {
        eprintln!(
            "zhibiao: no rule matches --rule/--indicator in rule set {}",
            program.set_name
        );
        return ExitCode::from(1);
    }
    let rank = |t: &RuleTrace| match outcome(t) {
        "matched" => 0,
        "lost" => 1,
        "vetoed" => 2,
        "near_miss" => 3,
        _ => 4,
    };
    traces.sort_by_key(|t| (rank(t), t.rule));
    let header = format!(
        "{}: {} · encoding {} · rules {}{}",
        input.display(),
        if province.is_some() {
            "province"
        } else {
            "no province"
        },
        doc.encoding,
        program.set_name,
        region.map(|r| format!(" · region {r}")).unwrap_or_default()
    );
    match args.format {
        ExplainFormat::Json => print_json(program, &doc, &traces, &header, args.limit),
        ExplainFormat::Human => print_human(program, &doc, &traces, &header, args.limit),
    }
    ExitCode::SUCCESS
}

fn span_of(doc: &Document, r: std::ops::Range<usize>) -> Span {
    let d = doc.decoded_range(r);
    Span::new(d.start, d.end)
}

/// Builds the diagnostics that describe the traces, on the report's text.
pub fn trace_diagnostics(
    program: &crate::compile::Program,
    doc: &Document,
    file: FileId,
    traces: &[RuleTrace],
    limit: usize,
) -> (Vec<Diagnostic>, Vec<String>) {
    let mut diags = Vec::new();
    let mut not_found = Vec::new();
    for t in traces {
        let rule = &program.rules[t.rule];
        let name = &rule.qualified_name;
        for f in &t.facts {
            let mut d = Diagnostic::new(
                Code::ExplainMatched,
                format!(
                    "rule {name} matched: {} = {} {} ({}{}{})",
                    f.indicator,
                    f.value,
                    f.unit,
                    f.status.as_str(),
                    f.year.map(|y| format!(", {y}")).unwrap_or_default(),
                    f.months
                        .as_ref()
                        .map(|m| format!(", {m}月"))
                        .unwrap_or_default()
                ),
            )
            .with_label(file, span_of(doc, f.span.clone()), "matched here");
            let sentence = doc.text.get(f.sentence.clone()).unwrap_or("").trim();
            d = d.with_note(format!("evidence: {}", clip(sentence, 120)));
            diags.push(d);
        }
        for l in &t.lost {
            diags.push(
                Diagnostic::new(
                    Code::ExplainLostConflict,
                    format!(
                        "rule {name} matched {} {} but lost: {}",
                        l.candidate.value, rule.unit.text, l.reason
                    ),
                )
                .with_label(
                    file,
                    span_of(doc, l.candidate.span.clone()),
                    "this match lost",
                ),
            );
        }
        for v in &t.vetoed {
            diags.push(
                Diagnostic::new(
                    Code::ExplainVetoed,
                    format!(
                        "rule {name} matched, but the veto word “{}” stands nearby",
                        v.word
                    ),
                )
                .with_label(file, span_of(doc, v.span.clone()), "match")
                .with_label(file, span_of(doc, v.at..v.at + v.word.len()), "veto word")
                .with_help("if this is a real figure, narrow the rule's `unless` list"),
            );
        }
        if t.anchor_hits == 0 {
            not_found.push(name.clone());
            continue;
        }
        {
            let shown = t.near_misses.iter().take(limit);
            for m in shown {
                let anchor_text = doc.text.get(m.anchor.clone()).unwrap_or("");
                let break_at = m.progress.pos.min(doc.text.len());
                let end = crate::diag::ceil_char_boundary(&doc.text, break_at + 1);
                diags.push(
                    Diagnostic::new(
                        Code::ExplainNearMiss,
                        format!(
                            "rule {name}: found “{anchor_text}”, then expected {}, but {}",
                            m.expected, m.found
                        ),
                    )
                    .with_label(file, span_of(doc, m.anchor.clone()), "found")
                    .with_label(
                        file,
                        span_of(doc, break_at..end),
                        "broke off here",
                    ),
                );
            }
            if t.near_misses.len() > limit {
                diags.push(Diagnostic::new(
                    Code::ExplainNearMiss,
                    format!(
                        "rule {name}: {} more near misses left out (--limit)",
                        t.near_misses.len() - limit
                    ),
                ));
            }
        }
    }
    (diags, not_found)
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(n).collect();
        out.push('…');
        out
    }
}

fn print_human(
    program: &crate::compile::Program,
    doc: &Document,
    traces: &[RuleTrace],
    header: &str,
    limit: usize,
) {
    let mut sources = Sources::new();
    let file = sources.add(doc.name.clone(), doc.decoded_text().to_string());
    let (diags, not_found) = trace_diagnostics(program, doc, file, traces, limit);
    let options = RenderOptions {
        color: std::io::stdout().is_terminal(),
        width: 100,
    };
    let _ = writeln!(std::io::stdout().lock(), "{header}");
    for d in &diags {
        let _ = write!(
            std::io::stdout().lock(),
            "{}",
            render_human(d, &sources, options)
        );
    }
    if !not_found.is_empty() {
        let _ = writeln!(
            std::io::stdout().lock(),
            "not found ({} rules: none of their words occur): {}",
            not_found.len(),
            not_found.join(", ")
        );
    }
}

fn print_json(
    program: &crate::compile::Program,
    doc: &Document,
    traces: &[RuleTrace],
    header: &str,
    limit: usize,
) {
    let decoded = doc.decoded_text();
    let place = |r: std::ops::Range<usize>| {
        let o = doc.original_range(r.clone());
        let d = doc.decoded_range(r);
        let (line, column) = crate::diag::line_col(decoded, d.start);
        json!({"start": o.start, "end": o.end, "line": line, "column": column})
    };
    let mut out = Vec::new();
    for t in traces {
        let rule = &program.rules[t.rule];
        let mut findings = Vec::new();
        for f in &t.facts {
            findings.push(json!({"kind": "matched", "value": f.value.to_string(), "unit": f.unit,
                "status": f.status.as_str(), "year": f.year, "months": f.months, "at": place(f.span.clone()),
                "evidence": doc.text.get(f.sentence.clone()).unwrap_or("").trim()}));
        }
        for l in &t.lost {
            findings.push(
                json!({"kind": "lost", "value": l.candidate.value.to_string(),
                "winner": program.rules[l.winner].qualified_name, "reason": l.reason,
                "at": place(l.candidate.span.clone())}),
            );
        }
        for v in &t.vetoed {
            findings.push(
                json!({"kind": "vetoed", "word": v.word, "at": place(v.span.clone()),
                "veto_at": place(v.at..v.at + v.word.len())}),
            );
        }
        for m in t.near_misses.iter().take(limit) {
            findings.push(
                json!({"kind": "near_miss", "score": m.score, "expected": m.expected,
                "found": m.found, "anchor": place(m.anchor.clone()),
                "broke_off": place(m.progress.pos..m.progress.pos)}),
            );
        }
        out.push(json!({
            "rule": rule.qualified_name, "indicator": rule.indicator, "outcome": outcome(t),
            "near_misses_left_out": t.near_misses.len().saturating_sub(limit),
            "findings": findings,
        }));
    }
    let doc_json =
        json!({"report": doc.name, "summary": header, "encoding": doc.encoding, "rules": out});
    let _ = writeln!(
        std::io::stdout().lock(),
        "{}",
        serde_json::to_string_pretty(&doc_json).unwrap_or_default()
    );
}
