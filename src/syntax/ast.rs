//! The typed syntax tree of one rule file: what the author wrote, with spans.
//!
//! Spans are byte offsets into the rule file's text (see [`crate::diag::Span`]).
//! Nothing here is resolved: names are still names, imports still strings.
//! [`crate::check`] turns a set of these into effective rule sets.

use crate::diag::Span;

/// A name as written (Chinese or ASCII identifier), with its place.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name.
    pub name: String,
    /// Where it stands.
    pub span: Span,
}

/// A quoted string with escapes already decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StrLit {
    /// The decoded value (without quotes).
    pub value: String,
    /// Where the literal stands, quotes included.
    pub span: Span,
}

/// One parsed rule file.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    /// Top-level items in the order written.
    pub items: Vec<Item>,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// `province 江苏 { regions "南京" "无锡" }`
    Province(ProvinceDecl),
    /// `import "common.zb"`
    Import(Import),
    /// `indicator hte_total "高新技术企业总数" unit 家 kind count`
    Indicator(IndicatorDecl),
    /// `let 高企 = "高新技术企业" | "高企"`
    Let(LetDecl),
    /// `rule 高企总数 -> hte_total { … }`, `override rule …` or `extend rule …`
    /// (Boxed: a rule is much larger than the other items.)
    Rule(Box<RuleDecl>),
    /// `words estimate += "预计" "有望"`: lexicon words ([`crate::lexicon`]).
    Words(WordsDecl),
    /// `report NAME { line "…" => hte_total 300 target 2024 … }`: a
    /// report-level example, run with the whole rule set.
    Report(ReportDecl),
}

/// `report NAME { line "…" … }`: a short report written line by line
/// (a title, a heading, sentences), with the facts each line must give.
/// `zhibiao test` reads the lines as one report and runs the rule set of
/// the file it is written in over it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDecl {
    /// The report's name (shown in test output).
    pub name: Ident,
    /// Its lines, in order.
    pub lines: Vec<ReportLine>,
    /// The whole item.
    pub span: Span,
}

/// `line "TEXT"` or `line "TEXT" => IND VALUE … ; IND VALUE …` or
/// `line "TEXT" => none`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportLine {
    /// The line's text.
    pub text: StrLit,
    /// The facts whose figure stands in this line, in order; empty when
    /// the line must give none (`=> none`, or no `=>` at all).
    pub facts: Vec<ReportFact>,
    /// Written with `=>`: the line is one of the report's checks (a line
    /// without it is context, and fails only if it gives a fact).
    pub checked: bool,
    /// The whole `line` clause.
    pub span: Span,
}

/// One expected fact of a report line: `hte_total 300 target 2024 1-10`.
/// What is left out (unit, status, year, months) is not checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFact {
    /// The indicator id.
    pub indicator: Ident,
    /// The value as written.
    pub value: String,
    /// Where the value stands.
    pub value_span: Span,
    /// The unit the value is written in (default: the indicator's).
    pub unit: Option<Ident>,
    /// The expected status.
    pub status: Option<(Status, Span)>,
    /// The expected year.
    pub year: Option<(i32, Span)>,
    /// The expected months (`1-10`).
    pub months: Option<(String, Span)>,
    /// The whole fact.
    pub span: Span,
}

/// `words ROLE += "…" …` (or `-=`): words added to (removed from) a
/// lexicon role.
#[derive(Debug, Clone, PartialEq)]
pub struct WordsDecl {
    /// The role's name as written (estimate, predicate, own_region …).
    pub role: Ident,
    /// `-=`: the words are removed from the role.
    pub remove: bool,
    /// The words, in order.
    pub words: Vec<StrLit>,
    /// The whole declaration.
    pub span: Span,
}

/// Declares that a file is a province's rule file, with the region names
/// that identify the province in a report.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvinceDecl {
    /// Province name, e.g. 江苏.
    pub name: Ident,
    /// Region names (cities, counties) that point to this province.
    pub regions: Vec<StrLit>,
    /// `kind summary` / `kind plan`: what the province's reports are, when
    /// their titles do not say (`None`: as each report's title says).
    pub kind: Option<ReportKind>,
    /// The whole declaration.
    pub span: Span,
}

/// What a report is, when the analyst declares it (`--kind`, or a province
/// file's `kind`): it decides the status of figures without a cue word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// A summary of work done: figures without a cue are actual.
    Summary,
    /// A plan: figures without a cue are targets.
    Plan,
}

/// `import "path"`: the path is relative to the importing file.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The path as written.
    pub path: StrLit,
    /// The whole item.
    pub span: Span,
}

/// Declares (or re-declares, for a project's own indicators) an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDecl {
    /// Catalog id, e.g. `hte_total`.
    pub id: Ident,
    /// Human name, e.g. "高新技术企业总数".
    pub name: StrLit,
    /// Unit the indicator's values are given in (家, %, 亿元 …).
    pub unit: Ident,
    /// Value kind (count, ratio, money, area, number); inferred from the unit when absent.
    pub kind: Option<Ident>,
    /// The whole declaration.
    pub span: Span,
}

/// `let NAME = PATTERN`: a named pattern, usable in rules and other lets,
/// also from files that import this one. `subject NAME = WORDS` declares a
/// *subject*: the words that name what a sentence is about, which carry
/// into the following clauses of the sentence (docs/language.md).
#[derive(Debug, Clone, PartialEq)]
pub struct LetDecl {
    /// The name.
    pub name: Ident,
    /// Declared with `subject` instead of `let`.
    pub subject: bool,
    /// The pattern.
    pub pattern: Pattern,
    /// The whole item.
    pub span: Span,
}

/// Whether a fact is reported as achieved, expected or aimed for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Achieved (达, 实现, 完成 … in a summary).
    Actual,
    /// Expected for the report year (预计, 估计, 有望 …).
    Estimate,
    /// A goal for a later period (力争, 目标, 争取 …).
    Target,
}

impl Status {
    /// The keyword as written in rule files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Actual => "actual",
            Status::Estimate => "estimate",
            Status::Target => "target",
        }
    }
}

/// A rule: a pattern that, where it matches, yields one fact for an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    /// The rule's name, unique in an effective rule set.
    pub name: Ident,
    /// The indicator id its facts belong to.
    pub indicator: Ident,
    /// Span of the `override` keyword when this rule replaces an imported one.
    pub override_span: Option<Span>,
    /// Span of the `extend` keyword when this declaration adds vetoes,
    /// examples, a priority or a status to an imported rule.
    pub extend_span: Option<Span>,
    /// `match PATTERN` clauses (exactly one is valid; check reports others).
    pub matches: Vec<Pattern>,
    /// `unless …` veto clauses.
    pub vetoes: Vec<Veto>,
    /// `status actual|estimate|target`: fixes the status instead of inferring it.
    pub status: Option<(Status, Span)>,
    /// `priority N`: higher wins conflicts; default 0.
    pub priority: Option<(i64, Span)>,
    /// `emit NAME`: which capture is the fact's value (default: the only one).
    pub emit: Option<Ident>,
    /// `emit none`: a trap, which claims its number and gives no fact (the
    /// span of `none`).
    pub emit_none: Option<Span>,
    /// `min V`: the least value (in the indicator's unit) the rule takes,
    /// as written, with its span.
    pub min: Option<(String, Span)>,
    /// `max V`: the greatest value the rule takes.
    pub max: Option<(String, Span)>,
    /// `example` lines.
    pub examples: Vec<Example>,
    /// The whole rule.
    pub span: Span,
}

/// How far a veto word reaches around a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VetoScope {
    /// The clauses the match touches (default).
    Clause,
    /// The whole sentence.
    Sentence,
    /// Only the text before the figure, in the clauses the match touches
    /// (and where a carried subject was named): `unless before "新增"`.
    Before,
    /// Only the text after the figure, to its clause's end:
    /// `unless after "以上"`.
    After,
    /// Only the figure's own clause — the item of a list a match reaches
    /// over: `unless item "省级"`.
    Item,
    /// The clauses the match touches and, when its subject was carried,
    /// the whole clause the subject was named in (a plain veto looks there
    /// only at words that run into the name): `unless subject "新增"`.
    Subject,
}

/// `unless "培育" | 培育库` (clause) or `unless sentence "每万家"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Veto {
    /// Reach of the veto.
    pub scope: VetoScope,
    /// The words; a pattern made of literals, names and alternations only.
    pub pattern: Pattern,
    /// The whole clause.
    pub span: Span,
}

/// `example "text" => 712 estimate`, `example "text" => none`,
/// `todo example "text" => 5 actual`.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// The sample text.
    pub text: StrLit,
    /// What the rule should make of it.
    pub expect: Expectation,
    /// A known miss: reported, does not fail, fails once it passes.
    pub todo: bool,
    /// The whole example line.
    pub span: Span,
}

/// The expected outcome of an example.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    /// The rule must produce no fact.
    None,
    /// The rule must produce a fact with this value (in the indicator's unit).
    Fact {
        /// The number as written (kept as text so that no float rounding creeps in).
        value: String,
        /// Where the number stands.
        value_span: Span,
        /// Optional expected unit (defaults to the indicator's).
        unit: Option<Ident>,
        /// Optional expected status.
        status: Option<(Status, Span)>,
    },
}

/// Bounds and reach of a gap `…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Gap {
    /// Fewest characters skipped.
    pub min: u32,
    /// Most characters skipped (`None` only when the author wrote an open
    /// bound such as `…{3,}`; check reports it as unbounded).
    pub max: Option<u32>,
    /// What the gap may cross.
    pub scope: GapScope,
}

/// What a gap may cross.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GapScope {
    /// Stays inside one clause (default): never crosses ，、；：。！？ or a line break.
    Clause,
    /// May cross clause marks (，、：) but not a sentence end (。！？；or a line break).
    Sentence,
    /// May cross a clause mark only at the end of an item of an enumeration
    /// (a clause that ends with a figure: `省级重点实验室16家，`), never a
    /// sentence end: a head word (新增, 共有) reaches over the list's items.
    List,
}

/// A pattern node with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern {
    /// What kind of node.
    pub kind: PatternKind,
    /// Where it stands in the rule file.
    pub span: Span,
}

/// Pattern operators.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternKind {
    /// `"高新技术企业"`: the text itself (after normalization).
    Literal(String),
    /// `高企`: a named pattern defined by `let`.
    Ref(String),
    /// `a b c`: one after the other, directly adjacent.
    Seq(Vec<Pattern>),
    /// `a | b`: either.
    Alt(Vec<Pattern>),
    /// `a?` or `[a]`: optionally.
    Optional(Box<Pattern>),
    /// `…`, `…{0,20}`, `…{,30 sentence}`: a bounded gap of any characters.
    Gap(Gap),
    /// `N:家`, `V:money`, `P:percent`: a number with a unit, bound to a name.
    Capture(Capture),
    /// `!"培育"`: at this point the text must not continue with this.
    NotAhead(Box<Pattern>),
    /// `a <> b`, `a <>{0,8} b`: `a`, a gap, `b` — or `b`, the gap, `a`.
    Either(Box<Pattern>, Gap, Box<Pattern>),
    /// A reference to a `subject`, expanded (only after check): its words,
    /// or — at the start of a clause — the same subject carried from an
    /// earlier clause of the sentence.
    Subject(SubjectRef),
}

/// An expanded reference to a `subject` declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectRef {
    /// The subject's name, as declared.
    pub name: String,
    /// Every word the subject's pattern can spell, longest first.
    pub words: Vec<String>,
}

/// A typed number capture.
#[derive(Debug, Clone, PartialEq)]
pub struct Capture {
    /// The capture's name (e.g. `N`).
    pub name: Ident,
    /// Accepted types or units, e.g. `家`, `家/个`, `money`, `percent`.
    pub accepts: Vec<Ident>,
}
