//! Report-level examples (`report NAME { line "…" => … }`): each is kept
//! with its file for `zhibiao test`, which runs it with the whole rule set
//! ([`crate::workspace::examples`]); here its facts are checked against the
//! indicators in scope, as a rule's examples are.

use std::str::FromStr;

use indexmap::IndexMap;
use rust_decimal::Decimal;

use super::model::{IndicatorDef, Report};
use super::world::World;
use crate::diag::{Code, Diagnostic, FileId, suggest};
use crate::syntax::ast::{Item, ReportFact};
use crate::text::Unit;

/// The reports written in the files of `order` (each file once, in order),
/// their facts checked against `indicators`.
pub(super) fn reports(
    world: &World<'_>,
    order: &[FileId],
    indicators: &IndexMap<String, IndicatorDef>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Report> {
    let mut found = Vec::new();
    for file in order {
        let Some(ast) = world.files.get(file).and_then(|i| i.ast.as_ref()) else {
            continue;
        };
        for item in &ast.items {
            let Item::Report(decl) = item else { continue };
            for line in &decl.lines {
                for fact in &line.facts {
                    check_fact(*file, fact, indicators, out);
                }
            }
            found.push(Report {
                file: *file,
                decl: decl.clone(),
            });
        }
    }
    found
}

/// A fact's indicator must be in scope, its value a number, its unit one
/// that converts to the indicator's.
fn check_fact(
    file: FileId,
    fact: &ReportFact,
    indicators: &IndexMap<String, IndicatorDef>,
    out: &mut Vec<Diagnostic>,
) {
    let Some(def) = indicators.get(&fact.indicator.name) else {
        let help =
            match suggest::closest(&fact.indicator.name, indicators.keys().map(String::as_str)) {
                Some(s) => format!("did you mean {s}?"),
                None => "name an indicator declared in this file or its imports".to_string(),
            };
        out.push(
            Diagnostic::new(
                Code::UnknownIndicator,
                format!(
                    "the report example names indicator {}, which the rule set does not declare",
                    fact.indicator.name
                ),
            )
            .with_label(file, fact.indicator.span, "unknown indicator")
            .with_help(help),
        );
        return;
    };
    if Decimal::from_str(&fact.value).is_err() {
        out.push(
            Diagnostic::new(
                Code::BadExample,
                format!("the expected value `{}` is not a number", fact.value),
            )
            .with_label(file, fact.value_span, "not a number")
            .with_help(format!(
                "write it with digits and at most one decimal point, no separators: {}",
                fact.value.replace([',', '_'], "")
            )),
        );
    }
    if let Some(u) = &fact.unit {
        match Unit::parse(&u.name) {
            None => out.push(
                Diagnostic::new(Code::BadExample, format!("`{}` is not a unit", u.name))
                    .with_label(file, u.span, "unknown unit")
                    .with_help(
                        match suggest::closest(
                            &u.name,
                            crate::text::units::UNITS.iter().map(|u| u.text),
                        ) {
                            Some(s) => format!("did you mean {s}?"),
                            None => "use a unit such as 家, 亿元, 万元 or %; or leave it out to mean the indicator's unit".to_string(),
                        },
                    ),
            ),
            Some(eu) if !eu.converts_to(def.unit) => out.push(
                Diagnostic::new(
                    Code::BadExample,
                    format!(
                        "{} does not convert to {}'s unit {}",
                        u.name, def.id, def.unit.text
                    ),
                )
                .with_label(file, u.span, "another kind of unit")
                .with_help(format!(
                    "write the value in {} (or a unit that converts to it)",
                    def.unit.text
                )),
            ),
            Some(_) => {}
        }
    }
    if let Some((m, span)) = &fact.months {
        let ok = m
            .split('-')
            .map(|p| p.parse::<u32>().ok().filter(|n| (1..=12).contains(n)))
            .collect::<Option<Vec<_>>>()
            .is_some_and(|ns| ns.windows(2).all(|w| w[0] <= w[1]));
        if !ok {
            out.push(
                Diagnostic::new(Code::BadExample, format!("`{m}` are not months"))
                    .with_label(file, *span, "not a month period")
                    .with_help(
                        "write the months as the output does: 1-10 (January to October), or 6",
                    ),
            );
        }
    }
}
