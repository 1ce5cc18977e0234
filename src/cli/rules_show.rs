//! `zhibiao rules show`: the effective rule set after imports and
//! overrides, each rule with the file it comes from.

use std::io::{self, Write};
use std::process::ExitCode;

use super::rules_load;

/// Runs `zhibiao rules show`.
pub fn run(paths: &[std::path::PathBuf], province: Option<&str>) -> ExitCode {
    let Ok(rules) = rules_load::load(paths) else {
        return ExitCode::from(1);
    };
    let wanted = province.map(crate::province::short_province_name);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match show(&rules, wanted.as_deref(), &mut out) {
        Ok(0) => {
            say!(
                "zhibiao: no rule set for province {}; known: {}",
                province.unwrap_or(""),
                rules.province_names().join(", ")
            );
            ExitCode::from(1)
        }
        // A closed pipe (`| head`) ends the listing quietly.
        Ok(_) | Err(_) => ExitCode::SUCCESS,
    }
}

/// Writes the listing; returns how many rule sets were shown.
fn show(
    rules: &rules_load::LoadedRules,
    wanted: Option<&str>,
    out: &mut impl Write,
) -> io::Result<usize> {
    let mut shown = 0;
    for set in &rules.sets {
        let name = set.province.as_ref().map(|p| p.name.clone());
        if let Some(w) = wanted
            && name.as_deref() != Some(w)
        {
            continue;
        }
        shown += 1;
        writeln!(
            out,
            "rule set {} (root {}): {} rules, {} indicators",
            set.name,
            rules.sources.get(set.root).name,
            set.rules.len(),
            set.indicators.len()
        )?;
        if let Some(p) = &set.province {
            writeln!(
                out,
                "  province {} — regions: {}",
                p.name,
                p.regions.join(" ")
            )?;
        }
        for r in &set.rules {
            let (line, _) = rules.sources.line_col(r.file, r.span.start);
            let overrides = r
                .overrides
                .as_ref()
                .map(|o| format!("  (overrides {o})"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:<28} -> {:<24} priority {:<3} {}:{}{}",
                r.qualified_name,
                r.indicator,
                r.priority,
                rules.sources.get(r.file).name,
                line,
                overrides
            )?;
        }
    }
    Ok(shown)
}
