//! The language features, each a function from an [`Analysis`] (and a
//! place) to the protocol's answer: diagnostics, hover, definition,
//! references, completion, code actions, document symbols.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeLens, Command, CompletionItem, CompletionItemKind,
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol,
    Hover, HoverContents, Location, MarkupContent, MarkupKind, NumberOrString, Position, Range,
    SymbolKind, TextEdit, Url, WorkspaceEdit,
};

use super::analysis::{Analysis, At, SymKind, Symbol, Target};
use super::convert::{offset, position, range};
use crate::diag::{Diagnostic, FileId, Severity, Span};
use crate::syntax::ast::Item;

/// The protocol's form of a diagnostic (labelled in `a`'s sources): the
/// primary label's place, the code, the help and notes in the message,
/// the other labels as related information.
pub fn diagnostic(a: &Analysis, d: &Diagnostic) -> (FileId, LspDiagnostic) {
    let (file, span) = d
        .labels
        .first()
        .map_or((a.root, Span::default()), |l| (l.file, l.span));
    let text = &a.sources.get(file).text;
    let mut message = d.message.clone();
    if let Some(l) = d.labels.first()
        && !l.message.is_empty()
    {
        message.push_str(&format!(" ({})", l.message));
    }
    if let Some(h) = &d.help {
        message.push_str(&format!("\nhelp: {h}"));
    }
    for n in &d.notes {
        message.push_str(&format!("\nnote: {n}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: Location::new(a.uri(l.file)?, range(&a.sources.get(l.file).text, l.span)),
                message: if l.message.is_empty() {
                    "here".to_string()
                } else {
                    l.message.clone()
                },
            })
        })
        .collect();
    (
        file,
        LspDiagnostic {
            range: range(text, span),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Advice => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(d.code.as_str().to_string())),
            source: Some("zhibiao".to_string()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..LspDiagnostic::default()
        },
    )
}

fn markdown(value: String) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    }
}

fn place(a: &Analysis, file: FileId, span: Span) -> String {
    let (line, _) = a.sources.line_col(file, span.start);
    let name = &a.sources.get(file).name;
    let short = name.rsplit('/').next().unwrap_or(name);
    format!("{short}:{line}")
}

/// Hover at `pos` of `file`.
pub fn hover(a: &Analysis, file: FileId, pos: Position) -> Option<Hover> {
    let text = &a.sources.get(file).text;
    let at = offset(text, pos);
    let mut parts = Vec::new();
    if let Some(sym) = a.symbol_at(file, at) {
        parts.push(symbol_hover(a, sym));
    } else if let Some(word) = lexicon_word_at(a, file, at) {
        parts.push(lexicon_hover(a, &word));
    } else if let Some(At::Use(u)) = a.at(file, at)
        && let Target::File(Some(f)) = u.target
    {
        parts.push(format!("imports `{}`", a.sources.get(f).name));
    }
    // The diagnostics at this place: their code's page.
    for d in &a.linted.diagnostics {
        if let Some(l) = d.labels.first()
            && l.file == file
            && l.span.start <= at
            && at <= l.span.end
        {
            let page = crate::diag::codes::code_page(d.code);
            parts.push(page.trim_end().replacen("## ", "### ", 1));
        }
    }
    (!parts.is_empty()).then(|| markdown(parts.join("\n\n---\n\n")))
}

/// The word of a `words ROLE += "…"` declaration at byte `at` of `file`.
fn lexicon_word_at(a: &Analysis, file: FileId, at: usize) -> Option<String> {
    a.asts.get(&file)?.items.iter().find_map(|i| match i {
        crate::syntax::ast::Item::Words(d) => d
            .words
            .iter()
            .find(|w| w.span.start <= at && at <= w.span.end)
            .map(|w| w.value.clone()),
        _ => None,
    })
}

/// A lexicon word's roles in the document's rule set, each with the line
/// that declared it (the shipped lexicon's when the set has none of its
/// own).
fn lexicon_hover(a: &Analysis, word: &str) -> String {
    let lex = a
        .linted
        .programs
        .iter()
        .zip(&a.linted.checked.sets)
        .find(|(_, s)| s.root == a.root)
        .map(|(p, _)| p.lexicon.clone())
        .unwrap_or_else(|| crate::lexicon::Lexicon::shipped().clone());
    let mut lines = Vec::new();
    for role in crate::lexicon::Role::ALL {
        if lex.words(*role).any(|w| w == word) {
            let at = lex
                .origin(*role, word)
                .map(|o| format!(" ({o})"))
                .unwrap_or_default();
            let shipped = if role.shipped_only() {
                ", read from the shipped lexicon only"
            } else {
                ""
            };
            lines.push(format!("- `{}`{at}{shipped}", role.name()));
        }
    }
    if lines.is_empty() {
        return format!(
            "**lexicon word “{word}”**: in no role of this rule set (removed, or the file has errors)"
        );
    }
    let by_construction = [
        crate::lexicon::Role::Estimate,
        crate::lexicon::Role::Target,
        crate::lexicon::Role::OwnRegion,
    ]
    .iter()
    .any(|r| lex.words(*r).any(|w| w == word));
    let mut s = format!(
        "**lexicon word “{word}”**

{}",
        lines.join(
            "
"
        )
    );
    if by_construction {
        s.push_str(
            "

also a `predicate` word, by construction (a carried subject may pass over it)",
        );
    }
    s
}

/// The comment at the end of the line where the declaration at `span`
/// starts, without `//` (a `//` inside quotes is not one).
fn trailing_comment(text: &str, span: Span) -> Option<&str> {
    let rest = text.get(span.start..)?;
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let mut quoted = false;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '"' if prev != '\\' => quoted = !quoted,
            '/' if !quoted && prev == '/' => {
                let note = line[i + 1..].trim();
                return (!note.is_empty()).then_some(note);
            }
            _ => {}
        }
        prev = c;
    }
    None
}

fn symbol_hover(a: &Analysis, sym: &Symbol) -> String {
    let decl = a.text(sym.file, sym.span);
    let at = place(a, sym.file, sym.name_span);
    match sym.kind {
        SymKind::Let | SymKind::Subject => {
            let mut s = format!("```zhibiao\n{decl}\n```\n{at}");
            if sym.kind == SymKind::Subject {
                let words = a
                    .linted
                    .checked
                    .sets
                    .iter()
                    .find_map(|set| set.subjects.get(&sym.name));
                if let Some(words) = words {
                    let shown: Vec<&str> = words.iter().take(40).map(String::as_str).collect();
                    s.push_str(&format!(
                        "\n\nsubject {} spells {} words: {}{}",
                        sym.name,
                        words.len(),
                        shown.join(" · "),
                        if words.len() > shown.len() {
                            " …"
                        } else {
                            ""
                        }
                    ));
                }
            }
            s
        }
        SymKind::Indicator => {
            let def = a
                .linted
                .checked
                .sets
                .iter()
                .find_map(|set| set.indicators.get(&sym.name));
            let rules = a
                .symbols
                .iter()
                .filter(|s| s.kind == SymKind::Rule)
                .filter(|s| {
                    a.uses.iter().any(|u| {
                        u.file == s.file
                            && u.target == Target::Indicator(sym.name.clone())
                            && s.span.start <= u.span.start
                            && u.span.end <= s.span.end
                    })
                })
                .count();
            let mut s = format!("**indicator `{}`**", sym.name);
            if let Some(d) = def {
                s.push_str(&format!(
                    " — {}\n\nunit: {} ({:?})",
                    d.name, d.unit.text, d.unit.kind
                ));
            }
            // The catalog note: the comment that ends the declaration's
            // line (`… unit 家 // counts: …; not: …`).
            if let Some(note) = trailing_comment(&a.sources.get(sym.file).text, sym.span) {
                s.push_str(&format!("\n\n{note}"));
            }
            s.push_str(&format!(
                "\n\n{rules} rule(s) here produce it; declared at {at}\n```zhibiao\n{decl}\n```"
            ));
            s
        }
        SymKind::Rule | SymKind::Report => {
            let what = if sym.kind == SymKind::Rule {
                "rule"
            } else {
                "report"
            };
            let mut s = format!("**{what} {}** ({at})", sym.name);
            let results: Vec<_> = a
                .examples()
                .iter()
                .filter(|r| {
                    r.file == sym.file
                        && r.span.start >= sym.span.start
                        && r.span.end <= sym.span.end
                })
                .collect();
            if results.is_empty() {
                s.push_str("\n\nexamples not run (the rules have errors, or it has none)");
            }
            for r in results {
                let mark = match (r.passed, r.todo) {
                    (true, false) => "✓",
                    (false, false) => "✗",
                    (_, true) => "todo",
                };
                s.push_str(&format!("\n- {mark} `{}`", a.text(r.file, r.span)));
                if !r.passed && !r.message.is_empty() {
                    s.push_str(&format!(" — {}", r.message));
                }
            }
            s
        }
        SymKind::Province => format!("```zhibiao\n{decl}\n```"),
    }
}

fn location(a: &Analysis, file: FileId, span: Span) -> Option<Location> {
    let source = a.sources.get(file);
    Some(Location::new(a.uri(file)?, range(&source.text, span)))
}

/// Go to definition at `pos` of `file`.
pub fn definition(a: &Analysis, file: FileId, pos: Position) -> Option<Location> {
    let at = offset(&a.sources.get(file).text, pos);
    match a.at(file, at)? {
        At::Use(u) => match u.target {
            Target::File(Some(f)) => location(a, f, Span::default()),
            Target::File(None) => None,
            _ => {
                let s = a.resolve(u.file, &u.target)?;
                location(a, s.file, s.name_span)
            }
        },
        At::Decl(s) => location(a, s.file, s.name_span),
    }
}

/// The declaration at `pos` and its uses, in this analysis.
pub fn references(a: &Analysis, file: FileId, pos: Position, decl: bool) -> Vec<Location> {
    let at = offset(&a.sources.get(file).text, pos);
    let Some(sym) = a.symbol_at(file, at) else {
        return Vec::new();
    };
    let mut out: Vec<Location> = Vec::new();
    if decl {
        out.extend(location(a, sym.file, sym.name_span));
    }
    out.extend(a.uses_of(sym).filter_map(|u| location(a, u.file, u.span)));
    out
}

/// The uses, in `a`, of the declaration at `target` (from another
/// analysis): how references are found in the files importing a file.
pub fn references_to(a: &Analysis, target: Option<&Location>) -> Vec<Location> {
    let Some(target) = target else {
        return Vec::new();
    };
    let Some(sym) = a
        .symbols
        .iter()
        .find(|s| location(a, s.file, s.name_span).as_ref() == Some(target))
    else {
        return Vec::new();
    };
    a.uses_of(sym)
        .filter_map(|u| location(a, u.file, u.span))
        .collect()
}

/// Completion at `pos` of `file`: indicator ids after `->`, units after a
/// capture's `:` or `/`, else keywords and the names of patterns in scope.
pub fn completion(a: &Analysis, file: FileId, pos: Position) -> Vec<CompletionItem> {
    let text = &a.sources.get(file).text;
    let at = offset(text, pos);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..at];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let prefix = &before[word_start..];
    let head = before[..word_start].trim_end();
    let item = |label: &str, kind, detail: Option<String>| CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail,
        ..CompletionItem::default()
    };
    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // A report line's facts start with an indicator id too: `line "…" =>
    // hte_total 97; hte_new 5`.
    let report_fact =
        before.trim_start().starts_with("line ") && (head.ends_with("=>") || head.ends_with(';'));
    if head.ends_with("->") || report_fact {
        for s in a.symbols.iter().filter(|s| s.kind == SymKind::Indicator) {
            if s.name.starts_with(prefix) && seen.insert(s.name.clone()) {
                let detail = a
                    .linted
                    .checked
                    .sets
                    .iter()
                    .find_map(|set| set.indicators.get(&s.name))
                    .map(|d| format!("{} ({})", d.name, d.unit.text));
                items.push(item(&s.name, CompletionItemKind::ENUM_MEMBER, detail));
            }
        }
        return items;
    }
    if head.ends_with(':') || head.ends_with('/') {
        for u in crate::check::units_and_kinds() {
            if u.starts_with(prefix) && seen.insert(u.to_string()) {
                items.push(item(u, CompletionItemKind::UNIT, None));
            }
        }
        return items;
    }
    for k in crate::syntax::KEYWORDS
        .iter()
        .filter(|k| k.starts_with(prefix))
    {
        items.push(item(k, CompletionItemKind::KEYWORD, None));
    }
    for s in &a.symbols {
        if matches!(s.kind, SymKind::Let | SymKind::Subject)
            && s.name.starts_with(prefix)
            && seen.insert(s.name.clone())
        {
            let first = a
                .text(s.file, s.span)
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            items.push(item(&s.name, CompletionItemKind::VARIABLE, Some(first)));
        }
    }
    items
}

/// The quick fixes lint suggests for the diagnostics in `wanted` of
/// `file` (`uri`): "did you mean …" replaces the name, a duplicate rule
/// gets `override`, a reversed gap gets its bounds swapped.
pub fn code_actions(a: &Analysis, file: FileId, uri: &Url, wanted: Range) -> Vec<CodeAction> {
    let text = &a.sources.get(file).text;
    let (from, to) = (offset(text, wanted.start), offset(text, wanted.end));
    let mut out = Vec::new();
    for d in &a.linted.diagnostics {
        let Some(l) = d.labels.first() else { continue };
        if l.file != file || l.span.end < from || l.span.start > to {
            continue;
        }
        let Some(help) = &d.help else { continue };
        let edit = |title: String, span: Span, new_text: String| {
            let mut changes = HashMap::new();
            changes.insert(
                uri.clone(),
                vec![TextEdit::new(range(text, span), new_text)],
            );
            CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic(a, d).1]),
                edit: Some(WorkspaceEdit::new(changes)),
                is_preferred: Some(true),
                ..CodeAction::default()
            }
        };
        if let Some(rest) = help.strip_prefix("did you mean ")
            && let Some(s) = rest.strip_suffix('?')
        {
            let s = s.trim_matches('`');
            out.push(edit(format!("replace with {s}"), l.span, s.to_string()));
        } else if help.starts_with("write `override rule") {
            // Insert `override ` before the `rule` keyword of the rule.
            let rule_kw = text[..l.span.start].rfind("rule");
            if let Some(i) = rule_kw {
                out.push(edit(
                    "write `override rule` to replace the imported rule".to_string(),
                    Span::new(i, i),
                    "override ".to_string(),
                ));
            }
        } else if help.starts_with("write …{") {
            let written = &text[l.span.start..l.span.end];
            if let Some(swapped) = swap_bounds(written) {
                out.push(edit(format!("swap the bounds: {swapped}"), l.span, swapped));
            }
        }
    }
    out
}

/// `…{8,3 sentence}` → `…{3,8 sentence}`.
fn swap_bounds(gap: &str) -> Option<String> {
    let open = gap.find('{')?;
    let close = gap.rfind('}')?;
    let inner = &gap[open + 1..close];
    let (range, scope) = match inner.trim().split_once(char::is_whitespace) {
        Some((r, s)) => (r, format!(" {}", s.trim())),
        None => (inner.trim(), String::new()),
    };
    let (a, b) = range.split_once(',')?;
    Some(format!(
        "{}{{{},{}{scope}}}",
        &gap[..open],
        b.trim(),
        a.trim()
    ))
}

/// The outline of `file`: rules (with their examples' count), lets,
/// subjects, indicators, the province.
#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written
pub fn document_symbols(a: &Analysis, file: FileId) -> Vec<DocumentSymbol> {
    let text = &a.sources.get(file).text;
    let Some(ast) = a.asts.get(&file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in &ast.items {
        let (name, detail, kind, span, name_span) = match item {
            Item::Rule(r) => (
                r.name.name.clone(),
                Some(format!(
                    "-> {}, {} example(s)",
                    r.indicator.name,
                    r.examples.len()
                )),
                SymbolKind::FUNCTION,
                r.span,
                r.name.span,
            ),
            Item::Let(l) => (
                l.name.name.clone(),
                Some(if l.subject { "subject" } else { "let" }.to_string()),
                if l.subject {
                    SymbolKind::CONSTANT
                } else {
                    SymbolKind::VARIABLE
                },
                l.span,
                l.name.span,
            ),
            Item::Indicator(d) => (
                d.id.name.clone(),
                Some(format!("{} ({})", d.name.value, d.unit.name)),
                SymbolKind::ENUM_MEMBER,
                d.span,
                d.id.span,
            ),
            Item::Province(p) => (
                p.name.name.clone(),
                Some(format!("{} regions", p.regions.len())),
                SymbolKind::NAMESPACE,
                p.span,
                p.name.span,
            ),
            Item::Import(i) => (
                i.path.value.clone(),
                Some("import".to_string()),
                SymbolKind::MODULE,
                i.span,
                i.path.span,
            ),
            Item::Report(r) => (
                r.name.name.clone(),
                Some(format!("report, {} line(s)", r.lines.len())),
                SymbolKind::EVENT,
                r.span,
                r.name.span,
            ),
            Item::Words(w) => (
                format!("words {}", w.role.name),
                Some(format!("{} word(s)", w.words.len())),
                SymbolKind::ARRAY,
                w.span,
                w.role.span,
            ),
        };
        out.push(DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: range(text, span),
            selection_range: range(text, name_span),
            children: None,
        });
    }
    out
}

/// A lens over each rule of `file`: how many of its examples pass, and a
/// command that runs them (`zhibiao test FILE --rule NAME`; the editor
/// extension runs it in a terminal).
pub fn code_lenses(a: &Analysis, file: FileId) -> Vec<CodeLens> {
    let text = &a.sources.get(file).text;
    let path = a.sources.get(file).name.clone();
    a.symbols
        .iter()
        .filter(|s| s.file == file && matches!(s.kind, SymKind::Rule | SymKind::Report))
        .flat_map(|s| {
            let results: Vec<_> = a
                .examples()
                .iter()
                .filter(|r| {
                    r.file == file && s.span.start <= r.span.start && r.span.end <= s.span.end
                })
                .collect();
            let passed = results.iter().filter(|r| r.passed && !r.todo).count();
            let counted = results.iter().filter(|r| !r.todo).count();
            let title = if results.is_empty() {
                "run examples".to_string()
            } else if passed == counted {
                format!("✓ {passed}/{counted} examples pass — run")
            } else {
                format!("✗ {passed}/{counted} examples pass — run")
            };
            let run = CodeLens {
                range: range(text, s.name_span),
                command: Some(Command::new(
                    title,
                    RUN_EXAMPLES.to_string(),
                    Some(vec![
                        serde_json::Value::String(path.clone()),
                        serde_json::Value::String(s.name.clone()),
                    ]),
                )),
                data: None,
            };
            // Over a report: explain it (its text, with this file's rules).
            let explain = (s.kind == SymKind::Report)
                .then(|| report_text(a, file, &s.name))
                .flatten()
                .map(|report| CodeLens {
                    range: range(text, s.name_span),
                    command: Some(Command::new(
                        "explain".to_string(),
                        EXPLAIN_REPORT.to_string(),
                        Some(vec![
                            serde_json::Value::String(path.clone()),
                            serde_json::Value::String(report),
                        ]),
                    )),
                    data: None,
                });
            std::iter::once(run).chain(explain)
        })
        .collect()
}

/// The command a rule's lens runs: arguments are the rule file and the
/// rule's name; the editor runs `zhibiao test FILE --rule NAME`.
pub const RUN_EXAMPLES: &str = "zhibiao.runExamples";

/// The command a report's second lens runs: arguments are the rule file
/// and the report's text; the editor writes the text to a file and runs
/// `zhibiao explain --rules FILE THAT_FILE`.
pub const EXPLAIN_REPORT: &str = "zhibiao.explainReport";

/// The text of report `name` of `file` (its lines, one per line).
fn report_text(a: &Analysis, file: FileId, name: &str) -> Option<String> {
    a.asts.get(&file)?.items.iter().find_map(|i| match i {
        Item::Report(r) if r.name.name == name => Some(
            r.lines
                .iter()
                .map(|l| format!("{}\n", l.text.value))
                .collect(),
        ),
        _ => None,
    })
}

/// The whole-document edit that formats `text`, or nothing when it is
/// formatted already or cannot be parsed.
pub fn formatting(text: &str) -> Option<Vec<TextEdit>> {
    let formatted = crate::fmt::format_source(FileId(0), text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let end = position(text, text.len());
    Some(vec![TextEdit::new(
        Range::new(Position::new(0, 0), end),
        formatted,
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_swap_keeps_the_scope() {
        assert_eq!(
            swap_bounds("…{8,3 sentence}").as_deref(),
            Some("…{3,8 sentence}")
        );
        assert_eq!(swap_bounds("…{9,2}").as_deref(), Some("…{2,9}"));
    }
}
