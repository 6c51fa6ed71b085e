/**
 * Residents (居民). ID numbers are validated (GB 11643) and stored sealed; gender and birth date
 * come from the number. A full ID number or phone is shown only through reveal(), which needs
 * pii.reveal on the resident's place, names its purpose, and is audited.
 */
import { assertCovers, inScope, requirePermission } from '../../../core/actor.js';
import { audit, diff } from '../../../core/audit.js';
import { inTransaction, type Ctx } from '../../../core/context.js';
import { AppError } from '../../../core/errors.js';
import { decodeCursor, pageOf } from '../../../core/paging.js';
import { decrypt, sealIdNumber, sealPhone } from '../../../core/pii.js';
import { requireRegion } from '../../regions/service.js';
import * as q from '../queries.js';
import { READ, REVEAL, WRITE, canEditHousehold, canReveal, householdEditable } from '../policy.js';
import type { CreateResidentBody, ResidentDetail, ResidentListItem, ResidentListQuery, RevealBody, UpdateResidentBody } from '../schema.js';
import { checkVersion, idNumber, isUniqueViolation, narrowScope, optionalPhone, trimmed } from './common.js';
import { searchHashes } from './households.js';
import { presentResident, residentSnapshot } from './present.js';

type ResidentRow = NonNullable<Awaited<ReturnType<typeof q.findResident>>>;

/** How long a revealed value may stay on screen; the page hides it again after this. */
export const REVEAL_TTL_MS = 5 * 60 * 1000;

const HOUSEHOLDER = '户主';

function presentListItem(r: ResidentRow): ResidentListItem {
  return { ...presentResident(r), householdId: r.household_id, householdCode: r.household_code, householderName: r.householder_name };
}

export async function loadResident(ctx: Ctx, id: number, permission = READ): Promise<ResidentRow> {
  requirePermission(ctx.actor, permission);
  const r = await q.findResident(ctx.db, id);
  assertCovers(ctx.actor, permission, r?.region_path);
  return r!;
}

export async function listResidents(ctx: Ctx, query: ResidentListQuery) {
  requirePermission(ctx.actor, READ);
  const region = query.regionId ? await requireRegion(ctx, query.regionId, READ) : null;
  const limit = query.limit ?? 50;
  const rows = await q.listResidents(ctx.db, inScope(ctx.actor, READ, 'p.region_path'), {
    narrow: narrowScope(ctx.actor, READ, region?.path), regionPath: region?.path, q: query.q?.trim() || undefined, ...searchHashes(query),
    countyId: ctx.actor.countyId, afterId: decodeCursor(query.cursor), limit,
  });
  const page = pageOf(rows, limit);
  return { items: page.items.map(presentListItem), nextCursor: page.nextCursor };
}

export async function getResident(ctx: Ctx, id: number): Promise<ResidentDetail> {
  const r = await loadResident(ctx, id);
  const h = await q.findHousehold(ctx.db, r.household_id);
  return {
    ...presentListItem(r),
    version: r.version,
    can: { edit: canEditHousehold(ctx.actor, h!), reveal: canReveal(ctx.actor, r.region_path) },
  };
}

/** Locks the household, checks it is writable by the caller and still open for changes. */
async function writableHousehold(ctx: Ctx, householdId: number) {
  requirePermission(ctx.actor, WRITE);
  const h = await q.lockHousehold(ctx.db, householdId);
  assertCovers(ctx.actor, WRITE, h?.region_path);
  if (!householdEditable(h!.status)) throw new AppError('HOUSEHOLD_MERGED');
  return h!;
}

/** Two cadres entering the same person at once: the unique index decides, the user sees 409. */
function rethrowDuplicateId(e: unknown): never {
  if (isUniqueViolation(e)) throw new AppError('RESIDENT_ID_EXISTS');
  throw e;
}

async function assertIdNumberFree(ctx: Ctx, countyId: number, hash: string, selfId?: number) {
  const other = await q.residentByIdHash(ctx.db, countyId, hash);
  if (other && other.id !== selfId) throw new AppError('RESIDENT_ID_EXISTS');
}

export async function addResident(ctx: Ctx, householdId: number, input: CreateResidentBody): Promise<ResidentDetail> {
  const name = trimmed(input.name, 'name');
  const relation = trimmed(input.relation, 'relation');
  const id = idNumber(input.idNumber);
  const phone = optionalPhone(input.phone);
  const sealedId = sealIdNumber(id.normalized);
  const residentId = await inTransaction(ctx, async (tx) => {
    const h = await writableHousehold(tx, householdId);
    await assertIdNumberFree(tx, h.county_id, sealedId.id_no_hash);
    const row = await tx.db
      .insertInto('residents')
      .values({
        county_id: h.county_id, household_id: h.id, region_path: h.region_path, name, gender: id.gender, birth_date: id.birthDate,
        relation, ethnicity: input.ethnicity?.trim() || '汉族', political: input.political ?? 'masses', ...sealedId, ...sealPhone(phone),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(rethrowDuplicateId);
    // The householder's ID number is the key a roster import matches households on.
    if (relation === HOUSEHOLDER) {
      await tx.db.updateTable('households').set({ householder_id_hash: sealedId.id_no_hash, householder_name: name }).where('id', '=', h.id).execute();
    }
    await q.recountMembers(tx.db, h.id);
    await audit(tx, { action: 'resident.create', entity: 'resident', entityId: row.id, regionPath: h.region_path, after: { householdId: h.id, ...residentSnapshot(row) } });
    return row.id;
  });
  return getResident(ctx, residentId);
}

export async function updateResident(ctx: Ctx, id: number, input: UpdateResidentBody): Promise<ResidentDetail> {
  const newId = input.idNumber !== undefined ? idNumber(input.idNumber) : null;
  const phoneChanged = input.phone !== undefined;
  const phone = phoneChanged ? optionalPhone(input.phone) : null;
  await inTransaction(ctx, async (tx) => {
    requirePermission(tx.actor, WRITE);
    const current = await q.lockResident(tx.db, id);
    assertCovers(tx.actor, WRITE, current?.region_path);
    const r = current!;
    await writableHousehold(tx, r.household_id);
    checkVersion(r.version, input.version);
    const next = {
      name: input.name !== undefined ? trimmed(input.name, 'name') : r.name,
      relation: input.relation !== undefined ? trimmed(input.relation, 'relation') : r.relation,
      ethnicity: input.ethnicity !== undefined ? trimmed(input.ethnicity, 'ethnicity') : r.ethnicity,
      political: input.political ?? r.political,
      status: input.status ?? r.status,
      ...(newId ? { ...sealIdNumber(newId.normalized), gender: newId.gender, birth_date: newId.birthDate } : {}),
      ...(phoneChanged ? sealPhone(phone) : {}),
    };
    if (newId) await assertIdNumberFree(tx, r.county_id, next.id_no_hash!, r.id);
    const change = diff(residentSnapshot(r), residentSnapshot({ ...r, ...next }));
    await tx.db.updateTable('residents').set({ ...next, version: r.version + 1, updated_at: new Date() }).where('id', '=', id).execute()
      .catch(rethrowDuplicateId);
    if (next.relation === HOUSEHOLDER) {
      await tx.db.updateTable('households').set({ householder_id_hash: next.id_no_hash ?? r.id_no_hash, householder_name: next.name }).where('id', '=', r.household_id).execute();
    }
    if (next.status !== r.status) await q.recountMembers(tx.db, r.household_id);
    await audit(tx, { action: 'resident.update', entity: 'resident', entityId: id, regionPath: r.region_path, ...change });
  });
  return getResident(ctx, id);
}

/**
 * Shows one full ID number or phone. Needs pii.reveal on the resident's place (403 without the
 * permission anywhere, 404 outside it), a stated purpose, and leaves an audit row naming it.
 */
export async function revealResident(ctx: Ctx, id: number, input: RevealBody): Promise<{ value: string; expiresAt: string }> {
  requirePermission(ctx.actor, REVEAL);
  const purpose = input.purpose.trim();
  if (purpose.length < 2) throw new AppError('REVEAL_PURPOSE_REQUIRED');
  const r = await q.residentSecrets(ctx.db, id);
  assertCovers(ctx.actor, REVEAL, r?.region_path);
  const blob = input.field === 'idNumber' ? r!.id_no_enc : r!.phone_enc;
  if (!blob) throw new AppError('PII_NOT_RECORDED', { field: input.field });
  const value = decrypt(blob);
  const expiresAt = new Date(Date.now() + REVEAL_TTL_MS).toISOString();
  await audit(ctx, {
    action: 'pii.reveal', entity: 'resident', entityId: id, regionPath: r!.region_path,
    after: { field: input.field, expiresAt }, note: purpose,
  });
  return { value, expiresAt };
}
