//! Units of measure that reports use, their kinds, and exact conversion.
//!
//! Shared by the rule checker (does a capture's unit fit the indicator?) and
//! the number reader (which unit follows a number?). Conversions are exact
//! decimal arithmetic ([`rust_decimal`]), so 6660万元 is exactly 0.666 亿元.

use rust_decimal::Decimal;
use serde::Serialize;

/// What a unit measures; values convert only within one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// 家 个 项 名 人 次 场 件 所 座 台 …: a number of things or people.
    Count,
    /// 元 万元 亿元.
    Money,
    /// %.
    Percent,
    /// 个百分点: a difference of percentages.
    Points,
    /// 平方米 万平方米 ㎡ 亩.
    Area,
}

impl UnitKind {
    /// The kind's keyword in rule files (`V:money`).
    pub fn keyword(self) -> &'static str {
        match self {
            UnitKind::Count => "count",
            UnitKind::Money => "money",
            UnitKind::Percent => "percent",
            UnitKind::Points => "points",
            UnitKind::Area => "area",
        }
    }

    /// Looks a kind keyword up (`count`, `money`, `percent`, `ratio`, `points`, `area`).
    pub fn from_keyword(s: &str) -> Option<UnitKind> {
        Some(match s {
            "count" => UnitKind::Count,
            "money" => UnitKind::Money,
            "percent" | "ratio" => UnitKind::Percent,
            "points" => UnitKind::Points,
            "area" => UnitKind::Area,
            _ => return None,
        })
    }
}

/// A unit as it follows a number in a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unit {
    /// The unit's canonical spelling (after normalization), e.g. `亿元`, `%`.
    pub text: &'static str,
    /// What it measures.
    pub kind: UnitKind,
    /// How many base units one of it is (base: 元, 平方米, 1 for counts and %).
    factor: Factor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Factor {
    One,
    Wan,
    Yi,
    Qian,
    Mu,
}

impl Factor {
    fn decimal(self) -> Decimal {
        match self {
            Factor::One => Decimal::ONE,
            Factor::Qian => Decimal::from(1_000),
            Factor::Wan => Decimal::from(10_000),
            Factor::Yi => Decimal::from(100_000_000),
            // 1 亩 = 10000/15 平方米; kept exact enough for reporting (666.6667).
            Factor::Mu => Decimal::from(10_000) / Decimal::from(15),
        }
    }
}

/// Every unit the reader knows, longest spelling first so that a prefix
/// (元) never wins over a longer unit (万元).
pub const UNITS: &[Unit] = &[
    Unit {
        text: "万平方米",
        kind: UnitKind::Area,
        factor: Factor::Wan,
    },
    Unit {
        text: "个百分点",
        kind: UnitKind::Points,
        factor: Factor::One,
    },
    Unit {
        text: "平方米",
        kind: UnitKind::Area,
        factor: Factor::One,
    },
    Unit {
        text: "亿元",
        kind: UnitKind::Money,
        factor: Factor::Yi,
    },
    Unit {
        text: "万元",
        kind: UnitKind::Money,
        factor: Factor::Wan,
    },
    Unit {
        text: "千元",
        kind: UnitKind::Money,
        factor: Factor::Qian,
    },
    Unit {
        text: "m2",
        kind: UnitKind::Area,
        factor: Factor::One,
    },
    Unit {
        text: "元",
        kind: UnitKind::Money,
        factor: Factor::One,
    },
    Unit {
        text: "亩",
        kind: UnitKind::Area,
        factor: Factor::Mu,
    },
    Unit {
        text: "%",
        kind: UnitKind::Percent,
        factor: Factor::One,
    },
    Unit {
        text: "家",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "个",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "项",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "名",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "人",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "位",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "次",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "场",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "件",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "所",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "座",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "台",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "批",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
    Unit {
        text: "户",
        kind: UnitKind::Count,
        factor: Factor::One,
    },
];

impl Unit {
    /// Looks a unit up by its spelling (after normalization; `㎡` is `m2`).
    pub fn parse(s: &str) -> Option<Unit> {
        let s = if s == "㎡" { "m2" } else { s };
        UNITS.iter().copied().find(|u| u.text == s)
    }

    /// The unit whose spelling starts `text`, longest first.
    pub fn at_start(text: &str) -> Option<Unit> {
        // The units by first character, in `UNITS` order, built once: this
        // runs after every number the engine reads, mostly to find nothing.
        static BY_FIRST: std::sync::OnceLock<Vec<(char, Vec<Unit>)>> = std::sync::OnceLock::new();
        let by_first = BY_FIRST.get_or_init(|| {
            let mut by_first: Vec<(char, Vec<Unit>)> = Vec::new();
            for u in UNITS {
                let Some(c) = u.text.chars().next() else {
                    continue;
                };
                match by_first.iter_mut().find(|(f, _)| *f == c) {
                    Some((_, list)) => list.push(*u),
                    None => by_first.push((c, vec![*u])),
                }
            }
            by_first.sort_by_key(|(c, _)| *c);
            by_first
        });
        let c = text.chars().next()?;
        let i = by_first.binary_search_by_key(&c, |(f, _)| *f).ok()?;
        by_first[i]
            .1
            .iter()
            .copied()
            .find(|u| text.starts_with(u.text))
    }

    /// Converts `value` in this unit to `target`; `None` across kinds.
    pub fn convert(self, value: Decimal, target: Unit) -> Option<Decimal> {
        if self.kind != target.kind {
            return None;
        }
        if self.factor == target.factor {
            return Some(value);
        }
        let base = value.checked_mul(self.factor.decimal())?;
        base.checked_div(target.factor.decimal())
            .map(|d| d.normalize())
    }

    /// True when a value in this unit can be given in `target`.
    pub fn converts_to(self, target: Unit) -> bool {
        self.kind == target.kind
    }
}

/// Count words reports write after a figure that are no unit a rule takes
/// (3种, 5条): with [`UNITS`], what tells a figure.
const MEASURE_WORDS: &[&str] = &["种", "条", "篇", "套", "处", "只", "支"];

/// What stands between a number and its unit: the multipliers 万 and 亿,
/// and 余/多 (10余项, 3000多万元).
const BEFORE_UNIT: &[&str] = &["万", "亿", "余", "多"];

/// True when `s` opens with what follows a figure: a unit of [`UNITS`], a
/// count word (种, 条 …), a multiplier or 余/多. A number before it is a
/// figure, not a code, a date or a list number: the one "a unit follows"
/// test for the engine's cheap looks at text.
pub fn unit_follows(s: &str) -> bool {
    Unit::at_start(s).is_some()
        || MEASURE_WORDS
            .iter()
            .chain(BEFORE_UNIT)
            .any(|w| s.starts_with(w))
}

/// `t` without the units, count words, multipliers and qualifiers (余, 多,
/// 以上) it ends with: `12万元以上` → `12`.
pub fn without_unit_end(t: &str) -> &str {
    let mut t = t;
    while let Some(w) = UNITS
        .iter()
        .map(|u| u.text)
        .chain(MEASURE_WORDS.iter().copied())
        .chain(BEFORE_UNIT.iter().copied())
        .chain(["以上"])
        .find(|w| t.ends_with(w))
    {
        t = &t[..t.len() - w.len()];
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_start_finds_the_longest_unit_as_a_scan_of_all_would() {
        for u in UNITS {
            for tail in ["", "以上", "家", "元"] {
                let text = format!("{}{tail}", u.text);
                let scan = UNITS.iter().copied().find(|v| text.starts_with(v.text));
                assert_eq!(Unit::at_start(&text), scan, "{text}");
            }
        }
        assert_eq!(Unit::at_start("企业"), None);
    }

    #[test]
    fn a_unit_follows_or_ends_a_figure() {
        for s in ["家企业", "亿元", "余项", "种新品", "平方米", " "] {
            assert_eq!(unit_follows(s), s != " ", "{s}");
        }
        assert!(!unit_follows("月份"));
        assert_eq!(without_unit_end("共12万元以上"), "共12");
        assert_eq!(without_unit_end("新增3种"), "新增3");
        assert_eq!(without_unit_end("企业"), "企业");
        assert_eq!(Unit::at_start(""), None);
    }
    use std::str::FromStr;

    #[test]
    fn wan_yuan_to_yi_yuan_is_exact() {
        let wan = Unit::parse("万元").expect("万元");
        let yi = Unit::parse("亿元").expect("亿元");
        let v = wan
            .convert(Decimal::from(6660), yi)
            .expect("money converts");
        assert_eq!(v, Decimal::from_str("0.666").expect("decimal"));
    }

    #[test]
    fn kinds_do_not_mix() {
        let jia = Unit::parse("家").expect("家");
        let pct = Unit::parse("%").expect("%");
        assert!(jia.convert(Decimal::ONE, pct).is_none());
        assert!(jia.converts_to(Unit::parse("个").expect("个")));
    }

    #[test]
    fn longest_unit_wins() {
        assert_eq!(Unit::at_start("万元，").map(|u| u.text), Some("万元"));
        assert_eq!(Unit::at_start("万平方米").map(|u| u.text), Some("万平方米"));
        assert_eq!(Unit::at_start("个百分点").map(|u| u.text), Some("个百分点"));
        assert_eq!(Unit::at_start("个").map(|u| u.text), Some("个"));
    }
}
