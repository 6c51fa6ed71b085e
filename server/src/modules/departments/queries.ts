/** Kysely only. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { escapeLike } from '../../core/actor.js';

const villageCount = sql<number>`(select count(*) from department_villages dv where dv.department_id = d.id)`;

function rows(db: Kdb, countyId: number) {
  return db.selectFrom('departments as d').select(['d.id', 'd.code', 'd.name', 'd.phone', villageCount.as('villageCount')]).where('d.county_id', '=', countyId);
}

export function list(db: Kdb, countyId: number, f: { q?: string; prefix: string | null }, after: number | null, limit: number) {
  let q = rows(db, countyId);
  if (f.q) {
    const like = '%' + escapeLike(f.q) + '%';
    q = q.where((eb) => eb.or([eb('d.name', 'like', like), eb('d.code', 'ilike', like)]));
  }
  if (f.prefix) {
    const prefix = escapeLike(f.prefix) + '%';
    q = q.where(({ exists, selectFrom }) => exists(
      selectFrom('department_villages as dv').innerJoin('regions as r', 'r.id', 'dv.region_id').select('dv.region_id')
        .whereRef('dv.department_id', '=', 'd.id').where('r.path', 'like', prefix),
    ));
  }
  if (after != null) q = q.where('d.id', '>', after);
  return q.orderBy('d.id').limit(limit + 1).execute();
}

export function byId(db: Kdb, countyId: number, id: number) {
  return rows(db, countyId).where('d.id', '=', id).executeTakeFirst();
}

export function villagesOf(db: Kdb, departmentId: number, scope: Expression<SqlBool>) {
  return db
    .selectFrom('department_villages as dv')
    .innerJoin('regions as r', 'r.id', 'dv.region_id')
    .innerJoin('regions as t', 't.id', 'r.parent_id')
    .select(['r.id', 'r.code', 'r.name', 't.name as townshipName'])
    .where('dv.department_id', '=', departmentId)
    .where(scope)
    .orderBy('r.code')
    .execute();
}

export function villageIds(db: Kdb, departmentId: number) {
  return db.selectFrom('department_villages').select('region_id').where('department_id', '=', departmentId).orderBy('region_id').execute();
}

export function regionsByIds(db: Kdb, countyId: number, ids: number[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('regions').select(['id', 'level']).where('county_id', '=', countyId).where('id', 'in', ids).execute();
}

export async function clash(db: Kdb, countyId: number, code: string | undefined, name: string | undefined, exceptId: number | null) {
  if (!code && !name) return undefined;
  let q = db.selectFrom('departments').select(['id', 'code', 'name']).where('county_id', '=', countyId);
  q = q.where((eb) => eb.or([...(code ? [eb('code', '=', code)] : []), ...(name ? [eb('name', '=', name)] : [])]));
  if (exceptId) q = q.where('id', '<>', exceptId);
  return q.executeTakeFirst();
}
