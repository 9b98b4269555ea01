// Browser tests drive Debian's Chromium through playwright-core, without network access of its own.
// Every visited page is checked with axe (WCAG 2.1 A/AA; no serious or critical violation) and
// saved as a screenshot: to docs/screenshots with WOR_UPDATE_SCREENSHOTS=1 (the README's images),
// otherwise to packages/web/.screenshots (git-ignored).
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const SCREENSHOTS =
  process.env.WOR_UPDATE_SCREENSHOTS === '1'
    ? resolve(__dirname, '..', '..', '..', '..', 'docs', 'screenshots')
    : resolve(__dirname, '..', '..', '.screenshots');

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--metrics-recording-only',
      '--disable-dev-shm-usage',
    ],
  });

export const LAPTOP = { width: 1280, height: 800 };
export const TABLET = { width: 820, height: 1180 };

/** A fresh browser profile: own cookies, Dutch locale. axe is injected as a script, hence bypassCSP. */
export const newContext = async (browser: Browser, viewport = LAPTOP): Promise<BrowserContext> => {
  const context = await browser.newContext({
    viewport,
    locale: 'nl-NL',
    timezoneId: 'Europe/Amsterdam',
    bypassCSP: true,
    acceptDownloads: true,
  });
  // Generous: on a busy machine the services' events may take a while to reach each other.
  context.setDefaultTimeout(60_000);
  return context;
};

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Runs axe on the page; returns the serious and critical violations, described. */
export const seriousViolations = async (page: Page): Promise<string[]> => {
  await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
};

/** Saves the page as <name>.png and checks it with axe; the test fails on a serious violation. */
export const checkPage = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  expect({ page: name, violations: await seriousViolations(page) }).toEqual({ page: name, violations: [] });
};

/** Reloads until `check` passes: projections and consumers follow events within moments. */
export const reloadUntil = async (
  page: Page,
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 45_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
    await page.reload();
  }
};
