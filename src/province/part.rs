//! The place of a figure that is not the report's own (`--all-regions`):
//! a named part of its region (其中，衡东县…) or a wider area (全省, 全国).
//! The engine marks such a figure's scope and where the part's name stands
//! (`engine::Scope`); this module turns the name into a region and code.

use super::{Level, gazetteer};

/// A part's or wider area's region and division code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedPlace {
    /// The region as `region` is written (衡阳市衡东县; a place the
    /// gazetteer does not hold, such as a town, under the report's region:
    /// 衡阳市衡东县城关镇).
    pub region: Option<String>,
    /// Its six-digit code, when the gazetteer holds the place.
    pub adcode: Option<String>,
}

/// The region and code of a part named `name` (衡东县) in a report placed
/// in `province` (a short name) and `region` with code `adcode`.
///
/// The gazetteer's places of that full name within the province are the
/// candidates; those under the report's region (by code: a county under its
/// prefecture, a district under its city) come first. One candidate gives
/// its region and code; none or several give the name under the report's
/// region, without a code.
pub fn part_region(
    province: Option<&str>,
    region: Option<&str>,
    adcode: Option<&str>,
    name: &str,
) -> ScopedPlace {
    let g = gazetteer();
    let mut cands: Vec<_> = g
        .lookup(name)
        .into_iter()
        .filter(|p| p.name == name && p.level != Level::Province)
        .filter(|p| province.is_none_or(|prov| p.province == prov))
        .collect();
    if cands.len() > 1
        && let Some(code) = adcode
    {
        let under: Vec<_> = cands
            .iter()
            .copied()
            .filter(|p| p.adcode.as_deref().is_some_and(|c| within(c, code)))
            .collect();
        if !under.is_empty() {
            cands = under;
        }
    }
    match cands[..] {
        [p] => ScopedPlace {
            region: Some(g.region_name(p)),
            adcode: p.adcode.clone(),
        },
        _ => ScopedPlace {
            region: Some(match region {
                Some(r) if !r.ends_with(name) => format!("{r}{name}"),
                _ => name.to_string(),
            }),
            adcode: None,
        },
    }
}

/// Whether the division coded `code` lies within the one coded `outer`
/// (a province ends in 0000, a prefecture in 00).
fn within(code: &str, outer: &str) -> bool {
    let keep = if outer.ends_with("0000") {
        2
    } else if outer.ends_with("00") {
        4
    } else {
        6
    };
    code.len() == 6 && outer.len() == 6 && code[..keep] == outer[..keep] && code != outer
}

/// The region and code of a wider area's figure (全省, 全国) in a report
/// placed in `province` (a short name): the province itself, or the whole
/// country (`全国`, no code) when `nation` is true.
pub fn wider_region(province: Option<&str>, nation: bool) -> ScopedPlace {
    if nation {
        return ScopedPlace {
            region: Some("全国".to_string()),
            adcode: None,
        };
    }
    let g = gazetteer();
    let place = province.and_then(|p| g.province_place(p));
    ScopedPlace {
        region: place.map(|p| p.name.clone()),
        adcode: place.and_then(|p| p.adcode.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_county_of_the_city() {
        let p = part_region(Some("湖南"), Some("衡阳市"), Some("430400"), "衡东县");
        assert_eq!(p.region.as_deref(), Some("衡阳市衡东县"));
        assert_eq!(p.adcode.as_deref(), Some("430424"));
    }

    #[test]
    fn a_name_the_gazetteer_lacks_stays_under_the_region() {
        let p = part_region(Some("湖南"), Some("衡阳市衡东县"), Some("430424"), "甘溪镇");
        assert_eq!(p.region.as_deref(), Some("衡阳市衡东县甘溪镇"));
        assert_eq!(p.adcode, None);
    }

    #[test]
    fn a_recurring_name_is_the_one_under_the_region() {
        // 鼓楼区 is in 南京市 and 徐州市.
        let p = part_region(Some("江苏"), Some("徐州市"), Some("320300"), "鼓楼区");
        assert_eq!(p.region.as_deref(), Some("徐州市鼓楼区"));
        assert_eq!(p.adcode.as_deref(), Some("320302"));
    }

    #[test]
    fn wider_areas() {
        let p = wider_region(Some("湖南"), false);
        assert_eq!(p.region.as_deref(), Some("湖南省"));
        assert_eq!(p.adcode.as_deref(), Some("430000"));
        assert_eq!(
            wider_region(Some("湖南"), true).region.as_deref(),
            Some("全国")
        );
    }
}
