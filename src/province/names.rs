//! Short forms of division names: 江苏省 → 江苏, 延边朝鲜族自治州 → 延边,
//! 宜兴市 → 宜兴.

use super::Level;

/// Suffixes that end a provincial-level name, longest first.
const PROVINCE_SUFFIXES: &[&str] = &[
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "省",
    "市",
];

/// Suffixes that end a prefecture- or county-level name, longest first
/// (within one length the order does not matter: a name ends in one of them).
const SUFFIXES: &[&str] = &[
    "自治州",
    "自治县",
    "自治旗",
    "地区",
    "林区",
    "特区",
    "新区",
    "矿区",
    "盟",
    "市",
    "县",
    "区",
    "旗",
];

/// The 55 ethnic minorities' names as they appear in autonomous divisions'
/// names (黔东南苗族侗族自治州, 博尔塔拉蒙古自治州 …).
const ETHNIC: &[&str] = &[
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// Informal spellings of provincial names that stripping a suffix does not
/// reach.
const PROVINCE_ALIASES: &[(&str, &str)] = &[("内蒙", "内蒙古"), ("宁夏回族", "宁夏")];

/// Short province name from any spelling: "江苏省" → "江苏", "广西壮族自治区"
/// → "广西", "北京市" → "北京", "江苏" → "江苏".
///
/// Surrounding white space is ignored. A string that is not a province name
/// is returned with its suffix stripped, so callers compare the result with
/// [`super::Gazetteer::province_names`] when they need to know.
pub fn short_province_name(s: &str) -> String {
    let s = s.trim();
    let mut short = s;
    for suffix in PROVINCE_SUFFIXES {
        if let Some(stripped) = s.strip_suffix(suffix)
            && stripped.chars().count() >= 2
        {
            short = stripped;
            break;
        }
    }
    for (alias, name) in PROVINCE_ALIASES {
        if short == *alias {
            return (*name).to_string();
        }
    }
    short.to_string()
}

/// The short form of a division's full name, or `None` when there is none
/// worth matching (fewer than two characters left: 沛县, 城区; or nothing to
/// strip: 西沙群岛).
pub(crate) fn short_name(full: &str, level: Level) -> Option<String> {
    if level == Level::Province {
        let short = short_province_name(full);
        return (short != full).then_some(short);
    }
    let (stem, autonomous) = SUFFIXES
        .iter()
        .find_map(|suffix| {
            full.strip_suffix(suffix)
                .map(|stem| (stem, suffix.starts_with("自治")))
        })
        .unwrap_or((full, false));
    let stem = if autonomous { strip_ethnic(stem) } else { stem };
    (stem.chars().count() >= 2 && stem != full).then(|| stem.to_string())
}

/// Strips the trailing ethnic names of an autonomous division's stem:
/// 恩施土家族苗族 → 恩施, 巴音郭楞蒙古 → 巴音郭楞. A stem that is only an ethnic
/// name (鄂伦春, 鄂温克族) keeps the name itself.
fn strip_ethnic(mut stem: &str) -> &str {
    loop {
        let without_zu = stem.strip_suffix('族');
        let had_zu = without_zu.is_some();
        let without_zu = without_zu.unwrap_or(stem);
        // Without 族 only a name of two or more characters counts (巴音郭楞蒙古),
        // so that a place's own last character (…白, …水) is never taken.
        let longest = ETHNIC
            .iter()
            .filter(|e| without_zu.ends_with(*e) && (had_zu || e.chars().count() >= 2))
            .max_by_key(|e| e.len());
        match longest {
            Some(e) => {
                let rest = &without_zu[..without_zu.len() - e.len()];
                if rest.chars().count() < 2 {
                    return if rest.is_empty() { without_zu } else { stem };
                }
                stem = rest;
            }
            None => return stem,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn province_short_names() {
        for (full, short) in [
            ("江苏省", "江苏"),
            ("广西壮族自治区", "广西"),
            ("北京市", "北京"),
            ("内蒙古自治区", "内蒙古"),
            ("新疆维吾尔自治区", "新疆"),
            ("宁夏回族自治区", "宁夏"),
            ("西藏自治区", "西藏"),
            ("香港特别行政区", "香港"),
            (" 安徽 ", "安徽"),
            ("内蒙", "内蒙古"),
        ] {
            assert_eq!(short_province_name(full), short, "{full}");
        }
    }

    #[test]
    fn division_short_names() {
        let p = Level::Prefecture;
        let c = Level::County;
        assert_eq!(short_name("宜兴市", c).as_deref(), Some("宜兴"));
        assert_eq!(short_name("延边朝鲜族自治州", p).as_deref(), Some("延边"));
        assert_eq!(
            short_name("恩施土家族苗族自治州", p).as_deref(),
            Some("恩施")
        );
        assert_eq!(
            short_name("巴音郭楞蒙古自治州", p).as_deref(),
            Some("巴音郭楞")
        );
        assert_eq!(
            short_name("克孜勒苏柯尔克孜自治州", p).as_deref(),
            Some("克孜勒苏")
        );
        assert_eq!(short_name("锡林郭勒盟", p).as_deref(), Some("锡林郭勒"));
        assert_eq!(short_name("阿克苏地区", p).as_deref(), Some("阿克苏"));
        assert_eq!(short_name("神农架林区", c).as_deref(), Some("神农架"));
        assert_eq!(short_name("浦东新区", c).as_deref(), Some("浦东"));
        assert_eq!(short_name("鄂伦春自治旗", c).as_deref(), Some("鄂伦春"));
        assert_eq!(short_name("鄂温克族自治旗", c).as_deref(), Some("鄂温克"));
        assert_eq!(
            short_name("积石山保安族东乡族撒拉族自治县", c).as_deref(),
            Some("积石山")
        );
        assert_eq!(short_name("沛县", c), None);
        assert_eq!(short_name("城区", c), None);
        assert_eq!(short_name("西沙群岛", c), None);
    }
}
