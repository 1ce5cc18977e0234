//! `zhibiao completions SHELL` and `zhibiao man`: a shell completion script
//! and manual pages, generated from the clap definitions in [`super::Cli`]
//! (clap_complete, clap_mangen), so they list exactly the flags the binary
//! takes. A subcommand rather than a build step: the binary a user
//! installed prints the files that fit it.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;

use super::Cli;
use crate::diag::{Code, Diagnostic, Sources};

/// Prints the completion script for `shell` on stdout.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "zhibiao", &mut out);
    write_out(&out)
}

/// Prints the main manual page (roff) on stdout, or with `dir` writes one
/// page per subcommand there (`zhibiao.1`, `zhibiao-run.1`, …).
pub fn man(dir: Option<&Path>) -> ExitCode {
    let result = match dir {
        Some(dir) => clap_mangen::generate_to(Cli::command(), dir).map(|()| Vec::new()),
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map(|()| out)
        }
    };
    match result {
        Ok(out) => write_out(&out),
        Err(e) => failed(&format!(
            "cannot write the manual pages{}: {e}",
            dir.map(|d| format!(" into {}", d.display()))
                .unwrap_or_default()
        )),
    }
}

fn write_out(bytes: &[u8]) -> ExitCode {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(bytes).and_then(|()| lock.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) ends quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => failed(&format!("cannot write output: {e}")),
    }
}

fn failed(message: &str) -> ExitCode {
    super::rules_load::print_diagnostics(
        &[Diagnostic::new(Code::OutputFailed, message)
            .with_help("check that the folder exists and is writable")],
        &Sources::new(),
    );
    ExitCode::from(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_page_lists_subcommands_and_flags() {
        let mut out = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut out)
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        for sub in ["run", "lint", "test", "explain", "rules", "completions"] {
            assert!(text.contains(&format!("zhibiao\\-{sub}")), "{sub} missing");
        }
        assert!(text.contains("\\-\\-color"), "global flags are listed");
    }
}
