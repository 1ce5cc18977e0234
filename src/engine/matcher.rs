//! Verifying one rule at one place: a depth-first walk over the rule's
//! instructions with a memo of visited (instruction, position) states.
//!
//! The memo makes the walk polynomial in the window it can reach, and the
//! window is bounded by the pattern's gap and literal bounds, so the total
//! work over a report is linear in its length. The walk keeps the furthest
//! state it reached, which is what `explain` reports for a near miss.

use std::collections::HashSet;

use crate::compile::{Accept, CompiledRule, Inst};
use crate::text::{Number, is_clause_break, is_sentence_break, read_number};

/// A capture's value as read from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Captured {
    /// The number with its unit, as read.
    pub number: Number,
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMatch {
    /// Start of the match (normalized-text byte offset).
    pub start: usize,
    /// End of the match.
    pub end: usize,
    /// Captures by slot.
    pub captures: Vec<Option<Captured>>,
    /// Start of every literal the match went through, in order (used to
    /// order rules that share a 分别 list).
    pub literals: Vec<usize>,
}

/// How far a failed verification got, for `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// The furthest instruction reached (the one that failed there).
    pub pc: usize,
    /// The earliest text position at which it was tried.
    pub pos: usize,
}

/// One state of the walk: instruction, position, captures, literal starts.
type Frame = (usize, usize, Vec<Option<Captured>>, Vec<usize>);

/// Reusable scratch space, so verifying allocates little.
#[derive(Default)]
pub struct Scratch {
    seen: HashSet<(u32, u32)>,
    stack: Vec<Frame>,
}

fn is_number_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '.' | '零'
                | '一'
                | '二'
                | '两'
                | '三'
                | '四'
                | '五'
                | '六'
                | '七'
                | '八'
                | '九'
                | '十'
                | '百'
                | '千'
        )
}

/// Tries to match `rule` starting exactly at `start`.
pub fn verify(
    rule: &CompiledRule,
    text: &str,
    start: usize,
    scratch: &mut Scratch,
) -> Result<RawMatch, Progress> {
    scratch.seen.clear();
    scratch.stack.clear();
    scratch
        .stack
        .push((0, start, vec![None; rule.captures.len().max(1)], Vec::new()));
    let mut furthest = Progress { pc: 0, pos: start };
    while let Some((pc, pos, caps, lits)) = scratch.stack.pop() {
        if !scratch.seen.insert((pc as u32, pos as u32)) {
            continue;
        }
        if pc > furthest.pc || (pc == furthest.pc && pos < furthest.pos) {
            furthest = Progress { pc, pos };
        }
        let Some(inst) = rule.insts.get(pc) else {
            continue;
        };
        let rest = &text[pos..];
        match inst {
            Inst::Match => {
                return Ok(RawMatch {
                    start,
                    end: pos,
                    captures: caps,
                    literals: lits,
                });
            }
            Inst::Lit(words) => {
                // Longest first: push in reverse so the first word is tried first.
                for w in words.iter().rev() {
                    if rest.starts_with(w.as_str()) {
                        let mut lits = lits.clone();
                        lits.push(pos);
                        scratch
                            .stack
                            .push((pc + 1, pos + w.len(), caps.clone(), lits));
                    }
                }
            }
            Inst::NotAhead(words) => {
                if !words.iter().any(|w| rest.starts_with(w.as_str())) {
                    scratch.stack.push((pc + 1, pos, caps, lits));
                }
            }
            Inst::Split(a, b) => {
                scratch.stack.push((*b, pos, caps.clone(), lits.clone()));
                scratch.stack.push((*a, pos, caps, lits));
            }
            Inst::Jmp(a) => scratch.stack.push((*a, pos, caps, lits)),
            Inst::Gap {
                min,
                max,
                cross_clauses,
            } => {
                let mut ends = Vec::with_capacity(*max as usize + 1);
                if *min == 0 {
                    ends.push(pos);
                }
                let mut k = 0u32;
                for (i, c) in rest.char_indices() {
                    if k >= *max {
                        break;
                    }
                    if is_sentence_break(c) || (!cross_clauses && is_clause_break(c)) {
                        break;
                    }
                    k += 1;
                    if k >= *min {
                        ends.push(pos + i + c.len_utf8());
                    }
                }
                // Lazy: fewest characters first.
                for end in ends.into_iter().rev() {
                    scratch
                        .stack
                        .push((pc + 1, end, caps.clone(), lits.clone()));
                }
            }
            Inst::Capture { slot, accepts } => {
                if text[..pos].chars().next_back().is_some_and(is_number_char) {
                    continue;
                }
                let Some(number) = read_number(text, pos) else {
                    continue;
                };
                let Some(end) = accepted_end(&number, accepts) else {
                    continue;
                };
                let mut caps = caps;
                if let Some(c) = caps.get_mut(*slot) {
                    *c = Some(Captured { number });
                }
                scratch.stack.push((pc + 1, end, caps, lits));
            }
        }
    }
    Err(furthest)
}

/// Where a capture ends if the number's unit is accepted.
fn accepted_end(number: &Number, accepts: &[Accept]) -> Option<usize> {
    for a in accepts {
        match a {
            Accept::Bare => {
                return Some(
                    number
                        .unit_range
                        .as_ref()
                        .map_or(number.range.end, |u| u.start),
                );
            }
            Accept::Unit(u) if number.unit == Some(*u) => return Some(number.range.end),
            Accept::Kind(k) if number.unit.is_some_and(|u| u.kind == *k) => {
                return Some(number.range.end);
            }
            _ => {}
        }
    }
    None
}
