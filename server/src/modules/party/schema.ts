/** TypeBox shapes of the party routes (党组织, 党员, 联户, 覆盖情况). */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';

const Id = Type.Integer({ minimum: 1 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const OrgKind = Type.Union([
  Type.Literal('committee'), Type.Literal('general_branch'), Type.Literal('branch'), Type.Literal('group'),
], { description: 'committee 党委 | general_branch 党总支 | branch 党支部 | group 党小组' });
export const MemberStatus = Type.Union([Type.Literal('active'), Type.Literal('away'), Type.Literal('transferred')], {
  description: 'active 在册 | away 外出 | transferred 已转出（转出时其联系户自动释放）',
});

export const Org = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  regionId: Type.Integer(),
  regionName: Type.String(),
  parentId: Nullable(Type.Integer()),
  parentName: Nullable(Type.String()),
  memberCount: Type.Integer(),
});
export type Org = Static<typeof Org>;

export const OrgListQuery = Type.Intersect([PageQuery, Type.Object({ regionId: Type.Optional(Id) })]);
export type OrgListQuery = Static<typeof OrgListQuery>;

export const OrgCreate = Type.Object({
  regionId: Id,
  kind: OrgKind,
  name: Type.String({ minLength: 2, maxLength: 60 }),
  parentId: Type.Optional(Nullable(Id)),
}, { additionalProperties: false });
export type OrgCreate = Static<typeof OrgCreate>;

export const Member = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  residentId: Nullable(Type.Integer()),
  villageId: Nullable(Type.Integer()),
  villageName: Nullable(Type.String()),
  joinedOn: Nullable(Type.String()),
  linkQuota: Type.Integer(),
  linkedCount: Type.Integer(),
  status: Type.String(),
});
export type Member = Static<typeof Member>;

export const LinkedHousehold = Type.Object({
  linkId: Type.Integer(),
  id: Type.Integer(),
  code: Type.String(),
  householderName: Type.String(),
  address: Type.String(),
});

export const MemberDetail = Type.Intersect([Member, Type.Object({
  version: Type.Integer(),
  households: Type.Array(LinkedHousehold),
  underQuota: Type.Boolean(),
  can: Type.Object({ edit: Type.Boolean(), link: Type.Boolean() }),
})]);

export const MemberListQuery = Type.Intersect([PageQuery, Type.Object({
  regionId: Type.Optional(Id),
  orgId: Type.Optional(Id),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  status: Type.Optional(MemberStatus),
  underQuota: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Literal('true'), Type.Literal('false')])),
})]);
export type MemberListQuery = Static<typeof MemberListQuery>;

export const MemberCreate = Type.Object({
  orgId: Id,
  residentId: Type.Optional(Id),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  joinedOn: Type.Optional(DateStr),
  linkQuota: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
}, { additionalProperties: false });
export type MemberCreate = Static<typeof MemberCreate>;

export const MemberPatch = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  orgId: Type.Optional(Id),
  joinedOn: Type.Optional(Nullable(DateStr)),
  linkQuota: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  status: Type.Optional(MemberStatus),
}, { additionalProperties: false });
export type MemberPatch = Static<typeof MemberPatch>;

export const LinkCreate = Type.Object({
  memberId: Id,
  householdIds: Type.Array(Id, { minItems: 1, maxItems: 200 }),
}, { additionalProperties: false });
export type LinkCreate = Static<typeof LinkCreate>;

export const LinkResult = Type.Object({
  memberId: Type.Integer(),
  linked: Type.Array(Type.Object({ id: Type.Integer(), householdId: Type.Integer() })),
  alreadyLinked: Type.Array(Type.Integer(), { description: '已联系到本党员的户（未重复写入）' }),
  linkedCount: Type.Integer(),
  linkQuota: Type.Integer(),
});

export const RegionQuery = Type.Object({ regionId: Type.Optional(Id) });
export const RegionPageQuery = Type.Intersect([PageQuery, RegionQuery]);
export type RegionPageQuery = Static<typeof RegionPageQuery>;

const CoverageCounts = {
  households: Type.Integer({ description: '在册户数' }),
  covered: Type.Integer({ description: '已有党员联系的户数' }),
  members: Type.Integer({ description: '在册党员数' }),
  underQuota: Type.Integer({ description: '联系户数未达定额的在册党员数' }),
};
export const Coverage = Type.Object({
  ...CoverageCounts,
  uncovered: Type.Integer(),
  byVillage: Type.Array(Type.Object({ regionId: Type.Integer(), name: Type.String(), ...CoverageCounts, uncovered: Type.Integer() })),
});
export type Coverage = Static<typeof Coverage>;

export const UncoveredHousehold = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  householderName: Type.String(),
  address: Type.String(),
  memberCount: Type.Integer(),
  regionId: Type.Integer(),
  groupName: Nullable(Type.String()),
  villageName: Nullable(Type.String()),
  gridId: Nullable(Type.Integer()),
});

export const IdParam = Type.Object({ id: Id });
export const Ok = Type.Object({ ok: Type.Boolean() });
