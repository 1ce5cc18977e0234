//! `zhibiao lsp`: a Language Server Protocol server over stdio for rule
//! files, built on `lsp-server` (rust-analyzer's synchronous transport)
//! and `lsp-types`.
//!
//! Everything is computed on the library's own pipeline: a document and
//! its imports are loaded (the editor's unsaved text first, then disk),
//! linted by [`crate::workspace::lint_sources`] — what `zhibiao lint`
//! runs — and
//! indexed ([`analysis`]); the features ([`features`]) read that.
//!
//! **When diagnostics are computed.** Linting a province file with
//! common.zb takes tens of milliseconds in a release build, so it runs
//! synchronously on the server's one thread. Changes are coalesced
//! instead of debounced by a timer: after a change the server first
//! handles every message already waiting (a burst of keystrokes is
//! applied at once), and publishes diagnostics only when the queue is
//! empty. Each publication re-lints every open document, and the rule
//! files beside a changed one that import it, so a change to common.zb
//! shows in the province files at once.

mod analysis;
mod convert;
mod features;

use std::collections::{HashMap, HashSet};

use crossbeam_channel::TryRecvError;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, CodeLensRequest, Completion, DocumentSymbolRequest, Formatting,
    GotoDefinition, HoverRequest, References, Request as _,
};
use lsp_types::{
    CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability, CodeLensOptions,
    CodeLensParams, CompletionOptions, CompletionParams, CompletionResponse,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentFormattingParams, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams,
    GotoDefinitionResponse, HoverParams, HoverProviderCapability, OneOf, PublishDiagnosticsParams,
    ReferenceParams, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, Url,
};

pub use analysis::Analysis;

use convert::name_of;

/// Why the server stopped before the editor asked it to.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The connection failed (the editor went away, or sent no initialize).
    #[error("the connection to the editor failed: {0}")]
    Protocol(String),
}

/// Serves the protocol on stdin/stdout until the editor sends `exit`.
pub fn serve_stdio() -> Result<(), LspError> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    drop(connection);
    threads
        .join()
        .map_err(|e| LspError::Protocol(e.to_string()))
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![">".into(), ":".into(), "/".into(), " ".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        ..ServerCapabilities::default()
    }
}

/// Serves one connection (the tests and [`serve_stdio`] call it).
pub fn serve(connection: &Connection) -> Result<(), LspError> {
    let caps =
        serde_json::to_value(capabilities()).map_err(|e| LspError::Protocol(e.to_string()))?;
    connection
        .initialize(caps)
        .map_err(|e| LspError::Protocol(e.to_string()))?;
    let mut server = Server::default();
    let mut dirty = false;
    loop {
        let msg = if dirty {
            match connection.receiver.try_recv() {
                Ok(m) => m,
                Err(TryRecvError::Empty) => {
                    server.publish(connection)?;
                    dirty = false;
                    continue;
                }
                Err(TryRecvError::Disconnected) => return Ok(()),
            }
        } else {
            match connection.receiver.recv() {
                Ok(m) => m,
                Err(_) => return Ok(()),
            }
        };
        match msg {
            Message::Request(req) => {
                let shutdown = connection
                    .handle_shutdown(&req)
                    .map_err(|e| LspError::Protocol(e.to_string()))?;
                if shutdown {
                    return Ok(());
                }
                let resp = server.request(req);
                send(connection, resp.into())?;
            }
            Message::Notification(n) => dirty |= server.notify(n),
            Message::Response(_) => {}
        }
    }
}

fn send(connection: &Connection, msg: Message) -> Result<(), LspError> {
    connection
        .sender
        .send(msg)
        .map_err(|e| LspError::Protocol(e.to_string()))
}

/// The open documents, the analyses made since the last change, and the
/// files diagnostics were last published for.
/// A request of zhibiao's own: `{"uri": "zhibiao:common.zb"}` → the
/// shipped file's text (a string), for editors to show built-in files that
/// go to definition lands in.
pub const BUILTIN_TEXT: &str = "zhibiao/builtin";

/// The parameters of [`BUILTIN_TEXT`].
#[derive(serde::Deserialize)]
struct BuiltinParams {
    uri: Url,
}

#[derive(Default)]
struct Server {
    /// Open documents' text by source name.
    open: HashMap<String, String>,
    /// Each open document's URI by source name.
    uris: HashMap<String, Url>,
    /// Analyses by source name, dropped on every change.
    analyses: HashMap<String, std::rc::Rc<Analysis>>,
    /// Rule files changed since the last publication (importers are found
    /// from them).
    changed: HashSet<String>,
    /// URIs that got diagnostics last time (to clear them).
    published: HashSet<Url>,
}

impl Server {
    fn analysis(&mut self, name: &str) -> std::rc::Rc<Analysis> {
        if let Some(a) = self.analyses.get(name) {
            return a.clone();
        }
        let a = std::rc::Rc::new(Analysis::new(name, &self.open));
        self.analyses.insert(name.to_string(), a.clone());
        a
    }

    fn changed(&mut self, name: String) {
        self.analyses.clear();
        self.changed.insert(name);
    }

    /// Applies a notification; true when documents changed.
    fn notify(&mut self, n: Notification) -> bool {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                    return false;
                };
                let name = name_of(&p.text_document.uri);
                self.open.insert(name.clone(), p.text_document.text);
                self.uris.insert(name.clone(), p.text_document.uri);
                self.changed(name);
                true
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                    return false;
                };
                let name = name_of(&p.text_document.uri);
                // Full sync: the last change holds the whole text.
                if let Some(c) = p.content_changes.into_iter().last() {
                    self.open.insert(name.clone(), c.text);
                }
                self.changed(name);
                true
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                    return false;
                };
                let name = name_of(&p.text_document.uri);
                self.open.remove(&name);
                self.uris.remove(&name);
                self.changed(name);
                true
            }
            // The text on disk is what the editor had: nothing new.
            DidSaveTextDocument::METHOD => false,
            _ => false,
        }
    }

    /// The rule files to lint: every open document, and the `*.zb` files
    /// beside a changed one that import it.
    fn roots(&mut self) -> Vec<String> {
        let mut roots: Vec<String> = self.open.keys().cloned().collect();
        for name in std::mem::take(&mut self.changed) {
            let path = std::path::Path::new(&name);
            let (Some(dir), Some(file)) = (path.parent(), path.file_name()) else {
                continue;
            };
            let Ok(entries) = std::fs::read_dir(dir) else {
                continue;
            };
            let needle = format!("\"{}\"", file.to_string_lossy());
            for e in entries.flatten().take(200) {
                let p = e.path();
                if p.extension().is_none_or(|x| x != "zb") {
                    continue;
                }
                let other = p.to_string_lossy().replace('\\', "/");
                if roots.contains(&other) {
                    continue;
                }
                let imports = std::fs::read_to_string(&p).is_ok_and(|t| {
                    t.lines()
                        .any(|l| l.trim_start().starts_with("import") && l.contains(&needle))
                });
                if imports {
                    roots.push(other);
                }
            }
        }
        roots.sort();
        roots
    }

    /// Lints and sends every file's diagnostics (an empty list to files
    /// that no longer have any).
    fn publish(&mut self, connection: &Connection) -> Result<(), LspError> {
        let mut by_uri: HashMap<Url, Vec<lsp_types::Diagnostic>> = HashMap::new();
        for name in self.roots() {
            let a = self.analysis(&name);
            // Every file of the analysis gets an entry, so that fixed
            // problems are cleared.
            for (id, _) in a.sources.iter() {
                if let Some(uri) = a.uri(id) {
                    by_uri.entry(uri).or_default();
                }
            }
            for d in &a.linted.diagnostics {
                let (file, lsp) = features::diagnostic(&a, d);
                let Some(uri) = a.uri(file) else {
                    continue;
                };
                let list = by_uri.entry(uri).or_default();
                if !list.contains(&lsp) {
                    list.push(lsp);
                }
            }
        }
        for uri in std::mem::take(&mut self.published) {
            by_uri.entry(uri).or_default();
        }
        for (uri, diagnostics) in by_uri {
            if !diagnostics.is_empty() {
                self.published.insert(uri.clone());
            }
            let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
            send(
                connection,
                Message::Notification(Notification::new(
                    PublishDiagnostics::METHOD.to_string(),
                    params,
                )),
            )?;
        }
        Ok(())
    }

    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        match self.answer(req) {
            Ok(value) => Response::new_ok(id, value),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    /// The analysis of a document and the document's id in it.
    fn at(&mut self, uri: &Url) -> (std::rc::Rc<Analysis>, crate::diag::FileId) {
        let a = self.analysis(&name_of(uri));
        let root = a.root;
        (a, root)
    }

    fn answer(&mut self, req: Request) -> Result<serde_json::Value, String> {
        fn params<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, String> {
            serde_json::from_value(req.params).map_err(|e| e.to_string())
        }
        fn json<T: serde::Serialize>(v: T) -> Result<serde_json::Value, String> {
            serde_json::to_value(v).map_err(|e| e.to_string())
        }
        match req.method.as_str() {
            HoverRequest::METHOD => {
                let p: HoverParams = params(req)?;
                let (a, f) = self.at(&p.text_document_position_params.text_document.uri);
                json(features::hover(
                    &a,
                    f,
                    p.text_document_position_params.position,
                ))
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = params(req)?;
                let (a, f) = self.at(&p.text_document_position_params.text_document.uri);
                json(
                    features::definition(&a, f, p.text_document_position_params.position)
                        .map(GotoDefinitionResponse::Scalar),
                )
            }
            References::METHOD => {
                let p: ReferenceParams = params(req)?;
                let uri = p.text_document_position.text_document.uri;
                let pos = p.text_document_position.position;
                let (a, f) = self.at(&uri);
                let mut found = features::references(&a, f, pos, p.context.include_declaration);
                // Uses in the other open documents (files importing this one).
                let target = features::definition(&a, f, pos);
                let names: Vec<String> = self.open.keys().cloned().collect();
                for name in names {
                    let other = self.analysis(&name);
                    for l in features::references_to(&other, target.as_ref()) {
                        if !found.contains(&l) {
                            found.push(l);
                        }
                    }
                }
                json(found)
            }
            Completion::METHOD => {
                let p: CompletionParams = params(req)?;
                let (a, f) = self.at(&p.text_document_position.text_document.uri);
                json(CompletionResponse::Array(features::completion(
                    &a,
                    f,
                    p.text_document_position.position,
                )))
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = params(req)?;
                let (a, f) = self.at(&p.text_document.uri);
                let actions: Vec<CodeActionOrCommand> =
                    features::code_actions(&a, f, &p.text_document.uri, p.range)
                        .into_iter()
                        .map(CodeActionOrCommand::CodeAction)
                        .collect();
                json(actions)
            }
            DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = params(req)?;
                let (a, f) = self.at(&p.text_document.uri);
                json(DocumentSymbolResponse::Nested(features::document_symbols(
                    &a, f,
                )))
            }
            CodeLensRequest::METHOD => {
                let p: CodeLensParams = params(req)?;
                let (a, f) = self.at(&p.text_document.uri);
                json(features::code_lenses(&a, f))
            }
            Formatting::METHOD => {
                let p: DocumentFormattingParams = params(req)?;
                let (a, f) = self.at(&p.text_document.uri);
                json(features::formatting(&a.sources.get(f).text))
            }
            // The text of a virtual document `zhibiao:common.zb` (a shipped
            // file, built into the binary), for the editor to show it.
            BUILTIN_TEXT => {
                let p: BuiltinParams = params(req)?;
                match analysis::builtin_text(p.uri.as_str()) {
                    Some((_, text)) => json(text),
                    None => Err(format!("{} names no file shipped with zhibiao", p.uri)),
                }
            }
            other => Err(format!("zhibiao lsp does not answer {other}")),
        }
    }
}
