//! The lexicon: the words that decide how a report's sentences are read,
//! declared in the rule language (`words ROLE += "…"` in `rules/lexicon.zb`,
//! imported by common.zb) rather than in Rust.
//!
//! Each word has a [`Role`]: a status cue (预计 → estimate), a predicate word a
//! carried subject may pass over (达到, 全年), the report's own name for its
//! region (全县, 我旗), a wider area (全省), the 其中 of a breakdown … The
//! engine asks the compiled lexicon of the report's rule set
//! ([`crate::compile::Program::lexicon`]); province files add words (`+=`)
//! and remove them (`-=`) with the same syntax. Some roles are read while a
//! report is decoded and segmented, before its province is known (section
//! headings, title words, table columns) or deep in the number reader (the
//! words of a from–to phrase, whose reach bounds every rule's window): those
//! are read from the shipped lexicon only ([`Lexicon::shipped`]), and a
//! province file that changes one gets an error ([`Role::shipped_only`]).
//!
//! Two roles are sums by construction: every status cue (estimate, target)
//! and every own-region name is also a predicate word.
//!
//! What stays in Rust: numerals and their qualifiers, units, punctuation,
//! heading markers, calendar syntax (`text::calendar`: 2022年, 1-10月, 上半年,
//! five-year plans 十X五 computed), the gazetteer, and the algorithms.

use std::sync::{Arc, OnceLock};

use daachorse::CharwiseDoubleArrayAhoCorasick;

use crate::compile::WordsByFirstChar;

macro_rules! roles {
    ($( $(#[$doc:meta])* $variant:ident = ($name:literal, $shipped:literal), )*) => {
        /// What a lexicon word does. Written in rule files by its name
        /// (`words estimate += "预计"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Role {
            $( $(#[$doc])* $variant, )*
        }

        impl Role {
            /// Every role, in declaration order.
            pub const ALL: &'static [Role] = &[ $( Role::$variant, )* ];

            /// The role's name in rule files.
            pub fn name(self) -> &'static str {
                match self { $( Role::$variant => $name, )* }
            }

            /// True when the role is read from the shipped lexicon only.
            pub fn shipped_only(self) -> bool {
                match self { $( Role::$variant => $shipped, )* }
            }
        }
    };
}

roles! {
    /// A word a carried subject may pass over before its number (达到, 全年,
    /// 的): see `engine::carry`. Status cues and own-region names are
    /// predicate words too.
    Predicate = ("predicate", false),
    /// A word that makes a figure expected (预计, 有望).
    Estimate = ("estimate", false),
    /// A word that makes a figure a goal (力争, 目标为, 到2025年).
    Target = ("target", false),
    /// What a report calls its own region (全县, 我市, 全旗).
    OwnRegion = ("own_region", false),
    /// Own-region names a district and an autonomous region share (全区):
    /// not counted when telling a report's level.
    AmbiguousRegion = ("ambiguous_region", false),
    /// What a report below a province calls the province (全省, 我省).
    ProvinceSelf = ("province_self", false),
    /// The whole country (全国): a wider area in every report.
    Nation = ("nation", false),
    /// A word in a report's title or issuer naming a bureau below a
    /// province (科技局, 县人民政府): the report speaks for a city or county.
    LocalIssuer = ("local_issuer", true),
    /// A word in a report's title or issuer naming a province's bureau
    /// (科技厅, 省人民政府).
    ProvinceIssuer = ("province_issuer", true),
    /// A wider area whose total a 其中 breakdown may follow (全省, 全国).
    WiderArea = ("wider_area", false),
    /// A word that may follow a carried figure in its clause (居, 位列, 以上).
    After = ("after", false),
    /// A word that reports a thing done: a ;-sentence holding one before its
    /// figure is not a goal of the list before it (预计…；建成…3家).
    Done = ("done", false),
    /// A word opening a paragraph about what is to be done (下一步, 明年).
    PlanOpener = ("plan_opener", false),
    /// What follows 争取 when it reports funding won, not a goal (资金, 项目).
    Secured = ("secured", false),
    /// A verb whose 到 + year dates a figure reached, not a goal (增加到2030年).
    ReachVerb = ("reach_verb", false),
    /// A word after a figure that makes it a goal (130家目标).
    GoalAfter = ("goal_after", false),
    /// A word that says a goal after the figure was met (完成…目标).
    GoalMet = ("goal_met", false),
    /// A word between the items of an enumeration (和, 及).
    Series = ("series", false),
    /// The word that pairs a list of names with a list of figures (分别).
    Respectively = ("respectively", false),
    /// A verb between 分别 and its first figure (达到, 为).
    RespectivelyVerb = ("respectively_verb", false),
    /// The word that opens a part of the figure before it (其中).
    Breakdown = ("breakdown", false),
    /// The last word of a place's name (湘潭县, 雨湖区 …): a 其中 breakdown
    /// that names such a place is a part of the region, not the region.
    DivisionEnd = ("division_end", false),
    /// A word that says a part passed what its whole went through (通过).
    Passed = ("passed", false),
    /// A word that says a part is the first-time ones of a whole that may
    /// mix first and renewed certifications (首次).
    FirstTime = ("first_time", false),
    /// A word that says a whole went through a process (申报, 推荐).
    Process = ("process", false),
    /// A word in nearly every sentence: a poor anchor when a rarer one is on offer.
    CommonWord = ("common_word", true),
    /// A word that opens a from–to phrase (由, 从).
    From = ("from", true),
    /// A verb between the two figures of a from–to phrase (增加到).
    To = ("to", true),
    /// A word before a number that makes it a change, not a figure (增长).
    Change = ("change", true),
    /// A word between a from–to verb and the later figure (突破).
    Lead = ("lead", true),
    /// A word before the later figures of a series that names no year (今年的).
    SeriesNow = ("series_now", true),
    /// What a count's change is measured against when it is a net increase,
    /// a figure after all (比上年增加111家).
    OverLastYear = ("over_last_year", true),
    /// A word that opens a list item with a head of its own: a list gap
    /// does not reach past it (…5家，目前累计…19家).
    ListHead = ("list_head", true),
    /// A heading word of a plan section (工作计划, 下一步).
    PlanHeading = ("plan_heading", true),
    /// A heading word of a plan section only when nothing says otherwise (重点任务).
    WeakPlanHeading = ("weak_plan_heading", true),
    /// A heading word of a summary section (工作总结, 完成情况).
    SummaryHeading = ("summary_heading", true),
    /// A word before a plan heading word that makes it a result (完成目标任务).
    PlanDone = ("plan_done", true),
    /// A heading ending that records results whatever plan it names (落实情况).
    ResultEnding = ("result_ending", true),
    /// A word that makes a short line with a plan word a heading (下一步).
    PlanHeadingWhen = ("plan_heading_when", true),
    /// A word that ends a report's title (总结, 计划).
    TitleWord = ("title_word", true),
    /// A word in a title that makes the report a plan of several years (规划).
    PlanTitle = ("plan_title", true),
    /// A word for the year of the report's present (今年): the page's date
    /// when it has one, else the report's year.
    ThisYear = ("this_year", false),
    /// A word for the year before the page's date (去年); read only on a
    /// dated page.
    LastYear = ("last_year", false),
    /// A word for the year after the report's present (明年).
    NextYear = ("next_year", false),
    /// A page's label of its date (发布日期).
    DateLabel = ("date_label", true),
    /// A page's label of its title (标题).
    TitleLabel = ("title_label", true),
    /// A page's label of its issuer (发布机构).
    IssuerLabel = ("issuer_label", true),
    /// A label of a portal's metadata row (组配分类, 索引号): a line holding
    /// one is page chrome, never a title or a heading.
    FieldLabel = ("field_label", true),
    /// A word that opens or marks a breadcrumb trail (当前位置, 首页).
    TrailWord = ("trail_word", true),
    /// A word of a site's footer or contact block (主办单位, 版权所有,
    /// 地址:, ICP备): a short line holding one names the site's owner or
    /// address, never where the report is from, so its places do not
    /// vote (`province::detect`).
    FooterWord = ("footer_word", true),
    /// A word that ends the name of a firm, a group or a paper (公司, 集团,
    /// 日报, 要闻): a bare place name a few characters before it opens that
    /// name (霍山铸造公司, 宁波日报), so it is a place, not part of a word
    /// (`province::detect`, when only bare names place a report).
    OrgWord = ("org_word", true),
    /// A portal column's name (重点工作, 规划计划): a page's `<title>` part
    /// that is only one says nothing about the report's kind.
    ColumnName = ("column_name", true),
    /// A table column header word of goals (目标, 计划).
    TableGoal = ("table_goal", true),
    /// A table column header word of results (完成, 实际).
    TableResult = ("table_result", true),
    /// A table's first header cell that numbers its rows (序号).
    RowNumber = ("row_number", true),
}

impl Role {
    /// The roles whose words are this role's: a predicate's are its own,
    /// every status cue's and every own-region name's (by construction);
    /// any other role's are its own. The one list of that sum.
    pub fn with_parts(self) -> &'static [Role] {
        match self {
            Role::Predicate => &[
                Role::Predicate,
                Role::Estimate,
                Role::Target,
                Role::OwnRegion,
            ],
            _ => std::slice::from_ref(&Role::ALL[self as usize]),
        }
    }

    /// The role written `name`, if any.
    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.iter().copied().find(|r| r.name() == name)
    }
}

/// Where a lexicon word was declared: shown by `explain` and `test`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The rule file's name (rules/lexicon.zb).
    pub file: Arc<str>,
    /// Its 1-based line.
    pub line: u32,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One `words` declaration's word, as the checker collects them for a rule
/// set, in import order.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Its role.
    pub role: Role,
    /// The word.
    pub word: String,
    /// `-=`: the word is removed from the role.
    pub remove: bool,
    /// Where it was written.
    pub origin: Origin,
}

/// A compiled lexicon: the words of each role, with where each came from,
/// and the lookups the engine uses, built once per rule set.
pub struct Lexicon {
    words: Vec<Vec<(&'static str, Origin)>>,
    by_first: Vec<WordsByFirstChar>,
    estimate: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    target: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// Own-region names (not ambiguous) then province self-names, with
    /// how many of the first.
    regions: Option<(aho_corasick::AhoCorasick, usize)>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("words", &self.words)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Lexicon {
    fn eq(&self, other: &Self) -> bool {
        self.words == other.words
    }
}

/// `w` as a `&'static str`, leaked once per distinct word for the process
/// (lexicon words are few and come from rule files, so this is bounded):
/// the engine's reasons (`Dropped`, `Part`) hold words as `&'static str`.
fn intern(w: &str) -> &'static str {
    static WORDS: OnceLock<std::sync::Mutex<std::collections::HashSet<&'static str>>> =
        OnceLock::new();
    let set = WORDS.get_or_init(Default::default);
    let mut set = match set.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(found) = set.get(w) {
        return found;
    }
    let leaked: &'static str = Box::leak(w.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// The shipped lexicon's text (rules/lexicon.zb, built into the binary).
pub fn shipped_text() -> &'static str {
    crate::check::builtin::BUILTIN_RULES
        .iter()
        .find(|(name, _)| *name == SHIPPED_NAME)
        .map_or("", |(_, text)| text)
}

/// The `words` declarations of the shipped lexicon, parsed once (or taken
/// from the checker's parse, [`note_parsed`]).
fn shipped_entries() -> &'static [Entry] {
    SHIPPED_ENTRIES.get_or_init(|| parse_entries(SHIPPED_NAME, shipped_text()))
}

/// See [`shipped_entries`].
static SHIPPED_ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();

/// Tells the lexicon that a rule file was parsed: when it is the shipped
/// lexicon's text under its own name (the shipped rules import it), its
/// entries are kept, so [`Lexicon::shipped`] does not parse it a second
/// time (7.8 M instructions of every start-up). The entries are those
/// [`parse_entries`] would give: the same text, name and lines.
pub fn note_parsed(name: &str, text: &str, ast: &crate::syntax::ast::File) {
    if name != SHIPPED_NAME || SHIPPED_ENTRIES.get().is_some() || text != shipped_text() {
        return;
    }
    let file: Arc<str> = Arc::from(name);
    let lines = crate::diag::LineIndex::new(text);
    let _ = SHIPPED_ENTRIES.set(entries_of(ast, &file, &lines));
}

/// The shipped lexicon's source name.
pub const SHIPPED_NAME: &str = "rules/lexicon.zb";

impl Lexicon {
    /// Applies `entries` in order (additions, then removals where written)
    /// to `base`'s words (or none) and builds the lookups.
    pub fn build(base: Option<&Lexicon>, entries: &[Entry]) -> Lexicon {
        let mut words: Vec<Vec<(&'static str, Origin)>> = match base {
            Some(b) => b.words.clone(),
            None => vec![Vec::new(); Role::ALL.len()],
        };
        for e in entries {
            let list = &mut words[e.role as usize];
            if e.remove {
                list.retain(|(w, _)| *w != e.word);
            } else if !list.iter().any(|(w, _)| *w == e.word) {
                list.push((intern(&e.word), e.origin.clone()));
            }
        }
        let by_first = Role::ALL
            .iter()
            .map(|r| WordsByFirstChar::new(Self::words_of(&words, *r).map(str::to_string)))
            .collect();
        let ac = |r: Role| CharwiseDoubleArrayAhoCorasick::new(Self::words_of(&words, r)).ok();
        let estimate = ac(Role::Estimate);
        let target = ac(Role::Target);
        let ambiguous: Vec<&str> = Self::words_of(&words, Role::AmbiguousRegion).collect();
        let local: Vec<&str> = Self::words_of(&words, Role::OwnRegion)
            .filter(|w| !ambiguous.contains(w))
            .collect();
        let local_count = local.len();
        let regions = aho_corasick::AhoCorasick::new(
            local
                .into_iter()
                .chain(Self::words_of(&words, Role::ProvinceSelf)),
        )
        .ok()
        .map(|ac| (ac, local_count));
        Lexicon {
            words,
            by_first,
            estimate,
            target,
            regions,
        }
    }

    /// The words of `role` in `words`, with the roles that are part of it
    /// by construction (a predicate's: every status cue and own-region name).
    fn words_of<'a>(
        words: &'a [Vec<(&'static str, Origin)>],
        role: Role,
    ) -> impl Iterator<Item = &'static str> + 'a {
        role.with_parts()
            .iter()
            .flat_map(move |r| words[*r as usize].iter().map(|(w, _)| *w))
    }

    /// The lexicon shipped in rules/lexicon.zb, compiled once.
    pub fn shipped() -> &'static Arc<Lexicon> {
        static SHIPPED: OnceLock<Arc<Lexicon>> = OnceLock::new();
        SHIPPED.get_or_init(|| Arc::new(Lexicon::build(None, shipped_entries())))
    }

    /// The lexicon of `entries` alone (a rule set that imports a lexicon
    /// file of its own): the shipped one itself, shared, when `entries` are
    /// the shipped file's (the shipped rules' sets each import it, and
    /// building it costs ~5 M instructions a set), else built.
    pub fn of_entries(entries: &[Entry]) -> Arc<Lexicon> {
        if entries == shipped_entries() {
            Lexicon::shipped().clone()
        } else {
            Arc::new(Lexicon::build(None, entries))
        }
    }

    /// The words declared for `role` (without the roles it includes by
    /// construction), in declaration order.
    pub fn words(&self, role: Role) -> impl Iterator<Item = &'static str> + '_ {
        self.words[role as usize].iter().map(|(w, _)| *w)
    }

    /// Every word of `role`, with the roles it includes by construction.
    pub fn all_words(&self, role: Role) -> Vec<&str> {
        Self::words_of(&self.words, role).collect()
    }

    /// Where `word` was declared for `role` (or for a role it includes).
    pub fn origin(&self, role: Role, word: &str) -> Option<&Origin> {
        role.with_parts().iter().find_map(|r| {
            self.words[*r as usize]
                .iter()
                .find(|(w, _)| *w == word)
                .map(|(_, o)| o)
        })
    }

    /// The words of `role` (with those included by construction) by first
    /// character: the longest one a text starts with is one lookup.
    pub fn by_first(&self, role: Role) -> &WordsByFirstChar {
        &self.by_first[role as usize]
    }

    /// The length of the longest word of `role` that `text` starts with.
    pub fn starts(&self, role: Role, text: &str) -> Option<usize> {
        self.by_first(role).longest_at(text)
    }

    /// True when `w` is a word of `role`.
    pub fn is_word(&self, role: Role, w: &str) -> bool {
        self.starts(role, w) == Some(w.len())
    }

    /// True when `text` starts with a word of `role`.
    pub fn starts_with(&self, role: Role, text: &str) -> bool {
        self.starts(role, text).is_some()
    }

    /// The word of `role` that `text` starts with (the longest).
    pub fn word_at<'t>(&self, role: Role, text: &'t str) -> Option<&'t str> {
        self.starts(role, text).map(|n| &text[..n])
    }

    /// True when `text` ends with a word of `role`.
    pub fn ends_with(&self, role: Role, text: &str) -> bool {
        self.words(role).any(|w| text.ends_with(w))
    }

    /// True when `text` holds a word of `role`.
    pub fn contains(&self, role: Role, text: &str) -> bool {
        self.words(role).any(|w| text.contains(w))
    }

    /// The status cue automata (estimate, target), each pattern's value its
    /// index in [`Lexicon::words`].
    pub fn cues(
        &self,
    ) -> Option<(
        &CharwiseDoubleArrayAhoCorasick<u32>,
        &CharwiseDoubleArrayAhoCorasick<u32>,
    )> {
        Some((self.estimate.as_ref()?, self.target.as_ref()?))
    }

    /// The `n`th word of `role` (a cue automaton's value).
    pub fn nth(&self, role: Role, n: usize) -> Option<&str> {
        self.words[role as usize].get(n).map(|(w, _)| *w)
    }

    /// Counts the own-region names (not the ambiguous ones) and the
    /// province self-names in `text` (one pass).
    pub fn count_self_names(&self, text: &str) -> (usize, usize) {
        let Some((ac, own)) = &self.regions else {
            return (0, 0);
        };
        let own = *own;
        let (mut local, mut province) = (0, 0);
        for m in ac.find_iter(text) {
            if m.pattern().as_usize() < own {
                local += 1;
            } else {
                province += 1;
            }
        }
        (local, province)
    }
}

/// The `words` declarations of one rule file's text, in order (a file that
/// does not parse yields none: the checker reports it).
pub fn parse_entries(name: &str, text: &str) -> Vec<Entry> {
    let mut sources = crate::diag::Sources::new();
    let id = sources.add(name, text);
    let (ast, _) = crate::syntax::parse(id, text);
    let Some(ast) = ast else {
        return Vec::new();
    };
    let file: Arc<str> = Arc::from(name);
    let lines = crate::diag::LineIndex::new(text);
    entries_of(&ast, &file, &lines)
}

/// The `words` declarations of a parsed file, in order.
pub fn entries_of(
    ast: &crate::syntax::ast::File,
    file: &Arc<str>,
    lines: &crate::diag::LineIndex,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for item in &ast.items {
        let crate::syntax::ast::Item::Words(decl) = item else {
            continue;
        };
        let Some(role) = Role::from_name(&decl.role.name) else {
            continue;
        };
        for w in &decl.words {
            out.push(Entry {
                role,
                word: w.value.clone(),
                remove: decl.remove,
                origin: Origin {
                    file: file.clone(),
                    line: (lines.line_of(w.span.start) + 1) as u32,
                },
            });
        }
    }
    out
}
