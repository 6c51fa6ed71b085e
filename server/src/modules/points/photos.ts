/**
 * Photos on points claims (一事一记, with an optional photo). The checks and the metadata-free copy
 * (plus a thumbnail for the review list) are core/photos.ts's, shared with case photos; here the
 * permission, the points_photos row and who may see it.
 *
 * A photo is uploaded first and then named on the claim (photoId). Until then only its uploader
 * may see it; afterwards whoever may see the claim.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../../core/actor.js';
import { covers, hasPermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { PHOTO_MAX_BYTES, storePhotoFiles, uploadsDir } from '../../core/photos.js';
import './errors.js';

export { PHOTO_MAX_BYTES };
const THUMB_SIDE = 240;

/** Where a claim's photo is served; null when the claim has none. */
export const photoUrlOf = (photoId: number | null, legacyUrl: string | null) => (photoId ? `/api/v1/points/photos/${photoId}` : legacyUrl);

/** Grid workers and cadres (记分) and villagers (申报) attach photos. */
function assertMayUpload(actor: Actor) {
  if (!hasPermission(actor, 'points.record') && !hasPermission(actor, 'points.self')) throw new AppError('FORBIDDEN', { permission: 'points.record' });
}

export async function storeClaimPhoto(ctx: Ctx, buf: Buffer) {
  assertMayUpload(ctx.actor);
  const f = await storePhotoFiles(buf, {
    countyId: ctx.actor.countyId, folder: 'points', tooLarge: 'POINTS_PHOTO_TOO_LARGE', notImage: 'POINTS_PHOTO_NOT_IMAGE', thumbSide: THUMB_SIDE,
  });
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto('points_photos')
      .values({
        county_id: ctx.actor.countyId, uploader_id: ctx.actor.userId, mime: f.mime, bytes: f.bytes, width: f.width, height: f.height,
        sha256: f.sha256, original_path: f.originalPath, public_path: f.publicPath, thumb_path: f.thumbPath!,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'points.photo.upload', entity: 'points_photo', entityId: row.id, after: { mime: f.mime, bytes: f.bytes } });
    return { id: row.id, width: f.width, height: f.height, bytes: f.bytes, url: photoUrlOf(row.id, null)!, thumbUrl: `${photoUrlOf(row.id, null)}/thumb` };
  });
}

/**
 * The metadata-free copy (or the thumbnail) for whoever may see the claim it is on: staff holding
 * points.read or points.record over the claim's place, or the villager whose household the claim
 * is for. Before it is attached only its uploader sees it. Anyone else: 404, as if missing.
 */
export async function readClaimPhoto(ctx: Ctx, id: number, size: 'public' | 'thumb'): Promise<Buffer> {
  const p = await ctx.db
    .selectFrom('points_photos as p')
    .leftJoin('points_claims as c', 'c.photo_id', 'p.id')
    .leftJoin('points_subjects as s', 's.id', 'c.subject_id')
    .select(['p.uploader_id', 'p.public_path', 'p.thumb_path', 'c.id as claim_id', 'c.region_path', 's.household_id'])
    .where('p.id', '=', id)
    .where('p.county_id', '=', ctx.actor.countyId)
    .executeTakeFirst();
  if (!p) throw new AppError('POINTS_PHOTO_NOT_FOUND');
  const a = ctx.actor;
  const visible = p.claim_id == null
    ? p.uploader_id === a.userId
    : covers(a, 'points.read', p.region_path!) || covers(a, 'points.record', p.region_path!) ||
      (hasPermission(a, 'points.self') && a.householdId != null && a.householdId === p.household_id);
  if (!visible) throw new AppError('POINTS_PHOTO_NOT_FOUND');
  return readFile(join(uploadsDir(), size === 'thumb' ? p.thumb_path : p.public_path));
}

/** The slow path's check that a photo named on a claim is the caller's own and not used yet. */
export async function assertPhotoUsable(db: Kdb, actor: Actor, photoId: number, field = '') {
  const p = await db
    .selectFrom('points_photos as p')
    .leftJoin('points_claims as c', 'c.photo_id', 'p.id')
    .select(['p.id', 'c.id as claim_id'])
    .where('p.id', '=', photoId)
    .where('p.uploader_id', '=', actor.userId)
    .where('p.county_id', '=', actor.countyId)
    .executeTakeFirst();
  if (!p || p.claim_id != null) throw new AppError('POINTS_PHOTO_UNAVAILABLE', { photoId, field });
}
