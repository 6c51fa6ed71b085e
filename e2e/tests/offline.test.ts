/**
 * The phone's outbox (待发送) on a weak village connection: grid01 goes offline
 * (context.setOffline), reports a case and records a visit; both are kept on the phone with the
 * message 已保存，联网后自动发送 and the badge 待发送 N; back online they go out in order and exist
 * once on the server. A lost answer (the server stored the record, the phone never heard) leaves
 * the item queued and its resend — same Idempotency-Key — stores nothing new. A refusal on resend
 * (a date in the future) leaves the queue and shows the server's reason on the 待发送 page. A
 * queued item is never sent under another user's session: it waits for its own user's login.
 * Each run writes its own texts (RUN), so a reused database does not matter.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `OFF${Date.now().toString(36)}`;
const QUEUED = '已保存，联网后自动发送';

interface Page_<T> { items: T[] }
interface CaseItem { id: number; code: string; description?: string }
interface VisitItem { id: number; notes?: string | null }
interface Claim { id: number; note: string | null; status: string }

let browser: Browser;
let ctx: BrowserContext;
let phone: Page;
let errs: string[];

const badge = (p: Page) => p.getByTestId('outbox-badge');

async function casesWith(p: Page, text: string): Promise<CaseItem[]> {
  return (await apiGet<Page_<CaseItem>>(p, `/cases?list=mine&q=${encodeURIComponent(text)}&limit=50`)).items;
}
async function claimsWith(p: Page, note: string): Promise<Claim[]> {
  return (await apiGet<Page_<Claim>>(p, '/points/claims?status=pending&limit=200')).items.filter((c) => c.note === note);
}

/** Opens 我要反映 online and fills it: first group, first category, the text. */
async function prepareCase(p: Page, text: string): Promise<void> {
  await p.goto('/m/cases/new');
  await p.getByTestId('case-category-group').locator('.adm-selector-item').first().click();
  await p.getByTestId('case-category').locator('.adm-selector-item').first().click();
  await p.getByTestId('case-description').locator('textarea').fill(text);
}

/** Opens 网格员记分 online for the first household, picks the first item and writes the note. */
async function prepareRecord(p: Page, note: string): Promise<void> {
  await p.goto('/m/points/record');
  await p.locator('.adm-list-item').first().click();
  await p.getByTestId('item-picker').click();
  await p.getByText('确定').click();
  await p.getByTestId('record-submit').waitFor();
  await p.locator('textarea').last().fill(note);
}

beforeAll(async () => {
  browser = await launch();
  // Recording points needs the village's adopted rule book: the cadre adopts the template once.
  const cadre = await (await consoleContext(browser, baseUrl)).newPage();
  await consoleLogin(cadre, 'village01', DEMO_PASSWORD);
  const villageId = (await apiGet<{ grants: { regionId: number }[] }>(cadre, '/auth/me')).grants[0]!.regionId;
  if ((await cadre.request.get(`/api/v1/points/villages/${villageId}/current-rules`)).status() === 409) {
    const draft = await cadre.request.post('/api/v1/points/rule-books', { data: { villageId, from: 'template' } });
    expect(draft.ok()).toBe(true);
    const adopt = await cadre.request.post(`/api/v1/points/rule-books/${(await draft.json()).id}/adopt`, { data: { meeting: '村民代表大会', resolution: '表决通过' } });
    expect(adopt.ok()).toBe(true);
  }
  await cadre.context().close();

  ctx = await phoneContext(browser, baseUrl);
  phone = await ctx.newPage();
  errs = collectPageErrors(phone);
  await phoneLogin(phone, 'grid01', DEMO_PASSWORD);
});

afterEach(async () => {
  await ctx?.setOffline(false); // a failed test must not leave the next one offline
});

afterAll(async () => {
  await browser?.close();
});

describe('the phone outbox', () => {
  it('keeps a case report and a visit made offline, shows 待发送 N, and sends each once when back online', async () => {
    // The visit form in a second tab of the same phone, loaded while online.
    const grid = (await apiGet<Page_<{ id: number }>>(phone, '/me/grids')).items[0]!;
    const household = (await apiGet<Page_<{ id: number }>>(phone, `/me/grids/${grid.id}/households?limit=1`)).items[0]!;
    const tab = await ctx.newPage();
    const tabErrs = collectPageErrors(tab);
    await tab.goto(`/m/visits/new/${household.id}`);
    await tab.getByText('户主本人', { exact: true }).click();
    await tab.getByTestId('visit-notes').locator('textarea').fill(`${RUN} 离线登记的走访`);
    await prepareCase(phone, `${RUN} 离线上报：村道边的护栏被撞坏`);

    await ctx.setOffline(true);
    // A photo picked offline cannot be uploaded: the report goes without it only if the user agrees.
    await phone.locator('input[type="file"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) });
    await phone.locator('.adm-image-uploader-cell-fail').waitFor();
    await phone.getByTestId('case-submit').click();
    const dialog = phone.locator('.adm-dialog');
    await dialog.getByText('有照片未能上传').waitFor();
    await dialog.getByRole('button', { name: '不带照片提交' }).click();
    await phone.getByText(QUEUED).waitFor();
    await phone.waitForURL(/\/m\/?$/);
    await expect.poll(() => badge(phone).innerText()).toBe('待发送 1');

    await tab.getByTestId('visit-submit').click();
    await tab.getByText(QUEUED).waitFor();
    await tab.close();
    expect(tabErrs).toEqual([]);
    // the other tab's item shows here too (same phone, same user)
    await expect.poll(() => badge(phone).innerText()).toBe('待发送 2');
    await phone.getByText(QUEUED).waitFor({ state: 'hidden' });
    await screenshot(phone, 'phone-offline-queued');

    // Nothing reached the server (the API request context is not the offline page).
    expect(await casesWith(phone, RUN)).toHaveLength(0);

    await badge(phone).click();
    await phone.waitForURL(/\/m\/outbox$/);
    await expect.poll(() => phone.getByTestId('outbox-item').count()).toBe(2);
    expect(await phone.getByTestId('outbox-item').first().innerText()).toContain('我要反映');
    expect(await phone.getByTestId('outbox-item').nth(1).innerText()).toContain('走访');
    await phone.getByText('当前未联网').waitFor();
    await expectAccessible(phone, 'phone outbox (offline)');
    await screenshot(phone, 'phone-offline-outbox');

    await ctx.setOffline(false);
    await phone.getByTestId('outbox-empty').waitFor({ timeout: 30_000 });
    expect(await badge(phone).count()).toBe(0);
    await screenshot(phone, 'phone-offline-sent');

    const cases = await casesWith(phone, RUN);
    expect(cases).toHaveLength(1);
    const visits = (await apiGet<Page_<VisitItem & { householdId: number }>>(phone, `/visits?mine=true&householdId=${household.id}&limit=200`)).items;
    const mine = await Promise.all(visits.map((v) => apiGet<VisitItem>(phone, `/visits/${v.id}`)));
    expect(mine.filter((v) => v.notes === `${RUN} 离线登记的走访`)).toHaveLength(1);
  });

  it('a lost answer: the server stored the record, the item stays queued, and its resend adds nothing', async () => {
    const note = `${RUN} 答复丢失的记分`;
    await prepareRecord(phone, note);
    let forwarded = 0;
    // The request reaches the server, which stores the claim; the phone gets a dropped connection.
    await phone.route('**/api/v1/points/claims', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      await route.fetch();
      forwarded++;
      await route.abort('connectionreset');
    });
    await phone.getByTestId('record-submit').click();
    await phone.getByText(QUEUED).waitFor();
    await expect.poll(() => badge(phone).innerText()).toBe('待发送 1');
    expect(forwarded).toBeGreaterThanOrEqual(1);
    expect(await claimsWith(phone, note)).toHaveLength(1);

    await badge(phone).click();
    await phone.waitForURL(/\/m\/outbox$/);
    await phone.getByTestId('outbox-item').first().waitFor();
    await phone.unroute('**/api/v1/points/claims');
    await phone.getByTestId('outbox-item').first().getByRole('button', { name: '重试' }).click();
    await phone.getByTestId('outbox-empty').waitFor({ timeout: 30_000 });
    const claims = await claimsWith(phone, note);
    expect(claims).toHaveLength(1);
    expect(claims[0]!.status).toBe('pending');
  });

  it('a refusal on resend leaves the queue and shows the server’s reason on 待发送', async () => {
    const note = `${RUN} 日期在将来`;
    await prepareRecord(phone, note);
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 2 * 86400_000).toISOString().slice(0, 10);
    await phone.getByRole('textbox', { name: '发生日期' }).fill(tomorrow);
    await ctx.setOffline(true);
    await phone.getByTestId('record-submit').click();
    await phone.getByText(QUEUED).waitFor();
    await ctx.setOffline(false);
    await expect.poll(() => badge(phone).innerText(), { timeout: 30_000 }).toBe('未发出 1');
    await badge(phone).click();
    await phone.waitForURL(/\/m\/outbox$/);
    const item = phone.getByTestId('outbox-item').first();
    await item.getByText('未能发送').waitFor();
    expect(await item.getByTestId('outbox-error').innerText()).toMatch(/^原因：.*日期/);
    await phone.getByText(QUEUED).waitFor({ state: 'hidden' });
    await expectAccessible(phone, 'phone outbox (refused item)');
    await screenshot(phone, 'phone-offline-refused');
    expect(await claimsWith(phone, note)).toHaveLength(0);
    await item.getByRole('button', { name: '删除' }).click();
    await phone.locator('.adm-dialog').getByRole('button', { name: '删除' }).click();
    await phone.getByTestId('outbox-empty').waitFor();
  });

  it('never sends a queued item under another user: it waits for its own user', async () => {
    const text = `${RUN} 换人登录前离线上报`;
    await prepareCase(phone, text);
    await ctx.setOffline(true);
    await phone.getByTestId('case-submit').click();
    await phone.getByText(QUEUED).waitFor();
    // The session ends (cookie gone) while offline; back online the resend meets 401 and waits.
    await ctx.clearCookies();
    await ctx.setOffline(false);
    await phone.waitForURL(/\/m\/login/, { timeout: 40_000 });
    await phoneLogin(phone, 'villager01', DEMO_PASSWORD);
    await phone.getByRole('link', { name: '我要反映' }).waitFor();
    await phone.waitForTimeout(1500);
    expect(await badge(phone).count()).toBe(0);
    expect(await casesWith(phone, text)).toHaveLength(0); // not sent as villager01
    expect(await phone.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('xz.outbox.')))).toEqual(['xz.outbox.v1:grid01']);

    await phone.getByRole('button', { name: '退出登录' }).click();
    await phone.waitForURL(/\/m\/login/);
    await phoneLogin(phone, 'grid01', DEMO_PASSWORD);
    await expect.poll(async () => (await casesWith(phone, text)).length, { timeout: 30_000 }).toBe(1);
    await expect.poll(() => badge(phone).count()).toBe(0);
  });

  it('raised no uncaught errors in the phone pages', () => {
    expect(errs).toEqual([]);
  });
});
