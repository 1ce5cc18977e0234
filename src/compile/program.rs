//! The compiled form: instructions per rule, what a rule's match may start
//! with, and the program of a whole rule set. Choosing anchors is
//! `anchor.rs`, walks over the instructions `flow.rs`, the automaton
//! `scanner.rs`.

use super::anchor::Reach;
use super::scanner::WordScanner;
use crate::diag::{FileId, Span};
use crate::syntax::ast::{Status, VetoScope};
use crate::text::{Unit, UnitKind, number_start_chars};
use memchr::memmem::Finder;

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
    /// `emit none`: a trap, which claims its number and gives no fact.
    pub trap: bool,
    /// The least and greatest values the rule takes (`min`, `max`), in the
    /// indicator's unit.
    pub bounds: (Option<rust_decimal::Decimal>, Option<rust_decimal::Decimal>),
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

impl Program {
    /// The index in [`Program::rules`] of the rule named `qualified_name`
    /// (`江苏/苏科贷`), if the set holds it: how lints and `zhibiao test`
    /// find a checked rule's compiled form.
    pub fn rule_index(&self, qualified_name: &str) -> Option<usize> {
        self.rules
            .iter()
            .position(|r| r.qualified_name == qualified_name)
    }
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

#[cfg(test)]
mod tests {
    use super::super::anchor::{anchor_instruction, plan_anchor, reach_around, required_sets};
    use super::super::scanner::WordHit;
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
