/**
 * 走访 end to end (issues 3 and 4) on the demo county: the grid worker grid01 opens a household of
 * their grid on the phone, records a visit with an opinion, turns the opinion into a case in one
 * step, and the case exists with source 走访 naming the visit — on the phone and in the console.
 * The villager's 我的家庭 shows the linked party member with a number to call. The coverage tab
 * of the console shows the village. Each run writes its own visit with a unique text.
 * Also here (issue 5): the village cadre edits a draft rule book in the console — rename, remove,
 * add an item — sees what changes against the adopted book, and gets the server's Chinese message
 * for a bad draft. The draft is reset from the adopted book first, so earlier runs do not matter.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `E2E${Date.now().toString(36)}`;

interface Opinion { id: number; content: string; case: { id: number; code: string; state: string | null; stateLabel: string | null } | null }
interface Visit { id: number; householdId: number; met: string; opinions: Opinion[] }
interface CaseDetail { id: number; code: string; source: string; sourceRef: string | null; description: string }

async function apiPost<T>(page: Page, path: string, body: unknown): Promise<T> {
  const r = await page.request.post('/api/v1' + path, { data: body });
  if (!r.ok()) throw new Error(`POST ${path} → ${r.status()} ${await r.text()}`);
  return (await r.json()) as T;
}

let browser: Browser;
let phone: Page;
const errors: string[] = [];
let visitId: number;
let caseId: number;

beforeAll(async () => {
  browser = await launch();
  phone = await (await phoneContext(browser, baseUrl)).newPage();
  const errs = collectPageErrors(phone);
  phone.on('close', () => errors.push(...errs));
  (phone as Page & { errs?: string[] }).errs = errs;
  await phoneLogin(phone, 'grid01', DEMO_PASSWORD);
});

afterAll(async () => {
  await browser?.close();
});

describe('走访 on the phone', () => {
  it('grid worker records a visit with an opinion from the household page', async () => {
    await phone.getByRole('link', { name: '入户走访' }).waitFor();
    // a household of my first grid, reached through 我的网格
    const grid = (await apiGet<{ items: { id: number; name: string }[] }>(phone, '/me/grids')).items[0]!;
    const household = (await apiGet<{ items: { id: number; householderName: string }[] }>(phone, `/me/grids/${grid.id}/households?limit=1`)).items[0]!;
    await phone.getByRole('link', { name: '我的网格' }).click();
    await phone.waitForURL(/\/m\/my-grids$/);
    await phone.locator('.adm-list-item').filter({ hasText: grid.name }).first().click();
    await phone.waitForURL(new RegExp(`/m/my-grids/${grid.id}$`));
    await phone.locator('.adm-list-item').filter({ hasText: household.householderName }).first().click();
    await phone.waitForURL(new RegExp(`/m/households/${household.id}$`));
    const householdId = household.id;
    await phone.getByTestId('household-visits').waitFor();

    await phone.getByTestId('household-visit').click();
    await phone.waitForURL(new RegExp(`/m/visits/new/${householdId}$`));
    await phone.getByText('户主本人', { exact: true }).click();
    await phone.getByTestId('visit-notes').locator('textarea').fill(`${RUN} 家中老人腿脚不便，屋后排水沟堵了`);
    await phone.getByTestId('visit-add-opinion').click();
    await phone.getByTestId('visit-opinion-0').getByText('意见建议', { exact: true }).click();
    await phone.getByTestId('visit-opinion-0').locator('textarea').fill(`${RUN} 组里通往田间的排水沟堵塞，下雨就漫进稻田`);
    await expectAccessible(phone, 'phone visit form');
    await screenshot(phone, 'phone-visit-form');
    await phone.getByTestId('visit-submit').click();
    await phone.waitForURL(/\/m\/visits\/\d+$/);
    visitId = Number(phone.url().match(/visits\/(\d+)/)![1]);
    await phone.getByText(`${RUN} 组里通往田间的排水沟堵塞`).waitFor();

    const v = await apiGet<Visit>(phone, `/visits/${visitId}`);
    expect(v).toMatchObject({ householdId, met: '户主本人' });
    expect(v.opinions).toHaveLength(1);
    expect(v.opinions[0]!.case).toBeNull();
  });

  it('turns the opinion into a case in one step; the visit shows its number and status', async () => {
    await phone.getByTestId('visit-to-case').click();
    const group = phone.getByTestId('visit-case-group');
    await group.waitFor();
    await group.locator('.adm-selector-item').first().click();
    await phone.getByTestId('visit-case-category').locator('.adm-selector-item').first().click();
    await screenshot(phone, 'phone-visit-to-case');
    await phone.getByTestId('visit-case-submit').click();
    const ref = phone.getByTestId('visit-opinion-case');
    await ref.waitFor();
    const v = await apiGet<Visit>(phone, `/visits/${visitId}`);
    const c = v.opinions[0]!.case!;
    expect(c.code).toMatch(/^SJ\d{8}-\d{7}$/);
    expect(c.state).toBe('pending');
    caseId = c.id;
    const text = await ref.innerText();
    expect(text).toContain(c.code);
    expect(text).toContain(c.stateLabel!);
    expect(await phone.getByTestId('visit-to-case').count()).toBe(0);
    await expectAccessible(phone, 'phone visit detail');
    await screenshot(phone, 'phone-visit-detail');

    const d = await apiGet<CaseDetail>(phone, `/cases/${caseId}`);
    expect(d).toMatchObject({ source: 'household_visit', description: `${RUN} 组里通往田间的排水沟堵塞，下雨就漫进稻田` });
    expect(d.sourceRef).toContain(`走访记录#${visitId}`);
  });

  it('lists the visit under 我的走访 and on the household page', async () => {
    await phone.goto('/m/visits');
    await phone.getByText('我的走访').first().waitFor();
    const mine = phone.locator('.adm-list-item').filter({ hasText: (await apiGet<CaseDetail>(phone, `/cases/${caseId}`)).code });
    await mine.first().waitFor();
    await expectAccessible(phone, 'phone my visits');
    await screenshot(phone, 'phone-my-visits');
    await phone.getByText('久未走访').click();
    await phone.getByText(/近 30 天没有人走访过的户/).waitFor();
  });

  it('the case exists in the console with source 走访 naming the visit', async () => {
    const c = await (await consoleContext(browser, baseUrl)).newPage();
    const errs = collectPageErrors(c);
    await consoleLogin(c, 'grid01', DEMO_PASSWORD);
    await c.goto(`/cases/${caseId}`);
    const drawer = c.locator('.ant-drawer');
    await drawer.getByText(`走访：走访记录#${visitId}`).waitFor();
    await c.waitForTimeout(500); // the drawer slides in
    await screenshot(c, 'console-case-from-visit');
    await c.goto('/visits');
    await c.getByRole('tab', { name: '走访覆盖' }).waitFor();
    await c.locator('.ant-table-row').first().waitFor();
    await expectAccessible(c, 'console visits coverage');
    await screenshot(c, 'console-visits-coverage');
    expect(errs).toEqual([]);
    await c.close();
  });

  it('raised no uncaught errors in the phone pages', () => {
    expect((phone as Page & { errs?: string[] }).errs).toEqual([]);
  });
});

describe('我的家庭 — linked party member', () => {
  it('shows the member who covers the household, masked; 拨打 reveals the number (audited) for the dialer', async () => {
    const p = await (await phoneContext(browser, baseUrl)).newPage();
    const errs = collectPageErrors(p);
    await phoneLogin(p, 'villager01', DEMO_PASSWORD);
    const me = await apiGet<{ linkedMember: { name: string; phoneMasked: string | null; hasPhone: boolean } | null }>(p, '/me/household');
    await p.goto('/m/my-household');
    await p.getByText('家庭成员').first().waitFor();
    // The demo county is synthesised from a fixed seed: villager01's household is linked, and the
    // member (or, without a mobile, the member's household) has a phone.
    expect(me.linkedMember).toMatchObject({ hasPhone: true, phoneMasked: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) });
    const member = p.locator('.adm-list').filter({ hasText: '联户党员' });
    await member.getByText(me.linkedMember!.name).first().waitFor();
    await member.getByText(me.linkedMember!.phoneMasked!).waitFor();
    expect(await p.locator('a[href^="tel:"]').count()).toBe(0);
    await expectAccessible(p, 'phone my household with member');
    // The dialer itself is not there in a headless browser: keep the page where it is.
    await p.evaluate(() => window.addEventListener('beforeunload', (e) => e.preventDefault()));
    const call = member.getByRole('button', { name: new RegExp(`拨打电话 ${me.linkedMember!.name}`) });
    await call.click();
    const tel = member.locator('a[href^="tel:"]');
    await tel.waitFor();
    const number = (await tel.getAttribute('href'))!.slice(4);
    expect(number).toMatch(/^1\d{10}$/);
    expect(number.slice(0, 3) + '****' + number.slice(-4)).toBe(me.linkedMember!.phoneMasked);
    await screenshot(p, 'phone-my-household-member');
    expect(errs).toEqual([]);
    await p.close();
  });
});

describe('积分规则草稿 — editing in the console', () => {
  interface Item { code: string; name: string; min: number; max: number }
  interface Book { id: number; villageId: number; status: string; name: string; categories: { name: string; isExample: boolean; items: Item[] }[]; negative: Item[] }
  const content = (b: Book) => ({ name: b.name, categories: b.categories.map((c) => ({ name: c.name, isExample: c.isExample, items: c.items.map(({ code, name, min, max }) => ({ code, name, min, max })) })), negative: b.negative.map(({ code, name, min, max }) => ({ code, name, min, max })) });

  it('edits a draft, marks what changed against the adopted book, shows the API\'s message for a bad draft', async () => {
    const c = await (await consoleContext(browser, baseUrl)).newPage();
    const errs = collectPageErrors(c);
    await consoleLogin(c, 'village01', DEMO_PASSWORD);
    const villageId = (await apiGet<{ grants: { regionId: number }[] }>(c, '/auth/me')).grants[0]!.regionId;
    const adopted = await apiGet<Book>(c, `/points/villages/${villageId}/current-rules`);
    // this village's draft (left by an earlier run, or new), reset to the adopted content
    const list = await apiGet<{ id: number; status: string }[]>(c, `/points/rule-books?villageId=${villageId}`);
    const draftId = list.find((b) => b.status === 'draft')?.id ?? (await apiPost<{ id: number }>(c, '/points/rule-books', { villageId, from: 'current' })).id;
    const { revision } = await apiGet<{ revision: number }>(c, `/points/rule-books/${draftId}`); // a save names the revision it read
    const reset = await c.request.put(`/api/v1/points/rule-books/${draftId}`, { data: { revision, ...content(adopted) } });
    expect(reset.ok()).toBe(true);

    await c.goto('/points/rules');
    await c.locator('.ant-table-row').filter({ hasText: '草稿' }).getByText('编辑草稿').click();
    const editor = c.getByTestId('rules-editor');
    await editor.waitFor();
    await editor.getByTestId('rules-diff').getByText('与本村现行规则相同').waitFor();

    const first = adopted.categories[0]!;
    const rows = editor.locator('.ant-card-type-inner').first().locator('tbody tr.ant-table-row');
    // rename the first item, remove the second, add one to the negative list
    await rows.nth(0).getByLabel('积分项目').fill(`${first.items[0]!.name}（${RUN}）`);
    await rows.nth(1).getByLabel('删除项目').click();
    await editor.getByText('添加负面清单项目').click();
    const negRows = editor.locator('.ant-card-type-inner').last().locator('tbody tr.ant-table-row');
    await negRows.last().getByLabel('积分项目').fill(`${RUN} 高空抛物`);
    await editor.getByTestId('rules-diff').getByText('新增 1 项，修改 1 项，删除 1 项').waitFor();
    expect(await editor.getByText(`${first.items[1]!.code} ${first.items[1]!.name}`).count()).toBe(1); // listed as removed
    await editor.getByTestId('rules-save').click();
    await c.getByText('草稿已保存').first().waitFor();
    const saved = await apiGet<Book>(c, `/points/rule-books/${draftId}`);
    expect(saved.categories[0]!.items[0]!.name).toBe(`${first.items[0]!.name}（${RUN}）`);
    expect(saved.categories[0]!.items.map((i) => i.code)).not.toContain(first.items[1]!.code);
    expect(saved.negative.at(-1)).toMatchObject({ name: `${RUN} 高空抛物`, min: -5, max: -5 });
    await expectAccessible(c, 'console rule book editor');
    await screenshot(c, 'console-rules-editor');

    // a duplicate code: the server refuses the draft and names the row, in Chinese
    await rows.nth(1).getByLabel('编号').fill(first.items[0]!.code);
    await editor.getByTestId('rules-save').click();
    const problems = editor.getByTestId('rules-problems');
    await problems.waitFor();
    expect(await problems.innerText()).toContain(`编号 ${first.items[0]!.code} 重复`);
    expect(await problems.innerText()).toContain('第 1 类');
    await screenshot(c, 'console-rules-editor-problem');
    const unchanged = await apiGet<Book>(c, `/points/rule-books/${draftId}`);
    expect(unchanged.categories[0]!.items.map((i) => i.code)).toEqual(saved.categories[0]!.items.map((i) => i.code));
    expect(errs).toEqual([]);
    await c.close();
  });
});
