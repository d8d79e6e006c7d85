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

module.exports = { EXTENSION_ROOT, serverArgv, tracedMessages, waitFor, ruleOf };
