/** Read use cases: a case with its history and next actions, the lists, opinions → cases. */
import type { Ctx } from '../../core/context.js';
import { inTransaction } from '../../core/context.js';
import { requirePermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { readHistory } from '../../core/workflow/index.js';
import { decodeCursor, encodeCursor } from '../../core/paging.js';
import { caseProcess } from './process.js';
import { canSee, isReporter } from './policy.js';
import { caseDetailExtras, listQuery, toListItem, type CaseList, type ListedRow } from './queries.js';
import { reportCase, toRes, type ReportInput, type ReportResult } from './service.js';
import { findDuplicates } from './duplicates.js';

const HISTORY_LABELS: Record<string, string> = {
  report: '上报', merged_in: '并入重复事件', warn: '黄灯预警', overdue: '超期（红灯）', response_overdue: '超过响应时限', confirm_asked: '询问是否真正解决',
  ...Object.fromEntries(caseProcess.def.transitions.map((t) => [t.action, t.label])),
};

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

async function loadListed(ctx: Ctx, id: number): Promise<ListedRow> {
  const row = await ctx.db
    .selectFrom('cases')
    .innerJoin('case_categories as cat', 'cat.id', 'cases.category_id')
    .innerJoin('regions as r', 'r.id', 'cases.region_id')
    .leftJoin('departments as d', 'd.id', 'cases.department_id')
    .selectAll('cases')
    .select(['cat.name as category_name', 'r.name as region_name', 'd.name as department_name'])
    .where('cases.id', '=', id)
    .where('cases.county_id', '=', ctx.actor.countyId)
    .executeTakeFirst();
  if (!row || !canSee(ctx.actor, toRes(row))) throw new AppError('NOT_FOUND');
  return row;
}

export async function caseDetail(ctx: Ctx, id: number) {
  const r = await loadListed(ctx, id);
  const [extras, history] = await Promise.all([caseDetailExtras(ctx.db, id), readHistory(ctx.db, 'case', id)]);
  return {
    ...toListItem(r),
    description: r.description, sourceRef: r.source_ref, address: r.address, lat: r.lat, lng: r.lng, result: r.result, closeReason: r.close_reason,
    reworkCount: r.rework_count, reopenCount: r.reopen_count, extensionDaysRequested: r.extension_days_requested, suspendedAt: iso(r.suspended_at),
    mergedIntoId: r.merged_into_id, confirmedFixed: r.confirmed_fixed, confirmAskedAt: iso(r.confirm_asked_at), isReporter: isReporter(ctx.actor, toRes(r)),
    ...extras,
    history: history.map((h) => ({ id: h.id, action: h.action, actionLabel: HISTORY_LABELS[h.action] ?? h.action, from: h.from, to: h.to, actorName: h.actorName, comment: h.comment, data: h.data, at: h.at })),
    actions: caseProcess.available(ctx.actor, toRes(r)),
  };
}

export async function caseDuplicates(ctx: Ctx, id: number) {
  const r = await loadListed(ctx, id);
  const found = await findDuplicates(ctx.db, r);
  // Only candidates the caller may see are shown (they are what a handler can merge into).
  const ids = found.map((f) => f.id);
  if (ids.length === 0) return [];
  const rows = await ctx.db.selectFrom('cases').selectAll().where('id', 'in', ids).execute();
  const ok = new Set(rows.filter((x) => canSee(ctx.actor, toRes(x))).map((x) => x.id));
  return found.filter((f) => ok.has(f.id));
}

export interface ListParams {
  list?: CaseList;
  regionId?: number;
  categoryId?: number;
  departmentId?: number;
  state?: string;
  q?: string;
  cursor?: string;
  limit?: number;
}

export async function listCases(ctx: Ctx, p: ListParams) {
  let regionPath: string | undefined;
  if (p.regionId) {
    const reg = await ctx.db.selectFrom('regions').select('path').where('id', '=', p.regionId).where('county_id', '=', ctx.actor.countyId).executeTakeFirst();
    if (!reg) throw new AppError('REGION_NOT_FOUND');
    regionPath = reg.path;
  }
  const limit = p.limit ?? 50;
  const now = new Date();
  const rows = await listQuery(ctx.db, ctx.actor, { list: p.list ?? 'all', regionPath, categoryId: p.categoryId, departmentId: p.departmentId, state: p.state, q: p.q, cursor: decodeCursor(p.cursor), limit }, now).execute();
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map((r) => toListItem(r as ListedRow, now));
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!.id) : null };
}

/**
 * Opinions gathered at a courtyard meeting (院坝会) or on household visits (走访) become cases in
 * one step, all or none, each keeping its source.
 */
export async function casesFromOpinions(ctx: Ctx, source: 'courtyard_meeting' | 'household_visit', sourceRef: string, opinions: ReportInput[]): Promise<ReportResult[]> {
  requirePermission(ctx.actor, 'cases.report');
  if (ctx.actor.kind === 'villager') throw new AppError('FORBIDDEN', { permission: 'cases.report' });
  return inTransaction(ctx, async (tx) => {
    const out: ReportResult[] = [];
    for (const o of opinions) out.push(await reportCase(tx, { ...o, source, sourceRef }));
    return out;
  });
}

