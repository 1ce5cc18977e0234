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

use encoding_rs::{DecoderResult, Encoding, GB18030};

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
        if too_much_replaced(&d) {
            // A UTF-8 BOM before text in another encoding (GBK): the BOM
            // lied; the text is read as if it were not there.
            return after_bom(rest, 3);
        }
        d.encoding = "UTF-8 (BOM)";
        return Some(d);
    }
    for (bom, unit, name) in [
        (
            b"\xFF\xFE",
            u16::from_le_bytes as fn([u8; 2]) -> u16,
            "UTF-16LE (BOM)",
        ),
        (
            b"\xFE\xFF",
            u16::from_be_bytes as fn([u8; 2]) -> u16,
            "UTF-16BE (BOM)",
        ),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            // UTF-8 text after a UTF-16 BOM reads as UTF-16 without a single
            // bad unit, as nonsense characters: told by being valid UTF-8
            // with multi-byte characters and no NUL byte (UTF-16 puts one
            // in every ASCII character).
            if looks_utf8_not_utf16(rest) {
                return after_bom(rest, bom.len());
            }
            let d = decode_utf16(bytes, unit, name);
            if too_much_replaced(&d) {
                return after_bom(rest, bom.len());
            }
            // GBK (or any byte encoding) after a UTF-16 BOM also reads as
            // UTF-16 with few bad units, as nonsense: code units scattered
            // over Yi, Hangul, private use … rather than Chinese. Text
            // without a NUL byte (UTF-16 puts one in every ASCII character)
            // that reads so is read without the BOM, when anything reads it.
            if no_nul_but_high_bytes(rest)
                && !reads_as_chinese(&d.text)
                && let Some(other) = after_bom(rest, bom.len())
            {
                return Some(other);
            }
            return Some(d);
        }
    }
    if mostly_utf8(bytes) {
        return Some(decode_utf8(bytes, 0, bytes.len()));
    }
    // Simplified Chinese in GBK, told without the detector (13 MB/s, most
    // of reading such a report).
    let gbk_shaped = looks_like_gbk(bytes);
    if gbk_shaped && let Some(d) = decode_gb18030(bytes).filter(|d| d.bad_count == 0) {
        return Some(d);
    }
    let mut det = chardetng::EncodingDetector::new();
    let sample = detection_sample(bytes);
    // A sample cut from a longer file may end inside a character: told
    // `last`, the detector would count that against the encoding (a Big5
    // report lost to GB18030 that way).
    det.feed(sample, sample.len() == bytes.len());
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
    let d = if enc == GB18030 {
        decode_gb18030(bytes).unwrap_or_else(|| decode_with(bytes, 0, enc, name))
    } else {
        decode_with(bytes, 0, enc, name)
    };
    // More than one character in ten replaced: this is not text in `enc`.
    if too_much_replaced(&d) {
        return None;
    }
    Some(d)
}

/// More than one character in ten replaced: the text is not in the
/// encoding it was decoded as.
fn too_much_replaced(d: &Decoded<'_>) -> bool {
    d.bad_count > 0 && d.bad_count * 10 > d.text.chars().count().max(1)
}

/// Valid UTF-8 with a multi-byte character and no NUL byte: not UTF-16.
fn looks_utf8_not_utf16(bytes: &[u8]) -> bool {
    memchr::memchr(0, bytes).is_none()
        && bytes.iter().any(|b| *b >= 0x80)
        && simdutf8::basic::from_utf8(bytes).is_ok()
}

/// At least four characters in five are ASCII, CJK ideographs, CJK
/// punctuation or full-width forms: Chinese text, not bytes of another
/// encoding read as UTF-16 (which scatter over the whole plane: fewer than
/// half land in the ideographs).
fn reads_as_chinese(text: &str) -> bool {
    let (mut all, mut chinese) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        chinese += usize::from(matches!(
            c,
            '\0'..='\u{7F}'
                | '\u{3000}'..='\u{303F}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{FF00}'..='\u{FFEF}'
        ));
    }
    chinese * 5 >= all * 4
}

/// Bytes beyond ASCII and no NUL byte: not UTF-16 text with any ASCII
/// character in it (a digit, a space, a line break).
fn no_nul_but_high_bytes(bytes: &[u8]) -> bool {
    memchr::memchr(0, bytes).is_none() && bytes.iter().any(|b| *b >= 0x80)
}

/// `rest`, the file after a BOM of `skip` bytes that does not match its
/// text, decoded as a file without a BOM (detection included); offsets
/// still count from the file's start. `None` when nothing reads it.
fn after_bom(rest: &[u8], skip: usize) -> Option<Decoded<'static>> {
    let d = if rest.starts_with(b"\xEF\xBB\xBF")
        || rest.starts_with(b"\xFF\xFE")
        || rest.starts_with(b"\xFE\xFF")
    {
        // A second BOM: one is all a file gets.
        return None;
    } else {
        decode(rest)?
    };
    let mut map = d.map;
    map.shift_input(skip);
    Some(Decoded {
        text: Cow::Owned(d.text.into_owned()),
        map,
        encoding: d.encoding,
        bad_offsets: d.bad_offsets.iter().map(|o| o + skip).collect(),
        bad_count: d.bad_count,
    })
}

/// Two-byte characters it takes [`looks_like_gbk`] to rule Big5 out.
const GBK_EVIDENCE_CHARS: usize = 64;

/// Whether `bytes` read as Simplified Chinese in GBK: at least
/// [`GBK_EVIDENCE_CHARS`] two-byte characters, no more than one in a
/// hundred with a second byte below 0x7F. Big5 puts the second byte of
/// about two characters in five there; GBK only its rare characters outside
/// GB2312. Such text is decoded as GB18030, as the detector (hinted that
/// reports come from China) would, without it. Malformed sequences are left
/// to [`decode_gb18030`] to replace.
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
/// ASCII byte. (That byte may still be a Big5 or GBK second byte, so the
/// sample is given to the detector as a prefix, not as the whole text.)
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

/// Valid multi-byte UTF-8 characters it takes per bad sequence for text
/// that is not wholly valid to be read as UTF-8 all the same. Text in
/// another encoding forms valid multi-byte UTF-8 only by chance: GBK
/// reports give at most 0.7 such characters per bad sequence in any window
/// of 60 bytes or more, Big5, Shift_JIS and EUC-KR at most 0.45 (measured on
/// our seed reports so encoded). UTF-8 with a stray byte, a truncated
/// character or a line pasted in another encoding gives tens to thousands.
const UTF8_GOOD_PER_BAD: usize = 4;

/// Whether text that may hold a few bad sequences is UTF-8: at least
/// [`UTF8_GOOD_PER_BAD`] valid multi-byte characters per bad sequence, and
/// at least one. A character cut at the very end (a truncated file) is not
/// held against it. Stops counting once the bad sequences are too many for any count of
/// good ones to outweigh: text in another encoding is told after a few
/// hundred bytes, not after a call per character.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut bad, mut good) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        // Good characters take at least two bytes each.
        if bad * UTF8_GOOD_PER_BAD * 2 > bytes.len() {
            return false;
        }
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += count_lead_bytes(s.as_bytes());
                return good > 0 && bad * UTF8_GOOD_PER_BAD <= good;
            }
            Err(e) => {
                let (ok, tail) = rest.split_at(e.valid_up_to());
                good += count_lead_bytes(ok);
                match e.error_len() {
                    Some(skip) => {
                        bad += 1;
                        rest = &tail[skip..];
                    }
                    // An incomplete character at the end.
                    None => return good > 0 && bad * UTF8_GOOD_PER_BAD <= good,
                }
            }
        }
    }
}

/// How many bytes start a multi-byte UTF-8 character (in valid UTF-8).
fn count_lead_bytes(valid: &[u8]) -> usize {
    valid.iter().filter(|b| **b >= 0xC0).count()
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
            // Decoded into a small buffer of our own: `decode_to_string`
            // zero-fills the whole spare capacity of the string on every
            // call, which made this loop quadratic (15 MB of UTF-16: 4 min).
            let mut buf = [0u8; 32];
            let (res, read, written) =
                dec.decode_to_utf8_without_replacement(&src[fed..], &mut buf, last);
            text.push_str(std::str::from_utf8(&buf[..written]).unwrap_or_default());
            fed += read;
            let here = pos + fed;
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

/// GB18030 decoded in bulk, malformed sequences replaced by U+FFFD, the
/// map built from GB18030's byte lengths ([`gb18030_len`]) between them.
/// `None` if the decoder's characters and those lengths ever disagree
/// (never seen; [`decode_with`] then places every character itself).
///
/// Written by hand because encoding_rs decodes in bulk without saying
/// which bytes made each character; learning that by feeding it one byte at
/// a time was most of the time spent reading a GBK report (13 MB/s).
fn decode_gb18030(bytes: &[u8]) -> Option<Decoded<'static>> {
    // Most GBK reports are clean: decoded in one call, into one string.
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        let text = text.into_owned();
        let mut b = MapBuilder::new();
        let at = map_gb18030(bytes, 0, &text, &mut b)?;
        return (at == bytes.len()).then(|| Decoded {
            map: b.finish(bytes.len()),
            text: Cow::Owned(text),
            encoding: "GB18030",
            bad_offsets: Vec::new(),
            bad_count: 0,
        });
    }
    let mut dec = GB18030.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 2);
    let mut b = MapBuilder::new();
    let mut bad_offsets = Vec::new();
    let mut bad_count = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    // Input consumed by the decoder, and input mapped to output so far.
    let (mut consumed, mut at) = (0usize, 0usize);
    loop {
        let (res, read, written) =
            dec.decode_to_utf8_without_replacement(&bytes[consumed..], &mut buf, true);
        consumed += read;
        let out = std::str::from_utf8(&buf[..written]).ok()?;
        at = map_gb18030(bytes, at, out, &mut b)?;
        text.push_str(out);
        match res {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad_len, extra) => {
                // The bad bytes end `extra` bytes before what was consumed;
                // the characters before them must end where they start.
                let bad_end = consumed.checked_sub(extra as usize)?;
                let bad_start = bad_end.checked_sub(bad_len as usize)?;
                if at != bad_start {
                    return None;
                }
                b.piece(bad_start, bad_len as usize, '\u{FFFD}'.len_utf8());
                text.push('\u{FFFD}');
                bad_count += 1;
                if bad_offsets.len() < BAD_LISTED {
                    bad_offsets.push(bad_start);
                }
                at = bad_end;
            }
        }
    }
    (at == bytes.len()).then(|| Decoded {
        map: b.finish(bytes.len()),
        text: Cow::Owned(text),
        encoding: "GB18030",
        bad_offsets,
        bad_count,
    })
}

/// Maps the characters of `text`, decoded from `bytes` starting at `at`,
/// each to its GB18030 byte length; returns where they end (`None` past the
/// end of `bytes`).
fn map_gb18030(bytes: &[u8], mut at: usize, text: &str, b: &mut MapBuilder) -> Option<usize> {
    for c in text.chars() {
        if at >= bytes.len() {
            return None;
        }
        let len = gb18030_len(bytes, at);
        b.piece(at, len, c.len_utf8());
        at += len;
    }
    Some(at)
}

/// UTF-16 after its two-byte BOM: code units read with `unit`
/// (`u16::from_le_bytes` or `from_be_bytes`) and decoded by
/// `char::decode_utf16`; each character maps to its 2 or 4 bytes. An
/// unpaired surrogate or an odd last byte becomes U+FFFD. (Written out
/// because encoding_rs does not say which bytes made each character, and
/// feeding it a byte at a time is several times slower.)
fn decode_utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16, name: &'static str) -> Decoded<'static> {
    let mut body = &bytes[2..];
    let mut odd = body.len() % 2;
    // A high surrogate in the last unit, then an odd byte: one cut
    // character, replaced once (as encoding_rs does).
    if odd == 1
        && body.len() >= 3
        && (0xD800..0xDC00).contains(&unit([body[body.len() - 3], body[body.len() - 2]]))
    {
        body = &body[..body.len() - 3];
        odd = 3;
    }
    let pairs = body.chunks_exact(2);
    let mut text = String::with_capacity(body.len() * 3 / 2);
    let mut b = MapBuilder::new();
    let mut bad_offsets = Vec::new();
    let mut bad_count = 0usize;
    let mut at = 2;
    let mut bad = |at: usize, len: usize, text: &mut String, b: &mut MapBuilder| {
        b.piece(at, len, '\u{FFFD}'.len_utf8());
        text.push('\u{FFFD}');
        bad_count += 1;
        if bad_offsets.len() < BAD_LISTED {
            bad_offsets.push(at);
        }
    };
    for c in char::decode_utf16(pairs.map(|p| unit([p[0], p[1]]))) {
        match c {
            Ok(c) => {
                let len = c.len_utf16() * 2;
                b.piece(at, len, c.len_utf8());
                text.push(c);
                at += len;
            }
            Err(_) => {
                bad(at, 2, &mut text, &mut b);
                at += 2;
            }
        }
    }
    if odd > 0 {
        bad(at, odd, &mut text, &mut b);
    }
    Decoded {
        map: b.finish(bytes.len()),
        text: Cow::Owned(text),
        encoding: name,
        bad_offsets,
        bad_count,
    }
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

    /// Asserts that a bulk decoding agrees with the byte-by-byte one: same
    /// text and replacements, and each character (and run of a few) maps
    /// into the bytes the streaming decoder gives it. (After a malformed
    /// sequence the streaming decoder gives the bytes it reads again as
    /// one piece; the bulk decoders map them character by character.)
    fn assert_same(fast: &Decoded<'_>, slow: &Decoded<'_>) {
        assert_eq!(fast.text, slow.text);
        assert_eq!(fast.bad_count, slow.bad_count);
        assert_eq!(fast.bad_offsets, slow.bad_offsets);
        let text = &fast.text;
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|k| text.is_char_boundary(*k))
            .collect();
        let mut last_end = 0;
        for (i, &k) in bounds.iter().enumerate() {
            for &l in bounds.iter().skip(i + 1).take(3) {
                let (f, s) = (fast.map.map(k..l), slow.map.map(k..l));
                assert!(
                    s.start <= f.start && f.end <= s.end && f.start < f.end,
                    "{k}..{l}: {f:?} outside {s:?}"
                );
            }
            if let Some(&l) = bounds.get(i + 1) {
                // Characters map to consecutive, non-overlapping bytes.
                let f = fast.map.map(k..l);
                assert!(f.start >= last_end, "{k}..{l}: {f:?} overlaps");
                last_end = f.end;
            }
        }
    }

    /// [`assert_same`], and for text without malformed bytes the very same map.
    fn assert_identical(fast: &Decoded<'_>, slow: &Decoded<'_>) {
        assert_same(fast, slow);
        let text = &fast.text;
        for k in (0..=text.len()).filter(|k| text.is_char_boundary(*k)) {
            for l in (k..=text.len()).filter(|l| text.is_char_boundary(*l)) {
                assert_eq!(fast.map.map(k..l), slow.map.map(k..l), "{k}..{l}");
            }
        }
    }

    #[test]
    fn gb18030_maps_as_the_byte_by_byte_decoder_does() {
        let text = "高新技术企业 52 家,€ 𠀀 R&D ①。\n全市";
        let bytes = GB18030.encode(text).0.into_owned();
        let fast = decode_gb18030(&bytes).expect("decodes");
        assert_eq!(fast.text, text);
        assert_identical(&fast, &decode_with(&bytes, 0, GB18030, "GB18030"));
        // Stray and cut bytes anywhere: replaced where the streaming decoder
        // replaces them.
        for (at, junk) in [
            (0, &b"\xff"[..]),
            (3, b"\xff"),
            (7, b"\x81"),
            (7, b"\x81\x30"),
            (bytes.len(), b"\xb8"),
            (bytes.len(), b"\x81\x30\x81"),
            (5, b"\x84\x31\xa5\x30"),
            (9, b"\x80\xff\xfe"),
        ] {
            let mut bad = bytes.clone();
            bad.splice(at..at, junk.iter().copied());
            let fast = decode_gb18030(&bad).expect("decodes");
            assert!(fast.bad_count > 0, "{junk:?} at {at}");
            assert_same(&fast, &decode_with(&bad, 0, GB18030, "GB18030"));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]
        #[test]
        fn gb18030_with_stray_bytes_maps_as_the_byte_by_byte_decoder_does(
            text in "[高新技术企业a-z0-9,。€𠀀\n]{0,40}",
            junk in proptest::collection::vec((0usize..200, proptest::prelude::any::<u8>()), 0..6),
        ) {
            let mut bytes = GB18030.encode(&text).0.into_owned();
            for (at, b) in junk {
                let at = at.min(bytes.len());
                bytes.insert(at, b);
            }
            let fast = decode_gb18030(&bytes).expect("decodes");
            assert_same(&fast, &decode_with(&bytes, 0, GB18030, "GB18030"));
        }

        #[test]
        fn utf16_maps_as_the_byte_by_byte_decoder_does(
            text in "[高新技术企业a-z0-9,。€𠀀\n]{0,40}",
            junk in proptest::collection::vec((0usize..200, proptest::prelude::any::<u8>()), 0..4),
            big_endian in proptest::prelude::any::<bool>(),
        ) {
            let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
            for u in text.encode_utf16() {
                bytes.extend_from_slice(&if big_endian { u.to_be_bytes() } else { u.to_le_bytes() });
            }
            for (at, b) in junk {
                let at = at.clamp(2, bytes.len());
                bytes.insert(at, b);
            }
            let (fast, slow) = if big_endian {
                (decode_utf16(&bytes, u16::from_be_bytes, "x"), decode_with(&bytes, 2, encoding_rs::UTF_16BE, "x"))
            } else {
                (decode_utf16(&bytes, u16::from_le_bytes, "x"), decode_with(&bytes, 2, encoding_rs::UTF_16LE, "x"))
            };
            assert_same(&fast, &slow);
        }
    }

    #[test]
    fn a_short_utf8_file_with_a_few_bad_bytes_stays_utf8() {
        // Issue 15, item 4: two facts around three bad bytes.
        let mut bytes = "全市高新技术企业累计达88家。".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xff\xfe\x80");
        bytes.extend_from_slice("科技型中小企业入库120家。".as_bytes());
        let d = decode(&bytes).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.bad_count, 3);
        assert!(d.text.starts_with("全市高新技术企业累计达88家。"));
        assert!(d.text.ends_with("科技型中小企业入库120家。"));
        // A character cut at the end of a short file.
        let mut cut = "高企5家".as_bytes().to_vec();
        cut.extend_from_slice(&"。".as_bytes()[..2]);
        let d = decode(&cut).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("高企5家"));
        // One line in GBK among a thousand characters of UTF-8.
        let mut mixed = "全年新增高新技术企业68家，高企总数达到503家。\n"
            .repeat(40)
            .into_bytes();
        mixed.extend_from_slice(&gbk(
            "科技型中小企业评价入库812家，技术合同成交额12.5亿元。\n",
        ));
        mixed.extend_from_slice(
            "研发投入占地区生产总值比重达到3.1%。\n"
                .repeat(5)
                .as_bytes(),
        );
        let d = decode(&mixed).expect("decodes");
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text.matches("503家").count(), 40);
    }

    #[test]
    fn text_in_other_encodings_is_never_taken_for_utf8() {
        // Every window of GBK, Big5 … text, down to a few characters.
        let text = "一、2023年工作总结\n全年新增高新技术企业68家，高企总数达到503家，\
            科技型中小企业评价入库812家，技术合同成交额12.5亿元，研发投入占比3.1%。\
            二、2024年工作计划\n力争高新技术企业突破600家，新增省级研发机构15家。\n"
            .repeat(6);
        let traditional = zhconv::zhconv(&text, zhconv::Variant::ZhHant);
        let encoded = [
            gbk(&text),
            encoding_rs::BIG5.encode(&traditional).0.into_owned(),
            encoding_rs::SHIFT_JIS.encode(&traditional).0.into_owned(),
            encoding_rs::EUC_KR.encode(&text).0.into_owned(),
        ];
        for bytes in &encoded {
            for size in [12, 30, 60, 200, bytes.len()] {
                for start in (0..bytes.len().saturating_sub(size)).step_by(7) {
                    let window = &bytes[start..start + size];
                    if simdutf8::basic::from_utf8(window).is_err() {
                        assert!(!mostly_utf8(window), "{start}+{size}: {window:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn big5_reports_of_any_length_are_told() {
        let simplified =
            "全市高新技术企业达到一百二十家，科技型中小企业入库五百六十家。\n".repeat(400);
        let traditional = zhconv::zhconv(&simplified, zhconv::Variant::ZhHant);
        let big5 = encoding_rs::BIG5.encode(&traditional).0.into_owned();
        assert!(big5.len() > 20_000);
        for len in [3_000, 5_000, 8_000, 20_000, big5.len()] {
            // Cut on a line end, so that the text is whole.
            let cut = big5[..len]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(len, |p| p + 1);
            let d = decode(&big5[..cut]).expect("decodes");
            assert_eq!(d.encoding, "Big5", "{cut} bytes");
            assert_eq!(d.bad_count, 0);
        }
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

    /// Issue 25 item 9: a BOM before text in another encoding is not
    /// believed; the text is detected without it, offsets still from the
    /// file's start.
    #[test]
    fn a_bom_before_text_in_another_encoding_is_not_believed() {
        let s = "全市新增高新技术企业52家，累计达到318家，技术合同成交额12.5亿元。";
        // UTF-8 BOM + GBK.
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(gbk(&s.repeat(3)));
        let d = decode(&bytes[..]).expect("decodes");
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, s.repeat(3));
        let at = d.text.find("52").expect("52");
        assert_eq!(d.map.map(at..at + 2), 23..25);
        // UTF-16LE and UTF-16BE BOMs + UTF-8.
        for bom in [&b"\xFF\xFE"[..], &b"\xFE\xFF"[..]] {
            let mut bytes = bom.to_vec();
            bytes.extend_from_slice(s.as_bytes());
            let d = decode(&bytes[..]).expect("decodes");
            assert_eq!(d.encoding, "UTF-8", "{bom:?}");
            assert_eq!(d.text, s);
            let at = d.text.find("52").expect("52");
            assert_eq!(d.map.map(at..at + 2), at + 2..at + 4);
        }
    }

    /// A UTF-16 BOM before GBK text: no NUL byte (UTF-16 has one in every
    /// ASCII character), so the text is detected without the BOM; real
    /// UTF-16 keeps its BOM's reading.
    #[test]
    fn a_utf16_bom_before_gbk_is_not_believed() {
        let s = "2024年全市新增高新技术企业52家，累计达到318家。\n";
        for bom in [&b"\xFF\xFE"[..], &b"\xFE\xFF"[..]] {
            let mut bytes = bom.to_vec();
            bytes.extend(gbk(&s.repeat(2)));
            let d = decode(&bytes[..]).expect("decodes");
            assert_eq!(d.encoding, "GB18030", "{bom:?}");
            assert_eq!(d.text, s.repeat(2));
            let at = d.text.find("52").expect("52");
            // 4 ASCII + 11 Chinese characters (22 bytes) before it, after
            // the 2-byte BOM.
            assert_eq!(d.map.map(at..at + 2), 28..30, "{bom:?}");
        }
        // Real UTF-16 with its BOM is still UTF-16, even Chinese without a
        // single ASCII character (no NUL byte).
        for text in [s, "年度工作总结"] {
            let mut le = b"\xFF\xFE".to_vec();
            le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            let d = decode(&le[..]).expect("decodes");
            assert_eq!(d.encoding, "UTF-16LE (BOM)");
            assert_eq!(d.text, text);
        }
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
