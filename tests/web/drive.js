// tests/web/drive.js -- drives kubesim's page in Debian's chromium, headless
// (playwright-core from npm, web/package-lock.json; run by
// scripts/test-web.sh, which serves build-web/site over http first).
//   node drive.js BASE_URL OUT_DIR NODE_MODULES NATIVE_JSONL
// Checks, failing (exit 1) with what was seen:
//   the picker lists every lesson with its title and what it teaches;
//   `kubesim test` of lesson 7 in the browser gives the fingerprint the
//   native build gave (NATIVE_JSONL: its --json verdicts);
//   lesson 7 from a deep link (#lesson=07-pvc-postgres&t=50s) plays to
//   t >= 60 s, Space pauses it, the canvas is drawn (not blank), the
//   caption is one of the lesson's; a 1920x1080 screenshot;
//   exercise 1: goals not all met at first; a typing error shows at its
//   line in the editor; the solution loaded into the editor meets every goal.
'use strict';
const fs = require('fs');
const path = require('path');

const [base, out, modules, nativeJsonl] = process.argv.slice(2);
const { chromium } = require(path.join(modules, 'playwright-core'));
const scenarios = path.join(__dirname, '..', '..', 'scenarios');
let failures = 0;

function check(ok, what, seen) {
  console.log((ok ? 'ok    ' : 'FAIL  ') + what + (seen !== undefined ? ' (' + seen + ')' : ''));
  if (!ok) failures++;
  return ok;
}

async function waitFor(page, fn, arg, timeoutS, what) {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutS * 1000, polling: 250 });
    return true;
  } catch (e) {
    check(false, what + ' within ' + timeoutS + ' s');
    return false;
  }
}

// Distinct colours in a PNG (decoded by the browser itself), sampled.
async function colours(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.width; c.height = img.height;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 7) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  }, png.toString('base64'));
}

async function open(browser, hash, logs) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('console', (m) => logs.push(m.type() + ': ' + m.text()));
  page.on('pageerror', (e) => { logs.push('pageerror: ' + e.message); check(false, 'no script error', e.message); });
  await page.goto(base + '/index.html' + hash);
  return page;
}

async function picker(browser) {
  const logs = [];
  const page = await open(browser, '', logs);
  await waitFor(page, () => window.kubesim && window.kubesim.ready, null, 30, 'the picker is shown');
  const cards = await page.$$eval('#lessons a', (as) => as.map((a) => a.textContent));
  const lessons = fs.readdirSync(scenarios).filter((f) => /^\d\d-.*\.yaml$/.test(f));
  check(cards.length === lessons.length, 'the picker lists every lesson', cards.length + ' of ' + lessons.length);
  check(cards.every((t) => t.length > 60), 'each with its title and what it teaches');
  check(await page.$$eval('#exercises a', (as) => as.length) > 0, 'and the exercises');
  await page.screenshot({ path: path.join(out, 'picker.png') });
  await page.close();
}

async function selftest(browser) {
  const logs = [];
  const native = fs.readFileSync(nativeJsonl, 'utf8').split('\n').filter(Boolean).map(JSON.parse)
    .filter((v) => v.file === 'scenarios/07-pvc-postgres.yaml')[0];
  const page = await open(browser, '#test=07-pvc-postgres', logs);
  await waitFor(page, () => window.kubesim.ready || window.kubesim.error, null, 120, 'kubesim test runs in the page');
  const v = await page.evaluate(() => window.kubesim.verdict);
  check(native && native.fingerprint, 'the native build gave lesson 7 a fingerprint', native && native.fingerprint);
  check(v && v.verdict === 'passed', 'lesson 7 passes in the browser', v && v.verdict);
  check(v && native && v.fingerprint === native.fingerprint, 'with the native build\'s fingerprint',
    (v && v.fingerprint) + ' in the browser');
  if (!v) console.log(logs.join('\n'));
  await page.close();
}

async function lesson(browser) {
  const logs = [];
  const page = await open(browser, '#lesson=07-pvc-postgres&t=50s', logs);
  if (!await waitFor(page, () => window.kubesim.ready || window.kubesim.error, null, 120, 'lesson 7 starts')) {
    console.log(logs.join('\n'));
    return page.close();
  }
  check(!(await page.evaluate(() => window.kubesim.error)), 'no error', await page.evaluate(() => window.kubesim.error));
  const t0 = await page.evaluate(() => window.kubesim.now());
  check(t0 >= 50, 'the deep link t=50s opens at 50 s', t0);
  await waitFor(page, () => window.kubesim.now() >= 60, null, 120, 'the lesson plays to 60 s');
  const t = await page.evaluate(() => window.kubesim.now());
  // the keyboard: Space pauses the canvas's window
  await page.focus('#canvas');
  await page.keyboard.press('Space');
  await page.waitForTimeout(500);
  const p1 = await page.evaluate(() => window.kubesim.now());
  await page.waitForTimeout(1500);
  const p2 = await page.evaluate(() => window.kubesim.now());
  check(p1 === p2, 'Space pauses it', p1 + ' s, then ' + p2 + ' s');
  const caption = await page.evaluate(() => window.kubesim.caption());
  const bar = await page.textContent('#caption');
  const yaml = fs.readFileSync(path.join(scenarios, '07-pvc-postgres.yaml'), 'utf8');
  check(caption.length > 10 && yaml.includes(caption), 'the caption is one of the lesson\'s', caption);
  check(bar === caption, 'and shown above the canvas', bar);
  const png = await page.screenshot({ path: path.join(out, 'lesson-07.png') });
  const box = await page.$eval('#canvas', (c) => [c.width, c.height]);
  check(box[0] >= 1900 && box[1] >= 1000, 'the canvas fills the window', box.join('x'));
  const n = await colours(page, png);
  check(n > 40, 'the canvas is drawn (not blank)', n + ' colours at ' + t.toFixed(1) + ' s');
  console.log('      screenshot: ' + path.join(out, 'lesson-07.png'));
  await page.close();
}

async function exercise(browser) {
  const logs = [];
  const page = await open(browser, '#exercise=01-keep-postgres-data', logs);
  if (!await waitFor(page, () => window.kubesim.ready || window.kubesim.error, null, 120, 'exercise 1 starts')) {
    console.log(logs.join('\n'));
    return page.close();
  }
  const goals = () => { const g = window.kubesim.exercise().goals(); return g ? g.split('\n').slice(1) : []; };
  await waitFor(page, goals, null, 60, 'the goals are listed');
  let g = await page.evaluate(goals);
  check(g.length > 0 && g.some((l) => l[0] === '0'), 'at first some goal is not met', g.length + ' goals');
  // a typing error: the error shows at its line in the editor
  await page.click('#editor .CodeMirror-code');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nspec: [unclosed\n');
  await waitFor(page, () => document.querySelector('#editor .error-line') !== null, null, 90,
    'a YAML error is marked at its line in the editor');
  check(/k8s\/postgres\.yaml:\d+:\d+: error:/.test(await page.textContent('#note')),
    'the error is said as file:line:col', await page.textContent('#note'));
  // the solution: every goal met
  await page.evaluate(() => window.kubesim.exercise().loadSolution());
  await waitFor(page, () => { const g = window.kubesim.exercise().goals();
    return g && /^\d+ of \d+ goals met/.test(g) && g.split('\n').slice(1).every((l) => l[0] === '1'); },
    null, 120, 'the solution meets every goal');
  g = await page.evaluate(goals);
  check(g.length > 0 && g.every((l) => l[0] === '1'), 'every goal met', g.map((l) => l.split('\t')[1]).join('; '));
  check(await page.$$eval('#goals li.met', (l) => l.length) === g.length, 'the checklist shows them met');
  await page.screenshot({ path: path.join(out, 'exercise-01.png') });
  await page.close();
}

(async () => {
  fs.mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
  try {
    await picker(browser);
    await selftest(browser);
    await lesson(browser);
    await exercise(browser);
  } finally {
    await browser.close();
  }
  console.log(failures ? failures + ' check(s) failed' : 'every check passed');
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error('drive.js: error: ' + (e && e.stack || e)); process.exit(2); });
