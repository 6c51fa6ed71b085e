// Dev aid: node e2e/dev/shot.mjs <baseUrl> <username> <password> <outPrefix> <path> [path...]
// Logs in through the console (or /m when the first path starts with /m) and screenshots each path.
import { chromium } from 'playwright-core';
const [base, user, pass, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const phone = paths[0]?.startsWith('/m');
const ctx = await browser.newContext(phone ? { viewport: { width: 390, height: 800 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true } : { viewport: { width: 1400, height: 900 } });
const page = await ctx.newPage();
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log('console:', m.type(), m.text().slice(0, 300)); });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(base + (phone ? '/m/login' : '/login'));
await page.getByLabel(/用户名|Username/).first().fill(user);
await page.getByLabel(/密码|Password/).first().fill(pass);
await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
await page.waitForTimeout(1500);
let i = 0;
for (const p of paths) {
  await page.goto(base + p);
  await page.waitForTimeout(2500);
  const file = `${out}-${i++}.png`;
  await page.screenshot({ path: file, fullPage: false });
  console.log('saved', file, page.url());
}
await browser.close();
