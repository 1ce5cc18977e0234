//! The compiled form: instructions per rule, anchors, and the shared
//! automaton over every rule's anchor literals.

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};
use memchr::memmem::Finder;
use std::ops::Range;

use crate::diag::{FileId, Span};
use crate::syntax::ast::{Status, VetoScope};
use crate::text::{Unit, UnitKind, is_sentence_break, number_start_chars};

/// What a capture accepts after the number.
#[derive(Debug, Clone, PartialEq)]
pub enum Accept {
    /// Exactly this unit (家, 亿元 …).
    Unit(Unit),
    /// Any unit of this kind (money, count …).
    Kind(UnitKind),
    /// A bare number; the unit (if any) is left for the rest of the pattern.
    Bare,
}

/// One step of a rule's program.
#[derive(Debug, Clone, PartialEq)]
pub enum Inst {
    /// The text continues with one of these words (longest first).
    Lit(Vec<String>),
    /// Skip between `min` and `max` characters, lazily (fewest first),
    /// never across a sentence end, and across clause marks only when allowed.
    Gap {
        /// Fewest characters.
        min: u32,
        /// Most characters.
        max: u32,
        /// May cross ，、： (but never 。；！？ or a line break).
        cross_clauses: bool,
        /// May cross ，、： only right after a figure (the end of an item of
        /// an enumeration: `省级重点实验室16家，`).
        list: bool,
    },
    /// A subject's words (longest first) — or, verifying at a clause start
    /// that the subject is carried to, nothing (see [`Program::subjects`]).
    Subject {
        /// Index into [`Program::subjects`].
        subject: usize,
        /// Its words.
        words: Vec<String>,
    },
    /// A number with an accepted unit, stored in capture `slot`.
    Capture {
        /// Capture slot.
        slot: usize,
        /// Accepted units; any one suffices.
        accepts: Vec<Accept>,
    },
    /// The text must not continue with any of these words here.
    NotAhead(Vec<String>),
    /// Try the first target, then the second.
    Split(usize, usize),
    /// Continue at the target.
    Jmp(usize),
    /// The pattern matched.
    Match,
}

/// What the first character of a rule's match can be: the engine skips
/// start positions that no match can begin at without walking the rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FirstChars {
    /// Any character can (a gap, or an empty match, can come first).
    pub any: bool,
    /// The characters a match can start with, sorted: first characters of
    /// the words that can come first, and those a number can start with
    /// when one can.
    pub chars: Vec<char>,
    /// Every match starts with a number: never right after a digit, a
    /// decimal point or a Chinese numeral (a capture starts no number
    /// inside another).
    pub number_only: bool,
}

impl FirstChars {
    /// Whether a match may start at byte `at` of `text` (a character
    /// boundary).
    pub fn admit_at(&self, text: &str, at: usize) -> bool {
        if self.any {
            return true;
        }
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            return false;
        };
        // Most places fail here: the look at the character before comes
        // second.
        if self.chars.binary_search(&c).is_err() {
            return false;
        }
        if self.number_only
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(crate::text::number::continues_number)
        {
            return false;
        }
        true
    }
}

/// A 256-bit filter of characters (bit `c as u32 & 255`): a clear bit
/// means no word of the set starts with a character of that value.
pub type CharFilter = [u64; 4];

/// True when `c` may be in the filter.
pub fn filter_admits(filter: &CharFilter, c: char) -> bool {
    let b = (c as u32 & 255) as usize;
    filter[b >> 6] & (1 << (b & 63)) != 0
}

/// Per instruction: for a gap followed by words (a literal or a subject),
/// the characters those words start with. The matcher pushes a gap's end
/// only where the next character may start one of them, instead of every
/// place the gap can reach (the first place is always pushed, so that how
/// far a walk got is the same). Recompute after editing the instructions.
pub fn gap_next_filters(insts: &[Inst]) -> Vec<Option<CharFilter>> {
    insts
        .iter()
        .enumerate()
        .map(|(pc, inst)| {
            if !matches!(inst, Inst::Gap { .. }) {
                return None;
            }
            let (Inst::Lit(words) | Inst::Subject { words, .. }) = insts.get(pc + 1)? else {
                return None;
            };
            let mut filter = [0u64; 4];
            for w in words {
                let c = w.chars().next()?;
                let b = (c as u32 & 255) as usize;
                filter[b >> 6] |= 1 << (b & 63);
            }
            Some(filter)
        })
        .collect()
}

/// The characters a match of `insts` can start with, following splits,
/// jumps and look-aheads from the first instruction.
pub fn first_chars(insts: &[Inst]) -> FirstChars {
    let mut first = FirstChars::default();
    let mut captures_first = false;
    let mut words_first = false;
    let mut seen = vec![false; insts.len()];
    let mut todo = vec![0usize];
    while let Some(pc) = todo.pop() {
        if first.any {
            break;
        }
        let Some(inst) = insts.get(pc) else {
            // Past the end: nothing more is required.
            first.any = true;
            break;
        };
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match inst {
            // A carried subject is verified from its clause start alone,
            // without this filter (see `engine::scan`).
            Inst::Lit(words) | Inst::Subject { words, .. } => {
                for w in words {
                    match w.chars().next() {
                        Some(c) => {
                            first.chars.push(c);
                            words_first = true;
                        }
                        // An empty word consumes nothing.
                        None => todo.push(pc + 1),
                    }
                }
            }
            Inst::Gap { min, max, .. } => {
                if *max > 0 {
                    first.any = true;
                }
                if *min == 0 {
                    todo.push(pc + 1);
                }
            }
            Inst::Capture { .. } => {
                first.chars.extend(number_start_chars());
                captures_first = true;
            }
            // A look-ahead only narrows what follows.
            Inst::NotAhead(_) => todo.push(pc + 1),
            Inst::Split(a, b) => todo.extend([*a, *b]),
            Inst::Jmp(a) => todo.push(*a),
            Inst::Match => first.any = true,
        }
    }
    first.number_only = captures_first && !words_first && !first.any;
    first.chars.sort_unstable();
    first.chars.dedup();
    first
}

/// Where the scan starts verifying a rule.
#[derive(Debug, Clone, PartialEq)]
pub struct AnchorPlan {
    /// The words whose occurrences trigger verification.
    pub literals: Vec<String>,
    /// Instruction index of the anchor literal (the first of an alternation's
    /// when its branches anchor together).
    pub anchor_pc: usize,
    /// How many characters before an anchor hit a match may start (0 when
    /// every match starts with an anchor word).
    pub back_chars: u32,
}

/// One rule, ready to run.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// Position in [`Program::rules`] (definition order; ties go to the earlier rule).
    pub index: usize,
    /// Name as written.
    pub name: String,
    /// Qualified name for output (`江苏/苏科贷`).
    pub qualified_name: String,
    /// Indicator id.
    pub indicator: String,
    /// The indicator's place among the rule set's indicators: a cheap key
    /// for "one fact per indicator, value and sentence".
    pub indicator_index: usize,
    /// The indicator's unit; captured values are converted to it.
    pub unit: Unit,
    /// Fixed status, if the rule says.
    pub status: Option<Status>,
    /// Conflict priority.
    pub priority: i64,
    /// The program.
    pub insts: Vec<Inst>,
    /// Per instruction, where it was written: the span (in [`CompiledRule::file`])
    /// of the pattern node it comes from. Nodes a `let` brought in carry the
    /// span of the name that brought them in. `explain` words its
    /// suggested fixes with it.
    pub spans: Vec<Span>,
    /// Capture names by slot.
    pub captures: Vec<String>,
    /// The slot whose value is the fact.
    pub emit_slot: usize,
    /// Where verification starts.
    pub anchor: AnchorPlan,
    /// What a match can start with.
    pub first: FirstChars,
    /// Word sets every match contains ([`required_sets`]), as indices
    /// into [`Program::required_sets`]: a match is only tried where a word
    /// of each set occurs within [`CompiledRule::max_bytes`].
    pub required: Vec<u32>,
    /// For each of [`CompiledRule::required`]: how far after an anchor hit's
    /// start a word of the set must end ([`reach_after_anchor`]), when the
    /// set lies after the anchor.
    pub required_reach: Vec<Option<Reach>>,
    /// The same from the place a carried subject is taken at
    /// ([`carry_instruction`]).
    pub carry_reach: Vec<Option<Reach>>,
    /// The most bytes a match can span.
    pub max_bytes: usize,
    /// Per instruction, for a gap before words: the characters they start
    /// with ([`gap_next_filters`]).
    pub gap_next: Vec<Option<CharFilter>>,
    /// Veto words with their reach, each ready to search for (a finder is
    /// built once per word here, not once per match).
    pub vetoes: Vec<(VetoScope, Vec<Finder<'static>>)>,
    /// Whether the pattern has a list gap (`…{list}`): its vetoes look at
    /// the head's clause and the number's, not at the items between.
    pub list_gap: bool,
    /// Defining file (for explain and test diagnostics).
    pub file: FileId,
    /// The rule's span in that file.
    pub span: Span,
}

/// A compiled rule set: what `run` executes for one province.
#[derive(Debug, Clone)]
pub struct Program {
    /// The rule set's name (province or common file stem).
    pub set_name: String,
    /// Province name when the rule set is a province's.
    pub province: Option<String>,
    /// Rules in definition order.
    pub rules: Vec<CompiledRule>,
    /// Every anchor literal, by automaton pattern id.
    pub literals: Vec<String>,
    /// For each literal, the rules it anchors.
    pub literal_owners: Vec<Vec<usize>>,
    /// One automaton over all anchor literals and required words (None only
    /// if it failed to build).
    pub automaton: Option<WordScanner>,
    /// Every word some rule requires ([`CompiledRule::required`]), once: the
    /// scan finds them with the anchors.
    pub required_words: Vec<String>,
    /// Every set of words some rule requires one of, once (sorted words).
    pub required_sets: Vec<Vec<String>>,
    /// Per required word, the sets it belongs to: where the scan records
    /// an occurrence, so that asking about a set is one lookup whatever
    /// its size.
    pub word_sets: Vec<Vec<u32>>,
    /// The most bytes any rule's match can span: how far past an anchor the
    /// scan must look for required words.
    pub window: usize,
    /// Length in bytes of the longest anchor literal.
    pub longest_word: usize,
    /// How far (bytes) before the scan's position a match found later can
    /// still start: the longest look-back plus the longest anchor word.
    pub reach: usize,
    /// Whether some rule's word holds a sentence break (。 ; \n …), so that
    /// a match may cross sentences and the text cannot be run in blocks.
    pub words_cross_sentences: bool,
    /// Every `subject` of the rule set: the scan tracks where each is named,
    /// so that a subject named in one clause is *carried* into the next
    /// clauses of its sentence until another subject is named.
    pub subjects: Vec<SubjectDef>,
    /// Per subject: the rules whose match can start with it (after optional
    /// words only), verified at each clause start it is carried to.
    pub carry_rules: Vec<Vec<usize>>,
    /// Per subject: every word of its [`Program::carry_rules`], by first
    /// character, longest first. A clause whose words before its first
    /// number are neither these nor predicate words has a subject of its
    /// own, so nothing is carried to it (`engine::carry`).
    pub carry_words: Vec<WordsByFirstChar>,
    /// The rule set's lexicon, compiled once ([`crate::lexicon`]): the
    /// words the engine reads sentences by.
    pub lexicon: std::sync::Arc<crate::lexicon::Lexicon>,
}

/// The words of `rules` (every literal and subject word they hold), by
/// first character.
pub fn words_by_first_char(rules: &[CompiledRule], of: &[usize]) -> WordsByFirstChar {
    let mut words = Vec::new();
    for &r in of {
        let Some(rule) = rules.get(r) else { continue };
        for inst in &rule.insts {
            if let Inst::Lit(ws) | Inst::Subject { words: ws, .. } = inst {
                words.extend(ws.iter().cloned());
            }
        }
    }
    WordsByFirstChar::new(words)
}

/// Words grouped by their first character, longest first. A lookup is a
/// binary search over the characters: it runs for each character of a
/// clause's head, where hashing a `char` cost more than the search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WordsByFirstChar {
    groups: Vec<(char, Vec<String>)>,
}

impl WordsByFirstChar {
    /// Groups `words` (empty ones are left out).
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        let mut all: Vec<(char, String)> = words
            .into_iter()
            .filter_map(|w| w.chars().next().map(|c| (c, w)))
            .collect();
        all.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.len().cmp(&a.1.len()))
                .then(a.1.cmp(&b.1))
        });
        all.dedup();
        let mut groups: Vec<(char, Vec<String>)> = Vec::new();
        for (c, w) in all {
            match groups.last_mut() {
                Some((last, ws)) if *last == c => ws.push(w),
                _ => groups.push((c, vec![w])),
            }
        }
        WordsByFirstChar { groups }
    }

    /// The length in bytes of the longest word `text` starts with.
    pub fn longest_at(&self, text: &str) -> Option<usize> {
        let c = text.chars().next()?;
        let i = self.groups.binary_search_by_key(&c, |(k, _)| *k).ok()?;
        self.groups[i]
            .1
            .iter()
            .find(|w| text.starts_with(w.as_str()))
            .map(String::len)
    }
}

/// A subject as the engine tracks it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectDef {
    /// Its name, as declared.
    pub name: String,
    /// The words that name it, longest first.
    pub words: Vec<String>,
}

/// The subject a rule's match can start with, if any: a [`Inst::Subject`]
/// reached from the first instruction through splits, jumps and
/// look-aheads only (so optional words before it, such as 全市, may be
/// absent).
pub fn leading_subjects(insts: &[Inst]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; insts.len()];
    let mut todo = vec![0usize];
    while let Some(pc) = todo.pop() {
        let Some(inst) = insts.get(pc) else { continue };
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match inst {
            Inst::Subject { subject, .. } if !out.contains(subject) => out.push(*subject),
            Inst::Split(a, b) => todo.extend([*a, *b]),
            Inst::Jmp(a) => todo.push(*a),
            Inst::NotAhead(_) => todo.push(pc + 1),
            _ => {}
        }
    }
    out.sort_unstable();
    out
}

/// Chooses the anchor of a rule program; `None` if no literal is required.
///
/// Candidates: the words every match starts with (no look-back), and each
/// literal on every path (looking back as far as the prefix before it can
/// reach). The cheapest by [`anchor_cost`] wins, so that a rule that opens
/// with an optional quote mark or 全市 is triggered by its rarer key word
/// instead of by every quote mark in the report.
pub fn plan_anchor(insts: &[Inst]) -> Option<AnchorPlan> {
    let mut best: Option<(f64, AnchorPlan)> = None;
    let mut consider = |plan: AnchorPlan| {
        let cost = anchor_cost(&plan);
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, plan));
        }
    };
    let mut words = Vec::new();
    if first_literals(insts, 0, &mut words, &mut vec![false; insts.len()]) {
        words.sort_by(|a: &String, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        consider(AnchorPlan {
            literals: words,
            anchor_pc: 0,
            back_chars: 0,
        });
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
        consider(AnchorPlan {
            literals: words.clone(),
            anchor_pc: k,
            back_chars: prefix_chars[k],
        });
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
        let mut words: Vec<String> = group
            .iter()
            .filter_map(|&k| match &insts[k] {
                Inst::Lit(words) | Inst::Subject { words, .. } => Some(words.iter().cloned()),
                _ => None,
            })
            .flatten()
            .collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        words.dedup();
        consider(AnchorPlan {
            literals: words,
            anchor_pc: group[0],
            back_chars: group.iter().map(|&k| prefix_chars[k]).max().unwrap_or(0),
        });
    }
    best.map(|(_, plan)| plan)
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

/// A rough cost of scanning with `plan`: how often its words may occur
/// (short words are common in Chinese text: a one-character word ~ every
/// line, each further character ~ ten times rarer), times the number of
/// start positions each hit makes the scan try.
fn anchor_cost(plan: &AnchorPlan) -> f64 {
    let hits: f64 = plan.literals.iter().map(|w| word_frequency(w)).sum();
    hits * (1.0 + 0.25 * f64::from(plan.back_chars))
}

/// How often a word may occur, relative to a one-character word: each
/// further character makes it about ten times rarer — but for the words
/// that stand in nearly every sentence of a bureau's report (企业, 全市,
/// 完成 …), which are as common as a single character.
fn word_frequency(w: &str) -> f64 {
    if crate::lexicon::Lexicon::shipped().is_word(crate::lexicon::Role::CommonWord, w) {
        return 1.0;
    }
    match w.chars().count() {
        0 | 1 => 1.0,
        2 => 0.1,
        3 => 0.01,
        _ => 0.001,
    }
}

/// For each place `k` of the program (and its end), whether every path
/// passes it ([`on_every_path`]), in one pass: the furthest a split or jump
/// before `k` leads is at most `k`.
fn every_path(insts: &[Inst]) -> Vec<bool> {
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
fn on_every_path(insts: &[Inst], k: usize) -> bool {
    insts[..k].iter().all(|i| match i {
        Inst::Split(a, b) => *a <= k && *b <= k,
        Inst::Jmp(a) => *a <= k,
        _ => true,
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

/// Whether every path through the segment `seg` of the program — from a
/// place every path passes to the next — passes one of the instructions at
/// `cut` (all inside the segment). Only the segment is walked: programs
/// jump forward only, so every path from the start reaches `seg.start` and
/// leaves at `seg.end`; the work is the segment's length.
fn passes_one_of(insts: &[Inst], seg: Range<usize>, cut: &[usize]) -> bool {
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
fn leading_subject_pcs(insts: &[Inst]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut seen = vec![false; insts.len()];
    let mut todo = vec![0usize];
    while let Some(pc) = todo.pop() {
        let Some(inst) = insts.get(pc) else { continue };
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match inst {
            Inst::Subject { .. } => out.push(pc),
            Inst::Split(a, b) => todo.extend([*a, *b]),
            Inst::Jmp(a) => todo.push(*a),
            Inst::NotAhead(_) => todo.push(pc + 1),
            _ => {}
        }
    }
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

/// Collects the literals reachable from `pc` without consuming text; false
/// if some path reaches a gap, capture or the end first.
fn first_literals(insts: &[Inst], pc: usize, out: &mut Vec<String>, seen: &mut [bool]) -> bool {
    // Iterative walk over epsilon edges (programs are acyclic).
    let mut stack = vec![pc];
    while let Some(pc) = stack.pop() {
        if pc >= insts.len() {
            return false;
        }
        if std::mem::replace(&mut seen[pc], true) {
            continue;
        }
        match &insts[pc] {
            Inst::Lit(words) | Inst::Subject { words, .. } => out.extend(words.iter().cloned()),
            Inst::Split(a, b) => {
                stack.push(*b);
                stack.push(*a);
            }
            Inst::Jmp(a) => stack.push(*a),
            Inst::NotAhead(_) => stack.push(pc + 1),
            Inst::Gap { .. } | Inst::Capture { .. } | Inst::Match => return false,
        }
    }
    true
}

/// For every place `k` of the program (and its end), the longest text
/// (in characters) the prefix before it can consume
/// ([`longest_prefix_chars`] of `insts[..k]`), in one forward pass: with
/// forward jumps only, what arrives at `k` comes from before it.
fn longest_prefixes(insts: &[Inst]) -> Vec<u32> {
    longest_from(insts, 0)
        .into_iter()
        .map(|b| b.unwrap_or(0))
        .collect()
}

/// For every place `k` (and the end), the longest text the program can
/// consume from `from` until it arrives at `k` (`None`: unreachable) — the
/// [`longest_between`] of `from` and each `k`, in one pass.
fn longest_from(insts: &[Inst], from: usize) -> Vec<Option<u32>> {
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
/// [`longest_between`] of each `k` and `to`, in one backward pass.
fn longest_to(insts: &[Inst], to: usize) -> Vec<Option<u32>> {
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
fn steps(inst: &Inst, pc: usize) -> Vec<(usize, u32)> {
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
fn longest_prefix_chars(prefix: &[Inst]) -> u32 {
    longest_between(prefix, 0, prefix.len())
}

/// Longest text (in characters) the program can consume from instruction
/// `from` until it reaches `to` (paths that jump past `to` never reach it).
fn longest_between(insts: &[Inst], from: usize, to: usize) -> u32 {
    // Forward DP over the acyclic program: best[pc] = most chars consumed on
    // arriving at pc.
    let n = to.min(insts.len());
    if from >= n {
        return 0;
    }
    let mut best: Vec<Option<u32>> = vec![None; n + 1];
    best[from] = Some(0);
    for pc in from..n {
        let Some(here) = best[pc] else { continue };
        let mut relax = |to: usize, add: u32| {
            if to > n {
                return;
            }
            let v = here.saturating_add(add);
            if best[to].is_none_or(|b| b < v) {
                best[to] = Some(v);
            }
        };
        match &insts[pc] {
            Inst::Lit(words) | Inst::Subject { words, .. } => {
                let m = words
                    .iter()
                    .map(|w| w.chars().count() as u32)
                    .max()
                    .unwrap_or(0);
                relax(pc + 1, m)
            }
            Inst::Gap { max, .. } => relax(pc + 1, *max),
            Inst::Capture { .. } => relax(pc + 1, super::MAX_CAPTURE_CHARS),
            Inst::NotAhead(_) => relax(pc + 1, 0),
            Inst::Split(a, b) => {
                relax(*a, 0);
                relax(*b, 0);
            }
            Inst::Jmp(a) => relax(*a, 0),
            Inst::Match => relax(pc + 1, 0),
        }
    }
    best[n].unwrap_or(0)
}

/// One automaton over the words a rule set looks for: every anchor word, and
/// every word some rule requires. It finds all of them, overlapping ones
/// included, in one pass over the text, so that the engine learns where
/// rules may match and whether their other words are near in the same pass.
///
/// A character-wise double-array Aho–Corasick automaton (daachorse): it takes
/// one transition per character, where a byte automaton takes three for each
/// Chinese character; on our reports it scans 2.4× faster than the
/// `aho-corasick` crate's DFA (docs/performance.md).
#[derive(Clone)]
pub struct WordScanner {
    automaton: CharwiseDoubleArrayAhoCorasick<u32>,
    /// Per automaton value: the word's index among the anchors, among the
    /// required words, and the subject it names ([`NOT_ONE`] when it is
    /// not one).
    kinds: Vec<(u32, u32, u32)>,
}

/// Marks a word that is not an anchor (or not a required word).
const NOT_ONE: u32 = u32::MAX;

/// One word found by [`WordScanner::find_overlapping`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordHit {
    /// Byte offset of the word's start in the text.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// Index of the word in [`Program::literals`], if it is an anchor.
    pub anchor: Option<usize>,
    /// Index of the word in [`Program::required_words`], if a rule
    /// requires it.
    pub required: Option<usize>,
    /// Index of the subject the word names in [`Program::subjects`], if any.
    pub subject: Option<usize>,
}

impl WordScanner {
    /// Builds the automaton over `anchors`, `required` and the words of
    /// `subjects` (each list of distinct words; a word may be in several;
    /// empty words, which a checked rule never has, are left out). Fails
    /// only past the automaton's size limits (2^32 states).
    pub fn new(
        anchors: &[String],
        required: &[String],
        subjects: &[SubjectDef],
    ) -> Result<Self, String> {
        let mut ids: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        let mut kinds: Vec<(u32, u32, u32)> = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        let all = anchors
            .iter()
            .enumerate()
            .map(|(i, w)| (0, i, w.as_str()))
            .chain(required.iter().enumerate().map(|(i, w)| (1, i, w.as_str())))
            .chain(
                subjects
                    .iter()
                    .enumerate()
                    .flat_map(|(i, s)| s.words.iter().map(move |w| (2, i, w.as_str()))),
            );
        for (list, index, w) in all {
            if w.is_empty() {
                continue;
            }
            let k = *ids.entry(w).or_insert_with(|| {
                words.push(w);
                kinds.push((NOT_ONE, NOT_ONE, NOT_ONE));
                kinds.len() - 1
            });
            let slot = &mut kinds[k];
            match list {
                0 => slot.0 = index as u32,
                1 => slot.1 = index as u32,
                // A word two subjects share names the first declared.
                _ if slot.2 == NOT_ONE => slot.2 = index as u32,
                _ => {}
            }
        }
        CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            // The 2-gram prefilter pays when words are rare; these words
            // occur every few hundred bytes, and without it the scan takes
            // 30% less time on our reports.
            .use_prefilter(false)
            .build_with_values(words.iter().enumerate().map(|(k, w)| (*w, k as u32)))
            .map(|automaton| WordScanner { automaton, kinds })
            .map_err(|e| e.to_string())
    }

    /// Every occurrence of every word that starts inside `range` of `text`
    /// and ends by `range.end`, in order of end position. `range` must lie
    /// on character boundaries.
    pub fn find_overlapping<'t>(
        &'t self,
        text: &'t str,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = WordHit> + 't {
        let base = range.start;
        let some = |id: u32| (id != NOT_ONE).then_some(id as usize);
        self.automaton
            .find_overlapping_iter(&text[range])
            .map(move |m| {
                let (anchor, required, subject) = self.kinds[m.value() as usize];
                WordHit {
                    start: base + m.start(),
                    end: base + m.end(),
                    anchor: some(anchor),
                    required: some(required),
                    subject: some(subject),
                }
            })
    }

    /// Heap memory the automaton holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.automaton.heap_bytes()
    }
}

impl std::fmt::Debug for WordScanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordScanner")
            .field("words", &self.kinds.len())
            .field("states", &self.automaton.num_states())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gap(max: u32) -> Inst {
        Inst::Gap {
            min: 0,
            max,
            cross_clauses: false,
            list: false,
        }
    }

    #[test]
    fn an_alternation_of_rare_words_anchors_before_a_common_word() {
        // ("规上企业" | "企业") …{0,6} ("研发投入" | "研发费用") …{0,6} N
        let insts = vec![
            Inst::Split(1, 3),
            lit(&["规上企业"]),
            Inst::Jmp(4),
            lit(&["企业"]),
            gap(6),
            Inst::Split(6, 8),
            lit(&["研发投入"]),
            Inst::Jmp(9),
            lit(&["研发费用"]),
            gap(6),
            number(),
            Inst::Match,
        ];
        let plan = plan_anchor(&insts).expect("an anchor");
        assert_eq!(plan.literals, ["研发投入", "研发费用"]);
        // Back to the start of 规上企业 and over the gap.
        assert_eq!(plan.back_chars, 4 + 6);
        // The branches anchor together: no one instruction stands for a hit.
        assert_eq!(anchor_instruction(&insts, &plan), None);
    }

    #[test]
    fn required_words_stand_within_reach_of_the_anchor() {
        // "全区" …{0,12} "高企" "认定"? "总数" …{0,2} N
        let insts = vec![
            lit(&["全区"]),
            gap(12),
            lit(&["高企"]),
            Inst::Split(4, 5),
            lit(&["认定"]),
            lit(&["总数"]),
            gap(2),
            number(),
            Inst::Match,
        ];
        let plan = plan_anchor(&insts).expect("an anchor");
        assert_eq!(plan.anchor_pc, 2);
        assert_eq!(anchor_instruction(&insts, &plan), Some(2));
        let sets = required_sets(&insts, plan.anchor_pc);
        let set = |w: &str| {
            sets.iter()
                .find(|s| s.words == [w])
                .unwrap_or_else(|| panic!("no set {w}: {sets:?}"))
        };
        // 总数 ends at most 高企 + 认定 + 总数 = 6 characters after the hit.
        assert_eq!(
            reach_around(&insts, 2, set("总数")),
            Some(Reach {
                before: 0,
                after: 6 * 4
            })
        );
        // 全区 starts at most 全区 + the gap = 14 characters before it.
        assert_eq!(
            reach_around(&insts, 2, set("全区")),
            Some(Reach {
                before: 14 * 4,
                after: 0
            })
        );
    }

    #[test]
    fn first_chars_follow_splits_and_stop_at_gaps() {
        // ("全市" | "全县")? N 家
        let insts = vec![
            Inst::Split(1, 2),
            lit(&["全市", "全县"]),
            number(),
            Inst::Match,
        ];
        let first = first_chars(&insts);
        assert!(first.chars.contains(&'全') && first.chars.contains(&'7') && !first.any);
        assert!(first.admit_at("全市12家", 0));
        assert!(first.admit_at("约12家", 0));
        assert!(!first.admit_at("新增12家", 0));
        assert!(!first.admit_at("", 0));
        // A leading gap admits anything; a look-ahead narrows nothing.
        let gap = vec![
            Inst::Gap {
                min: 0,
                max: 3,
                cross_clauses: false,
                list: false,
            },
            lit(&["高企"]),
            Inst::Match,
        ];
        assert!(first_chars(&gap).any);
        let ahead = vec![
            Inst::NotAhead(vec!["不".into()]),
            lit(&["高企"]),
            Inst::Match,
        ];
        let first = first_chars(&ahead);
        assert_eq!(first.chars, ['高']);
        assert!(!first.any);
        // An empty match can start anywhere.
        assert!(first_chars(&[Inst::Split(1, 2), lit(&["高企"]), Inst::Match]).any);
    }

    #[test]
    fn word_scanner_finds_anchors_and_required_words_inside_the_range() {
        let anchors: Vec<String> = ["高新技术企业", "技术", ""]
            .iter()
            .map(|w| w.to_string())
            .collect();
        let required: Vec<String> = ["企业", "技术"].iter().map(|w| w.to_string()).collect();
        let scanner = WordScanner::new(&anchors, &required, &[]).expect("builds");
        let text = "企业新增高新技术企业12家,企业";
        let start = "企业新增".len();
        let end = start + "高新技术企业".len();
        let mut hits: Vec<WordHit> = scanner.find_overlapping(text, start..end).collect();
        hits.sort_by_key(|h| (h.start, h.end));
        let at = |w: &str| start + "高新技术企业".find(w).unwrap_or(0);
        let hit = |s: usize, e: usize, anchor: Option<usize>, required: Option<usize>| WordHit {
            start: s,
            end: e,
            anchor,
            required,
            subject: None,
        };
        assert_eq!(
            hits,
            [
                hit(start, end, Some(0), None),
                hit(at("技术"), at("技术") + 6, Some(1), Some(1)),
                hit(at("企业"), end, None, Some(0)),
            ]
        );
    }

    fn lit(words: &[&str]) -> Inst {
        Inst::Lit(words.iter().map(|w| w.to_string()).collect())
    }

    fn number() -> Inst {
        Inst::Capture {
            slot: 0,
            accepts: vec![Accept::Bare],
        }
    }

    #[test]
    fn an_optional_quote_does_not_become_the_anchor() {
        // ("“" | "《")? "苏科贷" N
        let insts = vec![
            Inst::Split(1, 2),
            lit(&["“", "《"]),
            lit(&["苏科贷"]),
            number(),
            Inst::Match,
        ];
        let plan = plan_anchor(&insts).expect("a plan");
        assert_eq!(plan.literals, vec!["苏科贷".to_string()]);
        assert_eq!(plan.anchor_pc, 2);
        assert_eq!(plan.back_chars, 1);
    }

    #[test]
    fn rare_leading_words_stay_the_anchor() {
        // "高新技术企业" …{0,6} "达到" N: the first word is already rare.
        let insts = vec![
            lit(&["高新技术企业"]),
            Inst::Gap {
                min: 0,
                max: 6,
                cross_clauses: false,
                list: false,
            },
            lit(&["达到"]),
            number(),
            Inst::Match,
        ];
        let plan = plan_anchor(&insts).expect("a plan");
        assert_eq!(plan.anchor_pc, 0);
        assert_eq!(plan.back_chars, 0);
    }

    #[test]
    fn one_character_word_sets_are_not_required() {
        let insts = vec![
            lit(&["高企"]),
            lit(&["达到", "为"]),
            lit(&["家数"]),
            Inst::Match,
        ];
        // 高企 is the anchor; {达到, 为} holds a one-character word.
        assert_eq!(required_sets(&insts, 0).len(), 1);
    }
}
