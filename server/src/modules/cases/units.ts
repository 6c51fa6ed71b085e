/** Who stands behind a level: the people to notify when a case arrives, warns or runs over. */
import { sql, type RawBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { HandlingLevel } from '../../db/types.js';

/** '/1/25/301/4410/' → the first `depth` ids as a path ('/1/25/' for depth 2). */
export function pathPrefix(path: string, depth: number): string {
  const ids = path.split('/').filter(Boolean).slice(0, depth);
  return '/' + ids.join('/') + '/';
}
export const townshipPathOf = (p: string) => pathPrefix(p, 2);
export const villagePathOf = (p: string) => pathPrefix(p, 3);
export const countyPathOf = (p: string) => pathPrefix(p, 1);

async function grantHolders(db: Kdb, regionPaths: string[], permission: string): Promise<number[]> {
  if (regionPaths.length === 0) return [];
  const rows = await db
    .selectFrom('user_grants')
    .innerJoin('roles', 'roles.id', 'user_grants.role_id')
    .innerJoin('users', 'users.id', 'user_grants.user_id')
    .select('user_grants.user_id')
    .distinct()
    .where('user_grants.region_path', 'in', regionPaths)
    .where(sql<boolean>`${permission} = ANY(roles.permissions)`)
    .where('users.status', '=', 'active')
    .execute();
  return rows.map((r) => r.user_id);
}

export interface UnitCase {
  region_path: string;
  level: HandlingLevel;
  department_id: number | null;
}

/** The handlers of the unit that holds the case now. */
export async function unitUserIds(db: Kdb, c: UnitCase): Promise<number[]> {
  if (c.level === 'department') {
    if (!c.department_id) return [];
    const rows = await db.selectFrom('users').select('id').where('department_id', '=', c.department_id).where('status', '=', 'active').execute();
    return rows.map((r) => r.id);
  }
  const path = c.level === 'village' ? villagePathOf(c.region_path) : townshipPathOf(c.region_path);
  return grantHolders(db, [path], 'cases.handle');
}

/** The level above the current handler (supervisors of the township and the county). */
export async function aboveUserIds(db: Kdb, c: UnitCase): Promise<number[]> {
  const paths = c.level === 'township' ? [countyPathOf(c.region_path)] : [townshipPathOf(c.region_path), countyPathOf(c.region_path)];
  return grantHolders(db, paths, 'cases.supervise');
}

/**
 * unitUserIds() as a SELECT of `user_id`, for a statement that notifies the unit without first
 * fetching the ids (the report path). Same rule: the active grant holders with 'cases.handle' at
 * the village or township path, or the active staff of the department.
 */
export function unitUsersSql(c: UnitCase): RawBuilder<unknown> {
  if (c.level === 'department') {
    return sql`SELECT id AS user_id FROM users WHERE department_id = ${c.department_id ?? 0}::int8 AND status = 'active'`;
  }
  const path = c.level === 'village' ? villagePathOf(c.region_path) : townshipPathOf(c.region_path);
  return sql`SELECT ug.user_id FROM user_grants ug JOIN roles ro ON ro.id = ug.role_id JOIN users u ON u.id = ug.user_id
    WHERE ug.region_path = ${path}::text AND ${'cases.handle'}::text = ANY(ro.permissions) AND u.status = 'active'`;
}
