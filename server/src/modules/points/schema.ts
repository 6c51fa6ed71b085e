/** Request schemas of the points module. Scores in the API are points with one decimal (0.4). */
import { Type } from 'typebox';

const o = { additionalProperties: false } as const;
export const IdParam = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const VillageParam = Type.Object({ villageId: Type.Integer({ minimum: 1 }) });
const Score = Type.Number({ minimum: -100, maximum: 100 });
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const Period = Type.String({ pattern: '^\\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$', description: '2026-03 / 2026-Q1 / 2026' });
const Quarter = Type.String({ pattern: '^\\d{4}-Q[1-4]$', description: '2026-Q1' });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Cursor = { cursor: Type.Optional(Type.String({ maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) };
const SubjectKind = Type.Union(['household', 'enterprise', 'family_farm', 'business', 'party_member', 'staff'].map((k) => Type.Literal(k)));

const ItemIn = Type.Object({ code: Text(20), name: Text(100), min: Score, max: Score }, o);
export const BookContent = Type.Object({
  revision: Type.Integer({ minimum: 1, description: '读到的草稿修订号；已被他人保存过则拒绝（409 POINTS_RULE_BOOK_STALE）' }),
  name: Text(100),
  categories: Type.Array(Type.Object({ name: Text(40), isExample: Type.Optional(Type.Boolean()), items: Type.Array(ItemIn, { maxItems: 100 }) }, o), { maxItems: 20 }),
  negative: Type.Array(ItemIn, { maxItems: 50 }),
}, o);
export const BookCreate = Type.Object({ villageId: Type.Integer({ minimum: 1 }), from: Type.Union([Type.Literal('template'), Type.Literal('current')], { default: 'template' }) }, o);
export const BookDiscard = Type.Object({ revision: Type.Optional(Type.Integer({ minimum: 1, description: '读到的草稿修订号；给出时，草稿已被他人保存过则拒绝' })) }, o);
export const BookAdopt = Type.Object({ meeting: Text(200), resolution: Text(500), deliberationId: Type.Optional(Type.Integer({ minimum: 1 })) }, o);
export const BookListQuery = Type.Object({ villageId: Type.Optional(Type.Integer({ minimum: 1 })) });

export const SettingsPatch = Type.Object({
  objectionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  starThresholds: Type.Optional(Type.Array(Type.Number({ minimum: 0.1, maximum: 10000 }), { minItems: 1, maxItems: 10 })),
  blacklistThreshold: Type.Optional(Type.Number({ minimum: 0, maximum: 10000 })),
  creditBands: Type.Optional(Type.Array(Type.Object({ minScore: Type.Number({ minimum: 0, maximum: 10000 }), label: Text(40), terms: Text(200) }, o), { maxItems: 10 })),
}, o);

export const SubjectCreate = Type.Object({
  villageId: Type.Integer({ minimum: 1 }),
  kind: Type.Union(['enterprise', 'family_farm', 'business', 'party_member', 'staff'].map((k) => Type.Literal(k))),
  name: Text(100),
  partyMemberId: Type.Optional(Type.Integer({ minimum: 1 })),
  userId: Type.Optional(Type.Integer({ minimum: 1 })),
}, o);
export const SubjectListQuery = Type.Object({ villageId: Type.Optional(Type.Integer({ minimum: 1 })), kind: Type.Optional(SubjectKind), q: Type.Optional(Type.String({ maxLength: 40 })), ...Cursor });
export const HouseholdListQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 40 })), ...Cursor });

const ClaimFields = {
  itemId: Type.Integer({ minimum: 1 }),
  score: Type.Optional(Score),
  occurredOn: Day,
  note: Type.Optional(Type.String({ maxLength: 500 })),
  photoUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^(/|https://)' })),
  photoId: Type.Optional(Type.Integer({ minimum: 1, description: '先上传照片（POST /points/photos）得到的编号；一张照片只能用于一条记录' })),
};
export const ClaimCreate = Type.Object({ householdId: Type.Optional(Type.Integer({ minimum: 1 })), subjectId: Type.Optional(Type.Integer({ minimum: 1 })), ...ClaimFields }, o);
export const Declaration = Type.Object(ClaimFields, o);
export const ClaimBulk = Type.Object({ items: Type.Array(ClaimCreate, { minItems: 1, maxItems: 500 }) }, o);
export const ClaimListQuery = Type.Object({
  villageId: Type.Optional(Type.Integer({ minimum: 1 })),
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])),
  month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })),
  subjectId: Type.Optional(Type.Integer({ minimum: 1 })),
  ...Cursor,
});
export const Review = Type.Object({ ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 500 }), decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]), reason: Type.Optional(Type.String({ maxLength: 500 })) }, o);
export const Reason = Type.Object({ reason: Text(500) }, o);
export const OptionalReason = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, o);

export const EntryListQuery = Type.Object({
  villageId: Type.Optional(Type.Integer({ minimum: 1 })),
  subjectId: Type.Optional(Type.Integer({ minimum: 1 })),
  period: Type.Optional(Period),
  kind: Type.Optional(Type.Union(['award', 'deduction', 'reversal', 'correction'].map((k) => Type.Literal(k)))),
  ...Cursor,
});
export const MyListQuery = Type.Object({ ...Cursor });

export const RankingQuery = Type.Object({
  regionId: Type.Integer({ minimum: 1 }),
  period: Period,
  subjectKind: Type.Optional(SubjectKind),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000, default: 0 })),
});
export const RegionPeriodQuery = Type.Object({ regionId: Type.Integer({ minimum: 1 }), period: Period });
export const StarsQuery = Type.Object({ villageId: Type.Integer({ minimum: 1 }), period: Quarter });

export const PublicationCreate = Type.Object({ villageId: Type.Integer({ minimum: 1 }), period: Quarter }, o);
export const PublicationListQuery = Type.Object({ villageId: Type.Optional(Type.Integer({ minimum: 1 })), period: Type.Optional(Quarter) });
export const BranchApproval = Type.Object({ meeting: Text(200), resolution: Text(500) }, o);
export const Publish = Type.Object({ objectionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })) }, o);

export const AppealCreate = Type.Object({ entryId: Type.Integer({ minimum: 1 }), reason: Text(1000) }, o);
export const AppealListQuery = Type.Object({
  villageId: Type.Optional(Type.Integer({ minimum: 1 })),
  status: Type.Optional(Type.Union(['open', 'investigating', 'upheld', 'rejected'].map((k) => Type.Literal(k)))),
  ...Cursor,
});
export const Note = Type.Object({ note: Text(1000) }, o);
export const AppealDecision = Type.Object({ decision: Type.Union([Type.Literal('uphold'), Type.Literal('reject')]), reason: Text(1000), correctedScore: Type.Optional(Score) }, o);

export const AwardsGrant = Type.Object({
  villageId: Type.Integer({ minimum: 1 }),
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  awards: Type.Array(Type.Object({ subjectId: Type.Integer({ minimum: 1 }), title: Text(40), amountFen: Type.Integer({ minimum: 0, maximum: 100_000_000 }) }, o), { minItems: 1, maxItems: 500 }),
}, o);
export const AwardsQuery = Type.Object({ villageId: Type.Optional(Type.Integer({ minimum: 1 })), year: Type.Integer({ minimum: 2000, maximum: 2100 }) });

export const BlacklistClose = Type.Object({ villageId: Type.Integer({ minimum: 1 }), period: Type.String({ pattern: '^\\d{4}(-Q[1-4])?$' }), resolution: Text(500) }, o);
export const BlacklistQuery = Type.Object({ villageId: Type.Optional(Type.Integer({ minimum: 1 })), activeOn: Type.Optional(Day) });
export const Helper = Type.Object({ helperName: Text(40), helperUserId: Type.Optional(Type.Integer({ minimum: 1 })), plan: Text(2000) }, o);

export const ConsentCreate = Type.Object({
  recipientKind: Type.Union([Type.Literal('bank'), Type.Literal('employer')]),
  recipientName: Text(100),
  purpose: Text(200),
  days: Type.Integer({ minimum: 1, maximum: 90, default: 30 }),
}, o);
export const ConsentQuery = Type.Object({ code: Type.String({ minLength: 6, maxLength: 40 }) });
