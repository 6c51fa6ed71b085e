/**
 * Cases end to end (issue 4), one case through the whole closed loop on the demo county:
 * a villager reports on the phone with a photo → the village cadre escalates (上报) → a township
 * cadre dispatches (分拨) to a department → department staff accept and resolve (办结) → the
 * villager rates (回访) → the console shows it closed (销号) with its full history. Then the
 * supervision list (督办): the county duty officer issues a supervision notice on an open case and
 * it shows there, with its traffic light; and a case of the demo's past that is truly overdue shows
 * in red, with the 超期 step the job runner recorded.
 * Every step goes through the pages; the API is used only to look up ids and to check results.
 * Nothing depends on earlier runs: each run files its own cases with a unique text.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { DEMO_PASSWORD } from '../../server/src/seed/demo-accounts.js';
import { apiGet, collectPageErrors, consoleContext, consoleLogin, drawerAction, expectAccessible, launch, phoneContext, phoneLogin, screenshot } from '../lib/browser.js';

const baseUrl = inject('baseUrl');
const RUN = `E2E${Date.now().toString(36)}`;

interface Category { id: number; parentId: number | null; code: string; name: string; handlingLevel: string }
interface Detail {
  id: number; code: string; state: string; stateLabel: string; level: string; light: string | null; supervised: boolean;
  photos: { id: number }[]; history: { action: string; actorName: string }[]; actions: { action: string }[];
}
interface Me { departmentId: number | null }

let browser: Browser;
const errors: string[] = [];
let caseId: number;
let caseCode: string;

async function phonePage(username: string): Promise<Page> {
  const p = await (await phoneContext(browser, baseUrl)).newPage();
  const errs = collectPageErrors(p);
  p.on('close', () => errors.push(...errs));
  await phoneLogin(p, username, DEMO_PASSWORD);
  return p;
}

const consolePages = new Map<string, Page>();
async function consolePage(username: string): Promise<Page> {
  const had = consolePages.get(username);
  if (had) return had;
  const p = await (await consoleContext(browser, baseUrl)).newPage();
  const errs = collectPageErrors(p);
  consolePages.set(username, p);
  await consoleLogin(p, username, DEMO_PASSWORD);
  (p as Page & { errs?: string[] }).errs = errs;
  return p;
}

/** Opens the case drawer in the console, runs one action through its modal and waits for success. */
async function step(page: Page, id: number, action: string, fill?: (modal: ReturnType<Page['locator']>) => Promise<void>): Promise<void> {
  await page.goto(`/cases/${id}`);
  await drawerAction(page, action, { fill, success: '操作成功' });
}

async function detail(page: Page, id: number): Promise<Detail> {
  return apiGet<Detail>(page, `/cases/${id}`);
}

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('cases, end to end', () => {
  it('a villager reports on the phone with a photo', async () => {
    const villager = await phonePage('villager01');
    const cats = (await apiGet<{ items: Category[] }>(villager, '/cases/categories')).items;
    // A village-level category, so the village handles it first and can escalate it.
    const cat = cats.find((c) => c.parentId != null && c.handlingLevel === 'village')!;
    const parent = cats.find((c) => c.id === cat.parentId)!;
    await villager.goto('/m/');
    await villager.getByRole('link', { name: '我要反映' }).click();
    await villager.waitForURL(/\/m\/cases\/new$/);
    await villager.getByTestId('case-category-group').getByText(parent.name, { exact: true }).click();
    await villager.getByTestId('case-category').getByText(cat.name, { exact: true }).click();
    await expect.poll(() => villager.getByTestId('case-category').locator('.adm-selector-item-active').innerText()).toBe(cat.name);
    await villager.getByTestId('case-description').locator('textarea').fill(`${RUN} 村口宅基地旁堆放建材占道，请核实处理`);
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#5a8f3c' } }).jpeg().toBuffer();
    await villager.locator('input[type="file"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
    await villager.locator('.adm-image-uploader-cell-image, .adm-image-uploader-cell img').first().waitFor();
    await expect.poll(() => villager.locator('.adm-image-uploader-cell-loading').count()).toBe(0);
    await screenshot(villager, 'cases-phone-report');
    await villager.getByTestId('case-submit').click();
    await villager.waitForURL(/\/m\/cases\/\d+$/);
    caseId = Number(new URL(villager.url()).pathname.split('/').pop());
    await villager.getByTestId('case-state').waitFor();
    expect(await villager.getByTestId('case-state').innerText()).toBe('待受理');
    const d = await detail(villager, caseId);
    caseCode = d.code;
    expect(d.level).toBe('village');
    expect(d.photos).toHaveLength(1);
    await screenshot(villager, 'cases-phone-detail');
    await villager.close();
  });

  it('the village cadre escalates it to the township', async () => {
    const cadre = await consolePage('village01');
    await cadre.goto('/cases/inbox');
    await cadre.locator('tr', { hasText: caseCode }).waitFor();
    await screenshot(cadre, 'cases-console-inbox');
    await step(cadre, caseId, 'escalate', async (m) => {
      await m.getByLabel('意见 / 理由').fill('涉及占道，需乡镇协调');
    });
    const d = await detail(cadre, caseId);
    expect(d.level).toBe('township');
    expect(d.state).toBe('pending');
  });

  it('a township cadre dispatches it to a department', async () => {
    const dept = await consolePage('dept01');
    const deptId = (await apiGet<Me>(dept, '/auth/me')).departmentId!;
    const town = await consolePage('town01');
    const deps = await apiGet<{ items: { id: number; name: string }[] }>(town, '/departments?limit=200');
    const name = deps.items.find((x) => x.id === deptId)!.name;
    // The township cadre cannot resolve a case the village escalated without taking it: only
    // the actions the server allows are shown.
    await town.goto(`/cases/${caseId}`);
    await town.locator('.ant-drawer [data-action="dispatch"]').waitFor();
    expect(await town.locator('.ant-drawer [data-action="resolve"]').count()).toBe(0);
    await step(town, caseId, 'dispatch', async (m) => {
      await m.getByLabel('承办部门').click();
      await town.locator('.ant-select-dropdown:visible').getByTitle(name, { exact: true }).click();
      await m.getByLabel('意见 / 理由').fill('请县直部门依职责办理');
    });
    const d = await detail(town, caseId);
    expect(d.level).toBe('department');
    await screenshot(town, 'cases-console-dispatched');
  });

  it('department staff accept and resolve it', async () => {
    const dept = await consolePage('dept01');
    await step(dept, caseId, 'accept');
    await step(dept, caseId, 'resolve', async (m) => {
      await m.getByLabel('办理结果').fill('已联系当事人清理建材，道路恢复通行');
    });
    expect((await detail(dept, caseId)).state).toBe('resolved');
  });

  it('the villager rates the result on the phone and the case closes', async () => {
    const villager = await phonePage('villager01');
    await villager.goto('/m/cases/mine');
    await villager.locator('.adm-list-item', { hasText: caseCode }).click();
    await villager.waitForURL(new RegExp(`/m/cases/${caseId}$`));
    await villager.getByTestId('case-rate').waitFor();
    // antd-mobile's Rate listens to touch gestures: tap the fifth star.
    await villager.locator('.adm-rate').getByRole('radio', { name: '5', exact: true }).tap();
    await villager.getByTestId('case-rate').click();
    await expect.poll(() => villager.getByTestId('case-state').innerText()).toBe('已销号');
    await screenshot(villager, 'cases-phone-rated');
    await villager.close();
  });

  it('the console shows it closed with its full history', async () => {
    const town = await consolePage('town01');
    await town.goto('/cases');
    await town.getByRole('tab', { name: '销号清单' }).click();
    await town.locator('tr', { hasText: caseCode }).waitFor();
    await town.goto(`/cases/${caseId}`);
    const drawer = town.locator('.ant-drawer');
    await drawer.getByText('已销号').first().waitFor();
    const history = await drawer.locator('[data-history]').evaluateAll((els) => els.map((e) => e.getAttribute('data-history')));
    for (const a of ['report', 'escalate', 'dispatch', 'accept', 'resolve', 'rate']) expect(history).toContain(a);
    // A closed case offers the township no handling buttons.
    expect(await drawer.locator('[data-action="resolve"], [data-action="dispatch"], [data-action="escalate"]').count()).toBe(0);
    await screenshot(town, 'cases-console-closed');
  });

  it('the supervision list shows a case under supervision, with its traffic light', async () => {
    // An open case at the township, reported by the village cadre through the API.
    const cadre = await consolePage('village01');
    const cats = (await apiGet<{ items: Category[] }>(cadre, '/cases/categories')).items;
    const cat = cats.find((c) => c.parentId != null && c.handlingLevel === 'township')!;
    const me = await apiGet<{ grants: { regionId: number }[] }>(cadre, '/auth/me');
    const made = await cadre.request.post('/api/v1/cases', { data: { categoryId: cat.id, description: `${RUN} 村道塌陷一处，过往车辆有危险`, regionId: me.grants[0]!.regionId } });
    expect(made.ok(), await made.text()).toBe(true);
    const open = (await made.json()) as { id: number; code: string };

    // The county duty officer issues a supervision notice (督办) through the page.
    const county = await consolePage('county');
    await step(county, open.id, 'supervise', async (m) => {
      await m.getByLabel('意见 / 理由').fill('请于三个工作日内办结并报送结果');
    });
    await county.goto('/cases/supervision');
    const row = county.locator('tr', { hasText: open.code });
    await row.waitFor();
    await expect.poll(() => row.innerText()).toMatch(/已督办/);
    await expect.poll(() => row.innerText()).toMatch(/正常|黄灯|红灯/);
    const d = await detail(county, open.id);
    expect(d.supervised).toBe(true);
    expect(d.history.map((h) => h.action)).toContain('supervise');
    await screenshot(county, 'cases-console-supervision');
  });

  it('the supervision list shows a case past its handling limit in red, and its history says 超期', async () => {
    // The demo county's cases were reported over the past weeks (seed/activity.ts); some open
    // ones are past their limits. The server's job runner fires their deadline timers on its first
    // rounds after start, so the red light and the 超期 step are the product's own doing.
    const town = await consolePage('town01');
    let late: { id: number; code: string } | undefined;
    await expect.poll(async () => {
      const items = (await apiGet<{ items: { id: number; code: string; light: string | null; supervised: boolean }[] }>(town, '/cases?list=supervision&limit=100')).items;
      const reds = items.filter((i) => i.light === 'red' && !i.supervised);
      for (const r of reds) {
        const d = await detail(town, r.id);
        if (d.history.some((h) => h.action === 'overdue')) return (late = r);
      }
      return undefined;
    }, { timeout: 30_000, interval: 1000 }).toBeTruthy();
    await town.goto('/cases/supervision');
    const row = town.locator('tr', { hasText: late!.code });
    await row.waitFor();
    await expect.poll(() => row.innerText()).toMatch(/红灯（超期）/);
    await expect.poll(() => row.innerText()).not.toMatch(/已督办/);
    await town.goto(`/cases/${late!.id}`);
    const drawer = town.locator('.ant-drawer');
    await drawer.locator('[data-history="overdue"]').first().waitFor();
    await expect.poll(() => drawer.innerText()).toMatch(/超期（红灯）/);
    await screenshot(town, 'cases-console-overdue');
  });

  it('the rates page compares units in a chart, drills down from the county to a township, and states its definitions', async () => {
    const county = await consolePage('county');
    await county.goto('/cases/rates');
    const town = county.locator('tr', { hasText: '江口镇' });
    await town.waitFor();
    await county.getByRole('img', { name: '各单位指标对比（%）' }).locator('canvas').waitFor();
    await county.getByText('指标口径').waitFor();
    // 江口镇 holds the demo county's cases: its row counts them; the drill-down lists its villages.
    expect(Number((await town.locator('td').nth(1).innerText()).trim())).toBeGreaterThan(0);
    await town.getByRole('link', { name: '江口镇' }).or(town.locator('a', { hasText: '江口镇' })).first().click();
    await county.locator('.ant-breadcrumb', { hasText: '江口镇' }).waitFor();
    await expect.poll(() => county.locator('.ant-breadcrumb').innerText()).toMatch(/洞口县\s*\/\s*江口镇/);
    await county.locator('tr', { hasText: '江口村' }).waitFor();
    await county.getByRole('img', { name: '各单位指标对比（%）' }).locator('canvas').waitFor();
    await expectAccessible(county, 'console case rates');
    await screenshot(county, 'cases-console-rates');
  });

  it('the case map (挂图作战) shows the villages with open cases, red where some are overdue, and opens a village\'s list', async () => {
    const town = await consolePage('town01');
    await town.goto('/cases/map');
    const map = town.getByRole('region', { name: '在办事件地图' });
    await map.locator('path.leaflet-interactive').first().waitFor();
    // The demo's 江口村 has overdue open cases (seed/activity.ts lays them in the past).
    const row = town.locator('tr', { hasText: '江口村' });
    await row.waitFor();
    expect(Number(await row.locator('td').nth(2).innerText())).toBeGreaterThan(0);
    expect(await map.locator('path.leaflet-interactive[fill="#c62828"]').count()).toBeGreaterThan(0);
    await expectAccessible(town, 'console case map');
    await screenshot(town, 'cases-console-map');
    await row.locator('a', { hasText: '江口村' }).click();
    await town.waitForURL(/\/cases\?regionId=\d+/);
    await town.locator('.ant-table-row').first().waitFor();
  });

  it('the console home lists what waits for the cadre (待办) and leads to it', async () => {
    const town = await consolePage('town01');
    await town.goto('/');
    const todos = town.locator('section', { has: town.getByRole('heading', { name: '待办事项' }) });
    const overdue = todos.locator('[data-todo="cases.overdue"]');
    await overdue.waitFor();
    // The demo's 江口镇 has open cases past their limits.
    expect(Number((await overdue.locator('.ant-statistic-content-value').innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
    await todos.locator('[data-todo="cases.inbox"]').waitFor();
    await expectAccessible(town, 'console home with todos');
    await screenshot(town, 'console-home-todos');
    await overdue.click();
    await town.waitForURL(/\/cases\/supervision$/);
  });

  it('raised no uncaught errors in the browser', () => {
    for (const p of consolePages.values()) errors.push(...((p as Page & { errs?: string[] }).errs ?? []));
    expect(errors).toEqual([]);
  });
});
