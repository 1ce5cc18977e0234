//! Rule files: arbitrary text through the parser, then the checker and the
//! compiler. Nothing a rule file contains may panic or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhibiao::diag::Sources;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_ast, _diags) = zhibiao::syntax::parse(zhibiao::diag::FileId(0), text);
    // The whole front end: check (names, imports, lints) and compile.
    let mut sources = Sources::new();
    let file = sources.add("fuzz.zb", text);
    let checked = zhibiao::check::check(&sources, &[file]);
    if !checked.has_errors() {
        for set in &checked.sets {
            let _ = zhibiao::compile::compile(set);
        }
    }
});
