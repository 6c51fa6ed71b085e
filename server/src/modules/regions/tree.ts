/** Writing region nodes: the materialised path is computed here and nowhere else. */
import type { Kdb } from '../../db/database.js';

export interface RegionInput {
  parentId: number | null;
  level: 'county' | 'township' | 'village' | 'group';
  code: string;
  name: string;
  kind?: string | null;
  centerLat?: number | null;
  centerLng?: number | null;
  sort?: number;
}

/** Inserts one node and fills path/county_id. Returns the new row's id and path. */
export async function insertRegion(db: Kdb, r: RegionInput): Promise<{ id: number; path: string; countyId: number }> {
  const parent = r.parentId
    ? await db.selectFrom('regions').select(['path', 'county_id', 'id']).where('id', '=', r.parentId).executeTakeFirstOrThrow()
    : null;
  const row = await db
    .insertInto('regions')
    .values({
      parent_id: r.parentId,
      level: r.level,
      code: r.code,
      name: r.name,
      kind: r.kind ?? null,
      path: 'pending',
      county_id: parent ? parent.county_id : null,
      center_lat: r.centerLat ?? null,
      center_lng: r.centerLng ?? null,
      sort: r.sort ?? 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const path = `${parent ? parent.path : '/'}${row.id}/`;
  const countyId = parent ? parent.county_id! : row.id;
  await db.updateTable('regions').set({ path, county_id: countyId }).where('id', '=', row.id).execute();
  return { id: row.id, path, countyId };
}
