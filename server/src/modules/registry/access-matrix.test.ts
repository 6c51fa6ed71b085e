/**
 * Access matrix: every registry / regions / audit route × every world role × a target in
 * 一村 (A1), 二村 (A2, same township as A1) and 三村 (B1, the other township).
 *
 * Expected status is derived from where each role is granted and what its role may do:
 *   no grant with the route's permission anywhere → 403; the target inside a grant → 200/201;
 *   otherwise → 404 (out of scope answers exactly like missing).
 * Lists additionally must not return one row outside the caller's grants.
 *
 * Adding a route = adding one entry to `routes` below.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { builtinRoles } from '../../core/permissions.js';
import { idCheckDigit } from '../../core/pii.js';
import type { Kdb } from '../../db/database.js';
import { buildGrid, buildHousehold, freshIdNumber, householderOf, rowCounts } from './testing/factories.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
let db: Kdb;

// ---------------------------------------------------------------- who is where

type RoleName = 'dept' | 'townA' | 'townB' | 'villageA1' | 'villageA2' | 'villageB1' | 'gridA1' | 'evalA1' | 'mediatorA1' | 'partyA1' | 'villagerA1';
const PLACEMENT: Record<RoleName, { role: string; at: keyof World['regions'] }> = {
  dept: { role: 'department_staff', at: 'county' },
  townA: { role: 'township_cadre', at: 'townA' },
  townB: { role: 'township_cadre', at: 'townB' },
  villageA1: { role: 'village_cadre', at: 'villageA1' },
  villageA2: { role: 'village_cadre', at: 'villageA2' },
  villageB1: { role: 'village_cadre', at: 'villageB1' },
  gridA1: { role: 'grid_worker', at: 'villageA1' },
  evalA1: { role: 'evaluation_group', at: 'villageA1' },
  mediatorA1: { role: 'mediator', at: 'villageA1' },
  partyA1: { role: 'party_member', at: 'villageA1' },
  villagerA1: { role: 'villager', at: 'villageA1' },
};
const ROLES = Object.keys(PLACEMENT) as RoleName[];

/** The region paths on which `who` holds `permission` (from the role definitions, not the server). */
function grantPaths(who: RoleName, permission: string): string[] {
  const p = PLACEMENT[who];
  const role = builtinRoles.find((r) => r.key === p.role)!;
  return role.permissions.includes(permission) ? [world.regions[p.at].path] : [];
}
const within = (paths: string[], path: string | null) => path != null && paths.some((p) => path.startsWith(p));

// ---------------------------------------------------------------- targets

type TargetKey = 'A1' | 'A2' | 'B1';
interface Target {
  key: TargetKey;
  village: { id: number; path: string };
  group: { id: number; path: string };
  gridId: number;
  householdId: number; // a household the matrix may edit freely
}
const targets = {} as Record<TargetKey, Target>;

let n = 0;
const uniq = () => ++n;

// ---------------------------------------------------------------- routes as data

interface Req { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; body?: unknown }
interface RouteCase {
  name: string;
  permission: string;
  ok: 200 | 201;
  /** Builds the request for a target (fresh rows where a write needs them). */
  req: (t: Target) => Promise<Req> | Req;
  /** For lists: table + id → region path of each returned row, to check none is out of scope. */
  list?: { table: 'households' | 'residents' | 'grids' | 'regions' | 'audit_log' };
}

const version = async (table: 'households' | 'residents' | 'grids', id: number) =>
  (await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

const routes: RouteCase[] = [
  // regions
  { name: 'GET /regions/tree?parentId', permission: 'registry.read', ok: 200, list: { table: 'regions' }, req: (t) => ({ method: 'GET', url: `/regions/tree?parentId=${t.village.id}` }) },
  { name: 'GET /regions/:id', permission: 'registry.read', ok: 200, req: (t) => ({ method: 'GET', url: `/regions/${t.group.id}` }) },
  { name: 'GET /regions/:id/children-geo', permission: 'registry.read', ok: 200, req: (t) => ({ method: 'GET', url: `/regions/${t.village.id}/children-geo` }) },
  { name: 'POST /regions', permission: 'regions.manage', ok: 201, req: (t) => ({ method: 'POST', url: '/regions', body: { parentId: t.village.id, name: `矩阵组${uniq()}` } }) },
  // grids
  { name: 'GET /grids?regionId', permission: 'registry.read', ok: 200, list: { table: 'grids' }, req: (t) => ({ method: 'GET', url: `/grids?regionId=${t.village.id}` }) },
  { name: 'GET /grids/:id', permission: 'registry.read', ok: 200, req: (t) => ({ method: 'GET', url: `/grids/${t.gridId}` }) },
  { name: 'POST /grids', permission: 'registry.write', ok: 201, req: (t) => ({ method: 'POST', url: '/grids', body: { regionId: t.village.id, level: 'micro', code: `MX-${uniq()}`, name: '矩阵网格' } }) },
  { name: 'PATCH /grids/:id', permission: 'registry.write', ok: 200, req: async (t) => ({ method: 'PATCH', url: `/grids/${t.gridId}`, body: { version: await version('grids', t.gridId), note: `备注${uniq()}` } }) },
  { name: 'POST /grids/:id/staff', permission: 'registry.write', ok: 201, req: (t) => ({ method: 'POST', url: `/grids/${t.gridId}/staff`, body: { role: 'worker', name: `网格员${uniq()}` } }) },
  {
    name: 'DELETE /grids/:id/staff/:staffId', permission: 'registry.write', ok: 200,
    req: async (t) => {
      const s = await db.insertInto('grid_staff').values({ county_id: world.countyId, grid_id: t.gridId, role: 'deputy', name: `副${uniq()}` }).returning('id').executeTakeFirstOrThrow();
      return { method: 'DELETE', url: `/grids/${t.gridId}/staff/${s.id}` };
    },
  },
  // households
  { name: 'GET /households?regionId', permission: 'registry.read', ok: 200, list: { table: 'households' }, req: (t) => ({ method: 'GET', url: `/households?regionId=${t.village.id}` }) },
  { name: 'GET /households?gridId', permission: 'registry.read', ok: 200, list: { table: 'households' }, req: (t) => ({ method: 'GET', url: `/households?gridId=${t.gridId}` }) },
  { name: 'GET /households/:id', permission: 'registry.read', ok: 200, req: (t) => ({ method: 'GET', url: `/households/${t.householdId}` }) },
  { name: 'POST /households', permission: 'registry.write', ok: 201, req: (t) => ({ method: 'POST', url: '/households', body: { regionId: t.group.id, address: `矩阵${uniq()}号`, householderName: '矩阵户' } }) },
  { name: 'PATCH /households/:id', permission: 'registry.write', ok: 200, req: async (t) => ({ method: 'PATCH', url: `/households/${t.householdId}`, body: { version: await version('households', t.householdId), address: `改${uniq()}号` } }) },
  { name: 'GET /households/:id/history', permission: 'registry.read', ok: 200, req: (t) => ({ method: 'GET', url: `/households/${t.householdId}/history` }) },
  { name: 'POST /households/:id/residents', permission: 'registry.write', ok: 201, req: (t) => ({ method: 'POST', url: `/households/${t.householdId}/residents`, body: { name: '矩阵成员', idNumber: freshIdNumber('1990-01-01'), relation: '子' } }) },
  // residents
  { name: 'GET /residents?regionId', permission: 'registry.read', ok: 200, list: { table: 'residents' }, req: (t) => ({ method: 'GET', url: `/residents?regionId=${t.village.id}` }) },
  { name: 'GET /residents/:id', permission: 'registry.read', ok: 200, req: async (t) => ({ method: 'GET', url: `/residents/${(await householderOf(db, t.householdId)).id}` }) },
  {
    name: 'PATCH /residents/:id', permission: 'registry.write', ok: 200,
    req: async (t) => {
      const r = await householderOf(db, t.householdId);
      return { method: 'PATCH', url: `/residents/${r.id}`, body: { version: r.version, ethnicity: uniq() % 2 ? '瑶族' : '汉族' } };
    },
  },
  { name: 'POST /residents/:id/reveal', permission: 'pii.reveal', ok: 200, req: async (t) => ({ method: 'POST', url: `/residents/${(await householderOf(db, t.householdId)).id}/reveal`, body: { field: 'idNumber', purpose: '矩阵测试核对' } }) },
  // me
  { name: 'GET /me/grids/:id/households', permission: 'registry.read', ok: 200, list: { table: 'households' }, req: (t) => ({ method: 'GET', url: `/me/grids/${t.gridId}/households` }) },
  // audit
  { name: 'GET /audit?regionId', permission: 'audit.read', ok: 200, list: { table: 'audit_log' }, req: (t) => ({ method: 'GET', url: `/audit?regionId=${t.village.id}` }) },
];

/** Lists without a target: 403 without the permission, else 200 with every row in scope. */
const untargeted: { name: string; permission: string; url: string; table: NonNullable<RouteCase['list']>['table']; items?: (b: any) => any[] }[] = [
  { name: 'GET /regions/tree', permission: 'registry.read', url: '/regions/tree', table: 'regions', items: (b) => b },
  { name: 'GET /regions/search', permission: 'registry.read', url: `/regions/search?q=${encodeURIComponent('村')}`, table: 'regions', items: (b) => b },
  { name: 'GET /grids', permission: 'registry.read', url: '/grids?limit=200', table: 'grids' },
  { name: 'GET /households', permission: 'registry.read', url: '/households?limit=200', table: 'households' },
  { name: 'GET /residents', permission: 'registry.read', url: '/residents?limit=200', table: 'residents' },
  { name: 'GET /me/grids', permission: 'registry.read', url: '/me/grids?limit=200', table: 'grids' },
  { name: 'GET /audit', permission: 'audit.read', url: '/audit?limit=200', table: 'audit_log' },
];

// ---------------------------------------------------------------- plumbing

const clients = {} as Record<RoleName, Client>;

async function send(c: Client, r: Req) {
  const url = `/api/v1${r.url}`;
  if (r.method === 'GET') return c.get(url);
  if (r.method === 'DELETE') return c.delete(url);
  if (r.method === 'PATCH') return c.patch(url, r.body);
  return c.post(url, r.body);
}

async function pathsOf(table: NonNullable<RouteCase['list']>['table'], ids: number[]): Promise<(string | null)[]> {
  if (ids.length === 0) return [];
  if (table === 'regions') return (await db.selectFrom('regions').select('path').where('id', 'in', ids).execute()).map((r) => r.path);
  return (await db.selectFrom(table).select('region_path').where('id', 'in', ids).execute()).map((r) => r.region_path);
}

beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
  world = await buildWorld(db);
  app = await testApp(database);
  const r = world.regions;
  const place = async (key: TargetKey, village: Target['village'], group: Target['group'], gridId: number): Promise<Target> => ({
    key, village, group, gridId,
    householdId: (await buildHousehold(db, world, group, { gridId, name: `矩阵${key}`, members: 1 })).id,
  });
  targets.A1 = await place('A1', r.villageA1, r.groupA1, world.grids.gA1);
  targets.A2 = await place('A2', r.villageA2, r.groupA2, world.grids.gA2);
  targets.B1 = await place('B1', r.villageB1, r.groupB1, world.grids.gB1);
  // a placeless security row that no one in the matrix may see (county admins only)
  await db.insertInto('audit_log').values({ county_id: world.countyId, action: 'auth.login_failed', entity: 'user', note: 'matrix' }).execute();
  for (const who of ROLES) clients[who] = await new Client(app).login(who);
}, 600_000); // a loaded CI machine can take minutes to build the world
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

// ---------------------------------------------------------------- the matrix

describe('access matrix: route × role × target', () => {
  const cases = routes.flatMap((route) => ROLES.flatMap((who) => (['A1', 'A2', 'B1'] as TargetKey[]).map((t) => ({ route, who, t }))));
  it.each(cases.map((c) => [c.route.name, c.who, c.t, c] as const))('%s as %s on %s', async (_n, _w, _t, { route, who, t }) => {
    const target = targets[t];
    const granted = grantPaths(who, route.permission);
    const expected = granted.length === 0 ? 403 : within(granted, target.group.path) ? route.ok : 404;
    const res = await send(clients[who], await route.req(target));
    expect({ status: res.status, code: res.status >= 400 ? res.body.code : undefined }).toMatchObject({ status: expected });
    if (res.status >= 400) expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    if (route.list && res.status === 200) {
      const items: any[] = Array.isArray(res.body) ? res.body : res.body.items;
      const paths = await pathsOf(route.list.table, items.map((i) => i.id));
      expect(paths.length).toBe(items.length);
      for (const p of paths) expect(within(granted, p), `${p} outside ${granted}`).toBe(true);
    }
  });
});

describe('access matrix: lists without a target never leak', () => {
  const cases = untargeted.flatMap((u) => ROLES.map((who) => ({ u, who })));
  it.each(cases.map((c) => [c.u.name, c.who, c] as const))('%s as %s', async (_n, _w, { u, who }) => {
    const granted = grantPaths(who, u.permission);
    const res = await clients[who].get(`/api/v1${u.url}`);
    expect(res.status).toBe(granted.length === 0 ? 403 : 200);
    if (res.status !== 200) return;
    const items: any[] = u.items ? u.items(res.body) : res.body.items;
    expect(items.length).toBeGreaterThan(0);
    const paths = await pathsOf(u.table, items.map((i) => i.id));
    expect(paths.length).toBe(items.length);
    for (const p of paths) expect(within(granted, p), `${p} outside ${granted}`).toBe(true);
  });

  it('GET /me/household: a villager gets their own, staff without a household get 404', async () => {
    for (const who of ROLES) {
      const res = await clients[who].get('/api/v1/me/household');
      if (who === 'villagerA1') {
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(world.households.hA1a);
      } else {
        expect([who, res.status, res.body.code]).toEqual([who, 404, 'NO_HOUSEHOLD']);
      }
    }
  });

  it('POST /me/household/linked-member/phone: only a villager, only for their own household', async () => {
    for (const who of ROLES) {
      const res = await clients[who].post('/api/v1/me/household/linked-member/phone', {});
      // villagerA1's household has no linked member in this world: 404 like every staff account.
      expect([who, res.status]).toEqual([who, 404]);
    }
  });

  it('refuses every route without a session', async () => {
    const anon = new Client(app);
    for (const route of routes) {
      const res = await send(anon, await route.req(targets.A1));
      expect([route.name, res.status]).toEqual([route.name, 401]);
    }
  });
});

// ---------------------------------------------------------------- bad input

const good = () => freshIdNumber('1980-03-03');
const wrongCheck = () => {
  const g = good();
  return g.slice(0, 17) + (g[17] === '0' ? '1' : '0');
};
const badDate = () => {
  const b = '430525' + '19810229' + '321';
  return b + idCheckDigit(b);
};

interface BadCase { name: string; req: () => Promise<Req> | Req; status: number; code: string }
const badInputs: BadCase[] = [
  // wrong types
  { name: 'household regionId as text', req: () => ({ method: 'POST', url: '/households', body: { regionId: 'abc', address: 'x', householderName: 'y' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'household version as text', req: () => ({ method: 'PATCH', url: `/households/${targets.A1.householdId}`, body: { version: 'v1', address: 'x' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'household status unknown', req: async () => ({ method: 'PATCH', url: `/households/${targets.A1.householdId}`, body: { version: await version('households', targets.A1.householdId), status: 'gone' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'grid level unknown', req: () => ({ method: 'POST', url: '/grids', body: { regionId: targets.A1.village.id, level: 'huge', code: 'Z1', name: 'z' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'path id not a number', req: () => ({ method: 'GET', url: '/households/abc' }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'body is not JSON', req: () => ({ method: 'POST', url: '/households', body: '{"regionId": 1,' }), status: 400, code: 'BAD_JSON' },
  // unknown fields
  { name: 'household unknown field', req: () => ({ method: 'POST', url: '/households', body: { regionId: targets.A1.group.id, address: 'x', householderName: 'y', code: 'H1' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'resident unknown field', req: () => ({ method: 'POST', url: `/households/${targets.A1.householdId}/residents`, body: { name: 'x', idNumber: good(), relation: '子', birthDate: '1990-01-01' } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'grid staff unknown field', req: () => ({ method: 'POST', url: `/grids/${targets.A1.gridId}/staff`, body: { role: 'worker', name: 'x', salary: 1 } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'reveal unknown field', req: async () => ({ method: 'POST', url: `/residents/${(await householderOf(db, targets.A1.householdId)).id}/reveal`, body: { field: 'phone', purpose: '核对', all: true } }), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'list unknown query param', req: () => ({ method: 'GET', url: '/residents?sort=name' }), status: 400, code: 'VALIDATION_FAILED' },
  // bad ID numbers
  { name: 'ID number check digit', req: () => ({ method: 'POST', url: `/households/${targets.A1.householdId}/residents`, body: { name: 'x', idNumber: wrongCheck(), relation: '子' } }), status: 400, code: 'INVALID_ID_NUMBER' },
  { name: 'ID number impossible birth date (1981-02-29)', req: () => ({ method: 'POST', url: `/households/${targets.A1.householdId}/residents`, body: { name: 'x', idNumber: badDate(), relation: '子' } }), status: 400, code: 'INVALID_ID_NUMBER' },
  { name: 'ID number too short', req: () => ({ method: 'POST', url: `/households/${targets.A1.householdId}/residents`, body: { name: 'x', idNumber: '4305251980', relation: '子' } }), status: 400, code: 'INVALID_ID_NUMBER' },
  { name: 'ID number correction with bad check digit', req: async () => { const r = await householderOf(db, targets.A1.householdId); return { method: 'PATCH', url: `/residents/${r.id}`, body: { version: r.version, idNumber: wrongCheck() } }; }, status: 400, code: 'INVALID_ID_NUMBER' },
  // bad phones
  { name: 'household phone too short', req: () => ({ method: 'POST', url: '/households', body: { regionId: targets.A1.group.id, address: 'x', householderName: 'y', phone: '138123' } }), status: 400, code: 'INVALID_PHONE' },
  { name: 'resident phone landline', req: () => ({ method: 'POST', url: `/households/${targets.A1.householdId}/residents`, body: { name: 'x', idNumber: good(), relation: '子', phone: '0739-7221234' } }), status: 400, code: 'INVALID_PHONE' },
  { name: 'household phone on update', req: async () => ({ method: 'PATCH', url: `/households/${targets.A1.householdId}`, body: { version: await version('households', targets.A1.householdId), phone: '23800001111' } }), status: 400, code: 'INVALID_PHONE' },
  { name: 'grid staff phone', req: () => ({ method: 'POST', url: `/grids/${targets.A1.gridId}/staff`, body: { role: 'worker', name: 'x', phone: 'abc' } }), status: 400, code: 'INVALID_PHONE' },
  // unknown ids
  { name: 'household in unknown region', req: () => ({ method: 'POST', url: '/households', body: { regionId: 9_999_999, address: 'x', householderName: 'y' } }), status: 404, code: 'REGION_NOT_FOUND' },
  { name: 'grid in unknown region', req: () => ({ method: 'POST', url: '/grids', body: { regionId: 9_999_999, level: 'level2', code: 'ZZ', name: 'z' } }), status: 404, code: 'REGION_NOT_FOUND' },
  { name: 'group under unknown village', req: () => ({ method: 'POST', url: '/regions', body: { parentId: 9_999_999, name: '新组' } }), status: 404, code: 'REGION_NOT_FOUND' },
  { name: 'list in unknown region', req: () => ({ method: 'GET', url: '/households?regionId=9999999' }), status: 404, code: 'REGION_NOT_FOUND' },
  { name: 'tree under unknown region', req: () => ({ method: 'GET', url: '/regions/tree?parentId=9999999' }), status: 404, code: 'REGION_NOT_FOUND' },
  { name: 'resident of unknown household', req: () => ({ method: 'POST', url: '/households/9999999/residents', body: { name: 'x', idNumber: good(), relation: '子' } }), status: 404, code: 'NOT_FOUND' },
  { name: 'unknown household', req: () => ({ method: 'PATCH', url: '/households/9999999', body: { version: 1, address: 'x' } }), status: 404, code: 'NOT_FOUND' },
  { name: 'unknown grid parent', req: () => ({ method: 'POST', url: '/grids', body: { regionId: targets.A1.village.id, level: 'level2', code: 'ZP', name: 'z', parentId: 9_999_999 } }), status: 400, code: 'GRID_PARENT_INVALID' },
  { name: 'household with unknown grid', req: () => ({ method: 'POST', url: '/households', body: { regionId: targets.A1.group.id, gridId: 9_999_999, address: 'x', householderName: 'y' } }), status: 404, code: 'NOT_FOUND' },
];

describe('bad input: 4xx with a code and a Chinese message, nothing written', () => {
  it.each(badInputs.map((b) => [b.name, b] as const))('%s', async (_n, b) => {
    const c = clients.townA; // holds every registry permission over A1
    const before = await rowCounts(db);
    const r = await b.req();
    const res = r.method !== 'GET' && typeof r.body === 'string'
      ? await c.req(r.method, `/api/v1${r.url}`, r.body, { 'content-type': 'application/json' })
      : await send(c, r);
    expect({ status: res.status, code: res.body.code }).toEqual({ status: b.status, code: b.code });
    expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await rowCounts(db)).toEqual(before);
  });
});

it('the matrix names every registry, regions and audit route the app serves', () => {
  const declared = new Set([...routes.map((r) => r.name.split('?')[0]!), ...untargeted.map((u) => u.name), 'GET /me/household', 'POST /me/household/linked-member/phone']);
  const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const served: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    const p = path.replace(/^\/api\/v1/, '').replace(/\{(\w+)\}/g, ':$1');
    if (!/^\/(regions|grids|households|residents|me\/(household|grids)|audit)(\/|$)/.test(p)) continue;
    for (const m of Object.keys(ops)) served.push(`${m.toUpperCase()} ${p}`);
  }
  expect(served.length).toBeGreaterThanOrEqual(24);
  expect(served.filter((r) => !declared.has(r))).toEqual([]);
});
