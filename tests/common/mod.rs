//! Helpers shared by the integration tests that run the real binary.

use std::path::Path;
use std::process::{Command, Stdio};

/// Runs `zhibiao ARGS` in `dir` with extra environment variables, no colour
/// and no stdin; returns (exit code, stdout, stderr).
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
