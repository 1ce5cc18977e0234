//! The lexicon (rules/lexicon.zb): the words that decide how sentences are
//! read live in the rule language, a province file can add to them, and
//! the engine keeps no vocabulary of its own in Rust.

mod common;

use zhibiao::check::{builtin_sources, check};
use zhibiao::compile::{Program, compile};
use zhibiao::diag::Sources;
use zhibiao::engine;
use zhibiao::text::{SourceFormat, read_report};

/// The facts of `report` under `program`, one line each.
fn facts(program: &Program, report: &str) -> Vec<String> {
    let doc = read_report("case.txt", report.as_bytes(), Some(SourceFormat::Text)).expect("reads");
    engine::run(program, &doc)
        .iter()
        .map(common::fact_line)
        .collect()
}

/// The rule set of a province file `text` that imports the shipped
/// common.zb, compiled.
fn province_program(text: &str) -> Program {
    let mut sources = Sources::new();
    builtin_sources(&mut sources);
    let id = sources.add("rules/testprov.zb", text);
    let checked = check(&sources, &[id]);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let set = checked
        .sets
        .iter()
        .find(|s| s.root == id)
        .expect("the province's set");
    let (program, diags) = compile(set);
    assert!(diags.is_empty(), "{diags:?}");
    program
}

#[test]
fn every_status_cue_is_a_predicate_word_so_yugu_carries() {
    let got = facts(
        &common::common_program(),
        "某县科技局2023年工作总结\n技术合同成交额10月底达到62.3亿元，全年预估突破75亿元。\n",
    );
    assert!(
        got.iter()
            .any(|f| f.starts_with("tech_contract_value 75 estimate")),
        "{got:?}"
    );
}

#[test]
fn every_own_region_name_carries_so_quanqi_does() {
    let got = facts(
        &common::common_program(),
        "某旗科技局2023年工作总结\n技术合同成交额上半年达到6.3亿元，全旗全年有望突破7.5亿元。\n",
    );
    assert!(
        got.iter()
            .any(|f| f.starts_with("tech_contract_value 7.5 estimate")),
        "{got:?}"
    );
}

#[test]
fn a_province_adds_a_status_cue_and_a_region_name() {
    let report =
        "某盟科技局2023年工作总结\n技术合同成交额上半年达到6.3亿元，本旗全年可望突破7.5亿元。\n";
    // The shipped words know neither 本旗 nor 可望 (the clause has words
    // of its own) …
    let common = facts(&common::common_program(), report);
    assert!(!common.iter().any(|f| f.contains(" 7.5 ")), "{common:?}");
    // … a province file adds it, and removes a shipped one.
    let province = province_program(
        "province 测试 { regions \"测试盟\" }\nimport \"common.zb\"\n\
         words estimate += \"可望\"\nwords own_region += \"本旗\"\nwords estimate -= \"预期\"\n",
    );
    let got = facts(&province, report);
    assert!(
        got.iter()
            .any(|f| f.starts_with("tech_contract_value 7.5 estimate")),
        "{got:?}"
    );
    let lex = &province.lexicon;
    use zhibiao::lexicon::Role;
    assert!(lex.words(Role::Estimate).any(|w| w == "可望"));
    assert!(!lex.words(Role::Estimate).any(|w| w == "预期"));
    assert_eq!(
        lex.origin(Role::Predicate, "可望").map(ToString::to_string),
        Some("rules/testprov.zb:3".to_string())
    );
}

#[test]
fn explain_cites_the_lexicon_line_of_a_cue() {
    let program = common::common_program();
    let origin = program
        .lexicon
        .origin(zhibiao::lexicon::Role::Estimate, "预计")
        .expect("预计 is a shipped estimate cue");
    assert_eq!(origin.file.as_ref(), "rules/lexicon.zb");
    let text = std::fs::read_to_string("rules/lexicon.zb").expect("rules/lexicon.zb");
    let line = text
        .lines()
        .nth(origin.line as usize - 1)
        .expect("the line");
    assert!(
        line.starts_with("words estimate +=") && line.contains("\"预计\""),
        "{line}"
    );
}

#[test]
fn five_year_plans_are_computed() {
    let program = common::common_program();
    // A plan period no list names: its end year is the target's year.
    let got = facts(
        &program,
        "某县科技局2030年工作总结\n力争到“十六五”末，全县高新技术企业总数达到500家。\n",
    );
    assert!(
        got.iter()
            .any(|f| f.starts_with("hte_total 500 target 2035")),
        "{got:?}"
    );
}

/// Chinese string literals in the Rust that reads sentences (outside its
/// tests): the phrasing vocabulary belongs in rules/lexicon.zb.
#[test]
fn phrasing_vocabulary_is_not_in_rust() {
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for dir in ["src/engine", "src/compile"] {
        for e in std::fs::read_dir(dir).expect("source folder").flatten() {
            files.push(e.path());
        }
    }
    for f in [
        "src/text/segment.rs",
        "src/text/table.rs",
        "src/text/mod.rs",
    ] {
        files.push(f.into());
    }
    let mut total = 0;
    let mut per_file = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let text = std::fs::read_to_string(path).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let n = chinese_string_literals(code);
        per_file.push((path.display().to_string(), n));
        total += n;
    }
    assert!(total <= 40, "{total} Chinese string literals: {per_file:?}");
}

/// Counts string literals holding a CJK character in `code`, skipping
/// comments and character literals.
fn chinese_string_literals(code: &str) -> usize {
    let mut n = 0;
    for line in code.lines() {
        let line = match line.find("//") {
            // A `//` inside a string is rare in this code; a comment
            // line starts with it.
            Some(i) if line[..i].matches('"').count() % 2 == 0 => &line[..i],
            _ => line,
        };
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else { break };
            let lit = &after[..end];
            if lit.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                n += 1;
            }
            rest = &after[end + 1..];
        }
    }
    n
}

#[test]
fn the_literal_counter_counts() {
    assert_eq!(
        chinese_string_literals("let a = [\"全年\", \"x\", \"到\"]; // \"注\""),
        2
    );
    assert_eq!(
        chinese_string_literals("let c = '全'; let s = \"a\\\"全\";"),
        1
    );
}

#[test]
fn vetoes_see_the_words_of_a_carried_subject() {
    let mut sources = Sources::new();
    let id = sources.add(
        "veto.zb",
        "indicator tsme_registered \"科技型中小企业评价入库\" unit 家\n\
         subject 科小 = \"科技型中小企业\"\n\
         let 省科小 = \"省科技型中小企业\"\n\
         rule 科小累计 -> tsme_registered {\n\
             match 科小 …{0,6} (\"累计达到\" | \"达到\") N:家\n\
             unless 省科小 | \"新增\"\n\
             example \"科技型中小企业累计达到3420家\" => 3420\n\
         }\n",
    );
    let checked = check(&sources, &[id]);
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let (program, _) = compile(&checked.sets[0]);
    // 省 runs into the carried subject's name: 省科小 is what is carried.
    let got = facts(&program, "新增省科技型中小企业652家，累计达到3420家。\n");
    assert!(!got.iter().any(|f| f.contains(" 3420 ")), "{got:?}");
    // A word of the first clause that does not run into the name (新增)
    // is that clause's own predicate, not the carried subject's.
    let got = facts(&program, "新增科技型中小企业652家，累计达到3420家。\n");
    assert!(got.iter().any(|f| f.contains(" 3420 ")), "{got:?}");
}

/// A role's words are its own, but a predicate's sum every status cue and
/// own-region name (`Role::with_parts`, what `words` and `origin` read).
#[test]
fn every_role_is_its_own_part_and_a_predicate_sums_the_cues() {
    use zhibiao::lexicon::Role;
    for &r in Role::ALL {
        if r != Role::Predicate {
            assert_eq!(r.with_parts(), &[r], "{r:?}");
        }
    }
    assert_eq!(
        Role::Predicate.with_parts(),
        &[
            Role::Predicate,
            Role::Estimate,
            Role::Target,
            Role::OwnRegion
        ]
    );
}
