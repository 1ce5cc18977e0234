//! HTML extraction: markup → plain text, with a map back into the markup.
//!
//! The markup is tokenized with html5gum (a WHATWG tokenizer that gives
//! byte spans), never stripped with regexes; its events come through a
//! callback (no token is allocated, only the attributes we look at are
//! kept). Its one recursion on input — a call per double-quoted attribute
//! of a tag — is bounded by the reader ([`MAX_ATTRIBUTES`]). We keep an open-element stack:
//! text inside script/style/noscript/nav/header/footer/aside/select/button/
//! head, or inside any element whose class or id names navigation (nav,
//! menu, breadcrumb, footer, share …), is dropped. Block elements become a
//! line break (mapped to the tag), table cells are separated by " | ".
//! Entities are decoded by the tokenizer; we align the decoded text with the
//! source span so each decoded character maps to its entity's bytes.

use std::cell::Cell;
use std::convert::Infallible;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{
    Emitter, Readable, Reader, Span, State as TokenizerState, StringReader, Tokenizer,
    naive_next_state,
};
use rustc_hash::FxHashMap;

use super::offsets::{MapBuilder, OffsetMap};

/// Text extracted from a page.
#[derive(Debug)]
pub(crate) struct Extracted {
    pub text: String,
    pub map: OffsetMap,
    /// `<title>` text, `<meta name=ArticleTitle>`, or the first `<h1>`.
    pub title: Option<String>,
    /// `<meta name=ContentSource|author>`.
    pub issuer: Option<String>,
    /// The page's own address: `<link rel=canonical>`, else
    /// `<meta property=og:url>`, else `<base href>` (absolute ones only).
    pub url: Option<String>,
    /// `<meta name=PubDate|publishdate|…>` or `article:published_time`.
    pub date: Option<String>,
    /// Byte offsets of tags whose attributes were cut short (more than
    /// [`MAX_ATTRIBUTES`]), the rest of the tag skipped.
    pub cut_tags: Vec<usize>,
}

/// True when the start of `text` looks like markup.
pub(crate) fn looks_like_html(text: &str) -> bool {
    const HEAD_CHARS: usize = 2048;
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    // Plain text has no `<` in its head: say so without copying the head.
    // (2048 characters take at most 8 KiB.)
    let probe = &text.as_bytes()[..text.len().min(4 * HEAD_CHARS)];
    match memchr::memchr(b'<', probe) {
        None => return false,
        Some(p) if p >= HEAD_CHARS && text[..p].chars().count() >= HEAD_CHARS => return false,
        Some(_) => {}
    }
    let head: String = text
        .chars()
        .take(HEAD_CHARS)
        .collect::<String>()
        .to_ascii_lowercase();
    if !head.starts_with('<') {
        return head.contains("<html") || head.contains("<body");
    }
    [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<meta",
        "<div",
        "<p",
        "<table",
        "<title",
        "<!--",
    ]
    .iter()
    .any(|t| head.contains(t))
}

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "select", "button", "head",
    "template", "iframe", "object", "svg", "form", "textarea",
];

const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "hr",
    "main",
    "figure",
    "figcaption",
    "address",
    "center",
    "caption",
    "tbody",
    "thead",
    "tfoot",
    "body",
    "html",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param",
];

const NAV_WORDS: &[&str] = &[
    "nav",
    "menu",
    "breadcrumb",
    "crumb",
    "footer",
    "share",
    "sidebar",
    "toolbar",
    "topbar",
    "pagination",
    "pager",
    "copyright",
    "login",
    "search",
    "banner",
    "header",
];

/// True when a class or id value names navigation-like furniture.
fn is_nav_attr(v: &str) -> bool {
    let v = v.to_ascii_lowercase();
    v.split(|c: char| !c.is_ascii_alphanumeric()).any(|tok| {
        !tok.is_empty()
            && NAV_WORDS
                .iter()
                .any(|w| tok == *w || tok.starts_with(w) || tok.ends_with(w))
    })
}

struct Open {
    name: String,
    skip: bool,
}

/// Most attributes read in one tag. html5gum's tokenizer calls itself once
/// per double-quoted attribute followed by a space (an inlining of its
/// state functions), so a tag of tens of thousands of attributes overflowed
/// the stack (36 KB of `a="v" ` aborted a whole batch). Past this many the
/// reader stops the tokenizer, the rest of the tag is skipped, and
/// tokenizing starts again after it. Real tags have a handful. (Each
/// attribute costs about 300 bytes of stack in a release build, 5 KB in a
/// debug build, where a test thread has 2 MiB.)
pub(crate) const MAX_ATTRIBUTES: u32 = 200;

/// Shared between the reader and the emitter's callback: how many attributes
/// the current tag has had, and where reading stopped.
#[derive(Default)]
struct AttributeGuard {
    in_tag: Cell<u32>,
    stopped_at: Cell<Option<usize>>,
}

/// The tokenizer stopped: a tag with more than [`MAX_ATTRIBUTES`] attributes.
#[derive(Debug)]
struct TooManyAttributes;

impl std::fmt::Display for TooManyAttributes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a tag with more than {MAX_ATTRIBUTES} attributes")
    }
}

impl std::error::Error for TooManyAttributes {}

/// html5gum's string reader, counting the bytes it hands out and refusing
/// to go on once the guard says a tag has too many attributes (the error
/// unwinds the tokenizer's recursion through its `?`s).
struct GuardedReader<'a> {
    inner: StringReader<'a>,
    pos: usize,
    guard: &'a AttributeGuard,
}

impl GuardedReader<'_> {
    #[inline(always)]
    fn check(&self) -> Result<(), TooManyAttributes> {
        if self.guard.in_tag.get() > MAX_ATTRIBUTES {
            self.guard.stopped_at.set(Some(self.pos));
            return Err(TooManyAttributes);
        }
        Ok(())
    }
}

impl Reader for GuardedReader<'_> {
    type Error = TooManyAttributes;

    #[inline(always)]
    fn read_byte(&mut self) -> Result<Option<u8>, Self::Error> {
        self.check()?;
        let Ok(b) = self.inner.read_byte();
        self.pos += usize::from(b.is_some());
        Ok(b)
    }

    #[inline(always)]
    fn try_read_string(&mut self, s: &[u8], case_sensitive: bool) -> Result<bool, Self::Error> {
        self.check()?;
        let Ok(found) = self.inner.try_read_string(s, case_sensitive);
        if found {
            self.pos += s.len();
        }
        Ok(found)
    }

    #[inline(always)]
    fn read_until<'b>(
        &'b mut self,
        needle: &[u8],
        char_buf: &'b mut [u8; 4],
    ) -> Result<Option<&'b [u8]>, Self::Error> {
        self.check()?;
        let Ok(read) = self.inner.read_until(needle, char_buf);
        self.pos += read.map_or(0, <[u8]>::len);
        Ok(read)
    }
}

/// Which attribute of the current tag a value belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Class,
    Id,
    Name,
    Content,
    Rel,
    Href,
    Property,
}

/// The start tag being read: its name, where it starts, the attributes
/// extraction looks at (the first of each, as HTML keeps).
#[derive(Default)]
struct Tag {
    name: String,
    start: usize,
    class: Option<String>,
    id: Option<String>,
    meta_name: Option<String>,
    content: Option<String>,
    rel: Option<String>,
    href: Option<String>,
    property: Option<String>,
    wanted: Option<Wanted>,
}

/// The extraction's state, fed by the tokenizer's events.
struct State<'h> {
    html: &'h str,
    out: String,
    b: MapBuilder,
    stack: Vec<Open>,
    /// How many open elements of each name (an end tag whose name is not
    /// open is ignored without searching the stack: 100,000 stray end tags
    /// inside 100,000 open ones made that quadratic).
    open: FxHashMap<String, usize>,
    tag: Option<Tag>,
    title: Option<String>,
    meta_title: Option<String>,
    h1: Option<String>,
    issuer: Option<String>,
    canonical: Option<String>,
    og_url: Option<String>,
    base: Option<String>,
    meta_date: Option<String>,
    in_title: bool,
    h1_depth: Option<usize>,
    h1_buf: String,
}

impl State<'_> {
    fn newline(&mut self, at: usize) {
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
            self.b.piece(at, 0, 1);
        }
    }

    /// One tokenizer event; `base` is where the tokenized part starts.
    fn event(&mut self, event: CallbackEvent<'_>, span: Span<usize>, base: usize) {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag = Some(Tag {
                    // html5gum lowercases tag names.
                    name: String::from_utf8_lossy(name).into_owned(),
                    start: base + span.start,
                    ..Tag::default()
                });
            }
            CallbackEvent::AttributeName { name } => {
                if let Some(tag) = &mut self.tag {
                    tag.wanted = match name {
                        b"class" if tag.class.is_none() => Some(Wanted::Class),
                        b"id" if tag.id.is_none() => Some(Wanted::Id),
                        b"name" if tag.meta_name.is_none() => Some(Wanted::Name),
                        b"content" if tag.content.is_none() => Some(Wanted::Content),
                        b"rel" if tag.rel.is_none() => Some(Wanted::Rel),
                        b"href" if tag.href.is_none() => Some(Wanted::Href),
                        b"property" if tag.property.is_none() => Some(Wanted::Property),
                        _ => None,
                    };
                }
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(tag) = &mut self.tag
                    && let Some(w) = tag.wanted.take()
                {
                    let v = Some(String::from_utf8_lossy(value).into_owned());
                    match w {
                        Wanted::Class => tag.class = v,
                        Wanted::Id => tag.id = v,
                        Wanted::Name => tag.meta_name = v,
                        Wanted::Content => tag.content = v,
                        Wanted::Rel => tag.rel = v,
                        Wanted::Href => tag.href = v,
                        Wanted::Property => tag.property = v,
                    }
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                if let Some(tag) = self.tag.take() {
                    self.start_tag(tag, self_closing);
                }
            }
            CallbackEvent::EndTag { name } => {
                self.tag = None;
                // html5gum lowercases tag names.
                let name = String::from_utf8_lossy(name);
                self.end_tag(&name, base + span.start);
            }
            CallbackEvent::String { value } => {
                let start = base + span.start;
                let end = base + span.end;
                self.string(value, start..end);
            }
            CallbackEvent::Comment { .. }
            | CallbackEvent::Doctype { .. }
            | CallbackEvent::Error(_) => {}
        }
    }

    fn start_tag(&mut self, tag: Tag, self_closing: bool) {
        let name = tag.name;
        if name == "meta" {
            let key = tag
                .meta_name
                .or(tag.property)
                .unwrap_or_default()
                .to_ascii_lowercase();
            let content = tag.content.map(|c| c.trim().to_owned());
            match key.as_str() {
                "contentsource" | "author" if self.issuer.is_none() => self.issuer = content,
                "articletitle" if self.meta_title.is_none() => self.meta_title = content,
                "og:url" if self.og_url.is_none() => self.og_url = content,
                "pubdate"
                | "publishdate"
                | "firstpublishedtime"
                | "article:published_time"
                | "publish_date"
                | "date"
                    if self.meta_date.is_none() =>
                {
                    self.meta_date = content;
                }
                _ => {}
            }
        } else if name == "link"
            && self.canonical.is_none()
            && tag.rel.as_deref().is_some_and(|r| {
                r.split_ascii_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("canonical"))
            })
        {
            self.canonical = tag.href.map(|h| h.trim().to_owned());
        } else if name == "base" && self.base.is_none() {
            self.base = tag.href.map(|h| h.trim().to_owned());
        }
        let parent_skip = self.stack.last().is_some_and(|o| o.skip);
        let nav = [&tag.class, &tag.id]
            .iter()
            .any(|v| v.as_deref().is_some_and(is_nav_attr));
        let skip = parent_skip || nav || SKIPPED.contains(&name.as_str());
        if name == "title" {
            self.in_title = true;
        }
        if !skip {
            if BLOCKS.contains(&name.as_str()) {
                self.newline(tag.start);
            } else if (name == "td" || name == "th")
                && !self.out.is_empty()
                && !self.out.ends_with('\n')
            {
                self.out.push_str(" | ");
                self.b.piece(tag.start, 0, 3);
            }
        }
        if !VOID.contains(&name.as_str()) && !self_closing {
            if name == "h1" && self.h1.is_none() && !skip {
                self.h1_depth = Some(self.stack.len());
                self.h1_buf.clear();
            }
            match self.open.get_mut(name.as_str()) {
                Some(n) => *n += 1,
                None => {
                    self.open.insert(name.clone(), 1);
                }
            }
            self.stack.push(Open { name, skip });
        }
    }

    fn end_tag(&mut self, name: &str, at: usize) {
        if name == "title" {
            self.in_title = false;
        }
        let is_open = self.open.get(name).is_some_and(|n| *n > 0);
        if let Some(i) = is_open
            .then(|| self.stack.iter().rposition(|o| o.name == name))
            .flatten()
        {
            let skip = self.stack[i].skip;
            for closed in self.stack.drain(i..) {
                if let Some(n) = self.open.get_mut(&closed.name) {
                    *n -= 1;
                }
            }
            if self.h1_depth.is_some_and(|d| d >= self.stack.len()) {
                self.h1_depth = None;
                let t = self.h1_buf.trim();
                if !t.is_empty() {
                    self.h1 = Some(t.to_owned());
                }
            }
            if !skip && BLOCKS.contains(&name) {
                self.newline(at);
            }
        } else if name == "br" || name == "p" {
            self.newline(at);
        }
    }

    fn string(&mut self, value: &[u8], span: std::ops::Range<usize>) {
        // The tokenizer's text comes from a `&str`: validated with SIMD, the
        // lossy path only for safety.
        let value = match simdutf8::basic::from_utf8(value) {
            Ok(v) => std::borrow::Cow::Borrowed(v),
            Err(_) => String::from_utf8_lossy(value),
        };
        if self.in_title {
            let t = value.trim();
            if !t.is_empty() && self.title.is_none() {
                self.title = Some(t.to_owned());
            }
            return;
        }
        if self.stack.last().is_some_and(|o| o.skip) {
            return;
        }
        if self.h1_depth.is_some() {
            self.h1_buf.push_str(&value);
        }
        let src = self.html.get(span.clone()).unwrap_or("");
        align(src, span.start, &value, &mut self.out, &mut self.b);
    }
}

/// Extracts the text of `html`.
pub(crate) fn extract(html: &str) -> Extracted {
    let mut state = State {
        html,
        out: String::with_capacity(html.len() / 2),
        b: MapBuilder::new(),
        stack: Vec::new(),
        open: FxHashMap::default(),
        tag: None,
        title: None,
        meta_title: None,
        h1: None,
        issuer: None,
        canonical: None,
        og_url: None,
        base: None,
        meta_date: None,
        in_title: false,
        h1_depth: None,
        h1_buf: String::new(),
    };
    let guard = AttributeGuard::default();
    // Where tokenizing (re)starts, and in which state (after a stopped
    // `<script …>`, in script data).
    let mut base = 0;
    let mut resume: Option<(TokenizerState, String)> = None;
    let mut cut_tags = Vec::new();
    while base <= html.len() {
        let part = &html[base..];
        guard.in_tag.set(0);
        guard.stopped_at.set(None);
        let callback = |event: CallbackEvent<'_>, span: Span<usize>| -> Option<Infallible> {
            match &event {
                CallbackEvent::AttributeName { .. } => {
                    guard.in_tag.set(guard.in_tag.get().saturating_add(1));
                }
                CallbackEvent::OpenStartTag { .. }
                | CallbackEvent::CloseStartTag { .. }
                | CallbackEvent::EndTag { .. } => guard.in_tag.set(0),
                _ => {}
            }
            state.event(event, span, base);
            None
        };
        let mut emitter = CallbackEmitter::new(callback);
        emitter.naively_switch_states(true);
        if let Some((_, name)) = &resume {
            emitter.set_last_start_tag(Some(name.as_bytes()));
        }
        let reader = GuardedReader {
            inner: part.to_reader(),
            pos: 0,
            guard: &guard,
        };
        let mut tokenizer = Tokenizer::new_with_emitter(reader, emitter);
        if let Some((next, _)) = resume.take() {
            tokenizer.set_state(next);
        }
        // Only errors come out: the callback handles every event.
        let stopped = tokenizer.any(|r| r.is_err());
        drop(tokenizer);
        if !stopped {
            break;
        }
        // A tag with too many attributes: take it as ending here, skip the
        // rest of it (to the next `>`), and go on after it.
        let at = base + guard.stopped_at.get().unwrap_or(0);
        cut_tags.push(state.tag.as_ref().map_or(at, |t| t.start));
        if let Some(tag) = state.tag.take() {
            let name = tag.name.clone();
            state.start_tag(tag, false);
            resume = naive_next_state(name.as_bytes()).map(|s| (s, name));
        }
        match memchr::memchr(b'>', &html.as_bytes()[at..]) {
            Some(k) => base = at + k + 1,
            None => break,
        }
    }
    let clean = |t: String| -> Option<String> {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    let State {
        out,
        b,
        meta_title,
        h1,
        title,
        issuer,
        canonical,
        og_url,
        base,
        meta_date,
        ..
    } = state;
    let absolute =
        |u: &String| u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//");
    Extracted {
        map: b.finish(html.len()),
        text: out,
        title: meta_title.or(h1).or(title).and_then(clean),
        issuer: issuer.and_then(clean),
        url: canonical
            .filter(absolute)
            .or(og_url.filter(absolute))
            .or(base.filter(absolute)),
        date: meta_date.and_then(clean),
        cut_tags,
    }
}

/// Appends `decoded` (the tokenizer's text for source `src` at `base`) to
/// `out`, mapping literal runs byte for byte and each entity to its source.
/// Where the two cannot be aligned, the rest maps to the rest as one piece.
fn align(src: &str, base: usize, decoded: &str, out: &mut String, b: &mut MapBuilder) {
    let (sb, db) = (src.as_bytes(), decoded.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    while j < db.len() {
        if i >= sb.len() {
            break;
        }
        if sb[i] == b'\r' && db[j] == b'\n' {
            // CR LF or a lone CR became LF.
            let n = if sb.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
            out.push('\n');
            b.piece(base + i, n, 1);
            i += n;
            j += 1;
            continue;
        }
        if sb[i] != b'&' {
            // Literal run up to the next '&' or CR.
            let end = sb[i..]
                .iter()
                .position(|c| *c == b'&' || *c == b'\r')
                .map_or(sb.len(), |p| i + p);
            let lit = &src[i..end];
            if decoded[j..].starts_with(lit) {
                out.push_str(lit);
                b.copy(base + i, lit.len());
                i = end;
                j += lit.len();
                continue;
            }
            break;
        }
        // An entity (or a literal '&'): find its source end.
        let rest = &sb[i + 1..];
        let ent_len = if rest.first() == Some(&b'#') {
            let digits = if matches!(rest.get(1), Some(b'x' | b'X')) {
                2 + rest[2..]
                    .iter()
                    .take_while(|c| c.is_ascii_hexdigit())
                    .count()
            } else {
                1 + rest[1..].iter().take_while(|c| c.is_ascii_digit()).count()
            };
            digits + usize::from(rest.get(digits) == Some(&b';'))
        } else {
            let n = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            n + usize::from(rest.get(n) == Some(&b';'))
        };
        let e = i + 1 + ent_len;
        let next = sb[e..]
            .iter()
            .position(|c| *c == b'&' || *c == b'\r')
            .map_or(sb.len(), |p| e + p);
        let lit_after = &src[e..next];
        // An unknown entity (`&z9;`) is kept as written: with nothing
        // literal after it to check against, its first character `&` would
        // pass for its decoding and the rest would be misaligned.
        if lit_after.is_empty() && decoded[j..].starts_with(&src[i..e]) {
            out.push_str(&src[i..e]);
            b.copy(base + i, e - i);
            j += e - i;
            i = e;
            continue;
        }
        // The entity decodes to one or two characters.
        let mut matched = None;
        for take in 1..=2 {
            let Some((k, c)) = decoded[j..].char_indices().nth(take - 1) else {
                break;
            };
            let dj = j + k + c.len_utf8();
            if decoded[dj..].starts_with(lit_after) {
                matched = Some(dj);
                break;
            }
        }
        match matched {
            Some(dj) if ent_len > 0 => {
                out.push_str(&decoded[j..dj]);
                b.piece(base + i, e - i, dj - j);
                i = e;
                j = dj;
            }
            _ => {
                if db[j] == b'&' {
                    out.push('&');
                    b.copy(base + i, 1);
                    i += 1;
                    j += 1;
                } else {
                    break;
                }
            }
        }
    }
    if j < db.len() {
        // The rest to the rest, cut at character boundaries of the markup.
        out.push_str(&decoded[j..]);
        let i = i.min(sb.len());
        b.piece_in(src, base, i, sb.len() - i, db.len() - j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        extract(html).text
    }

    #[test]
    fn scripts_styles_and_navigation_are_dropped() {
        let h = r#"<html><head><title>某区科技局2023年工作总结</title><style>p{color:red}</style></head>
<body><div class="top-nav"><a href="/">首页</a></div><ul id="menu"><li>机构</li></ul>
<script>var x = "<p>不要</p>";</script><p>全年新增企业12家。</p><footer>版权所有</footer></body></html>"#;
        let e = extract(h);
        assert_eq!(e.text.trim(), "全年新增企业12家。");
        assert_eq!(e.title.as_deref(), Some("某区科技局2023年工作总结"));
    }

    #[test]
    fn blocks_become_line_breaks_and_cells_are_separated() {
        let t = text(
            "<p>甲</p><p>乙<br>丙</p><table><tr><td>发布机构</td><td>某市科技局</td></tr></table>",
        );
        assert_eq!(t.trim(), "甲\n乙\n丙\n发布机构 | 某市科技局");
    }

    #[test]
    fn entities_map_to_their_source() {
        let h = "<p>A&amp;B&nbsp;12&#37;</p>";
        let e = extract(h);
        assert_eq!(e.text.trim(), "A&B\u{a0}12%");
        let amp = e.text.find('&').expect("&");
        assert_eq!(&h[e.map.map(amp..amp + 1)], "&amp;");
        let pct = e.text.find('%').expect("%");
        assert_eq!(&h[e.map.map(pct..pct + 1)], "&#37;");
        let b = e.text.find('B').expect("B");
        assert_eq!(&h[e.map.map(b..b + 1)], "B");
    }

    #[test]
    fn nav_words_are_whole_tokens() {
        assert!(is_nav_attr("main-nav"));
        assert!(is_nav_attr("breadcrumbs"));
        assert!(is_nav_attr("subnav"));
        assert!(!is_nav_attr("unavailable"));
        assert!(!is_nav_attr("content article"));
    }

    #[test]
    fn a_tag_with_thousands_of_attributes_does_not_overflow_the_stack() {
        for attrs in ["a=\"v\" ", "a=\"v\"\n", "a = \"v\" "] {
            let h = format!(
                "<p>前文12家。</p><p {}>正文503家。</p><p>后文8家。</p>",
                attrs.repeat(200_000)
            );
            let e = extract(&h);
            assert_eq!(e.cut_tags, [h.find("<p a").expect("tag")]);
            let t = e.text;
            assert!(t.contains("前文12家。"), "{}", &t[..t.len().min(200)]);
            assert!(t.contains("后文8家。"), "{}", &t[..t.len().min(200)]);
        }
        // A stopped `<script …>` still hides its script.
        let h = format!(
            "<script {}>var x = \"<p>不要</p>\";</script><p>要的</p>",
            "a=\"v\" ".repeat(5_000)
        );
        assert_eq!(text(&h).trim(), "要的");
        // Up to the limit nothing changes.
        let h = format!("<p {} class=\"x\">正文</p>", "a=\"v\" ".repeat(190));
        assert_eq!(text(&h).trim(), "正文");
    }

    #[test]
    fn stray_end_tags_among_many_open_ones_are_ignored() {
        let h = format!(
            "{}<p>正文</p>{}",
            "<div>".repeat(50_000),
            "</span>".repeat(50_000)
        );
        assert_eq!(text(&h).trim(), "正文");
        let h = "<div><span><b>甲</div>乙";
        assert_eq!(text(h).trim(), "甲\n乙");
    }

    /// Every character of the text maps to character boundaries of the
    /// markup, in order.
    fn assert_maps_to_boundaries(h: &str) {
        let e = extract(h);
        let mut last = 0;
        for (k, c) in e.text.char_indices() {
            let r = e.map.map(k..k + c.len_utf8());
            assert!(
                h.is_char_boundary(r.start) && h.is_char_boundary(r.end) && r.start >= last,
                "{c:?} at {k} maps to {r:?} in {h:?}"
            );
            last = r.start;
        }
    }

    #[test]
    fn unknown_entities_and_unaligned_text_map_to_whole_characters() {
        // Found by the fuzzer: an unknown entity right before another one
        // misaligned the rest, which was then mapped as one piece cut at
        // 255 bytes, inside a character.
        let tail = "研发投入占地区生产总值比重".repeat(30);
        for h in [
            format!("<p>&z9ad8;&#26body>{tail}</p>"),
            format!("<p>&amp;amp;&lt;{tail}&#x9ad8</p>"),
            format!("<p>&zz;&yy;&#1;{tail}</p>"),
        ] {
            assert_maps_to_boundaries(&h);
        }
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html("  <!DOCTYPE html><html>"));
        assert!(looks_like_html("<div>正文</div>"));
        assert!(!looks_like_html("一、工作总结\n<2022年>"));
        // Only the first 2048 characters are looked at.
        for pad in ["x", "字"] {
            assert!(looks_like_html(&(pad.repeat(2043) + "<html>")), "{pad}");
            assert!(!looks_like_html(&(pad.repeat(2044) + "<html>")), "{pad}");
        }
    }
}
