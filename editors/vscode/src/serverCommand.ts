/**
 * Which process to start as the language server, decided from the user's settings.
 *
 * Order: `httpStatus.server.command` (an argv array), else `httpStatus.server.interpreter` with
 * `-m http_status_ls`, else `http-status-ls` found on PATH. When none of them can work the answer is
 * a message that names the setting to change, because "server not found" alone sends people hunting.
 *
 * Nothing here imports `vscode`: the settings come in as a plain reader and the file system as a
 * probe, so the decision is testable without an editor.
 */

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const SERVER_EXECUTABLE = 'http-status-ls';
export const SERVER_MODULE = 'http_status_ls';

/** How the command was chosen; shown in the output channel and in error messages. */
export type CommandSource = 'httpStatus.server.command' | 'httpStatus.server.interpreter' | 'PATH';

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
    isExecutableFile(file: string): boolean;
}

export const realMachine = (workspaceFolder?: string): Machine => ({
    env: process.env,
    platform: process.platform,
    workspaceFolder,
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

const INSTALL_HINT =
    `Install the server (e.g. \`pipx install .\` in a checkout of ${SERVER_EXECUTABLE}), ` +
    'or set "httpStatus.server.command" (e.g. ["/path/to/.venv/bin/http-status-ls"]) ' +
    'or "httpStatus.server.interpreter" (a Python that has it installed).';

export function isProblem(value: ServerCommand | CommandProblem): value is CommandProblem {
    return (value as CommandProblem).error !== undefined;
}

export function resolveServerCommand(settings: LaunchSettings, machine: Machine): ServerCommand | CommandProblem {
    const argv = settings.command;
    if (argv !== undefined && argv !== null && !(Array.isArray(argv) && argv.length === 0)) {
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
                    `${looksLikePath(program) ? 'or is not executable' : 'on PATH'}. Fix that setting or clear it to use ` +
                    `"httpStatus.server.interpreter" or "${SERVER_EXECUTABLE}" on PATH.`,
            };
        }
        return { command: found, args, source: 'httpStatus.server.command' };
    }

    const interpreter = settings.interpreter;
    if (typeof interpreter === 'string' && interpreter.trim() !== '') {
        const program = expand(interpreter.trim(), machine);
        const found = findProgram(program, machine);
        if (found === undefined) {
            return {
                error:
                    `The Python interpreter "${program}" from the setting "httpStatus.server.interpreter" was not found ` +
                    `${looksLikePath(program) ? 'or is not executable' : 'on PATH'}. Fix that setting or clear it to use ` +
                    `"${SERVER_EXECUTABLE}" on PATH.`,
            };
        }
        return { command: found, args: ['-m', SERVER_MODULE], source: 'httpStatus.server.interpreter' };
    }
    if (interpreter !== undefined && interpreter !== null && typeof interpreter !== 'string') {
        return { error: `The setting "httpStatus.server.interpreter" must be a path to a Python interpreter; got ${JSON.stringify(interpreter)}.` };
    }

    const onPath = findOnPath(SERVER_EXECUTABLE, machine);
    if (onPath === undefined) {
        return { error: `"${SERVER_EXECUTABLE}" was not found on PATH. ${INSTALL_HINT}` };
    }
    return { command: onPath, args: [], source: 'PATH' };
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

function findProgram(program: string, machine: Machine): string | undefined {
    if (!looksLikePath(program)) {
        return findOnPath(program, machine);
    }
    const pathApi = machine.platform === 'win32' ? path.win32 : path.posix;
    const absolute =
        pathApi.isAbsolute(program) || machine.workspaceFolder === undefined
            ? program
            : pathApi.join(machine.workspaceFolder, program);
    for (const candidate of withExtensions(absolute, machine)) {
        if (machine.isExecutableFile(candidate)) {
            return candidate;
        }
    }
    return undefined;
}

function findOnPath(name: string, machine: Machine): string | undefined {
    const pathApi = machine.platform === 'win32' ? path.win32 : path.posix;
    const pathVariable = machine.env.PATH ?? machine.env.Path ?? '';
    for (const directory of pathVariable.split(pathApi.delimiter)) {
        if (directory === '') {
            continue;
        }
        for (const candidate of withExtensions(pathApi.join(directory, name), machine)) {
            if (machine.isExecutableFile(candidate)) {
                return candidate;
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
