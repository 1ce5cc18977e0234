//! Scoped vetoes: `unless before`, `unless after` and `unless item` look
//! at a part of what a plain `unless` looks at (the clauses the match
//! touches), so an author can say where a word spoils a figure.

mod common;

use zhibiao::check::check;
use zhibiao::compile::compile;
use zhibiao::diag::Sources;
use zhibiao::engine;
use zhibiao::text::{SourceFormat, read_report};

/// The values a rule file with the clause `veto` gives on `text`.
fn values(veto: &str, text: &str) -> Vec<String> {
    let rules = format!(
        "indicator hte_new \"新增高新技术企业\" unit 家\n\
         rule 新增 -> hte_new {{\n\
             match \"新增\" …{{0,30 list}} \"高新技术企业\" …{{0,4}} N:家\n\
             {veto}\n\
             example \"新增高新技术企业12家\" => 12\n\
         }}\n"
    );
    let mut sources = Sources::new();
    let id = sources.add("veto.zb", rules.as_str());
    let checked = check(&sources, &[id]);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let (program, _) = compile(&checked.sets[0]);
    let doc = read_report("case.txt", text.as_bytes(), Some(SourceFormat::Text)).expect("reads");
    engine::run(&program, &doc)
        .iter()
        .map(|f| f.value.normalize().to_string())
        .collect()
}

#[test]
fn before_looks_only_before_the_figure() {
    // 培育 before the figure vetoes; after it (in the same clause) not.
    let text = "新增高新技术企业培育对象12家。\n";
    assert!(values("unless before \"培育\"", text).is_empty());
    let text = "新增高新技术企业12家（含培育转化）。\n";
    assert_eq!(values("unless before \"培育\"", text), ["12"]);
    // The plain veto sees both.
    assert!(values("unless \"培育\"", text).is_empty());
}

#[test]
fn after_looks_only_after_the_figure() {
    let text = "新增高新技术企业12家后备企业。\n";
    assert!(values("unless after \"后备\"", text).is_empty());
    let text = "新增高新技术企业后备12家。\n";
    assert_eq!(values("unless after \"后备\"", text), ["12"]);
    assert!(values("unless \"后备\"", text).is_empty());
}

#[test]
fn item_looks_only_at_the_figures_own_list_item() {
    // The match reaches from 新增 over a list item (`…{0,30 list}`): a
    // plain veto looks at the head's clause and the figure's, `item` only
    // at the figure's.
    let text = "新增省级研发机构16家，高新技术企业23家。\n";
    assert!(values("unless \"省级\"", text).is_empty());
    assert_eq!(values("unless item \"省级\"", text), ["23"]);
    let text = "新增研发机构16家，省级高新技术企业23家。\n";
    assert!(values("unless item \"省级\"", text).is_empty());
}

/// The values of a rule whose subject carries, with the clause `veto`.
fn carried_values(veto: &str, text: &str) -> Vec<String> {
    let rules = format!(
        "indicator tsme_registered \"科技型中小企业评价入库\" unit 家\n\
         subject 科小 = \"科技型中小企业\"\n\
         rule 科小累计 -> tsme_registered {{\n\
             match 科小 …{{0,6}} (\"累计达到\" | \"达到\") N:家\n\
             {veto}\n\
             example \"科技型中小企业累计达到3420家\" => 3420\n\
         }}\n"
    );
    let mut sources = Sources::new();
    let id = sources.add("carried.zb", rules.as_str());
    let checked = check(&sources, &[id]);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let (program, _) = compile(&checked.sets[0]);
    let doc = read_report("case.txt", text.as_bytes(), Some(SourceFormat::Text)).expect("reads");
    engine::run(&program, &doc)
        .iter()
        .map(|f| f.value.normalize().to_string())
        .collect()
}

#[test]
fn subject_looks_at_the_whole_clause_a_carried_subject_was_named_in() {
    // 科技型中小企业 is carried to the second clause. A plain veto sees
    // only words that run into the name (新增 is the first clause's own
    // predicate); `unless subject` sees that whole clause.
    let text = "新增科技型中小企业652家，累计达到3420家。\n";
    assert_eq!(carried_values("unless \"新增\"", text), ["3420"]);
    assert!(carried_values("unless subject \"新增\"", text).is_empty());
    // Where nothing is carried it is a plain veto.
    let text = "科技型中小企业累计达到3420家。\n";
    assert_eq!(carried_values("unless subject \"新增\"", text), ["3420"]);
    assert!(carried_values("unless subject \"累计\"", text).is_empty());
}
