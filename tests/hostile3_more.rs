//! Hostile inputs, round three (issue 25), the items after the first
//! round of fixes: each case runs the real binary under the harness's hang
//! limit (`common::run_bounded`) on inputs of our own wording, generated
//! here where large. Test names carry the item numbers.

mod common;

use common::zhibiao_bounded;

/// The facts (JSON Lines) `run` writes for `file` holding `bytes`, with the
/// exit code and stderr.
fn run_one(name: &str, bytes: &[u8]) -> (i32, Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    let (code, out, err) = zhibiao_bounded(dir.path(), &["run", "--format", "jsonl", name], None);
    let facts = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    (code, facts, err)
}

/// (value, status) of the facts of `indicator`.
fn values(facts: &[serde_json::Value], indicator: &str) -> Vec<(String, String)> {
    facts
        .iter()
        .filter(|f| f["indicator"] == indicator)
        .map(|f| {
            (
                f["value"].to_string(),
                f["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// A goals/results table of `rows` filler rows and then one row about new
/// high-tech enterprises (goal 25, result 29), under `header`.
fn goals_table(header: &str, rows: usize) -> String {
    let filler: String = (1..=rows)
        .map(|i| format!("<tr><td>其他事项{i}</td><td>{i}项</td><td>{i}项</td></tr>"))
        .collect();
    format!(
        "<html><body><p>2024年科技工作总结</p><table>{header}{filler}\
         <tr><td>新增高新技术企业</td><td>25家</td><td>29家</td></tr></table></body></html>"
    )
}

/// Item 5: a goals/results HTML table keeps its columns after row 200: the
/// goal is a target, the result an actual figure.
#[test]
fn item_05_long_goals_table_keeps_its_columns() {
    let header = "<tr><td>指标名称</td><td>年度目标</td><td>完成情况</td></tr>";
    for rows in [3, 450] {
        let (code, facts, err) = run_one("t.html", goals_table(header, rows).as_bytes());
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            values(&facts, "hte_new"),
            [
                ("25".into(), "target".into()),
                ("29".into(), "actual".into())
            ],
            "{rows} rows: {err}"
        );
    }
}

/// Item 8: a two-row header (指标 | 2024年 over 目标 | 完成, with rowspan
/// and colspan) is read as the columns it heads.
#[test]
fn item_08_two_row_header_is_recognised() {
    let header = "<tr><th rowspan=\"2\">指标</th><th colspan=\"2\">2024年</th></tr>\
                  <tr><th>目标</th><th>完成</th></tr>";
    let (code, facts, err) = run_one("t.html", goals_table(header, 2).as_bytes());
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        values(&facts, "hte_new"),
        [
            ("25".into(), "target".into()),
            ("29".into(), "actual".into())
        ],
        "{err}"
    );
}

/// Item 6: one bad byte inside a figure makes it unreadable; the part after
/// it is never the figure.
#[test]
fn item_06_bad_byte_inside_a_figure_reads_nothing() {
    let mut bytes = "2024年工作总结\n全市高新技术企业达到1".as_bytes().to_vec();
    bytes.push(0xFF);
    bytes.extend_from_slice("503家。研发投入占地区生产总值比重达到2.".as_bytes());
    bytes.push(0xFF);
    bytes.extend_from_slice("38%。\n".as_bytes());
    let (code, facts, err) = run_one("r.txt", &bytes);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ZB0404"), "the bad bytes are reported: {err}");
    assert!(facts.is_empty(), "{facts:?}");
    // explain says why at the figure.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("r.txt"), &bytes).expect("write");
    let (_, out, err) = zhibiao_bounded(dir.path(), &["explain", "r.txt", "--number", "503"], None);
    assert!(
        out.contains("could not be decoded") || err.contains("could not be decoded"),
        "{out}\n{err}"
    );
}

/// Item 7: a page number alone on a line is not joined as the figure when
/// the next line opens with one.
#[test]
fn item_07_page_number_on_its_own_line_is_not_the_figure() {
    let text = "2024年工作总结\n全市高新技术企业达到\n3\n520家。\n";
    let (code, facts, err) = run_one("r.txt", text.as_bytes());
    assert_eq!(code, 0, "{err}");
    assert!(
        values(&facts, "hte_total").iter().all(|(v, _)| v != "3"),
        "{facts:?}"
    );
    // Without the page number the figure broken over lines still reads.
    let text = "2024年工作总结\n全市高新技术企业达到\n520\n家。\n";
    let (_, facts, err) = run_one("r.txt", text.as_bytes());
    assert_eq!(values(&facts, "hte_total").len(), 1, "{err}");
}

/// Item 9: a BOM before text in another encoding (a UTF-8 BOM before GBK,
/// a UTF-16 BOM before UTF-8) is not believed: the facts are read.
#[test]
fn item_09_bom_before_another_encoding_reads_the_text() {
    let text = "2024年工作总结\n全市高新技术企业达到520家，技术合同成交额12亿元。\n";
    let gbk: Vec<u8> = encoding_rs::GBK.encode(text).0.into_owned();
    let cases: [(&[u8], &[u8]); 3] = [
        (b"\xEF\xBB\xBF", &gbk),
        (b"\xFF\xFE", text.as_bytes()),
        (b"\xFE\xFF", text.as_bytes()),
    ];
    for (bom, body) in cases {
        let mut bytes = bom.to_vec();
        bytes.extend_from_slice(body);
        let (code, facts, err) = run_one("r.txt", &bytes);
        assert_eq!(code, 0, "{bom:?}: {err}");
        assert_eq!(
            values(&facts, "hte_total"),
            [("520".into(), "actual".into())],
            "{bom:?}: {err}"
        );
    }
}
