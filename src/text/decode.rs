//! Decoding: report bytes → UTF-8 text, with a map back to the bytes.
//!
//! Order of decisions: a BOM wins (UTF-8, UTF-16LE, UTF-16BE); then valid
//! UTF-8 is UTF-8; then UTF-8 with a few bad sequences among many good
//! multi-byte characters is still UTF-8 (bad bytes replaced by U+FFFD and
//! reported); otherwise [`chardetng`] picks the encoding from the file's
//! head (GBK is decoded as its superset GB18030 and reported as "GB18030";
//! Big5 and others as named). Every output character knows its exact input
//! bytes (1, 2 or 4 for GB18030): clean GB18030 is decoded in one call and
//! mapped by its byte lengths; anything else feeds encoding_rs's streaming
//! decoder a byte at a time.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_16BE, UTF_16LE};

use super::offsets::{MapBuilder, OffsetMap};

/// The decoded text and where it came from.
#[derive(Debug)]
pub(crate) struct Decoded<'a> {
    /// Borrowed from the input when it is valid UTF-8 (most reports).
    pub text: Cow<'a, str>,
    pub map: OffsetMap,
    pub encoding: &'static str,
    /// Original offsets of the first few replaced byte sequences.
    pub bad_offsets: Vec<usize>,
    /// How many byte sequences were replaced.
    pub bad_count: usize,
}

/// How many replaced offsets a warning lists.
const BAD_LISTED: usize = 8;

/// Decodes `bytes`; `None` when no encoding reads them acceptably. Valid
/// UTF-8 without a BOM (most reports) is validated once, with SIMD
/// (simdutf8: several times faster than `std::str::from_utf8` on Chinese
/// text), and borrowed, not copied.
pub(crate) fn decode(bytes: &[u8]) -> Option<Decoded<'_>> {
    if !bytes.starts_with(b"\xEF\xBB\xBF")
        && let Ok(text) = simdutf8::basic::from_utf8(bytes)
    {
        return Some(Decoded {
            map: OffsetMap::shifted(text.len(), 0, text.len()),
            text: Cow::Borrowed(text),
            encoding: "UTF-8",
            bad_offsets: Vec::new(),
            bad_count: 0,
        });
    }
    decode_bytes(bytes)
}

/// [`decode`] for text that is not plain valid UTF-8.
fn decode_bytes(bytes: &[u8]) -> Option<Decoded<'static>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let mut d = decode_utf8(rest, 3, bytes.len());
        d.encoding = "UTF-8 (BOM)";
        return Some(d);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Some(decode_with(bytes, 2, UTF_16LE, "UTF-16LE (BOM)"));
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some(decode_with(bytes, 2, UTF_16BE, "UTF-16BE (BOM)"));
    }
    let (bad, good_multibyte) = utf8_quality(bytes);
    if bad == 0 || bad * 50 <= good_multibyte {
        return Some(decode_utf8(bytes, 0, bytes.len()));
    }
    // Simplified Chinese in GBK, told without the detector (13 MB/s, most
    // of reading such a report).
    let gbk_shaped = looks_like_gbk(bytes);
    if gbk_shaped && let Some(d) = decode_gb18030_clean(bytes) {
        return Some(d);
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(detection_sample(bytes), true);
    // Told that reports come from China, the detector calls Big5 text GBK
    // too; asked without that hint it recognises Big5 (and mistakes short
    // GBK text for Western encodings). Big5 when it says so unhinted, else
    // its hinted guess.
    let unhinted = det.guess(None, false);
    let guess = if unhinted == encoding_rs::BIG5 {
        unhinted
    } else {
        det.guess(Some(b"cn"), false)
    };
    let (enc, name) = if guess == encoding_rs::GBK || guess == GB18030 {
        (GB18030, "GB18030")
    } else {
        (guess, guess.name())
    };
    // (Not again when it failed above.)
    let clean = (enc == GB18030 && !gbk_shaped)
        .then(|| decode_gb18030_clean(bytes))
        .flatten();
    let d = clean.unwrap_or_else(|| decode_with(bytes, 0, enc, name));
    let chars = d.text.chars().count().max(1);
    // More than one character in ten replaced: this is not text in `enc`.
    if d.bad_count * 10 > chars {
        return None;
    }
    Some(d)
}

/// Two-byte characters it takes [`looks_like_gbk`] to rule Big5 out.
const GBK_EVIDENCE_CHARS: usize = 64;

/// Whether `bytes` read as Simplified Chinese in GBK: at least
/// [`GBK_EVIDENCE_CHARS`] two-byte characters, no more than one in a
/// hundred with a second byte below 0x7F. Big5 puts the second byte of
/// about two characters in five there; GBK only its rare characters outside
/// GB2312. Such text is decoded as GB18030, as the detector (hinted that
/// reports come from China) would, without it. Malformed sequences are left
/// to [`decode_gb18030_clean`] to refuse.
fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (mut two_byte, mut low_trail) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let len = gb18030_len(bytes, i);
        if len == 2 {
            two_byte += 1;
            low_trail += usize::from(bytes.get(i + 1).is_some_and(|b| *b < 0x7f));
        }
        i += len;
    }
    two_byte >= GBK_EVIDENCE_CHARS && low_trail * 100 <= two_byte
}

/// How many non-ASCII bytes the encoding is guessed from: about 2,000
/// Chinese characters, which tell GBK from Big5 and the rest. The detector
/// reads about 13 MB/s; a report's head is enough for it, and the decoding
/// that follows checks the guess on the whole file (too many replacements
/// and the file is refused).
const DETECTION_NON_ASCII_BYTES: usize = 4096;

/// The head of `bytes` the encoding is guessed from: up to the
/// [`DETECTION_NON_ASCII_BYTES`]th non-ASCII byte, then on to the next
/// ASCII byte so that no character is cut.
fn detection_sample(bytes: &[u8]) -> &[u8] {
    let mut seen = 0;
    let Some(enough) = bytes.iter().position(|&b| {
        seen += usize::from(b >= 0x80);
        seen >= DETECTION_NON_ASCII_BYTES
    }) else {
        return bytes;
    };
    let cut = bytes[enough..]
        .iter()
        .position(|&b| b < 0x80)
        .map_or(bytes.len(), |k| enough + k);
    &bytes[..cut]
}

/// Counts invalid UTF-8 sequences and valid multi-byte characters. Stops
/// counting once the bad ones are more than a fiftieth of the bytes (no
/// count of good ones can then make the text UTF-8): text in another
/// encoding is told after a few hundred bytes, not after a call per
/// character.
fn utf8_quality(bytes: &[u8]) -> (usize, usize) {
    let (mut bad, mut good) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        if bad * 50 > bytes.len() {
            return (bad, good);
        }
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.bytes().filter(|b| *b >= 0xC0).count();
                return (bad, good);
            }
            Err(e) => {
                let (ok, tail) = rest.split_at(e.valid_up_to());
                good += ok.iter().filter(|b| **b >= 0xC0).count();
                bad += 1;
                let skip = e.error_len().unwrap_or(tail.len());
                rest = &tail[skip..];
            }
        }
    }
}

/// UTF-8 with invalid sequences replaced by U+FFFD. `base` is where `bytes`
/// starts in the file.
fn decode_utf8(bytes: &[u8], base: usize, file_len: usize) -> Decoded<'static> {
    let mut text = String::with_capacity(bytes.len());
    let mut b = MapBuilder::new();
    let mut bad_offsets = Vec::new();
    let mut bad_count = 0;
    let mut pos = 0;
    loop {
        match std::str::from_utf8(&bytes[pos..]) {
            Ok(s) => {
                b.copy(base + pos, s.len());
                text.push_str(s);
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                let s = std::str::from_utf8(&bytes[pos..pos + good]).unwrap_or_default();
                b.copy(base + pos, s.len());
                text.push_str(s);
                pos += good;
                let len = e.error_len().unwrap_or(bytes.len() - pos);
                b.piece(base + pos, len, '\u{FFFD}'.len_utf8());
                text.push('\u{FFFD}');
                bad_count += 1;
                if bad_offsets.len() < BAD_LISTED {
                    bad_offsets.push(base + pos);
                }
                pos += len;
            }
        }
    }
    Decoded {
        map: b.finish(file_len),
        text: Cow::Owned(text),
        encoding: "UTF-8",
        bad_offsets,
        bad_count,
    }
}

/// Decodes with a streaming decoder, one input byte at a time outside ASCII
/// runs, so that each output character's input bytes are known exactly.
fn decode_with(
    bytes: &[u8],
    skip: usize,
    enc: &'static Encoding,
    name: &'static str,
) -> Decoded<'static> {
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut b = MapBuilder::new();
    let mut bad_offsets = Vec::new();
    let mut bad_count = 0usize;
    let ascii_ok = enc.is_ascii_compatible();
    let mut pos = skip; // next byte to feed
    let mut char_start = skip; // first input byte of the pending character
    let mut bad = |at: usize, text: &mut String, b: &mut MapBuilder, len: usize| {
        b.piece(at, len, '\u{FFFD}'.len_utf8());
        text.push('\u{FFFD}');
        bad_count += 1;
        if bad_offsets.len() < BAD_LISTED {
            bad_offsets.push(at);
        }
    };
    while pos <= bytes.len() {
        // Fast path: a run of ASCII at a character boundary is copied.
        if ascii_ok && pos == char_start && pos < bytes.len() && bytes[pos] < 0x80 {
            let n = bytes[pos..].iter().take_while(|c| **c < 0x80).count();
            // Safe: ASCII bytes are valid UTF-8.
            text.push_str(std::str::from_utf8(&bytes[pos..pos + n]).unwrap_or_default());
            b.copy(pos, n);
            pos += n;
            char_start = pos;
            continue;
        }
        let last = pos == bytes.len();
        let src = if last { &[][..] } else { &bytes[pos..pos + 1] };
        let mut fed = 0;
        loop {
            text.reserve(16);
            let before = text.len();
            let (res, read) =
                dec.decode_to_string_without_replacement(&src[fed..], &mut text, last);
            fed += read;
            let here = pos + fed;
            let written = text.len() - before;
            match res {
                DecoderResult::InputEmpty => {
                    if written > 0 {
                        b.piece(char_start, here - char_start, written);
                        char_start = here;
                    }
                    break;
                }
                DecoderResult::OutputFull => {
                    if written > 0 {
                        b.piece(char_start, here - char_start, written);
                        char_start = here;
                    }
                }
                DecoderResult::Malformed(bad_len, extra) => {
                    let bad_end = here.saturating_sub(extra as usize).max(char_start);
                    if written > 0 {
                        // Characters completed before the malformed bytes.
                        let bad_start = bad_end.saturating_sub(bad_len as usize).max(char_start);
                        b.piece(char_start, bad_start - char_start, written);
                        char_start = bad_start;
                    }
                    let bad_start = bad_end.saturating_sub(bad_len as usize).max(char_start);
                    bad(bad_start, &mut text, &mut b, bad_end - bad_start);
                    char_start = bad_end;
                }
            }
        }
        if last {
            break;
        }
        pos += 1;
    }
    Decoded {
        map: b.finish(bytes.len()),
        text: Cow::Owned(text),
        encoding: name,
        bad_offsets,
        bad_count,
    }
}

/// The length of the GB18030 character at `at`, if well formed: one byte
/// for ASCII and 0x80 (€), four when the second byte is a digit, two
/// otherwise.
fn gb18030_len(bytes: &[u8], at: usize) -> usize {
    match bytes[at] {
        0..=0x80 => 1,
        _ if bytes.get(at + 1).is_some_and(u8::is_ascii_digit) => 4,
        _ => 2,
    }
}

/// GB18030 text without a malformed sequence: decoded in one call, and the
/// map built from GB18030's byte lengths. `None` when a sequence is
/// malformed ([`decode_with`] then places the replacements).
///
/// Written by hand because encoding_rs decodes in bulk without saying
/// which bytes made each character; learning that by feeding it one byte at
/// a time was most of the time spent reading a GBK report.
fn decode_gb18030_clean(bytes: &[u8]) -> Option<Decoded<'static>> {
    let text = GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)?
        .into_owned();
    let mut b = MapBuilder::new();
    let mut at = 0;
    for c in text.chars() {
        if at >= bytes.len() {
            return None;
        }
        let len = gb18030_len(bytes, at);
        b.piece(at, len, c.len_utf8());
        at += len;
    }
    (at == bytes.len()).then(|| Decoded {
        map: b.finish(bytes.len()),
        text: Cow::Owned(text),
        encoding: "GB18030",
        bad_offsets: Vec::new(),
        bad_count: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big5_is_told_from_gbk() {
        let simplified = "全市高新技术企业达到一百二十家,科技型中小企业入库五百六十家,\
            技术合同成交额十二亿元,研发投入占地区生产总值比重达到百分之三。\n"
            .repeat(40);
        let traditional = zhconv::zhconv(&simplified, zhconv::Variant::ZhHant);
        let big5 = encoding_rs::BIG5.encode(&traditional).0.into_owned();
        let d = decode(&big5).expect("decodes");
        assert_eq!(d.encoding, "Big5");
        assert_eq!(d.text, traditional);
        assert!(!looks_like_gbk(&big5));
        let gbk = GB18030.encode(&simplified).0.into_owned();
        assert!(looks_like_gbk(&gbk));
        let d = decode(&gbk).expect("decodes");
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, simplified);
    }

    #[test]
    fn clean_gb18030_maps_as_the_byte_by_byte_decoder_does() {
        let text = "高新技术企业 52 家,€ 𠀀 R&D ①。\n全市";
        let bytes = GB18030.encode(text).0.into_owned();
        let fast = decode_gb18030_clean(&bytes).expect("clean");
        let slow = decode_with(&bytes, 0, GB18030, "GB18030");
        assert_eq!(fast.text, text);
        assert_eq!(fast.text, slow.text);
        for k in (0..=text.len()).filter(|k| text.is_char_boundary(*k)) {
            for l in (k..=text.len()).filter(|l| text.is_char_boundary(*l)) {
                assert_eq!(fast.map.map(k..l), slow.map.map(k..l), "{k}..{l}");
            }
        }
        // A malformed sequence leaves the byte-by-byte decoder to it.
        let mut bad = bytes.clone();
        bad.push(0xff);
        assert!(decode_gb18030_clean(&bad).is_none());
    }

    #[test]
    fn the_encoding_is_guessed_from_the_head_without_cutting_a_character() {
        let gbk = |s: &str| GB18030.encode(s).0.into_owned();
        let long =
            gbk(&"全市高新技术企业达到一百二十家,科技型中小企业入库五百六十家。\n".repeat(400));
        let sample = detection_sample(&long);
        assert!(sample.len() < long.len());
        assert!(sample.iter().filter(|b| **b >= 0x80).count() >= DETECTION_NON_ASCII_BYTES);
        // It ends before an ASCII byte, never inside a two-byte character.
        assert!(long[sample.len()] < 0x80);
        let d = decode(&long).expect("decodes");
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.bad_count, 0);
        let short = gbk("高新技术企业52家");
        assert_eq!(detection_sample(&short), &short[..]);
    }

    fn gbk(s: &str) -> Vec<u8> {
        GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn plain_utf8() {
        let d = decode("高企123家".as_bytes()).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "高企123家");
        assert_eq!(d.map.map(3..6), 3..6);
    }

    #[test]
    fn utf8_bom_is_skipped_and_offsets_shift() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice("科技局".as_bytes());
        let d = decode(&bytes[..]).expect("decodes");
        assert_eq!(d.encoding, "UTF-8 (BOM)");
        assert_eq!(d.text, "科技局");
        assert_eq!(d.map.map(3..6), 6..9);
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "技术合同A".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes[..]).expect("decodes");
        assert_eq!(d.encoding, "UTF-16LE (BOM)");
        assert_eq!(d.text, "技术合同A");
        // 合 is the third character: bytes 2 + 2*2 .. +2.
        assert_eq!(d.map.map(6..9), 6..8);
        assert_eq!(d.map.map(12..13), 10..12);
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "年度".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&bytes[..]).expect("decodes");
        assert_eq!(d.encoding, "UTF-16BE (BOM)");
        assert_eq!(d.text, "年度");
    }

    #[test]
    fn gbk_offsets_are_exact() {
        let s = "全市新增高新技术企业52家，累计达到318家，技术合同成交额12.5亿元。";
        let bytes = gbk(&s.repeat(3));
        let d = decode(&bytes[..]).expect("decodes");
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, s.repeat(3));
        let at = d.text.find("52").expect("52");
        // 10 Chinese characters before "52": 20 GBK bytes.
        assert_eq!(d.map.map(at..at + 2), 20..22);
        let jia = d.text.find("家").expect("家");
        assert_eq!(d.map.map(jia..jia + 3), 22..24);
        // The second copy starts after the first one's bytes.
        let second = d.text[3..].find("全市").expect("second") + 3;
        let first_len = gbk(s).len();
        assert_eq!(d.map.map(second..second + 3), first_len..first_len + 2);
    }

    #[test]
    fn gb18030_four_byte_characters() {
        // U+20000 is a four-byte GB18030 sequence.
        let s = "企业𠀀的数量增加了不少，全年新增企业达到了一百家，比上年多";
        let bytes = gbk(&s.repeat(4));
        let d = decode(&bytes[..]).expect("decodes");
        if d.encoding == "GB18030" {
            assert_eq!(d.text, s.repeat(4));
            let at = d.text.find('𠀀').expect("found");
            assert_eq!(d.map.map(at..at + 4), 4..8);
        }
    }

    #[test]
    fn a_few_bad_bytes_in_utf8_are_replaced() {
        let mut bytes = "科技创新工作稳步推进，高企总数达到一百家。"
            .repeat(5)
            .into_bytes();
        bytes.insert(30, 0xFF);
        let d = decode(&bytes[..]).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.bad_count, 1);
        assert_eq!(d.bad_offsets, vec![30]);
        assert!(d.text.contains('\u{FFFD}'));
        let at = d.text.find('\u{FFFD}').expect("replacement");
        assert_eq!(d.map.map(at..at + 3), 30..31);
        assert_eq!(d.map.map(at + 3..at + 6), 31..34);
    }
}
