/** TypeBox schemas of the deliberation (议事协商) module. */
import { Type, type Static, type TSchema } from 'typebox';
import { CATEGORY_LABELS, KIND_LABELS, PROPOSER_LABELS, STEP_ACTIONS } from './process.js';

const o = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([Type.Null(), t]);
const Id = Type.Integer({ minimum: 1 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
const L = Type.Literal;
const labelled = (m: Record<string, string>, what: string) => ({ description: `${what}：${Object.entries(m).map(([k, v]) => `${k} ${v}`).join('，')}` });

export const Category = Type.Union([L('assets'), L('project'), L('funds'), L('rules'), L('other')], labelled(CATEGORY_LABELS, '议题类别'));
export const ProposerKind = Type.Union([L('branch'), L('villagers'), L('committee')], labelled(PROPOSER_LABELS, '提议人'));
export const MeetingKind = Type.Union([L('committees'), L('members'), L('representatives'), L('villagers')], labelled(KIND_LABELS, '会议类型'));
export const Choice = Type.Union([L('for'), L('against'), L('abstain')], { description: 'for 赞成，against 反对，abstain 弃权' });

export const IdParam = Type.Object({ id: Id });
export const StepParams = Type.Object({ id: Id, action: Type.Union(STEP_ACTIONS.map((a) => Type.Literal(a))) });

export const TopicBody = Type.Object({
  regionId: Id,
  title: Type.String({ minLength: 1, maxLength: 100 }),
  content: Type.String({ minLength: 1, maxLength: 5000 }),
  proposerKind: ProposerKind,
  signatures: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: '村民联名人数' })),
  category: Category,
  amount: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e11, description: '涉及金额（元）' }))),
}, o);
export type TopicBody = Static<typeof TopicBody>;

const Text = (max: number) => Type.String({ maxLength: max });
export const StepBody = Type.Object({
  comment: Type.Optional(Text(1000)),
  opinion: Type.Optional(Text(2000)),
  meetingId: Type.Optional(Id),
  record: Type.Optional(Text(5000)),
  resolutionText: Type.Optional(Text(5000)),
  noticeText: Type.Optional(Text(5000)),
  noticeFrom: Type.Optional(Day),
  noticeTo: Type.Optional(Day),
  result: Type.Optional(Text(5000)),
}, o);
export type StepBody = Static<typeof StepBody>;

export const MeetingBody = Type.Object({
  kind: MeetingKind,
  heldAt: Instant,
  place: Type.String({ minLength: 1, maxLength: 100 }),
  announcedAt: Type.Optional(Instant),
  voteMode: Type.Optional(Type.Union([L('counts'), L('open')], { description: 'counts 会后登记票数；open 村民在手机上按户投票' })),
  expected: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: '应到人数（按户表决时由系统按本村户数计算）' })),
  voteClosesAt: Type.Optional(Instant),
}, o);
export type MeetingBody = Static<typeof MeetingBody>;

export const CountsBody = Type.Object({
  present: Type.Integer({ minimum: 0, maximum: 100000 }),
  for: Type.Integer({ minimum: 0, maximum: 100000 }),
  against: Type.Integer({ minimum: 0, maximum: 100000 }),
  abstain: Type.Integer({ minimum: 0, maximum: 100000 }),
}, o);
export type CountsBody = Static<typeof CountsBody>;

export const VoteBody = Type.Object({ choice: Choice }, o);
export const RemarkBody = Type.Object({ kind: Type.Union([L('guide'), L('objection')], { description: 'guide 乡镇指导意见，objection 监督委员会异议' }), text: Type.String({ minLength: 1, maxLength: 2000 }) }, o);
export type RemarkBody = Static<typeof RemarkBody>;

export const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 40 })),
  category: Type.Optional(Category),
  regionId: Type.Optional(Id),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);
export type ListQuery = Static<typeof ListQuery>;
export const OverviewQuery = Type.Object({ regionId: Type.Optional(Id) }, o);

// ── responses (every field the service returns: the serializer drops what is not listed) ──

const Int = Type.Integer();
const Str = Type.String();
const Bool = Type.Boolean();
const NStr = Nullable(Str);
const NInt = Nullable(Int);

export const TopicItem = Type.Object({
  id: Int, code: Str, title: Str, category: Str, categoryLabel: Str, state: Str, stateLabel: Str,
  villageName: Str, proposerKind: Str, proposerLabel: Str, signatures: NInt, amount: Nullable(Type.String({ description: '涉及金额（元），两位小数，如 "1234.50"' })),
  createdAt: Str, publishedAt: NStr,
});

export const Meeting = Type.Object({
  id: Int, topicId: Int, kind: Str, kindLabel: Str, heldAt: Str, place: Str, announcedAt: Str, noticeDays: Int,
  voteMode: Type.String({ description: 'counts 会后登记票数；open 村民在手机上按户投票' }),
  expected: Int, present: NInt, for: Int, against: Int, abstain: Int, voteClosesAt: NStr, closedAt: NStr, open: Bool, acceptingVotes: Bool,
  quorumMet: Nullable(Bool), result: Nullable(Type.String({ description: 'passed 通过，failed 未通过，no_quorum 到会人数不足' })), resultLabel: NStr, rule: Str, usedBy: NStr,
});

export const TopicDetail = Type.Object({
  ...TopicItem.properties,
  content: Str, branchOpinion: NStr, committeeRecord: NStr, committeeOpinion: NStr,
  committeeMeetingId: NInt, reviewMeetingId: NInt, resolveMeetingId: NInt,
  resolutionText: NStr, noticeText: NStr, noticeFrom: NStr, noticeTo: NStr, implementationResult: NStr, doneAt: NStr, version: Int,
  meetings: Type.Array(Meeting),
  stages: Type.Array(Type.Object({ key: Str, label: Str, status: Type.String({ description: 'finish、process、wait、error' }), at: NStr })),
  history: Type.Array(Type.Object({
    id: Int, action: Str, actionLabel: Str, from: NStr, to: Str, actorName: Str, comment: NStr, data: Type.Record(Type.String(), Type.Unknown()), at: Str,
  })),
  actions: Type.Array(Type.Object({ action: Str, label: Str })),
  can: Type.Object({ manage: Bool, guide: Bool, object: Bool }),
  rules: Type.Record(Type.String(), Type.String(), { description: '各类会议的法定人数与表决规则' }),
  noticeDaysRequired: Int,
});

export const StepResult = Type.Object({ id: Int, state: Str, topic: Nullable(TopicDetail) });
export const VoteResult = Type.Object({ meetingId: Int, choice: Str, castAt: Str });

export const MyDeliberation = Type.Object({
  published: Type.Array(Type.Object({ ...TopicItem.properties, noticeText: NStr, implementationResult: NStr })),
  reviews: Type.Array(TopicItem),
  votes: Type.Array(Type.Object({ ...Meeting.properties, title: Str, content: Str, myChoice: NStr })),
});

export const Overview = Type.Object({
  total: Type.Record(Type.String(), Type.Integer(), { description: '各状态议题数' }),
  states: Type.Record(Type.String(), Type.String(), { description: '状态名称' }),
  villages: Type.Array(Type.Object({ villageId: Int, villageName: Str, total: Int, byState: Type.Record(Type.String(), Type.Integer()) })),
});
