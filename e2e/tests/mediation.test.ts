/**
 * Mediation (矛盾纠纷调解, 米易 八步工作法) end to end on the demo county: villager01 applies on the
 * phone choosing mediator01 from the pool → village01 accepts and assigns in the console (the
 * parties' choice preselected) → mediator01 investigates, informs, mediates and records the
 * agreement on the phone → village01 follows up and archives in the console, where the Steps bar
 * stands complete with the history and the agreement prints. The pool and the figures pages pass
 * axe. Each run files its own dispute with a unique text.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, drawerAction, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `E2E${Date.now().toString(36)}`;

interface Mediator { id: number; name: string }
interface Detail {
  id: number; code: string; state: string; mediatorUserId: number | null; preferredMediator: { id: number } | null;
  steps: { key: string; status: string }[]; history: { action: string }[]; sessions: unknown[]; parties: { signedAt: string | null }[];
}

let browser: Browser;
const errors: string[] = [];
let id: number;
let mediator: Mediator;

async function open(kind: 'phone' | 'console', username: string): Promise<Page> {
  const p = await (await (kind === 'phone' ? phoneContext : consoleContext)(browser, baseUrl)).newPage();
  const errs = collectPageErrors(p);
  (p as Page & { errs?: string[] }).errs = errs;
  if (kind === 'phone') await phoneLogin(p, username, DEMO_PASSWORD);
  else await consoleLogin(p, username, DEMO_PASSWORD);
  return p;
}
const pageErrors = (p: Page) => (p as Page & { errs?: string[] }).errs ?? [];

/** Runs one step in the console drawer through its modal and waits for the success message. */
async function consoleStep(page: Page, action: string, fill?: (modal: ReturnType<Page['locator']>) => Promise<void>) {
  await drawerAction(page, action, { fill, success: '已办理' });
}

/** Runs one step on the phone dispute page: tap the action, fill the small form, submit. */
async function phoneStep(page: Page, action: string, fill: () => Promise<void>) {
  await page.locator(`[data-action="${action}"]`).click();
  await page.getByTestId('step-form').waitFor();
  await fill();
  await page.getByTestId('step-submit').click();
  await page.getByTestId('step-form').waitFor({ state: 'detached' });
}

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('矛盾纠纷调解, eight steps', () => {
  it('villager01 applies on the phone, picking mediator01 from the pool', async () => {
    const phone = await open('phone', 'villager01');
    // mediator01's display name, as the pool shows it
    const me = await (await open('phone', 'mediator01')).request.get('/api/v1/auth/me');
    const mediatorMe = (await me.json()) as { id: number; displayName: string };
    const pool = await apiGet<{ items: Mediator[] }>(phone, '/me/mediators');
    mediator = pool.items.find((x) => x.id === mediatorMe.id)!;
    expect(mediator).toBeDefined();
    await phone.getByRole('link', { name: '申请调解' }).click();
    await phone.waitForURL(/\/m\/mediation\/apply$/);
    await phone.getByTestId('apply-type').getByText('邻里纠纷', { exact: true }).click();
    await phone.getByTestId('apply-summary').locator('textarea').fill(`${RUN} 邻居把猪圈修到我家菜地边，污水流进菜地`);
    await phone.getByTestId('apply-claim').locator('textarea').fill('猪圈挪开或做好排污，赔偿菜地损失');
    await phone.getByTestId('apply-other').locator('input').fill('刘德华');
    await phone.getByTestId('apply-mediator').locator('.adm-selector-item').filter({ hasText: mediator.name }).first().click();
    await expectAccessible(phone, 'phone mediation apply');
    await screenshot(phone, 'mediation-phone-apply');
    await phone.getByTestId('apply-submit').click();
    await phone.waitForURL(/\/m\/mediation\/mine\/\d+$/);
    id = Number(phone.url().match(/mine\/(\d+)/)![1]);
    await phone.getByTestId('phone-steps').waitFor();
    const d = await apiGet<Detail>(phone, `/me/disputes/${id}`);
    expect(d).toMatchObject({ state: 'applied', preferredMediator: { id: mediator.id } });
    // The "submitted" toast fades over the page; axe would measure the contrast of its fade.
    await phone.locator('.adm-toast-mask').waitFor({ state: 'detached' });
    await expectAccessible(phone, 'phone my dispute');
    await screenshot(phone, 'mediation-phone-mine');
    errors.push(...pageErrors(phone));
    await phone.close();
  });

  it('village01 accepts and assigns in the console, the parties\' choice preselected', async () => {
    const page = await open('console', 'village01');
    await page.goto('/disputes');
    await page.getByRole('tab', { name: '待受理' }).click();
    await page.locator(`[data-dispute-id="${id}"]`).waitFor();
    await expectAccessible(page, 'console dispute list');
    await screenshot(page, 'mediation-console-list');
    await page.goto(`/disputes/${id}`);
    await page.getByTestId('dispute-steps').waitFor();
    await consoleStep(page, 'accept', async (modal) => { await modal.locator('textarea').fill('属本村调解范围，予以受理'); });
    await consoleStep(page, 'assign', async (modal) => {
      const chosen = modal.locator('.ant-select-content, .ant-select-selection-item').first();
      await expect.poll(async () => chosen.innerText()).toContain(mediator.name);
      await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' }).catch(() => {});
      await screenshot(page, 'mediation-console-assign');
    });
    const d = await apiGet<Detail>(page, `/disputes/${id}`);
    expect(d).toMatchObject({ state: 'assigned', mediatorUserId: mediator.id });
    errors.push(...pageErrors(page));
    await page.close();
  });

  it('mediator01 investigates, informs, mediates and records the agreement on the phone', async () => {
    const phone = await open('phone', 'mediator01');
    await phone.getByRole('link', { name: '我的调解案件' }).click();
    await phone.waitForURL(/\/m\/mediation\/cases$/);
    await phone.locator('.adm-list-item').filter({ hasText: RUN }).first().click();
    await phone.waitForURL(new RegExp(`/m/mediation/cases/${id}$`));
    await phone.getByTestId('phone-steps').waitFor();
    await phoneStep(phone, 'investigate', async () => { await phone.getByTestId('step-findings').locator('textarea').fill('现场查看：猪圈距菜地不足两米，雨天污水流入菜地属实'); });
    await phoneStep(phone, 'inform', async () => {
      await phone.getByTestId('step-rightsTold').click();
      await phone.getByTestId('step-sessionAt').locator('input').fill('2026-12-01T10:00');
      await phone.getByTestId('step-sessionPlace').locator('input').fill('江口村人民调解室');
    });
    await phoneStep(phone, 'mediate', async () => {
      await phone.getByTestId('step-attendees').locator('input').fill('双方当事人、组长');
      await phone.getByTestId('step-record').locator('textarea').fill('双方陈述，调解员释法说理，对方同意修排污沟');
    });
    await phone.locator('[data-action="agree"]').click();
    await phone.getByTestId('step-agreementText').locator('textarea').fill('经调解，双方自愿达成如下协议：');
    await phone.getByTestId('step-terms').locator('textarea').fill('被申请人一个月内修好排污沟\n被申请人赔偿菜地损失 200 元');
    await expectAccessible(phone, 'phone mediator step form');
    await screenshot(phone, 'mediation-phone-agree');
    await phone.getByTestId('step-submit').click();
    await phone.getByTestId('phone-agreement').waitFor();
    const d = await apiGet<Detail>(phone, `/disputes/${id}`);
    expect(d.state).toBe('agreed');
    expect(d.sessions).toHaveLength(1);
    expect(d.parties.every((p) => p.signedAt)).toBe(true);
    await expectAccessible(phone, 'phone mediator dispute');
    await screenshot(phone, 'mediation-phone-mediator');
    errors.push(...pageErrors(phone));
    await phone.close();
  });

  it('village01 follows up and archives; the Steps bar is complete, with the history and the agreement', async () => {
    const page = await open('console', 'village01');
    await page.goto(`/disputes/${id}`);
    await page.getByTestId('dispute-steps').waitFor();
    await consoleStep(page, 'follow_up', async (modal) => {
      await modal.locator('.ant-select').first().click();
      await page.locator('.ant-select-item-option').filter({ hasText: '已履行' }).first().click();
      await modal.locator('textarea').first().fill('回访双方，排污沟已修好，赔偿已付');
    });
    await consoleStep(page, 'archive', async (modal) => { await modal.locator('input').first().fill(`江调〔${RUN}〕1号`); });
    const d = await apiGet<Detail>(page, `/disputes/${id}`);
    expect(d.state).toBe('archived');
    expect(d.steps.map((s) => s.status)).toEqual(Array(8).fill('finish'));
    expect(d.history.map((h) => h.action)).toEqual(['apply', 'accept', 'assign', 'investigate', 'inform', 'mediate', 'agree', 'follow_up', 'archive']);
    const steps = page.getByTestId('dispute-steps');
    await expect.poll(async () => steps.locator('.ant-steps-item-finish').count()).toBe(8);
    expect(await page.locator('[data-history]').count()).toBe(9);
    expect(await page.locator('.ant-drawer [data-action]').count()).toBe(0);
    await expectAccessible(page, 'console archived dispute');
    await page.locator('.ant-message-notice').last().waitFor({ state: 'detached' }).catch(() => {});
    await page.locator('.ant-drawer-body').evaluate((e) => { e.scrollTop = 0; });
    await screenshot(page, 'mediation-console-archived');
    await page.getByTestId('dispute-print').click();
    await page.getByTestId('agreement-view').waitFor();
    expect(await page.getByTestId('agreement-view').innerText()).toContain('被申请人一个月内修好排污沟');
    await screenshot(page, 'mediation-console-agreement');
    errors.push(...pageErrors(page));
    await page.close();
  });

  it('the mediator pool and the figures pages', async () => {
    const page = await open('console', 'village01');
    await page.goto('/disputes/pool');
    await page.locator('.ant-table-row').filter({ hasText: mediator.name }).first().waitFor();
    await expectAccessible(page, 'console mediator pool');
    await screenshot(page, 'mediation-console-mediators');
    await page.goto('/disputes/stats');
    await page.getByTestId('mediation-totals').waitFor();
    await page.locator('canvas').first().waitFor();
    await page.getByText('调解成功数 ÷ 调结数').first().waitFor();
    await expectAccessible(page, 'console mediation stats');
    await screenshot(page, 'mediation-console-stats');
    errors.push(...pageErrors(page));
    await page.close();
    expect(errors).toEqual([]);
  });
});
