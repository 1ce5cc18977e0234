//! The library's front door for everything that runs rules on reports —
//! the CLI's subcommands today, a language server and a Python binding
//! next (as ruff's `ruff_workspace`): load rules once, choose a rule set
//! per report, process a report, lint rule files. `cli/` only parses
//! arguments and prints what these return.
//!
//! ```
//! use zhibiao::workspace::{self, ProvinceChoice};
//! use zhibiao::input::Input;
//!
//! // The shipped rules (embedded in the binary), every province's set.
//! let rules = workspace::load_rules(&[]).expect("the shipped rules load");
//! // `--province common`, read the one way every command reads it.
//! let choice = workspace::parse_province(&rules, Some("common")).unwrap();
//! assert!(matches!(choice, ProvinceChoice::Fixed(_)));
//! # let dir = std::env::temp_dir().join(format!("zhibiao-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! # let path = dir.join("report.txt");
//! # std::fs::write(&path, "某县科技局2023年工作总结\n全县高新技术企业总数达到320家。\n").unwrap();
//! let outcome = workspace::process(&rules, &choice, &Input::from_arg(&path), false).unwrap();
//! assert_eq!(outcome.records.len(), 1);
//! assert_eq!(outcome.records[0].value.to_string(), "320");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```
//!
//! The API is kept small and stable: what is re-exported here.

pub mod choose;
pub mod eval_view;
pub mod examples;
pub mod explain;
pub mod filter;
pub mod lint;
pub mod report;
pub mod rules;
pub mod scoring;
pub mod sources;

pub use choose::{ProvinceChoice, RuleChoice, choose_rules, parse_province};
pub use examples::{ExampleRun, TestReport, test_examples};
pub use explain::{ExplainOutput, ExplainRequest, ExplainStop, Explanation, explain};
pub use filter::{RuleFilter, eval_filter, rule_filter};
pub use lint::{Linted, SourcesLinted, lint, lint_sources};
pub use report::{
    Failure, ReportOutcome, STREAM_BYTES, StageTimes, apply_page, process, process_bytes,
    process_bytes_streaming, process_streaming, process_streaming_with, process_with,
    read_document, run_for_eval,
};
pub use rules::{LoadedRules, RulesError, load_rules};
pub use scoring::{EvalRequest, Scored, evaluate};
pub use sources::{PageInfo, Pages};
