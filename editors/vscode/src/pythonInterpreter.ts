/**
 * Whether a Python interpreter can run the server this extension carries, and which of the
 * candidates (./serverCommand.ts lists them) to use.
 *
 * Each candidate runs `bundled/tool/launch_server.py --probe`, which prints its version and whether
 * the bundled libraries load in it. That is the real test: the .vsix carries compiled parts
 * (tree-sitter, libyaml) for particular CPython versions on one platform, and only importing them
 * says whether this interpreter can use them. The first candidate that passes runs the server; the
 * others' reasons are kept for the output channel and for the one message shown when none passes.
 */

import { execFile } from 'node:child_process';

import { describeCandidate, type PythonCandidate, type ServerCommand } from './serverCommand';

export const MINIMUM_PYTHON: readonly [number, number] = [3, 10];
const MINIMUM_TEXT = MINIMUM_PYTHON.join('.');

/** What `launch_server.py --probe` prints (one JSON line). */
export interface ProbeAnswer {
    version: number[];
    executable: string;
    implementation?: string;
    /** Whether the extension's bundled/libs exists (not in a checkout of the repository). */
    bundled?: boolean;
    /** What the .vsix was built for, from bundled/build.json. */
    build?: { target?: string; pythons?: string[] } | null;
    /** The server's version, when everything loaded. */
    server?: string;
    libyaml?: boolean;
    /** Why the libraries did not load. */
    error?: string;
}

export type ProbeOutcome = { answer: ProbeAnswer } | { failure: string };
export type Probe = (command: string, args: string[]) => Promise<ProbeOutcome>;

export interface Refusal {
    candidate: PythonCandidate;
    reason: string;
}

export interface PythonChoice {
    chosen?: { candidate: PythonCandidate; answer: ProbeAnswer };
    refusals: Refusal[];
}

/** The first candidate whose probe passes, and why each one before it was refused. */
export async function choosePython(candidates: PythonCandidate[], launcher: string, probe: Probe): Promise<PythonChoice> {
    const refusals: Refusal[] = [];
    for (const candidate of candidates) {
        if (candidate.command === undefined) {
            refusals.push({ candidate, reason: candidate.missing ?? 'not found' });
            continue;
        }
        const outcome = await probe(candidate.command, [...candidate.prefixArgs, launcher, '--probe']);
        if ('failure' in outcome) {
            refusals.push({ candidate, reason: outcome.failure });
            continue;
        }
        const reason = refusalReason(outcome.answer);
        if (reason !== undefined) {
            refusals.push({ candidate, reason });
            continue;
        }
        return { chosen: { candidate, answer: outcome.answer }, refusals };
    }
    return { refusals };
}

/** Why this interpreter cannot run the bundled server, or undefined when it can. */
export function refusalReason(answer: ProbeAnswer): string | undefined {
    const version = versionText(answer);
    const [major = 0, minor = 0] = answer.version;
    if (major < MINIMUM_PYTHON[0] || (major === MINIMUM_PYTHON[0] && minor < MINIMUM_PYTHON[1])) {
        return `Python ${version} is older than ${MINIMUM_TEXT}`;
    }
    if (answer.error !== undefined) {
        const built = answer.build?.pythons?.length
            ? `; this extension carries them for CPython ${answer.build.pythons.join(', ')} on ${answer.build.target ?? 'its platform'}`
            : '';
        return `the server's libraries do not load in ${answer.implementation ?? 'Python'} ${version} (${answer.error})${built}`;
    }
    return undefined;
}

export function versionText(answer: ProbeAnswer): string {
    return answer.version.join('.');
}

/** The bundled server, run by the chosen interpreter. */
export function bundledServerCommand(candidate: PythonCandidate, launcher: string): ServerCommand {
    return { command: candidate.command!, args: [...candidate.prefixArgs, launcher], source: candidate.source };
}

/**
 * The one message shown when no interpreter can run the server: what is needed and what to do.
 * Which interpreters were tried, and why each was refused, is in the output channel.
 */
export function noUsablePythonMessage(refusals: Refusal[], pythonExtensionPresent: boolean): string {
    const tried = refusals.map((refusal) => `${describeCandidate(refusal.candidate)}: ${refusal.reason}`).join('; ');
    const select = pythonExtensionPresent ? 'select one with "Python: Select Interpreter", ' : '';
    return (
        `The language server needs Python ${MINIMUM_TEXT} or newer, and none was usable (${tried}). ` +
        `Install Python ${MINIMUM_TEXT}+ so that ${process.platform === 'win32' ? '"python"' : '"python3"'} on PATH is that version, ` +
        `${select}or set "httpStatus.server.interpreter" to one; then run "HTTP Status: Restart Server".`
    );
}

/** Runs the probe as a child process; gives up after `timeoutMs` (a cold start can be slow). */
export function processProbe(timeoutMs = 20_000): Probe {
    return (command, args) =>
        new Promise((resolve) => {
            execFile(command, args, { timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
                const line = stdout.split(/\r?\n/).find((text) => text.trimStart().startsWith('{'));
                if (line !== undefined) {
                    try {
                        const answer = JSON.parse(line) as ProbeAnswer;
                        if (Array.isArray(answer.version)) {
                            resolve({ answer });
                            return;
                        }
                    } catch {
                        // not the probe's answer: reported below with what the program said
                    }
                }
                const said = `${stderr}\n${stdout}`.trim().split(/\r?\n/).slice(-3).join(' | ');
                const why = error?.killed ? `did not answer within ${timeoutMs / 1000} s` : `did not run the probe${error ? ` (${error.message.split('\n')[0]})` : ''}`;
                resolve({ failure: said === '' ? why : `${why}: ${said}` });
            });
        });
}
