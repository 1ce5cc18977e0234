//! Walks over a rule's instruction graph: which places every path passes,
//! which instructions stand first, the longest text between two places.
//! Programs only jump forward, so each is one pass over the instructions.

use std::ops::Range;

use super::program::Inst;

/// The subject a rule's match can start with, if any: a [`Inst::Subject`]
/// reached from the first instruction through splits, jumps and
/// look-aheads only (so optional words before it, such as 全市, may be
/// absent).
pub fn leading_subjects(insts: &[Inst]) -> Vec<usize> {
    let mut out = Vec::new();
    first_instructions(insts, 0, |_, inst| {
        if let Inst::Subject { subject, .. } = inst
            && !out.contains(subject)
        {
            out.push(*subject);
        }
    });
    out.sort_unstable();
    out
}

/// The one walk over the places reached from `from` without consuming
/// text (through splits, jumps and look-aheads): `visit` sees each
/// instruction that stands first there — a word, a gap, a capture or the
/// end — once, a split's first branch first. False when some path runs
/// past the last instruction.
pub(super) fn first_instructions(
    insts: &[Inst],
    from: usize,
    mut visit: impl FnMut(usize, &Inst),
) -> bool {
    let mut whole = true;
    let mut seen = vec![false; insts.len()];
    let mut todo = vec![from];
    while let Some(pc) = todo.pop() {
        let Some(inst) = insts.get(pc) else {
            whole = false;
            continue;
        };
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match inst {
            Inst::Split(a, b) => todo.extend([*b, *a]),
            Inst::Jmp(a) => todo.push(*a),
            Inst::NotAhead(_) => todo.push(pc + 1),
            _ => visit(pc, inst),
        }
    }
    whole
}

/// For each place `k` of the program (and its end), whether every path
/// passes it ([`on_every_path`]), in one pass: the furthest a split or jump
/// before `k` leads is at most `k`.
pub(super) fn every_path(insts: &[Inst]) -> Vec<bool> {
    crate::work::add(insts.len());
    let mut out = Vec::with_capacity(insts.len() + 1);
    let mut furthest = 0;
    for k in 0..=insts.len() {
        out.push(furthest <= k);
        match insts.get(k) {
            Some(Inst::Split(a, b)) => furthest = furthest.max(*a).max(*b),
            Some(Inst::Jmp(a)) => furthest = furthest.max(*a),
            _ => {}
        }
    }
    out
}

/// True when every path through the program passes instruction `k`: no
/// split or jump before it leads past it (programs only jump forward).
pub(super) fn on_every_path(insts: &[Inst], k: usize) -> bool {
    insts[..k].iter().all(|i| match i {
        Inst::Split(a, b) => *a <= k && *b <= k,
        Inst::Jmp(a) => *a <= k,
        _ => true,
    })
}

/// Whether every path through the segment `seg` of the program — from a
/// place every path passes to the next — passes one of the instructions at
/// `cut` (all inside the segment). Only the segment is walked: programs
/// jump forward only, so every path from the start reaches `seg.start` and
/// leaves at `seg.end`; the work is the segment's length.
pub(super) fn passes_one_of(insts: &[Inst], seg: Range<usize>, cut: &[usize]) -> bool {
    let len = seg.end.saturating_sub(seg.start);
    crate::work::add(len + cut.len());
    let mut seen = vec![false; len];
    let mut is_cut = vec![false; len];
    for &c in cut {
        if seg.contains(&c) {
            is_cut[c - seg.start] = true;
        }
    }
    let mut todo = vec![seg.start];
    while let Some(pc) = todo.pop() {
        if pc >= seg.end || pc >= insts.len() {
            return false;
        }
        let Some(i) = pc.checked_sub(seg.start) else {
            continue;
        };
        if std::mem::replace(&mut seen[i], true) || is_cut[i] {
            continue;
        }
        match &insts[pc] {
            Inst::Split(a, b) => todo.extend([*a, *b]),
            Inst::Jmp(a) => todo.push(*a),
            Inst::Match => return false,
            _ => todo.push(pc + 1),
        }
    }
    true
}

/// Places of the subject instructions a match can start with.
pub(super) fn leading_subject_pcs(insts: &[Inst]) -> Vec<usize> {
    let mut out = Vec::new();
    first_instructions(insts, 0, |pc, inst| {
        if matches!(inst, Inst::Subject { .. }) {
            out.push(pc);
        }
    });
    out
}

/// The most bytes a match of the whole program can span (4 bytes a
/// character). A gap passes over the earlier half of one from–to phrase as
/// over one character (`engine::figure::from_half_end`), so a program with
/// a gap may span that much more.
pub fn max_match_bytes(insts: &[Inst]) -> usize {
    let from_half = if insts.iter().any(|i| matches!(i, Inst::Gap { .. })) {
        FROM_HALF_CHARS
    } else {
        0
    };
    ((longest_prefix_chars(insts) + from_half) as usize).saturating_mul(4)
}

/// The most characters the earlier half of a from–to phrase can take: 由
/// or 从, up to ten characters before the number (上年的, 2018年的), the
/// number with its unit, and a comma.
pub const FROM_HALF_CHARS: u32 = 2 + 10 + super::MAX_CAPTURE_CHARS;

/// The words a match must start with: those of the words reachable from
/// the start without consuming text; `None` if some path reaches a gap,
/// capture or the end first.
pub(super) fn first_literals(insts: &[Inst]) -> Option<Vec<&str>> {
    let mut pcs = Vec::new();
    let mut words_only = true;
    let whole = first_instructions(insts, 0, |pc, inst| match inst {
        Inst::Lit(_) | Inst::Subject { .. } => pcs.push(pc),
        _ => words_only = false,
    });
    if !(whole && words_only) {
        return None;
    }
    let mut out = Vec::new();
    for pc in pcs {
        if let Inst::Lit(words) | Inst::Subject { words, .. } = &insts[pc] {
            out.extend(words.iter().map(String::as_str));
        }
    }
    Some(out)
}

/// For every place `k` of the program (and its end), the longest text
/// (in characters) the prefix before it can consume
/// ([`longest_prefix_chars`] of `insts[..k]`), in one forward pass: with
/// forward jumps only, what arrives at `k` comes from before it.
pub(super) fn longest_prefixes(insts: &[Inst]) -> Vec<u32> {
    longest_from(insts, 0)
        .into_iter()
        .map(|b| b.unwrap_or(0))
        .collect()
}

/// For every place `k` (and the end), the longest text the program can
/// consume from `from` until it arrives at `k` (`None`: unreachable) — the
/// longest text from `from` to each `k`, in one pass.
pub(super) fn longest_from(insts: &[Inst], from: usize) -> Vec<Option<u32>> {
    let n = insts.len();
    crate::work::add(n.saturating_sub(from));
    let mut best: Vec<Option<u32>> = vec![None; n + 1];
    if from > n {
        return best;
    }
    best[from] = Some(0);
    for pc in from..n {
        let Some(here) = best[pc] else { continue };
        for (to, add) in steps(&insts[pc], pc) {
            if to > n {
                continue;
            }
            let v = here.saturating_add(add);
            if best[to].is_none_or(|b| b < v) {
                best[to] = Some(v);
            }
        }
    }
    best
}

/// For every place `k` before `to`, the longest text the program can
/// consume from `k` until it arrives at `to` (`None`: it cannot) — the
/// longest text from each `k` to `to`, in one backward pass.
pub(super) fn longest_to(insts: &[Inst], to: usize) -> Vec<Option<u32>> {
    let n = insts.len();
    let to = to.min(n);
    crate::work::add(to);
    let mut best: Vec<Option<u32>> = vec![None; to + 1];
    best[to] = Some(0);
    for pc in (0..to).rev() {
        best[pc] = steps(&insts[pc], pc)
            .into_iter()
            .filter(|&(t, _)| t > pc && t <= to)
            .filter_map(|(t, add)| best[t].map(|b| b.saturating_add(add)))
            .max();
    }
    best
}

/// Where instruction `inst` at `pc` leads, with the most characters it
/// consumes on the way (at most two places).
pub(super) fn steps(inst: &Inst, pc: usize) -> Vec<(usize, u32)> {
    match inst {
        Inst::Lit(words) | Inst::Subject { words, .. } => {
            let m = words
                .iter()
                .map(|w| w.chars().count() as u32)
                .max()
                .unwrap_or(0);
            vec![(pc + 1, m)]
        }
        Inst::Gap { max, .. } => vec![(pc + 1, *max)],
        Inst::Capture { .. } => vec![(pc + 1, super::MAX_CAPTURE_CHARS)],
        Inst::NotAhead(_) | Inst::Match => vec![(pc + 1, 0)],
        Inst::Split(a, b) => vec![(*a, 0), (*b, 0)],
        Inst::Jmp(a) => vec![(*a, 0)],
    }
}

/// Longest text (in characters) a prefix program can consume.
pub(super) fn longest_prefix_chars(prefix: &[Inst]) -> u32 {
    longest_from(prefix, 0)
        .last()
        .copied()
        .flatten()
        .unwrap_or(0)
}
