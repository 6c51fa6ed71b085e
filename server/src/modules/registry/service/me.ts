/** The caller's own things: a villager's household, a grid worker's grids. */
import type { Ctx } from '../../../core/context.js';
import { audit } from '../../../core/audit.js';
import { AppError } from '../../../core/errors.js';
import { decrypt } from '../../../core/pii.js';
import type { PageQuery } from '../../../core/paging.js';
import { inScope, requirePermission } from '../../../core/actor.js';
import * as q from '../queries.js';
import { READ } from '../policy.js';
import { listHouseholds } from './households.js';
import { listGrids, loadGrid } from './grids.js';
import { presentHousehold, presentResident } from './present.js';

/**
 * A villager's own household with its residents, masked. Reached through the account's
 * household link only — never by id — so a villager cannot ask for anyone else's.
 */
export async function myHousehold(ctx: Ctx) {
  if (!ctx.actor.householdId) throw new AppError('NO_HOUSEHOLD');
  const h = await q.findHousehold(ctx.db, ctx.actor.householdId);
  if (!h || h.county_id !== ctx.actor.countyId) throw new AppError('NO_HOUSEHOLD');
  const [residents, contact] = await Promise.all([q.residentsOf(ctx.db, h.id), h.member_id ? q.memberContact(ctx.db, h.member_id) : undefined]);
  return {
    ...presentHousehold(h),
    residents: residents.map(presentResident),
    // The member who links this household (党员联户), masked like every number in a response; the
    // household gets the full number when it taps to call (linkedMemberPhone), and that is logged.
    linkedMember: h.member_id
      ? { id: h.member_id, name: h.member_name!, phoneMasked: contact?.phone_masked ?? null, hasPhone: !!contact?.phone_enc }
      : null,
  };
}

/**
 * The full number of the member who links the caller's household, for a tap-to-call. The link is
 * the permission — a household may call its own member (the same number the 联户 card on the door
 * carries), nobody else's — and, as every reveal of a number, it is audited.
 */
export async function linkedMemberPhone(ctx: Ctx): Promise<{ memberId: number; name: string; phone: string }> {
  if (!ctx.actor.householdId) throw new AppError('NO_HOUSEHOLD');
  const h = await q.findHousehold(ctx.db, ctx.actor.householdId);
  if (!h || h.county_id !== ctx.actor.countyId) throw new AppError('NO_HOUSEHOLD');
  if (!h.member_id) throw new AppError('NOT_FOUND');
  const contact = await q.memberContact(ctx.db, h.member_id);
  if (!contact?.phone_enc) throw new AppError('NOT_FOUND');
  await audit(ctx, {
    action: 'pii.reveal', entity: 'party_member', entityId: h.member_id, regionPath: h.region_path,
    after: { field: 'phone', householdId: h.id }, note: '村民拨打联户党员电话',
  });
  return { memberId: h.member_id, name: h.member_name!, phone: decrypt(contact.phone_enc) };
}

/** Grids the caller staffs (grid_staff.user_id); a caller who staffs none gets every grid in scope. */
export async function myGrids(ctx: Ctx, page: PageQuery) {
  requirePermission(ctx.actor, READ);
  const staffed = await ctx.db
    .selectFrom('grid_staff as s')
    .innerJoin('grids as g', 'g.id', 's.grid_id')
    .select('s.id')
    .where('s.user_id', '=', ctx.actor.userId)
    .where(inScope(ctx.actor, READ, 'g.region_path'))
    .limit(1)
    .executeTakeFirst();
  return listGrids(ctx, { cursor: page.cursor, limit: page.limit }, staffed ? { staffUserId: ctx.actor.userId } : {});
}

export async function myGridHouseholds(ctx: Ctx, gridId: number, page: PageQuery) {
  await loadGrid(ctx, gridId, READ);
  return listHouseholds(ctx, { gridId, cursor: page.cursor, limit: page.limit });
}
