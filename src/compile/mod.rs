//! Compiling an effective [`RuleSet`] into a [`Program`] the engine runs.
//!
//! Each rule's pattern becomes a small instruction list (a Thompson-style
//! program: literals, literal sets, bounded gaps, typed captures, splits),
//! and every rule's *anchor* literals and *required* words go into one
//! Aho–Corasick automaton ([`WordScanner`]), so a report is scanned once for
//! all rules. A rule is then verified only around the places its anchors
//! occur, where its required words stand near.
//!
//! Why an instruction list and not a regex: captures are typed numbers with
//! units read by [`crate::text::read_number`], gaps are bounded in
//! characters and stop at clause marks, and the engine needs to say how far
//! a pattern got (for `explain`). The verifier memoizes (instruction,
//! position) states, so the work per anchor hit is bounded by the pattern's
//! size times its window: matching stays linear in the report.

mod anchor;
mod flow;
mod program;
mod scanner;

pub use flow::{FROM_HALF_CHARS, max_match_bytes};
pub use program::{
    Accept, AnchorPlan, CharFilter, CompiledRule, FirstChars, Inst, Program, SubjectDef,
    WordsByFirstChar, filter_admits, gap_next_filters,
};
pub use scanner::{WordHit, WordScanner};

use std::collections::HashMap;

use crate::check::RuleSet;
use crate::diag::{Code, Diagnostic, Span};
use crate::syntax::ast::{GapScope, Pattern, PatternKind};
use crate::text::{Unit, UnitKind};

/// Largest number of characters a capture (number, qualifier and unit) is
/// assumed to span when computing how far before an anchor a match may start.
pub const MAX_CAPTURE_CHARS: u32 = 24;

/// Most distinct anchor words in one rule set.
pub const MAX_ANCHOR_WORDS: usize = 20_000;

/// Most instructions one rule may compile to. Each `<>` compiles its sides
/// twice, so nested ones double the program (twelve deep, a 275-byte rule
/// made checking hang, issue 25); the shipped rules stay under a hundred.
/// Past it the rule is left out with [`Code::ProgramTooLarge`].
pub const MAX_PROGRAM_INSTS: usize = 20_000;

/// Compiles a rule set. Rules that cannot be compiled are left out with a
/// diagnostic (the checker normally reports them first).
pub fn compile(set: &RuleSet) -> (Program, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut rules: Vec<CompiledRule> = Vec::new();
    let mut words = WordTables::default();
    let subjects: Vec<SubjectDef> = set
        .subjects
        .iter()
        .map(|(name, words)| SubjectDef {
            name: name.clone(),
            words: words.clone(),
        })
        .collect();
    let mut carry_rules: Vec<Vec<usize>> = vec![Vec::new(); subjects.len()];

    for rule in &set.rules {
        match compile_rule(set, rule, rules.len(), &mut words, &mut carry_rules) {
            Ok(compiled) => rules.push(compiled),
            Err(d) => diags.push(d),
        }
    }

    let automaton = word_scanner(set, &words, &subjects, &mut diags);
    let WordTables {
        literals,
        literal_owners,
        required_words,
        required_sets,
        word_sets,
        ..
    } = words;
    let longest_word = literals.iter().map(String::len).max().unwrap_or(0);
    let window = rules.iter().map(|r| r.max_bytes).max().unwrap_or(0);
    let reach = rules
        .iter()
        .map(|r| r.anchor.back_chars as usize * 4)
        .max()
        .unwrap_or(0)
        + longest_word;
    let words_cross_sentences = rules
        .iter()
        .flat_map(|r| &r.insts)
        .any(anchor::holds_sentence_break);
    (
        Program {
            carry_words: carry_rules
                .iter()
                .map(|of| program::words_by_first_char(&rules, of))
                .collect(),
            set_name: set.name.clone(),
            province: set.province.as_ref().map(|p| p.name.clone()),
            rules,
            literals,
            literal_owners,
            automaton,
            required_words,
            required_sets,
            word_sets,
            window,
            longest_word,
            reach,
            words_cross_sentences,
            subjects,
            carry_rules,
            lexicon: lexicon_of(set),
        },
        diags,
    )
}

/// The word tables a rule set's rules fill as they compile: the anchor
/// words with the rules each anchors, and the required words with the
/// sets they form (each word and each set once).
#[derive(Default)]
struct WordTables {
    /// Every anchor literal, by automaton pattern id.
    literals: Vec<String>,
    /// For each literal, the rules it anchors.
    literal_owners: Vec<Vec<usize>>,
    /// Literal → its index in `literals` (a linear search made 100,000
    /// alternatives take minutes).
    literal_ids: HashMap<String, usize>,
    /// Every required word once.
    required_words: Vec<String>,
    /// Required word → its index in `required_words`.
    required_ids: HashMap<String, u32>,
    /// Every required set once (sorted words).
    required_sets: Vec<Vec<String>>,
    /// Required set → its index in `required_sets`.
    set_ids: HashMap<Vec<String>, u32>,
    /// Per required word, the sets it belongs to.
    word_sets: Vec<Vec<u32>>,
}

impl WordTables {
    /// Records that `literal` anchors rule `rule`.
    fn add_anchor(&mut self, literal: &str, rule: usize) {
        let id = match self.literal_ids.get(literal) {
            Some(&id) => id,
            None => {
                self.literals.push(literal.to_string());
                self.literal_owners.push(Vec::new());
                let id = self.literals.len() - 1;
                self.literal_ids.insert(literal.to_string(), id);
                id
            }
        };
        if !self.literal_owners[id].contains(&rule) {
            self.literal_owners[id].push(rule);
        }
    }

    /// The id of the required set of `words` (sorted and deduplicated
    /// here), added with its words if new.
    fn required_set(&mut self, mut words: Vec<String>) -> u32 {
        words.sort();
        words.dedup();
        if let Some(&id) = self.set_ids.get(&words) {
            return id;
        }
        let id = self.required_sets.len() as u32;
        for w in &words {
            let wid = *self.required_ids.entry(w.clone()).or_insert_with_key(|w| {
                self.required_words.push(w.clone());
                self.word_sets.push(Vec::new());
                (self.required_words.len() - 1) as u32
            });
            self.word_sets[wid as usize].push(id);
        }
        self.set_ids.insert(words.clone(), id);
        self.required_sets.push(words);
        id
    }
}

/// Compiles one rule as rule `rule_index` of its set, adding its words to
/// `words` and it to the rules each leading subject carries; or the
/// diagnostic that leaves it out.
fn compile_rule(
    set: &RuleSet,
    rule: &crate::check::Rule,
    rule_index: usize,
    words: &mut WordTables,
    carry_rules: &mut [Vec<usize>],
) -> Result<CompiledRule, Diagnostic> {
    let Some(indicator) = set.indicators.get(&rule.indicator) else {
        return Err(Diagnostic::new(
            Code::UnknownIndicator,
            format!(
                "rule {} names unknown indicator {}",
                rule.name, rule.indicator
            ),
        )
        .with_label(rule.file, rule.span, "this rule"));
    };
    let mut b = Builder {
        insts: Vec::new(),
        spans: Vec::new(),
        captures: Vec::new(),
        subjects: &set.subjects,
    };
    let built = b.pattern(&rule.pattern);
    if b.insts.len() > MAX_PROGRAM_INSTS {
        return Err(Diagnostic::new(
            Code::ProgramTooLarge,
            format!(
                "rule {} compiles to more than {MAX_PROGRAM_INSTS} instructions",
                rule.name
            ),
        )
        .with_label(rule.file, rule.pattern.span, "this pattern")
        .with_help(
            "each `<>` compiles both orders of its sides, so nested `<>` double \
             the rule; list the orders a report uses, or split the rule",
        ));
    }
    if let Err(msg) = built {
        return Err(Diagnostic::new(
            Code::NoAnchor,
            format!("rule {} cannot be compiled: {msg}", rule.name),
        )
        .with_label(rule.file, rule.pattern.span, "this pattern"));
    }
    b.push(Inst::Match, rule.pattern.span);
    let slot = b.captures.iter().position(|c| *c == rule.emit).unwrap_or(0);
    let Some(anchor) = anchor::plan_anchor(&b.insts) else {
        return Err(Diagnostic::new(
            Code::NoAnchor,
            format!("rule {} has no word every match must contain", rule.name),
        )
        .with_label(rule.file, rule.pattern.span, "no required literal here")
        .with_help(
            "start the pattern with a quoted word or a name whose alternatives are all words",
        ));
    };
    let required = anchor::required_sets(&b.insts, anchor.anchor_pc);
    let reach_from = |a: Option<usize>| -> Vec<Option<anchor::Reach>> {
        match a {
            Some(a) => anchor::reach_all(&b.insts, a, &required),
            None => vec![None; required.len()],
        }
    };
    let required_reach = reach_from(anchor::anchor_instruction(&b.insts, &anchor));
    let carry_reach = reach_from(anchor::carry_instruction(&b.insts));
    for s in flow::leading_subjects(&b.insts) {
        carry_rules[s].push(rule_index);
    }
    for lit in &anchor.literals {
        words.add_anchor(lit, rule_index);
    }
    let vetoes = rule
        .vetoes
        .iter()
        .map(|v| {
            let finders = v
                .words
                .iter()
                .map(|w| memchr::memmem::Finder::new(w.as_bytes()).into_owned())
                .collect();
            (v.scope, finders)
        })
        .collect();
    Ok(CompiledRule {
        index: rule_index,
        name: rule.name.clone(),
        qualified_name: rule.qualified_name.clone(),
        indicator: rule.indicator.clone(),
        indicator_index: set
            .indicators
            .get_index_of(&rule.indicator)
            .unwrap_or(usize::MAX),
        unit: indicator.unit,
        status: rule.status,
        priority: rule.priority,
        required: required
            .into_iter()
            .map(|set| words.required_set(set.words))
            .collect(),
        required_reach,
        carry_reach,
        max_bytes: flow::max_match_bytes(&b.insts),
        gap_next: program::gap_next_filters(&b.insts),
        list_gap: b
            .insts
            .iter()
            .any(|i| matches!(i, Inst::Gap { list: true, .. })),
        first: program::first_chars(&b.insts),
        insts: b.insts,
        spans: b.spans,
        captures: b.captures,
        emit_slot: slot,
        anchor,
        vetoes,
        file: rule.file,
        span: rule.span,
        trap: rule.trap,
        bounds: (rule.min, rule.max),
    })
}

/// The one automaton over the set's anchor literals, required words and
/// subjects' words; `None`, with a diagnostic, past its limits.
fn word_scanner(
    set: &RuleSet,
    words: &WordTables,
    subjects: &[SubjectDef],
    diags: &mut Vec<Diagnostic>,
) -> Option<WordScanner> {
    if words.literals.len() > MAX_ANCHOR_WORDS {
        // Building the automaton grows faster than the number of words
        // (50,000 two-character words: a third of a second); no real rule
        // set comes near.
        diags.push(
            Diagnostic::new(
                Code::TooComplex,
                format!(
                    "rule set {} has {} different anchor words; the limit is {MAX_ANCHOR_WORDS}",
                    set.name,
                    words.literals.len()
                ),
            )
            .with_help("a rule set needs a few hundred words; look for a generated word list"),
        );
        return None;
    }
    match WordScanner::new(&words.literals, &words.required_words, subjects) {
        Ok(a) => Some(a),
        Err(e) => {
            // Only past the automaton's internal size limits.
            diags.push(Diagnostic::new(
                Code::TooComplex,
                format!("the rules' words do not fit in one automaton: {e}"),
            ));
            None
        }
    }
}

/// The compiled lexicon of a rule set: its own lexicon file's words, or
/// the shipped lexicon changed by its words (the shipped one itself, shared,
/// when it has none).
pub fn lexicon_of(set: &RuleSet) -> std::sync::Arc<crate::lexicon::Lexicon> {
    use crate::lexicon::Lexicon;
    if set.own_lexicon {
        Lexicon::of_entries(&set.words)
    } else if set.words.is_empty() {
        Lexicon::shipped().clone()
    } else {
        std::sync::Arc::new(Lexicon::build(Some(Lexicon::shipped()), &set.words))
    }
}

/// Lowers a pattern tree to instructions.
struct Builder<'s> {
    insts: Vec<Inst>,
    /// Per instruction, the span of the pattern node it comes from.
    spans: Vec<Span>,
    captures: Vec<String>,
    /// The rule set's subjects, by name (their index is the subject id).
    subjects: &'s indexmap::IndexMap<String, Vec<String>>,
}

impl Builder<'_> {
    fn push(&mut self, inst: Inst, span: Span) {
        self.insts.push(inst);
        self.spans.push(span);
    }

    fn pattern(&mut self, p: &Pattern) -> Result<(), String> {
        // A program past the bound is refused whole: stop walking (each
        // `<>` below would double the walk). What the callers still push
        // is a few instructions per level of the pattern.
        if self.insts.len() > MAX_PROGRAM_INSTS {
            return Ok(());
        }
        match &p.kind {
            PatternKind::Literal(s) => {
                if s.is_empty() {
                    return Err("empty literal".into());
                }
                self.push(Inst::Lit(vec![s.clone()]), p.span);
            }
            PatternKind::Ref(name) => return Err(format!("pattern name {name} was not expanded")),
            PatternKind::Seq(items) => {
                for item in items {
                    self.pattern(item)?;
                }
            }
            PatternKind::Alt(branches) => {
                if let Some(words) = literal_alternatives(p) {
                    self.push(Inst::Lit(words), p.span);
                    return Ok(());
                }
                // split L1, next; L1: branch; jmp end; next: split ...
                let mut jumps = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if i + 1 < branches.len() {
                        let split = self.insts.len();
                        self.push(Inst::Split(split + 1, 0), p.span);
                        self.pattern(branch)?;
                        jumps.push(self.insts.len());
                        self.push(Inst::Jmp(0), p.span);
                        let next = self.insts.len();
                        self.insts[split] = Inst::Split(split + 1, next);
                    } else {
                        self.pattern(branch)?;
                    }
                }
                let end = self.insts.len();
                for j in jumps {
                    self.insts[j] = Inst::Jmp(end);
                }
            }
            PatternKind::Optional(inner) => {
                let split = self.insts.len();
                self.push(Inst::Split(split + 1, 0), p.span);
                self.pattern(inner)?;
                let end = self.insts.len();
                self.insts[split] = Inst::Split(split + 1, end);
            }
            PatternKind::Gap(gap) => self.gap(gap, p.span)?,
            PatternKind::Either(a, gap, b) => {
                // split L1, L2; L1: a gap b; jmp end; L2: b gap a; end:
                let split = self.insts.len();
                self.push(Inst::Split(split + 1, 0), p.span);
                self.pattern(a)?;
                self.gap(gap, p.span)?;
                self.pattern(b)?;
                let jump = self.insts.len();
                self.push(Inst::Jmp(0), p.span);
                let second = self.insts.len();
                self.insts[split] = Inst::Split(split + 1, second);
                self.pattern(b)?;
                self.gap(gap, p.span)?;
                self.pattern(a)?;
                let end = self.insts.len();
                self.insts[jump] = Inst::Jmp(end);
            }
            PatternKind::Subject(s) => {
                let subject = self
                    .subjects
                    .get_index_of(&s.name)
                    .ok_or_else(|| format!("subject {} is not in the rule set", s.name))?;
                self.push(
                    Inst::Subject {
                        subject,
                        words: s.words.clone(),
                    },
                    p.span,
                );
            }
            PatternKind::Capture(c) => {
                let mut accepts = Vec::new();
                for a in &c.accepts {
                    if a.name == "number" {
                        accepts.push(Accept::Bare);
                    } else if let Some(kind) = UnitKind::from_keyword(&a.name) {
                        accepts.push(Accept::Kind(kind));
                    } else if let Some(unit) = Unit::parse(&a.name) {
                        accepts.push(Accept::Unit(unit));
                    } else {
                        return Err(format!("unknown unit {}", a.name));
                    }
                }
                let slot = match self.captures.iter().position(|n| *n == c.name.name) {
                    Some(i) => i,
                    None => {
                        self.captures.push(c.name.name.clone());
                        self.captures.len() - 1
                    }
                };
                self.push(Inst::Capture { slot, accepts }, p.span);
            }
            PatternKind::NotAhead(inner) => {
                let words =
                    literal_alternatives(inner).ok_or("`!` takes a word or a list of words")?;
                self.push(Inst::NotAhead(words), p.span);
            }
        }
        Ok(())
    }
}

impl Builder<'_> {
    fn gap(&mut self, gap: &crate::syntax::ast::Gap, span: Span) -> Result<(), String> {
        let max = gap.max.ok_or("a gap needs an upper bound")?;
        if max > 0 {
            self.push(
                Inst::Gap {
                    min: gap.min,
                    max,
                    cross_clauses: gap.scope == GapScope::Sentence,
                    list: gap.scope == GapScope::List,
                },
                span,
            );
        }
        Ok(())
    }
}

/// The words of a pattern made only of literals and `|`, as written (a
/// group of one item counts as that item); `None` for anything else.
/// `explain`'s edits read a rule's word lists with it too.
pub fn literal_words(p: &Pattern) -> Option<Vec<String>> {
    fn walk(p: &Pattern, out: &mut Vec<String>) -> bool {
        match &p.kind {
            PatternKind::Literal(s) if !s.is_empty() => {
                out.push(s.clone());
                true
            }
            PatternKind::Alt(bs) => bs.iter().all(|b| walk(b, out)),
            PatternKind::Seq(items) if items.len() == 1 => walk(&items[0], out),
            _ => false,
        }
    }
    let mut out = Vec::new();
    walk(p, &mut out).then_some(out)
}

/// The literal alternatives of a pattern made only of literals and `|`
/// (longest first, so the longest spelling is preferred at a position).
fn literal_alternatives(p: &Pattern) -> Option<Vec<String>> {
    let mut out = literal_words(p)?;
    out.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    out.dedup();
    Some(out)
}
