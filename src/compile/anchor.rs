//! Choosing where the scan triggers a rule (its anchor words, [`plan_anchor`])
//! and which other words every match holds and how near (the prefilter's
//! [`required_sets`] and [`reach_all`]).

use std::ops::Range;

use super::flow::{
    FROM_HALF_CHARS, every_path, first_literals, leading_subject_pcs, longest_from,
    longest_prefixes, longest_to, on_every_path, passes_one_of,
};
use super::program::{AnchorPlan, Inst};
use crate::text::is_sentence_break;

/// Chooses the anchor of a rule program; `None` if no literal is required.
///
/// Candidates: the words every match starts with (no look-back), and each
/// literal on every path (looking back as far as the prefix before it can
/// reach). The cheapest by [`anchor_cost`] wins, so that a rule that opens
/// with an optional quote mark or 全市 is triggered by its rarer key word
/// instead of by every quote mark in the report.
pub fn plan_anchor<'i>(insts: &'i [Inst]) -> Option<AnchorPlan> {
    // Candidates are scored on borrowed words; only the winner's are copied
    // (a rule that opens with a subject offers hundreds of first words, and
    // copying every candidate's cost 17 M instructions of each start-up).
    let mut best: Option<(f64, Vec<&'i str>, usize, u32)> = None;
    let mut consider = |literals: Vec<&'i str>, anchor_pc: usize, back_chars: u32| {
        let cost = anchor_cost(&literals, back_chars);
        if best.as_ref().is_none_or(|(c, ..)| cost < *c) {
            best = Some((cost, literals, anchor_pc, back_chars));
        }
    };
    fn sorted(mut words: Vec<&str>) -> Vec<&str> {
        words.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        words
    }
    if let Some(words) = first_literals(insts) {
        consider(sorted(words), 0, 0);
    }
    // Each place's facts in one pass apiece (issue 25: asked per literal,
    // they made a long sequence of literals quadratic).
    let every = every_path(insts);
    let prefix_chars = longest_prefixes(insts);
    let mut break_before = Vec::with_capacity(insts.len() + 1);
    let mut seen_break = false;
    for inst in insts {
        break_before.push(seen_break);
        seen_break |= holds_sentence_break(inst);
    }
    break_before.push(seen_break);
    for (k, inst) in insts.iter().enumerate() {
        let (Inst::Lit(words) | Inst::Subject { words, .. }) = inst else {
            continue;
        };
        if !every[k] {
            continue;
        }
        // The scan looks back from a hit until a sentence break: a prefix
        // that can hold one cannot be found that way.
        if break_before[k] {
            continue;
        }
        consider(
            words.iter().map(String::as_str).collect(),
            k,
            prefix_chars[k],
        );
    }
    // An alternation every path passes one branch of (`(规上企业 | "企业")
    // … (研发投入 | "研发费用")`): any of its words anchors the rule, looking
    // back as far as the longest way to any of them.
    for group in alternation_cuts(insts, &every) {
        let Some(&last) = group.iter().max() else {
            continue;
        };
        if break_before[last] {
            continue;
        }
        let words: Vec<&str> = group
            .iter()
            .filter_map(|&k| match &insts[k] {
                Inst::Lit(words) | Inst::Subject { words, .. } => {
                    Some(words.iter().map(String::as_str))
                }
                _ => None,
            })
            .flatten()
            .collect();
        consider(
            sorted(words),
            group[0],
            group.iter().map(|&k| prefix_chars[k]).max().unwrap_or(0),
        );
    }
    best.map(|(_, literals, anchor_pc, back_chars)| AnchorPlan {
        literals: literals.into_iter().map(str::to_string).collect(),
        anchor_pc,
        back_chars,
    })
}

/// Groups of word instructions between two places every path passes, such
/// that every path passes one of the group (the branches of an alternation
/// of words), in program order.
fn alternation_cuts(insts: &[Inst], every: &[bool]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    let mut from = 0;
    for k in 0..=insts.len() {
        if k == insts.len() || every[k] {
            if group.len() > 1 && passes_one_of(insts, from..k, &group) {
                out.push(std::mem::take(&mut group));
            }
            group.clear();
            from = k;
        } else if matches!(insts[k], Inst::Lit(_) | Inst::Subject { .. }) {
            group.push(k);
        }
    }
    out
}

/// True when the instruction's words hold a sentence break (。 ; \n …): a
/// match through it crosses sentences, which the look-back and the
/// sentence-aligned blocks of the engine must know.
pub fn holds_sentence_break(inst: &Inst) -> bool {
    match inst {
        Inst::Lit(ws) | Inst::NotAhead(ws) | Inst::Subject { words: ws, .. } => {
            ws.iter().any(|w| w.chars().any(is_sentence_break))
        }
        _ => false,
    }
}

/// A rough cost of scanning for `literals`, looking back `back_chars`: how
/// often its words may occur (short words are common in Chinese text: a
/// one-character word ~ every line, each further character ~ ten times
/// rarer), times the number of start positions each hit makes the scan try.
fn anchor_cost(literals: &[&str], back_chars: u32) -> f64 {
    let hits: f64 = literals.iter().map(|w| word_frequency(w)).sum();
    hits * (1.0 + 0.25 * f64::from(back_chars))
}

/// How often a word may occur, relative to a one-character word: each
/// further character makes it about ten times rarer — but for the words
/// that stand in nearly every sentence of a bureau's report (企业, 全市,
/// 完成 …), which are as common as a single character.
fn word_frequency(w: &str) -> f64 {
    if common_words().contains(w) {
        return 1.0;
    }
    match w.chars().count() {
        0 | 1 => 1.0,
        2 => 0.1,
        3 => 0.01,
        _ => 0.001,
    }
}

/// The shipped lexicon's common words (with the roles they include by
/// construction, as [`crate::lexicon::Lexicon::is_word`] sees them), as a
/// hash set: `is_word` searches a first-character group word by word, about
/// 1,100 instructions a call, and planning the shipped rules' anchors asks
/// some 15,000 times (17.7 M instructions of every run's start-up).
fn common_words() -> &'static rustc_hash::FxHashSet<&'static str> {
    static WORDS: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        crate::lexicon::Lexicon::shipped()
            .all_words(crate::lexicon::Role::CommonWord)
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect()
    })
}

/// A word set every match passes through ([`required_sets`]), with the
/// instructions its words come from.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredSet {
    /// The words; a match holds one of them.
    pub words: Vec<String>,
    /// The instructions whose words they are.
    pub pcs: Vec<usize>,
}

/// Word sets that every match passes through, rarest first, so that the
/// prefilter gives up early: the words of a literal on every path, and the
/// words of the literals between two such places when every path between
/// them passes one of them (`("占" …{0,4} "GDP" | "强度")`: GDP or 强度). A
/// set with a one-character word (为, 是, 至 …) is left out: some word of it
/// stands near almost every hit, so looking for it costs more than it saves.
/// A subject the match can start with is not a word a match must hold: it
/// may be carried from an earlier clause.
pub fn required_sets(insts: &[Inst], anchor_pc: usize) -> Vec<RequiredSet> {
    let leading = leading_subject_pcs(insts);
    let words_at = |k: usize| match &insts[k] {
        Inst::Lit(words) => Some(words),
        Inst::Subject { words, .. } if !leading.contains(&k) => Some(words),
        _ => None,
    };
    let long = |words: &Vec<String>| words.iter().all(|w| w.chars().nth(1).is_some());
    let every = every_path(insts);
    let mut sets: Vec<(f64, RequiredSet)> = Vec::new();
    let mut push = |words: Vec<String>, pcs: Vec<usize>| {
        let cost = words.iter().map(|w| word_frequency(w)).sum();
        sets.push((cost, RequiredSet { words, pcs }));
    };
    let mut group: Vec<usize> = Vec::new();
    let mut from = 0;
    for k in 0..=insts.len() {
        if every.get(k).is_none_or(|e| *e) {
            // The literals since the last place every path passes (a group
            // too large to try each literal's removal is left out: a set
            // only saves work, and trying would cost the group's size
            // squared).
            if !group.is_empty() && group.len() <= MAX_CUT_GROUP && !group.contains(&anchor_pc) {
                let seg = from..k;
                let mut cut = group.clone();
                let mut ok = passes_one_of(insts, seg.clone(), &cut);
                // Leave out literals with one-character words where the rest
                // still cuts every path.
                for &k2 in &group {
                    if ok && words_at(k2).is_some_and(|w| !long(w)) {
                        let without: Vec<usize> =
                            cut.iter().copied().filter(|&x| x != k2).collect();
                        if passes_one_of(insts, seg.clone(), &without) {
                            cut = without;
                        } else {
                            ok = false;
                        }
                    }
                }
                if ok && !cut.is_empty() {
                    let mut words: Vec<String> = cut
                        .iter()
                        .filter_map(|&x| words_at(x))
                        .flatten()
                        .cloned()
                        .collect();
                    words.sort();
                    words.dedup();
                    push(words, cut);
                }
            }
            group.clear();
            from = k;
            if k < insts.len()
                && k != anchor_pc
                && let Some(words) = words_at(k)
                && long(words)
            {
                push(words.clone(), vec![k]);
            }
        } else if words_at(k).is_some() {
            group.push(k);
        }
    }
    sets.sort_by(|a, b| a.0.total_cmp(&b.0));
    sets.into_iter().map(|(_, f)| f).collect()
}

/// The instruction an anchor hit stands for, when the plan anchors on the
/// words of one instruction that every path passes.
pub fn anchor_instruction(insts: &[Inst], anchor: &AnchorPlan) -> Option<usize> {
    let a = anchor.anchor_pc;
    let (Inst::Lit(words) | Inst::Subject { words, .. }) = insts.get(a)? else {
        return None;
    };
    (words.len() == anchor.literals.len() && on_every_path(insts, a)).then_some(a)
}

/// The subject instruction a carried subject stands for: the one leading
/// subject, when every path passes it.
pub fn carry_instruction(insts: &[Inst]) -> Option<usize> {
    match leading_subject_pcs(insts)[..] {
        [k] if on_every_path(insts, k) => Some(k),
        _ => None,
    }
}

/// Where a word of a required set can stand around the place a match
/// passes instruction `a`: wholly within `before` bytes before it when the
/// set lies before `a`, or `after` bytes after it when the set lies after
/// (the longest way between them). `None` when the set has words on both
/// sides. With `a` the instruction an anchor hit (or a carried subject)
/// stands for, the prefilter looks for the set only that near the hit.
#[cfg(test)]
pub fn reach_around(insts: &[Inst], a: usize, set: &RequiredSet) -> Option<Reach> {
    reach_all(insts, a, std::slice::from_ref(set))
        .pop()
        .flatten()
}

/// [`reach_around`] for each of `sets`, the longest ways to and from `a`
/// computed once for all of them (a rule may have as many sets as
/// literals: asked set by set, a long sequence was quadratic).
pub fn reach_all(insts: &[Inst], a: usize, sets: &[RequiredSet]) -> Vec<Option<Reach>> {
    let from_a = longest_from(insts, a);
    let to_a = longest_to(insts, a);
    let mut gaps_before = Vec::with_capacity(insts.len() + 1);
    let mut gaps = 0usize;
    for inst in insts {
        gaps_before.push(gaps);
        gaps += usize::from(matches!(inst, Inst::Gap { .. }));
    }
    gaps_before.push(gaps);
    sets.iter()
        .map(|set| reach_one(insts, a, set, &from_a, &to_a, &gaps_before))
        .collect()
}

/// [`reach_around`] of one set, given the longest ways from and to `a`
/// and the number of gaps before each place.
fn reach_one(
    insts: &[Inst],
    a: usize,
    set: &RequiredSet,
    from_a: &[Option<u32>],
    to_a: &[Option<u32>],
    gaps_before: &[usize],
) -> Option<Reach> {
    let (first, last) = (*set.pcs.iter().min()?, *set.pcs.iter().max()?);
    let longest_word = |k: usize| match &insts[k] {
        Inst::Lit(ws) | Inst::Subject { words: ws, .. } => ws
            .iter()
            .map(|w| w.chars().count() as u32)
            .max()
            .unwrap_or(0),
        _ => 0,
    };
    // A gap passes over the earlier half of a from–to phrase as over one
    // character.
    let from_half = |between: Range<usize>| {
        let gaps = |k: usize| gaps_before.get(k).copied().unwrap_or(0);
        if gaps(between.end) > gaps(between.start) {
            FROM_HALF_CHARS
        } else {
            0
        }
    };
    let at = |ways: &[Option<u32>], k: usize| ways.get(k).copied().flatten().unwrap_or(0);
    let bytes = |chars: u32| chars.saturating_mul(4);
    if first > a {
        let chars = set
            .pcs
            .iter()
            .map(|&k| at(from_a, k).saturating_add(longest_word(k)))
            .max()?;
        Some(Reach {
            before: 0,
            after: bytes(chars.saturating_add(from_half(a..last))),
        })
    } else if last < a {
        let chars = set.pcs.iter().map(|&k| at(to_a, k)).max()?;
        // No from–to half here: a match starts no further back than the
        // anchor's look-back, which has none either.
        Some(Reach {
            before: bytes(chars),
            after: 0,
        })
    } else {
        None
    }
}

/// Bytes around a place within which a required word must stand
/// ([`reach_around`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// How far before the place the word may start.
    pub before: u32,
    /// How far after the place the word may end.
    pub after: u32,
}

/// Most literals between two places every path passes for which
/// [`required_sets`] tries leaving each out.
const MAX_CUT_GROUP: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Lexicon, Role};

    #[test]
    fn the_common_word_set_agrees_with_the_lexicon_lookup() {
        let lex = Lexicon::shipped();
        let mut probes: Vec<String> = lex
            .all_words(Role::CommonWord)
            .into_iter()
            .map(str::to_string)
            .collect();
        assert!(!probes.is_empty(), "the shipped lexicon has common words");
        // Words that start with a common word, words a common word starts
        // with, and words of other roles.
        let more: Vec<String> = probes
            .iter()
            .flat_map(|w| {
                let mut chars = w.chars();
                chars.next_back();
                [format!("{w}率"), chars.as_str().to_string()]
            })
            .collect();
        probes.extend(more);
        probes.extend(
            lex.all_words(Role::Predicate)
                .into_iter()
                .map(str::to_string),
        );
        probes.extend(["".to_string(), "研发投入".to_string()]);
        for w in &probes {
            assert_eq!(
                common_words().contains(w.as_str()),
                lex.is_word(Role::CommonWord, w),
                "{w:?}"
            );
        }
    }

    #[test]
    fn the_shipped_sets_share_the_shipped_lexicon() {
        let rules =
            crate::workspace::load_rules(&[]).unwrap_or_else(|_| panic!("the shipped rules load"));
        assert!(!rules.programs.is_empty());
        for (set, program) in rules.sets.iter().zip(&rules.programs) {
            assert!(set.own_lexicon, "each shipped set imports lexicon.zb");
            assert!(std::sync::Arc::ptr_eq(&program.lexicon, Lexicon::shipped()));
        }
        // Other entries build a lexicon of their own.
        let mut entries = rules.sets[0].words.clone();
        entries.truncate(entries.len() / 2);
        let own = Lexicon::of_entries(&entries);
        assert!(!std::sync::Arc::ptr_eq(&own, Lexicon::shipped()));
        assert_eq!(*own, Lexicon::build(None, &entries));
    }
}
