/**
 * Who is calling, and where. Every staff grant is a role on a region node and covers its subtree;
 * a villager sees their own household only. All scoping goes through the helpers here.
 */
import { sql, type Expression, type SqlBool } from 'kysely';
import { AppError } from './errors.js';

export interface Grant {
  roleKey: string;
  regionId: number;
  regionPath: string;
  regionLevel: string;
  permissions: string[];
}

export interface Actor {
  userId: number;
  username: string;
  displayName: string;
  kind: 'staff' | 'villager';
  countyId: number;
  householdId: number | null;
  residentId: number | null;
  departmentId: number | null;
  grants: Grant[];
  totpPassed: boolean;
  ip: string | null;
}

/** Region paths on which the actor holds `permission`, minimal (no path nested in another). */
export function pathsWith(actor: Actor, permission: string): string[] {
  const paths = actor.grants.filter((g) => g.permissions.includes(permission)).map((g) => g.regionPath);
  paths.sort((a, b) => a.length - b.length);
  const out: string[] = [];
  for (const p of paths) if (!out.some((o) => p.startsWith(o))) out.push(p);
  return out;
}

export function hasPermission(actor: Actor, permission: string): boolean {
  return actor.grants.some((g) => g.permissions.includes(permission));
}

export function requirePermission(actor: Actor, permission: string): void {
  if (!hasPermission(actor, permission)) throw new AppError('FORBIDDEN', { permission });
}

/** Does the actor hold `permission` on the node at `path` (i.e. on it or an ancestor)? */
export function covers(actor: Actor, permission: string, path: string): boolean {
  return pathsWith(actor, permission).some((p) => path.startsWith(p));
}

/**
 * The one scope predicate: `column LIKE '/1/25/%' OR …` over the actor's grant paths for
 * `permission`. No grant → FALSE, so an unscoped query returns nothing rather than everything.
 * `column` must be a region path column (text_pattern_ops indexed).
 */
export function inScope(actor: Actor, permission: string, column: string): Expression<SqlBool> {
  const paths = pathsWith(actor, permission);
  if (paths.length === 0) return sql<SqlBool>`false`;
  const ors = paths.map((p) => sql`${sql.ref(column)} LIKE ${escapeLike(p) + '%'}`);
  return sql<SqlBool>`(${sql.join(ors, sql` OR `)})`;
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => '\\' + c);
}

/** Throws NOT_FOUND (never FORBIDDEN) for an out-of-scope row, so ids don't leak existence. */
export function assertCovers(actor: Actor, permission: string, path: string | null | undefined): void {
  if (!path || !covers(actor, permission, path)) throw new AppError('NOT_FOUND');
}
