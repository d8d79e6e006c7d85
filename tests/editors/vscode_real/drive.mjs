// Drives a running code-server in headless Chromium through one scenario and writes what it saw.
//
//   node drive.mjs scenario.json
//
// test_vscode_real.py writes the scenario (the URL, the workspace, where each check looks and what it
// waits for) and asserts on the results; this file only knows how to work VS Code's UI. Each check
// waits until the page shows what the scenario expects, or its time runs out, and records what the
// page showed either way, with a screenshot when it timed out. The results are JSON:
// {"checks": {name: {"ok": bool, "seen": ..., "error": str?, "screenshot": str?}}, "seconds": n}.

import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const scenario = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { chromium } = createRequire(scenario.playwright)('playwright-core');
const started = Date.now();
const checks = {};
const WAIT_MS = scenario.waitSeconds * 1000;
const NBSP = /\u00a0/g; // the editor renders spaces as no-break spaces

function log(...parts) {
    console.error(`[drive ${((Date.now() - started) / 1000).toFixed(1)}s]`, ...parts);
}

// Poll `look` until `done(value)` holds or the wait runs out; the last value either way.
async function until(look, done, waitMs = WAIT_MS) {
    const deadline = Date.now() + waitMs;
    let value;
    for (;;) {
        try {
            value = await look();
        } catch (error) {
            value = { error: String(error) };
        }
        if (done(value) || Date.now() > deadline) return { value, ok: done(value) };
        await page.waitForTimeout(250);
    }
}

const hasAll = (text, wanted) => wanted.every((part) => text.includes(part));
const hasNone = (text, unwanted) => unwanted.every((part) => !text.includes(part));

async function check(name, body) {
    log('check', name);
    let record;
    try {
        record = await body();
    } catch (error) {
        record = { ok: false, seen: null, error: String(error && error.stack ? error.stack : error) };
    }
    if (!record.ok) {
        record.screenshot = join(scenario.screenshots, `${name}.png`);
        await page.screenshot({ path: record.screenshot }).catch(() => {});
    }
    checks[name] = record;
    log(name, record.ok ? 'ok' : 'FAILED');
    await page.keyboard.press('Escape');
}

// Quick input (Ctrl+P, Ctrl+G): open it, type, wait for `ready`, press Enter, wait until it has closed
// and the editor has the focus again, so that the next keys go to the editor.
async function quickInput(keys, input, ready) {
    await page.keyboard.press(keys);
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: WAIT_MS });
    await page.keyboard.type(input);
    if (ready) await page.waitForSelector(ready, { timeout: WAIT_MS });
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: WAIT_MS });
    await page.waitForSelector('.editor-instance .monaco-editor.focused', { timeout: WAIT_MS });
}

async function open(file) {
    // Quick open lists recently opened files first: Enter must wait until filtering has put the
    // wanted file in the focused row, or it opens the previous file again. A slow page gets a retry.
    const tab = `.tab.active[aria-label*="${file}"]`;
    for (let attempt = 0; ; attempt++) {
        await quickInput('Control+P', file, `.quick-input-list .monaco-list-row.focused[aria-label*="${file}"]`);
        try {
            await page.waitForSelector(tab, { timeout: attempt < 2 ? WAIT_MS / 3 : WAIT_MS });
            return;
        } catch (error) {
            if (attempt >= 2) throw error;
        }
    }
}

// Put the cursor at a 1-based line and column, and see it there in the status bar: a key that a busy
// page drops would otherwise send the typing that follows somewhere else.
async function goTo(file, [line, column]) {
    await open(file);
    const wanted = `Ln ${line}, Col ${column}`;
    const cursor = () => page.locator('[id="status.editor.selection"]').innerText({ timeout: 1000 });
    for (let attempt = 0; attempt < 3; attempt++) {
        await quickInput('Control+G', `${line}:${column}`);
        if ((await until(cursor, (seen) => seen === wanted, 5000)).ok) return;
    }
    throw new Error(`the cursor did not get to ${wanted}: the status bar says ${await cursor()}`);
}

// The Problems panel as {file name: [marker texts]}; file rows are the tree's first level.
async function problems() {
    const rows = await page
        .locator('.markers-panel .monaco-list-row')
        .evaluateAll((elements) => elements.map((row) => [row.getAttribute('aria-level'), row.innerText]));
    const byFile = {};
    let file = null;
    for (const [level, text] of rows) {
        if (level === '1') {
            file = text.split('\n')[0].trim();
            byFile[file] = [];
        } else if (file !== null) {
            byFile[file].push(text.replace(/\n/g, ' '));
        }
    }
    return byFile;
}

const problemsText = (byFile) => JSON.stringify(byFile);

async function showProblems() {
    if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel', { state: 'visible', timeout: WAIT_MS });
}

// Move a list's focus down to the row whose label has `wanted`, and press Enter there; the label
// that had the focus. By keyboard, because the quick fix menu lays a pointer guard over its rows.
async function choose(rows, count, wanted) {
    const focused = async () => (await page.locator(`${rows}.focused`).getAttribute('aria-label', { timeout: 2000 })) ?? '';
    for (let step = 0; step < count && !(await focused()).includes(wanted); step++) await page.keyboard.press('ArrowDown');
    const label = await focused();
    if (label.includes(wanted)) await page.keyboard.press('Enter');
    return label;
}

async function editorText() {
    const text = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText();
    return text.replace(NBSP, ' ');
}

const browser = await chromium.launchPersistentContext(scenario.chromiumProfile, {
    executablePath: scenario.chromium,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    // As root Chromium needs --no-sandbox; the rest keep it off the network, which CI does not have.
    args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
    ],
});
const page = browser.pages()[0] ?? (await browser.newPage());

try {
    await check('workbench', async () => {
        await page.goto(`${scenario.url}?folder=${encodeURIComponent(scenario.folder)}`);
        await page.waitForSelector('.monaco-workbench .part.editor', { timeout: WAIT_MS * 2 });
        // Opening both files makes the extension start the server and the server check them.
        for (const file of scenario.open) await open(file);
        return { ok: true, seen: await page.title() };
    });

    await check('problems', async () => {
        await showProblems();
        const { value, ok } = await until(problems, (seen) => hasAll(problemsText(seen), scenario.problems.waitFor));
        return { ok, seen: value };
    });

    await check('hover', async () => {
        await goTo(scenario.hover.file, scenario.hover.at);
        await page.keyboard.press('Control+K');
        await page.keyboard.press('Control+I');
        const { value, ok } = await until(
            () => page.locator('.monaco-hover:not(.hidden)').first().innerText({ timeout: 1000 }),
            (seen) => typeof seen === 'string' && hasAll(seen, scenario.hover.waitFor),
        );
        return { ok, seen: value };
    });

    await check('settings', async () => {
        // The workspace's .vscode/settings.json changes on disk, as when edited by hand; VS Code
        // watches it. (code-server does not notice the user's settings.json changing on disk.)
        await showProblems();
        const seen = {};
        let ok = true;
        for (const stage of scenario.settings.stages) {
            mkdirSync(dirname(scenario.settings.file), { recursive: true });
            writeFileSync(scenario.settings.file, stage.text);
            const result = await until(
                problems,
                (byFile) => hasAll(problemsText(byFile), stage.waitFor) && hasNone(problemsText(byFile), stage.waitGone),
            );
            seen[stage.name] = result.value;
            ok = ok && result.ok;
            if (!result.ok) break;
        }
        return { ok, seen };
    });

    await check('code_action', async () => {
        const action = scenario.codeAction;
        await goTo(action.file, action.at);
        await page.keyboard.press('Control+.');
        const { value: titles, ok: offered } = await until(
            () => page.locator('.action-widget .monaco-list-row.action').evaluateAll((rows) => rows.map((row) => row.innerText)),
            (seen) => Array.isArray(seen) && seen.some((title) => title.includes(action.choose)),
        );
        if (!offered) return { ok: false, seen: { titles } };
        const chosen = await choose('.action-widget .monaco-list-row.action', titles.length, action.choose);
        if (!chosen.includes(action.choose)) return { ok: false, seen: { titles, focused: chosen } };
        await page.keyboard.press('Control+S');
        const { value: saved, ok } = await until(
            () => readFileSync(action.path, 'utf8'),
            (text) => typeof text === 'string' && hasAll(text, action.waitFor),
        );
        return { ok, seen: { titles, chosen, saved } };
    });

    await check('completion', async () => {
        const completion = scenario.completion;
        await goTo(completion.file, completion.at);
        await page.keyboard.type(completion.type);
        // The "." opens the suggest widget as one types; Ctrl+Space asks again in case it closed.
        await page.keyboard.press('Control+Space');
        const { value: labels, ok: offered } = await until(
            () => page.locator('.suggest-widget.visible .monaco-list-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('aria-label'))),
            (seen) => Array.isArray(seen) && seen.some((label) => label && label.startsWith(completion.choose)),
        );
        if (!offered) return { ok: false, seen: { labels } };
        const chosen = await choose('.suggest-widget.visible .monaco-list-row', labels.length, completion.choose);
        if (!chosen.includes(completion.choose)) return { ok: false, seen: { labels, focused: chosen } };
        const { value: text, ok } = await until(editorText, (seen) => typeof seen === 'string' && seen.includes(completion.waitFor));
        // What was typed is the file's last line.
        return { ok, seen: { labels, line: text.split('\n').filter((line) => line.trim()).at(-1) } };
    });
} finally {
    writeFileSync(scenario.results, JSON.stringify({ checks, seconds: (Date.now() - started) / 1000 }, null, 2));
    await browser.close();
}
