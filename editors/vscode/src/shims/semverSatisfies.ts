/**
 * Stands in for `semver/functions/satisfies` in the bundle (see esbuild.mjs). vscode-languageclient
 * asks it one question: does the editor's version meet the caret range the client was built for
 * (`^1.91.0`)? This answers that, and throws on any other kind of range, so that a client update
 * that asks something else fails the tests instead of being answered wrongly.
 */

import parse = require('./semverParse');

function satisfies(version: Parameters<typeof parse>[0], range: string): boolean {
    const caret = /^\^([1-9]\d*)\.(\d+)\.(\d+)$/.exec(range.trim());
    if (caret === null) {
        throw new Error(`The bundled semver stand-in only reads caret ranges like ^1.91.0, not "${range}".`);
    }
    const parsed = parse(version);
    // Like semver: a pre-release (1.91.0-insider) does not satisfy a range without one.
    if (parsed === null || parsed.prerelease.length > 0) {
        return false;
    }
    const [major, minor, patch] = caret.slice(1).map(Number);
    return parsed.major === major && (parsed.minor > minor || (parsed.minor === minor && parsed.patch >= patch));
}

export = satisfies;
