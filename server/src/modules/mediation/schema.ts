/** TypeBox schemas of the mediation (矛盾纠纷调解) module: requests in, responses out. */
import { Type, type Static, type TSchema } from 'typebox';
import { FOLLOW_UP_LABELS, LEVEL_LABELS, REFERRAL_LABELS, SIDE_LABELS, STEP_ACTIONS, TYPE_LABELS } from './process.js';

const o = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（北京时间）' });
const Instant = Type.String({ format: 'date-time', maxLength: 40 });
const L = Type.Literal;
const labelled = (m: Record<string, string>, what: string) => ({ description: `${what}：${Object.entries(m).map(([k, v]) => `${k} ${v}`).join('，')}` });

export const DisputeType = Type.Union([L('marriage_family'), L('neighbour'), L('land_forest'), L('homestead'), L('labour_pay'), L('contract_debt'), L('damages'), L('other')], labelled(TYPE_LABELS, '纠纷类型'));
export const DisputeLevel = Type.Union([L('village'), L('township'), L('county')], labelled(LEVEL_LABELS, '调解层级'));
export const Side = Type.Union([L('applicant'), L('respondent'), L('third')], labelled(SIDE_LABELS, '当事人身份'));
export const Referral = Type.Union([L('court'), L('arbitration'), L('petition'), L('other')], labelled(REFERRAL_LABELS, '调解不成的引导去向'));
export const Performed = Type.Union([L('performed'), L('partly'), L('not_performed')], labelled(FOLLOW_UP_LABELS, '协议履行情况'));
export const StaffSource = Type.Union([Type.Literal('hotline'), Type.Literal('visit'), Type.Literal('walk_in')], { description: 'hotline 热线，visit 走访发现，walk_in 来访' });

export const IdParam = Type.Object({ id: Id });
export const UserParam = Type.Object({ userId: Id });
export const StepParams = Type.Object({ id: Id, action: Type.Union(STEP_ACTIONS.map((a) => Type.Literal(a))) });

const Phone = Type.String({ maxLength: 20 });
export const PartyBody = Type.Object({
  side: Side,
  name: Type.String({ minLength: 1, maxLength: 40 }),
  phone: Type.Optional(Phone),
  residentId: Type.Optional(Id),
}, o);
export type PartyBody = Static<typeof PartyBody>;

const Summary = Type.String({ minLength: 1, maxLength: 2000, description: '纠纷概况' });
const Claim = Type.String({ minLength: 1, maxLength: 1000, description: '申请人的诉求' });
const Amount = Type.Number({ minimum: 0, maximum: 1e11, description: '涉及金额（元）' });
// null first: with type coercion on, a number-first union would turn null into 0.
const NullableAmount = Type.Union([Type.Null(), Amount]);

/** Staff register a dispute (来访、热线、走访发现). */
export const RegisterBody = Type.Object({
  regionId: Id,
  level: Type.Optional(DisputeLevel),
  type: DisputeType,
  summary: Summary,
  claim: Claim,
  amount: Type.Optional(NullableAmount),
  source: StaffSource,
  sourceRef: Type.Optional(Type.String({ maxLength: 200 })),
  parties: Type.Array(PartyBody, { minItems: 1, maxItems: 20 }),
  preferredMediatorId: Type.Optional(Nullable(Id)),
}, o);
export type RegisterBody = Static<typeof RegisterBody>;

/** A villager applies on the phone: they are the applicant; the other party by name. */
export const ApplyBody = Type.Object({
  type: DisputeType,
  summary: Summary,
  claim: Claim,
  amount: Type.Optional(NullableAmount),
  phone: Type.Optional(Phone),
  otherParty: Type.Object({ name: Type.String({ minLength: 1, maxLength: 40 }), phone: Type.Optional(Phone) }, o),
  preferredMediatorId: Type.Optional(Nullable(Id)),
}, o);
export type ApplyBody = Static<typeof ApplyBody>;

export const FromCaseBody = Type.Object({
  caseId: Id,
  respondentName: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '被申请人（事件未载明时填写）' })),
  respondentPhone: Type.Optional(Phone),
  level: Type.Optional(DisputeLevel),
}, o);
export type FromCaseBody = Static<typeof FromCaseBody>;

export const EditBody = Type.Object({
  version: Type.Integer({ minimum: 0 }),
  type: Type.Optional(DisputeType),
  level: Type.Optional(DisputeLevel),
  summary: Type.Optional(Summary),
  claim: Type.Optional(Claim),
  amount: Type.Optional(NullableAmount),
}, o);
export type EditBody = Static<typeof EditBody>;

export const StepBody = Type.Object({
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
  reason: Type.Optional(Type.String({ maxLength: 1000, description: '不予受理的理由；未选当事人所选调解员的理由（回避等）；调解不成的原因' })),
  mediatorUserId: Type.Optional(Id),
  findings: Type.Optional(Type.String({ maxLength: 4000, description: '调查核实情况' })),
  rightsTold: Type.Optional(Type.Boolean({ description: '已告知当事人权利义务' })),
  sessionAt: Type.Optional(Instant),
  sessionPlace: Type.Optional(Type.String({ maxLength: 100 })),
  heldAt: Type.Optional(Instant),
  place: Type.Optional(Type.String({ maxLength: 100 })),
  attendees: Type.Optional(Type.String({ maxLength: 500 })),
  record: Type.Optional(Type.String({ maxLength: 4000, description: '调解笔录' })),
  agreementText: Type.Optional(Type.String({ maxLength: 8000, description: '调解协议正文' })),
  terms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 20, description: '协议条款' })),
  signedPartyIds: Type.Optional(Type.Array(Id, { maxItems: 20, description: '已签字的当事人' })),
  referral: Type.Optional(Referral),
  performed: Type.Optional(Performed),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  dossierNo: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: '卷宗号' })),
}, o);
export type StepBody = Static<typeof StepBody>;

export const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 20, description: '状态；open 表示办理中（已受理未调结）' })),
  type: Type.Optional(DisputeType),
  level: Type.Optional(DisputeLevel),
  regionId: Type.Optional(Id),
  mine: Type.Optional(Type.Boolean({ description: '只看分给我调解的' })),
  overdue: Type.Optional(Type.Boolean({ description: '只看已超期的' })),
  q: Type.Optional(Type.String({ maxLength: 40, description: '编号或概况中的字' })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}, o);
export type ListQuery = Static<typeof ListQuery>;

export const MediatorQuery = Type.Object({ regionId: Type.Optional(Id) }, o);
export const ProfileBody = Type.Object({
  specialties: Type.Array(DisputeType, { maxItems: 8 }),
  intro: Type.String({ maxLength: 500 }),
}, o);
export type ProfileBody = Static<typeof ProfileBody>;

export const StatsQuery = Type.Object({ regionId: Type.Optional(Id), from: Day, to: Day }, o);
export type StatsQuery = Static<typeof StatsQuery>;

// ── responses ──

export const DisputeItem = Type.Object({
  id: Type.Integer(), code: Type.String(), type: Type.String(), typeLabel: Type.String(), level: Type.String(), levelLabel: Type.String(),
  summary: Type.String(), state: Type.String(), stateLabel: Type.String(), regionId: Type.Integer(), regionName: Type.String(), villageName: Type.String(),
  source: Type.String(), sourceLabel: Type.String(), mediatorUserId: Nullable(Type.Integer()), mediatorName: Nullable(Type.String()),
  applicantNames: Type.String(), respondentNames: Type.String(),
  acceptedAt: Nullable(Type.String()), deadlineAt: Nullable(Type.String()), overdue: Type.Boolean(), createdAt: Type.String(), version: Type.Integer(),
});

export const Party = Type.Object({
  id: Type.Integer(), seq: Type.Integer(), side: Type.String(), sideLabel: Type.String(), name: Type.String(),
  residentId: Nullable(Type.Integer()), phoneMasked: Nullable(Type.String()), signedAt: Nullable(Type.String()),
});
export const Session = Type.Object({
  id: Type.Integer(), seq: Type.Integer(), heldAt: Type.String(), place: Type.String(), attendees: Type.String(), record: Type.String(), mediatorName: Type.String(),
});
export const Step = Type.Object({ key: Type.String(), label: Type.String(), status: Type.String(), at: Nullable(Type.String()) });
export const HistoryRow = Type.Object({
  id: Type.Integer(), action: Type.String(), actionLabel: Type.String(), from: Nullable(Type.String()), to: Type.String(),
  actorName: Type.String(), comment: Nullable(Type.String()), data: Type.Record(Type.String(), Type.Unknown()), at: Type.String(),
});
export const MediatorRef = Type.Object({ id: Type.Integer(), name: Type.String() });

export const DisputeDetail = Type.Object({
  ...DisputeItem.properties,
  claim: Type.String(), amount: Nullable(Type.String()), sourceRef: Nullable(Type.String()), caseId: Nullable(Type.Integer()),
  preferredMediator: Nullable(MediatorRef), assignReason: Nullable(Type.String()), rejectReason: Nullable(Type.String()),
  findings: Nullable(Type.String()), sessionAt: Nullable(Type.String()), sessionPlace: Nullable(Type.String()),
  agreementText: Nullable(Type.String()), agreementTerms: Type.Array(Type.String()), agreedAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()), concludedAt: Nullable(Type.String()), referral: Nullable(Type.String()), referralLabel: Nullable(Type.String()), failReason: Nullable(Type.String()),
  followUpDueAt: Nullable(Type.String()), followUpResult: Nullable(Type.String()), followUpResultLabel: Nullable(Type.String()), followUpNote: Nullable(Type.String()), followedUpAt: Nullable(Type.String()),
  dossierNo: Nullable(Type.String()), archivedAt: Nullable(Type.String()), readOnly: Type.Boolean(),
  parties: Type.Array(Party), sessions: Type.Array(Session), steps: Type.Array(Step), history: Type.Array(HistoryRow),
  actions: Type.Array(Type.Object({ action: Type.String(), label: Type.String() })),
  can: Type.Object({ edit: Type.Boolean() }),
});

export const StepResult = Type.Object({ id: Type.Integer(), state: Type.String(), dispute: Nullable(DisputeDetail) });
export const FromCaseResult = Type.Object({ dispute: DisputeDetail, replayed: Type.Boolean() });

export const Mediator = Type.Object({
  id: Type.Integer(), name: Type.String(), regionId: Type.Integer(), regionName: Type.String(), regionLevel: Type.String(),
  specialties: Type.Array(Type.String()), specialtyLabels: Type.Array(Type.String()), intro: Type.String(),
  openDisputes: Type.Integer(), concluded: Type.Integer(), agreements: Type.Integer(), successRate: Nullable(Type.Number()),
});

const Figures = Type.Object({
  accepted: Type.Integer(), concluded: Type.Integer(), agreements: Type.Integer(), failed: Type.Integer(), successRate: Nullable(Type.Number()), overdue: Type.Integer(), open: Type.Integer(),
});
export const Stats = Type.Object({
  unit: Type.Object({ id: Type.Integer(), name: Type.String(), level: Type.String() }),
  from: Type.String(), to: Type.String(),
  total: Figures,
  byType: Type.Array(Type.Object({ type: Type.String(), typeLabel: Type.String(), ...Figures.properties })),
  byVillage: Type.Array(Type.Object({ villageId: Type.Integer(), villageName: Type.String(), townshipName: Type.String(), ...Figures.properties })),
  definitions: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), formula: Type.String() })),
});
