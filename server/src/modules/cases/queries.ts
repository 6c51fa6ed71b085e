/**
 * Case lists and the case view. Kysely only, every query scoped: the region scope for
 * 'cases.read', the caller's department for dispatched cases, the caller's own reports.
 */
import { sql, type Expression, type SqlBool, type ExpressionBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { DB } from '../../db/types.js';
import { escapeLike, hasPermission, inScope, pathsWith, type Actor } from '../../core/actor.js';
import { CASE_STATES, LEVEL_LABELS } from './process.js';
import type { CaseRow } from './service.js';

export type CaseList = 'inbox' | 'problem' | 'assigned' | 'closed' | 'supervision' | 'mine' | 'all';

/** The states in which a case is open (its clock runs, except while suspended). */
export const OPEN = ['pending', 'handling', 'suspended'] as const;

type EB = ExpressionBuilder<DB, 'cases'>;

/** What the caller may read: region scope ∪ their department's cases ∪ their own reports. */
export function visible(eb: EB, actor: Actor): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [inScope(actor, 'cases.read', 'cases.region_path'), eb('cases.reporter_user_id', '=', actor.userId)];
  if (actor.departmentId && hasPermission(actor, 'cases.handle')) ors.push(eb('cases.department_id', '=', actor.departmentId));
  return eb.or(ors);
}

/** Cases waiting at the caller's own unit (their grants at the right level, or their department). */
export function inbox(eb: EB, actor: Actor): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [];
  const byLevel = (levels: string[]) => actor.grants.filter((g) => g.permissions.includes('cases.handle') && levels.includes(g.regionLevel)).map((g) => g.regionPath);
  const villagePaths = byLevel(['village', 'group']);
  const townPaths = byLevel(['township']);
  const like = (paths: string[]) => sql<SqlBool>`(${sql.join(paths.map((p) => sql`cases.region_path LIKE ${escapeLike(p) + '%'}`), sql` OR `)})`;
  if (villagePaths.length) ors.push(eb.and([eb('cases.level', '=', 'village'), like(villagePaths)]));
  if (townPaths.length) ors.push(eb.and([eb('cases.level', '=', 'township'), like(townPaths)]));
  if (actor.departmentId && hasPermission(actor, 'cases.handle')) ors.push(eb.and([eb('cases.level', '=', 'department'), eb('cases.department_id', '=', actor.departmentId)]));
  if (ors.length === 0) return sql<SqlBool>`false`;
  return eb.and([eb('cases.state', 'in', [...OPEN]), eb.or(ors)]);
}

export interface ListFilter {
  list: CaseList;
  regionPath?: string;
  categoryId?: number;
  state?: string;
  departmentId?: number;
  q?: string;
  cursor: number | null;
  limit: number;
}

export function listQuery(db: Kdb, actor: Actor, f: ListFilter, now = new Date()) {
  let q = db
    .selectFrom('cases')
    .innerJoin('case_categories as cat', 'cat.id', 'cases.category_id')
    .innerJoin('regions as r', 'r.id', 'cases.region_id')
    .leftJoin('departments as d', 'd.id', 'cases.department_id')
    .selectAll('cases')
    .select(['cat.name as category_name', 'r.name as region_name', 'd.name as department_name'])
    .where('cases.county_id', '=', actor.countyId);
  switch (f.list) {
    case 'inbox':
      q = q.where((eb) => inbox(eb, actor));
      break;
    case 'mine':
      q = q.where('cases.reporter_user_id', '=', actor.userId);
      break;
    case 'problem': // 问题清单: everything still open
      q = q.where((eb) => visible(eb, actor)).where('cases.state', 'in', ['pending', 'handling', 'suspended', 'resolved']);
      break;
    case 'assigned': // 交办清单: dispatched to departments
      q = q.where((eb) => visible(eb, actor)).where('cases.dispatched_at', 'is not', null).where('cases.state', '<>', 'merged');
      break;
    case 'closed': // 销号清单
      q = q.where((eb) => visible(eb, actor)).where('cases.state', '=', 'closed');
      break;
    case 'supervision': // 督办: overdue or due within a day, or under a supervision notice
      q = q
        .where((eb) => visible(eb, actor))
        .where('cases.state', 'in', [...OPEN])
        .where((eb) => eb.or([eb('cases.due_at', '<', new Date(now.getTime() + 86_400_000)), eb('cases.supervised_at', 'is not', null)]));
      break;
    default:
      q = q.where((eb) => visible(eb, actor));
  }
  if (f.regionPath) q = q.where('cases.region_path', 'like', escapeLike(f.regionPath) + '%');
  if (f.categoryId) q = q.where((eb) => eb.or([eb('cases.category_id', '=', f.categoryId!), eb('cat.parent_id', '=', f.categoryId!)]));
  if (f.state) q = q.where('cases.state', '=', f.state as CaseRow['state']);
  if (f.departmentId) q = q.where('cases.department_id', '=', f.departmentId);
  if (f.q) q = q.where((eb) => eb.or([eb('cases.title', 'like', `%${escapeLike(f.q!)}%`), eb('cases.code', '=', f.q!)]));
  if (f.cursor) q = q.where('cases.id', '<', f.cursor);
  return q.orderBy('cases.id', 'desc').limit(f.limit + 1);
}

export type ListedRow = CaseRow & { category_name: string; region_name: string; department_name: string | null };

/** Green / yellow / red as of now (the stored warn_level only records what was announced). */
export function lightOf(c: Pick<CaseRow, 'state' | 'due_at'>, now = new Date()): 'green' | 'yellow' | 'red' | null {
  if (!OPEN.includes(c.state as (typeof OPEN)[number]) || !c.due_at) return null;
  if (c.state === 'suspended') return 'green';
  const due = new Date(c.due_at).getTime();
  if (due < now.getTime()) return 'red';
  if (due - now.getTime() < 86_400_000) return 'yellow';
  return 'green';
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toListItem(r: ListedRow, now = new Date()) {
  return {
    id: r.id, code: r.code, title: r.title, state: r.state, stateLabel: CASE_STATES[r.state], level: r.level, levelLabel: LEVEL_LABELS[r.level],
    categoryId: r.category_id, categoryName: r.category_name, regionId: r.region_id, regionName: r.region_name, gridId: r.grid_id,
    departmentId: r.department_id, departmentName: r.department_name, reporterName: r.reporter_name, source: r.source,
    createdAt: iso(r.created_at)!, responseDueAt: iso(r.response_due_at), dueAt: iso(r.due_at), resolvedAt: iso(r.resolved_at), closedAt: iso(r.closed_at),
    rating: r.rating, light: lightOf(r, now), supervised: !!r.supervised_at,
  };
}

export async function caseDetailExtras(db: Kdb, id: number) {
  const [photos, supervisions] = await Promise.all([
    db.selectFrom('case_photos').select(['id', 'purpose', 'width', 'height']).where('case_id', '=', id).orderBy('id').execute(),
    db.selectFrom('case_supervisions').select(['id', 'issuer_name', 'notice', 'reply_by', 'created_at']).where('case_id', '=', id).orderBy('id').execute(),
  ]);
  return {
    photos: photos.map((p) => ({ id: p.id, purpose: p.purpose, width: p.width, height: p.height, url: `/api/v1/cases/photos/${p.id}` })),
    supervisions: supervisions.map((s) => ({ id: s.id, issuerName: s.issuer_name, notice: s.notice, replyBy: iso(s.reply_by), createdAt: iso(s.created_at)! })),
  };
}

export function pathsFor(actor: Actor, permission: string) {
  return pathsWith(actor, permission);
}
