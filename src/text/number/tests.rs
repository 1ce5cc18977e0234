use std::str::FromStr;

use super::*;

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
    /// `may_start_number` admits every character a number can start with.
    #[test]
    fn numbers_start_only_where_may_start_number_says(
        s in "[0-9.,一二两三四五六七八九十百千万亿零〇约近超逾过不到足将接大余多家个亿元%-]{1,8}",
    ) {
        if read_number(&s, 0).is_some() {
            let first = s.chars().next().unwrap_or_default();
            proptest::prop_assert!(may_start_number(first), "{s}");
        }
    }
}

#[test]
fn number_start_chars_are_what_may_start_number_admits() {
    let listed = number_start_chars();
    for c in ('\0'..='\u{ffff}').filter(|c| may_start_number(*c)) {
        assert!(listed.contains(&c), "{c}");
    }
    assert!(listed.iter().all(|c| may_start_number(*c)));
}

#[test]
fn may_start_number_is_narrow() {
    for c in [
        '1', '一', '两', '十', '零', '约', '超', '不', '近', '逾', '大', '将', '接',
    ] {
        assert!(may_start_number(c), "{c}");
    }
    for c in ['万', '亿', '家', '高', '企', '.', '-', '第', '点', '多'] {
        assert!(!may_start_number(c), "{c}");
    }
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

/// (text, value, upper, qualifier, unit, matched text)
fn check(
    text: &str,
    value: &str,
    upper: Option<&str>,
    q: Qualifier,
    unit: Option<&str>,
    whole: &str,
) {
    let n = read_number(text, 0).unwrap_or_else(|| panic!("no number in {text}"));
    assert_eq!(n.value, d(value), "{text}");
    assert_eq!(n.upper, upper.map(d), "{text}");
    assert_eq!(n.qualifier, q, "{text}");
    assert_eq!(n.unit.map(|u| u.text), unit, "{text}");
    assert_eq!(&text[n.range.clone()], whole, "{text}");
    if let Some(r) = n.unit_range {
        assert_eq!(Some(&text[r]), unit);
    }
}

use Qualifier::*;

#[test]
fn arabic() {
    check("1,305家企业", "1305", None, Exact, Some("家"), "1,305家");
    check(
        "63.25亿元,",
        "63.25",
        None,
        Exact,
        Some("亿元"),
        "63.25亿元",
    );
    check("2.25%", "2.25", None, Exact, Some("%"), "2.25%");
    check(
        "3.1个百分点",
        "3.1",
        None,
        Exact,
        Some("个百分点"),
        "3.1个百分点",
    );
    check(
        "12,345,678元",
        "12345678",
        None,
        Exact,
        Some("元"),
        "12,345,678元",
    );
    check("1,30家", "1", None, Exact, None, "1");
    check("2021年", "2021", None, Exact, None, "2021");
    check("5.", "5", None, Exact, None, "5");
}

#[test]
fn chinese() {
    check("十二家", "12", None, Exact, Some("家"), "十二家");
    check("一百零五项", "105", None, Exact, Some("项"), "一百零五项");
    check("两千三百人", "2300", None, Exact, Some("人"), "两千三百人");
    check("两千三百", "2300", None, Exact, None, "两千三百");
    check("三百五十", "350", None, Exact, None, "三百五十");
    check("三百五家", "350", None, Exact, Some("家"), "三百五家");
    check("一万五千", "15000", None, Exact, None, "一万五千");
    check("一亿二千万", "120000000", None, Exact, None, "一亿二千万");
    check("五百万元", "500", None, Exact, Some("万元"), "五百万元");
    check("两家", "2", None, Exact, Some("家"), "两家");
    check("十家", "10", None, Exact, Some("家"), "十家");
    check("一百零", "100", None, Exact, None, "一百");
}

#[test]
fn words_with_numerals_are_not_numbers() {
    assert!(read_number("万家", 0).is_none());
    assert!(read_number("亿元", 0).is_none());
    assert!(read_number("一是加强", 0).is_none());
    let t = "统一部署";
    assert!(read_number(t, "统".len()).is_none());
    let t = "进一步";
    assert!(read_number(t, "进".len()).is_none());
    let t = "第一家";
    assert!(read_number(t, "第".len()).is_none());
    // Not inside another number.
    assert!(read_number("1305", 1).is_none());
    assert!(read_number("十二", "十".len()).is_none());
    assert!(read_number("企业", 0).is_none());
}

#[test]
fn multipliers_and_the_unit_wins() {
    check("1.2万家", "12000", None, Exact, Some("家"), "1.2万家");
    check("1.2万元", "1.2", None, Exact, Some("万元"), "1.2万元");
    check("1.2万", "12000", None, Exact, None, "1.2万");
    check("3千家", "3000", None, Exact, Some("家"), "3千家");
    check("3千万元", "3000", None, Exact, Some("万元"), "3千万元");
    check(
        "5.6万平方米",
        "5.6",
        None,
        Exact,
        Some("万平方米"),
        "5.6万平方米",
    );
    check("1.2万亿元", "12000", None, Exact, Some("亿元"), "1.2万亿元");
}

#[test]
fn approximations() {
    check(
        "3000多万元",
        "3000",
        None,
        MoreThan,
        Some("万元"),
        "3000多万元",
    );
    check(
        "300多万人",
        "3000000",
        None,
        MoreThan,
        Some("人"),
        "300多万人",
    );
    check("50余家", "50", None, MoreThan, Some("家"), "50余家");
    check("近40家", "40", None, LessThan, Some("家"), "近40家");
    check("超400家", "400", None, MoreThan, Some("家"), "超400家");
    check(
        "超过1.5亿元",
        "1.5",
        None,
        MoreThan,
        Some("亿元"),
        "超过1.5亿元",
    );
    check("逾200家", "200", None, MoreThan, Some("家"), "逾200家");
    assert!(read_number("逾百家", 0).is_none());
    check("约2000人", "2000", None, About, Some("人"), "约2000人");
    check("50%左右", "50", None, About, Some("%"), "50%左右");
    check("400家以上", "400", None, MoreThan, Some("家"), "400家以上");
    check("不到30%", "30", None, LessThan, Some("%"), "不到30%");
    check("不足十项", "10", None, LessThan, Some("项"), "不足十项");
}

#[test]
fn ranges() {
    check("2-3家", "2", Some("3"), Range, Some("家"), "2-3家");
    check("20%-30%", "20", Some("30"), Range, Some("%"), "20%-30%");
    check("5家-3家", "5", None, Exact, Some("家"), "5家");
    let n = read_number("2000万元-1亿元的", 0).expect("range");
    assert_eq!((n.value, n.upper), (d("2000"), Some(d("10000"))));
    assert_eq!(n.unit.map(|u| u.text), Some("万元"));
    assert_eq!(n.range, 0.."2000万元-1亿元".len());
    check("2-3万元", "2", Some("3"), Range, Some("万元"), "2-3万元");
    check("1-10月", "1", Some("10"), Range, None, "1-10");
    check("2022-02-28", "2022", None, Exact, None, "2022");
}

#[test]
fn money_converts_exactly() {
    let n = read_number("6660万元", 0).expect("number");
    let yi = Unit::parse("亿元").expect("亿元");
    let v = n
        .unit
        .and_then(|u| u.convert(n.value, yi))
        .expect("converts");
    assert_eq!(v, d("0.666"));
}

#[test]
fn long_digit_runs_are_refused_quickly() {
    let s = "9".repeat(2_000_000);
    assert!(read_number(&s, 0).is_none());
}

#[test]
fn qualifier_serializes_lowercase() {
    assert_eq!(
        serde_json::to_string(&MoreThan).expect("json"),
        "\"morethan\""
    );
}

/// Issue 25 item 6: a bad byte inside a figure makes it unreadable on both
/// sides, never a part of it.
#[test]
fn a_replacement_character_touching_a_numeral_refuses_it() {
    let refused = |text: &str, at: usize, why: NotRead| {
        assert_eq!(
            try_read_number(text, at).map(|n| n.value),
            Err(why),
            "{text} at {at}"
        );
    };
    // 2.\u{FFFD}38%: neither 2 nor 38.
    refused("2.\u{FFFD}38%", 0, NotRead::Replaced { at: 2 });
    refused("2.\u{FFFD}38%", 5, NotRead::Replaced { at: 2 });
    // 1\u{FFFD}503家: neither 1 nor 503.
    refused("1\u{FFFD}503家", 0, NotRead::Replaced { at: 1 });
    refused("1\u{FFFD}503家", 4, NotRead::Replaced { at: 1 });
    // One apart, the figure reads.
    assert!(read_number("\u{FFFD} 38%", 4).is_some());
}
