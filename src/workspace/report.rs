//! One report through the pipeline: read → text → engine → facts
//! ([`process`], [`process_streaming`]), or read and run keeping every
//! candidate for scoring ([`run_for_eval`]); and reading a report alone
//! ([`read_document`]) for `explain`.

use std::io;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::choose::{ProvinceChoice, RuleChoice, choose_rules};
use super::rules::LoadedRules;
use super::sources::{PageInfo, Pages};
use crate::diag::{Code, Diagnostic};
use crate::engine;
use crate::eval::Report;
use crate::input::{Input, read_input};
use crate::output::{FactRecord, ReportInfo, records};
use crate::text::{self, Document, ReadError, SourceFormat};

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
    /// Choosing the rule set: province and region detection.
    pub province: Duration,
    /// Turning facts into records (offsets, line and column, evidence),
    /// and encoding them when the output is JSON Lines.
    pub output: Duration,
    /// Engine timings (scan, resolve, per rule).
    pub engine: engine::Timings,
    /// Per rule set name, the per-rule times belong to that set's rules.
    pub set: Option<usize>,
}

/// Reads, matches and records one report.
pub fn process(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    input: &Input,
    time: bool,
) -> Result<ReportOutcome, Diagnostic> {
    process_with(rules, choice, &Pages::default(), input, time, false)
}

/// [`process`] with what a `--sources` manifest says about the report's
/// page (its URL, title, date); `all_regions` keeps the figures of named
/// parts and wider areas, with their scope (`--all-regions`).
pub fn process_with(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    pages: &Pages,
    input: &Input,
    time: bool,
    all_regions: bool,
) -> Result<ReportOutcome, Diagnostic> {
    let mut records = Vec::new();
    let done = process_streaming_with(
        rules,
        choice,
        pages,
        input,
        (time, all_regions),
        false,
        &mut |_, block| {
            records.extend(block);
            Ok(())
        },
    )
    .map_err(collecting_failed)?;
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
    process_streaming_with(
        rules,
        choice,
        &Pages::default(),
        input,
        (time, false),
        parallel,
        emit,
    )
}

/// [`process_streaming`] with what a `--sources` manifest says about the
/// report's page; `(time, all_regions)` as in [`process_with`].
pub fn process_streaming_with(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    pages: &Pages,
    input: &Input,
    (time, all_regions): (bool, bool),
    parallel: bool,
    emit: &mut dyn FnMut(&ReportInfo, Vec<FactRecord>) -> io::Result<()>,
) -> Result<ReportOutcome, Failure> {
    let t0 = Instant::now();
    let bytes = read_input(input).map_err(Failure::Report)?;
    let read = t0.elapsed();
    let page = match input {
        Input::File(path) => pages.get(path),
        Input::Stdin => None,
    };
    let mut outcome = process_bytes_streaming(
        rules,
        choice,
        input.display(),
        bytes,
        page,
        (time, all_regions),
        parallel,
        emit,
    )?;
    if let Some(t) = outcome.timing.as_mut() {
        t.read = read;
    }
    Ok(outcome)
}

/// Matches and records one report already in memory: `bytes` as a file's
/// content (plain text or an HTML page, in any encoding [`process`] reads),
/// `name` its `doc`, `page` what is known of its page (a URL places the
/// report and may give its year). For texts that never were files: the
/// Python module's `extract`.
pub fn process_bytes(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    name: String,
    bytes: Vec<u8>,
    page: Option<&PageInfo>,
) -> Result<ReportOutcome, Diagnostic> {
    let mut records = Vec::new();
    let done = process_bytes_streaming(
        rules,
        choice,
        name,
        bytes,
        page,
        (false, false),
        false,
        &mut |_, block| {
            records.extend(block);
            Ok(())
        },
    )
    .map_err(collecting_failed)?;
    Ok(ReportOutcome { records, ..done })
}

/// The diagnostic of a run whose blocks were collected into a vector: the
/// report's own (collecting into a vector does not fail).
fn collecting_failed(f: Failure) -> Diagnostic {
    match f {
        Failure::Report(d) => d,
        Failure::Output(e) => Diagnostic::new(Code::OutputFailed, e.to_string()),
    }
}

/// [`process_streaming_with`] on a report already in memory (see
/// [`process_bytes`]); the outcome's reading time is zero.
#[allow(clippy::too_many_arguments)]
pub fn process_bytes_streaming(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    name: String,
    bytes: Vec<u8>,
    page: Option<&PageInfo>,
    (time, all_regions): (bool, bool),
    parallel: bool,
    emit: &mut dyn FnMut(&ReportInfo, Vec<FactRecord>) -> io::Result<()>,
) -> Result<ReportOutcome, Failure> {
    let t1 = Instant::now();
    let mut doc =
        text::read_report_owned(&name, bytes, None).map_err(|e| Failure::Report(read_failed(e)))?;
    apply_page(&mut doc, page);
    doc.keep_parts = all_regions;
    let t2 = Instant::now();
    let RuleChoice {
        set,
        province,
        region,
        adcode,
        region_source,
        ..
    } = choose_rules(rules, choice, &doc);
    let mut timing = time.then(|| StageTimes {
        normalize: t2 - t1,
        province: t2.elapsed(),
        ..StageTimes::default()
    });
    rules.declare_kind(set, &mut doc);
    let year = doc.report_year;
    let info = ReportInfo {
        doc: name,
        province,
        region,
        year,
        rule_set: set.map_or_else(|| "none".to_string(), |i| rules.sets[i].name.clone()),
        adcode,
        region_source,
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
            // A block much longer than a block is one endless sentence (a
            // report without punctuation): its facts go out as they are
            // settled, on this thread, instead of all at its end (issue 25).
            if part.iter().any(|b| b.len() > 2 * engine::BLOCK_BYTES) {
                for block in part {
                    let mut t = time.then(engine::Timings::default);
                    let mut failed = None;
                    engine::run_block_streaming(
                        program,
                        &doc,
                        block.clone(),
                        engine::SETTLE_BATCH,
                        t.as_mut(),
                        &mut |facts| {
                            let started = Instant::now();
                            let recs = records(&doc, &info, &facts, rule_name);
                            if let Some(total) = timing.as_mut() {
                                total.output += started.elapsed();
                            }
                            if failed.is_none()
                                && let Err(e) = emit(&info, recs)
                            {
                                failed = Some(e);
                            }
                        },
                    );
                    if let Some(e) = failed {
                        return Err(Failure::Output(e));
                    }
                    if let (Some(total), Some(t)) = (timing.as_mut(), t) {
                        total.engine.add(&t);
                    }
                }
                continue;
            }
            type Done = (Vec<FactRecord>, Option<(engine::Timings, Duration)>);
            let done: Vec<Done> = part
                .par_iter()
                .map(|block| {
                    let mut t = time.then(engine::Timings::default);
                    let facts = engine::run_block(program, &doc, block.clone(), t.as_mut());
                    let started = Instant::now();
                    let mut recs = records(&doc, &info, &facts, rule_name);
                    for r in &mut recs {
                        if let Some(def) = rules.sets[set].indicators.get(&r.indicator) {
                            r.indicator_name.clone_from(&def.name);
                        }
                    }
                    (recs, t.map(|t| (t, started.elapsed())))
                })
                .collect();
            for (block, t) in done {
                if let (Some(total), Some((t, output))) = (timing.as_mut(), t) {
                    total.engine.add(&t);
                    total.output += output;
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

/// A report that could not be read as a diagnostic (code, message, help).
fn read_failed(e: ReadError) -> Diagnostic {
    Diagnostic::new(e.code, e.message).with_help(e.help)
}

/// Reads and decodes one report (a file, or stdin for `-`), keeping its
/// original text for snippets (`explain`). `format`: `None` sniffs HTML
/// from text. A file that cannot be read or decoded is a diagnostic.
pub fn read_document(input: &Input, format: Option<SourceFormat>) -> Result<Document, Diagnostic> {
    let bytes = read_input(input)?;
    let mut doc = text::read_report(&input.display(), &bytes, format).map_err(read_failed)?;
    apply_page(&mut doc, None);
    Ok(doc)
}

/// What is known of a report's page besides its text: a manifest's row
/// (`--sources`), its URL's date. The page's own URL (its markup's) comes
/// first; a date only gives the year where the text names none
/// ([`Document::year_from_page`]).
pub fn apply_page(doc: &mut Document, page: Option<&PageInfo>) {
    if let Some(page) = page {
        if doc.meta.url.is_none()
            && let Some(url) = &page.url
        {
            doc.meta.url = Some(url.clone());
            doc.meta.url_from = Some("manifest");
        }
        if doc.meta.title.is_none()
            && let Some(title) = &page.title
        {
            doc.meta.title = Some(text::normalize_str(title));
        }
        if let Some(date) = page.date.as_deref().and_then(text::parse_date) {
            doc.year_from_page(date, "the manifest");
        }
    }
    if let Some(date) = doc
        .meta
        .url
        .as_deref()
        .and_then(crate::province::date_in_url)
    {
        doc.year_from_page(date, "the URL");
    }
}

/// Reads `input`, chooses its rule set and runs it keeping every
/// candidate ([`Report::run`]), for scoring and for trying changes
/// (`eval`, `explain --gold`). A report that cannot be read, or for which
/// no set fits, is a diagnostic.
pub fn run_for_eval(
    rules: &LoadedRules,
    choice: &ProvinceChoice,
    input: &Input,
) -> Result<Report, Diagnostic> {
    let mut doc = read_document(input, None)?;
    let name = input.display();
    let set = choose_rules(rules, choice, &doc).set.ok_or_else(|| {
        Diagnostic::new(Code::NothingToScore, format!("{name}: no rule set to run"))
    })?;
    rules.declare_kind(Some(set), &mut doc);
    Ok(Report::run(name, doc, set, &rules.programs[set]))
}
