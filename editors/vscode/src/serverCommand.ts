/**
 * Which process to start as the language server, decided from the user's settings.
 *
 * `httpStatus.server.command` (an argv array) wins and is run as written. Otherwise the extension
 * runs the server it carries (bundled/) with a Python interpreter: the one `httpStatus.server.interpreter`
 * names, else the Python extension's choice for the workspace, else `python3` on PATH (`python`, then
 * the `py -3` launcher, on Windows). This module lists those candidates; ./pythonInterpreter.ts asks
 * each whether it can run the server.
 *
 * Nothing here imports `vscode`: the settings come in as a plain reader and the file system as a
 * probe, so the decision is testable without an editor.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where a server command or an interpreter came from; shown in the output channel and in messages. */
export type CommandSource = 'httpStatus.server.command' | 'httpStatus.server.interpreter' | 'Python extension' | 'PATH';

export interface ServerCommand {
    command: string;
    args: string[];
    source: CommandSource;
}

export interface CommandProblem {
    error: string;
}

/** The two settings that pick the server, read from wherever they live. */
export interface LaunchSettings {
    command?: unknown;
    interpreter?: unknown;
}

/** What the search needs from the machine; tests substitute their own. */
export interface Machine {
    env: NodeJS.ProcessEnv;
    platform: NodeJS.Platform;
    /** The first workspace folder, against which relative paths and `${workspaceFolder}` resolve. */
    workspaceFolder?: string;
    /**
     * The workspace's folders while the workspace is not trusted (else empty): a program inside one
     * of them is the workspace's own code, which an untrusted workspace must not get to run.
     */
    untrustedFolders?: string[];
    isExecutableFile(file: string): boolean;
}

export const realMachine = (workspaceFolder?: string, untrustedFolders: string[] = []): Machine => ({
    env: process.env,
    platform: process.platform,
    workspaceFolder,
    untrustedFolders,
    isExecutableFile(file: string): boolean {
        try {
            if (!fs.statSync(file).isFile()) {
                return false;
            }
            // Windows has no execute bit; the extension (PATHEXT) is what makes a file runnable there.
            if (process.platform !== 'win32') {
                fs.accessSync(file, fs.constants.X_OK);
            }
            return true;
        } catch {
            return false;
        }
    },
});

export function isProblem(value: unknown): value is CommandProblem {
    return typeof value === 'object' && value !== null && typeof (value as CommandProblem).error === 'string';
}

/**
 * The server command from `httpStatus.server.command`, a message naming that setting when it cannot
 * work, or undefined when it is not set (the bundled server is used then).
 */
export function explicitServerCommand(settings: LaunchSettings, machine: Machine): ServerCommand | CommandProblem | undefined {
    const argv = settings.command;
    if (argv === undefined || argv === null || (Array.isArray(argv) && argv.length === 0)) {
        return undefined;
    }
    if (!Array.isArray(argv) || !argv.every((part) => typeof part === 'string') || argv[0].trim() === '') {
        return {
            error:
                'The setting "httpStatus.server.command" must be a list of strings, the program first, ' +
                `e.g. ["http-status-ls"]; got ${JSON.stringify(argv)}.`,
        };
    }
    const [program, ...args] = argv.map((part) => expand(part, machine));
    const found = findProgram(program, machine);
    if (found === undefined) {
        return {
            error:
                `The program "${program}" from the setting "httpStatus.server.command" was not found ` +
                `${looksLikePath(program) ? 'or is not executable' : 'on PATH'}. Fix that setting, or clear it ` +
                'to use the server this extension carries.',
        };
    }
    const untrusted = untrustedFolderOf(found, machine);
    if (untrusted !== undefined) {
        return {
            error:
                `The program "${found}" from the setting "httpStatus.server.command" is inside the folder ${untrusted}, ` +
                'and this workspace is not trusted. Trust the workspace to run it, or clear the setting.',
        };
    }
    return { command: found, args, source: 'httpStatus.server.command' };
}

/** A Python that might run the bundled server: found (`command`) or not (`missing` says why). */
export interface PythonCandidate {
    /** How the setting, the Python extension or PATH named it. */
    name: string;
    /** The program to run, when it was found. */
    command?: string;
    /** Arguments before the script: the Windows launcher needs `-3`. */
    prefixArgs: string[];
    source: Exclude<CommandSource, 'httpStatus.server.command'>;
    missing?: string;
}

/**
 * The interpreters to try for the bundled server, in order. `httpStatus.server.interpreter`, when
 * set, is the only one: the user chose it, and quietly using another would hide a broken setting.
 * `fromPythonExtension` is the Python extension's interpreter for the workspace, looked up by the
 * caller (it needs the `vscode` API).
 */
export function pythonCandidates(settings: LaunchSettings, machine: Machine, fromPythonExtension?: string): PythonCandidate[] | CommandProblem {
    const interpreter = settings.interpreter;
    if (interpreter !== undefined && interpreter !== null && typeof interpreter !== 'string') {
        return { error: `The setting "httpStatus.server.interpreter" must be a path to a Python interpreter; got ${JSON.stringify(interpreter)}.` };
    }
    if (typeof interpreter === 'string' && interpreter.trim() !== '') {
        return [candidate(expand(interpreter.trim(), machine), [], 'httpStatus.server.interpreter', machine)];
    }
    const candidates: PythonCandidate[] = [];
    if (fromPythonExtension !== undefined && fromPythonExtension.trim() !== '') {
        candidates.push(candidate(fromPythonExtension.trim(), [], 'Python extension', machine));
    }
    if (machine.platform === 'win32') {
        candidates.push(candidate('python', [], 'PATH', machine), candidate('py', ['-3'], 'PATH', machine));
    } else {
        candidates.push(candidate('python3', [], 'PATH', machine));
    }
    return candidates;
}

function candidate(name: string, prefixArgs: string[], source: PythonCandidate['source'], machine: Machine): PythonCandidate {
    const found = findProgram(name, machine);
    if (found === undefined) {
        const missing = looksLikePath(name) ? 'not found, or not executable' : 'not found on PATH';
        return { name, prefixArgs, source, missing };
    }
    const untrusted = untrustedFolderOf(found, machine);
    if (untrusted !== undefined) {
        return { name, prefixArgs, source, missing: `inside the folder ${untrusted} of this untrusted workspace, so not run` };
    }
    return { name, command: found, prefixArgs, source };
}

/** `"python3" on PATH (/usr/bin/python3)`: what a candidate is, for the log and the message. */
export function describeCandidate(candidate: PythonCandidate): string {
    const name = [candidate.name, ...candidate.prefixArgs].join(' ');
    const where = candidate.command !== undefined && candidate.command !== candidate.name ? ` (${candidate.command})` : '';
    switch (candidate.source) {
        case 'httpStatus.server.interpreter':
            return `"${name}" from the setting "httpStatus.server.interpreter"${where}`;
        case 'Python extension':
            return `the Python extension's interpreter "${name}"${where}`;
        default:
            return `"${name}" on PATH${where}`;
    }
}

/** `${workspaceFolder}`, `${env:NAME}` and a leading `~`, the substitutions people expect in paths. */
function expand(value: string, machine: Machine): string {
    let result = value.replace(/\$\{env:([^}]+)\}/g, (_match, name: string) => machine.env[name] ?? '');
    if (machine.workspaceFolder !== undefined) {
        result = result.replace(/\$\{workspaceFolder\}/g, machine.workspaceFolder);
    }
    if (result === '~' || result.startsWith('~/') || result.startsWith('~\\')) {
        result = path.join(machine.env.HOME ?? os.homedir(), result.slice(1));
    }
    return result;
}

function looksLikePath(program: string): boolean {
    return program.includes('/') || program.includes('\\');
}

function pathApiOf(machine: Machine): typeof path.posix {
    return machine.platform === 'win32' ? path.win32 : path.posix;
}

function untrustedFolderOf(file: string, machine: Machine): string | undefined {
    const pathApi = pathApiOf(machine);
    return (machine.untrustedFolders ?? []).find((folder) => {
        const relative = pathApi.relative(folder, file);
        return relative === '' || (!relative.startsWith('..') && !pathApi.isAbsolute(relative));
    });
}

function findProgram(program: string, machine: Machine): string | undefined {
    if (!looksLikePath(program)) {
        return findOnPath(program, machine);
    }
    const pathApi = pathApiOf(machine);
    const absolute =
        pathApi.isAbsolute(program) || machine.workspaceFolder === undefined
            ? program
            : pathApi.join(machine.workspaceFolder, program);
    for (const file of withExtensions(absolute, machine)) {
        if (machine.isExecutableFile(file)) {
            return file;
        }
    }
    return undefined;
}

function findOnPath(name: string, machine: Machine): string | undefined {
    const pathApi = pathApiOf(machine);
    const pathVariable = machine.env.PATH ?? machine.env.Path ?? '';
    for (const directory of pathVariable.split(pathApi.delimiter)) {
        if (directory === '') {
            continue;
        }
        for (const file of withExtensions(pathApi.join(directory, name), machine)) {
            if (machine.isExecutableFile(file)) {
                return file;
            }
        }
    }
    return undefined;
}

function withExtensions(file: string, machine: Machine): string[] {
    if (machine.platform !== 'win32' || path.win32.extname(file) !== '') {
        return [file];
    }
    const extensions = (machine.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
    return [file, ...extensions.map((extension) => file + extension.toLowerCase())];
}
