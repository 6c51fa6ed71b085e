import { sql } from 'kysely';
import { openPGlite } from './src/db/database.js';
import { migrate } from './src/db/migrate.js';
import { setPiiKeys, sealIdNumber, sealPhone, makeIdNumber } from './src/core/pii.js';
setPiiKeys({ enc: Buffer.alloc(32, 7), mac: Buffer.alloc(32, 9) });
const d = await openPGlite();
await migrate(d);
const c = await d.db.insertInto('regions').values({ level: 'county', code: '1', name: 'x', path: '/1/', county_id: null, parent_id: null, kind: null, center_lat: null, center_lng: null, boundary: null }).returning('id').executeTakeFirstOrThrow();
const h = await d.db.insertInto('households').values({ county_id: c.id, region_id: c.id, region_path: '/1/', code: 'h', address: 'a', householder_name: 'n' }).returning('id').executeTakeFirstOrThrow();
const mk = (i: number) => ({ county_id: c.id, household_id: h.id, region_path: '/1/2/3/4/', name: '张三丰', gender: 'M' as const, birth_date: '1980-01-01', relation: '户主', ethnicity: '汉族', political: 'masses' as const, status: 'present' as const, ...sealIdNumber(makeIdNumber('430525', `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`, i, 'M') + i), ...sealPhone('13800000000') });
const N = 20000;
const rows = Array.from({ length: N }, (_, i) => mk(i));
const mode = process.argv[2];
let defs: string[] = [];
if (process.argv[3] === 'drop') {
  defs = (await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes where tablename = 'residents' and indexname not in (select conname from pg_constraint)`.execute(d.db)).rows.map((r) => { return r.indexdef + '|' + r.indexname; });
  for (const x of defs) await sql.raw(`drop index ${x.split('|')[1]}`).execute(d.db);
}
const u0 = process.cpuUsage(); const t0 = Date.now();
const B = Number(process.env.B ?? 500);
for (let i = 0; i < N; i += B) {
  const part = rows.slice(i, i + B);
  if (mode === 'kysely') await d.db.insertInto('residents').values(part).returning(['id', 'id_no_hash']).execute();
  else {
    const cols = sql.join(Object.keys(part[0]!).map((k) => sql.ref(k)));
    await sql`INSERT INTO residents (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::residents, ${JSON.stringify(part)}) ${process.env.NORET ? sql`` : sql`RETURNING id, id_no_hash`}`.execute(d.db);
  }
}
for (const x of defs) await sql.raw(x.split('|')[0]!).execute(d.db);
const u = process.cpuUsage(u0);
console.log(mode, 'wall', Date.now() - t0, 'cpu', Math.round((u.user + u.system) / 1000));
