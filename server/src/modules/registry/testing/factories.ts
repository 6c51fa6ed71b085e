/**
 * Registry factories for this and other modules' tests, on top of buildWorld(): extra grids,
 * households and residents at a chosen place, valid unique ID numbers and phones, row counts.
 */
import type { Kdb } from '../../../db/database.js';
import { makeIdNumber, sealIdNumber, sealPhone } from '../../../core/pii.js';
import { buildHousehold as worldHousehold, type World } from '../../../testing/world.js';

let seq = 5000;

/** A valid, never-before-used ID number (GB 11643 check digit) for a person born on `birthDate`. */
export function freshIdNumber(birthDate = '1985-06-15', gender: 'M' | 'F' = 'M'): string {
  seq += 2; // makeIdNumber may bump the sequence by one to fit the gender digit

  return makeIdNumber('430525', birthDate, seq, gender);
}

/** A valid mobile number, unique per call. */
export function freshPhone(): string {
  seq++;
  return `1390000${String(seq).slice(-4).padStart(4, '0')}`;
}

type Place = { id: number; path: string };

export async function buildGrid(db: Kdb, world: World, region: Place, opts: { level?: 'level1' | 'level2' | 'micro'; code?: string; parentId?: number } = {}) {
  seq++;
  const row = await db
    .insertInto('grids')
    .values({
      county_id: world.countyId, region_id: region.id, region_path: region.path, level: opts.level ?? 'level2',
      code: opts.code ?? `T-${seq}`, name: `测试网格${seq}`, parent_id: opts.parentId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A household with `members` residents (the first is the householder), like buildWorld's. */
export async function buildHousehold(db: Kdb, world: World, group: Place, opts: { gridId?: number | null; name?: string; members?: number } = {}) {
  return worldHousehold(db, world.countyId, group, opts.gridId ?? null, opts.name ?? '测试户', opts.members ?? 2);
}

export async function buildResident(db: Kdb, world: World, householdId: number, opts: { name?: string; idNumber?: string; phone?: string | null } = {}) {
  const h = await db.selectFrom('households').select(['region_path']).where('id', '=', householdId).executeTakeFirstOrThrow();
  const id = opts.idNumber ?? freshIdNumber();
  const row = await db
    .insertInto('residents')
    .values({
      county_id: world.countyId, household_id: householdId, region_path: h.region_path, name: opts.name ?? '测试居民',
      gender: Number(id[16]) % 2 ? 'M' : 'F', birth_date: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
      relation: '子女', ...sealIdNumber(id), ...sealPhone(opts.phone ?? null),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, idNumber: id };
}

const TABLES = ['regions', 'grids', 'grid_staff', 'households', 'residents', 'audit_log'] as const;
export type CountedTable = (typeof TABLES)[number];

/** Row counts of the registry tables: compare before/after to prove a refused write wrote nothing. */
export async function rowCounts(db: Kdb): Promise<Record<CountedTable, number>> {
  const out = {} as Record<CountedTable, number>;
  for (const t of TABLES) {
    const r = await db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** The first resident (the householder) of a household. */
export async function householderOf(db: Kdb, householdId: number) {
  return db.selectFrom('residents').select(['id', 'version', 'region_path']).where('household_id', '=', householdId).orderBy('id').executeTakeFirstOrThrow();
}
