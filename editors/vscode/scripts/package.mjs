// Builds the .vsix with the language server inside (`npm run package`).
//
//     npm run package [-- --target linux-x64] [--publisher ID] [--out FILE] [--python PATH] [--pre-release]
//
// 1. the server's wheel, built from this repository (`pip wheel --no-deps`);
// 2. that wheel and its dependencies installed with pip for every CPython the extension supports
//    (3.10 to 3.14) and the target platform, and merged into bundled/libs: pure-Python files are the
//    same for all of them, and the compiled modules carry the CPython version in their file names
//    (`_binding.cpython-312-x86_64-linux-gnu.so`), so one folder serves every version;
// 3. the extension bundle (esbuild, minified), the manifest with the publisher, the docs and the icon;
// 4. `vsce package --target`, because the compiled modules make the .vsix platform-specific.
//
// Everything is assembled in a temporary folder, removed afterwards: the source tree gets no bundled
// libraries, and two builds at once (tests in parallel) do not share one. The publisher is
// a setting of the build: --publisher, else $VSCE_PUBLISHER, else the manifest's. The Python that
// runs pip: --python, else $PYTHON, else the active virtual environment's, else python3 (python on
// Windows). pip needs the package index (or a mirror it is configured for).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { bundleExtension } from '../esbuild.mjs';

const EXTENSION = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPOSITORY = path.resolve(EXTENSION, '..', '..');

/** The CPython versions whose compiled modules go in; launch_server.py's MINIMUM is the first. */
export const PYTHON_VERSIONS = ['3.10', '3.11', '3.12', '3.13', '3.14'];

/** Files of the extension that go into the .vsix as they are. */
const EXTENSION_FILES = ['README.md', 'CHANGELOG.md', 'LICENSE', 'images/icon.png', 'bundled/tool/launch_server.py'];

function range(from, to) {
    return Array.from({ length: to - from + 1 }, (_, index) => to - index);
}

/**
 * pip's platform tags for each VS Code target, newest first. pip (before 24) does not widen a tag to
 * the older ones a platform also accepts, so the whole list is spelled out: glibc up to 2.28 (what
 * VS Code itself needs on Linux), musl 1.2, macOS 10.9/11 and later.
 */
export function pipPlatforms(target) {
    const manylinux = (arch, oldest) => [
        ...range(oldest, 28).map((minor) => `manylinux_2_${minor}_${arch}`),
        `manylinux2014_${arch}`,
        ...(oldest <= 12 ? [`manylinux2010_${arch}`] : []),
        ...(oldest <= 5 ? [`manylinux1_${arch}`] : []),
    ];
    const musllinux = (arch) => range(0, 2).map((minor) => `musllinux_1_${minor}_${arch}`);
    const macos = (arch) => [
        ...range(11, 15).flatMap((major) => [`macosx_${major}_0_${arch}`, `macosx_${major}_0_universal2`]),
        ...(arch === 'x86_64' ? range(9, 16).flatMap((minor) => [`macosx_10_${minor}_x86_64`, `macosx_10_${minor}_universal2`, `macosx_10_${minor}_intel`]) : []),
    ];
    const platforms = {
        'linux-x64': manylinux('x86_64', 5),
        'linux-arm64': manylinux('aarch64', 17),
        'linux-armhf': manylinux('armv7l', 17),
        'alpine-x64': musllinux('x86_64'),
        'alpine-arm64': musllinux('aarch64'),
        'darwin-x64': macos('x86_64'),
        'darwin-arm64': macos('arm64'),
        'win32-x64': ['win_amd64'],
        'win32-arm64': ['win_arm64'],
    }[target];
    if (platforms === undefined) {
        throw new Error(`unknown target "${target}"; one of linux-x64, linux-arm64, linux-armhf, alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64`);
    }
    return platforms;
}

/** The VS Code target of the machine running the build. */
export function hostTarget() {
    const arch = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[process.arch] ?? process.arch;
    if (process.platform === 'linux') {
        const musl = !process.report?.getReport()?.header?.glibcVersionRuntime;
        return `${musl ? 'alpine' : 'linux'}-${arch}`;
    }
    return `${process.platform}-${arch}`;
}

function run(command, args, options = {}) {
    const shown = [command, ...args].join(' ');
    console.log(`$ ${shown.length > 240 ? `${shown.slice(0, 240)} ...` : shown}`);
    // pip's advice against running as root does not apply to installing into a build folder.
    const env = { ...process.env, PIP_ROOT_USER_ACTION: 'ignore', ...options.env };
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options, env });
    if (result.error !== undefined || result.status !== 0) {
        throw new Error(`${command} failed (${result.error?.message ?? `exit ${result.status}`})`);
    }
}

function buildPython(requested) {
    const candidates = [
        requested,
        process.env.PYTHON,
        process.env.VIRTUAL_ENV && path.join(process.env.VIRTUAL_ENV, process.platform === 'win32' ? 'Scripts\\python.exe' : 'bin/python'),
        process.platform === 'win32' ? 'python' : 'python3',
    ].filter(Boolean);
    for (const python of candidates) {
        const probe = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8' });
        if (probe.status === 0) {
            return python;
        }
        if (python === requested || python === process.env.PYTHON) {
            throw new Error(`${python} cannot run pip (${(probe.stderr || probe.error?.message || '').trim()}); the build needs a Python with pip`);
        }
    }
    throw new Error(`no Python with pip found (tried ${candidates.join(', ')}); pass --python or set PYTHON`);
}

/** name==version of every distribution pip installed into `folder`. */
function installedVersions(folder) {
    return fs
        .readdirSync(folder)
        .filter((name) => name.endsWith('.dist-info'))
        .map((name) => {
            const metadata = fs.readFileSync(path.join(folder, name, 'METADATA'), 'utf8');
            const field = (key) => new RegExp(`^${key}: (.+)$`, 'm').exec(metadata)?.[1].trim();
            return `${field('Name')}==${field('Version')}`;
        })
        .sort();
}

/**
 * Copies `from` into `into`. A file that is already there must be the same, except the metadata in
 * *.dist-info (which names each wheel's own tags and files): two versions of a pure-Python module
 * would mean the CPython versions resolved different releases, and the bundle would be a mix.
 */
function mergeTree(from, into, relative = '') {
    for (const entry of fs.readdirSync(path.join(from, relative), { withFileTypes: true })) {
        const name = path.join(relative, entry.name);
        if (relative === '' && entry.name === 'bin') {
            continue; // console scripts, with this machine's interpreter in their first line
        }
        if (entry.name === 'direct_url.json') {
            continue; // where pip found the wheel: a path on the build machine
        }
        if (entry.isDirectory()) {
            fs.mkdirSync(path.join(into, name), { recursive: true });
            mergeTree(from, into, name);
            continue;
        }
        const source = path.join(from, name);
        const target = path.join(into, name);
        if (!fs.existsSync(target)) {
            fs.copyFileSync(source, target);
        } else if (!fs.readFileSync(source).equals(fs.readFileSync(target)) && !name.split(path.sep)[0].endsWith('.dist-info')) {
            throw new Error(`${name} differs between the CPython versions' installs; the bundle would mix releases`);
        }
    }
}

function buildServerLibraries(python, target, libs, work) {
    const wheels = path.join(work, 'wheel');
    fs.mkdirSync(wheels, { recursive: true });
    run(python, ['-m', 'pip', 'wheel', '--no-deps', '--disable-pip-version-check', '--wheel-dir', wheels, REPOSITORY]);
    const wheel = fs.readdirSync(wheels).find((name) => /^http_status_ls-.+\.whl$/.test(name));
    if (wheel === undefined) {
        throw new Error(`pip wheel made no http_status_ls wheel in ${wheels}`);
    }
    const platforms = pipPlatforms(target).flatMap((platform) => ['--platform', platform]);
    const constraints = path.join(work, 'constraints.txt');
    let pinned;
    for (const version of PYTHON_VERSIONS) {
        const folder = path.join(work, `cp${version.replace('.', '')}`);
        run(python, [
            '-m', 'pip', 'install', '--disable-pip-version-check', '--no-compile', '--no-warn-script-location',
            '--only-binary=:all:', '--implementation', 'cp', '--python-version', version, ...platforms,
            // The first (oldest) Python's resolution pins the rest, so all share one set of releases.
            ...(pinned ? ['--constraint', constraints] : []),
            '--target', folder, path.join(wheels, wheel),
        ]);
        if (!pinned) {
            pinned = installedVersions(folder);
            fs.writeFileSync(constraints, `${pinned.join('\n')}\n`);
        }
        mergeTree(folder, libs);
    }
    return { wheel, distributions: pinned };
}

/** The licence of every npm package inside the bundle, which keeps none of their comments. */
function thirdPartyNotices(metafile) {
    const packages = new Map();
    for (const input of Object.keys(metafile.inputs)) {
        const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
        if (match !== null) {
            packages.set(match[1], path.join(EXTENSION, 'node_modules', match[1]));
        }
    }
    const sections = [...packages].sort().map(([name, folder]) => {
        const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
        const licenceFile = fs.readdirSync(folder).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
        const text = licenceFile ? fs.readFileSync(path.join(folder, licenceFile), 'utf8').trim() : `License: ${manifest.license}`;
        return `${name} ${manifest.version}\n${'-'.repeat(name.length + manifest.version.length + 1)}\n${text}\n`;
    });
    return (
        'The extension bundle (out/extension.js) contains these npm packages. The Python libraries in\n' +
        'bundled/libs keep their own licence files in their *.dist-info folders.\n\n' +
        sections.join('\n')
    );
}

async function main() {
    const { values } = parseArgs({
        options: {
            target: { type: 'string' },
            publisher: { type: 'string' },
            out: { type: 'string' },
            python: { type: 'string' },
            'pre-release': { type: 'boolean' },
        },
    });
    const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
    const target = values.target ?? hostTarget();
    const publisher = values.publisher ?? process.env.VSCE_PUBLISHER ?? manifest.publisher;
    // npm runs scripts in the package folder; a relative --out is meant from where npm was started.
    const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out ?? path.join(EXTENSION, `${manifest.name}-${target}-${manifest.version}.vsix`));
    const python = buildPython(values.python);
    pipPlatforms(target); // an unknown target fails before anything is built

    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'http-status-ls-vsix-'));
    try {
        await assemble({ manifest, target, publisher, out, python, preRelease: values['pre-release'], scratch });
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

async function assemble({ manifest, target, publisher, out, python, preRelease, scratch }) {
    const stage = path.join(scratch, 'extension');
    const libs = path.join(stage, 'bundled', 'libs');
    fs.mkdirSync(libs, { recursive: true });

    const server = buildServerLibraries(python, target, libs, path.join(scratch, 'build'));
    const serverVersion = /^http_status_ls-([^-]+)-/.exec(server.wheel)[1];
    fs.writeFileSync(
        path.join(stage, 'bundled', 'build.json'),
        `${JSON.stringify({ target, pythons: PYTHON_VERSIONS, server: serverVersion, distributions: server.distributions }, null, 2)}\n`,
    );

    const bundle = await bundleExtension({ production: true, outfile: path.join(stage, 'out', 'extension.js') });
    fs.writeFileSync(path.join(stage, 'out', 'THIRD_PARTY_NOTICES.txt'), thirdPartyNotices(bundle.metafile));

    for (const file of EXTENSION_FILES) {
        fs.mkdirSync(path.dirname(path.join(stage, file)), { recursive: true });
        fs.copyFileSync(path.join(EXTENSION, file), path.join(stage, file));
    }
    fs.copyFileSync(path.join(EXTENSION, '.vscodeignore'), path.join(stage, '.vscodeignore'));
    // The published manifest: this build's publisher, and no scripts (they build from sources the
    // .vsix does not hold; the source manifest's vscode:prepublish refuses a bare `vsce package`).
    const { scripts: _scripts, ...published } = { ...manifest, publisher };
    fs.writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);

    const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    run(
        process.execPath,
        [
            vsce, 'package', '--no-dependencies', '--target', target, '--out', out,
            // There is no public repository yet; vsce asks for one unless told this is intended.
            ...(published.repository === undefined ? ['--allow-missing-repository'] : []),
            ...(preRelease ? ['--pre-release'] : []),
        ],
        { cwd: stage },
    );
    const size = fs.statSync(out).size;
    console.log(`${out}: ${(size / 1024 / 1024).toFixed(1)} MiB, ${target}, publisher ${publisher}, server ${serverVersion} for CPython ${PYTHON_VERSIONS.join(', ')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    main().catch((error) => {
        console.error(`npm run package: ${error.message}`);
        process.exit(1);
    });
}
