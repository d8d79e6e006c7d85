'use strict';
/**
 * Layer 2, push path: the bundled extension's client, built without the pull-diagnostics capability
 * (as older editors are), against the real server. The server must then push
 * `textDocument/publishDiagnostics`, tagged with the document version, and follow edits.
 */

const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const { test, before, after } = require('node:test');

const { host, vscode } = require('./fake-vscode/install.js');
const extension = require('../out/extension.js');
const { serverArgv, tracedMessages, waitFor, ruleOf } = require('./support.js');

const WAIT_MS = 20000;
const workspace = path.join(os.tmpdir(), 'http-status-ls-vscode-push');
let client;

function pushedFor(document) {
    const uri = document.uri.toString();
    return tracedMessages(host.outputLines).filter(
        (message) => message.method === 'textDocument/publishDiagnostics' && message.payload?.uri === uri,
    );
}

before(async () => {
    host.setWorkspaceFolder(workspace);
    host.outputLogLevel = vscode.LogLevel.Trace;
    host.setSettings({ 'httpStatus.trace.server': 'verbose' });
    const [command, ...args] = serverArgv();
    const channel = vscode.window.createOutputChannel('HTTP Status Codes (push)', { log: true });
    client = extension.createLanguageClient({ command, args, source: 'httpStatus.server.command' }, channel, {
        withoutPullDiagnostics: true,
    });
    await client.start();
});

after(async () => {
    await client?.dispose();
});

test('the client does not advertise pull diagnostics', () => {
    const initialize = tracedMessages(host.outputLines).find((m) => m.kind === 'request' && m.method === 'initialize');
    assert.ok(initialize?.payload, 'initialize was not traced');
    assert.equal(initialize.payload.capabilities.textDocument.diagnostic, undefined);
});

test('push diagnostics arrive with the document version and follow edits', async () => {
    const document = host.openDocument(path.join(workspace, 'push.py'), 'python', 'from flask import abort\n\nabort(420)\n');

    const [first] = await waitFor(() => {
        const list = client.diagnostics.get(document.uri);
        return list.length > 0 && list;
    }, WAIT_MS, 'pushed diagnostics for push.py');
    assert.equal(ruleOf(first), 'unofficial-code');
    assert.equal(first.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(first.range), '420');
    assert.match(first.message, /420/);
    assert.match(first.message, /429/);
    const opened = pushedFor(document);
    assert.ok(opened.length >= 1);
    assert.equal(opened[opened.length - 1].payload.version, 1);

    // 420 -> 429: the warning goes, and what is pushed is about version 2, never a stale version 1.
    host.changeDocument(document, new vscode.Range(2, 6, 2, 9), '429');
    await waitFor(() => client.diagnostics.get(document.uri).length === 0, WAIT_MS, 'the pushed diagnostic to clear');
    const afterEdit = pushedFor(document);
    const last = afterEdit[afterEdit.length - 1].payload;
    assert.equal(last.version, 2);
    assert.deepEqual(last.diagnostics, []);
});

test('closing a document clears what was pushed for it', async () => {
    const document = host.openDocument(path.join(workspace, 'close.py'), 'python', 'from flask import abort\nabort(509)\n');
    await waitFor(() => client.diagnostics.get(document.uri).length > 0, WAIT_MS, 'pushed diagnostics for close.py');
    host.closeDocument(document);
    await waitFor(() => client.diagnostics.get(document.uri).length === 0, WAIT_MS, 'diagnostics to clear on close');
});
