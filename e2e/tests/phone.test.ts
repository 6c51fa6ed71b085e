/**
 * The phone entry as a villager (demo account villager01): login, my household with masked IDs,
 * another household not visible; and a grid worker's grids. axe checks the phone pages.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleLogin, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const MASKED_ID = /\d{6}\*{8}\d{3}[\dX]/;

let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ctx = await phoneContext(browser, baseUrl);
  page = await ctx.newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

describe('phone — villager', () => {
  it('has an accessible login page', async () => {
    await page.goto('/m/');
    await page.waitForURL(/\/m\/login/);
    await page.getByLabel('用户名').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expectAccessible(page, 'phone login');
    await screenshot(page, 'phone-login');
  });

  it('shows my household with masked ID numbers', async () => {
    await phoneLogin(page, 'villager01', DEMO_PASSWORD);
    await page.getByRole('link', { name: '我的家庭' }).waitFor();
    await expectAccessible(page, 'phone home');
    await screenshot(page, 'phone-home-villager');

    await page.getByRole('link', { name: '我的家庭' }).click();
    await page.waitForURL(/\/m\/my-household$/);
    await page.getByText('家庭成员').first().waitFor();
    const text = await page.locator('main').innerText();
    expect(text).toMatch(MASKED_ID);
    expect(text).not.toMatch(/\b\d{17}[\dX]\b/);
    await expectAccessible(page, 'phone my household');
    await screenshot(page, 'phone-my-household');
  });

  it('cannot see another household', async () => {
    const mine = await apiGet<{ id: number }>(page, '/me/household');
    // Any other household id of the county: the household after or before mine.
    const otherId = mine.id + 1;
    await page.goto(`/m/households/${otherId}`);
    await page.getByText(/记录不存在或无权查看/).first().waitFor();
    await screenshot(page, 'phone-other-household');
    const r = await page.request.get(`/api/v1/households/${otherId}`);
    expect([403, 404]).toContain(r.status());
  });

  it('raised no uncaught errors in the browser', () => {
    expect(errors).toEqual([]);
  });
});

describe('phone — grid worker', () => {
  it('lists my grids, their households and a household with masked IDs', async () => {
    const gctx = await phoneContext(browser, baseUrl);
    const p = await gctx.newPage();
    const errs = collectPageErrors(p);
    await phoneLogin(p, 'grid01', DEMO_PASSWORD);
    await p.getByRole('link', { name: '我的网格' }).click();
    await p.waitForURL(/\/m\/my-grids$/);
    const firstGrid = p.locator('.adm-list-item').first();
    await firstGrid.waitFor();
    await expectAccessible(p, 'phone my grids');
    await screenshot(p, 'phone-my-grids');
    await firstGrid.click();
    await p.waitForURL(/\/m\/my-grids\/\d+$/);
    const firstHousehold = p.locator('.adm-list-item').first();
    await firstHousehold.waitFor();
    await firstHousehold.click();
    await p.waitForURL(/\/m\/households\/\d+$/);
    await p.getByText('家庭成员').first().waitFor();
    expect(await p.locator('main').innerText()).toMatch(MASKED_ID);
    await expectAccessible(p, 'phone household detail');
    await screenshot(p, 'phone-household-detail');
    expect(errs).toEqual([]);
    await gctx.close();
  });

  it('the console answers a villager with no staff pages', async () => {
    const c = await browser.newContext({ baseURL: baseUrl });
    const p = await c.newPage();
    await consoleLogin(p, 'villager01', DEMO_PASSWORD);
    await p.goto('/households');
    // No registry permission: the menu has no 户籍 entry and the API refuses the list.
    expect(await p.getByRole('menuitem', { name: '户籍' }).count()).toBe(0);
    await c.close();
  });
});

describe('phone — 待我处理', () => {
  it('shows the mediator the disputes waiting for them and opens them', async () => {
    const ctx = await phoneContext(browser, baseUrl);
    const p = await ctx.newPage();
    const errs = collectPageErrors(p);
    await phoneLogin(p, 'mediator01', DEMO_PASSWORD);
    // The demo assigns open disputes to mediator01 (seed/mediation-activity.ts).
    const line = p.locator('[data-todo="mediation.mine"]');
    await line.waitFor();
    expect(Number((await line.locator('.adm-badge-content').innerText()).trim())).toBeGreaterThan(0);
    await expectAccessible(p, 'phone home with todos');
    await screenshot(p, 'phone-home-todos');
    await line.click();
    await p.waitForURL(/\/m\/mediation\/cases$/);
    expect(errs).toEqual([]);
    await ctx.close();
  });
});
