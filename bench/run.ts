/**
 * `npm run bench [-- --quick] [-- --only foundation,cases,points,visits,mediation,deliberation,disclosure,durability,bundle]`
 * Runs the benchmarks side by side in one process and rewrites bench/RESULTS.md with the machine's
 * details. Needs the PostgreSQL server (BENCH_DATABASE_URL, default the local one) and a built web/.
 * --quick shrinks every scale ~10× for a smoke run; published figures come from a full run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { machineDetails } from './lib/machine.js';
import { measureDurability } from './pglite-durability.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',') : null;
const want = (s: string) => !only || only.includes(s);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ok = (b: boolean) => (b ? '✅' : '❌');

/** What the section now running produced; each suite pushes exactly one section. */
const sections: string[] = [];

async function foundation() {
  const { benchFoundation } = await import('./foundation.js');
  const r = await benchFoundation({ adminUrl, households: quick ? 20_000 : 200_000, pgliteHouseholds: quick ? 5_000 : 20_000, log });
  const p = r.postgres;
  sections.push(`## Foundation (issue 3): registry import and scoped lists

Command: \`npm run bench -- --only foundation${quick ? ' --quick' : ''}\`. Synthetic 洞口县 (430525: 24 townships, 364 villages), households and residents from the seed generator.

### PostgreSQL
| measure | result | ceiling measured in the same run | ratio | target |
| --- | --- | --- | --- | --- |
| roster import (validate, seal ID/phone, upsert households + residents, audit), one village file per transaction | **${int(p.import.rate)} households/s** overall (${int(p.import.households)} households, ${int(p.import.residents)} residents in ${fmt(p.import.seconds)} s): first half of the villages one file at a time ${int(p.import.sequential.rate)}/s, second half ${p.import.parallel.concurrency} files at a time ${int(p.import.parallel.rate)}/s | raw \`COPY\` of the same rows, pre-sealed: ${int(p.copy.realRate)} households/s into the real tables (indexes, keys, triggers); ${int(p.copy.rate)}/s into bare tables | ${fmt(p.import.parallel.rate / p.copy.realRate, 2)} (${p.import.parallel.concurrency} at a time ÷ real-table COPY) | ≥ 5,000/s ${ok(p.import.parallel.rate >= 5000)} |
| village cadre's household list over HTTP (50 rows, village of ${p.villageHouseholds} households), sequential, 500 requests | p50 ${fmt(p.list.httpP50, 2)} ms, **p95 ${fmt(p.list.httpP95, 2)} ms** | the same SQL straight through \`pg\`: p50 ${fmt(p.list.pgP50, 2)} ms, p95 ${fmt(p.list.pgP95, 2)} ms | p50 ×${fmt(p.list.httpP50 / p.list.pgP50, 1)} | p95 < 30 ms ${ok(p.list.httpP95 < 30)} |
| the village cadre's other pages: next page (20 rows), name search, region tree with counts | p95 ${fmt(p.list.nextP95, 2)} ms, ${fmt(p.list.searchP95, 2)} ms, ${fmt(p.list.treeP95, 2)} ms | | | < 30 ms ${ok(Math.max(p.list.nextP95, p.list.searchP95, p.list.treeP95) < 30)} |
| the same list under autocannon (10 connections, 8 s) | ${int(p.list.acRps)} req/s, p50 ${p.list.acP50} ms, p97.5 ${p.list.acP975} ms | bare Fastify route returning the same ${int(p.list.payloadBytes)}-byte body: ${int(p.list.bareRps)} req/s, p50 ${p.list.bareP50} ms | ${fmt(p.list.acRps / p.list.bareRps, 2)} of bare throughput | |
| server resident memory (RSS) | idle after warm-up ${fmt(p.list.rssIdle, 0)} MB; after the load ${fmt(p.list.rssLoaded, 0)} MB | | | < 300 MB ${ok(p.list.rssLoaded < 300)} |

### Embedded PGlite (in process)
| measure | result |
| --- | --- |
| roster import | ${int(r.pglite.rate)} households/s (${int(r.pglite.households)} households in ${fmt(r.pglite.seconds)} s) |
| village cadre's household list (app.inject, 300 requests) | p50 ${fmt(r.pglite.listP50, 2)} ms, p95 ${fmt(r.pglite.listP95, 2)} ms |
`);
}

async function cases() {
  const { benchCases } = await import('./cases.js');
  const r = (await benchCases({ databaseUrl: adminUrl, cases: quick ? 100_000 : 1_000_000, log })) as Record<string, unknown>;
  sections.push(`## Cases (issue 4)

Command: \`npm run bench -- --only cases${quick ? ' --quick' : ''}\`.

\`\`\`json
${JSON.stringify(r, null, 2)}
\`\`\`
`);
}

async function points() {
  const { benchPoints } = await import('./points.js');
  const r = await benchPoints({ adminUrl, ...(quick ? { households: 20_000, entries: 500_000 } : {}), log });
  sections.push(`## Points (issue 5)

Command: \`npm run bench -- --only points${quick ? ' --quick' : ''}\`.

| measure | result | target |
| --- | --- | --- |
| recording rate (PostgreSQL), end to end: ${int(r.recording.single.entries)} claims posted one a request by ${r.recording.workers} concurrent grid workers (recordClaim), then approved village by village in reviews of ≤ 500 (reviewClaims, ${r.recording.reviewers} reviewers calling, ${r.recording.postingAtOnce} admitted at once); rate = entries / (record time + review time) | **${int(r.recordRate)} entries/s** (record ${int(r.recording.single.recordRate)} claims/s in ${fmt(r.recording.single.recordSeconds)} s, approve ${int(r.recording.single.reviewRate)} entries/s in ${fmt(r.recording.single.reviewSeconds)} s) | ≥ 2,000/s ${ok(r.recordRate >= 2000)} |
| the same for cadres' bulk recording (bulkRecord, ${r.recording.bulk.rowsPerRequest} rows a request, ${r.recording.bulk.cadres} cadres at once) | ${int(r.recording.bulk.rate)} entries/s (record ${int(r.recording.bulk.recordRate)} claims/s, approve ${int(r.recording.bulk.reviewRate)} entries/s) | |
| the same ${r.recording.workers} workers recording check by check, one transaction a claim (~8 round trips, the path before), same run | ${int(r.recording.stepByStep.recordRate)} claims/s → the one-statement path records ×${fmt(r.recording.single.recordRate / r.recording.stepByStep.recordRate, 1)} as fast | |
| posting one entry per transaction (appendEntry), the worst case | ${int(r.singleEntryRate)} entries/s | |
| a village's quarterly list | p95 ${fmt(r.villageQuarterListP95, 2)} ms | < 20 ms ${ok(r.villageQuarterListP95 < 20)} |
| county-wide ranking from the aggregates | p95 ${fmt(r.countyRankingP95, 2)} ms | < 100 ms ${ok(r.countyRankingP95 < 100)} |
| the same ranking computed from the ledger, same run | median ${fmt(r.countyRankingFromLedgerMedian, 1)} ms → aggregates are ×${fmt(r.rankingSpeedup, 0)} faster | ≥ 20× ${ok(r.rankingSpeedup >= 20)} |
| chain verification | ${int(r.verifyRate)} entries/s | |

Scale: ${int(r.households)} households, ${int(r.entries)} ledger entries (generated in ${fmt(r.generateSeconds)} s). 1-minute load average during the recording runs: ${r.recording.loadAverage}.
`);
}

async function visits() {
  const { benchVisits, visitsMarkdown } = await import('./visits.js');
  const r = await benchVisits({ databaseUrl: adminUrl, households: quick ? 20_000 : 200_000, log });
  sections.push(visitsMarkdown(r, `npm run bench -- --only visits${quick ? ' --quick' : ''}`));
}

async function mediation() {
  const { benchMediation, mediationMarkdown } = await import('./mediation.js');
  const r = await benchMediation({ databaseUrl: adminUrl, disputes: quick ? 10_000 : 100_000, perMediator: quick ? 5 : 20, log });
  sections.push(mediationMarkdown(r, `npm run bench -- --only mediation${quick ? ' --quick' : ''}`));
}

async function deliberation() {
  const { benchDeliberation, deliberationMarkdown } = await import('./deliberation.js');
  const r = await benchDeliberation({ databaseUrl: adminUrl, topics: quick ? 5_000 : 50_000, votes: quick ? 50_000 : 500_000, log });
  sections.push(deliberationMarkdown(r, `npm run bench -- --only deliberation${quick ? ' --quick' : ''}`));
}

async function disclosure() {
  const { benchDisclosure, disclosureMarkdown } = await import('./disclosure.js');
  const r = await benchDisclosure({ databaseUrl: adminUrl, entries: quick ? 100_000 : 1_000_000, log });
  sections.push(disclosureMarkdown(r, `npm run bench -- --only disclosure${quick ? ' --quick' : ''}`));
}

async function durability() {
  const r = await measureDurability(quick ? 2 : 5);
  sections.push(`## Embedded PGlite on a hard kill

Command: \`npm run bench -- --only durability\`. A child process commits single-row transactions and prints each id after its commit returned; we \`SIGKILL\` it after 1.5–3.5 s, reopen the data directory and count acknowledged rows that are missing.

| trial | acknowledged | present after reopen | lost |
| --- | --- | --- | --- |
${r.acknowledged.map((a, i) => `| ${i + 1} | ${a} | ${r.present[i]} | ${r.lost[i]} |`).join('\n')}

Data directories that failed to reopen: ${r.corruptOnReopen}. A process kill leaves the operating system's page cache intact, so this measures PGlite's own write ordering, not a power cut; PostgreSQL with \`fsync\` is the production store.
`);
}

async function bundle() {
  const script = join(ROOT, 'web/scripts/bundle-size.mjs');
  if (!existsSync(join(ROOT, 'web/dist'))) execFileSync('npm', ['run', 'build', '-w', 'web'], { cwd: ROOT, stdio: 'inherit' });
  const out = execFileSync(process.execPath, [script], { cwd: join(ROOT, 'web'), encoding: 'utf8' });
  sections.push(`## Phone entry size

Command: \`node web/scripts/bundle-size.mjs\` after \`npm run build\`.

\`\`\`
${out.trim()}
\`\`\`
`);
}

const machine = machineDetails();
const suites: [string, () => Promise<void>][] = [
  ['bundle', bundle],
  ['durability', durability],
  ['foundation', foundation],
  ['cases', cases],
  ['points', points],
  ['visits', visits],
  ['mediation', mediation],
  ['deliberation', deliberation],
  ['disclosure', disclosure],
];

// Each section is kept as its own fragment under bench/results/, stamped with when and how it ran,
// so `--only cases` refreshes the cases figures without erasing the others; RESULTS.md is the
// machine header plus every fragment, in suite order.
const fragments = join(ROOT, 'bench/results');
mkdirSync(fragments, { recursive: true });
for (const [name, fn] of suites) {
  if (!want(name)) continue;
  log(`== ${name}`);
  sections.length = 0;
  const load = loadavg().map((x) => x.toFixed(1)).join(' / ');
  try {
    await fn();
  } catch (e) {
    log(`${name} failed: ${(e as Error).stack}`);
    sections.push(`## ${name}\n\nFailed in this run: \`${String((e as Error).message).slice(0, 300)}\`\n`);
  }
  const stamp = `_Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${quick ? '**--quick (reduced scale)**' : 'full scale'}, load average at start ${load} (1 / 5 / 15 min)._\n`;
  const [title, ...rest] = sections.join('\n').split('\n');
  writeFileSync(join(fragments, `${name}.md`), [title, '', stamp, ...rest].join('\n'));
}

const header = `# Benchmark results

Written by \`npm run bench\` (each section says when it last ran and at which scale; \`--only <section>\` refreshes one section and keeps the rest). Medians and ratios are measured side by side in one run; the machines are shared and noisy, so compare ratios, not absolute numbers across runs.

| machine | |
| --- | --- |
${Object.entries(machine).map(([k, v]) => `| ${k} | ${v} |`).join('\n')}
`;
const kept = suites.map(([name]) => join(fragments, `${name}.md`)).filter(existsSync).map((f) => readFileSync(f, 'utf8'));
const file = join(ROOT, 'bench/RESULTS.md');
writeFileSync(file, [header, ...kept].join('\n'));
log(`wrote ${file}`);
process.exit(0);
