//! The one registry of diagnostic codes.
//!
//! Codes are grouped in ranges and never reused:
//! - `ZB01xx` rule-file syntax
//! - `ZB02xx` names, imports, overrides (check)
//! - `ZB03xx` pattern and rule lints (check)
//! - `ZB04xx` reading reports (text)
//! - `ZB05xx` running rules (engine, run)
//! - `ZB06xx` `zhibiao test` and `explain`
//! - `ZB07xx` command line and files
//!
//! Each code has a section in docs/diagnostics.md; a test checks that the
//! document and this table agree.

use serde::Serialize;

use super::Severity;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = ($code:literal, $sev:ident, $title:literal), )*) => {
        /// A stable diagnostic code. See docs/diagnostics.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in registry order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `ZB0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity a diagnostic with this code has unless said otherwise.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// A short title, used as the heading in docs/diagnostics.md.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    // ---- ZB01xx: syntax ----
    /// The rule file does not follow the grammar.
    Syntax = ("ZB0101", Error, "syntax error"),
    /// Nesting too deep or file too large to parse safely.
    TooComplex = ("ZB0102", Error, "rule file too large or too deeply nested"),

    // ---- ZB02xx: names, imports, overrides ----
    /// A pattern name that no `let` defines.
    UnknownPattern = ("ZB0201", Error, "unknown pattern name"),
    /// An indicator id that is neither declared nor in the catalog.
    UnknownIndicator = ("ZB0202", Error, "unknown indicator"),
    /// An import that names no file.
    UnknownImport = ("ZB0203", Error, "imported file not found"),
    /// Files import each other in a circle.
    ImportCycle = ("ZB0204", Error, "import cycle"),
    /// Two rules with one name in the same effective rule set.
    DuplicateRule = ("ZB0205", Error, "duplicate rule name"),
    /// `override rule X` where no imported rule X exists.
    OverrideOfNothing = ("ZB0206", Error, "override of a rule that does not exist"),
    /// An override identical to the rule it replaces.
    OverrideChangesNothing = ("ZB0207", Warning, "override changes nothing"),
    /// Two `let`s with one name, or a `let` that refers to itself.
    DuplicatePattern = ("ZB0208", Error, "pattern defined twice or in terms of itself"),
    /// Two indicator declarations with one id.
    DuplicateIndicator = ("ZB0209", Error, "indicator declared twice"),

    // ---- ZB03xx: pattern and rule lints ----
    /// A capture is emitted but never bound.
    CaptureNotBound = ("ZB0301", Error, "capture used but not bound"),
    /// A capture is bound but not emitted.
    CaptureNotEmitted = ("ZB0302", Warning, "capture bound but never emitted"),
    /// A capture's unit cannot be converted to the indicator's unit.
    UnitMismatch = ("ZB0303", Error, "unit does not fit the indicator"),
    /// A gap without an upper bound, or an empty pattern.
    UnboundedPattern = ("ZB0304", Error, "unbounded or empty pattern"),
    /// An alternation with an empty branch, or a literal `""`.
    EmptyAlternative = ("ZB0305", Error, "empty alternative"),
    /// A pattern that can match the empty string.
    MatchesEmpty = ("ZB0306", Error, "pattern can match the empty string"),
    /// A literal that normalisation changes, so it can never match.
    NeverMatchesAfterNormalization = ("ZB0307", Error, "literal can never match after normalization"),
    /// Two rules with the same pattern and indicator.
    ShadowedRule = ("ZB0308", Warning, "rule shadows another"),
    /// Two rules that can match the same text with the same priority.
    AmbiguousPriority = ("ZB0309", Warning, "tie between rules left to chance"),
    /// A rule without examples.
    NoExamples = ("ZB0310", Warning, "rule without examples"),
    /// A pattern that has no literal to anchor the scan on.
    NoAnchor = ("ZB0311", Error, "pattern has no word to anchor on"),
    /// A rule without a `match` clause, or with two.
    MissingMatch = ("ZB0312", Error, "rule has no match clause"),
    /// A capture type or unit that is not known.
    UnknownUnit = ("ZB0313", Error, "unknown capture type or unit"),
    /// An example whose expected value cannot be read.
    BadExample = ("ZB0314", Error, "example cannot be read"),
    /// An `unless` with something other than words, names and `|`.
    VetoNotWords = ("ZB0315", Error, "veto is not a list of words"),
    /// Under `lint --strict` (always for the shipped rules): a rule without
    /// both a positive and a `none` example.
    ExampleCoverage = ("ZB0316", Error, "rule lacks a positive or a none example"),
    /// A `subject` is not a list of words (a gap, a capture …), or spells too many.
    SubjectNotWords = ("ZB0320", Error, "subject is not a list of words"),
    /// One side of `a <> b` can match nothing, so the two orders are the same.
    EitherSideEmpty = ("ZB0321", Error, "side of `<>` can be empty"),
    /// A `由`/`从` written before a capture: captures read from–to phrases themselves.
    RedundantFromTo = ("ZB0322", Warning, "from–to written out before a capture"),
    /// A list gap `…{list}` that cannot reach over a list item.
    ListGapTooShort = ("ZB0323", Warning, "list gap too short to cross an item"),

    // ---- ZB04xx: reading reports ----
    /// The file is empty (or only white space after extraction).
    EmptyReport = ("ZB0401", Error, "empty report"),
    /// The file looks binary (NUL bytes, control characters).
    BinaryReport = ("ZB0402", Error, "binary file"),
    /// No supported encoding decodes the file.
    Undecodable = ("ZB0403", Error, "cannot decode report"),
    /// A few bytes could not be decoded and were replaced.
    ReplacedBytes = ("ZB0404", Warning, "invalid bytes replaced"),
    /// The file is larger than the configured limit.
    ReportTooLarge = ("ZB0405", Error, "report too large"),
    /// Part of a page's markup was skipped (a tag with too many attributes).
    MarkupSkipped = ("ZB0406", Warning, "markup skipped"),

    // ---- ZB05xx: running ----
    /// The report could not be read from disk.
    UnreadableReport = ("ZB0501", Error, "cannot read report"),
    /// `--province` names no known province.
    UnknownProvince = ("ZB0502", Error, "unknown province"),

    // ---- ZB06xx: test and explain ----
    /// An example's expected fact was not produced.
    ExampleFailed = ("ZB0601", Error, "example failed"),
    /// A `todo` example now passes.
    TodoPasses = ("ZB0602", Error, "todo example passes"),
    /// A `todo` example still fails (reported, does not fail the run).
    TodoStillFails = ("ZB0603", Warning, "known miss (todo example)"),
    /// `explain`: a rule matched and produced a fact.
    ExplainMatched = ("ZB0604", Advice, "rule matched"),
    /// `explain`: a rule's anchor word was found but the pattern broke off.
    ExplainNearMiss = ("ZB0605", Advice, "near miss"),
    /// `explain`: a rule matched but a veto word stood in scope.
    ExplainVetoed = ("ZB0606", Advice, "match vetoed"),
    /// `explain`: a rule matched but another rule won the number.
    ExplainLostConflict = ("ZB0607", Advice, "lost a conflict"),
    /// `explain`: none of a rule's anchor words occur in the report.
    ExplainNotFound = ("ZB0608", Advice, "rule's words not found"),
    /// `--rule` or `--indicator` names no rule or indicator of the rules.
    UnknownFilter = ("ZB0609", Error, "no such rule or indicator"),
    /// An annotation (gold) file cannot be read or is not in the format.
    BadGold = ("ZB0610", Error, "annotation file cannot be read"),
    /// `explain --at` or `--number` points at no figure of the report.
    NoSuchFigure = ("ZB0611", Error, "no figure there"),
    /// `eval --min-f1`: the F1 is below the threshold.
    BelowMinF1 = ("ZB0612", Error, "F1 below the threshold"),
    /// `eval`: no report given has an annotation file.
    NothingToScore = ("ZB0613", Error, "no annotated report to score"),

    // ---- ZB07xx: command line and files ----
    /// A path given on the command line does not exist or cannot be listed.
    BadPath = ("ZB0701", Error, "path not found"),
    /// The output could not be written.
    OutputFailed = ("ZB0702", Error, "cannot write output"),
    /// A rule file cannot be read.
    UnreadableRuleFile = ("ZB0703", Error, "cannot read rule file"),
    /// `run` was given no report, and none comes on stdin.
    NoReportGiven = ("ZB0704", Error, "no report given"),
    /// The paths given held no report at all.
    NoReportRead = ("ZB0705", Error, "no report read"),
    /// A named pipe, device or socket where a file was expected.
    NotARegularFile = ("ZB0706", Error, "not a regular file"),
    /// A link back to a folder already being walked.
    FileSystemLoop = ("ZB0707", Warning, "folder link loop"),
    /// Files under a folder skipped because their names say they are not reports.
    SkippedByName = ("ZB0708", Advice, "files skipped by name"),
    /// A `--glob` or `--type` filter that cannot be used.
    BadFilter = ("ZB0709", Error, "bad file filter"),
    /// `-o FILE` whose extension contradicts `--format`, or tells no format.
    OutputFormatMismatch = ("ZB0710", Error, "output format does not fit the file name"),
    /// `--rule` or `--indicator` names nothing in the loaded rules.
    UnknownName = ("ZB0711", Error, "unknown rule or indicator name"),
    /// A command-line option's value cannot be used (e.g. `-j` threads).
    BadOption = ("ZB0712", Error, "option value cannot be used"),
    /// A `--sources` manifest that cannot be read, lacks a `path` or `url`
    /// column, or has rows naming files that do not exist.
    BadSources = ("ZB0713", Error, "bad --sources manifest"),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "code {s} used twice");
            assert!(s.len() == 6 && s.starts_with("ZB"), "bad code {s}");
        }
    }
}
