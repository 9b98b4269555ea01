#!/usr/bin/env node
// Takes the README tour's screenshots (docs/img/) with Debian's Chromium against a running rich demo:
//   WOR_DATA_DIR=/tmp/wor-tour npm start   # in another terminal, on a fresh data directory
//   node scripts/readme-tour.js [http://127.0.0.1:3000]
// It follows the tour's referral (the first one of Huisarts Beterschap completed with a message) from
// the coach's page to the GP's feedback, then the municipality's monitoring.
'use strict';
const path = require('node:path');
const { chromium } = require('playwright-core');
const { tourReferral } = require(path.join(__dirname, '..', 'packages', 'launcher', 'dist', 'demo', 'tour.js'));

const web = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = path.join(__dirname, '..', 'docs', 'img');

const main = async () => {
  const { referral, referralId, coach } = tourReferral(new Date());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  /** The page of `url` as `user`, scrolled so the heading `from` (when given) is at the top. */
  const shot = async (user, url, file, from) => {
    const context = await browser.newContext({ viewport: { width: 960, height: 640 }, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(`${web}/aanmelden`);
    await page.click(`#als-${user}`);
    await page.waitForURL((u) => !u.pathname.startsWith('/aanmelden'));
    await page.goto(`${web}${url}`);
    if (from)
      await page.evaluate((text) => {
        const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent.startsWith(text));
        window.scrollTo(0, heading ? heading.getBoundingClientRect().top + window.scrollY - 16 : 0);
      }, from);
    await page.screenshot({ path: path.join(out, file) });
    console.log(`${file}: ${url} as ${user}`);
    await context.close();
  };
  try {
    await shot(coach, `/verwijzingen/${referralId}`, 'tour-1-coach.png', 'Intake');
    await shot('gp-system-beterschap', `/verwijzen/${referralId}`, 'tour-2-terugkoppeling.png', 'Terugkoppeling');
    await shot('gemeente-beterstad', `/monitoring?periode=${new Date().getFullYear()}`, 'tour-3-monitoring.png');
    console.log(
      `referral ${referralId} (${referral.path}, requested ${referral.requestedAt.toISOString().slice(0, 10)})`,
    );
  } finally {
    await browser.close();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
