//! The figures of a report: every number the number reader finds, once,
//! so that explain can group what rules did by the figure they were about.
//!
//! A figure is keyed by where its number *ends*: "超过1000家" read from 超
//! and "1000家" read from 1 (a rule may capture either) are one figure.
//! The list is built in one pass over the text (each number is read once,
//! the pass goes on after it), so it is linear in the report.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::compile::{Accept, CompiledRule, Inst};
use crate::text::{Number, may_start_number, read_number};

/// Every number of a text, in text order.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    list: Vec<Number>,
}

impl Figures {
    /// Reads every number of `text` (normalized report text).
    pub fn read(text: &str) -> Figures {
        let mut list: Vec<Number> = Vec::new();
        let mut next = 0;
        for (i, c) in text.char_indices() {
            if i < next || !may_start_number(c) {
                continue;
            }
            if let Some(n) = read_number(text, i) {
                next = n.range.end;
                list.push(n);
            }
        }
        Figures { list }
    }

    /// All figures, in text order.
    pub fn all(&self) -> &[Number] {
        &self.list
    }

    /// The figures that start inside `r`.
    pub fn starting_in(&self, r: Range<usize>) -> &[Number] {
        let a = self.list.partition_point(|n| n.range.start < r.start);
        let b = self.list.partition_point(|n| n.range.start < r.end);
        &self.list[a..b.max(a)]
    }

    /// The figure whose number ends at `end`.
    pub fn ending_at(&self, end: usize) -> Option<&Number> {
        let i = self.list.partition_point(|n| n.range.end < end);
        self.list.get(i).filter(|n| n.range.end == end)
    }

    /// The figure at `pos`: the one whose number holds it, else the first
    /// one that starts at or after it (within `limit`).
    pub fn at_or_after(&self, pos: usize, limit: usize) -> Option<&Number> {
        let i = self.list.partition_point(|n| n.range.end <= pos);
        self.list
            .get(i)
            .filter(|n| n.range.start < limit.max(pos + 1))
    }
}

/// Whether `rule` could take `number` as its value: the number's unit
/// converts to the indicator's (a bare number when some capture of the rule
/// takes bare numbers).
pub fn compatible(rule: &CompiledRule, number: &Number) -> bool {
    match number.unit {
        Some(u) => u.converts_to(rule.unit),
        None => rule.insts.iter().any(|i| match i {
            Inst::Capture { accepts, .. } => accepts.contains(&Accept::Bare),
            _ => false,
        }),
    }
}

/// Whether some capture of `rule` takes `number` as it stands (its unit,
/// or its unit's kind, is accepted): stricter than [`compatible`].
pub fn taken_as_is(rule: &CompiledRule, number: &Number) -> bool {
    rule.insts.iter().any(|i| match i {
        Inst::Capture { accepts, .. } => accepts.iter().any(|a| match (a, number.unit) {
            (Accept::Bare, _) => true,
            (Accept::Unit(u), Some(n)) => *u == n,
            (Accept::Kind(k), Some(n)) => n.kind == *k,
            _ => false,
        }),
        _ => false,
    })
}

/// The number's value in `rule`'s indicator unit, when it converts.
pub fn value_for(rule: &CompiledRule, number: &Number) -> Option<Decimal> {
    match number.unit {
        Some(u) => u.convert(number.value, rule.unit),
        None => Some(number.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_number_once_keyed_by_its_end() {
        let text = "全县超过1000家企业,新增37家,比2021年增长12.5%,其中一是扩大。";
        let f = Figures::read(text);
        let shown: Vec<&str> = f.all().iter().map(|n| &text[n.range.clone()]).collect();
        assert_eq!(shown, ["超过1000家", "37家", "2021", "12.5%"]);
        let end = text.find("家企业").expect("家") + "家".len();
        assert_eq!(
            f.ending_at(end).map(|n| n.value.to_string()),
            Some("1000".into())
        );
        let at = text.find("37").expect("37");
        assert_eq!(
            f.at_or_after(at + 1, text.len())
                .map(|n| n.value.to_string()),
            Some("37".into())
        );
        assert_eq!(f.starting_in(0..at + 1).len(), 2);
    }
}
