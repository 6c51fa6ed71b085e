/**
 * 村务公开 end to end on the demo county: village01 enters an expense dated last month in the
 * console and signs it as 经办人 → eval01 signs the supervision step on the phone (待我审签) →
 * town01 signs the township step in the console → posted → eval01 confirms and publishes last
 * month on the monthly disclosure page → villager01 sees the month, with the entry, on the phone.
 * The entries, month, notices and chain pages and the phone pages pass axe.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, drawerAction, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `E2E${Date.now().toString(36)}`;
const now = new Date(Date.now() + 8 * 3_600_000);
const lastMonthDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 26));
const LAST_MONTH = lastMonthDate.toISOString().slice(0, 7);
const ENTRY_DATE = lastMonthDate.toISOString().slice(0, 10);

interface Entry { id: number; state: string; purpose: string; steps: { label: string; status: string }[]; period: string | null }

let browser: Browser;
let entryId: number;
const pages: Page[] = [];

async function open(kind: 'phone' | 'console', username: string): Promise<Page> {
  const p = await (await (kind === 'phone' ? phoneContext : consoleContext)(browser, baseUrl)).newPage();
  (p as Page & { errs?: string[] }).errs = collectPageErrors(p);
  if (kind === 'phone') await phoneLogin(p, username, DEMO_PASSWORD);
  else await consoleLogin(p, username, DEMO_PASSWORD);
  pages.push(p);
  return p;
}

async function drawerStep(page: Page, action: string) {
  await drawerAction(page, action, { fill: (m) => m.locator('textarea').fill('同意'), success: '已办理' });
}

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  for (const p of pages) expect((p as Page & { errs?: string[] }).errs ?? []).toEqual([]);
  await browser?.close();
});

describe('村务公开: sign-off, publication, the villager reads it', () => {
  it('village01 enters an expense in the console and signs it as 经办人', async () => {
    const page = await open('console', 'village01');
    await page.goto('/disclosure');
    await page.getByTestId('disclosure-entries').waitFor();
    await expectAccessible(page, 'console disclosure entries');
    await page.getByRole('button', { name: '录入收支' }).click();
    const modal = page.locator('.ant-modal').filter({ hasText: '录入收支' }).last();
    await modal.waitFor();
    const date = modal.locator('input#entryDate');
    await date.click();
    await date.fill(ENTRY_DATE);
    await date.press('Enter');
    await modal.locator('#category').click();
    await page.locator('.ant-select-item-option[title="办公经费"]').click();
    await modal.locator('#amount').fill('1234.56');
    await modal.locator('#counterparty').fill('县城文具店');
    await modal.locator('#purpose').fill(`${RUN} 购买会议室桌椅`);
    await modal.locator('#voucherNo').fill(`${RUN}-1`);
    await screenshot(page, 'disclosure-console-enter');
    await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await page.locator('.ant-drawer [data-testid="disclosure-steps"]').waitFor();
    const list = await apiGet<{ items: Entry[] }>(page, '/disclosure/entries?state=signing&limit=50');
    entryId = list.items.find((e) => e.purpose.startsWith(RUN))!.id;
    await drawerStep(page, 'sign');
    const e = await apiGet<Entry>(page, `/disclosure/entries/${entryId}`);
    expect(e.steps.map((s) => s.status)).toEqual(['finish', 'process', 'wait']);
    await screenshot(page, 'disclosure-console-drawer');
  });

  it('eval01 signs the supervision step on the phone (待我审签)', async () => {
    const phone = await open('phone', 'eval01');
    await phone.getByRole('link', { name: '待我审签' }).click();
    await phone.waitForURL(/\/m\/disclosure\/sign$/);
    await phone.getByText(`${RUN} 购买会议室桌椅`.slice(0, 20)).click();
    await phone.getByTestId('disclosure-sign').waitFor();
    await expectAccessible(phone, 'phone disclosure sign');
    await screenshot(phone, 'disclosure-phone-sign');
    await phone.getByTestId('disclosure-sign').click();
    await phone.waitForURL(/\/m\/disclosure\/sign$/);
    const e = await apiGet<Entry>(phone, `/disclosure/entries/${entryId}`);
    expect(e.steps.map((s) => s.status)).toEqual(['finish', 'finish', 'process']);
  });

  it('town01 signs the township step in the console: posted', async () => {
    const page = await open('console', 'town01');
    await page.goto('/disclosure');
    await page.getByRole('tab', { name: '待我审签' }).click();
    const row = page.locator('tr').filter({ hasText: RUN });
    await row.getByRole('button', { name: /审\s*签/ }).click();
    await drawerStep(page, 'sign');
    const e = await apiGet<Entry>(page, `/disclosure/entries/${entryId}`);
    expect(e).toMatchObject({ state: 'posted', period: LAST_MONTH });
    await page.getByText('已入账').first().waitFor();
    await screenshot(page, 'disclosure-console-posted');
  });

  it('eval01 confirms and publishes last month', async () => {
    const page = await open('console', 'eval01');
    await page.goto('/disclosure/months');
    await page.getByTestId('disclosure-totals').waitFor();
    await page.getByTestId('disclosure-publish').waitFor();
    await page.locator('canvas').first().waitFor();
    await expectAccessible(page, 'console disclosure month');
    await page.getByTestId('disclosure-publish').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await page.getByText('已公示').first().waitFor();
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached' });
    await screenshot(page, 'disclosure-console-month');
    const m = await apiGet<{ published: boolean; entries: { purpose: string }[] }>(page, `/disclosure/villages/${(await apiGet<{ items: { id: number }[] }>(page, '/disclosure/villages')).items[0]!.id}/months/${LAST_MONTH}`);
    expect(m.published).toBe(true);
    expect(m.entries.some((x) => x.purpose.startsWith(RUN))).toBe(true);
  });

  it('villager01 sees the published month with the entry, and the notices, on the phone', async () => {
    const phone = await open('phone', 'villager01');
    await phone.getByRole('link', { name: '村务公开' }).click();
    await phone.waitForURL(/\/m\/disclosure$/);
    await phone.getByText(`${LAST_MONTH} 财务公开`).click();
    await phone.getByTestId('disclosure-phone-totals').waitFor();
    await phone.getByText(`${RUN} 购买会议室桌椅`, { exact: false }).waitFor();
    await expectAccessible(phone, 'phone disclosure month');
    await screenshot(phone, 'disclosure-phone-month');
    await phone.goBack();
    await phone.getByRole('tab', { name: '公开栏' }).click();
    await phone.getByText('垃圾收集点改造工程公示').waitFor();
    await expectAccessible(phone, 'phone disclosure notices');
    await screenshot(phone, 'disclosure-phone-notices');
  });

  it('the notices and chain pages pass axe', async () => {
    const page = await open('console', 'town01');
    await page.goto('/disclosure/notices');
    await page.getByText('垃圾收集点改造工程公示').waitFor();
    await expectAccessible(page, 'console disclosure notices');
    await screenshot(page, 'disclosure-console-notices');
    await page.goto('/disclosure/chain');
    await page.locator('.ant-steps').waitFor();
    await expectAccessible(page, 'console disclosure chain');
    await screenshot(page, 'disclosure-console-chain');
  });
});
