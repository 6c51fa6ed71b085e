/**
 * Deliberation (议事协商, 四议两公开) at county scale, on PostgreSQL: on its own
 * `npx tsx bench/deliberation.ts [--quick]` (BENCH_DATABASE_URL, default the local server).
 *
 * A county of 洞口's shape (24 townships, 364 villages) with 50,000 topics (--quick: 5,000) over
 * the past two years in every state, each finished one with its three meetings, and 500,000
 * household votes (--quick: 50,000) on open villagers' meetings, generated with INSERT … SELECT.
 * Then, through the same service functions the routes call:
 *   - a village's topic list (first page of 50), and a villager's 村务议事 page;
 *   - the county overview (topics per village by state);
 *   - vote casting: 50 villagers at once, each voting on 20 open meetings of their village (one
 *     transaction per vote with the unique index and the audit row).
 */
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import type {} from '../server/src/app.js';
import { migrate } from '../server/src/db/migrate.js';
import { setPiiKeys } from '../server/src/core/pii.js';
import { syncRoles } from '../server/src/core/roles.js';
import type { Actor } from '../server/src/core/actor.js';
import '../server/src/modules/deliberation/index.js';
import { castVote, listTopics, myDeliberation, overview } from '../server/src/modules/deliberation/service.js';
import { sample, stats } from './lib/machine.js';
import { benchActor as actorAt, buildRegions, freshBenchDatabase, type Place } from './lib/county.js';

export interface BenchDeliberationOptions {
  databaseUrl: string;
  topics?: number;
  votes?: number;
  voters?: number;
  meetingsPerVoter?: number;
  samples?: number;
  log?: (m: string) => void;
}


export async function benchDeliberation(o: BenchDeliberationOptions) {
  const log = o.log ?? console.log;
  const N = o.topics ?? 50_000;
  const V = o.votes ?? 500_000;
  const S = o.samples ?? 40;
  const voters = o.voters ?? 50;
  const perVoter = o.meetingsPerVoter ?? 20;
  setPiiKeys({ enc: Buffer.alloc(32, 7), mac: Buffer.alloc(32, 9) });
  const database = await freshBenchDatabase(o.databaseUrl, 'xz_bench_deliberation', 60);
  const db = database.db;
  try {
    await migrate(database);
    await syncRoles(db);
    log('deliberation: building the county');
    const { county, villages } = await buildRegions(db);
    const countyId = county.id;
    const cadre = await db.insertInto('users').values({ county_id: countyId, username: 'cadre', display_name: '干部', kind: 'staff', password_hash: 'x' }).returning('id').executeTakeFirstOrThrow();

    log(`deliberation: generating ${N.toLocaleString()} topics, their meetings and ${V.toLocaleString()} votes`);
    const t0 = Date.now();
    const vIds = villages.map((v) => v.id);
    const vPaths = villages.map((v) => v.path);
    await sql`
      INSERT INTO deliberation_topics (county_id, code, region_id, region_path, title, content, proposer_kind, category, state, created_by, created_at, updated_at)
      SELECT ${countyId}, 'YS20250101-' || lpad(g::text, 7, '0'), v.id, v.path, '议题' || g, '议题内容' || g,
        (ARRAY['branch','villagers','committee'])[1 + (g % 3)], (ARRAY['assets','project','funds','rules','other'])[1 + (g % 5)],
        CASE WHEN c.at > now() - interval '30 days' THEN (ARRAY['proposed','branch_proposed','committees_discussed','members_reviewed','resolved'])[1 + (g % 5)]
             ELSE (ARRAY['done','done','done','implementing','resolution_published','rejected'])[1 + (g % 6)] END,
        ${cadre.id}, c.at, c.at
      FROM generate_series(1, ${N}::int) g
      CROSS JOIN LATERAL (SELECT random() AS y, random() AS z WHERE g > 0) r
      CROSS JOIN LATERAL (SELECT (${vIds}::int8[])[1 + floor(r.y * ${vIds.length})::int] AS id, (${vPaths}::text[])[1 + floor(r.y * ${vIds.length})::int] AS path) v
      CROSS JOIN LATERAL (SELECT now() - (r.z * interval '730 days') AS at) c`.execute(db);
    // Three counted meetings for every topic past the resolution.
    await sql`
      INSERT INTO deliberation_meetings (county_id, topic_id, region_path, kind, held_at, place, announced_at, vote_mode, expected, present, votes_for, votes_against, votes_abstain, closed_at, quorum_met, result, used_by)
      SELECT t.county_id, t.id, t.region_path, k.kind, t.created_at + k.d * interval '4 days', '会议室', t.created_at + (k.d - 1) * interval '4 days', 'counts', 30, 25, 22, 2, 1, t.created_at + k.d * interval '4 days', true, 'passed', k.used
      FROM deliberation_topics t CROSS JOIN (VALUES ('committees', 1, 'committee_discuss'), ('members', 2, 'members_review'), ('representatives', 3, 'resolve')) AS k(kind, d, used)
      WHERE t.state IN ('resolved','resolution_published','implementing','done')`.execute(db);
    // Open villagers' meetings carrying the household votes: 100 votes each.
    const openMeetings = Math.ceil(V / 100);
    await sql`
      INSERT INTO deliberation_meetings (county_id, topic_id, region_path, kind, held_at, place, announced_at, vote_mode, expected, vote_closes_at, closed_at)
      SELECT t.county_id, t.id, t.region_path, 'villagers', t.created_at + interval '4 days', '线上', t.created_at, 'open', 400, t.created_at + interval '10 days',
        CASE WHEN t.created_at < now() - interval '10 days' THEN t.created_at + interval '10 days' END
      FROM (SELECT * FROM deliberation_topics ORDER BY id LIMIT ${openMeetings}) t`.execute(db);
    await sql`
      INSERT INTO deliberation_votes (county_id, meeting_id, voter_key, user_id, household_id, choice, cast_at)
      SELECT m.county_id, m.id, 'h:' || h, ${cadre.id}, h, (ARRAY['for','for','for','against','abstain'])[1 + (h % 5)], m.held_at + interval '1 hour'
      FROM deliberation_meetings m CROSS JOIN generate_series(1, 100) h WHERE m.vote_mode = 'open'`.execute(db);
    for (const t of ['deliberation_topics', 'deliberation_meetings', 'deliberation_votes']) await sql`ANALYZE ${sql.table(t)}`.execute(db);
    const votesLoaded = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM deliberation_votes`.execute(db)).rows[0]!.n);
    const loadSeconds = (Date.now() - t0) / 1000;

    const village = villages[10]!;
    const ctx = (a: Actor) => ({ db, actor: a });
    const villageActor = actorAt(countyId, cadre.id, 'village_cadre', village, 'village');
    const countyActor = actorAt(countyId, cadre.id, 'county_admin', county, 'county');
    log('deliberation: lists and overview');
    const firstPage = (await listTopics(ctx(villageActor), {})).items.length;
    const villageTopics = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM deliberation_topics WHERE region_id = ${village.id}`.execute(db)).rows[0]!.n);
    const listVillage = stats(await sample(S, () => listTopics(ctx(villageActor), {})));
    const listVillageDone = stats(await sample(S, () => listTopics(ctx(villageActor), { state: 'done' })));
    const overviewCounty = stats(await sample(S, () => overview(ctx(countyActor), {})));

    log(`deliberation: ${voters} villagers voting at once on ${perVoter} open meetings each`);
    const topic = (await db.selectFrom('deliberation_topics').select('id').where('region_id', '=', village.id).limit(1).executeTakeFirstOrThrow()).id;
    const meetings = await db.insertInto('deliberation_meetings').values(Array.from({ length: perVoter }, () => ({
      county_id: countyId, topic_id: topic, region_path: village.path, kind: 'villagers' as const, held_at: new Date(Date.now() - 3_600_000), place: '线上',
      announced_at: new Date(Date.now() - 5 * 86_400_000), vote_mode: 'open' as const, expected: voters * 2, vote_closes_at: new Date(Date.now() + 86_400_000),
    }))).returning('id').execute();
    const villagers = await db.insertInto('users').values(Array.from({ length: voters }, (_, i) => ({
      county_id: countyId, username: `villager${i}`, display_name: `村民${i}`, kind: 'villager' as const, password_hash: 'x',
    }))).returning('id').execute();
    const voterActors = villagers.map((v, i) => actorAt(countyId, v.id, 'villager', village, 'village', { kind: 'villager', householdId: 1_000_000 + i }));
    const myPage = stats(await sample(S, () => myDeliberation(ctx(voterActors[0]!))));
    const t1 = Date.now();
    let cast = 0;
    await Promise.all(voterActors.map(async (a, i) => {
      for (const m of meetings) {
        await castVote(ctx(a), m.id, i % 5 === 0 ? 'against' : 'for');
        cast++;
      }
    }));
    const votesPerSecond = cast / ((Date.now() - t1) / 1000);
    // Each household once: a second round is refused every time.
    let refused = 0;
    await Promise.all(voterActors.slice(0, 10).map(async (a) => {
      try { await castVote(ctx(a), meetings[0]!.id, 'for'); } catch { refused++; }
    }));
    return {
      topics: N, votes: votesLoaded, loadSeconds, firstPage, villageTopics, listVillage, listVillageDone, overviewCounty, myPage, voters, cast, votesPerSecond, refused,
      load: loadavg().map((x) => x.toFixed(2)).join(' '),
    };
  } finally {
    await database.close();
  }
}

/** The section of bench/RESULTS.md for a run's result. */
export function deliberationMarkdown(r: Awaited<ReturnType<typeof benchDeliberation>>, command: string): string {
  const f = (s: { p50: number; p95: number }) => `p50 ${s.p50.toFixed(1)} ms, **p95 ${s.p95.toFixed(1)} ms**`;
  return `## Deliberation (议事协商)

Command: \`${command}\`. ${r.topics.toLocaleString('en-US')} topics over two years in every state of 四议两公开, three counted meetings for each resolved one, ${r.votes.toLocaleString('en-US')} household votes on open villagers' meetings (generated in ${r.loadSeconds.toFixed(1)} s); load average after the run ${r.load}.

| measure | result |
| --- | --- |
| a village's topic list, first page (${r.firstPage} rows of ${r.villageTopics}) | ${f(r.listVillage)} |
| a village's finished topics, first page | ${f(r.listVillageDone)} |
| a villager's 村务议事 page (published items, open votes with my household's vote) | ${f(r.myPage)} |
| the county overview (topics per village by state) | ${f(r.overviewCounty)} |
| vote casting, ${r.voters} villagers at once (${r.cast} votes, one transaction each; a second vote refused ${r.refused}/10) | **${r.votesPerSecond.toFixed(0)} votes/s** |
`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const r = await benchDeliberation({ databaseUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', topics: quick ? 5_000 : 50_000, votes: quick ? 50_000 : 500_000 });
  console.log(deliberationMarkdown(r, `npx tsx bench/deliberation.ts${quick ? ' --quick' : ''}`));
  process.exit(0);
}
