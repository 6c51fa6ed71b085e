/**
 * The console as a village cadre (demo account village01) sees it: login, the region tree, the
 * household list with masked IDs, another village's household answering "not found", and a roster
 * dry run that reports the one bad row. axe checks login, tree and household list.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, expectAccessible, launch, screenshot } from '../lib/browser.js';
import { makeIdNumber } from '../lib/idcard.js';

const baseUrl = inject('baseUrl');
const account = (name: string) => {
  const a = DEMO_ACCOUNTS.find((x) => x.username === name);
  if (!a) throw new Error(`demo account ${name} missing`);
  return a;
};
const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

interface Me { grants: { role: string; regionId: number; regionLevel: string }[] }
interface Page_<T> { items: T[]; nextCursor: string | null }

let browser: Browser;
let ctx: BrowserContext;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  ctx = await consoleContext(browser, baseUrl);
  page = await ctx.newPage();
  errors = collectPageErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

describe('console — village cadre', () => {
  it('shows an accessible Chinese login page and refuses a wrong password', async () => {
    await page.goto('/login');
    await page.getByRole('heading', { name: '乡治' }).waitFor();
    await page.getByLabel('用户名').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expectAccessible(page, 'login');
    await screenshot(page, 'console-login');

    await page.getByLabel('用户名').fill(account('village01').username);
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
  });

  it('logs in and browses the region tree of its village', async () => {
    await consoleLogin(page, 'village01', DEMO_PASSWORD);
    await page.goto('/regions');
    // The only granted root is the village: the page opens it and shows its counts.
    await page.waitForURL(/\/regions\/\d+$/);
    await page.getByText('户数').first().waitFor();
    await page.locator('.ant-tree-treenode:not([aria-hidden="true"])').first().waitFor();
    const me = await apiGet<Me>(page, '/auth/me');
    const villageId = me.grants.find((g) => g.regionLevel === 'village')!.regionId;
    expect(page.url()).toMatch(new RegExp(`/regions/${villageId}$`));
    // Expand to the groups: at least one child node appears under the village.
    await page.locator('.ant-tree-treenode:not([aria-hidden="true"])').nth(1).waitFor();
    await page.locator('canvas').first().waitFor(); // the ECharts comparison of the groups
    await page.waitForTimeout(800);
    await expectAccessible(page, 'region tree');
    await screenshot(page, 'console-region-tree');
  });

  it('lists households with masked personal data', async () => {
    await page.goto('/households');
    const firstRow = page.locator('.ant-table-tbody tr.ant-table-row').first();
    await firstRow.waitFor();
    await page.waitForTimeout(300);
    await expectAccessible(page, 'household list');
    await screenshot(page, 'console-households');

    await firstRow.getByRole('link').first().click();
    await page.waitForURL(/\/households\/\d+/);
    const drawer = page.locator('.ant-drawer-section');
    await drawer.getByText('家庭成员').waitFor();
    const ids = await drawer.locator('.ant-table-tbody td .xz-mono').allTextContents();
    const idCells = ids.filter((t) => t.includes('*') && t.length === 18);
    expect(idCells.length).toBeGreaterThan(0);
    for (const c of idCells) expect(c).toMatch(MASKED_ID);
    // No clear 18-digit ID number anywhere on the page.
    const body = await page.locator('body').innerText();
    expect(body).not.toMatch(/\b\d{17}[\dX]\b/);
    await screenshot(page, 'console-household-detail');
  });

  it('answers another village’s household with "记录不存在或无权查看"', async () => {
    // Find a household of village02 through that cadre's own session.
    const other = await browser.newContext({ baseURL: baseUrl });
    const otherPage = await other.newPage();
    await consoleLogin(otherPage, 'village02', DEMO_PASSWORD);
    const list = await apiGet<Page_<{ id: number }>>(otherPage, '/households?limit=1');
    await other.close();
    expect(list.items.length).toBe(1);

    await page.goto(`/households/${list.items[0]!.id}`);
    await page.getByText('记录不存在或无权查看').first().waitFor();
    await screenshot(page, 'console-household-not-found');
    // An unknown route inside the console is not blank either.
    await page.goto('/no-such-page');
    await page.getByText('记录不存在或无权查看').first().waitFor();
  });

  it('dry-runs a roster with one bad row and reports it by row and column', async () => {
    const me = await apiGet<Me>(page, '/auth/me');
    const villageId = me.grants.find((g) => g.regionLevel === 'village')!.regionId;
    const groups = await apiGet<{ name: string }[]>(page, `/regions/tree?parentId=${villageId}`);
    const group = groups[0]!.name;
    const stamp = Date.now() % 900;
    const header = '户编号(可空),村民小组,门牌地址,姓名,与户主关系,身份证号,手机号,民族,政治面貌,户标签';
    const rows = [
      `,${group},${group}99号,测试甲,户主,${makeIdNumber('430525', '1971-03-04', stamp, 'M')},13900001111,汉族,群众,脱贫户`,
      `,${group},,测试乙,配偶,${makeIdNumber('430525', '1973-05-06', stamp + 2, 'F')},,汉族,群众,`,
      `,${group},,测试丙,子,430525199001011235,,汉族,群众,`, // wrong check digit → the one bad row
      `,${group},,测试丁,女,${makeIdNumber('430525', '2001-07-08', stamp + 4, 'F')},,汉族,共青团员,`,
    ];
    const csv = '\uFEFF' + [header, ...rows].join('\r\n') + '\r\n';

    await page.goto('/roster');
    await page.getByText('花名册导入导出').waitFor();
    await page.locator('#roster-village').click();
    await page.locator('.ant-select-tree-node-content-wrapper').first().click();
    await page.locator('input[type=file]').setInputFiles({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: /预检/ }).click();
    const errorsTable = page.locator('table').filter({ hasText: '原因' });
    await errorsTable.locator('tbody tr').first().waitFor({ timeout: 60_000 });
    const errorRows = await errorsTable.locator('tbody tr').allInnerTexts();
    expect(errorRows.length).toBe(1);
    expect(errorRows[0]).toContain('身份证号');
    expect(errorRows[0]).toMatch(/\b4\b/); // header is row 1, so the third person is row 4
    await page.getByText(/预检发现 1 处问题/).waitFor();
    await screenshot(page, 'console-roster-dry-run');
  });

  it('raised no uncaught errors in the browser', () => {
    expect(errors).toEqual([]);
  });
});
