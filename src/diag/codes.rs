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
//! Each code's doc text here is its page; docs/diagnostics.md is generated
//! from them ([`diagnostics_markdown`]) and a test holds the file equal to
//! it. Each code names the files that raise it ([`Code::raised_in`]), and a
//! test holds that equal to the code's uses.

use serde::Serialize;

use super::Severity;

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = ($code:literal, $sev:ident, $title:literal, $where:literal), )*) => {
        /// A stable diagnostic code. See docs/diagnostics.md.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
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

            /// The code's page: what it means and what to do, the doc text
            /// written on it here (docs/diagnostics.md is made of these).
            pub fn page(self) -> String {
                match self { $(Code::$variant => [$($doc),*].map(|l: &str| l.strip_prefix(' ').unwrap_or(l)).join("\n"),)* }
            }

            /// The source files (under `src/`) that raise this code, comma
            /// separated: a test holds this equal to the code's uses.
            pub fn raised_in(self) -> &'static str {
                match self { $(Code::$variant => $where,)* }
            }
        }
    };
}

/// The opening of docs/diagnostics.md, before the pages.
const DOC_HEAD: &str = "# Diagnostics

Every problem zhibiao reports carries a stable code from one registry
(`src/diag/codes.rs`). Codes are grouped in ranges and never reused:

| Range | Stage |
|---|---|
| ZB01xx | rule-file syntax |
| ZB02xx | names, imports, overrides |
| ZB03xx | pattern and rule lints |
| ZB04xx | reading reports |
| ZB05xx | running rules |
| ZB06xx | `zhibiao test` and `explain` |
| ZB07xx | command line and files |

Errors make `zhibiao lint` exit with status 1; warnings do not, unless
`--deny-warnings` is given. `--format json` prints each diagnostic as one
JSON object per line (`file`, `line`, `column`, `start`, `end`, `code`,
`severity`, `message`, `help`, `notes`). Lines and columns are 1-based and
count characters, not bytes. This page is generated from the registry
(`UPDATE_DOCS=1 cargo test --test diagnostics_doc` rewrites it; the test
fails when it differs); `zhibiao explain-code ZB0309` prints one section.";

/// docs/diagnostics.md as generated from this registry: the opening, then
/// a section per code (its title, severity, page and where it is raised).
/// A test holds the file equal to it (`UPDATE_DOCS=1` rewrites the file).
pub fn diagnostics_markdown() -> String {
    let mut out = String::from(DOC_HEAD);
    out.push('\n');
    for code in Code::ALL {
        out.push('\n');
        out.push_str(&code_page(*code));
    }
    out
}

/// One code's section, as in docs/diagnostics.md and as `zhibiao
/// explain-code` prints it.
pub fn code_page(code: Code) -> String {
    format!(
        "## {} — {}\n\n{}\n\n*{}; raised in {}.*\n",
        code.as_str(),
        code.title(),
        code.page(),
        match code.severity() {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
            Severity::Advice => "Advice",
        },
        code.raised_in()
            .split(", ")
            .map(|f| format!("`src/{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

codes! {
    // ---- ZB01xx: syntax ----
    /// The rule file does not follow the grammar (see [language.md](language.md)).
    /// The message says what was expected, after which token, and what was found
    /// instead, e.g. "expected a quoted literal or a pattern name after `|`, found
    /// `rule`". Parsing stops at the first syntax error in a file, so fix it and
    /// lint again to see the problems after it; other files are still checked.
    Syntax = ("ZB0101", Error, "syntax error", "syntax/errors.rs, syntax/lower.rs"),
    /// A rule file larger than 4 MiB, brackets `( [ {` nested more than 64 deep,
    /// more than 8 `!` in a row, or named patterns that expand too deeply or into
    /// more than 500,000 pieces. These limits keep a hostile or broken file
    /// from exhausting memory or the stack. Split the file, flatten the pattern,
    /// or give parts of it a name with `let`.
    TooComplex = ("ZB0102", Error, "rule file too large or too deeply nested", "check/expand.rs, check/load.rs, compile/mod.rs, syntax/limits.rs"),
    /// A rule whose compiled program would hold more than 20,000 instructions.
    /// Each `a <> b` compiles both orders (`a … b` and `b … a`), so `<>` nested
    /// inside `<>` doubles the program with every level: twelve levels in a
    /// 275-byte file made checking take minutes. The rule is left out (the
    /// others run); list the orders reports actually use, or split the rule in
    /// two. The shipped rules compile to fewer than a hundred instructions each.
    ProgramTooLarge = ("ZB0103", Error, "rule compiles too large", "compile/mod.rs"),

    // ---- ZB02xx: names, imports, overrides ----
    /// A bare word in a pattern is the name of a `let`, and no `let` of that name
    /// is defined in the file or in anything it imports. If you meant the text
    /// itself, quote it: `"发放"`, not `发放`. The help suggests a close name when
    /// there is one.
    UnknownPattern = ("ZB0201", Error, "unknown pattern name", "check/expand.rs, check/mod.rs"),
    /// The indicator id after `->` is not declared by an `indicator` line in the
    /// file or in its imports. Check the spelling (the help suggests a close id) or
    /// import the file that declares it.
    UnknownIndicator = ("ZB0202", Error, "unknown indicator", "check/mod.rs, check/reports.rs, check/rule.rs, compile/mod.rs"),
    /// An `import` names no rule file. Import paths are relative to the importing
    /// file's folder (`import "../common.zb"`); `.` and `..` are allowed.
    UnknownImport = ("ZB0203", Error, "imported file not found", "check/mod.rs, check/world.rs"),
    /// Files import each other in a circle (a.zb → b.zb → a.zb). The import that
    /// closes the circle is labelled. Move what both files need into a third file
    /// that both import.
    ImportCycle = ("ZB0204", Error, "import cycle", "check/world.rs"),
    /// Two rules with the same name end up in one effective rule set (a province
    /// file and everything it imports). Rule names identify rules in output and in
    /// overrides, so they must be unique. To replace an imported rule, write
    /// `override rule NAME`; otherwise rename one of them.
    DuplicateRule = ("ZB0205", Error, "duplicate rule name", "check/sets.rs"),
    /// `override rule NAME` replaces an imported rule of that name, but no imported
    /// rule has it. Usually a misspelt name (the help suggests a close one) or a
    /// missing `import`. Remove `override` to add a new rule instead.
    OverrideOfNothing = ("ZB0206", Error, "override of a rule that does not exist", "check/mod.rs, check/sets.rs"),
    /// An override is identical to the rule it replaces: same indicator, pattern,
    /// vetoes, status, priority, emitted capture and examples. It is harmless but
    /// misleading; remove it, or change what it was meant to change.
    OverrideChangesNothing = ("ZB0207", Warning, "override changes nothing", "check/sets.rs"),
    /// A `let` name is defined twice in one file, or a named pattern refers to
    /// itself directly or through other names (`let 数量 = "总数" | 数量 "达"`).
    /// Patterns are expanded in place, so a pattern cannot contain itself; write
    /// the repeated part out.
    DuplicatePattern = ("ZB0208", Error, "pattern defined twice or in terms of itself", "check/expand.rs, check/rule.rs"),
    /// One indicator id is declared twice in a file, or declared differently (name
    /// or unit) in two files of one rule set. Declare each indicator once, in a
    /// file the others import.
    DuplicateIndicator = ("ZB0209", Error, "indicator declared twice", "check/rule.rs, check/sets.rs"),

    /// `words ROLE += …` names no role of the lexicon (a misspelling such as
    /// `estimat`). The roles are listed in [language.md](language.md), "The
    /// lexicon", and each is shown with its words in rules/lexicon.zb.
    UnknownRole = ("ZB0210", Error, "unknown lexicon role", "check/sets.rs"),
    /// A province file (any file not named `lexicon.zb`) changes a role that is
    /// read before a report's province is known (section and title words, table
    /// columns, page labels) or inside the number reader (the words of a from–to
    /// phrase, whose reach bounds every rule's window). Those roles come from the
    /// shipped rules/lexicon.zb for every report; change them there.
    ShippedRole = ("ZB0211", Error, "lexicon role cannot be changed here", "check/sets.rs"),
    /// `words ROLE -= "w"` where the role holds no such word at that point of
    /// the rule set (imports first). Check the spelling against rules/lexicon.zb.
    RemovesNothing = ("ZB0212", Warning, "removes a word the role does not hold", "check/sets.rs"),
    /// A `let` that no pattern of the checked files refers to, in a file that
    /// has rules (a file of definitions only is a library for its importers).
    /// It does nothing; in particular a province file's `let` of the same name as
    /// a shared one does not change the shared rules that use the shared one.
    /// Use it, override the rules that should see it, or remove it. A
    /// `subject` is reported only when it redefines another file's subject
    /// of that name: the engine tracks where every subject is named, so an
    /// unused one of its own still stops another from being carried.
    UnusedPattern = ("ZB0213", Warning, "unused let", "check/world.rs"),
    /// `extend rule NAME` adds to an imported rule of that name (vetoes,
    /// examples, a priority, a status), but no imported rule has it, or it
    /// names another indicator than the rule's. Usually a misspelt name (the
    /// help suggests a close one) or a missing `import`.
    ExtendOfNothing = ("ZB0214", Error, "extension of a rule that does not exist", "check/mod.rs, check/sets.rs"),
    /// An `extend rule` declaration holds a `match` or an `emit`. An extension
    /// adds vetoes, examples, a priority or a status and keeps the rule's
    /// pattern; to change the pattern, write `override rule` with the whole
    /// rule.
    ExtendChangesPattern = ("ZB0215", Error, "extension changes the pattern", "check/rule.rs"),
    /// An indicator declared in a province file that no rule of the checked
    /// files emits into. It appears in no output; write a rule for it, or
    /// remove the declaration. (A shared file's indicators are a catalog for
    /// the files that import it, and are not reported.)
    UnusedIndicator = ("ZB0216", Warning, "unused indicator", "check/world.rs"),
    /// A rule file declares `province` twice. When both name the same
    /// province (and do not contradict each other's `kind`), this is a
    /// warning: the second declaration's regions (and its kind) are added to
    /// the first, and the file runs. When the second names another province,
    /// or another kind, it is an **error** and the file is refused: a file
    /// belongs to one province, and its rules would run on the wrong reports.
    /// Move the other province's rules into a file of its own, or write one
    /// declaration with every region.
    DuplicateProvince = ("ZB0217", Warning, "second province declaration", "check/world.rs"),

    // ---- ZB03xx: pattern and rule lints ----
    /// `emit NAME` names a capture the pattern does not bind, the pattern binds no
    /// capture at all, or it binds several and the rule does not say which one to
    /// emit. Bind the number with a capture such as `N:家` and, when there are
    /// several, add `emit N`.
    CaptureNotBound = ("ZB0301", Error, "capture used but not bound", "check/rule.rs"),
    /// The pattern binds a capture that the rule does not emit. Only the emitted
    /// capture becomes the fact's value; match the other number without binding it
    /// (e.g. with a gap), or write a separate rule for it.
    CaptureNotEmitted = ("ZB0302", Warning, "capture bound but never emitted", "check/rule.rs"),
    /// The emitted capture accepts a unit whose kind cannot be converted to the
    /// indicator's unit (a `个百分点` capture for an indicator given in `%`, `家` for
    /// one in `亿元`), or an indicator's `kind` contradicts its unit. Values convert
    /// only within a kind: count, money, percent, points, area.
    UnitMismatch = ("ZB0303", Error, "unit does not fit the indicator", "check/rule.rs"),
    /// A gap with no upper bound (`…{3,}`), a gap whose upper bound is below its
    /// lower bound (`…{20,5}`), a gap bound above 200 characters (`…{0,100000}`:
    /// in a report without punctuation such a gap would make matching quadratic), or an empty pattern (`()`, `[]`). Matching is
    /// linear because every gap is bounded; give the gap a bound such as `…{0,30}`.
    UnboundedPattern = ("ZB0304", Error, "unbounded or empty pattern", "check/lints.rs"),
    /// An empty literal `""` or an empty branch of `|` (`"达到" | ()`). It matches
    /// nothing and usually means "optional"; write `x?` or `[x]` for that.
    EmptyAlternative = ("ZB0305", Error, "empty alternative", "check/lints.rs"),
    /// Every part of a rule's pattern is optional (`高企? […] N:家?`), so it could
    /// match anywhere without reading text. Make at least one part required.
    MatchesEmpty = ("ZB0306", Error, "pattern can match the empty string", "check/rule.rs"),
    /// Report text is normalized before matching (NFKC: full-width digits and
    /// letters become ASCII, `％` becomes `%`, `，` becomes `,`; dashes are unified;
    /// zero-width characters dropped). A literal that normalization would change
    /// can never match. The help shows the normalized form to write instead.
    NeverMatchesAfterNormalization = ("ZB0307", Error, "literal can never match after normalization", "check/lints.rs"),
    /// Two rules in one rule set have the same indicator and structurally the same
    /// pattern, so whichever wins, the other never adds a fact. Remove one and move
    /// its examples to the other.
    ShadowedRule = ("ZB0308", Warning, "rule shadows another", "check/sets.rs"),
    /// Two rules can match the same text, for the same indicator, with the same
    /// priority and no other tie-break, so which one wins would be decided by
    /// accident. Give one of them a higher `priority`, or make their patterns
    /// exclusive. (Reported by the engine, which can tell which rules overlap.)
    AmbiguousPriority = ("ZB0309", Warning, "tie between rules left to chance", "explain/ties.rs"),
    /// A rule has no `example` lines. Examples document what a rule is for and are
    /// run by `zhibiao test`; add at least one sentence it must read (`=> 712`) and
    /// one it must not (`=> none`). A warning while you write rules; an error under
    /// `zhibiao lint --strict`, which is always on for the shipped rules.
    NoExamples = ("ZB0310", Warning, "rule without examples", "check/coverage.rs, check/rule.rs"),
    /// The scan finds candidate places with one automaton over every rule's
    /// literals, so each pattern needs at least one literal that every match must
    /// contain. Literals only inside `?`, `[ ]`, `!` or in some but not all
    /// branches of `|` do not count. Add a required word.
    NoAnchor = ("ZB0311", Error, "pattern has no word to anchor on", "check/rule.rs, compile/mod.rs"),
    /// A rule has no `match` clause (it could never find anything) or more than one
    /// (only one pattern per rule). Join alternatives with `|`, or write two rules.
    MissingMatch = ("ZB0312", Error, "rule has no match clause", "check/rule.rs"),
    /// A capture (`N:架`) or an indicator declaration names a unit or value kind
    /// that zhibiao does not know. Units: 家 个 项 名 人 位 次 场 件 所 座 台 批 户,
    /// 元 万元 千元 亿元, %, 个百分点, 平方米 万平方米 m2 ㎡ 亩. Kinds: count, money,
    /// percent (or ratio), points, area.
    UnknownUnit = ("ZB0313", Error, "unknown capture type or unit", "check/lints.rs, check/rule.rs"),
    /// An example's expected value is not a plain decimal number (`1,305`), or its
    /// unit is unknown or cannot be converted to the indicator's unit. Write the
    /// value with digits and at most one decimal point; leave the unit out to mean
    /// the indicator's own unit.
    BadExample = ("ZB0314", Error, "example cannot be read", "check/reports.rs, check/rule.rs"),
    /// An `unless` veto may contain only words: quoted literals, names of patterns
    /// made of words, `|`, and sequences and optional parts of words (`"研发"
    /// ("投入" | "经费")`, which spells 研发投入 and 研发经费). Anything else (a gap,
    /// a capture, `!`, `<>`) is not a word to look for. To require that something
    /// does not follow, use `!` inside the `match` pattern.
    VetoNotWords = ("ZB0315", Error, "veto is not a list of words", "check/expand.rs"),
    /// Reported by `zhibiao lint --strict`, which is always on for the shipped rules
    /// (`zhibiao lint` with no files): every rule needs at least one example it must
    /// read (`=> 712`) and one it must leave alone (`=> none`). A rule without any
    /// example is **ZB0310**, an error under `--strict` too. Without `--strict` a
    /// rule file you are still writing may lack them; add both before it ships.
    ExampleCoverage = ("ZB0316", Error, "rule lacks a positive or a none example", "check/coverage.rs"),
    /// A `subject` names the few ways a report names one thing (高新技术企业, 高企
    /// …): the engine tracks where each subject is named, so its pattern must spell
    /// a list of words — literals, `|`, sequences and optional parts. A gap, a
    /// capture, `!` or `<>` inside a subject is an error, and so is a subject that
    /// spells more than 4,096 words (split it, or keep the rare spellings in a
    /// `let`). Put gaps and numbers in the rule that uses the subject:
    /// `match 高企 … N:家`.
    SubjectNotWords = ("ZB0320", Error, "subject is not a list of words", "check/expand.rs"),
    /// `a <> b` matches `a` then `b`, or `b` then `a`. When one side can match
    /// nothing (every part of it optional), the two orders are the same and the
    /// `<>` says nothing; usually a `?` was meant for something else. Make the side
    /// required, or write the pattern in one order.
    EitherSideEmpty = ("ZB0321", Error, "side of `<>` can be empty", "check/lints.rs"),
    /// A capture reads a from–to phrase by itself: at `由320家增加到500家` (or
    /// `从2.1%提高到2.6%`) it takes the later figure, 500, whether the pattern
    /// reaches it at 由 or at the first number. Writing `"由" … N:家` before a
    /// capture is therefore redundant, and with a gap in between it used to take
    /// the *earlier* figure. Drop the 由/从 and the verb.
    RedundantFromTo = ("ZB0322", Warning, "from–to written out before a capture", "check/lints.rs"),
    /// A list gap (`…{0,60 list}`) reaches from a head word (新增, 共有) over whole
    /// items of an enumeration (`省级重点实验室16家，`) to the item the rule is about.
    /// A bound of fewer than 6 characters cannot hold one item, so the gap can
    /// never cross; give it room, or use a plain gap.
    ListGapTooShort = ("ZB0323", Warning, "list gap too short to cross an item", "check/lints.rs"),

    /// The Chinese ellipsis `……` is two `…` characters: two gaps in a row, each
    /// of up to 16 characters, where one was meant. Write one gap, `…` or
    /// `…{0,30}`.
    DoubleGap = ("ZB0324", Warning, "`……` is two gaps", "check/lints.rs"),
    /// A province file names a place of another province: in its `regions`
    /// (which choose the file's rules for a report) or as a literal of its
    /// rules and patterns that is exactly the name of a prefecture or county no
    /// division of its own province has. A province file speaks for its own
    /// reports; the name is usually a slip or a rule meant for another file.
    ForeignRegion = ("ZB0325", Warning, "place of another province", "check/world.rs"),
    /// Every positive example of the rule passes on the rule alone (as `zhibiao
    /// test` runs it), but with the whole rule set it is defined in a rule of
    /// another indicator and a higher priority takes each of their numbers: the
    /// rule never adds a fact where its own examples say it should. Give it a higher `priority`, a veto to the rule that wins, or
    /// remove it.
    AlwaysLoses = ("ZB0326", Warning, "rule always loses", "explain/ties.rs"),
    /// A rule's `min` or `max` is not a number, or its `min` is above its
    /// `max`. Bounds are plain decimal numbers in the indicator's unit (`max
    /// 20000` for a count of firms, `max 100` for a percentage).
    BadBound = ("ZB0327", Error, "bad value bound", "check/rule.rs"),

    /// A rule file given to `lint`, `run` or `test` declares nothing — no
    /// `rule`, `let`, `indicator`, `province`, `import` or `words`, only comments
    /// and blank lines: running it finds nothing. (A file imported by another
    /// file checked along with it is not run alone, and is not reported.) Add a
    /// rule, or import the file that has them.
    NoRules = ("ZB0328", Warning, "rule file without rules", "check/sets.rs, workspace/rules.rs"),

    // ---- ZB04xx: reading reports ----
    /// The report file is empty, or nothing is left after extracting its text
    /// (e.g. an HTML page with only navigation). There is nothing to read.
    EmptyReport = ("ZB0401", Error, "empty report", "text/mod.rs"),
    /// The file looks binary (NUL bytes, many control characters): probably not a
    /// report. PDFs and word-processor files must be converted to text first.
    BinaryReport = ("ZB0402", Error, "binary file", "text/mod.rs"),
    /// No supported encoding (UTF-8, UTF-16 with a byte-order mark, GB18030/GBK)
    /// decodes the file. Convert it to UTF-8.
    Undecodable = ("ZB0403", Error, "cannot decode report", "text/mod.rs"),
    /// A few bytes of the report could not be decoded in the detected encoding and
    /// were replaced. Facts near them may be missing; the message says which
    /// encoding was used.
    ReplacedBytes = ("ZB0404", Warning, "invalid bytes replaced", "text/mod.rs"),
    /// The report is larger than 512 MiB and was skipped; reading stops at the
    /// limit, so even an endless input (a pipe, a device) is refused after 512 MiB
    /// at most. Split the report.
    ReportTooLarge = ("ZB0405", Error, "report too large", "input/read.rs, text/mod.rs"),
    /// A page has a tag with more than 200 attributes (real pages have a handful;
    /// tens of thousands are an attack on HTML tokenizers, which process
    /// attributes recursively). The first 200 are read, the rest of the tag is
    /// skipped, and the page is read on from the tag's `>`. The warning gives the
    /// first such tag's byte offset.
    MarkupSkipped = ("ZB0406", Warning, "markup skipped", "text/mod.rs"),

    // ---- ZB05xx: running ----
    /// A report could not be read from disk (missing, a permission problem, a
    /// broken link). The run goes on with the other reports and exits non-zero.
    UnreadableReport = ("ZB0501", Error, "cannot read report", "input/read.rs, input/walk.rs"),
    /// `--province` names no province of the loaded rule sets. The help lists the
    /// known ones; use `auto` to find the province from the report.
    UnknownProvince = ("ZB0502", Error, "unknown province", "workspace/choose.rs"),

    // ---- ZB06xx: test and explain ----
    /// Under `zhibiao test`, a rule's example did not give the expected result:
    /// no fact where one was expected, another value or status, or a fact where
    /// `=> none` was expected. The message shows what the rule produced.
    ExampleFailed = ("ZB0601", Error, "example failed", "workspace/examples.rs"),
    /// A `todo example` (a known miss) now gives the expected result. Remove
    /// `todo` so that it guards the rule from now on.
    TodoPasses = ("ZB0602", Error, "todo example passes", "workspace/examples.rs"),
    /// A `todo example` still does not give the expected result. It is reported so
    /// it is not forgotten, but does not fail the run.
    TodoStillFails = ("ZB0603", Warning, "known miss (todo example)", "workspace/examples.rs"),
    /// `zhibiao explain` groups what the rules did by figure; its JSON output
    /// tags each finding with one of these codes (advice, never a problem). ZB0604:
    /// the rule matched in the figure's sentence but took another number there
    /// (`elsewhere`). The rule that took the figure itself is shown as `taken`,
    /// with the reasons for its status, year and months.
    ExplainMatched = ("ZB0604", Advice, "rule matched", "explain/view.rs"),
    /// A rule's anchor word was found near the figure, but a later element of the
    /// pattern failed. The finding names how far the pattern got, what it expected
    /// there and what stood there instead ("got to “高新技术企业”, then expected one
    /// of “达到”, “达” within 4 characters; found “数量增加到150…”"), and, when one
    /// exists, the smallest change to the rule that makes it take the figure,
    /// worded in the rule file's terms ("add “增加到” to `let 达` (rules/common.zb:33)").
    /// With `--gold`, the change is run over every annotated report and its effect
    /// is given. Near misses are shown for figures no rule took (all of them with
    /// `--all`), the closest first; `--limit` caps how many per figure.
    ExplainNearMiss = ("ZB0605", Advice, "near miss", "explain/view.rs"),
    /// The rule's pattern matched the figure, but one of its `unless` words stood
    /// in the clause (or sentence) of the match (`vetoed`), or the number's unit
    /// does not convert to the indicator's (`unconvertible`). If the figure is
    /// real, the finding says which veto words to remove.
    ExplainVetoed = ("ZB0606", Advice, "match vetoed", "explain/view.rs"),
    /// The rule matched the figure, but another rule claimed it — a higher
    /// `priority`, or the same priority and a longer (more specific) match, or the
    /// same of both and an earlier definition — or the same fact had already been
    /// taken from the sentence. When the winner is for another indicator, the
    /// priority that would change the outcome is suggested.
    ExplainLostConflict = ("ZB0607", Advice, "lost a conflict", "explain/view.rs"),
    /// None of the words the rule's scan starts from stands within the rule's
    /// reach of the figure (`no_anchor`, listed when a figure is asked about with
    /// `--at` or `--number`), or anywhere in the report (listed in one line at the
    /// end).
    ExplainNotFound = ("ZB0608", Advice, "rule's words not found", "explain/view.rs"),
    /// `--rule` or `--indicator` (of `explain`, `eval` or `run`) names no rule or
    /// indicator of the rules that run. The help suggests the closest name and
    /// lists the valid ones; an indicator that is declared but has no rule says so.
    UnknownFilter = ("ZB0609", Error, "no such rule or indicator", "cli/run.rs, workspace/filter.rs"),
    /// A gold file given to `eval --gold` or `explain --gold` is not an
    /// annotation file: not JSON, a value that is not a number, no `facts`. The
    /// label points at the place; the file is left out and the others are still
    /// scored (exit code 2). The format is in docs/gold.md. Gold files are read as
    /// reports are, never past a bound: one larger than 16 MiB, a device (a link
    /// to `/dev/zero`), a socket or a folder named `*.json` is refused unopened,
    /// and a named pipe is opened without waiting for a writer.
    BadGold = ("ZB0610", Error, "annotation file cannot be read", "eval/gold.rs"),
    /// `explain --at LINE[:COL]` points at a place with no number (or past the
    /// end of the report), or `explain --number VALUE` names a value no number of
    /// the report has. The help lists the numbers there are.
    NoSuchFigure = ("ZB0611", Error, "no figure there", "workspace/explain.rs"),
    /// `eval --min-f1 X`: the F1 over the scored reports is below X; the exit code
    /// is 1 (for CI). The misses and false hits are printed above it.
    BelowMinF1 = ("ZB0612", Error, "F1 below the threshold", "cli/eval.rs"),
    /// `eval`: no report given has a gold file (a gold file's `doc`, without its
    /// extension, must be the report's file name without its extension).
    NothingToScore = ("ZB0613", Error, "no annotated report to score", "workspace/report.rs, workspace/scoring.rs"),
    /// An example of a rule that a province file replaced (`override rule`)
    /// or extended (`extend rule`), run against the new rule, no longer gives
    /// what it says (a positive example is now vetoed, say). `zhibiao test`
    /// reports it as a warning at the example, naming the override or
    /// extension; it does not fail the run: the change may be meant. Check
    /// that it is, or change the override.
    ExampleDiffers = ("ZB0614", Warning, "replaced rule's example now differs", "workspace/examples.rs"),
    /// Two annotation files of the gold folder name the same report (their
    /// `doc` has the same file name without its extension). The later one in
    /// name order is used and the earlier one is left out; merge them into one
    /// file, or remove the one that is out of date.
    DuplicateGold = ("ZB0615", Warning, "two annotation files for one report", "eval/gold.rs"),
    /// Under `zhibiao test`, a line of a report-level example (`report NAME {
    /// line "…" => … }`) did not give the facts it lists: a fact missing, one
    /// more than listed, or another value, status, year or months. The whole
    /// report runs with the rule set of the file it is written in, so the
    /// facts are what `run` would give; the message shows what the line gave.
    /// `zhibiao explain` on the same text shows why.
    ReportFailed = ("ZB0616", Error, "report example failed", "workspace/examples.rs"),

    // ---- ZB07xx: command line and files ----
    /// A path given on the command line does not exist or cannot be listed.
    BadPath = ("ZB0701", Error, "path not found", "check/load.rs, cli/fmt.rs, cli/run.rs, cli/test.rs, input/mod.rs, input/walk.rs, workspace/explain.rs, workspace/rules.rs"),
    /// The output file or stream could not be written (a full disk, a missing
    /// folder, no permission).
    OutputFailed = ("ZB0702", Error, "cannot write output", "cli/fmt.rs, cli/generate.rs, cli/mod.rs, cli/run.rs, workspace/report.rs"),
    /// A rule file could not be read (missing, no permission, a device or socket),
    /// or is not UTF-8 text. Save rule files as UTF-8. A rule file over 4 MiB is
    /// ZB0102 instead; it is never read past that limit.
    UnreadableRuleFile = ("ZB0703", Error, "cannot read rule file", "check/load.rs, cli/fmt.rs"),
    /// `zhibiao run` was given no report path, no `--files-from` list, and nothing
    /// comes on stdin (a terminal or `/dev/null`). Name report files or folders
    /// (`zhibiao run reports/`), pipe a report in (`zhibiao run < report.txt`), or
    /// list paths in a file (`--files-from list.txt`). Exit code 1. (Run by
    /// `cargo run` inside the zhibiao repository, `run` reads `samples/` instead.)
    NoReportGiven = ("ZB0704", Error, "no report given", "cli/run.rs"),
    /// The paths given hold no file to read: empty folders, or only files skipped
    /// as not reports by their names (ZB0708), hidden files, or files left out by
    /// `--glob`/`--type`. The message counts what was skipped. Exit code 2.
    NoReportRead = ("ZB0705", Error, "no report read", "cli/run.rs"),
    /// A named pipe, device or socket where a report or rule file was expected.
    /// Named on the command line, a device or socket is refused without being
    /// opened (reading `/dev/zero` would never end) and a named pipe is read
    /// (opened without waiting: a pipe nobody writes to reads as empty, ZB0401);
    /// met inside a folder, any of them is skipped. Either way the file counts as
    /// failed (exit 2) and the batch goes on. To read a pipe, name it or pipe it
    /// into `-`.
    NotARegularFile = ("ZB0706", Error, "not a regular file", "input/read.rs, input/walk.rs"),
    /// A symbolic link inside a walked folder points back to a folder that is
    /// already being walked (`ln -s . again`). It is not followed; every file under
    /// it is read once, under its first path. A warning: the exit code is not
    /// changed.
    FileSystemLoop = ("ZB0707", Warning, "folder link loop", "input/walk.rs"),
    /// Files under a folder whose extension says they are not reports — images,
    /// archives, PDFs and office files, media, programs, fonts, web assets
    /// (`.css`, `.js`), spreadsheets and data (`.csv`, `.tsv`, `.jsonl`, which
    /// includes zhibiao's own output) — are skipped and counted in one line by
    /// extension. To read them anyway, select them with `--glob '*.EXT'`. Files
    /// named on the command line are always read. (docs/reports.md lists the
    /// extensions.)
    SkippedByName = ("ZB0708", Advice, "files skipped by name", "input/walk.rs"),
    /// A `--glob` that is not a valid glob, or a `--type`/`--type-not` that names
    /// no known type (html, text, xml). Exit code 1.
    BadFilter = ("ZB0709", Error, "bad file filter", "input/walk.rs"),
    /// `zhibiao run -o FILE` takes the format from the file's extension when
    /// `--format` is not given: `.csv` → `csv`, `.jsonl` or `.ndjson` → `jsonl`,
    /// `.json` → `json`; a file without an extension gets `jsonl`. This error says
    /// that `--format` contradicts the extension (`-o facts.csv --format jsonl`), or
    /// that the extension names no format zhibiao writes (`-o facts.xlsx`). Give a
    /// matching extension, or `--format` alone with a name that has none of these
    /// extensions (`-o facts.txt --format table`). `--format wide-csv` fits `.csv`.
    OutputFormatMismatch = ("ZB0710", Error, "output format does not fit the file name", "cli/format.rs"),
    /// `--rule NAME` or `--indicator ID` names nothing in the rules that were
    /// loaded. The help line suggests the closest name when one is a likely slip
    /// and lists the valid ones; `zhibiao rules show` lists every rule with its
    /// indicator.
    UnknownName = ("ZB0711", Error, "unknown rule or indicator name", "diag/suggest.rs"),
    /// A command-line value that parses but cannot be honoured, such as `-j` asking
    /// for more threads than the system will start.
    BadOption = ("ZB0712", Error, "option value cannot be used", "cli/eval.rs, cli/mod.rs"),
    /// A file under the paths given is the very file stdout is being written to
    /// (`zhibiao run reports/ > reports/out.txt`: the same device and inode). It
    /// is skipped, with this note, instead of being read while it grows — or read
    /// empty, when it sorts first. Write the output outside the folders read, or
    /// name it with `-o` (which is never read either).
    OutputSkipped = ("ZB0713", Advice, "output file skipped as input", "input/walk.rs"),
    /// `zhibiao fmt --check` found a rule file that is not in the canonical
    /// layout; the lines that would change follow the message as a unified
    /// diff. Run `zhibiao fmt` on the file (or the folder) to rewrite it. CI
    /// runs `zhibiao fmt --check rules/`, so the shipped rules stay formatted.
    NotFormatted = ("ZB0720", Error, "rule file not formatted", "cli/fmt.rs"),
    /// `zhibiao fmt` checks every layout it prints: the formatted file must
    /// parse to the same syntax tree as the original (places aside) and keep
    /// every comment in order. When it would not, the file is left untouched
    /// and this error names it. It is a bug in the formatter; please report
    /// the file.
    FormatChangesMeaning = ("ZB0721", Error, "formatting would change the file", "fmt/mod.rs"),
    /// `zhibiao lsp` talks to an editor on stdin and stdout. It stops with this
    /// error when the editor sends something other than the protocol's
    /// `initialize` first, or the connection breaks before `shutdown` and
    /// `exit`. Started by hand in a terminal, it waits for the editor's
    /// messages: it is meant to be started by an editor (docs/editors.md).
    LspFailed = ("ZB0722", Error, "language server connection failed", "cli/mod.rs"),
    /// `zhibiao run --sources FILE` reads a CSV or TSV (tab-separated when its
    /// header holds a tab) whose header names a `path` and a `url` column, and
    /// optionally `title` and `date`. The run stops before reading any report
    /// when the file cannot be read, when the header lacks `path` or `url`, or
    /// when rows name files that do not exist: each such row is labelled in the
    /// manifest. Relative paths are read from the manifest's folder, else from
    /// the current folder. Fix the row's path, or remove the row. Exit code 1.
    BadSources = ("ZB0714", Error, "bad --sources manifest", "workspace/sources.rs"),
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
