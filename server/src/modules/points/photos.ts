/**
 * Photos on points claims (一事一记, with an optional photo). The checks are the case photos' own:
 * the type is decided by the file's magic bytes (sniffImage, imported from the cases module), the
 * size is capped at the same 8 MB, and what is served is a re-encoded JPEG without metadata — the
 * EXIF GPS position of a villager's house never leaves the server. cases/photos.ts cannot be
 * called as is (it asks for cases.report and writes case_photos), so the sharp pipeline is
 * repeated here with a thumbnail for the review list added.
 *
 * A photo is uploaded first and then named on the claim (photoId). Until then only its uploader
 * may see it; afterwards whoever may see the claim.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../../core/actor.js';
import { covers, hasPermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import './errors.js';

/**
 * The cases module's photo helpers (sniffImage, uploadsDir, PHOTO_MAX_BYTES), loaded on first use:
 * a static import would pull the whole cases module graph into everything that imports claims.ts
 * (the bench, scripts) and close an import cycle through modules/index.ts there.
 */
const casePhotos = () => import('../cases/photos.js');

/** The upload limit, the same as for case photos (8 MB). */
export const photoMaxBytes = async () => (await casePhotos()).PHOTO_MAX_BYTES;

const MAX_PIXELS = 40_000_000;
const PUBLIC_MAX_SIDE = 2048;
const THUMB_SIDE = 240;

/** Where a claim's photo is served; null when the claim has none. */
export const photoUrlOf = (photoId: number | null, legacyUrl: string | null) => (photoId ? `/api/v1/points/photos/${photoId}` : legacyUrl);

/** Grid workers and cadres (记分) and villagers (申报) attach photos. */
function assertMayUpload(actor: Actor) {
  if (!hasPermission(actor, 'points.record') && !hasPermission(actor, 'points.self')) throw new AppError('FORBIDDEN', { permission: 'points.record' });
}

export async function storeClaimPhoto(ctx: Ctx, buf: Buffer) {
  assertMayUpload(ctx.actor);
  const { PHOTO_MAX_BYTES, sniffImage, uploadsDir } = await casePhotos();
  if (buf.length > PHOTO_MAX_BYTES) throw new AppError('POINTS_PHOTO_TOO_LARGE', { maxBytes: PHOTO_MAX_BYTES });
  const mime = sniffImage(buf);
  if (!mime) throw new AppError('POINTS_PHOTO_NOT_IMAGE');
  let shown: { data: Buffer; info: OutputInfo };
  let thumb: Buffer;
  try {
    // rotate() applies the EXIF orientation before the metadata is dropped (sharp drops it unless
    // withMetadata() is asked for). One decode, two encodes.
    const img = sharp(buf, { limitInputPixels: MAX_PIXELS }).rotate();
    [shown, thumb] = await Promise.all([
      img.clone().resize({ width: PUBLIC_MAX_SIDE, height: PUBLIC_MAX_SIDE, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true }),
      img.clone().resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'cover' }).jpeg({ quality: 70 }).toBuffer(),
    ]);
  } catch {
    throw new AppError('POINTS_PHOTO_NOT_IMAGE');
  }
  const sha = createHash('sha256').update(buf).digest('hex');
  const sub = join(String(ctx.actor.countyId), sha.slice(0, 2));
  const paths = {
    original: join('points', 'original', sub, `${sha}.${mime.split('/')[1]}`),
    public: join('points', 'public', sub, `${sha}.jpg`),
    thumb: join('points', 'thumb', sub, `${sha}.jpg`),
  };
  const dir = uploadsDir();
  for (const p of Object.values(paths)) await mkdir(join(dir, p, '..'), { recursive: true });
  await writeFile(join(dir, paths.original), buf, { mode: 0o600 });
  await writeFile(join(dir, paths.public), shown.data);
  await writeFile(join(dir, paths.thumb), thumb);
  return inTransaction(ctx, async (tx) => {
    const row = await tx.db
      .insertInto('points_photos')
      .values({
        county_id: ctx.actor.countyId, uploader_id: ctx.actor.userId, mime, bytes: buf.length, width: shown.info.width, height: shown.info.height,
        sha256: sha, original_path: paths.original, public_path: paths.public, thumb_path: paths.thumb,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'points.photo.upload', entity: 'points_photo', entityId: row.id, after: { mime, bytes: buf.length } });
    return { id: row.id, width: shown.info.width, height: shown.info.height, bytes: buf.length, url: photoUrlOf(row.id, null)!, thumbUrl: `${photoUrlOf(row.id, null)}/thumb` };
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
  const { uploadsDir } = await casePhotos();
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
