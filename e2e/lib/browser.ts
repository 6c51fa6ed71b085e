/** Browser helpers for the e2e tests: one Chromium, contexts per user, login, axe, screenshots. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'];
const SHOTS = resolve(import.meta.dirname, '../screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function consoleContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

export function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Errors the page logs are collected so a test can assert that nothing blew up in the browser. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

export async function consoleLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 30_000 });
}

export async function phoneLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/m/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/m/login'), { timeout: 30_000 });
}

/** GET an API path with the context's session cookie. */
export async function apiGet<T>(page: Page, path: string): Promise<T> {
  const r = await page.request.get('/api/v1' + path);
  if (!r.ok()) throw new Error(`GET ${path} → ${r.status()} ${await r.text()}`);
  return (await r.json()) as T;
}

/** axe-core: no serious or critical violations (WCAG 2 A/AA rules). */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect(report, `${name}: axe serious/critical violations`).toBe('');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/**
 * The console's step pattern: an action button in the open drawer opens a modal form; `fill` fills
 * it, 确定 submits, and the step has worked when the page shows `success` (if given) and the
 * modal closes. An error message from the server fails the test with its text.
 */
export async function drawerAction(page: Page, action: string, opts: { fill?: (modal: Locator) => Promise<void>; success?: string } = {}): Promise<void> {
  const button = page.locator(`.ant-drawer [data-action="${action}"]`);
  await button.waitFor();
  await button.click();
  const modal = page.locator('.ant-modal').filter({ has: page.locator('.ant-modal-title') }).last();
  await modal.waitFor();
  if (opts.fill) await opts.fill(modal);
  await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
  const done = async () => {
    if (opts.success) await page.getByText(opts.success).first().waitFor();
    await modal.waitFor({ state: 'hidden' });
  };
  await Promise.race([
    done(),
    page.locator('.ant-message-error').waitFor().then(async () => { throw new Error(await page.locator('.ant-message-error').innerText()); }),
  ]);
}
