/**
 * Personal data at rest (PIPL, 等保): AES-256-GCM ciphertext, a keyed hash (HMAC-SHA256) to find a
 * row by exact value, and a masked form for display. Keys come from the environment
 * (XZ_PII_KEY, XZ_HASH_KEY: 64 hex chars each) or, for the embedded default, ./data/keys.json.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from './errors.js';

export interface PiiKeys {
  enc: Buffer; // 32 bytes
  mac: Buffer; // 32 bytes
}

let keys: PiiKeys | null = null;

export function setPiiKeys(k: PiiKeys): void {
  if (k.enc.length !== 32 || k.mac.length !== 32) throw new Error('PII keys must be 32 bytes');
  keys = k;
}

function currentKeys(): PiiKeys {
  if (!keys) throw new Error('PII keys not configured');
  return keys;
}

export function generatePiiKeys(): { enc: string; mac: string } {
  return { enc: randomBytes(32).toString('hex'), mac: randomBytes(32).toString('hex') };
}

// GCM nonces come from the CSPRNG, drawn 4 KiB at a time: one randomBytes(12) per field cost
// ~10 µs (a third of a roster import's CPU); slicing a pre-filled buffer is as random and as unique.
const IV_BYTES = 12;
let ivPool = Buffer.alloc(0);
let ivAt = 0;
function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * 341);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/** 'v1.' + base64(iv | tag | ciphertext) */
export function encrypt(plain: string): string {
  const iv = nextIv();
  const c = createCipheriv('aes-256-gcm', currentKeys().enc, iv);
  const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return 'v1.' + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}

export function decrypt(blob: string): string {
  if (!blob.startsWith('v1.')) throw new Error('unknown ciphertext version');
  const raw = Buffer.from(blob.slice(3), 'base64');
  const d = createDecipheriv('aes-256-gcm', currentKeys().enc, raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
}

export function keyedHash(value: string): string {
  return createHmac('sha256', currentKeys().mac).update(value).digest('base64url');
}

// ---- 居民身份证号码 GB 11643-1999 ----

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export interface IdNumberInfo {
  normalized: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'M' | 'F';
}

/** Returns the parsed number, or a Chinese reason why it is invalid. */
export function parseIdNumber(input: string, today = new Date()): IdNumberInfo | { error: string } {
  const s = String(input ?? '').trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { error: '身份证号码应为18位（末位可为X）' };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d || dt > today) {
    return { error: '身份证号码中的出生日期无效' };
  }
  if (idCheckDigit(s.slice(0, 17)) !== s[17]) return { error: '身份证号码校验位错误' };
  return {
    normalized: s,
    birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`,
    gender: Number(s[16]) % 2 === 1 ? 'M' : 'F',
  };
}

export function requireIdNumber(input: string, field = 'idNumber'): IdNumberInfo {
  const r = parseIdNumber(input);
  if ('error' in r) throw new AppError('INVALID_ID_NUMBER', { field, reason: r.error }, r.error);
  return r;
}

export function maskIdNumber(id: string): string {
  return id.slice(0, 6) + '********' + id.slice(-4);
}

// ---- 手机号 ----
export function normalizePhone(input: string): string | null {
  const s = String(input ?? '').replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(s) ? s : null;
}

export function requirePhone(input: string, field = 'phone'): string {
  const p = normalizePhone(input);
  if (!p) throw new AppError('INVALID_PHONE', { field, reason: '应为11位中国大陆手机号' });
  return p;
}

export function maskPhone(p: string): string {
  return p.slice(0, 3) + '****' + p.slice(-4);
}

/** The three stored columns for an ID number. */
export function sealIdNumber(id: string) {
  return { id_no_enc: encrypt(id), id_no_hash: keyedHash(id), id_no_masked: maskIdNumber(id) };
}
export function sealPhone(p: string | null) {
  if (!p) return { phone_enc: null, phone_hash: null, phone_masked: null };
  return { phone_enc: encrypt(p), phone_hash: keyedHash(p), phone_masked: maskPhone(p) };
}

/** Builds a valid 18-digit number (for synthetic data and tests): area + birth + sequence + check. */
export function makeIdNumber(area6: string, birthDate: string, seq: number, gender: 'M' | 'F'): string {
  let s3 = seq % 1000;
  if ((s3 % 2 === 1) !== (gender === 'M')) s3 = (s3 + 1) % 1000;
  const body = area6 + birthDate.replace(/-/g, '') + String(s3).padStart(3, '0');
  return body + idCheckDigit(body);
}
