/**
 * The points ledger: append-only, hash-chained per village, with per-period aggregates and
 * spendable balances kept in the same transaction as each entry.
 *
 * Chain: each village has a head row (points_chains) locked FOR UPDATE while an entry is appended;
 * entry.hash = sha256(prev_hash + '\n' + canonical(entry)). verifyChain() recomputes every hash in
 * seq order and reports the first link that does not match, so a row altered or removed behind the
 * application's back is caught by anyone with read access.
 */
import { createHash } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { PointsEntriesTable } from '../../db/types.js';
import { AppError } from '../../core/errors.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The periods an occurrence date counts in: month '2026-03', quarter '2026-Q1', year '2026'. */
export function periodsOf(date: string): { month: string; quarter: string; year: string } {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  return { month: `${y}-${date.slice(5, 7)}`, quarter: `${y}-Q${Math.ceil(m / 3)}`, year: y };
}

export type PeriodKind = 'month' | 'quarter' | 'year';
const PERIOD_RE: Record<PeriodKind, RegExp> = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}-Q[1-4]$/, year: /^\d{4}$/ };

export function periodKind(period: string): PeriodKind {
  for (const k of ['month', 'quarter', 'year'] as const) if (PERIOD_RE[k].test(period)) return k;
  throw new AppError('POINTS_PERIOD_INVALID', { period });
}

/** First and last day of a period, 'YYYY-MM-DD'. */
export function periodBounds(period: string): { from: string; to: string } {
  const k = periodKind(period);
  const y = Number(period.slice(0, 4));
  let m1: number, m2: number;
  if (k === 'year') [m1, m2] = [1, 12];
  else if (k === 'quarter') {
    const q = Number(period.slice(6));
    [m1, m2] = [q * 3 - 2, q * 3];
  } else [m1, m2] = [Number(period.slice(5)), Number(period.slice(5))];
  const last = new Date(Date.UTC(y, m2, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${y}-${pad(m1)}-01`, to: `${y}-${pad(m2)}-${pad(last)}` };
}

/** The period after this one, of the same kind. */
export function nextPeriod(period: string): string {
  const k = periodKind(period);
  const y = Number(period.slice(0, 4));
  if (k === 'year') return String(y + 1);
  if (k === 'quarter') {
    const q = Number(period.slice(6));
    return q === 4 ? `${y + 1}-Q1` : `${y}-Q${q + 1}`;
  }
  const m = Number(period.slice(5));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

type EntryRow = Omit<PointsEntriesTable, 'id' | 'created_at'> & { id?: number; created_at: Date | string };

/** The fields a hash covers, in a fixed order; any change to them breaks the chain. */
export function canonical(e: EntryRow): string {
  return JSON.stringify([
    e.county_id, e.village_id, Number(e.seq), e.subject_id, e.kind, e.score, e.item_id ?? null, e.claim_id ?? null,
    e.reverses_entry_id ?? null, e.appeal_id ?? null, e.occurred_on, e.reason, e.recorded_by ?? null, e.approved_by ?? null,
    new Date(e.created_at).toISOString(),
  ]);
}

export function chainHash(prevHash: string, e: EntryRow): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonical(e)).digest('hex');
}

export interface AppendInput {
  countyId: number;
  villageId: number;
  subject: { id: number; kind: string; region_path: string };
  kind: PointsEntriesTable['kind'];
  score: number; // tenths, signed
  itemId?: number | null;
  claimId?: number | null;
  reversesEntryId?: number | null;
  appealId?: number | null;
  occurredOn: string;
  reason: string;
  recordedBy?: number | null;
  approvedBy?: number | null;
}

/**
 * Appends one entry. Must run inside the caller's transaction: the chain head lock, the entry,
 * the three period aggregates and the balance commit together or not at all.
 */
export async function appendEntry(db: Kdb, a: AppendInput) {
  return (await appendEntries(db, [a]))[0]!;
}

/** Entries per statement: bounds the size of one statement's JSON and of its lock set. */
const CHUNK = 500;

/**
 * The review that approved the claims being posted: the same statement that posts their entries
 * marks them approved (pointing at their entry) and writes their audit rows, so approving a claim
 * touches its row once and no lock is taken on it beforehand.
 */
export interface ClaimApproval {
  reviewerId: number;
  reviewerName: string;
  countyId: number;
  ip: string | null;
  reason: string | null; // as given, for the audit row
  reviewReason: string | null; // trimmed, for the claim
}

/**
 * Appends entries in the given order (the order within a village is their seq order) in a fixed
 * number of round trips, whatever their number: one locks the chain heads of all their villages,
 * then one statement per ≤ 500 entries inserts them, moves the heads and adds them to the period
 * aggregates and balances (and, for a review, marks the approved claims — see ClaimApproval). A per-entry loop cost ~7 round trips per entry and held every chain
 * head lock for all of them — the recording bottleneck. Runs in the caller's transaction.
 */
export async function appendEntries(db: Kdb, inputs: AppendInput[], approval?: ClaimApproval) {
  if (!db.isTransaction) throw new Error('appendEntry must run in a transaction');
  if (!inputs.length) return [];
  const heads = await lockHeads(db, inputs);
  // Millisecond precision so the value read back equals the value hashed.
  const now = new Date();
  const rows = inputs.map((a): EntryRow => {
    const head = heads.get(a.villageId)!;
    const row: EntryRow = {
      county_id: a.countyId,
      village_id: a.villageId,
      seq: head.seq + 1,
      region_path: a.subject.region_path,
      subject_id: a.subject.id,
      kind: a.kind,
      score: a.score,
      item_id: a.itemId ?? null,
      claim_id: a.claimId ?? null,
      reverses_entry_id: a.reversesEntryId ?? null,
      appeal_id: a.appealId ?? null,
      occurred_on: a.occurredOn,
      reason: a.reason,
      recorded_by: a.recordedBy ?? null,
      approved_by: a.approvedBy ?? null,
      created_at: now,
      prev_hash: head.hash,
      hash: '',
    };
    row.hash = chainHash(head.hash, row);
    head.seq = row.seq;
    head.hash = row.hash;
    return row;
  });
  const posted = new Map<string, Awaited<ReturnType<typeof postChunk>>[number]>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    for (const e of await postChunk(db, rows.slice(i, i + CHUNK), inputs.slice(i, i + CHUNK), approval)) posted.set(`${e.village_id}|${e.seq}`, e);
  }
  // RETURNING order is not guaranteed: hand the entries back in the order they were given.
  return rows.map((r) => posted.get(`${r.village_id}|${r.seq}`)!);
}

/**
 * Creates the missing heads and row-locks all of them until commit, in one statement (a no-op
 * DO UPDATE takes the same lock as SELECT … FOR UPDATE), so appends to one village queue up here
 * while other villages proceed. Heads are taken in village order, so two writers spanning the
 * same villages cannot deadlock.
 */
async function lockHeads(db: Kdb, inputs: AppendInput[]) {
  const villages = [...new Map(inputs.map((a) => [a.villageId, a.countyId])).entries()].sort((x, y) => x[0] - y[0]);
  const rows = await db
    .insertInto('points_chains')
    .values(villages.map(([village_id, county_id]) => ({ village_id, county_id })))
    .onConflict((oc) => oc.column('village_id').doUpdateSet({ last_seq: sql`points_chains.last_seq` }))
    .returning(['village_id', 'last_seq', 'last_hash'])
    .execute();
  return new Map(rows.map((h) => [h.village_id, { seq: Number(h.last_seq), hash: h.last_hash }]));
}

/**
 * One statement: insert the entries, move each village's head to its last new entry, add the
 * scores to the month/quarter/year rows and to the spendable balances. Aggregates are summed here
 * first because one INSERT … ON CONFLICT may touch a row only once, and inserted in key order so
 * concurrent writers lock them in the same order.
 *
 * Each row set travels as one JSON parameter (json_populate_recordset against the table's own row
 * type) rather than as ~50 bind parameters per entry: building and binding 25,000 parameters for
 * a batch of 500 cost more CPU in Node than the inserts cost in PostgreSQL.
 */
async function postChunk(db: Kdb, rows: EntryRow[], inputs: AppendInput[], approval?: ClaimApproval) {
  const periods = new Map<string, { subject_id: number; period: string; county_id: number; village_id: number; region_path: string; subject_kind: string; score: number; entries: number }>();
  const balances = new Map<number, { subject_id: number; county_id: number; village_id: number; region_path: string; earned: number; balance: number }>();
  for (const [i, a] of inputs.entries()) {
    const p = periodsOf(a.occurredOn);
    const countDelta = a.kind === 'reversal' ? -1 : 1;
    for (const period of [p.month, p.quarter, p.year]) {
      const key = `${a.subject.id}|${period}`;
      const agg = periods.get(key) ?? periods.set(key, { subject_id: a.subject.id, period, county_id: a.countyId, village_id: a.villageId, region_path: a.subject.region_path, subject_kind: a.subject.kind, score: 0, entries: 0 }).get(key)!;
      agg.score += a.score;
      agg.entries += countDelta;
    }
    const bal = balances.get(a.subject.id) ?? balances.set(a.subject.id, { subject_id: a.subject.id, county_id: a.countyId, village_id: a.villageId, region_path: a.subject.region_path, earned: 0, balance: 0 }).get(a.subject.id)!;
    bal.earned += rows[i]!.score;
    bal.balance += rows[i]!.score;
  }
  const r = await sql<Selectable<PointsEntriesTable> & { marked?: number }>`
    WITH ins AS (
      INSERT INTO points_entries (county_id, village_id, seq, region_path, subject_id, kind, score, item_id, claim_id, reverses_entry_id,
                                  appeal_id, occurred_on, reason, recorded_by, approved_by, created_at, prev_hash, hash)
      SELECT county_id, village_id, seq, region_path, subject_id, kind, score, item_id, claim_id, reverses_entry_id,
             appeal_id, occurred_on, reason, recorded_by, approved_by, created_at, prev_hash, hash
      FROM json_populate_recordset(NULL::points_entries, ${JSON.stringify(rows)}::json)
      ORDER BY village_id, seq
      RETURNING *
    ),
    head AS (
      UPDATE points_chains c SET last_seq = n.seq, last_hash = n.hash
      FROM (SELECT DISTINCT ON (village_id) village_id, seq, hash FROM ins ORDER BY village_id, seq DESC) n
      WHERE c.village_id = n.village_id
    ),
    ps AS (
      INSERT INTO points_period_scores (subject_id, period, county_id, village_id, region_path, subject_kind, score, entries)
      SELECT subject_id, period, county_id, village_id, region_path, subject_kind, score, entries
      FROM json_populate_recordset(NULL::points_period_scores, ${JSON.stringify([...periods.values()])}::json)
      ORDER BY subject_id, period
      ON CONFLICT (subject_id, period) DO UPDATE SET
        score = points_period_scores.score + excluded.score,
        entries = points_period_scores.entries + excluded.entries
    ),
    bal AS (
      INSERT INTO points_balances (subject_id, county_id, village_id, region_path, earned, balance)
      SELECT subject_id, county_id, village_id, region_path, earned, balance
      FROM json_populate_recordset(NULL::points_balances, ${JSON.stringify([...balances.values()])}::json)
      ORDER BY subject_id
      ON CONFLICT (subject_id) DO UPDATE SET
        earned = points_balances.earned + excluded.earned,
        balance = points_balances.balance + excluded.balance,
        updated_at = now()
    )
    ${approval ? markApproved(approval) : sql``}
    SELECT ins.*${approval ? sql`, tally.marked` : sql``} FROM ins${approval ? sql` CROSS JOIN tally` : sql``}`.execute(db);
  if (approval) {
    // A claim another reviewer decided meanwhile is no longer pending and was not marked: the
    // whole review fails (the caller's transaction rolls the entries back).
    const claims = rows.filter((e) => e.claim_id != null).length;
    const marked = r.rows.length ? Number(r.rows[0]!.marked) : 0;
    if (marked !== claims) throw new AppError('POINTS_CLAIM_ALREADY_REVIEWED');
  }
  return r.rows;
}

/** The CTEs that mark the posted entries' claims approved and audit them (see ClaimApproval). */
function markApproved(a: ClaimApproval) {
  return sql`,
    marked AS (
      UPDATE points_claims c SET status = 'approved', reviewed_by = ${a.reviewerId}, reviewed_at = now(), review_reason = ${a.reviewReason},
                                 entry_id = ins.id
      FROM ins WHERE c.id = ins.claim_id AND c.status = 'pending'
      RETURNING c.id, c.region_path, c.entry_id
    ),
    audit AS (
      INSERT INTO audit_log (county_id, actor_id, actor_name, ip, action, entity, entity_id, region_path, before, after)
      SELECT ${a.countyId}::bigint, ${a.reviewerId || null}::bigint, ${a.reviewerName}::text, ${a.ip}::text, 'points.claim.approve',
             'points_claim', m.id::text, m.region_path, '{"status":"pending"}'::jsonb,
             jsonb_build_object('status', 'approved', 'entryId', m.entry_id, 'reason', ${a.reason}::text)
      FROM marked m ORDER BY m.id
    ),
    tally AS (SELECT count(*) AS marked FROM marked)`;
}

export interface VerifyResult {
  villageId: number;
  ok: boolean;
  checked: number;
  lastSeq: number;
  broken: null | { seq: number; entryId: number | null; reason: 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_entry' | 'head_mismatch' };
}

/**
 * Recomputes the village's chain from the first entry, in pages, and stops at the first broken
 * link. Also checks the head so a truncated tail (last rows removed) is caught.
 */
export async function verifyChain(db: Kdb, villageId: number, pageSize = 5000): Promise<VerifyResult> {
  const head = await db.selectFrom('points_chains').select(['last_seq', 'last_hash']).where('village_id', '=', villageId).executeTakeFirst();
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let checked = 0;
  const fail = (seq: number, entryId: number | null, reason: NonNullable<VerifyResult['broken']>['reason']): VerifyResult =>
    ({ villageId, ok: false, checked, lastSeq: Number(head?.last_seq ?? 0), broken: { seq, entryId, reason } });
  for (;;) {
    const rows = await db
      .selectFrom('points_entries')
      .selectAll()
      .where('village_id', '=', villageId)
      .where('seq', '>=', expectSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      if (Number(r.seq) !== expectSeq) return fail(expectSeq, null, 'missing_entry');
      if (r.prev_hash !== prev) return fail(expectSeq, r.id, 'prev_hash_mismatch');
      if (chainHash(prev, r) !== r.hash) return fail(expectSeq, r.id, 'hash_mismatch');
      prev = r.hash;
      expectSeq++;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  const lastSeq = Number(head?.last_seq ?? 0);
  if (lastSeq !== checked || (head && head.last_hash !== prev && checked > 0)) return fail(checked + 1, null, 'head_mismatch');
  return { villageId, ok: true, checked, lastSeq, broken: null };
}
