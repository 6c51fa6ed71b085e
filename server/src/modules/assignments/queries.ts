/** Kysely only, scoped by the caller's predicate. */
import { type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { under } from '../party/queries.js';

function rows(db: Kdb, countyId: number) {
  return db
    .selectFrom('patron_assignments as a')
    .leftJoin('regions as r', 'r.id', 'a.target_region_id')
    .leftJoin('households as h', 'h.id', 'a.target_household_id')
    .select([
      'a.id', 'a.level', 'a.patron_name', 'a.patron_title', 'a.patron_user_id', 'a.patron_member_id', 'a.target_region_id',
      'a.target_household_id', 'a.region_path', 'a.starts_on', 'a.ends_on', 'r.name as regionName', 'r.code as regionCode',
      'h.householder_name as householderName', 'h.code as householdCode',
    ])
    .where('a.county_id', '=', countyId);
}
export type Row = Awaited<ReturnType<ReturnType<typeof rows>['executeTakeFirstOrThrow']>>;

export interface Filter {
  scope: Expression<SqlBool>;
  prefix: string | null;
  level?: string;
  patronUserId?: number;
  patronMemberId?: number;
  status: 'active' | 'ended' | 'all';
}

export function list(db: Kdb, countyId: number, f: Filter, after: number | null, limit: number) {
  let q = rows(db, countyId).where(f.scope).where(under('a.region_path', f.prefix));
  if (f.level) q = q.where('a.level', '=', f.level as 'county_township');
  if (f.patronUserId) q = q.where('a.patron_user_id', '=', f.patronUserId);
  if (f.patronMemberId) q = q.where('a.patron_member_id', '=', f.patronMemberId);
  if (f.status === 'active') q = q.where('a.ends_on', 'is', null);
  if (f.status === 'ended') q = q.where('a.ends_on', 'is not', null);
  if (after != null) q = q.where('a.id', '>', after);
  return q.orderBy('a.id').limit(limit + 1).execute();
}

export function byId(db: Kdb, countyId: number, id: number) {
  return rows(db, countyId).where('a.id', '=', id).executeTakeFirst();
}

export function userGrantPaths(db: Kdb, countyId: number, userId: number) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_grants as g', 'g.user_id', 'u.id')
    .select(['u.display_name', 'g.region_path'])
    .where('u.id', '=', userId)
    .where('u.county_id', '=', countyId)
    .where('u.kind', '=', 'staff')
    .where('u.status', '=', 'active')
    .execute();
}

export function household(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('households').select(['id', 'region_path', 'status']).where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
}

export function member(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('party_members').select(['id', 'name', 'region_path', 'status']).where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
}

