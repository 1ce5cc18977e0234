//! `zhibiao run`: rules over a batch of reports, facts out.
//!
//! Reports are read and matched in parallel (rayon) in chunks, and written
//! in a stable order (by path), so output does not depend on thread count
//! and memory does not grow with the number of reports. A bad report is
//! reported and skipped; the batch goes on and the exit code says so.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use super::rules_load::{self, LoadedRules};
use super::{OutputFormat, RunArgs};
use crate::diag::{Code, Diagnostic, Sources};
use crate::input::{self as inputs, Input, WalkOptions};
use crate::output::atomic::AtomicOutput;
use crate::output::{
    CsvSink, FactRecord, FactSink, JsonArraySink, JsonlSink, Labels, ReportInfo, TableSink,
    WideCsvSink, WideOptions,
};
use crate::workspace::{
    Failure, Pages, ProvinceChoice, STREAM_BYTES, StageTimes, parse_province,
    process_streaming_with, process_with,
};

/// Prints `--time` figures: stages, then the slowest rules. `startup`:
/// loading the rules and building the gazetteer; `write`: the writing
/// thread's time in the output sink. On one thread (`-j 1`) the stages add
/// up to about the wall clock; on several, the per-report stages are
/// summed over threads.
fn print_times(
    rules: &LoadedRules,
    total: &StageTimes,
    per_rule: &[Vec<Duration>],
    (startup, write): (Duration, Duration),
    wall: Duration,
) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    say!(
        "time per stage (summed over reports; wall clock {:.1} ms):",
        ms(wall)
    );
    let stages = [
        ("start-up", startup),
        ("read", total.read),
        ("normalize", total.normalize),
        ("province", total.province),
        ("scan", total.engine.scan),
        ("resolve", total.engine.resolve),
        ("records", total.output),
        ("write", write),
    ];
    for (name, d) in stages {
        say!("  {name:<10} {:>10.1} ms", ms(d));
    }
    let sum: Duration = stages.iter().map(|s| s.1).sum();
    say!(
        "  {:<10} {:>10.1} ms ({:.0} % of the wall clock)",
        "sum",
        ms(sum),
        100.0 * sum.as_secs_f64() / wall.as_secs_f64().max(1e-9)
    );
    // A common rule runs in every province's set: one row per rule, summed.
    let mut by_rule: std::collections::BTreeMap<&str, Duration> = Default::default();
    for (set, times) in per_rule.iter().enumerate() {
        for (r, d) in times.iter().enumerate() {
            if !d.is_zero() {
                *by_rule
                    .entry(rules.programs[set].rules[r].qualified_name.as_str())
                    .or_default() += *d;
            }
        }
    }
    let mut rows: Vec<(Duration, String)> = by_rule
        .into_iter()
        .map(|(name, d)| (d, name.to_string()))
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    say!("slowest rules (verification time):");
    for (d, name) in rows.iter().take(15) {
        say!("  {:>10.3} ms  {name}", ms(*d));
    }
    if rows.len() > 15 {
        say!("  … {} more rules", rows.len() - 15);
    }
}

/// The sink for `format`; `to_stdout`: a table is fitted to the terminal's
/// width and coloured as `--color` says (never when written to a file).
/// `wide`: the wide CSV's indicators and columns; `labels`: the words of
/// status and qualifier (CSV, wide CSV, table); `scope`: the CSVs get a
/// `scope` column (`--all-regions`).
fn make_sink<'a>(
    format: OutputFormat,
    out: Box<dyn Write + 'a>,
    wide: (Vec<String>, WideOptions),
    labels: Labels,
    (to_stdout, scope): (bool, bool),
) -> io::Result<Box<dyn FactSink + 'a>> {
    Ok(match format {
        OutputFormat::Jsonl => Box::new(JsonlSink::new(out)),
        OutputFormat::Json => Box::new(JsonArraySink::new(out)),
        OutputFormat::Csv => Box::new(CsvSink::with_scope(out, scope)?.with_labels(labels)),
        OutputFormat::WideCsv => Box::new(WideCsvSink::with_options(out, wide.0, &wide.1)?),
        OutputFormat::Table => Box::new(
            TableSink::new(out)
                .with_width(to_stdout.then(super::ui::terminal_width).flatten())
                .with_color(to_stdout && super::ui::color_stdout())
                .with_labels(labels),
        ),
    })
}

/// The indicators of every loaded set (in the order the sets declare
/// them), with their names; only those `--indicator` names when it is
/// given, an unknown id being an error with "did you mean".
fn chosen_indicators(
    rules: &LoadedRules,
    wanted: &[String],
) -> Result<(Vec<String>, Vec<String>), Diagnostic> {
    let mut ids: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for set in &rules.sets {
        for (id, def) in &set.indicators {
            if !ids.contains(id) {
                ids.push(id.clone());
                names.push(def.name.clone());
            }
        }
    }
    if wanted.is_empty() {
        return Ok((ids, names));
    }
    for w in wanted {
        if !ids.contains(w) {
            let valid: Vec<&str> = ids.iter().map(String::as_str).collect();
            let list = crate::diag::suggest::listing(&valid, 40);
            let help = match crate::diag::suggest::closest(w, valid.iter().copied()) {
                Some(s) => format!("did you mean {s}? Valid indicators: {list}"),
                None => format!("valid indicators: {list} (`zhibiao rules indicators` lists them)"),
            };
            return Err(Diagnostic::new(
                Code::UnknownFilter,
                format!("--indicator {w}: no such indicator in the rules loaded"),
            )
            .with_help(help));
        }
    }
    Ok(ids
        .into_iter()
        .zip(names)
        .filter(|(id, _)| wanted.contains(id))
        .unzip())
}

/// Bytes of output gathered before a write to stdout: a run writes tens of
/// MB, and with the default 8 KiB it made thousands of system calls.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// Runs `zhibiao run`.
pub fn run(args: &RunArgs) -> ExitCode {
    let started = Instant::now();
    if rayon::current_num_threads() > 1 {
        // The gazetteer's automaton takes a few milliseconds to build: build
        // it while the rules load (detection waits for it if need be).
        rayon::spawn(crate::province::prepare);
    }
    let Ok(rules) = rules_load::load_for(&args.rules, args.rules_only, args.kind.declared()) else {
        return ExitCode::from(1);
    };
    // The compiled rules live until the process exits: dropping them
    // piece by piece cost 14.5 M instructions, 5 % of a one-report run.
    let rules = std::mem::ManuallyDrop::new(rules);
    if args.time {
        // Counted as start-up, not as the first report's detection.
        crate::province::prepare();
    }
    let choice = match parse_province(&rules, args.province.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            rules_load::print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(1);
        }
    };
    if let Some(note) = choice.note().filter(|_| !super::ui::quiet()) {
        say!("note: {note}");
    }
    // The output is checked (and its temporary file made) before any work.
    let mut atomic = match &args.output {
        Some(p) => match AtomicOutput::create(p) {
            Ok(f) => Some(f),
            Err(e) => {
                rules_load::print_diagnostics(
                    &[Diagnostic::new(
                        Code::OutputFailed,
                        format!("-o {}: {e}", inputs::display_path(p)),
                    )
                    .with_help("give a file in a folder that exists and is writable")],
                    &Sources::new(),
                );
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let pages = match &args.sources {
        Some(file) => match crate::workspace::sources::load(file) {
            Ok(p) => p,
            Err((diags, sources)) => {
                rules_load::print_diagnostics(&diags, &sources);
                return ExitCode::from(1);
            }
        },
        None => Pages::default(),
    };
    let (inputs, mut failed) = match gather_inputs(args) {
        Ok(found) => found,
        Err(code) => return code,
    };

    let format = match super::format::choose_format(
        args.format,
        args.output.as_deref(),
        io::stdout().is_terminal(),
    ) {
        Ok(f) => f,
        Err(d) => {
            rules_load::print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(1);
        }
    };
    let (indicators, names) = match chosen_indicators(&rules, &args.indicator) {
        Ok(found) => found,
        Err(d) => {
            rules_load::print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(1);
        }
    };
    let labels = args.labels.labels();
    if labels == Labels::Zh
        && matches!(format, OutputFormat::Jsonl | OutputFormat::Json)
        && !super::ui::quiet()
    {
        say!("note: --labels zh changes the CSVs and the table; JSON keeps the contract's words");
    }
    let wide = WideOptions {
        fact_counts: args.fact_counts,
        labels,
        names,
        scope: args.all_regions,
    };
    // Facts of other indicators are left out (--indicator).
    let only = |records: &mut Vec<FactRecord>| {
        if !args.indicator.is_empty() {
            records.retain(|r| args.indicator.contains(&r.indicator));
        }
    };

    let out: Box<dyn Write> = match &mut atomic {
        Some(f) => Box::new(f),
        None => Box::new(io::BufWriter::with_capacity(
            OUTPUT_BUFFER,
            io::stdout().lock(),
        )),
    };
    let mut sink = match make_sink(
        format,
        out,
        (indicators, wide),
        labels,
        (args.output.is_none(), args.all_regions),
    ) {
        Ok(s) => s,
        Err(e) => return output_failed(e),
    };

    let quiet = super::ui::quiet();
    let progress = if io::stderr().is_terminal() && inputs.len() > 1 && !quiet {
        let bar = ProgressBar::new(inputs.len() as u64);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} reports {elapsed} {msg}")
        {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };

    let window = (rayon::current_num_threads() * 8).max(8);
    let startup = started.elapsed();
    let mut write_time = Duration::ZERO;
    let mut total = StageTimes::default();
    let mut per_rule: Vec<Vec<Duration>> = rules
        .programs
        .iter()
        .map(|p| vec![Duration::ZERO; p.rules.len()])
        .collect();
    let mut facts = 0usize;
    // Reports that ran the common rules, by the province detected (if any).
    let mut fell_back: std::collections::BTreeMap<Option<String>, usize> = Default::default();
    // A report that no province set fits runs this set (`none`: no rules).
    let fallback_name = rules
        .fallback()
        .map_or_else(|| "none".to_string(), |i| rules.sets[i].name.clone());
    let mut write_error = None;
    // A report's result, or `None` for a report too large to hold whole:
    // the writing thread then matches it and writes it as it goes.
    let work = |input: &Input| {
        // Pipes and stdin, whose size is not known, are read on the writing
        // thread too: one at a time, however many threads run.
        let large = input
            .size_hint()
            .is_none_or(|n| n > args.stream_above.unwrap_or(STREAM_BYTES));
        (!large).then(|| {
            let mut outcome =
                process_with(&rules, &choice, &pages, input, args.time, args.all_regions)?;
            only(&mut outcome.records);
            if format == OutputFormat::Jsonl {
                let encoding = Instant::now();
                let mut lines = Vec::new();
                crate::output::jsonl_lines(&outcome.records, &mut lines).map_err(|e| {
                    Diagnostic::new(Code::OutputFailed, format!("cannot encode facts: {e}"))
                })?;
                outcome.lines = Some((outcome.records.len(), lines));
                outcome.records = Vec::new();
                if let Some(t) = outcome.timing.as_mut() {
                    t.output += encoding.elapsed();
                }
            }
            Ok(outcome)
        })
    };
    super::ordered::ordered_map(&inputs, window, work, |index, outcome| {
        let result = match outcome {
            Some(Ok(o)) => {
                let writing = args.time.then(Instant::now);
                let written = match &o.lines {
                    Some((n, lines)) => {
                        facts += n;
                        sink.lines(&o.info, lines)
                            .and_then(|()| sink.end_report(&o.info))
                    }
                    None => {
                        facts += o.records.len();
                        sink.report(&o.info, &o.records)
                    }
                };
                if let Some(w) = writing {
                    write_time += w.elapsed();
                }
                written.map(|()| o).map_err(Failure::Output)
            }
            Some(Err(d)) => Err(Failure::Report(d)),
            None => {
                let emit = &mut |info: &ReportInfo, mut block: Vec<FactRecord>| {
                    only(&mut block);
                    facts += block.len();
                    sink.facts(info, &block)
                };
                process_streaming_with(
                    &rules,
                    &choice,
                    &pages,
                    &inputs[index],
                    (args.time, args.all_regions),
                    true,
                    emit,
                )
                .and_then(|o| {
                    sink.end_report(&o.info)
                        .map(|()| o)
                        .map_err(Failure::Output)
                })
            }
        };
        match result {
            Ok(o) => {
                if choice == ProvinceChoice::Auto && o.info.rule_set == fallback_name {
                    *fell_back.entry(o.info.province.clone()).or_default() += 1;
                }
                if let Some(t) = &o.timing {
                    total.read += t.read;
                    total.normalize += t.normalize;
                    total.province += t.province;
                    total.output += t.output;
                    total.engine.scan += t.engine.scan;
                    total.engine.resolve += t.engine.resolve;
                    if let Some(set) = t.set {
                        for (acc, d) in per_rule[set].iter_mut().zip(&t.engine.per_rule) {
                            *acc += *d;
                        }
                    }
                }
                for w in &o.warnings {
                    say!("warning: {w}");
                }
            }
            Err(Failure::Report(d)) => {
                failed += 1;
                match &progress {
                    Some(bar) => {
                        bar.suspend(|| rules_load::print_diagnostics(&[d], &Sources::new()))
                    }
                    None => rules_load::print_diagnostics(&[d], &Sources::new()),
                }
            }
            Err(Failure::Output(e)) => {
                write_error = Some(e);
                return false;
            }
        }
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        true
    });
    if let Some(e) = write_error {
        return output_failed(e);
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let finishing = Instant::now();
    if let Err(e) = sink.finish() {
        return output_failed(e);
    }
    write_time += finishing.elapsed();
    let notes = sink.notes();
    drop(sink);
    if let Some(f) = atomic
        && let Err(e) = f.commit()
    {
        return output_failed(e);
    }
    if args.time {
        print_times(
            &rules,
            &total,
            &per_rule,
            (startup, write_time),
            started.elapsed(),
        );
    }
    if !quiet {
        for note in notes {
            say!("note: {note}");
        }
        if let Some(note) = fallback_note(&rules, &fell_back, args.verbose) {
            say!("{note}");
        }
        say!(
            "{}, {}, {} failed in {:.2}s",
            super::ui::counted(inputs.len(), "report"),
            super::ui::counted(facts, "fact"),
            failed,
            started.elapsed().as_secs_f64()
        );
    }
    if failed > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

/// "note: 2 reports ran the common rules (江苏 ×2; --verbose says why)"
/// (with `verbose`: which rules, and what else exists), or `None` when
/// every report ran its own province's rules, or when only common rules
/// were loaded (nothing else could have run).
fn fallback_note(
    rules: &LoadedRules,
    fell_back: &std::collections::BTreeMap<Option<String>, usize>,
    verbose: bool,
) -> Option<String> {
    let total: usize = fell_back.values().sum();
    let provinces = rules.province_names();
    if total == 0 || provinces.is_empty() {
        return None;
    }
    let why = fell_back
        .iter()
        .map(|(p, n)| {
            let who = p.as_deref().unwrap_or("province unknown");
            if *n == 1 {
                who.to_string()
            } else {
                format!("{who} ×{n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let (ran, file) = match rules.fallback() {
        // The shipped file is no path on an installed machine: it is named
        // only when it was loaded from disk.
        Some(i) if rules.is_shipped(i) => (
            "ran the common rules",
            "the built-in common rules".to_string(),
        ),
        Some(i) => (
            "ran the common rules",
            format!(
                "the common rules of {}",
                rules.sources.get(rules.sets[i].root).name
            ),
        ),
        None => ("ran no rules", "no common rule file was loaded".to_string()),
    };
    let count = super::ui::counted(total, "report");
    if !verbose {
        return Some(format!("note: {count} {ran} ({why}; --verbose says why)"));
    }
    Some(format!(
        "note: {count} {ran} ({why}): no rule file for their province ({file}); \
         rule files exist for {}; --province NAME runs one province's rules on every report",
        provinces.join(", ")
    ))
}

/// The reports to read, and how many paths already failed; `Err` with the
/// exit code when there is nothing to run on.
///
/// Paths come from the command line and `--files-from`. With neither, a
/// report piped into stdin is read; else, inside the zhibiao repository
/// under `cargo run` (`CARGO_MANIFEST_DIR` set), the sample reports, so
/// that the README's first command works; else an error says how to give a
/// report.
fn gather_inputs(args: &RunArgs) -> Result<(Vec<Input>, usize), ExitCode> {
    let print = |d: Diagnostic| rules_load::print_diagnostics(&[d], &Sources::new());
    let reports = &args.reports;
    let mut paths = reports.paths.clone();
    if let Some(list) = &reports.files_from {
        if list.as_os_str() == "-" && paths.iter().any(|p| p.as_os_str() == "-") {
            print(
                Diagnostic::new(
                    Code::BadPath,
                    "`--files-from -` and the path `-` both read stdin",
                )
                .with_help("pipe in either the list of paths or one report"),
            );
            return Err(ExitCode::from(1));
        }
        match inputs::read_path_list(list) {
            Ok(listed) => paths.extend(listed),
            Err(d) => {
                print(d);
                return Err(ExitCode::from(1));
            }
        }
    } else if paths.is_empty() {
        if inputs::stdin_is_readable() {
            paths.push(PathBuf::from("-"));
        } else if let Some(samples) = repository_samples() {
            say!(
                "zhibiao: no reports given; reading the sample reports in {}",
                inputs::display_path(&samples)
            );
            paths.push(samples);
        } else {
            print(
                Diagnostic::new(Code::NoReportGiven, "no report given")
                    .with_help("name report files or folders: `zhibiao run reports/`")
                    .with_note("or pipe a report in: `zhibiao run < report.txt`")
                    .with_note("or list paths in a file: `zhibiao run --files-from list.txt`"),
            );
            return Err(ExitCode::from(1));
        }
    }
    let options = WalkOptions {
        globs: reports.globs.clone(),
        types: reports.types.clone(),
        types_not: reports.types_not.clone(),
        exclude: args.output.iter().cloned().collect(),
    };
    let found = match inputs::collect(&paths, &options) {
        Ok(found) => found,
        Err(d) => {
            print(d);
            return Err(ExitCode::from(1));
        }
    };
    rules_load::print_diagnostics(&found.diagnostics, &Sources::new());
    if !super::ui::quiet()
        && let Some(note) = found.skipped_note()
    {
        print(note);
    }
    if found.inputs.is_empty() {
        let named: Vec<String> = paths.iter().map(|p| inputs::display_path(p)).collect();
        let mut why = Vec::new();
        let skipped: usize = found.skipped_by_name.values().sum();
        if skipped > 0 {
            why.push(format!("{skipped} skipped by name"));
        }
        if found.skipped_hidden > 0 {
            why.push(format!("{} hidden", found.skipped_hidden));
        }
        let why = if why.is_empty() {
            String::new()
        } else {
            format!(" ({})", why.join(", "))
        };
        print(
            Diagnostic::new(
                Code::NoReportRead,
                format!("no report was read from {}{why}", named.join(" ")),
            )
            .with_help(
                "give report files, or folders holding them; \
                 --glob/--type select files under folders",
            ),
        );
        return Err(ExitCode::from(2));
    }
    let errors = found.errors();
    Ok((found.inputs, errors))
}

/// `samples/` of the zhibiao repository, when run by `cargo run` there.
fn repository_samples() -> Option<PathBuf> {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    let samples = manifest.join("samples");
    if !samples.is_dir() || !manifest.join("rules").is_dir() {
        return None;
    }
    let here = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok());
    if here.is_some() && here == manifest.canonicalize().ok() {
        return Some(PathBuf::from("samples"));
    }
    Some(samples)
}

fn output_failed(e: io::Error) -> ExitCode {
    // The CSV writer wraps the error of the stream it writes to.
    let broken_pipe = e.kind() == io::ErrorKind::BrokenPipe
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<csv::Error>())
            .is_some_and(|c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe));
    if broken_pipe {
        // A closed pipe (`| head`) ends the run quietly.
        return ExitCode::SUCCESS;
    }
    rules_load::print_diagnostics(
        &[
            Diagnostic::new(Code::OutputFailed, format!("cannot write output: {e}"))
                .with_help("check free disk space and permissions"),
        ],
        &Sources::new(),
    );
    ExitCode::from(1)
}
