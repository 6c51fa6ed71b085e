/** TypeBox shapes of the 包保 routes. */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';
import { DateStr } from '../party/schema.js';

const Id = Type.Integer({ minimum: 1 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const Level = Type.Union([
  Type.Literal('county_township'), Type.Literal('township_village'), Type.Literal('village_group'), Type.Literal('member_household'),
], { description: 'county_township 县领导包乡镇 | township_village 乡镇干部包村 | village_group 村干部包组 | member_household 党员包户' });
export type Level = Static<typeof Level>;

export const Assignment = Type.Object({
  id: Type.Integer(),
  level: Type.String(),
  patronName: Type.String(),
  patronTitle: Nullable(Type.String()),
  patronUserId: Nullable(Type.Integer()),
  patronMemberId: Nullable(Type.Integer()),
  target: Type.Object({
    type: Type.Union([Type.Literal('region'), Type.Literal('household')]),
    id: Type.Integer(),
    name: Type.String(),
    code: Type.String(),
  }),
  startsOn: Type.String(),
  endsOn: Nullable(Type.String()),
  active: Type.Boolean(),
});

export const AssignmentListQuery = Type.Intersect([PageQuery, Type.Object({
  level: Type.Optional(Level),
  regionId: Type.Optional(Id),
  patronUserId: Type.Optional(Id),
  patronMemberId: Type.Optional(Id),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('ended'), Type.Literal('all')], { default: 'active' })),
})]);
export type AssignmentListQuery = Static<typeof AssignmentListQuery>;

export const AssignmentCreate = Type.Object({
  level: Level,
  targetId: Type.Integer({ minimum: 1, description: '乡镇、村、组的区划 id；党员包户时为户 id' }),
  patronUserId: Type.Optional(Id),
  patronMemberId: Type.Optional(Type.Integer({ minimum: 1, description: '党员包户时必填' })),
  patronName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  patronTitle: Type.Optional(Type.String({ maxLength: 60 })),
  startsOn: Type.Optional(DateStr),
}, { additionalProperties: false });
export type AssignmentCreate = Static<typeof AssignmentCreate>;

export const IdParam = Type.Object({ id: Id });
