//! Rule-file syntax: the pest grammar (grammar/zhibiao.pest) and its lowering
//! to a typed AST with spans ([`ast`]).

pub mod ast;
