/**
 * An expense's sign-off chain on the workflow kernel: signing (step k of n) → sign → signing
 * (k+1) … → posted after the last step; any step may return it with a reason → returned; the
 * village cadre resubmits → signing from the first step, a new round.
 */
import { defineProcess } from '../../core/workflow/index.js';
import { AppError } from '../../core/errors.js';
import type { EntryState } from './tables.js';
import { canResubmit, canSign, type EntryRes } from './policy.js';

export const ENTRY_STATES: Record<EntryState, string> = { signing: '审签中', returned: '已退回', posted: '已入账' };
export const KIND_LABELS = { income: '收入', expense: '支出' } as const;
export const PAY_LABELS = { bank_transfer: '银行转账', official_card: '公务卡', corporate_transfer: '对公转账' } as const;
export const NOTICE_LABELS = { party: '党务公开', village: '村务公开', finance: '财务公开', policy: '惠民政策' } as const;
export const CATEGORIES = ['办公经费', '工程款', '惠民资金', '集体经营收入', '上级补助', '其他'] as const;

/** Roles a chain step may name, and the level each signs at. */
export const STEP_ROLES: Record<string, { name: string; level: 'village' | 'township' }> = {
  village_cadre: { name: '村两委干部', level: 'village' },
  evaluation_group: { name: '村务监督委员会', level: 'village' },
  township_cadre: { name: '乡镇干部（农经站）', level: 'township' },
};
export const MAX_STEPS = 8;

/** The county default when a county has not set its own (利州: level by level, up to eight). */
export const DEFAULT_CHAIN = [
  { label: '经办人', role: 'village_cadre', level: 'village' as const },
  { label: '村务监督委员会审核', role: 'evaluation_group', level: 'village' as const },
  { label: '村委会主任审批', role: 'village_cadre', level: 'village' as const },
  { label: '村党支部书记审批', role: 'village_cadre', level: 'village' as const },
  { label: '乡镇农经站审核', role: 'township_cadre', level: 'township' as const },
];

export interface EntryStepInput { comment?: string | null }

export const entryProcess = defineProcess<EntryState, EntryRes>({
  name: 'finance_entry',
  states: ENTRY_STATES,
  transitions: [
    { action: 'sign', label: '审签', from: ['signing'], to: (r) => (r.currentStep + 1 >= r.steps.length ? 'posted' : 'signing'), allow: canSign },
    {
      action: 'return', label: '退回', from: ['signing'], to: 'returned', allow: canSign,
      guard: (_r, i: EntryStepInput) => {
        if (!i.comment?.trim()) throw new AppError('DISCLOSURE_REASON_REQUIRED', { field: 'comment' });
      },
    },
    { action: 'resubmit', label: '重新提交', from: ['returned'], to: 'signing', allow: canResubmit },
  ],
});
