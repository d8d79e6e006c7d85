'use strict';
/**
 * Makes `require('vscode')` return the fake API, for code loaded after this module, by answering
 * Node's module resolution for that one name. The extension's bundle keeps `vscode` external exactly
 * as it ships, so the tests run the same file VS Code would load.
 */

const Module = require('node:module');
const path = require('node:path');

const fakePath = path.join(__dirname, 'vscode.js');
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithFakeVscode(request, parent, ...rest) {
    if (request === 'vscode') {
        return fakePath;
    }
    return originalResolve.call(this, request, parent, ...rest);
};

module.exports = require('./api.js');
