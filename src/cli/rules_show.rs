//! `zhibiao rules show`: the effective rule set after imports and
//! overrides, each rule with the file it comes from.

use std::process::ExitCode;

use super::rules_load;

/// Runs `zhibiao rules show`.
pub fn run(paths: &[std::path::PathBuf], province: Option<&str>) -> ExitCode {
    let Ok(rules) = rules_load::load(paths) else {
        return ExitCode::from(1);
    };
    let wanted = province.map(crate::province::short_province_name);
    let mut shown = 0;
    for set in &rules.sets {
        let name = set.province.as_ref().map(|p| p.name.clone());
        if let Some(w) = &wanted
            && name.as_deref() != Some(w.as_str())
        {
            continue;
        }
        shown += 1;
        println!(
            "rule set {} (root {}): {} rules, {} indicators",
            set.name,
            rules.sources.get(set.root).name,
            set.rules.len(),
            set.indicators.len()
        );
        if let Some(p) = &set.province {
            println!("  province {} — regions: {}", p.name, p.regions.join(" "));
        }
        for r in &set.rules {
            let (line, _) = rules.sources.line_col(r.file, r.span.start);
            let overrides = r
                .overrides
                .as_ref()
                .map(|o| format!("  (overrides {o})"))
                .unwrap_or_default();
            println!(
                "  {:<28} -> {:<24} priority {:<3} {}:{}{}",
                r.qualified_name,
                r.indicator,
                r.priority,
                rules.sources.get(r.file).name,
                line,
                overrides
            );
        }
    }
    if shown == 0 {
        eprintln!(
            "zhibiao: no rule set for province {}; known: {}",
            province.unwrap_or(""),
            rules.province_names().join(", ")
        );
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
