//! "Did you mean …?": the closest known name by edit distance.
//!
//! Distances are counted in characters (not bytes), so a one-character slip
//! in a Chinese name (高企总数 / 高企总量) counts as one edit.
//!
//! [`unknown_name`] is the one diagnostic for a name given on the command
//! line that the rules do not know (`--rule`, `--indicator` of `test`,
//! `explain`, `eval`): the closest name, then the list of valid ones.

use super::{Code, Diagnostic};

/// Most valid names listed in an [`unknown_name`] help line.
pub const MAX_LISTED: usize = 60;

/// Levenshtein distance between `a` and `b`, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `name`, if one is close enough to be a likely
/// slip: at most a third of the longer name's characters differ (and at
/// least one edit is allowed).
pub fn closest<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let len = name.chars().count();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| {
            let c_len = c.chars().count();
            // Never suggest a name that shares nothing with the one written
            // (any one-character name is one edit from any other).
            *d <= (len.max(c_len) / 3).max(1) && *d < len.min(c_len)
        })
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// "did you mean X? valid …: a, b, c": the help line for `given`, which is
/// not among `valid` (deduplicated and sorted here; at most [`MAX_LISTED`]
/// are listed, then how many more).
pub fn unknown_name_help<'a, I>(given: &str, what: &str, valid: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let mut names: Vec<&str> = valid.into_iter().collect();
    names.sort_unstable();
    names.dedup();
    let guess = closest(given, names.iter().copied());
    let mut listed = names
        .iter()
        .take(MAX_LISTED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > MAX_LISTED {
        listed.push_str(&format!(", … and {} more", names.len() - MAX_LISTED));
    }
    let list = if names.is_empty() {
        format!("the rules define no {what}")
    } else {
        format!("valid {what}s: {listed}")
    };
    match guess {
        Some(g) => format!("did you mean {g}? {list}"),
        None => list,
    }
}

/// The diagnostic (ZB0711) for `--{flag} given` when no `what` of that name
/// exists: "no rule named X", with [`unknown_name_help`] as its help.
pub fn unknown_name<'a, I>(flag: &str, what: &str, given: &str, valid: I) -> Diagnostic
where
    I: IntoIterator<Item = &'a str>,
{
    Diagnostic::new(
        Code::UnknownName,
        format!("--{flag} {given}: no {what} of that name in the rules loaded"),
    )
    .with_help(unknown_name_help(given, what, valid))
}

/// A list of names for a help line: the first `max`, then how many more.
pub fn listing(names: &[&str], max: usize) -> String {
    let shown = names
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > max {
        format!("{shown} … ({} more)", names.len() - max)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_characters() {
        assert_eq!(edit_distance("高企总数", "高企总量"), 1);
        assert_eq!(edit_distance("rule", "rul"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn closest_picks_a_near_name_only() {
        let names = ["高企总数", "科技贷款", "hte_total"];
        assert_eq!(closest("高企总量", names), Some("高企总数"));
        assert_eq!(closest("hte_totl", names), Some("hte_total"));
        assert_eq!(closest("完全不同", names), None);
        assert_eq!(closest("架", ["家", "%"]), None);
    }

    #[test]
    fn unknown_names_get_a_guess_and_the_list() {
        let help = unknown_name_help("hte_totl", "indicator", ["tsme", "hte_total", "tsme"]);
        assert_eq!(
            help,
            "did you mean hte_total? valid indicators: hte_total, tsme"
        );
        let help = unknown_name_help("zzz", "rule", ["b", "a"]);
        assert_eq!(help, "valid rules: a, b");
        let many: Vec<String> = (0..70).map(|i| format!("r{i:02}")).collect();
        let help = unknown_name_help("x", "rule", many.iter().map(String::as_str));
        assert!(help.ends_with(", … and 10 more"), "{help}");
        let d = unknown_name("rule", "rule", "x", ["a"]);
        assert_eq!(d.code, Code::UnknownName);
    }

    #[test]
    fn listing_counts_what_it_leaves_out() {
        assert_eq!(listing(&["a", "b"], 5), "a, b");
        assert_eq!(listing(&["a", "b", "c"], 2), "a, b … (1 more)");
    }
}
