//! zhibiao (指标): a rule language and tool for pulling numeric indicators out
//! of Chinese science-and-technology bureau reports.
//!
//! Data flows through the modules in order: [`syntax`] → [`check`] →
//! [`compile`]; [`input`] → [`text`] → [`engine`] → [`output`] / [`explain`] / [`eval`] →
//! [`workspace`] (rules loaded, a set chosen and a report processed, for every
//! front end) → [`cli`].
//! The whole pipeline, from a rule file to a fact:
//!
//! ```
//! use zhibiao::check::check;
//! use zhibiao::compile::compile;
//! use zhibiao::diag::Sources;
//! use zhibiao::engine;
//! use zhibiao::text::{SourceFormat, read_report};
//!
//! // 1. Rule files are sources; checking resolves names and imports and
//! //    reports every problem at once.
//! let mut sources = Sources::new();
//! let file = sources.add(
//!     "demo.zb",
//!     r#"
//!     indicator hte_total "高新技术企业总数" unit 家
//!     let 高企 = "高新技术企业" | "高企"
//!     rule 高企总数 -> hte_total {
//!         match 高企 …{0,6} ("达到" | "达") N:家
//!         unless "培育库"
//!         example "高新技术企业总数达到320家" => 320 actual
//!     }
//!     "#,
//! );
//! let checked = check(&sources, &[file]);
//! assert!(!checked.has_errors());
//!
//! // 2. A rule set compiles to a program: one automaton for all rules.
//! let (program, problems) = compile(&checked.sets[0]);
//! assert!(problems.is_empty());
//!
//! // 3. A report is decoded, normalized (full-width digits become ASCII)
//! //    and segmented, keeping offsets into the original bytes.
//! let report = "某县科技局2023年工作总结\n全年预计高新技术企业总数达到３２０家。\n";
//! let doc = read_report("report.txt", report.as_bytes(), Some(SourceFormat::Text)).unwrap();
//!
//! // 4. One scan finds the facts, with status, year and months inferred.
//! let facts = engine::run(&program, &doc);
//! assert_eq!(facts.len(), 1);
//! assert_eq!(facts[0].value.to_string(), "320");
//! assert_eq!(facts[0].status.as_str(), "estimate");
//! assert_eq!(facts[0].year, Some(2023));
//!
//! // 5. Spans map back to the bytes of the file as given.
//! let original = doc.original_range(facts[0].span.clone());
//! assert!(report[original].starts_with("高新技术企业"));
//! ```

pub mod check;
pub mod cli;
pub mod compile;
pub mod diag;
pub mod engine;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod input;
pub mod lexicon;
pub mod lsp;
pub mod output;
pub mod province;
pub mod syntax;
pub mod text;
pub mod work;
pub mod workspace;
