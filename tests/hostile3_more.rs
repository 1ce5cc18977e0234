//! Hostile inputs, round three (issue 25), the items after the first
//! round of fixes: each case runs the real binary under the harness's hang
//! limit (`common::run_bounded`) on inputs of our own wording, generated
//! here where large. Test names carry the issue's item numbers.

use std::path::Path;

mod common;

use common::zhibiao_bounded;

/// The facts (JSON Lines) `run` writes for `file` holding `bytes`, with the
/// exit code and stderr.
fn run_one(name: &str, bytes: &[u8]) -> (i32, Vec<serde_json::Value>, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(name), bytes).expect("write");
    let (code, out, err) = zhibiao_bounded(dir.path(), &["run", "--format", "jsonl", name], None);
    (code, common::json_facts(&out), err)
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

/// Runs [`goals_table`] with `header` and `rows` filler rows and checks
/// that its goal (25) is a target and its result (29) an actual figure.
fn goal_and_result_are_read(header: &str, rows: usize) {
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

/// Item 5: a goals/results HTML table keeps its columns after row 200: the
/// goal is a target, the result an actual figure.
#[test]
fn item_05_long_goals_table_keeps_its_columns() {
    let header = "<tr><td>指标名称</td><td>年度目标</td><td>完成情况</td></tr>";
    for rows in [3, 450] {
        goal_and_result_are_read(header, rows);
    }
}

/// Item 8: a two-row header (指标 | 2024年 over 目标 | 完成, with rowspan
/// and colspan) is read as the columns it heads.
#[test]
fn item_08_two_row_header_is_recognised() {
    let header = "<tr><th rowspan=\"2\">指标</th><th colspan=\"2\">2024年</th></tr>\
                  <tr><th>目标</th><th>完成</th></tr>";
    goal_and_result_are_read(header, 2);
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
/// a UTF-16 BOM before UTF-8 or before GBK) is not believed: the facts are
/// read.
#[test]
fn item_09_bom_before_another_encoding_reads_the_text() {
    let text = "2024年工作总结\n全市高新技术企业达到520家，技术合同成交额12亿元。\n";
    let gbk: Vec<u8> = encoding_rs::GBK.encode(text).0.into_owned();
    let cases: [(&[u8], &[u8]); 5] = [
        (b"\xEF\xBB\xBF", &gbk),
        (b"\xFF\xFE", text.as_bytes()),
        (b"\xFE\xFF", text.as_bytes()),
        (b"\xFF\xFE", &gbk),
        (b"\xFE\xFF", &gbk),
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

/// Runs `zhibiao ARGS` in `dir` under the hang limit, no stdin.
fn zhibiao(dir: &Path, args: &[&str]) -> (i32, String, String) {
    zhibiao_bounded(dir, args, None)
}

/// Items 15 and 18: control characters in file names and `--files-from`
/// lines never reach the terminal raw; a list that is a binary file is
/// refused without being printed; a backslash written in a name is told
/// from an escaped byte.
#[cfg(unix)]
#[test]
fn item_15_18_names_are_escaped_and_binary_lists_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let evil = "a\u{1b}]0;pwned\u{7}\u{1b}[2J.txt";
    std::fs::write(dir.path().join(evil), "全年新增高新技术企业68家。").expect("write");
    std::fs::write(dir.path().join("b\\xE9.txt"), "全年新增高新技术企业69家。").expect("write");
    for format in ["table", "jsonl", "csv"] {
        let (code, out, err) = zhibiao(dir.path(), &["run", "--format", format, "."]);
        assert_eq!(code, 0, "{err}");
        for text in [&out, &err] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{format}: {text:?}"
            );
        }
        assert!(out.contains("x1B]0;pwned"), "{format}: {out}");
        // The backslash written in the name is doubled (JSON doubles it
        // again).
        let b = if format == "jsonl" {
            "b\\\\\\\\xE9.txt"
        } else {
            "b\\\\xE9.txt"
        };
        assert!(out.contains(b), "{format}: {out}");
    }
    // A listed path that does not exist: named escaped in the error.
    std::fs::write(dir.path().join("list.txt"), format!("{evil}x\n")).expect("write");
    let (code, _, err) = zhibiao(dir.path(), &["run", "--files-from", "list.txt"]);
    assert_ne!(code, 0);
    assert!(!err.contains('\u{1b}') && err.contains("\\x1B"), "{err:?}");
    // A binary list: refused, nothing of it printed.
    let mut binary = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
    binary.extend_from_slice(b"\x1b[2J\x07/some/path\n\x00\x00\xff\xfe");
    std::fs::write(dir.path().join("prog"), &binary).expect("write");
    let (code, out, err) = zhibiao(dir.path(), &["run", "--files-from", "prog"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("ZB0701") && err.contains("not a list of paths"),
        "{err}"
    );
    assert!(
        !err.contains('\u{1b}') && !err.contains("some/path") && out.is_empty(),
        "{err:?}"
    );
}

/// Item 16: a failed write of the results (a full disk: /dev/full) is an
/// error, exit 1; a closed pipe (`| head`) ends quietly. Every command runs
/// under the hang limit (`common::finish_bounded`), as the other cases.
#[cfg(target_os = "linux")]
#[test]
fn item_16_write_failures_are_errors_and_closed_pipes_quiet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let rules = rules.to_str().expect("utf-8 path");
    let full = |args: &[&str]| {
        let out = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let mut child = common::zhibiao_command(dir.path(), args)
            .stdout(out)
            .spawn()
            .expect("spawn");
        let (code, err) = common::finish_bounded(&mut child, &format!("{args:?} > /dev/full"));
        (Some(code), err)
    };
    for args in [
        &["rules", "show", "--rules", rules][..],
        &["test", "--format", "json", rules][..],
        &["test", rules][..],
    ] {
        let (code, err) = full(args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(err.contains("ZB0702"), "{args:?}: {err}");
    }
    // `explain --format json | head -c 1`, `eval --format json | head -c 1`.
    std::fs::write(
        dir.path().join("a.txt"),
        "2024年工作总结\n全年新增高新技术企业68家，累计达到520家。\n".repeat(2000),
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("gold")).expect("mkdir");
    std::fs::write(
        dir.path().join("gold/a.json"),
        r#"{"doc": "a.txt", "facts": [{"indicator": "hte_new", "value": 68, "status": "actual", "year": 2024}]}"#,
    )
    .expect("write");
    for args in [
        &["explain", "--format", "json", "--all", "a.txt"][..],
        &["eval", "--format", "json", "--gold", "gold", "a.txt"][..],
    ] {
        let mut child = common::zhibiao_command(dir.path(), args)
            .spawn()
            .expect("spawn");
        // Read one byte, then close the pipe.
        {
            use std::io::Read;
            let mut stdout = child.stdout.take().expect("stdout");
            let mut one = [0u8; 1];
            let _ = stdout.read(&mut one);
        }
        let (code, err) = common::finish_bounded(&mut child, &format!("{args:?} | head -c 1"));
        assert!(
            !err.contains("Broken pipe") && !err.contains("broken pipe"),
            "{args:?}: {err}"
        );
        assert_eq!(code, 0, "{args:?}: {err}");
    }
}

/// Item 20: `man --dir` replaces a symbolic link among the page names,
/// never writing through it.
#[cfg(unix)]
#[test]
fn item_20_man_dir_does_not_write_through_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pages = dir.path().join("man1");
    std::fs::create_dir(&pages).expect("mkdir");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("write");
    std::os::unix::fs::symlink(&victim, pages.join("zhibiao-run.1")).expect("symlink");
    let (code, _, err) = zhibiao(dir.path(), &["man", "--dir", "man1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");
    let page = pages.join("zhibiao-run.1");
    assert!(
        !page
            .symlink_metadata()
            .expect("page")
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&page)
            .expect("page")
            .contains(".TH")
    );
    assert!(pages.join("zhibiao.1").is_file());
    // No temporary file left.
    let left: Vec<_> = std::fs::read_dir(&pages)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Item 21: a rule file with no rules is said (lint and run), and a second
/// `province` in one file is an error at its place.
#[test]
fn item_21_empty_rule_file_and_second_province_are_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("empty.zb"), "// nothing yet\n").expect("write");
    std::fs::write(dir.path().join("a.txt"), "全年新增高新技术企业68家。").expect("write");
    let (code, _, err) = zhibiao(dir.path(), &["lint", "empty.zb"]);
    assert_eq!(code, 0, "a warning: {err}");
    assert!(
        err.contains("ZB0328") && err.contains("empty.zb:1:1"),
        "{err}"
    );
    let (code, _, err) = zhibiao(dir.path(), &["lint", "--deny-warnings", "empty.zb"]);
    assert_eq!(code, 1, "{err}");
    let (_, _, err) = zhibiao(dir.path(), &["run", "--rules", "empty.zb", "a.txt"]);
    assert!(err.contains("ZB0328"), "{err}");
    std::fs::write(
        dir.path().join("two.zb"),
        "province 江苏 { regions \"南京\" }\nprovince 浙江 { regions \"杭州\" }\n",
    )
    .expect("write");
    let (code, _, err) = zhibiao(dir.path(), &["lint", "two.zb"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("ZB0217") && err.contains("two.zb:2:1"),
        "{err}"
    );
}

/// Item 21, decided: a second `province` naming the same province is a
/// warning (ZB0217) and the file runs, the second declaration's `kind` and
/// regions joining the first; one naming another province stays an error
/// that refuses the file (its rules would run on the wrong reports).
#[test]
fn zb0217_same_province_twice_warns_and_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("twice.zb"),
        "province 江苏 { regions \"南京\" }\nimport \"zhibiao:common.zb\"\nprovince 江苏 { regions \"苏州\" kind plan }\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("a.txt"),
        "南京市科技局\n全市新增高新技术企业68家。\n",
    )
    .expect("write");
    let (code, _, err) = zhibiao(dir.path(), &["lint", "twice.zb"]);
    assert_eq!(code, 0, "a warning: {err}");
    assert!(
        err.contains("ZB0217")
            && err.contains("twice.zb:3:1")
            && err.contains("added to the first"),
        "{err}"
    );
    let (code, _, err) = zhibiao(dir.path(), &["lint", "--deny-warnings", "twice.zb"]);
    assert_eq!(code, 1, "{err}");
    // The second declaration's `kind plan` counts: the figure without a
    // cue word is a target.
    let (code, out, err) = zhibiao(
        dir.path(),
        &[
            "run", "-q", "--rules", "twice.zb", "--format", "jsonl", "a.txt",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let facts = common::json_facts(&out);
    assert!(
        facts
            .iter()
            .any(|f| f["value"] == 68 && f["status"] == "target" && f["rule_set"] == "江苏"),
        "{out}"
    );
    // Contradicting kinds are an error, as another province is.
    std::fs::write(
        dir.path().join("kinds.zb"),
        "province 江苏 { regions kind summary }\nprovince 江苏 { regions kind plan }\n",
    )
    .expect("write");
    let (code, _, err) = zhibiao(dir.path(), &["run", "--rules", "kinds.zb", "a.txt"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("ZB0217") && err.contains("another `kind`"),
        "{err}"
    );
}

/// Item 22: `explain --gold` exits 2 when an annotation file or an
/// annotated report cannot be read; a second annotation file for the same
/// report is said (ZB0615), both named.
#[test]
fn item_22_explain_unreadable_gold_exits_2_and_duplicate_gold_is_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("a.txt"),
        "2024年工作总结\n全年新增高新技术企业68家。\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join("gold")).expect("mkdir");
    let gold = r#"{"doc": "a.txt", "facts": [{"indicator": "hte_new", "value": 68, "status": "actual", "year": 2024}]}"#;
    std::fs::write(dir.path().join("gold/a.json"), gold).expect("write");
    std::fs::write(dir.path().join("gold/a_again.json"), gold).expect("write");
    let (code, _, err) = zhibiao(dir.path(), &["eval", "--gold", "gold", "a.txt"]);
    assert_eq!(code, 0, "a warning: {err}");
    assert!(
        err.contains("ZB0615") && err.contains("a.json") && err.contains("a_again.json"),
        "{err}"
    );
    // An annotation file that cannot be read: explain prints its error and
    // exits 2.
    std::fs::write(dir.path().join("gold/b.json"), "{ not json").expect("write");
    let (code, out, err) = zhibiao(dir.path(), &["explain", "--gold", "gold", "a.txt"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ZB0610"), "{err}");
    assert!(
        out.contains("a.txt"),
        "the explanation is still printed: {out}"
    );
}

/// Item 25: a link to a folder above the one given is named as such.
#[cfg(unix)]
#[test]
fn item_25_link_loop_warning_names_the_right_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = dir.path().join("top/r");
    std::fs::create_dir_all(r.join("sub")).expect("mkdir");
    std::fs::write(r.join("a.txt"), "全年新增高新技术企业68家。").expect("write");
    std::os::unix::fs::symlink("../../..", r.join("sub/up")).expect("symlink");
    std::os::unix::fs::symlink("..", r.join("sub/back")).expect("symlink");
    let (code, _, err) = zhibiao(&dir.path().join("top"), &["run", "--format", "jsonl", "r"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("r/sub/back: skipped: a link back to r, which is already being read"),
        "{err}"
    );
    assert!(
        err.contains("r/sub/up: skipped: a link to")
            && err.contains("a folder that holds the folder being read"),
        "{err}"
    );
}

/// Item 14: `eval` on 20,000 facts against 40,000 annotations ends (the
/// scoring is held linear by `eval::score`'s work-count test); misses past
/// the first 200 are listed, not each explained.
#[test]
fn item_14_eval_of_many_facts_and_annotations_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = 20_000;
    let report: String = std::iter::once("2024年工作总结\n".to_string())
        .chain((1..=n).map(|i| format!("全年新增高新技术企业{i}家。")))
        .collect();
    std::fs::write(dir.path().join("a.txt"), report).expect("write");
    std::fs::create_dir(dir.path().join("gold")).expect("mkdir");
    let facts: Vec<String> = (1..=n)
        .chain((1..=n).map(|i| 10_000_000 + i))
        .map(|v| {
            format!(r#"{{"indicator": "hte_new", "value": {v}, "status": "actual", "year": 2024}}"#)
        })
        .collect();
    std::fs::write(
        dir.path().join("gold/a.json"),
        format!(r#"{{"doc": "a.txt", "facts": [{}]}}"#, facts.join(",")),
    )
    .expect("write");
    let (code, out, err) = zhibiao(
        dir.path(),
        &["eval", "--format", "json", "--gold", "gold", "a.txt"],
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["tp"], n);
    assert_eq!(v["fn"], n);
    let misses = v["misses"].as_array().expect("misses");
    assert_eq!(misses.len(), n as usize);
    let not_explained = misses
        .iter()
        .filter(|m| {
            m["reason"]
                .as_str()
                .is_some_and(|r| r.starts_with("not explained"))
        })
        .count();
    assert_eq!(not_explained, n as usize - 200);
}

/// Item 19: SIGQUIT, SIGUSR1 and SIGXFSZ during a run with `-o` leave no
/// temporary file (the lock that keeps a live run's file from another
/// run's clean-up is held by `output::atomic`'s unit test).
#[cfg(target_os = "linux")]
#[test]
fn item_19_signals_leave_no_temporary_file() {
    use std::process::{Command, Stdio};
    for signal in ["QUIT", "USR1", "XFSZ"] {
        let dir = tempfile::tempdir().expect("tempdir");
        // Reading a stdin nobody closes: the run waits, its output open.
        let mut child = common::zhibiao_command(dir.path(), &["run", "-", "-o", "out.jsonl"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let temps = || {
            std::fs::read_dir(dir.path())
                .expect("list")
                .filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
                .count()
        };
        let started = std::time::Instant::now();
        while temps() == 0 {
            assert!(
                started.elapsed() < common::HANG_LIMIT,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let sent = Command::new("kill")
            .args(["-s", signal, &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
        let status = common::wait_bounded(
            &mut child,
            &format!("run after SIG{signal}"),
            common::HANG_LIMIT,
        );
        assert!(!status.success(), "SIG{signal}: {status:?}");
        assert_eq!(temps(), 0, "SIG{signal} left a temporary file");
        assert!(!dir.path().join("out.jsonl").exists());
    }
}

/// Item 17: the table holds at most `MAX_TABLE_ROWS` facts; the rest are
/// counted and the closing line points to the formats that hold them all.
#[test]
fn item_17_table_is_capped_and_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let n = zhibiao::output::MAX_TABLE_ROWS + 1_500;
    let text: String = (1..=n)
        .map(|i| format!("全年新增高新技术企业{i}家。"))
        .collect();
    std::fs::write(dir.path().join("r.txt"), text).expect("write");
    let (code, out, err) = zhibiao(dir.path(), &["run", "--format", "table", "r.txt"]);
    assert_eq!(code, 0, "{err}");
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("… and 1500 more facts not shown") && last.contains("--format csv"),
        "{last}"
    );
    // Header, the facts shown, the closing line.
    assert_eq!(out.lines().count(), zhibiao::output::MAX_TABLE_ROWS + 2);
    // Every fact is still in the other formats.
    let (_, out, _) = zhibiao(dir.path(), &["run", "--format", "jsonl", "r.txt"]);
    assert_eq!(out.lines().count(), n);
}
