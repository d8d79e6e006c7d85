'use strict';
/**
 * Layer 2 with no settings at all: the extension finds `python3` on PATH, checks it with the probe
 * and runs the server through bundled/tool/launch_server.py, as an installed .vsix does. (In a
 * checkout bundled/ has no libraries, so this Python must have http-status-ls installed; the .vsix's
 * own libraries are tested by tests/editors/test_vscode.py on the packaged file.)
 */

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, before, after } = require('node:test');

const { host, vscode } = require('./fake-vscode/install.js');
const extension = require('../out/extension.js');
const { serverPython, writeProgram, tracedMessages, waitFor, ruleOf } = require('./support.js');

const WAIT_MS = 20000;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'http-status-bundled-'));
const workspace = path.join(scratch, 'workspace');
const context = { subscriptions: [] };
const originalPath = process.env.PATH;
let api;

before(async () => {
    // `python3` on PATH is this checkout's Python, behind a wrapper so that nothing else on PATH is.
    const bin = path.join(scratch, 'bin');
    writeProgram(path.join(bin, 'python3'), `exec "${serverPython()}" "$@"`);
    process.env.PATH = `${bin}${path.delimiter}${originalPath}`;
    host.setWorkspaceFolder(workspace);
    host.outputLogLevel = vscode.LogLevel.Trace;
    host.setSettings({ 'httpStatus.trace.server': 'verbose' });
    api = await extension.activate(context);
    assert.ok(api.client, `the client did not start; messages: ${JSON.stringify(host.messages)}\n${host.outputLines.join('\n')}`);
});

after(async () => {
    for (const disposable of context.subscriptions) {
        disposable.dispose();
    }
    await extension.deactivate();
    process.env.PATH = originalPath;
    fs.rmSync(scratch, { recursive: true, force: true });
});

test('with no settings the bundled server runs with python3 from PATH', () => {
    assert.equal(api.client.state, 2 /* State.Running */);
    assert.equal(api.serverCommand.source, 'PATH');
    assert.equal(api.serverCommand.command, path.join(scratch, 'bin', 'python3'));
    assert.deepEqual(api.serverCommand.args, [path.join(__dirname, '..', 'bundled', 'tool', 'launch_server.py')]);
    assert.equal(api.client.initializeResult.serverInfo.name, 'http-status-ls');
    assert.deepEqual(host.messages.filter((m) => m.severity === 'error'), []);
    assert.ok(host.outputLines.some((line) => /Python 3\.\d+\.\d+ at .* \("python3" on PATH .*\) runs http-status-ls/.test(line)));
});

test('hover and diagnostics come from the bundled server', async () => {
    const text = 'from http import HTTPStatus\nfrom flask import abort\n\nabort(305)\nstatus = HTTPStatus.NOT_FOUND\n';
    const document = host.openDocument(path.join(workspace, 'app.py'), 'python', text);
    const diagnostic = await waitFor(() => host.diagnostics(document).find((d) => ruleOf(d) === 'deprecated-code'), WAIT_MS, 'a deprecated-code diagnostic');
    assert.equal(document.getText(diagnostic.range), '305');
    const hover = await host.provider('HoverProvider', document).provideHover(document, new vscode.Position(4, 25), host.newCancellationToken());
    assert.match(hover.contents[0].value, /404 Not Found/);
});

test('JSON: an OpenAPI file by name goes to the server, package.json does not', async () => {
    const openapi = JSON.stringify({ openapi: '3.1.0', info: { title: 'T', version: '1' }, paths: { '/a': { get: { responses: { 509: { description: 'x' } } } } } }, null, 2);
    const described = host.openDocument(path.join(workspace, 'openapi.json'), 'json', openapi);
    const other = host.openDocument(path.join(workspace, 'package.json'), 'json', '{"name": "x", "status": 509}\n');
    await waitFor(() => host.diagnostics(described).some((d) => ruleOf(d) === 'unofficial-code'), WAIT_MS, 'unofficial-code in openapi.json');
    const opened = tracedMessages(host.outputLines)
        .filter((m) => m.method === 'textDocument/didOpen')
        .map((m) => path.basename(vscode.Uri.parse(m.payload.textDocument.uri).fsPath));
    assert.ok(opened.includes('openapi.json'), opened.join(', '));
    assert.ok(!opened.includes('package.json'), 'package.json was sent to the server');
    assert.deepEqual(host.diagnostics(other), []);
});
