//! The HTML reader: arbitrary bytes read as a page. Either a clean per-file
//! error or a document whose every character maps back inside the file,
//! in order — whatever the markup (tags of thousands of attributes, stray
//! end tags, broken entities), without a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhibiao::text::{SourceFormat, read_report};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = read_report("fuzz.html", data, Some(SourceFormat::Html)) else {
        return;
    };
    let decoded = doc.decoded_text();
    let mut last = 0;
    for (k, c) in doc.text.char_indices() {
        let r = k..k + c.len_utf8();
        let original = doc.original_range(r.clone());
        assert!(
            original.start <= original.end && original.end <= data.len(),
            "{r:?} maps to {original:?}, outside {} bytes",
            data.len()
        );
        assert!(original.start >= last, "{r:?} maps back before {last}");
        last = original.start;
        let d = doc.decoded_range(r.clone());
        assert!(
            d.end <= decoded.len() && decoded.is_char_boundary(d.start) && decoded.is_char_boundary(d.end),
            "{r:?} maps to {d:?} in the decoded text"
        );
    }
});
