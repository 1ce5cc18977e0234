//! Every form the reader takes, and every refusal, one line each.
use std::str::FromStr;

use super::*;

/// `text` reads as `value` (and `unit`), the numeral covering `whole`.
#[track_caller]
fn reads(text: &str, value: &str, unit: Option<&str>, whole: &str) {
    let n = try_read_number(text, 0).unwrap_or_else(|e| panic!("{text}: {e:?}"));
    assert_eq!(
        n.value,
        Decimal::from_str(value).expect("decimal"),
        "{text}"
    );
    assert_eq!(n.unit.map(|u| u.text), unit, "{text}");
    assert_eq!(&text[n.range.clone()], whole, "{text}");
}

#[track_caller]
fn refuses(text: &str, at: usize, why: NotRead) {
    assert_eq!(
        try_read_number(text, at).map(|n| n.value),
        Err(why),
        "{text} at {at}"
    );
}

#[test]
fn the_issue_table() {
    reads("三点五亿元", "3.5", Some("亿元"), "三点五亿元");
    reads("1 200家", "1200", Some("家"), "1 200家");
    reads("十五点七家", "15.7", Some("家"), "十五点七家");
    reads("二点五家", "2.5", Some("家"), "二点五家");
    reads("零点五家", "0.5", Some("家"), "零点五家");
    reads("四百点五家", "400.5", Some("家"), "四百点五家");
    reads(
        "拾六万零五百零六家",
        "160506",
        Some("家"),
        "拾六万零五百零六家",
    );
    reads("百分之二点五", "2.5", Some("%"), "百分之二点五");
    reads("叁亿伍仟万元", "350000000", Some("元"), "叁亿伍仟万元");
    reads("肆佰陸拾家", "460", Some("家"), "肆佰陸拾家");
    reads("壹千零壹家", "1001", Some("家"), "壹千零壹家");
    reads("5万4千6百家", "54600", Some("家"), "5万4千6百家");
    reads("7万5千4百家", "75400", Some("家"), "7万5千4百家");
    reads("百三家", "130", Some("家"), "百三家");
    reads("一千陆家", "1600", Some("家"), "一千陆家");
    reads("兩千四百五家", "2450", Some("家"), "兩千四百五家");
    reads("倆千家", "2000", Some("家"), "倆千家");
    reads("俩千家", "2000", Some("家"), "俩千家");
    reads("十点二三三家", "10.233", Some("家"), "十点二三三家");
    reads("两千三点一家", "2300.1", Some("家"), "两千三点一家");
    reads(
        "两千万点五五四四家",
        "20000000.5544",
        Some("家"),
        "两千万点五五四四家",
    );
}

#[test]
fn separators_between_groups_of_three() {
    reads("1,200家", "1200", Some("家"), "1,200家");
    reads("6 100家", "6100", Some("家"), "6 100家");
    reads("12 345 678元", "12345678", Some("元"), "12 345 678元");
    reads("1 200.5万元", "1200.5", Some("万元"), "1 200.5万元");
    // Not between groups of three: separate numbers.
    reads("1 20家", "1", None, "1");
    reads("1,30家", "1", None, "1");
    reads("1234 567家", "1234", None, "1234");
    reads("1234 567家", "1234", None, "1234");
    assert_eq!(
        read_number("1 20家", 2).map(|n| n.value),
        Some(Decimal::from(20))
    );
    assert_eq!(
        read_number("1234 567家", 5).map(|n| n.value),
        Some(Decimal::from(567))
    );
    // Never from inside a grouped number.
    refuses("1 200家", 2, NotRead::InsideNumeral);
    refuses("6 100家", 2, NotRead::InsideNumeral);
    refuses("1,200家", 2, NotRead::InsideNumeral);
    refuses("1 234 567", 6, NotRead::InsideNumeral);
    // Mixed or stray groups: nothing.
    refuses("1 234,567家", 0, NotRead::Grouping { at: 5 });
    refuses("1 234,567家", 6, NotRead::InsideNumeral);
    refuses("1 200 30家", 0, NotRead::Grouping { at: 5 });
}

#[test]
fn chinese_forms() {
    reads("十二", "12", None, "十二");
    reads("一十二", "12", None, "一十二");
    reads("一百零五", "105", None, "一百零五");
    reads("一千零一十", "1010", None, "一千零一十");
    reads("一千零十", "1010", None, "一千零十");
    reads("一万零二百五十", "10250", None, "一万零二百五十");
    reads("一万二百五十", "10250", None, "一万二百五十");
    reads("十万柒仟捌佰伍拾肆", "107854", None, "十万柒仟捌佰伍拾肆");
    reads(
        "四亿五千六百四十二万零一十五",
        "456420015",
        None,
        "四亿五千六百四十二万零一十五",
    );
    reads("四千零五万", "40050000", None, "四千零五万");
    reads("一万亿", "1000000000000", None, "一万亿");
    reads("三万五千亿", "3500000000000", None, "三万五千亿");
    reads(
        "玖仟玖佰玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖",
        "999999999999",
        None,
        "玖仟玖佰玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖",
    );
    reads("貳佰參拾", "230", None, "貳佰參拾");
    reads("二〇二二年", "2022", None, "二〇二二");
    reads("二零二一年", "2021", None, "二零二一");
    reads("零家", "0", Some("家"), "零家");
    reads("一百零部件", "100", None, "一百");
}

#[test]
fn elliptic_forms_and_where_they_stop() {
    reads("三百五", "350", None, "三百五");
    reads("一千六", "1600", None, "一千六");
    reads("一万三", "13000", None, "一万三");
    reads("十万三", "103000", None, "十万三");
    reads("一亿三", "130000000", None, "一亿三");
    reads("一百一", "110", None, "一百一");
    reads("一千零六", "1006", None, "一千零六");
    reads("一千六百万元", "1600", Some("万元"), "一千六百万元");
    reads("一万三千元", "13000", Some("元"), "一万三千元");
    refuses("一千六万元", 0, NotRead::Elliptic { at: 9 });
    refuses("三百五万元", 0, NotRead::Elliptic { at: 9 });
    refuses("一千六万", 0, NotRead::Elliptic { at: 9 });
    refuses("一百五千元", 0, NotRead::Elliptic { at: 9 });
    refuses("一千六多家", 0, NotRead::Elliptic { at: 9 });
    refuses("一千六点五万", 0, NotRead::Elliptic { at: 15 });
}

#[test]
fn digits_with_places() {
    reads("5亿1万4千6百", "500014600", None, "5亿1万4千6百");
    reads("1亿2000万元", "120000000", Some("元"), "1亿2000万元");
    reads("12万3456人", "123456", Some("人"), "12万3456人");
    reads("3千家", "3000", Some("家"), "3千家");
    reads("1.5千家", "1500", Some("家"), "1.5千家");
    reads("3.5千万元", "3500", Some("万元"), "3.5千万元");
    reads("1万5千元", "15000", Some("元"), "1万5千元");
    reads("1千2百3十4", "1234", None, "1千2百3十4");
    reads("1千零5", "1005", None, "1千零5");
    reads("4.78万亿", "4780000000000", None, "4.78万亿");
    reads("3点5亿元", "3.5", Some("亿元"), "3点5亿元");
    refuses("1万5", 0, NotRead::DigitsAfterPlace { at: 4 });
    refuses("1千2", 0, NotRead::DigitsAfterPlace { at: 4 });
    refuses("1亿2000", 0, NotRead::DigitsAfterPlace { at: 4 });
    refuses("1.2万3千", 0, NotRead::Broken { at: 6 });
    refuses("5三家", 0, NotRead::Broken { at: 1 });
    refuses("1万15千", 0, NotRead::Broken { at: 6 });
    refuses("一百零五十", 0, NotRead::Broken { at: 12 });
    refuses("一万零五千", 0, NotRead::Broken { at: 12 });
    reads("一千零五十", "1050", None, "一千零五十");
    reads("一亿零五百万", "105000000", None, "一亿零五百万");
    reads("一亿零一千", "100001000", None, "一亿零一千");
    refuses("一亿零五千万", 0, NotRead::Broken { at: 15 });
    refuses("1亿12345万", 0, NotRead::Broken { at: 9 });
    refuses("1万12345亿", 0, NotRead::Broken { at: 9 });
}

#[test]
fn decimals_with_dian() {
    reads("三点五", "3.5", None, "三点五");
    reads("十二点五万元", "12.5", Some("万元"), "十二点五万元");
    reads("十二点五万家", "125000", Some("家"), "十二点五万家");
    reads("零点零五", "0.05", None, "零点零五");
    refuses("三点建议", 0, NotRead::LoneCharacter);
    // Three digits take three bytes too, and are a number without a unit.
    assert_eq!(
        read_number("突破300,获评", "突破".len()).map(|n| n.value),
        Some(Decimal::from(300))
    );
    refuses("三点五分", 0, NotRead::TimeOrScore { at: 9 });
    refuses("两百点两", 0, NotRead::Broken { at: 6 });
    refuses("三点五十", 0, NotRead::Broken { at: 9 });
    refuses("两千万点五亿", 0, NotRead::Broken { at: 15 });
    refuses("3.5点5", 0, NotRead::Broken { at: 3 });
    refuses("三点5", 0, NotRead::Broken { at: 6 });
}

#[test]
fn percent_words() {
    reads("百分之十二", "12", Some("%"), "百分之十二");
    reads("百分之百", "100", Some("%"), "百分之百");
    reads(
        "百分之一百二十点五",
        "120.5",
        Some("%"),
        "百分之一百二十点五",
    );
    reads("百分之3.5", "3.5", Some("%"), "百分之3.5");
    let n = read_number("约百分之三十左右", 0).expect("percent");
    assert_eq!(
        (n.value, n.qualifier),
        (Decimal::from(30), Qualifier::About)
    );
    let n = read_number("百分之五十以上", 0).expect("percent");
    assert_eq!(n.qualifier, Qualifier::MoreThan);
    assert_eq!(n.bare_end(), "百分之五十以上".len());
    refuses("百分之五", 9, NotRead::InsideNumeral);
    refuses("三分之一", 9, NotRead::InsideNumeral);
    refuses("百分点", 0, NotRead::LonePlace);
}

#[test]
fn approximate_words() {
    let q = |t: &str| read_number(t, 0).map(|n| (n.value, n.qualifier, n.unit.map(|u| u.text)));
    let d = Decimal::from;
    assert_eq!(q("十几家"), Some((d(10), Qualifier::MoreThan, Some("家"))));
    assert_eq!(
        q("二十几万元"),
        Some((d(20), Qualifier::MoreThan, Some("万元")))
    );
    assert_eq!(
        q("二十几万人"),
        Some((d(200000), Qualifier::MoreThan, Some("人")))
    );
    assert_eq!(
        q("三百几十家"),
        Some((d(300), Qualifier::MoreThan, Some("家")))
    );
    assert_eq!(q("十多万"), Some((d(100000), Qualifier::MoreThan, None)));
    assert_eq!(
        q("一百多家"),
        Some((d(100), Qualifier::MoreThan, Some("家")))
    );
    assert_eq!(
        q("五十余万元"),
        Some((d(50), Qualifier::MoreThan, Some("万元")))
    );
    assert_eq!(
        q("1万多人"),
        Some((d(10000), Qualifier::MoreThan, Some("人")))
    );
    assert_eq!(
        q("一万多亿元"),
        Some((d(10000), Qualifier::MoreThan, Some("亿元")))
    );
    assert_eq!(q("二十来家"), Some((d(20), Qualifier::About, Some("家"))));
    assert_eq!(
        q("近两千家"),
        Some((d(2000), Qualifier::LessThan, Some("家")))
    );
    assert_eq!(
        q("超三点五亿元"),
        Some((Decimal::new(35, 1), Qualifier::MoreThan, Some("亿元")))
    );
    refuses("五多家", 0, NotRead::Broken { at: 3 });
    refuses("三万多千", 0, NotRead::Broken { at: 9 });
    refuses("数十家", 3, NotRead::Vague);
    refuses("几百家", 3, NotRead::Vague);
    assert!(read_number("总数1200家", 6).is_some());
}

#[test]
fn runs_that_are_no_number() {
    refuses("三四家", 0, NotRead::Guess { at: 3 });
    refuses("二三十家", 0, NotRead::Guess { at: 3 });
    refuses("十三五规划", 0, NotRead::Broken { at: 6 });
    refuses("十四五规划", 0, NotRead::Broken { at: 6 });
    refuses("一百二三十家", 0, NotRead::Guess { at: 9 });
    refuses("一百一百", 0, NotRead::Broken { at: 9 });
    refuses("1.2.3", 0, NotRead::Broken { at: 3 });
    refuses("四万万", 0, NotRead::Broken { at: 6 });
    refuses("百家", 0, NotRead::LonePlace);
    refuses("千亿级", 0, NotRead::LonePlace);
    refuses("陆家嘴", 0, NotRead::LoneCharacter);
    refuses("伍家岗", 0, NotRead::LoneCharacter);
    refuses("一是", 0, NotRead::LoneCharacter);
    refuses("增长-3.2%", 7, NotRead::AfterMinus);
    refuses("2-3家", 2, NotRead::InsideNumeral);
    assert!(read_number("--50家", 2).is_some());
    refuses("大陆3家", 6, NotRead::InsideNumeral);
    refuses("参拾家", 3, NotRead::InsideNumeral);
    // Found by the property tests: a qualifier at the end of the text,
    // digits after a financial digit, a trailing 〇.
    refuses("逾", 0, NotRead::NoNumber);
    refuses("伍0家", 3, NotRead::InsideNumeral);
    refuses("八亿〇,家", 0, NotRead::Broken { at: 6 });
}

#[test]
fn never_from_inside_a_numeral() {
    for (text, inner) in [
        ("三点五亿元", "五"),
        ("四百点五", "五"),
        ("5万4千6百", "4"),
        ("拾六万零五百零六", "六"),
        ("1亿2000万", "2000"),
        ("3.5亿", "5"),
        ("百分之二点五", "二"),
        ("叁拾陆万", "拾"),
    ] {
        let at = text.rfind(inner).expect("inner");
        assert!(read_number(text, at).is_none(), "{text} at {inner}");
    }
}
