/**
 * The case process (五步闭环: report → tiered dispatch → time-limited handling → supervision →
 * revisit → close) as a table of transitions for the workflow kernel. Effects (deadlines, the
 * handler, notifications) live in service.ts, one function per action.
 */
import { defineProcess } from '../../core/workflow/index.js';
import { AppError } from '../../core/errors.js';
import type { CaseState, HandlingLevel } from '../../db/types.js';
import { canDispatch, canRevisit, canSupervise, isCurrentHandler, isLevelAbove, isReporter } from './policy.js';

export interface CaseRes {
  id: number;
  countyId: number;
  regionPath: string;
  state: CaseState;
  level: HandlingLevel;
  departmentId: number | null;
  reporterUserId: number | null;
  handlerUserId: number | null;
  extensionDaysRequested: number | null;
  version: number;
}

export const CASE_STATES: Record<CaseState, string> = {
  pending: '待受理',
  handling: '办理中',
  suspended: '已挂起',
  resolved: '已办结待回访',
  closed: '已销号',
  merged: '已合并',
};

export const LEVEL_LABELS: Record<HandlingLevel, string> = { village: '村级', township: '乡镇', department: '县直部门' };

const OPEN: CaseState[] = ['pending', 'handling'];

function needComment(input: { comment?: string | null }) {
  if (!input.comment || !input.comment.trim()) throw new AppError('CASE_COMMENT_REQUIRED');
}

export const caseProcess = defineProcess<CaseState, CaseRes>({
  name: 'case',
  states: CASE_STATES,
  transitions: [
    { action: 'accept', label: '受理', from: ['pending'], to: 'handling', allow: isCurrentHandler },
    {
      action: 'escalate', label: '上报乡镇', from: OPEN, to: 'pending',
      allow: (a, c) => c.level === 'village' && isCurrentHandler(a, c),
      guard: (_c, i) => needComment(i),
    },
    {
      action: 'dispatch', label: '分拨交办', from: OPEN, to: 'pending',
      allow: (a, c) => c.level !== 'department' && canDispatch(a, c),
      guard: (_c, i: { departmentId?: number }) => {
        if (!i.departmentId) throw new AppError('CASE_DEPARTMENT_REQUIRED');
      },
    },
    {
      action: 'send_back', label: '退回（分拨有误）', from: OPEN, to: 'pending',
      allow: (a, c) => c.level !== 'village' && isCurrentHandler(a, c),
      guard: (_c, i) => needComment(i),
    },
    {
      action: 'request_extension', label: '申请延期', from: ['handling'], to: 'handling', allow: isCurrentHandler,
      guard: (c, i: { days?: number; comment?: string | null }) => {
        if (c.extensionDaysRequested != null) throw new AppError('CASE_EXTENSION_PENDING');
        if (!i.days || i.days < 1 || i.days > 30) throw new AppError('CASE_EXTENSION_DAYS');
        needComment(i);
      },
    },
    {
      action: 'approve_extension', label: '批准延期', from: ['handling'], to: 'handling', allow: isLevelAbove,
      guard: (c) => {
        if (c.extensionDaysRequested == null) throw new AppError('CASE_NO_EXTENSION_REQUEST');
      },
    },
    {
      action: 'reject_extension', label: '驳回延期', from: ['handling'], to: 'handling', allow: isLevelAbove,
      guard: (c, i) => {
        if (c.extensionDaysRequested == null) throw new AppError('CASE_NO_EXTENSION_REQUEST');
        needComment(i);
      },
    },
    { action: 'suspend', label: '挂起（挂账）', from: OPEN, to: 'suspended', allow: isLevelAbove, guard: (_c, i) => needComment(i) },
    {
      action: 'resume', label: '恢复办理', from: ['suspended'], allow: isLevelAbove,
      to: (c) => (c.handlerUserId ? 'handling' : 'pending'),
    },
    {
      action: 'resolve', label: '办结', from: ['handling'], to: 'resolved', allow: isCurrentHandler,
      guard: (_c, i: { result?: string }) => {
        if (!i.result || !i.result.trim()) throw new AppError('CASE_RESULT_REQUIRED');
      },
    },
    {
      action: 'rate', label: '回访评价', from: ['resolved'], allow: canRevisit,
      // 1–2 不满意 → rework; 3 基本满意, 4–5 满意 → 销号
      to: (_c, i: { rating: number }) => (i.rating <= 2 ? 'handling' : 'closed'),
      guard: (_c, i: { rating?: number }) => {
        if (!i.rating || i.rating < 1 || i.rating > 5) throw new AppError('CASE_RATING_INVALID');
      },
    },
    { action: 'close_timeout', label: '回访超时自动销号', from: ['resolved'], to: 'closed', system: true },
    {
      action: 'reopen', label: '重新办理', from: ['closed'], allow: (a, c) => isReporter(a, c) || canSupervise(a, c),
      to: (c) => (c.handlerUserId ? 'handling' : 'pending'),
      guard: (_c, i) => needComment(i),
    },
    {
      action: 'confirm', label: '确认是否真正解决', from: ['closed'], allow: isReporter,
      to: (c, i: { fixed: boolean }) => (i.fixed ? 'closed' : c.handlerUserId ? 'handling' : 'pending'),
    },
    {
      action: 'merge', label: '合并重复事件', from: ['pending', 'handling', 'suspended'], to: 'merged',
      allow: (a, c) => isCurrentHandler(a, c) || canDispatch(a, c),
      guard: (c, i: { targetId?: number }) => {
        if (!i.targetId || i.targetId === c.id) throw new AppError('CASE_MERGE_TARGET_INVALID');
      },
    },
    {
      action: 'supervise', label: '督办', from: ['pending', 'handling', 'suspended'], to: (c) => c.state, allow: canSupervise,
      guard: (_c, i) => needComment(i),
    },
  ],
});
