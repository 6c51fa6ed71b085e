/**
 * Likely duplicates: the same category, within 200 m (or the same grid when either report has no
 * location), reported within 7 days of each other, with similar text. A handler merges them.
 *
 * The search is split in two: an indexed SQL query for the candidates (category, place, time
 * window) and the text similarity in JS. The report statement embeds the same query (so a new
 * report learns its duplicates in the round trip that writes it); the duplicates view runs it alone.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { CasesTable } from '../../db/types.js';
import type { Selectable } from 'kysely';
import { similarityTo } from './text.js';

export const DUPLICATE_RADIUS_M = 200;
export const DUPLICATE_WINDOW_DAYS = 7;
export const DUPLICATE_MIN_SIMILARITY = 0.25;
/**
 * Latitude bands of 1/550° (≈ 202 m) index located cases (cases_dup_geo_idx, migration 0013): a
 * 200 m radius lies within the band of the report and its two neighbours, so the search reads
 * the few cases of the category in those three bands, not every case of the category that week.
 */
export const LAT_BANDS_PER_DEGREE = 550;
const latBand = sql<number>`floor(lat * 550)`;

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

/** What the search needs to know about the report it looks around. */
export type DuplicateProbe = Pick<Selectable<CasesTable>, 'county_id' | 'category_id' | 'lat' | 'lng' | 'grid_id' | 'region_path' | 'title' | 'description'> & {
  /** The report itself, left out of its own candidates (null: not written yet). */
  id: number | null;
  /** When it was reported: a time, or `now()` for the report being written in the same statement. */
  created_at: Date | string | RawBuilder<Date>;
};

export interface CandidateRow {
  id: number;
  code: string;
  title: string;
  description: string;
  state: string;
  lat: number | null;
  lng: number | null;
  created_at: Date | string;
}

/**
 * The candidates as one SQL query, each branch on its own index: located cases by category,
 * latitude band and time (cases_dup_geo_idx); cases without a location in the same grid
 * (cases_dup_grid_idx); with neither location nor grid, the same village or group
 * (cases_dup_place_idx). At most 50, newest first.
 */
export function candidatesQuery(db: Kdb, c: DuplicateProbe) {
  const at: RawBuilder<Date> = typeof c.created_at === 'object' && !(c.created_at instanceof Date) ? c.created_at : sql<Date>`${new Date(c.created_at)}::timestamptz`;
  const window = sql.raw(`interval '${DUPLICATE_WINDOW_DAYS} days'`);
  const base = () => db
    .selectFrom('cases')
    .select(['id', 'code', 'title', 'description', 'state', 'lat', 'lng', 'created_at'])
    .where('category_id', '=', c.category_id)
    .where('county_id', '=', c.county_id)
    .where(sql<boolean>`created_at BETWEEN ${at} - ${window} AND ${at} + ${window}`)
    .where('id', '<>', c.id ?? 0)
    .where('state', '<>', 'merged');
  let q;
  if (c.lat != null && c.lng != null) {
    // A bounding box on the indexed band first; the exact distance is checked in JS.
    const dLat = DUPLICATE_RADIUS_M / 111_000;
    const dLng = dLat / Math.max(0.2, Math.cos((c.lat * Math.PI) / 180));
    const band = Math.floor(c.lat * LAT_BANDS_PER_DEGREE);
    const located = base()
      .where('lat', 'is not', null)
      .where(sql<boolean>`${latBand} BETWEEN ${band - 1} AND ${band + 1}`)
      .where('lat', '>=', c.lat - dLat).where('lat', '<=', c.lat + dLat)
      .where('lng', '>=', c.lng - dLng).where('lng', '<=', c.lng + dLng);
    q = c.grid_id ? located.unionAll(base().where('grid_id', '=', c.grid_id).where('lat', 'is', null)) : located;
  } else if (c.grid_id) {
    q = base().where('grid_id', '=', c.grid_id);
  } else {
    q = base().where('region_path', '=', c.region_path);
  }
  return db.selectFrom(q.as('d')).selectAll().orderBy('created_at', 'desc').limit(50);
}

/** The candidates that are really close and really alike, most similar first (at most 10). */
export function pickDuplicates(c: Pick<DuplicateProbe, 'lat' | 'lng' | 'title' | 'description'>, rows: CandidateRow[]): DuplicateCandidate[] {
  const similarity = similarityTo(`${c.title} ${c.description}`);
  const out: DuplicateCandidate[] = [];
  for (const r of rows) {
    const d = c.lat != null && c.lng != null && r.lat != null && r.lng != null ? distanceM(c.lat, c.lng, r.lat, r.lng) : null;
    if (d != null && d > DUPLICATE_RADIUS_M) continue;
    const sim = similarity(`${r.title} ${r.description}`);
    if (sim < DUPLICATE_MIN_SIMILARITY) continue;
    out.push({ id: Number(r.id), code: r.code, title: r.title, state: r.state, distanceM: d == null ? null : Math.round(d), similarity: Math.round(sim * 100) / 100, createdAt: new Date(r.created_at).toISOString() });
  }
  return out.sort((a, b) => b.similarity - a.similarity).slice(0, 10);
}

export async function findDuplicates(db: Kdb, c: DuplicateProbe): Promise<DuplicateCandidate[]> {
  return pickDuplicates(c, await candidatesQuery(db, c).execute());
}
