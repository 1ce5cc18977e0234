//! Scoring predictions against gold facts, with exactly the semantics of
//! the shared scorer (`shared/eval/score.py`), so that `zhibiao eval` and
//! that script give the same figures (a test checks it on the dev corpus).
//!
//! Per report (only reports with a gold file are scored): predictions are
//! taken in output order, a repeat of the same indicator and value (rounded
//! to 6 decimals) counts once (the first wins); each prediction takes the
//! first unused gold fact of its indicator whose value agrees (Python's
//! `math.isclose` with a relative tolerance of 0.5 % or an absolute one of
//! 1e-6); none: a false hit. A gold fact marked `optional` that is hit
//! counts neither way; an unused required gold fact is a miss. Status,
//! year (where the gold gives one) and months are compared on the hits.
//! Ratios are rounded to 4 decimals as Python's `round` does (half to even
//! on the exact binary value: Rust's `{:.4}` does the same).

use serde::Serialize;

use super::gold::GoldFact;

/// One predicted fact, as `run` would write it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Indicator id.
    pub indicator: String,
    /// The value as the JSON output carries it.
    pub value: f64,
    /// actual / estimate / target.
    pub status: String,
    /// The year.
    pub year: Option<i32>,
    /// "1-10" or none.
    pub months: Option<String>,
    /// The qualified rule name.
    pub rule: String,
    /// Which fact of the report it is (index into the caller's list).
    pub fact: usize,
}

/// What became of one (de-duplicated) prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// It hit a required gold fact (index).
    Hit(usize),
    /// It hit an optional gold fact (index): neither way.
    Optional(usize),
    /// It hit nothing.
    FalseHit,
}

/// The result for one report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocScore {
    /// Each de-duplicated prediction (index into the report's predictions)
    /// with its outcome, in order.
    pub outcomes: Vec<(usize, Outcome)>,
    /// Required gold facts no prediction hit (indices).
    pub misses: Vec<usize>,
}

/// Python's `math.isclose(a, b, rel_tol=5e-3, abs_tol=1e-6)`.
pub fn same(a: f64, b: f64) -> bool {
    if a == b {
        return true;
    }
    if a.is_infinite() || b.is_infinite() {
        return false;
    }
    let diff = (b - a).abs();
    diff <= (5e-3 * b).abs() || diff <= (5e-3 * a).abs() || diff <= 1e-6
}

/// Python's `round(x, 6)` as a key: the value's decimal text at 6 places.
fn key6(x: f64) -> String {
    let s = format!("{x:.6}");
    if s == "-0.000000" {
        "0.000000".into()
    } else {
        s
    }
}

/// Python's `round(x, 4)`.
pub fn round4(x: f64) -> f64 {
    format!("{x:.4}").parse().unwrap_or(x)
}

/// score.py's `norm_months`: "1—10月" → "1-10"; empty → none.
pub fn norm_months(m: Option<&str>) -> Option<String> {
    let m = m.filter(|m| !m.is_empty())?;
    let mut s = m.replace('月', "");
    for dash in ["—", "–", "－", "~", "～", "至", "到"] {
        s = s.replace(dash, "-");
    }
    Some(s.trim().to_string())
}

/// Scores one report's predictions (in output order) against its gold facts.
///
/// Each prediction takes the first gold fact (in file order) not taken yet
/// with its indicator and a value [`same`] as its own, as score.py does.
/// The gold facts are indexed by indicator and sorted by value, and a
/// tree over that order keeps the first fact not yet taken of any range:
/// a prediction costs a logarithm of its indicator's facts, not a look at
/// every fact (50,000 facts against as many annotations took over a
/// minute that way: issue 25, item 14).
pub fn score_doc(facts: &[GoldFact], preds: &[Prediction]) -> DocScore {
    let mut out = DocScore::default();
    let mut used = vec![false; facts.len()];
    let mut seen: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    let mut by_indicator: std::collections::HashMap<&str, Vec<(f64, usize)>> =
        std::collections::HashMap::new();
    for (k, f) in facts.iter().enumerate() {
        by_indicator
            .entry(f.indicator.as_str())
            .or_default()
            .push((f.value, k));
    }
    let mut index: std::collections::HashMap<&str, Indexed> = by_indicator
        .into_iter()
        .map(|(ind, mut list)| {
            list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let tree = FirstFree::new(list.iter().map(|(_, k)| *k));
            (ind, (list, tree))
        })
        .collect();
    for (i, p) in preds.iter().enumerate() {
        if !seen.insert((p.indicator.clone(), key6(p.value))) {
            continue;
        }
        let hit = index
            .get_mut(p.indicator.as_str())
            .and_then(|(list, tree)| {
                let (from, to) = same_window(list, p.value);
                let first = tree.first(from, to)?;
                // The window is the exact range of `same` up to rounding: when
                // its first free fact is not `same` after all, look at each.
                let at = if same(list[first].0, p.value) {
                    first
                } else {
                    crate::work::add(to - from);
                    (from..to)
                        .filter(|&at| !used[list[at].1] && same(list[at].0, p.value))
                        .min_by_key(|&at| list[at].1)?
                };
                tree.take(at);
                Some(list[at].1)
            });
        let outcome = match hit {
            None => Outcome::FalseHit,
            Some(k) => {
                used[k] = true;
                if facts[k].optional {
                    Outcome::Optional(k)
                } else {
                    Outcome::Hit(k)
                }
            }
        };
        out.outcomes.push((i, outcome));
    }
    out.misses = facts
        .iter()
        .enumerate()
        .filter(|(k, f)| !used[*k] && !f.optional)
        .map(|(k, _)| k)
        .collect();
    out
}

/// One indicator's annotations: (value, fact index) sorted by value, and
/// the tree of those not taken yet.
type Indexed = (Vec<(f64, usize)>, FirstFree);

/// The positions `from..to` of `list` (sorted by value) whose values are
/// [`same`] as `value`. `same(f, v)` holds when |f − v| is within 1e-6,
/// 5e-3·|v| or 5e-3·|f|: three intervals around `v`, so their union is one
/// interval, [v − d, v + u], found by two binary searches (widened by a
/// hair for rounding; [`score_doc`] checks `same` on what it finds). The
/// whole list for a value that is not finite.
fn same_window(list: &[(f64, usize)], value: f64) -> (usize, usize) {
    if !value.is_finite() {
        return (0, list.len());
    }
    let a = value.abs();
    // |f − v| ≤ 5e-3·|f| reaches to |v|/(1 − 5e-3) away from zero and
    // |v|/(1 + 5e-3) towards it.
    let away = (a / (1.0 - 5e-3) - a).max(5e-3 * a).max(1e-6) * (1.0 + 1e-9);
    let toward = (a - a / (1.0 + 5e-3)).max(5e-3 * a).max(1e-6) * (1.0 + 1e-9);
    let (lo, hi) = if value >= 0.0 {
        (value - toward, value + away)
    } else {
        (value - away, value + toward)
    };
    let from = list.partition_point(|(v, _)| *v < lo);
    let to = list.partition_point(|(v, _)| *v <= hi).max(from);
    (from, to)
}

/// A segment tree over positions holding each position's fact index, or
/// nothing once taken: the smallest fact index of a range in a logarithm.
struct FirstFree {
    /// Leaves start at `size`; `usize::MAX` is a taken (or absent) fact.
    tree: Vec<usize>,
    size: usize,
}

impl FirstFree {
    fn new(ks: impl ExactSizeIterator<Item = usize>) -> FirstFree {
        let size = ks.len().next_power_of_two().max(1);
        let mut tree = vec![usize::MAX; 2 * size];
        for (i, k) in ks.enumerate() {
            tree[size + i] = k;
        }
        for i in (1..size).rev() {
            tree[i] = tree[2 * i].min(tree[2 * i + 1]);
        }
        FirstFree { tree, size }
    }

    /// The position in `from..to` of the smallest fact index not taken.
    fn first(&self, from: usize, to: usize) -> Option<usize> {
        let (mut l, mut r) = (from + self.size, to + self.size);
        let mut best = (usize::MAX, 0);
        let mut steps = 0;
        while l < r {
            steps += 1;
            if l & 1 == 1 {
                best = best.min((self.tree[l], l));
                l += 1;
            }
            if r & 1 == 1 {
                r -= 1;
                best = best.min((self.tree[r], r));
            }
            l /= 2;
            r /= 2;
        }
        if best.0 == usize::MAX {
            crate::work::add(steps);
            return None;
        }
        // Down to the leaf that holds it.
        let mut node = best.1;
        while node < self.size {
            steps += 1;
            node = if self.tree[2 * node] == best.0 {
                2 * node
            } else {
                2 * node + 1
            };
        }
        crate::work::add(steps);
        Some(node - self.size)
    }

    /// Marks position `at` taken.
    fn take(&mut self, at: usize) {
        let mut node = at + self.size;
        self.tree[node] = usize::MAX;
        while node > 1 {
            node /= 2;
            self.tree[node] = self.tree[2 * node].min(self.tree[2 * node + 1]);
        }
    }
}

/// Counts over many reports, as score.py prints them.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Totals {
    /// Reports scored.
    pub docs: usize,
    /// Hits on required facts.
    pub tp: usize,
    /// False hits.
    pub fp: usize,
    /// Missed required facts.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// Hits on optional facts (not in precision or recall).
    pub optional_hits: usize,
    /// Hits whose status agrees.
    pub status_ok: usize,
    /// Hits whose gold fact gives a year.
    pub year_n: usize,
    /// Of those, hits whose year agrees.
    pub year_ok: usize,
    /// Hits whose months agree.
    pub months_ok: usize,
}

impl Totals {
    /// Adds one report's outcomes.
    pub fn add(&mut self, facts: &[GoldFact], preds: &[Prediction], s: &DocScore) {
        for (i, o) in &s.outcomes {
            match o {
                Outcome::FalseHit => self.fp += 1,
                Outcome::Optional(_) => self.optional_hits += 1,
                Outcome::Hit(k) => {
                    self.tp += 1;
                    let (p, f) = (&preds[*i], &facts[*k]);
                    if Some(&p.status) == f.status.as_ref() {
                        self.status_ok += 1;
                    }
                    if let Some(y) = f.year {
                        self.year_n += 1;
                        if p.year.map(i64::from) == Some(y) {
                            self.year_ok += 1;
                        }
                    }
                    if norm_months(p.months.as_deref()) == norm_months(f.months.as_deref()) {
                        self.months_ok += 1;
                    }
                }
            }
        }
        self.fn_ += s.misses.len();
    }

    /// Precision, recall, F1 and the accuracies, rounded as score.py rounds.
    pub fn ratios(&self) -> Ratios {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let precision = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let recall = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        let share = |n: usize, of: usize| {
            if of > 0 {
                round4(n as f64 / of as f64)
            } else {
                0.0
            }
        };
        Ratios {
            precision: round4(precision),
            recall: round4(recall),
            f1: round4(f1),
            status_accuracy: share(self.status_ok, self.tp),
            year_accuracy: share(self.year_ok, self.year_n),
            months_accuracy: share(self.months_ok, self.tp),
        }
    }
}

/// The ratios score.py prints.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Ratios {
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Their harmonic mean.
    pub f1: f64,
    /// Share of hits with the right status.
    pub status_accuracy: f64,
    /// Share of hits with a gold year whose year is right.
    pub year_accuracy: f64,
    /// Share of hits with the right months.
    pub months_accuracy: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(ind: &str, value: f64, optional: bool) -> GoldFact {
        GoldFact {
            indicator: ind.into(),
            value,
            status: Some("actual".into()),
            year: Some(2021),
            months: None,
            optional,
        }
    }

    fn pred(ind: &str, value: f64) -> Prediction {
        Prediction {
            indicator: ind.into(),
            value,
            status: "actual".into(),
            year: Some(2021),
            months: None,
            rule: "r".into(),
            fact: 0,
        }
    }

    /// The scan over every fact that [`score_doc`] replaced.
    fn score_naive(facts: &[GoldFact], preds: &[Prediction]) -> DocScore {
        let mut out = DocScore::default();
        let mut used = vec![false; facts.len()];
        let mut seen = std::collections::HashSet::new();
        for (i, p) in preds.iter().enumerate() {
            if !seen.insert((p.indicator.clone(), key6(p.value))) {
                continue;
            }
            let hit = facts.iter().enumerate().position(|(k, f)| {
                !used[k] && f.indicator == p.indicator && same(f.value, p.value)
            });
            let outcome = match hit {
                None => Outcome::FalseHit,
                Some(k) => {
                    used[k] = true;
                    if facts[k].optional {
                        Outcome::Optional(k)
                    } else {
                        Outcome::Hit(k)
                    }
                }
            };
            out.outcomes.push((i, outcome));
        }
        out.misses = (0..facts.len())
            .filter(|&k| !used[k] && !facts[k].optional)
            .collect();
        out
    }

    /// The index gives what the scan over every fact gave, on values
    /// crowded at the edges of the tolerance (±0.5 %), zero, tiny and
    /// negative values, repeats and two indicators.
    #[test]
    fn the_index_scores_as_the_full_scan() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let bases = [0.0, 1e-7, 1.0, 100.0, -50.0, 731.0, 1e9];
        let steps = [0.0, 0.0049, -0.0049, 0.00502, -0.00502, 0.0051, 0.006, 1e-7];
        for _ in 0..300 {
            let value = |next: &mut dyn FnMut(u64) -> u64| {
                let b = bases[next(bases.len() as u64) as usize];
                let s = steps[next(steps.len() as u64) as usize];
                b * (1.0 + s) + if b == 0.0 { s * 1e-4 } else { 0.0 }
            };
            let facts: Vec<GoldFact> = (0..next(12))
                .map(|_| {
                    let ind = if next(3) == 0 { "b" } else { "a" };
                    fact(ind, value(&mut next), next(4) == 0)
                })
                .collect();
            let preds: Vec<Prediction> = (0..next(12))
                .map(|_| pred(if next(3) == 0 { "b" } else { "a" }, value(&mut next)))
                .collect();
            let (fast, slow) = (score_doc(&facts, &preds), score_naive(&facts, &preds));
            assert_eq!(fast.outcomes, slow.outcomes, "{facts:?} {preds:?}");
            assert_eq!(fast.misses, slow.misses);
        }
    }

    /// Issue 25 item 14: scoring costs a logarithm per prediction, not a
    /// look at every annotation: twice the facts and annotations, at most
    /// 2.3 times the work (tree levels visited).
    #[test]
    fn scoring_is_linear_in_facts_and_annotations() {
        let work = |n: usize| {
            let facts: Vec<GoldFact> = (0..n).map(|i| fact("a", i as f64 * 3.0, false)).collect();
            let preds: Vec<Prediction> = (0..n).map(|i| pred("a", i as f64 * 3.0 + 1.0)).collect();
            crate::work::take();
            let s = score_doc(&facts, &preds);
            assert_eq!(s.outcomes.len(), n);
            crate::work::take()
        };
        let (one, two) = (work(100_000), work(200_000));
        assert!(two as f64 / one as f64 <= 2.3, "{one} → {two}");
    }

    #[test]
    fn isclose_as_python() {
        assert!(same(100.0, 100.4));
        assert!(!same(100.0, 100.6));
        assert!(same(0.0, 1e-7));
        assert!(!same(0.0, 1e-5));
    }

    #[test]
    fn repeats_count_once_and_optional_hits_are_neutral() {
        let facts = [
            fact("a", 10.0, false),
            fact("b", 5.0, true),
            fact("a", 20.0, false),
        ];
        let preds = [
            pred("a", 10.0),
            pred("a", 10.0000001),
            pred("b", 5.0),
            pred("a", 7.0),
        ];
        let s = score_doc(&facts, &preds);
        assert_eq!(
            s.outcomes,
            [
                (0, Outcome::Hit(0)),
                (2, Outcome::Optional(1)),
                (3, Outcome::FalseHit)
            ]
        );
        assert_eq!(s.misses, [2]);
        let mut t = Totals::default();
        t.add(&facts, &preds, &s);
        assert_eq!((t.tp, t.fp, t.fn_), (1, 1, 1));
        assert_eq!(t.ratios().f1, 0.5);
    }

    #[test]
    fn rounding_and_months_as_python() {
        assert_eq!(round4(0.72993), 0.7299);
        assert_eq!(round4(2.0 / 3.0), 0.6667);
        assert_eq!(round4(0.03125), 0.0312);
        assert_eq!(norm_months(Some("1—10月")), Some("1-10".into()));
        assert_eq!(norm_months(Some("")), None);
    }
}
