//! `zhibiao lsp` driven over stdio, as an editor drives it: initialize,
//! open a broken file (diagnostics with codes), a quick fix, a change
//! (diagnostics update), hover, definition into common.zb, references,
//! completion, document symbols, formatting, shutdown and exit.
//!
//! Every read waits at most [`LIMIT`]: a hung server fails the test
//! instead of hanging CI (a limit for hangs, not a speed check).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const LIMIT: Duration = Duration::from_secs(120);

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start zhibiao lsp");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = 0usize;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse().expect("length");
                    }
                }
                let mut body = vec![0; len];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let v: Value = serde_json::from_slice(&body).expect("json");
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
        }
    }

    fn send(&mut self, v: Value) {
        let body = v.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The first message that `pred` accepts (others are dropped), within
    /// [`LIMIT`].
    fn wait(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(v) if pred(&v) => return v,
                Ok(_) => {}
                Err(_) => {
                    let _ = self.child.kill();
                    panic!("no {what} from the server within {LIMIT:?}");
                }
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let v = self.wait(method, |v| v["id"] == json!(id));
        assert!(v.get("error").is_none(), "{method}: {v}");
        v["result"].clone()
    }

    fn diagnostics_for(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let v = self.wait("diagnostics", |v| {
            v["method"] == "textDocument/publishDiagnostics"
                && v["params"]["uri"] == uri
                && pred(v["params"]["diagnostics"].as_array().map_or(&[], |a| a))
        });
        v["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn pos(text: &str, needle: &str, nth: usize) -> Value {
    let at = text.match_indices(needle).nth(nth).expect("needle").0;
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col: usize = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .map(char::len_utf16)
        .sum();
    json!({"line": line, "character": col})
}

#[test]
fn an_editor_session() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical");
    std::fs::copy(root.join("rules/common.zb"), dir.join("common.zb")).expect("copy");
    // common.zb imports the shipped lexicon.
    std::fs::copy(root.join("rules/lexicon.zb"), dir.join("lexicon.zb")).expect("copy");
    let common = std::fs::read_to_string(dir.join("common.zb")).expect("read");
    let broken = "import \"common.zb\"\n\nrule 高企存量 -> hte_totl {\n    match 高企 …{0,4} N:家\n    example \"全区高新技术企业达到97家\" => 97 actual\n    example \"高企培育库入库12家\" => none\n}\n";
    let path = dir.join("zhejiang.zb");
    std::fs::write(&path, broken).expect("write");
    let uri = url_of(&path);
    let common_uri = url_of(&dir.join("common.zb"));

    let mut s = Server::start(&dir);
    let init = s.request(
        "initialize",
        json!({"processId": null, "rootUri": url_of(&dir), "capabilities": {}}),
    );
    assert_eq!(init["capabilities"]["hoverProvider"], json!(true), "{init}");
    s.notify("initialized", json!({}));

    // didOpen a file with an unknown indicator: ZB0202 on it.
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "zhibiao", "version": 1, "text": broken}}),
    );
    let diags = s.diagnostics_for(&uri, |d| !d.is_empty());
    assert_eq!(codes(&diags), ["ZB0202"], "{diags:?}");
    let d = &diags[0];
    assert_eq!(d["severity"], json!(1));
    assert_eq!(d["range"]["start"], pos(broken, "hte_totl", 0));
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .contains("help: did you mean hte_total?"),
        "{d}"
    );

    // The quick fix replaces the name.
    let actions = s.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let edit = &actions[0]["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "hte_total", "{actions}");
    assert_eq!(edit["range"], d["range"]);

    // didChange: the indicator fixed, a pattern name misspelt instead.
    let changed = broken
        .replace("hte_totl", "hte_total")
        .replace("match 高企", "match 高企业");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    let diags = s.diagnostics_for(&uri, |d| codes(d) != ["ZB0202"]);
    assert_eq!(codes(&diags), ["ZB0201"], "{diags:?}");

    // Fixed: the diagnostics are cleared.
    let fixed = broken.replace("hte_totl", "hte_total");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    let diags = s.diagnostics_for(&uri, <[Value]>::is_empty);
    assert!(diags.is_empty());

    // Hover on the subject 高企: its declaration and the words it spells.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(&fixed, "高企", 1)}),
    );
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(text.contains("subject 高企 ="), "{text}");
    assert!(
        text.contains("spells") && text.contains("国家高新技术企业"),
        "{text}"
    );

    // Hover on the indicator: its catalog entry.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(&fixed, "hte_total", 0)}),
    );
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        text.contains("高新技术企业总数") && text.contains("家"),
        "{text}"
    );

    // Hover on the rule: its examples and their results.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(&fixed, "高企存量", 0)}),
    );
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(
        text.contains("✓ `example \"全区高新技术企业达到97家\" => 97 actual`"),
        "{text}"
    );

    // A lens on the rule: its examples pass, and the command runs them.
    let lenses = s.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(
        lenses[0]["command"]["title"], "✓ 2/2 examples pass — run",
        "{lenses}"
    );
    assert_eq!(lenses[0]["command"]["command"], "zhibiao.runExamples");
    assert_eq!(lenses[0]["command"]["arguments"][1], "高企存量");

    // Definition of 高企 lands on its declaration in common.zb.
    let def = s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos(&fixed, "高企", 1)}),
    );
    assert_eq!(def["uri"], json!(common_uri), "{def}");
    assert_eq!(
        def["range"]["start"],
        pos(&common, "subject 高企", 0)
            .as_object()
            .map(|p| {
                json!({"line": p["line"], "character": p["character"].as_u64().unwrap_or(0) + 8})
            })
            .unwrap_or_default()
    );

    // Definition of the import: the file.
    let def = s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos(&fixed, "common.zb", 0)}),
    );
    assert_eq!(def["uri"], json!(common_uri), "{def}");

    // References of 高企 include this file's use and common.zb's.
    let refs = s.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": pos(&fixed, "高企", 1), "context": {"includeDeclaration": true}}),
    );
    let refs = refs.as_array().cloned().unwrap_or_default();
    assert!(refs.iter().any(|r| r["uri"] == json!(uri)), "{refs:?}");
    assert!(
        refs.iter()
            .filter(|r| r["uri"] == json!(common_uri))
            .count()
            > 5,
        "{refs:?}"
    );

    // Completion after `-> hte_` offers hte_total.
    let typing = format!("{fixed}\nrule 新的 -> hte_");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": typing}]}),
    );
    let end = pos(&typing, "hte_", 1)
        .as_object()
        .map(|p| json!({"line": p["line"], "character": p["character"].as_u64().unwrap_or(0) + 4}));
    let items = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": end}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        labels.contains(&"hte_total") && labels.contains(&"hte_new"),
        "{labels:?}"
    );
    assert!(labels.iter().all(|l| l.starts_with("hte_")), "{labels:?}");

    // Formatting: one edit, the canonical layout.
    let messy = fixed.replace(
        "    match 高企 …{0,4} N:家",
        "  match   高企 …{ 0,4 } N : 家",
    );
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": messy}]}),
    );
    let edits = s.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    assert_eq!(edits[0]["newText"], json!(fixed), "{edits}");

    // Document symbols: the rule.
    let symbols = s.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(
        symbols
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x["name"] == "高企存量" && x["kind"] == 12)),
        "{symbols}"
    );

    // shutdown, exit: the server ends, exit code 0.
    let result = s.request("shutdown", Value::Null);
    assert_eq!(result, Value::Null);
    s.notify("exit", Value::Null);
    let deadline = Instant::now() + LIMIT;
    let status = loop {
        if let Some(st) = s.child.try_wait().expect("wait") {
            break st;
        }
        if Instant::now() > deadline {
            let _ = s.child.kill();
            panic!("the server did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_change_to_an_imported_file_updates_its_importer() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical");
    let base = "indicator hte_total \"高新技术企业总数\" unit 家\nlet 高企 = \"高企\"\n";
    let user = "import \"base.zb\"\nrule r -> hte_total {\n    match 高企 N:家\n    example \"高企5家\" => 5\n    example \"x\" => none\n}\n";
    std::fs::write(dir.join("base.zb"), base).expect("write");
    std::fs::write(dir.join("user.zb"), user).expect("write");
    let base_uri = url_of(&dir.join("base.zb"));
    let user_uri = url_of(&dir.join("user.zb"));
    let mut s = Server::start(&dir);
    s.request("initialize", json!({"processId": null, "capabilities": {}}));
    s.notify("initialized", json!({}));
    // Only base.zb is open; renaming its let breaks user.zb (not open).
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": base_uri, "languageId": "zhibiao", "version": 1, "text": base}}),
    );
    let renamed = base.replace("let 高企", "let 高新");
    s.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": base_uri, "version": 2}, "contentChanges": [{"text": renamed}]}),
    );
    let diags = s.diagnostics_for(&user_uri, |d| !d.is_empty());
    assert_eq!(codes(&diags), ["ZB0201"], "{diags:?}");
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
}

#[test]
fn hover_on_a_lexicon_word_shows_its_roles_and_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical");
    std::fs::copy(root.join("rules/common.zb"), dir.join("common.zb")).expect("copy");
    std::fs::copy(root.join("rules/lexicon.zb"), dir.join("lexicon.zb")).expect("copy");
    let text = "province 测试 { regions \"测试旗\" }\nimport \"common.zb\"\nwords estimate += \"可望\" \"有望\"\n";
    let path = dir.join("prov.zb");
    std::fs::write(&path, text).expect("write");
    let uri = url_of(&path);
    let mut s = Server::start(&dir);
    s.request("initialize", json!({"processId": null, "capabilities": {}}));
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "zhibiao", "version": 1, "text": text}}),
    );
    let hover_text = |s: &mut Server, needle: &str| {
        let hover = s.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": pos(text, needle, 0)}),
        );
        hover["contents"]["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // The province's own word: its role and this file's line.
    let got = hover_text(&mut s, "可望");
    assert!(got.contains("lexicon word “可望”"), "{got}");
    assert!(got.contains("- `estimate` ("), "{got}");
    assert!(got.contains("prov.zb:3"), "{got}");
    assert!(got.contains("also a `predicate` word"), "{got}");
    // A shipped word: the line in lexicon.zb that declared it first.
    let got = hover_text(&mut s, "有望");
    assert!(got.contains("lexicon.zb:"), "{got}");
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
}

fn url_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// A province file in a folder of its own imports `zhibiao:common.zb`:
/// definition lands in the virtual document `zhibiao:common.zb`, whose
/// text the `zhibiao/builtin` request gives and whose hover works too;
/// hover on an indicator shows its catalog note; a report example gets a
/// lens that runs it and one that explains it.
#[test]
fn built_in_files_are_virtual_documents_and_reports_have_lenses() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().canonicalize().expect("canonical");
    let text = "import \"zhibiao:common.zb\"\nprovince 测试 { regions \"测试市\" }\n\n\
                rule 高企存量 -> hte_total {\n    match 高企 \"存量\" …{0,4} N:家\n    \
                example \"高新技术企业存量达到97家\" => 97\n    example \"高企培育库入库12家\" => none\n}\n\n\
                report 一段总结 {\n    line \"某市科技局2023年工作总结\"\n    \
                line \"高新技术企业存量达到97家。\" => hte_total 97 actual 2023\n}\n";
    let path = dir.join("prov.zb");
    std::fs::write(&path, text).expect("write");
    let uri = url_of(&path);
    let mut s = Server::start(&dir);
    s.request("initialize", json!({"processId": null, "capabilities": {}}));
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "zhibiao", "version": 1, "text": text}}),
    );
    // 高企 is defined in the built-in common.zb.
    let def = s.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos(text, "高企", 1)}),
    );
    assert_eq!(def["uri"], "zhibiao:common.zb", "{def}");
    let builtin = s.request("zhibiao/builtin", json!({"uri": "zhibiao:common.zb"}));
    let common = builtin.as_str().expect("the text");
    assert!(common.contains("subject 高企 ="), "{common}");
    let line = def["range"]["start"]["line"].as_u64().expect("line") as usize;
    assert!(
        common.lines().nth(line).is_some_and(|l| l.contains("高企")),
        "{def}"
    );
    // Hover inside the virtual document works as in any rule file.
    let hover = s.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "zhibiao:common.zb"}, "position": pos(common, "hte_total", 0)}),
    );
    let got = hover["contents"]["value"].as_str().unwrap_or("");
    assert!(got.contains("indicator `hte_total`"), "{got}");
    // The catalog note: what counts and what does not.
    // (in the text, not only in the declaration's code block)
    assert!(
        got.contains("\n\ncounts: 有效高企") && got.contains("not: 培育库"),
        "{got}"
    );
    // Completion in a report line's facts offers indicator ids.
    let items = s.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": pos(text, "hte_total 97", 0)}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(labels.contains(&"hte_total"), "{items}");
    // A report example: a lens that runs it, one that explains it.
    let lenses = s.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": uri}}),
    );
    let commands: Vec<String> = lenses
        .as_array()
        .expect("lenses")
        .iter()
        .map(|l| l["command"]["command"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        commands.contains(&"zhibiao.explainReport".to_string()),
        "{lenses}"
    );
    let report_lens = lenses
        .as_array()
        .expect("lenses")
        .iter()
        .find(|l| l["command"]["arguments"][1] == "一段总结")
        .expect("a lens over the report");
    assert!(
        report_lens["command"]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with("✓ 1/1")),
        "{report_lens}"
    );
    s.request("shutdown", Value::Null);
    s.notify("exit", Value::Null);
    let _ = s.child.wait();
}
