//! The shipped rules (rules/*.zb, as built into the binary) on sentences
//! worded the way bureaus across China write, not only the seed reports'.
//!
//! One helper, one line per case: `(rule set, section, sentence, expected)`.
//! - rule set: `C` = common.zb alone (what runs for a province without a rule
//!   file of its own), or a province name (江苏, 安徽);
//! - section: `S` puts the sentence in a 2023 work summary, `P` in the
//!   2024 plan section of a 2023 summary-and-plan report;
//! - expected: facts separated by `;`, each `indicator value status [year
//!   [months]]` (`-` for no months); `""` means no fact at all.
//!
//! Every sentence is our own wording and numbers, in the styles of
//! different provinces (浙江, 广东, 山东, 四川, 河南, 湖北, 福建, 北京/上海
//! districts, western counties …). Traps (培育库, 每万家, 重新认定, ratios
//! that are not R&D/GDP, 科技型企业 without 中小, growth rates, rankings,
//! subsidies, tax relief, training counts, counts of other things) must give
//! nothing.

mod common;

use std::collections::HashMap;
use std::sync::OnceLock;

use zhibiao::check::{builtin_sources, check};
use zhibiao::compile::{Program, compile};
use zhibiao::diag::Sources;
use zhibiao::engine;
use zhibiao::text::{SourceFormat, read_report};

/// common.zb alone.
const C: &str = "common";
const JS: &str = "江苏";
const AH: &str = "安徽";
/// A 2023 work summary.
const S: char = 'S';
/// The 2024 plan section of a 2023 report.
const P: char = 'P';

fn programs() -> &'static HashMap<String, Program> {
    static PROGRAMS: OnceLock<HashMap<String, Program>> = OnceLock::new();
    PROGRAMS.get_or_init(|| {
        let mut sources = Sources::new();
        let files = builtin_sources(&mut sources);
        let checked = check(&sources, &files);
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        checked
            .sets
            .iter()
            .map(|set| {
                let (program, diags) = compile(set);
                assert!(diags.is_empty(), "{diags:?}");
                (set.name.clone(), program)
            })
            .collect()
    })
}

/// Runs rule set `set` over `sentence` placed in a section of kind `kind`;
/// each fact as "indicator value status year months".
fn facts(set: &str, kind: char, sentence: &str) -> Vec<String> {
    let program = programs()
        .get(set)
        .unwrap_or_else(|| panic!("no rule set {set}"));
    let text = match kind {
        'S' => format!("某区科学技术局2023年工作总结\n一、2023年工作成效\n{sentence}\n"),
        _ => format!(
            "某县科学技术局2023年工作总结和2024年工作计划\n一、2023年工作成效\n各项工作有序推进。\n二、2024年工作计划\n{sentence}\n"
        ),
    };
    let doc = read_report("case.txt", text.as_bytes(), Some(SourceFormat::Text)).expect("readable");
    engine::run(program, &doc)
        .into_iter()
        .map(|f| common::fact_line(&f))
        .collect()
}

/// True when `got` agrees with `want` on every token `want` gives.
fn agrees(want: &str, got: &str) -> bool {
    let g: Vec<&str> = got.split(' ').collect();
    let w: Vec<&str> = want.split_whitespace().collect();
    w.len() <= g.len() && w.iter().zip(&g).all(|(a, b)| a == b)
}

#[rustfmt::skip]
const CASES: &[(&str, char, &str, &str)] = &[
    // ---- hte_total: verbs, word orders, abbreviations ----
    (C, S, "截至2023年底，全市有效高新技术企业达到1486家。", "hte_total 1486 actual 2023"),
    (C, S, "全区高新技术企业总量突破2000家，创历史新高。", "hte_total 2000 actual"),
    (C, S, "国家高新技术企业存量达到418家。", "hte_total 418 actual"),
    (C, S, "全县高企数量增至96家，较上年增加21家。", "hte_total 96 actual; hte_net_increase 21 actual"),
    (C, S, "有效期内国家高新技术企业总数达到735家，同比增长18.4%。", "hte_total 735 actual"),
    (C, S, "全市国家级高新技术企业累计达到3102家。", "hte_total 3102 actual"),
    (C, S, "预计年底全区高新技术企业总数将突破600家。", "hte_total 600 estimate"),
    (C, S, "全年高企总数有望达到250家。", "hte_total 250 estimate"),
    (C, S, "估计年末有效高新技术企业达到1,120家。", "hte_total 1120 estimate"),
    (C, P, "高新技术企业总数达到300家以上。", "hte_total 300 target 2024"),
    (C, S, "到2025年，全市高新技术企业总数达到5000家。", "hte_total 5000 target 2025"),
    (C, S, "全市共有高新技术企业1,256家。", "hte_total 1256 actual"),
    (C, S, "全市高新技术企业达到2186家，居全省第4位。", "hte_total 2186 actual"),
    (C, S, "全区拥有国家高新技术企业146家。", "hte_total 146 actual"),
    (C, S, "我县高新技术企业数量达到58家。", "hte_total 58 actual"),
    (C, S, "全市高新技术企业数达1.2万家。", "hte_total 12000 actual"),
    (C, S, "全区现有512家国家高新技术企业。", "hte_total 512 actual"),
    (C, S, "目前全市共有318家有效期内高新技术企业。", "hte_total 318 actual"),
    (C, S, "有效高企总数达872家，净增136家。", "hte_total 872 actual; hte_net_increase 136 actual"),
    (C, S, "全市高企总数跃升至1403家，总量居全省第二。", "hte_total 1403 actual"),
    (C, S, "高新技术企业保有量达到690家。", "hte_total 690 actual"),
    (C, S, "全县高新技术企业增加到47家。", "hte_total 47 actual"),
    (JS, S, "全市有效高新技术企业总数达到2650家。", "hte_total 2650 actual"),
    (AH, S, "全市高新技术企业总数达到415家，总量居全省第6。", "hte_total 415 actual"),
    // ---- hte_total traps ----
    (C, S, "省高新技术企业培育库入库企业累计达到120家。", ""),
    (C, S, "每万家企业法人中高新技术企业数达到41.5家。", ""),
    (C, S, "高新技术企业培育库在库企业达到260家。", ""),
    (C, S, "入库培育高新技术企业后备企业85家。", ""),
    (C, S, "高新技术企业数量居全省第3位。", ""),
    (C, S, "高新技术企业总数增长率达22%。", ""),
    (C, S, "全市营业收入超亿元的高新技术企业达到120家。", ""),
    (C, S, "全区89家高新技术企业享受所得税减免1.6亿元。", ""),
    (C, S, "开展高新技术企业认定政策培训12场，覆盖企业达到300家。", ""),
    (AH, S, "60家企业纳入省高新技术企业培育库。", ""),
    // ---- hte_new ----
    (C, S, "全年新认定高新技术企业152家。", "hte_new 152 actual"),
    (C, S, "新增国家高新技术企业97家，增长31.1%。", "hte_new 97 actual"),
    (C, S, "当年有68家企业通过高新技术企业认定。", "hte_new 68 actual"),
    (C, S, "全市新通过认定高新技术企业216家。", "hte_new 216 actual"),
    (C, S, "高新技术企业新增认定43家。", "hte_new 43 actual"),
    (C, S, "首次认定高新技术企业54家。", "hte_new 54 actual"),
    (C, S, "53家企业首次通过高新技术企业认定。", "hte_new 53 actual"),
    (C, S, "预计全年新增高新技术企业120家。", "hte_new 120 estimate"),
    (C, S, "全年有望新增高企30家。", "hte_new 30 estimate"),
    (C, P, "新增高新技术企业40家以上。", "hte_new 40 target 2024"),
    (C, S, "2024年力争新认定高企80家。", "hte_new 80 target 2024"),
    (C, S, "22家企业被认定为国家高新技术企业。", "hte_new 22 actual"),
    (C, S, "2023年全县新增高新技术企业33家。", "hte_new 33 actual 2023"),
    (C, S, "新入选国家高新技术企业19家。", "hte_new 19 actual"),
    (C, S, "全年共有74家企业获评国家高新技术企业。", "hte_new 74 actual"),
    (C, S, "高企新增数达到61家，创历史新高。", "hte_new 61 actual"),
    (JS, S, "新认定高新技术企业208家，高企总数达到1530家。", "hte_new 208 actual; hte_total 1530 actual"),
    // ---- hte_new traps ----
    (C, S, "重新认定高新技术企业45家。", ""),
    (C, S, "通过高新技术企业重新认定的企业31家。", ""),
    (C, S, "新增高新技术企业培育库企业90家。", ""),
    (C, S, "新增高新技术企业入库培育企业50家。", ""),
    (C, S, "新增高新技术企业数全省排名第3。", ""),
    (C, S, "对新认定高新技术企业兑现奖补资金860万元。", ""),
    (C, S, "新增高企数同比增长25%。", ""),
    (C, S, "为新认定的高新技术企业办理所得税减免15家次。", ""),
    // ---- hte_net_increase ----
    (C, S, "全年净增高新技术企业86家。", "hte_net_increase 86 actual"),
    (C, S, "高企净增数达到57家。", "hte_net_increase 57 actual"),
    (C, S, "高新技术企业总数达到530家，比上年净增74家。", "hte_total 530 actual; hte_net_increase 74 actual"),
    (C, S, "力争净增高企20家以上。", "hte_net_increase 20 target"),
    (C, S, "高新技术企业净增加43家。", "hte_net_increase 43 actual"),
    (C, S, "净增国家高新技术企业数量居全省第一。", ""),
    (C, S, "净增高企数同比增长12%。", ""),
    // ---- hte_applied ----
    (C, S, "全年组织申报高新技术企业236家。", "hte_applied 236 actual"),
    (C, S, "申报国家高新技术企业认定企业165家。", "hte_applied 165 actual"),
    (C, S, "高新技术企业申报数量达到210家。", "hte_applied 210 actual"),
    (C, S, "共有178家企业申报高新技术企业。", "hte_applied 178 actual"),
    (C, S, "推荐95家企业申报国家高新技术企业认定。", "hte_applied 95 actual"),
    (C, S, "高企申报126家，同比增长40%。", "hte_applied 126 actual"),
    (C, S, "组织140家企业申报高新技术企业，通过认定97家。", "hte_applied 140 actual; hte_new 97 actual"),
    (C, S, "申报高新技术企业培训会8场。", ""),
    (C, S, "申报高新技术企业重新认定33家。", ""),
    (C, S, "高新技术企业申报通过率达75%。", ""),
    // ---- tsme_registered ----
    (C, S, "科技型中小企业评价入库1836家。", "tsme_registered 1836 actual"),
    (C, S, "全年入库科技型中小企业2210家。", "tsme_registered 2210 actual"),
    (C, S, "科小企业入库数达到680家。", "tsme_registered 680 actual"),
    (C, S, "国家科技型中小企业入库数量达到1,024家。", "tsme_registered 1024 actual"),
    (C, S, "通过国家科技型中小企业评价的企业达3105家。", "tsme_registered 3105 actual"),
    (C, S, "892家企业通过科技型中小企业评价。", "tsme_registered 892 actual"),
    (C, S, "科技型中小企业备案登记1290家。", "tsme_registered 1290 actual"),
    (C, S, "全区共有1450家企业入库国家科技型中小企业。", "tsme_registered 1450 actual"),
    (C, S, "科技型中小企业评价入库数突破3000家。", "tsme_registered 3000 actual"),
    (C, P, "科技型中小企业评价入库达到800家以上。", "tsme_registered 800 target 2024"),
    (C, S, "科技型中小企业入库1,105家，完成年度目标的138%。", "tsme_registered 1105 actual"),
    (C, S, "预计全年科技型中小企业评价入库950家。", "tsme_registered 950 estimate"),
    (C, S, "全市科技型中小企业达到4200家。", "tsme_registered 4200 actual"),
    (C, S, "1-10月，科技型中小企业入库2031家。", "tsme_registered 2031 actual 2023 1-10"),
    (C, S, "有1306家企业完成国家科技型中小企业评价入库。", "tsme_registered 1306 actual"),
    (C, S, "新增科技型企业320家。", ""),
    (C, S, "科技型企业入库1200家。", ""),
    (C, S, "科技型中小企业评价入库数增长率为26%。", ""),
    (C, S, "开展科技型中小企业评价培训18场次。", ""),
    (C, S, "科技型中小企业入库数全省第五。", ""),
    (C, S, "为科技型中小企业发放贷款2.3亿元。", ""),
    (C, S, "科技型中小企业风险补偿备案入库45家。", ""),
    (C, S, "科技型中小企业研发费用加计扣除减免税额1.2亿元。", ""),
    // ---- rd_gdp_ratio ----
    (C, S, "全社会研发投入强度达到2.86%。", "rd_gdp_ratio 2.86 actual"),
    (C, S, "R&D经费投入强度达2.35%。", "rd_gdp_ratio 2.35 actual"),
    (C, S, "研发经费投入强度预计达到3.1%。", "rd_gdp_ratio 3.1 estimate"),
    (C, S, "全社会R&D经费支出占GDP比重为2.47%。", "rd_gdp_ratio 2.47 actual"),
    (C, S, "全社会研发经费支出占地区生产总值的比重达到2.9%。", "rd_gdp_ratio 2.9 actual"),
    (C, S, "研究与试验发展经费投入强度为1.98%。", "rd_gdp_ratio 1.98 actual"),
    (C, S, "R&D投入占GDP比重提高到2.65%。", "rd_gdp_ratio 2.65 actual"),
    (C, S, "全市R&D经费占GDP比重达到2.78%。", "rd_gdp_ratio 2.78 actual"),
    (C, S, "全区研发投入强度达3.2%，居全市第一。", "rd_gdp_ratio 3.2 actual"),
    (C, P, "全社会研发投入强度达到3%以上。", "rd_gdp_ratio 3 target 2024"),
    (C, S, "到2025年，R&D经费投入强度达到2.8%。", "rd_gdp_ratio 2.8 target 2025"),
    (C, S, "全社会研发经费投入占生产总值比重达到2.41%，比上年提高0.2个百分点。", "rd_gdp_ratio 2.41 actual"),
    (C, S, "研发经费投入强度(R&D/GDP)达2.2%。", "rd_gdp_ratio 2.2 actual"),
    (C, S, "全社会研发投入占GDP比重预计达2.55%。", "rd_gdp_ratio 2.55 estimate"),
    (C, S, "技术合同成交额占GDP比重达到2.3%。", ""),
    (C, S, "技术合同成交额与地区生产总值之比达1.6%。", ""),
    (C, S, "重点企业研发投入强度达到4.1%。", ""),
    (C, S, "全社会研发投入增长率达15.2%。", ""),
    (C, S, "全社会研发投入增幅达21%。", ""),
    (C, S, "研发投入占GDP比重全省排名第3。", ""),
    (C, S, "全社会研发投入达到68.5亿元。", ""),
    // ---- enterprise_rd_intensity ----
    (C, S, "规上工业企业研发投入强度达到2.12%。", "enterprise_rd_intensity 2.12 actual"),
    (C, S, "规模以上工业企业研发经费投入强度为1.76%。", "enterprise_rd_intensity 1.76 actual"),
    (C, S, "规上工业企业R&D经费支出占营业收入比重达1.9%。", "enterprise_rd_intensity 1.9 actual"),
    (C, S, "规上工业企业研发经费支出与营业收入之比达到1.65%。", "enterprise_rd_intensity 1.65 actual"),
    (C, S, "预计规上企业研发投入强度达2%。", "enterprise_rd_intensity 2 estimate"),
    (C, S, "规上工业企业研发投入强度提升0.3个百分点。", ""),
    (C, S, "规上工业企业研发投入同比增长24%。", ""),
    // ---- enterprise_rd_spend ----
    (C, S, "规上工业企业研发投入达到38.6亿元。", "enterprise_rd_spend 38.6 actual"),
    (C, S, "规模以上工业企业研发经费支出56.2亿元。", "enterprise_rd_spend 56.2 actual"),
    (C, S, "1-11月，规上企业填报研发费用21.4亿元。", "enterprise_rd_spend 21.4 actual 2023 1-11"),
    (C, S, "规上工业企业R&D经费支出达到9.8亿元。", "enterprise_rd_spend 9.8 actual"),
    (C, S, "规上工业企业研发投入8500万元。", "enterprise_rd_spend 0.85 actual"),
    (C, S, "全市企业研发费用加计扣除额达到12亿元。", ""),
    (C, S, "兑现企业研发投入奖补资金3000万元。", ""),
    (C, S, "全市工业企业研发投入增长18%。", ""),
    (C, S, "高新技术企业研发投入达到40亿元。", ""),
    // ---- hti_output ----
    (C, S, "高新技术产业产值达到1,286亿元。", "hti_output 1286 actual"),
    (C, S, "全年实现高新技术产业产值865.3亿元。", "hti_output 865.3 actual"),
    (C, S, "1-10月，高新技术产业完成产值312.6亿元。", "hti_output 312.6 actual 2023 1-10"),
    (C, S, "前三季度，全区高新技术产业产值突破500亿元。", "hti_output 500 actual 2023 1-9"),
    (C, S, "规上高新技术产业产值达到720亿元。", "hti_output 720 actual"),
    (C, S, "预计全年高新技术产业产值达1500亿元。", "hti_output 1500 estimate"),
    (C, S, "高新技术产业实现总产值380亿元。", "hti_output 380 actual"),
    (C, S, "截至11月底，高新技术产业产值达到268亿元。", "hti_output 268 actual 2023 1-11"),
    (C, S, "高新技术产业产值同比增长15.6%。", ""),
    (C, S, "高新技术产业增加值达到210亿元。", ""),
    (C, S, "高新技术企业实现产值1200亿元。", ""),
    // ---- hti_output_share ----
    (C, S, "高新技术产业产值占规上工业总产值比重达到49.3%。", "hti_output_share 49.3 actual"),
    (C, S, "高新技术产业产值占比达到52.1%。", "hti_output_share 52.1 actual"),
    (C, S, "高新技术产业产值占规模以上工业产值的比重为47%。", "hti_output_share 47 actual"),
    (C, S, "高新技术产业产值占规上工业比重达到45.6%。", "hti_output_share 45.6 actual"),
    (C, S, "高新技术产业占规上工业总产值比重达到40.2%。", "hti_output_share 40.2 actual"),
    (C, S, "高新技术产业增加值占规上工业增加值比重达到43%。", ""),
    (C, S, "高新技术产业产值占比提高2.3个百分点。", ""),
    // ---- tech_contract_value ----
    (C, S, "技术合同成交额达到86.4亿元。", "tech_contract_value 86.4 actual"),
    (C, S, "全年登记技术合同2,180项，成交额52.7亿元。", "tech_contract_value 52.7 actual"),
    (C, S, "技术合同成交额突破100亿元。", "tech_contract_value 100 actual"),
    (C, S, "技术合同登记成交额达到23.5亿元。", "tech_contract_value 23.5 actual"),
    (C, S, "实现技术交易额18.2亿元。", "tech_contract_value 18.2 actual"),
    (C, S, "技术合同成交额9800万元。", "tech_contract_value 0.98 actual"),
    (C, S, "预计全年技术合同成交额达到60亿元。", "tech_contract_value 60 estimate"),
    (C, P, "技术合同成交额达到80亿元以上。", "tech_contract_value 80 target 2024"),
    (C, S, "技术合同成交1,050项，成交金额达33.8亿元。", "tech_contract_value 33.8 actual"),
    (C, S, "认定登记技术合同成交额45.2亿元。", "tech_contract_value 45.2 actual"),
    (C, S, "截至11月底，全市技术合同成交额达到41.2亿元。", "tech_contract_value 41.2 actual 2023 1-11"),
    (C, S, "技术合同成交金额同比增长36%。", ""),
    (C, S, "兑现技术合同交易奖补资金500万元。", ""),
    (C, S, "技术合同成交额居全省第2位。", ""),
    // ---- eng_center_prov_new / eng_center_city_new ----
    (C, S, "新增省级工程技术研究中心12家。", "eng_center_prov_new 12 actual"),
    (C, S, "新获批省工程技术研究中心5个。", "eng_center_prov_new 5 actual"),
    (C, S, "新建省级工程技术研究中心3家。", "eng_center_prov_new 3 actual"),
    (C, S, "获批建设省级工程技术研究中心6家。", "eng_center_prov_new 6 actual"),
    (C, S, "新增省、市级工程技术研究中心分别为7家、35家。", "eng_center_prov_new 7 actual; eng_center_city_new 35 actual"),
    (C, S, "新增省级工程技术研究中心7家、市级工程技术研究中心28家。", "eng_center_prov_new 7 actual; eng_center_city_new 28 actual"),
    (C, S, "新增市级工程技术研究中心23家。", "eng_center_city_new 23 actual"),
    (C, S, "新认定市级工程技术研究中心41个。", "eng_center_city_new 41 actual"),
    (C, P, "新增省级工程技术研究中心5家以上。", "eng_center_prov_new 5 target 2024"),
    (C, S, "8家企业获批省级工程技术研究中心。", "eng_center_prov_new 8 actual"),
    (C, S, "省级工程技术研究中心绩效评价优秀6家。", ""),
    (C, S, "累计建成省级工程技术研究中心86家。", ""),
    (C, S, "新增省级企业技术中心4家。", ""),
    (C, S, "新增省级重点实验室2家、省级众创空间3家。", ""),
    // ---- sci_vp_new ----
    (C, S, "获批省科技副总36人。", "sci_vp_new 36 actual"),
    (C, S, "新增省“科技副总”15名。", "sci_vp_new 15 actual"),
    (C, S, "选聘科技副总22名。", "sci_vp_new 22 actual"),
    (C, S, "入选省科技副总42人。", "sci_vp_new 42 actual"),
    (C, S, "27名高校专家入选省科技副总。", "sci_vp_new 27 actual"),
    (C, P, "选聘科技副总30名以上。", "sci_vp_new 30 target 2024"),
    (C, S, "举办科技副总座谈会，参会企业40家。", ""),
    (C, S, "累计选派科技副总310人。", ""),
    (JS, S, "获批省“科技副总”项目58人，同比增长16%。", "sci_vp_new 58 actual"),
    // ---- gazelle_new ----
    (C, S, "新增瞪羚企业18家。", "gazelle_new 18 actual"),
    (C, S, "新认定省级瞪羚企业12家。", "gazelle_new 12 actual"),
    (C, S, "14家企业入选省瞪羚企业。", "gazelle_new 14 actual"),
    (C, S, "获评“瞪羚企业”9家。", "gazelle_new 9 actual"),
    (C, S, "瞪羚企业新增11家。", "gazelle_new 11 actual"),
    (C, S, "新增独角兽企业2家、瞪羚企业25家。", "gazelle_new 25 actual"),
    (C, S, "瞪羚企业培育库入库企业60家。", ""),
    (C, S, "瞪羚企业营业收入达120亿元。", ""),
    (C, S, "全市瞪羚企业总数达到82家。", ""),
    (C, S, "累计培育瞪羚企业65家。", ""),
    (JS, S, "新增三类企业入库140家(雏鹰88家、瞪羚49家、准独角兽3家)。", "gazelle_new 49 actual"),
    // ---- tech_loans ----
    (C, S, "全年发放科技贷款15.6亿元。", "tech_loans 15.6 actual"),
    (C, S, "科技信贷投放8.7亿元。", "tech_loans 8.7 actual"),
    (C, S, "发放“科技贷”5200万元。", "tech_loans 0.52 actual"),
    (C, S, "科技金融贷款投放2.3亿元。", "tech_loans 2.3 actual"),
    (C, S, "力争全年科技贷款发放额达到20亿元。", "tech_loans 20 target"),
    (C, S, "科技型企业贷款余额达到120亿元。", ""),
    (C, S, "科技贷款风险补偿资金池规模达5000万元。", ""),
    (C, S, "兑现科技贷款贴息资金800万元。", ""),
    (JS, S, "为42家企业发放“苏科贷”1.35亿元。", "tech_loans 1.35 actual"),
    (AH, S, "全年发放小微企业“科技贷”9600万元。", "tech_loans 0.96 actual"),
    // ---- lists: 分别 and a 新增 that carries over 、 ----
    (C, S, "新增国家高新技术企业86家、科技型中小企业1120家。", "hte_new 86 actual; tsme_registered 1120 actual"),
    (C, S, "高新技术企业、科技型中小企业分别达到520家、1380家。", "hte_total 520 actual; tsme_registered 1380 actual"),
    (C, S, "新增高新技术企业、科技型中小企业分别为64家、905家。", "hte_new 64 actual; tsme_registered 905 actual"),
    (C, S, "全市高新技术企业和科技型中小企业分别达到2100家和5300家。", "hte_total 2100 actual; tsme_registered 5300 actual"),
    (C, S, "专精特新企业、高新技术企业分别达到40家、520家。", "hte_total 520 actual"),
    (C, S, "专精特新企业、科技型中小企业分别达到52家、1380家。", "tsme_registered 1380 actual"),
    (C, S, "获批省级工程技术研究中心2个、市级工程技术研究中心14个。", "eng_center_prov_new 2 actual; eng_center_city_new 14 actual"),
    (C, S, "全市高新技术企业总数达到1023家，新增142家，净增97家。", "hte_total 1023 actual; hte_new 142 actual; hte_net_increase 97 actual"),
    (C, S, "新增国家级高新技术企业38家，总数达到263家，增长16.9%。", "hte_new 38 actual; hte_total 263 actual"),
    (C, P, "全年新增高新技术企业50家，高新技术企业总数达到550家。", "hte_new 50 target 2024; hte_total 550 target 2024"),
    (C, S, "2023年预计新增高新技术企业41家，累计达到506家。", "hte_new 41 estimate 2023; hte_total 506 estimate 2023"),
    (C, S, "规上工业企业研发费用支出47.3亿元，增长19%。", "enterprise_rd_spend 47.3 actual"),
    (C, S, "技术合同登记额达到25.6亿元。", "tech_contract_value 25.6 actual"),
    (C, S, "力争技术合同成交额增长10%以上。", ""),
    (C, S, "科技特派员服务企业320家。", ""),
    (C, S, "科技型中小企业贷款发放12亿元。", ""),
    (C, S, "我县新申报高新技术企业9家，其中通过认定5家。", "hte_applied 9 actual; hte_new 5 actual"),
    (C, S, "截至9月底，全市新增科技型中小企业入库650家。", "tsme_registered 650 actual 2023 1-9"),
    (C, S, "全市R&D经费投入占地区生产总值比重预计为1.2%。", "rd_gdp_ratio 1.2 estimate"),
    (C, S, "高新技术产业产值占工业总产值的比重达到38.7%。", "hti_output_share 38.7 actual"),
    (C, S, "新增省级工程技术研究中心认定申报21家。", ""),
    (C, S, "科技副总工作站新建12个。", ""),
    (C, S, "推动56家企业进入高新技术企业培育库。", ""),
    (C, S, "对2022年度新认定的78家高新技术企业给予奖励。", ""),
    (C, S, "全区规上工业企业中有研发活动的企业占比达到45%。", ""),
    (C, S, "举办高新技术企业申报培训班6期，培训企业320家。", ""),
    // ---- counts of other things ----
    (C, S, "新增专精特新企业40家。", ""),
    (C, S, "新增省级众创空间5家，省级科技企业孵化器2家。", ""),
    (C, S, "新增规上工业企业56家。", ""),
    (C, S, "全年授权发明专利1,380件。", ""),
    (C, S, "新引进高层次人才团队12个。", ""),
    // Wordings found while building the holdout reports (tests/holdout).
    (C, S, "全县高新技术企业数量由2022年的58家增加到71家。", "hte_total 58 actual 2022; hte_total 71 actual 2023"),
    (C, S, "国家高新技术企业达到305家，比上年净增40家，其中首次认定52家。", "hte_total 305 actual; hte_net_increase 40 actual; hte_new 52 actual"),
    (C, S, "全市R&D经费支出预计达到96亿元，占地区生产总值比重约2.7%。", "rd_gdp_ratio 2.7 estimate"),
    (C, S, "规模以上工业企业研发经费支出41.2亿元，增长9.6%，研发经费占营业收入比重为1.64%。", "enterprise_rd_spend 41.2 actual; enterprise_rd_intensity 1.64 actual"),
    (C, S, "全年登记技术合同812项，技术合同成交总额21.7亿元。", "tech_contract_value 21.7 actual"),
    (C, S, "省级工程技术研究中心新增6家，累计达到48家。", "eng_center_prov_new 6 actual"),
    (C, S, "对新获批的省级工程技术研究中心给予一次性奖励30万元。", ""),
    (C, S, "选派18名高校教授到企业挂职担任“科技副总”。", "sci_vp_new 18 actual"),
    (C, S, "通过“科创贷”为54家企业发放贷款1.86亿元。", "tech_loans 1.86 actual"),
    (C, S, "“科技贷”累计放款超过3亿元。", ""),
];

#[test]
fn shipped_rules_on_many_styles() {
    let mut failures = Vec::new();
    for (set, kind, sentence, expected) in CASES {
        let got = facts(set, *kind, sentence);
        let want: Vec<&str> = expected
            .split(';')
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .collect();
        let ok = want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| agrees(w, g));
        if !ok {
            failures.push(format!(
                "[{set} {kind}] {sentence}\n    want: {want:?}\n    got:  {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn the_suite_is_large_and_has_traps() {
    let traps = CASES.iter().filter(|c| c.3.is_empty()).count();
    assert!(CASES.len() >= 150, "{} cases", CASES.len());
    assert!(traps >= 40, "{traps} traps");
}
