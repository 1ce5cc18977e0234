//! "Did you mean …?": the closest known name by edit distance.
//!
//! Distances are counted in characters (not bytes), so a one-character slip
//! in a Chinese name (高企总数 / 高企总量) counts as one edit.

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
    fn listing_counts_what_it_leaves_out() {
        assert_eq!(listing(&["a", "b"], 5), "a, b");
        assert_eq!(listing(&["a", "b", "c"], 2), "a, b … (1 more)");
    }
}
