/**
 * What the module benches share: a fresh bench database on the PostgreSQL server, a county of
 * 洞口's shape (24 townships, 364 villages), and an actor holding one built-in role on a place —
 * the caller as the application would see it after login, without going through HTTP.
 */
import pg from 'pg';
import type {} from '../../server/src/app.js';
import { openPostgres, type Database } from '../../server/src/db/database.js';
import { builtinRoles } from '../../server/src/core/permissions.js';
import type { Actor } from '../../server/src/core/actor.js';
import { insertRegion } from '../../server/src/modules/regions/tree.js';

export interface Place { id: number; path: string }

/** Drops and creates database `name` on the server of `adminUrl`; its connection string. */
export async function freshDatabaseUrl(adminUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = '/' + name;
  return u.toString();
}

/** A fresh database `name` (dropped and created) with a pool of `poolSize` on it. */
export async function freshBenchDatabase(adminUrl: string, name: string, poolSize: number): Promise<Database> {
  return openPostgres(await freshDatabaseUrl(adminUrl, name), poolSize);
}

/** 洞口县's shape: 24 townships, 4 × 16 + 20 × 15 = 364 villages, with statistical codes. */
export async function buildRegions(db: Database['db']): Promise<{ county: Place; townships: Place[]; villages: Place[] }> {
  const county = await insertRegion(db, { parentId: null, level: 'county', code: '430525000000', name: '洞口县' });
  const townships: Place[] = [];
  const villages: Place[] = [];
  for (let t = 0; t < 24; t++) {
    const tt = String(t).padStart(2, '0');
    const town = await insertRegion(db, { parentId: county.id, level: 'township', code: `4305251${tt}000`, name: `第${t + 1}镇` });
    townships.push(town);
    for (let v = 0; v < (t < 4 ? 16 : 15); v++) {
      villages.push(await insertRegion(db, { parentId: town.id, level: 'village', code: `4305251${tt}2${String(v).padStart(2, '0')}`, name: `第${t + 1}镇${v + 1}村` }));
    }
  }
  return { county, townships, villages };
}

/** A staff actor holding the built-in role `roleKey` on `place` (a villager with `extra.kind`). */
export function benchActor(countyId: number, userId: number, roleKey: string, place: Place, level: string, extra: Partial<Actor> = {}): Actor {
  const role = builtinRoles.find((r) => r.key === roleKey)!;
  return {
    userId, username: roleKey, displayName: '压测', kind: 'staff', countyId, householdId: null, residentId: null, departmentId: null,
    grants: [{ roleKey, regionId: place.id, regionPath: place.path, regionLevel: level, permissions: role.permissions }], totpPassed: true, ip: null,
    ...extra,
  };
}
