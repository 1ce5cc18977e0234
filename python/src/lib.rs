//! `zhibiao._native`: the Python module's compiled half, a thin layer over
//! the zhibiao library — the same loading, engine, serializers and command
//! line as the `zhibiao` binary, no second engine. The pure-Python package
//! (`python/zhibiao/`) turns what this returns into dicts, DataFrames and
//! exceptions.
//!
//! Results cross into Python as JSON text written by the library's own
//! serializers (the JSONL contract's encoder for facts, the `--format json`
//! documents of `test`, `explain` and `eval`), so the Python API returns
//! exactly what the CLI prints. Batches run with the GIL released.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rayon::prelude::*;

use zhibiao::diag::render::{RenderOptions, render_human};
use zhibiao::diag::{Code, Diagnostic as Diag, Sources};
use zhibiao::input::{self, Input};
use zhibiao::output::{CSV_COLUMNS, FactRecord};
use zhibiao::workspace::{
    self, EvalRequest, ExplainRequest, ExplainStop, LoadedRules, PageInfo, ProvinceChoice,
};

/// One diagnostic as data: code, severity, message, help, notes and the
/// labelled spans; `str()` renders it as the CLI does (miette, no colour).
#[pyclass(frozen, module = "zhibiao", name = "Diagnostic")]
struct Diagnostic {
    /// The stable code (`ZB0101`).
    #[pyo3(get)]
    code: String,
    /// `error`, `warning` or `advice`.
    #[pyo3(get)]
    severity: String,
    /// The message.
    #[pyo3(get)]
    message: String,
    /// The help line, if any.
    #[pyo3(get)]
    help: Option<String>,
    /// Extra notes.
    #[pyo3(get)]
    notes: Vec<String>,
    /// The labels: (file, start, end, line, column, label), byte offsets
    /// into the file, line and column 1-based.
    labels: Vec<(String, usize, usize, usize, usize, String)>,
    /// The miette rendering.
    rendered: String,
}

impl Diagnostic {
    fn new(d: &Diag, sources: &Sources) -> Self {
        let has = |id: zhibiao::diag::FileId| (id.0 as usize) < sources.iter().count();
        let labels = d
            .labels
            .iter()
            .filter(|l| has(l.file))
            .map(|l| {
                let (line, column) = sources.line_col(l.file, l.span.start);
                (
                    sources.get(l.file).name.clone(),
                    l.span.start,
                    l.span.end,
                    line,
                    column,
                    l.message.clone(),
                )
            })
            .collect();
        let severity = serde_json::to_value(d.severity)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        Diagnostic {
            code: d.code.as_str().to_string(),
            severity,
            message: d.message.clone(),
            help: d.help.clone(),
            notes: d.notes.clone(),
            labels,
            rendered: render_human(
                d,
                sources,
                RenderOptions {
                    color: false,
                    width: 100,
                },
            ),
        }
    }
}

#[pymethods]
impl Diagnostic {
    /// The labelled spans, each a dict: file, start, end (byte offsets),
    /// line, column (1-based) and label; the first is the primary one.
    #[getter]
    fn spans<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.labels
            .iter()
            .map(|(file, start, end, line, column, label)| {
                let d = PyDict::new(py);
                d.set_item("file", file)?;
                d.set_item("start", start)?;
                d.set_item("end", end)?;
                d.set_item("line", line)?;
                d.set_item("column", column)?;
                d.set_item("label", label)?;
                Ok(d)
            })
            .collect()
    }

    /// The primary span (the first), or None.
    #[getter]
    fn span<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        Ok(self.spans(py)?.into_iter().next())
    }

    fn __str__(&self) -> String {
        self.rendered.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Diagnostic {} {}: {}>",
            self.code, self.severity, self.message
        )
    }
}

/// A `ZhibiaoError` (defined in Python, `zhibiao._errors`) carrying `diag`.
fn error(py: Python<'_>, diag: &Diag, sources: &Sources) -> PyErr {
    let d = Diagnostic::new(diag, sources);
    match py
        .import("zhibiao._errors")
        .and_then(|m| m.getattr("ZhibiaoError"))
        .and_then(|cls| cls.call1((d,)))
    {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// Rules loaded from files or folders (or the shipped ones): checked and
/// compiled once, then run on any number of texts and reports.
#[pyclass(frozen, module = "zhibiao._native", name = "NativeRules")]
struct NativeRules {
    /// The paths given (empty: the shipped rules).
    paths: Vec<PathBuf>,
    /// The compiled rules, or the sources and errors that stop them.
    loaded: Result<Arc<LoadedRules>, (Sources, Vec<Diag>)>,
}

impl NativeRules {
    /// The rules, or a `ZhibiaoError` with their first error.
    fn rules(&self, py: Python<'_>) -> PyResult<&Arc<LoadedRules>> {
        match &self.loaded {
            Ok(r) => Ok(r),
            Err((sources, diags)) => Err(match diags.first() {
                Some(d) => error(py, d, sources),
                None => PyRuntimeError::new_err("the rules did not load"),
            }),
        }
    }

    /// `province`: None or `auto` detects per report.
    fn choice(
        &self,
        py: Python<'_>,
        province: Option<&str>,
    ) -> PyResult<(Arc<LoadedRules>, ProvinceChoice)> {
        let rules = self.rules(py)?.clone();
        let choice = workspace::parse_province(&rules, province)
            .map_err(|d| error(py, &d, &Sources::new()))?;
        Ok((rules, choice))
    }
}

/// JSON Lines of `records`, by the CLI's encoder.
fn jsonl(records: &[FactRecord]) -> Result<String, Diag> {
    let mut lines = Vec::new();
    zhibiao::output::jsonl_lines(records, &mut lines)
        .map_err(|e| Diag::new(Code::OutputFailed, format!("cannot encode facts: {e}")))?;
    String::from_utf8(lines)
        .map_err(|e| Diag::new(Code::OutputFailed, format!("cannot encode facts: {e}")))
}

/// Runs `f` on a pool of `threads` threads (None or 0: rayon's global pool,
/// one per core).
fn on_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> Result<T, Diag> {
    match threads.filter(|&n| n > 0) {
        None => Ok(f()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map(|pool| pool.install(f))
            .map_err(|e| {
                Diag::new(
                    Code::BadOption,
                    format!("threads={n}: cannot start {n} threads: {e}"),
                )
                .with_help("ask for fewer threads, or leave threads=None for one per core")
            }),
    }
}

#[pymethods]
impl NativeRules {
    /// Loads, checks and compiles rule files or folders (the shipped rules
    /// when `paths` is empty). Never raises for errors in the rules: they
    /// are kept (`errors()`), and running such rules raises.
    #[staticmethod]
    fn load(py: Python<'_>, paths: Vec<PathBuf>) -> Self {
        let loaded = py.detach(|| {
            workspace::load_rules(&paths)
                .map(Arc::new)
                .map_err(|e| (e.sources, e.diagnostics))
        });
        NativeRules { paths, loaded }
    }

    /// The paths the rules were loaded from (empty: the shipped rules).
    #[getter]
    fn paths(&self) -> Vec<PathBuf> {
        self.paths.clone()
    }

    /// Whether the rules loaded without errors (and can run).
    #[getter]
    fn ok(&self) -> bool {
        self.loaded.is_ok()
    }

    /// The errors that stop the rules from running (empty when `ok`).
    fn errors(&self) -> Vec<Diagnostic> {
        match &self.loaded {
            Ok(_) => Vec::new(),
            Err((sources, diags)) => diags.iter().map(|d| Diagnostic::new(d, sources)).collect(),
        }
    }

    /// Every diagnostic `zhibiao lint` gives for these rules (the files are
    /// read again). `strict`: the shipping standard (always on for the
    /// shipped rules).
    #[pyo3(signature = (strict = false))]
    fn lint(&self, py: Python<'_>, strict: bool) -> Vec<Diagnostic> {
        let linted = py.detach(|| workspace::lint(&self.paths, strict));
        linted
            .diagnostics
            .iter()
            .map(|d| Diagnostic::new(d, &linted.sources))
            .collect()
    }

    /// The names of the provinces these rules have files for.
    fn provinces(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        Ok(self
            .rules(py)?
            .province_names()
            .into_iter()
            .map(str::to_string)
            .collect())
    }

    /// `zhibiao test --format json` on these rules, as JSON text.
    #[pyo3(signature = (rule = Vec::new(), all = false))]
    fn test_json(&self, py: Python<'_>, rule: Vec<String>, all: bool) -> PyResult<String> {
        let rules = self.rules(py)?.clone();
        // As `zhibiao test`: the examples of the files named, not of their
        // imports, unless `all` (the shipped rules: every example).
        let own_only = !self.paths.is_empty() && !all;
        let done = py.detach(|| workspace::test_examples(&rules, own_only, &rule));
        let run = done.map_err(|d| error(py, &d, &rules.sources))?;
        serde_json::to_string(&run.to_report(&rules))
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }

    /// The facts of one report's bytes (plain text or an HTML page, in any
    /// encoding `zhibiao run` reads), as JSON Lines. `name` is their `doc`;
    /// `url`, the page's address, places the report as a `--sources`
    /// manifest's URL does.
    #[pyo3(signature = (data, name, province = None, url = None))]
    fn extract_jsonl(
        &self,
        py: Python<'_>,
        data: &[u8],
        name: String,
        province: Option<&str>,
        url: Option<String>,
    ) -> PyResult<String> {
        let (rules, choice) = self.choice(py, province)?;
        let data = data.to_vec();
        let page = url.map(|url| PageInfo {
            url: Some(url),
            ..PageInfo::default()
        });
        let done = py.detach(|| {
            let outcome = workspace::process_bytes(&rules, &choice, name, data, page.as_ref())?;
            jsonl(&outcome.records)
        });
        done.map_err(|d| error(py, &d, &Sources::new()))
    }

    /// The facts of the reports under `paths` (files or folders, walked as
    /// `zhibiao run` walks them), as JSON Lines in the CLI's order, and the
    /// reports that could not be read (and notes from the walk) as
    /// diagnostics. A path that does not exist raises. `progress(done,
    /// total)` is called between chunks of reports.
    #[pyo3(signature = (paths, province = None, threads = None, progress = None))]
    fn run_jsonl(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        province: Option<&str>,
        threads: Option<usize>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<(String, Vec<Diagnostic>)> {
        let (rules, choice) = self.choice(py, province)?;
        let (inputs, notes) = py.detach(|| input::collect_all(&paths));
        if let Some(bad) = notes.iter().find(|d| d.is_error()) {
            return Err(error(py, bad, &Sources::new()));
        }
        let mut problems: Vec<Diagnostic> = notes
            .iter()
            .map(|d| Diagnostic::new(d, &Sources::new()))
            .collect();
        let total = inputs.len();
        let work = || -> PyResult<(String, Vec<Diag>)> {
            let window = (rayon::current_num_threads() * 8).max(8);
            let mut out = String::new();
            let mut failed = Vec::new();
            let mut done = 0usize;
            for chunk in inputs.chunks(window) {
                let results: Vec<Result<String, Diag>> = chunk
                    .par_iter()
                    .map(|input: &Input| {
                        let outcome = workspace::process(&rules, &choice, input, false)?;
                        jsonl(&outcome.records)
                    })
                    .collect();
                for r in results {
                    match r {
                        Ok(lines) => out.push_str(&lines),
                        Err(d) => failed.push(d),
                    }
                }
                done += chunk.len();
                // Between chunks: Ctrl-C in a notebook stops the batch, and
                // the caller hears how far it got.
                Python::attach(|py| -> PyResult<()> {
                    py.check_signals()?;
                    if let Some(cb) = &progress {
                        cb.call1(py, (done, total))?;
                    }
                    Ok(())
                })?;
            }
            Ok((out, failed))
        };
        let (out, failed) = py
            .detach(|| on_pool(threads, work))
            .map_err(|d| error(py, &d, &Sources::new()))??;
        problems.extend(failed.iter().map(|d| Diagnostic::new(d, &Sources::new())));
        Ok((out, problems))
    }

    /// `zhibiao explain --format json` on a text or a report, as JSON text.
    #[pyo3(signature = (text = None, report = None, *, number = None, at = None,
        rule = Vec::new(), indicator = Vec::new(), province = None, limit = 3,
        max_figures = 30, all = false, gold = None, reports = None))]
    #[allow(clippy::too_many_arguments)]
    fn explain_json(
        &self,
        py: Python<'_>,
        text: Option<String>,
        report: Option<PathBuf>,
        number: Option<String>,
        at: Option<String>,
        rule: Vec<String>,
        indicator: Vec<String>,
        province: Option<String>,
        limit: usize,
        max_figures: usize,
        all: bool,
        gold: Option<PathBuf>,
        reports: Option<PathBuf>,
    ) -> PyResult<String> {
        let rules = self.rules(py)?.clone();
        let req = ExplainRequest {
            report,
            text,
            at,
            number,
            rule,
            indicator,
            province,
            limit,
            max_figures,
            all,
            gold,
            reports,
        };
        match py.detach(|| workspace::explain(&rules, &req)) {
            Ok(done) => serde_json::to_string(&done.output)
                .map_err(|e| PyRuntimeError::new_err(e.to_string())),
            // The last diagnostic is the one that stopped it.
            Err(ExplainStop::Diagnostics(diags, sources, _)) => Err(match diags.last() {
                Some(d) => error(py, d, &sources),
                None => PyRuntimeError::new_err("explain stopped"),
            }),
            Err(ExplainStop::NoRuleSet) => Err(error(
                py,
                &Diag::new(Code::UnknownProvince, "no rule set to run on this report")
                    .with_help("load a common rule file, or give province="),
                &Sources::new(),
            )),
        }
    }

    /// `zhibiao eval --format json` on these rules, as JSON text, and the
    /// annotation files or reports that could not be read.
    #[pyo3(signature = (gold, reports, *, province = None, indicator = Vec::new(),
        rule = Vec::new(), explain = true))]
    #[allow(clippy::too_many_arguments)]
    fn eval_json(
        &self,
        py: Python<'_>,
        gold: PathBuf,
        reports: Vec<PathBuf>,
        province: Option<String>,
        indicator: Vec<String>,
        rule: Vec<String>,
        explain: bool,
    ) -> PyResult<(String, Vec<Diagnostic>)> {
        let rules = self.rules(py)?.clone();
        let req = EvalRequest {
            gold: &gold,
            reports: &reports,
            province: province.as_deref(),
            indicator: &indicator,
            rule: &rule,
            explain,
        };
        let done = py.detach(|| workspace::evaluate(&rules, &req));
        let problems = done
            .problems
            .iter()
            .map(|d| Diagnostic::new(d, &done.sources))
            .collect();
        match done.view {
            Ok(view) => serde_json::to_string(&view)
                .map(|s| (s, problems))
                .map_err(|e| PyRuntimeError::new_err(e.to_string())),
            Err((d, _)) => Err(error(py, &d, &Sources::new())),
        }
    }
}

/// Runs the `zhibiao` command line with `args` (the program name first) and
/// returns its exit code: the console script `zhibiao` of the wheel.
#[pyfunction]
fn main(py: Python<'_>, args: Vec<std::ffi::OsString>) -> u8 {
    let code = py.detach(|| zhibiao::cli::main_with_args(args));
    // ExitCode is opaque; its Debug form holds the number.
    exit_code_number(code)
}

/// The number inside an `ExitCode` (0, 1 or 2 for zhibiao).
fn exit_code_number(code: std::process::ExitCode) -> u8 {
    if code == std::process::ExitCode::SUCCESS {
        return 0;
    }
    for n in 1..=255u8 {
        if code == std::process::ExitCode::from(n) {
            return n;
        }
    }
    1
}

/// The compiled half of the `zhibiao` Python package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // The CSV's columns, which `run`'s DataFrame has, from the library.
    m.add("COLUMNS", CSV_COLUMNS.to_vec())?;
    m.add_class::<Diagnostic>()?;
    m.add_class::<NativeRules>()?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    Ok(())
}
