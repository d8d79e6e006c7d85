'use strict';
/** What the end-to-end tests share: which server to run, reading the client's trace, waiting. */

const fs = require('node:fs');
const path = require('node:path');

const EXTENSION_ROOT = path.resolve(__dirname, '..');

/**
 * The real server's argv: $HTTP_STATUS_LS_COMMAND (a path, or a JSON array of strings), else the
 * repository's virtual environment two levels up.
 */
function serverArgv() {
    const fromEnv = process.env.HTTP_STATUS_LS_COMMAND;
    const argv = fromEnv
        ? fromEnv.trim().startsWith('[')
            ? JSON.parse(fromEnv)
            : [fromEnv]
        : [path.resolve(EXTENSION_ROOT, '..', '..', '.venv', 'bin', 'http-status-ls')];
    const program = argv[0];
    if (path.isAbsolute(program) && !fs.existsSync(program)) {
        throw new Error(
            `The language server ${program} does not exist. Install it (python3 -m venv .venv && .venv/bin/pip install -e .) ` +
                'or set HTTP_STATUS_LS_COMMAND to the http-status-ls program.',
        );
    }
    return argv;
}

/**
 * A Python that can run the server from this checkout (its bundled/ has the launcher but no
 * libraries, so the interpreter needs http-status-ls installed): $HTTP_STATUS_LS_PYTHON, else the
 * `python3` beside the server program, else the repository's virtual environment.
 */
function serverPython() {
    if (process.env.HTTP_STATUS_LS_PYTHON) {
        return process.env.HTTP_STATUS_LS_PYTHON;
    }
    const [program] = serverArgv();
    if (/python[0-9.]*(\.exe)?$/i.test(path.basename(program))) {
        return program;
    }
    for (const name of ['python3', 'python']) {
        const beside = path.join(path.dirname(program), name);
        if (fs.existsSync(beside)) {
            return beside;
        }
    }
    return path.resolve(EXTENSION_ROOT, '..', '..', '.venv', 'bin', 'python3');
}

/** A machine where exactly `executables` exist and are runnable (for the pure launch decisions). */
function machine({ executables = [], PATH = '/usr/bin:/venv/bin', platform = 'linux', workspaceFolder, untrustedFolders = [], env = {} } = {}) {
    const present = new Set(executables);
    return {
        env: { PATH, HOME: '/home/dev', ...env },
        platform,
        workspaceFolder,
        untrustedFolders,
        isExecutableFile: (file) => present.has(file),
    };
}

/** Writes an executable shell script (a stand-in program) and returns its path. */
function writeProgram(file, body) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
}

/**
 * The JSON-RPC messages the client traced, parsed from output channel lines such as
 * "Received notification 'textDocument/publishDiagnostics'.\nParams: {...}".
 */
function tracedMessages(outputLines) {
    const messages = [];
    for (const line of outputLines) {
        const match = /^\[[^\]]*\] trace (Sending|Received) (request|notification|response) '([^' ]+)(?: - \((\d+)\))?'/.exec(line);
        if (match === null) {
            continue;
        }
        const [, direction, kind, method, id] = match;
        let payload;
        const body = /\n(?:Params|Result): ([\s\S]*)$/.exec(line);
        if (body !== null) {
            try {
                payload = JSON.parse(body[1]);
            } catch {
                payload = undefined;
            }
        }
        messages.push({ direction: direction.toLowerCase(), kind, method, id, payload });
    }
    return messages;
}

/** Polls `probe` until it returns something truthy; rejects with `what` after `ms`. */
async function waitFor(probe, ms, what) {
    const deadline = Date.now() + ms;
    for (;;) {
        const value = await probe();
        if (value) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
    }
}

/** A diagnostic's rule id: VS Code keeps `code` as `{ value, target }` when the server links a page. */
function ruleOf(diagnostic) {
    return typeof diagnostic.code === 'object' && diagnostic.code !== null ? diagnostic.code.value : diagnostic.code;
}

module.exports = { EXTENSION_ROOT, serverArgv, serverPython, machine, writeProgram, tracedMessages, waitFor, ruleOf };
