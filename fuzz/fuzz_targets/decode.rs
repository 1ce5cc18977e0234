//! Decoding: arbitrary bytes read as a text report. The decoded text is
//! what encoding_rs (or `String::from_utf8_lossy`) makes of the bytes in the
//! encoding chosen — so the fast decoders (UTF-16, GB18030 with stray
//! bytes, UTF-8 with a few bad ones) agree with the reference ones — and
//! every character of the normalized text maps back inside the file, in
//! order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhibiao::text::{SourceFormat, read_report};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = read_report("fuzz.txt", data, Some(SourceFormat::Text)) else {
        return;
    };
    let reference = match doc.encoding {
        "UTF-8" => Some(String::from_utf8_lossy(data).into_owned()),
        "UTF-8 (BOM)" => Some(String::from_utf8_lossy(&data[3..]).into_owned()),
        "UTF-16LE (BOM)" => Some(encoding_rs::UTF_16LE.decode_without_bom_handling(&data[2..]).0.into_owned()),
        "UTF-16BE (BOM)" => Some(encoding_rs::UTF_16BE.decode_without_bom_handling(&data[2..]).0.into_owned()),
        "GB18030" => Some(encoding_rs::GB18030.decode_without_bom_handling(data).0.into_owned()),
        other => encoding_rs::Encoding::for_label(other.as_bytes())
            .map(|e| e.decode_without_bom_handling(data).0.into_owned()),
    };
    if let Some(reference) = reference {
        assert_eq!(doc.decoded_text(), reference, "decoded as {}", doc.encoding);
    }
    let mut last = 0;
    for (k, c) in doc.text.char_indices() {
        let original = doc.original_range(k..k + c.len_utf8());
        assert!(
            original.start <= original.end && original.end <= data.len(),
            "{k} maps to {original:?}, outside {} bytes",
            data.len()
        );
        assert!(original.start >= last, "{k} maps back before {last}");
        last = original.start;
    }
});
