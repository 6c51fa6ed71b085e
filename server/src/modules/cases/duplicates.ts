/**
 * Likely duplicates: the same category, within 200 m (or the same grid when either report has no
 * location), reported within 7 days of each other, with similar text. A handler merges them.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { CasesTable } from '../../db/types.js';
import type { Selectable } from 'kysely';
import { similarityTo } from './text.js';

export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_WINDOW_DAYS = 7;
export const DUPLICATE_MIN_SIMILARITY = 0.25;

export interface DuplicateCandidate {
  id: number;
  code: string;
  title: string;
  state: string;
  distanceM: number | null;
  similarity: number;
  createdAt: string;
}

export function distanceM(lat1: number, lng1: number, lat2: number, lng2: number): number {
  const R = 6_371_000;
  const toRad = (d: number) => (d * Math.PI) / 180;
  const dLat = toRad(lat2 - lat1);
  const dLng = toRad(lng2 - lng1);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

type C = Pick<Selectable<CasesTable>, 'id' | 'county_id' | 'category_id' | 'created_at' | 'lat' | 'lng' | 'grid_id' | 'region_path' | 'title' | 'description'>;

export async function findDuplicates(db: Kdb, c: C): Promise<DuplicateCandidate[]> {
  const at = new Date(c.created_at).getTime();
  const win = DUPLICATE_WINDOW_DAYS * 86_400_000;
  let q = db
    .selectFrom('cases')
    .select(['id', 'code', 'title', 'description', 'state', 'lat', 'lng', 'created_at'])
    .where('county_id', '=', c.county_id)
    .where('category_id', '=', c.category_id)
    .where('created_at', '>=', new Date(at - win))
    .where('created_at', '<=', new Date(at + win))
    .where('id', '<>', c.id)
    .where('state', 'not in', ['merged']);
  if (c.lat != null && c.lng != null) {
    // A bounding box on the index-friendly columns first, the exact distance below.
    const dLat = DUPLICATE_RADIUS_M / 111_000;
    const dLng = dLat / Math.max(0.2, Math.cos((c.lat * Math.PI) / 180));
    q = q.where((eb) => eb.or([
      eb.and([eb('lat', '>=', c.lat! - dLat), eb('lat', '<=', c.lat! + dLat), eb('lng', '>=', c.lng! - dLng), eb('lng', '<=', c.lng! + dLng)]),
      eb.and([eb('lat', 'is', null), c.grid_id ? eb('grid_id', '=', c.grid_id) : sql<boolean>`false`]),
    ]));
  } else if (c.grid_id) {
    q = q.where('grid_id', '=', c.grid_id);
  } else {
    q = q.where('region_path', '=', c.region_path);
  }
  const rows = await q.orderBy('created_at', 'desc').limit(50).execute();
  const similarity = similarityTo(`${c.title} ${c.description}`);
  const out: DuplicateCandidate[] = [];
  for (const r of rows) {
    const d = c.lat != null && c.lng != null && r.lat != null && r.lng != null ? distanceM(c.lat, c.lng, r.lat, r.lng) : null;
    if (d != null && d > DUPLICATE_RADIUS_M) continue;
    const sim = similarity(`${r.title} ${r.description}`);
    if (sim < DUPLICATE_MIN_SIMILARITY) continue;
    out.push({ id: r.id, code: r.code, title: r.title, state: r.state, distanceM: d == null ? null : Math.round(d), similarity: Math.round(sim * 100) / 100, createdAt: new Date(r.created_at).toISOString() });
  }
  return out.sort((a, b) => b.similarity - a.similarity).slice(0, 10);
}
