/** Small helpers shared by the registry services. */
import '../errors.js';
import { pathsWith, type Actor } from '../../../core/actor.js';
import { AppError } from '../../../core/errors.js';
import { normalizePhone, requireIdNumber, type IdNumberInfo } from '../../../core/pii.js';

/** PostgreSQL unique_violation (both pg and PGlite report SQLSTATE in `code`). */
export function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

/** Optimistic concurrency: the client sends the version it read; anything else is stale. */
export function checkVersion(current: number, sent: number): void {
  if (current !== sent) throw new AppError('CONFLICT', { currentVersion: current, sentVersion: sent });
}

/** A phone that may be cleared (null/'' → null) or must be a valid mobile number. */
export function optionalPhone(input: string | null | undefined, field = 'phone'): string | null {
  if (input == null || input.trim() === '') return null;
  const p = normalizePhone(input);
  if (!p) throw new AppError('INVALID_PHONE', { field, reason: '应为11位中国大陆手机号' });
  return p;
}

export function idNumber(input: string, field = 'idNumber'): IdNumberInfo {
  return requireIdNumber(input, field);
}

export function trimmed(s: string, field: string): string {
  const t = s.trim();
  if (!t) throw new AppError('VALIDATION_FAILED', { field }, `提交的数据不符合要求：${field} 不能为空`);
  return t;
}

/** GeoJSON Polygon / MultiPolygon with [lng, lat] positions inside China's bounding box. */
export function checkBoundary(b: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] } | null | undefined): void {
  if (!b) return;
  const polygons = b.type === 'Polygon' ? [b.coordinates] : b.coordinates;
  const okPos = (p: unknown) =>
    Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' &&
    p[0] >= 73 && p[0] <= 136 && p[1] >= 3 && p[1] <= 54;
  const okRing = (r: unknown) => Array.isArray(r) && r.length >= 4 && r.length <= 5000 && r.every(okPos);
  const okPolygon = (p: unknown) => Array.isArray(p) && p.length >= 1 && p.every(okRing);
  if (!Array.isArray(polygons) || !polygons.every(okPolygon)) throw new AppError('INVALID_BOUNDARY');
}

/**
 * Is a list confined to a township or smaller ('/1/16/…', two or more ids deep)? Then the list
 * query range-scans region_path instead of walking the primary key (see registry/queries.ts).
 */
export function narrowScope(actor: Actor, permission: string, regionPath?: string | null): boolean {
  const deep = (p: string) => p.split('/').filter(Boolean).length >= 2;
  if (regionPath && deep(regionPath)) return true;
  const paths = pathsWith(actor, permission);
  return paths.length > 0 && paths.every(deep);
}
