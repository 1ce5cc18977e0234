//! `zhibiao rules indicators`: the indicators the rules extract, one line
//! each: id, name, unit, and what counts as one — the rules that produce
//! it, by rule file (a rule's name says what it reads: 高企总数, 拥有高企).
//! Columns are padded by display width, as in `rules show`.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::rules_load;

/// Runs `zhibiao rules indicators`.
pub fn run(paths: &[std::path::PathBuf], only: bool, province: Option<&str>) -> ExitCode {
    let Some((rules, wanted)) = rules_load::load_for_listing(paths, only, province) else {
        return ExitCode::from(1);
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // A closed pipe (`| head`) ends the listing quietly.
    let _ = list(&rules, wanted, &mut out);
    ExitCode::SUCCESS
}

/// One indicator as listed: its name and unit, and its rules by set.
struct Row {
    name: String,
    unit: &'static str,
    /// Rule file (stem) → the names of its rules for this indicator.
    rules: BTreeMap<String, Vec<String>>,
}

/// Writes the listing (every set's indicators, or `wanted`'s); returns how
/// many indicators were listed.
fn list(
    rules: &rules_load::LoadedRules,
    wanted: Option<usize>,
    out: &mut impl Write,
) -> io::Result<usize> {
    // In declaration order of the first set that declares each.
    let mut rows: indexmap::IndexMap<String, Row> = indexmap::IndexMap::new();
    for (i, set) in rules.sets.iter().enumerate() {
        if wanted.is_some_and(|w| w != i) {
            continue;
        }
        for (id, def) in &set.indicators {
            rows.entry(id.clone()).or_insert_with(|| Row {
                name: def.name.clone(),
                unit: def.unit.text,
                rules: BTreeMap::new(),
            });
        }
        for r in &set.rules {
            if let Some(row) = rows.get_mut(&r.indicator) {
                // By the file that writes the rule: a province set's
                // imported common rules are listed once, as common's.
                let file = &rules.sources.get(r.file).name;
                let stem = std::path::Path::new(file)
                    .file_stem()
                    .map_or_else(|| file.clone(), |s| s.to_string_lossy().into_owned());
                let names = row.rules.entry(stem).or_default();
                if !names.contains(&r.name) {
                    names.push(r.name.clone());
                }
            }
        }
    }
    let id_w = rows.keys().map(|k| k.width()).max().unwrap_or(0).max(2);
    let name_w = rows
        .values()
        .map(|r| r.name.width())
        .max()
        .unwrap_or(0)
        .max(4);
    let unit_w = rows
        .values()
        .map(|r| r.unit.width())
        .max()
        .unwrap_or(0)
        .max(4);
    writeln!(
        out,
        "{} {} {} counted by (rules, by file)",
        pad("id", id_w),
        pad("name", name_w),
        pad("unit", unit_w)
    )?;
    for (id, row) in &rows {
        let counted = if row.rules.is_empty() {
            "no rule yet".to_string()
        } else {
            row.rules
                .iter()
                .map(|(set, names)| format!("{set}: {}", names.join(", ")))
                .collect::<Vec<_>>()
                .join("; ")
        };
        writeln!(
            out,
            "{} {} {} {}",
            pad(id, id_w),
            pad(&row.name, name_w),
            pad(row.unit, unit_w),
            counted
        )?;
    }
    Ok(rows.len())
}

/// `s` padded with spaces to `width` terminal cells.
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalog_indicator_with_its_unit_and_rules() {
        let rules = rules_load::load(&[]).unwrap_or_else(|_| panic!("shipped rules load"));
        let mut out = Vec::new();
        let n = list(&rules, None, &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        assert!(n >= 16, "{text}");
        let line = text
            .lines()
            .find(|l| l.starts_with("hte_total "))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(line.contains("高新技术企业总数"), "{line}");
        assert!(line.contains(" 家 "), "{line}");
        assert!(line.contains("common: 高企总数"), "{line}");
        // The name column lines up (display width).
        let units: Vec<usize> = text
            .lines()
            .skip(1)
            .filter_map(|l| {
                let id = l.split(' ').next()?;
                let rest = &l[id.len()..];
                Some(l[..id.len() + rest.len() - rest.trim_start().len()].width())
            })
            .collect();
        assert!(units.windows(2).all(|w| w[0] == w[1]), "{text}");
    }
}
