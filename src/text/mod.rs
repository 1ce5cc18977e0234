//! Reading reports: bytes in, a normalized, segmented [`Document`] out.
//!
//! `decode` (UTF-8 / BOM / UTF-16 / GB18030, said which) → `html` (a real
//! HTML tokenizer; scripts, styles and navigation dropped; blocks become line
//! breaks) → `normalize` (NFKC, dashes, zero-width and stray spaces,
//! traditional → simplified) → `segment` (sections, sentences, clauses,
//! report year and issuer). Every stage keeps an offset map, so any range of
//! the normalized text maps back to byte offsets in the original file.
//! `number` reads Chinese and Arabic numbers with units; `units` converts.
//!
//! This layer does no matching and knows nothing of rules.

pub mod calendar;
pub mod dates;
mod decode;
mod html;
mod lines;
mod noise;
mod normalize;
pub mod number;
mod offsets;
mod segment;
pub mod table;
pub mod units;

use std::borrow::Cow;
use std::ops::Range;

pub(crate) use normalize::is_han;
pub use number::{
    NotRead, Number, Qualifier, may_start_number, number_start_chars, read_number, try_read_number,
};
pub use table::{ColumnKind, TableCell};
pub use units::{Unit, UnitKind};

use crate::diag::Code;
use offsets::OffsetMap;

/// Reports larger than this are refused (512 MiB): reading holds about three
/// times a report's size, and offset maps use 32-bit offsets. The input
/// layer stops reading a file at the same limit.
pub const MAX_REPORT_BYTES: usize = 512 << 20;

/// How a report's text is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// Plain text.
    Text,
    /// An HTML page; the text is extracted from the markup.
    Html,
}

/// Something worth telling about a report that was still read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextWarning {
    /// The diagnostic code (ZB04xx).
    pub code: Code,
    /// What happened, in one sentence.
    pub message: String,
    /// Where, as a byte offset in the original file.
    pub offset: Option<usize>,
}

/// Why a report could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The diagnostic code (ZB04xx).
    pub code: Code,
    /// What is wrong with the file.
    pub message: String,
    /// What the user can do about it.
    pub help: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for ReadError {}

fn read_error(code: Code, name: &str, what: &str, help: &str) -> ReadError {
    ReadError {
        code,
        message: format!("{name}: {what}"),
        help: help.to_owned(),
    }
}

/// One report, decoded, extracted, normalized and segmented.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name the report was read under (usually its path).
    pub name: String,
    /// The encoding used to decode it: "UTF-8", "UTF-8 (BOM)",
    /// "UTF-16LE (BOM)", "UTF-16BE (BOM)", "GB18030", "Big5" …
    pub encoding: &'static str,
    /// Plain text or HTML.
    pub format: SourceFormat,
    /// The normalized text that rules match against.
    pub text: String,
    /// Things worth telling (replaced bytes).
    pub warnings: Vec<TextWarning>,
    /// Title, year, issuer and kind from the report's header.
    pub meta: ReportMeta,
    /// The year the report covers (computed once, used for every fact).
    pub report_year: Option<i32>,
    /// How [`Document::report_year`] was found.
    pub report_year_source: Option<ReportYearSource>,
    /// Sections, sorted by start.
    pub sections: Vec<Section>,
    /// Cells of tables that were flattened one cell per line (their rows
    /// joined into lines), sorted by start ([`table`]).
    pub table_cells: Vec<TableCell>,
    /// [`Document::below_province`], worked out when first asked (rarely:
    /// only a clause that opens with 全省 asks).
    below_province: std::sync::OnceLock<bool>,
    /// Byte offsets of the line breaks of [`Document::decoded_text`], for
    /// [`Document::line_column`]; worked out when first asked.
    line_breaks: std::sync::OnceLock<Vec<usize>>,
    decoded: String,
    decode_map: OffsetMap,
    html_map: Option<OffsetMap>,
    simplified_map: Option<OffsetMap>,
    norm_map: OffsetMap,
    /// Pinyin glosses removed after normalization (mirror sites), if any.
    noise_map: Option<OffsetMap>,
    sentence_starts: Vec<u32>,
    clause_starts: Vec<u32>,
    section_parents: Vec<Option<u32>>,
}

impl Document {
    /// The table cell holding byte `at` of the text, if any.
    pub fn table_cell_at(&self, at: usize) -> Option<&TableCell> {
        let i = self.table_cells.partition_point(|c| c.range.start <= at);
        self.table_cells[..i]
            .last()
            .filter(|c| c.range.contains(&at))
    }

    /// Maps a normalized byte range to the byte range in the original file
    /// it came from (monotonic, in bounds; rounded outwards to whole
    /// characters, entities and escape sequences).
    pub fn original_range(&self, r: Range<usize>) -> Range<usize> {
        self.decode_map.map(self.decoded_range(r))
    }

    /// The file decoded to UTF-8 (for HTML: the markup itself); empty for a
    /// report read with [`read_report_owned`], which frees it once
    /// normalized (offsets still map back to the original file).
    pub fn decoded_text(&self) -> &str {
        &self.decoded
    }

    /// The line and column (both 1-based; the column in characters) in the
    /// original file of normalized byte offset `pos`: where an editor puts
    /// the cursor. `None` when the decoded file was not kept.
    pub fn line_column(&self, pos: usize) -> Option<(usize, usize)> {
        if self.decoded.is_empty() {
            return None;
        }
        let at = self.decoded_range(pos..pos).start.min(self.decoded.len());
        let breaks = self
            .line_breaks
            .get_or_init(|| memchr::memchr_iter(b'\n', self.decoded.as_bytes()).collect());
        let line = breaks.partition_point(|&b| b < at);
        let line_start = if line == 0 { 0 } else { breaks[line - 1] + 1 };
        let at = crate::diag::floor_char_boundary(&self.decoded, at);
        let column = self
            .decoded
            .get(line_start..at)
            .map_or(0, |s| s.chars().count());
        Some((line + 1, column + 1))
    }

    /// The text of normalized range `r` as it stands in the source, before
    /// normalization (markup tags left out, entities as written); `None`
    /// when the decoded file was not kept.
    pub fn original_text(&self, r: Range<usize>) -> Option<String> {
        if self.decoded.is_empty() {
            return None;
        }
        let d = self.decoded_range(r);
        let start =
            crate::diag::floor_char_boundary(&self.decoded, d.start.min(self.decoded.len()));
        let end = crate::diag::floor_char_boundary(&self.decoded, d.end.min(self.decoded.len()));
        let raw = self.decoded.get(start..end)?;
        Some(match self.format {
            SourceFormat::Html => strip_tags(raw),
            SourceFormat::Text => raw.to_owned(),
        })
    }

    /// Takes the page's date (from a meta tag, the URL, a manifest: `from`
    /// says which) as the report's year where the text gives none: the
    /// year before for a summary dated in the first quarter, as for a date
    /// printed on the page. A year the text fixes is never changed. Returns
    /// whether the year was taken.
    pub fn year_from_page(&mut self, (year, month): (i32, u32), from: &'static str) -> bool {
        if self.report_year.is_some() || !(1990..=2100).contains(&year) {
            return false;
        }
        let covers_last_year = month <= 3 && self.meta.kind != Some(SectionKind::Plan);
        self.report_year = Some(if covers_last_year { year - 1 } else { year });
        self.report_year_source = Some(ReportYearSource::PageDate);
        if self.meta.date.is_none() {
            self.meta.date = Some((year, month));
        }
        self.meta.date_from = Some(from);
        true
    }

    /// Maps a normalized byte range to a range of [`Document::decoded_text`].
    pub fn decoded_range(&self, r: Range<usize>) -> Range<usize> {
        let mut r = r;
        if let Some(m) = &self.noise_map {
            r = m.map(r);
        }
        r = self.norm_map.map(r);
        if let Some(m) = &self.simplified_map {
            r = m.map(r);
        }
        if let Some(m) = &self.html_map {
            r = m.map(r);
        }
        r
    }

    /// The sentence holding normalized offset `pos` (ends at 。 ! ? ; or a
    /// line break; the end mark is included, trailing line breaks are not).
    pub fn sentence_at(&self, pos: usize) -> Range<usize> {
        segment::span_at(&self.text, &self.sentence_starts, pos)
    }

    /// The first sentence start at or after normalized offset `pos` (the
    /// text's length when none follows).
    pub fn sentence_start_from(&self, pos: usize) -> usize {
        let i = self
            .sentence_starts
            .partition_point(|s| (*s as usize) < pos);
        self.sentence_starts
            .get(i)
            .map_or(self.text.len(), |s| *s as usize)
    }

    /// Every clause start, ascending (normalized offsets; the first is 0).
    pub fn clause_starts(&self) -> &[u32] {
        &self.clause_starts
    }

    /// The clause holding normalized offset `pos` (also ends at , 、 : but
    /// not at a thousands separator).
    pub fn clause_at(&self, pos: usize) -> Range<usize> {
        segment::span_at(&self.text, &self.clause_starts, pos)
    }

    /// The innermost section containing normalized offset `pos`.
    pub fn section_at(&self, pos: usize) -> Option<&Section> {
        self.sections_around(pos).next()
    }

    /// The sections holding normalized offset `pos`, innermost first: the
    /// last section starting at or before it, then up its parents.
    fn sections_around(&self, pos: usize) -> impl Iterator<Item = &Section> {
        let i = self.sections.partition_point(|s| s.range.start <= pos);
        std::iter::successors(i.checked_sub(1), |&cur| {
            self.section_parents[cur].map(|p| p as usize)
        })
        .map(|cur| &self.sections[cur])
        .filter(move |s| s.range.contains(&pos))
    }
}

/// Whether the text names itself as a place below a province (全市, 我县 …)
/// more often than as a province (全省, 我省): one pass over the text.
/// A title or issuer naming its bureau (东湖县科技局, 省科技厅) counts once
/// more for its side: a tie is decided by who wrote the report.
fn below_province(text: &str, meta: &ReportMeta) -> bool {
    use crate::lexicon::{Lexicon, Role};
    // The shipped lexicon (roles `own_region`, `province_self`,
    // `local_issuer`, `province_issuer`): a report's level is known before
    // its province.
    let lex = Lexicon::shipped();
    let (mut local, mut province) = lex.count_self_names(text);
    for head in [&meta.title, &meta.issuer].into_iter().flatten() {
        if lex.contains(Role::ProvinceIssuer, head) {
            province += 1;
        } else if lex.contains(Role::LocalIssuer, head) {
            local += 1;
        }
    }
    local > province
}

impl Document {
    /// The report speaks for a place below a province: it calls itself
    /// 全市, 我县 … more often than 全省, 我省 (so a 全省 figure in it is a
    /// wider area's, not its own).
    pub fn below_province(&self) -> bool {
        *self
            .below_province
            .get_or_init(|| below_province(&self.text, &self.meta))
    }

    /// The nearest section around normalized offset `pos` whose heading
    /// names a year, innermost first: "二、2024年工作目标" dates the figures
    /// of its "1. …" sub-sections too.
    pub fn section_year_at(&self, pos: usize) -> Option<(i32, &Section)> {
        self.sections_around(pos)
            .find_map(|s| s.year.map(|y| (y, s)))
    }
}

/// The heading level a numbered marker at the start of `line` gives (一、
/// level 1, (一) 2, 1. 3, (1) 4, 一是 5), if any: for the engine, which
/// treats a sentence that opens with one as the start of a new topic.
pub fn heading_level(line: &str) -> Option<u8> {
    segment::heading_level(line)
}

/// True for characters that end a clause in normalized text: , 、 ; : 。 ! ?
/// and line breaks. (A comma that is a thousands separator, as in 1,305,
/// is not a break: the segmenter checks its neighbours.)
pub fn is_clause_break(c: char) -> bool {
    is_sentence_break(c) || matches!(c, ',' | '、' | ':' | '，' | '：')
}

/// True for characters that end a sentence in normalized text: 。 ! ? ; and
/// line breaks.
pub fn is_sentence_break(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n' | '！' | '？' | '；')
}

/// Decodes, extracts, normalizes and segments one report. `format`: `None`
/// sniffs (HTML when the start looks like markup, else text).
pub fn read_report(
    name: &str,
    bytes: &[u8],
    format: Option<SourceFormat>,
) -> Result<Document, ReadError> {
    read_report_from(name, Cow::Borrowed(bytes), format, true)
}

/// [`read_report`] taking the file's bytes: a UTF-8 report is read in
/// place. The decoded file is kept beside the normalized text (twice the
/// report, not three times): every fact's line, column and original
/// evidence are read from it.
pub fn read_report_owned(
    name: &str,
    bytes: Vec<u8>,
    format: Option<SourceFormat>,
) -> Result<Document, ReadError> {
    read_report_from(name, Cow::Owned(bytes), format, true)
}

fn read_report_from(
    name: &str,
    bytes: Cow<'_, [u8]>,
    format: Option<SourceFormat>,
    keep_source: bool,
) -> Result<Document, ReadError> {
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(read_error(
            Code::ReportTooLarge,
            name,
            &format!(
                "the file is {} bytes, more than the limit of 512 MiB",
                bytes.len()
            ),
            "split the report into smaller files",
        ));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(read_error(
            Code::EmptyReport,
            name,
            "the file is empty",
            "check that the right file was given",
        ));
    }
    let decoded = decode::decode(&bytes).ok_or_else(|| {
        read_error(
            Code::Undecodable,
            name,
            "no supported encoding (UTF-8, UTF-16 with BOM, GB18030, Big5 …) reads this file",
            "convert the report to UTF-8",
        )
    })?;
    if looks_binary(&decoded.text) {
        return Err(read_error(
            Code::BinaryReport,
            name,
            "the file looks binary (NUL bytes or control characters)",
            "give a text or HTML report; convert PDF or Word files to text first",
        ));
    }
    let mut warnings = Vec::new();
    if decoded.bad_count > 0 {
        let list: Vec<String> = decoded.bad_offsets.iter().map(usize::to_string).collect();
        let more = if decoded.bad_count > decoded.bad_offsets.len() {
            ", …"
        } else {
            ""
        };
        warnings.push(TextWarning {
            code: Code::ReplacedBytes,
            message: format!(
                "{} invalid {} sequence(s) replaced with U+FFFD, at byte offset(s) {}{more}",
                decoded.bad_count,
                decoded.encoding,
                list.join(", ")
            ),
            offset: decoded.bad_offsets.first().copied(),
        });
    }
    let format = format.unwrap_or(if html::looks_like_html(&decoded.text) {
        SourceFormat::Html
    } else {
        SourceFormat::Text
    });
    let mut html_page: (Option<String>, Option<String>) = (None, None);
    let (html_map, html_title, html_issuer, extracted) = match format {
        SourceFormat::Html => {
            let e = html::extract(&decoded.text);
            if let Some(&first) = e.cut_tags.first() {
                let at = decoded.map.map(first..first).start;
                warnings.push(TextWarning {
                    code: Code::MarkupSkipped,
                    message: format!(
                        "{} tag(s) with more than {} attributes, the rest of each skipped; the first at byte offset {at}",
                        e.cut_tags.len(),
                        html::MAX_ATTRIBUTES
                    ),
                    offset: Some(at),
                });
            }
            html_page = (e.url, e.date);
            (Some(e.map), e.title, e.issuer, Some(e.text))
        }
        SourceFormat::Text => (None, None, None, None),
    };
    let source: &str = extracted.as_deref().unwrap_or(&decoded.text);
    // Traditional text (rare) is converted first and normalized again.
    let (mut text, mut norm_map, traditional) = normalize::normalize_noting_traditional(source);
    let simplified = if traditional {
        normalize::to_simplified(source)
    } else {
        None
    };
    if let Some((s, _)) = &simplified {
        (text, norm_map) = normalize::normalize(s);
    }
    drop(extracted);
    // Pinyin glosses of mirror sites (研發(fā)) split the words rules look for.
    let noise_map = noise::strip_pinyin(&text).map(|(stripped, map)| {
        text = stripped;
        map
    });
    let decode::Decoded {
        text: decoded_text,
        map: decode_map,
        encoding,
        ..
    } = decoded;
    let decoded_text = if keep_source {
        decoded_text.into_owned()
    } else {
        String::new()
    };
    drop(bytes);
    let simplified_map = simplified.map(|(_, m)| m);
    if text.trim().is_empty() {
        return Err(read_error(
            Code::EmptyReport,
            name,
            "the report has no text (only white space or markup)",
            "check that the right file was given",
        ));
    }
    // A table flattened one cell per line reads row by row.
    let mut table_cells = table::join_tables(&mut text);
    // A figure broken over lines (a PDF's or a narrow page's) reads whole.
    lines::join_soft_breaks(&mut text);
    // Rows of `|` separated cells (an HTML table) keep their columns too.
    let first_row = table_cells.last().map_or(0, |c| c.row);
    table_cells.extend(table::pipe_tables(&text, first_row));
    table_cells.sort_by_key(|c| c.range.start);
    let (sentence_starts, clause_starts) = segment::boundaries(&text);
    let (sections, section_parents) = segment::sections(&text);
    let mut meta = segment::meta(
        &text,
        html_title.map(|t| normalize_str(&t)).as_deref(),
        html_issuer.map(|t| normalize_str(&t)).as_deref(),
    );
    meta.url_from = html_page.0.is_some().then_some("url");
    meta.url = html_page.0;
    let report_year = segment::report_year(&text, &meta);
    let meta_date = html_page.1.as_deref().and_then(segment::date_in);
    let mut doc = Document {
        name: name.to_owned(),
        encoding,
        format,
        report_year: report_year.map(|(y, _)| y),
        report_year_source: report_year.map(|(_, s)| s),
        text,
        warnings,
        meta,
        sections,
        table_cells,
        below_province: std::sync::OnceLock::new(),
        line_breaks: std::sync::OnceLock::new(),
        decoded: decoded_text,
        decode_map,
        html_map,
        simplified_map,
        norm_map,
        noise_map,
        sentence_starts,
        clause_starts,
        section_parents,
    };
    if let Some(date) = meta_date {
        doc.year_from_page(date, "a meta tag");
    }
    Ok(doc)
}

/// `raw` without markup tags (`<p>`, `</span>`); a `<` that opens no tag
/// stays.
fn strip_tags(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let is_tag = tail[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, tail.find('>')) {
            (true, Some(j)) => rest = &tail[j + 1..],
            _ => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// NUL characters, or more than 5% control characters, in the first 65,536
/// characters.
fn looks_binary(text: &str) -> bool {
    const CHARS: usize = 65_536;
    let bytes = text.as_bytes();
    // Works on bytes (whole-slice counts the compiler vectorizes), not
    // characters: it runs over every report. Most reports hold no control
    // character at all, which one pass over the whole text tells.
    // C0 controls but tab, line feed, form feed and carriage return (NUL
    // included); DEL; C1 controls (U+0080–U+009F, encoded C2 80–C2 9F; C2
    // is rare).
    let is_c0 = |b: u8| {
        ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != 0x0c) & (b != b'\r')) | (b == 0x7f)
    };
    let c1_in = |head: &[u8]| {
        memchr::memchr_iter(0xc2, head)
            .filter(|&i| head.get(i + 1).is_some_and(|b| b & 0xe0 == 0x80))
            .count()
    };
    if count_bytes(bytes, is_c0) == 0 && c1_in(bytes) == 0 {
        return false;
    }
    let head = &bytes[..char_prefix_len(text, CHARS)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let chars = count_bytes(head, |b| b & 0xC0 != 0x80);
    (count_bytes(head, is_c0) + c1_in(head)) * 20 > chars
}

/// The length in bytes of the first `n` characters of `s` (all of `s` when
/// it is shorter). Counts the bytes that start a character, a chunk at a
/// time, instead of decoding each: this runs over the head of every report.
pub fn char_prefix_len(s: &str, n: usize) -> usize {
    let bytes = s.as_bytes();
    if bytes.len() <= n {
        return bytes.len();
    }
    let starts_char = |b: u8| b & 0xC0 != 0x80;
    let mut seen = 0;
    for (k, chunk) in bytes.chunks(4096).enumerate() {
        let in_chunk = count_bytes(chunk, starts_char);
        if seen + in_chunk > n {
            for (i, &b) in chunk.iter().enumerate() {
                if starts_char(b) {
                    if seen == n {
                        return k * 4096 + i;
                    }
                    seen += 1;
                }
            }
        }
        seen += in_chunk;
    }
    bytes.len()
}

/// How many bytes satisfy `pred`: summed in 8-bit lanes, 255 bytes at a
/// time, so that the compiler vectorizes it (`filter().count()` widens every
/// byte to a 64-bit lane). `pred` should be branch-free (`&`, `|`).
fn count_bytes(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let n = chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(pred(b))));
            usize::from(n)
        })
        .sum()
}

/// Whether a section reports what was done or plans what will be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// 工作总结, 主要成效, 完成情况 …
    Summary,
    /// 工作计划, 工作安排, 工作思路, 工作打算, 目标任务 …
    Plan,
    /// Neither could be told.
    Unknown,
}

/// How a report's year was found ([`Document::report_year`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportYearSource {
    /// Its title names it (`2021年工作总结`).
    Title,
    /// It opens most of the sentences of the report's first part.
    OpensSentences,
    /// The page's date (the year before, for a summary published in the
    /// first quarter).
    PageDate,
    /// It is the year named most often in the report's first part.
    MostNamed,
}

/// A section of a report, from a heading to the next heading of the same or
/// a higher level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The heading line (normalized-text offsets).
    pub heading: Range<usize>,
    /// The whole section including its heading (normalized-text offsets).
    pub range: Range<usize>,
    /// 1 for 一、, 2 for (一), 3 for 1. …
    pub level: u8,
    /// Summary or plan, from the heading words (inherited from the parent when silent).
    pub kind: SectionKind,
    /// A year named in the heading (2022年工作计划 → 2022).
    pub year: Option<i32>,
}

/// What the report says about itself in its title and header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportMeta {
    /// The title line, when one could be found.
    pub title: Option<String>,
    /// The year the report covers (2021年工作总结 → 2021).
    pub year: Option<i32>,
    /// The issuing body (发布机构, 来源 …), e.g. 宜兴市科学技术局.
    pub issuer: Option<String>,
    /// Summary or plan, when the title says (or the analyst declared it:
    /// [`ReportMeta::kind_declared_by`]).
    pub kind: Option<SectionKind>,
    /// Who declared `kind` when the title did not decide it: `--kind plan`,
    /// `the 浙江 rules (kind summary)`. `None`: the title decided.
    pub kind_declared_by: Option<String>,
    /// The page's own date (year, month) from a header field such as
    /// `生成日期 | 2022-02-28`: a summary with no year of its own published
    /// early in a year covers the year before.
    pub date: Option<(i32, u32)>,
    /// The five-year period a plan's title names (`“十四五”科技创新规划` →
    /// 2021–2025): its actual figures are for the year before the period,
    /// its targets for the period's last year.
    pub period: Option<(i32, i32)>,
    /// The page's own address, from its markup (`<link rel=canonical>`,
    /// `og:url`, `<base>`) or given with the report (`--sources`).
    pub url: Option<String>,
    /// Where [`ReportMeta::date`] came from when not from a header line of
    /// the text: `a meta tag`, `the URL`, `the manifest`. Such a date only
    /// gives the report's year when the text names none.
    pub date_from: Option<&'static str>,
    /// Where [`ReportMeta::url`] came from: `url` (the markup) or
    /// `manifest`.
    pub url_from: Option<&'static str>,
}

/// A date written `2022-01-10`, `2022/1/10`, `2022.01.10`, `2022年1月10日`
/// or `2022-01-10T08:00:00+08:00`: year and month.
pub fn parse_date(s: &str) -> Option<(i32, u32)> {
    segment::date_in(s)
}

/// Normalizes a short string exactly the way report text is normalized
/// (traditional → simplified, NFKC, dashes, zero-width characters, spaces
/// and line breaks), without keeping an offset map. Rule literals are
/// compared against normalized text, so the checker uses this to find
/// literals that can never match.
pub fn normalize_str(s: &str) -> String {
    match normalize::to_simplified(s) {
        Some((t, _)) => normalize::normalize(&t).0,
        None => normalize::normalize(s).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_prefix_len_counts_characters() {
        for text in [
            "",
            "abc",
            "高新技术企业",
            &"字a".repeat(5000),
            &"é字😀".repeat(3000),
        ] {
            for n in [0, 1, 2, 3, 4095, 4096, 4097, 9000, 20000] {
                let want = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
                assert_eq!(char_prefix_len(text, n), want, "{n}");
            }
        }
    }

    /// The character-by-character definition `looks_binary` must agree with.
    fn looks_binary_by_chars(text: &str) -> bool {
        let (mut n, mut ctrl) = (0usize, 0usize);
        for c in text.chars().take(65_536) {
            n += 1;
            if c == '\0' {
                return true;
            }
            if c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{0c}') {
                ctrl += 1;
            }
        }
        ctrl * 20 > n
    }

    #[test]
    fn binary_detection_at_the_edges() {
        let c1 = "\u{85}";
        for (text, want) in [
            ("普通文本\n\t", false),
            ("a\0b", true),
            (&*"\u{1}".repeat(5), true),
            (&*format!("{}{}", "字".repeat(19), "\u{7f}"), false),
            (&*format!("{}{}", "字".repeat(18), "\u{7f}\u{7f}"), true),
            (&*format!("{}{c1}{c1}", "字".repeat(18)), true),
            // Past the first 65,536 characters nothing counts.
            (&*format!("{}\0", "字".repeat(65_536)), false),
            (&*format!("{}\0", "字".repeat(65_535)), true),
        ] {
            assert_eq!(looks_binary(text), want, "{:?}", text.get(..40));
            assert_eq!(looks_binary(text), looks_binary_by_chars(text));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn binary_detection_matches_the_character_definition(
            text in "[\\x00-\\x20\\x7f-\\u{a0}字a\\n]{0,200}",
        ) {
            proptest::prop_assert_eq!(looks_binary(&text), looks_binary_by_chars(&text));
        }
    }

    #[test]
    fn normalize_str_matches_report_normalization() {
        assert_eq!(normalize_str("高新 技術企業"), "高新技术企业");
        assert_eq!(normalize_str("１２％"), "12%");
        assert_eq!(normalize_str("2—3"), "2-3");
        assert_eq!(normalize_str("a\u{200b}b"), "ab");
    }

    #[test]
    fn breaks() {
        for c in [',', '、', ';', ':', '。', '!', '?', '\n'] {
            assert!(is_clause_break(c), "{c:?}");
        }
        for c in ['。', '!', '?', ';', '\n'] {
            assert!(is_sentence_break(c), "{c:?}");
        }
        assert!(!is_sentence_break(','));
        assert!(!is_clause_break('-'));
    }
}
