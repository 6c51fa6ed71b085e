/**
 * 四议两公开 as a table of transitions for the workflow kernel, and the meeting rules.
 *
 *   proposed ─branch_propose→ branch_proposed (党支部提议)
 *     ─committee_discuss→ committees_discussed (两委会商议)   | rejected (两委会未通过)
 *     ─members_review→ members_reviewed (党员大会审议)          | rejected
 *     ─resolve→ resolved (村民代表会议/村民会议决议)              | rejected
 *     ─publish→ resolution_published (决议公开) ─implement→ implementing ─complete→ done (实施结果公开)
 *
 * A step that takes a meeting needs that meeting's outcome computed by the server (counts recorded
 * or the open vote closed); without a quorum the step is refused, a failed vote rejects the topic.
 */
import { defineProcess } from '../../core/workflow/index.js';
import { AppError } from '../../core/errors.js';
import type { MeetingKind, MeetingResult, TopicCategory, TopicState, ProposerKind } from './tables.js';
import { canManage, type TopicRes } from './policy.js';

export const TOPIC_STATES: Record<TopicState, string> = {
  proposed: '已提出待党支部提议',
  branch_proposed: '党支部已提议待两委会商议',
  committees_discussed: '两委会已商议待党员大会审议',
  members_reviewed: '党员大会已审议待决议',
  resolved: '已决议待公开',
  rejected: '未通过',
  resolution_published: '决议已公开待实施',
  implementing: '实施中',
  done: '已实施，结果已公开',
};
export const PUBLISHED_STATES: TopicState[] = ['resolution_published', 'implementing', 'done'];
/** What a party member sees on the phone: topics from the committees' discussion on. */
export const REVIEW_STATES: TopicState[] = ['committees_discussed', 'members_reviewed', 'resolved', 'resolution_published', 'implementing', 'done'];

export const CATEGORY_LABELS: Record<TopicCategory, string> = { assets: '集体资产处置', project: '工程项目', funds: '惠民资金', rules: '村规民约', other: '其他' };
export const PROPOSER_LABELS: Record<ProposerKind, string> = { branch: '村党支部', villagers: '村民联名', committee: '村民委员会' };
export const KIND_LABELS: Record<MeetingKind, string> = { committees: '两委会', members: '党员大会', representatives: '村民代表会议', villagers: '村民会议' };
export const RESULT_LABELS: Record<MeetingResult, string> = { passed: '通过', failed: '未通过', no_quorum: '到会人数不足，会议无效' };

/** Temporary meetings are announced at least this many days before they are held (米易 六步议事). */
export const NOTICE_DAYS = 3;

/**
 * Quorum and majority per kind of meeting — the rule the page shows next to the counts:
 *  - 村民代表会议 (村民委员会组织法 第二十六条): 三分之二以上的组成人员参加方可召开 (以上含本数:
 *    present × 3 ≥ expected × 2); 决定经到会人员的过半数同意 (for × 2 > present).
 *  - 村民会议 (第二十二条, open vote one per household): 本村三分之二以上的户的代表参加
 *    (households voting × 3 ≥ households × 2); 到会人员的过半数通过 (for × 2 > votes cast).
 *  - 党员大会 (中国共产党支部工作条例): 到会有表决权的党员超过应到会人数的半数 (present × 2 > expected);
 *    赞成超过应到会有表决权党员的半数为通过 (for × 2 > expected).
 *  - 两委会: 过半数成员到会 (present × 2 > expected); 到会成员过半数同意 (for × 2 > present).
 */
export const RULES: Record<MeetingKind, string> = {
  representatives: '村民代表会议须有三分之二以上（含本数）的村民代表到会方可召开，决定经到会人员过半数同意方为通过（《村民委员会组织法》第二十六条）',
  villagers: '村民会议（按户投票）须有本村三分之二以上（含本数）的户投票方为有效，经投票户过半数同意方为通过（《村民委员会组织法》第二十二条）',
  members: '党员大会须有超过应到会党员半数的党员到会，赞成票超过应到会党员半数方为通过（《中国共产党支部工作条例》）',
  committees: '两委会须有过半数成员到会，经到会成员过半数同意方为通过',
};

export interface Tally { expected: number; present: number; for: number; against: number; abstain: number }

export function quorumMet(kind: MeetingKind, t: Pick<Tally, 'expected' | 'present'>): boolean {
  if (kind === 'representatives' || kind === 'villagers') return t.present * 3 >= t.expected * 2;
  return t.present * 2 > t.expected;
}

export function outcome(kind: MeetingKind, t: Tally): MeetingResult {
  if (!quorumMet(kind, t)) return 'no_quorum';
  const base = kind === 'members' ? t.expected : t.present;
  return t.for * 2 > base ? 'passed' : 'failed';
}

export interface MeetingFact { id: number; kind: MeetingKind; result: MeetingResult | null; usedBy: string | null; topicId: number }

export interface StepInput {
  comment?: string | null;
  opinion?: string;
  meetingId?: number;
  record?: string;
  resolutionText?: string;
  noticeText?: string;
  noticeFrom?: string;
  noticeTo?: string;
  result?: string;
  /** Filled in by the service: the meeting named by meetingId. */
  meeting?: MeetingFact | null;
}

export function need(input: StepInput, field: keyof StepInput): string {
  const v = input[field];
  if (typeof v !== 'string' || !v.trim()) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field });
  return v.trim();
}

/** The meeting a step rests on: of the right kind, this topic's, unused, its outcome computed and quorate. */
function meetingFor(r: TopicRes, i: StepInput, kinds: MeetingKind[]): MeetingFact {
  if (!i.meetingId) throw new AppError('DELIBERATION_FIELD_REQUIRED', { field: 'meetingId' });
  const m = i.meeting;
  if (!m || m.topicId !== r.id) throw new AppError('DELIBERATION_MEETING_NOT_FOUND', { field: 'meetingId', meetingId: i.meetingId });
  if (!kinds.includes(m.kind)) throw new AppError('DELIBERATION_MEETING_KIND', { field: 'meetingId', expected: kinds, kind: m.kind });
  if (m.usedBy) throw new AppError('DELIBERATION_MEETING_USED', { meetingId: m.id, usedBy: m.usedBy });
  if (!m.result) throw new AppError('DELIBERATION_VOTE_NOT_CLOSED', { meetingId: m.id });
  if (m.result === 'no_quorum') throw new AppError('DELIBERATION_NO_QUORUM', { meetingId: m.id });
  return m;
}
const passedOr = (next: TopicState) => (_r: TopicRes, i: StepInput): TopicState => (i.meeting?.result === 'passed' ? next : 'rejected');

export const topicProcess = defineProcess<TopicState, TopicRes>({
  name: 'deliberation',
  states: TOPIC_STATES,
  transitions: [
    { action: 'branch_propose', label: '党支部提议', from: ['proposed'], to: 'branch_proposed', allow: canManage, guard: (_r, i: StepInput) => void need(i, 'opinion') },
    {
      action: 'committee_discuss', label: '两委会商议', from: ['branch_proposed'], to: passedOr('committees_discussed'), allow: canManage,
      guard: (r, i: StepInput) => { meetingFor(r, i, ['committees']); need(i, 'record'); need(i, 'opinion'); },
    },
    { action: 'members_review', label: '党员大会审议', from: ['committees_discussed'], to: passedOr('members_reviewed'), allow: canManage, guard: (r, i: StepInput) => void meetingFor(r, i, ['members']) },
    {
      action: 'resolve', label: '村民代表会议决议', from: ['members_reviewed'], to: passedOr('resolved'), allow: canManage,
      guard: (r, i: StepInput) => { meetingFor(r, i, ['representatives', 'villagers']); need(i, 'resolutionText'); },
    },
    {
      action: 'publish', label: '决议公开', from: ['resolved'], to: 'resolution_published', allow: canManage,
      guard: (_r, i: StepInput) => {
        need(i, 'noticeText');
        need(i, 'noticeFrom');
        need(i, 'noticeTo');
        if (i.noticeTo! < i.noticeFrom!) throw new AppError('DELIBERATION_NOTICE_DATES', { field: 'noticeTo' });
      },
    },
    { action: 'implement', label: '组织实施', from: ['resolution_published'], to: 'implementing', allow: canManage },
    { action: 'complete', label: '实施结果公开', from: ['implementing'], to: 'done', allow: canManage, guard: (_r, i: StepInput) => void need(i, 'result') },
  ],
});

export const STEP_ACTIONS = topicProcess.def.transitions.map((t) => t.action);

/** The six stages of 四议两公开 as the Steps bar shows them. */
export const STAGES = [
  { key: 'branch_propose', label: '党支部提议' },
  { key: 'committee_discuss', label: '两委会商议' },
  { key: 'members_review', label: '党员大会审议' },
  { key: 'resolve', label: '村民代表会议决议' },
  { key: 'publish', label: '决议公开' },
  { key: 'complete', label: '实施结果公开' },
] as const;

const DONE: Record<TopicState, number> = {
  proposed: 0, branch_proposed: 1, committees_discussed: 2, members_reviewed: 3, resolved: 4, rejected: -1, resolution_published: 5, implementing: 5, done: 6,
};

export function stagesOf(state: TopicState, at: Record<string, string>, rejectedAt: string | null) {
  const done = state === 'rejected' ? Object.keys(at).filter((k) => STAGES.some((s) => s.key === k)).length : DONE[state];
  return STAGES.map((s, i) => {
    let status: 'finish' | 'process' | 'wait' | 'error';
    if (state === 'rejected') status = i < done - 1 ? 'finish' : i === done - 1 ? 'error' : 'wait';
    else status = i < done ? 'finish' : i === done ? 'process' : 'wait';
    return { key: s.key, label: s.label, status, at: at[s.key] ?? (state === 'rejected' && i === done - 1 ? rejectedAt : null) };
  });
}
