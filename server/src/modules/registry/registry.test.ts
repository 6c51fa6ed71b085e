import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { idCheckDigit, makeIdNumber } from '../../core/pii.js';
import { buildGrid, freshIdNumber, freshPhone, householderOf, rowCounts } from './testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const clients: Record<string, Client> = {};
const as = async (u: string) => (clients[u] ??= await new Client(app).login(u));
const api = (p: string) => `/api/v1${p}`;

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
}, 600_000); // a loaded CI machine can take minutes to build the world
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** Every plaintext ID number / phone a test has used: none may ever appear in audit rows. */
const plaintexts = new Set<string>();

describe('households: list and detail', () => {
  it('lists only the caller’s village, masked, with group, village, grid names', async () => {
    const c = await as('villageA1');
    const r = await c.get(api('/households'));
    expect(r.status).toBe(200);
    expect(r.body.items.map((h: any) => h.id).sort()).toEqual([world.households.hA1a, world.households.hA1b, world.households.hA1c].sort());
    const h = r.body.items[0];
    expect(h).toMatchObject({ groupName: '一组', villageName: '一村', gridName: 'G-A1网格', memberCount: 3, status: 'active', linkedMemberName: null });
    expect(h.phoneMasked).toMatch(/^138\*{4}\d{4}$/);
    expect(JSON.stringify(r.body)).not.toMatch(/\d{17}[\dX]/);
  });

  it('pages by cursor', async () => {
    const c = await as('townA');
    const p1 = await c.get(api('/households?limit=2'));
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.nextCursor).toBeTruthy();
    const p2 = await c.get(api(`/households?limit=2&cursor=${p1.body.nextCursor}`));
    const p3 = await c.get(api(`/households?limit=2&cursor=${p2.body.nextCursor}`));
    const ids = [...p1.body.items, ...p2.body.items, ...p3.body.items].map((h: any) => h.id);
    expect(new Set(ids).size).toBe(5);
    expect(p3.body.nextCursor).toBeNull();
    expect((await c.get(api(`/households?cursor=${Buffer.from('abc').toString('base64url')}`))).status).toBe(400);
    expect((await c.get(api('/households?limit=500'))).status).toBe(400);
  });

  it('filters by name, code, tag, grid, exact ID number and exact phone', async () => {
    const c = await as('townA');
    const byName = await c.get(api(`/households?q=${encodeURIComponent('李')}`));
    expect(byName.body.items.map((h: any) => h.householderName)).toEqual(['李秀英']);
    await database.db.updateTable('households').set({ tags: ['低保户'] }).where('id', '=', world.households.hA2a).execute();
    const byTag = await c.get(api(`/households?tag=${encodeURIComponent('低保户')}`));
    expect(byTag.body.items.map((h: any) => h.id)).toEqual([world.households.hA2a]);
    const byGrid = await c.get(api(`/households?gridId=${world.grids.gA2}`));
    expect(byGrid.body.items).toHaveLength(2);
    const byId = await c.get(api(`/households?idNumber=${world.idNumbers.hA1b}`));
    expect(byId.body.items.map((h: any) => h.id)).toEqual([world.households.hA1b]);
    const phone = await database.db.selectFrom('households').select('phone_masked').where('id', '=', world.households.hA1c).executeTakeFirstOrThrow();
    expect(phone.phone_masked).toBeTruthy();
    // world phones are 1380000 + 4 digits; find hA1c's by trying the masked tail
    const tail = phone.phone_masked!.slice(-4);
    const byPhone = await c.get(api(`/households?phone=1380000${tail}`));
    expect(byPhone.body.items.map((h: any) => h.id)).toEqual([world.households.hA1c]);
  });

  it('does not find a household outside the scope even by exact ID number', async () => {
    const c = await as('villageA1');
    const r = await c.get(api(`/households?idNumber=${world.idNumbers.hB1a}`));
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([]);
  });

  it('answers bad filters with 4xx, a code and a Chinese message', async () => {
    const c = await as('villageA1');
    const badId = await c.get(api('/households?idNumber=430525198506150000'));
    expect(badId.status).toBe(400);
    expect(badId.body.code).toBe('INVALID_ID_NUMBER');
    expect(badId.body.message).toMatch(/身份证/);
    const badPhone = await c.get(api('/households?phone=12345'));
    expect(badPhone.body.code).toBe('INVALID_PHONE');
    const otherRegion = await c.get(api(`/households?regionId=${world.regions.villageB1.id}`));
    expect(otherRegion.status).toBe(404);
    expect(otherRegion.body.code).toBe('REGION_NOT_FOUND');
    const unknownRegion = await c.get(api('/households?regionId=987654'));
    expect(unknownRegion.body.code).toBe('REGION_NOT_FOUND');
    const otherGrid = await c.get(api(`/households?gridId=${world.grids.gB1}`));
    expect(otherGrid.status).toBe(404);
    const unknownParam = await c.get(api('/households?foo=1'));
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.code).toBe('VALIDATION_FAILED');
  });

  it('shows a household with residents (masked, age from birth date), 404 outside scope', async () => {
    const c = await as('villageA1');
    const r = await c.get(api(`/households/${world.households.hA1a}`));
    expect(r.status).toBe(200);
    expect(r.body.residents).toHaveLength(3);
    const head = r.body.residents[0];
    expect(head.relation).toBe('户主');
    expect(head.idNumberMasked).toBe(world.idNumbers.hA1a!.slice(0, 6) + '********' + world.idNumbers.hA1a!.slice(-4));
    expect(head.age).toBeGreaterThan(20);
    expect(r.body.can).toEqual({ edit: true, reveal: true });
    expect(r.body.version).toBe(1);
    expect(r.body.linkedMember).toBeNull();
    expect(JSON.stringify(r.body)).not.toContain(world.idNumbers.hA1a);
    const other = await c.get(api(`/households/${world.households.hA2a}`));
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('NOT_FOUND');
    const missing = await c.get(api('/households/99999999'));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ ...other.body, details: missing.body.details });
    const evalr = await (await as('evalA1')).get(api(`/households/${world.households.hA1a}`));
    expect(evalr.body.can).toEqual({ edit: false, reveal: false });
  });
});

describe('households: create, update, history', () => {
  let created: any;

  it('creates a household in a group with the next code, audited', async () => {
    const c = await as('villageA1');
    const phone = freshPhone();
    plaintexts.add(phone);
    const r = await c.post(api('/households'), { regionId: world.regions.groupA1.id, gridId: world.grids.gA1, address: '一组12号', householderName: '孙立新', phone, tags: ['脱贫户', '脱贫户'] });
    expect(r.status).toBe(201);
    created = r.body;
    expect(created).toMatchObject({ code: '4305251002010010001', householderName: '孙立新', memberCount: 0, tags: ['脱贫户'], gridId: world.grids.gA1, version: 1 });
    expect(created.phoneMasked).toBe(phone.slice(0, 3) + '****' + phone.slice(-4));
    const second = await c.post(api('/households'), { regionId: world.regions.groupA1.id, address: '一组13号', householderName: '孙立强' });
    expect(second.body.code).toBe('4305251002010010002');
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'household.create').where('entity_id', '=', String(created.id)).executeTakeFirstOrThrow();
    expect(a.region_path).toBe(world.regions.groupA1.path);
  });

  it('refuses bad input and writes nothing', async () => {
    const c = await as('townA');
    const before = await rowCounts(database.db);
    const cases: [unknown, number, string][] = [
      [{ regionId: world.regions.groupA1.id, address: 'x', householderName: 'y', phone: '1234567' }, 400, 'INVALID_PHONE'],
      [{ regionId: world.regions.groupA1.id, address: 'x', householderName: 'y', admin: true }, 400, 'VALIDATION_FAILED'],
      [{ regionId: 'one', address: 'x', householderName: 'y' }, 400, 'VALIDATION_FAILED'],
      [{ regionId: world.regions.groupA1.id, address: '', householderName: 'y' }, 400, 'VALIDATION_FAILED'],
      [{ regionId: world.regions.groupA1.id, address: '  ', householderName: 'y' }, 400, 'VALIDATION_FAILED'],
      [{ regionId: world.regions.groupA1.id, address: 'x' }, 400, 'VALIDATION_FAILED'],
      [{ regionId: world.regions.groupA1.id, address: 'x', householderName: 'y', tags: { a: 1 } }, 400, 'VALIDATION_FAILED'],
      [{ regionId: 424242, address: 'x', householderName: 'y' }, 404, 'REGION_NOT_FOUND'],
      [{ regionId: world.regions.groupB1.id, address: 'x', householderName: 'y' }, 404, 'REGION_NOT_FOUND'],
      [{ regionId: world.regions.townA.id, address: 'x', householderName: 'y' }, 400, 'HOUSEHOLD_REGION_INVALID'],
      [{ regionId: world.regions.groupA1.id, gridId: world.grids.gA2, address: 'x', householderName: 'y' }, 400, 'GRID_NOT_IN_REGION'],
      [{ regionId: world.regions.groupA1.id, gridId: world.grids.gB1, address: 'x', householderName: 'y' }, 404, 'NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const r = await c.post(api('/households'), body);
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), status, code]);
      expect(r.body.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('updates with the current version, refuses a stale one with 409, audits a masked diff', async () => {
    const c = await as('villageA1');
    const phone = freshPhone();
    plaintexts.add(phone);
    const ok = await c.patch(api(`/households/${created.id}`), { version: 1, address: '一组12号之一', phone, tags: ['独居老人'] });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ version: 2, address: '一组12号之一', tags: ['独居老人'] });
    const stale = await c.patch(api(`/households/${created.id}`), { version: 1, address: '别处' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONFLICT');
    expect(stale.body.message).toMatch(/修改/);
    const row = await database.db.selectFrom('households').select(['address', 'version']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ address: '一组12号之一', version: 2 });
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'household.update').where('entity_id', '=', String(created.id)).executeTakeFirstOrThrow();
    const before = typeof a.before === 'string' ? JSON.parse(a.before) : a.before;
    const after = typeof a.after === 'string' ? JSON.parse(a.after) : a.after;
    expect(before).toMatchObject({ address: '一组12号', tags: ['脱贫户'] });
    expect(after).toMatchObject({ address: '一组12号之一', tags: ['独居老人'], phoneMasked: phone.slice(0, 3) + '****' + phone.slice(-4) });
    expect(after).not.toHaveProperty('householderName');
  });

  it('moves and merges: merged is final', async () => {
    const c = await as('villageA1');
    const moved = await c.patch(api(`/households/${created.id}`), { version: 2, status: 'moved' });
    expect(moved.body.status).toBe('moved');
    const merged = await c.patch(api(`/households/${created.id}`), { version: 3, status: 'merged' });
    expect(merged.body).toMatchObject({ status: 'merged', can: { edit: false, reveal: true } });
    const again = await c.patch(api(`/households/${created.id}`), { version: 4, address: 'x' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('HOUSEHOLD_MERGED');
    const add = await c.post(api(`/households/${created.id}/residents`), { name: '孙甲', idNumber: freshIdNumber(), relation: '户主' });
    expect(add.body.code).toBe('HOUSEHOLD_MERGED');
  });

  it('refuses an update out of scope (404) and by a read-only role (403)', async () => {
    const v = await (await as('villageA2')).patch(api(`/households/${world.households.hA1b}`), { version: 1, address: 'x' });
    expect(v.status).toBe(404);
    const e = await (await as('evalA1')).patch(api(`/households/${world.households.hA1b}`), { version: 1, address: 'x' });
    expect(e.status).toBe(403);
    expect(e.body.code).toBe('FORBIDDEN');
  });

  it('shows the history of a household and its residents, newest first', async () => {
    const c = await as('villageA1');
    const r = await c.get(api(`/households/${created.id}/history`));
    expect(r.status).toBe(200);
    expect(r.body.map((e: any) => e.action)).toEqual(['household.update', 'household.update', 'household.update', 'household.create']);
    expect(r.body[0]).toMatchObject({ actorName: 'villageA1', entity: 'household' });
    expect((await (await as('villageB1')).get(api(`/households/${created.id}/history`))).status).toBe(404);
  });
});

describe('residents', () => {
  it('adds a member: gender and birth date come from the ID number; stored sealed', async () => {
    const c = await as('villageA1');
    const idNo = makeIdNumber('430525', '2001-02-03', 222, 'F');
    const phone = freshPhone();
    plaintexts.add(idNo).add(phone);
    const r = await c.post(api(`/households/${world.households.hA1b}/residents`), { name: '李小红', idNumber: idNo.toLowerCase(), relation: '女', phone, political: 'league' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: '李小红', gender: 'F', birthDate: '2001-02-03', relation: '女', ethnicity: '汉族', political: 'league', householdId: world.households.hA1b, version: 1 });
    expect(r.body.idNumberMasked).toBe(idNo.slice(0, 6) + '********' + idNo.slice(-4));
    const row = await database.db.selectFrom('residents').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(idNo);
    expect(JSON.stringify(row)).not.toContain(phone);
    const hh = await database.db.selectFrom('households').select('member_count').where('id', '=', world.households.hA1b).executeTakeFirstOrThrow();
    expect(hh.member_count).toBe(4);
    const dup = await c.post(api(`/households/${world.households.hA1c}/residents`), { name: '重复', idNumber: idNo, relation: '子' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('RESIDENT_ID_EXISTS');
  });

  it('refuses bad ID numbers (check digit, impossible or future birth date), bad phones, unknown fields; writes nothing', async () => {
    const c = await as('villageA1');
    const good = freshIdNumber();
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const body17 = '430525' + '19990230' + '123';
    const impossible = body17 + idCheckDigit(body17);
    const futureBody = '430525' + '20991231' + '123';
    const future = futureBody + idCheckDigit(futureBody);
    const before = await rowCounts(database.db);
    const cases: [unknown, number, string, RegExp?][] = [
      [{ name: '甲', idNumber: wrongCheck, relation: '子' }, 400, 'INVALID_ID_NUMBER', /校验位/],
      [{ name: '甲', idNumber: impossible, relation: '子' }, 400, 'INVALID_ID_NUMBER', /出生日期/],
      [{ name: '甲', idNumber: future, relation: '子' }, 400, 'INVALID_ID_NUMBER', /出生日期/],
      [{ name: '甲', idNumber: '43052519850615', relation: '子' }, 400, 'INVALID_ID_NUMBER', /18位/],
      [{ name: '甲', idNumber: good, relation: '子', phone: '0731-1234567' }, 400, 'INVALID_PHONE', /手机/],
      [{ name: '甲', idNumber: good, relation: '子', gender: 'M' }, 400, 'VALIDATION_FAILED', /不允许/],
      [{ name: '甲', idNumber: { n: 1 }, relation: '子' }, 400, 'VALIDATION_FAILED'],
      [{ name: '甲', idNumber: good, relation: '子', political: 'communist' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code, msg] of cases) {
      const r = await c.post(api(`/households/${world.households.hA1c}/residents`), body);
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), status, code]);
      if (msg) expect(r.body.message).toMatch(msg);
    }
    const outOfScope = await c.post(api(`/households/${world.households.hB1a}/residents`), { name: '甲', idNumber: good, relation: '子' });
    expect(outOfScope.status).toBe(404);
    expect(await rowCounts(database.db)).toEqual(before);
  });

  it('updates a resident with version; an ID number correction re-derives gender and birth date', async () => {
    const c = await as('villageA1');
    const head = await householderOf(database.db, world.households.hA1c);
    const newId = makeIdNumber('430525', '1966-09-09', 555, 'F');
    plaintexts.add(newId);
    const r = await c.patch(api(`/residents/${head.id}`), { version: head.version, idNumber: newId, status: 'away' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ gender: 'F', birthDate: '1966-09-09', status: 'away', version: head.version + 1 });
    const stale = await c.patch(api(`/residents/${head.id}`), { version: head.version, name: '改名' });
    expect(stale.status).toBe(409);
    const dup = await c.patch(api(`/residents/${head.id}`), { version: head.version + 1, idNumber: world.idNumbers.hA1a });
    expect(dup.body.code).toBe('RESIDENT_ID_EXISTS');
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'resident.update').where('entity_id', '=', String(head.id)).executeTakeFirstOrThrow();
    expect(JSON.stringify(a.after)).toContain(newId.slice(0, 6) + '********');
    const byId = await c.get(api(`/residents?idNumber=${newId}`));
    expect(byId.body.items.map((x: any) => x.id)).toEqual([head.id]);
  });

  it('lists residents in scope only', async () => {
    const c = await as('villageB1');
    const r = await c.get(api('/residents?limit=200'));
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBe(6);
    const paths = await database.db.selectFrom('residents').select('region_path').where('id', 'in', r.body.items.map((x: any) => x.id)).execute();
    expect(paths.every((p) => p.region_path.startsWith(world.regions.villageB1.path))).toBe(true);
    const byName = await c.get(api(`/residents?q=${encodeURIComponent('陈')}`));
    expect(byName.body.items.map((x: any) => x.name)).toContain('陈桂兰');
    expect((await c.get(api(`/residents/${r.body.items[0].id}`))).status).toBe(200);
    const other = await database.db.selectFrom('residents').select('id').where('household_id', '=', world.households.hA1a).executeTakeFirstOrThrow();
    expect((await c.get(api(`/residents/${other.id}`))).status).toBe(404);
  });
});

describe('personal data reveal', () => {
  it('reveals with a purpose and writes a pii.reveal audit row', async () => {
    const head = await householderOf(database.db, world.households.hA1a);
    const c = await as('villageA1');
    const r = await c.post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '办理低保审核' });
    expect(r.status).toBe(200);
    expect(r.body.value).toBe(world.idNumbers.hA1a);
    expect(new Date(r.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const phone = await c.post(api(`/residents/${head.id}/reveal`), { field: 'phone', purpose: '电话回访' });
    expect(phone.body.value).toMatch(/^1380000\d{4}$/);
    const rows = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'pii.reveal').where('entity_id', '=', String(head.id)).orderBy('id').execute();
    expect(rows.map((x) => x.note)).toEqual(['办理低保审核', '电话回访']);
    expect(rows[0]!.actor_id).toBe(world.users.villageA1);
    expect(rows[0]!.region_path).toBe(world.regions.groupA1.path);
    expect(JSON.stringify(rows)).not.toContain(world.idNumbers.hA1a);
  });

  it('needs pii.reveal (403), covering the resident (404), and a purpose (400); no audit row when refused', async () => {
    const head = await householderOf(database.db, world.households.hA2a);
    const count = async () => (await database.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'pii.reveal').executeTakeFirstOrThrow()).n;
    const before = await count();
    expect((await (await as('gridA1')).post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '核对信息' })).status).toBe(403);
    expect((await (await as('dept')).post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '核对信息' })).status).toBe(403);
    expect((await (await as('villageA1')).post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '核对信息' })).status).toBe(404);
    expect((await (await as('villageA2')).post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '' })).status).toBe(400);
    const blank = await (await as('villageA2')).post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '   ' });
    expect(blank.body.code).toBe('REVEAL_PURPOSE_REQUIRED');
    expect((await (await as('villageA2')).post(api(`/residents/${head.id}/reveal`), { field: 'name', purpose: '核对信息' })).status).toBe(400);
    expect(await count()).toBe(before);
    const town = await (await as('townA')).post(api(`/residents/${head.id}/reveal`), { field: 'idNumber', purpose: '核对信息' });
    expect(town.body.value).toBe(world.idNumbers.hA2a);
  });

  it('answers 404 PII_NOT_RECORDED for a phone that was never recorded', async () => {
    const second = await database.db.selectFrom('residents').select('id').where('household_id', '=', world.households.hA1a).where('relation', '=', '配偶').executeTakeFirstOrThrow();
    const r = await (await as('villageA1')).post(api(`/residents/${second.id}/reveal`), { field: 'phone', purpose: '电话回访' });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('PII_NOT_RECORDED');
  });
});

describe('grids', () => {
  it('lists grids in scope with staff and household counts', async () => {
    const c = await as('townA');
    const r = await c.get(api('/grids'));
    expect(r.status).toBe(200);
    expect(r.body.items.map((g: any) => g.code).sort()).toEqual(['G-A1', 'G-A2']);
    const a1 = r.body.items.find((g: any) => g.code === 'G-A1');
    expect(a1).toMatchObject({ regionName: '一村', level: 'level2', householdCount: 3, staff: [] });
    const filtered = await c.get(api(`/grids?regionId=${world.regions.villageA2.id}`));
    expect(filtered.body.items.map((g: any) => g.code)).toEqual(['G-A2']);
    expect((await c.get(api(`/grids?regionId=${world.regions.villageB1.id}`))).status).toBe(404);
  });

  it('creates a level1 grid and a level2 under it; checks parent level, area, code and boundary', async () => {
    const c = await as('townA');
    const boundary = { type: 'Polygon', coordinates: [[[110.5, 27.0], [110.6, 27.0], [110.6, 27.1], [110.5, 27.0]]] };
    const l1 = await c.post(api('/grids'), { regionId: world.regions.townA.id, level: 'level1', code: 'L1-JZ', name: '甲镇一级网格', boundary });
    expect(l1.status).toBe(201);
    expect(l1.body).toMatchObject({ code: 'L1-JZ', level: 'level1', parentId: null, version: 1, boundary });
    const l2 = await c.post(api('/grids'), { regionId: world.regions.villageA1.id, level: 'level2', code: 'L2-A1-2', name: '一村第二网格', parentId: l1.body.id });
    expect(l2.status).toBe(201);
    const before = await rowCounts(database.db);
    const bad: [unknown, number, string][] = [
      [{ regionId: world.regions.villageA1.id, level: 'level2', code: 'L1-JZ', name: '重复' }, 409, 'GRID_CODE_TAKEN'],
      [{ regionId: world.regions.villageA1.id, level: 'micro', code: 'M-1', name: '微', parentId: l1.body.id }, 400, 'GRID_PARENT_INVALID'],
      [{ regionId: world.regions.county.id, level: 'level1', code: 'C-1', name: '县' }, 404, 'REGION_NOT_FOUND'],
      [{ regionId: world.regions.villageA1.id, level: 'level2', code: 'X-1', name: '坏边界', boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] } }, 400, 'INVALID_BOUNDARY'],
      [{ regionId: world.regions.villageA1.id, level: 'level9', code: 'X-2', name: '坏级别' }, 400, 'VALIDATION_FAILED'],
      [{ regionId: world.regions.villageA1.id, level: 'level2', code: 'has space', name: '坏编码' }, 400, 'VALIDATION_FAILED'],
      [{ regionId: world.regions.villageB1.id, level: 'level2', code: 'X-3', name: '外乡' }, 404, 'REGION_NOT_FOUND'],
    ];
    for (const [body, status, code] of bad) {
      const r = await c.post(api('/grids'), body);
      expect([JSON.stringify(body), r.status, r.body.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect(await rowCounts(database.db)).toEqual(before);
    const inB = await (await as('townB')).post(api('/grids'), { regionId: world.regions.villageB1.id, level: 'level2', code: 'X-4', name: '挂错', parentId: l1.body.id });
    expect(inB.status).toBe(404);
  });

  it('patches with version, refuses stale versions and parent loops', async () => {
    const c = await as('villageA1');
    const id = await buildGrid(database.db, world, world.regions.villageA1, { level: 'level2' });
    const micro = await buildGrid(database.db, world, world.regions.villageA1, { level: 'micro', parentId: id });
    const r = await c.patch(api(`/grids/${id}`), { version: 1, name: '改名网格', note: '含两个组' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: '改名网格', note: '含两个组', version: 2 });
    expect((await c.patch(api(`/grids/${id}`), { version: 1, name: '再改' })).body.code).toBe('CONFLICT');
    const wrongLevel = await c.patch(api(`/grids/${id}`), { version: 2, parentId: micro });
    expect(wrongLevel.body.code).toBe('GRID_PARENT_INVALID');
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'grid.update').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(a.after).toMatchObject({ name: '改名网格', note: '含两个组' });
  });

  it('adds and removes grid staff; a duplicate is 409; the phone is masked', async () => {
    const c = await as('villageA1');
    const phone = freshPhone();
    plaintexts.add(phone);
    const add = await c.post(api(`/grids/${world.grids.gA1}/staff`), { role: 'worker', name: '周网格', phone, userId: world.users.gridA1 });
    expect(add.status).toBe(201);
    const s = add.body.staff.find((x: any) => x.name === '周网格');
    expect(s).toMatchObject({ role: 'worker', userId: world.users.gridA1, phoneMasked: phone.slice(0, 3) + '****' + phone.slice(-4) });
    expect((await c.post(api(`/grids/${world.grids.gA1}/staff`), { role: 'worker', name: '周网格' })).body.code).toBe('GRID_STAFF_EXISTS');
    expect((await c.post(api(`/grids/${world.grids.gA1}/staff`), { role: 'boss', name: '甲' })).status).toBe(400);
    expect((await c.post(api(`/grids/${world.grids.gA1}/staff`), { role: 'head', name: '甲', userId: world.users.villagerA1 })).body.code).toBe('GRID_STAFF_USER_INVALID');
    expect((await c.post(api(`/grids/${world.grids.gA2}/staff`), { role: 'head', name: '甲' })).status).toBe(404);
    const extra = await c.post(api(`/grids/${world.grids.gA1}/staff`), { role: 'head', name: '吴组长' });
    const headId = extra.body.staff.find((x: any) => x.name === '吴组长').id;
    expect((await (await as('villageA2')).delete(api(`/grids/${world.grids.gA1}/staff/${headId}`))).status).toBe(404);
    expect((await c.delete(api(`/grids/${world.grids.gA2}/staff/${headId}`))).status).toBe(404);
    expect((await c.delete(api(`/grids/${world.grids.gA1}/staff/${headId}`))).status).toBe(200);
    expect((await c.delete(api(`/grids/${world.grids.gA1}/staff/${headId}`))).status).toBe(404);
  });
});

describe('me', () => {
  it('gives a villager their own household and nothing else', async () => {
    const v = await as('villagerA1');
    const r = await v.get(api('/me/household'));
    expect(r.status).toBe(200);
    expect(r.body.id).toBe(world.households.hA1a);
    expect(r.body.residents.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.body)).not.toContain(world.idNumbers.hA1a);
    expect((await v.get(api(`/households/${world.households.hA1a}`))).status).toBe(403);
    expect((await v.get(api('/households'))).status).toBe(403);
    expect((await v.get(api('/me/grids'))).status).toBe(403);
    const staff = await (await as('villageA1')).get(api('/me/household'));
    expect(staff.status).toBe(404);
    expect(staff.body.code).toBe('NO_HOUSEHOLD');
  });

  it('gives a grid worker the grids they staff, or every grid in scope when they staff none', async () => {
    const e = await as('evalA1');
    const all = await e.get(api('/me/grids'));
    expect(all.body.items.every((g: any) => g.regionId === world.regions.villageA1.id)).toBe(true);
    expect(all.body.items.length).toBeGreaterThan(1);
    const g = await as('gridA1'); // staffs gA1 (added above)
    const mine = await g.get(api('/me/grids'));
    expect(mine.body.items.map((x: any) => x.id)).toEqual([world.grids.gA1]);
    const hh = await g.get(api(`/me/grids/${world.grids.gA1}/households`));
    const inGrid = await database.db.selectFrom('households').select('id').where('grid_id', '=', world.grids.gA1).orderBy('id').execute();
    expect(hh.body.items.map((h: any) => h.id)).toEqual(inGrid.map((h) => h.id));
    expect(inGrid.length).toBeGreaterThanOrEqual(3);
    expect((await g.get(api(`/me/grids/${world.grids.gB1}/households`))).status).toBe(404);
  });
});

describe('audit rows never hold plaintext personal data', () => {
  it('scans every audit row', async () => {
    const rows = await database.db.selectFrom('audit_log').select(['before', 'after', 'note']).execute();
    const text = JSON.stringify(rows);
    for (const p of [...plaintexts, ...Object.values(world.idNumbers)]) expect(text).not.toContain(p);
  });
});
