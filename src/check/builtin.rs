//! The rules shipped in rules/, built into the binary.
//!
//! build.rs lists rules/*.zb and generates one `include_str!` per file, so
//! the binary needs no files at run time and a changed rule file rebuilds it.

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

use crate::diag::{FileId, Sources};

/// Adds every shipped rule file to `sources` (named `rules/<file>`) and
/// returns their ids, sorted by name.
pub fn builtin_sources(sources: &mut Sources) -> Vec<FileId> {
    BUILTIN_RULES
        .iter()
        .map(|(name, text)| match sources.find(name) {
            Some(id) => id,
            None => sources.add(*name, *text),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn builtin_names_are_under_rules() {
        for (name, _) in super::BUILTIN_RULES {
            assert!(
                name.starts_with("rules/") && name.ends_with(".zb"),
                "{name}"
            );
        }
    }
}
