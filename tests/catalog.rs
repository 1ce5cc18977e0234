//! The shipped rules declare every indicator of the shared catalog
//! (../shared/spec/indicators.toml) with the catalog's unit, so output ids
//! and units are the ones other tools expect. Skipped, with a printed
//! reason, only when ../shared is absent (under CI it fails instead).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use zhibiao::check::{builtin_sources, check};
use zhibiao::diag::Sources;

/// `[id]` headers and their `unit = "…"` lines; the catalog is flat TOML.
fn catalog_units(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(id) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(id.to_string());
        } else if let (Some(id), Some(rest)) = (&current, line.strip_prefix("unit")) {
            let unit = rest
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('"');
            out.insert(id.clone(), unit.to_string());
        }
    }
    out
}

#[test]
fn shipped_rules_declare_the_catalog() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/indicators.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        common::skip_unless_required(&format!("{} is absent", path.display()));
        return;
    };
    let catalog = catalog_units(&text);
    assert!(catalog.len() >= 16, "catalog parsed: {catalog:?}");
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    for set in &checked.sets {
        for (id, unit) in &catalog {
            let declared = set
                .indicators
                .get(id)
                .unwrap_or_else(|| panic!("rule set {} does not declare {id}", set.name));
            assert_eq!(
                declared.unit.text, unit,
                "{id}: unit differs from the catalog"
            );
        }
    }
}

#[test]
fn every_catalog_indicator_has_a_rule() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/indicators.toml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        common::skip_unless_required(&format!("{} is absent", path.display()));
        return;
    };
    let mut sources = Sources::new();
    let files = builtin_sources(&mut sources);
    let checked = check(&sources, &files);
    let common = checked
        .sets
        .iter()
        .find(|s| s.province.is_none())
        .expect("a common rule set");
    for id in catalog_units(&text).keys() {
        assert!(
            common.rules.iter().any(|r| &r.indicator == id),
            "no common rule extracts {id}"
        );
    }
}
