/**
 * Case photos: the checks and the metadata-free copy are core/photos.ts's; here the permission,
 * the case_photos row and who may see it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Ctx } from '../../core/context.js';
import { requirePermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { audit } from '../../core/audit.js';
import { PHOTO_MAX_BYTES, storePhotoFiles, uploadsDir } from '../../core/photos.js';
import { canSee } from './policy.js';
import { toRes } from './service.js';

export { PHOTO_MAX_BYTES };

export async function storePhoto(ctx: Ctx, buf: Buffer): Promise<{ id: number; width: number; height: number; bytes: number }> {
  requirePermission(ctx.actor, 'cases.report');
  const f = await storePhotoFiles(buf, { countyId: ctx.actor.countyId, folder: '', tooLarge: 'CASE_PHOTO_TOO_LARGE', notImage: 'CASE_PHOTO_NOT_IMAGE' });
  const row = await ctx.db
    .insertInto('case_photos')
    .values({ county_id: ctx.actor.countyId, uploader_id: ctx.actor.userId, mime: f.mime, bytes: f.bytes, width: f.width, height: f.height, sha256: f.sha256, original_path: f.originalPath, public_path: f.publicPath })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, { action: 'case_photo.upload', entity: 'case_photo', entityId: row.id, after: { mime: f.mime, bytes: f.bytes } });
  return { id: row.id, width: f.width, height: f.height, bytes: f.bytes };
}

/** The public copy, for whoever may see the case (or the uploader before it is attached). */
export async function readPublicPhoto(ctx: Ctx, id: number): Promise<Buffer> {
  const p = await ctx.db.selectFrom('case_photos').selectAll().where('id', '=', id).where('county_id', '=', ctx.actor.countyId).executeTakeFirst();
  if (!p) throw new AppError('NOT_FOUND');
  if (p.case_id == null) {
    if (p.uploader_id !== ctx.actor.userId) throw new AppError('NOT_FOUND');
  } else {
    const c = await ctx.db.selectFrom('cases').selectAll().where('id', '=', p.case_id).executeTakeFirstOrThrow();
    if (!canSee(ctx.actor, toRes(c))) throw new AppError('NOT_FOUND');
  }
  return readFile(join(uploadsDir(), p.public_path));
}
