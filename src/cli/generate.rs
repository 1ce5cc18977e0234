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
        Some(dir) => write_pages(dir).map(|()| Vec::new()),
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
            dir.map(|d| format!(" into {}", crate::input::display_path(d)))
                .unwrap_or_default()
        )),
    }
}

/// Writes a page per (sub)command into `dir`, as `clap_mangen::generate_to`
/// names them, each through a temporary file renamed over its name: a
/// symbolic link among the names is replaced, never written through (a
/// link `zhibiao-run.1 → ~/.bashrc` would have overwritten the file it
/// points to), and no page is left half-written.
fn write_pages(dir: &Path) -> io::Result<()> {
    fn pages(cmd: clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> io::Result<()> {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            pages(sub, out)?;
        }
        let man = clap_mangen::Man::new(cmd);
        let mut bytes = Vec::new();
        man.render(&mut bytes)?;
        out.push((man.get_filename(), bytes));
        Ok(())
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = Vec::new();
    pages(cmd, &mut out)?;
    for (name, bytes) in out {
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // As `File::create` would make it (the umask applies).
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut temp = builder.tempfile_in(dir)?;
        temp.write_all(&bytes)?;
        temp.flush()?;
        temp.persist(dir.join(&name)).map_err(|e| e.error)?;
    }
    Ok(())
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
