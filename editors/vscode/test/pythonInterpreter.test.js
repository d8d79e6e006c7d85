'use strict';
/**
 * Which Python runs the bundled server: the candidates (setting, Python extension, PATH), the probe
 * each must pass (3.10 or newer, and the bundled libraries load), and what the user sees when none
 * does. Pure decisions run against a made-up machine; the extension's behaviour runs in the fake VS
 * Code with stand-in interpreters (shell scripts that answer the probe as a real Python would).
 */

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test, describe, before, after, afterEach } = require('node:test');

const { host, vscode } = require('./fake-vscode/install.js');
const extension = require('../out/extension.js');
const { machine, serverPython, writeProgram, waitFor } = require('./support.js');

const LAUNCHER = path.join(__dirname, '..', 'bundled', 'tool', 'launch_server.py');

/** What launch_server.py --probe prints for a Python of `version`, optionally with a load error. */
function probeAnswer(version, extra = {}) {
    return { version, executable: `/usr/bin/python${version.slice(0, 2).join('.')}`, implementation: 'cpython', bundled: true, server: '0.1.0', libyaml: true, ...extra };
}

/** A probe that answers from a table keyed by program, recording what it was asked. */
function tableProbe(table) {
    const asked = [];
    const probe = async (command, args) => {
        asked.push([command, ...args]);
        const entry = table[command];
        return entry === undefined ? { failure: `no such program ${command}` } : entry;
    };
    return { probe, asked };
}

describe('pythonCandidates', () => {
    const candidates = extension.pythonCandidates;

    test('httpStatus.server.interpreter, when set, is the only candidate', () => {
        const result = candidates({ interpreter: '/opt/py312/bin/python' }, machine({ executables: ['/opt/py312/bin/python', '/usr/bin/python3'] }), '/venv/bin/python');
        assert.deepEqual(result, [{ name: '/opt/py312/bin/python', command: '/opt/py312/bin/python', prefixArgs: [], source: 'httpStatus.server.interpreter' }]);
    });

    test('a missing interpreter setting is a candidate that says it was not found', () => {
        const [only] = candidates({ interpreter: 'python3.99' }, machine({ executables: ['/usr/bin/python3'] }));
        assert.equal(only.command, undefined);
        assert.equal(only.missing, 'not found on PATH');
        assert.equal(extension.describeCandidate(only), '"python3.99" from the setting "httpStatus.server.interpreter"');
    });

    test('an interpreter setting that is not a string is an error naming it', () => {
        assert.match(candidates({ interpreter: ['python3'] }, machine()).error, /"httpStatus\.server\.interpreter" must be a path/);
    });

    test("without the setting: the Python extension's interpreter, then python3 on PATH", () => {
        const result = candidates({ interpreter: '' }, machine({ executables: ['/home/dev/p/.venv/bin/python', '/usr/bin/python3'] }), '/home/dev/p/.venv/bin/python');
        assert.deepEqual(
            result.map((c) => [c.source, c.command]),
            [
                ['Python extension', '/home/dev/p/.venv/bin/python'],
                ['PATH', '/usr/bin/python3'],
            ],
        );
        assert.equal(extension.describeCandidate(result[1]), '"python3" on PATH (/usr/bin/python3)');
    });

    test('without the Python extension: python3 on PATH only, or a candidate saying it is not there', () => {
        assert.deepEqual(candidates({}, machine({ executables: ['/usr/bin/python3'] })).map((c) => c.command), ['/usr/bin/python3']);
        const [missing] = candidates({}, machine({ executables: [] }));
        assert.deepEqual([missing.name, missing.missing], ['python3', 'not found on PATH']);
    });

    test('on Windows: python on PATH, then the py launcher with -3', () => {
        const m = machine({ platform: 'win32', PATH: 'C:\\Windows;C:\\Python312', env: { PATHEXT: '.COM;.EXE' }, executables: ['C:\\Python312\\python.exe', 'C:\\Windows\\py.exe'] });
        assert.deepEqual(
            candidates({}, m).map((c) => [c.command, c.prefixArgs]),
            [
                ['C:\\Python312\\python.exe', []],
                ['C:\\Windows\\py.exe', ['-3']],
            ],
        );
    });

    test('in an untrusted workspace an interpreter inside the workspace is not run', () => {
        const m = machine({ executables: ['/home/dev/p/.venv/bin/python', '/usr/bin/python3'], workspaceFolder: '/home/dev/p', untrustedFolders: ['/home/dev/p'] });
        const [inside, onPath] = candidates({ interpreter: '' }, m, '/home/dev/p/.venv/bin/python');
        assert.equal(inside.command, undefined);
        assert.match(inside.missing, /inside the folder \/home\/dev\/p of this untrusted workspace/);
        assert.equal(onPath.command, '/usr/bin/python3');
    });
});

describe('choosePython', () => {
    const python3 = { name: 'python3', command: '/usr/bin/python3', prefixArgs: [], source: 'PATH' };
    const venv = { name: '/p/.venv/bin/python', command: '/p/.venv/bin/python', prefixArgs: [], source: 'Python extension' };

    test('the first candidate that passes the probe is chosen, asked with the launcher and --probe', async () => {
        const { probe, asked } = tableProbe({ '/p/.venv/bin/python': { answer: probeAnswer([3, 12, 1]) }, '/usr/bin/python3': { answer: probeAnswer([3, 11, 2]) } });
        const choice = await extension.choosePython([venv, python3], LAUNCHER, probe);
        assert.equal(choice.chosen.candidate, venv);
        assert.deepEqual(choice.refusals, []);
        assert.deepEqual(asked, [['/p/.venv/bin/python', LAUNCHER, '--probe']]);
    });

    test('a Python older than 3.10 is refused with its version, and the next one is tried', async () => {
        const { probe } = tableProbe({ '/p/.venv/bin/python': { answer: probeAnswer([3, 8, 10]) }, '/usr/bin/python3': { answer: probeAnswer([3, 11, 2]) } });
        const choice = await extension.choosePython([venv, python3], LAUNCHER, probe);
        assert.equal(choice.chosen.candidate, python3);
        assert.deepEqual(choice.refusals.map((r) => r.reason), ['Python 3.8.10 is older than 3.10']);
    });

    test('Python 2 and 3.9 are too old; 3.10.0 is not', () => {
        assert.equal(extension.refusalReason(probeAnswer([2, 7, 18])), 'Python 2.7.18 is older than 3.10');
        assert.equal(extension.refusalReason(probeAnswer([3, 9, 18])), 'Python 3.9.18 is older than 3.10');
        assert.equal(extension.refusalReason(probeAnswer([3, 10, 0])), undefined);
        assert.equal(extension.refusalReason(probeAnswer([4, 0, 0])), undefined);
    });

    test('libraries that do not load are a refusal that says what the .vsix was built for', () => {
        const answer = probeAnswer([3, 15, 0], {
            error: "ModuleNotFoundError: No module named 'tree_sitter._binding'",
            build: { target: 'linux-x64', pythons: ['3.10', '3.11', '3.12', '3.13', '3.14'] },
        });
        assert.equal(
            extension.refusalReason(answer),
            "the server's libraries do not load in cpython 3.15.0 (ModuleNotFoundError: No module named 'tree_sitter._binding'); " +
                'this extension carries them for CPython 3.10, 3.11, 3.12, 3.13, 3.14 on linux-x64',
        );
    });

    test('a missing program is refused without being run; when nothing passes, every reason is kept', async () => {
        const missing = { name: 'python3', prefixArgs: [], source: 'PATH', missing: 'not found on PATH' };
        const { probe, asked } = tableProbe({ '/p/.venv/bin/python': { failure: 'did not run the probe: Permission denied' } });
        const choice = await extension.choosePython([venv, missing], LAUNCHER, probe);
        assert.equal(choice.chosen, undefined);
        assert.deepEqual(choice.refusals.map((r) => r.reason), ['did not run the probe: Permission denied', 'not found on PATH']);
        assert.equal(asked.length, 1);
    });

    test('the message when nothing passes: what is needed, what was tried, what to do', () => {
        const refusals = [
            { candidate: venv, reason: 'Python 3.8.10 is older than 3.10' },
            { candidate: { name: 'python3', prefixArgs: [], source: 'PATH', missing: 'not found on PATH' }, reason: 'not found on PATH' },
        ];
        const message = extension.noUsablePythonMessage(refusals, true);
        assert.match(message, /^The language server needs Python 3\.10 or newer, and none was usable/);
        assert.match(message, /the Python extension's interpreter "\/p\/\.venv\/bin\/python": Python 3\.8\.10 is older than 3\.10/);
        assert.match(message, /"python3" on PATH: not found on PATH/);
        assert.match(message, /Select Interpreter/);
        assert.match(message, /"httpStatus\.server\.interpreter"/);
        assert.doesNotMatch(extension.noUsablePythonMessage(refusals, false), /Select Interpreter/);
    });
});

describe('processProbe: the probe as a child process', { skip: process.platform === 'win32' && 'stand-in interpreters are shell scripts' }, () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'http-status-probe-'));
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const probe = extension.processProbe(5000);

    test('reads the JSON line a Python prints, past any other output', async () => {
        const program = writeProgram(path.join(scratch, 'talkative'), `echo "welcome to this shell"\necho '${JSON.stringify(probeAnswer([3, 12, 1]))}'`);
        assert.deepEqual(await probe(program, [LAUNCHER, '--probe']), { answer: probeAnswer([3, 12, 1]) });
    });

    test('a program that is not a Python is a failure that quotes what it said', async () => {
        const program = writeProgram(path.join(scratch, 'store-alias'), 'echo "Python was not found; run without arguments to install" >&2\nexit 9');
        const outcome = await probe(program, [LAUNCHER, '--probe']);
        assert.match(outcome.failure, /^did not run the probe .*: Python was not found; run without arguments to install$/);
    });

    test('a program that does not exist is a failure, not a throw', async () => {
        const outcome = await probe(path.join(scratch, 'nothing-here'), [LAUNCHER, '--probe']);
        assert.match(outcome.failure, /^did not run the probe \(.*ENOENT/);
    });

    test('a program that hangs is given up after the timeout', async () => {
        const program = writeProgram(path.join(scratch, 'hangs'), 'sleep 30');
        const outcome = await extension.processProbe(300)(program, [LAUNCHER, '--probe']);
        assert.match(outcome.failure, /did not answer within 0\.3 s/);
    });

    test("the real launcher answers for this checkout's Python", async () => {
        const { answer } = await probe(serverPython(), [LAUNCHER, '--probe']);
        assert.ok(answer, 'no answer');
        assert.equal(extension.refusalReason(answer), undefined, JSON.stringify(answer));
        assert.equal(answer.bundled, false, 'a checkout has no bundled/libs');
        assert.match(answer.server, /^\d+\.\d+/);
    });
});

describe('the extension choosing a Python in a fake VS Code', { skip: process.platform === 'win32' && 'stand-in interpreters are shell scripts' }, () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'http-status-choose-'));
    const originalPath = process.env.PATH;
    const tooOld = writeProgram(path.join(scratch, 'old', 'python3'), `echo '${JSON.stringify(probeAnswer([3, 8, 10]))}'`);
    const fine = writeProgram(path.join(scratch, 'fine', 'python3'), `echo '${JSON.stringify(probeAnswer([3, 12, 1]))}'`);
    const emptyBin = path.join(scratch, 'empty');
    fs.mkdirSync(emptyBin);
    let context;

    before(() => host.setWorkspaceFolder(path.join(scratch, 'workspace')));
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));
    afterEach(async () => {
        for (const disposable of context?.subscriptions ?? []) {
            disposable.dispose();
        }
        await extension.deactivate();
        process.env.PATH = originalPath;
        host.resetSettings();
        host.uninstallExtension('ms-python.python');
        host.trusted = true;
        host.messages.length = 0;
        host.outputLines.length = 0;
        host.executedCommands.length = 0;
    });

    async function activate() {
        context = { subscriptions: [] };
        return extension.activate(context);
    }

    const errors = () => host.messages.filter((m) => m.severity === 'error');
    const logged = (pattern) => host.outputLines.some((line) => pattern.test(line));

    /** A stand-in ms-python.python whose selected interpreter is `interpreter`; it records activation. */
    function installPythonExtension(interpreter) {
        const changed = new vscode.EventEmitter();
        const calls = [];
        const exports = {
            environments: {
                getActiveEnvironmentPath: (resource) => {
                    calls.push(['getActiveEnvironmentPath', resource?.fsPath]);
                    return { id: interpreter, path: interpreter };
                },
                resolveEnvironment: async (environment) => {
                    calls.push(['resolveEnvironment', environment.path]);
                    return { executable: { uri: vscode.Uri.file(environment.path) } };
                },
                onDidChangeActiveEnvironmentPath: changed.event,
            },
        };
        const installed = host.installExtension('ms-python.python', exports);
        return {
            installed,
            calls,
            select(path_) {
                interpreter = path_;
                changed.fire({ id: path_, path: path_ });
            },
        };
    }

    test('python3 on PATH older than 3.10: one error with what to do, the log names it and why', async () => {
        process.env.PATH = path.dirname(tooOld);
        const api = await activate();
        assert.equal(api.client, undefined);
        assert.equal(errors().length, 1, JSON.stringify(host.messages));
        assert.match(errors()[0].message, /^HTTP Status Codes: The language server needs Python 3\.10 or newer/);
        assert.match(errors()[0].message, /Install Python 3\.10\+/);
        assert.deepEqual(errors()[0].items, ['Open Settings', 'Show Output']);
        assert.ok(logged(new RegExp(`Not using "python3" on PATH \\(${tooOld.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): Python 3\\.8\\.10 is older than 3\\.10`)), host.outputLines.join('\n'));
        // No crash loop: nothing retries by itself.
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.equal(errors().length, 1);
    });

    test('no Python at all: one error, and the log says python3 is not on PATH', async () => {
        process.env.PATH = emptyBin;
        const api = await activate();
        assert.equal(api.client, undefined);
        assert.equal(errors().length, 1, JSON.stringify(host.messages));
        assert.match(errors()[0].message, /"python3" on PATH: not found on PATH/);
        assert.ok(logged(/Not using "python3" on PATH: not found on PATH/), host.outputLines.join('\n'));
        assert.ok(logged(/The Python extension is not installed; looking for Python on PATH/));
    });

    test("the Python extension's interpreter is used when it passes", async () => {
        process.env.PATH = path.dirname(tooOld);
        const python = installPythonExtension(fine);
        host.setSettings({ 'httpStatus.server.command': undefined });
        const log = vscode.window.createOutputChannel('choose', { log: true });
        const chosen = await extension.currentServerCommand(log);
        assert.deepEqual(chosen, { command: fine, args: [LAUNCHER], source: 'Python extension' });
        assert.equal(python.installed.isActive, true, 'the Python extension was activated to ask it');
        assert.deepEqual(python.calls[0], ['getActiveEnvironmentPath', path.join(scratch, 'workspace')]);
        assert.ok(logged(/Python 3\.12\.1 at .* \(the Python extension's interpreter .*\) runs http-status-ls 0\.1\.0 from the libraries bundled in the extension/), host.outputLines.join('\n'));
    });

    test("a too-old Python extension interpreter falls back to python3 on PATH, and the log says why", async () => {
        process.env.PATH = path.dirname(fine);
        installPythonExtension(tooOld);
        const log = vscode.window.createOutputChannel('choose', { log: true });
        const chosen = await extension.currentServerCommand(log);
        assert.deepEqual(chosen, { command: fine, args: [LAUNCHER], source: 'PATH' });
        assert.ok(logged(/Not using the Python extension's interpreter ".*old\/python3": Python 3\.8\.10 is older than 3\.10/), host.outputLines.join('\n'));
    });

    test('httpStatus.server.interpreter overrides the Python extension and PATH, without falling back', async () => {
        process.env.PATH = path.dirname(fine);
        const python = installPythonExtension(fine);
        host.setSettings({ 'httpStatus.server.interpreter': tooOld });
        const api = await activate();
        assert.equal(api.client, undefined);
        assert.equal(python.installed.isActive, false, 'not asked: the setting decides');
        assert.equal(errors().length, 1);
        assert.match(errors()[0].message, /"[^"]*old\/python3" from the setting "httpStatus\.server\.interpreter": Python 3\.8\.10 is older than 3\.10/);
        assert.deepEqual(errors()[0].items, ['Select Interpreter', 'Open Settings', 'Show Output']);
    });

    test('"Select Interpreter" in the message runs the Python extension\'s command', async () => {
        process.env.PATH = emptyBin;
        installPythonExtension(tooOld);
        const original = vscode.window.showErrorMessage;
        vscode.window.showErrorMessage = async (message, ...items) => {
            host.messages.push({ severity: 'error', message, items });
            return 'Select Interpreter';
        };
        try {
            await activate();
            await waitFor(() => host.executedCommands.some((c) => c.id === 'python.setInterpreter'), 2000, 'python.setInterpreter');
        } finally {
            vscode.window.showErrorMessage = original;
        }
    });

    test('in an untrusted workspace the Python extension is not asked', async () => {
        process.env.PATH = path.dirname(fine);
        const python = installPythonExtension(tooOld);
        host.trusted = false;
        const log = vscode.window.createOutputChannel('choose', { log: true });
        const chosen = await extension.currentServerCommand(log);
        assert.equal(chosen.source, 'PATH');
        assert.equal(python.installed.isActive, false);
        assert.ok(logged(/The workspace is not trusted: the Python extension's interpreter is not used/));
    });

    test('a new selection in the Python extension starts the server again with it', async () => {
        process.env.PATH = emptyBin;
        const python = installPythonExtension(tooOld);
        const api = await activate();
        assert.equal(api.client, undefined);
        assert.equal(errors().length, 1);
        python.select(serverPython());
        await waitFor(() => logged(/restarting the server/) && api.client !== undefined, 20000, 'a restart with the new interpreter');
        assert.equal(api.serverCommand.source, 'Python extension');
        assert.equal(api.serverCommand.command, serverPython());
        assert.equal(api.client.initializeResult.serverInfo.name, 'http-status-ls');
    });
});
