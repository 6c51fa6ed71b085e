/** Test factories for cases: the small world plus the default catalogue, and a case in any state. */
import type { Kdb } from '../../../db/database.js';
import { buildWorld, type World } from '../../../testing/world.js';
import { seedCaseCatalogue } from '../catalogue.js';

export interface CaseWorld extends World {
  categories: Record<string, number>; // by code: TD01, HJ01 …
}

export async function buildCaseWorld(db: Kdb): Promise<CaseWorld> {
  const world = await buildWorld(db);
  await seedCaseCatalogue(db, world.countyId);
  const cats = await db.selectFrom('case_categories').select(['id', 'code']).where('county_id', '=', world.countyId).execute();
  return { ...world, categories: Object.fromEntries(cats.map((c) => [c.code, c.id])) };
}

export interface RawCase {
  regionPath: string;
  regionId: number;
  gridId?: number | null;
  categoryId: number;
  state?: 'pending' | 'handling' | 'suspended' | 'resolved' | 'closed' | 'merged';
  level?: 'village' | 'township' | 'department';
  departmentId?: number | null;
  createdAt: Date;
  firstResponseDueAt?: Date | null;
  firstResponseAt?: Date | null;
  dueAt?: Date | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  rating?: number | null;
  title?: string;
  description?: string;
  lat?: number | null;
  lng?: number | null;
  reporterUserId?: number | null;
}

let n = 0;
/** Inserts a case row as it would stand after its history (for rates and lists), no history rows. */
export async function buildCase(db: Kdb, countyId: number, c: RawCase): Promise<number> {
  n++;
  const r = await db
    .insertInto('cases')
    .values({
      county_id: countyId, code: `T${Date.now()}-${n}`, region_id: c.regionId, region_path: c.regionPath, grid_id: c.gridId ?? null, category_id: c.categoryId,
      title: c.title ?? `测试事件${n}`, description: c.description ?? `测试事件${n}的描述`, source: 'console', reporter_name: '测试', reporter_user_id: c.reporterUserId ?? null,
      state: c.state ?? 'pending', level: c.level ?? 'village', department_id: c.departmentId ?? null,
      created_at: c.createdAt, first_response_due_at: c.firstResponseDueAt ?? null, first_response_at: c.firstResponseAt ?? null,
      due_at: c.dueAt ?? null, resolved_at: c.resolvedAt ?? null, closed_at: c.closedAt ?? null, rating: c.rating ?? null,
      lat: c.lat ?? null, lng: c.lng ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A multipart/form-data body with one file field, for app.inject. */
export function multipart(field: string, filename: string, content: Buffer, type = 'application/octet-stream') {
  const boundary = '----xz' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
