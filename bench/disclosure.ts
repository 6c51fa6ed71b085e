/**
 * 村务公开 (disclosure) at county scale, on PostgreSQL: on its own `npx tsx bench/disclosure.ts [--quick]`
 * (BENCH_DATABASE_URL, default the local server).
 *
 * A county of 洞口's shape (24 townships, 364 villages) with 1,000,000 posted finance entries
 * (--quick: 100,000) over the past year, generated with one INSERT … SELECT, and the months before
 * last published. Then, through the same service functions the routes call:
 *   - a village's monthly disclosure (opening balance, totals by category, the entries): an open
 *     month computed live, and a published month read from its snapshot;
 *   - the county overview for the year (per village income, expense, waiting, months published);
 *   - sign-offs per second: 20 supervision-committee signers at once, each signing their own
 *     village's expenses (each sign-off one transaction: the signature row, the compare-and-set on
 *     the entry, the workflow history and the audit row).
 */
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type {} from '../server/src/app.js';
import { migrate } from '../server/src/db/migrate.js';
import { setPiiKeys } from '../server/src/core/pii.js';
import { syncRoles, grantRole } from '../server/src/core/roles.js';
import type { Actor } from '../server/src/core/actor.js';
import { monthView, overview, stepEntry } from '../server/src/modules/disclosure/service.js';
import { sample, stats } from './lib/machine.js';
import { benchActor as actorAt, buildRegions, freshBenchDatabase, type Place } from './lib/county.js';

export interface BenchDisclosureOptions {
  databaseUrl: string;
  entries?: number;
  perSigner?: number;
  samples?: number;
  log?: (m: string) => void;
}


const monthBack = (n: number) => {
  const d = new Date(Date.now() + 8 * 3_600_000);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 7);
};

export async function benchDisclosure(o: BenchDisclosureOptions) {
  const log = o.log ?? console.log;
  const N = o.entries ?? 1_000_000;
  const S = o.samples ?? 40;
  const perSigner = o.perSigner ?? 25;
  setPiiKeys({ enc: Buffer.alloc(32, 7), mac: Buffer.alloc(32, 9) });
  const database = await freshBenchDatabase(o.databaseUrl, 'xz_bench_disclosure', 24);
  const db = database.db;
  try {
    await migrate(database);
    await syncRoles(db);
    log('disclosure: building the county');
    const { county, townships, villages } = await buildRegions(db);
    const countyId = county.id;
    const cadre = await db.insertInto('users').values({ county_id: countyId, username: 'cadre', display_name: '干部', kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
    const signers: { id: number; village: Place }[] = [];
    for (let i = 0; i < 20; i++) {
      const m = await db.insertInto('users').values({ county_id: countyId, username: `eval${i}`, display_name: `监委${i}`, kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
      await grantRole(db, m.id, 'evaluation_group', villages[i]!.id);
      signers.push({ id: m.id, village: villages[i]! });
    }

    log(`disclosure: generating ${N.toLocaleString()} posted entries`);
    const t0 = Date.now();
    const vIds = villages.map((v) => v.id);
    const vPaths = villages.map((v) => v.path);
    await sql`
      INSERT INTO finance_entries (county_id, village_id, region_path, entry_date, kind, category, amount_fen, counterparty, purpose, voucher_no, pay_method,
        state, steps, period, created_by, created_by_name, created_at, posted_at)
      SELECT ${countyId}, v.id, v.path, c.day, CASE WHEN g % 3 = 0 THEN 'income' ELSE 'expense' END,
        CASE WHEN g % 3 = 0 THEN (ARRAY['集体经营收入','上级补助','其他'])[1 + (g / 3) % 3] ELSE (ARRAY['办公经费','工程款','惠民资金','其他'])[1 + g % 4] END,
        1 + floor(r.x * 5000000)::bigint, '收付款方' || (g % 997), '用途' || g, 'PZ' || g, (ARRAY['bank_transfer','official_card','corporate_transfer'])[1 + g % 3],
        'posted', '[]', to_char(c.day, 'YYYY-MM'), ${cadre.id}, '压测', c.day, c.day
      FROM generate_series(1, ${N}::int) g
      CROSS JOIN LATERAL (SELECT random() AS x, random() AS y, random() AS z WHERE g > 0) r
      CROSS JOIN LATERAL (SELECT (${vIds}::int8[])[1 + floor(r.y * ${vIds.length})::int] AS id, (${vPaths}::text[])[1 + floor(r.y * ${vIds.length})::int] AS path) v
      CROSS JOIN LATERAL (SELECT ((now() AT TIME ZONE 'Asia/Shanghai') - (r.z * interval '365 days'))::date AS day) c`.execute(db);
    // the months before last are published (snapshots computed in SQL the way publishMonth does)
    const lastMonth = monthBack(1);
    await sql`
      INSERT INTO disclosure_months (county_id, village_id, region_path, month, opening_fen, income_fen, expense_fen, closing_fen, by_category, entry_count, confirmed_by, confirmed_by_name)
      SELECT ${countyId}, m.village_id, m.region_path, m.period,
        coalesce(sum(m.net) OVER (PARTITION BY m.village_id ORDER BY m.period ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0),
        m.income, m.expense, sum(m.net) OVER (PARTITION BY m.village_id ORDER BY m.period), '[]', m.n, ${cadre.id}, '压测'
      FROM (SELECT village_id, min(region_path) AS region_path, period, coalesce(sum(amount_fen) FILTER (WHERE kind = 'income'), 0) AS income,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'expense'), 0) AS expense,
              sum(CASE WHEN kind = 'income' THEN amount_fen ELSE -amount_fen END) AS net, count(*)::int AS n
            FROM finance_entries GROUP BY village_id, period) m
      WHERE m.period < ${lastMonth}`.execute(db);
    // as autovacuum would after a bulk load: statistics and the visibility map (index-only scans)
    await sql`VACUUM (ANALYZE) finance_entries`.execute(db);
    await sql`ANALYZE disclosure_months`.execute(db);
    const loadSeconds = (Date.now() - t0) / 1000;

    const ctx = (a: Actor) => ({ db, actor: a });
    const village = villages[5]!;
    const villageActor = actorAt(countyId, cadre.id, 'village_cadre', village, 'village');
    const countyActor = actorAt(countyId, cadre.id, 'county_admin', county, 'county');
    const year = Number(monthBack(0).slice(0, 4));
    log('disclosure: the month and the overview');
    const openMonth = await monthView(ctx(villageActor), village.id, lastMonth);
    const ov = await overview(ctx(countyActor), year);
    const monthOpen = stats(await sample(S, () => monthView(ctx(villageActor), village.id, lastMonth)));
    const monthPublished = stats(await sample(S, () => monthView(ctx(villageActor), village.id, monthBack(3))));
    const overviewCounty = stats(await sample(Math.min(S, 20), () => overview(ctx(countyActor), year)));
    const overviewTownship = stats(await sample(S, () => overview(ctx(actorAt(countyId, cadre.id, 'township_cadre', townships[3]!, 'township')), year)));

    log(`disclosure: 20 signers × ${perSigner} expenses`);
    const steps = JSON.stringify([{ label: '经办人', role: 'village_cadre', level: 'village' }, { label: '村务监督委员会审核', role: 'evaluation_group', level: 'village' }, { label: '乡镇农经站审核', role: 'township_cadre', level: 'township' }]);
    const mine = await sql<{ id: number; village_id: number }>`
      INSERT INTO finance_entries (county_id, village_id, region_path, entry_date, kind, category, amount_fen, counterparty, purpose, voucher_no, pay_method, state, steps, current_step, created_by, created_by_name)
      SELECT ${countyId}, s.vid, s.vpath, current_date, 'expense', '办公经费', 12345, '供应商', '压测支出', 'SIGN-' || s.i || '-' || g, 'bank_transfer', 'signing', ${steps}::jsonb, 1, ${cadre.id}, '压测'
      FROM unnest(${signers.map((s) => s.village.id)}::int8[], ${signers.map((s) => s.village.path)}::text[]) WITH ORDINALITY AS s(vid, vpath, i)
      CROSS JOIN generate_series(1, ${perSigner}::int) g
      RETURNING id, village_id`.execute(db);
    await sql`INSERT INTO disclosure_signoffs (county_id, entry_id, round, step_index, label, role, action, user_id, user_name)
      SELECT county_id, id, 1, 0, '经办人', 'village_cadre', 'sign', ${cadre.id}, '压测' FROM finance_entries WHERE voucher_no LIKE 'SIGN-%'`.execute(db);
    const t1 = Date.now();
    let signoffs = 0;
    await Promise.all(signers.map(async (s) => {
      const a = ctx(actorAt(countyId, s.id, 'evaluation_group', s.village, 'village'));
      for (const e of mine.rows.filter((r) => r.village_id === s.village.id)) {
        await stepEntry(a, e.id, 'sign', { comment: '同意' });
        signoffs++;
      }
    }));
    const signoffsPerSecond = signoffs / ((Date.now() - t1) / 1000);
    return {
      entries: N, loadSeconds, villages: villages.length, monthEntries: openMonth.entryCount, overviewVillages: ov.items.length, year, lastMonth,
      monthOpen, monthPublished, overviewCounty, overviewTownship, signoffs, signoffsPerSecond,
      load: loadavg().map((x) => x.toFixed(2)).join(' '),
    };
  } finally {
    await database.close();
  }
}

/** The section of bench/RESULTS.md for a run's result. */
export function disclosureMarkdown(r: Awaited<ReturnType<typeof benchDisclosure>>, command: string): string {
  const f = (s: { p50: number; p95: number }) => `p50 ${s.p50.toFixed(1)} ms, **p95 ${s.p95.toFixed(1)} ms**`;
  return `## Village affairs in the open (村务公开)

Command: \`${command}\`. ${r.entries.toLocaleString('en-US')} posted finance entries over a year in ${r.villages} villages (generated in ${r.loadSeconds.toFixed(1)} s), months before ${r.lastMonth} published; load average after the run ${r.load}.

| measure | result |
| --- | --- |
| a village's open month ${r.lastMonth}, computed live (opening balance, by category, ${r.monthEntries} entries) | ${f(r.monthOpen)} |
| a village's published month (snapshot + entries) | ${f(r.monthPublished)} |
| the county overview for ${r.year} (${r.overviewVillages} villages: income, expense, waiting, months published) | ${f(r.overviewCounty)} |
| a township's overview for ${r.year} | ${f(r.overviewTownship)} |
| sign-offs, 20 supervision-committee signers at once (${r.signoffs} sign-offs) | **${r.signoffsPerSecond.toFixed(0)} sign-offs/s** |
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const r = await benchDisclosure({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', entries: quick ? 100_000 : 1_000_000, perSigner: quick ? 10 : 25 });
  console.log(disclosureMarkdown(r, `npx tsx bench/disclosure.ts${quick ? ' --quick' : ''}`));
  process.exit(0);
}
