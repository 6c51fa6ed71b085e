/** Party fixtures on top of buildWorld(): orgs, members and links written straight to the tables. */
import type { Kdb } from '../../../db/database.js';
import type { World } from '../../../testing/world.js';

type Place = { id: number; path: string };

export async function buildOrg(db: Kdb, world: World, place: Place, name = '党支部', kind: 'committee' | 'general_branch' | 'branch' | 'group' = 'branch', parentId: number | null = null) {
  const r = await db
    .insertInto('party_orgs')
    .values({ county_id: world.countyId, region_id: place.id, region_path: place.path, kind, name, parent_id: parentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function buildMember(db: Kdb, world: World, orgId: number, opts: { name?: string; path?: string; residentId?: number; linkQuota?: number; status?: 'active' | 'away' | 'transferred' } = {}) {
  const org = await db.selectFrom('party_orgs').select('region_path').where('id', '=', orgId).executeTakeFirstOrThrow();
  const r = await db
    .insertInto('party_members')
    .values({
      county_id: world.countyId, org_id: orgId, region_path: opts.path ?? org.region_path, resident_id: opts.residentId ?? null,
      name: opts.name ?? '党员', link_quota: opts.linkQuota ?? 5, status: opts.status ?? 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function buildLink(db: Kdb, world: World, memberId: number, householdId: number) {
  const h = await db.selectFrom('households').select('region_path').where('id', '=', householdId).executeTakeFirstOrThrow();
  const r = await db
    .insertInto('member_household_links')
    .values({ county_id: world.countyId, member_id: memberId, household_id: householdId, region_path: h.region_path })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** The householder resident of a world household. */
export async function householderOf(db: Kdb, householdId: number) {
  return db.selectFrom('residents').select(['id', 'name']).where('household_id', '=', householdId).where('relation', '=', '户主').executeTakeFirstOrThrow();
}
