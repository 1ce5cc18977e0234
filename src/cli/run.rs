//! `zhibiao run`: rules over a batch of reports, facts out.
//!
//! Reports are read and matched in parallel (rayon) in chunks, and written
//! in a stable order (by path), so output does not depend on thread count
//! and memory does not grow with the number of reports. A bad report is
//! reported and skipped; the batch goes on and the exit code says so.

use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::rules_load::{self, LoadedRules};
use super::{OutputFormat, RunArgs};
use crate::diag::{Code, Diagnostic, Sources};
use crate::engine;
use crate::output::{
    CsvSink, FactRecord, FactSink, JsonArraySink, JsonlSink, ReportInfo, TableSink, WideCsvSink,
    records,
};
use crate::text::{self, Document};

/// Extensions read when walking folders.
pub const REPORT_EXTENSIONS: &[&str] = &["txt", "html", "htm", "text"];

/// Largest report read, in bytes.
pub const MAX_REPORT_BYTES: u64 = 512 * 1024 * 1024;

/// One input: a file path, or stdin.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file.
    File(PathBuf),
    /// `-`
    Stdin,
}

impl Input {
    /// The name shown in output.
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Expands paths (files, folders recursively, `-`) into a sorted input list.
pub fn collect_inputs(paths: &[PathBuf]) -> (Vec<Input>, Vec<Diagnostic>) {
    let mut inputs = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut inputs, &mut diags),
            Ok(_) => inputs.push(Input::File(p.clone())),
            Err(e) => diags.push(
                Diagnostic::new(Code::BadPath, format!("{}: {e}", p.display()))
                    .with_help("give report files or folders that exist"),
            ),
        }
    }
    let (mut files, stdin): (Vec<Input>, Vec<Input>) = inputs
        .into_iter()
        .partition(|i| matches!(i, Input::File(_)));
    files.sort();
    files.dedup();
    files.extend(stdin.into_iter().take(1));
    (files, diags)
}

fn walk(dir: &Path, out: &mut Vec<Input>, diags: &mut Vec<Diagnostic>) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::new(
                Code::BadPath,
                format!("{}: cannot list folder: {e}", dir.display()),
            ));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out, diags);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| REPORT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(Input::File(p));
        }
    }
}

/// Reads an input's bytes, refusing files over [`MAX_REPORT_BYTES`].
pub fn read_input(input: &Input) -> Result<Vec<u8>, Diagnostic> {
    let fail = |e: io::Error| {
        Diagnostic::new(
            Code::UnreadableReport,
            format!("{}: cannot read: {e}", input.display()),
        )
        .with_help("check that the file exists and is readable")
    };
    let mut bytes = Vec::new();
    match input {
        Input::Stdin => {
            io::stdin()
                .take(MAX_REPORT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(fail)?;
        }
        Input::File(p) => {
            let f = fs::File::open(p).map_err(fail)?;
            // Sized up front: growing by doubling would hold up to twice the file.
            let len = f
                .metadata()
                .map_or(0, |m| m.len())
                .min(MAX_REPORT_BYTES + 1);
            bytes.reserve_exact(usize::try_from(len).unwrap_or(0));
            f.take(MAX_REPORT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(fail)?;
        }
    }
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(Diagnostic::new(
            Code::ReportTooLarge,
            format!(
                "{}: larger than {} MiB",
                input.display(),
                MAX_REPORT_BYTES / 1024 / 1024
            ),
        )
        .with_help("split the report, or check that it is a report at all"));
    }
    Ok(bytes)
}

/// How `run` picks the rules for a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProvinceChoice {
    /// Detect from the report.
    Auto,
    /// Always this rule set (index into the loaded sets).
    Fixed(usize),
}

/// The outcome for one report.
pub struct ReportOutcome {
    /// Province, region, year.
    pub info: ReportInfo,
    /// Facts as records.
    pub records: Vec<FactRecord>,
    /// The facts already encoded as JSON Lines, with their count (instead
    /// of `records`), when the output is JSON Lines: encoded on the thread
    /// that matched the report.
    pub lines: Option<(usize, Vec<u8>)>,
    /// Warnings (replaced bytes …) for this report.
    pub warnings: Vec<String>,
    /// Where the time went (with `--time`).
    pub timing: Option<StageTimes>,
}

/// Time spent per stage of one or many reports (`--time`).
#[derive(Debug, Clone, Default)]
pub struct StageTimes {
    /// Reading bytes from disk.
    pub read: Duration,
    /// Decoding, HTML, normalizing, segmenting.
    pub normalize: Duration,
    /// Engine timings (scan, resolve, per rule).
    pub engine: engine::Timings,
    /// Per rule set name, the per-rule times belong to that set's rules.
    pub set: Option<usize>,
}

/// `--province NAME|auto|common`: detect per report, or one set for all
/// (`common` or `none`: the common rules). An unknown name is ZB0502.
pub fn province_choice(
    rules: &LoadedRules,
    province: Option<&str>,
) -> Result<ProvinceChoice, Diagnostic> {
    let Some(name) = province.filter(|p| *p != "auto") else {
        return Ok(ProvinceChoice::Auto);
    };
    let short = crate::province::short_province_name(name);
    if let Some(i) = rules.province(&short) {
        return Ok(ProvinceChoice::Fixed(i));
    }
    let known = rules.province_names();
    let listed = if known.is_empty() {
        "the rules loaded are for no province".to_string()
    } else {
        format!("provinces with rules: {}", known.join(", "))
    };
    if short == "common" || short == "none" {
        return rules.fallback().map(ProvinceChoice::Fixed).ok_or_else(|| {
            Diagnostic::new(
                Code::UnknownProvince,
                format!("--province {name}: no common rule file was loaded"),
            )
            .with_help(format!("{listed}; load a common file with --rules"))
        });
    }
    let guess = crate::diag::suggest::closest(&short, known.iter().copied())
        .map(|g| format!("did you mean {g}? "))
        .unwrap_or_default();
    Err(Diagnostic::new(
        Code::UnknownProvince,
        format!("no rules for province {name}"),
    )
    .with_help(format!("{guess}{listed}; or use --province auto")))
}

/// Decides which rule set runs on `doc`, and the region found.
pub fn choose_rules(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    doc: &Document,
) -> (Option<usize>, Option<String>, Option<String>) {
    let c = choose_rules_why(rules, choice, doc);
    (c.set, c.province, c.region)
}

/// Which rule set runs on a report, and why ([`choose_rules_why`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RuleChoice {
    /// The set (index into the loaded sets).
    pub set: Option<usize>,
    /// The province: the set's, else the one the gazetteer found.
    pub province: Option<String>,
    /// The region found.
    pub region: Option<String>,
    /// In plain words: what decided ("issuer 宜兴市科学技术局 names 宜兴市 (江苏)").
    pub why: String,
}

/// [`choose_rules`], saying what decided (for `explain`).
pub fn choose_rules_why(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    doc: &Document,
) -> RuleChoice {
    let detection = crate::province::detect(
        doc.meta.issuer.as_deref(),
        doc.meta.title.as_deref(),
        &doc.text,
    );
    let region = detection.region.clone();
    match choice {
        ProvinceChoice::Fixed(i) => RuleChoice {
            set: Some(*i),
            province: rules.sets[*i].province.as_ref().map(|p| p.name.clone()),
            region,
            why: "--province".into(),
        },
        ProvinceChoice::Auto => {
            let (chosen, why) = match detection.province.as_deref() {
                // The gazetteer decided: that province's rules, or the
                // common ones when it has none — never a neighbour's because
                // the report names one of its cities.
                Some(p) => match rules.province(p) {
                    Some(i) => (Some(i), detection.reason.clone()),
                    None => (
                        rules.fallback(),
                        format!(
                            "{}; no rule file for {p}: the general rules",
                            detection.reason
                        ),
                    ),
                },
                None => {
                    // The gazetteer could not decide: count the names a
                    // province file lists under `regions` in the report's head.
                    let head_end = crate::diag::floor_char_boundary(&doc.text, 4000);
                    let issuer = doc.meta.issuer.as_deref().unwrap_or("");
                    match rules.province_by_regions(&doc.text[..head_end], issuer) {
                        Some(i) => (
                            Some(i),
                            "the report's head names places its rule file lists under `regions`"
                                .to_string(),
                        ),
                        None => (
                            rules.fallback(),
                            "no place name decided: the general rules".into(),
                        ),
                    }
                }
            };
            let province =
                chosen.and_then(|i| rules.sets[i].province.as_ref().map(|p| p.name.clone()));
            RuleChoice {
                set: chosen,
                province: province.or(detection.province),
                region,
                why,
            }
        }
    }
}

/// Reads, matches and records one report.
pub fn process(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    input: &Input,
    time: bool,
) -> Result<ReportOutcome, Diagnostic> {
    let mut records = Vec::new();
    let done = process_streaming(rules, choice, input, time, false, &mut |_, block| {
        records.extend(block);
        Ok(())
    })
    .map_err(|f| match f {
        Failure::Report(d) => d,
        // Collecting into a vector does not fail.
        Failure::Output(e) => Diagnostic::new(Code::OutputFailed, e.to_string()),
    })?;
    Ok(ReportOutcome {
        info: done.info,
        records,
        lines: None,
        warnings: done.warnings,
        timing: done.timing,
    })
}

/// Reports larger than this are matched on the writing thread and written
/// block by block as they are matched, so that one big file never holds
/// all its facts in memory at once.
pub const STREAM_BYTES: u64 = 2 << 20;

/// Why a report produced no (or not all) output.
pub enum Failure {
    /// The report could not be read: say so and go on with the batch.
    Report(Diagnostic),
    /// Writing the output failed: the run must stop.
    Output(io::Error),
}

/// [`process`], handing the records to `emit` one block of text at a time
/// (see [`engine::blocks`]) instead of collecting them; the outcome's
/// `records` stay empty. With `parallel`, blocks run on the rayon pool a
/// few at a time. An error from `emit` stops the report.
pub fn process_streaming(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    input: &Input,
    time: bool,
    parallel: bool,
    emit: &mut dyn FnMut(&ReportInfo, Vec<FactRecord>) -> io::Result<()>,
) -> Result<ReportOutcome, Failure> {
    let t0 = Instant::now();
    let bytes = read_input(input).map_err(Failure::Report)?;
    let t1 = Instant::now();
    let name = input.display();
    let doc = text::read_report_owned(&name, bytes, None).map_err(|e| {
        Failure::Report(Diagnostic::new(e.code, e.message.clone()).with_help(e.help.clone()))
    })?;
    let t2 = Instant::now();
    let mut timing = time.then(|| StageTimes {
        read: t1 - t0,
        normalize: t2 - t1,
        ..StageTimes::default()
    });
    let (set, province, region) = choose_rules(rules, choice, &doc);
    let year = doc.report_year;
    let info = ReportInfo {
        doc: name,
        province,
        region,
        year,
        rule_set: set.map_or_else(|| "none".to_string(), |i| rules.sets[i].name.clone()),
    };
    let warnings = doc
        .warnings
        .iter()
        .map(|w| format!("{}: {} [{}]", info.doc, w.message, w.code.as_str()))
        .collect();
    if let Some(set) = set {
        let program = &rules.programs[set];
        let rule_name = |r: usize| program.rules[r].qualified_name.clone();
        let blocks = engine::blocks(program, &doc);
        // Blocks run a few at a time in parallel (for a report on its own,
        // on the writing thread), and are handed on in order.
        let group = if parallel {
            rayon::current_num_threads().max(1)
        } else {
            1
        };
        for part in blocks.chunks(group) {
            let done: Vec<(Vec<FactRecord>, Option<engine::Timings>)> = part
                .par_iter()
                .map(|block| {
                    let mut t = time.then(engine::Timings::default);
                    let facts = engine::run_block(program, &doc, block.clone(), t.as_mut());
                    (records(&doc, &info, &facts, rule_name), t)
                })
                .collect();
            for (block, t) in done {
                if let (Some(total), Some(t)) = (timing.as_mut(), t) {
                    total.engine.add(&t);
                }
                emit(&info, block).map_err(Failure::Output)?;
            }
        }
        if let Some(t) = timing.as_mut() {
            t.set = Some(set);
        }
    }
    Ok(ReportOutcome {
        info,
        records: Vec::new(),
        lines: None,
        warnings,
        timing,
    })
}

/// Prints `--time` figures: stages, then the slowest rules.
fn print_times(
    rules: &LoadedRules,
    total: &StageTimes,
    per_rule: &[Vec<Duration>],
    wall: Duration,
) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    eprintln!(
        "time per stage (summed over reports; wall clock {:.1} ms):",
        ms(wall)
    );
    eprintln!("  read       {:>10.1} ms", ms(total.read));
    eprintln!("  normalize  {:>10.1} ms", ms(total.normalize));
    eprintln!("  scan       {:>10.1} ms", ms(total.engine.scan));
    eprintln!("  resolve    {:>10.1} ms", ms(total.engine.resolve));
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
    eprintln!("slowest rules (verification time):");
    for (d, name) in rows.iter().take(15) {
        eprintln!("  {:>10.3} ms  {name}", ms(*d));
    }
    if rows.len() > 15 {
        eprintln!("  … {} more rules", rows.len() - 15);
    }
}

/// The sink for `format`; `to_stdout`: a table is fitted to the terminal's
/// width and coloured as `--color` says (never when written to a file).
fn make_sink<'a>(
    format: OutputFormat,
    out: Box<dyn Write + 'a>,
    indicators: Vec<String>,
    to_stdout: bool,
) -> io::Result<Box<dyn FactSink + 'a>> {
    Ok(match format {
        OutputFormat::Jsonl => Box::new(JsonlSink::new(out)),
        OutputFormat::Json => Box::new(JsonArraySink::new(out)),
        OutputFormat::Csv => Box::new(CsvSink::new(out)?),
        OutputFormat::WideCsv => Box::new(WideCsvSink::new(out, indicators)?),
        OutputFormat::Table => Box::new(
            TableSink::new(out)
                .with_width(to_stdout.then(super::ui::terminal_width).flatten())
                .with_color(to_stdout && super::ui::color_stdout()),
        ),
    })
}

/// Bytes of output gathered before a write: a run writes tens of MB, and
/// with the default 8 KiB it made thousands of system calls.
const OUTPUT_BUFFER: usize = 256 * 1024;

/// Writes to a temporary file beside `path` and renames it on success, so a
/// failed run never leaves a half-written output.
struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    file: Option<io::BufWriter<fs::File>>,
}

impl AtomicFile {
    fn create(target: &Path) -> io::Result<Self> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "out".into());
        let tmp = target.with_file_name(format!(".{name}.zhibiao-{}.tmp", std::process::id()));
        let file = fs::File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            file: Some(io::BufWriter::with_capacity(OUTPUT_BUFFER, file)),
        })
    }

    fn commit(mut self) -> io::Result<()> {
        if let Some(f) = self.file.take() {
            f.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        fs::rename(&self.tmp, &self.target)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

struct AtomicWriter<'a>(&'a mut AtomicFile);

impl Write for AtomicWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("output already closed")),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.0.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

/// Runs `zhibiao run`.
pub fn run(args: &RunArgs) -> ExitCode {
    let started = Instant::now();
    if rayon::current_num_threads() > 1 {
        // The gazetteer's automaton takes a few milliseconds to build: build
        // it while the rules load (detection waits for it if need be).
        rayon::spawn(crate::province::prepare);
    }
    let Ok(rules) = rules_load::load(&args.rules) else {
        return ExitCode::from(1);
    };
    let choice = match province_choice(&rules, args.province.as_deref()) {
        Ok(c) => c,
        Err(d) => {
            rules_load::print_diagnostics(&[d], &Sources::new());
            return ExitCode::from(1);
        }
    };
    let paths = if args.paths.is_empty() {
        eprintln!("zhibiao: no reports given; reading the sample reports in samples/");
        vec![PathBuf::from("samples")]
    } else {
        args.paths.clone()
    };
    let (inputs, path_diags) = collect_inputs(&paths);
    rules_load::print_diagnostics(&path_diags, &Sources::new());
    let mut failed = path_diags.len();

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
    let mut indicators: Vec<String> = Vec::new();
    for set in &rules.sets {
        for id in set.indicators.keys() {
            if !indicators.contains(id) {
                indicators.push(id.clone());
            }
        }
    }

    let mut atomic = match &args.output {
        Some(p) => match AtomicFile::create(p) {
            Ok(f) => Some(f),
            Err(e) => {
                rules_load::print_diagnostics(
                    &[
                        Diagnostic::new(Code::OutputFailed, format!("{}: {e}", p.display()))
                            .with_help("check that the folder exists and is writable"),
                    ],
                    &Sources::new(),
                );
                return ExitCode::from(1);
            }
        },
        None => None,
    };
    let out: Box<dyn Write> = match &mut atomic {
        Some(f) => Box::new(AtomicWriter(f)),
        None => Box::new(io::BufWriter::with_capacity(
            OUTPUT_BUFFER,
            io::stdout().lock(),
        )),
    };
    let mut sink = match make_sink(format, out, indicators, args.output.is_none()) {
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
        let large = match input {
            Input::File(p) => {
                fs::metadata(p).is_ok_and(|m| m.len() > args.stream_above.unwrap_or(STREAM_BYTES))
            }
            Input::Stdin => false,
        };
        (!large).then(|| {
            let mut outcome = process(&rules, &choice, input, args.time)?;
            if format == OutputFormat::Jsonl {
                let mut lines = Vec::new();
                crate::output::jsonl_lines(&outcome.records, &mut lines).map_err(|e| {
                    Diagnostic::new(Code::OutputFailed, format!("cannot encode facts: {e}"))
                })?;
                outcome.lines = Some((outcome.records.len(), lines));
                outcome.records = Vec::new();
            }
            Ok(outcome)
        })
    };
    super::ordered::ordered_map(&inputs, window, work, |index, outcome| {
        let result = match outcome {
            Some(Ok(o)) => {
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
                written.map(|()| o).map_err(Failure::Output)
            }
            Some(Err(d)) => Err(Failure::Report(d)),
            None => {
                let emit = &mut |info: &ReportInfo, block: Vec<FactRecord>| {
                    facts += block.len();
                    sink.facts(info, &block)
                };
                process_streaming(&rules, &choice, &inputs[index], args.time, true, emit).and_then(
                    |o| {
                        sink.end_report(&o.info)
                            .map(|()| o)
                            .map_err(Failure::Output)
                    },
                )
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
                    total.engine.scan += t.engine.scan;
                    total.engine.resolve += t.engine.resolve;
                    if let Some(set) = t.set {
                        for (acc, d) in per_rule[set].iter_mut().zip(&t.engine.per_rule) {
                            *acc += *d;
                        }
                    }
                }
                for w in &o.warnings {
                    eprintln!("warning: {w}");
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
    if let Err(e) = sink.finish() {
        return output_failed(e);
    }
    let notes = sink.notes();
    drop(sink);
    if let Some(f) = atomic
        && let Err(e) = f.commit()
    {
        return output_failed(e);
    }
    if args.time {
        print_times(&rules, &total, &per_rule, started.elapsed());
    }
    if !quiet {
        for note in notes {
            eprintln!("note: {note}");
        }
        if let Some(note) = fallback_note(&rules, &fell_back) {
            eprintln!("{note}");
        }
        eprintln!(
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

/// "note: 2 reports ran the common rules (no rules loaded for 江苏 ×2): …",
/// or `None` when every report ran its own province's rules, or when only
/// common rules were loaded (nothing else could have run).
fn fallback_note(
    rules: &LoadedRules,
    fell_back: &std::collections::BTreeMap<Option<String>, usize>,
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
    let ran = match rules.fallback() {
        Some(i) => format!(
            "ran the common rules of {}",
            rules.sources.get(rules.sets[i].root).name
        ),
        None => "ran no rules (no common rule file was loaded)".to_string(),
    };
    Some(format!(
        "note: {} {ran} ({why}): there are rules for {} only; \
         --province NAME runs one province's rules on every report",
        super::ui::counted(total, "report"),
        provinces.join(", ")
    ))
}

fn output_failed(e: io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
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
