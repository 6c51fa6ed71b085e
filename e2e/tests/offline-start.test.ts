/**
 * The phone opens without a network. grid01 uses the phone online once; the service worker
 * (/m/sw.js) keeps the phone pages and the answers the report form needs. Offline, the phone is
 * reloaded: the report page opens from the phone's own storage with the case catalogue and the
 * grid worker's grids, a report is written and kept in the outbox, and it reaches the server once
 * the network is back. Logging out drops the kept answers, so a shared phone never shows one
 * user's data to the next.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `SW${Date.now().toString(36)}`;

let browser: Browser;
let ctx: BrowserContext;
let phone: Page;
let errs: string[];

beforeAll(async () => {
  browser = await launch();
  ctx = await phoneContext(browser, baseUrl);
  phone = await ctx.newPage();
  errs = collectPageErrors(phone);
  await phoneLogin(phone, 'grid01', DEMO_PASSWORD);
});

afterAll(async () => {
  await ctx?.setOffline(false);
  await browser?.close();
});

describe('the phone without a network', () => {
  it('installs a service worker that keeps the phone pages, never the console', async () => {
    await phone.goto('/m/');
    const scope = await phone.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${baseUrl}/m/`);
    const kept = await phone.evaluate(async () => {
      const names = await caches.keys();
      const shell = names.find((n) => n.startsWith('xz-phone-') && n !== 'xz-phone-api')!;
      return (await (await caches.open(shell)).keys()).map((r) => new URL(r.url).pathname);
    });
    expect(kept).toContain('/m/');
    expect(kept.some((p) => /^\/assets\/m-.*\.js$/.test(p))).toBe(true);
    // The console's own libraries (antd, ECharts) are not the phone's to store.
    expect(kept.some((p) => /echarts|antd(?!-mobile)/i.test(p))).toBe(false);
  });

  it('opens the report page offline with its catalogue, keeps the report, and sends it once back online', async () => {
    // Online once: the report page, so its answers (catalogue, my grids) are kept.
    await phone.goto('/m/cases/new');
    await phone.getByTestId('case-category-group').locator('.adm-selector-item').first().waitFor();

    await ctx.setOffline(true);
    // Really offline: what the worker does not keep cannot be fetched.
    expect(await phone.evaluate(() => fetch('/api/health').then(() => 'reached', () => 'failed'))).toBe('failed');
    const reloaded = await phone.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await phone.getByTestId('case-category-group').locator('.adm-selector-item').first().click();
    await phone.getByTestId('case-category').locator('.adm-selector-item').first().click();
    const text = `${RUN} 断网时打开手机端上报：水渠堵塞`;
    await phone.getByTestId('case-description').locator('textarea').fill(text);
    await phone.getByTestId('case-submit').click();
    await phone.getByText('已保存，联网后自动发送').waitFor();
    await expect.poll(() => phone.getByTestId('outbox-badge').innerText()).toBe('待发送 1');
    await screenshot(phone, 'phone-offline-start');

    await ctx.setOffline(false);
    await expect.poll(async () => (await phone.getByTestId('outbox-badge').count()) === 0, { timeout: 45_000 }).toBe(true);
    const mine = await apiGet<{ items: { description?: string; title: string }[] }>(phone, `/cases?list=mine&q=${encodeURIComponent(RUN)}&limit=20`);
    expect(mine.items).toHaveLength(1);
  });

  it('drops the kept answers at logout', async () => {
    await phone.goto('/m/');
    expect(await phone.evaluate(() => caches.has('xz-phone-api'))).toBe(true);
    await phone.getByRole('button', { name: '退出登录' }).click();
    await phone.waitForURL(/\/m\/login/);
    await expect.poll(() => phone.evaluate(() => caches.has('xz-phone-api'))).toBe(false);
    expect(errs).toEqual([]);
  });
});
