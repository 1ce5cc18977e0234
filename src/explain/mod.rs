//! Why a figure was or was not taken, as data: for every figure some rule
//! was about, which rule took it (and why its status, year and months),
//! which rules lost it and why, which were stopped by a veto, how far the
//! others got and the smallest change that would have made them take it.
//!
//! Built on the engine's own scan and verifier ([`crate::engine::scan_in`],
//! [`crate::engine::matcher::verify`]), so what explain says is exactly
//! what `run` did, and what a suggested change would do is what the engine
//! would do with it. Nothing here is about particular rules: the evidence
//! is the engine's generic trace (instructions, how far a walk got, vetoes,
//! priorities). Rendering (text or JSON) happens in the CLI.
//!
//! - [`figures`]: every number of the report, once;
//! - [`collect`]: one scan, each attempt filed under its figure;
//! - [`report`]: per figure, a verdict per rule;
//! - [`fix`]: the smallest change that makes a rule take a figure;
//! - [`edit`]: the same change on the rule set, to see what it does elsewhere;
//! - [`words`]: all of it in plain words and the rule file's terms;
//! - [`view`]: what explain shows, as one model for text and JSON;
//! - [`rule_trace`], [`examples`]: rule by rule, for `zhibiao test`;
//! - [`ties`]: ties only definition order decides (lint ZB0309).

pub mod collect;
pub mod edit;
pub mod examples;
pub mod figures;
pub mod fix;
pub mod report;
pub mod report_examples;
pub mod rule_trace;
pub mod ties;
pub mod view;
pub mod words;

pub use figures::Figures;
pub use fix::{Edit, Fix};
pub use report::{
    Because, Explained, FigureReport, Options, Taken, Verdict, VerdictKind, explain_figures,
    explain_report,
};
pub use rule_trace::{Lost, NearMiss, RuleTrace, Vetoed, explain};
pub use words::{RuleFiles, describe_inst};
