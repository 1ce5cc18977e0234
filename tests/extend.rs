//! Finer overrides and the lints an author could not get before (issue 21):
//! `extend rule` adds vetoes, examples and a priority to a common rule
//! without copying it; an override or extension runs the replaced rule's
//! examples and says which now differ; unused subjects and indicators,
//! another province's place names and rules that always lose are reported.

mod common;

use zhibiao::check::builtin_sources;
use zhibiao::diag::{Code, Diagnostic, Sources};
use zhibiao::explain::examples::run_examples;

/// A small common file the cases below import.
const COMMON: &str = r#"
indicator hte_total "高新技术企业总数" unit 家
indicator tsme_registered "科技型中小企业入库数" unit 家
let 高企 = "高新技术企业" | "高企"
subject 科小 = "科技型中小企业"
rule 高企总数 -> hte_total {
    match 高企 …{0,6} ("达到" | "达") N:家
    unless "培育"
    example "全市有效高企达到712家" => 712
    example "高企培育库企业达到43家" => none
}
rule 科小入库 -> tsme_registered {
    match 科小 …{0,6} "入库" N:家
    example "科技型中小企业评价入库310家" => 310
    example "科技型中小企业培训310家" => none
}
"#;

/// Sources holding `common.zb` ([`COMMON`]) and `prov.zb` (`province`).
fn sources(province: &str) -> (Sources, zhibiao::diag::FileId) {
    let mut s = Sources::new();
    s.add("t/common.zb", COMMON);
    let id = s.add("t/prov.zb", province);
    (s, id)
}

fn codes(ds: &[Diagnostic]) -> Vec<&'static str> {
    ds.iter().map(|d| d.code.as_str()).collect()
}

/// Lints `province` (with the common file) as `zhibiao lint` does.
fn lint(province: &str) -> Vec<Diagnostic> {
    let (s, id) = sources(province);
    zhibiao::workspace::lint_sources(&s, &[id], false).diagnostics
}

#[test]
fn an_extension_adds_a_veto_and_examples_without_copying_the_rule() {
    let (s, id) = sources(
        "province 江苏 { regions \"无锡\" }\nimport \"common.zb\"\n\
         extend rule 高企总数 -> hte_total {\n    unless \"入库\"\n    priority 3\n    \
         example \"全市高企入库企业达到120家\" => none\n    example \"全市高企达到980家\" => 980\n}\n",
    );
    let (sets, programs) = common::checked_sets(&s, &[id]);
    let rule = sets[0]
        .rules
        .iter()
        .find(|r| r.name == "高企总数")
        .expect("the extended rule");
    // The pattern and name stay the common rule's; the veto is added.
    assert_eq!(rule.qualified_name, "common/高企总数");
    assert_eq!(rule.vetoes.len(), 2, "{:?}", rule.vetoes);
    assert!(rule.vetoes[1].words.contains(&"入库".to_string()));
    assert_eq!(rule.priority, 3);
    assert_eq!(rule.added_examples.len(), 2);
    // Its examples run with the province's set, and pass; so do the
    // common rule's own, against the extended rule (nothing differs).
    let results = run_examples(&sets, &programs);
    let added: Vec<_> = results.iter().filter(|r| r.file == id).collect();
    assert_eq!(added.len(), 2, "{results:#?}");
    assert!(added.iter().all(|r| r.passed), "{added:#?}");
    assert!(
        results.iter().all(|r| r.inherited_by.is_none()),
        "{results:#?}"
    );
    // The veto works in the province's set only.
    let doc = zhibiao::text::read_report(
        "r.txt",
        "某市科技局2023年工作总结\n全市高企入库企业达到120家。\n".as_bytes(),
        Some(zhibiao::text::SourceFormat::Text),
    )
    .expect("reads");
    assert!(zhibiao::engine::run(&programs[0], &doc).is_empty());
}

#[test]
fn an_extension_whose_veto_breaks_a_common_example_says_so() {
    let (s, id) = sources(
        "province 江苏 { regions \"无锡\" }\nimport \"common.zb\"\n\
         extend rule 高企总数 -> hte_total {\n    unless \"全市\"\n    \
         example \"全市高企达到98家\" => none\n}\n",
    );
    let (sets, programs) = common::checked_sets(&s, &[id]);
    let results = run_examples(&sets, &programs);
    let differs: Vec<_> = results
        .iter()
        .filter(|r| r.inherited_by.is_some())
        .collect();
    assert_eq!(differs.len(), 1, "{results:#?}");
    let d = differs[0];
    assert!(!d.passed);
    assert_eq!(d.inherited_by.map(|(f, _)| f), Some(id));
    assert!(d.message.contains("expected 712"), "{}", d.message);
}

#[test]
fn an_override_runs_the_replaced_rules_examples() {
    let (s, id) = sources(
        "province 江苏 { regions \"无锡\" }\nimport \"common.zb\"\n\
         override rule 高企总数 -> hte_total {\n    match 高企 \"总数\" \"达到\" N:家\n    \
         example \"高企总数达到712家\" => 712\n    example \"高企达到712家\" => none\n}\n",
    );
    let (sets, programs) = common::checked_sets(&s, &[id]);
    let results = run_examples(&sets, &programs);
    // 全市有效高企达到712家 no longer gives 712 under the override; the
    // none example still gives nothing, so it is not reported.
    let differs: Vec<_> = results
        .iter()
        .filter(|r| r.inherited_by.is_some())
        .collect();
    assert_eq!(differs.len(), 1, "{results:#?}");
    assert!(differs[0].message.contains("got nothing"), "{differs:#?}");
}

#[test]
fn zhibiao_test_reports_a_differing_example_as_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("common.zb"), COMMON).expect("write");
    std::fs::write(
        dir.path().join("prov.zb"),
        "province 江苏 { regions \"无锡\" }\nimport \"common.zb\"\n\
         extend rule 高企总数 -> hte_total {\n    unless \"全市\"\n    \
         example \"全市高企达到98家\" => none\n}\n",
    )
    .expect("write");
    let (code, out, err) = common::zhibiao_in(dir.path(), &["test", "prov.zb"], &[]);
    assert_eq!(
        code, 0,
        "a differing example does not fail the run\n{out}\n{err}"
    );
    assert!(
        out.contains("1 passed, 0 failed, 1 of the replaced rules' examples differ"),
        "{out}\n{err}"
    );
    assert!(err.contains("ZB0614"), "{err}");
    assert!(err.contains("changed here"), "{err}");
}

#[test]
fn an_extension_of_nothing_or_of_the_pattern_is_an_error() {
    let ds =
        lint("import \"common.zb\"\nextend rule 高企总量 -> hte_total {\n    unless \"入库\"\n}\n");
    assert!(codes(&ds).contains(&"ZB0214"), "{ds:#?}");
    assert!(
        ds.iter()
            .any(|d| d.help.as_deref() == Some("did you mean 高企总数?")),
        "{ds:#?}"
    );
    let ds = lint(
        "import \"common.zb\"\nextend rule 高企总数 -> tsme_registered {\n    unless \"入库\"\n}\n",
    );
    assert!(codes(&ds).contains(&"ZB0214"), "{ds:#?}");
    let ds = lint(
        "import \"common.zb\"\nextend rule 高企总数 -> hte_total {\n    match 高企 \"达\" N:家\n    emit N\n}\n",
    );
    assert_eq!(
        codes(&ds).iter().filter(|c| **c == "ZB0215").count(),
        2,
        "{ds:#?}"
    );
}

#[test]
fn an_unused_indicator_and_a_redefined_unused_subject_are_reported() {
    let ds = lint(
        "province 江苏 { regions \"无锡\" }\nimport \"common.zb\"\nindicator rd_new \"新增研发机构\" unit 家\n\
         subject 科小 = \"科小企业\"\n\
         rule 高企新增 -> hte_total {\n    match \"新增\" 高企 N:家\n    \
         example \"新增高企12家\" => 12\n    example \"新增企业12家\" => none\n}\n",
    );
    let c = codes(&ds);
    assert!(c.contains(&Code::UnusedIndicator.as_str()), "{ds:#?}");
    assert!(
        ds.iter()
            .any(|d| d.code == Code::UnusedPattern
                && d.message.starts_with("subject 科小 is not used")),
        "{ds:#?}"
    );
    // The shared file's catalog is not reported.
    assert!(
        !ds.iter()
            .any(|d| d.code == Code::UnusedIndicator && d.message.contains("hte_total")),
        "{ds:#?}"
    );
}

#[test]
fn a_place_of_another_province_is_reported() {
    let ds = lint(
        "province 江苏 { regions \"无锡\" \"温州\" }\nimport \"common.zb\"\n\
         rule 昆山高企 -> hte_total {\n    match (\"昆山\" | \"嘉兴\") 高企 \"达到\" N:家\n    \
         example \"昆山高企达到12家\" => 12\n    example \"昆山企业达到12家\" => none\n}\n",
    );
    let foreign: Vec<&Diagnostic> = ds
        .iter()
        .filter(|d| d.code == Code::ForeignRegion)
        .collect();
    let said: Vec<&str> = foreign.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(foreign.len(), 2, "{ds:#?}");
    assert!(
        said.iter()
            .any(|m| m.starts_with("温州 is a place of 浙江")),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|m| m.starts_with("嘉兴 is a place of 浙江")),
        "{said:?}"
    );
}

#[test]
fn a_rule_that_always_loses_is_reported() {
    // Both rules read the same number; the second passes its example on
    // its own, but the first always outranks it.
    let ds = lint(
        "import \"common.zb\"\nindicator hte_prov \"省级高企\" unit 家\n\
         rule 高企总数2 -> hte_prov {\n    match 高企 \"达到\" N:家\n    priority -1\n    \
         example \"全市有效高企达到712家\" => 712\n    example \"高企培训712家\" => none\n}\n",
    );
    let loses: Vec<&Diagnostic> = ds.iter().filter(|d| d.code == Code::AlwaysLoses).collect();
    assert_eq!(loses.len(), 1, "{ds:#?}");
    assert!(
        loses[0].message.contains("高企总数2") && loses[0].message.contains("common/高企总数"),
        "{}",
        loses[0].message
    );
    // The shipped rules have none.
    let mut s = Sources::new();
    let files = builtin_sources(&mut s);
    let shipped = zhibiao::workspace::lint_sources(&s, &files, true).diagnostics;
    assert!(
        !shipped.iter().any(|d| d.code == Code::AlwaysLoses
            || d.code == Code::ForeignRegion
            || d.code == Code::UnusedIndicator),
        "{shipped:#?}"
    );
}

/// A set of one file `text`, compiled.
fn program_of(text: &str) -> zhibiao::compile::Program {
    let mut s = Sources::new();
    let id = s.add("t/one.zb", text);
    let (_, mut programs) = common::checked_sets(&s, &[id]);
    programs.swap_remove(0)
}

fn facts(program: &zhibiao::compile::Program, sentence: &str) -> Vec<String> {
    let report = format!("某县科技局2023年工作总结\n{sentence}\n");
    let doc = zhibiao::text::read_report(
        "r.txt",
        report.as_bytes(),
        Some(zhibiao::text::SourceFormat::Text),
    )
    .expect("reads");
    zhibiao::engine::run(program, &doc)
        .iter()
        .map(common::fact_line)
        .collect()
}

const TRAP: &str = r#"
indicator tsme_registered "科技型中小企业评价入库" unit 家
let 科小 = "科技型中小企业"
rule 科小入库 -> tsme_registered {
    match 科小 …{0,8} N:家
    max 20000
    example "科技型中小企业评价入库310家" => 310
    example "全省科技型中小企业评价入库26000家" => none
}
rule 申报科小 -> tsme_registered {
    match 科小 …{0,4} "申报" N:家
    emit none
    priority 5
    example "科技型中小企业申报16家" => 16
    example "科技型中小企业评价入库310家" => none
}
"#;

#[test]
fn a_trap_claims_its_number_and_gives_no_fact() {
    let program = program_of(TRAP);
    assert!(facts(&program, "科技型中小企业申报16家。").is_empty());
    let got = facts(&program, "科技型中小企业评价入库310家。");
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("tsme_registered 310 actual"), "{got:?}");
    // Without the trap the other rule reads the applications.
    let without = TRAP.replace("    emit none\n", "").replace(
        "example \"科技型中小企业申报16家\" => 16",
        "example \"科技型中小企业申报16家\" => 16 actual",
    );
    let program = program_of(&without);
    assert!(
        facts(&program, "科技型中小企业申报16家。")
            .iter()
            .any(|f| f.contains(" 16 ")),
    );
}

#[test]
fn a_traps_examples_name_the_number_it_claims() {
    let mut s = Sources::new();
    let id = s.add("t/one.zb", TRAP);
    let (sets, programs) = common::checked_sets(&s, &[id]);
    let results = run_examples(&sets, &programs);
    assert_eq!(results.len(), 4, "{results:#?}");
    assert!(results.iter().all(|r| r.passed), "{results:#?}");
    // A wrong claim fails, saying what it claimed.
    let wrong = TRAP.replace(
        "example \"科技型中小企业申报16家\" => 16",
        "example \"科技型中小企业申报16家\" => 61",
    );
    let mut s = Sources::new();
    let id = s.add("t/one.zb", wrong.as_str());
    let (sets, programs) = common::checked_sets(&s, &[id]);
    let results = run_examples(&sets, &programs);
    let failed: Vec<_> = results.iter().filter(|r| !r.passed).collect();
    assert_eq!(failed.len(), 1, "{results:#?}");
    assert!(
        failed[0].message.contains("got 16 家 claimed"),
        "{}",
        failed[0].message
    );
}

#[test]
fn a_value_above_max_is_no_match_and_explain_says_so() {
    let program = program_of(TRAP);
    assert!(facts(&program, "全省科技型中小企业评价入库26000家。").is_empty());
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("one.zb"), TRAP).expect("write");
    let (code, out, err) = common::zhibiao_in(
        dir.path(),
        &[
            "explain",
            "--rules",
            "one.zb",
            "--text",
            "全省科技型中小企业评价入库26000家。",
            "--number",
            "26000",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("26000 家 is outside the rule's `max 20000`"),
        "{out}"
    );
}

#[test]
fn an_extension_sets_a_bound() {
    let (s, id) = sources(
        "province 江苏 { regions \"无锡\" }\nimport \"common.zb\"\n\
         extend rule 高企总数 -> hte_total {\n    max 20000\n}\n",
    );
    let (_, mut programs) = common::checked_sets(&s, &[id]);
    let program = programs.swap_remove(0);
    assert!(facts(&program, "全省高企达到52000家。").is_empty());
    assert_eq!(facts(&program, "全市高企达到5200家。").len(), 1);
}

#[test]
fn bad_bounds_and_a_trap_in_an_extension_are_errors() {
    let ds = lint(
        "import \"common.zb\"\nrule r -> hte_total {\n    match \"高企\" N:家\n    min 50\n    max 5\n    \
         example \"高企10家\" => none\n}\nextend rule 高企总数 -> hte_total {\n    emit none\n}\n",
    );
    let c = codes(&ds);
    assert!(c.contains(&Code::BadBound.as_str()), "{ds:#?}");
    assert!(c.contains(&Code::ExtendChangesPattern.as_str()), "{ds:#?}");
}
