/**
 * Real browser tests: Debian's Chromium (`apt-get install chromium`, installed by .ci/run)
 * driven by playwright-core, headless and kept off the network. Each page records what a
 * test must be able to scan afterwards: every answer the page received from the bridge,
 * console errors (a CSP violation is one), and uncaught page errors. Screenshots go to
 * artifacts/dashboard/ at the repository root, kept by CI as test artefacts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTEFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'artifacts', 'dashboard');

/** Flags that keep Chromium headless, unsandboxed (root in CI) and off every network but loopback. */
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions'];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run does), or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface SeenAnswer {
  method: string;
  url: string;
  status: number;
  text: string;
  /** Its body never came (the page navigated away first). */
  unread?: boolean;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Every answer to the page's calls to the bridge (text bodies). */
  answers: SeenAnswer[];
  /** Console errors and uncaught exceptions, CSP violations among them. */
  problems: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openPage(browser: Browser, baseUrl: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1360, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const answers: SeenAnswer[] = [];
  const problems: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (res) => {
    // The page's calls to the bridge (fetch); the static page and its assets hold no secret,
    // and the body of a document left by a navigation may never arrive.
    if (!res.url().startsWith(baseUrl) || res.request().resourceType() !== 'fetch') return;
    const seen = { method: res.request().method(), url: res.url(), status: res.status() };
    if (seen.status === 204 || seen.status === 304) return void answers.push({ ...seen, text: '' });
    // A call cut short by a navigation never delivers its body: it is kept as unread.
    const unread = new Promise<undefined>((resolve) => setTimeout(resolve, 3000, undefined));
    pending.push(
      Promise.race([res.text(), unread]).then(
        (text) => void answers.push(text === undefined ? { ...seen, text: '', unread: true } : { ...seen, text }),
        () => void answers.push({ ...seen, text: '', unread: true }),
      ),
    );
  });
  mkdirSync(ARTEFACTS, { recursive: true });
  return {
    page,
    context,
    answers,
    problems,
    async shot(name) {
      await Promise.all(pending);
      await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
    },
    async close() {
      await Promise.all(pending);
      await context.close();
    },
  };
}
