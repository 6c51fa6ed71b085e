/**
 * The eight steps (米易 八步工作法) as a table of transitions for the workflow kernel:
 * 受理 → 确定调解人员 → 调查核实 → 告之相关事宜 → 开展调解 (may repeat) → 调解协议 | 调解不成 →
 * 纠纷回访 → 整理卷宗. Effects (deadlines, parties' sign-off, sessions, notifications) live in
 * service.ts; the guards here check the input against the row.
 */
import { defineProcess } from '../../core/workflow/index.js';
import { AppError } from '../../core/errors.js';
import type { DisputeState } from '../../db/types.js';
import { canManage, isMediator, type DisputeRes } from './policy.js';

export const DISPUTE_STATES: Record<DisputeState, string> = {
  applied: '待受理',
  rejected: '不予受理',
  accepted: '已受理待确定调解员',
  assigned: '待调查核实',
  investigated: '待告知相关事宜',
  informed: '待调解',
  mediating: '调解中',
  agreed: '已达成协议待回访',
  failed: '调解不成（已引导）',
  followed_up: '已回访待归档',
  archived: '已归档',
};

/** Open: accepted and not yet concluded — the 30-day limit runs. */
export const OPEN_STATES: DisputeState[] = ['accepted', 'assigned', 'investigated', 'informed', 'mediating'];

export const TYPE_LABELS = {
  marriage_family: '婚姻家庭', neighbour: '邻里纠纷', land_forest: '土地山林', homestead: '宅基地',
  labour_pay: '劳动报酬', contract_debt: '合同债务', damages: '损害赔偿', other: '其他',
} as const;
export const LEVEL_LABELS = { village: '村级调解', township: '乡镇调解', county: '县级调解' } as const;
export const SOURCE_LABELS = { phone: '村民手机申请', case: '事件转入', hotline: '热线', visit: '走访发现', walk_in: '来访' } as const;
export const SIDE_LABELS = { applicant: '申请人', respondent: '被申请人', third: '第三人' } as const;
export const REFERRAL_LABELS = { court: '诉调对接（法院）', arbitration: '仲裁', petition: '信访', other: '其他渠道' } as const;
export const FOLLOW_UP_LABELS = { performed: '已履行', partly: '部分履行', not_performed: '未履行' } as const;

export interface StepInput {
  comment?: string | null;
  reason?: string;
  mediatorUserId?: number;
  findings?: string;
  rightsTold?: boolean;
  sessionAt?: string;
  sessionPlace?: string;
  heldAt?: string;
  place?: string;
  attendees?: string;
  record?: string;
  agreementText?: string;
  terms?: string[];
  signedPartyIds?: number[];
  referral?: keyof typeof REFERRAL_LABELS;
  performed?: keyof typeof FOLLOW_UP_LABELS;
  note?: string;
  dossierNo?: string;
}

/** A required text field: present and not blank, else a stable code naming the field. */
export function need(input: Record<string, unknown>, field: string): string {
  const v = input[field];
  if (typeof v !== 'string' || !v.trim()) throw new AppError('MEDIATION_FIELD_REQUIRED', { field });
  return v.trim();
}

const mediatorOrManager = (a: Parameters<typeof canManage>[0], d: DisputeRes) => isMediator(a, d) || canManage(a, d);

export const disputeProcess = defineProcess<DisputeState, DisputeRes>({
  name: 'dispute',
  states: DISPUTE_STATES,
  transitions: [
    { action: 'accept', label: '受理', from: ['applied'], to: 'accepted', allow: canManage },
    { action: 'reject', label: '不予受理', from: ['applied'], to: 'rejected', allow: canManage, guard: (_d, i: StepInput) => void need(i as Record<string, unknown>, 'reason') },
    {
      action: 'assign', label: '确定调解人员', from: ['accepted', 'assigned'], to: 'assigned', allow: canManage,
      guard: (d, i: StepInput) => {
        if (!i.mediatorUserId) throw new AppError('MEDIATION_FIELD_REQUIRED', { field: 'mediatorUserId' });
        // The parties chose from the pool: another mediator only with the reason written down (回避 …).
        if (d.preferredMediatorId && i.mediatorUserId !== d.preferredMediatorId && !i.reason?.trim()) {
          throw new AppError('MEDIATION_RECUSAL_REASON_REQUIRED', { field: 'reason', preferredMediatorId: d.preferredMediatorId });
        }
      },
    },
    {
      // 村调不了的报镇调: a village manager hands an open village dispute to the township's
      // mediation committee, which assigns its own mediator; the reason is kept.
      action: 'escalate', label: '上报乡镇调解', from: ['accepted', 'assigned', 'investigated', 'informed', 'mediating'], to: 'accepted',
      allow: (a, d) => d.level === 'village' && canManage(a, d),
      guard: (_d, i: StepInput) => void need(i as Record<string, unknown>, 'reason'),
    },
    { action: 'investigate', label: '调查核实', from: ['assigned'], to: 'investigated', allow: isMediator, guard: (_d, i: StepInput) => void need(i as Record<string, unknown>, 'findings') },
    {
      action: 'inform', label: '告之相关事宜', from: ['investigated'], to: 'informed', allow: isMediator,
      guard: (_d, i: StepInput) => {
        if (i.rightsTold !== true) throw new AppError('MEDIATION_RIGHTS_NOT_TOLD', { field: 'rightsTold' });
        if (!i.sessionAt) throw new AppError('MEDIATION_FIELD_REQUIRED', { field: 'sessionAt' });
        need(i as Record<string, unknown>, 'sessionPlace');
      },
    },
    {
      action: 'mediate', label: '开展调解', from: ['informed', 'mediating'], to: 'mediating', allow: isMediator,
      guard: (_d, i: StepInput) => {
        need(i as Record<string, unknown>, 'record');
        need(i as Record<string, unknown>, 'place');
      },
    },
    {
      action: 'agree', label: '调解协议', from: ['mediating'], to: 'agreed', allow: isMediator,
      guard: (_d, i: StepInput) => {
        need(i as Record<string, unknown>, 'agreementText');
        if (!i.terms?.length || i.terms.some((t) => !t.trim())) throw new AppError('MEDIATION_FIELD_REQUIRED', { field: 'terms' });
      },
    },
    {
      action: 'fail', label: '调解不成', from: ['mediating'], to: 'failed', allow: isMediator,
      guard: (_d, i: StepInput) => {
        if (!i.referral) throw new AppError('MEDIATION_FIELD_REQUIRED', { field: 'referral' });
        need(i as Record<string, unknown>, 'reason');
      },
    },
    {
      action: 'follow_up', label: '纠纷回访', from: ['agreed'], to: 'followed_up', allow: mediatorOrManager,
      guard: (_d, i: StepInput) => {
        if (!i.performed) throw new AppError('MEDIATION_FIELD_REQUIRED', { field: 'performed' });
      },
    },
    { action: 'archive', label: '整理卷宗', from: ['followed_up', 'failed'], to: 'archived', allow: mediatorOrManager, guard: (_d, i: StepInput) => void need(i as Record<string, unknown>, 'dossierNo') },
  ],
});

export const STEP_ACTIONS = disputeProcess.def.transitions.map((t) => t.action);

/** The eight steps as the Steps bar shows them, and which states each is done in. */
export const EIGHT_STEPS = [
  { key: 'accept', label: '受理' },
  { key: 'assign', label: '确定调解人员' },
  { key: 'investigate', label: '调查核实' },
  { key: 'inform', label: '告之相关事宜' },
  { key: 'mediate', label: '开展调解' },
  { key: 'agree', label: '调解协议' },
  { key: 'follow_up', label: '纠纷回访' },
  { key: 'archive', label: '整理卷宗' },
] as const;

/** How many of the eight steps are done in a state (rejected: none; failed skips 协议 and 回访). */
const DONE: Record<DisputeState, number> = {
  applied: 0, rejected: 0, accepted: 1, assigned: 2, investigated: 3, informed: 4, mediating: 4, agreed: 6, failed: 5, followed_up: 7, archived: 8,
};

export type StepStatus = 'finish' | 'process' | 'wait' | 'error' | 'skipped';

/** Each step's status for a dispute in `state` (and whether it failed, for an archived one). */
export function stepsOf(state: DisputeState, outcome: 'agreed' | 'failed' | null, at: Partial<Record<string, string | null>>) {
  const done = DONE[state];
  const failed = outcome === 'failed';
  return EIGHT_STEPS.map((s, i) => {
    let status: StepStatus;
    if (state === 'rejected') status = i === 0 ? 'error' : 'wait';
    else if (failed && (s.key === 'agree' || s.key === 'follow_up')) status = s.key === 'agree' ? 'error' : 'skipped';
    else if (i < done || (state === 'archived')) status = 'finish';
    else if (i === done || (state === 'mediating' && s.key === 'mediate')) status = 'process';
    else status = 'wait';
    if (state === 'failed' && s.key === 'archive') status = 'process';
    return { key: s.key, label: s.label, status, at: at[s.key] ?? null };
  });
}
