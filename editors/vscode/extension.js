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
    { documentSelector: [{ scheme: 'file', language: 'zhibiao' }] }
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
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
