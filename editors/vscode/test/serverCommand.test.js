'use strict';
/**
 * Layer 1: how the extension picks the server process, and what it contributes, with a fake `vscode`.
 * Runs the bundled out/extension.js (built by `npm test` before the tests), the file VS Code loads.
 * The choice of Python has its own file, pythonInterpreter.test.js.
 */

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, describe, after } = require('node:test');

const { host, vscode } = require('./fake-vscode/install.js');
const extension = require('../out/extension.js');
const manifest = require('../package.json');
const { machine } = require('./support.js');

describe('explicitServerCommand (httpStatus.server.command)', () => {
    const resolve = extension.explicitServerCommand;

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
        assert.match(result.error, /clear it to use the server this extension carries/);
    });

    test('a command that is not a list of strings is an error naming the setting', () => {
        for (const bad of ['http-status-ls --stdio', [42], ['']]) {
            const result = resolve({ command: bad }, machine({ executables: ['/venv/bin/http-status-ls'] }));
            assert.match(result.error, /"httpStatus\.server\.command" must be a list of strings/, JSON.stringify(bad));
        }
    });

    test('with no command set the answer is undefined: the bundled server is used', () => {
        for (const unset of [undefined, null, []]) {
            assert.equal(resolve({ command: unset }, machine({ executables: ['/usr/bin/python3'] })), undefined);
        }
    });

    test('in an untrusted workspace a command inside the workspace is refused', () => {
        const m = machine({ executables: ['/home/dev/project/.venv/bin/http-status-ls'], workspaceFolder: '/home/dev/project', untrustedFolders: ['/home/dev/project'] });
        const result = resolve({ command: ['${workspaceFolder}/.venv/bin/http-status-ls'] }, m);
        assert.match(result.error, /inside the folder \/home\/dev\/project, and this workspace is not trusted/);
        // The same program outside the workspace's folders is the user's own: allowed.
        const outside = machine({ executables: ['/opt/hs'], workspaceFolder: '/home/dev/project', untrustedFolders: ['/home/dev/project'] });
        assert.equal(resolve({ command: ['/opt/hs'] }, outside).command, '/opt/hs');
    });
});

describe('the extension in a fake VS Code', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'http-status-vscode-'));
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    test('currentServerCommand reads the httpStatus.server settings', async () => {
        const program = path.join(scratch, 'my-server');
        fs.writeFileSync(program, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
        host.setSettings({ 'httpStatus.server.command': [program, '--stdio'] });
        try {
            const log = vscode.window.createOutputChannel('test', { log: true });
            assert.deepEqual(await extension.currentServerCommand(log), { command: program, args: ['--stdio'], source: 'httpStatus.server.command' });
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

describe('the bundle', () => {
    const bundle = fs.readFileSync(path.join(__dirname, '..', 'out', 'extension.js'), 'utf8');

    test('vscode-languageclient is inside, `vscode` is left to the editor, semver is replaced', () => {
        assert.match(bundle, /node_modules\/vscode-languageclient\//);
        assert.match(bundle, /require\("vscode"\)/);
        assert.doesNotMatch(bundle, /node_modules\/semver\//);
    });

    test('the semver stand-ins answer the one question the client asks', () => {
        const esbuild = require('esbuild');
        const load = (name) => {
            const { outputFiles } = esbuild.buildSync({
                entryPoints: [path.join(__dirname, '..', 'src', 'shims', `${name}.ts`)],
                bundle: true,
                format: 'cjs',
                platform: 'node',
                write: false,
            });
            const module = { exports: {} };
            new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, require);
            return module.exports;
        };
        const parse = load('semverParse');
        const satisfies = load('semverSatisfies');
        const clientSource = fs.readFileSync(path.join(__dirname, '..', 'node_modules', 'vscode-languageclient', 'lib', 'node', 'main.js'), 'utf8');
        const required = /REQUIRED_VSCODE_VERSION = '([^']+)'/.exec(clientSource)[1];
        assert.equal(required, manifest.engines.vscode);
        assert.deepEqual(parse('1.100.3'), { major: 1, minor: 100, patch: 3, prerelease: [] });
        assert.deepEqual(parse('1.101.0-insider').prerelease, ['insider']);
        assert.equal(parse('not a version'), null);
        assert.equal(satisfies(parse('1.91.0'), required), true);
        assert.equal(satisfies(parse('1.100.3'), required), true);
        assert.equal(satisfies(parse('1.90.9'), required), false);
        assert.equal(satisfies(parse('2.0.0'), required), false);
        assert.equal(satisfies(parse('1.95.0-insider'), required), false);
        assert.throws(() => satisfies('1.91.0', '>=1.91.0'), /only reads caret ranges/);
    });
});

describe('package.json', () => {
    const rules = [
        'deprecated-code', 'reserved-code', 'obsolete-code', 'provisional-code', 'unofficial-code',
        'unassigned-code', 'invalid-code', 'not-a-status-code', 'unquoted-response-key', 'duplicate-response-key',
        'body-not-allowed', 'deprecated-name', 'unknown-name', 'invalid-range-key',
        // OpenAPI response sets
        'missing-success-response', 'missing-error-response', 'missing-response-header', 'method-status-mismatch',
        'conflicting-success-responses', 'status-not-allowed', 'description-mismatch',
        // Python handlers, and handlers against their spec
        'body-with-no-content-status', 'redirect-without-location', 'success-in-error-handler',
        'undocumented-status', 'unreturned-status', 'undocumented-operation', 'unimplemented-operation',
        'status-style',
    ];
    const properties = manifest.contributes.configuration.properties;
    const root = path.join(__dirname, '..');

    test('activates on Python, YAML and OpenAPI JSON files only, never on every JSON file', () => {
        const events = manifest.activationEvents;
        assert.deepEqual(events.filter((e) => e.startsWith('onLanguage:')).sort(), ['onLanguage:python', 'onLanguage:yaml']);
        assert.deepEqual(
            events.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length)),
            [...extension.OPENAPI_JSON_FILES],
        );
        assert.deepEqual(events.filter((e) => !e.startsWith('onLanguage:') && !e.startsWith('workspaceContains:')), []);
    });

    test('the document selector matches the activation: Python and YAML, and JSON by the same names', () => {
        const selector = extension.DOCUMENT_SELECTOR;
        for (const language of ['python', 'yaml']) {
            assert.deepEqual(selector.filter((f) => f.language === language).map((f) => f.scheme).sort(), ['file', 'untitled']);
            assert.ok(selector.filter((f) => f.language === language).every((f) => f.pattern === undefined));
        }
        for (const language of ['json', 'jsonc']) {
            assert.deepEqual(selector.filter((f) => f.language === language).map((f) => f.pattern), [...extension.OPENAPI_JSON_FILES]);
        }
        const matches = (file, language) => vscode.languages.match(selector, { uri: vscode.Uri.file(file), languageId: language }) > 0;
        assert.ok(matches('/w/api/openapi.json', 'json'));
        assert.ok(matches('/w/swagger-v2.json', 'json'));
        assert.ok(matches('/w/pets.openapi.json', 'jsonc'));
        assert.ok(!matches('/w/package.json', 'json'));
        assert.ok(!matches('/w/tsconfig.json', 'jsonc'));
        assert.ok(matches('/w/.github/workflows/ci.yml', 'yaml'));
    });

    test('declares limited support for untrusted workspaces, restricting the settings that run programs', () => {
        const untrusted = manifest.capabilities.untrustedWorkspaces;
        assert.equal(untrusted.supported, 'limited');
        assert.deepEqual(untrusted.restrictedConfigurations, ['httpStatus.server.command', 'httpStatus.server.interpreter']);
        for (const key of untrusted.restrictedConfigurations) {
            assert.ok(properties[key], key);
        }
        assert.match(untrusted.description, /not run until you trust it/);
        assert.equal(manifest.capabilities.virtualWorkspaces.supported, false);
    });

    test('is ready for a marketplace: icon, changelog, licence, not private, a publisher', () => {
        assert.equal(manifest.private, undefined);
        assert.match(manifest.publisher, /^[a-z0-9][a-z0-9-]*$/);
        const icon = fs.readFileSync(path.join(root, manifest.icon));
        assert.equal(icon.subarray(1, 4).toString(), 'PNG');
        assert.deepEqual([icon.readUInt32BE(16), icon.readUInt32BE(20)], [128, 128]);
        for (const file of ['CHANGELOG.md', 'LICENSE', 'README.md']) {
            assert.ok(fs.statSync(path.join(root, file)).size > 0, file);
        }
        // No public repository yet: none is claimed (the build passes --allow-missing-repository).
        assert.equal(manifest.repository, undefined);
        assert.equal(manifest.bugs, undefined);
        assert.equal(manifest.scripts.package, 'node scripts/package.mjs');
        assert.match(manifest.scripts['vscode:prepublish'], /process\.exit\(1\)/);
    });

    test('contributes every setting the brief names', () => {
        for (const key of [
            'httpStatus.server.command', 'httpStatus.server.interpreter', 'httpStatus.trace.server', 'httpStatus.rules',
            'httpStatus.inlayHints.enabled', 'httpStatus.extraCodes', 'httpStatus.extraYamlKeys', 'httpStatus.languages',
        ]) {
            assert.ok(properties[key], `missing setting ${key}`);
        }
        assert.deepEqual(properties['httpStatus.trace.server'].enum, ['off', 'messages', 'verbose']);
        assert.match(properties['httpStatus.server.interpreter'].markdownDescription, /3\.10 or newer/);
    });

    test('contributes a severity setting for every diagnostic rule', () => {
        const contributed = properties['httpStatus.rules'].properties;
        assert.deepEqual(Object.keys(contributed).sort(), [...rules].sort());
        for (const rule of rules) {
            assert.deepEqual(contributed[rule].enum, ['error', 'warning', 'information', 'hint', 'off'], rule);
            // The server's default, generated from its rules table (tests/unit/kb/test_rules.py holds them equal).
            // A style rule is off until a project chooses a style.
            assert.ok(['error', 'warning', 'information', 'hint', 'off'].includes(contributed[rule].default), rule);
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

describe('the package build (scripts/package.mjs)', () => {
    const load = () => import('../scripts/package.mjs');

    test('bundles compiled modules for every CPython from the minimum the launcher and the extension check', async () => {
        const { PYTHON_VERSIONS } = await load();
        const launcher = fs.readFileSync(path.join(__dirname, '..', 'bundled', 'tool', 'launch_server.py'), 'utf8');
        const minimum = /^MINIMUM = \((\d+), (\d+)\)$/m.exec(launcher).slice(1).join('.');
        assert.equal(PYTHON_VERSIONS[0], minimum);
        assert.equal(extension.MINIMUM_PYTHON.join('.'), minimum);
        assert.deepEqual(PYTHON_VERSIONS, ['3.10', '3.11', '3.12', '3.13', '3.14']);
    });

    test("maps each VS Code target to pip's platform tags", async () => {
        const { pipPlatforms, hostTarget } = await load();
        const linux = pipPlatforms('linux-x64');
        assert.equal(linux[0], 'manylinux_2_28_x86_64');
        for (const tag of ['manylinux_2_17_x86_64', 'manylinux2014_x86_64', 'manylinux1_x86_64']) {
            assert.ok(linux.includes(tag), tag);
        }
        assert.deepEqual(pipPlatforms('win32-x64'), ['win_amd64']);
        assert.ok(pipPlatforms('darwin-arm64').includes('macosx_11_0_arm64'));
        assert.ok(pipPlatforms('darwin-x64').includes('macosx_10_9_x86_64'));
        assert.ok(pipPlatforms('alpine-x64').includes('musllinux_1_2_x86_64'));
        assert.throws(() => pipPlatforms('web'), /unknown target "web"/);
        assert.match(hostTarget(), /^(linux|alpine|darwin|win32)-(x64|arm64|armhf)$/);
    });
});
