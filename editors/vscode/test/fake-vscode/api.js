'use strict';
/**
 * A stand-in for the `vscode` module, enough of it for vscode-languageclient to run a real language
 * server: documents, settings, diagnostics collections, provider registration, output channels and
 * messages. Real VS Code cannot be downloaded in CI, so the extension's bundle is loaded with this
 * module in place of `vscode` (see ./install.js) and the tests play the editor through `host`.
 *
 * What the API does is kept to what the client needs; anything the client reaches for that is not
 * here is reported in `host.missing`, so a test fails with the name of the gap rather than a
 * TypeError deep inside the client.
 */

const fs = require('node:fs');
const path = require('node:path');
const url = require('node:url');

// ---------------------------------------------------------------------------------------------------
// Plumbing: disposables, events, cancellation.

class Disposable {
    constructor(callOnDispose) {
        this._callOnDispose = callOnDispose;
    }
    static from(...disposables) {
        return new Disposable(() => {
            for (const disposable of disposables) {
                disposable?.dispose?.();
            }
        });
    }
    dispose() {
        const callback = this._callOnDispose;
        this._callOnDispose = undefined;
        callback?.();
    }
}

class EventEmitter {
    constructor() {
        this._listeners = new Set();
        this.event = (listener, thisArgs, disposables) => {
            const entry = { listener, thisArgs };
            this._listeners.add(entry);
            const disposable = new Disposable(() => this._listeners.delete(entry));
            if (Array.isArray(disposables)) {
                disposables.push(disposable);
            }
            return disposable;
        };
    }
    fire(event) {
        for (const { listener, thisArgs } of [...this._listeners]) {
            listener.call(thisArgs, event);
        }
    }
    dispose() {
        this._listeners.clear();
    }
}

class CancellationTokenSource {
    constructor() {
        const emitter = new EventEmitter();
        this._emitter = emitter;
        this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
    }
    cancel() {
        if (!this.token.isCancellationRequested) {
            this.token.isCancellationRequested = true;
            this._emitter.fire(undefined);
        }
    }
    dispose() {
        this._emitter.dispose();
    }
}

class CancellationError extends Error {
    constructor() {
        super('Canceled');
        this.name = 'Canceled';
    }
}

// ---------------------------------------------------------------------------------------------------
// Values: URIs, positions, ranges.

class Uri {
    constructor(scheme, authority, uriPath, query, fragment) {
        this.scheme = scheme;
        this.authority = authority ?? '';
        this.path = uriPath ?? '';
        this.query = query ?? '';
        this.fragment = fragment ?? '';
    }
    static parse(value) {
        const parsed = new URL(value);
        return new Uri(
            parsed.protocol.replace(/:$/, ''),
            parsed.host,
            decodeURIComponent(parsed.pathname),
            parsed.search.replace(/^\?/, ''),
            parsed.hash.replace(/^#/, ''),
        );
    }
    static file(fsPath) {
        return new Uri('file', '', url.pathToFileURL(fsPath).pathname.split('/').map(decodeURIComponent).join('/'));
    }
    static joinPath(base, ...segments) {
        return base.with({ path: path.posix.join(base.path, ...segments) });
    }
    get fsPath() {
        return this.scheme === 'file' ? url.fileURLToPath(this.toString()) : this.path;
    }
    with(change) {
        return new Uri(
            change.scheme ?? this.scheme,
            change.authority ?? this.authority,
            change.path ?? this.path,
            change.query ?? this.query,
            change.fragment ?? this.fragment,
        );
    }
    toString() {
        const encodedPath = this.path.split('/').map(encodeURIComponent).join('/');
        let text = `${this.scheme}:`;
        if (this.authority !== '' || this.scheme === 'file') {
            text += `//${this.authority}`;
        }
        text += encodedPath;
        if (this.query !== '') {
            text += `?${this.query}`;
        }
        if (this.fragment !== '') {
            text += `#${this.fragment}`;
        }
        return text;
    }
    toJSON() {
        return { $mid: 1, scheme: this.scheme, authority: this.authority, path: this.path, external: this.toString() };
    }
}

class Position {
    constructor(line, character) {
        if (line < 0 || character < 0) {
            throw new Error(`invalid position ${line}:${character}`);
        }
        this.line = line;
        this.character = character;
    }
    isBefore(other) {
        return this.line < other.line || (this.line === other.line && this.character < other.character);
    }
    isBeforeOrEqual(other) {
        return this.isBefore(other) || this.isEqual(other);
    }
    isAfter(other) {
        return !this.isBeforeOrEqual(other);
    }
    isAfterOrEqual(other) {
        return !this.isBefore(other);
    }
    isEqual(other) {
        return this.line === other.line && this.character === other.character;
    }
    compareTo(other) {
        return this.isBefore(other) ? -1 : this.isEqual(other) ? 0 : 1;
    }
    translate(lineDelta = 0, characterDelta = 0) {
        if (typeof lineDelta === 'object') {
            return new Position(this.line + (lineDelta.lineDelta ?? 0), this.character + (lineDelta.characterDelta ?? 0));
        }
        return new Position(this.line + lineDelta, this.character + characterDelta);
    }
    with(line = this.line, character = this.character) {
        if (typeof line === 'object') {
            return new Position(line.line ?? this.line, line.character ?? this.character);
        }
        return new Position(line, character);
    }
}

class Range {
    constructor(a, b, c, d) {
        const [start, end] = a instanceof Position ? [a, b] : [new Position(a, b), new Position(c, d)];
        [this.start, this.end] = start.isBeforeOrEqual(end) ? [start, end] : [end, start];
    }
    get isEmpty() {
        return this.start.isEqual(this.end);
    }
    get isSingleLine() {
        return this.start.line === this.end.line;
    }
    contains(value) {
        if (value instanceof Range) {
            return this.contains(value.start) && this.contains(value.end);
        }
        return value.isAfterOrEqual(this.start) && value.isBeforeOrEqual(this.end);
    }
    isEqual(other) {
        return this.start.isEqual(other.start) && this.end.isEqual(other.end);
    }
    with(start = this.start, end = this.end) {
        if (start instanceof Position || start === undefined) {
            return new Range(start ?? this.start, end ?? this.end);
        }
        return new Range(start.start ?? this.start, start.end ?? this.end);
    }
}

class Selection extends Range {
    constructor(anchor, active) {
        super(anchor, active);
        this.anchor = anchor;
        this.active = active;
    }
}

class Location {
    constructor(uri, rangeOrPosition) {
        this.uri = uri;
        this.range = rangeOrPosition instanceof Position ? new Range(rangeOrPosition, rangeOrPosition) : rangeOrPosition;
    }
}

// ---------------------------------------------------------------------------------------------------
// Language feature values.

class MarkdownString {
    constructor(value = '', supportThemeIcons = false) {
        this.value = value;
        this.supportThemeIcons = supportThemeIcons;
        this.isTrusted = undefined;
        this.supportHtml = undefined;
    }
    appendText(text) {
        this.value += text.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
        return this;
    }
    appendMarkdown(text) {
        this.value += text;
        return this;
    }
    appendCodeblock(code, language = '') {
        this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
        return this;
    }
}

class Hover {
    constructor(contents, range) {
        this.contents = Array.isArray(contents) ? contents : [contents];
        this.range = range;
    }
}

const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
const DiagnosticTag = { Unnecessary: 1, Deprecated: 2 };

class Diagnostic {
    constructor(range, message, severity = DiagnosticSeverity.Error) {
        this.range = range;
        this.message = message;
        this.severity = severity;
    }
}

class DiagnosticRelatedInformation {
    constructor(location, message) {
        this.location = location;
        this.message = message;
    }
}

const CompletionItemKind = Object.fromEntries(
    [
        'Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface', 'Module',
        'Property', 'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder',
        'EnumMember', 'Constant', 'Struct', 'Event', 'Operator', 'TypeParameter', 'User', 'Issue',
    ].map((name, index) => [name, index]),
);
const CompletionItemTag = { Deprecated: 1 };
const CompletionTriggerKind = { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 };

class CompletionItem {
    constructor(label, kind) {
        this.label = label;
        this.kind = kind;
    }
}

class CompletionList {
    constructor(items = [], isIncomplete = false) {
        this.items = items;
        this.isIncomplete = isIncomplete;
    }
}

class SnippetString {
    constructor(value = '') {
        this.value = value;
    }
}

class TextEdit {
    constructor(range, newText) {
        this.range = range;
        this.newText = newText;
    }
    static replace(range, newText) {
        return new TextEdit(range, newText);
    }
    static insert(position, newText) {
        return new TextEdit(new Range(position, position), newText);
    }
    static delete(range) {
        return new TextEdit(range, '');
    }
}

class SnippetTextEdit {
    constructor(range, snippet) {
        this.range = range;
        this.snippet = snippet;
    }
}

class WorkspaceEdit {
    constructor() {
        this._edits = new Map();
        this.fileOperations = [];
    }
    _list(uri) {
        const key = uri.toString();
        if (!this._edits.has(key)) {
            this._edits.set(key, { uri, edits: [] });
        }
        return this._edits.get(key).edits;
    }
    replace(uri, range, newText) {
        this._list(uri).push(new TextEdit(range, newText));
    }
    insert(uri, position, newText) {
        this._list(uri).push(TextEdit.insert(position, newText));
    }
    delete(uri, range) {
        this._list(uri).push(TextEdit.delete(range));
    }
    set(uri, edits) {
        const list = this._list(uri);
        list.length = 0;
        for (const edit of edits ?? []) {
            list.push(Array.isArray(edit) ? edit[0] : edit);
        }
    }
    get(uri) {
        return this._edits.get(uri.toString())?.edits ?? [];
    }
    has(uri) {
        return this._edits.has(uri.toString());
    }
    entries() {
        return [...this._edits.values()].map(({ uri, edits }) => [uri, edits]);
    }
    get size() {
        return this._edits.size;
    }
    createFile(uri, options) {
        this.fileOperations.push({ kind: 'create', uri, options });
    }
    renameFile(oldUri, newUri, options) {
        this.fileOperations.push({ kind: 'rename', oldUri, newUri, options });
    }
    deleteFile(uri, options) {
        this.fileOperations.push({ kind: 'delete', uri, options });
    }
}

class CodeActionKind {
    constructor(value) {
        this.value = value;
    }
    append(part) {
        return new CodeActionKind(this.value ? `${this.value}.${part}` : part);
    }
    contains(other) {
        return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
    }
    intersects(other) {
        return this.contains(other) || other.contains(this);
    }
}
for (const [name, value] of Object.entries({
    Empty: '', QuickFix: 'quickfix', Refactor: 'refactor', RefactorExtract: 'refactor.extract',
    RefactorInline: 'refactor.inline', RefactorMove: 'refactor.move', RefactorRewrite: 'refactor.rewrite',
    Source: 'source', SourceOrganizeImports: 'source.organizeImports', SourceFixAll: 'source.fixAll',
    Notebook: 'notebook',
})) {
    CodeActionKind[name] = new CodeActionKind(value);
}
const CodeActionTriggerKind = { Invoke: 1, Automatic: 2 };

class CodeAction {
    constructor(title, kind) {
        this.title = title;
        this.kind = kind;
    }
}

const InlayHintKind = { Type: 1, Parameter: 2 };

class InlayHint {
    constructor(position, label, kind) {
        this.position = position;
        this.label = label;
        this.kind = kind;
    }
}

class InlayHintLabelPart {
    constructor(value) {
        this.value = value;
    }
}

const DocumentHighlightKind = { Text: 0, Read: 1, Write: 2 };

class DocumentHighlight {
    constructor(range, kind = DocumentHighlightKind.Text) {
        this.range = range;
        this.kind = kind;
    }
}

/**
 * Values the client builds only for features this server does not offer (code lenses, symbols,
 * colours ...). They must exist because the client subclasses some of them when it loads.
 */
function recordClass(name) {
    return {
        [name]: class {
            constructor(...args) {
                this.args = args;
            }
        },
    }[name];
}
const passiveClasses = Object.fromEntries(
    [
        'CallHierarchyIncomingCall', 'CallHierarchyItem', 'CallHierarchyOutgoingCall', 'CodeLens', 'Color',
        'ColorInformation', 'ColorPresentation', 'DocumentLink', 'DocumentSymbol', 'FoldingRange',
        'InlineCompletionItem', 'InlineCompletionList', 'InlineValueEvaluatableExpression', 'InlineValueText',
        'InlineValueVariableLookup', 'LinkedEditingRanges', 'ParameterInformation', 'RelativePattern',
        'SelectionRange', 'SemanticTokens', 'SemanticTokensEdit', 'SemanticTokensEdits', 'SignatureHelp',
        'SignatureInformation', 'SymbolInformation', 'TypeHierarchyItem', 'TabInputText', 'TabInputTextDiff',
        'TabInputCustom', 'TabInputNotebook', 'LocationLink', 'NotebookCellData', 'NotebookData',
    ].map((name) => [name, recordClass(name)]),
);

const enums = {
    DocumentHighlightKind,
    FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
    SymbolKind: Object.fromEntries(
        [
            'File', 'Module', 'Namespace', 'Package', 'Class', 'Method', 'Property', 'Field', 'Constructor',
            'Enum', 'Interface', 'Function', 'Variable', 'Constant', 'String', 'Number', 'Boolean', 'Array',
            'Object', 'Key', 'Null', 'EnumMember', 'Struct', 'Event', 'Operator', 'TypeParameter',
        ].map((name, index) => [name, index]),
    ),
    SymbolTag: { Deprecated: 1 },
    SignatureHelpTriggerKind: { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 },
    InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
    TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
    TextDocumentChangeReason: { Undo: 1, Redo: 2 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
    EndOfLine: { LF: 1, CRLF: 2 },
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    UIKind: { Desktop: 1, Web: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    NotebookCellKind: { Markup: 1, Code: 2 },
    TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
};

// ---------------------------------------------------------------------------------------------------
// Documents.

class FakeTextDocument {
    constructor(uri, languageId, text) {
        this.uri = uri;
        this.fileName = uri.scheme === 'file' ? uri.fsPath : uri.path;
        this.languageId = languageId;
        this.version = 1;
        this.isDirty = false;
        this.isClosed = false;
        this.isUntitled = uri.scheme === 'untitled';
        this.eol = enums.EndOfLine.LF;
        this.encoding = 'utf8';
        this._setText(text);
    }
    _setText(text) {
        this._text = text;
        this._lines = text.split('\n');
    }
    get lineCount() {
        return this._lines.length;
    }
    getText(range) {
        if (range === undefined) {
            return this._text;
        }
        return this._text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
    }
    lineAt(lineOrPosition) {
        const line = typeof lineOrPosition === 'number' ? lineOrPosition : lineOrPosition.line;
        const text = this._lines[line];
        if (text === undefined) {
            throw new Error(`line ${line} out of range`);
        }
        const firstNonWhitespace = text.search(/\S/);
        return {
            lineNumber: line,
            text,
            range: new Range(line, 0, line, text.length),
            rangeIncludingLineBreak: new Range(line, 0, line + 1, 0),
            firstNonWhitespaceCharacterIndex: firstNonWhitespace === -1 ? text.length : firstNonWhitespace,
            isEmptyOrWhitespace: firstNonWhitespace === -1,
        };
    }
    /** Positions count UTF-16 code units, as in VS Code (a JavaScript string index). */
    offsetAt(position) {
        const line = Math.min(position.line, this._lines.length - 1);
        let offset = 0;
        for (let i = 0; i < line; i++) {
            offset += this._lines[i].length + 1;
        }
        return offset + Math.min(position.character, this._lines[line].length);
    }
    positionAt(offset) {
        let remaining = Math.max(0, Math.min(offset, this._text.length));
        for (let line = 0; line < this._lines.length; line++) {
            if (remaining <= this._lines[line].length) {
                return new Position(line, remaining);
            }
            remaining -= this._lines[line].length + 1;
        }
        const last = this._lines.length - 1;
        return new Position(last, this._lines[last].length);
    }
    validatePosition(position) {
        return this.positionAt(this.offsetAt(position));
    }
    validateRange(range) {
        return new Range(this.validatePosition(range.start), this.validatePosition(range.end));
    }
    getWordRangeAtPosition(position, regex = /[\w$]+/g) {
        const text = this._lines[position.line] ?? '';
        const pattern = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
        for (const match of text.matchAll(pattern)) {
            const start = match.index;
            const end = start + match[0].length;
            if (start <= position.character && position.character <= end) {
                return new Range(position.line, start, position.line, end);
            }
        }
        return undefined;
    }
    save() {
        return Promise.resolve(true);
    }
}

// ---------------------------------------------------------------------------------------------------
// Settings: defaults from the extension's package.json, overridden by what a test sets.

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const settingDefaults = new Map(
    Object.entries(manifest.contributes.configuration.properties).map(([key, schema]) => [key, schema.default]),
);
const userSettings = new Map();
const configurationChanged = new EventEmitter();

function flatSettings() {
    return new Map([...settingDefaults, ...userSettings]);
}

/** The value at a dotted key: a leaf, or an object built from every leaf below it (as VS Code does). */
function settingAt(key, flat = flatSettings()) {
    if (flat.has(key)) {
        return structuredClone(flat.get(key));
    }
    let found = false;
    const result = {};
    for (const [leaf, value] of flat) {
        if (key !== '' && !leaf.startsWith(`${key}.`)) {
            continue;
        }
        found = true;
        const parts = (key === '' ? leaf : leaf.slice(key.length + 1)).split('.');
        let node = result;
        for (const part of parts.slice(0, -1)) {
            node[part] ??= {};
            node = node[part];
        }
        node[parts[parts.length - 1]] = structuredClone(value);
    }
    return found ? result : undefined;
}

function getConfiguration(section) {
    const prefix = section ? `${section}.` : '';
    const configuration = {
        get(key, defaultValue) {
            const value = settingAt(prefix + key);
            return value === undefined ? defaultValue : value;
        },
        has(key) {
            return settingAt(prefix + key) !== undefined;
        },
        inspect(key) {
            const full = prefix + key;
            // Like VS Code, a key above the leaves gets the object built from each layer's leaves.
            return { key: full, defaultValue: settingAt(full, settingDefaults), globalValue: settingAt(full, userSettings) };
        },
        update(key, value) {
            host.setSettings({ [prefix + key]: value });
            return Promise.resolve();
        },
    };
    // VS Code's configuration object also exposes the section's top-level keys as properties.
    const whole = settingAt(section ?? '');
    if (whole !== null && typeof whole === 'object') {
        for (const [key, value] of Object.entries(whole)) {
            if (!(key in configuration)) {
                configuration[key] = value;
            }
        }
    }
    return configuration;
}

// ---------------------------------------------------------------------------------------------------
// Diagnostics collections.

const diagnosticsChanged = new EventEmitter();
const collections = new Set();

class DiagnosticCollection {
    constructor(name) {
        this.name = name;
        this._entries = new Map();
        collections.add(this);
    }
    set(uriOrEntries, diagnostics) {
        const entries = Array.isArray(uriOrEntries) ? uriOrEntries : [[uriOrEntries, diagnostics]];
        const uris = [];
        for (const [uri, list] of entries) {
            if (list === undefined || list === null) {
                this._entries.delete(uri.toString());
            } else {
                this._entries.set(uri.toString(), { uri, diagnostics: [...list] });
            }
            uris.push(uri);
        }
        diagnosticsChanged.fire({ uris, collection: this.name });
    }
    delete(uri) {
        this._entries.delete(uri.toString());
        diagnosticsChanged.fire({ uris: [uri], collection: this.name });
    }
    clear() {
        const uris = [...this._entries.values()].map((entry) => entry.uri);
        this._entries.clear();
        diagnosticsChanged.fire({ uris, collection: this.name });
    }
    get(uri) {
        return this._entries.get(uri.toString())?.diagnostics ?? [];
    }
    has(uri) {
        return this._entries.has(uri.toString());
    }
    forEach(callback, thisArg) {
        for (const { uri, diagnostics } of this._entries.values()) {
            callback.call(thisArg, uri, diagnostics, this);
        }
    }
    [Symbol.iterator]() {
        return [...this._entries.values()].map(({ uri, diagnostics }) => [uri, diagnostics])[Symbol.iterator]();
    }
    dispose() {
        this._entries.clear();
        collections.delete(this);
    }
}

// ---------------------------------------------------------------------------------------------------
// The namespaces.

const events = {
    openDocument: new EventEmitter(),
    changeDocument: new EventEmitter(),
    closeDocument: new EventEmitter(),
    saveDocument: new EventEmitter(),
    willSaveDocument: new EventEmitter(),
    changeWorkspaceFolders: new EventEmitter(),
    changeActiveEditor: new EventEmitter(),
    changeVisibleEditors: new EventEmitter(),
    changeTabs: new EventEmitter(),
    changeTabGroups: new EventEmitter(),
    grantTrust: new EventEmitter(),
    noop: new EventEmitter(),
};

const textDocuments = [];
const visibleTextEditors = [];
const providers = [];
const commandsById = new Map();
const messages = [];
const outputLines = [];

function matchesFilter(filter, document) {
    if (typeof filter === 'string') {
        return filter === '*' || filter === document.languageId;
    }
    if (filter.language !== undefined && filter.language !== '*' && filter.language !== document.languageId) {
        return false;
    }
    if (filter.scheme !== undefined && filter.scheme !== '*' && filter.scheme !== document.uri.scheme) {
        return false;
    }
    if (filter.pattern !== undefined) {
        if (typeof filter.pattern !== 'string') {
            // Relative patterns are not used by this extension's selector; refuse rather than guess.
            return false;
        }
        return globToRegExp(filter.pattern).test(document.uri.path);
    }
    return true;
}

/** A glob as VS Code reads one for a document filter: `**` crosses folders, `*` and `?` do not, `{a,b}` is a choice. */
function globToRegExp(glob) {
    return new RegExp(`^${globSource(glob)}$`);
}

function globSource(glob) {
    let source = '';
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (glob.startsWith('**/', i)) {
            source += '(?:.*/)?';
            i += 2;
        } else if (glob.startsWith('**', i)) {
            source += '.*';
            i += 1;
        } else if (c === '*') {
            source += '[^/]*';
        } else if (c === '?') {
            source += '[^/]';
        } else if (c === '{') {
            const end = glob.indexOf('}', i);
            source += `(?:${glob.slice(i + 1, end).split(',').map(globSource).join('|')})`;
            i = end;
        } else {
            source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
        }
    }
    return source;
}

function register(kind) {
    return (selector, provider, ...rest) => {
        const entry = { kind, selector, provider, rest };
        providers.push(entry);
        return new Disposable(() => providers.splice(providers.indexOf(entry), 1));
    };
}

const languages = {
    createDiagnosticCollection: (name) => new DiagnosticCollection(name),
    getDiagnostics(uri) {
        if (uri === undefined) {
            return [...collections].flatMap((collection) => [...collection]);
        }
        return [...collections].flatMap((collection) => collection.get(uri));
    },
    onDidChangeDiagnostics: diagnosticsChanged.event,
    match(selector, document) {
        const filters = Array.isArray(selector) ? selector : [selector];
        return filters.some((filter) => matchesFilter(filter, document)) ? 10 : 0;
    },
    getLanguages: () => Promise.resolve(['python', 'yaml', 'json', 'jsonc', 'plaintext']),
    setTextDocumentLanguage: (document) => Promise.resolve(document),
};
for (const kind of [
    'CallHierarchyProvider', 'CodeActionsProvider', 'CodeLensProvider', 'ColorProvider', 'CompletionItemProvider',
    'DeclarationProvider', 'DefinitionProvider', 'DocumentFormattingEditProvider', 'DocumentHighlightProvider',
    'DocumentLinkProvider', 'DocumentRangeFormattingEditProvider', 'DocumentSemanticTokensProvider',
    'DocumentRangeSemanticTokensProvider', 'DocumentSymbolProvider', 'FoldingRangeProvider', 'HoverProvider',
    'ImplementationProvider', 'InlayHintsProvider', 'InlineCompletionItemProvider', 'InlineValuesProvider',
    'LinkedEditingRangeProvider', 'OnTypeFormattingEditProvider', 'ReferenceProvider', 'RenameProvider',
    'SelectionRangeProvider', 'SignatureHelpProvider', 'TypeDefinitionProvider', 'TypeHierarchyProvider',
    'WorkspaceSymbolProvider',
]) {
    languages[`register${kind}`] = register(kind);
}

function outputChannel(name) {
    const write = (level) => (message, ...args) => {
        const line = `[${name}] ${level} ${typeof message === 'string' ? message : String(message)}${args.length ? ` ${args.map(String).join(' ')}` : ''}`;
        outputLines.push(line);
        if (process.env.FAKE_VSCODE_VERBOSE) {
            process.stderr.write(`${line}\n`);
        }
    };
    return {
        name,
        logLevel: host.outputLogLevel,
        onDidChangeLogLevel: events.noop.event,
        append: write('append'),
        appendLine: write('line'),
        replace: write('replace'),
        clear() {},
        show() {},
        hide() {},
        dispose() {},
        trace: write('trace'),
        debug: write('debug'),
        info: write('info'),
        warn: write('warn'),
        error: write('error'),
    };
}

function showMessage(severity) {
    return (message, ...items) => {
        messages.push({ severity, message, items: items.filter((item) => typeof item === 'string' || item?.title) });
        return Promise.resolve(undefined);
    };
}

const window = {
    get activeTextEditor() {
        return visibleTextEditors[0];
    },
    visibleTextEditors,
    onDidChangeActiveTextEditor: events.changeActiveEditor.event,
    onDidChangeVisibleTextEditors: events.changeVisibleEditors.event,
    onDidChangeTextEditorSelection: events.noop.event,
    onDidChangeWindowState: events.noop.event,
    tabGroups: { all: [], activeTabGroup: undefined, onDidChangeTabs: events.changeTabs.event, onDidChangeTabGroups: events.changeTabGroups.event },
    createOutputChannel: (name) => outputChannel(name),
    showErrorMessage: showMessage('error'),
    showWarningMessage: showMessage('warning'),
    showInformationMessage: showMessage('information'),
    showTextDocument: (document) => Promise.resolve(host.showDocument(document)),
    withProgress: (_options, task) => task({ report() {} }, new CancellationTokenSource().token),
    createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
};

const workspace = {
    textDocuments,
    notebookDocuments: [],
    get workspaceFolders() {
        return host.workspaceFolders;
    },
    get rootPath() {
        return host.workspaceFolders?.[0]?.uri.fsPath;
    },
    name: 'fake-workspace',
    /** Whether the user trusts the workspace; tests set `host.trusted`. */
    get isTrusted() {
        return host.trusted;
    },
    onDidGrantWorkspaceTrust: events.grantTrust.event,
    getWorkspaceFolder: (uri) => host.workspaceFolders?.find((folder) => uri.toString().startsWith(folder.uri.toString())),
    getConfiguration,
    onDidOpenTextDocument: events.openDocument.event,
    onDidChangeTextDocument: events.changeDocument.event,
    onDidCloseTextDocument: events.closeDocument.event,
    onDidSaveTextDocument: events.saveDocument.event,
    onWillSaveTextDocument: events.willSaveDocument.event,
    onDidChangeConfiguration: configurationChanged.event,
    onDidChangeWorkspaceFolders: events.changeWorkspaceFolders.event,
    onDidOpenNotebookDocument: events.noop.event,
    onDidChangeNotebookDocument: events.noop.event,
    onDidSaveNotebookDocument: events.noop.event,
    onDidCloseNotebookDocument: events.noop.event,
    onDidCreateFiles: events.noop.event,
    onDidRenameFiles: events.noop.event,
    onDidDeleteFiles: events.noop.event,
    onWillCreateFiles: events.noop.event,
    onWillRenameFiles: events.noop.event,
    onWillDeleteFiles: events.noop.event,
    createFileSystemWatcher: () => ({
        onDidCreate: events.noop.event,
        onDidChange: events.noop.event,
        onDidDelete: events.noop.event,
        dispose() {},
    }),
    applyEdit: (edit) => Promise.resolve(host.applyEdit(edit)),
    openTextDocument: (uri) => Promise.resolve(textDocuments.find((document) => document.uri.toString() === uri.toString())),
    registerTextDocumentContentProvider: () => new Disposable(() => {}),
};

const commands = {
    registerCommand(id, callback, thisArg) {
        commandsById.set(id, callback.bind(thisArg));
        return new Disposable(() => commandsById.delete(id));
    },
    executeCommand(id, ...args) {
        const command = commandsById.get(id);
        host.executedCommands.push({ id, args });
        return Promise.resolve(command ? command(...args) : undefined);
    },
    getCommands: () => Promise.resolve([...commandsById.keys()]),
};

const env = {
    appName: 'Visual Studio Code (test host)',
    appRoot: __dirname,
    language: 'en',
    machineId: 'test-machine',
    sessionId: 'test-session',
    uiKind: enums.UIKind.Desktop,
    openExternal: () => Promise.resolve(true),
    clipboard: { readText: () => Promise.resolve(''), writeText: () => Promise.resolve() },
};

// ---------------------------------------------------------------------------------------------------
// The test's side: play the editor.

const host = {
    /** Names the client asked for that this module does not provide. */
    missing: new Set(),
    messages,
    outputLines,
    providers,
    executedCommands: [],
    workspaceFolders: undefined,
    trusted: true,
    /** Other extensions by id, as `vscode.extensions.getExtension` returns them (see `installExtension`). */
    extensions: new Map(),
    /** The level of new output channels; at Trace the client logs protocol messages (with `trace.server`). */
    outputLogLevel: enums.LogLevel.Info,
    onDidChangeDiagnostics: diagnosticsChanged.event,

    setWorkspaceFolder(folderPath) {
        this.workspaceFolders = [{ uri: Uri.file(folderPath), name: path.basename(folderPath), index: 0 }];
    },
    setSettings(values) {
        for (const [key, value] of Object.entries(values)) {
            if (value === undefined) {
                userSettings.delete(key);
            } else {
                userSettings.set(key, value);
            }
        }
        const keys = Object.keys(values);
        configurationChanged.fire({
            affectsConfiguration: (section) => keys.some((key) => key === section || key.startsWith(`${section}.`) || section.startsWith(`${key}.`)),
        });
    },
    resetSettings() {
        userSettings.clear();
    },
    /** Make `vscode.extensions.getExtension(id)` return an extension whose `activate()` gives `exports`. */
    installExtension(id, exports) {
        const extension = {
            id,
            isActive: false,
            exports: undefined,
            activate() {
                extension.isActive = true;
                extension.exports = exports;
                return Promise.resolve(exports);
            },
        };
        this.extensions.set(id, extension);
        return extension;
    },
    uninstallExtension(id) {
        this.extensions.delete(id);
    },
    grantTrust() {
        this.trusted = true;
        events.grantTrust.fire();
    },
    /** Open a document in an editor, in VS Code's order: the editor becomes visible, then the open event. */
    openDocument(filePath, languageId, text) {
        const document = new FakeTextDocument(Uri.file(filePath), languageId, text);
        this.showDocument(document);
        textDocuments.push(document);
        events.openDocument.fire(document);
        return document;
    },
    showDocument(document) {
        const editor = { document, selection: new Selection(new Position(0, 0), new Position(0, 0)), visibleRanges: [] };
        visibleTextEditors.unshift(editor);
        events.changeVisibleEditors.fire([...visibleTextEditors]);
        events.changeActiveEditor.fire(editor);
        return editor;
    },
    /** Replace a range (or the whole text) and send the change event, as typing does. */
    changeDocument(document, range, text) {
        const start = document.offsetAt(range.start);
        const end = document.offsetAt(range.end);
        const old = document.getText();
        document._setText(old.slice(0, start) + text + old.slice(end));
        document.version += 1;
        document.isDirty = true;
        events.changeDocument.fire({
            document,
            contentChanges: [{ range, rangeOffset: start, rangeLength: end - start, text }],
            reason: undefined,
        });
    },
    closeDocument(document) {
        textDocuments.splice(textDocuments.indexOf(document), 1);
        const index = visibleTextEditors.findIndex((editor) => editor.document === document);
        if (index >= 0) {
            visibleTextEditors.splice(index, 1);
            events.changeVisibleEditors.fire([...visibleTextEditors]);
        }
        document.isClosed = true;
        events.closeDocument.fire(document);
    },
    /** The first registered provider of a kind whose selector takes the document. */
    provider(kind, document) {
        const entry = providers.find((item) => item.kind === kind && languages.match(item.selector, document) > 0);
        if (entry === undefined) {
            throw new Error(`no ${kind} registered for ${document.languageId} (registered: ${providers.map((item) => item.kind).join(', ') || 'none'})`);
        }
        return entry.provider;
    },
    diagnostics(document) {
        return languages.getDiagnostics(document.uri);
    },
    /** Resolves when `predicate()` is truthy, re-checking whenever diagnostics change; rejects after `ms`. */
    waitForDiagnostics(predicate, ms, what) {
        return new Promise((resolve, reject) => {
            const settled = predicate();
            if (settled) {
                resolve(settled);
                return;
            }
            const timer = setTimeout(() => {
                subscription.dispose();
                reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
            }, ms);
            const subscription = diagnosticsChanged.event(() => {
                const result = predicate();
                if (result) {
                    clearTimeout(timer);
                    subscription.dispose();
                    resolve(result);
                }
            });
        });
    },
    appliedEdits: [],
    applyEdit(edit) {
        this.appliedEdits.push(edit);
        for (const [uri, edits] of edit.entries()) {
            const document = textDocuments.find((item) => item.uri.toString() === uri.toString());
            if (document === undefined) {
                return false;
            }
            // Apply from the end so earlier edits do not move later ranges.
            const sorted = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
            for (const textEdit of sorted) {
                this.changeDocument(document, textEdit.range, textEdit.newText);
            }
        }
        return true;
    },
    newCancellationToken: () => new CancellationTokenSource().token,
};

/** A namespace whose unknown members are recorded in `host.missing` as `namespace.member`. */
function watched(name, namespace) {
    return new Proxy(namespace, {
        get(target, property) {
            if (!(property in target) && typeof property === 'string' && property !== 'then') {
                host.missing.add(`${name}.${property}`);
            }
            return target[property];
        },
    });
}

const api = {
    version: '1.91.0',
    Disposable,
    EventEmitter,
    CancellationTokenSource,
    CancellationError,
    Uri,
    Position,
    Range,
    Selection,
    Location,
    MarkdownString,
    Hover,
    Diagnostic,
    DiagnosticSeverity,
    DiagnosticTag,
    DiagnosticRelatedInformation,
    CompletionItem,
    CompletionItemKind,
    CompletionItemTag,
    CompletionTriggerKind,
    CompletionList,
    SnippetString,
    SnippetTextEdit,
    TextEdit,
    WorkspaceEdit,
    CodeAction,
    CodeActionKind,
    CodeActionTriggerKind,
    InlayHint,
    InlayHintKind,
    InlayHintLabelPart,
    DocumentHighlight,
    ...passiveClasses,
    ...enums,
    languages: watched('languages', languages),
    window: watched('window', window),
    workspace: watched('workspace', workspace),
    commands: watched('commands', commands),
    env: watched('env', env),
    extensions: {
        get all() {
            return [...host.extensions.values()];
        },
        getExtension: (id) => host.extensions.get(id),
        onDidChange: events.noop.event,
    },
    l10n: { t: (message, ...args) => (typeof message === 'string' ? message.replace(/\{(\d+)\}/g, (_m, i) => String(args[i])) : message.message) },
};

/** The module as `require('vscode')` sees it; unknown names are recorded instead of silently undefined. */
const vscode = new Proxy(api, {
    get(target, property) {
        if (property in target || typeof property === 'symbol' || property === '__esModule' || property === 'default' || property === 'then') {
            return target[property];
        }
        host.missing.add(String(property));
        return undefined;
    },
});

module.exports = { vscode, host, FakeTextDocument, globToRegExp };
