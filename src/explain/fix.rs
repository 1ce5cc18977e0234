//! "What would have made this rule take that figure?": the smallest change
//! to a rule, found by trying changes with the engine itself.
//!
//! Each candidate change is applied to a copy of the compiled rule (its
//! instructions, vetoes or priority) and the engine's own verifier
//! ([`matcher::verify`]) and match check ([`engine::check_match`]) are run
//! again from the place where the rule's walk began. A change counts only
//! when the changed rule then takes exactly the figure asked about. The
//! changes tried are generic over the instructions, never over particular
//! rules: a word added where the walk broke off (or that word made
//! optional), a gap widened or let across ，、：, a unit accepted, an
//! excluded word (`!`) or a veto word dropped, a priority raised. The
//! cheapest that works wins; every try is one bounded walk, so a search
//! costs at most a few hundred walks over one sentence.

use std::collections::HashSet;

use super::collect::Walk;
use crate::compile::{Accept, CompiledRule, Inst, Program};
use crate::engine::{self, Attempt, Progress, matcher};
use crate::text::{Document, Number, Unit, is_clause_break, is_sentence_break};

/// One change to a rule, in terms of its compiled instructions.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Add `word` to the words of the instruction at `pc`; an empty word
    /// makes them optional.
    AddWord {
        /// The instruction (an [`Inst::Lit`]).
        pc: usize,
        /// The word ("" for "make optional").
        word: String,
    },
    /// Let the gap at `pc` span up to `max` characters, across ，、： when
    /// `cross_clauses`.
    Gap {
        /// The instruction (an [`Inst::Gap`]).
        pc: usize,
        /// The new upper bound.
        max: u32,
        /// Whether it may cross clause marks.
        cross_clauses: bool,
    },
    /// Let the capture at `pc` take numbers in `unit`.
    AcceptUnit {
        /// The instruction (an [`Inst::Capture`]).
        pc: usize,
        /// The unit.
        unit: Unit,
    },
    /// Stop excluding `word` (a `!` look-ahead) at `pc`.
    DropExcluded {
        /// The instruction (an [`Inst::NotAhead`]).
        pc: usize,
        /// The word.
        word: String,
    },
    /// Remove these veto words from the rule's `unless`.
    DropVetoes {
        /// The words.
        words: Vec<String>,
    },
    /// Give the rule this priority.
    Priority {
        /// The new priority.
        to: i64,
    },
}

impl Edit {
    /// `rule` with this change made (its compiled form).
    pub fn apply(&self, rule: &CompiledRule) -> CompiledRule {
        let mut r = rule.clone();
        match self {
            Edit::AddWord { pc, word } => {
                if let Some(Inst::Lit(words)) = r.insts.get_mut(*pc) {
                    words.push(word.clone());
                    // Longest first, as compiled.
                    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
                }
            }
            Edit::Gap {
                pc,
                max,
                cross_clauses,
            } => {
                if let Some(Inst::Gap {
                    max: m,
                    cross_clauses: c,
                    ..
                }) = r.insts.get_mut(*pc)
                {
                    *m = *max;
                    *c = *cross_clauses;
                }
                r.max_bytes = crate::compile::max_match_bytes(&r.insts);
            }
            Edit::AcceptUnit { pc, unit } => {
                if let Some(Inst::Capture { accepts, .. }) = r.insts.get_mut(*pc) {
                    accepts.push(Accept::Unit(*unit));
                }
            }
            Edit::DropExcluded { pc, word } => {
                if let Some(inst) = r.insts.get_mut(*pc)
                    && let Inst::NotAhead(words) = inst
                {
                    words.retain(|w| w != word);
                    if words.is_empty() {
                        *inst = Inst::Jmp(*pc + 1);
                    }
                }
            }
            Edit::DropVetoes { words } => {
                for (_, finders) in &mut r.vetoes {
                    finders.retain(|f| !words.iter().any(|w| w.as_bytes() == f.needle()));
                }
            }
            Edit::Priority { to } => r.priority = *to,
        }
        // A word added after a gap changes where the gap may stop.
        r.gap_next = crate::compile::gap_next_filters(&r.insts);
        r
    }

    /// A stable name for the kind of change (for JSON).
    pub fn kind(&self) -> &'static str {
        self.names().0
    }

    /// The plain-words kind of obstacle this change removes.
    pub fn obstacle(&self) -> &'static str {
        self.names().1
    }

    /// The kind of change and the obstacle it removes, in one table.
    fn names(&self) -> (&'static str, &'static str) {
        match self {
            Edit::AddWord { word, .. } if word.is_empty() => {
                ("make_optional", "a word the text does not have")
            }
            Edit::AddWord { .. } => ("add_word", "a word the pattern does not list"),
            Edit::Gap {
                cross_clauses: true,
                ..
            } => (
                "gap_across_clauses",
                "a clause mark (，、：) that the gap may not cross",
            ),
            Edit::Gap { .. } => ("widen_gap", "the gap's bound"),
            Edit::AcceptUnit { .. } => ("accept_unit", "the unit"),
            Edit::DropExcluded { .. } => ("drop_excluded", "an excluded word (`!`)"),
            Edit::DropVetoes { .. } => ("drop_vetoes", "a veto word"),
            Edit::Priority { .. } => (
                "priority",
                "a rule for another indicator that wins the figure",
            ),
        }
    }
}

/// A change that makes the rule take the figure, with its cost: how much
/// more the changed rule may match elsewhere. Accepting one more unit
/// costs 1; a word of two or more characters 2 (a specific word is a
/// narrow change), a one-character word 4 (it occurs everywhere); making
/// words optional 3; widening a gap 1 per character, letting it cross
/// clause marks 3 more; dropping an excluded word 3, a veto word 2.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// The change.
    pub edit: Edit,
    /// Its cost (smaller is a smaller change).
    pub cost: u32,
}

/// The cost of adding a word of `chars` characters.
fn word_cost(chars: usize) -> u32 {
    if chars <= 1 { 4 } else { 2 }
}

/// Widest widening of a gap tried, in characters.
const MAX_WIDEN: u32 = 16;
/// Longest word proposed, in characters.
const MAX_WORD_CHARS: usize = 6;
/// How far past the place a walk broke off words are looked for.
const WORD_REACH_CHARS: usize = 24;

/// What a search needs: the report, the figure, the rule set's words.
pub struct Search<'a> {
    /// The program the rule belongs to.
    pub program: &'a Program,
    /// The report.
    pub doc: &'a Document,
    /// The figure the rule should take.
    pub figure: &'a Number,
    /// Every word some rule of the program lists (proposed first).
    pub vocabulary: &'a HashSet<String>,
}

impl Search<'_> {
    /// Whether `rule`, walking from `start`, takes the figure.
    fn takes(&self, rule: &CompiledRule, start: usize, scratch: &mut matcher::Scratch) -> bool {
        match matcher::verify(rule, &self.doc.text, start, None, scratch) {
            Ok(m) => matches!(
                engine::check_match(&self.program.lexicon, rule, self.doc, m, None),
                Attempt::Candidate(c) if c.number.range.end == self.figure.range.end
            ),
            Err(_) => false,
        }
    }

    /// The start position behind `walk` (the one whose walk got exactly
    /// that far; the engine tries every start from the rule's look-back to
    /// the anchor).
    pub fn start_of(&self, rule: &CompiledRule, walk: &Walk) -> usize {
        let text = self.doc.text.as_str();
        let anchor = walk.anchor.0;
        let first = engine::first_start(rule, text, anchor);
        let mut scratch = matcher::Scratch::take();
        let mut best = (anchor, Progress::default());
        let starts = text
            .get(first..anchor)
            .unwrap_or("")
            .char_indices()
            .map(|(i, _)| first + i)
            .chain(std::iter::once(anchor));
        for s in starts {
            if let Err(p) = matcher::verify(rule, text, s, None, &mut scratch) {
                if p == walk.progress {
                    best = (s, p);
                    break;
                }
                if p.pc > best.1.pc {
                    best = (s, p);
                }
            }
        }
        scratch.put_back();
        best.0
    }

    /// For a walk that matched nothing from any start: the smallest change
    /// over every start the engine tries for its anchor, with that start
    /// (the earliest start when nothing helps).
    pub fn for_any_start(&self, rule: &CompiledRule, walk: &Walk) -> (usize, Option<Fix>) {
        let text = self.doc.text.as_str();
        let anchor = walk.anchor.0;
        let first = engine::first_start(rule, text, anchor);
        let mut best: (usize, Option<Fix>) = (first, None);
        let starts = text
            .get(first..anchor)
            .unwrap_or("")
            .char_indices()
            .map(|(i, _)| first + i)
            .chain(std::iter::once(anchor));
        for s in starts {
            let fix = self.for_walk(rule, s, Progress { pc: 0, pos: s });
            if let Some(f) = fix
                && best.1.as_ref().is_none_or(|b| f.cost < b.cost)
            {
                best = (s, Some(f));
            }
        }
        best
    }

    /// The smallest change that makes `rule` take the figure when walking
    /// from `start`, where its walk reached `progress`.
    pub fn for_walk(&self, rule: &CompiledRule, start: usize, progress: Progress) -> Option<Fix> {
        let mut scratch = matcher::Scratch::take();
        let found = self.search(rule, start, progress, &mut scratch);
        scratch.put_back();
        found
    }

    fn search(
        &self,
        rule: &CompiledRule,
        start: usize,
        progress: Progress,
        scratch: &mut matcher::Scratch,
    ) -> Option<Fix> {
        let mut best: Option<Fix> = None;
        let consider = |best: &mut Option<Fix>, fix: Fix| {
            if best.as_ref().is_none_or(|b| fix.cost < b.cost) {
                *best = Some(fix);
            }
        };
        // A unit the capture does not take.
        if let Some(unit) = self.figure.unit.filter(|u| u.converts_to(rule.unit)) {
            for (pc, inst) in rule.insts.iter().enumerate() {
                if let Inst::Capture { accepts, .. } = inst
                    && !accepts.iter().any(|a| accepts_unit(a, unit))
                {
                    let edit = Edit::AcceptUnit { pc, unit };
                    if self.takes(&edit.apply(rule), start, scratch) {
                        consider(&mut best, Fix { edit, cost: 1 });
                    }
                }
            }
        }
        // The words expected where the walk broke off.
        for pc in expected_at(&rule.insts, progress.pc) {
            match &rule.insts[pc] {
                Inst::Lit(_) => {
                    let optional = Edit::AddWord {
                        pc,
                        word: String::new(),
                    };
                    if self.takes(&optional.apply(rule), start, scratch) {
                        consider(
                            &mut best,
                            Fix {
                                edit: optional,
                                cost: 3,
                            },
                        );
                    }
                    if let Some(fix) = self.word_for(rule, pc, start, progress.pos, scratch) {
                        consider(&mut best, fix);
                    }
                }
                Inst::NotAhead(words) => {
                    for w in words {
                        let edit = Edit::DropExcluded {
                            pc,
                            word: w.clone(),
                        };
                        if self.takes(&edit.apply(rule), start, scratch) {
                            consider(&mut best, Fix { edit, cost: 3 });
                        }
                    }
                }
                _ => {}
            }
        }
        // A gap too short, or stopped by a clause mark.
        for (pc, inst) in rule.insts.iter().enumerate() {
            let Inst::Gap {
                max, cross_clauses, ..
            } = *inst
            else {
                continue;
            };
            for extra in 1..=MAX_WIDEN {
                if best.as_ref().is_some_and(|b| b.cost <= extra) {
                    break;
                }
                let edit = Edit::Gap {
                    pc,
                    max: max + extra,
                    cross_clauses,
                };
                if self.takes(&edit.apply(rule), start, scratch) {
                    consider(&mut best, Fix { edit, cost: extra });
                    break;
                }
            }
            if cross_clauses {
                continue;
            }
            for extra in 0..=MAX_WIDEN {
                if best.as_ref().is_some_and(|b| b.cost <= 3 + extra) {
                    break;
                }
                let edit = Edit::Gap {
                    pc,
                    max: max + extra,
                    cross_clauses: true,
                };
                if self.takes(&edit.apply(rule), start, scratch) {
                    consider(
                        &mut best,
                        Fix {
                            edit,
                            cost: 2 + extra,
                        },
                    );
                    break;
                }
            }
        }
        best
    }

    /// A word that, added to the words at `pc`, lets the walk from `start`
    /// go on to the figure: where the rest of the pattern can pick up after
    /// the place the walk broke off (`from`), and what stands in between.
    /// The whole text in between comes first when it is short; then words
    /// other rules already list; then its last few characters.
    fn word_for(
        &self,
        rule: &CompiledRule,
        pc: usize,
        start: usize,
        from: usize,
        scratch: &mut matcher::Scratch,
    ) -> Option<Fix> {
        let text = self.doc.text.as_str();
        // The rest of the pattern, on its own: the first instruction jumps
        // past the words (programs only jump forward, so nothing returns
        // to instruction 0).
        let mut rest = rule.clone();
        rest.insts[0] = Inst::Jmp(pc + 1);
        // When the rest needs nothing here, any word would do: that is a
        // word to make optional (tried apart), not one to add.
        if matcher::verify(&rest, text, from, None, scratch).is_ok() {
            return None;
        }
        let mut resumes = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        for (n, (i, c)) in text.get(from..)?.char_indices().enumerate() {
            if n > WORD_REACH_CHARS || is_sentence_break(c) {
                break;
            }
            ends.push(from + i);
        }
        for &q in &ends {
            if q == from {
                continue;
            }
            if let Ok(m) = matcher::verify(&rest, text, q, None, scratch) {
                let emitted = m
                    .captures
                    .get(rule.emit_slot)
                    .and_then(|c| c.as_ref())
                    .map(|c| c.number.range.end);
                if emitted.is_none_or(|e| e == self.figure.range.end) {
                    resumes.push(q);
                }
            }
        }
        // A word the rule already lists elsewhere is for that element, not
        // for this one ("数量" before 达: make 达 optional instead).
        let own: HashSet<&str> = rule
            .insts
            .iter()
            .filter_map(|i| match i {
                Inst::Lit(ws) => Some(ws),
                _ => None,
            })
            .flatten()
            .map(String::as_str)
            .collect();
        // A word that runs into one of the words already there ("今年第一批高"
        // before 高企) stands for a missing gap, not a missing word.
        let current: &[String] = match &rule.insts[pc] {
            Inst::Lit(ws) => ws,
            _ => &[],
        };
        let runs_into = |w: &str| {
            current.iter().any(|c| {
                w.contains(c.as_str())
                    || c.char_indices().skip(1).any(|(i, _)| w.ends_with(&c[..i]))
            })
        };
        let word_ok = |w: &str| {
            let n = w.chars().count();
            !own.contains(w)
                && !runs_into(w)
                && (1..=MAX_WORD_CHARS).contains(&n)
                && !w
                    .chars()
                    .any(|c| is_clause_break(c) || c.is_ascii_digit() || c.is_whitespace())
        };
        let try_word = |w: &str, scratch: &mut matcher::Scratch| {
            let edit = Edit::AddWord {
                pc,
                word: w.to_string(),
            };
            self.takes(&edit.apply(rule), start, scratch).then(|| Fix {
                cost: word_cost(w.chars().count()),
                edit,
            })
        };
        // 1. What stands between where the rest picks up (nearest the
        // figure first) and where a word of the rule ends ("数量" in
        // "数量增加到"), else where the walk broke off, when it is short.
        for &q in resumes.iter().rev() {
            let after_own = ends
                .iter()
                .copied()
                .filter(|&p| p > from && p < q)
                .filter(|&p| own.iter().any(|w| text[..p].ends_with(w)));
            for p in after_own.chain(std::iter::once(from)) {
                let w = &text[p..q];
                if word_ok(w)
                    && w.chars().count() >= 2
                    && let Some(fix) = try_word(w, scratch)
                {
                    return Some(fix);
                }
            }
        }
        // 2. A word the rule set already knows (the longest first).
        let mut known: Vec<&str> = Vec::new();
        for &q in &resumes {
            for &p in ends.iter().filter(|&&p| p < q) {
                let w = &text[p..q];
                if word_ok(w) && w.chars().count() >= 2 && self.vocabulary.contains(w) {
                    known.push(w);
                }
            }
        }
        known.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        for w in known {
            if let Some(fix) = try_word(w, scratch) {
                return Some(fix);
            }
        }
        // 3. The last characters before where the rest picks up — not past
        // another figure: characters cut from the clause of another figure
        // ("间达到" of "…640家,众创空间达到35家") are no word of the rule's.
        for &q in resumes.iter().rev() {
            if text[from..q].chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            for len in (1..=3).rev() {
                let p = ends.iter().rev().filter(|&&p| p < q).nth(len - 1).copied();
                if let Some(p) = p
                    && p >= from
                    && word_ok(&text[p..q])
                    && let Some(fix) = try_word(&text[p..q], scratch)
                {
                    return Some(fix);
                }
            }
        }
        None
    }
}

/// Whether an accepted unit or kind takes `unit`.
fn accepts_unit(a: &Accept, unit: Unit) -> bool {
    match a {
        Accept::Unit(u) => *u == unit,
        Accept::Kind(k) => unit.kind == *k,
        Accept::Bare => false,
    }
}

/// The instructions that consume text first from `pc` on: `pc` itself, or
/// what its splits and jumps lead to.
pub fn expected_at(insts: &[Inst], pc: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut todo = vec![pc];
    let mut seen = vec![false; insts.len()];
    while let Some(pc) = todo.pop() {
        let Some(inst) = insts.get(pc) else { continue };
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match inst {
            Inst::Split(a, b) => todo.extend([*b, *a]),
            Inst::Jmp(a) => todo.push(*a),
            _ => out.push(pc),
        }
    }
    out
}

/// The smallest set of veto words (at most three) whose removal lets the
/// match stand: the vetoing word, then any other that also stands in scope.
pub fn fix_veto(
    lex: &crate::lexicon::Lexicon,
    rule: &CompiledRule,
    doc: &Document,
    m: &crate::engine::RawMatch,
    first: &str,
) -> Option<Fix> {
    let mut words = vec![first.to_string()];
    for _ in 0..3 {
        let edit = Edit::DropVetoes {
            words: words.clone(),
        };
        match engine::check_match(lex, &edit.apply(rule), doc, m.clone(), None) {
            Attempt::Candidate(_) => {
                return Some(Fix {
                    cost: 2 * words.len() as u32,
                    edit,
                });
            }
            Attempt::Rejected(_, engine::Rejection::Vetoed { word, .. }) => words.push(word),
            _ => return None,
        }
    }
    None
}

/// Every word the program's rules list (anchor words and the rest), for
/// proposing words the rule set already uses.
pub fn vocabulary(program: &Program) -> HashSet<String> {
    program
        .rules
        .iter()
        .flat_map(|r| &r.insts)
        .filter_map(|i| match i {
            Inst::Lit(ws) => Some(ws),
            _ => None,
        })
        .flatten()
        .cloned()
        .collect()
}
