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
            render_main(&clap_mangen::Man::new(Cli::command()), &mut out).map(|()| out)
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
        let top = cmd.get_name() == "zhibiao";
        let man = clap_mangen::Man::new(cmd);
        let mut bytes = Vec::new();
        if top {
            render_main(&man, &mut bytes)?;
        } else {
            man.render(&mut bytes)?;
        }
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

/// The main page: clap_mangen's sections, then EXAMPLES, EXIT STATUS and
/// ENVIRONMENT (written here: clap knows none of them), then the version.
fn render_main(man: &clap_mangen::Man, out: &mut Vec<u8>) -> io::Result<()> {
    let mut page = Vec::new();
    man.render(&mut page)?;
    let at = page
        .windows(b".SH VERSION".len())
        .position(|w| w == b".SH VERSION")
        .unwrap_or(page.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(MAN_SECTIONS.as_bytes());
    out.extend_from_slice(&page[at..]);
    Ok(())
}

/// EXAMPLES, EXIT STATUS and ENVIRONMENT of `zhibiao(1)`, in roff.
const MAN_SECTIONS: &str = r#".SH EXAMPLES
.TP
\fBzhibiao run reports/ \-o facts.csv\fR
A folder of reports in, a spreadsheet of facts out (the format from the extension).
.TP
\fBzhibiao run reports/ \-\-rules ~/work/zhejiang.zb \-\-labels zh \-o facts.csv\fR
Add your own province file to the shipped rules; status and qualifier in Chinese.
.TP
\fBzhibiao run reports/ \-\-format wide\-csv \-o wide.csv\fR
One row per report, columns per indicator and status.
.TP
\fBzhibiao explain report.html \-\-number 55\fR
Why a figure was (not) read, and which rules almost matched.
.TP
\fBzhibiao lint ~/work/zhejiang.zb\fR
Every problem of a rule file, with its place.
.TP
\fBzhibiao eval \-\-gold gold/ reports/\fR
Precision, recall and F1 against annotations.
.SH "EXIT STATUS"
.TP
\fB0\fR
All fine.
.TP
\fB1\fR
Usage or rule errors: a bad flag, rules with errors, lint or test failures, eval below \-\-min\-f1, no report given, output that cannot be written.
.TP
\fB2\fR
Some reports (or annotation files) could not be read, the others were processed; or no report was found at all.
.SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set (to anything), no colour under \-\-color auto.
.TP
\fBCOLUMNS\fR
The width the table and diagnostics are fitted to, instead of the terminal's.
.TP
\fBZHIBIAO_REQUIRE_SHARED\fR
Tests only: fail instead of skipping when ../shared is missing.
"#;

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
        // The hand-written sections (issue 24, point 11) are on the page
        // `zhibiao man` prints.
        let mut out = Vec::new();
        render_main(&clap_mangen::Man::new(Cli::command()), &mut out)
            .unwrap_or_else(|e| panic!("{e}"));
        let text = String::from_utf8_lossy(&out);
        for section in [".SH EXAMPLES", ".SH \"EXIT STATUS\"", ".SH ENVIRONMENT"] {
            assert!(text.contains(section), "{section} missing");
        }
        assert!(text.contains("NO_COLOR") && text.contains("COLUMNS"));
    }
}
