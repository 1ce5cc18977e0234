//! Noise that mirror sites add to a report's text, removed after
//! normalization with an offset map like every other stage.
//!
//! Pinyin glosses: pages copied by mirror sites often carry the reading of
//! a character in brackets right after it — `研發(fā)投入強(qiáng)度` — which
//! splits every word a rule looks for. A gloss is removed when it is
//! unmistakable: it follows a Chinese character, holds one to three
//! syllables of lower-case Latin letters, and at least one vowel carries a
//! tone mark (ā á ǎ à …) or is ü. Brackets with plain ASCII words (`(GDP)`,
//! `(R&D)`, `(app)`) are never touched.
//!
//! Written by hand: no crate recognizes pinyin glosses inside Chinese text,
//! and the check must cost nothing on the reports that have none (one
//! `memchr` pass for `(`).

use super::normalize::is_han;
use super::offsets::{MapBuilder, OffsetMap};

/// Longest gloss looked at, in bytes (three syllables of six letters with
/// tone marks and two spaces, rounded up).
const MAX_GLOSS_BYTES: usize = 48;

/// `text` without its pinyin glosses, and the map back to `text`; `None`
/// when it has none (the common case: nothing is copied).
pub(crate) fn strip_pinyin(text: &str) -> Option<(String, OffsetMap)> {
    let bytes = text.as_bytes();
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    for open in memchr::memchr_iter(b'(', bytes) {
        if cuts.last().is_some_and(|c| open < c.end) {
            continue;
        }
        if !text[..open].chars().next_back().is_some_and(is_han) {
            continue;
        }
        if let Some(len) = gloss_len(&text[open..]) {
            cuts.push(open..open + len);
        }
    }
    if cuts.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut map = MapBuilder::new();
    let mut at = 0;
    for cut in cuts {
        out.push_str(&text[at..cut.start]);
        map.copy(at, cut.start - at);
        at = cut.end;
    }
    out.push_str(&text[at..]);
    map.copy(at, text.len() - at);
    Some((out, map.finish(text.len())))
}

/// Length in bytes of the gloss `(…)` that `s` starts with, if it is one.
fn gloss_len(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('(')?;
    let mut toned = false;
    let mut letters = 0;
    let mut syllables = 1;
    for (i, c) in inner.char_indices() {
        if i > MAX_GLOSS_BYTES {
            return None;
        }
        match c {
            ')' => {
                return (toned && letters > 0).then_some(1 + i + 1);
            }
            'a'..='z' => letters += 1,
            ' ' if letters > 0 && syllables < 3 => syllables += 1,
            c if is_tone_vowel(c) => {
                letters += 1;
                toned = true;
            }
            _ => return None,
        }
    }
    None
}

/// Vowels with a pinyin tone mark, and ü.
fn is_tone_vowel(c: char) -> bool {
    matches!(
        c,
        'ā' | 'á'
            | 'ǎ'
            | 'à'
            | 'ē'
            | 'é'
            | 'ě'
            | 'è'
            | 'ī'
            | 'í'
            | 'ǐ'
            | 'ì'
            | 'ō'
            | 'ó'
            | 'ǒ'
            | 'ò'
            | 'ū'
            | 'ú'
            | 'ǔ'
            | 'ù'
            | 'ǖ'
            | 'ǘ'
            | 'ǚ'
            | 'ǜ'
            | 'ü'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        strip_pinyin(s).map_or_else(|| s.to_owned(), |(t, _)| t)
    }

    #[test]
    fn glosses_after_characters_are_removed() {
        assert_eq!(strip("研发(fā)投入强(qiáng)度达2.1%"), "研发投入强度达2.1%");
        assert_eq!(strip("企业(yè)数(shù)量"), "企业数量");
        assert_eq!(strip("绿(lǜ)色"), "绿色");
        assert_eq!(strip("经济(jīng jì)"), "经济");
    }

    #[test]
    fn other_brackets_stay() {
        for s in [
            "占GDP(国内生产总值)比重",
            "研究与试验发展(R&D)经费",
            "应用(app)下载",
            "(fā)开头",
            "数字 (shù)",
            "发(fa)",
            "发(fā",
        ] {
            assert_eq!(strip(s), s, "{s}");
            assert!(strip_pinyin(s).is_none(), "{s}");
        }
    }

    #[test]
    fn the_map_points_past_the_gloss() {
        let src = "研发(fā)投入";
        let (out, map) = strip_pinyin(src).expect("a gloss");
        let at = out.find('投').expect("投");
        let in_src = src.find('投').unwrap_or(0);
        assert_eq!(map.map(at..at + 3), in_src..in_src + 3);
        assert_eq!(map.map(0..3), 0..3);
    }
}
