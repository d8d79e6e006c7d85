'use strict';
/**
 * Layer 2: the bundled extension, activated in a fake VS Code, drives the real http-status-ls server
 * through vscode-languageclient. VS Code's client asks for pull diagnostics, so this is the pull path;
 * pushDiagnostics.test.js covers the push path.
 */

const assert = require('node:assert/strict');
const os = require('node:os');
const path = require('node:path');
const { test, before, after } = require('node:test');

const { host, vscode } = require('./fake-vscode/install.js');
const extension = require('../out/extension.js');
const { serverArgv, tracedMessages, waitFor, ruleOf } = require('./support.js');

const WAIT_MS = 20000;
const workspace = path.join(os.tmpdir(), 'http-status-ls-vscode-test');
const context = { subscriptions: [] };
let api;

const PYTHON = [
    'from http import HTTPStatus',
    'from flask import abort',
    '',
    'def handler(request):',
    '    abort(305)',
    '    requests.get(url, timeout=300)',
    '    return HTTPStatus.NOT_FOUND',
    '',
].join('\n');

const OPENAPI_YAML = [
    'openapi: 3.0.3',
    'info: {title: Pets, version: "1"}',
    'paths:',
    '  /pets:',
    '    get:',
    '      responses:',
    "        '200':",
    '          description: OK',
    "        '305':",
    '          description: Go through the proxy',
    '',
].join('\n');

const OPENAPI_JSON = JSON.stringify(
    {
        openapi: '3.1.0',
        info: { title: 'Pets', version: '1' },
        paths: { '/pets': { get: { responses: { 200: { description: 'OK' }, 509: { description: 'Over' } } } } },
    },
    null,
    2,
);

function diagnosticsOf(document, rule) {
    return host.diagnostics(document).filter((diagnostic) => ruleOf(diagnostic) === rule);
}

async function diagnosticOf(document, rule) {
    const [found] = await waitFor(() => {
        const list = diagnosticsOf(document, rule);
        return list.length > 0 && list;
    }, WAIT_MS, `a ${rule} diagnostic in ${path.basename(document.fileName)}`);
    return found;
}

function messagesFor(document) {
    const uri = document.uri.toString();
    return tracedMessages(host.outputLines).filter((message) => message.payload?.textDocument?.uri === uri || message.payload?.uri === uri);
}

before(async () => {
    host.setWorkspaceFolder(workspace);
    host.outputLogLevel = vscode.LogLevel.Trace; // the client traces protocol messages only at this level
    host.setSettings({
        'httpStatus.server.command': serverArgv(),
        'httpStatus.trace.server': 'verbose',
        'httpStatus.languages': { python: true, yaml: true, json: true },
    });
    api = await extension.activate(context);
    assert.ok(api.client, `the client did not start; messages: ${JSON.stringify(host.messages)}\n${host.outputLines.join('\n')}`);
});

after(async () => {
    for (const disposable of context.subscriptions) {
        disposable.dispose();
    }
    await extension.deactivate();
});

test('activation starts the server named by httpStatus.server.command', async () => {
    assert.equal(api.client.state, 2 /* State.Running */);
    assert.equal(api.serverCommand.source, 'httpStatus.server.command');
    assert.equal(api.client.initializeResult.serverInfo.name, 'http-status-ls');
    assert.deepEqual(host.messages.filter((m) => m.severity === 'error'), []);
    const initialize = tracedMessages(host.outputLines).find((m) => m.kind === 'request' && m.method === 'initialize');
    const options = initialize.payload.initializationOptions.httpStatus;
    // What the user set travels as initializationOptions; defaults do not (pyproject.toml may differ).
    assert.deepEqual(options, { languages: { python: true, yaml: true, json: true } });
    assert.equal(options.server, undefined, 'the launch settings are not for the server');
    assert.equal(options.trace, undefined);
    // The server's INFO records are not shown as errors. The server answers initialize before its
    // LSP libraries are loaded, so its first record may arrive a moment after the client runs.
    const infoLines = () => host.outputLines.filter((line) => / INFO http_status_ls/.test(line));
    for (let waited = 0; infoLines().length === 0 && waited < 10000; waited += 50) {
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const serverLines = infoLines();
    assert.ok(serverLines.length > 0, host.outputLines.slice(0, 5).join('\n'));
    assert.deepEqual(serverLines.filter((line) => !line.startsWith('[HTTP Status Codes] info ')), []);
});

test('pull diagnostics: a deprecated code in Python arrives through textDocument/diagnostic', async () => {
    const document = host.openDocument(path.join(workspace, 'app.py'), 'python', PYTHON);
    const diagnostic = await diagnosticOf(document, 'deprecated-code');
    assert.deepEqual([diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.range.end.character], [4, 10, 13]);
    assert.equal(document.getText(diagnostic.range), '305');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.source, 'http-status-ls');
    assert.match(diagnostic.message, /305 Use Proxy/);
    assert.match(diagnostic.code.target.toString(), /^https:\/\/www\.rfc-editor\.org\//);
    // Nothing about the timeout: precision first.
    assert.deepEqual(host.diagnostics(document).filter((d) => d.range.start.line === 5), []);

    const traced = messagesFor(document);
    assert.ok(traced.some((m) => m.kind === 'request' && m.method === 'textDocument/diagnostic'), 'no textDocument/diagnostic request');
    // A client that pulls is never also pushed to (it would show every problem twice).
    assert.deepEqual(traced.filter((m) => m.method === 'textDocument/publishDiagnostics'), []);
    assert.deepEqual(api.client.diagnostics.get(document.uri), []);
});

test('positions after non-ASCII text are UTF-16 code units, as VS Code counts them', async () => {
    const line = '    note = "é🙂 日本"; abort(420)';
    const document = host.openDocument(path.join(workspace, 'accents.py'), 'python', `from flask import abort\n${line}\n`);
    const diagnostic = await diagnosticOf(document, 'unofficial-code');
    assert.equal(diagnostic.range.start.line, 1);
    assert.equal(diagnostic.range.start.character, line.indexOf('420')); // a JavaScript index is UTF-16
    assert.equal(document.getText(diagnostic.range), '420');
    assert.match(diagnostic.message, /429/);
    const encoding = api.client.initializeResult.capabilities.positionEncoding;
    assert.ok(encoding === undefined || encoding === 'utf-16', `server chose ${encoding}`);
});

test('OpenAPI in YAML: a deprecated response key is reported on the key', async () => {
    const document = host.openDocument(path.join(workspace, 'openapi.yaml'), 'yaml', OPENAPI_YAML);
    const diagnostic = await diagnosticOf(document, 'deprecated-code');
    assert.equal(diagnostic.range.start.line, 8);
    assert.match(document.getText(diagnostic.range), /^'?305'?$/);
});

test('OpenAPI in JSON: an unofficial response key is reported on the key', async () => {
    const document = host.openDocument(path.join(workspace, 'openapi.json'), 'json', OPENAPI_JSON);
    const diagnostic = await diagnosticOf(document, 'unofficial-code');
    assert.match(document.getText(diagnostic.range), /^"?509"?$/);
    assert.equal(diagnostic.range.start.line, OPENAPI_JSON.split('\n').findIndex((l) => l.includes('"509"')));
});

test('edits reach the server: fixing the code clears its diagnostic', async () => {
    const document = host.openDocument(path.join(workspace, 'edit.py'), 'python', 'from flask import abort\nabort(305)\n');
    await diagnosticOf(document, 'deprecated-code');
    host.changeDocument(document, new vscode.Range(1, 6, 1, 9), '307');
    await waitFor(() => host.diagnostics(document).length === 0, WAIT_MS, 'the diagnostic to go after the edit');
    assert.equal(document.version, 2);
});

test('hover on a literal, on a name, and nothing on timeout=300', async () => {
    const document = host.openDocument(path.join(workspace, 'hover.py'), 'python', PYTHON);
    const provider = host.provider('HoverProvider', document);

    const literal = await provider.provideHover(document, new vscode.Position(4, 11), host.newCancellationToken());
    assert.ok(literal, 'no hover on abort(305)');
    assert.match(literal.contents[0].value, /305 Use Proxy/);
    assert.match(literal.contents[0].value, /[Dd]eprecated/);
    assert.equal(document.getText(literal.range), '305');

    const name = await provider.provideHover(document, new vscode.Position(6, 25), host.newCancellationToken());
    assert.ok(name, 'no hover on HTTPStatus.NOT_FOUND');
    assert.match(name.contents[0].value, /404 Not Found/);
    assert.equal(document.getText(name.range), 'NOT_FOUND');

    const timeout = await provider.provideHover(document, new vscode.Position(5, 31), host.newCancellationToken());
    assert.equal(timeout ?? undefined, undefined);
});

test('completion after HTTPStatus. lists the names with code and phrase', async () => {
    const text = 'from http import HTTPStatus\n\nstatus = HTTPStatus.\n';
    const document = host.openDocument(path.join(workspace, 'complete.py'), 'python', text);
    const provider = host.provider('CompletionItemProvider', document);
    const result = await provider.provideCompletionItems(document, new vscode.Position(2, 20), host.newCancellationToken(), {
        triggerKind: vscode.CompletionTriggerKind.TriggerCharacter,
        triggerCharacter: '.',
    });
    const items = Array.isArray(result) ? result : result.items;
    const labelOf = (item) => (typeof item.label === 'string' ? item.label : item.label.label);
    const notFound = items.find((item) => labelOf(item) === 'NOT_FOUND');
    assert.ok(notFound, `no NOT_FOUND among ${items.length} items`);
    assert.match(notFound.detail, /404 Not Found/);
    assert.match(notFound.filterText, /404/);
    assert.ok(items.length >= 60, `only ${items.length} HTTPStatus names`);
});

test('completion in an OpenAPI responses object offers the codes not yet there', async () => {
    const text = OPENAPI_YAML.replace("        '305':\n          description: Go through the proxy\n", '        \n');
    const document = host.openDocument(path.join(workspace, 'complete.yaml'), 'yaml', text);
    const provider = host.provider('CompletionItemProvider', document);
    const result = await provider.provideCompletionItems(document, new vscode.Position(8, 8), host.newCancellationToken(), {
        triggerKind: vscode.CompletionTriggerKind.Invoke,
    });
    const items = Array.isArray(result) ? result : result.items;
    const labels = items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.some((label) => /404/.test(label)), `no 404 in ${labels.slice(0, 20).join(', ')}`);
    assert.ok(!labels.some((label) => /^'?200'?:?$/.test(label)), '200 is already there and must not be offered');
});

test('a settings change reaches the server as didChangeConfiguration, without the launch settings', async () => {
    const sent = () => tracedMessages(host.outputLines).filter((m) => m.method === 'workspace/didChangeConfiguration');
    const before = sent().length;
    const client = api.client;
    host.setSettings({ 'httpStatus.rules': { 'deprecated-code': 'off' }, 'httpStatus.extraYamlKeys': ['expectedStatus'] });
    try {
        await waitFor(() => sent().length > before, WAIT_MS, 'workspace/didChangeConfiguration');
        const settings = sent().at(-1).payload.settings.httpStatus;
        assert.deepEqual(settings.rules, { 'deprecated-code': 'off' });
        assert.deepEqual(settings.extraYamlKeys, ['expectedStatus']);
        assert.equal(settings.server, undefined);
        assert.equal(settings.trace, undefined);
        assert.equal(api.client, client, 'a rule change must not restart the server');
    } finally {
        host.setSettings({ 'httpStatus.rules': undefined, 'httpStatus.extraYamlKeys': undefined });
    }
});

test('the restart command brings up a new server that answers', async () => {
    const before = api.client;
    await vscode.commands.executeCommand('httpStatus.restartServer');
    assert.notEqual(api.client, before);
    assert.equal(api.client.state, 2 /* State.Running */);
    const document = host.openDocument(path.join(workspace, 'after-restart.py'), 'python', 'from flask import abort\nabort(509)\n');
    await diagnosticOf(document, 'unofficial-code');
});

test('the client asked for nothing this fake VS Code lacks', () => {
    assert.deepEqual([...host.missing], []);
});
