/**
 * Photo uploads: the type is decided by the file's magic bytes (not its name or the browser's
 * claim), the size is capped, and what is shown is a re-encoded JPEG without any metadata — the
 * EXIF GPS position of a villager's house never leaves the server. The original is kept apart for
 * the record (evidence), readable by nobody through the API.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sharp, { type OutputInfo } from 'sharp';
import type { Ctx } from '../../core/context.js';
import { requirePermission } from '../../core/actor.js';
import { AppError } from '../../core/errors.js';
import { audit } from '../../core/audit.js';
import { loadConfig } from '../../config.js';
import { canSee } from './policy.js';
import { toRes } from './service.js';

export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;
const PUBLIC_MAX_SIDE = 2048;

export function uploadsDir(): string {
  return resolve(process.env.UPLOADS_DIR ?? join(loadConfig().dataDir, 'uploads'));
}

export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

export async function storePhoto(ctx: Ctx, buf: Buffer): Promise<{ id: number; width: number; height: number; bytes: number }> {
  requirePermission(ctx.actor, 'cases.report');
  if (buf.length > PHOTO_MAX_BYTES) throw new AppError('CASE_PHOTO_TOO_LARGE', { maxBytes: PHOTO_MAX_BYTES });
  const mime = sniffImage(buf);
  if (!mime) throw new AppError('CASE_PHOTO_NOT_IMAGE');
  let out: { data: Buffer; info: OutputInfo };
  try {
    // rotate() applies the EXIF orientation before the metadata is dropped (sharp drops it
    // unless withMetadata() is asked for).
    out = await sharp(buf, { limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize({ width: PUBLIC_MAX_SIDE, height: PUBLIC_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new AppError('CASE_PHOTO_NOT_IMAGE');
  }
  const sha = createHash('sha256').update(buf).digest('hex');
  const dir = uploadsDir();
  const sub = join(String(ctx.actor.countyId), sha.slice(0, 2));
  await mkdir(join(dir, 'original', sub), { recursive: true });
  await mkdir(join(dir, 'public', sub), { recursive: true });
  const ext = mime.split('/')[1];
  const originalPath = join('original', sub, `${sha}.${ext}`);
  const publicPath = join('public', sub, `${sha}.jpg`);
  await writeFile(join(dir, originalPath), buf, { mode: 0o600 });
  await writeFile(join(dir, publicPath), out.data);
  const row = await ctx.db
    .insertInto('case_photos')
    .values({ county_id: ctx.actor.countyId, uploader_id: ctx.actor.userId, mime, bytes: buf.length, width: out.info.width, height: out.info.height, sha256: sha, original_path: originalPath, public_path: publicPath })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, { action: 'case_photo.upload', entity: 'case_photo', entityId: row.id, after: { mime, bytes: buf.length } });
  return { id: row.id, width: out.info.width, height: out.info.height, bytes: buf.length };
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
