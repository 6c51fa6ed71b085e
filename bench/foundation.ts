/**
 * Foundation benchmarks (issue 3), measured side by side in one run:
 *   - roster import rate (households/s) through the real import use case, at county scale on
 *     PostgreSQL, against the ceiling of a raw COPY of the same rows;
 *   - a village cadre's household list over HTTP (the real server in a child process), against the
 *     same SQL sent straight through `pg` and a bare Fastify route under the same load tool;
 *   - the server's resident memory while serving;
 *   - the same import and list on embedded PGlite at a smaller scale.
 */
import { join, resolve } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type {} from '@fastify/multipart';
import type {} from '../server/src/app.js';
import { openPGlite, openPostgres, type Database } from '../server/src/db/database.js';
import { migrate } from '../server/src/db/migrate.js';
import { setPiiKeys, sealIdNumber, sealPhone } from '../server/src/core/pii.js';
import { syncRoles, grantRole } from '../server/src/core/roles.js';
import { hashPassword } from '../server/src/core/auth/password.js';
import { loadCounty, generateCounty, type VillageData } from '../server/src/seed/index.js';
import { importRoster } from '../server/src/modules/roster/import.js';
import type { RosterRow } from '../server/src/modules/roster/parse.js';
import { loadGrants } from '../server/src/core/auth/sessions.js';
import type { Actor } from '../server/src/core/actor.js';
import { buildApp } from '../server/src/app.js';
import { median, percentile, sample, timeIt } from './lib/machine.js';
import { BENCH_PASSWORD, BENCH_PII, freePort, rssMb, staffCookie, startServer } from './lib/server.js';
import { freshDatabaseUrl } from './lib/county.js';

const ROOT = resolve(import.meta.dirname, '..');
const PII = BENCH_PII;
const PASSWORD = BENCH_PASSWORD;
const COUNTY = '430525';

export interface FoundationOptions {
  adminUrl: string; // a PostgreSQL server to create the bench database on
  households: number; // county scale on PostgreSQL (200,000)
  pgliteHouseholds: number; // embedded scale
  log: (m: string) => void;
}

const POLITICAL: Record<string, string> = { masses: '群众', league: '共青团员', party: '中共党员' };

function rosterRows(v: VillageData): RosterRow[] {
  const rows: RosterRow[] = [];
  for (const h of v.households) {
    for (const r of h.residents) {
      rows.push({
        row: rows.length + 2,
        householdCode: h.code,
        group: v.groups[h.groupIndex]!.name,
        address: h.address,
        name: r.name,
        relation: r.relation,
        idNumber: r.idNumber,
        phone: r.phone ?? '',
        ethnicity: r.ethnicity,
        political: POLITICAL[r.political] ?? '群众',
        tags: h.tags.join('、'),
      });
    }
  }
  return rows;
}

async function villageIdByCode(db: Database['db']): Promise<Map<string, { id: number; path: string }>> {
  const rows = await db.selectFrom('regions').select(['id', 'code', 'path']).where('level', '=', 'village').execute();
  return new Map(rows.map((r) => [r.code, { id: r.id, path: r.path }]));
}

async function adminActor(db: Database['db'], countyId: number): Promise<Actor> {
  const u = await db
    .insertInto('users')
    .values({ county_id: countyId, username: 'bench_admin_' + Date.now(), display_name: '压测管理员', kind: 'staff', password_hash: await hashPassword(PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await grantRole(db, u.id, 'township_cadre', countyId); // roster import rights on the whole county, no TOTP needed
  return {
    userId: u.id, username: 'bench', displayName: '压测管理员', kind: 'staff', countyId, householdId: null, residentId: null,
    departmentId: null, grants: await loadGrants(db, u.id), totpPassed: true, ip: '127.0.0.1',
  };
}

/**
 * Imports the generated county, one roster file per village as village cadres upload them. The
 * first half of the villages goes one file after another; the second half with `concurrency`
 * uploads in flight at once (a county's first load: every village uploading the same week). Each
 * file is the real import use case, its own transaction, all or nothing. Rates are households per
 * wall-clock second of each half.
 */
async function importCounty(database: Database, total: number, log: (m: string) => void, concurrency = 3) {
  await syncRoles(database.db);
  await loadCounty(database, { countyCode: COUNTY, householdsPerVillage: 0, demoAccounts: false });
  const county = await database.db.selectFrom('regions').select('id').where('level', '=', 'county').executeTakeFirstOrThrow();
  const actor = await adminActor(database.db, county.id);
  const villages = await villageIdByCode(database.db);
  const files: { v: VillageData; rows: RosterRow[] }[] = [];
  for await (const v of generateCounty({ countyCode: COUNTY, totalHouseholds: total })) files.push({ v, rows: rosterRows(v) });
  let residents = 0;
  const importFiles = async (batch: typeof files, inFlight: number) => {
    let next = 0;
    let households = 0;
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e9;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < batch.length) {
        const { v, rows } = batch[next++]!;
        const res = await importRoster({ db: database.db, actor }, villages.get(v.village.code)!.id, rows, { dryRun: false });
        if (res.errors.length) throw new Error(`import errors in ${v.village.name}: ${JSON.stringify(res.errors.slice(0, 3))}`);
        households += v.households.length;
        residents += rows.length;
        if (next % 50 === 0) log(`  ${inFlight} at a time: ${households} households (${Math.round(households / elapsed())}/s)`);
      }
    }));
    return { households, seconds: elapsed(), rate: households / elapsed(), concurrency: inFlight };
  };
  const half = Math.ceil(files.length / 2);
  const sequential = await importFiles(files.slice(0, half), 1);
  const parallel = await importFiles(files.slice(half), concurrency);
  const households = sequential.households + parallel.households;
  const seconds = sequential.seconds + parallel.seconds;
  return {
    households, residents, seconds, rate: households / seconds, sequential, parallel,
    villages: files.map((f) => f.v), countyId: county.id, villageIds: villages,
  };
}

/** The ceiling: the same households and residents, already sealed, through one raw COPY each. */
async function copyCeiling(url: string, data: { villages: VillageData[]; countyId: number; villageIds: Map<string, { id: number; path: string }> }) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE bench_households (LIKE households INCLUDING DEFAULTS)');
  await client.query('CREATE TABLE bench_residents (LIKE residents INCLUDING DEFAULTS INCLUDING IDENTITY)');
  // Sealing (encrypt + HMAC) is part of what any loader must do; we do it before the clock starts
  // so the ceiling is the database's own write speed.
  const hLines: string[] = [];
  const rLines: string[] = [];
  let hid = 0;
  const esc = (s: string | null) => (s == null ? '\\N' : s.replace(/\\/g, '\\\\').replace(/\t/g, ' ').replace(/\n/g, ' '));
  for (const v of data.villages) {
    const vill = data.villageIds.get(v.village.code)!;
    for (const h of v.households) {
      hid++;
      const ph = sealPhone(h.phone);
      hLines.push([hid, data.countyId, vill.id, vill.path, h.code, h.address, h.residents[0]!.name, ph.phone_enc, ph.phone_hash, ph.phone_masked, h.residents.length].map((x) => esc(x == null ? null : String(x))).join('\t'));
      for (const r of h.residents) {
        const s = sealIdNumber(r.idNumber);
        const rp = sealPhone(r.phone);
        rLines.push([hid, data.countyId, vill.path, r.name, r.gender, r.birthDate, r.relation, s.id_no_enc, s.id_no_hash, s.id_no_masked, rp.phone_enc, rp.phone_hash, rp.phone_masked].map((x) => esc(x == null ? null : String(x))).join('\t'));
      }
    }
  }
  const HCOLS = '(id, county_id, region_id, region_path, code, address, householder_name, phone_enc, phone_hash, phone_masked, member_count)';
  const RCOLS = '(household_id, county_id, region_path, name, gender, birth_date, relation, id_no_enc, id_no_hash, id_no_masked, phone_enc, phone_hash, phone_masked)';
  const copyBoth = async (households: string, residents: string, hl: string[], rl: string[], end: 'COMMIT' | 'ROLLBACK') => {
    const t0 = process.hrtime.bigint();
    await client.query('BEGIN');
    await pipeline(Readable.from(hl.map((l) => l + '\n')), client.query(copyFrom(`COPY ${households} ${HCOLS} FROM STDIN`)));
    await pipeline(Readable.from(rl.map((l) => l + '\n')), client.query(copyFrom(`COPY ${residents} ${RCOLS} FROM STDIN`)));
    if (end === 'COMMIT') await client.query('COMMIT');
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (end === 'ROLLBACK') await client.query('ROLLBACK');
    return seconds;
  };
  // 1. Bare tables: no index, constraint or trigger — the disk and the COPY protocol.
  const bare = await copyBoth('bench_households', 'bench_residents', hLines, rLines, 'COMMIT');
  await client.query('DROP TABLE bench_households; DROP TABLE bench_residents');
  // 2. The real tables, with every index, unique and foreign key check and the region-count
  //    triggers an import pays for (keys shifted so they don't collide with the imported county),
  //    timed up to the COMMIT, then rolled back.
  const shift = 1_000_000_000;
  const hReal = hLines.map((l) => { const f = l.split('\t'); f[0] = String(shift + Number(f[0])); f[4] = 'X' + f[4]; return f.join('\t'); });
  const rReal = rLines.map((l) => { const f = l.split('\t'); f[0] = String(shift + Number(f[0])); f[8] = 'X' + f[8]; return f.join('\t'); });
  const real = await copyBoth('households', 'residents', hReal, rReal, 'ROLLBACK');
  await client.end();
  return { households: hid, seconds: bare, rate: hid / bare, realSeconds: real, realRate: hid / real };
}

function runAutocannon(url: string, headers: Record<string, string>, seconds = 8, connections = 10): Promise<autocannon.Result> {
  return new Promise((res, rej) => {
    autocannon({ url, headers, duration: seconds, connections }, (err, r) => (err ? rej(err) : res(r)));
  });
}

async function listLatency(url: string, adminPool: pg.Pool, village: { id: number; path: string }, db: Database['db'], countyId: number, log: (m: string) => void) {
  const { child, port } = await startServer({ DATABASE_URL: url });
  try {
    const cookie = await staffCookie(db, port, { countyId, username: 'bench_village', displayName: '压测村干部', roleKey: 'village_cadre', regionId: village.id });
    const path = `/api/v1/households?regionId=${village.id}&limit=50`;
    const get = async () => {
      const r = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie } });
      if (r.status !== 200) throw new Error('list ' + r.status + (await r.text()));
      await r.arrayBuffer();
    };
    const httpMs = await sample(500, get, 20);
    // The other pages a village cadre opens: the next page, a name search, the region tree with counts.
    const timeGet = async (p: string) => sample(200, async () => {
      const r = await fetch(`http://127.0.0.1:${port}${p}`, { headers: { cookie } });
      if (r.status !== 200) throw new Error(p + ' ' + r.status + (await r.text()));
      await r.arrayBuffer();
    }, 10);
    const first = (await (await fetch(`http://127.0.0.1:${port}/api/v1/households?regionId=${village.id}&limit=20`, { headers: { cookie } })).json()) as { items: { householderName: string }[]; nextCursor: string };
    const nextMs = await timeGet(`/api/v1/households?regionId=${village.id}&limit=20&cursor=${first.nextCursor}`);
    const searchMs = await timeGet(`/api/v1/households?regionId=${village.id}&limit=50&q=${encodeURIComponent(first.items[0]!.householderName.slice(0, 1))}`);
    const treeMs = await timeGet(`/api/v1/regions/tree?parentId=${village.id}`);
    const others = {
      nextP95: percentile(nextMs, 95), searchP95: percentile(searchMs, 95), treeP95: percentile(treeMs, 95),
    };
    const rssIdle = rssMb(child.pid!);
    const ac = await runAutocannon(`http://127.0.0.1:${port}${path}`, { cookie });
    const rssLoaded = rssMb(child.pid!);
    log(`  HTTP list p50 ${median(httpMs).toFixed(2)} ms, p95 ${percentile(httpMs, 95).toFixed(2)} ms; autocannon ${ac.requests.average} req/s`);

    // The same list straight through pg: the scoped, cursor-paged query the route runs.
    const q = `SELECT h.id, h.code, h.address, h.householder_name, h.phone_masked, h.member_count, h.tags, h.status, h.region_id, h.grid_id
               FROM households h WHERE h.region_path LIKE $1 ORDER BY h.id LIMIT 51`;
    const pgMs = await sample(500, () => adminPool.query(q, [village.path + '%']), 20);

    // A bare Fastify route returning a payload of the same size, under the same load tool.
    const sampleBody = await (await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie } })).text();
    const bare = Fastify();
    bare.get('/bare', async (_req, reply) => reply.type('application/json').send(sampleBody));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as { port: number }).port;
    const bareAc = await runAutocannon(`http://127.0.0.1:${barePort}/bare`, {});
    await bare.close();
    return {
      httpP50: median(httpMs), httpP95: percentile(httpMs, 95),
      pgP50: median(pgMs), pgP95: percentile(pgMs, 95),
      acRps: ac.requests.average, acP50: ac.latency.p50, acP975: ac.latency.p97_5,
      bareRps: bareAc.requests.average, bareP50: bareAc.latency.p50, bareP975: bareAc.latency.p97_5,
      rssIdle, rssLoaded, payloadBytes: sampleBody.length, ...others,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.on('exit', r));
  }
}

/** PGlite, in process: import a smaller county and time the list through the app (inject). */
async function pgliteRun(households: number, log: (m: string) => void) {
  const database = await openPGlite();
  await migrate(database);
  const imp = await importCounty(database, households, log, 1); // one connection: uploads queue anyway
  const village = [...imp.villageIds.values()][0]!;
  const app = await buildApp({ database, loginRateLimit: 1e6 });
  await app.ready();
  const u = await database.db
    .insertInto('users')
    .values({ county_id: imp.countyId, username: 'bench_village', display_name: '压测村干部', kind: 'staff', password_hash: await hashPassword(PASSWORD) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await grantRole(database.db, u.id, 'village_cadre', village.id);
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'bench_village', password: PASSWORD } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const ms = await sample(300, async () => {
    const r = await app.inject({ method: 'GET', url: `/api/v1/households?regionId=${village.id}&limit=50`, headers: { cookie } });
    if (r.statusCode !== 200) throw new Error('pglite list ' + r.statusCode);
  }, 20);
  await app.close();
  await database.close();
  return { households: imp.households, rate: imp.rate, seconds: imp.seconds, listP50: median(ms), listP95: percentile(ms, 95) };
}

export async function benchFoundation(opts: FoundationOptions) {
  setPiiKeys({ enc: Buffer.from(PII.enc, 'hex'), mac: Buffer.from(PII.mac, 'hex') });
  const log = opts.log;
  log(`foundation: PostgreSQL, ${opts.households} households`);
  const url = await freshDatabaseUrl(opts.adminUrl, 'xz_bench_foundation');
  const database = await openPostgres(url, 10);
  await migrate(database);
  const imp = await importCounty(database, opts.households, log);
  log(`  import: ${imp.households} households / ${imp.residents} residents in ${imp.seconds.toFixed(1)} s = ${Math.round(imp.rate)}/s (one at a time ${Math.round(imp.sequential.rate)}/s, ${imp.parallel.concurrency} at a time ${Math.round(imp.parallel.rate)}/s)`);
  const copy = await copyCeiling(url, imp);
  log(`  raw COPY: ${Math.round(copy.rate)} households/s into bare tables, ${Math.round(copy.realRate)}/s into the real tables`);
  await sql`ANALYZE`.execute(database.db);
  // a typical village: the median by size
  const sizes = imp.villages.map((v) => ({ code: v.village.code, n: v.households.length })).sort((a, b) => a.n - b.n);
  const village = imp.villageIds.get(sizes[Math.floor(sizes.length / 2)]!.code)!;
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const list = await listLatency(url, pool, village, database.db, imp.countyId, log);
  await pool.end();
  await database.close();
  log(`foundation: PGlite, ${opts.pgliteHouseholds} households`);
  const lite = await pgliteRun(opts.pgliteHouseholds, log);
  return {
    postgres: { import: { households: imp.households, residents: imp.residents, seconds: imp.seconds, rate: imp.rate, sequential: imp.sequential, parallel: imp.parallel }, copy, list, villageHouseholds: sizes[Math.floor(sizes.length / 2)]!.n },
    pglite: lite,
  };
}
