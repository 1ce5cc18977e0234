//! A bad input spoils only itself (issue 16): the cases of a hostile audit,
//! each run with the real binary inside a batch of good reports, each
//! bounded by the harness (`common::run_bounded` kills a hang and fails the
//! test; nothing here asserts a time).
//!
//! For each: the good reports around the bad one keep their facts, the
//! exit code says whether something failed, stderr names the file and the
//! reason; where the input can be read after all, its facts are asserted.
//! The numbers in the test names follow the list.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::{HANG_LIMIT, run_bounded, zhibiao_bounded};

const GOOD: &str = "全年新增高新技术企业68家，高企总数达到503家。";

/// (doc, "indicator=value") for each JSONL line.
fn facts(jsonl: &str) -> Vec<(String, String)> {
    jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSONL line");
            (
                v["doc"].as_str().unwrap_or_default().to_string(),
                format!("{}={}", v["indicator"].as_str().unwrap_or(""), v["value"]),
            )
        })
        .collect()
}

/// The facts of the docs whose name ends with `name`.
fn of(facts: &[(String, String)], name: &str) -> Vec<String> {
    facts
        .iter()
        .filter(|(d, _)| d.ends_with(name))
        .map(|(_, f)| f.clone())
        .collect()
}

/// A folder `reports/` in a new temporary folder, with two good reports.
fn batch() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).expect("mkdir");
    std::fs::write(reports.join("a_good.txt"), GOOD).expect("write");
    std::fs::write(reports.join("z_good.txt"), "科技型中小企业评价入库812家。").expect("write");
    (dir, reports)
}

/// The good reports of [`batch`] kept their facts.
fn good_ones_kept(found: &[(String, String)]) {
    let a = of(found, "a_good.txt");
    assert!(a.contains(&"hte_total=503".to_string()), "{found:?}");
    assert!(a.contains(&"hte_new=68".to_string()), "{found:?}");
    assert_eq!(
        of(found, "z_good.txt"),
        ["tsme_registered=812"],
        "{found:?}"
    );
}

fn run_jsonl(dir: &Path, extra: &[&str]) -> (i32, Vec<(String, String)>, String) {
    let mut args = vec!["run", "--format", "jsonl"];
    args.extend_from_slice(extra);
    let (code, out, err) = zhibiao_bounded(dir, &args, None);
    (code, facts(&out), err)
}

// ------------------------------------------------------------- 1. stack

/// html5gum recursed once per double-quoted attribute: 36 KB of `a="v" ` in
/// a folder aborted the whole batch, 180 KB a single-file run or explain.
#[test]
fn case_1_an_attribute_bomb_is_read_and_aborts_nothing() {
    let (dir, reports) = batch();
    let bomb = format!(
        "<html><body><p>{GOOD}</p><p {}>x</p><p>技术合同成交额12.5亿元。</p></body></html>",
        "a=\"v\" ".repeat(30_000)
    );
    std::fs::write(reports.join("m_bomb.html"), &bomb).expect("write");
    let (code, found, err) = run_jsonl(dir.path(), &["reports"]);
    assert_eq!(code, 0, "{err}");
    good_ones_kept(&found);
    let bombed = of(&found, "m_bomb.html");
    assert!(bombed.contains(&"hte_total=503".to_string()), "{bombed:?}");
    assert!(
        bombed.iter().any(|f| f.starts_with("tech_contract")),
        "{bombed:?}"
    );
    assert!(
        err.contains("m_bomb.html") && err.contains("ZB0406"),
        "the skipped markup is said: {err}"
    );
    // A single-file run and explain of it.
    let (code, found, err) = run_jsonl(dir.path(), &["reports/m_bomb.html"]);
    assert_eq!(code, 0, "{err}");
    assert!(!found.is_empty());
    let (code, _, err) = zhibiao_bounded(dir.path(), &["explain", "reports/m_bomb.html"], None);
    assert_eq!(code, 0, "{err}");
}

// ------------------------------------------------------- 2. mis-decodes

/// UTF-8 with a few bad bytes was decoded as GB18030 (0 facts, exit 0);
/// Big5 over ~5 KB was decoded as GB18030.
#[test]
fn case_2_text_with_a_few_bad_bytes_keeps_its_facts() {
    let (dir, reports) = batch();
    // Issue 15, item 4: two facts around three bad bytes.
    let mut short = "全市高新技术企业累计达88家。".as_bytes().to_vec();
    short.extend_from_slice(b"\xff\xfe\x80");
    short.extend_from_slice("科技型中小企业入库120家。".as_bytes());
    std::fs::write(reports.join("b_short.txt"), &short).expect("write");
    // A character cut at the end of the file.
    let mut cut = GOOD.as_bytes().to_vec();
    cut.extend_from_slice(&"。".as_bytes()[..2]);
    std::fs::write(reports.join("c_cut.txt"), &cut).expect("write");
    // A report in UTF-8 with one line in GBK among ~1,000 characters.
    let mut mixed = format!("{GOOD}\n").repeat(30).into_bytes();
    mixed.extend_from_slice(
        &encoding_rs::GBK
            .encode("研发投入持续增长，科技型中小企业评价入库812家。\n")
            .0,
    );
    mixed.extend_from_slice("技术合同成交额12.5亿元。\n".as_bytes());
    std::fs::write(reports.join("d_gbk_line.txt"), &mixed).expect("write");
    // Big5, 20 KB, the facts at the end.
    let filler = "全市科技工作稳步推进，创新体系不断完善，科技服务能力持续提升。\n".repeat(400);
    let traditional = zhconv::zhconv(&format!("{filler}{GOOD}\n"), zhconv::Variant::ZhHant);
    let big5 = encoding_rs::BIG5.encode(&traditional).0.into_owned();
    assert!(big5.len() > 20_000);
    std::fs::write(reports.join("e_big5.txt"), &big5).expect("write");

    let (code, found, err) = run_jsonl(dir.path(), &["reports"]);
    assert_eq!(code, 0, "warnings only: {err}");
    good_ones_kept(&found);
    let short = of(&found, "b_short.txt");
    assert!(short.contains(&"hte_total=88".to_string()), "{short:?}");
    assert!(
        short.contains(&"tsme_registered=120".to_string()),
        "{short:?}"
    );
    assert!(
        err.contains("b_short.txt") && err.contains("ZB0404"),
        "{err}"
    );
    let cut = of(&found, "c_cut.txt");
    assert!(cut.contains(&"hte_total=503".to_string()), "{cut:?}");
    let mixed = of(&found, "d_gbk_line.txt");
    assert_eq!(
        mixed.iter().filter(|f| *f == "hte_total=503").count(),
        30,
        "{mixed:?}"
    );
    assert!(
        mixed.iter().any(|f| f.starts_with("tech_contract")),
        "{mixed:?}"
    );
    let big5 = of(&found, "e_big5.txt");
    assert!(big5.contains(&"hte_total=503".to_string()), "{big5:?}");
    assert!(!err.contains("e_big5.txt"), "read cleanly: {err}");
}

// ------------------------------------------------------------- 3. hangs

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

/// A FIFO in a walked folder blocked the run forever.
#[cfg(unix)]
#[test]
fn case_3_a_named_pipe_in_a_folder_is_skipped() {
    let (dir, reports) = batch();
    mkfifo(&reports.join("m_pipe.txt"));
    let (code, found, err) = run_jsonl(dir.path(), &["reports"]);
    assert_eq!(code, 2, "{err}");
    good_ones_kept(&found);
    assert!(
        err.contains("m_pipe.txt") && err.contains("ZB0706") && err.contains("named pipe"),
        "{err}"
    );
}

/// A FIFO named on the command line: with no writer it reads as empty (an
/// error for it alone); with a writer, it is read.
#[cfg(unix)]
#[test]
fn case_3_a_named_pipe_given_as_a_path_does_not_hang() {
    let (dir, _) = batch();
    let pipe = dir.path().join("pipe.txt");
    mkfifo(&pipe);
    let (code, found, err) = run_jsonl(dir.path(), &["pipe.txt", "reports"]);
    assert_eq!(code, 2, "{err}");
    good_ones_kept(&found);
    assert!(err.contains("pipe.txt") && err.contains("ZB0401"), "{err}");
    // With a writer.
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || {
            // Blocks until zhibiao opens the pipe for reading.
            std::fs::write(pipe, GOOD).expect("write to the pipe");
        })
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    cmd.args(["run", "--format", "jsonl", "pipe.txt"])
        .current_dir(dir.path());
    let (code, out, err) = run_bounded(&mut cmd, None, HANG_LIMIT);
    writer.join().expect("writer");
    assert_eq!(code, 0, "{err}");
    assert!(of(&facts(&out), "pipe.txt").contains(&"hte_total=503".to_string()));
}

/// `ln -s . loop` made the walk exponential; one link read every file 41
/// times with its facts; a rule folder counted "123 files" for 3.
#[cfg(unix)]
#[test]
fn case_3_link_loops_are_walked_once() {
    let (dir, reports) = batch();
    std::os::unix::fs::symlink(".", reports.join("loop1")).expect("symlink");
    std::os::unix::fs::symlink(".", reports.join("loop2")).expect("symlink");
    std::os::unix::fs::symlink("..", dir.path().join("up")).expect("symlink");
    let (code, found, err) = run_jsonl(dir.path(), &["reports"]);
    assert_eq!(code, 0, "{err}");
    good_ones_kept(&found);
    assert_eq!(found.len(), 3, "each fact once: {found:?}");
    assert!(err.contains("loop1") && err.contains("ZB0707"), "{err}");
    // Rule folders too.
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("mkdir");
    std::fs::write(
        rules.join("r.zb"),
        "indicator x \"X\" unit 家\nrule r -> x {\n    match \"高企\" N:家\n    example \"高企5家\" => 5\n    example \"企业5家\" => none\n}\n",
    )
    .expect("write");
    std::os::unix::fs::symlink(".", rules.join("again")).expect("symlink");
    let (code, _, err) = zhibiao_bounded(dir.path(), &["lint", "rules"], None);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("in 1 file"), "{err}");
}

/// `zhibiao run dir 2>&1 | head -1`: `eprintln!` panicked on the closed
/// stderr and the producer waited forever; with one thread, exit 101.
#[cfg(unix)]
#[test]
fn case_3_a_closed_stderr_ends_the_run() {
    let (dir, reports) = batch();
    for i in 0..300 {
        // Each an error on stderr, after `head` has gone.
        std::fs::write(reports.join(format!("empty{i:03}.txt")), "").expect("write");
        std::fs::write(reports.join(format!("good{i:03}.txt")), GOOD).expect("write");
    }
    for threads in ["1", "2"] {
        let script = "\"$0\" run --format jsonl reports 2>&1 | head -1 >/dev/null; \
                      echo \"status ${PIPESTATUS[0]}\"";
        let mut cmd = Command::new("bash");
        cmd.args(["-c", script, env!("CARGO_BIN_EXE_zhibiao")])
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads);
        let (code, out, err) = run_bounded(&mut cmd, None, HANG_LIMIT);
        assert_eq!(code, 0, "{err}");
        let status = out.trim().strip_prefix("status ").unwrap_or("?");
        // Quiet on the closed pipe (0), or reporting the failed reports (2):
        // never a panic (101) or an abort (134).
        assert!(
            status == "0" || status == "2",
            "{threads} thread(s): status {status}: {err}"
        );
    }
}

// ---------------------------------------------------- 4. unbounded reads

/// `run --rules /dev/zero` read 24 GB and was killed; `lint /dev/zero` too;
/// links to /dev/zero as reports held gigabytes.
#[cfg(unix)]
#[test]
fn case_4_endless_inputs_are_refused_without_reading() {
    if !Path::new("/dev/zero").exists() {
        eprintln!("skipped: no /dev/zero on this system");
        return;
    }
    let (dir, reports) = batch();
    let (code, _, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--rules", "/dev/zero", "reports"],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("/dev/zero") && err.contains("ZB0703"), "{err}");
    let (code, _, err) = zhibiao_bounded(dir.path(), &["lint", "/dev/zero"], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a device"), "{err}");
    // As a report, named and linked in the folder.
    std::os::unix::fs::symlink("/dev/zero", reports.join("m_zero.txt")).expect("symlink");
    let (code, found, err) = run_jsonl(dir.path(), &["/dev/zero", "reports"]);
    assert_eq!(code, 2, "{err}");
    good_ones_kept(&found);
    assert!(
        err.contains("/dev/zero") && err.contains("m_zero.txt"),
        "{err}"
    );
    assert_eq!(err.matches("ZB0706").count(), 2, "{err}");
}

/// A rule file over the 4 MiB limit is refused having read 4 MiB.
#[test]
fn case_4_a_huge_rule_file_is_refused() {
    let (dir, _) = batch();
    let huge = format!("// {}\n", "注".repeat(2_000_000));
    std::fs::write(dir.path().join("huge.zb"), huge).expect("write");
    let (code, _, err) = zhibiao_bounded(dir.path(), &["lint", "huge.zb"], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("huge.zb") && err.contains("ZB0102"), "{err}");
}

// ------------------------------------------------- 5. rendering panics

/// miette panicked on labelled lines wider than 65,535 columns.
#[test]
fn case_5_very_long_lines_render() {
    let (dir, reports) = batch();
    let line = "科技工作稳步推进".repeat(9_000);
    std::fs::write(reports.join("long.txt"), format!("{line}{GOOD}{line}\n")).expect("write");
    let (code, out, err) = zhibiao_bounded(dir.path(), &["explain", "reports/long.txt"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("503") || err.contains("503"), "{out}{err}");
    // An error in a rule line of 119,000 characters.
    let alts: Vec<String> = (0..12_000).map(|i| format!("\"词{i}\"")).collect();
    let rule = format!(
        "indicator x \"X\" unit 家\nrule r -> x {{ match ({}) N:家 unless 未知名 }}\n",
        alts.join("|")
    );
    assert!(rule.lines().nth(1).map_or(0, str::len) > 100_000);
    std::fs::write(dir.path().join("wide.zb"), rule).expect("write");
    let (code, _, err) = zhibiao_bounded(dir.path(), &["lint", "wide.zb"], None);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ZB0201") && err.contains("wide.zb"), "{err}");
    assert!(
        err.len() < 20_000,
        "the snippet is clipped: {} bytes",
        err.len()
    );
}

// ------------------------------------------- 6. quadratic paths (results)

/// UTF-16 and GBK with a stray byte took minutes at 15 MB (quadratic);
/// here a size that debug builds read quickly, checked for its facts (the
/// linearity is shown in benches/engine.rs).
#[test]
fn case_6_utf16_and_gbk_with_a_stray_byte_are_read_whole() {
    let (dir, reports) = batch();
    let text = format!("{GOOD}\n").repeat(4_000);
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(reports.join("u16.txt"), &utf16).expect("write");
    let mut gbk = encoding_rs::GBK.encode(&text).0.into_owned();
    let middle = gbk.len() / 2;
    let middle = middle - middle % 2;
    assert!(gbk[middle] == b'\n' || gbk[middle] >= 0x80);
    let at = gbk[..middle]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    gbk.insert(at, 0xFF);
    std::fs::write(reports.join("gbk.txt"), &gbk).expect("write");
    let (code, found, err) = run_jsonl(dir.path(), &["reports"]);
    assert_eq!(code, 0, "{err}");
    good_ones_kept(&found);
    let count = |doc: &str| {
        of(&found, doc)
            .iter()
            .filter(|f| *f == "hte_total=503")
            .count()
    };
    assert_eq!(count("u16.txt"), 4_000);
    assert_eq!(count("gbk.txt"), 4_000);
    assert!(err.contains("gbk.txt") && err.contains("ZB0404"), "{err}");
}

// ------------------------------------------------------------ 7. `-o`

/// `-o` replaced links and devices with regular files, lost the mode, left
/// temporary files on signals and did all the work for a folder target.
#[cfg(unix)]
#[test]
fn case_7_output_keeps_links_modes_and_pipes() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, _) = batch();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("real.jsonl"), "old").expect("write");
    std::fs::set_permissions(
        out.join("real.jsonl"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    std::os::unix::fs::symlink("real.jsonl", out.join("link.jsonl")).expect("symlink");
    let (code, _, err) = zhibiao_bounded(
        dir.path(),
        &[
            "run",
            "--format",
            "jsonl",
            "-o",
            "out/link.jsonl",
            "reports",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let link = std::fs::symlink_metadata(out.join("link.jsonl")).expect("meta");
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let written = std::fs::read_to_string(out.join("real.jsonl")).expect("read");
    good_ones_kept(&facts(&written));
    let mode = std::fs::metadata(out.join("real.jsonl"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the mode is kept");
    // A named pipe is written through, not replaced.
    mkfifo(&out.join("pipe"));
    let reader = {
        let pipe = out.join("pipe");
        std::thread::spawn(move || std::fs::read_to_string(pipe).expect("read the pipe"))
    };
    let (code, _, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl", "-o", "out/pipe", "reports"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    good_ones_kept(&facts(&reader.join().expect("reader")));
    assert!(!std::fs::metadata(out.join("pipe")).expect("meta").is_file());
    // A folder is refused before any work.
    let (code, _, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl", "-o", "out", "reports"],
        None,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ZB0702") && err.contains("folder"), "{err}");
    assert!(!err.contains("reports,"), "no work was done: {err}");
    let temps: Vec<_> = std::fs::read_dir(&out)
        .expect("list")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
}

/// A run ended by SIGINT, SIGTERM or SIGHUP leaves no temporary file; one
/// left by a killed run is removed by the next.
#[cfg(unix)]
#[test]
fn case_7_signals_leave_no_temporary_file() {
    use std::io::Write;
    let (dir, _) = batch();
    let temps = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".zhibiao-") && n.ends_with(".tmp"))
            .collect()
    };
    for signal in ["INT", "TERM", "HUP"] {
        // Reading stdin that never ends: the run waits with its temporary
        // output open.
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .args(["run", "--format", "jsonl", "-o", "facts.jsonl", "-"])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        let mut stdin = child.stdin.take().expect("stdin");
        stdin.write_all(GOOD.as_bytes()).expect("write");
        let started = std::time::Instant::now();
        while temps(dir.path()).is_empty() {
            assert!(started.elapsed() < HANG_LIMIT, "no temporary file appeared");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let status = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
        let started = std::time::Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if started.elapsed() > HANG_LIMIT {
                let _ = child.kill();
                panic!("SIG{signal} did not end the run");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        drop(stdin);
        assert!(
            temps(dir.path()).is_empty(),
            "SIG{signal}: {:?}",
            temps(dir.path())
        );
        assert!(!dir.path().join("facts.jsonl").exists());
    }
    // A stale one of a run that was killed (PID 0 is never a user process).
    std::fs::write(dir.path().join(".facts.jsonl.zhibiao-0-x1y2z3.tmp"), "half").expect("write");
    let (code, _, err) = zhibiao_bounded(
        dir.path(),
        &["run", "--format", "jsonl", "-o", "facts.jsonl", "reports"],
        None,
    );
    assert_eq!(code, 0, "{err}");
    if Path::new("/proc/self").exists() {
        assert!(temps(dir.path()).is_empty(), "{:?}", temps(dir.path()));
    }
}

// ---------------------------------------------- 8. lint passes run's limits

/// lint exited 0 on what run then refused (ZB0102, ZB0311).
#[test]
fn case_8_lint_reports_every_limit_run_enforces() {
    let (dir, _) = batch();
    let head = "indicator x \"X\" unit 家\n";
    let nots = format!("{head}rule r -> x {{\n    match !!!!!!!!\"x\" N:家\n}}\n");
    let alts: Vec<String> = (0..25_000).map(|i| format!("\"词{i}\"")).collect();
    let many = format!(
        "{head}rule r -> x {{\n    match ({}) N:家\n    example \"词1 5家\" => 5\n}}\n",
        alts.join(" | ")
    );
    for (name, text, code_wanted) in [("nots.zb", nots, "ZB0311"), ("many.zb", many, "ZB0102")] {
        std::fs::write(dir.path().join(name), text).expect("write");
        let (code, _, lint_err) = zhibiao_bounded(dir.path(), &["lint", name], None);
        assert_eq!(code, 1, "{lint_err}");
        assert!(lint_err.contains(code_wanted), "{name}: {lint_err}");
        let (code, _, run_err) =
            zhibiao_bounded(dir.path(), &["run", "--rules", name, "reports"], None);
        assert_eq!(code, 1, "{run_err}");
        assert!(run_err.contains(code_wanted), "{name}: {run_err}");
    }
}

// ----------------------------------------------------------- 9. small

/// `--format csv | head -1` printed "ZB0702 … Broken pipe" and exited 1.
#[cfg(unix)]
#[test]
fn case_9_a_closed_pipe_ends_csv_quietly() {
    let (dir, reports) = batch();
    std::fs::write(reports.join("big.txt"), format!("{GOOD}\n").repeat(20_000)).expect("write");
    for format in ["csv", "wide-csv", "jsonl", "json", "table"] {
        let script = format!(
            "\"$0\" run --format {format} reports | head -1 >/dev/null; echo \"status ${{PIPESTATUS[0]}}\""
        );
        let mut cmd = Command::new("bash");
        cmd.args(["-c", &script, env!("CARGO_BIN_EXE_zhibiao")])
            .current_dir(dir.path());
        let (code, out, err) = run_bounded(&mut cmd, None, HANG_LIMIT);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), "status 0", "{format}: {err}");
        assert!(!err.contains("ZB0702"), "{format}: {err}");
    }
}

/// `run a.txt ./a.txt` and a folder plus a file in it read the file twice.
#[test]
fn case_9_one_file_named_twice_is_read_once() {
    let (dir, _) = batch();
    let (code, found, err) = run_jsonl(
        dir.path(),
        &[
            "reports/a_good.txt",
            "./reports/a_good.txt",
            "reports",
            "reports/z_good.txt",
        ],
    );
    assert_eq!(code, 0, "{err}");
    good_ones_kept(&found);
    assert_eq!(found.len(), 3, "{found:?}");
}

/// Two file names that are not UTF-8 printed as the same `doc`.
#[cfg(target_os = "linux")]
#[test]
fn case_9_names_that_are_not_utf8_stay_apart() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let (dir, reports) = batch();
    for name in [&b"r\xff.txt"[..], b"r\xfe.txt"] {
        std::fs::write(reports.join(OsStr::from_bytes(name)), GOOD).expect("write");
    }
    let (code, found, err) = run_jsonl(dir.path(), &["reports"]);
    assert_eq!(code, 0, "{err}");
    let mut docs: Vec<&str> = found
        .iter()
        .map(|(d, _)| d.as_str())
        .filter(|d| d.contains("/r\\x"))
        .collect();
    docs.dedup();
    assert_eq!(
        docs,
        ["reports/r\\xFE.txt", "reports/r\\xFF.txt"],
        "{found:?}"
    );
}
