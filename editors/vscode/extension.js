// Starts `zhibiao lsp` for *.zb files: diagnostics as you type, hover,
// go to definition, references, completion, quick fixes, outline and
// formatting all come from the server; this file only launches it.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('zhibiao').get('path') || 'zhibiao';
  const server = { command, args: ['lsp'] };
  client = new LanguageClient(
    'zhibiao',
    'zhibiao',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'zhibiao' },
        { scheme: 'zhibiao', language: 'zhibiao' },
      ],
    }
  );
  // Shipped rule files (go to definition into `zhibiao:common.zb`) are
  // built into the binary: the server gives their text.
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider('zhibiao', {
      provideTextDocumentContent: (uri) =>
        client.sendRequest('zhibiao/builtin', { uri: uri.toString() }),
    })
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  // The lens over each rule: run its examples in a terminal.
  context.subscriptions.push(
    vscode.commands.registerCommand('zhibiao.runExamples', (file, rule) => {
      const terminal = vscode.window.createTerminal('zhibiao test');
      terminal.show();
      terminal.sendText(`${command} test ${JSON.stringify(file)} --rule ${JSON.stringify(rule)}`);
    })
  );
  // The second lens over a report example: explain its text with the
  // rule file's rules.
  context.subscriptions.push(
    vscode.commands.registerCommand('zhibiao.explainReport', (file, text) => {
      const os = require('os');
      const path = require('path');
      const fs = require('fs');
      const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zhibiao-')), 'report.txt');
      fs.writeFileSync(tmp, text);
      const terminal = vscode.window.createTerminal('zhibiao explain');
      terminal.show();
      terminal.sendText(`${command} explain --rules ${JSON.stringify(file)} ${JSON.stringify(tmp)}`);
    })
  );
  // Explain the report open in the editor (a .txt or .html report).
  context.subscriptions.push(
    vscode.commands.registerCommand('zhibiao.explainFile', () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        return;
      }
      const terminal = vscode.window.createTerminal('zhibiao explain');
      terminal.show();
      terminal.sendText(`${command} explain ${JSON.stringify(editor.document.uri.fsPath)}`);
    })
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
