/**
 * Stands in for `semver/functions/parse` in the bundle (see esbuild.mjs): vscode-languageclient parses
 * the editor's version with it, once, to compare with the caret range it was built for.
 */

interface ParsedVersion {
    major: number;
    minor: number;
    patch: number;
    prerelease: string[];
}

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function parse(version: string | ParsedVersion): ParsedVersion | null {
    if (typeof version !== 'string') {
        return version;
    }
    const match = VERSION.exec(version.trim());
    if (match === null) {
        return null;
    }
    return {
        major: Number(match[1]),
        minor: Number(match[2]),
        patch: Number(match[3]),
        prerelease: match[4] === undefined ? [] : match[4].split('.'),
    };
}

// semver's module is the function itself (`module.exports = parse`), and so is this one.
export = parse;
