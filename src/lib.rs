//! zhibiao (指标): a rule language and tool for pulling numeric indicators out
//! of Chinese science-and-technology bureau reports.
//!
//! Data flows through the modules in order: [`syntax`] → [`check`] →
//! [`compile`] → [`text`] → [`engine`] → [`output`] / [`explain`] → [`cli`].

pub mod check;
pub mod cli;
pub mod diag;
pub mod province;
pub mod syntax;
pub mod text;
