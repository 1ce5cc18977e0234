//! Checking rule files: names, imports, overrides, lints → effective
//! [`RuleSet`]s plus every diagnostic found.

pub mod model;

pub use model::{IndicatorDef, ProvinceInfo, ResolvedVeto, Rule, RuleSet};

mod stub_api;
pub use stub_api::{Checked, builtin_sources, check, load_paths};
