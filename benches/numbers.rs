//! The number reader (divan): what one capture attempt costs, per form,
//! and the `chinese-number` crate's parser on the same Chinese numerals —
//! the figures behind text/number.rs not building on that crate.
//!
//! Run: `cargo bench --bench numbers`.

use std::hint::black_box;

use chinese_number::{ChineseCountMethod, ChineseToNumber};
use zhibiao::text::read_number;

fn main() {
    divan::main();
}

/// Numbers as captures meet them, each followed by the rest of a clause.
const FORMS: &[&str] = &[
    "1305家，",
    "63.25亿元，",
    "1,305家，",
    "1 200家，",
    "3000多万元，",
    "一百零五项，",
    "两千三百人，",
    "三点五亿元，",
    "叁亿伍仟万元，",
    "5万4千6百家，",
    "一千六万元，",
    "统一部署，",
];

#[divan::bench(args = FORMS)]
fn reader(form: &str) -> bool {
    read_number(black_box(form), 0).is_some()
}

/// Chinese integers both parsers read (without a unit: the crate takes only
/// a whole numeral).
const CHINESE: &[&str] = &[
    "一百零五",
    "两千三百",
    "叁亿伍仟万",
    "四亿五千六百四十二万零一十五",
];

#[divan::bench(args = CHINESE)]
fn reader_on_chinese(numeral: &str) -> bool {
    read_number(black_box(numeral), 0).is_some()
}

#[divan::bench(args = CHINESE)]
fn chinese_number_crate(numeral: &str) -> bool {
    let n: Result<u64, _> = black_box(numeral).to_number(ChineseCountMethod::TenThousand);
    n.is_ok()
}
