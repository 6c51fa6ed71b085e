/**
 * The lean path for recording claims (一事一记 at county scale, issue 5).
 *
 * One statement records any number of claims: it resolves each row's subject within the
 * recorder's scope, checks the item belongs to the village's adopted rule book and the score is in
 * range, checks a named photo is the recorder's own and unused, inserts the claims and their audit
 * rows, and returns what the response needs. A row failing any check is simply not inserted; the
 * caller then runs the precise checks (claims.ts) on that row alone to raise the right AppError —
 * the error path may be slower, the happy path costs one round trip and no explicit transaction.
 *
 * Single claims from concurrent grid workers go through a small batcher: while a statement is in
 * flight, claims arriving meanwhile wait and go together in the next one. Each caller still gets its
 * answer only after its own claim is committed, but a thousand workers no longer need a thousand
 * commits (one fsync each, ~1 ms: the ceiling was ~2,000 single-row commits/s on the bench machine).
 * Under light load a claim goes alone, at once; nothing waits for a timer.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { escapeLike, pathsWith } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';

/** One claim as the statement takes it: the recorder's identity and scope travel with each row. */
export interface ClaimRowIn {
  idx: number;
  household_id: number | null;
  subject_id: number | null;
  item_id: number;
  score: number | null; // tenths; null → the item's fixed score (refused when the item has a range)
  occurred_on: string;
  note: string | null;
  photo_url: string | null;
  photo_id: number | null;
  source: 'record' | 'declare' | 'bulk';
  county_id: number;
  recorded_by: number;
  recorded_by_name: string;
  audit_actor_id: number | null;
  ip: string | null;
  scope: string[]; // LIKE patterns of the places where the recorder holds points.record
}

/** A recorded claim, with the fields claimOut() needs. */
export interface RecordedClaim {
  idx: number;
  id: number;
  village_id: number;
  subject_id: number;
  subject_name: string;
  household_id: number | null;
  item_id: number;
  item_name: string;
  item_code: string;
  score: number;
  occurred_on: string;
  note: string | null;
  photo_url: string | null;
  photo_id: number | null;
  source: 'record' | 'declare' | 'bulk';
  recorded_by_name: string;
  status: 'pending' | 'approved' | 'rejected';
  review_reason: string | null;
  reviewed_at: Date | null;
  entry_id: number | null;
  created_at: Date;
  region_path: string;
}

/** The recorder's identity and scope as row fields. */
export function recorderFields(ctx: Ctx) {
  const a = ctx.actor;
  return {
    county_id: a.countyId, recorded_by: a.userId, recorded_by_name: a.displayName, audit_actor_id: a.userId || null, ip: a.ip,
    scope: pathsWith(a, 'points.record').map((p) => escapeLike(p) + '%'),
  };
}

/** The statement behind insertClaimRows. */
const claimRowsSql = (rows: ClaimRowIn[], allOrNothing: boolean) => sql<RecordedClaim>`
    WITH r AS (
      SELECT * FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(
        idx int, household_id bigint, subject_id bigint, item_id bigint, score int, occurred_on date, note text,
        photo_url text, photo_id bigint, source text, county_id bigint, recorded_by bigint, recorded_by_name text,
        audit_actor_id bigint, ip text, scope json)
    ),
    -- The rows that pass every check. The lookups are per row by primary key (LIMIT 1 keeps the
    -- planner from hashing every adopted book's items for a handful of claims); the sequence is
    -- looked up once, not per row.
    v AS (
      SELECT r.*, nextval((SELECT pg_get_serial_sequence('points_claims', 'id')::regclass)) AS id, s.sid, s.village_id, s.region_path,
             s.subject_name, s.s_household_id, i.book_id, i.item_name, i.item_code, i.tenths
      FROM r
      CROSS JOIN LATERAL (
        -- A subject named by id is scoped by its own county and place …
        SELECT s.id AS sid, s.village_id, s.region_path, s.name AS subject_name, s.household_id AS s_household_id,
               s.county_id AS scope_county, s.region_path AS scope_path
        FROM points_subjects s WHERE r.subject_id IS NOT NULL AND s.id = r.subject_id
        UNION ALL
        -- … a household by the household's (its subject is created on first use, by the slow path).
        SELECT s.id, s.village_id, s.region_path, s.name, s.household_id, h.county_id, h.region_path
        FROM households h JOIN points_subjects s ON s.household_id = h.id AND s.kind = 'household'
        WHERE r.subject_id IS NULL AND h.id = r.household_id
      ) s
      CROSS JOIN LATERAL (
        -- The item, only from the village's adopted book, and the score it gives.
        SELECT i.book_id, i.name AS item_name, i.code AS item_code, i.min_score, i.max_score,
               COALESCE(r.score, CASE WHEN i.min_score = i.max_score THEN i.min_score END) AS tenths
        FROM points_rule_items i JOIN points_rule_books b ON b.id = i.book_id AND b.status = 'adopted'
        WHERE i.id = r.item_id AND b.region_id = s.village_id
        LIMIT 1
      ) i
      WHERE s.scope_county = r.county_id
        AND EXISTS (SELECT 1 FROM json_array_elements_text(r.scope) p(pattern) WHERE s.scope_path LIKE p.pattern)
        AND i.tenths BETWEEN i.min_score AND i.max_score
        AND (r.photo_id IS NULL OR EXISTS (
          SELECT 1 FROM points_photos ph
          WHERE ph.id = r.photo_id AND ph.uploader_id = r.recorded_by AND ph.county_id = r.county_id
            AND NOT EXISTS (SELECT 1 FROM points_claims u WHERE u.photo_id = ph.id)))
    ),
    -- What is written: every passing row, or — all or nothing — none unless every row passed.
    w AS (
      SELECT v.* FROM v
      WHERE NOT ${allOrNothing}::boolean OR (SELECT count(*) FROM v) = (SELECT count(*) FROM r)
    ),
    ins AS (
      INSERT INTO points_claims (id, county_id, village_id, region_path, subject_id, book_id, item_id, score, occurred_on, note,
                                 photo_url, photo_id, source, recorded_by, recorded_by_name, created_at)
      OVERRIDING SYSTEM VALUE
      SELECT id, county_id, village_id, region_path, sid, book_id, item_id, tenths, occurred_on, note,
             photo_url, photo_id, source, recorded_by, recorded_by_name, now()
      FROM w ORDER BY idx
    ),
    audit AS (
      INSERT INTO audit_log (county_id, actor_id, actor_name, ip, action, entity, entity_id, region_path, after)
      SELECT county_id, audit_actor_id, recorded_by_name, ip, 'points.claim.' || source, 'points_claim', id::text, region_path,
             jsonb_build_object('subjectId', sid, 'itemId', item_id, 'score', tenths, 'occurredOn', occurred_on)
      FROM w ORDER BY idx
    )
    -- The answer comes from w, not from RETURNING: same rows, no join back to match them up.
    SELECT idx, id, village_id, sid AS subject_id, subject_name, s_household_id AS household_id, item_id, item_name, item_code,
           tenths AS score, occurred_on, note, photo_url, photo_id, source, recorded_by_name, 'pending' AS status,
           NULL::text AS review_reason, NULL::timestamptz AS reviewed_at, NULL::bigint AS entry_id, now() AS created_at, region_path
    FROM w ORDER BY idx`;

/**
 * Inserts the rows that pass every check, in one statement. allOrNothing: insert only if every
 * row passes (bulk recording); otherwise each row stands alone (batched single claims). Returns
 * the inserted rows by idx; a missing idx was not inserted.
 *
 * Claim ids are drawn in the row CTE (nextval), and the audit rows and the answer are built from
 * the same rows the insert takes, so nothing relies on the order RETURNING would give.
 */
export async function insertClaimRows(db: Kdb, rows: ClaimRowIn[], allOrNothing: boolean): Promise<RecordedClaim[]> {
  if (!rows.length) return [];
  const r = await claimRowsSql(rows, allOrNothing).execute(db);
  return r.rows;
}

/** The server refused the statement (it carries a SQLSTATE), so nothing of it was written. */
export const refusedByServer = (e: unknown) => /^[0-9A-Z]{5}$/.test(String((e as { code?: unknown })?.code ?? ''));

const MAX_BATCH = 200;
/**
 * When one statement is already in flight, another starts only once this many claims wait, up to
 * MAX_IN_FLIGHT statements. Planning, executor start-up and the commit are paid per statement, so
 * small batches are dear: on the bench machine (2 cores, 50 workers) statements of ~12 claims cost
 * PostgreSQL 350–600 µs of CPU a claim against ~170 µs in batches of 25–50, and were slower; with
 * one statement at a time the commit wait left a core idle (~4,500 claims/s), with a second of
 * ≥ 25 claims overlapping it ~6,000/s.
 */
const MIN_SHARED_BATCH = 25;
const MAX_IN_FLIGHT = 4;

type Waiting = { row: ClaimRowIn; resolve: (c: RecordedClaim | null) => void; reject: (e: unknown) => void };

/** Gathers single claims arriving while earlier ones are being written (see the file comment). */
class ClaimBatcher {
  private queue: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Kdb) {}

  submit(row: ClaimRowIn): Promise<RecordedClaim | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.queue.length && (this.inFlight === 0 || (this.inFlight < MAX_IN_FLIGHT && this.queue.length >= MIN_SHARED_BATCH))) {
      const batch = this.queue.splice(0, MAX_BATCH);
      this.inFlight++;
      void this.flush(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async flush(batch: Waiting[]) {
    try {
      const done = new Map((await insertClaimRows(this.db, batch.map((w, idx) => ({ ...w.row, idx })), false)).map((c) => [c.idx, c]));
      batch.forEach((w, idx) => w.resolve(done.get(idx) ?? null));
    } catch (e) {
      // One row broke the statement for all (say, one photo named on two claims at once): the
      // server wrote nothing, so each claim is tried on its own and only the culprit fails.
      if (batch.length === 1 || !refusedByServer(e)) return batch.forEach((w) => w.reject(e));
      await Promise.all(batch.map((w) => insertClaimRows(this.db, [{ ...w.row, idx: 0 }], false).then((c) => w.resolve(c[0] ?? null), w.reject)));
    }
  }
}

const batchers = new WeakMap<Kdb, ClaimBatcher>();

/**
 * Records one claim row through the shared batcher of this database handle; null when a check
 * failed (nothing written). Inside an open transaction the row is written there, alone.
 */
export function recordRow(db: Kdb, row: ClaimRowIn): Promise<RecordedClaim | null> {
  if (db.isTransaction) return insertClaimRows(db, [row], false).then((c) => c[0] ?? null);
  let b = batchers.get(db);
  if (!b) batchers.set(db, (b = new ClaimBatcher(db)));
  return b.submit(row);
}
