/**
 * The interpreter the Python extension (ms-python.python) selected for the workspace, when that
 * extension is installed. Its API is read through the small shape below rather than its npm facade,
 * so the bundle stays free of it; the names are those of the extension's `environments` API.
 */

import * as vscode from 'vscode';

export const PYTHON_EXTENSION_ID = 'ms-python.python';

/** Long enough for the Python extension to start and to run the interpreter it resolves. */
const PYTHON_EXTENSION_TIMEOUT_MS = 15_000;

interface EnvironmentPath {
    readonly id: string;
    readonly path: string;
}

interface PythonEnvironmentsApi {
    getActiveEnvironmentPath(resource?: vscode.Uri): EnvironmentPath;
    resolveEnvironment(environment: EnvironmentPath | string): Promise<{ readonly executable: { readonly uri?: vscode.Uri } } | undefined>;
    readonly onDidChangeActiveEnvironmentPath?: vscode.Event<Partial<EnvironmentPath> | undefined>;
}

interface PythonExtensionApi {
    readonly environments?: PythonEnvironmentsApi;
}

export function pythonExtensionPresent(): boolean {
    return vscode.extensions.getExtension(PYTHON_EXTENSION_ID) !== undefined;
}

/**
 * The path of the selected interpreter for `resource`'s folder, or undefined (with the reason in the
 * log) when there is no Python extension, it does not answer in time, or it has no interpreter.
 * `onChange` is subscribed once, so a new selection can restart the server.
 */
export async function pythonExtensionInterpreter(
    resource: vscode.Uri | undefined,
    log: vscode.LogOutputChannel,
    onChange: () => void,
    subscriptions: { dispose(): unknown }[],
): Promise<string | undefined> {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
    if (extension === undefined) {
        log.info('The Python extension is not installed; looking for Python on PATH.');
        return undefined;
    }
    try {
        const api = extension.isActive ? extension.exports : await withTimeout(extension.activate(), 'to start');
        const environments = api?.environments;
        if (environments === undefined || typeof environments.getActiveEnvironmentPath !== 'function') {
            log.warn('The Python extension has no environments API; looking for Python on PATH.');
            return undefined;
        }
        subscribeOnce(environments, onChange, subscriptions);
        const active = environments.getActiveEnvironmentPath(resource);
        lastActivePath = active.path;
        const resolved = await withTimeout(environments.resolveEnvironment(active), 'to resolve its interpreter');
        const executable = resolved?.executable.uri?.fsPath ?? (/[\\/]/.test(active.path) ? active.path : undefined);
        if (executable === undefined) {
            log.info(`The Python extension has no interpreter for this workspace (it said "${active.path}"); looking for Python on PATH.`);
            return undefined;
        }
        log.info(`The Python extension's interpreter for this workspace: ${executable}`);
        return executable;
    } catch (error) {
        log.warn(`The Python extension's interpreter is unknown (${error instanceof Error ? error.message : String(error)}); looking for Python on PATH.`);
        return undefined;
    }
}

const subscribed = new WeakSet<object>();
/** The selection last read, so that an event repeating it (the extension sends some while it starts) changes nothing. */
let lastActivePath: string | undefined;

function subscribeOnce(environments: PythonEnvironmentsApi, onChange: () => void, subscriptions: { dispose(): unknown }[]): void {
    if (subscribed.has(environments) || environments.onDidChangeActiveEnvironmentPath === undefined) {
        return;
    }
    subscribed.add(environments);
    const subscription = environments.onDidChangeActiveEnvironmentPath((event) => {
        if (event?.path === undefined || event.path !== lastActivePath) {
            onChange();
        }
    });
    subscriptions.push({
        dispose: () => {
            subscribed.delete(environments);
            subscription.dispose();
        },
    });
}

function withTimeout<T>(promise: Thenable<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`it took more than ${PYTHON_EXTENSION_TIMEOUT_MS / 1000} s ${what}`)), PYTHON_EXTENSION_TIMEOUT_MS);
        promise.then(
            (value) => {
                clearTimeout(timer);
                resolve(value);
            },
            (error: unknown) => {
                clearTimeout(timer);
                reject(error instanceof Error ? error : new Error(String(error)));
            },
        );
    });
}
