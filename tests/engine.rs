//! The engine on small rule files and sentences of our own: resolution,
//! status, year and months inference, 分别 pairing, vetoes, conversion.
//!
//! One helper, one line per case: `facts(RULES, text)` runs the rules over
//! the text and returns each fact as "indicator value unit status year months".

use zhibiao::check::check;
use zhibiao::compile::compile;
use zhibiao::diag::Sources;
use zhibiao::engine;
use zhibiao::text::{SourceFormat, read_report};

const RULES: &str = r#"
indicator hte_total "高新技术企业总数" unit 家
indicator hte_new "新增高新技术企业" unit 家
indicator eng_center_prov_new "新增省级工程技术研究中心" unit 家
indicator eng_center_city_new "新增市级工程技术研究中心" unit 家
indicator tech_loans "科技贷款发放额" unit 亿元
indicator rd_gdp_ratio "研发投入占比" unit %

let 高企 = "高新技术企业" | "高企"

rule 总数 -> hte_total {
    match 高企 …{0,30 sentence} ("累计达" | "总数达" | "达到") N:家
    unless "培育库"
    example "高新技术企业总数达318家" => 318
}
rule 新增 -> hte_new {
    match "新增" 高企 N:家
    priority 5
    example "新增高新技术企业12家" => 12
}
rule 宽泛 -> hte_total {
    match 高企 …{0,4} N:家
    example "高企9家" => 9
}
rule 省中心 -> eng_center_prov_new {
    match "新增" …{0,20 sentence} ("省级" | "省") …{0,8 sentence} "工程技术研究中心" …{0,6} N:家
    example "新增省级工程技术研究中心3家" => 3
}
rule 市中心 -> eng_center_city_new {
    match "新增" …{0,20 sentence} ("市级" | "市") …{0,8 sentence} "工程技术研究中心" …{0,6} N:家
    example "新增市级工程技术研究中心3家" => 3
}
rule 贷款 -> tech_loans {
    match "发放" …{0,10} "科技贷" 引号? …{0,4} V:money
    example "发放科技贷6660万元" => 0.666
}
let 引号 = "“" | "”"
rule 研发 -> rd_gdp_ratio {
    match "研发投入占GDP比重" …{0,6} P:percent
    example "研发投入占GDP比重达2.5%" => 2.5
}
"#;

fn facts(text: &str) -> Vec<String> {
    let mut sources = Sources::new();
    let file = sources.add("engine-test.zb", RULES);
    let checked = check(&sources, &[file]);
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "rule errors: {errors:?}");
    let (program, diags) = compile(&checked.sets[0]);
    assert!(diags.is_empty(), "compile: {diags:?}");
    let doc = read_report("t.txt", text.as_bytes(), Some(SourceFormat::Text)).expect("readable");
    engine::run(&program, &doc)
        .into_iter()
        .map(|f| {
            format!(
                "{} {} {} {} {} {}",
                f.indicator,
                f.value,
                f.unit,
                f.status.as_str(),
                f.year.map_or("-".to_string(), |y| y.to_string()),
                f.months.unwrap_or_else(|| "-".into())
            )
        })
        .collect()
}

#[test]
fn estimate_cue_applies_to_later_clauses_of_its_sentence() {
    assert_eq!(
        facts("2023年，预计新增高新技术企业41家，同比增长9%，累计达506家。"),
        [
            "hte_new 41 家 estimate 2023 -",
            "hte_total 506 家 estimate 2023 -"
        ]
    );
}

#[test]
fn a_cue_after_the_number_does_not_count() {
    assert_eq!(
        facts("2023年全市新增高新技术企业41家，预计明年继续增长。"),
        ["hte_new 41 家 actual 2023 -"]
    );
}

#[test]
fn target_from_cue_words() {
    assert_eq!(
        facts("2024年力争高新技术企业总数达到560家以上。"),
        ["hte_total 560 家 target 2024 -"]
    );
}

#[test]
fn plan_section_makes_targets_for_the_next_year() {
    let text = "某区科技局2023年工作总结\n一、工作成效\n2023年新增高新技术企业41家。\n二、2024年工作计划\n新增高新技术企业50家以上。\n";
    assert_eq!(
        facts(text),
        ["hte_new 41 家 actual 2023 -", "hte_new 50 家 target 2024 -"]
    );
}

#[test]
fn compared_year_is_not_the_figures_year() {
    assert_eq!(
        facts("2023年，高新技术企业总数较2021年增加，累计达506家。"),
        ["hte_total 506 家 actual 2023 -"]
    );
}

#[test]
fn months_from_a_range_before_the_number() {
    assert_eq!(
        facts("2023年1-10月，发放科技贷6660万元。"),
        ["tech_loans 0.666 亿元 actual 2023 1-10"]
    );
    assert_eq!(
        facts("2023年前三季度，研发投入占GDP比重达2.9%。"),
        ["rd_gdp_ratio 2.9 % actual 2023 1-9"]
    );
}

#[test]
fn higher_priority_rule_takes_the_number() {
    // 宽泛 (priority 0) also matches "高新技术企业41家"; 新增 (priority 5) wins.
    assert_eq!(
        facts("2023年新增高新技术企业41家。"),
        ["hte_new 41 家 actual 2023 -"]
    );
}

#[test]
fn veto_word_in_the_clause_stops_the_rule() {
    assert_eq!(
        facts("2023年高新技术企业培育库企业达到88家。"),
        Vec::<String>::new()
    );
}

#[test]
fn respectively_lists_pair_names_with_values_in_order() {
    assert_eq!(
        facts("2023年新增省级、市级工程技术研究中心分别为7家、31家。"),
        [
            "eng_center_prov_new 7 家 actual 2023 -",
            "eng_center_city_new 31 家 actual 2023 -"
        ]
    );
}

#[test]
fn one_fact_per_indicator_value_and_sentence() {
    assert_eq!(
        facts("2023年高企9家，高新技术企业9家。"),
        ["hte_total 9 家 actual 2023 -"]
    );
}

#[test]
fn a_capture_never_starts_inside_a_number() {
    // "高企" …{0,4} must not skip "1" and read "731家".
    assert_eq!(
        facts("2023年高企1731家。"),
        ["hte_total 1731 家 actual 2023 -"]
    );
}

#[test]
fn gaps_stay_inside_their_sentence() {
    assert_eq!(
        facts("2023年高新技术企业。累计达506家。"),
        Vec::<String>::new()
    );
}

#[test]
fn a_past_year_named_in_a_plan_is_the_base_not_a_goal() {
    let text = "某区科技局2023年工作总结和2024年工作计划\n一、2023年工作总结\n全年新增高新技术企业41家。\n二、2024年工作计划\n2023年高新技术企业总数达到506家，2024年力争高新技术企业总数达到560家。\n";
    assert_eq!(
        facts(text),
        [
            "hte_new 41 家 actual 2023 -",
            "hte_total 506 家 actual 2023 -",
            "hte_total 560 家 target 2024 -"
        ]
    );
}

#[test]
fn plan_only_report_keeps_last_years_figures_actual() {
    let text = "某县科技局2024年工作要点\n2023年，全县高新技术企业总数达到88家。\n2024年力争新增高新技术企业12家。\n";
    assert_eq!(
        facts(text),
        [
            "hte_total 88 家 actual 2023 -",
            "hte_new 12 家 target 2024 -"
        ]
    );
}

#[test]
fn five_year_plan_goals_are_targets() {
    assert_eq!(
        facts("2023年，全市高新技术企业总数达到506家。到“十四五”末，高新技术企业总数达到800家。"),
        [
            "hte_total 506 家 actual 2023 -",
            "hte_total 800 家 target 2025 -"
        ]
    );
}

#[test]
fn a_year_opening_a_sentence_covers_its_semicolon_parts() {
    let text = "某市科技局2024年工作要点\n2023年，全市新增高新技术企业41家；高新技术企业总数达到218家。2024年主要预期目标：高新技术企业总数达到260家。\n";
    assert_eq!(
        facts(text),
        [
            "hte_new 41 家 actual 2023 -",
            "hte_total 218 家 actual 2023 -",
            "hte_total 260 家 target 2024 -"
        ]
    );
}
