//! HTML extraction: markup → plain text, with a map back into the markup.
//!
//! The markup is tokenized with html5gum (a WHATWG tokenizer that gives
//! byte spans), never stripped with regexes. We keep an open-element stack:
//! text inside script/style/noscript/nav/header/footer/aside/select/button/
//! head, or inside any element whose class or id names navigation (nav,
//! menu, breadcrumb, footer, share …), is dropped. Block elements become a
//! line break (mapped to the tag), table cells are separated by " | ".
//! Entities are decoded by the tokenizer; we align the decoded text with the
//! source span so each decoded character maps to its entity's bytes.

use html5gum::{DefaultEmitter, Token, Tokenizer};

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

/// Extracts the text of `html`.
pub(crate) fn extract(html: &str) -> Extracted {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let tokenizer = Tokenizer::new_with_emitter(html, emitter);
    let mut out = String::with_capacity(html.len() / 2);
    let mut b = MapBuilder::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut title: Option<String> = None;
    let mut meta_title: Option<String> = None;
    let mut h1: Option<String> = None;
    let mut issuer: Option<String> = None;
    let mut in_title = false;
    let mut h1_depth: Option<usize> = None;
    let mut h1_buf = String::new();

    let newline = |out: &mut String, b: &mut MapBuilder, at: usize| {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
            b.piece(at, 0, 1);
        }
    };

    for token in tokenizer.flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |k: &str| {
                    tag.attributes
                        .get(k.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                if name == "meta" {
                    let key = attr("name").unwrap_or_default().to_ascii_lowercase();
                    let content = attr("content").map(|c| c.trim().to_owned());
                    match key.as_str() {
                        "contentsource" | "author" if issuer.is_none() => issuer = content,
                        "articletitle" if meta_title.is_none() => meta_title = content,
                        _ => {}
                    }
                }
                let parent_skip = stack.last().is_some_and(|o| o.skip);
                let nav = ["class", "id"]
                    .iter()
                    .any(|k| attr(k).is_some_and(|v| is_nav_attr(&v)));
                let skip = parent_skip || nav || SKIPPED.contains(&name.as_str());
                if name == "title" {
                    in_title = true;
                }
                if !skip {
                    if BLOCKS.contains(&name.as_str()) {
                        newline(&mut out, &mut b, tag.span.start);
                    } else if (name == "td" || name == "th")
                        && !out.is_empty()
                        && !out.ends_with('\n')
                    {
                        out.push_str(" | ");
                        b.piece(tag.span.start, 0, 3);
                    }
                }
                if !VOID.contains(&name.as_str()) && !tag.self_closing {
                    if name == "h1" && h1.is_none() && !skip {
                        h1_depth = Some(stack.len());
                        h1_buf.clear();
                    }
                    stack.push(Open { name, skip });
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if name == "title" {
                    in_title = false;
                }
                if let Some(i) = stack.iter().rposition(|o| o.name == name) {
                    let skip = stack[i].skip;
                    stack.truncate(i);
                    if h1_depth.is_some_and(|d| d >= stack.len()) {
                        h1_depth = None;
                        let t = h1_buf.trim();
                        if !t.is_empty() {
                            h1 = Some(t.to_owned());
                        }
                    }
                    if !skip && BLOCKS.contains(&name.as_str()) {
                        newline(&mut out, &mut b, tag.span.start);
                    }
                } else if name == "br" || name == "p" {
                    newline(&mut out, &mut b, tag.span.start);
                }
            }
            Token::String(s) => {
                let value = String::from_utf8_lossy(&s.value);
                if in_title {
                    let t = value.trim();
                    if !t.is_empty() && title.is_none() {
                        title = Some(t.to_owned());
                    }
                    continue;
                }
                if stack.last().is_some_and(|o| o.skip) {
                    continue;
                }
                if h1_depth.is_some() {
                    h1_buf.push_str(&value);
                }
                let src = html.get(s.span.start..s.span.end).unwrap_or("");
                align(src, s.span.start, &value, &mut out, &mut b);
            }
            _ => {}
        }
    }
    let clean = |t: String| -> Option<String> {
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        (!t.is_empty()).then_some(t)
    };
    Extracted {
        map: b.finish(html.len()),
        text: out,
        title: meta_title.or(h1).or(title).and_then(clean),
        issuer: issuer.and_then(clean),
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
        out.push_str(&decoded[j..]);
        b.piece(
            base + i.min(sb.len()),
            sb.len().saturating_sub(i),
            db.len() - j,
        );
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
