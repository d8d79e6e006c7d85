/**
 * The VS Code side of http-status-ls: starts the language server for Python, YAML and OpenAPI JSON
 * files and passes the `httpStatus.*` settings to it. Every feature (hover, completion, diagnostics,
 * code actions, inlay hints) lives in the server; this file only connects the two.
 *
 * The server is the Python package the .vsix carries in bundled/ (see scripts/package.mjs), run with
 * an interpreter chosen as ./serverCommand.ts and ./pythonInterpreter.ts describe, unless the user's
 * `httpStatus.server.command` names another.
 */

import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';

import * as vscode from 'vscode';
import {
    CloseAction,
    DidChangeConfigurationNotification,
    ErrorAction,
    type ErrorHandler,
    LanguageClient,
    type LanguageClientOptions,
    State,
    type Middleware,
    type ServerOptions,
} from 'vscode-languageclient/node';

import {
    bundledServerCommand,
    choosePython,
    noUsablePythonMessage,
    type Probe,
    processProbe,
    versionText,
} from './pythonInterpreter';
import { pythonExtensionInterpreter, pythonExtensionPresent } from './pythonExtension';
import {
    type CommandProblem,
    describeCandidate,
    explicitServerCommand,
    isProblem,
    type LaunchSettings,
    pythonCandidates,
    realMachine,
    type ServerCommand,
} from './serverCommand';

export { explicitServerCommand, pythonCandidates, describeCandidate } from './serverCommand';
export { choosePython, refusalReason, noUsablePythonMessage, processProbe, MINIMUM_PYTHON } from './pythonInterpreter';

const SECTION = 'httpStatus';
const CLIENT_ID = 'httpStatus';
const CLIENT_NAME = 'HTTP Status Codes';

/**
 * JSON files the server is started for and given: OpenAPI and Swagger descriptions by their usual
 * names. Other JSON (package.json, tsconfig.json ...) is left alone, so a workspace that merely has
 * JSON does not start a Python process. package.json's `workspaceContains` activation events list
 * the same patterns (a test holds them equal).
 */
export const OPENAPI_JSON_FILES = ['**/openapi*.json', '**/swagger*.json', '**/*.openapi.json', '**/*.swagger.json'] as const;

/** The documents the server analyses: all Python and YAML, and OpenAPI JSON by name. */
export const DOCUMENT_SELECTOR: readonly { scheme: string; language: string; pattern?: string }[] = [
    ...['python', 'yaml'].flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
    ]),
    // An untitled JSON document has no name to match, so only saved files qualify.
    ...['json', 'jsonc'].flatMap((language) => OPENAPI_JSON_FILES.map((pattern) => ({ scheme: 'file', language, pattern }))),
];

/** The script that runs the bundled server (and answers `--probe`), relative to the extension's root. */
const LAUNCHER = path.join('bundled', 'tool', 'launch_server.py');

/** Settings the extension itself uses to launch and trace the server; the server never sees them. */
const CLIENT_ONLY_KEYS = new Set(['server', 'trace']);

/** What `activate` returns: other extensions (and the tests) can reach the running client. */
export interface HttpStatusApi {
    readonly client: LanguageClient | undefined;
    readonly serverCommand: ServerCommand | undefined;
    restart(): Promise<void>;
}

/** Options for a client built outside `activate`; the tests use them to try the push path. */
export interface ClientExtras {
    middleware?: Middleware;
    /** Leave pull diagnostics out of the client capabilities, as editors without them do. */
    withoutPullDiagnostics?: boolean;
}

/**
 * The `httpStatus` section as the server wants it: only what the user set (user, workspace or folder
 * settings), without the launch settings. Defaults stay out on purpose: the server has the same
 * defaults, and sending them would hide the project's `[tool.http-status-ls]` in pyproject.toml.
 * Everything else goes through as written, so the server can name a misspelt key in its message.
 */
export function serverSettings(scope?: vscode.Uri): Record<string, unknown> {
    const configuration = vscode.workspace.getConfiguration(SECTION, scope);
    const whole = vscode.workspace.getConfiguration(undefined, scope).get<Record<string, unknown>>(SECTION) ?? {};
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(whole)) {
        if (CLIENT_ONLY_KEYS.has(key)) {
            continue;
        }
        const seen = configuration.inspect<unknown>(key);
        const layers: unknown[] = [seen?.globalValue, seen?.workspaceValue, seen?.workspaceFolderValue].filter((v) => v !== undefined);
        if (layers.length > 0) {
            // Copy through JSON: configuration objects are frozen proxies that do not cross the wire well.
            result[key] = JSON.parse(JSON.stringify(layers.reduce((merged: unknown, layer: unknown) => mergeSettings(merged, layer))));
        }
    }
    return result;
}

/** A narrower settings layer over a wider one, objects merged key by key as VS Code does. */
function mergeSettings(wider: unknown, narrower: unknown): unknown {
    const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (!isObject(wider) || !isObject(narrower)) {
        return narrower;
    }
    const merged: Record<string, unknown> = { ...wider };
    for (const [key, value] of Object.entries(narrower)) {
        merged[key] = mergeSettings(merged[key], value);
    }
    return merged;
}

/** Why no server could be started: the message, and whether Python was what was missing. */
interface LaunchProblem extends CommandProblem {
    noPython?: boolean;
}

const probeInterpreter: Probe = processProbe();
/** out/extension.js -> the extension's root, in the .vsix and in a checkout alike. */
const EXTENSION_ROOT = path.resolve(__dirname, '..');

/**
 * The server command from the current settings and machine, or a message naming what to fix. Each
 * interpreter tried and the reason it was refused go to the log as they happen.
 */
export async function currentServerCommand(log: vscode.LogOutputChannel): Promise<ServerCommand | LaunchProblem> {
    const configuration = vscode.workspace.getConfiguration(`${SECTION}.server`);
    const settings: LaunchSettings = { command: configuration.get('command'), interpreter: configuration.get('interpreter') };
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    const trusted = vscode.workspace.isTrusted !== false;
    const machine = realMachine(folders[0]?.uri.fsPath, trusted ? [] : folders.map((folder) => folder.uri.fsPath));

    const explicit = explicitServerCommand(settings, machine);
    if (explicit !== undefined) {
        return explicit;
    }
    let fromPythonExtension: string | undefined;
    const interpreter = settings.interpreter;
    if (interpreter === undefined || interpreter === null || (typeof interpreter === 'string' && interpreter.trim() === '')) {
        if (trusted) {
            fromPythonExtension = await pythonExtensionInterpreter(folders[0]?.uri, log, onPythonEnvironmentChange, extensionSubscriptions);
        } else {
            // Its choice may well be the workspace's own virtual environment, i.e. the workspace's code.
            log.info("The workspace is not trusted: the Python extension's interpreter is not used; looking for Python on PATH.");
        }
    }
    const candidates = pythonCandidates(settings, machine, fromPythonExtension);
    if (isProblem(candidates)) {
        return candidates;
    }
    const launcher = path.join(EXTENSION_ROOT, LAUNCHER);
    const choice = await choosePython(candidates, launcher, probeInterpreter);
    for (const refusal of choice.refusals) {
        log.warn(`Not using ${describeCandidate(refusal.candidate)}: ${refusal.reason}.`);
    }
    if (choice.chosen === undefined) {
        return { error: noUsablePythonMessage(choice.refusals, pythonExtensionPresent()), noPython: true };
    }
    const { candidate, answer } = choice.chosen;
    const libraries = answer.bundled ? 'the libraries bundled in the extension' : "the interpreter's own packages (no bundled/libs here)";
    log.info(
        `Python ${versionText(answer)} at ${answer.executable} (${describeCandidate(candidate)}) runs http-status-ls ` +
            `${answer.server ?? ''} from ${libraries}${answer.libyaml === false ? ', without libyaml (YAML is read more slowly)' : ''}.`,
    );
    return bundledServerCommand(candidate, launcher);
}

export function createLanguageClient(
    serverCommand: ServerCommand,
    outputChannel: vscode.LogOutputChannel,
    extras: ClientExtras = {},
): LanguageClient {
    const executable = { command: serverCommand.command, args: serverCommand.args };
    const serverOptions: ServerOptions = { run: executable, debug: executable };
    const middleware: Middleware = {
        ...extras.middleware,
        workspace: {
            ...extras.middleware?.workspace,
            // Answer `workspace/configuration` for our section without the launch settings.
            configuration: async (params, token, next) => {
                const answers = await next(params, token);
                if (!Array.isArray(answers)) {
                    return answers;
                }
                return params.items.map((item, index) =>
                    item.section === SECTION
                        ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
                        : answers[index],
                );
            },
            // The same for `workspace/didChangeConfiguration`, which would otherwise send the whole section.
            didChangeConfiguration: async () => {
                await languageClient.sendNotification(DidChangeConfigurationNotification.type, {
                    settings: { [SECTION]: serverSettings() },
                });
            },
        },
    };
    let hasRun = false;
    const clientOptions: LanguageClientOptions = {
        documentSelector: DOCUMENT_SELECTOR.map((filter) => ({ ...filter })),
        synchronize: { configurationSection: SECTION },
        // Pull again after every edit; VS Code's client does by default, said here because it matters.
        diagnosticPullOptions: { onChange: true, onSave: false },
        initializationOptions: { [SECTION]: serverSettings() },
        outputChannel,
        traceOutputChannel: outputChannel,
        stdioOptions: { stdout: forwardServerLog, stderr: forwardServerLog },
        middleware,
        errorHandler: quietErrorHandler(outputChannel, () => hasRun),
        // A server that fails to initialise is reported once, by `startServer`, with the setting to fix;
        // without this handler the client would also pop up its own three generic messages.
        initializationFailedHandler: (error) => {
            outputChannel.error(`Server initialization failed: ${error instanceof Error ? error.message : String(error)}`);
            return false;
        },
    };
    const languageClient = new HttpStatusClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    languageClient.onDidChangeState((event) => {
        hasRun ||= event.newState === State.Running;
    });
    if (extras.withoutPullDiagnostics) {
        languageClient.registerFeature({
            fillClientCapabilities(capabilities) {
                delete capabilities.textDocument?.diagnostic;
                delete capabilities.workspace?.diagnostics;
            },
            initialize() {},
            getState: () => ({ kind: 'static' }),
            clear() {},
        });
    }
    return languageClient;
}

/**
 * Copies the server's log (its stderr) to the output channel at the level each record was written
 * with (`2025-01-01 12:00:00,000 WARNING http_status_ls: ...`), so that the channel's level filter
 * works; the client's default would mark every line an error. Lines without a level, such as the
 * rest of a traceback, keep the level of the record they belong to.
 */
function forwardServerLog(input: Readable, channel: vscode.LogOutputChannel): void {
    let level: 'trace' | 'debug' | 'info' | 'warn' | 'error' = 'info';
    const levels = { DEBUG: 'debug', INFO: 'info', WARNING: 'warn', ERROR: 'error', CRITICAL: 'error' } as const;
    readline.createInterface({ input, crlfDelay: Infinity, terminal: false }).on('line', (line) => {
        const match = /^(?:\S+ \S+ )?(DEBUG|INFO|WARNING|ERROR|CRITICAL)\b/.exec(line);
        if (match !== null) {
            level = levels[match[1] as keyof typeof levels];
        }
        channel[level](line);
    });
}

/**
 * The stock client, except that stopping one whose server failed while starting is not an error.
 * When initialisation fails the library itself calls `stop()` without waiting for it, and that call
 * rejects ("Client is not running and can't be stopped") with nobody to catch it.
 */
class HttpStatusClient extends LanguageClient {
    override async stop(timeout?: number): Promise<void> {
        const starting = this.state === State.Starting;
        try {
            await super.stop(timeout);
        } catch (error) {
            if (!starting) {
                throw error;
            }
        }
    }
}

/**
 * Restarts a server that crashes, up to 4 times in 3 minutes, like the client's default, but logs to
 * the output channel instead of raising a message for every transient error, and when it gives up it
 * says which command brings the server back.
 */
function quietErrorHandler(channel: vscode.LogOutputChannel, hasRun: () => boolean): ErrorHandler {
    const restarts: number[] = [];
    return {
        error: (error, _message, count) => {
            channel.error(`Connection to the server failed: ${error.message}`);
            return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
        },
        closed: () => {
            if (!hasRun()) {
                // It never got going: `startServer` reports that with the setting to fix; retrying cannot help.
                return { action: CloseAction.DoNotRestart, handled: true };
            }
            const now = Date.now();
            restarts.push(now);
            while (restarts.length > 0 && now - restarts[0] > 3 * 60 * 1000) {
                restarts.shift();
            }
            if (restarts.length <= 4) {
                channel.warn('The server stopped; restarting it.');
                return { action: CloseAction.Restart, handled: true };
            }
            return {
                action: CloseAction.DoNotRestart,
                message:
                    'The http-status-ls server stopped 5 times in 3 minutes and will not be restarted. ' +
                    'See "HTTP Status: Show Server Output", then run "HTTP Status: Restart Server".',
            };
        },
    };
}

let client: LanguageClient | undefined;
let serverCommand: ServerCommand | undefined;
let outputChannel: vscode.LogOutputChannel | undefined;
/** The extension context's subscriptions, for what subscribes after activation (the Python extension's event). */
let extensionSubscriptions: { dispose(): unknown }[] = [];

async function startServer(): Promise<void> {
    const channel = outputChannel!;
    const chosen = await currentServerCommand(channel);
    if (isProblem(chosen)) {
        channel.error(chosen.error);
        void showProblem(chosen.error, (chosen as LaunchProblem).noPython === true);
        return;
    }
    serverCommand = chosen;
    const commandLine = [chosen.command, ...chosen.args].join(' ');
    channel.info(`Starting ${commandLine} (from ${chosen.source})`);
    const candidate = createLanguageClient(chosen, channel);
    try {
        await candidate.start();
        client = candidate;
    } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const message =
            chosen.source === 'httpStatus.server.command'
                ? `The language server "${commandLine}" (from httpStatus.server.command) did not start: ${reason}. ` +
                  'Its error output is in "HTTP Status: Show Server Output". Check that the program is http-status-ls, or clear that setting.'
                : `The bundled language server did not start with "${chosen.command}" (from ${chosen.source}): ${reason}. ` +
                  'Its error output is in "HTTP Status: Show Server Output".';
        channel.error(message);
        void showProblem(message, false);
        await candidate.dispose().catch(() => undefined);
    }
}

async function stopServer(): Promise<void> {
    const running = client;
    client = undefined;
    serverCommand = undefined;
    if (running !== undefined) {
        await running.dispose(2000).catch((error: unknown) => outputChannel?.warn(`Stopping the server: ${String(error)}`));
    }
}

/** Restarts run one after another, so a settings change and the command cannot start two servers. */
let restarting: Promise<void> = Promise.resolve();

function restartServer(): Promise<void> {
    restarting = restarting.then(stopServer).then(startServer);
    return restarting;
}

/**
 * A new interpreter selected in the Python extension: restart when that selection is what runs the
 * server, or when no server runs (the new one may be the Python that was missing). A server the
 * user's own settings chose is left alone.
 */
function onPythonEnvironmentChange(): void {
    if (serverCommand === undefined || serverCommand.source === 'Python extension' || serverCommand.source === 'PATH') {
        outputChannel?.info('The Python extension selected another interpreter; restarting the server.');
        void restartServer();
    }
}

async function showProblem(message: string, noPython: boolean): Promise<void> {
    const selectInterpreter = 'Select Interpreter';
    const openSettings = 'Open Settings';
    const showOutput = 'Show Output';
    const actions = noPython && pythonExtensionPresent() ? [selectInterpreter, openSettings, showOutput] : [openSettings, showOutput];
    const choice = await vscode.window.showErrorMessage(`HTTP Status Codes: ${message}`, ...actions);
    if (choice === selectInterpreter) {
        await vscode.commands.executeCommand('python.setInterpreter');
    } else if (choice === openSettings) {
        await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server`);
    } else if (choice === showOutput) {
        outputChannel?.show();
    }
}

export async function activate(context: vscode.ExtensionContext): Promise<HttpStatusApi> {
    outputChannel = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
    extensionSubscriptions = context.subscriptions;
    context.subscriptions.push(
        outputChannel,
        vscode.commands.registerCommand('httpStatus.restartServer', restartServer),
        vscode.commands.registerCommand('httpStatus.showOutput', () => outputChannel?.show()),
        vscode.workspace.onDidChangeConfiguration((event) => {
            // A different server program needs a new process; other settings reach the running one.
            if (event.affectsConfiguration(`${SECTION}.server`)) {
                void restartServer();
            }
        }),
        // Trust lets the workspace's own settings and its Python environment be used: choose again.
        vscode.workspace.onDidGrantWorkspaceTrust(() => void restartServer()),
        { dispose: () => void stopServer() },
    );
    await startServer();
    return {
        get client() {
            return client;
        },
        get serverCommand() {
            return serverCommand;
        },
        restart: restartServer,
    };
}

export async function deactivate(): Promise<void> {
    // A restart under way (a settings change, a new interpreter) would otherwise start a server
    // after this stop, and leave it running.
    await restarting.catch(() => undefined);
    await stopServer();
}
