//! The checked, resolved form of rule files: effective rule sets.
//!
//! One [`RuleSet`] is what runs for one province (or for the common rules
//! alone): imports followed, overrides applied, named patterns expanded.
//! Compile takes a `RuleSet` to a [`crate::compile::Program`].

use indexmap::IndexMap;

use crate::diag::{FileId, Span};
use crate::syntax::ast::{Example, Pattern, Status, VetoScope};
use crate::text::Unit;

/// A declared indicator, as rules and output see it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorDef {
    /// Catalog id, e.g. `hte_total`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// The unit facts are given in.
    pub unit: Unit,
    /// Where it was declared.
    pub file: FileId,
    /// The declaration's span.
    pub span: Span,
}

/// A province a rule file is written for.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvinceInfo {
    /// Name, e.g. 江苏.
    pub name: String,
    /// Region names that identify it in a report.
    pub regions: Vec<String>,
    /// The province's rule file.
    pub file: FileId,
    /// `kind summary|plan` in the province block: what its reports are
    /// (`None`: as each report's title says).
    pub kind: Option<crate::syntax::ast::ReportKind>,
}

/// A veto with its words resolved to literals.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedVeto {
    /// How far it reaches.
    pub scope: VetoScope,
    /// The words; any of them in scope vetoes the match.
    pub words: Vec<String>,
}

/// One rule of an effective rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The name as written.
    pub name: String,
    /// `<province or file stem>/<name>`, e.g. `江苏/苏科贷`, `common/高企总数`.
    pub qualified_name: String,
    /// The file that defines it.
    pub file: FileId,
    /// The rule declaration's span in that file.
    pub span: Span,
    /// Indicator id its facts belong to.
    pub indicator: String,
    /// The pattern with every named pattern expanded (no `Ref` left).
    pub pattern: Pattern,
    /// Vetoes.
    pub vetoes: Vec<ResolvedVeto>,
    /// Fixed status, when the rule says.
    pub status: Option<Status>,
    /// Conflict priority (default 0; higher wins).
    pub priority: i64,
    /// Name of the capture that is the fact's value.
    pub emit: String,
    /// Examples, to be run by `zhibiao test`.
    pub examples: Vec<Example>,
    /// Qualified name of the imported rule this one replaces.
    pub overrides: Option<String>,
    /// `emit none`: a trap, which claims its number and gives no fact.
    pub trap: bool,
    /// `min`: the least value (in the indicator's unit) the rule takes.
    pub min: Option<rust_decimal::Decimal>,
    /// `max`: the greatest value the rule takes.
    pub max: Option<rust_decimal::Decimal>,
    /// The examples of `extend rule` declarations applied to this rule,
    /// each with its file: they run with the set the extension is in.
    pub added_examples: Vec<(FileId, Example)>,
    /// The examples of the rule this one replaces (`override`) or extends
    /// (`extend`), each with its file, and where the override or extension
    /// is written: `zhibiao test` runs them against this rule too and says
    /// which of them now differ.
    pub inherited: Vec<Inherited>,
}

/// An example of a replaced or extended rule, run against the rule that
/// replaced or extended it.
#[derive(Debug, Clone, PartialEq)]
pub struct Inherited {
    /// The example's file.
    pub file: FileId,
    /// The example.
    pub example: Example,
    /// The file of the `override` or `extend` that changed the rule.
    pub by_file: FileId,
    /// Its span (`override rule NAME`, `extend rule NAME`).
    pub by_span: Span,
}

/// An `extend rule NAME -> IND { … }` declaration, resolved: what it adds
/// to the imported rule of that name.
#[derive(Debug, Clone, PartialEq)]
pub struct Extension {
    /// The indicator it names (must be the extended rule's).
    pub indicator: String,
    /// Vetoes added.
    pub vetoes: Vec<ResolvedVeto>,
    /// A status fixed instead of the rule's.
    pub status: Option<Status>,
    /// A priority instead of the rule's.
    pub priority: Option<i64>,
    /// A least value instead of the rule's.
    pub min: Option<rust_decimal::Decimal>,
    /// A greatest value instead of the rule's.
    pub max: Option<rust_decimal::Decimal>,
    /// Examples added.
    pub examples: Vec<Example>,
}

/// The rules that run together: one province file with what it imports, or
/// the common files alone.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    /// The province, for a province file.
    pub province: Option<ProvinceInfo>,
    /// Name shown in output: the province name or the root file's stem.
    pub name: String,
    /// The root file.
    pub root: FileId,
    /// Every indicator in scope, by id.
    pub indicators: IndexMap<String, IndicatorDef>,
    /// Every `subject` in scope, by name, with the words it spells: what
    /// the engine tracks to carry a subject into later clauses (and to see
    /// when another subject takes over).
    pub subjects: IndexMap<String, Vec<String>>,
    /// Effective rules, in definition order (imports first).
    pub rules: Vec<Rule>,
    /// The lexicon's `words` declarations of every file in the set, in
    /// import order ([`crate::lexicon`]).
    pub words: Vec<crate::lexicon::Entry>,
    /// True when the set imports a `lexicon.zb` of its own: its words are
    /// the whole lexicon. Otherwise they change the shipped one.
    pub own_lexicon: bool,
    /// The report-level examples of every file in the set, in import
    /// order (`zhibiao test` runs each with the set rooted at its file).
    pub reports: Vec<Report>,
}

/// A report-level example (`report NAME { line … }`) and its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The file it is written in.
    pub file: FileId,
    /// What the author wrote.
    pub decl: crate::syntax::ast::ReportDecl,
}
