/** Kysely only. The manageable-account predicate mirrors policy.canManageAccount in SQL. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { escapeLike } from '../../core/actor.js';

export interface AccountFilter {
  /** inScope(actor, 'accounts.manage', column) for a given column. */
  scopeOn: (column: string) => Expression<SqlBool>;
  coversCounty: boolean;
  prefix: string | null;
  q?: string;
  kind?: 'staff' | 'villager';
  status?: 'active' | 'disabled';
}

const userColumns = [
  'u.id', 'u.username', 'u.display_name', 'u.kind', 'u.status', 'u.locked_until', 'u.totp_enabled', 'u.last_login_at',
  'u.household_id', 'u.department_id',
] as const;

export async function listAccounts(db: Kdb, countyId: number, f: AccountFilter, after: number | null, limit: number) {
  let q = db.selectFrom('users as u').select(userColumns).where('u.county_id', '=', countyId);
  // Every grant inside the caller's scope …
  q = q.where(({ not, exists, selectFrom }) =>
    not(exists(selectFrom('user_grants as g').select('g.id').whereRef('g.user_id', '=', 'u.id').where(sql<SqlBool>`not ${f.scopeOn('g.region_path')}`))));
  // … the household too …
  q = q.where((eb) => eb.or([
    eb('u.household_id', 'is', null),
    eb.exists(eb.selectFrom('households as h').select('h.id').whereRef('h.id', '=', 'u.household_id').where(f.scopeOn('h.region_path'))),
  ]));
  // … and an account that reaches nowhere is the county's.
  if (!f.coversCounty) {
    q = q.where((eb) => eb.or([
      eb('u.household_id', 'is not', null),
      eb.exists(eb.selectFrom('user_grants as g2').select('g2.id').whereRef('g2.user_id', '=', 'u.id')),
    ]));
  }
  if (f.prefix) {
    const like = escapeLike(f.prefix) + '%';
    q = q.where((eb) => eb.or([
      eb.exists(eb.selectFrom('user_grants as g3').select('g3.id').whereRef('g3.user_id', '=', 'u.id').where('g3.region_path', 'like', like)),
      eb.exists(eb.selectFrom('households as h3').select('h3.id').whereRef('h3.id', '=', 'u.household_id').where('h3.region_path', 'like', like)),
    ]));
  }
  if (f.q) {
    const like = '%' + escapeLike(f.q) + '%';
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'like', like)]));
  }
  if (f.kind) q = q.where('u.kind', '=', f.kind);
  if (f.status) q = q.where('u.status', '=', f.status);
  if (after != null) q = q.where('u.id', '>', after);
  return q.orderBy('u.id').limit(limit + 1).execute();
}

export function userById(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('users as u').select(userColumns).where('u.county_id', '=', countyId).where('u.id', '=', id).executeTakeFirst();
}
export type UserRow = NonNullable<Awaited<ReturnType<typeof userById>>>;

export function grantsOf(db: Kdb, userIds: number[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('user_grants as g')
    .innerJoin('roles as r', 'r.id', 'g.role_id')
    .innerJoin('regions as reg', 'reg.id', 'g.region_id')
    .select([
      'g.id', 'g.user_id', 'r.key as roleKey', 'r.name as roleName', 'r.permissions', 'g.region_id as regionId',
      'reg.name as regionName', 'reg.level as regionLevel', 'g.region_path',
    ])
    .where('g.user_id', 'in', userIds)
    .orderBy('g.id')
    .execute();
}
export type GrantRow = Awaited<ReturnType<typeof grantsOf>>[number];

export function householdPath(db: Kdb, countyId: number, householdId: number) {
  return db.selectFrom('households').select(['id', 'region_path']).where('id', '=', householdId).where('county_id', '=', countyId).executeTakeFirst();
}

export function roleByKey(db: Kdb, key: string) {
  return db.selectFrom('roles').select(['id', 'key', 'name', 'permissions', 'requires_totp']).where('key', '=', key).executeTakeFirst();
}

export function allRoles(db: Kdb) {
  return db.selectFrom('roles').select(['id', 'key', 'name', 'permissions', 'requires_totp']).orderBy('id').execute();
}

export function departmentExists(db: Kdb, countyId: number, id: number) {
  return db.selectFrom('departments').select('id').where('id', '=', id).where('county_id', '=', countyId).executeTakeFirst();
}
