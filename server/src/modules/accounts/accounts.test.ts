import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase, TEST_PASSWORD } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import { grantRole } from '../../core/roles.js';
import { currentTotp } from '../../core/auth/totp.js';
import type { App } from '../../core/module.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const clients: Record<string, Client> = {};
const STRONG = 'Strong#Pass2026';

async function as(username: string): Promise<Client> {
  clients[username] ??= await new Client(app).login(username);
  return clients[username]!;
}
const ids = (r: { body: { items: { username: string }[] } }) => r.body.items.map((u) => u.username);

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
  // a role above a township cadre's powers, and an account reaching two townships
  await database.db.insertInto('roles').values({ key: 'dept_admin', name: '部门管理员', permissions: ['registry.read', 'departments.manage'] }).execute();
  // Built-in roles gain permissions as modules are added (points, cases …), which may lie beyond a
  // township cadre's own; these tests grant roles defined here so they test the rule, not the catalogue.
  await database.db.insertInto('roles').values({ key: 'test_clerk', name: '台账员', permissions: ['registry.read', 'registry.write'] }).execute();
  await database.db.updateTable('roles').set({ permissions: [] }).where('key', '=', 'villager').execute();
  const pw = (await database.db.selectFrom('users').select('password_hash').where('username', '=', 'townA').executeTakeFirstOrThrow()).password_hash;
  const both = await database.db.insertInto('users').values({ county_id: world.countyId, username: 'bothTowns', display_name: '两镇干部', kind: 'staff', password_hash: pw }).returning('id').executeTakeFirstOrThrow();
  await grantRole(database.db, both.id, 'grid_worker', world.regions.villageA1.id);
  await grantRole(database.db, both.id, 'grid_worker', world.regions.villageB1.id);
  const strong = await database.db.insertInto('users').values({ county_id: world.countyId, username: 'deptAdminA1', display_name: '高权限', kind: 'staff', password_hash: pw }).returning('id').executeTakeFirstOrThrow();
  await grantRole(database.db, strong.id, 'dept_admin', world.regions.villageA1.id);
  await grantRole(database.db, strong.id, 'grid_worker', world.regions.villageA1.id);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('listing accounts', () => {
  it('shows a township cadre only the accounts wholly inside the township', async () => {
    const r = await (await as('townA')).get('/api/v1/accounts?limit=200');
    expect(r.status).toBe(200);
    expect(ids(r).sort()).toEqual(['deptAdminA1', 'evalA1', 'gridA1', 'mediatorA1', 'partyA1', 'townA', 'villageA1', 'villageA2', 'villagerA1'].sort());
    const gridA1 = r.body.items.find((u: { username: string }) => u.username === 'gridA1');
    expect(gridA1).toMatchObject({ kind: 'staff', status: 'active', locked: false, totpEnabled: false });
    expect(gridA1.grants).toEqual([expect.objectContaining({ roleKey: 'grid_worker', regionId: world.regions.villageA1.id, regionName: '一村' })]);
    expect(JSON.stringify(r.body)).not.toMatch(/argon2|password/i);
  });

  it('filters by place, name and kind', async () => {
    const c = await as('townA');
    expect(ids(await c.get(`/api/v1/accounts?regionId=${world.regions.villageA2.id}`))).toEqual(['villageA2']);
    expect(ids(await c.get('/api/v1/accounts?kind=villager'))).toEqual(['villagerA1']);
    expect(ids(await c.get('/api/v1/accounts?q=grid'))).toEqual(['gridA1']);
    expect((await c.get(`/api/v1/accounts?regionId=${world.regions.villageB1.id}`)).status).toBe(404);
  });

  it('refuses callers without accounts.manage', async () => {
    for (const u of ['villageA1', 'gridA1', 'dept', 'villagerA1']) {
      const r = await (await as(u)).get('/api/v1/accounts');
      expect(r.status).toBe(403);
      expect(r.body.code).toBe('FORBIDDEN');
      expect((await (await as(u)).get('/api/v1/roles')).status).toBe(403);
    }
  });
});

describe('creating accounts', () => {
  it('creates a staff account that can log in, audited, without exposing the hash', async () => {
    const r = await (await as('townA')).post('/api/v1/accounts', {
      username: 'new.cadre', displayName: '新村干部', kind: 'staff', password: STRONG,
      grants: [{ roleKey: 'test_clerk', regionId: world.regions.villageA1.id }],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ username: 'new.cadre', displayName: '新村干部', kind: 'staff', grants: [expect.objectContaining({ roleKey: 'test_clerk' })] });
    expect(JSON.stringify(r.body)).not.toMatch(/argon2|hash/i);
    await new Client(app).login('new.cadre', STRONG);
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.create').executeTakeFirstOrThrow();
    expect(a.region_path).toBe(world.regions.villageA1.path);
    expect(JSON.stringify(a.after)).not.toContain(STRONG);
  });

  it('refuses duplicate names, weak passwords and bad input', async () => {
    const c = await as('townA');
    const base = { displayName: '某人', kind: 'staff', password: STRONG, grants: [{ roleKey: 'test_clerk', regionId: world.regions.villageA1.id }] };
    expect((await c.post('/api/v1/accounts', { ...base, username: 'gridA1' })).body.code).toBe('USERNAME_TAKEN');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'weakling', password: 'abcdefgh' })).body.code).toBe('WEAK_PASSWORD');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'a b' })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'extra1', isAdmin: true })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'nogrants', grants: [] })).body.code).toBe('GRANT_REQUIRED');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'norole', grants: [{ roleKey: 'emperor', regionId: world.regions.villageA1.id }] })).body.code).toBe('ROLE_NOT_FOUND');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'nodept', departmentId: 99999 })).body.code).toBe('DEPARTMENT_NOT_FOUND');
    expect((await c.post('/api/v1/accounts', { ...base, username: 'staffhh', householdId: world.households.hA1b })).body.code).toBe('STAFF_NO_HOUSEHOLD');
    expect(await database.db.selectFrom('users').select('id').where('username', 'in', ['weakling', 'nogrants', 'norole', 'nodept', 'staffhh']).execute()).toEqual([]);
  });

  it('creates a villager account on its household with the villager role on the village', async () => {
    const c = await as('townA');
    const r = await c.post('/api/v1/accounts', { username: 'lixiuying', displayName: '李秀英', kind: 'villager', password: STRONG, householdId: world.households.hA1b });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'villager', householdId: world.households.hA1b, grants: [expect.objectContaining({ roleKey: 'villager', regionId: world.regions.villageA1.id })] });
    expect((await c.post('/api/v1/accounts', { username: 'nohh', displayName: '某', kind: 'villager', password: STRONG })).body.code).toBe('VILLAGER_HOUSEHOLD_REQUIRED');
    const other = await c.post('/api/v1/accounts', { username: 'otherhh', displayName: '某', kind: 'villager', password: STRONG, householdId: world.households.hB1b });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('ACCOUNT_HOUSEHOLD_NOT_FOUND');
  });
});

describe('no privilege escalation', () => {
  it('grants only built-in roles ranked below the caller, and custom roles whose every permission the caller holds', async () => {
    const c = await as('townA');
    const base = { displayName: '某人', kind: 'staff', password: STRONG };
    const admin = await c.post('/api/v1/accounts', { ...base, username: 'wannabe', grants: [{ roleKey: 'county_admin', regionId: world.regions.townA.id }] });
    expect(admin.status).toBe(403);
    expect(admin.body.code).toBe('ROLE_ESCALATION');
    const custom = await c.post('/api/v1/accounts', { ...base, username: 'wannabe', grants: [{ roleKey: 'dept_admin', regionId: world.regions.villageA1.id }] });
    expect(custom.body.details.missing).toEqual(['departments.manage']);
    // a peer of the caller's own rank is refused (the county appoints township cadres) …
    const peer = await c.post('/api/v1/accounts', { ...base, username: 'wannabe', grants: [{ roleKey: 'township_cadre', regionId: world.regions.villageA2.id }] });
    expect(peer.body.code).toBe('ROLE_ESCALATION');
    // … a role below it inside the township is fine, even one whose duties the caller does not hold
    // (separation of duties: the evaluation group reviews points, the cadre appoints it)
    const below = await c.post('/api/v1/accounts', { ...base, username: 'peer', grants: [{ roleKey: 'village_cadre', regionId: world.regions.villageA2.id }, { roleKey: 'evaluation_group', regionId: world.regions.villageA2.id }] });
    expect(below.status).toBe(201);
    // the same role outside the township is not found
    const outside = await c.post('/api/v1/accounts', { ...base, username: 'outside', grants: [{ roleKey: 'grid_worker', regionId: world.regions.villageB1.id }] });
    expect(outside.status).toBe(404);
    expect(outside.body.code).toBe('REGION_NOT_FOUND');
    const county = await c.post('/api/v1/accounts', { ...base, username: 'outside', grants: [{ roleKey: 'grid_worker', regionId: world.regions.county.id }] });
    expect(county.body.code).toBe('REGION_NOT_FOUND');
    expect(await database.db.selectFrom('users').select('id').where('username', 'in', ['wannabe', 'outside']).execute()).toEqual([]);
  });

  it('refuses adding a grant above the caller, and removing one', async () => {
    const c = await as('townA');
    const r = await c.post(`/api/v1/accounts/${world.users.gridA1}/grants`, { roleKey: 'county_admin', regionId: world.regions.villageA1.id });
    expect(r.body.code).toBe('ROLE_ESCALATION');
    const strong = (await c.get(`/api/v1/accounts/${(await database.db.selectFrom('users').select('id').where('username', '=', 'deptAdminA1').executeTakeFirstOrThrow()).id}`)).body;
    const high = strong.grants.find((g: { roleKey: string }) => g.roleKey === 'dept_admin');
    const del = await c.delete(`/api/v1/accounts/${strong.id}/grants/${high.id}`);
    expect(del.status).toBe(403);
    expect(del.body.code).toBe('ROLE_ESCALATION');
  });

  it('marks which roles the caller may grant on a node', async () => {
    const r = await (await as('townA')).get(`/api/v1/roles?regionId=${world.regions.villageA1.id}`);
    const byKey = Object.fromEntries(r.body.map((x: { key: string; grantable: boolean }) => [x.key, x.grantable]));
    expect(byKey).toMatchObject({ county_admin: false, dept_admin: false, township_cadre: false, village_cadre: true, grid_worker: true, evaluation_group: true, test_clerk: true, villager: true });
    const cadre = r.body.find((x: { key: string }) => x.key === 'test_clerk');
    expect(cadre.permissions).toEqual(expect.arrayContaining([{ key: 'registry.read', label: '查看区划、网格与户籍台账' }]));
    expect((await (await as('townA')).get(`/api/v1/roles?regionId=${world.regions.villageB1.id}`)).status).toBe(404);
    const perms = (await (await as('townA')).get('/api/v1/permissions')).body.map((p: { key: string }) => p.key);
    expect(perms).toEqual(expect.arrayContaining(['accounts.manage', 'party.manage', 'registry.read']));
  });
});

describe('managing an account', () => {
  it('answers 404 for accounts reaching outside the caller, and refuses the caller itself', async () => {
    const c = await as('townA');
    const both = (await database.db.selectFrom('users').select('id').where('username', '=', 'bothTowns').executeTakeFirstOrThrow()).id;
    for (const id of [both, world.users.dept, world.users.townB, world.users.villagerB1, world.users.admin]) {
      expect((await c.get(`/api/v1/accounts/${id}`)).status).toBe(404);
      const p = await c.patch(`/api/v1/accounts/${id}`, { status: 'disabled' });
      expect(p.status).toBe(404);
      expect(p.body.code).toBe('NOT_FOUND');
      expect((await c.post(`/api/v1/accounts/${id}/reset-password`, { password: STRONG })).status).toBe(404);
      expect((await c.post(`/api/v1/accounts/${id}/grants`, { roleKey: 'villager', regionId: world.regions.villageA1.id })).status).toBe(404);
    }
    const self = await c.patch(`/api/v1/accounts/${world.users.townA}`, { displayName: '我' });
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('CANNOT_MANAGE_SELF');
    expect((await c.get('/api/v1/accounts/99999')).status).toBe(404);
  });

  it('resets a password: weak refused, sessions ended, new one works, audited without it', async () => {
    const victim = await new Client(app).login('evalA1');
    const c = await as('townA');
    expect((await c.post(`/api/v1/accounts/${world.users.evalA1}/reset-password`, { password: '12345678' })).body.code).toBe('WEAK_PASSWORD');
    expect((await c.post(`/api/v1/accounts/${world.users.evalA1}/reset-password`, { password: STRONG })).status).toBe(200);
    expect((await victim.get('/api/v1/auth/me')).status).toBe(401);
    await new Client(app).login('evalA1', STRONG);
    const a = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'account.password_reset').executeTakeFirstOrThrow();
    expect(a.entity_id).toBe(String(world.users.evalA1));
    expect(JSON.stringify(a)).not.toContain(STRONG);
  });

  it('unlocks a locked account', async () => {
    await database.db.updateTable('users').set({ locked_until: new Date(Date.now() + 10 * 60_000), failed_logins: 0 }).where('id', '=', world.users.mediatorA1).execute();
    const c = await as('townA');
    expect((await c.get(`/api/v1/accounts/${world.users.mediatorA1}`)).body.locked).toBe(true);
    const r = await c.post(`/api/v1/accounts/${world.users.mediatorA1}/unlock`);
    expect(r.status).toBe(200);
    expect(r.body.locked).toBe(false);
    await new Client(app).login('mediatorA1');
  });

  it('disables an account: its sessions end and login is refused; enabling restores it', async () => {
    const victim = await new Client(app).login('partyA1');
    const c = await as('townA');
    const r = await c.patch(`/api/v1/accounts/${world.users.partyA1}`, { status: 'disabled' });
    expect(r.body.status).toBe('disabled');
    expect((await victim.get('/api/v1/auth/me')).status).toBe(401);
    const login = await new Client(app).post('/api/v1/auth/login', { username: 'partyA1', password: TEST_PASSWORD });
    expect(login.body.code).toBe('ACCOUNT_DISABLED');
    expect((await c.patch(`/api/v1/accounts/${world.users.partyA1}`, { status: 'enabled' })).body.code).toBe('VALIDATION_FAILED');
    expect((await c.patch(`/api/v1/accounts/${world.users.partyA1}`, { status: 'active' })).body.status).toBe('active');
    const actions = (await database.db.selectFrom('audit_log').select('action').where('entity_id', '=', String(world.users.partyA1)).where('action', 'like', 'account.%').execute()).map((x) => x.action);
    expect(actions).toEqual(['account.disable', 'account.enable']);
  });

  it('adds and removes grants, keeping at least one on a staff account', async () => {
    const c = await as('townA');
    const add = await c.post(`/api/v1/accounts/${world.users.gridA1}/grants`, { roleKey: 'test_clerk', regionId: world.regions.villageA2.id });
    expect(add.status).toBe(201);
    expect(add.body.grants).toHaveLength(2);
    expect((await c.post(`/api/v1/accounts/${world.users.gridA1}/grants`, { roleKey: 'test_clerk', regionId: world.regions.villageA2.id })).body.code).toBe('GRANT_EXISTS');
    const [first, second] = add.body.grants;
    expect((await c.delete(`/api/v1/accounts/${world.users.gridA1}/grants/${second.id}`)).body.grants).toHaveLength(1);
    const last = await c.delete(`/api/v1/accounts/${world.users.gridA1}/grants/${first.id}`);
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('LAST_GRANT');
    expect((await c.delete(`/api/v1/accounts/${world.users.villageA2}/grants/${first.id}`)).status).toBe(404);
    const granted = await new Client(app).login('gridA1');
    expect((await granted.get('/api/v1/auth/me')).body.grants).toEqual([{ role: 'grid_worker', regionId: world.regions.villageA1.id, regionLevel: 'village' }]);
  });
});

describe('county admin (after TOTP enrolment)', () => {
  it('sees every account and may grant the county admin role', async () => {
    const c = new Client(app);
    await c.post('/api/v1/auth/login', { username: 'admin', password: TEST_PASSWORD });
    const setup = await c.post('/api/v1/auth/totp/setup');
    await c.post('/api/v1/auth/totp/enable', { code: currentTotp(setup.body.secret) });
    const all = await c.get('/api/v1/accounts?limit=200');
    expect(ids(all)).toEqual(expect.arrayContaining(['bothTowns', 'dept', 'townB', 'villagerB1', 'admin']));
    const cadre = (await database.db.selectFrom('users').select('id').where('username', '=', 'new.cadre').executeTakeFirstOrThrow()).id;
    expect((await (await as('townA')).get(`/api/v1/accounts/${cadre}`)).status).toBe(200);
    const r = await c.post(`/api/v1/accounts/${cadre}/grants`, { roleKey: 'county_admin', regionId: world.regions.county.id });
    expect(r.status).toBe(201);
    // once the account reaches the whole county, the township can no longer see or touch it
    expect((await (await as('townA')).get(`/api/v1/accounts/${cadre}`)).status).toBe(404);
    // the new county admin enrols TOTP, loses the phone; another county admin resets it
    const lost = new Client(app);
    await lost.post('/api/v1/auth/login', { username: 'new.cadre', password: STRONG });
    const s2 = await lost.post('/api/v1/auth/totp/setup');
    await lost.post('/api/v1/auth/totp/enable', { code: currentTotp(s2.body.secret) });
    expect((await c.get(`/api/v1/accounts/${cadre}`)).body.totpEnabled).toBe(true);
    expect((await (await as('townA')).post(`/api/v1/accounts/${cadre}/reset-totp`)).status).toBe(404);
    const reset = await c.post(`/api/v1/accounts/${cadre}/reset-totp`);
    expect(reset.body.totpEnabled).toBe(false);
    expect((await lost.get('/api/v1/auth/me')).status).toBe(401);
    const again = await new Client(app).post('/api/v1/auth/login', { username: 'new.cadre', password: STRONG });
    expect(again.body.mustEnrollTotp).toBe(true);
    expect((await c.post(`/api/v1/accounts/${world.users.admin}/reset-totp`)).body.code).toBe('CANNOT_MANAGE_SELF');
  });
});

describe('scope matrix: reading and disabling the 一村 cadre’s account', () => {
  const expected: Record<string, number> = {
    dept: 404, townA: 200, townB: 404, villageA1: 404, villageA2: 404, villageB1: 404,
    gridA1: 404, evalA1: 404, mediatorA1: 404, villagerA1: 404, villagerB1: 404,
  };
  for (const [user, status] of Object.entries(expected)) {
    it(`${user} → ${status}`, async () => {
      const c = user === 'evalA1' ? await new Client(app).login('evalA1', STRONG) : await as(user);
      expect((await c.get(`/api/v1/accounts/${world.users.villageA1}`)).status).toBe(status);
      const u = await c.post(`/api/v1/accounts/${world.users.villageA1}/unlock`);
      expect(u.status).toBe(status);
      if (status === 404) expect(u.body.code).toBe('NOT_FOUND');
    });
  }
});
