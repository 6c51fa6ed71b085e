/**
 * Linked uses with consent (积分+信贷, 企业用工看积分). A villager grants a bank or an employer a
 * time-limited code; the recipient reads a points summary with it (no account needed) and every
 * access — served, expired or revoked — is logged where the villager can see it. Only the code's
 * keyed hash is stored.
 */
import { randomBytes } from 'node:crypto';
import type { Kdb } from '../../db/database.js';
import { AppError } from '../../core/errors.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { keyedHash } from '../../core/pii.js';
import { periodsOf } from './ledger.js';
import { settingsOf, starsFor, toPoints } from './rules.js';
import { ownSubject } from './subjects.js';
import { chinaToday } from './claims.js';
import { isBlacklisted } from './blacklist.js';
import './errors.js';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function newCode(): string {
  const b = randomBytes(12);
  let s = '';
  for (const x of b) s += ALPHABET[x % ALPHABET.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`;
}
const normalise = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export async function grantConsent(ctx: Ctx, input: { recipientKind: 'bank' | 'employer'; recipientName: string; purpose: string; days: number }) {
  const subject = await ownSubject(ctx);
  const code = newCode();
  const expiresAt = new Date(Date.now() + input.days * 86400_000);
  const id = await inTransaction(ctx, async (tx) => {
    const c = await tx.db
      .insertInto('points_consents')
      .values({
        county_id: subject.county_id, household_id: subject.household_id!, region_path: subject.region_path, recipient_kind: input.recipientKind,
        recipient_name: input.recipientName.trim(), purpose: input.purpose.trim(), token_hash: keyedHash(normalise(code)), granted_by: ctx.actor.userId, expires_at: expiresAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(tx, { action: 'points.consent.grant', entity: 'points_consent', entityId: c.id, regionPath: subject.region_path, after: { ...input } });
    return c.id;
  });
  // The code is shown once; only its hash is kept.
  return { id, code, expiresAt: expiresAt.toISOString() };
}

export async function listMyConsents(ctx: Ctx) {
  const subject = await ownSubject(ctx);
  const rows = await ctx.db.selectFrom('points_consents').selectAll().where('household_id', '=', subject.household_id!).orderBy('id', 'desc').limit(200).execute();
  const access = rows.length
    ? await ctx.db.selectFrom('points_consent_access').select(['consent_id', 'at', 'outcome']).where('consent_id', 'in', rows.map((r) => r.id)).orderBy('id', 'desc').limit(2000).execute()
    : [];
  return rows.map((r) => ({
    id: r.id, recipientKind: r.recipient_kind, recipientName: r.recipient_name, purpose: r.purpose, expiresAt: new Date(r.expires_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null, createdAt: new Date(r.created_at).toISOString(),
    accesses: access.filter((a) => a.consent_id === r.id).map((a) => ({ at: new Date(a.at).toISOString(), outcome: a.outcome })),
  }));
}

export async function revokeConsent(ctx: Ctx, id: number) {
  const subject = await ownSubject(ctx);
  await inTransaction(ctx, async (tx) => {
    const r = await tx.db.updateTable('points_consents').set({ revoked_at: new Date() }).where('id', '=', id).where('household_id', '=', subject.household_id!).where('revoked_at', 'is', null).executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new AppError('POINTS_CONSENT_NOT_FOUND');
    await audit(tx, { action: 'points.consent.revoke', entity: 'points_consent', entityId: id, regionPath: subject.region_path });
  });
  return { ok: true };
}

/** What a bank or employer sees with a valid code. Public route; every access is logged. */
export async function consentedSummary(db: Kdb, code: string, meta: { ip: string | null; userAgent: string | null }) {
  const c = await db.selectFrom('points_consents').selectAll().where('token_hash', '=', keyedHash(normalise(code))).executeTakeFirst();
  if (!c) throw new AppError('POINTS_CONSENT_NOT_FOUND');
  const outcome = c.revoked_at ? 'revoked' : new Date(c.expires_at).getTime() < Date.now() ? 'expired' : 'served';
  await db.insertInto('points_consent_access').values({ consent_id: c.id, ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null, outcome }).execute();
  if (outcome !== 'served') throw new AppError('POINTS_CONSENT_EXPIRED');

  const subject = await db.selectFrom('points_subjects').select(['id', 'name', 'village_id']).where('kind', '=', 'household').where('household_id', '=', c.household_id).executeTakeFirst();
  const village = await db.selectFrom('regions').select('name').where('id', '=', subject?.village_id ?? 0).executeTakeFirst();
  const today = chinaToday();
  const p = periodsOf(today);
  const lastYear = String(Number(p.year) - 1);
  const scores = subject ? await db.selectFrom('points_period_scores').select(['period', 'score']).where('subject_id', '=', subject.id).where('period', 'in', [p.year, lastYear, p.quarter]).execute() : [];
  const score = (period: string) => scores.find((s) => s.period === period)?.score ?? 0;
  const settings = subject ? await settingsOf(db, subject.village_id) : null;
  // The band follows the better of last year's and this year's score, so January does not punish.
  const basis = Math.max(score(lastYear), score(p.year));
  const band = c.recipient_kind === 'bank' && settings ? settings.creditBands.slice().sort((a, b) => b.minScore - a.minScore).find((b) => basis >= b.minScore) ?? null : null;
  return {
    recipient: c.recipient_name,
    recipientKind: c.recipient_kind,
    purpose: c.purpose,
    household: subject?.name ?? '',
    village: village?.name ?? '',
    lastYearScore: toPoints(score(lastYear)),
    thisYearScore: toPoints(score(p.year)),
    quarterStars: settings ? starsFor(score(p.quarter), settings.starThresholds) : 0,
    blacklisted: await isBlacklisted(db, c.household_id, today),
    creditBand: band ? { label: band.label, terms: band.terms, minScore: toPoints(band.minScore) } : null,
    validUntil: new Date(c.expires_at).toISOString(),
  };
}
