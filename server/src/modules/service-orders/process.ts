/**
 * 三单 (泸溪): 村民点单 → 支部下单 → 党员接单 → 办结 → 村民评价, as a workflow-kernel process.
 */
import { defineProcess } from '../../core/workflow/index.js';
import { AppError } from '../../core/errors.js';
import { holdsAt } from '../cases/policy.js';
import type { ServiceOrderState } from '../../db/types.js';
import type { Actor } from '../../core/actor.js';

export interface OrderRes {
  id: number;
  countyId: number;
  regionPath: string;
  state: ServiceOrderState;
  requesterUserId: number | null;
  memberId: number | null;
  /** The caller's party-member id, if they are one (filled in by the service). */
  callerMemberId: number | null;
}

export const ORDER_STATES: Record<ServiceOrderState, string> = {
  requested: '待派单', assigned: '待接单', taken: '服务中', completed: '待评价', closed: '已完成', cancelled: '已取消',
};

/** The village party branch: who holds 'service_orders.assign' on the order's village. */
export const isBranch = (a: Actor, o: OrderRes) => holdsAt(a, 'service_orders.assign', o.regionPath, ['village', 'group', 'township']);
const isRequester = (a: Actor, o: OrderRes) => o.requesterUserId != null && o.requesterUserId === a.userId;
const isAssignedMember = (_a: Actor, o: OrderRes) => o.memberId != null && o.callerMemberId === o.memberId;

export const orderProcess = defineProcess<ServiceOrderState, OrderRes>({
  name: 'service_order',
  states: ORDER_STATES,
  transitions: [
    { action: 'assign', label: '支部下单', from: ['requested'], to: 'assigned', allow: isBranch },
    { action: 'take', label: '党员接单', from: ['assigned'], to: 'taken', allow: isAssignedMember },
    {
      action: 'decline', label: '无法接单（退回支部）', from: ['assigned'], to: 'requested', allow: isAssignedMember,
      guard: (_o, i: { comment?: string | null }) => {
        if (!i.comment?.trim()) throw new AppError('CASE_COMMENT_REQUIRED');
      },
    },
    {
      action: 'complete', label: '服务完成', from: ['taken'], to: 'completed', allow: isAssignedMember,
      guard: (_o, i: { result?: string }) => {
        if (!i.result?.trim()) throw new AppError('CASE_RESULT_REQUIRED');
      },
    },
    {
      action: 'rate', label: '村民评价', from: ['completed'], to: 'closed', allow: isRequester,
      guard: (_o, i: { rating?: number }) => {
        if (!i.rating || i.rating < 1 || i.rating > 5) throw new AppError('CASE_RATING_INVALID');
      },
    },
    { action: 'cancel', label: '取消', from: ['requested', 'assigned'], to: 'cancelled', allow: (a, o) => isRequester(a, o) || isBranch(a, o) },
  ],
});
