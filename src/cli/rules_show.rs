//! `zhibiao rules show`: the effective rule set after imports and
//! overrides, each rule with the file it comes from. Columns are padded by
//! display width (a Chinese character takes two cells), so they line up.

use std::io::{self, Write};
use std::process::ExitCode;

use unicode_width::UnicodeWidthStr;

use super::rules_load;
use super::ui::counted;

/// Runs `zhibiao rules show`.
pub fn run(paths: &[std::path::PathBuf], only: bool, province: Option<&str>) -> ExitCode {
    let Some((rules, wanted)) = rules_load::load_for_listing(paths, only, province) else {
        return ExitCode::from(1);
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // A closed pipe (`| head`) ends the listing quietly; a full disk is
    // said, exit 1.
    if super::write_failed(show(&rules, wanted, &mut out).and_then(|_| out.flush())) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Writes the listing; returns how many rule sets were shown.
fn show(
    rules: &rules_load::LoadedRules,
    wanted: Option<usize>,
    out: &mut impl Write,
) -> io::Result<usize> {
    let mut shown = 0;
    for (i, set) in rules.sets.iter().enumerate() {
        if wanted.is_some_and(|w| w != i) {
            continue;
        }
        shown += 1;
        writeln!(
            out,
            "rule set {} (root {}): {}, {}",
            set.name,
            rules.sources.get(set.root).name,
            counted(set.rules.len(), "rule"),
            counted(set.indicators.len(), "indicator")
        )?;
        if let Some(p) = &set.province {
            writeln!(
                out,
                "  province {} — regions: {}",
                p.name,
                p.regions.join(" ")
            )?;
        }
        // Columns as wide as their widest entry in this set (at least the
        // old fixed widths, so short sets still read as a table).
        let name_w = set
            .rules
            .iter()
            .map(|r| r.qualified_name.width())
            .max()
            .unwrap_or(0)
            .max(28);
        let indicator_w = set
            .rules
            .iter()
            .map(|r| r.indicator.width())
            .max()
            .unwrap_or(0)
            .max(24);
        for r in &set.rules {
            let (line, _) = rules.sources.line_col(r.file, r.span.start);
            let overrides = r
                .overrides
                .as_ref()
                .map(|o| format!("  (overrides {o})"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} -> {} priority {:<3} {}:{}{}",
                pad(&r.qualified_name, name_w),
                pad(&r.indicator, indicator_w),
                r.priority,
                rules.sources.get(r.file).name,
                line,
                overrides
            )?;
        }
    }
    Ok(shown)
}

/// `s` padded with spaces to `width` terminal cells (`format!("{:<28}")`
/// counts characters, so Chinese names pushed the next column out).
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(s.width())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_in_display_width() {
        let rules = rules_load::load(&[]).unwrap_or_else(|_| panic!("shipped rules load"));
        let mut out = Vec::new();
        show(&rules, rules.province("江苏"), &mut out).unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        // Every rule line has its `->` at the same display column.
        let columns: Vec<usize> = text
            .lines()
            .filter_map(|l| l.find(" -> ").map(|i| l[..i].width()))
            .collect();
        assert!(columns.len() > 3, "{text}");
        assert!(columns.windows(2).all(|w| w[0] == w[1]), "{text}");
    }
}
