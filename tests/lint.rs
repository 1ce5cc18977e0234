//! `zhibiao lint`: one fixture per lint (tests/fixtures/lint/ZBxxxx_*.zb),
//! each with an insta snapshot of its rendered diagnostics, plus exit codes
//! and `--format json` through the real binary.

use std::path::PathBuf;
use std::process::Command;

use zhibiao::check::{check, load_paths};
use zhibiao::diag::render::{RenderOptions, render_human};
use zhibiao::diag::{Code, Sources};

/// Lints `path` (relative to the crate root) and renders every diagnostic
/// without colour at width 80. Asserts that `code` is among them.
fn lint(path: &str, code: Code) -> String {
    let mut sources = Sources::new();
    let (files, mut diags) = load_paths(&[PathBuf::from(path)], &mut sources);
    let checked = check(&sources, &files);
    diags.extend(checked.diagnostics);
    assert!(
        diags.iter().any(|d| d.code == code),
        "{path}: expected {} among {:#?}",
        code.as_str(),
        diags
    );
    let options = RenderOptions {
        color: false,
        width: 80,
    };
    diags
        .iter()
        .map(|d| render_human(d, &sources, options))
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! lint_case {
    ($name:ident, $code:ident, $path:literal) => {
        #[test]
        fn $name() {
            let rendered = lint(concat!("tests/fixtures/lint/", $path), Code::$code);
            insta::assert_snapshot!(stringify!($name), rendered);
        }
    };
}

lint_case!(zb0101_syntax, Syntax, "ZB0101_syntax.zb");
lint_case!(zb0102_too_deep, TooComplex, "ZB0102_too_deep.zb");
lint_case!(
    zb0201_unknown_pattern,
    UnknownPattern,
    "ZB0201_unknown_pattern.zb"
);
lint_case!(
    zb0202_unknown_indicator,
    UnknownIndicator,
    "ZB0202_unknown_indicator.zb"
);
lint_case!(
    zb0203_unknown_import,
    UnknownImport,
    "ZB0203_unknown_import.zb"
);
lint_case!(zb0204_import_cycle, ImportCycle, "cycle");
lint_case!(
    zb0205_duplicate_rule,
    DuplicateRule,
    "ZB0205_duplicate_rule.zb"
);
lint_case!(
    zb0206_override_of_nothing,
    OverrideOfNothing,
    "ZB0206_override_of_nothing.zb"
);
lint_case!(
    zb0207_override_changes_nothing,
    OverrideChangesNothing,
    "ZB0207_override_changes_nothing.zb"
);
lint_case!(
    zb0208_recursive_pattern,
    DuplicatePattern,
    "ZB0208_recursive_pattern.zb"
);
lint_case!(
    zb0209_duplicate_indicator,
    DuplicateIndicator,
    "ZB0209_duplicate_indicator.zb"
);
lint_case!(zb0324_double_gap, DoubleGap, "ZB0324_double_gap.zb");
lint_case!(zb0213_unused_let, UnusedPattern, "ZB0213_unused_let.zb");
lint_case!(
    zb0214_extend_of_nothing,
    ExtendOfNothing,
    "ZB0214_extend_of_nothing.zb"
);
lint_case!(
    zb0215_extend_changes_pattern,
    ExtendChangesPattern,
    "ZB0215_extend_changes_pattern.zb"
);
lint_case!(
    zb0216_unused_indicator,
    UnusedIndicator,
    "ZB0216_unused_indicator.zb"
);
lint_case!(
    zb0325_foreign_region,
    ForeignRegion,
    "ZB0325_foreign_region.zb"
);
lint_case!(zb0327_bad_bound, BadBound, "ZB0327_bad_bound.zb");
lint_case!(zb0210_unknown_role, UnknownRole, "ZB0210_unknown_role.zb");
lint_case!(zb0211_shipped_role, ShippedRole, "ZB0211_shipped_role.zb");
lint_case!(
    zb0212_removes_nothing,
    RemovesNothing,
    "ZB0212_removes_nothing.zb"
);
lint_case!(
    zb0301_capture_not_bound,
    CaptureNotBound,
    "ZB0301_capture_not_bound.zb"
);
lint_case!(
    zb0302_capture_not_emitted,
    CaptureNotEmitted,
    "ZB0302_capture_not_emitted.zb"
);
lint_case!(
    zb0303_unit_mismatch,
    UnitMismatch,
    "ZB0303_unit_mismatch.zb"
);
lint_case!(
    zb0304_unbounded_gap,
    UnboundedPattern,
    "ZB0304_unbounded_gap.zb"
);
lint_case!(
    zb0305_empty_alternative,
    EmptyAlternative,
    "ZB0305_empty_alternative.zb"
);
lint_case!(
    zb0306_matches_empty,
    MatchesEmpty,
    "ZB0306_matches_empty.zb"
);
lint_case!(
    zb0307_normalization,
    NeverMatchesAfterNormalization,
    "ZB0307_normalization.zb"
);
lint_case!(zb0308_shadowed, ShadowedRule, "ZB0308_shadowed.zb");
lint_case!(zb0310_no_examples, NoExamples, "ZB0310_no_examples.zb");
lint_case!(zb0311_no_anchor, NoAnchor, "ZB0311_no_anchor.zb");
lint_case!(
    zb0312_missing_match,
    MissingMatch,
    "ZB0312_missing_match.zb"
);
lint_case!(zb0313_unknown_unit, UnknownUnit, "ZB0313_unknown_unit.zb");
lint_case!(zb0314_bad_example, BadExample, "ZB0314_bad_example.zb");
lint_case!(
    zb0315_veto_not_words,
    VetoNotWords,
    "ZB0315_veto_not_words.zb"
);
lint_case!(
    zb0320_subject_not_words,
    SubjectNotWords,
    "ZB0320_subject_not_words.zb"
);
lint_case!(
    zb0321_either_side_empty,
    EitherSideEmpty,
    "ZB0321_either_side_empty.zb"
);
lint_case!(
    zb0322_redundant_from_to,
    RedundantFromTo,
    "ZB0322_redundant_from_to.zb"
);
lint_case!(
    zb0323_list_gap_too_short,
    ListGapTooShort,
    "ZB0323_list_gap_too_short.zb"
);
lint_case!(
    zb0217_second_province,
    DuplicateProvince,
    "ZB0217_second_province.zb"
);
lint_case!(zb0328_no_rules, NoRules, "ZB0328_no_rules.zb");

/// ZB0316 is raised by the strict lint (`require_examples`), not by `check`.
#[test]
fn zb0316_example_coverage() {
    let path = "tests/fixtures/lint/ZB0316_example_coverage.zb";
    let mut sources = Sources::new();
    let (files, mut diags) = load_paths(&[PathBuf::from(path)], &mut sources);
    let checked = check(&sources, &files);
    assert!(
        !checked
            .diagnostics
            .iter()
            .any(|d| d.code == Code::ExampleCoverage),
        "check alone does not require examples"
    );
    diags.extend(checked.diagnostics);
    zhibiao::check::require_examples(&checked.sets, &sources, &mut diags);
    let coverage: Vec<_> = diags
        .iter()
        .filter(|d| d.code == Code::ExampleCoverage)
        .collect();
    assert_eq!(coverage.len(), 2, "{diags:#?}");
    let options = RenderOptions {
        color: false,
        width: 80,
    };
    let rendered = coverage
        .iter()
        .map(|d| render_human(d, &sources, options))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("zb0316_example_coverage", rendered);
}

/// Every ZB01xx–ZB03xx code the checker owns has a fixture above, except
/// ZB0309, which the engine reports.
#[test]
fn every_check_code_has_a_fixture() {
    let dir = std::fs::read_dir("tests/fixtures/lint").expect("fixture folder");
    let mut names: Vec<String> = dir
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.push("ZB0204_cycle".into());
    for code in Code::ALL {
        let c = code.as_str();
        if !(c.starts_with("ZB01") || c.starts_with("ZB02") || c.starts_with("ZB03"))
            || c == "ZB0309"
        {
            continue;
        }
        assert!(names.iter().any(|n| n.starts_with(c)), "no fixture for {c}");
    }
}

#[test]
fn clean_file_has_no_diagnostics_and_builds_a_set() {
    let mut sources = Sources::new();
    let (files, diags) = load_paths(
        &[PathBuf::from("tests/fixtures/lint/clean.zb")],
        &mut sources,
    );
    assert!(diags.is_empty());
    let checked = check(&sources, &files);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert_eq!(checked.sets.len(), 1);
    let set = &checked.sets[0];
    assert_eq!(set.name, "江苏");
    assert_eq!(set.province.as_ref().map(|p| p.regions.len()), Some(2));
    let names: Vec<&str> = set
        .rules
        .iter()
        .map(|r| r.qualified_name.as_str())
        .collect();
    assert_eq!(names, ["common/高企总数", "江苏/苏科贷"]);
    assert_eq!(set.indicators.len(), 3);
    let loans = &set.rules[1];
    assert_eq!(loans.emit, "V");
    assert_eq!(loans.priority, 5);
    let hte = &set.rules[0];
    assert_eq!(hte.vetoes[0].words, ["培育", "每万家"]);
}

fn zhibiao(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibiao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn exit_codes() {
    let (code, _, err) = zhibiao(&["lint", "tests/fixtures/lint/clean.zb"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.ends_with("0 errors, 0 warnings in 2 files\n"), "{err}");

    // A warning alone passes, unless --deny-warnings.
    let (code, _, err) = zhibiao(&["lint", "tests/fixtures/lint/ZB0310_no_examples.zb"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("0 errors, 1 warning in 2 files"), "{err}");
    let (code, _, _) = zhibiao(&[
        "lint",
        "--deny-warnings",
        "tests/fixtures/lint/ZB0310_no_examples.zb",
    ]);
    assert_eq!(code, 1);

    let (code, _, err) = zhibiao(&["lint", "tests/fixtures/lint/ZB0201_unknown_pattern.zb"]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0201"), "{err}");

    let (code, _, err) = zhibiao(&["lint", "no/such/dir"]);
    assert_eq!(code, 1);
    assert!(err.contains("ZB0701"), "{err}");
}

#[test]
fn json_format() {
    let (code, out, _) = zhibiao(&[
        "lint",
        "--format",
        "json",
        "tests/fixtures/lint/ZB0314_bad_example.zb",
    ]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 2, "{out}");
    let first = &lines[0];
    assert_eq!(first["file"], "tests/fixtures/lint/ZB0314_bad_example.zb");
    assert_eq!(first["line"], 4);
    assert_eq!(first["column"], 29);
    assert_eq!(first["code"], "ZB0314");
    assert_eq!(first["severity"], "error");
    assert!(
        first["message"]
            .as_str()
            .is_some_and(|m| m.contains("1,305"))
    );
    assert!(first["help"].as_str().is_some_and(|h| h.ends_with("1305")));
}

#[test]
fn a_whole_folder_reports_every_file_once() {
    // The shared common file is imported by many fixtures: its problems
    // (none) and the fixtures' own are each reported once.
    let (code, out, _) = zhibiao(&["lint", "--format", "json", "tests/fixtures/lint"]);
    assert_eq!(code, 1);
    let mut seen = std::collections::HashSet::new();
    for l in out.lines() {
        assert!(seen.insert(l.to_string()), "reported twice: {l}");
    }
    for code in ["ZB0101", "ZB0204", "ZB0308", "ZB0315"] {
        assert!(out.contains(code), "{code} missing");
    }
}

#[test]
fn shipped_rules_are_clean() {
    let (code, _, err) = zhibiao(&["lint"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn load_paths_walks_folders_sorted_and_follows_imports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("p/q")).expect("mkdir");
    std::fs::create_dir_all(root.join("shared")).expect("mkdir");
    std::fs::write(root.join("p/q/b.zb"), "import \"../../shared/c.zb\"\n").expect("write");
    std::fs::write(root.join("p/a.zb"), "// a\nindicator x \"甲\" unit 家\n").expect("write");
    std::fs::write(root.join("p/notes.txt"), "not a rule file").expect("write");
    std::fs::write(root.join("shared/c.zb"), "let 甲 = \"甲\"\n").expect("write");

    let mut sources = Sources::new();
    let given = root.join("p");
    let (ids, diags) = load_paths(std::slice::from_ref(&given), &mut sources);
    assert!(diags.is_empty(), "{diags:#?}");
    let base = given.to_string_lossy().replace('\\', "/");
    let names: Vec<String> = ids.iter().map(|i| sources.get(*i).name.clone()).collect();
    assert_eq!(names, [format!("{base}/a.zb"), format!("{base}/q/b.zb")]);
    // The import was read from disk too, but is not a root.
    assert_eq!(sources.iter().count(), 3);
    let checked = check(&sources, &ids);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    assert_eq!(checked.sets.len(), 2);
}

/// ZB0326, like ZB0309, comes from running the engine on the rules' own
/// examples: tested through the real `lint` command.
#[test]
fn zb0326_always_loses() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["lint", "tests/fixtures/lint/ZB0326_always_loses.zb"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibiao lint");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("ZB0326"), "{stderr}");
    assert!(!stderr.contains("ZB0309"), "not a tie: {stderr}");
    assert_eq!(out.status.code(), Some(0), "a warning");
    insta::assert_snapshot!("zb0326_always_loses", stderr);
}

/// ZB0309 comes from running the engine on the rules' own examples, so it is
/// tested through the real `lint` command.
#[test]
fn zb0309_tie_between_rules() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["lint", "tests/fixtures/lint/ZB0309_tie.zb"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibiao lint");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("ZB0309"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "a tie is a warning");
    insta::assert_snapshot!("zb0309_tie_between_rules", stderr);
}

/// `…{0，20}`: a full-width comma in gap bounds is named as such.
#[test]
fn a_full_width_comma_in_gap_bounds_is_named() {
    let mut sources = Sources::new();
    let id = sources.add(
        "fw.zb",
        "indicator hte_total \"高新技术企业总数\" unit 家\nrule 甲 -> hte_total {\n    match \"高企\" …{0，20} N:家\n}\n",
    );
    let checked = check(&sources, &[id]);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::Syntax)
        .expect("a syntax error");
    assert!(d.message.contains("ASCII comma"), "{}", d.message);
    assert_eq!(
        d.help.as_deref(),
        Some("write the bounds with `,`: …{0,20}")
    );
}

/// ZB0103 comes from compiling, which `lint` does after checking: through
/// the binary, the nested `<>` fixture is refused at once.
#[test]
fn zb0103_program_too_large_through_the_binary() {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(["lint", "tests/fixtures/lint/ZB0103_program_too_large.zb"])
        .env("NO_COLOR", "1")
        .output()
        .expect("run zhibiao");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("ZB0103"), "{err}");
}
