//! The region within a decided province: the most local division the
//! evidence supports.
//!
//! Every place of the province named anywhere (issuer, title, text) is a
//! candidate, and every mention adds to its score:
//!
//! | evidence | score |
//! |---|---|
//! | named in the issuer line | 8 |
//! | named in the title | 5 |
//! | named in the text (full or suffixed name) | 2 |
//! | a bare short name in the text (宜都, 绵阳), named at least twice | 1 each |
//! | followed by an authority's name (宜都市科技局, 横县人民政府) | +3 |
//! | a county, district or zone named: its prefecture | +1 |
//!
//! The report's **self-references** (全市, 我县, 本区, 州委 …, counted in
//! the text) then tell the level of its author: the kind of division they
//! name most (at least twice) gets +4 (a county-level city +2 when the
//! self-references say 市, since a prefecture says 全市 as well). A place
//! named in passing (a firm's address, a visit) is named once, without an
//! authority, and at a level the report does not speak from, so it loses.
//! On a tie, the more local place wins (a county beats its city when both
//! are named as much). A province is never the region when one of its
//! cities or counties is a candidate.

use std::collections::HashMap;
use std::sync::OnceLock;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder};

use super::Gazetteer;
use super::Level;
use super::detect::{Mention, Source};

/// The region chosen, and what it outweighed.
pub(super) struct Pick {
    /// Full name to show: 衡阳市衡东县, 赣州市赣州高新区.
    pub name: String,
    /// The division code of the region (for a zone, of its host).
    pub adcode: Option<String>,
    /// The strongest evidence that named it: issuer, title, text.
    pub source: &'static str,
    /// Runners-up with their scores ("扬州市 4").
    pub outweighed: Vec<String>,
}

/// A candidate region: a place, or a development zone named after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    place: usize,
    zone: Option<&'static str>,
    /// The name is in several places of the province: shown as named,
    /// without a code.
    name_only: bool,
    /// Named by a former name (横县 for 横州市): its index in the
    /// gazetteer's former names, shown as the report wrote it.
    former: Option<usize>,
}

#[derive(Debug, Default)]
struct Tally {
    score: u32,
    /// The strongest source that named it (issuer < title < text).
    best_source: Option<Source>,
    /// Bare mentions seen (counted only from two on).
    bare: u32,
    /// Named other than bare.
    firm: bool,
    /// Named with an authority's name after it (鹿泉区科技局).
    bureau: bool,
}

/// What the report's self-references say about its author's level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SelfLevel {
    /// 全市, 我市, 市委 …: a city (a prefecture, or a county-level city).
    City,
    /// 全县, 我县, 县委 …
    County,
    /// 全区, 我区, 区委 …: a district or a development zone.
    District,
    /// 全州, 州委, 全盟 …: an autonomous prefecture or a league.
    Prefecture,
}

/// Self-references and the level they speak from. 我市 and 本县 say who
/// writes (2); 全市 may also rank a district within its city (1); 市委,
/// 县政府 … count only where no place name stands before them (漳州市委
/// names the city above a zone's report).
const SELF_WORDS: &[(&str, SelfLevel, u32)] = &[
    ("全市", SelfLevel::City, 1),
    ("我市", SelfLevel::City, 2),
    ("本市", SelfLevel::City, 2),
    ("市委", SelfLevel::City, 1),
    ("市政府", SelfLevel::City, 1),
    ("市科技局", SelfLevel::City, 1),
    ("全县", SelfLevel::County, 1),
    ("我县", SelfLevel::County, 2),
    ("本县", SelfLevel::County, 2),
    ("县委", SelfLevel::County, 1),
    ("县政府", SelfLevel::County, 1),
    ("县科技局", SelfLevel::County, 1),
    ("全区", SelfLevel::District, 1),
    ("我区", SelfLevel::District, 2),
    ("本区", SelfLevel::District, 2),
    ("区委", SelfLevel::District, 1),
    ("区政府", SelfLevel::District, 1),
    ("区科技局", SelfLevel::District, 1),
    ("高新区", SelfLevel::District, 2),
    ("经开区", SelfLevel::District, 2),
    ("开发区", SelfLevel::District, 2),
    ("全州", SelfLevel::Prefecture, 1),
    ("我州", SelfLevel::Prefecture, 2),
    ("本州", SelfLevel::Prefecture, 2),
    ("州委", SelfLevel::Prefecture, 1),
    ("州政府", SelfLevel::Prefecture, 1),
    ("全盟", SelfLevel::Prefecture, 1),
];

/// Whether the character before a self-reference leaves it standing alone
/// (not the end of a place name: 漳州市委, 自治区, 赣州高新区).
fn stands_alone(before: &str, word: &str) -> bool {
    let Some(c) = before.chars().next_back() else {
        return true;
    };
    let opens_with_own = word.starts_with(['全', '我', '本']);
    if opens_with_own {
        return true;
    }
    !is_ideograph(c) || "年月日在和与及的为由对经向于是全本我该各".contains(c)
}

fn is_ideograph(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// One automaton over [`SELF_WORDS`] (the value is the word's index), so
/// that the body is read once instead of once per word; `None` only if
/// the automaton could not be built (the words are then counted one by one).
fn self_words() -> Option<&'static CharwiseDoubleArrayAhoCorasick<u32>> {
    static AUTOMATON: OnceLock<Option<CharwiseDoubleArrayAhoCorasick<u32>>> = OnceLock::new();
    AUTOMATON
        .get_or_init(|| {
            // Self-references are common words: the 2-gram prefilter
            // would only add work.
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .use_prefilter(false)
                .build_with_values(SELF_WORDS.iter().zip(0u32..).map(|((w, _, _), i)| (*w, i)))
                .ok()
        })
        .as_ref()
}

/// How often each of [`SELF_WORDS`] stands alone in `body` (by index). No
/// word overlaps itself, so every occurrence the overlapping search finds
/// is one `match_indices` finds for that word.
fn self_word_counts(body: &str) -> [u32; SELF_WORDS.len()] {
    let mut counts = [0u32; SELF_WORDS.len()];
    match self_words() {
        Some(ac) => {
            for m in ac.find_overlapping_iter(body) {
                let i = m.value() as usize;
                if stands_alone(&body[..m.start()], SELF_WORDS[i].0) {
                    counts[i] += 1;
                }
            }
        }
        None => {
            for (i, (word, _, _)) in SELF_WORDS.iter().enumerate() {
                counts[i] = body
                    .match_indices(word)
                    .filter(|(at, _)| stands_alone(&body[..*at], word))
                    .count() as u32;
            }
        }
    }
    counts
}

/// The level the self-references of `body` speak from: the one with most
/// weight, at least 3.
pub(super) fn self_level(body: &str) -> Option<(SelfLevel, u32)> {
    let found = self_word_counts(body);
    let mut counts: Vec<(SelfLevel, u32)> = Vec::new();
    for ((_, level, weight), &n) in SELF_WORDS.iter().zip(&found) {
        if n == 0 {
            continue;
        }
        match counts.iter_mut().find(|(l, _)| l == level) {
            Some((_, c)) => *c += n * weight,
            None => counts.push((*level, n * weight)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let (level, n) = *counts.first()?;
    let second = counts.get(1).map_or(0, |c| c.1);
    (n >= 3 && n > second).then_some((level, n))
}

/// Specificity for ties: zones, then counties, then prefectures.
fn rank(g: &Gazetteer, k: Key) -> u8 {
    match (k.zone, g.places[k.place].level) {
        (Some(_), _) => 3,
        (None, Level::County) => 2,
        (None, Level::Prefecture) => 1,
        (None, Level::Province) => 0,
    }
}

/// The bonus the self-references give `k`.
fn level_bonus(g: &Gazetteer, k: Key, level: SelfLevel) -> u32 {
    let p = &g.places[k.place];
    let ends = |s: &str| p.name.ends_with(s);
    match (level, k.zone, p.level) {
        (SelfLevel::District, Some(_), _) => 4,
        (_, Some(_), _) => 0,
        (SelfLevel::City, None, Level::Prefecture) if ends("市") => 4,
        (SelfLevel::City, None, Level::County) if ends("市") => 2,
        (SelfLevel::County, None, Level::County) if ends("县") || ends("旗") => 4,
        (SelfLevel::District, None, Level::County) if ends("区") => 4,
        (SelfLevel::Prefecture, None, Level::Prefecture) if !ends("市") => 4,
        _ => 0,
    }
}

/// Whether place `i` may be the author's at the level the self-references
/// speak from (a county for 我县; for a county's or district's, also the
/// city above it, whose name its firms and papers carry).
pub(super) fn fits_level(g: &Gazetteer, i: usize, level: SelfLevel) -> bool {
    let p = &g.places[i];
    let ends = |s: &str| p.name.ends_with(s);
    match (level, p.level) {
        (_, Level::Province) => false,
        (SelfLevel::County | SelfLevel::District, Level::Prefecture) => true,
        (SelfLevel::County, Level::County) => ends("县") || ends("旗"),
        (SelfLevel::District, Level::County) => ends("区"),
        (SelfLevel::City, _) => ends("市"),
        (SelfLevel::Prefecture, Level::Prefecture) => !ends("市"),
        (SelfLevel::Prefecture, Level::County) => false,
    }
}

/// The name to show for a candidate.
fn show(g: &Gazetteer, k: Key) -> String {
    let p = &g.places[k.place];
    if k.name_only {
        return p.name.clone();
    }
    match k.zone {
        None => match k.former {
            Some(f) => g.region_name_as(p, &g.formers[f].0),
            None => g.region_name(p),
        },
        Some(kind) => {
            let short = if p.has_short() { &p.short } else { &p.name };
            match (p.level, p.prefecture.as_deref()) {
                (Level::County, Some(pref)) => format!("{pref}{short}{kind}"),
                _ => format!("{short}{kind}"),
            }
        }
    }
}

/// Chooses the region of a report placed in `province` (see the module
/// documentation); `None` when no city, county or zone of the province is
/// a candidate (the region is then the province).
pub(super) fn choose(
    g: &Gazetteer,
    province: &str,
    mentions: &[Mention],
    body: &str,
    notes: &mut Vec<String>,
) -> Option<Pick> {
    let mut tallies: HashMap<Key, Tally> = HashMap::new();
    let mut order: Vec<Key> = Vec::new();
    let mut children: std::collections::HashSet<(usize, usize)> = Default::default();
    for m in mentions {
        if m.weak {
            continue;
        }
        let cands: Vec<usize> = m
            .cands
            .iter()
            .copied()
            .filter(|&c| g.places[c].province == province && g.places[c].level != Level::Province)
            .collect();
        // A name that stays ambiguous within the province: the broader
        // when one holds the others (昌吉 is 昌吉州 and its 昌吉市); else
        // (鼓楼区 in two cities) the name alone, without a code.
        let (c, name_only) = match cands[..] {
            [] => continue,
            [c] => (c, false),
            _ if m.bare => continue,
            _ => match cands
                .iter()
                .copied()
                .find(|&a| cands.iter().all(|&b| b == a || g.parent(b) == Some(a)))
            {
                Some(a) => (a, false),
                None => {
                    let parents: Vec<String> = cands
                        .iter()
                        .filter_map(|&c| g.parent(c).map(|p| g.places[p].name.clone()))
                        .collect();
                    let note = format!(
                        "{} is in {}; region left at the name",
                        m.name,
                        parents.join(" and ")
                    );
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                    (cands[0], true)
                }
            },
        };
        let key = Key {
            place: c,
            zone: m.zone,
            name_only,
            former: g.former(m.name, c),
        };
        let weight = match (m.source, m.bare) {
            (Source::Issuer, _) => 8,
            (Source::Title, _) => 5,
            // 扬州市级项目: a level of lists, not the author.
            (Source::Body, false) if !m.level_word => 2,
            (Source::Body, _) => 1,
        } + if m.bureau { 3 } else { 0 };
        let t = tallies.entry(key).or_insert_with(|| {
            order.push(key);
            Tally::default()
        });
        t.score += weight;
        t.bureau |= m.bureau;
        if m.bare && m.source == Source::Body {
            t.bare += 1;
        } else {
            t.firm = true;
        }
        t.best_source = Some(match t.best_source {
            Some(s) if source_rank(s) <= source_rank(m.source) => s,
            _ => m.source,
        });
        // A county or district named adds to its prefecture, once per
        // child (a zone is an authority of its own: it does not).
        let parent = if m.zone.is_some() || m.bare || name_only {
            None
        } else {
            g.parent(c)
        };
        if let Some(pp) = parent.filter(|&pp| g.places[pp].level != Level::Province)
            && children.insert((pp, c))
        {
            let pkey = Key {
                place: pp,
                zone: None,
                name_only: false,
                former: None,
            };
            let t = tallies.entry(pkey).or_insert_with(|| {
                order.push(pkey);
                Tally::default()
            });
            t.score += 1;
        }
    }
    // Bare names count from their second mention on (a lone 平安 may be
    // part of a word); a name only ever supported by its children stays in.
    let level = self_level(body);
    // … unless nothing else stands below the province: then one place
    // named bare once, at the level the text speaks from (盐城 in a 我市
    // report of 江苏), is the region rather than the province.
    let lone: Vec<Key> = order
        .iter()
        .copied()
        .filter(|k| {
            let t = &tallies[k];
            !t.firm
                && t.bare == 1
                && k.zone.is_none()
                && level.is_some_and(|(l, _)| fits_level(g, k.place, l))
        })
        .collect();
    tallies.retain(|_, t| t.firm || t.bare >= 2 || t.best_source.is_none());
    order.retain(|k| tallies.contains_key(k));
    if order.is_empty() {
        let [k] = lone[..] else {
            return None;
        };
        notes.push(format!(
            "{} is named once, bare, at the level the text speaks from: the region rather than the province",
            show(g, k)
        ));
        return Some(Pick {
            name: show(g, k),
            adcode: g.places[k.place].adcode.clone(),
            source: "text",
            outweighed: Vec::new(),
        });
    }
    let scored: Vec<(Key, u32)> = order
        .iter()
        .map(|&k| {
            let bonus = level.map_or(0, |(l, _)| level_bonus(g, k, l));
            (k, tallies[&k].score + bonus)
        })
        .collect();
    let best = scored
        .iter()
        .copied()
        .fold(None::<(Key, u32)>, |best, (k, s)| match best {
            Some((b, bs)) if bs > s || (bs == s && rank(g, b) >= rank(g, k)) => Some((b, bs)),
            _ => Some((k, s)),
        })?;
    let (mut key, top) = best;
    // A county or district named only in the text, beside two or more of
    // its siblings named nearly as much (a city's ranking of its districts):
    // the report is their city's (or, under a municipality, the province's).
    if key.zone.is_none()
        && g.places[key.place].level == Level::County
        && tallies[&key].best_source == Some(Source::Body)
        && let Some(parent) = g.parent(key.place)
    {
        let siblings = scored
            .iter()
            .filter(|(k, s)| {
                *k != key && k.zone.is_none() && g.parent(k.place) == Some(parent) && 2 * s >= top
            })
            .count();
        if siblings >= 2 {
            notes.push(format!(
                "{} is named beside {siblings} other parts of its {} as much: the report is theirs",
                show(g, key),
                g.places[parent].name
            ));
            if g.places[parent].level == Level::Province {
                return None;
            }
            key = Key {
                place: parent,
                zone: None,
                name_only: false,
                former: None,
            };
        }
    }
    // A city chosen while the issuer or title names one county, district or
    // zone of it, or the text names one with its bureau (石家庄市科技局 on
    // 鹿泉区科技局's firms): the region is that part, unless the text
    // speaks as a city.
    if key.zone.is_none()
        && g.places[key.place].level == Level::Prefecture
        && level.is_none_or(|(l, _)| l != SelfLevel::City)
    {
        let parts: Vec<Key> = order
            .iter()
            .copied()
            .filter(|k| {
                g.parent(k.place) == Some(key.place) || (k.place == key.place && k.zone.is_some())
            })
            .filter(|k| {
                tallies[k].bureau || tallies[k].best_source.is_some_and(|s| s != Source::Body)
            })
            .collect();
        if let [part] = parts[..] {
            let t = &tallies[&part];
            notes.push(format!(
                "{} is named {} within {}",
                show(g, part),
                match t.best_source {
                    Some(s) if s != Source::Body => format!("in the {}", s.label()),
                    _ => "with its bureau".to_string(),
                },
                show(g, key)
            ));
            key = part;
        }
    }
    let mut rest: Vec<(Key, u32)> = scored.into_iter().filter(|(k, _)| *k != key).collect();
    rest.sort_by_key(|r| std::cmp::Reverse(r.1));
    let outweighed = rest
        .iter()
        .take(3)
        .map(|(k, s)| format!("{} {s}", show(g, *k)))
        .collect();
    if let Some((l, n)) = level {
        notes.push(format!(
            "the text speaks as a {} ({n} self-references)",
            match l {
                SelfLevel::City => "city (全市/我市/市委 …)",
                SelfLevel::County => "county (全县/我县/县委 …)",
                SelfLevel::District => "district or zone (全区/我区/区委 …)",
                SelfLevel::Prefecture => "prefecture (全州/州委 …)",
            }
        ));
    }
    let source = tallies[&key].best_source.map_or("text", Source::label);
    Some(Pick {
        name: show(g, key),
        adcode: if key.name_only {
            None
        } else {
            g.places[key.place].adcode.clone()
        },
        source,
        outweighed,
    })
}

fn source_rank(s: Source) -> u8 {
    match s {
        Source::Issuer => 0,
        Source::Title => 1,
        Source::Body => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each word counted on its own, as before the one automaton.
    fn counted_one_by_one(body: &str) -> Vec<u32> {
        SELF_WORDS
            .iter()
            .map(|(word, _, _)| {
                body.match_indices(word)
                    .filter(|(at, _)| stands_alone(&body[..*at], word))
                    .count() as u32
            })
            .collect()
    }

    #[test]
    fn one_pass_counts_every_self_reference_as_the_word_by_word_search() {
        let body = "全市高新技术企业达到120家，我市科技局会同市政府、漳州市委推进。\
                    全县县委县政府和本县县科技局，我区区委区政府、高新区和经开区，\
                    自治区开发区，全州州委州政府全盟，本市全市委";
        let counts = self_word_counts(body);
        assert_eq!(counts.to_vec(), counted_one_by_one(body));
        // The text names many of the words, alone and inside place names.
        let named = counts.iter().filter(|&&n| n > 0).count();
        assert!(named >= 10, "only {named} words found: {counts:?}");
        assert_eq!(self_level(body).map(|l| l.0), Some(SelfLevel::City));
    }
}
