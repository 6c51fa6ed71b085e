/**
 * Mediation (矛盾纠纷调解) at county scale, on PostgreSQL: `npm run bench -- --only mediation [--quick]`,
 * or on its own `npx tsx bench/mediation.ts [--quick]` (BENCH_DATABASE_URL, default the local server).
 *
 * A county of 洞口's shape (24 townships, 364 villages) with 100,000 disputes (--quick: 10,000) over
 * the past year in every state, two parties each, generated with one INSERT … SELECT. Then, through
 * the same service functions the routes call:
 *   - a township's dispute list (first page of 50): all, and the open ones;
 *   - the county's figures for a year (totals, by type, by village) and a township's;
 *   - transitions per second: 20 mediators at once, each taking their own assigned disputes through
 *     调查核实 → 告知 → 开展调解 → 调解协议 → 回访 (five steps, each one transaction with its history,
 *     audit row, timers and notifications).
 */
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type {} from '../server/src/app.js';
import { migrate } from '../server/src/db/migrate.js';
import { setPiiKeys } from '../server/src/core/pii.js';
import { syncRoles, grantRole } from '../server/src/core/roles.js';
import type { Actor } from '../server/src/core/actor.js';
import { disputeStats, listDisputes, stepDispute } from '../server/src/modules/mediation/service.js';
import { sample, stats } from './lib/machine.js';
import { benchActor as actorAt, buildRegions, freshBenchDatabase, type Place } from './lib/county.js';

export interface BenchMediationOptions {
  databaseUrl: string;
  disputes?: number;
  perMediator?: number;
  samples?: number;
  log?: (m: string) => void;
}


export async function benchMediation(o: BenchMediationOptions) {
  const log = o.log ?? console.log;
  const N = o.disputes ?? 100_000;
  const S = o.samples ?? 40;
  const perMediator = o.perMediator ?? 20;
  setPiiKeys({ enc: Buffer.alloc(32, 7), mac: Buffer.alloc(32, 9) });
  const database = await freshBenchDatabase(o.databaseUrl, 'xz_bench_mediation', 24);
  const db = database.db;
  try {
    await migrate(database);
    await syncRoles(db);
    log('mediation: building the county');
    const { county, townships, villages } = await buildRegions(db);
    const countyId = county.id;
    // 20 mediators, one in each of the first 20 villages; one cadre account for the rest.
    const mediators: { id: number; village: Place }[] = [];
    for (let i = 0; i < 20; i++) {
      const m = await db.insertInto('users').values({ county_id: countyId, username: `mediator${i}`, display_name: `调解员${i}`, kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();
      await grantRole(db, m.id, 'mediator', villages[i]!.id);
      mediators.push({ id: m.id, village: villages[i]! });
    }
    const cadre = await db.insertInto('users').values({ county_id: countyId, username: 'cadre', display_name: '干部', kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();

    log(`mediation: generating ${N.toLocaleString()} disputes`);
    const t0 = Date.now();
    const vIds = villages.map((v) => v.id);
    const vPaths = villages.map((v) => v.path);
    const mIds = mediators.map((m) => m.id);
    // One statement: a random village, type and fate per dispute; times over the past year.
    await sql`
      INSERT INTO disputes (county_id, code, region_id, region_path, village_id, level, type, summary, claim, source, registered_by,
        mediator_user_id, state, accepted_at, deadline_at, outcome, concluded_at, agreed_at, overdue_at, follow_up_result, followed_up_at, dossier_no, archived_at, created_at, updated_at)
      SELECT ${countyId}, 'TJ20250101-' || lpad(g::text, 7, '0'), v.id, v.path, v.id, CASE WHEN r.x < 0.9 THEN 'village' ELSE 'township' END,
        (ARRAY['marriage_family','neighbour','land_forest','homestead','labour_pay','contract_debt','damages','other'])[1 + (g % 8)],
        '纠纷概况' || g, '诉求' || g, (ARRAY['phone','hotline','visit','walk_in'])[1 + (g % 4)], ${cadre.id},
        CASE WHEN f.state NOT IN ('applied','rejected','accepted') THEN (${mIds}::int8[])[1 + (g % ${mIds.length})] END,
        f.state, CASE WHEN f.state NOT IN ('applied','rejected') THEN c.at + interval '1 day' END,
        CASE WHEN f.state NOT IN ('applied','rejected') THEN c.at + interval '31 days' END,
        f.outcome, CASE WHEN f.outcome IS NOT NULL THEN c.at + interval '12 days' END, CASE WHEN f.outcome = 'agreed' THEN c.at + interval '12 days' END,
        CASE WHEN f.state IN ('mediating','informed') AND c.at < now() - interval '40 days' THEN c.at + interval '31 days' END,
        CASE WHEN f.state IN ('followed_up','archived') AND f.outcome = 'agreed' THEN 'performed' END,
        CASE WHEN f.state IN ('followed_up','archived') AND f.outcome = 'agreed' THEN c.at + interval '27 days' END,
        CASE WHEN f.state = 'archived' THEN 'B' || g END, CASE WHEN f.state = 'archived' THEN c.at + interval '30 days' END,
        c.at, c.at
      FROM generate_series(1, ${N}::int) g
      CROSS JOIN LATERAL (SELECT random() AS x, random() AS y, random() AS z WHERE g > 0) r -- WHERE g: correlated, so drawn per row
      CROSS JOIN LATERAL (SELECT (${vIds}::int8[])[1 + floor(r.y * ${vIds.length})::int] AS id, (${vPaths}::text[])[1 + floor(r.y * ${vIds.length})::int] AS path) v
      CROSS JOIN LATERAL (SELECT now() - (r.z * interval '365 days') AS at) c
      CROSS JOIN LATERAL (SELECT
        CASE WHEN c.at > now() - interval '30 days' THEN (ARRAY['applied','accepted','assigned','investigated','informed','mediating'])[1 + (g % 6)]
             ELSE (ARRAY['archived','archived','archived','followed_up','agreed','failed','archived','rejected','mediating'])[1 + (g % 9)] END AS state) s0
      CROSS JOIN LATERAL (SELECT s0.state, CASE WHEN s0.state IN ('agreed','followed_up') OR (s0.state = 'archived' AND g % 20 <> 0) THEN 'agreed'
                                                  WHEN s0.state = 'failed' OR s0.state = 'archived' THEN 'failed' END AS outcome) f`.execute(db);
    await sql`
      INSERT INTO dispute_parties (county_id, dispute_id, seq, side, name)
      SELECT county_id, id, s.seq, s.side, s.side || id FROM disputes CROSS JOIN (VALUES (1, 'applicant'), (2, 'respondent')) AS s(seq, side)`.execute(db);
    await sql`ANALYZE disputes`.execute(db);
    await sql`ANALYZE dispute_parties`.execute(db);
    const loadSeconds = (Date.now() - t0) / 1000;

    const town = townships[3]!;
    const ctx = (a: Actor) => ({ db, actor: a });
    const townActor = actorAt(countyId, cadre.id, 'township_cadre', town, 'township');
    const countyActor = actorAt(countyId, cadre.id, 'county_admin', county, 'county');
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    log('mediation: lists and figures');
    const firstPage = (await listDisputes(ctx(townActor), {})).items.length;
    const countyAccepted = (await disputeStats(ctx(countyActor), { from: yearAgo, to: today })).total.accepted;
    const listTownship = stats(await sample(S, () => listDisputes(ctx(townActor), {})));
    const listTownshipOpen = stats(await sample(S, () => listDisputes(ctx(townActor), { state: 'open' })));
    const statsCounty = stats(await sample(S, () => disputeStats(ctx(countyActor), { from: yearAgo, to: today })));
    const statsTownship = stats(await sample(S, () => disputeStats(ctx(townActor), { from: yearAgo, to: today })));

    log(`mediation: 20 mediators × ${perMediator} disputes through five steps`);
    const mine = await sql<{ id: number; mediator_user_id: number }>`
      INSERT INTO disputes (county_id, code, region_id, region_path, village_id, level, type, summary, claim, source, mediator_user_id, state, accepted_at, deadline_at, created_at, updated_at)
      SELECT ${countyId}, 'TJ20250102-' || m.i || '-' || g, m.vid, m.vpath, m.vid, 'village', 'neighbour', '压测纠纷', '诉求', 'walk_in', m.mid, 'assigned', now(), now() + interval '30 days', now(), now()
      FROM unnest(${mIds}::int8[], ${mediators.map((m) => m.village.id)}::int8[], ${mediators.map((m) => m.village.path)}::text[]) WITH ORDINALITY AS m(mid, vid, vpath, i)
      CROSS JOIN generate_series(1, ${perMediator}::int) g
      RETURNING id, mediator_user_id`.execute(db);
    await sql`INSERT INTO dispute_parties (county_id, dispute_id, seq, side, name)
      SELECT county_id, id, s.seq, s.side, s.side FROM disputes CROSS JOIN (VALUES (1, 'applicant'), (2, 'respondent')) AS s(seq, side) WHERE code LIKE 'TJ20250102-%'`.execute(db);
    const parties = await db.selectFrom('dispute_parties').select(['dispute_id', 'id']).where('dispute_id', 'in', mine.rows.map((r) => r.id)).execute();
    const partyIds = new Map<number, number[]>();
    for (const p of parties) partyIds.set(p.dispute_id, [...(partyIds.get(p.dispute_id) ?? []), p.id]);
    const t1 = Date.now();
    let transitions = 0;
    await Promise.all(mediators.map(async (m) => {
      const a = ctx(actorAt(countyId, m.id, 'mediator', m.village, 'village'));
      for (const d of mine.rows.filter((r) => r.mediator_user_id === m.id)) {
        await stepDispute(a, d.id, 'investigate', { findings: '属实' });
        await stepDispute(a, d.id, 'inform', { rightsTold: true, sessionAt: new Date().toISOString(), sessionPlace: '村部' });
        await stepDispute(a, d.id, 'mediate', { place: '村部', record: '笔录' });
        await stepDispute(a, d.id, 'agree', { agreementText: '协议', terms: ['条款'], signedPartyIds: partyIds.get(d.id)! });
        await stepDispute(a, d.id, 'follow_up', { performed: 'performed' });
        transitions += 5;
      }
    }));
    const transitionsPerSecond = transitions / ((Date.now() - t1) / 1000);
    return {
      disputes: N, loadSeconds, firstPage, countyAccepted, listTownship, listTownshipOpen, statsCounty, statsTownship, transitions, transitionsPerSecond,
      load: loadavg().map((x) => x.toFixed(2)).join(' '),
    };
  } finally {
    await database.close();
  }
}

/** The section of bench/RESULTS.md for a run's result. */
export function mediationMarkdown(r: Awaited<ReturnType<typeof benchMediation>>, command: string): string {
  const f = (s: { p50: number; p95: number }) => `p50 ${s.p50.toFixed(1)} ms, **p95 ${s.p95.toFixed(1)} ms**`;
  return `## Mediation (矛盾纠纷调解)

Command: \`${command}\`. ${r.disputes.toLocaleString('en-US')} disputes over a year in every state, two parties each (generated in ${r.loadSeconds.toFixed(1)} s); load average after the run ${r.load}.

| measure | result |
| --- | --- |
| a township's dispute list, first page (${r.firstPage} rows) | ${f(r.listTownship)} |
| a township's open disputes, first page | ${f(r.listTownshipOpen)} |
| the county's figures for a year (totals, by type, by village; ${r.countyAccepted.toLocaleString('en-US')} accepted) | ${f(r.statsCounty)} |
| a township's figures for a year | ${f(r.statsTownship)} |
| transitions, 20 mediators at once (调查 → 告知 → 调解 → 协议 → 回访; ${r.transitions} steps) | **${r.transitionsPerSecond.toFixed(0)} transitions/s** |
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const r = await benchMediation({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', disputes: quick ? 10_000 : 100_000, perMediator: quick ? 5 : 20 });
  console.log(mediationMarkdown(r, `npx tsx bench/mediation.ts${quick ? ' --quick' : ''}`));
  process.exit(0);
}
