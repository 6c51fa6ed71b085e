// Dev aid: node e2e/dev/axe.mjs <base> <user|-> <pass> <path> [path...] — prints serious/critical axe violations.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
const [base, user, pass, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const phone = paths[0]?.startsWith('/m');
const ctx = await browser.newContext(phone ? { baseURL: base, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { baseURL: base, viewport: { width: 1366, height: 860 } });
const page = await ctx.newPage();
if (user !== '-') {
  await page.goto(phone ? '/m/login' : '/login');
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(pass);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForTimeout(1500);
}
for (const p of paths) {
  await page.goto(p);
  await page.waitForTimeout(2500);
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  for (const v of r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
    console.log(p, v.impact, v.id, v.help);
    for (const n of v.nodes.slice(0, 6)) console.log('   ', n.target.join(' '), '|', (n.any[0]?.message ?? n.failureSummary ?? '').slice(0, 160));
  }
}
await browser.close();
