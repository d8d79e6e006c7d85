// Bundles the extension and vscode-languageclient into one CommonJS file, out/extension.js.
// `vscode` stays external: the editor provides it at run time (the tests provide a fake).
//
//     node esbuild.mjs                 a readable bundle with a source map (what `npm test` loads)
//     node esbuild.mjs --production    minified, no source map (what the .vsix carries)
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * vscode-languageclient uses the `semver` package for one check only: that `vscode.version` satisfies
 * its caret range (`^1.91.0`). That is about 20 KB of the bundle; src/shims/ answers the same
 * question (and throws on any other kind of range, so a library update cannot slip past it).
 */
const semverShim = {
    name: 'semver-shim',
    setup(build) {
        const shims = { parse: 'semverParse.ts', satisfies: 'semverSatisfies.ts' };
        build.onResolve({ filter: /^semver\/functions\/(parse|satisfies)$/ }, (args) => ({
            path: path.join(HERE, 'src', 'shims', shims[args.path.split('/').pop()]),
        }));
    },
};

export async function bundleExtension({ production = false, outfile = path.join(HERE, 'out', 'extension.js') } = {}) {
    return esbuild.build({
        entryPoints: [path.join(HERE, 'src', 'extension.ts')],
        outfile,
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        external: ['vscode'],
        plugins: [semverShim],
        sourcemap: !production,
        minify: production,
        metafile: true,
        logLevel: 'warning',
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    await bundleExtension({ production: process.argv.includes('--production') });
}
