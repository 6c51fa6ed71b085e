/**
 * The case rules: report, every step of the flow (through the workflow kernel), the timers that
 * watch the deadlines. Each use case is one transaction with its history and audit rows; timers
 * and notifications are written in the same transaction (job queue and outbox), so nothing fires
 * for a change that did not commit.
 */
import type { Selectable } from 'kysely';
import { sql, type RawBuilder } from 'kysely';
import { PREPARED, type Kdb } from '../../db/database.js';
import type { CasesTable, HandlingLevel } from '../../db/types.js';
import { assertCovers, requirePermission } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { inTransaction, nowOf } from '../../core/context.js';
import { audit, auditValues } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { beijingDay, beijingMinute, loadCalendar, type WorkCalendar } from '../../core/calendar/index.js';
import { notify, notifyCtes } from '../../core/notify/index.js';
import { historyValues, scheduleTimer, systemActor, timerValues, writeHistory } from '../../core/workflow/index.js';
import { categoryGuard, forgetReportCategory, reportCategory, type CategoryRow } from './catalogue.js';
import { caseProcess, LEVEL_LABELS, type CaseRes } from './process.js';
import { canSee } from './policy.js';
import { aboveUserIds, unitUserIds, unitUsersSql } from './units.js';
import { candidatesQuery, pickDuplicates, type CandidateRow, type DuplicateCandidate } from './duplicates.js';
import { maybeScheduleRetrain } from './triage.js';

export type CaseRow = Selectable<CasesTable>;

/** Working days a reporter has to rate before the case closes by itself. */
export const REVISIT_DAYS = 5;
/** Days after closing when the reporter is asked whether it is really fixed (FixMyStreet). */
export const CONFIRM_AFTER_DAYS = 21;

export function toRes(r: CaseRow): CaseRes {
  return {
    id: r.id, countyId: r.county_id, regionPath: r.region_path, state: r.state, level: r.level, departmentId: r.department_id,
    reporterUserId: r.reporter_user_id, handlerUserId: r.handler_user_id, extensionDaysRequested: r.extension_days_requested, version: r.version,
  };
}

export interface ReportInput {
  categoryId: number;
  title?: string;
  description: string;
  regionId?: number;
  gridId?: number;
  lat?: number;
  lng?: number;
  address?: string;
  photoIds?: number[];
  clientId?: string;
  source?: CaseRow['source'];
  sourceRef?: string;
  reporterName?: string;
  gridMatterId?: number;
}

export interface ReportResult {
  id: number;
  code: string;
  state: string;
  replayed: boolean;
  possibleDuplicates: DuplicateCandidate[];
}

interface Place {
  regionId: number;
  regionPath: string;
  gridId: number | null;
  householdId: number | null;
  /** True in the database while the place still is what this report relied on (a cached grid or region). */
  guard: RawBuilder<boolean>;
}

/**
 * Grids and villages named by staff, kept per process like the catalogue (catalogue.ts): the
 * scope check runs on every report against the cached path, and the report statement re-checks
 * in the database that the grid or region still has that path (Place.guard). A moved grid is
 * then read afresh, never trusted stale.
 */
type PlaceRow = { kind: 'grid'; id: number; regionId: number; regionPath: string } | { kind: 'region'; id: number; regionPath: string; level: string };
const placeRows = new Map<string, PlaceRow>();

async function placeRow(db: Kdb, countyId: number, kind: PlaceRow['kind'], id: number, fresh: boolean): Promise<PlaceRow | undefined> {
  const key = `${kind}:${countyId}:${id}`;
  const hit = fresh ? undefined : placeRows.get(key);
  if (hit) return hit;
  let row: PlaceRow | undefined;
  if (kind === 'grid') {
    const g = await db.selectFrom('grids').select(['id', 'region_id', 'region_path']).where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
    row = g && { kind, id: g.id, regionId: g.region_id, regionPath: g.region_path };
  } else {
    const r = await db.selectFrom('regions').select(['id', 'path', 'level']).where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
    row = r && { kind, id: r.id, regionPath: r.path, level: r.level };
  }
  if (placeRows.size >= 50_000) placeRows.clear();
  if (row) placeRows.set(key, row);
  else placeRows.delete(key);
  return row;
}

/** Where a report belongs: a villager's own household; staff name a grid or a region in scope. */
async function placeOf(ctx: Ctx, i: ReportInput, fresh: boolean): Promise<Place> {
  const { db, actor } = ctx;
  const countyId = actor.countyId;
  if (actor.kind === 'villager') {
    if (!actor.householdId) throw new AppError('CASE_PLACE_REQUIRED');
    // Read each time: a villager reports now and then, a cache would rarely hit.
    const h = await db.selectFrom('households').select(['id', 'region_id', 'region_path', 'grid_id']).where('id', '=', actor.householdId).executeTakeFirst();
    if (!h) throw new AppError('CASE_PLACE_REQUIRED');
    return { regionId: h.region_id, regionPath: h.region_path, gridId: h.grid_id, householdId: h.id, guard: sql<boolean>`true` };
  }
  if (i.gridId) {
    const g = await placeRow(db, countyId, 'grid', i.gridId, fresh);
    assertCovers(actor, 'cases.report', g?.regionPath);
    const { id, regionId, regionPath } = g as Extract<PlaceRow, { kind: 'grid' }>;
    return {
      regionId, regionPath, gridId: id, householdId: null,
      guard: sql<boolean>`EXISTS (SELECT 1 FROM grids WHERE id = ${id}::int8 AND county_id = ${countyId}::int8 AND region_id = ${regionId}::int8 AND region_path = ${regionPath}::text)`,
    };
  }
  if (i.regionId) {
    const r = await placeRow(db, countyId, 'region', i.regionId, fresh);
    assertCovers(actor, 'cases.report', r?.regionPath);
    const { id, regionPath, level } = r as Extract<PlaceRow, { kind: 'region' }>;
    if (level !== 'village' && level !== 'group') throw new AppError('CASE_PLACE_REQUIRED', { regionId: i.regionId });
    return {
      regionId: id, regionPath, gridId: null, householdId: null,
      guard: sql<boolean>`EXISTS (SELECT 1 FROM regions WHERE id = ${id}::int8 AND county_id = ${countyId}::int8 AND path = ${regionPath}::text AND level = ${level}::text)`,
    };
  }
  throw new AppError('CASE_PLACE_REQUIRED');
}

function forgetPlace(countyId: number, i: ReportInput): void {
  if (i.gridId) placeRows.delete(`grid:${countyId}:${i.gridId}`);
  if (i.regionId) placeRows.delete(`region:${countyId}:${i.regionId}`);
}

function routeDeadlines(cal: WorkCalendar, now: Date, cat: Pick<CategoryRow, 'responseDays' | 'handlingDays'>) {
  return { response_due_at: cal.addWorkingDays(now, cat.responseDays), due_at: cal.addWorkingDays(now, cat.handlingDays) };
}

/** Where a new case of this category goes first: village, or the township (which dispatches). */
function firstLevel(cat: CategoryRow): HandlingLevel {
  return cat.handlingLevel === 'village' ? 'village' : 'township';
}

async function existingByClientId(db: Kdb, userId: number, clientId: string) {
  return db.selectFrom('cases').select(['id', 'code', 'state']).where('reporter_user_id', '=', userId).where('client_id', '=', clientId).executeTakeFirst();
}

/**
 * A report in one round trip, when the catalogue entry and the place are cached: the case id
 * (shared with the reports arriving at the same time), then one statement that checks the cached
 * category and place still hold, writes the case with its history, audit, timers and
 * notifications, and reads the duplicate candidates. Should the check fail — the catalogue or the
 * place was edited since this process cached it — nothing is written; the report reads both
 * afresh (which also raises the proper error for an inactive category or a place out of scope)
 * and tries again.
 */
export async function reportCase(ctx: Ctx, i: ReportInput): Promise<ReportResult> {
  requirePermission(ctx.actor, 'cases.report');
  const countyId = ctx.actor.countyId;
  // Outside a transaction the unique (reporter, client id) index alone recognises a resent report
  // (the 23505 below): one query less on every report. Inside one (opinions → cases) a failed
  // insert would abort the caller's transaction, so look first there.
  if (i.clientId && ctx.db.isTransaction) {
    const prev = await existingByClientId(ctx.db, ctx.actor.userId, i.clientId);
    if (prev) return { ...prev, replayed: true, possibleDuplicates: [] };
  }
  for (let attempt = 0; ; attempt++) {
    const fresh = attempt > 0;
    const cat = await reportCategory(ctx.db, countyId, i.categoryId, fresh);
    if (i.gridMatterId) {
      const gm = await ctx.db.selectFrom('grid_matters').select('id').where('id', '=', i.gridMatterId).where('county_id', '=', countyId).where('exited_on', 'is', null).executeTakeFirst();
      if (!gm) throw new AppError('GRID_MATTER_NOT_FOUND', { id: i.gridMatterId });
    }
    const place = await placeOf(ctx, i, fresh);
    const cal = await loadCalendar(ctx.db, countyId);
    let written: Written | undefined;
    try {
      // Without photos the report is ONE statement (atomic on its own); photos add an update, so
      // then both run in a transaction.
      written = i.photoIds?.length ? await inTransaction(ctx, (tx) => insertCase(tx, i, cat, place, cal)) : await insertCase(ctx, i, cat, place, cal);
    } catch (e) {
      // A report sent twice (or two copies racing): the unique (reporter, client id) index lets one win.
      if (i.clientId && (e as { code?: string }).code === '23505') {
        const prev = await existingByClientId(ctx.db, ctx.actor.userId, i.clientId);
        if (prev) return { ...prev, replayed: true, possibleDuplicates: [] };
      }
      throw e;
    }
    if (written) {
      const { row, candidates } = written;
      await maybeScheduleRetrain(ctx.db, countyId);
      return { id: row.id, code: row.code, state: row.state, replayed: false, possibleDuplicates: pickDuplicates(row, candidates) };
    }
    forgetReportCategory(countyId, i.categoryId);
    forgetPlace(countyId, i);
    // Read afresh and still refused: edited again in between, twice. Let the caller retry.
    if (attempt >= 2) throw new AppError('CONFLICT');
  }
}

/**
 * Case ids come from the table's sequence before the insert, because the code people see carries
 * the id. Reports that ask while an id query is in flight wait and share the next one
 * (generate_series takes one id per waiting report), so under load an id costs a fraction of a
 * round trip; a report on its own takes its id as before. Sequences ignore transactions, so the
 * ids may come from any connection; inside a transaction the report asks on its own.
 */
class CaseIds {
  private waiting: { resolve: (id: number) => void; reject: (e: unknown) => void }[] = [];
  private busy = false;
  constructor(private readonly db: Kdb) {}

  next(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain() {
    this.busy = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 1000);
      try {
        const r = await sql<{ id: number }>`${sql.raw(PREPARED)} SELECT nextval(pg_get_serial_sequence('cases', 'id'))::int8 AS id FROM generate_series(1, ${batch.length}::int)`.execute(this.db);
        batch.forEach((w, k) => w.resolve(Number(r.rows[k]!.id)));
      } catch (e) {
        for (const w of batch) w.reject(e);
      }
    }
    this.busy = false;
  }
}
const caseIds = new WeakMap<Kdb, CaseIds>();

async function nextCaseId(db: Kdb): Promise<number> {
  if (db.isTransaction) return (await sql<{ id: number }>`SELECT nextval(pg_get_serial_sequence('cases', 'id'))::int8 AS id`.execute(db)).rows[0]!.id;
  let ids = caseIds.get(db);
  if (!ids) caseIds.set(db, (ids = new CaseIds(db)));
  return ids.next();
}

/**
 * INSERT … SELECT of one row, as a fragment of a larger statement. `tail` makes the row
 * conditional (`FROM c`: only if the case row was written). Under INSERT the parameters take the
 * column types, as with VALUES.
 */
function insertOneSql(table: string, row: Record<string, unknown>, tail: RawBuilder<unknown>): RawBuilder<unknown> {
  const cols = Object.keys(row);
  return sql`INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) SELECT ${sql.join(cols.map((c) => sql`${row[c] ?? null}`))} ${tail}`;
}

interface Written {
  row: Pick<CaseRow, 'id' | 'code' | 'state' | 'title' | 'description' | 'lat' | 'lng'>;
  candidates: CandidateRow[];
}

/**
 * The report's writes — the case, its history row, its audit row, its timers, the unit's
 * notifications with their outbox rows and delivery job — as one statement of data-modifying
 * CTEs, which also returns the duplicate candidates. Every row hangs off the case row `c`, and
 * `c` is written only while the cached category and place hold (their guards): all or nothing.
 * The rows are exactly those the step-by-step helpers (writeHistory, audit, scheduleTimer,
 * notify) write elsewhere; they share their builders. Undefined: a guard failed, nothing written.
 */
async function insertCase(tx: Ctx, i: ReportInput, cat: CategoryRow, place: Place, cal: WorkCalendar): Promise<Written | undefined> {
  const { actor } = tx;
  const now = nowOf(tx);
  const id = await nextCaseId(tx.db);
  const code = `SJ${beijingDay(now).replace(/-/g, '')}-${String(id).padStart(7, '0')}`;
  const level = firstLevel(cat);
  const deadlines = routeDeadlines(cal, now, cat);
  const description = i.description.trim();
  const title = i.title?.trim() || description.slice(0, 30);
  const source = i.source ?? (actor.kind === 'villager' ? 'phone' : 'console');
  const values = {
    id, county_id: actor.countyId, code, region_id: place.regionId, region_path: place.regionPath, grid_id: place.gridId,
    category_id: cat.id, grid_matter_id: i.gridMatterId ?? null, title, description, source, source_ref: i.sourceRef ?? null,
    reporter_user_id: actor.userId, reporter_name: i.reporterName?.trim() || actor.displayName,
    reporter_household_id: place.householdId, client_id: i.clientId ?? null,
    lat: i.lat ?? null, lng: i.lng ?? null, address: i.address ?? null,
    state: 'pending', level, ...deadlines, first_response_due_at: deadlines.response_due_at,
    // A report at a set time (ctx.now: the demo's past) names it; a live one keeps the column's now().
    ...(tx.now ? { created_at: now, updated_at: now } : {}),
  };
  const history = historyValues(tx, {
    process: 'case', entityId: id, regionPath: place.regionPath, action: 'report', from: null, to: 'pending',
    comment: description, attachments: i.photoIds ?? [],
    data: { level, levelLabel: LEVEL_LABELS[level], categoryId: cat.id, source, sourceRef: values.source_ref, responseDueAt: deadlines.response_due_at, dueAt: deadlines.due_at },
  });
  const auditRow = auditValues(tx, { action: 'case.report', entity: 'case', entityId: id, regionPath: place.regionPath, after: { code, categoryId: cat.id, level, source } });
  const timers = deadlineTimers({ id, state: 'pending', deadline_gen: 0, ...deadlines });
  const notice = notifyCtes('n', {
    countyId: actor.countyId, kind: 'case.assigned', title: `新事件待受理：${title}`, body: `${code}，请在 ${fmt(deadlines.response_due_at)} 前受理`, entity: 'case', entityId: id,
  }, sql`SELECT u.user_id FROM (${unitUsersSql({ region_path: place.regionPath, level, department_id: null })}) u WHERE EXISTS (SELECT 1 FROM c)`);
  const candidates = candidatesQuery(tx.db, { ...values, created_at: tx.now ? now : sql<Date>`now()` });
  const fromC = sql`FROM c`;
  const ctes = [
    sql`c AS (${insertOneSql('cases', values, sql`WHERE ${categoryGuard(actor.countyId, cat)} AND ${place.guard}`)} RETURNING *)`,
    sql`h AS (${insertOneSql('workflow_history', history, fromC)})`,
    sql`a AS (${insertOneSql('audit_log', auditRow, fromC)})`,
    ...timers.map((t, k) => sql`${sql.table(`t${k}`)} AS (${insertOneSql('jobs', t, fromC)} ON CONFLICT (dedupe_key) DO NOTHING)`),
    notice,
  ];
  // Prepared (PREPARED): the text is one of a handful — by place kind and duplicate branch — so
  // PostgreSQL plans it once per connection; planning this statement used to cost more than
  // running it. The columns are named so the result keeps its shape when `cases` gains one.
  const r = await sql<Written['row'] & { duplicate_candidates: CandidateRow[] }>`${sql.raw(PREPARED)}
    WITH ${sql.join(ctes, sql`,\n`)}
    SELECT c.id, c.code, c.state, c.title, c.description, c.lat, c.lng,
      (SELECT coalesce(json_agg(d), '[]'::json) FROM (${candidates}) d) AS duplicate_candidates
    FROM c`.execute(tx.db);
  const got = r.rows[0];
  if (!got) return undefined;
  const { duplicate_candidates, ...row } = got;
  if (i.photoIds?.length) await attachPhotos(tx, id, i.photoIds, 'report');
  return { row, candidates: duplicate_candidates };
}

/** Photos the caller uploaded and not yet used; anything else is refused. */
async function attachPhotos(tx: Ctx, caseId: number, ids: number[], purpose: 'report' | 'result') {
  const uniq = [...new Set(ids)];
  const r = await tx.db
    .updateTable('case_photos')
    .set({ case_id: caseId, purpose })
    .where('id', 'in', uniq)
    .where('uploader_id', '=', tx.actor.userId)
    .where('county_id', '=', tx.actor.countyId)
    .where('case_id', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== uniq.length) throw new AppError('CASE_PHOTO_NOT_FOUND', { photoIds: ids });
}

function fmt(d: Date | null): string {
  if (!d) return '';
  return beijingMinute(d);
}

type Timed = Pick<CaseRow, 'id' | 'due_at' | 'response_due_at' | 'deadline_gen' | 'state'>;

/**
 * The timers of a case's current deadlines: yellow when the last working day of the handling limit
 * begins, red once it has passed, and — while nobody has accepted it — a warning when the response
 * limit passes.
 */
function deadlineTimers(c: Timed) {
  const out = [];
  if (c.due_at && (c.state === 'pending' || c.state === 'handling')) {
    const due = new Date(c.due_at);
    out.push(timerValues('case', 'warn', c.id, c.deadline_gen, new Date(due.getTime() - 86_400_000 + 1)));
    out.push(timerValues('case', 'overdue', c.id, c.deadline_gen, new Date(due.getTime() + 1)));
  }
  if (c.response_due_at && c.state === 'pending') {
    out.push(timerValues('case', 'response_overdue', c.id, c.deadline_gen, new Date(new Date(c.response_due_at).getTime() + 1)));
  }
  return out;
}

async function armDeadline(db: Kdb, c: Timed) {
  const timers = deadlineTimers(c);
  if (timers.length) await db.insertInto('jobs').values(timers).onConflict((oc) => oc.column('dedupe_key').doNothing()).execute();
}

// ── steps ───────────────────────────────────────────────────────────────────────────────────

export interface StepInput {
  comment?: string | null;
  departmentId?: number;
  days?: number;
  result?: string;
  photoIds?: number[];
  rating?: number;
  fixed?: boolean;
  targetId?: number;
  replyBy?: string;
}

type Patch = Partial<{ [K in keyof CaseRow]: unknown }>;

interface Effect {
  patch: Patch;
  data?: Record<string, unknown>;
  /** Runs after the row is saved, in the same transaction. */
  post?: (saved: CaseRow) => Promise<void>;
}

interface EffectEnv {
  tx: Ctx;
  row: CaseRow;
  input: StepInput;
  to: CaseRow['state'];
  cal: WorkCalendar;
  now: Date;
}

async function categoryOf(db: Kdb, c: CaseRow) {
  const r = await db.selectFrom('case_categories').select(['response_days', 'handling_days']).where('id', '=', c.category_id).executeTakeFirstOrThrow();
  return { responseDays: r.response_days, handlingDays: r.handling_days };
}

/** The case moves to another unit: fresh limits there, old timers stale, the new unit told. */
async function reroute(env: EffectEnv, level: HandlingLevel, departmentId: number | null, extra: Patch = {}): Promise<Effect> {
  const { tx, row, cal, now } = env;
  const d = routeDeadlines(cal, now, await categoryOf(tx.db, row));
  return {
    patch: { level, department_id: departmentId, handler_user_id: null, ...d, deadline_gen: row.deadline_gen + 1, warn_level: 'green', extension_days_requested: null, ...extra },
    data: { fromLevel: row.level, toLevel: level, toLevelLabel: LEVEL_LABELS[level], departmentId, previousDueAt: row.due_at, responseDueAt: d.response_due_at, dueAt: d.due_at },
    post: async (saved) => {
      await armDeadline(tx.db, saved);
      await notify(tx.db, {
        countyId: saved.county_id, userIds: await unitUserIds(tx.db, saved), kind: 'case.assigned',
        title: `事件待受理：${saved.title}`, body: `${saved.code}，请在 ${fmt(saved.response_due_at)} 前受理，${fmt(saved.due_at)} 前办结`, entity: 'case', entityId: saved.id,
      });
    },
  };
}

/** Back to work with a fresh handling limit (rework, reopen, "not really fixed"). */
async function backToWork(env: EffectEnv, extra: Patch): Promise<Effect> {
  const { tx, row, cal, now } = env;
  const cat = await categoryOf(tx.db, row);
  const due = cal.addWorkingDays(now, cat.handlingDays);
  return {
    patch: { due_at: due, resolved_at: null, closed_at: null, close_reason: null, deadline_gen: row.deadline_gen + 1, warn_level: 'green', ...extra },
    data: { previousDueAt: row.due_at, dueAt: due },
    post: async (saved) => {
      await armDeadline(tx.db, saved);
      await notify(tx.db, {
        countyId: saved.county_id, userIds: saved.handler_user_id ? [saved.handler_user_id] : await unitUserIds(tx.db, saved), kind: 'case.rework',
        title: `事件需重新办理：${saved.title}`, body: `${saved.code}，请在 ${fmt(due)} 前办结`, entity: 'case', entityId: saved.id,
      });
    },
  };
}

const EFFECTS: Record<string, (env: EffectEnv) => Promise<Effect>> = {
  accept: async ({ tx, row, now }) => ({
    patch: { handler_user_id: tx.actor.userId, first_response_at: row.first_response_at ?? now, response_due_at: null },
    data: { onTime: !row.response_due_at || now <= new Date(row.response_due_at) },
    post: async (saved) => notify(tx.db, { countyId: saved.county_id, userIds: [saved.reporter_user_id], kind: 'case.accepted', title: `您反映的事件已受理：${saved.title}`, entity: 'case', entityId: saved.id, external: false }),
  }),
  escalate: (env) => reroute(env, 'township', null),
  dispatch: async (env) => {
    const dep = await env.tx.db.selectFrom('departments').select(['id', 'name']).where('id', '=', env.input.departmentId!).where('county_id', '=', env.tx.actor.countyId).executeTakeFirst();
    if (!dep) throw new AppError('CASE_DEPARTMENT_NOT_FOUND', { departmentId: env.input.departmentId });
    const e = await reroute(env, 'department', dep.id, { dispatched_at: env.now });
    return { ...e, data: { ...e.data, departmentName: dep.name } };
  },
  send_back: (env) => (env.row.level === 'department' ? reroute(env, 'township', null) : reroute(env, 'village', null)),
  request_extension: async ({ tx, row, input }) => ({
    patch: { extension_days_requested: input.days },
    data: { days: input.days },
    post: async (saved) => notify(tx.db, { countyId: saved.county_id, userIds: await aboveUserIds(tx.db, saved), kind: 'case.extension_requested', title: `延期申请待审批：${saved.title}`, body: `${saved.code} 申请延期 ${input.days} 个工作日`, entity: 'case', entityId: row.id }),
  }),
  approve_extension: async ({ tx, row, cal }) => {
    const days = row.extension_days_requested!;
    const due = cal.shiftDeadline(new Date(row.due_at ?? nowOf(tx)), days);
    return {
      patch: { due_at: due, extension_days_requested: null, deadline_gen: row.deadline_gen + 1, warn_level: 'green' },
      data: { days, previousDueAt: row.due_at, dueAt: due },
      post: async (saved) => {
        await armDeadline(tx.db, saved);
        await notify(tx.db, { countyId: saved.county_id, userIds: [saved.handler_user_id], kind: 'case.extension_approved', title: `延期已批准：${saved.title}`, body: `新的办结时限 ${fmt(due)}`, entity: 'case', entityId: saved.id });
      },
    };
  },
  reject_extension: async ({ tx, row }) => ({
    patch: { extension_days_requested: null },
    data: { days: row.extension_days_requested },
    post: async (saved) => notify(tx.db, { countyId: saved.county_id, userIds: [saved.handler_user_id], kind: 'case.extension_rejected', title: `延期未获批准：${saved.title}`, entity: 'case', entityId: saved.id }),
  }),
  // Suspension stops the clock: timers go stale now and the deadline moves on resume.
  suspend: async ({ row, now }) => ({ patch: { suspended_at: now, deadline_gen: row.deadline_gen + 1 }, data: { dueAt: row.due_at } }),
  resume: async ({ tx, row, cal, now }) => {
    const days = cal.workingDaysBetween(new Date(row.suspended_at ?? now), now);
    const due = row.due_at ? cal.shiftDeadline(new Date(row.due_at), days) : null;
    const resp = row.response_due_at ? cal.shiftDeadline(new Date(row.response_due_at), days) : null;
    return {
      patch: { suspended_at: null, due_at: due, response_due_at: resp, deadline_gen: row.deadline_gen + 1, warn_level: 'green' },
      data: { suspendedWorkingDays: days, previousDueAt: row.due_at, dueAt: due },
      post: async (saved) => armDeadline(tx.db, saved),
    };
  },
  resolve: async ({ tx, row, input, cal, now }) => ({
    patch: { resolved_at: now, result: input.result!.trim(), deadline_gen: row.deadline_gen + 1, extension_days_requested: null },
    data: { onTime: !row.due_at || now <= new Date(row.due_at), photoIds: input.photoIds ?? [] },
    post: async (saved) => {
      if (input.photoIds?.length) await attachPhotos(tx, saved.id, input.photoIds, 'result');
      await scheduleTimer(tx.db, 'case', 'revisit_timeout', saved.id, saved.deadline_gen, cal.addWorkingDays(now, REVISIT_DAYS));
      await notify(tx.db, { countyId: saved.county_id, userIds: [saved.reporter_user_id], kind: 'case.rate', title: `您反映的事件已办结，请评价：${saved.title}`, body: saved.result ?? '', entity: 'case', entityId: saved.id });
    },
  }),
  rate: async (env) => {
    const { row, input, now, tx } = env;
    const rated = { rating: input.rating, rated_at: now };
    if (env.to === 'handling') {
      const e = await backToWork(env, { ...rated, rework_count: row.rework_count + 1 });
      return { ...e, data: { ...e.data, rating: input.rating, rework: true } };
    }
    return {
      patch: { ...rated, closed_at: now, close_reason: 'rated', deadline_gen: row.deadline_gen + 1 },
      data: { rating: input.rating },
      post: async (saved) => {
        await scheduleTimer(tx.db, 'case', 'confirm_ask', saved.id, saved.deadline_gen, new Date(now.getTime() + CONFIRM_AFTER_DAYS * 86_400_000));
        await notify(tx.db, { countyId: saved.county_id, userIds: [saved.handler_user_id], kind: 'case.rated', title: `事件已评价（${input.rating} 星）并销号：${saved.title}`, entity: 'case', entityId: saved.id, external: false });
      },
    };
  },
  close_timeout: async ({ tx, row, now }) => ({
    patch: { closed_at: now, close_reason: 'revisit_timeout', deadline_gen: row.deadline_gen + 1 },
    post: async (saved) => scheduleTimer(tx.db, 'case', 'confirm_ask', saved.id, saved.deadline_gen, new Date(now.getTime() + CONFIRM_AFTER_DAYS * 86_400_000)),
  }),
  reopen: (env) => backToWork(env, { reopen_count: env.row.reopen_count + 1, rating: null, rated_at: null, confirmed_fixed: null }),
  confirm: async (env) => {
    if (env.input.fixed) return { patch: { confirmed_fixed: true }, data: { fixed: true } };
    const e = await backToWork(env, { reopen_count: env.row.reopen_count + 1, confirmed_fixed: false });
    return { ...e, data: { ...e.data, fixed: false } };
  },
  merge: async ({ tx, row, input }) => {
    const target = await tx.db.selectFrom('cases').selectAll().where('id', '=', input.targetId!).where('county_id', '=', tx.actor.countyId).forUpdate().executeTakeFirst();
    if (!target || !canSee(tx.actor, toRes(target))) throw new AppError('CASE_MERGE_TARGET_INVALID', { targetId: input.targetId });
    if (!['pending', 'handling', 'suspended', 'resolved'].includes(target.state) || target.category_id !== row.category_id) {
      throw new AppError('CASE_MERGE_TARGET_INVALID', { targetId: input.targetId, state: target.state });
    }
    return {
      patch: { merged_into_id: target.id, deadline_gen: row.deadline_gen + 1 },
      data: { targetId: target.id, targetCode: target.code },
      post: async (saved) => {
        await writeHistory(tx, { process: 'case', entityId: target.id, regionPath: target.region_path, action: 'merged_in', from: target.state, to: target.state, comment: input.comment ?? null, data: { sourceId: saved.id, sourceCode: saved.code } });
        await notify(tx.db, { countyId: saved.county_id, userIds: [saved.reporter_user_id], kind: 'case.merged', title: `您反映的事件已与同类事件合并办理：${saved.title}`, body: `合并至 ${target.code}`, entity: 'case', entityId: target.id, external: false });
      },
    };
  },
  supervise: async ({ tx, row, input, now }) => ({
    patch: { supervised_at: now },
    post: async (saved) => {
      await tx.db.insertInto('case_supervisions').values({
        county_id: saved.county_id, case_id: saved.id, region_path: saved.region_path, issued_by: tx.actor.userId, issuer_name: tx.actor.displayName,
        notice: input.comment!.trim(), reply_by: input.replyBy ? new Date(input.replyBy) : null, ...(tx.now ? { created_at: now } : {}),
      }).execute();
      const users = [...(await unitUserIds(tx.db, saved)), saved.handler_user_id];
      await notify(tx.db, { countyId: saved.county_id, userIds: users, kind: 'case.supervised', title: `督办通知：${saved.title}`, body: input.comment!.trim(), entity: 'case', entityId: saved.id });
    },
  }),
};

async function lockCase(db: Kdb, id: number, countyId: number): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).where('county_id', '=', countyId).forUpdate().executeTakeFirst();
}

/** One step of the flow, by anyone (or the system): scope → kernel (state, policy, guard) → effect. */
export async function stepCase(ctx: Ctx, id: number, action: string, input: StepInput): Promise<CaseRow> {
  const effectFor = EFFECTS[action];
  if (!effectFor) throw new AppError('WORKFLOW_ACTION_UNKNOWN', { action });
  const isSystem = ctx.actor.userId === 0;
  const cal = await loadCalendar(ctx.db, ctx.actor.countyId);
  return inTransaction(ctx, async (tx) => {
    const row = await lockCase(tx.db, id, tx.actor.countyId);
    if (!row || (!isSystem && !canSee(tx.actor, toRes(row)))) throw new AppError('NOT_FOUND');
    const data: Record<string, unknown> = {};
    let saved: CaseRow | undefined;
    let post: Effect['post'];
    const { to } = await caseProcess.fire(tx, toRes(row), action, {
      input,
      data,
      apply: async (to) => {
        const now = nowOf(tx);
        const eff = await effectFor({ tx, row, input, to, cal, now });
        Object.assign(data, eff.data ?? {});
        post = eff.post;
        saved = await tx.db
          .updateTable('cases')
          .set({ ...(eff.patch as object), state: to, version: row.version + 1, updated_at: now })
          .where('id', '=', row.id)
          .where('version', '=', row.version)
          .returningAll()
          .executeTakeFirst();
        return !!saved;
      },
    });
    if (post) await post(saved!);
    await audit(tx, { action: `case.${action}`, entity: 'case', entityId: id, regionPath: row.region_path, before: { state: row.state, level: row.level }, after: { state: to, level: saved!.level, ...data } });
    return saved!;
  });
}

// ── timers ──────────────────────────────────────────────────────────────────────────────────

interface TimerPayload {
  id: number;
  gen: number;
}

/**
 * Deadline warnings. The job queue runs each job once (SKIP LOCKED); the row lock and the
 * generation/colour checks make a repeated or stale job a no-op as well.
 */
async function deadlineTimer(db: Kdb, p: TimerPayload, colour: 'yellow' | 'red') {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  if (!row || row.deadline_gen !== p.gen || (row.state !== 'pending' && row.state !== 'handling')) return;
  if (row.warn_level === 'red' || row.warn_level === colour) return;
  const ctx: Ctx = { db, actor: systemActor(row.county_id) };
  await db.updateTable('cases').set({ warn_level: colour }).where('id', '=', row.id).execute();
  await writeHistory(ctx, {
    process: 'case', entityId: row.id, regionPath: row.region_path, action: colour === 'red' ? 'overdue' : 'warn', from: row.state, to: row.state,
    comment: colour === 'red' ? '已超过办理时限，转入督办' : '距办理时限不足一个工作日', data: { dueAt: row.due_at },
  });
  const handlers = row.handler_user_id ? [row.handler_user_id] : await unitUserIds(db, row);
  const users = colour === 'red' ? [...handlers, ...(await aboveUserIds(db, row))] : handlers;
  await notify(db, {
    countyId: row.county_id, userIds: users, kind: colour === 'red' ? 'case.overdue' : 'case.due_soon',
    title: colour === 'red' ? `事件已超期（红灯）：${row.title}` : `事件即将到期（黄灯）：${row.title}`, body: `${row.code}，时限 ${fmt(row.due_at)}`, entity: 'case', entityId: row.id,
  });
}

/**
 * Nobody accepted the case within the response limit: told to the unit holding it and the level
 * above, once (the job queue runs a job once; a stale generation — the case moved, was suspended —
 * or an accepted case makes it a no-op), and recorded in the history.
 */
async function responseOverdue(db: Kdb, p: TimerPayload) {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  if (!row || row.deadline_gen !== p.gen || row.state !== 'pending' || !row.response_due_at) return;
  await writeHistory({ db, actor: systemActor(row.county_id) }, {
    process: 'case', entityId: row.id, regionPath: row.region_path, action: 'response_overdue', from: row.state, to: row.state,
    comment: '已超过响应时限仍未受理', data: { responseDueAt: row.response_due_at, level: row.level, levelLabel: LEVEL_LABELS[row.level] },
  });
  await notify(db, {
    countyId: row.county_id, userIds: [...(await unitUserIds(db, row)), ...(await aboveUserIds(db, row))], kind: 'case.response_overdue',
    title: `事件超过响应时限未受理：${row.title}`, body: `${row.code}，响应时限 ${fmt(row.response_due_at)}`, entity: 'case', entityId: row.id,
  });
}

export const caseJobs = {
  'case.response_overdue': async (db: Kdb, p: Record<string, unknown>) => responseOverdue(db, p as unknown as TimerPayload),
  'case.warn': async (db: Kdb, p: Record<string, unknown>) => deadlineTimer(db, p as unknown as TimerPayload, 'yellow'),
  'case.overdue': async (db: Kdb, p: Record<string, unknown>) => deadlineTimer(db, p as unknown as TimerPayload, 'red'),
  'case.revisit_timeout': async (db: Kdb, p: Record<string, unknown>) => {
    const { id, gen } = p as unknown as TimerPayload;
    const row = await db.selectFrom('cases').select(['county_id', 'state', 'deadline_gen']).where('id', '=', id).executeTakeFirst();
    if (!row || row.state !== 'resolved' || row.deadline_gen !== gen) return;
    await stepCase({ db, actor: systemActor(row.county_id) }, id, 'close_timeout', { comment: `${REVISIT_DAYS} 个工作日内未回访评价，自动销号` });
  },
  'case.confirm_ask': async (db: Kdb, p: Record<string, unknown>) => {
    const { id, gen } = p as unknown as TimerPayload;
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row || row.state !== 'closed' || row.deadline_gen !== gen || row.confirm_asked_at) return;
    await db.updateTable('cases').set({ confirm_asked_at: new Date() }).where('id', '=', id).execute();
    await writeHistory({ db, actor: systemActor(row.county_id) }, { process: 'case', entityId: id, regionPath: row.region_path, action: 'confirm_asked', from: row.state, to: row.state, comment: '已询问反映人问题是否真正解决' });
    await notify(db, { countyId: row.county_id, userIds: [row.reporter_user_id], kind: 'case.confirm', title: `您反映的问题是否真正解决？${row.title}`, body: '如仍未解决，可在事件详情中选择“未解决”，事件将重新办理', entity: 'case', entityId: id });
  },
};
