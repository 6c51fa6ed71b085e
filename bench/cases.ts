/**
 * Cases at county scale (issue 4). On PostgreSQL:
 *   - a county of 24 townships, 364 villages, 2,083 grids, 104 departments and N cases (default
 *     1,000,000, loaded with COPY: a year of history, 85% closed);
 *   - intake: reports per second with 50 concurrent clients calling the report use case (the same
 *     function the HTTP route calls: one statement with the case, history, audit, timers,
 *     notifications and the duplicate candidates), from one server process with a pool of
 *     `poolSize` connections, after a warm-up that reports once in every grid (a server that has
 *     run a while has the grids cached); with the Node CPU and the PostgreSQL backends' CPU per
 *     report, so the rate can be judged on a machine shared with other work;
 *   - a village handler's inbox, p50/p95; the case map (挂图作战) for the county and a township;
 *   - the county dashboard's rates (from the daily aggregates plus the unsettled cases) for the
 *     last 30 and 365 days, and a township's and a village's drill-down, p50/p95; beside them the
 *     same county month counted from every case row (the dashboard before the aggregates), and a
 *     check that both give the same figures;
 *   - the same intake end to end over HTTP: the `npm start` server in its own process, 50
 *     autocannon connections posting reports with a client id and an Idempotency-Key each, with
 *     the server's, the database's and the load tool's CPU per report;
 *   - triage: suggestion time per report, and top-1/top-3 accuracy of the classifier trained on 80%
 *     of the labelled set in lib/case-reports.ts and tested on the held-out 20%.
 *
 *   import { benchCases } from './cases.js';
 *   await benchCases({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres' });
 */
import pg from 'pg';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Writable } from 'node:stream';
// Type-only imports so this program sees the same Fastify augmentations as the server.
import type {} from '@fastify/multipart';
import type {} from '../server/src/app.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openPostgres, type Database } from '../server/src/db/database.js';
import { migrate } from '../server/src/db/migrate.js';
import { setPiiKeys } from '../server/src/core/pii.js';
import { syncRoles } from '../server/src/core/roles.js';
import { builtinRoles } from '../server/src/core/permissions.js';
import { insertRegion } from '../server/src/modules/regions/tree.js';
import type { Actor } from '../server/src/core/actor.js';
import { seedCaseCatalogue } from '../server/src/modules/cases/catalogue.js';
import { reportCase } from '../server/src/modules/cases/service.js';
import { listCases } from '../server/src/modules/cases/view.js';
import { caseMap } from '../server/src/modules/cases/map.js';
import { ratesReport } from '../server/src/modules/cases/rates.js';
import { predictNb, retrainTriage, suggest, trainNb } from '../server/src/modules/cases/triage.js';
import { tokenize } from '../server/src/modules/cases/text.js';
import { labelledReports } from './lib/case-reports.js';
import { percentile, median, sample } from './lib/machine.js';
import { processCpuMs, staffCookie, startServer } from './lib/server.js';
import autocannon from 'autocannon';

export interface BenchCasesOptions {
  databaseUrl: string;
  cases?: number;
  concurrency?: number;
  intakeSeconds?: number;
  samples?: number;
  log?: (m: string) => void;
  /** Keep the bench database afterwards (to rerun queries by hand). */
  keep?: boolean;
  /** Database to create (default xz_bench_cases); a dedicated name keeps parallel runs apart. */
  databaseName?: string;
  /** Reuse a database a previous run kept (keep: true) instead of rebuilding it: skips the load. */
  reuse?: boolean;
  /** Connections in the server's pool (default 20): the 50 clients share them, as requests do. */
  poolSize?: number;
}

export interface County {
  countyId: number;
  townships: { id: number; path: string }[];
  villages: { id: number; path: string }[];
  grids: { id: number; regionId: number; path: string }[];
  departments: number[];
  categories: { id: number; code: string; level: string }[];
}

const DAY = 86_400_000;
// pg-copy-streams ships no types; this is the one function used.
const { from: copyFrom } = createRequire(import.meta.url)('pg-copy-streams') as { from: (sql: string) => Writable & pg.Submittable };

/** A county of 洞口's size: 24 townships, 364 villages, 2,083 grids, 104 departments. */
export async function buildCounty(db: Database['db']): Promise<County> {
  await syncRoles(db);
  const county = await insertRegion(db, { parentId: null, level: 'county', code: '430525000000', name: '洞口县' });
  const townships: County['townships'] = [];
  const villages: County['villages'] = [];
  for (let t = 0; t < 24; t++) {
    const town = await insertRegion(db, { parentId: county.id, level: 'township', code: `4305251${String(t).padStart(2, '0')}000`, name: `第${t + 1}镇`, centerLat: 27.0 + t * 0.02, centerLng: 110.5 + t * 0.02 });
    townships.push(town);
    const nv = t < 4 ? 16 : 15; // 4×16 + 20×15 = 364
    for (let v = 0; v < nv; v++) {
      villages.push(await insertRegion(db, { parentId: town.id, level: 'village', code: `4305251${String(t).padStart(2, '0')}2${String(v).padStart(2, '0')}`, name: `第${t + 1}镇${v + 1}村` }));
    }
  }
  const gridRows = [];
  for (let i = 0; i < 2083; i++) {
    const v = villages[i % villages.length]!;
    gridRows.push({ county_id: county.id, region_id: v.id, region_path: v.path, level: 'level1' as const, code: `G${String(i).padStart(5, '0')}`, name: `网格${i + 1}` });
  }
  const grids = [];
  for (let i = 0; i < gridRows.length; i += 500) {
    grids.push(...(await db.insertInto('grids').values(gridRows.slice(i, i + 500)).returning(['id', 'region_id', 'region_path']).execute()));
  }
  const deps = await db
    .insertInto('departments')
    .values(Array.from({ length: 104 }, (_, i) => ({ county_id: county.id, code: `D${String(i + 1).padStart(3, '0')}`, name: `县直部门${i + 1}` })))
    .returning('id')
    .execute();
  await seedCaseCatalogue(db, county.id);
  const cats = await db.selectFrom('case_categories').select(['id', 'code', 'handling_level', 'parent_id']).where('county_id', '=', county.id).execute();
  return {
    countyId: county.id, townships, villages,
    grids: grids.map((g) => ({ id: g.id, regionId: g.region_id, path: g.region_path })),
    departments: deps.map((d) => d.id),
    categories: cats.filter((c) => c.parent_id != null).map((c) => ({ id: c.id, code: c.code, level: c.handling_level })),
  };
}

/** The county a kept database holds (for `reuse`). */
async function loadCounty(db: Database['db']): Promise<County> {
  const regions = await db.selectFrom('regions').select(['id', 'path', 'level', 'county_id']).orderBy('id').execute();
  const countyId = regions.find((r) => r.level === 'county')!.id;
  const grids = await db.selectFrom('grids').select(['id', 'region_id', 'region_path']).orderBy('id').execute();
  const deps = await db.selectFrom('departments').select('id').orderBy('id').execute();
  const cats = await db.selectFrom('case_categories').select(['id', 'code', 'handling_level', 'parent_id']).where('county_id', '=', countyId).execute();
  const pick = (level: string) => regions.filter((r) => r.level === level).map((r) => ({ id: r.id, path: r.path }));
  return {
    countyId, townships: pick('township'), villages: pick('village'),
    grids: grids.map((g) => ({ id: g.id, regionId: g.region_id, path: g.region_path })),
    departments: deps.map((d) => d.id),
    categories: cats.filter((c) => c.parent_id != null).map((c) => ({ id: c.id, code: c.code, level: c.handling_level })),
  };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const esc = (v: unknown) => (v == null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, ' ').replace(/\n/g, ' '));
const ts = (ms: number) => new Date(ms).toISOString();

/** Loads `n` cases with COPY: a year of history with realistic states, deadlines and ratings. */
export async function generateCases(url: string, c: County, n: number, log: (m: string) => void): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const r = rng(42);
  const texts = labelledReports(40);
  const codeToCat = new Map(c.categories.map((x) => [x.code, x]));
  const now = Date.now();
  const cols = ['id', 'county_id', 'code', 'region_id', 'region_path', 'grid_id', 'category_id', 'title', 'description', 'source', 'reporter_name', 'state', 'level', 'department_id',
    'response_due_at', 'due_at', 'first_response_due_at', 'first_response_at', 'resolved_at', 'closed_at', 'rating', 'rated_at', 'created_at', 'updated_at'];
  let i = 0;
  const BATCH = 5000;
  // The daily aggregates (migration 0014) are kept by a row trigger; for a million rows one rebuild
  // after the load — the same per-case figures, case_stats_rows() — is far quicker than a million
  // trigger calls. The dashboard then reads what the app would have written.
  await client.query('ALTER TABLE cases DISABLE TRIGGER cases_daily_stats_ins');
  const stream = client.query(copyFrom(`COPY cases (${cols.join(',')}) FROM STDIN`));
  const src = new Readable({
    read() {
      if (i >= n) return this.push(null);
      const lines: string[] = [];
      for (let k = 0; k < BATCH && i < n; k++, i++) {
        const id = i + 1;
        const g = c.grids[Math.floor(r() * c.grids.length)]!;
        const t = texts[Math.floor(r() * texts.length)]!;
        const cat = codeToCat.get(t.code) ?? c.categories[0]!;
        const created = now - Math.floor(r() * 365 * DAY);
        const age = now - created;
        const handling = (3 + Math.floor(r() * 10)) * DAY;
        const due = created + handling;
        const x = r();
        // recent cases are more often still open
        const state = age < 7 * DAY && x < 0.5 ? (x < 0.2 ? 'pending' : 'handling') : x < 0.02 ? 'handling' : x < 0.06 ? 'resolved' : 'closed';
        const level = cat.level === 'village' ? 'village' : cat.level === 'department' && state !== 'pending' ? 'department' : 'township';
        const dep = level === 'department' ? c.departments[Math.floor(r() * c.departments.length)]! : null;
        const responded = state === 'pending' ? null : created + Math.floor(r() * 1.3 * DAY);
        const resolved = state === 'resolved' || state === 'closed' ? created + Math.floor(handling * (0.3 + r() * 0.9)) : null;
        const closed = state === 'closed' ? resolved! + Math.floor(r() * 3 * DAY) : null;
        const rating = state === 'closed' && r() < 0.8 ? (r() < 0.9 ? 4 + Math.floor(r() * 2) : 1 + Math.floor(r() * 3)) : null;
        const row = [id, c.countyId, `SJ-B${id}`, g.regionId, g.path, g.id, cat.id, t.text.slice(0, 30), t.text, 'phone', '村民', state, level, dep,
          state === 'pending' ? ts(created + DAY) : null, ts(due), ts(created + DAY), responded == null ? null : ts(responded), resolved == null ? null : ts(resolved),
          closed == null ? null : ts(closed), rating, rating == null ? null : ts(closed!), ts(created), ts(closed ?? created)];
        lines.push(row.map(esc).join('\t'));
      }
      this.push(lines.join('\n') + '\n');
      if (i % 100_000 < BATCH) log(`  cases loaded: ${i}`);
    },
  });
  try {
    await pipeline(src, stream);
  } finally {
    await client.query('ALTER TABLE cases ENABLE TRIGGER cases_daily_stats_ins');
  }
  await client.query('SELECT case_daily_stats_rebuild($1)', [c.countyId]);
  await client.query('VACUUM (ANALYZE) case_daily_stats');
  await client.query(`SELECT setval(pg_get_serial_sequence('cases','id'), (SELECT max(id) FROM cases))`);
  // A database in service is vacuumed by autovacuum; without it the first index-only scans of the
  // freshly loaded table would still visit the heap and measure the load, not the query.
  await client.query('VACUUM (ANALYZE) cases');
  await client.end();
}

/** An actor as a session would build it, without logging in. */
export function actorFor(countyId: number, roleKey: string, region: { id: number; path: string }, level: string, userId: number, extra: Partial<Actor> = {}): Actor {
  const role = builtinRoles.find((r) => r.key === roleKey)!;
  return {
    userId, username: roleKey, displayName: roleKey, kind: 'staff', countyId, householdId: null, residentId: null, departmentId: null, totpPassed: true, ip: null,
    grants: [{ roleKey, regionId: region.id, regionPath: region.path, regionLevel: level, permissions: role.permissions }],
    ...extra,
  };
}

async function makeUser(db: Database['db'], countyId: number, name: string): Promise<number> {
  const had = await db.selectFrom('users').select('id').where('username', '=', name).executeTakeFirst();
  if (had) return had.id;
  return (await db.insertInto('users').values({ county_id: countyId, username: name, display_name: name, kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
}

/**
 * CPU time of the PostgreSQL backends serving one database, from /proc (utime + stime of each
 * backend; the server must run on this host, otherwise null). Backends started during the
 * measurement count from zero, ones that ended are lost — the pool keeps its connections open.
 */
class BackendCpu {
  private start0 = new Map<number, number>();
  private readonly client: pg.Client;
  constructor(url: string, private readonly database: string) {
    this.client = new pg.Client({ connectionString: url });
  }
  private async sample(): Promise<Map<number, number> | null> {
    const pids = (await this.client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.database])).rows.map((r) => Number(r.pid));
    const out = new Map<number, number>();
    for (const pid of pids) {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        out.set(pid, ((Number(f[11]) + Number(f[12])) * 1000) / 100); // clock ticks (USER_HZ 100) → ms
      } catch {
        if (!existsSync('/proc/self/stat')) return null;
      }
    }
    return out.size ? out : null;
  }
  async start() {
    await this.client.connect();
    this.start0 = (await this.sample()) ?? new Map();
  }
  async stop(): Promise<number | null> {
    const end = await this.sample();
    await this.client.end();
    if (!end) return null;
    let ms = 0;
    for (const [pid, t] of end) ms += t - (this.start0.get(pid) ?? 0);
    return ms;
  }
}

/**
 * The same intake end to end: the real server (the `npm start` bundle, one process) on this
 * database, 50 autocannon connections posting reports as a logged-in county duty officer, each
 * with its own client id and Idempotency-Key as the phone sends them — so the rate includes HTTP,
 * the session look-up, body validation and the idempotency record. The load tool runs on the same
 * 2 cores; its own CPU is reported beside the server's and the database's.
 */
async function httpIntake(url: string, adminUrl: string, dbName: string, db: Database['db'], county: County, conc: number, seconds: number, log: (m: string) => void) {
  const { child, port } = await startServer({ DATABASE_URL: url });
  try {
    const cookie = await staffCookie(db, port, { countyId: county.countyId, username: 'bench_http_reporter', displayName: '压测值班员', roleKey: 'township_cadre', regionId: county.countyId });
    const texts = labelledReports(20);
    const codeToCat = new Map(county.categories.map((x) => [x.code, x.id]));
    const run0 = Date.now();
    let n = 0;
    const fire = (duration: number) => new Promise<autocannon.Result>((res, rej) => {
      autocannon({
        url: `http://127.0.0.1:${port}/api/v1/cases`, method: 'POST', connections: conc, duration,
        headers: { cookie, 'content-type': 'application/json' },
        requests: [{
          setupRequest: (req) => {
            const i = n++;
            const t = texts[i % texts.length]!;
            const g = county.grids[(i * 7919) % county.grids.length]!;
            return {
              ...req,
              headers: { ...req.headers, 'idempotency-key': `http-${run0}-${i}` },
              body: JSON.stringify({ categoryId: codeToCat.get(t.code)!, description: t.text, gridId: g.id, clientId: `http-${run0}-${i}` }),
            };
          },
        }],
      }, (err, r) => (err ? rej(err) : res(r)));
    });
    log(`intake over HTTP: warm-up, then ${conc} connections for ${seconds}s …`);
    await fire(3);
    const backends = new BackendCpu(adminUrl, dbName);
    await backends.start();
    const server0 = processCpuMs(child.pid!);
    const tool0 = process.cpuUsage();
    const r = await fire(seconds);
    const tool = process.cpuUsage(tool0);
    const serverMs = processCpuMs(child.pid!) - server0;
    const dbMs = await backends.stop();
    const ok = r['2xx'];
    const per = (ms: number | null) => (ms == null ? null : Math.round((ms / Math.max(1, ok)) * 100) / 100);
    return {
      reportsPerSecond: Math.round(ok / r.duration), ok, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
      p50ms: r.latency.p50, p97_5ms: r.latency.p97_5, p99ms: r.latency.p99,
      serverCpuMsPerReport: per(serverMs), postgresCpuMsPerReport: per(dbMs), loadToolCpuMsPerReport: per((tool.user + tool.system) / 1000),
      loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    };
  } finally {
    child.kill();
  }
}

export function triageAccuracy(): { train: number; test: number; top1: number; top3: number } {
  const all = labelledReports(60);
  const cut = Math.floor(all.length * 0.8);
  const train = all.slice(0, cut);
  const test = all.slice(cut);
  const model = trainNb(train.map((x) => ({ tokens: tokenize(x.text), label: x.code })));
  let top1 = 0;
  let top3 = 0;
  for (const x of test) {
    const s = predictNb(model, tokenize(x.text), 3).map((p) => p.label);
    if (s[0] === x.code) top1++;
    if (s.includes(x.code)) top3++;
  }
  return { train: train.length, test: test.length, top1: top1 / test.length, top3: top3 / test.length };
}

export async function benchCases(opts: BenchCasesOptions): Promise<Record<string, unknown>> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const n = opts.cases ?? 1_000_000;
  const conc = opts.concurrency ?? 50;
  const samples = opts.samples ?? 200;
  setPiiKeys({ enc: Buffer.alloc(32, 1), mac: Buffer.alloc(32, 2) });
  const name = opts.databaseName ?? 'xz_bench_cases';
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: opts.databaseUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  const reuse = !!opts.reuse && exists;
  if (!reuse) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  }
  await admin.end();
  const u = new URL(opts.databaseUrl);
  u.pathname = '/' + name;
  const poolSize = opts.poolSize ?? 20;
  const database = await openPostgres(u.toString(), poolSize);
  const db = database.db;
  const results: Record<string, unknown> = { cases: n, concurrency: conc, serverProcesses: 1, poolSize };
  const t0 = Date.now();
  try {
    await migrate(database);
    let county: County;
    if (reuse) {
      log(`reusing ${name} …`);
      county = await loadCounty(db);
      results.cases = Number((await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } else {
      log('building the county …');
      county = await buildCounty(db);
      log(`loading ${n} cases …`);
      await generateCases(u.toString(), county, n, log);
      results.loadSeconds = (Date.now() - t0) / 1000;
    }

    // ── intake ──
    const reporterId = await makeUser(db, county.countyId, 'bench_reporter');
    const countyRegion = { id: county.countyId, path: `/${county.countyId}/` };
    const reporter = actorFor(county.countyId, 'county_admin', countyRegion, 'county', reporterId);
    const texts = labelledReports(20);
    const codeToCat = new Map(county.categories.map((x) => [x.code, x.id]));
    const seconds = opts.intakeSeconds ?? 20;
    const report = (i: number, gridId: number, clientId: string) => {
      const t = texts[i % texts.length]!;
      return reportCase({ db, actor: reporter }, { categoryId: codeToCat.get(t.code)!, description: t.text, gridId, clientId });
    };
    log(`intake warm-up: one report in each of ${county.grids.length} grids …`);
    let next = 0;
    await Promise.all(Array.from({ length: conc }, async () => {
      while (next < county.grids.length) {
        const g = next++;
        await report(g, county.grids[g]!.id, `warm-${g}-${t0}`);
      }
    }));
    let done = 0;
    let failed = 0;
    const lat: number[] = [];
    log(`intake: ${conc} concurrent clients for ${seconds}s …`);
    // CPU per report: on a shared machine the rate follows the CPU share the server and the
    // database get, so what each report costs them is reported as well — Node's from
    // process.cpuUsage(), PostgreSQL's from /proc for this database's backends (same host).
    const backends = new BackendCpu(opts.databaseUrl, name);
    await backends.start();
    const cpu0 = process.cpuUsage();
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: conc }, async (_, w) => {
      let k = w;
      while (Date.now() < until) {
        const i = k++;
        const g = county.grids[(k * 7919) % county.grids.length]!;
        const s = process.hrtime.bigint();
        try {
          await report(i, g.id, `bench-${w}-${k}-${t0}`);
          done++;
        } catch (e) {
          failed++;
          if (failed < 3) log(`  intake error: ${String(e)}`);
        }
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }));
    const cpu = process.cpuUsage(cpu0);
    const dbCpuMs = await backends.stop();
    const perReport = (ms: number | null) => (ms == null ? null : Math.round((ms / Math.max(1, done)) * 100) / 100);
    results.intake = {
      reportsPerSecond: Math.round(done / seconds), done, failed, p50ms: median(lat), p95ms: percentile(lat, 95),
      nodeCpuMsPerReport: perReport((cpu.user + cpu.system) / 1000),
      postgresCpuMsPerReport: perReport(dbCpuMs),
      loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
    };
    log(`  ${JSON.stringify(results.intake)}`);

    // ── intake over HTTP ──
    results.intakeHttp = await httpIntake(u.toString(), opts.databaseUrl, name, db, county, conc, seconds, log);
    log(`  ${JSON.stringify(results.intakeHttp)}`);

    // ── a handler's inbox ──
    const cadreId = await makeUser(db, county.countyId, 'bench_cadre');
    const inboxMs = await sample(samples, (i) => {
      const v = county.villages[i % county.villages.length]!;
      return listCases({ db, actor: actorFor(county.countyId, 'village_cadre', v, 'village', cadreId) }, { list: 'inbox', limit: 50 });
    });
    results.inbox = { p50ms: median(inboxMs), p95ms: percentile(inboxMs, 95) };
    log(`  inbox ${JSON.stringify(results.inbox)}`);
    const townMs = await sample(samples, (i) => {
      const t = county.townships[i % county.townships.length]!;
      return listCases({ db, actor: actorFor(county.countyId, 'township_cadre', t, 'township', cadreId) }, { list: 'problem', limit: 50 });
    });
    results.townshipProblemList = { p50ms: median(townMs), p95ms: percentile(townMs, 95) };
    // 挂图作战: the open cases per village for the whole county, and for one township.
    const mapActor = actorFor(county.countyId, 'township_cadre', countyRegion, 'county', cadreId);
    const countyMap = await sample(samples, () => caseMap({ db, actor: mapActor }, {}));
    const townMap = await sample(samples, (i) => caseMap({ db, actor: mapActor }, { regionId: county.townships[i % county.townships.length]!.id }));
    const mapNow = await caseMap({ db, actor: mapActor }, {});
    results.caseMap = {
      county: { p50ms: median(countyMap), p95ms: percentile(countyMap, 95), villages: mapNow.villages.length, openCases: mapNow.villages.reduce((a, v) => a + v.open, 0) },
      township: { p50ms: median(townMap), p95ms: percentile(townMap, 95) },
    };
    log(`  map ${JSON.stringify(results.caseMap)}`);

    // ── the county dashboard ──
    const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    const countyActor = actorFor(county.countyId, 'county_admin', countyRegion, 'county', cadreId);
    const month = { from: day(Date.now() - 30 * DAY), to: day(Date.now()) };
    const year = { from: day(Date.now() - 365 * DAY), to: day(Date.now()) };
    const timed = (ms: number[]) => ({ p50ms: median(ms), p95ms: percentile(ms, 95) });
    const rs = Math.min(samples, 50);
    results.countyRates30d = timed(await sample(rs, () => ratesReport(db, countyActor, month)));
    log(`  rates ${JSON.stringify(results.countyRates30d)}`);
    results.countyRates365d = timed(await sample(rs, () => ratesReport(db, countyActor, year)));
    results.townshipRates30d = timed(await sample(rs, (i) => ratesReport(db, countyActor, { ...month, regionId: county.townships[i % county.townships.length]!.id })));
    results.townshipRates365d = timed(await sample(rs, (i) => ratesReport(db, countyActor, { ...year, regionId: county.townships[i % county.townships.length]!.id })));
    results.villageRates365d = timed(await sample(rs, (i) => ratesReport(db, countyActor, { ...year, regionId: county.villages[i % county.villages.length]!.id })));
    // The dashboard before the aggregates, same run, and the proof both give the same figures.
    const now = new Date();
    const fromScratch = await sample(5, () => ratesReport(db, countyActor, month, now, { fromScratch: true }), 1);
    results.countyRates30dFromEveryCase = timed(fromScratch);
    results.ratesSameAsFromEveryCase =
      JSON.stringify(await ratesReport(db, countyActor, month, now)) === JSON.stringify(await ratesReport(db, countyActor, month, now, { fromScratch: true })) &&
      JSON.stringify(await ratesReport(db, countyActor, year, now)) === JSON.stringify(await ratesReport(db, countyActor, year, now, { fromScratch: true }));
    log(`  rates ${JSON.stringify({ year: results.countyRates365d, township: results.townshipRates30d, fromEveryCase: results.countyRates30dFromEveryCase, same: results.ratesSameAsFromEveryCase })}`);

    // ── triage ──
    const tr0 = Date.now();
    const trained = await retrainTriage(db, county.countyId);
    results.triageRetrain = { samples: trained.samples, seconds: (Date.now() - tr0) / 1000 };
    const triMs = await sample(1000, (i) => suggest(db, county.countyId, texts[i % texts.length]!.text), 20);
    results.triageSuggest = { p50ms: median(triMs), p95ms: percentile(triMs, 95), meanMs: triMs.reduce((a, b) => a + b, 0) / triMs.length };
    results.triageAccuracy = triageAccuracy();
    log(`  triage ${JSON.stringify(results.triageSuggest)} accuracy ${JSON.stringify(results.triageAccuracy)}`);
  } finally {
    await database.close();
    if (!opts.keep) {
      const a = new pg.Client({ connectionString: opts.databaseUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    }
  }
  return results;
}
