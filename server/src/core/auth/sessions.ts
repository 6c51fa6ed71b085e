/**
 * Server-side sessions in the database (any number of stateless processes can check them).
 * The cookie holds a random token; the table holds only its SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { PREPARED, type Kdb } from '../../db/database.js';
import type { Actor, Grant } from '../actor.js';
import { AppError } from '../errors.js';

export const SESSION_COOKIE = 'xz_sid';
export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
const TOUCH_EVERY_MS = 60 * 1000;

const tokenHash = (t: string) => createHash('sha256').update(t).digest('base64url');

export async function createSession(db: Kdb, userId: number, totpPassed: boolean, ip: string | null, ua: string | null): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('sessions')
    .values({ id: tokenHash(token), user_id: userId, totp_passed: totpPassed, ip, user_agent: ua?.slice(0, 300) ?? null, last_seen_at: new Date() })
    .execute();
  return token;
}

export async function destroySession(db: Kdb, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', tokenHash(token)).execute();
}

export async function markTotpPassed(db: Kdb, token: string): Promise<void> {
  await db.updateTable('sessions').set({ totp_passed: true }).where('id', '=', tokenHash(token)).execute();
}

interface SessionRow {
  sid: string;
  last_seen_at: Date | string;
  totp_passed: boolean;
  id: number;
  username: string;
  display_name: string;
  kind: Actor['kind'];
  county_id: number;
  household_id: number | null;
  resident_id: number | null;
  department_id: number | null;
  status: string;
  grants: Grant[] | string;
}

/**
 * Loads the caller from a session token; throws SESSION_EXPIRED after 30 idle minutes.
 * Session, user and grants come back in one round trip: this runs before every request.
 */
export async function actorFromToken(db: Kdb, token: string, ip: string | null, now = Date.now()): Promise<Actor> {
  // Prepared (PREPARED): every request runs this same text, so PostgreSQL plans it once per
  // connection instead of planning the joins and the grants' subquery each time.
  const s = (await sql<SessionRow>`${sql.raw(PREPARED)}
    SELECT s.id AS sid, s.last_seen_at, s.totp_passed,
      u.id, u.username, u.display_name, u.kind, u.county_id, u.household_id, u.resident_id, u.department_id, u.status,
      coalesce((
        SELECT json_agg(json_build_object('roleKey', r.key, 'regionId', g.region_id, 'regionPath', rg.path,
                                          'regionLevel', rg.level, 'permissions', r.permissions) ORDER BY g.id)
        FROM user_grants g JOIN roles r ON r.id = g.role_id JOIN regions rg ON rg.id = g.region_id
        WHERE g.user_id = u.id), '[]'::json) AS grants
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = ${tokenHash(token)}::text`.execute(db)).rows[0];
  if (!s || s.status !== 'active') throw new AppError('UNAUTHENTICATED');
  const idle = now - new Date(s.last_seen_at).getTime();
  if (idle > IDLE_TIMEOUT_MS) {
    await db.deleteFrom('sessions').where('id', '=', s.sid).execute();
    throw new AppError('SESSION_EXPIRED');
  }
  if (idle > TOUCH_EVERY_MS) {
    await db.updateTable('sessions').set({ last_seen_at: new Date(now) }).where('id', '=', s.sid).execute();
  }
  return {
    userId: s.id,
    username: s.username,
    displayName: s.display_name,
    kind: s.kind,
    countyId: s.county_id,
    householdId: s.household_id,
    residentId: s.resident_id,
    departmentId: s.department_id,
    grants: typeof s.grants === 'string' ? (JSON.parse(s.grants) as Grant[]) : s.grants,
    totpPassed: s.totp_passed,
    ip,
  };
}

export async function loadGrants(db: Kdb, userId: number): Promise<Grant[]> {
  const rows = await db
    .selectFrom('user_grants')
    .innerJoin('roles', 'roles.id', 'user_grants.role_id')
    .innerJoin('regions', 'regions.id', 'user_grants.region_id')
    .select(['roles.key', 'roles.permissions', 'user_grants.region_id', 'regions.path', 'regions.level'])
    .where('user_grants.user_id', '=', userId)
    .execute();
  return rows.map((r) => ({
    roleKey: r.key,
    regionId: r.region_id,
    regionPath: r.path,
    regionLevel: r.level,
    permissions: r.permissions,
  }));
}

export async function purgeIdleSessions(db: Kdb): Promise<number> {
  const r = await db
    .deleteFrom('sessions')
    .where('last_seen_at', '<', sql<Date>`now() - interval '30 minutes'`)
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
