//! `zhibiao fmt [--check] PATHS…`: rewrite rule files in the canonical
//! layout ([`crate::fmt`]), or, with `--check`, say which are not (a diff
//! of the lines that would change) and exit 1.
//!
//! `-` formats standard input to standard output (for editors).

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::rules_load::print_diagnostics;
use crate::diag::{Code, Diagnostic, Sources};
use crate::fmt::format_source;
use crate::input::{display_path, read_bounded};
use crate::syntax::MAX_FILE_BYTES;

/// `zhibiao fmt [--check] PATHS…`
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// Rule files or folders (searched for *.zb); `-` formats stdin to stdout.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Change nothing: list the files that are not formatted, with the
    /// lines that would change, and exit 1 if there is any.
    #[arg(long)]
    pub check: bool,
}

/// Runs `zhibiao fmt`.
pub fn run(args: &FmtArgs) -> ExitCode {
    let mut failed = false;
    let mut unformatted = 0usize;
    let mut changed = 0usize;
    let mut files = Vec::new();
    let mut sources = Sources::new();
    for path in &args.paths {
        if path.as_os_str() == "-" {
            failed |= !stdin_to_stdout(args.check);
        } else if path.is_dir() {
            let (found, diags) = crate::input::walk::files_with_extension(path, "zb");
            failed |= diags.iter().any(Diagnostic::is_error);
            print_diagnostics(&diags, &sources);
            files.extend(found);
        } else if path.exists() {
            files.push(path.clone());
        } else {
            failed = true;
            print_diagnostics(
                &[Diagnostic::new(
                    Code::BadPath,
                    format!("no such file or folder: {}", display_path(path)),
                )
                .with_help("give a rule file (*.zb) or a folder of them")],
                &sources,
            );
        }
    }
    for path in &files {
        let name = display_path(path);
        let text = match read_text(path) {
            Ok(t) => t,
            Err(d) => {
                print_diagnostics(&[d], &sources);
                failed = true;
                continue;
            }
        };
        let id = sources.add(name.clone(), text.clone());
        let formatted = match format_source(id, &text) {
            Ok(f) => f,
            Err(diags) => {
                print_diagnostics(&diags, &sources);
                failed = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        if args.check {
            unformatted += 1;
            let d = Diagnostic::new(Code::NotFormatted, format!("{name} is not formatted"))
                .with_help(format!("run `zhibiao fmt {name}`"));
            print_diagnostics(&[d], &Sources::new());
            say_raw!("{}", diff(&name, &text, &formatted));
        } else {
            match write_atomic(path, &formatted) {
                Ok(()) => {
                    changed += 1;
                    if !super::ui::quiet() {
                        say!("formatted {name}");
                    }
                }
                Err(e) => {
                    failed = true;
                    print_diagnostics(
                        &[Diagnostic::new(Code::OutputFailed, format!("{name}: {e}"))
                            .with_help("check the file's permissions")],
                        &sources,
                    );
                }
            }
        }
    }
    if !super::ui::quiet() && !files.is_empty() {
        let n = files.len();
        let files_word = if n == 1 { "file" } else { "files" };
        if args.check {
            say!("{unformatted} of {n} rule {files_word} not formatted");
        } else {
            say!("{changed} of {n} rule {files_word} reformatted");
        }
    }
    if failed || unformatted > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A unified diff of the lines that change (three lines of context).
pub fn diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(2)
        .header(name, &format!("{name} (formatted)"))
        .to_string()
}

fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let name = display_path(path);
    let bytes = read_bounded(path, MAX_FILE_BYTES as u64).map_err(|e| {
        Diagnostic::new(
            Code::UnreadableRuleFile,
            format!("{name}: {}", e.describe()),
        )
        .with_help("check the path and its permissions")
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::new(
            Code::UnreadableRuleFile,
            format!("{name} is not UTF-8 text"),
        )
        .with_help("save rule files as UTF-8")
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let mut out = crate::output::atomic::AtomicOutput::create(path)?;
    out.write_all(text.as_bytes())?;
    out.commit()
}

/// `zhibiao fmt -`: true when it went well.
fn stdin_to_stdout(check: bool) -> bool {
    let mut text = String::new();
    let sources = Sources::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        print_diagnostics(
            &[
                Diagnostic::new(Code::UnreadableRuleFile, "stdin is not UTF-8 text")
                    .with_help("save rule files as UTF-8"),
            ],
            &sources,
        );
        return false;
    }
    let mut sources = sources;
    let id = sources.add("<stdin>", text.clone());
    match format_source(id, &text) {
        Ok(f) if check => {
            if f != text {
                print_diagnostics(
                    &[
                        Diagnostic::new(Code::NotFormatted, "<stdin> is not formatted")
                            .with_help("run `zhibiao fmt -` on it"),
                    ],
                    &Sources::new(),
                );
                say_raw!("{}", diff("<stdin>", &text, &f));
                return false;
            }
            true
        }
        Ok(f) => std::io::stdout().write_all(f.as_bytes()).is_ok(),
        Err(diags) => {
            print_diagnostics(&diags, &sources);
            false
        }
    }
}
