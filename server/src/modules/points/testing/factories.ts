/**
 * Factories for points and store data, for this module's tests, other modules' tests and the bench.
 * They go through the real service functions with a system actor that holds every points and store
 * permission on the county, so the data is exactly what the application would write.
 */
import type { Kdb } from '../../../db/database.js';
import type { Actor } from '../../../core/actor.js';
import type { Ctx } from '../../../core/context.js';
import { adoptBook, createDraft } from '../rules.js';
import { recordClaim, reviewClaims } from '../claims.js';
import { chinaToday } from '../claims.js';
import { addGoods, createStore } from '../../store/service.js';

export function systemActor(countyId: number, countyPath: string, userId = 0): Actor {
  return {
    userId, username: 'system', displayName: '系统', kind: 'staff', countyId, householdId: null, residentId: null, departmentId: null,
    totpPassed: true, ip: null,
    grants: [{
      roleKey: 'system', regionId: countyId, regionPath: countyPath, regionLevel: 'county',
      permissions: ['points.read', 'points.record', 'points.review', 'points.rules', 'points.publish', 'points.blacklist', 'store.redeem', 'store.manage'],
    }],
  };
}

export async function systemCtx(db: Kdb, countyId: number): Promise<Ctx> {
  const c = await db.selectFrom('regions').select('path').where('id', '=', countyId).executeTakeFirstOrThrow();
  return { db, actor: systemActor(countyId, c.path) };
}

/** Adopts the 安家村 template as the village's rule book; returns the book. */
export async function buildAdoptedRuleBook(db: Kdb, countyId: number, villageId: number) {
  const ctx = await systemCtx(db, countyId);
  const draft = await createDraft(ctx, { villageId, from: 'template' });
  return adoptBook(ctx, draft.id, { meeting: '村民代表大会', resolution: '测试决议' });
}

/** Records and approves one entry for a household; returns the entry id. */
export async function buildEntry(db: Kdb, countyId: number, input: { householdId: number; itemId: number; score?: number; occurredOn?: string; note?: string }) {
  const ctx = await systemCtx(db, countyId);
  const claim = await recordClaim(ctx, { householdId: input.householdId, itemId: input.itemId, score: input.score, occurredOn: input.occurredOn ?? chinaToday(), note: input.note });
  await reviewClaims(ctx, [claim.id], 'approve');
  return (await db.selectFrom('points_claims').select('entry_id').where('id', '=', claim.id).executeTakeFirstOrThrow()).entry_id!;
}

/** A store at a village or township with one item. */
export async function buildStore(db: Kdb, countyId: number, regionId: number, goods: { name: string; price: number; stock: number }) {
  const ctx = await systemCtx(db, countyId);
  const store = await createStore(ctx, { regionId, name: '积分超市' });
  const item = await addGoods(ctx, store.id, goods);
  return { store, goods: item };
}

/** A multipart/form-data body with one file field, for app.inject (photo uploads). */
export function multipartFile(field: string, filename: string, content: Buffer, type = 'application/octet-stream') {
  const boundary = '----xzpoints' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, content, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}
