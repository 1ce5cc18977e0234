//! The general phrasings real reports use (issue: "what the misses are"),
//! each in a small report of our own wording and numbers, run with the
//! shipped rules: from–to pairs, subjects carried into later clauses, one
//! head over a list of items, other nouns and units, noisy text, status and
//! year, and figures that are not the region's own.
//!
//! One line per case: `(report, expected)`. The report is a whole text (a
//! title line and a body); expected facts are separated by `;`, each
//! `indicator value status [year [months]]` (`-` for none); `""` means no
//! fact at all. Facts are compared as a set.

mod common;

use zhibiao::compile::Program;
use zhibiao::engine;
use zhibiao::text::{SourceFormat, read_report};

fn facts(program: &Program, report: &str) -> Vec<String> {
    let format = if report.starts_with('<') {
        SourceFormat::Html
    } else {
        SourceFormat::Text
    };
    let doc = read_report("case.txt", report.as_bytes(), Some(format)).expect("reads");
    let mut out: Vec<String> = engine::run(program, &doc)
        .into_iter()
        .map(|f| common::fact_line(&f))
        .collect();
    out.sort();
    out
}

/// True when `got` agrees with `want` on every token `want` gives.
fn agrees(want: &str, got: &str) -> bool {
    let g: Vec<&str> = got.split(' ').collect();
    let w: Vec<&str> = want.split_whitespace().collect();
    w.len() <= g.len() && w.iter().zip(&g).all(|(a, b)| a == b)
}

/// A 2031 summary with `body` under its first heading.
fn summary(body: &str) -> String {
    format!("北塘区科学技术局2031年工作总结\n一、2031年主要成效\n{body}\n")
}

fn check_cases(cases: &[(String, &str)]) {
    let program = common::common_program();
    let mut failures = Vec::new();
    for (report, want) in cases {
        let got = facts(&program, report);
        let mut wants: Vec<&str> = want
            .split(';')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        wants.sort();
        let ok = wants.len() == got.len() && wants.iter().all(|w| got.iter().any(|g| agrees(w, g)));
        if !ok {
            failures.push(format!("{report}\n    want: {wants:?}\n    got:  {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn from_to_takes_the_later_figure_and_dates_the_earlier() {
    check_cases(&[
        (
            summary("全区研发投入强度从2.2%提高到2.7%。"),
            "rd_gdp_ratio 2.7 actual 2031",
        ),
        (
            summary("有效高新技术企业由410家增加到突破600家。"),
            "hte_total 600 actual 2031",
        ),
        (
            summary("全市高新技术企业从2026年的730家增长到1.3万家。"),
            "hte_total 730 actual 2026; hte_total 13000 actual 2031",
        ),
        (
            summary("科技型中小企业入库数由上年的880家增至1050家，同比增长19%。"),
            "tsme_registered 1050 actual 2031",
        ),
        // Several earlier figures before the verb, a year before the later.
        (
            summary("全区高新技术企业由2027年的118家、2028年的164家增加到2030年的257家。"),
            "hte_total 118 actual 2027; hte_total 164 actual 2028; hte_total 257 actual 2030",
        ),
    ]);
}

#[test]
fn a_subject_carries_into_later_clauses_until_another_appears() {
    check_cases(&[
        (
            summary("全社会研发经费投入达到9.6亿元，同比增长11%，投入强度达到1.4%。"),
            "rd_gdp_ratio 1.4 actual 2031",
        ),
        (
            summary("全区研发投入3.1亿，占同期地区生产总值比重0.8%。"),
            "rd_gdp_ratio 0.8 actual 2031",
        ),
        (
            summary("高新技术企业培育成效明显，新认定56家，净增38家，总数达1120家。"),
            "hte_new 56 actual; hte_net_increase 38 actual; hte_total 1120 actual",
        ),
        (
            summary("全市技术合同成交额9月底达到18.4亿元，全年有望突破26亿元。"),
            "tech_contract_value 18.4 actual 2031 1-9; tech_contract_value 26 estimate 2031 -",
        ),
        // Another subject of the clause's own stops the carry.
        (
            summary("科技型中小企业入库640家，众创空间达到35家，孵化企业210家。"),
            "tsme_registered 640 actual",
        ),
        (
            summary("技术合同成交额达到12.5亿元，带动企业新增产值40亿元。"),
            "tech_contract_value 12.5 actual",
        ),
        // A threshold beside the exact figure is not a figure of its own.
        (
            summary("全区入库科技型中小企业突破300家，达327家，同比增长22%。"),
            "tsme_registered 327 actual",
        ),
        // A ratio's change first, then its level.
        (
            summary(
                "全区R&D经费投入占GDP比重比上年提高0.4个百分点，达到2.7%。规上工业企业研发投入强度较上年提高0.2个百分点，达到1.9%。",
            ),
            "rd_gdp_ratio 2.7 actual; enterprise_rd_intensity 1.9 actual",
        ),
        // A judgement before the figure (偏低, 仅为) names no subject.
        (
            summary("全区研发投入强度偏低，仅为1.3%，低于全市平均水平。"),
            "rd_gdp_ratio 1.3 actual",
        ),
    ]);
}

#[test]
fn one_head_reaches_over_a_list_of_items() {
    check_cases(&[
        // An item with a verb of its own is a statement, not an item.
        (
            summary("新认定高新技术企业87家，全区有效高新技术企业达到455家。"),
            "hte_new 87 actual; hte_total 455 actual",
        ),
        (
            summary("全县共有省级以上研发平台52家，众创空间9家，高新技术企业187家。"),
            "hte_total 187 actual",
        ),
        (
            summary("新增国家高新技术企业64家、省科技型中小企业210家。"),
            "hte_new 64 actual; tsme_registered 210 actual",
        ),
        (
            summary("全年新增国家重点实验室2家，省级重点实验室11家，市级工程技术研究中心17家。"),
            "eng_center_city_new 17 actual",
        ),
        (summary("全区新增9家国家高新技术企业。"), "hte_new 9 actual"),
    ]);
}

#[test]
fn other_nouns_and_units() {
    check_cases(&[
        (
            summary("全市高新技术企业拥有量达到845家。"),
            "hte_total 845 actual",
        ),
        (
            summary("2031年全县73户高新技术企业中，规上企业51户。"),
            "hte_total 73 actual 2031",
        ),
        (
            summary("全社会R&D支出占GDP的比重达2.05%。"),
            "rd_gdp_ratio 2.05 actual",
        ),
        (
            summary("R&D占GDP比重预计达到2.9%。"),
            "rd_gdp_ratio 2.9 estimate",
        ),
        (
            summary("全年技术合同交易额完成31.6亿元。"),
            "tech_contract_value 31.6 actual",
        ),
        (
            summary("技术合同登记完成12项，合同成交金额完成836万元。"),
            "tech_contract_value 0.0836 actual",
        ),
        (
            summary("全市高新技术产值实现930亿元。"),
            "hti_output 930 actual",
        ),
        (
            summary("上半年，科技型中小企业新认定388家，同比增长41%。"),
            "tsme_registered 388 actual 2031 1-6",
        ),
        // 户 as the unit, 累计培育 as the stock verb.
        (
            summary("全区累计培育高新技术企业236户，新认定瞪羚企业4户。"),
            "hte_total 236 actual; gazelle_new 4 actual",
        ),
        // The number, the noun, then the evaluation.
        (
            summary("全县共有173家科技型中小企业通过评价入库。"),
            "tsme_registered 173 actual",
        ),
        // The firms named first: their intensity, not the region's.
        (
            summary("全区规模以上工业企业研发经费支出5.2亿元，研发投入强度1.8%。"),
            "enterprise_rd_spend 5.2 actual; enterprise_rd_intensity 1.8 actual",
        ),
    ]);
}

#[test]
fn noisy_text() {
    check_cases(&[
        // Pinyin glosses of mirror sites.
        (
            summary("全市研發(fā)投入強(qiáng)度達(dá)2.4%，居全省第三。"),
            "rd_gdp_ratio 2.4 actual",
        ),
        // A space between digit groups of three.
        (
            summary("全市高新技术企业累计达6 100家。"),
            "hte_total 6100 actual",
        ),
        // Digits split by a space otherwise: no figure rather than the
        // last group alone.
        (summary("全市高新技术企业累计达12 34家。"), ""),
        // A unit lost before a comma.
        (
            summary("全区R&D经费投入强度2.36，首次进入全市前三。"),
            "rd_gdp_ratio 2.36 actual",
        ),
        // A figure broken over lines, as text copied from a PDF.
        (
            summary("全区高新技术企业总数达到\n386\n家，技术合同成交额达到7.4\n亿元。"),
            "hte_total 386 actual; tech_contract_value 7.4 actual",
        ),
    ]);
}

#[test]
fn status_and_year() {
    check_cases(&[
        // A plan's record: 目标任务 named, 落实情况 reported.
        (
            "南岭县科技局2031年目标任务落实情况\n全县新增高新技术企业22家。\n".to_string(),
            "hte_new 22 actual 2031",
        ),
        // A plan paragraph without a plan heading.
        (
            summary("全县新增高新技术企业22家。\n下一步，我局将力争全县高新技术企业总数达到180家。"),
            "hte_new 22 actual 2031; hte_total 180 target",
        ),
        (
            summary("全县新增高新技术企业22家。\n明年全县新增高新技术企业30家以上。"),
            "hte_new 22 actual 2031; hte_new 30 target 2032",
        ),
        // 明年 is the year after the report's.
        (
            summary("明年，全县研发投入强度要达到2.4%以上。"),
            "rd_gdp_ratio 2.4 target 2032",
        ),
        // A book title's years name no figure.
        (
            "科技简报\n2031年，我局牵头编制《北塘区科技创新规划(2031—2035年)》。全区新增高新技术企业41家。\n"
                .to_string(),
            "hte_new 41 actual 2031",
        ),
        // A plan period's last year; 今年 is the report's.
        (
            summary("“十三五”末，全区研发投入强度达到2.1%。今年，全区高新技术企业达到300家。"),
            "rd_gdp_ratio 2.1 actual 2020; hte_total 300 actual 2031",
        ),
        // A year in an earlier clause about something else names nothing.
        (
            summary("某项目荣获2029年省科技进步奖；全年新增高新技术企业23家。"),
            "hte_new 23 actual 2031",
        ),
        // A page's menu word is not a plan heading.
        (
            "首页\n重点工作\n北塘区科技局2031年工作总结\n全区新增高新技术企业17家。\n".to_string(),
            "hte_new 17 actual 2031",
        ),
        // A half-year report's plan is for the rest of the same year, and a
        // figure dated to another year does not take the title's months.
        (
            "西河区科技局2031年上半年工作总结和下半年工作安排\n一、上半年工作情况\n上半年，全区新增高新技术企业14家。“十三五”末，全区高新技术企业达到96家。\n二、下半年工作安排\n全年新增高新技术企业30家以上。\n"
                .to_string(),
            "hte_new 14 actual 2031 1-6; hte_total 96 actual 2020 -; hte_new 30 target 2031 -",
        ),
        // A year and 目标 in a heading date and mark its numbered parts.
        (
            "西河区科技局2031年度工作总结\n一、主要指标完成情况\n1.高新技术企业。全区高新技术企业达到210家。\n二、2032年工作目标\n1.高新技术企业突破240家。\n2.技术合同成交额达到16亿元。\n"
                .to_string(),
            "hte_total 210 actual 2031; hte_total 240 target 2032; tech_contract_value 16 target 2032",
        ),
        // A summary's plan section is for the next year.
        (
            "西河区科技局2031年工作总结和2032年工作安排\n一、工作情况\n全区新增高新技术企业14家。\n二、下一步工作安排\n新增高新技术企业30家以上。\n"
                .to_string(),
            "hte_new 14 actual 2031 -; hte_new 30 target 2032 -",
        ),
        // 争取 with a funding word reports what was won.
        (
            summary("共有12家企业争取省“科技贷”项目18项，支持贷款额度0.86亿元。"),
            "tech_loans 0.86 actual",
        ),
        (
            summary("为45家科技型企业争取科技贷款2.7亿元。"),
            "tech_loans 2.7 actual",
        ),
    ]);
}

#[test]
fn figures_that_are_not_the_regions_own() {
    check_cases(&[
        // A part after 其中.
        (
            summary("全年新增高企30家，其中第一批新增18家，第二批新增12家。"),
            "hte_new 30 actual",
        ),
        // A wider total beside the local one.
        (
            summary("全省本批入库科技型中小企业1600家，其中我市入库120家。"),
            "tsme_registered 120 actual",
        ),
        // A province's or the nation's figure in a county's report is
        // theirs; in a province's report 全省 is its own.
        (
            "西岭县科技局2031年工作总结\n全县新增高新技术企业12家，全县高新技术企业达到96家。全省高新技术企业总数达到1.6万家。全国高新技术企业超过40万家。\n"
                .to_string(),
            "hte_new 12 actual; hte_total 96 actual",
        ),
        (
            "某省科学技术厅2031年工作总结\n全省高新技术企业总数达到1.6万家，我省新增高新技术企业2100家。\n"
                .to_string(),
            "hte_total 16000 actual; hte_new 2100 actual",
        ),
        (
            summary("全区技术合同成交额在全省率先突破50亿元。"),
            "tech_contract_value 50 actual",
        ),
        // A sentence opening with 其中 breaks down the one before.
        (
            summary("全区新增高新技术企业41家。其中，东湖街道新增高新技术企业9家。"),
            "hte_new 41 actual",
        ),
        (
            summary("全省今年入库科技型中小企业2100家。其中，我区入库133家。"),
            "tsme_registered 133 actual",
        ),
        // Shares, ranks and growth rates.
        (summary("高新技术企业数量居全省第3位，占全省的12.5%。"), ""),
        (summary("全社会研发投入同比增长15%，增幅居全市第一。"), ""),
    ]);
}

#[test]
fn series_and_passed_parts() {
    check_cases(&[
        // A from–to series: every step with its year, the last for the report's.
        (
            summary(
                "自开展评价入库以来，我区科技型中小企业入库企业数量由2027年的30家，稳步增长到2028年的45家、2029年的61家和今年的80家。",
            ),
            "tsme_registered 30 actual 2027; tsme_registered 45 actual 2028; tsme_registered 61 actual 2029; tsme_registered 80 actual 2031",
        ),
        // The part that passed is the figure, not the whole that applied.
        (
            summary("开展国家科技型中小企业评价40家，其中有28家通过评价确认。"),
            "tsme_registered 28 actual",
        ),
        // A change is not a figure.
        (
            summary("全区完成高新产值420亿元，同比增加86亿，占GDP的比重达19%。"),
            "hti_output 420 actual",
        ),
    ]);
}

#[test]
fn number_first_and_what_follows_the_number() {
    check_cases(&[
        (
            summary("华兴电子等3家企业荣获国家“高新技术企业”认定。"),
            "hte_new 3 actual",
        ),
        (
            summary("全年共申报12家高新技术企业，8家省科技型中小企业。"),
            "hte_applied 12 actual",
        ),
        // What follows the number names another subject.
        (
            summary("2家企业通过国家级高新技术企业认定，1家企业被认定为科技型小巨人企业。"),
            "hte_new 2 actual",
        ),
        (
            summary("对于需要复审的9家高新技术企业，已有4家企业提交了复审资料。"),
            "",
        ),
        // 目标 right after the figure makes it a goal.
        (
            summary("今年初，我区制定培育方案，围绕新增高企90家目标，细化举措。"),
            "hte_new 90 target",
        ),
        // A period heading an earlier sentence of the paragraph.
        (
            summary(
                "二、加强企业研发。2031年1-6月份，全区规上企业研发投入达到5200万元。技术合同成交额为3600万元。",
            ),
            "enterprise_rd_spend 0.52 actual 2031 1-6; tech_contract_value 0.36 actual 2031 1-6",
        ),
    ]);
}

#[test]
fn flattened_tables_read_row_by_row_with_their_columns_status() {
    check_cases(&[
        // Under a 落实情况 title, the 工作目标 column still holds goals and
        // the 完成情况 column results.
        (
            "西岭县科技局2031年重点任务落实情况\n序号\n\n工作目标\n\n完成情况\n\n责任单位\n\n1\n\n全年新增高新技术企业40家\n\n全年新增高新技术企业43家\n\n县科技局\n\n2\n\n技术合同成交额达到6亿元\n\n技术合同成交额达到6.8亿元\n\n县科技局\n"
                .to_string(),
            "hte_new 40 target 2031; hte_new 43 actual 2031; tech_contract_value 6 target 2031; tech_contract_value 6.8 actual 2031",
        ),
        // A column header that names a year gives its figures that year.
        // The row's label reads into the figure right after it; a figure
        // alone in a later cell of the row is the same indicator's, with
        // its own column's status and year.
        (
            summary("序号\n指标\n2030年完成\n2031年目标\n1\n新增高新技术企业\n30家\n38家\n2\n技术合同成交额\n4亿元\n5亿元"),
            "hte_new 30 actual 2030; hte_new 38 target 2031; tech_contract_value 4 actual 2030; tech_contract_value 5 target 2031",
        ),
        // An HTML table: its rows are lines of cells; a goals column and a
        // results column, no 序号 needed.
        (
            "<html><head><title>西岭县科技局2031年重点指标完成情况</title></head><body><table><tr><td>指标名称</td><td>年度目标</td><td>完成情况</td></tr><tr><td>新增高新技术企业</td><td>25家</td><td>29家</td></tr><tr><td>技术合同成交额</td><td>3亿元</td><td>3.6亿元</td></tr></table></body></html>"
                .to_string(),
            "hte_new 25 target 2031; hte_new 29 actual 2031; tech_contract_value 3 target 2031; tech_contract_value 3.6 actual 2031",
        ),
        // A row's label with a bare figure under a column that is neither:
        // the figure after the label only; a cell with words is no figure.
        (
            "<html><body><p>西岭县科技局2031年工作总结</p><table><tr><td>指标</td><td>完成</td><td>备注</td></tr><tr><td>新增高新技术企业</td><td>29家</td><td>较上年多5家</td></tr></table></body></html>"
                .to_string(),
            "hte_new 29 actual 2031",
        ),
    ]);
}

#[test]
fn one_verb_over_a_list_of_pairs() {
    check_cases(&[
        (
            summary("全区高新技术企业达到63家，科技型中小企业158家，省级研发平台11个。"),
            "hte_total 63 actual; tsme_registered 158 actual",
        ),
        (
            summary("截至年底，全县科技型中小企业达到210家，高新技术企业47家。"),
            "tsme_registered 210 actual; hte_total 47 actual",
        ),
        // A new head (目前 … 累计) starts a new list: its items are stocks.
        (
            summary(
                "新增高新技术企业5家，新增众创空间2家，目前全县累计科技型中小企业19家，高新技术企业23家。",
            ),
            "hte_new 5 actual; tsme_registered 19 actual; hte_total 23 actual",
        ),
        // An item with a head of its own is not the list's.
        (
            summary("科技型中小企业达到140家，新增高新技术企业12家。"),
            "tsme_registered 140 actual; hte_new 12 actual",
        ),
    ]);
}

#[test]
fn figure_before_the_noun_passive_and_entering() {
    check_cases(&[
        (
            summary("我县96家企业进入省科技型中小企业入库名单，居全市第三。"),
            "tsme_registered 96 actual",
        ),
        (
            summary(
                "指导148家企业完成国家高新技术企业申报，121家企业被科技部认定为科技型中小企业。",
            ),
            "hte_applied 148 actual; tsme_registered 121 actual",
        ),
        (
            summary("本年度共组织推荐了7家骨干企业申报我省高新技术企业。"),
            "hte_applied 7 actual",
        ),
        (
            summary("2家企业成功备案省级瞪羚企业。"),
            "gazelle_new 2 actual",
        ),
        // A pool is not the registered firms.
        (summary("上半年重点培育科技型中小企业27家。"), ""),
    ]);
}

#[test]
fn breakdowns_name_their_parts() {
    check_cases(&[
        // A 其中 sentence naming a county of its own is a part, whole or not.
        (
            summary(
                "全市完成技术合同成交额52.4亿元，占GDP比重达到3.1%。其中，东江县完成技术合同成交额8.2亿元。",
            ),
            "tech_contract_value 52.4 actual",
        ),
        // The first-time ones of a count that mixes renewals are the new firms.
        (
            summary("全年有31户企业通过高新技术企业认定，其中首次通过认定的企业18户。"),
            "hte_new 18 actual",
        ),
        // A level (县级) is not a place.
        (
            summary("全年新增高新技术企业40家，其中县级以上园区企业25家。"),
            "hte_new 40 actual",
        ),
    ]);
}

#[test]
fn a_headline_threshold_gives_way_to_the_exact_figure() {
    check_cases(&[(
        "东江市高新技术企业总数突破300家\n近日，省有效高新技术企业名单公布。东江市高新技术企业总数达到312家，同比增长9%。\n"
            .to_string(),
        "hte_total 312 actual",
    )]);
}

#[test]
fn a_cue_opens_the_list_it_heads_not_the_clauses_after_a_figure() {
    check_cases(&[
        // 预计 in a middle clause is about its own clause.
        (
            summary("目前全区共推荐申报高新技术企业420家，预计总数接近900家，入库国家科技型中小企业760家。"),
            "hte_applied 420 actual; tsme_registered 760 actual",
        ),
        // 力争 opening the sentence heads its ;-list.
        (
            "东江市科技局2031年一季度工作安排\n今年，全市科技工作全力冲刺开门红。力争高新技术产业增加值80亿元；组织95家企业申报高新技术企业；科技型中小企业入库310家。\n"
                .to_string(),
            "hte_applied 95 target; tsme_registered 310 target",
        ),
        // A thing done after the ; is not the goal's.
        (
            summary("预计全年新认定高企150家以上；建成省级院士工作站4家，共有12家企业争取省“科技贷”项目15项，支持贷款额度0.9亿元。"),
            "hte_new 150 estimate; tech_loans 0.9 actual",
        ),
        // 超额完成目标任务 in a title reports an achievement.
        (
            "2031年东江市技术合同成交额超额完成目标任务\n2031年东江市完成技术合同认定登记成交额41.5亿元。\n"
                .to_string(),
            "tech_contract_value 41.5 actual 2031",
        ),
        // A stock's change over last year is its net increase.
        (
            summary("全区高新技术企业拥有量达到214家，比上年增加31家。"),
            "hte_total 214 actual; hte_net_increase 31 actual",
        ),
        // 将突破 in a summary is what is expected.
        (
            summary("高新技术产业产值将突破380亿元。"),
            "hti_output 380 estimate",
        ),
    ]);
}

#[test]
fn report_years_from_the_title_and_the_opening() {
    check_cases(&[
        (
            "区科技局20XX年工作总结及2032年工作要点\n一、20XX年工作总结\n全区新增高新技术企业34家。\n".to_string(),
            "hte_new 34 actual 2031",
        ),
        (
            "2031年以来，东江区科技局深入落实各项部署。指导52家企业完成国家高新技术企业申报。\n".to_string(),
            "hte_applied 52 actual 2031",
        ),
    ]);
}

#[test]
fn years_from_a_dateline_and_the_words_for_years() {
    check_cases(&[
        // A news page's dateline, early in the year: the figures are the
        // year before's.
        (
            "南湖区培育科技企业再创新高\n\n2032-01-21 09:40   阅读 512\n\n全区新增高新技术企业27家。\n".to_string(),
            "hte_new 27 actual 2031",
        ),
        // Day first, and later in the year: the page's own year.
        (
            "南湖区科技工作纪实\n\n17.06.2032  08:15\n\n全区新增高新技术企业27家。\n".to_string(),
            "hte_new 27 actual 2032",
        ),
        // 去年 counts from the page's date.
        (
            "南湖区科技工作纪实\n\n17.06.2032  08:15\n\n去年,全区新增高新技术企业19家。\n".to_string(),
            "hte_new 19 actual 2031",
        ),
        // Not a comparison: 比去年 names no year.
        (
            "南湖区科技工作纪实\n\n17.06.2032  08:15\n\n全区新增高新技术企业19家,比去年多5家。\n".to_string(),
            "hte_new 19 actual 2032",
        ),
        // A year that is a clause of its own frames the clauses after it,
        // behind a news agency's dateline.
        (
            "南湖区培育科技企业\n\n本报南湖3月2日电 2030年,经评审,全区共有6家企业通过高新技术企业认定。\n".to_string(),
            "hte_new 6 actual 2030",
        ),
    ]);
}

#[test]
fn a_carried_subject_passes_modal_words() {
    check_cases(&[(
        summary("截至10月底,全区技术合同成交额达到5.6亿元,预计全年可达7亿元。"),
        "tech_contract_value 5.6 actual 2031; tech_contract_value 7 estimate 2031",
    )]);
}

#[test]
fn a_subject_with_a_figure_of_its_own_lends_no_vetoes() {
    check_cases(&[
        // 净增 is about 15 in the subject's clause: 140 is the total.
        (
            summary("高新技术企业较上年净增15家,达到140家。"),
            "hte_net_increase 15 actual; hte_total 140 actual",
        ),
        // The levelled centre carries to 获批 after its applications.
        (
            summary("全年组织申报省级工程技术研究中心7家,获批5家。"),
            "eng_center_prov_new 5 actual",
        ),
        // A subject's clause without a figure still lends its vetoes.
        (summary("高企培育库企业达到80家,新增12家。"), ""),
    ]);
}

#[test]
fn a_goal_label_ending_in_a_colon_heads_its_list() {
    check_cases(&[
        (
            summary("年度目标任务:新增高新技术企业16家,科技型中小企业入库140家。"),
            "hte_new 16 target; tsme_registered 140 target",
        ),
        (
            summary("目标:技术合同成交额达到4亿元。"),
            "tech_contract_value 4 target",
        ),
    ]);
}

#[test]
fn a_county_bureaus_title_breaks_a_tie_with_the_province() {
    check_cases(&[
        (
            "西岭县科技局2031年工作总结\n全省高新技术企业达到1.3万家,我县达到61家。\n".to_string(),
            "hte_total 61 actual 2031",
        ),
        // A province's own report keeps its 全省 figure.
        (
            "某省科技厅2031年工作总结\n全省高新技术企业达到1.3万家,我县达到61家。\n".to_string(),
            "hte_total 13000 actual 2031; hte_total 61 actual 2031",
        ),
    ]);
}

#[test]
fn an_output_subject_with_its_verb_inside_carries_to_the_share() {
    check_cases(&[(
        summary("全区高新技术产业实现产值312亿元,占规上工业产值的47.5%。"),
        "hti_output 312 actual; hti_output_share 47.5 actual",
    )]);
}
