//! Deciding a report's province and region from the place names it contains.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Gazetteer, Level, gazetteer, names};

/// How much of the body [`detect`] reads, in characters. Issuers and titles
/// name the place; the opening of a report confirms it; the rest mostly
/// names partners and places visited.
pub const BODY_PREFIX_CHARS: usize = 4000;

/// What follows a short name (宜兴, 延边) to make it a place name rather than
/// part of a word: 延边州, 宜兴科技局, 昆山高新区 ….
const SHORT_SUFFIXES: &[&str] = &[
    "市",
    "区",
    "县",
    "州",
    "盟",
    "旗",
    "地区",
    "科技局",
    "科学技术局",
    "科技委",
    "科学技术委员会",
    "科委",
    "科技和",
    "科学技术和",
    "高新区",
    "高新技术产业开发区",
    "高新技术产业园区",
    "高新技术产业集聚区",
    "经开区",
    "经济技术开发区",
    "经济开发区",
    "人民政府",
    "政府",
];

/// What follows a province's short name to make it as strong as its full
/// name (a bare 江苏 counts, but weakly: 河北 is also in 黄河北岸).
const PROVINCE_SUFFIXES: &[&str] = &["省", "科技厅", "科学技术厅", "人民政府", "自治区"];

/// After 区, these make a word, not a district: 区域, 区块, 区间.
const NOT_AFTER_QU: &[char] = &['域', '块', '间'];

/// After a short name's 市, these make a word: 新兴市场.
const NOT_AFTER_SHI: &[char] = &['场'];

/// Characters of district names that are also ordinary words (城区, 郊区,
/// 市中区, 新城区, 东区 …): such a name counts only right after its parent's
/// name (西安市新城区).
const GENERIC_CHARS: &str = "东西南北中城郊矿市新老";

/// The province and region of a report, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Detection {
    /// Short province name (江苏, 安徽, 北京 …), or `None` when undecided.
    pub province: Option<String>,
    /// The most specific place, full name (宜兴市, 无锡市滨湖区, 江苏省).
    pub region: Option<String>,
    /// Plain words: "issuer 宜兴市科学技术局 names 宜兴市 (江苏)".
    pub reason: String,
    /// The region's six-digit division code (a development zone's: the
    /// code of the division it lies in), when the region is known.
    pub adcode: Option<String>,
    /// Which evidence placed the region: `issuer`, `title` or `text`.
    pub source: Option<&'static str>,
    /// Places the evidence also named that lost to the region, with their
    /// scores ("扬州市 4"), best first: what the decision outweighed.
    pub outweighed: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Issuer,
    Title,
    Body,
}

impl Source {
    pub(super) fn label(self) -> &'static str {
        match self {
            Source::Issuer => "issuer",
            Source::Title => "title",
            Source::Body => "text",
        }
    }
}

/// One accepted occurrence of a place name.
#[derive(Debug)]
pub(super) struct Mention<'a> {
    pub(super) source: Source,
    /// The name as matched.
    pub(super) name: &'a str,
    /// Places it may be (indices into the gazetteer), narrowed by context.
    pub(super) cands: Vec<usize>,
    /// A bare province short name (江苏 without 省): weak evidence.
    pub(super) weak: bool,
    /// The province context chose, when the name is in several provinces.
    pub(super) resolved_from: Option<Vec<String>>,
    /// A short name standing bare (宜都, 绵阳, 铜川): it may be part of a
    /// word, so it only helps to choose a region within the province other
    /// evidence decided.
    pub(super) bare: bool,
    /// A development zone named after the place (赣州高新区 → `高新区`).
    pub(super) zone: Option<&'static str>,
    /// The name of an authority follows (宜都市科技局, 横县人民政府): the
    /// bureau's own name, not a place named in passing.
    pub(super) bureau: bool,
    /// 级 follows (扬州市级项目): a level of lists, named in passing.
    pub(super) level_word: bool,
    /// Where the name ends in its input (bytes).
    pub(super) end: usize,
}

impl Mention<'_> {
    /// Evidence units: 2 for a full or suffixed name, 1 for a weak one.
    fn weight(&self) -> u32 {
        if self.weak { 1 } else { 2 }
    }

    fn provinces<'g>(&self, g: &'g Gazetteer) -> Vec<&'g str> {
        let mut v: Vec<&str> = self
            .cands
            .iter()
            .map(|&i| g.places[i].province.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Decide the province and region of a report from its issuer (发布机构 etc.,
/// most reliable), title, and the first [`BODY_PREFIX_CHARS`] characters of
/// its (normalized) text.
///
/// How:
/// - Each input is scanned once by one automaton over every full and short
///   name (leftmost-longest, so 无锡市滨湖区 reads as 无锡市 + 滨湖区).
/// - A full name counts (宜兴市, 朝阳区), except a district named with
///   ordinary words (城区, 新城区, 市中区), which counts only right after its
///   parent's name, and 某区 followed by 域 (区域).
/// - A short name counts when a suffix follows (延边州, 宜兴科技局); a
///   province's short name also counts bare, but weakly; a prefecture's
///   short name of three or more characters (连云港) counts bare.
/// - A name found in several provinces (朝阳区: 北京 and 吉林) is settled by
///   the other names: if exactly one of its provinces is named elsewhere in
///   the report, that one; otherwise it is left out, and said so.
/// - The issuer decides if it names places; else the title; else the text,
///   where one province must clearly lead (at least twice the next one's
///   score). A county named together with its prefecture counts extra.
/// - When nothing decides, `province` is `None` and `reason` says why.
pub fn detect(issuer: Option<&str>, title: Option<&str>, text: &str) -> Detection {
    let body = without_footer(char_prefix(text, BODY_PREFIX_CHARS));
    let d = detect_firm(issuer, title, &body);
    if d.province.is_some() {
        return d;
    }
    by_bare_names(issuer, title, &body)
        .or_else(|| by_municipality(issuer, title, &body))
        .unwrap_or(d)
}

/// The four municipalities, whose districts share names with districts
/// elsewhere (普陀区: 上海 and 舟山; 朝阳区: 北京 and 长春).
const MUNICIPALITIES: &[&str] = &["北京", "天津", "上海", "重庆"];

/// When the only places a report names are names found in several
/// provinces (普陀区地方志办公室 and nothing else), and each is a district
/// of one municipality: that municipality's — weakly (its districts are by
/// far the more populous and the more often reported), and said so.
fn by_municipality(issuer: Option<&str>, title: Option<&str>, body: &str) -> Option<Detection> {
    let g = gazetteer();
    let mut mentions = Vec::new();
    for (source, input) in [
        (Source::Issuer, issuer),
        (Source::Title, title),
        (Source::Body, Some(body)),
    ] {
        if let Some(input) = input {
            scan(g, source, input, &mut mentions);
        }
    }
    mentions.retain(|m| !m.bare && !m.weak);
    if mentions.is_empty() || mentions.iter().any(|m| m.provinces(g).len() < 2) {
        return None;
    }
    let mut chosen: Option<&str> = None;
    let mut named: Vec<String> = Vec::new();
    for m in mentions.iter_mut() {
        let from = m.provinces(g).join(" and ");
        m.cands
            .retain(|&c| MUNICIPALITIES.contains(&g.places[c].province.as_str()));
        let [c] = m.cands[..] else {
            return None;
        };
        let p = g.places[c].province.as_str();
        if chosen.is_some_and(|q| q != p) {
            return None;
        }
        chosen = Some(p);
        let said = format!("{} is in {from}", m.name);
        if !named.contains(&said) {
            named.push(said);
        }
    }
    let province = chosen?;
    let why = format!(
        "{}, and nothing else names a place: {province}'s, a municipality's",
        named.join(", ")
    );
    Some(weakly_decided(g, body, province, &mentions, &why))
}

/// A body-text decision for `province` that only weak evidence supports:
/// its reason opens with "weakly:" and `why`.
fn weakly_decided(
    g: &Gazetteer,
    body: &str,
    province: &str,
    mentions: &[Mention],
    why: &str,
) -> Detection {
    let mut d = decided(
        g,
        Source::Body,
        body,
        body,
        province,
        mentions,
        None,
        Vec::new(),
    );
    d.reason = format!("weakly: {why}; {}", d.reason);
    d
}

/// The longest line (in characters) that is read as a site's footer or
/// contact line when it holds a footer word: such lines are short.
const FOOTER_LINE_CHARS: usize = 80;

/// `body` without its footer and contact lines: a short line holding a
/// word of the lexicon's `footer_word` role (主办单位, 版权所有, 地址:,
/// ICP备) names the site's owner or address, not where the report is
/// from. The line is blanked (spaces), so that places keep their offsets.
fn without_footer(body: &str) -> std::borrow::Cow<'_, str> {
    let lex = crate::lexicon::Lexicon::shipped();
    let footer = |line: &str| {
        line.chars().count() <= FOOTER_LINE_CHARS
            && lex.contains(crate::lexicon::Role::FooterWord, line)
    };
    if !body.split('\n').any(footer) {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if footer(line) {
            out.extend(std::iter::repeat_n(' ', line.len()));
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// When no full or suffixed name places the report (a county's report that
/// says 我县 and names a firm 霍山铸造公司, a city's page headed 铜川要闻),
/// its bare short names at the level its self-references speak from (a
/// county's for 我县, a city's for 全市; a city's too for a county or
/// district, whose author lies in it) place it — weakly, and only when
/// they all lie in one province.
fn by_bare_names(issuer: Option<&str>, title: Option<&str>, body: &str) -> Option<Detection> {
    let g = gazetteer();
    let level = super::region::self_level(body)?.0;
    let mut mentions = Vec::new();
    for (source, input) in [
        (Source::Issuer, issuer),
        (Source::Title, title),
        (Source::Body, Some(body)),
    ] {
        if let Some(input) = input {
            scan(g, source, input, &mut mentions);
        }
    }
    // Per province, how many bare names of that level it has; a short
    // name is also a word now and then (新平台, 资源), so one province
    // must lead by twice the next.
    let mut votes: Vec<(&str, u32)> = Vec::new();
    let mut named: Vec<&str> = Vec::new();
    let lex = crate::lexicon::Lexicon::shipped();
    for m in mentions.iter_mut().filter(|m| m.bare) {
        // A name opening a firm's or a paper's name (霍山铸造公司, 宁波日报)
        // is surely a place: two votes.
        let after = input_after(issuer, title, body, m);
        let vote = if lex.contains(crate::lexicon::Role::OrgWord, after) {
            2
        } else {
            1
        };
        m.cands
            .retain(|&c| super::region::fits_level(g, c, level) && !is_generic(&g.places[c].name));
        let mut provinces: Vec<&str> = m
            .cands
            .iter()
            .map(|&c| g.places[c].province.as_str())
            .collect();
        provinces.sort_unstable();
        provinces.dedup();
        let [p] = provinces[..] else {
            continue;
        };
        match votes.iter_mut().find(|(q, _)| *q == p) {
            Some((_, n)) => *n += vote,
            None => votes.push((p, vote)),
        }
        m.bare = false;
        if !named.contains(&m.name) {
            named.push(m.name);
        }
    }
    votes.sort_by_key(|v| std::cmp::Reverse(v.1));
    let (province, n) = *votes.first()?;
    if votes.get(1).is_some_and(|(_, second)| n < 2 * second) {
        return None;
    }
    mentions.retain(|m| m.provinces(g) == [province]);
    named.retain(|n| mentions.iter().any(|m| m.name == *n));
    mentions.retain(|m| !m.bare && !m.weak);
    let why = format!(
        "no full name places the report; its bare names {} lie in {province}, at the level its self-references speak from",
        named.join(", ")
    );
    Some(weakly_decided(g, body, province, &mentions, &why))
}

/// How many characters after a bare name [`by_bare_names`] looks for the
/// end of a firm's or a paper's name (霍山铸造公司: 4).
const ORG_REACH_CHARS: usize = 6;

/// The few characters after mention `m` in its input (up to
/// [`ORG_REACH_CHARS`] plus the word's length).
fn input_after<'a>(
    issuer: Option<&'a str>,
    title: Option<&'a str>,
    body: &'a str,
    m: &Mention,
) -> &'a str {
    let input = match m.source {
        Source::Issuer => issuer.unwrap_or_default(),
        Source::Title => title.unwrap_or_default(),
        Source::Body => body,
    };
    let Some(rest) = input.get(m.end..) else {
        return "";
    };
    char_prefix(rest, ORG_REACH_CHARS + 2)
}

/// [`detect`] from full and suffixed names (`body`: the text's first
/// characters, footer lines blanked).
fn detect_firm(issuer: Option<&str>, title: Option<&str>, body: &str) -> Detection {
    let g = gazetteer();
    let mut mentions = Vec::new();
    let inputs = [
        (Source::Issuer, issuer),
        (Source::Title, title),
        (Source::Body, Some(body)),
    ];
    for (source, input) in inputs {
        if let Some(input) = input {
            scan(g, source, input, &mut mentions);
        }
    }
    if mentions.iter().all(|m| m.bare) {
        return undecided(format!(
            "no place name from the gazetteer in the issuer, the title or the first {BODY_PREFIX_CHARS} characters of the text"
        ));
    }

    let mut notes = resolve(g, &mut mentions);
    let named: HashSet<usize> = mentions
        .iter()
        .filter(|m| m.cands.len() == 1 && !m.bare)
        .map(|m| m.cands[0])
        .collect();
    narrow_by_parent(g, &mut mentions, &named);

    let mut allowed: Option<Vec<String>> = None;
    for (source, input) in inputs {
        let Some(input) = input else { continue };
        let here: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.source == source && !m.bare && m.provinces(g).len() == 1)
            .collect();
        let mut scores: BTreeMap<&str, u32> = BTreeMap::new();
        // Provinces named at least once in full (not only as a bare 江苏).
        let mut firm: HashSet<&str> = HashSet::new();
        for m in &here {
            let province = g.places[m.cands[0]].province.as_str();
            if allowed
                .as_ref()
                .is_some_and(|a| !a.iter().any(|p| p == province))
            {
                continue;
            }
            let bonus = if m.cands.iter().any(|&c| has_named_ancestor(g, c, &named)) {
                2
            } else {
                0
            };
            *scores.entry(province).or_default() += m.weight() + bonus;
            if !m.weak {
                firm.insert(province);
            }
        }
        if scores.is_empty() {
            continue;
        }
        let mut ranked: Vec<(&str, u32)> = scores.into_iter().collect();
        ranked.sort_by_key(|r| std::cmp::Reverse(r.1));
        let (top, s1) = ranked[0];
        let s2 = ranked.get(1).map_or(0, |r| r.1);
        let clear = match source {
            Source::Issuer | Source::Title => s1 > s2,
            Source::Body => firm.contains(top) && s1 >= 2 * s2.max(1),
        };
        if clear {
            return decided(g, source, input, body, top, &mentions, ranked.get(1), notes);
        }
        let tied: Vec<String> = ranked
            .iter()
            .filter(|r| {
                (source != Source::Body && r.1 == s1) || (source == Source::Body && r.1 * 2 > s1)
            })
            .map(|r| r.0.to_string())
            .collect();
        notes.push(if !firm.contains(top) && tied.len() == 1 {
            format!("the {} names {} only in passing", source.label(), tied[0])
        } else {
            format!(
                "the {} names {} with no clear lead ({})",
                source.label(),
                tied.join(" and "),
                ranked
                    .iter()
                    .map(|(p, s)| format!("{p} {s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        });
        if tied.len() > 1 {
            allowed = Some(tied);
        }
    }
    if notes.is_empty() {
        notes.push("no province could be told from the place names found".to_string());
    }
    undecided(format!("province undecided: {}", notes.join("; ")))
}

/// The region of a report whose province was decided otherwise (`--province`,
/// a rule file's `regions`, the page's URL): the same choice as [`detect`]'s
/// within `province` (a short name: 江苏).
pub fn detect_in(
    province: &str,
    issuer: Option<&str>,
    title: Option<&str>,
    text: &str,
) -> Detection {
    let g = gazetteer();
    let province = super::short_province_name(province);
    if g.province_full_name(&province).is_none() {
        return undecided(format!("{province} is not a province of the gazetteer"));
    }
    let body = without_footer(char_prefix(text, BODY_PREFIX_CHARS));
    let body = body.as_ref();
    let mut mentions = Vec::new();
    for (source, input) in [
        (Source::Issuer, issuer),
        (Source::Title, title),
        (Source::Body, Some(body)),
    ] {
        if let Some(input) = input {
            scan(g, source, input, &mut mentions);
        }
    }
    for m in mentions.iter_mut() {
        m.cands.retain(|&c| g.places[c].province == province);
    }
    mentions.retain(|m| !m.cands.is_empty());
    decided(
        g,
        Source::Body,
        body,
        body,
        &province,
        &mentions,
        None,
        Vec::new(),
    )
}

fn undecided(reason: String) -> Detection {
    Detection {
        province: None,
        region: None,
        reason,
        adcode: None,
        source: None,
        outweighed: Vec::new(),
    }
}

/// The first `n` characters of `s`.
fn char_prefix(s: &str, n: usize) -> &str {
    &s[..crate::text::char_prefix_len(s, n)]
}

/// Finds every place name in `input` with the gazetteer's automaton.
fn scan<'a>(g: &Gazetteer, source: Source, input: &'a str, out: &mut Vec<Mention<'a>>) {
    for m in g.matcher.leftmost_find_iter(input) {
        let (key, ids) = &g.patterns[m.value() as usize];
        let before = &input[..m.start()];
        let after = &input[m.end()..];
        let mut strong = Vec::new();
        let mut weak = Vec::new();
        let mut bare = Vec::new();
        for &i in ids {
            let p = &g.places[i];
            if p.name == *key || g.former(key, i).is_some() {
                if accept_full(g, i, before, after) {
                    strong.push(i);
                }
            } else if p.level == Level::Province {
                if PROVINCE_SUFFIXES.iter().any(|s| after.starts_with(s)) {
                    strong.push(i);
                } else {
                    weak.push(i);
                }
            } else if is_self_reference(key) {
                // 全州 (全州县's short name) is "the whole prefecture".
            } else if short_suffix_follows(after)
                || (p.level == Level::Prefecture && key.chars().count() >= 3)
            {
                strong.push(i);
            } else if !is_generic(key) && !after.starts_with(NOT_AFTER_BARE) {
                bare.push(i);
            }
        }
        let (cands, is_weak, is_bare) = if !strong.is_empty() {
            (strong, false, false)
        } else if !weak.is_empty() {
            (weak, true, false)
        } else {
            (bare, false, true)
        };
        if !cands.is_empty() {
            let zone = ZONES
                .iter()
                .find(|(w, _)| after.starts_with(w))
                .map(|(_, kind)| *kind);
            let bureau = BUREAUS.iter().any(|w| after.starts_with(w))
                || (!key.ends_with(['市', '县', '区', '州', '旗', '盟'])
                    && ["市", "县", "区", "州"].iter().any(|l| {
                        after
                            .strip_prefix(l)
                            .is_some_and(|r| BUREAUS.iter().any(|w| r.starts_with(w)))
                    }));
            out.push(Mention {
                source,
                name: &input[m.start()..m.end()],
                cands,
                weak: is_weak,
                resolved_from: None,
                bare: is_bare,
                zone,
                bureau,
                level_word: after.starts_with('级'),
                end: m.end(),
            });
        }
    }
}

/// A development zone's words after a place name, and the kind written in
/// the region (赣州高新技术产业开发区 → 赣州高新区).
const ZONES: &[(&str, &str)] = &[
    ("高新技术产业开发区", "高新区"),
    ("高新技术产业园区", "高新区"),
    ("高新技术产业集聚区", "高新区"),
    ("高新技术开发区", "高新区"),
    ("高新区", "高新区"),
    ("经济技术开发区", "经开区"),
    ("经济开发区", "经开区"),
    ("经开区", "经开区"),
];

/// An authority's name after a place name: the bureau's own name
/// (宜都市科技局, 横县人民政府), not a place named in passing.
const BUREAUS: &[&str] = &[
    "科技局",
    "科学技术局",
    "科技委",
    "科学技术委员会",
    "科委",
    "科技和",
    "科学技术和",
    "人民政府",
    "政府",
    "委员会",
    "管委会",
    "管理委员会",
];

/// What may not follow a bare short name (宜都 in 宜都:…, but not 平安 in
/// 平安银行): a few characters that make words of place names.
const NOT_AFTER_BARE: &[char] = &[
    '路', '街', '镇', '乡', '村', '号', '银', '保', '大', '集', '籍', '人', '队',
];

/// A short name that reads as 全州 (the whole prefecture), 本县, 我市 …:
/// [全本我该] followed by a level word.
fn is_self_reference(key: &str) -> bool {
    let mut c = key.chars();
    matches!(
        (c.next(), c.next(), c.next()),
        (
            Some('全' | '本' | '我' | '该'),
            Some('州' | '市' | '县' | '区' | '省' | '旗' | '盟'),
            None
        )
    )
}

fn short_suffix_follows(after: &str) -> bool {
    let word = |c: char, not_after: &[char]| {
        after
            .strip_prefix(c)
            .is_some_and(|rest| rest.starts_with(not_after))
    };
    SHORT_SUFFIXES.iter().any(|s| after.starts_with(s))
        && !word('区', NOT_AFTER_QU)
        && !word('市', NOT_AFTER_SHI)
}

/// Whether a full-name match of place `i` counts (see [`detect`]).
fn accept_full(g: &Gazetteer, i: usize, before: &str, after: &str) -> bool {
    let p = &g.places[i];
    if p.name.ends_with('区') && after.starts_with(NOT_AFTER_QU) {
        return false;
    }
    if p.level == Level::County && is_generic(&p.name) {
        let Some(parent) = g.parent(i).map(|j| &g.places[j]) else {
            return false;
        };
        let short = if parent.level == Level::Province {
            Some(parent.province.clone())
        } else {
            names::short_name(&parent.name, parent.level)
        };
        return before.ends_with(&parent.name) || short.is_some_and(|s| before.ends_with(&s));
    }
    true
}

/// A district whose name is made of ordinary words: 城区, 市中区, 新城区.
pub(super) fn is_generic(name: &str) -> bool {
    let stem = name.strip_suffix('区').unwrap_or(name);
    stem.chars().all(|c| GENERIC_CHARS.contains(c))
}

/// Settles names found in several provinces by the provinces the rest of
/// the report names. Returns notes on names it could not settle.
fn resolve(g: &Gazetteer, mentions: &mut [Mention]) -> Vec<String> {
    let mut support: HashMap<String, u32> = HashMap::new();
    for m in mentions.iter().filter(|m| !m.bare) {
        if let [p] = m.provinces(g)[..] {
            *support.entry(p.to_string()).or_default() += m.weight();
        }
    }
    let mut notes = Vec::new();
    let mut noted = HashSet::new();
    for m in mentions.iter_mut() {
        let provinces: Vec<String> = m.provinces(g).into_iter().map(str::to_string).collect();
        if provinces.len() < 2 || m.bare {
            continue;
        }
        let backed: Vec<&String> = provinces
            .iter()
            .filter(|p| support.contains_key(*p))
            .collect();
        if let [chosen] = backed[..] {
            let chosen = chosen.clone();
            m.cands.retain(|&i| g.places[i].province == chosen);
            m.resolved_from = Some(provinces);
        } else if noted.insert(m.name) {
            notes.push(format!(
                "{} is in {} provinces ({}), and {}",
                m.name,
                provinces.len(),
                provinces.join(", "),
                if backed.is_empty() {
                    "nothing else in the report points to one of them".to_string()
                } else {
                    format!(
                        "the report names {} too",
                        backed
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" and ")
                    )
                }
            ));
        }
    }
    notes
}

/// Within one province, keeps the candidates of a recurring name (鼓楼区 in
/// 南京市 and 徐州市) whose parent the report also names.
fn narrow_by_parent(g: &Gazetteer, mentions: &mut [Mention], named: &HashSet<usize>) {
    for m in mentions.iter_mut().filter(|m| m.cands.len() > 1) {
        let with_parent: Vec<usize> = m
            .cands
            .iter()
            .copied()
            .filter(|&c| g.parent(c).is_some_and(|p| named.contains(&p)))
            .collect();
        if !with_parent.is_empty() {
            m.cands = with_parent;
        }
    }
}

/// Whether the parent or grandparent of place `i` is named in the report.
fn has_named_ancestor(g: &Gazetteer, i: usize, named: &HashSet<usize>) -> bool {
    let parent = g.parent(i);
    let grandparent = parent.and_then(|p| g.parent(p));
    [parent, grandparent]
        .into_iter()
        .flatten()
        .any(|a| named.contains(&a))
}

/// Builds the answer once `source` has decided on `province`.
#[allow(clippy::too_many_arguments)]
fn decided(
    g: &Gazetteer,
    source: Source,
    input: &str,
    body: &str,
    province: &str,
    mentions: &[Mention],
    runner_up: Option<&(&str, u32)>,
    notes: Vec<String>,
) -> Detection {
    let here: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.source == source && !m.bare && m.provinces(g) == [province])
        .collect();
    let mut region_notes = Vec::new();
    let pick = super::region::choose(g, province, mentions, body, &mut region_notes);
    let (region, adcode, region_source, outweighed) = match pick {
        Some(p) => {
            region_notes.insert(
                0,
                format!(
                    "region {} from the {}{}",
                    p.name,
                    p.source,
                    if p.outweighed.is_empty() {
                        String::new()
                    } else {
                        format!(", over {}", p.outweighed.join(", "))
                    }
                ),
            );
            (Some(p.name), p.adcode, Some(p.source), p.outweighed)
        }
        None => (
            g.province_full_name(province).map(str::to_string),
            g.province_place(province).and_then(|p| p.adcode.clone()),
            Some(source.label()),
            Vec::new(),
        ),
    };

    // The reason, in plain words: the names, most frequent first.
    let mut names: Vec<(&str, usize)> = Vec::new();
    for m in &here {
        match names.iter_mut().find(|(n, _)| *n == m.name) {
            Some((_, k)) => *k += 1,
            None => names.push((m.name, 1)),
        }
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.1));
    let shown: Vec<String> = names
        .iter()
        .take(5)
        .map(|(n, k)| {
            if source == Source::Body {
                format!("{n} ×{k}")
            } else {
                (*n).to_string()
            }
        })
        .collect();
    let names = shown;
    let mut reason = match source {
        Source::Body => {
            let score: u32 = here.iter().map(|m| m.weight()).sum();
            format!(
                "the first {BODY_PREFIX_CHARS} characters of the text name {province} places most: {} ({})",
                names.join(", "),
                match runner_up {
                    Some((p, s)) => format!("score {score} against {s} for {p}"),
                    None => format!("score {score}, no other province"),
                }
            )
        }
        _ => format!(
            "{} {} names {} ({province})",
            source.label(),
            char_prefix(input.trim(), 40),
            names.join(", ")
        ),
    };
    for m in &here {
        if let Some(from) = &m.resolved_from {
            let others: Vec<&str> = from
                .iter()
                .map(String::as_str)
                .filter(|p| *p != province)
                .collect();
            reason.push_str(&format!(
                "; {} is also in {}: {province} chosen because the report names {province} elsewhere",
                m.name,
                others.join(" and ")
            ));
            break;
        }
    }
    for note in region_notes {
        reason.push_str("; ");
        reason.push_str(&note);
    }
    if !notes.is_empty() {
        reason.push_str(&format!("; note: {}", notes.join("; ")));
    }
    Detection {
        province: Some(province.to_string()),
        region,
        reason,
        adcode,
        source: region_source,
        outweighed,
    }
}
