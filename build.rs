//! Embeds every rules/*.zb file into the binary (see src/check/builtin.rs),
//! and builds the gazetteer's name automaton (see src/province/mod.rs), so
//! that a run deserializes it instead of building it (~16 M instructions of
//! every start-up, issue 26).

use std::fmt::Write as _;
use std::path::Path;

/// The gazetteer's levels, as src/province/names.rs names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Province,
    Prefecture,
    County,
}

/// The crate's own short-name rules, so that the automaton's names are the
/// ones the gazetteer computes at run time (which checks that they are).
#[allow(dead_code)]
#[path = "src/province/names.rs"]
mod names;

fn main() {
    embed_rules();
    gazetteer_automaton();
}

/// Writes `gazetteer_names.txt` (every distinct full and short division
/// name, sorted, one a line) and `gazetteer_names.daac` (the daachorse
/// automaton over them, each name's value its line number) to OUT_DIR, as
/// `province::Gazetteer::parse` builds them.
fn gazetteer_automaton() {
    println!("cargo:rerun-if-changed=data/gazetteer/divisions.tsv");
    println!("cargo:rerun-if-changed=src/province/names.rs");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let tsv = std::fs::read_to_string(Path::new(&manifest).join("data/gazetteer/divisions.tsv"))
        .unwrap_or_default();
    let mut keys: Vec<String> = Vec::new();
    for line in tsv.lines() {
        if line.starts_with('#') || line.starts_with("adcode\t") || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [_, name, level, _, _] = cols[..] else {
            continue;
        };
        let level = match level {
            "province" => Level::Province,
            "prefecture" => Level::Prefecture,
            "county" => Level::County,
            _ => continue,
        };
        keys.push(name.to_string());
        if let Some(short) = names::short_name(name, level).filter(|s| s != name) {
            keys.push(short);
        }
    }
    // Former names (data/gazetteer/former.tsv) of divisions that exist
    // today are names too, as the gazetteer reads them.
    println!("cargo:rerun-if-changed=data/gazetteer/former.tsv");
    let codes: std::collections::HashSet<&str> = tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("adcode\t"))
        .filter_map(|l| l.split('\t').next())
        .filter(|c| !c.is_empty())
        .collect();
    let former = std::fs::read_to_string(Path::new(&manifest).join("data/gazetteer/former.tsv"))
        .unwrap_or_default();
    for line in former.lines() {
        if line.starts_with('#') || line.starts_with("name\t") || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        if let (Some(name), Some(code)) = (cols.next(), cols.next())
            && codes.contains(code)
        {
            keys.push(name.to_string());
        }
    }
    keys.sort();
    keys.dedup();
    // An automaton that does not build leaves an empty file: the gazetteer
    // then builds its own at run time.
    let automaton = daachorse::CharwiseDoubleArrayAhoCorasickBuilder::new()
        .match_kind(daachorse::MatchKind::LeftmostLongest)
        .build_with_values(keys.iter().enumerate().map(|(i, k)| (k.as_str(), i as u32)))
        .map(|a: daachorse::CharwiseDoubleArrayAhoCorasick<u32>| a.serialize())
        .unwrap_or_default();
    let out = Path::new(&out_dir);
    if let Err(e) = std::fs::write(out.join("gazetteer_names.txt"), keys.join("\n"))
        .and_then(|()| std::fs::write(out.join("gazetteer_names.daac"), automaton))
    {
        panic!("cannot write the gazetteer's automaton: {e}");
    }
}

/// Writes `builtin_rules.rs`: every rules/*.zb file, included as text.
fn embed_rules() {
    println!("cargo:rerun-if-changed=rules");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let dir = Path::new(&manifest).join("rules");
    let mut files: Vec<String> = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str());
            if let (true, Some(name)) = (path.extension().is_some_and(|e| e == "zb"), name) {
                println!("cargo:rerun-if-changed=rules/{name}");
                files.push(name.to_string());
            }
        }
    }
    files.sort();
    let mut out = String::from(
        "/// Every shipped rule file: (name, text), sorted by name.\npub static BUILTIN_RULES: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let full = dir.join(f);
        let _ = writeln!(
            out,
            "    ({:?}, include_str!({:?})),",
            format!("rules/{f}"),
            full.to_string_lossy()
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("builtin_rules.rs"), out) {
        panic!("cannot write builtin_rules.rs: {e}");
    }
}
