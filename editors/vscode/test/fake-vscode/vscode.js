'use strict';
// What `require('vscode')` resolves to under the tests (see install.js).
module.exports = require('./api.js').vscode;
