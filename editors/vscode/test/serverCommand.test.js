'use strict';
/**
 * Layer 1: how the extension picks the server process, and what it contributes, with a fake `vscode`.
 * Runs the bundled out/extension.js (built by `npm test` before the tests), the file VS Code loads.
 */

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, describe, after } = require('node:test');

const { host, vscode } = require('./fake-vscode/install.js');
const extension = require('../out/extension.js');
const manifest = require('../package.json');

/** A machine where exactly `executables` exist and are runnable. */
function machine({ executables = [], PATH = '/usr/bin:/venv/bin', platform = 'linux', workspaceFolder, env = {} } = {}) {
    const present = new Set(executables);
    return {
        env: { PATH, HOME: '/home/dev', ...env },
        platform,
        workspaceFolder,
        isExecutableFile: (file) => present.has(file),
    };
}

describe('resolveServerCommand', () => {
    const resolve = extension.resolveServerCommand;

    test('httpStatus.server.command wins and keeps its arguments', () => {
        const result = resolve(
            { command: ['/opt/tools/http-status-ls', '--log-file', '/tmp/hs.log'], interpreter: '/usr/bin/python3' },
            machine({ executables: ['/opt/tools/http-status-ls', '/usr/bin/python3', '/venv/bin/http-status-ls'] }),
        );
        assert.deepEqual(result, {
            command: '/opt/tools/http-status-ls',
            args: ['--log-file', '/tmp/hs.log'],
            source: 'httpStatus.server.command',
        });
    });

    test('a bare program name in the command is looked up on PATH', () => {
        const result = resolve({ command: ['uvx', 'http-status-ls'] }, machine({ executables: ['/usr/bin/uvx'] }));
        assert.deepEqual(result, { command: '/usr/bin/uvx', args: ['http-status-ls'], source: 'httpStatus.server.command' });
    });

    test('${workspaceFolder}, ${env:...}, ~ and relative paths are expanded', () => {
        const m = machine({
            executables: ['/home/dev/project/.venv/bin/http-status-ls', '/home/dev/bin/hs', '/home/dev/project/tools/hs'],
            workspaceFolder: '/home/dev/project',
            env: { TOOLS: '/home/dev/project/tools' },
        });
        assert.equal(resolve({ command: ['${workspaceFolder}/.venv/bin/http-status-ls'] }, m).command, '/home/dev/project/.venv/bin/http-status-ls');
        assert.equal(resolve({ command: ['.venv/bin/http-status-ls'] }, m).command, '/home/dev/project/.venv/bin/http-status-ls');
        assert.equal(resolve({ command: ['~/bin/hs'] }, m).command, '/home/dev/bin/hs');
        assert.equal(resolve({ command: ['${env:TOOLS}/hs'] }, m).command, '/home/dev/project/tools/hs');
    });

    test('a missing command program is an error naming httpStatus.server.command', () => {
        const result = resolve({ command: ['/nowhere/http-status-ls'] }, machine({ executables: ['/venv/bin/http-status-ls'] }));
        assert.match(result.error, /"\/nowhere\/http-status-ls" from the setting "httpStatus\.server\.command" was not found or is not executable/);
    });

    test('a command that is not a list of strings is an error naming the setting', () => {
        for (const bad of ['http-status-ls --stdio', [42], ['']]) {
            const result = resolve({ command: bad }, machine({ executables: ['/venv/bin/http-status-ls'] }));
            assert.match(result.error, /"httpStatus\.server\.command" must be a list of strings/, JSON.stringify(bad));
        }
    });

    test('an empty command falls through to httpStatus.server.interpreter with -m http_status_ls', () => {
        const result = resolve({ command: [], interpreter: '/home/dev/project/.venv/bin/python' }, machine({ executables: ['/home/dev/project/.venv/bin/python'] }));
        assert.deepEqual(result, {
            command: '/home/dev/project/.venv/bin/python',
            args: ['-m', 'http_status_ls'],
            source: 'httpStatus.server.interpreter',
        });
    });

    test('a missing interpreter is an error naming httpStatus.server.interpreter', () => {
        const result = resolve({ interpreter: 'python3.99' }, machine({ executables: ['/venv/bin/http-status-ls'] }));
        assert.match(result.error, /"python3\.99" from the setting "httpStatus\.server\.interpreter" was not found on PATH/);
    });

    test('with neither setting, http-status-ls on PATH is used', () => {
        const result = resolve({ command: [], interpreter: '' }, machine({ executables: ['/venv/bin/http-status-ls'] }));
        assert.deepEqual(result, { command: '/venv/bin/http-status-ls', args: [], source: 'PATH' });
    });

    test('on Windows PATHEXT finds http-status-ls.exe', () => {
        const result = resolve(
            {},
            machine({
                platform: 'win32',
                PATH: 'C:\\Windows;C:\\venv\\Scripts',
                env: { PATHEXT: '.COM;.EXE;.BAT' },
                executables: ['C:\\venv\\Scripts\\http-status-ls.exe'],
            }),
        );
        assert.deepEqual(result, { command: 'C:\\venv\\Scripts\\http-status-ls.exe', args: [], source: 'PATH' });
    });

    test('when nothing works the message names both settings and how to install', () => {
        const result = resolve({}, machine({ executables: [] }));
        assert.match(result.error, /"http-status-ls" was not found on PATH/);
        assert.match(result.error, /httpStatus\.server\.command/);
        assert.match(result.error, /httpStatus\.server\.interpreter/);
        assert.match(result.error, /pipx install \.` in a checkout of http-status-ls/);
    });
});

describe('the extension in a fake VS Code', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'http-status-vscode-'));
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    test('currentServerCommand reads the httpStatus.server settings', () => {
        const program = path.join(scratch, 'my-server');
        fs.writeFileSync(program, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
        host.setSettings({ 'httpStatus.server.command': [program, '--stdio'] });
        try {
            assert.deepEqual(extension.currentServerCommand(), { command: program, args: ['--stdio'], source: 'httpStatus.server.command' });
        } finally {
            host.resetSettings();
        }
    });

    test('serverSettings passes what the user set, without the launch settings or the defaults', () => {
        host.setSettings({
            'httpStatus.server.command': ['/x/http-status-ls'],
            'httpStatus.trace.server': 'verbose',
            'httpStatus.rules': { 'unofficial-code': 'error' },
            'httpStatus.extraCodes': [{ code: 599, phrase: 'Network Connect Timeout' }],
        });
        try {
            const settings = extension.serverSettings();
            assert.deepEqual(settings.rules, { 'unofficial-code': 'error' });
            assert.deepEqual(settings.extraCodes, [{ code: 599, phrase: 'Network Connect Timeout' }]);
            // Defaults stay out, so a project's pyproject.toml is not overridden by them.
            assert.deepEqual(Object.keys(settings).sort(), ['extraCodes', 'rules']);
            assert.equal(settings.server, undefined);
            assert.equal(settings.trace, undefined);
        } finally {
            host.resetSettings();
        }
    });

    test('activation with a broken server command shows an error naming the setting and does not throw', async () => {
        host.setSettings({ 'httpStatus.server.command': [path.join(scratch, 'no-such-server')] });
        const context = { subscriptions: [] };
        try {
            const api = await extension.activate(context);
            assert.equal(api.client, undefined);
            const errors = host.messages.filter((m) => m.severity === 'error');
            assert.equal(errors.length, 1, JSON.stringify(host.messages));
            assert.match(errors[0].message, /no-such-server.*"httpStatus\.server\.command" was not found/);
            assert.deepEqual(errors[0].items, ['Open Settings', 'Show Output']);
            const commands = await vscode.commands.getCommands();
            assert.ok(commands.includes('httpStatus.restartServer'), commands.join(', '));
        } finally {
            for (const disposable of context.subscriptions) {
                disposable.dispose();
            }
            await extension.deactivate();
            host.resetSettings();
            host.messages.length = 0;
        }
    });

    test('a server that exits at once is reported with the setting it came from', async () => {
        const program = path.join(scratch, 'exits-at-once');
        fs.writeFileSync(program, '#!/bin/sh\necho "not a language server" >&2\nexit 3\n', { mode: 0o755 });
        host.setSettings({ 'httpStatus.server.command': [program] });
        const context = { subscriptions: [] };
        try {
            const api = await extension.activate(context);
            assert.equal(api.client, undefined);
            const errors = host.messages.filter((m) => m.severity === 'error' && m.message.startsWith('HTTP Status Codes:'));
            assert.ok(errors.length >= 1, JSON.stringify(host.messages));
            assert.match(errors[0].message, /exits-at-once" \(from httpStatus\.server\.command\) did not start/);
        } finally {
            for (const disposable of context.subscriptions) {
                disposable.dispose();
            }
            await extension.deactivate();
            host.resetSettings();
            host.messages.length = 0;
        }
    });
});

describe('package.json', () => {
    const rules = [
        'deprecated-code', 'reserved-code', 'obsolete-code', 'provisional-code', 'unofficial-code',
        'unassigned-code', 'invalid-code', 'not-a-status-code', 'unquoted-response-key', 'duplicate-response-key',
        'body-not-allowed', 'deprecated-name', 'unknown-name', 'invalid-range-key',
    ];
    const properties = manifest.contributes.configuration.properties;

    test('activates on python, yaml, json and jsonc', () => {
        assert.deepEqual(manifest.activationEvents.sort(), ['onLanguage:json', 'onLanguage:jsonc', 'onLanguage:python', 'onLanguage:yaml']);
        assert.deepEqual([...extension.LANGUAGES].sort(), ['json', 'jsonc', 'python', 'yaml']);
    });

    test('contributes every setting the brief names', () => {
        for (const key of [
            'httpStatus.server.command', 'httpStatus.server.interpreter', 'httpStatus.trace.server', 'httpStatus.rules',
            'httpStatus.inlayHints.enabled', 'httpStatus.extraCodes', 'httpStatus.extraYamlKeys', 'httpStatus.languages',
        ]) {
            assert.ok(properties[key], `missing setting ${key}`);
        }
        assert.deepEqual(properties['httpStatus.trace.server'].enum, ['off', 'messages', 'verbose']);
    });

    test('contributes a severity setting for every diagnostic rule', () => {
        const contributed = properties['httpStatus.rules'].properties;
        assert.deepEqual(Object.keys(contributed).sort(), [...rules].sort());
        for (const rule of rules) {
            assert.deepEqual(contributed[rule].enum, ['error', 'warning', 'information', 'hint', 'off'], rule);
            // The server's default, generated from its rules table (tests/unit/kb/test_rules.py holds them equal).
            assert.ok(['error', 'warning', 'information', 'hint'].includes(contributed[rule].default), rule);
            assert.match(contributed[rule].description, new RegExp(`Default: ${contributed[rule].default}\\b`), rule);
        }
    });

    test('contributes the restart command', () => {
        assert.ok(manifest.contributes.commands.some((c) => c.command === 'httpStatus.restartServer'));
    });

    test('engines.vscode matches what vscode-languageclient requires', () => {
        const readManifest = (name) => JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', name, 'package.json'), 'utf8'));
        const client = readManifest('vscode-languageclient');
        assert.equal(manifest.engines.vscode, client.engines.vscode);
        assert.match(client.version, /^10\./);
        assert.equal(readManifest('@types/vscode').version.split('.').slice(0, 2).join('.'), manifest.engines.vscode.replace(/^\^/, '').split('.').slice(0, 2).join('.'));
    });
});
