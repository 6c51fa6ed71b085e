/**
 * 走访 use cases: record a visit to a household (with its needs and opinions), read visits by
 * household / visitor / place, turn one opinion into a case (through the cases module's
 * casesFromOpinions, so the case keeps source 'household_visit' and names the visit), and the
 * county's view of which households nobody has visited lately.
 */
import { sql, type SqlBool } from 'kysely';
import type { Ctx } from '../../core/context.js';
import { inTransaction } from '../../core/context.js';
import { assertCovers, inScope, pathsWith, requirePermission } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { AppError } from '../../core/errors.js';
import { beijingDay } from '../../core/calendar/index.js';
import { decodeCursor, encodeCursor } from '../../core/paging.js';
import { idsOfPath, requireRegion } from '../regions/service.js';
import { regionsWithCounts } from '../regions/queries.js';
import { caseDetail, casesFromOpinions } from '../cases/view.js';
import { canConvert, canSeeVisit, READ, RECORD } from './policy.js';
import * as q from './queries.js';
import type { ToCaseBody, VisitBody, VisitListQuery } from './schema.js';

/** How far back a visit may be entered late (补录), and how far ahead a follow-up may be set. */
export const BACKDATE_DAYS = 365;
export const FOLLOW_UP_MAX_DAYS = 366;

// ── days (Beijing calendar days as 'YYYY-MM-DD') ───────────────────────────────────────────

const DAY_MS = 86_400_000;
function dayNumber(day: string): number | null {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const t = Date.UTC(y, m - 1, d);
  // 2026-02-30 rolls over to March: not a real day.
  return new Date(t).toISOString().slice(0, 10) === day ? t / DAY_MS : null;
}
export function addDays(day: string, n: number): string {
  return new Date((dayNumber(day)! + n) * DAY_MS).toISOString().slice(0, 10);
}
export const today = () => beijingDay(new Date());

function checkDays(visitedOn: string, followUpOn: string | null | undefined, now: string) {
  const v = dayNumber(visitedOn);
  const t = dayNumber(now)!;
  if (v === null || v > t || v < t - BACKDATE_DAYS) throw new AppError('VISIT_DATE_INVALID', { field: 'visitedOn', visitedOn, today: now });
  if (followUpOn != null) {
    const f = dayNumber(followUpOn);
    if (f === null || f < v || f > v + FOLLOW_UP_MAX_DAYS) throw new AppError('VISIT_FOLLOW_UP_INVALID', { field: 'followUpOn', followUpOn });
  }
}

// ── presenting ─────────────────────────────────────────────────────────────────────────────

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/**
 * The case an opinion became, as the caller may see it: code always (it is written on the
 * opinion), state only when the cases module lets the caller read the case.
 */
async function caseRef(ctx: Ctx, o: Pick<q.OpinionRow, 'case_id' | 'case_code'>) {
  if (!o.case_id) return null;
  try {
    const c = await caseDetail(ctx, o.case_id);
    return { id: o.case_id, code: c.code, state: c.state, stateLabel: c.stateLabel };
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return { id: o.case_id, code: o.case_code!, state: null, stateLabel: null };
    throw e;
  }
}

async function presentOpinion(ctx: Ctx, o: q.OpinionRow) {
  return { id: o.id, seq: o.seq, kind: o.kind, content: o.content, case: await caseRef(ctx, o), convertedAt: iso(o.converted_at) };
}

async function present(ctx: Ctx, v: q.VisitRow, opinions: q.OpinionRow[]) {
  return {
    id: v.id, householdId: v.household_id, householderName: v.householder_name, householdCode: v.household_code,
    villageId: v.village_id, villageName: v.village_name, gridId: v.grid_id,
    visitorId: v.visitor_id, visitorName: v.visitor_name, visitedOn: v.visited_on, met: v.met, notes: v.notes,
    followUpOn: v.follow_up_on, createdAt: iso(v.created_at)!,
    opinions: await Promise.all(opinions.filter((o) => o.visit_id === v.id).map((o) => presentOpinion(ctx, o))),
  };
}

// ── record ─────────────────────────────────────────────────────────────────────────────────

export async function recordVisit(ctx: Ctx, input: VisitBody) {
  const { actor } = ctx;
  requirePermission(actor, RECORD);
  const now = today();
  checkDays(input.visitedOn, input.followUpOn, now);
  const met = input.met.trim();
  if (!met) throw new AppError('VISIT_MET_REQUIRED', { field: 'met' });
  const opinions = (input.opinions ?? []).map((o, i) => {
    const content = o.content.trim();
    if (!content) throw new AppError('VISIT_OPINION_EMPTY', { field: `opinions.${i}.content` });
    return { kind: o.kind, content };
  });
  if (input.clientId) {
    const prev = await q.visitByClientId(ctx.db, actor.userId, input.clientId);
    if (prev) return { ...(await getVisit(ctx, prev.id)), replayed: true };
  }
  const h = await q.findHouseholdForVisit(ctx.db, actor.countyId, input.householdId);
  assertCovers(actor, RECORD, h?.region_path);
  if (h!.status !== 'active') throw new AppError('VISIT_HOUSEHOLD_INACTIVE', { householdId: h!.id, status: h!.status });
  const villageId = idsOfPath(h!.region_path)[2];
  if (!villageId) throw new AppError('VISIT_HOUSEHOLD_INACTIVE', { householdId: h!.id, reason: '户未落到村' });
  let id: number;
  try {
    id = await inTransaction(ctx, async (tx) => {
      const visitId = await q.insertVisit(tx.db, {
        county_id: actor.countyId, household_id: h!.id, region_path: h!.region_path, village_id: villageId, grid_id: h!.grid_id,
        visitor_id: actor.userId, visitor_name: actor.displayName, visited_on: input.visitedOn, met, notes: input.notes?.trim() ?? '',
        follow_up_on: input.followUpOn ?? null, client_id: input.clientId ?? null,
      }, opinions);
      await audit(tx, {
        action: 'visit.record', entity: 'visit', entityId: visitId, regionPath: h!.region_path,
        after: { householdId: h!.id, visitedOn: input.visitedOn, met, opinions: opinions.length, followUpOn: input.followUpOn ?? null },
      });
      return visitId;
    });
  } catch (e) {
    // The same phone record sent twice at once: the unique (visitor, client id) index lets one win.
    if (input.clientId && (e as { code?: string }).code === '23505') {
      const prev = await q.visitByClientId(ctx.db, actor.userId, input.clientId);
      if (prev) return { ...(await getVisit(ctx, prev.id)), replayed: true };
    }
    throw e;
  }
  return { ...(await getVisit(ctx, id)), replayed: false };
}

// ── read ───────────────────────────────────────────────────────────────────────────────────

async function loadVisible(ctx: Ctx, id: number): Promise<q.VisitRow> {
  const v = await q.findVisit(ctx.db, ctx.actor.countyId, id);
  if (!v || !canSeeVisit(ctx.actor, { regionPath: v.region_path, visitorId: v.visitor_id })) throw new AppError('NOT_FOUND');
  return v;
}

export async function getVisit(ctx: Ctx, id: number) {
  const v = await loadVisible(ctx, id);
  const opinions = await q.opinionsOf(ctx.db, [v.id]);
  return { ...(await present(ctx, v, opinions)), can: { convert: canConvert(ctx.actor, { regionPath: v.region_path, visitorId: v.visitor_id }) } };
}

export async function listVisits(ctx: Ctx, f: VisitListQuery) {
  const { actor } = ctx;
  requirePermission(actor, f.mine ? RECORD : READ);
  const limit = f.limit ?? 50;
  let regionPath: string | undefined;
  if (f.regionId) regionPath = (await requireRegion(ctx, f.regionId, READ)).path;
  // Staff read the places they hold visits.read on; everyone also reads their own records.
  const scope = f.mine ? inScopeOrOwn(ctx) : inScope(actor, READ, 'v.region_path');
  const ids = await q.listVisitIds(ctx.db, {
    countyId: actor.countyId, scope, householdId: f.householdId, regionPath, gridId: f.gridId,
    visitorId: f.mine ? actor.userId : f.visitorId, from: f.from, to: f.to, withOpinions: f.withOpinions,
    followUpDueBy: f.followUpDue ? today() : undefined, beforeId: decodeCursor(f.cursor), limit,
  });
  const more = ids.length > limit;
  const page = more ? ids.slice(0, limit) : ids;
  const [rows, opinions] = await Promise.all([q.visitsByIds(ctx.db, page), q.opinionsOf(ctx.db, page)]);
  const items = [];
  for (const v of rows) items.push(await present(ctx, v, opinions));
  return { items, nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}

/** One's own records are readable wherever they are (a grid worker moved to another village). */
function inScopeOrOwn(ctx: Ctx) {
  return sql<SqlBool>`(${inScope(ctx.actor, READ, 'v.region_path')} OR v.visitor_id = ${ctx.actor.userId})`;
}

// ── opinion → case ─────────────────────────────────────────────────────────────────────────

/**
 * One opinion becomes one case, once: the opinion row is locked, and if it already names a case
 * that case is the answer (a second tap, a retry, two cadres at once all get the same case).
 */
export async function opinionToCase(ctx: Ctx, visitId: number, opinionId: number, input: ToCaseBody) {
  requirePermission(ctx.actor, RECORD);
  return inTransaction(ctx, async (tx) => {
    const o = await q.lockOpinion(tx.db, tx.actor.countyId, visitId, opinionId);
    if (!o || !canSeeVisit(tx.actor, { regionPath: o.region_path, visitorId: o.visitor_id })) throw new AppError('NOT_FOUND');
    if (!canConvert(tx.actor, { regionPath: o.region_path, visitorId: o.visitor_id })) throw new AppError('FORBIDDEN', { permission: RECORD });
    if (o.case_id) return { opinion: await presentOpinion(tx, o), replayed: true };
    const [made] = await casesFromOpinions(tx, 'household_visit', sourceRefOf(o), [{
      categoryId: input.categoryId,
      title: input.title?.trim() || undefined,
      description: o.content,
      // Where the opinion was heard: the household's grid, else its group.
      ...(o.grid_id ? { gridId: o.grid_id } : { regionId: o.household_region_id }),
      clientId: `visit-opinion-${o.id}`,
    }]);
    await q.markConverted(tx.db, o.id, { caseId: made!.id, caseCode: made!.code, by: tx.actor.userId });
    await audit(tx, {
      action: 'visit.opinion_to_case', entity: 'visit', entityId: o.visit_id, regionPath: o.region_path,
      after: { opinionId: o.id, caseId: made!.id, caseCode: made!.code, categoryId: input.categoryId },
    });
    return { opinion: await presentOpinion(tx, { ...o, case_id: made!.id, case_code: made!.code, converted_at: new Date() }), replayed: false };
  });
}

/** The case's source_ref names the visit (its number, the household, the day). */
export function sourceRefOf(o: { visit_id: number; householder_name: string; visited_on: string }): string {
  return `走访记录#${o.visit_id}：${o.householder_name}户（${o.visited_on}）`;
}

// ── coverage ───────────────────────────────────────────────────────────────────────────────

/**
 * Per village under a region (or under the caller's grants): households, how many were visited
 * in the last `days` days (today included), visits and opinions in that window, follow-ups due.
 */
export async function coverage(ctx: Ctx, input: { regionId?: number; days?: number }) {
  const { actor } = ctx;
  requirePermission(actor, READ);
  const days = input.days ?? 30;
  const now = today();
  const since = addDays(now, -(days - 1));
  let paths: string[];
  if (input.regionId) {
    const r = await requireRegion(ctx, input.regionId, READ);
    if (r.level === 'group') throw new AppError('VISIT_REGION_LEVEL', { regionId: r.id });
    paths = [r.path];
  } else {
    // A grant on a group (a 联户长, say) still counts its village: go up to the village path.
    paths = [...new Set(pathsWith(actor, READ).map((p) => villagePathOrSelf(p)))];
  }
  const villages = await q.villagesUnder(ctx.db, actor.countyId, paths);
  const ids = villages.map((v) => v.id);
  const [withCounts, counts] = await Promise.all([regionsWithCounts(ctx.db, { ids }), q.villageVisitCounts(ctx.db, ids, since, now)]);
  const households = new Map(withCounts.map((r) => [r.id, r.household_count]));
  const rows = villages.map((v) => {
    const c = counts.get(v.id) ?? { visited: 0, visits: 0, opinions: 0, converted: 0, followUpsDue: 0 };
    const n = households.get(v.id) ?? 0;
    return { villageId: v.id, villageName: v.name, townshipName: v.township_name, households: n, ...c, visited: Math.min(c.visited, n), unvisited: Math.max(0, n - c.visited) };
  });
  return { days, since, rows };
}

function villagePathOrSelf(path: string): string {
  const ids = idsOfPath(path);
  return ids.length > 3 ? `/${ids.slice(0, 3).join('/')}/` : path;
}

export async function unvisited(ctx: Ctx, input: { regionId?: number; gridId?: number; days?: number; cursor?: string; limit?: number }) {
  const { actor } = ctx;
  requirePermission(actor, READ);
  const days = input.days ?? 30;
  const limit = input.limit ?? 50;
  const since = addDays(today(), -(days - 1));
  let regionPath: string | undefined;
  if (input.regionId) regionPath = (await requireRegion(ctx, input.regionId, READ)).path;
  if (input.gridId) {
    const g = await q.findGrid(ctx.db, actor.countyId, input.gridId);
    assertCovers(actor, READ, g?.region_path);
  }
  const rows = await q.unvisitedHouseholds(ctx.db, {
    countyId: actor.countyId, scope: inScope(actor, READ, 'h.region_path'), regionPath, gridId: input.gridId,
    since, afterId: decodeCursor(input.cursor), limit,
  });
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((h) => ({
    id: h.id, code: h.code, householderName: h.householder_name, address: h.address, groupName: h.group_name, gridId: h.grid_id, lastVisitedOn: h.last_visited_on,
  }));
  return { days, since, items, nextCursor: more ? encodeCursor(items[items.length - 1]!.id) : null };
}
