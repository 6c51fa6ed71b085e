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
import { sql } from 'kysely';
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
  if (!db.isTransaction) throw new Error('appendEntry must run in a transaction');
  // One round trip creates the head if needed and row-locks it until commit (a no-op DO UPDATE
  // takes the same lock as SELECT … FOR UPDATE), so appends to one village queue up here.
  const head = await db
    .insertInto('points_chains')
    .values({ village_id: a.villageId, county_id: a.countyId })
    .onConflict((oc) => oc.column('village_id').doUpdateSet({ last_seq: sql`points_chains.last_seq` }))
    .returning(['last_seq', 'last_hash'])
    .executeTakeFirstOrThrow();
  const row: EntryRow = {
    county_id: a.countyId,
    village_id: a.villageId,
    seq: Number(head.last_seq) + 1,
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
    // Millisecond precision so the value read back equals the value hashed.
    created_at: new Date(),
    prev_hash: head.last_hash,
    hash: '',
  };
  row.hash = chainHash(head.last_hash, row);
  const entry = await db.insertInto('points_entries').values(row as never).returningAll().executeTakeFirstOrThrow();
  await db.updateTable('points_chains').set({ last_seq: row.seq, last_hash: row.hash }).where('village_id', '=', a.villageId).execute();
  await applyToAggregates(db, a.countyId, a.villageId, a.subject, a.occurredOn, a.score, a.kind === 'reversal' ? -1 : 1);
  return entry;
}

/** Adds the score to the month/quarter/year rows and to the spendable balance. */
async function applyToAggregates(db: Kdb, countyId: number, villageId: number, subject: { id: number; kind: string; region_path: string }, occurredOn: string, score: number, countDelta: number) {
  const p = periodsOf(occurredOn);
  await db
    .insertInto('points_period_scores')
    .values([p.month, p.quarter, p.year].map((period) => ({
      subject_id: subject.id, period, county_id: countyId, village_id: villageId, region_path: subject.region_path,
      subject_kind: subject.kind, score, entries: countDelta,
    })))
    .onConflict((oc) => oc.columns(['subject_id', 'period']).doUpdateSet({
      score: sql`points_period_scores.score + excluded.score`,
      entries: sql`points_period_scores.entries + excluded.entries`,
    }))
    .execute();
  await db
    .insertInto('points_balances')
    .values({ subject_id: subject.id, county_id: countyId, village_id: villageId, region_path: subject.region_path, earned: score, balance: score })
    .onConflict((oc) => oc.column('subject_id').doUpdateSet({
      earned: sql`points_balances.earned + excluded.earned`,
      balance: sql`points_balances.balance + excluded.balance`,
      updated_at: sql`now()`,
    }))
    .execute();
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
