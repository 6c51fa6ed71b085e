/**
 * Photo uploads, for every module that takes them (case reports, points entries): the type is
 * decided by the file's magic bytes (not its name or the browser's claim), the size is capped, and
 * what is shown is a re-encoded JPEG without any metadata — the EXIF GPS position of a villager's
 * house never leaves the server. The original is kept apart for the record (evidence), readable by
 * nobody through the API. Modules keep their own table, permission and error codes.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { OutputInfo } from 'sharp';
import { loadConfig } from '../config.js';
import { AppError } from './errors.js';

export const PHOTO_MAX_BYTES = 8 * 1024 * 1024;
const MAX_PIXELS = 40_000_000;
const PUBLIC_MAX_SIDE = 2048;

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

export function uploadsDir(): string {
  return resolve(process.env.UPLOADS_DIR ?? join(loadConfig().dataDir, 'uploads'));
}

export function sniffImage(buf: Buffer): PhotoMime | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg';
  if (buf.length >= 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (buf.length >= 12 && buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

export interface StoredPhoto {
  mime: PhotoMime;
  sha256: string;
  bytes: number;
  width: number;
  height: number;
  /** Relative to uploadsDir(). */
  originalPath: string;
  publicPath: string;
  thumbPath: string | null;
}

export interface PhotoOptions {
  countyId: number;
  /** Sub-folder of the uploads dir ('' for case photos, which came first; 'points', …). */
  folder: string;
  /** The module's own error codes for a file too large and for one that is not an image. */
  tooLarge: string;
  notImage: string;
  /** Also write a square thumbnail of this side (for lists). */
  thumbSide?: number;
}

/** Checks, re-encodes without metadata and writes the files; the caller records the row. */
export async function storePhotoFiles(buf: Buffer, o: PhotoOptions): Promise<StoredPhoto> {
  if (buf.length > PHOTO_MAX_BYTES) throw new AppError(o.tooLarge, { maxBytes: PHOTO_MAX_BYTES });
  const mime = sniffImage(buf);
  if (!mime) throw new AppError(o.notImage);
  let shown: { data: Buffer; info: OutputInfo };
  let thumb: Buffer | null = null;
  try {
    // rotate() applies the EXIF orientation before the metadata is dropped (sharp drops it
    // unless withMetadata() is asked for). One decode, one encode per copy.
    // Loaded on the first photo, not at start: libvips is ~20 MB a server that is only listing
    // households does not need.
    const { default: sharp } = await import('sharp');
    const img = sharp(buf, { limitInputPixels: MAX_PIXELS }).rotate();
    [shown, thumb] = await Promise.all([
      img.clone().resize({ width: PUBLIC_MAX_SIDE, height: PUBLIC_MAX_SIDE, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer({ resolveWithObject: true }),
      o.thumbSide ? img.clone().resize({ width: o.thumbSide, height: o.thumbSide, fit: 'cover' }).jpeg({ quality: 70 }).toBuffer() : Promise.resolve(null),
    ]);
  } catch {
    throw new AppError(o.notImage);
  }
  const sha256 = createHash('sha256').update(buf).digest('hex');
  const sub = join(String(o.countyId), sha256.slice(0, 2));
  const originalPath = join(o.folder, 'original', sub, `${sha256}.${mime.split('/')[1]}`);
  const publicPath = join(o.folder, 'public', sub, `${sha256}.jpg`);
  const thumbPath = thumb ? join(o.folder, 'thumb', sub, `${sha256}.jpg`) : null;
  const dir = uploadsDir();
  const write = async (path: string, data: Buffer, mode?: number) => {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), data, mode ? { mode } : undefined);
  };
  await write(originalPath, buf, 0o600);
  await write(publicPath, shown.data);
  if (thumb && thumbPath) await write(thumbPath, thumb);
  return { mime, sha256, bytes: buf.length, width: shown.info.width, height: shown.info.height, originalPath, publicPath, thumbPath };
}
