//! Reading whole reports: encodings, HTML, normalization, offsets, segments.

use std::path::Path;
use std::str::FromStr;

use proptest::prelude::*;
use rust_decimal::Decimal;
use zhibiao::diag::Code;
use zhibiao::text::{Document, Qualifier, SectionKind, SourceFormat, read_number, read_report};

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn read(name: &str, bytes: &[u8]) -> Document {
    read_report(name, bytes, None).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The original bytes behind the first occurrence of `needle` in the
/// normalized text.
fn original<'a>(doc: &Document, bytes: &'a [u8], needle: &str) -> &'a [u8] {
    let at = doc
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {}", doc.text));
    &bytes[doc.original_range(at..at + needle.len())]
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).expect("decimal")
}

#[test]
fn utf8_report_meta_sections_and_offsets() {
    let bytes = fixture("county_report.txt");
    let doc = read("county_report.txt", &bytes);
    assert_eq!(doc.encoding, "UTF-8");
    assert_eq!(doc.format, SourceFormat::Text);
    assert!(doc.warnings.is_empty());
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("青岚县科技局2023年工作总结和2024年工作计划")
    );
    assert_eq!(doc.meta.year, Some(2023));
    assert_eq!(doc.meta.issuer.as_deref(), Some("青岚县科学技术局"));
    assert_eq!(doc.meta.kind, None);

    // Full-width digits are normalized, and map back to the file's bytes.
    assert_eq!(original(&doc, &bytes, "216家"), "２１６家".as_bytes());
    assert_eq!(original(&doc, &bytes, "1,205家"), "１,２０５家".as_bytes());
    assert_eq!(original(&doc, &bytes, "12.5%"), "１２．５％".as_bytes());

    // A wrapped line is joined, and maps to both lines in the file.
    let wrapped = "市级以上平台占比超过六成";
    assert!(doc.text.contains(wrapped));
    assert_eq!(
        original(&doc, &bytes, wrapped),
        "市级以上平台\n占比超过六成".as_bytes()
    );

    // Sections: summary part and plan part, children inherit.
    let at = doc.text.find("216家").expect("216");
    let s = doc.section_at(at).expect("section");
    assert_eq!(&doc.text[s.heading.clone()], "(一)企业培育成效明显");
    assert_eq!(s.kind, SectionKind::Summary);
    assert_eq!(s.level, 2);
    let at = doc.text.find("40家以上").expect("40");
    let s = doc.section_at(at).expect("section");
    assert_eq!(s.kind, SectionKind::Plan);
    let top: Vec<_> = doc
        .sections
        .iter()
        .filter(|s| s.level == 1)
        .map(|s| (s.kind, s.year))
        .collect();
    assert!(top.contains(&(SectionKind::Summary, Some(2023))));
    assert!(top.contains(&(SectionKind::Plan, Some(2024))));
    assert!(
        doc.sections
            .windows(2)
            .all(|w| w[0].range.start <= w[1].range.start)
    );

    // Sentences and clauses.
    let at = doc.text.find("216家").expect("216");
    let sentence = &doc.text[doc.sentence_at(at)];
    assert_eq!(
        sentence,
        "全年新增国家高新技术企业37家,有效高企总数达到216家;"
    );
    assert_eq!(&doc.text[doc.clause_at(at)], "有效高企总数达到216家;");
    let at = doc.text.find("1,205").expect("1,205");
    assert_eq!(&doc.text[doc.clause_at(at)], "科技型中小企业入库1,205家,");

    // Numbers read from the normalized text.
    let n = read_number(&doc.text, doc.text.find("40家以上").expect("40")).expect("number");
    assert_eq!((n.value, n.qualifier), (dec("40"), Qualifier::MoreThan));
    let n = read_number(&doc.text, doc.text.find("超1300").expect("超")).expect("number");
    assert_eq!((n.value, n.qualifier), (dec("1300"), Qualifier::MoreThan));
    let n = read_number(&doc.text, doc.text.find("2.8%").expect("2.8")).expect("number");
    assert_eq!((n.value, n.qualifier), (dec("2.8"), Qualifier::About));
    let n = read_number(&doc.text, doc.text.find("近90").expect("近")).expect("number");
    assert_eq!(
        (n.value, n.qualifier, n.unit.map(|u| u.text)),
        (dec("90"), Qualifier::LessThan, Some("个"))
    );
}

#[test]
fn gbk_report_reads_like_the_utf8_one() {
    let utf8 = fixture("county_report.txt");
    let gbk = fixture("county_report_gbk.txt");
    let a = read("utf8", &utf8);
    let b = read("gbk", &gbk);
    assert_eq!(b.encoding, "GB18030");
    assert_eq!(a.text, b.text);
    assert_eq!(a.meta, b.meta);
    // Offsets point at the GBK bytes of the same characters.
    let (orig, _, _) = encoding_rs::GB18030.decode(original(&b, &gbk, "216家"));
    assert_eq!(orig, "２１６家");
    let (orig, _, _) = encoding_rs::GB18030.decode(original(&b, &gbk, "技术合同成交额18.6亿元"));
    assert_eq!(orig, "技术合同成交额１８．６亿元");
    // Encoded on the fly as well.
    let (bytes, _, _) = encoding_rs::GBK.encode(std::str::from_utf8(&utf8).expect("utf8"));
    let c = read("gbk2", &bytes);
    assert_eq!(c.text, a.text);
}

#[test]
fn utf16_and_utf8_with_bom() {
    let utf8 = fixture("county_report.txt");
    let text = std::str::from_utf8(&utf8).expect("utf8");
    let plain = read("plain", &utf8);

    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let doc = read("le", &le);
    assert_eq!(doc.encoding, "UTF-16LE (BOM)");
    assert_eq!(doc.text, plain.text);
    let r = original(&doc, &le, "216家");
    let units: Vec<u16> = r
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(String::from_utf16(&units).expect("utf16"), "２１６家");

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(&utf8);
    let doc = read("bom", &bom);
    assert_eq!(doc.encoding, "UTF-8 (BOM)");
    assert_eq!(doc.text, plain.text);
    assert_eq!(original(&doc, &bom, "216家"), "２１６家".as_bytes());
}

#[test]
fn html_page() {
    let bytes = fixture("bureau_page.html");
    let doc = read("bureau_page.html", &bytes);
    assert_eq!(doc.format, SourceFormat::Html);
    for noise in [
        "首页",
        "机构概况",
        "999",
        "版权所有",
        "分享到",
        "color",
        "当前位置",
    ] {
        assert!(!doc.text.contains(noise), "{noise} left in {}", doc.text);
    }
    assert!(
        doc.text.contains("发布机构|白石市科学技术局"),
        "{}",
        doc.text
    );
    assert!(
        doc.text.contains("全市高新技术企业达到482家"),
        "{}",
        doc.text
    );
    assert!(doc.text.contains("R&D经费投入增长12.3%"), "{}", doc.text);
    assert!(
        doc.text.contains("技术合同成交额36.4亿元,\n同比增长18%。"),
        "{}",
        doc.text
    );
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("白石市科技局2023年工作总结")
    );
    assert_eq!(doc.meta.year, Some(2023));
    assert_eq!(doc.meta.kind, Some(SectionKind::Summary));
    assert_eq!(doc.meta.issuer.as_deref(), Some("白石市科学技术局"));

    // Offsets point into the markup; entities map to their source.
    assert_eq!(original(&doc, &bytes, "482家"), "４８２家".as_bytes());
    assert_eq!(original(&doc, &bytes, "12.3%"), b"&#49;&#50;.3%");
    assert_eq!(original(&doc, &bytes, "R&D"), b"R&amp;D");
    let at = doc.text.find("482").expect("482");
    let r = doc.decoded_range(at..at + 3);
    assert_eq!(&doc.decoded_text()[r], "４８２");
    let s = doc.section_at(at).expect("section");
    assert_eq!(s.kind, SectionKind::Summary);
}

#[test]
fn invalid_bytes_in_utf8_are_replaced_with_a_warning() {
    let mut bytes = fixture("county_report.txt");
    let at = bytes.len() / 2;
    let at = (at..)
        .find(|i| bytes[*i] == "。".as_bytes()[0])
        .expect("a 。");
    bytes.insert(at, 0xFF);
    bytes.insert(at, 0xFE);
    let doc = read("bad", &bytes);
    assert_eq!(doc.encoding, "UTF-8");
    assert_eq!(doc.warnings.len(), 1);
    let w = &doc.warnings[0];
    assert_eq!(w.code, Code::ReplacedBytes);
    assert_eq!(w.offset, Some(at));
    assert!(w.message.contains(&at.to_string()), "{}", w.message);
    assert!(doc.text.contains('\u{FFFD}'));
    // Offsets after the bad bytes are still exact.
    assert_eq!(
        original(&doc, &bytes, "成交额18.6亿元"),
        "成交额１８．６亿元".as_bytes()
    );
}

#[test]
fn empty_and_binary_files_are_errors() {
    for bytes in [&b""[..], b"  \r\n\t ", "\u{3000}\n".as_bytes()] {
        let e = read_report("empty", bytes, None).expect_err("empty");
        assert_eq!(e.code, Code::EmptyReport, "{bytes:?}");
    }
    let e = read_report(
        "nav",
        b"<html><body><nav>only menus</nav><script>x()</script></body></html>",
        None,
    )
    .expect_err("no text");
    assert_eq!(e.code, Code::EmptyReport);
    let mut bin = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bin.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    let e = read_report("image.png", &bin, None).expect_err("binary");
    assert_eq!(e.code, Code::BinaryReport);
    assert!(e.to_string().contains("ZB0402"));
    assert!(!e.help.is_empty());
}

#[test]
fn traditional_reprint_is_simplified() {
    let t = "二、2022年工作計劃\n力爭新增高新技術企業50家以上,技術合同成交額達到3億元。";
    let doc = read("trad", t.as_bytes());
    assert!(doc.text.contains("高新技术企业50家以上"), "{}", doc.text);
    assert_eq!(doc.sections[0].kind, SectionKind::Plan);
    assert_eq!(
        original(&doc, t.as_bytes(), "高新技术企业"),
        "高新技術企業".as_bytes()
    );
}

#[test]
fn explicit_format_is_respected() {
    let doc =
        read_report("t", "<p>一、文本</p>".as_bytes(), Some(SourceFormat::Text)).expect("reads");
    assert!(doc.text.contains("<p>"));
}

#[test]
fn a_long_line_without_breaks_is_linear() {
    let unit = "全市新增高新技术企业52家 累计达到 1,305家,增长９．１％";
    let line = unit.repeat(4 * 1024 * 1024 / unit.len());
    let start = std::time::Instant::now();
    let doc = read("long", line.as_bytes());
    assert!(start.elapsed().as_secs() < 20);
    let end = doc.text.len();
    let r = doc.original_range(end - 10..end);
    assert!(r.end <= line.len() && r.start <= r.end);
    assert!(doc.sentence_at(end / 2).len() == doc.text.len());
    assert!(doc.clause_at(end / 2).len() < 200);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic_and_offsets_stay_in_bounds(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        cuts in proptest::collection::vec(any::<usize>(), 2..6),
    ) {
        check_offsets(&bytes, &cuts);
    }

    #[test]
    fn arbitrary_text_never_panics_and_offsets_stay_in_bounds(
        s in "[ \\n\\r\\t一二十百万亿0-9０-９,，。、；:：%％—~至年月家元企业<>&;#a-z/pdivbr\u{200b}\u{3000}們為]{0,200}",
        cuts in proptest::collection::vec(any::<usize>(), 2..6),
        gbk in any::<bool>(),
    ) {
        let bytes = if gbk {
            encoding_rs::GBK.encode(&s).0.into_owned()
        } else {
            s.into_bytes()
        };
        check_offsets(&bytes, &cuts);
    }
}

fn check_offsets(bytes: &[u8], cuts: &[usize]) {
    let Ok(doc) = read_report("p", bytes, None) else {
        return;
    };
    let n = doc.text.len();
    let mut pos: Vec<usize> = cuts.iter().map(|c| c % (n + 1)).collect();
    pos.sort_unstable();
    let mut last = 0;
    for w in pos.windows(2) {
        let r = doc.original_range(w[0]..w[1]);
        assert!(
            r.start <= r.end && r.end <= bytes.len(),
            "{r:?} of {}",
            bytes.len()
        );
        assert!(r.start >= last, "not monotonic");
        last = r.start;
        let d = doc.decoded_range(w[0]..w[1]);
        assert!(d.start <= d.end && d.end <= doc.decoded_text().len());
        for p in [w[0], w[1]] {
            let s = doc.sentence_at(p);
            let c = doc.clause_at(p);
            assert!(s.end <= n && c.end <= n && s.start <= s.end && c.start <= c.end);
            let _ = doc.section_at(p);
            if doc.text.is_char_boundary(p) {
                let _ = read_number(&doc.text, p);
            }
        }
    }
}
