/**
 * Deliberation (议事协商, 四议两公开) end to end on the demo county: village01 proposes a topic in the
 * console and takes it through the party branch's proposal, the two committees, the party
 * members' review and the representatives' resolution — each resting on a meeting announced
 * ≥ 3 days ahead, with attendance and counts typed and the result computed — and publishes the
 * resolution (printable notice). villager01 casts the demo's open household vote on the phone and
 * finds the published resolution there. axe on each new page; screenshots deliberation-*.png.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, drawerAction, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `E2E${Date.now().toString(36)}`;
const TITLE = `${RUN} 村部广场健身器材采购`;

interface Meeting { id: number; kind: string; result: string | null; present: number | null }
interface Detail { id: number; state: string; stages: { status: string }[]; meetings: Meeting[]; history: { action: string }[] }

let browser: Browser;
const errors: string[] = [];
let id: number;

async function open(kind: 'phone' | 'console', username: string): Promise<Page> {
  const p = await (await (kind === 'phone' ? phoneContext : consoleContext)(browser, baseUrl)).newPage();
  errors.push(...[]);
  const errs = collectPageErrors(p);
  p.on('close', () => errors.push(...errs));
  if (kind === 'phone') await phoneLogin(p, username, DEMO_PASSWORD);
  else await consoleLogin(p, username, DEMO_PASSWORD);
  return p;
}

/** Beijing wall-clock time, as the date pickers take it. */
const bj = (ms: number) => new Date(Date.now() + ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
const H = 3_600_000;

async function okAndWait(page: Page, modal: Locator) {
  await modal.getByRole('button', { name: /确\s*定|OK/ }).click();
  await Promise.race([
    modal.waitFor({ state: 'hidden' }),
    page.locator('.ant-message-error').waitFor().then(async () => { throw new Error(await page.locator('.ant-message-error').innerText()); }),
  ]);
}
const dialog = (page: Page) => page.locator('.ant-modal').filter({ has: page.locator('.ant-modal-title') }).last();

async function step(page: Page, action: string, fill?: (m: Locator) => Promise<void>) {
  await drawerAction(page, action, { fill });
  await page.locator(`.ant-drawer [data-action="${action}"]`).waitFor({ state: 'detached' });
}

async function pick(page: Page, input: Locator, value: string) {
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await page.keyboard.press('Escape').catch(() => {});
}

/** Announces a meeting (5 days ago, held an hour ago) and records its counts. */
async function meeting(page: Page, kindLabel: string, expected: number, counts: [number, number, number, number]) {
  await page.getByTestId('meeting-new').click();
  const m = dialog(page);
  await m.waitFor();
  await m.locator('.ant-select').first().click();
  await page.locator('.ant-select-item-option').filter({ hasText: kindLabel }).first().click();
  const pickers = m.locator('.ant-picker input');
  await pick(page, pickers.nth(0), bj(-5 * 24 * H));
  await pick(page, pickers.nth(1), bj(-1 * H));
  await m.getByLabel('地点').fill('江口村村委会会议室');
  await m.locator('.ant-input-number input').first().fill(String(expected));
  await okAndWait(page, m);
  let mid = 0;
  await expect.poll(async () => {
    const d = await apiGet<Detail>(page, `/deliberation/topics/${id}`);
    mid = d.meetings.filter((x) => !x.result).pop()?.id ?? 0;
    return mid;
  }).toBeGreaterThan(0);
  await page.getByTestId(`meeting-counts-${mid}`).click();
  const c = dialog(page);
  await c.waitFor();
  const inputs = c.locator('.ant-input-number input');
  for (const [i, n] of counts.entries()) await inputs.nth(i).fill(String(n));
  await okAndWait(page, c);
  await page.getByTestId(`meeting-counts-${mid}`).waitFor({ state: 'detached' });
  return mid;
}

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('议事协商, 四议两公开', () => {
  it('village01 takes a topic through the four discussions with meetings and counts, and publishes the resolution', async () => {
    const page = await open('console', 'village01');
    await page.goto('/deliberation');
    await page.locator('[data-topic-id]').first().waitFor();
    await expectAccessible(page, 'console deliberation list');
    await screenshot(page, 'deliberation-console-list');

    await page.getByTestId('topic-new').click();
    const m = dialog(page);
    await m.waitFor();
    await m.getByLabel('议题', { exact: true }).fill(TITLE);
    await m.getByLabel('议题内容').fill('村部广场健身器材老化，拟采购一批新器材，资金从村集体收益中列支');
    await m.getByLabel('涉及金额（元）').fill('28000');
    await okAndWait(page, m);
    await page.waitForURL(/\/deliberation\/\d+$/);
    id = Number(page.url().match(/deliberation\/(\d+)/)![1]);
    await page.getByTestId('topic-steps').waitFor();

    await step(page, 'branch_propose', async (d) => { await d.locator('textarea').first().fill('经支委会研究，同意提交两委会商议'); });
    await meeting(page, '两委会', 9, [8, 7, 1, 0]);
    await step(page, 'committee_discuss', async (d) => {
      await d.locator('textarea').nth(0).fill('同意采购，采购由村务监督委员会全程监督');
      await d.locator('textarea').nth(1).fill('两委成员讨论了采购数量与资金来源');
    });
    await meeting(page, '党员大会', 32, [26, 24, 1, 1]);
    await step(page, 'members_review');
    await meeting(page, '村民代表会议', 27, [22, 20, 1, 1]);
    await step(page, 'resolve', async (d) => { await d.locator('textarea').first().fill('同意采购健身器材一批，预算 2.8 万元'); });

    let d = await apiGet<Detail>(page, `/deliberation/topics/${id}`);
    expect(d.state).toBe('resolved');
    expect(d.meetings.map((x) => x.result)).toEqual(['passed', 'passed', 'passed']);
    await page.locator('.ant-drawer canvas').first().waitFor();
    await page.getByTestId('topic-rules').getByText('三分之二以上').first().waitFor();
    await expectAccessible(page, 'console deliberation topic');
    await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' }).catch(() => {});
    await page.locator('.ant-drawer-body').evaluate((e) => { e.scrollTop = 380; });
    await screenshot(page, 'deliberation-console-topic');

    await step(page, 'publish');
    d = await apiGet<Detail>(page, `/deliberation/topics/${id}`);
    expect(d.state).toBe('resolution_published');
    expect(d.stages.map((s) => s.status)).toEqual(['finish', 'finish', 'finish', 'finish', 'finish', 'process']);
    await expect.poll(async () => page.getByTestId('topic-steps').locator('.ant-steps-item-finish').count()).toBe(5);
    await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' }).catch(() => {});
    await page.locator('.ant-drawer-body').evaluate((e) => { e.scrollTop = 0; });
    await screenshot(page, 'deliberation-console-published');
    await page.getByTestId('topic-notice').click();
    await page.getByTestId('notice-view').waitFor();
    expect(await page.getByTestId('notice-view').innerText()).toContain('同意采购健身器材一批');
    await expectAccessible(page, 'console deliberation notice');
    await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' }).catch(() => {});
    await screenshot(page, 'deliberation-console-notice');
    await page.close();
  });

  it('villager01 casts the open household vote and sees the published resolution on the phone', async () => {
    const phone = await open('phone', 'villager01');
    await phone.getByRole('link', { name: '村务议事' }).click();
    await phone.waitForURL(/\/m\/deliberation$/);
    const card = phone.locator('[data-testid^="vote-"]').first();
    await card.waitFor();
    await expectAccessible(phone, 'phone village affairs');
    await card.locator('[data-choice="for"]').click();
    await phone.locator('.adm-dialog').getByText('投票', { exact: true }).click();
    await card.getByTestId('my-vote').waitFor();
    expect(await card.getByTestId('my-vote').innerText()).toContain('赞成');
    await phone.locator('.adm-dialog').waitFor({ state: 'detached' }).catch(() => {});
    await phone.locator('.adm-toast-main').waitFor({ state: 'detached' }).catch(() => {});
    await screenshot(phone, 'deliberation-phone-vote');
    const again = await phone.request.post(`/api/v1/me/deliberation/meetings/${(await card.getAttribute('data-testid'))!.slice(5)}/vote`, { data: { choice: 'against' } });
    expect(again.status()).toBe(409);

    await phone.locator('.adm-list-item').filter({ hasText: TITLE }).first().click();
    await phone.waitForURL(new RegExp(`/m/deliberation/${id}$`));
    await phone.getByTestId('phone-notice').waitFor();
    expect(await phone.getByTestId('phone-notice').innerText()).toContain('同意采购健身器材一批');
    await expectAccessible(phone, 'phone published resolution');
    await screenshot(phone, 'deliberation-phone-resolution');
    await phone.close();
    expect(errors).toEqual([]);
  });
});
