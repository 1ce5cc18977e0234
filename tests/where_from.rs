//! Where every fact is from: province, region, adcode and `region_source`
//! from the text, the page's URL (canonical link, a `--sources` manifest, a
//! crawler's host folder), and a row back to the text (`line`, `column`,
//! `evidence_original`). The real binary on pages of our own.

mod common;

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/where")
}

/// Runs the binary in the fixtures' folder; returns (exit code, stdout,
/// stderr).
fn zhibiao(args: &[&str]) -> (i32, String, String) {
    common::zhibiao_in(&dir(), args, &[("NO_COLOR", "1")])
}

use common::json_facts as facts;

#[test]
fn canonical_url_places_a_county_report_that_names_no_place() {
    let (code, out, err) = zhibiao(&["run", "-q", "--format", "jsonl", "hengdong.html"]);
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    assert_eq!(f.len(), 1, "{out}");
    let f = &f[0];
    assert_eq!(f["value"], 45);
    assert_eq!(f["province"], "湖南");
    assert_eq!(f["region"], "衡阳市衡东县");
    assert_eq!(f["adcode"], "430424");
    assert_eq!(f["region_source"], "url");
    assert_eq!(f["indicator_name"], "高新技术企业总数");
    // The page's URL is dated 2023-03: the text names no year, so the
    // page's date gives it (a summary published in March reviews 2022).
    assert_eq!(f["year"], 2022);
    // Back to the file: line 10, where the match starts (高新…, after
    // `<p>一年来，我县`: 9 characters).
    assert_eq!(f["line"], 10);
    assert_eq!(f["column"], 10);
    // The evidence as written: full-width digits, before normalization.
    assert_eq!(f["evidence"], "一年来,我县高新技术企业达到45家。");
    assert_eq!(
        f["evidence_original"],
        "一年来，我县高新技术企业达到４５家。"
    );
    let text = std::fs::read_to_string(dir().join("hengdong.html")).expect("fixture");
    let line = text.lines().nth(9).expect("line 10");
    let column: String = line.chars().skip(9).take(4).collect();
    assert_eq!(column, "高新技术");
}

#[test]
fn explain_says_which_evidence_placed_the_report() {
    let (code, out, err) = zhibiao(&["explain", "-q", "hengdong.html"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("www.hengdong.gov.cn names 衡阳市衡东县"),
        "{out}"
    );
    assert!(out.contains("weakly, from the page's date"), "{out}");
}

#[test]
fn sources_manifest_places_a_text_file() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--format",
        "jsonl",
        "--sources",
        "sources.csv",
        "jinshui.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["value"], 130);
    assert_eq!(f[0]["province"], "河南");
    assert_eq!(f[0]["region"], "郑州市金水区");
    assert_eq!(f[0]["adcode"], "410105");
    assert_eq!(f[0]["region_source"], "manifest");
    // The manifest's date (2022-08) gives the year the text does not.
    assert_eq!(f[0]["year"], 2022);
    // Without the manifest the same text has no place.
    let (_, out, _) = zhibiao(&["run", "-q", "--format", "jsonl", "jinshui.txt"]);
    assert_eq!(facts(&out)[0]["region"], serde_json::Value::Null);
}

#[test]
fn a_date_from_the_page_never_changes_a_year_the_text_fixes() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--format",
        "jsonl",
        "--sources",
        "dated.tsv",
        "dated.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    assert_eq!(f[0]["year"], 2021, "{out}");
    assert_eq!(f[0]["region"], "衡阳市衡东县");
}

#[test]
fn manifest_rows_naming_missing_files_are_errors() {
    let (code, out, err) = zhibiao(&[
        "run",
        "--format",
        "jsonl",
        "--sources",
        "sources_missing.csv",
        "jinshui.txt",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "no report is run: {out}");
    assert!(err.contains("ZB0714"), "{err}");
    assert!(err.contains("no file missing.txt"), "{err}");
    assert!(
        err.contains("sources_missing.csv:3"),
        "labelled on its row: {err}"
    );
}

#[test]
fn crawler_host_folder_in_the_path_places_the_report() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("www.hengdong.gov.cn").join("zwgk");
    std::fs::create_dir_all(&site).expect("folders");
    std::fs::write(site.join("1.txt"), "我县高新技术企业达到52家。\n").expect("write");
    let (code, out, err) =
        common::zhibiao_in(tmp.path(), &["run", "-q", "--format", "jsonl", "."], &[]);
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    assert_eq!(f[0]["region"], "衡阳市衡东县", "{out}");
    assert_eq!(f[0]["region_source"], "path");
}

#[test]
fn the_text_outweighs_the_url() {
    // A 衡阳市 report (its title) on a county's host: the host is within
    // the city, so it refines; a host elsewhere is outweighed.
    let tmp = tempfile::tempdir().expect("temp dir");
    let page = |host: &str| {
        format!(
            "<html><head><link rel=\"canonical\" href=\"http://{host}/1.html\"><title>衡阳市科技局2022年工作总结</title></head>\
             <body><p>衡阳市科技局2022年工作总结</p><p>全市高新技术企业达到600家。</p></body></html>"
        )
    };
    std::fs::write(tmp.path().join("a.html"), page("www.hengdong.gov.cn")).expect("write");
    std::fs::write(tmp.path().join("b.html"), page("www.jinshui.gov.cn")).expect("write");
    let (code, out, err) = common::zhibiao_in(
        tmp.path(),
        &["run", "-q", "--format", "jsonl", "a.html", "b.html"],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    assert_eq!(f[0]["region"], "衡阳市衡东县", "{out}");
    assert_eq!(f[1]["region"], "衡阳市", "{out}");
    assert_eq!(f[1]["province"], "湖南");
    assert_eq!(f[1]["adcode"], "430400");
}

#[test]
fn csv_carries_the_new_columns_and_months_excel_leaves_alone() {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        tmp.path().join("m.txt"),
        "衡阳市科技局\n2022年1-10月，全市高新技术企业达到600家。\n",
    )
    .expect("write");
    let (code, out, err) =
        common::zhibiao_in(tmp.path(), &["run", "-q", "--format", "csv", "m.txt"], &[]);
    assert_eq!(code, 0, "{err}");
    let mut rows = csv::Reader::from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = rows
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    for col in [
        "adcode",
        "region_source",
        "indicator_name",
        "line",
        "column",
        "evidence_original",
    ] {
        assert!(header.iter().any(|h| h == col), "{col} in {header:?}");
    }
    let row = rows.records().next().expect("a row").expect("a record");
    let get = |c: &str| {
        row.get(header.iter().position(|h| h == c).expect("column"))
            .expect("cell")
            .to_string()
    };
    assert_eq!(get("months"), "1-10月");
    assert_eq!(get("adcode"), "430400");
    assert_eq!(get("line"), "2");
    assert_eq!(get("indicator_name"), "高新技术企业总数");
}

#[test]
fn a_city_report_with_a_county_breakdown_stays_the_citys() {
    // Not a score: the shipped fixtures of other tests keep their places.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = common::zhibiao_in(
        root,
        &[
            "run",
            "-q",
            "--format",
            "jsonl",
            "tests/fixtures/where/city_breakdown.txt",
        ],
        &[],
    );
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    // The city's own total; the county's part is dropped (as before).
    assert_eq!(f.len(), 1, "{out}");
    assert_eq!(f[0]["region"], "衡阳市");
    assert_eq!(f[0]["adcode"], "430400");
}

/// `--all-regions`: (value, region, adcode, region_source, scope) of every fact.
fn scoped(out: &str) -> Vec<(String, String, String, String, String)> {
    facts(out)
        .iter()
        .map(|f| {
            let s = |k: &str| match &f[k] {
                serde_json::Value::String(s) => s.clone(),
                v => v.to_string(),
            };
            (
                s("value"),
                s("region"),
                s("adcode"),
                s("region_source"),
                s("scope"),
            )
        })
        .collect()
}

#[test]
fn all_regions_writes_a_county_breakdown_with_its_own_regions() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--all-regions",
        "--format",
        "jsonl",
        "city_parts.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let row = |v: &str, r: &str, a: &str, src: &str, scope: &str| {
        (v.into(), r.into(), a.into(), src.into(), scope.into())
    };
    assert_eq!(
        scoped(&out),
        vec![
            row("126", "衡阳市", "430400", "title", "own"),
            // 其中衡东县…21家，衡南县…17家: each item its own county.
            row("21", "衡阳市衡东县", "430424", "text", "part"),
            row("17", "衡阳市衡南县", "430422", "text", "part"),
            row("48.6", "衡阳市", "430400", "title", "own"),
            // A county-level city of the report's city.
            row("9.2", "衡阳市耒阳市", "430481", "text", "part"),
            // 全省…16000家: the province's, kept as a wider area's.
            row("16000", "湖南省", "430000", "text", "wider"),
            row("912", "衡阳市", "430400", "title", "own"),
        ]
    );
}

#[test]
fn without_all_regions_parts_and_wider_areas_are_dropped_and_no_scope_is_written() {
    let (code, out, err) = zhibiao(&["run", "-q", "--format", "jsonl", "city_parts.txt"]);
    assert_eq!(code, 0, "{err}");
    let f = facts(&out);
    let values: Vec<String> = f.iter().map(|f| f["value"].to_string()).collect();
    assert_eq!(values, ["126", "48.6", "912"], "{out}");
    assert!(f.iter().all(|f| f.get("scope").is_none()), "{out}");
    assert!(f.iter().all(|f| f["region"] == "衡阳市"), "{out}");
}

#[test]
fn all_regions_keeps_the_part_of_a_single_county_breakdown() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--all-regions",
        "--format",
        "jsonl",
        "city_breakdown.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let s = scoped(&out);
    assert_eq!(s.len(), 2, "{out}");
    assert_eq!((s[0].1.as_str(), s[0].4.as_str()), ("衡阳市", "own"));
    assert_eq!(
        (
            s[1].0.as_str(),
            s[1].1.as_str(),
            s[1].2.as_str(),
            s[1].4.as_str()
        ),
        ("45", "衡阳市衡东县", "430424", "part")
    );
}

#[test]
fn all_regions_in_the_csvs_and_the_table() {
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--all-regions",
        "--format",
        "csv",
        "city_parts.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut rows = csv::Reader::from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let header = rows.headers().expect("header").clone();
    assert_eq!(header.iter().next_back(), Some("scope"));
    let region = header.iter().position(|h| h == "region").expect("region");
    let scopes: Vec<(String, String)> = rows
        .records()
        .map(|r| {
            let r = r.expect("row");
            (r[region].to_string(), r[header.len() - 1].to_string())
        })
        .collect();
    assert_eq!(scopes[1], ("衡阳市衡东县".to_string(), "part".to_string()));
    assert_eq!(scopes[5], ("湖南省".to_string(), "wider".to_string()));

    // The wide CSV: the report's own row first, then a row per part or
    // wider area, each with its region, code and scope.
    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--all-regions",
        "--format",
        "wide-csv",
        "city_parts.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    let mut rows = csv::Reader::from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let header = rows.headers().expect("header").clone();
    assert_eq!(&header[7], "scope");
    let new = header
        .iter()
        .position(|h| h == "hte_new.actual")
        .expect("hte_new column");
    let lines: Vec<Vec<String>> = rows
        .records()
        .map(|r| {
            let r = r.expect("row");
            vec![
                r[2].to_string(),
                r[5].to_string(),
                r[7].to_string(),
                r[new].to_string(),
            ]
        })
        .collect();
    let line =
        |a: &str, b: &str, c: &str, d: &str| vec![a.to_string(), b.into(), c.into(), d.into()];
    assert_eq!(
        lines,
        vec![
            line("衡阳市", "430400", "own", "126"),
            line("衡阳市衡东县", "430424", "part", "21"),
            line("衡阳市衡南县", "430422", "part", "17"),
            line("衡阳市耒阳市", "430481", "part", ""),
            line("湖南省", "430000", "wider", ""),
        ]
    );

    let (code, out, err) = zhibiao(&[
        "run",
        "-q",
        "--all-regions",
        "--format",
        "table",
        "city_parts.txt",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("湖南 衡阳市衡东县 (part)"), "{out}");
    assert!(out.contains("湖南省 (wider)"), "{out}");
}
