/**
 * Households (户). Reads need registry.read on the household's place, writes registry.write;
 * updates are optimistic on `version`; every write is audited with masked before/after.
 */
import { assertCovers, covers, inScope, requirePermission } from '../../../core/actor.js';
import { audit, diff } from '../../../core/audit.js';
import { inTransaction, type Ctx } from '../../../core/context.js';
import { AppError } from '../../../core/errors.js';
import { decodeCursor, pageOf } from '../../../core/paging.js';
import { keyedHash, parseIdNumber, sealPhone } from '../../../core/pii.js';
import { entityHistory } from '../../audit/service.js';
import { idsOfPath, requireRegion } from '../../regions/service.js';
import * as q from '../queries.js';
import {
  READ, WRITE, canEditHousehold, canReveal, gridCoversHousehold, householdEditable, householdRegionAllowed,
  householdStatusChangeAllowed,
} from '../policy.js';
import type { CreateHouseholdBody, Household, HouseholdDetail, HouseholdListQuery, UpdateHouseholdBody } from '../schema.js';
import { checkVersion, narrowScope, optionalPhone, trimmed } from './common.js';
import { loadGrid } from './grids.js';
import { householdSnapshot, presentHousehold, presentResident } from './present.js';

type HouseholdRow = NonNullable<Awaited<ReturnType<typeof q.findHousehold>>>;

/** The household, if the caller holds `permission` on its place; else 403 / 404. */
export async function loadHousehold(ctx: Ctx, id: number, permission = READ): Promise<HouseholdRow> {
  requirePermission(ctx.actor, permission);
  const h = await q.findHousehold(ctx.db, id);
  assertCovers(ctx.actor, permission, h?.region_path);
  return h!;
}

/** Exact-match search keys: validated, so a typo answers 400 instead of an empty list. */
export function searchHashes(input: { idNumber?: string; phone?: string }) {
  let idHash: string | undefined;
  let phoneHash: string | undefined;
  if (input.idNumber) {
    const r = parseIdNumber(input.idNumber);
    if ('error' in r) throw new AppError('INVALID_ID_NUMBER', { field: 'idNumber', reason: r.error }, r.error);
    idHash = keyedHash(r.normalized);
  }
  if (input.phone) phoneHash = keyedHash(optionalPhone(input.phone)!);
  return { idHash, phoneHash };
}

export async function listHouseholds(ctx: Ctx, query: HouseholdListQuery): Promise<{ items: Household[]; nextCursor: string | null }> {
  requirePermission(ctx.actor, READ);
  const region = query.regionId ? await requireRegion(ctx, query.regionId, READ) : null;
  if (query.gridId) await loadGrid(ctx, query.gridId, READ);
  const limit = query.limit ?? 50;
  const hashes = searchHashes(query);
  const ids = hashes.idHash || hashes.phoneHash ? await q.householdIdsByHash(ctx.db, ctx.actor.countyId, hashes) : undefined;
  const rows = await q.listHouseholds(ctx.db, inScope(ctx.actor, READ, 'h.region_path'), {
    narrow: narrowScope(ctx.actor, READ, region?.path), regionPath: region?.path, gridId: query.gridId,
    q: query.q?.trim() || undefined, tag: query.tag, ids, afterId: decodeCursor(query.cursor), limit,
  });
  const page = pageOf(rows, limit);
  return { items: page.items.map(presentHousehold), nextCursor: page.nextCursor };
}

/** Household with residents, its linked party member and its patrons (包保). */
export async function describeHousehold(ctx: Ctx, h: HouseholdRow): Promise<HouseholdDetail> {
  const [residents, patrons] = await Promise.all([
    q.residentsOf(ctx.db, h.id),
    q.patronsOf(ctx.db, h.id, idsOfPath(h.region_path)),
  ]);
  return {
    ...presentHousehold(h),
    version: h.version,
    residents: residents.map(presentResident),
    linkedMember: h.member_id ? { id: h.member_id, name: h.member_name! } : null,
    patrons: patrons.map((p) => ({
      id: p.id, level: p.level, patronName: p.patron_name, patronTitle: p.patron_title,
      targetType: p.target_household_id ? 'household' as const : 'region' as const, startsOn: p.starts_on,
    })),
    can: { edit: canEditHousehold(ctx.actor, h), reveal: canReveal(ctx.actor, h.region_path) },
  };
}

export async function getHousehold(ctx: Ctx, id: number): Promise<HouseholdDetail> {
  return describeHousehold(ctx, await loadHousehold(ctx, id));
}

/** The grid a household is put in must be visible to the caller and contain the household's place. */
async function checkGrid(ctx: Ctx, gridId: number, householdPath: string) {
  const grid = await loadGrid(ctx, gridId, READ);
  if (!gridCoversHousehold(grid.region_path, householdPath)) throw new AppError('GRID_NOT_IN_REGION', { gridId });
}

export async function createHousehold(ctx: Ctx, input: CreateHouseholdBody): Promise<HouseholdDetail> {
  const address = trimmed(input.address, 'address');
  const householderName = trimmed(input.householderName, 'householderName');
  const phone = optionalPhone(input.phone);
  const tags = normaliseTags(input.tags);
  const id = await inTransaction(ctx, async (tx) => {
    const region = await requireRegion(tx, input.regionId, WRITE);
    if (!householdRegionAllowed(region.level)) throw new AppError('HOUSEHOLD_REGION_INVALID', { regionId: region.id, level: region.level });
    if (input.gridId) await checkGrid(tx, input.gridId, region.path);
    // One code sequence per group: lock the group row so concurrent creates take turns.
    await q.lockRow(tx.db, 'regions', region.id);
    const seq = (await q.maxHouseholdSeq(tx.db, region.county_id!, region.code)) + 1;
    if (seq > 9999) throw new AppError('HOUSEHOLD_CODE_EXHAUSTED');
    const code = region.code + String(seq).padStart(4, '0');
    const row = await tx.db
      .insertInto('households')
      .values({
        county_id: region.county_id!, region_id: region.id, region_path: region.path, grid_id: input.gridId ?? null,
        code, address, householder_name: householderName, member_count: 0, tags, ...sealPhone(phone),
      })
      .returning(['id', 'phone_masked'])
      .executeTakeFirstOrThrow();
    await audit(tx, {
      action: 'household.create', entity: 'household', entityId: row.id, regionPath: region.path,
      after: { code, address, householderName, gridId: input.gridId ?? null, phoneMasked: row.phone_masked, tags, regionId: region.id },
    });
    return row.id;
  });
  return getHousehold(ctx, id);
}

function normaliseTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))];
}

export async function updateHousehold(ctx: Ctx, id: number, input: UpdateHouseholdBody): Promise<HouseholdDetail> {
  await inTransaction(ctx, async (tx) => {
    // Permission first (403 says nothing about the row), then the row's place (404).
    requirePermission(tx.actor, WRITE);
    const locked = await q.lockHousehold(tx.db, id);
    assertCovers(tx.actor, WRITE, locked?.region_path);
    const h = locked!;
    checkVersion(h.version, input.version);
    if (!householdEditable(h.status)) throw new AppError('HOUSEHOLD_MERGED');
    if (input.status && !householdStatusChangeAllowed(h.status, input.status)) {
      throw new AppError('HOUSEHOLD_STATUS_INVALID', { from: h.status, to: input.status });
    }
    if (input.gridId) await checkGrid(tx, input.gridId, h.region_path);
    const phoneChanged = input.phone !== undefined;
    const sealed = phoneChanged ? sealPhone(optionalPhone(input.phone)) : null;
    const next = {
      address: input.address !== undefined ? trimmed(input.address, 'address') : h.address,
      grid_id: input.gridId !== undefined ? input.gridId : h.grid_id,
      tags: input.tags !== undefined ? normaliseTags(input.tags) : h.tags,
      status: input.status ?? h.status,
      ...(sealed ?? { phone_enc: h.phone_enc, phone_hash: h.phone_hash, phone_masked: h.phone_masked }),
    };
    const change = diff(householdSnapshot(h), householdSnapshot({ ...h, ...next }));
    await tx.db
      .updateTable('households')
      .set({ ...next, version: h.version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await audit(tx, { action: 'household.update', entity: 'household', entityId: id, regionPath: h.region_path, ...change });
  });
  return getHousehold(ctx, id);
}

export async function householdHistory(ctx: Ctx, id: number) {
  const h = await loadHousehold(ctx, id);
  const residentIds = (await q.residentsOf(ctx.db, h.id)).map((r) => r.id);
  return entityHistory(ctx, [
    { entity: 'household', ids: [h.id] },
    { entity: 'resident', ids: residentIds },
  ]);
}

/** Does the caller's write scope cover this household? (for other modules' buttons) */
export function canWriteAt(ctx: Ctx, path: string): boolean {
  return covers(ctx.actor, WRITE, path);
}
