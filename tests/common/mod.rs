//! Helpers shared by the integration tests that run the real binary.

use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `zhibiao ARGS` in `dir` with extra environment variables, no colour
/// and no stdin; returns (exit code, stdout, stderr).
#[allow(dead_code)]
pub fn zhibiao_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .args(args)
        .current_dir(dir)
        .envs(env.iter().copied())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run zhibiao");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A `zhibiao ARGS` command in `dir` to spawn: no colour, no stdin, stdout
/// and stderr piped. A test changes what it needs (a stdin to write, an
/// output to /dev/full) before spawning it.
#[allow(dead_code)]
pub fn zhibiao_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    cmd.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// How long a hostile case may run before the harness calls it a hang. A
/// limit to stop a hung test, not a speed check: debug builds on a busy
/// machine take seconds for what a release build does in milliseconds.
#[allow(dead_code)]
pub const HANG_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Runs `cmd` (stdout and stderr captured, `stdin` written to it or none),
/// and kills it if it has not finished after `limit`: the test then fails
/// as a hang instead of hanging. Returns (exit code, or 128 + signal;
/// stdout; stderr).
#[allow(dead_code)]
pub fn run_bounded(
    cmd: &mut Command,
    stdin: Option<Vec<u8>>,
    limit: std::time::Duration,
) -> (i32, String, String) {
    use std::io::{Read, Write};
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    let mut child = cmd.spawn().expect("spawn zhibiao");
    let feeder = stdin.and_then(|bytes| {
        let mut pipe = child.stdin.take()?;
        Some(std::thread::spawn(move || {
            // The program may stop reading early: a broken pipe is fine.
            let _ = pipe.write_all(&bytes);
        }))
    });
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let status = wait_bounded(&mut child, &format!("zhibiao {cmd:?}"), limit);
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let code = status.code().unwrap_or_else(|| {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        }
        #[cfg(not(unix))]
        {
            -1
        }
    });
    (
        code,
        out.join().expect("stdout reader"),
        err.join().expect("stderr reader"),
    )
}

/// Waits for `child`, killing it if it has not finished after `limit`:
/// the test then fails as a hang (`what` names the command) instead of
/// hanging.
#[allow(dead_code)]
pub fn wait_bounded(
    child: &mut std::process::Child,
    what: &str,
    limit: std::time::Duration,
) -> std::process::ExitStatus {
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} still ran after {limit:?}: it hangs");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Waits for a spawned `child` under [`HANG_LIMIT`] (killed and failed as
/// a hang after it), reading its stderr meanwhile when it is piped (so a
/// full pipe cannot stall it); returns (exit code, or 128 + signal;
/// stderr). For cases whose stdout is not a pipe to read whole: a file,
/// /dev/full, or a pipe the test closes early.
#[allow(dead_code)]
pub fn finish_bounded(child: &mut std::process::Child, what: &str) -> (i32, String) {
    use std::io::Read;
    let err = child.stderr.take().map(|mut r| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            String::from_utf8_lossy(&buf).into_owned()
        })
    });
    let status = wait_bounded(child, what, HANG_LIMIT);
    let code = status.code().unwrap_or_else(|| {
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        }
        #[cfg(not(unix))]
        {
            -1
        }
    });
    let err = err
        .map(|h| h.join().expect("stderr reader"))
        .unwrap_or_default();
    (code, err)
}

/// The facts of a JSON Lines run, blank lines skipped.
#[allow(dead_code)]
pub fn json_facts(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// `zhibiao ARGS` in `dir` under [`run_bounded`], no colour, with `stdin`.
#[allow(dead_code)]
pub fn zhibiao_bounded(dir: &Path, args: &[&str], stdin: Option<Vec<u8>>) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_zhibiao"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    run_bounded(&mut cmd, stdin, HANG_LIMIT)
}

/// The shipped common rule set (what a report of no known province gets),
/// checked and compiled without a diagnostic.
#[allow(dead_code)]
pub fn common_program() -> zhibiao::compile::Program {
    let mut sources = zhibiao::diag::Sources::new();
    let files = zhibiao::check::builtin_sources(&mut sources);
    let checked = zhibiao::check::check(&sources, &files);
    assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
    let set = checked
        .sets
        .iter()
        .find(|s| s.province.is_none())
        .expect("the common rule set");
    let (program, diags) = zhibiao::compile::compile(set);
    assert!(diags.is_empty(), "{diags:?}");
    program
}

/// The rule sets of `roots` in `sources`, checked without a diagnostic,
/// with their compiled programs (in the same order).
#[allow(dead_code)]
pub fn checked_sets(
    sources: &zhibiao::diag::Sources,
    roots: &[zhibiao::diag::FileId],
) -> (Vec<zhibiao::check::RuleSet>, Vec<zhibiao::compile::Program>) {
    let checked = zhibiao::check::check(sources, roots);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
    let programs = checked
        .sets
        .iter()
        .map(|s| zhibiao::compile::compile(s).0)
        .collect();
    (checked.sets, programs)
}

/// A fact as one line of words: `indicator value status year months`, with
/// `-` for no year or months (what the phrasing tests compare).
#[allow(dead_code)]
pub fn fact_line(f: &zhibiao::engine::Fact) -> String {
    format!(
        "{} {} {} {} {}",
        f.indicator,
        f.value,
        f.status.as_str(),
        f.year.map_or("-".to_string(), |y| y.to_string()),
        f.months.as_deref().unwrap_or("-")
    )
}

/// Whether a test that needs `../shared` (the corpus, score.py, the
/// catalog) or python3 must fail when they are missing rather than skip:
/// under CI (`.ci/run` sets `ZHIBIAO_REQUIRE_SHARED=1`; `CI=true` counts
/// too), a skipped corpus test would pass without testing anything.
#[allow(dead_code)]
pub fn shared_required() -> bool {
    std::env::var("ZHIBIAO_REQUIRE_SHARED").is_ok_and(|v| v == "1")
        || std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips a test because `what` is missing (printing why), or fails it
/// when [`shared_required`].
#[allow(dead_code)]
pub fn skip_unless_required(what: &str) {
    assert!(
        !shared_required(),
        "{what}; under CI (ZHIBIAO_REQUIRE_SHARED=1 or CI=true) this test must run, not skip"
    );
    println!("skipped: {what}");
}
