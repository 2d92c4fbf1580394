// Drives the web console in a real headless Chromium as a person would, for ConsoleBrowserTest:
// signs in with a token, opens each page, waits (bounded) for what should be on it and keeps a
// screenshot of each. Exits 0 when every page showed what it should, 1 otherwise; the browser is
// closed in every case. Input comes from the environment (the token never goes on a command line):
//   CONSOLE_URL      base URL of a node's admin port, e.g. https://127.0.0.1:40123
//   CONSOLE_TOKEN    a bearer token of the cluster's access file
//   SCREENSHOT_DIR   where <page>.png go (cluster, jobs, job, dlq, execution, live)
//   OK_JOB, OTHER_JOB, DEAD_JOB  names of jobs (namespace "default") that deliver, that the label
//                    filter hides, and whose execution is a dead letter
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WAIT_MS = 20_000;
const SCRIPT_MS = 90_000;
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
};
const base = env('CONSOLE_URL');
const token = env('CONSOLE_TOKEN');
const shots = env('SCREENSHOT_DIR');
const okJob = env('OK_JOB');
const otherJob = env('OTHER_JOB');
const deadJob = env('DEAD_JOB');
mkdirSync(shots, { recursive: true });

const t0 = Date.now();
const step = (what) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);
const profile = mkdtempSync(join(tmpdir(), 'horae-console-chromium-'));
let browser;
// A hard stop, should anything below hang past every bounded wait.
const killer = setTimeout(() => {
  console.error(`FAILED: the script ran past ${SCRIPT_MS} ms`);
  if (browser) browser.process()?.kill('SIGKILL');
  process.exit(3);
}, SCRIPT_MS);

const problems = [];
try {
  browser = await puppeteer.launch({
    executablePath: await chromium.executablePath(),
    headless: true,
    acceptInsecureCerts: true, // the admin port serves the test cluster's own CA
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 800 },
    protocolTimeout: WAIT_MS,
    args: [
      ...chromium.args,
      '--no-sandbox',
      '--ignore-certificate-errors',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  step(`browser ${await browser.version()}`);
  const page = await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push('console error: ' + m.text());
  });

  const shot = async (name) => {
    await page.screenshot({ path: join(shots, name + '.png'), fullPage: true });
    step(`screenshot ${name}.png`);
  };
  /** Waits until `predicate` (run in the page) is true, with a message saying what was awaited. */
  const until = async (what, predicate, ...args) => {
    try {
      await page.waitForFunction(predicate, { timeout: WAIT_MS, polling: 200 }, ...args);
      step(`saw ${what}`);
    } catch (e) {
      const text = await page.evaluate(() => document.body.innerText).catch(() => '(no page)');
      throw new Error(`did not see ${what} within ${WAIT_MS} ms; the page showed:\n${text}`);
    }
  };
  const go = async (hash) => {
    await page.evaluate((h) => { location.hash = h; }, hash);
  };

  // Sign in.
  await page.goto(base + '/console/', { waitUntil: 'domcontentloaded' });
  await until('the sign-in form', () => !document.getElementById('login').hidden);
  await page.type('#token', token);
  await page.click('#login-form button');

  // Cluster: the member with its role and lease.
  await until('the cluster page with a leader and a fresh lease', () => {
    const rows = [...document.querySelectorAll('tr[data-node]')];
    return rows.length > 0 && rows.some((r) => r.innerText.includes('LEADER')) && rows.every((r) => r.innerText.includes('fresh'))
      && document.body.innerText.includes('Shard map');
  });
  await shot('cluster');

  // Jobs, then filtered by label and state.
  await go('#/jobs');
  await until(`the rows of ${okJob} and ${otherJob}`, (a, b) =>
    !!document.querySelector(`tr[data-job="${a}"]`) && !!document.querySelector(`tr[data-job="${b}"]`), okJob, otherJob);
  await page.type('#job-filters input[name=selector]', 'team=pay');
  await page.select('#job-filters select[name=state]', 'ACTIVE');
  await page.click('#job-filters button');
  await until(`${okJob} alone under team=pay, ACTIVE`, (a, b) =>
    location.hash.includes('selector=team%3Dpay') && !!document.querySelector(`tr[data-job="${a}"]`)
      && !document.querySelector(`tr[data-job="${b}"]`), okJob, otherJob);
  await shot('jobs');

  // A job's executions with their attempts: open it from its row.
  await page.click(`tr[data-job="${okJob}"] a`);
  await until(`a succeeded execution of ${okJob} with its attempt`, () =>
    [...document.querySelectorAll('tr[data-execution]')].some((r) => r.innerText.includes('SUCCEEDED') && r.innerText.includes('HTTP 200')));
  await shot('job');

  // The dead letter.
  await go('#/dlq');
  await until(`the dead letter of ${deadJob}`, (d) =>
    [...document.querySelectorAll('tr[data-execution]')].some((r) => r.dataset.execution.startsWith(`default/${d}@`) && r.innerText.includes('400')), deadJob);
  await shot('dlq');

  // The dead letter's attempts: open it from its row.
  await page.click(`tr[data-execution^="default/${deadJob}@"] a`);
  await until(`the attempts of the dead execution of ${deadJob}`, () =>
    document.querySelector('#page h1')?.textContent.startsWith('Execution ') && document.body.innerText.includes('DEAD')
      && [...document.querySelectorAll('tr[data-attempt]')].some((r) => r.innerText.includes('400')));
  await shot('execution');

  // Live: a delivery that happens while the page is open appears on it.
  await go('#/live');
  await until('the live view watching', () => document.getElementById('live-state')?.textContent === 'watching');
  await until(`a delivered execution of ${okJob} appearing live`, (a) =>
    [...document.querySelectorAll('tr[data-status="SUCCEEDED"]')].some((r) => r.dataset.execution.startsWith(`default/${a}@`)), okJob);
  await shot('live');

  // The token is never shown back.
  const html = await page.content();
  if (html.includes(token)) problems.push('the page shows the token');
} catch (e) {
  problems.push(e.message);
} finally {
  if (browser) await browser.close().catch((e) => problems.push('closing the browser: ' + e.message));
  clearTimeout(killer);
  rmSync(profile, { recursive: true, force: true });
}
if (problems.length) {
  console.error('FAILED:\n' + problems.join('\n'));
  process.exit(1);
}
step('all pages showed what they should');
