/** TypeBox shapes of the account routes (账号, 角色授权). Password hashes never leave the server. */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';

const Id = Type.Integer({ minimum: 1 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Kind = Type.Union([Type.Literal('staff'), Type.Literal('villager')], { description: 'staff 工作人员 | villager 村民' });

export const GrantView = Type.Object({
  id: Type.Integer(),
  roleKey: Type.String(),
  roleName: Type.String(),
  regionId: Type.Integer(),
  regionName: Type.String(),
  regionLevel: Type.String(),
});

export const Account = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  locked: Type.Boolean(),
  lockedUntil: Nullable(Type.String()),
  totpEnabled: Type.Boolean(),
  lastLoginAt: Nullable(Type.String()),
  householdId: Nullable(Type.Integer()),
  departmentId: Nullable(Type.Integer()),
  grants: Type.Array(GrantView),
});
export type Account = Static<typeof Account>;

export const AccountListQuery = Type.Intersect([PageQuery, Type.Object({
  regionId: Type.Optional(Id),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  kind: Type.Optional(Kind),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
})]);
export type AccountListQuery = Static<typeof AccountListQuery>;

export const GrantInput = Type.Object({ roleKey: Type.String({ minLength: 1, maxLength: 64 }), regionId: Id }, { additionalProperties: false });
export type GrantInput = Static<typeof GrantInput>;

export const AccountCreate = Type.Object({
  username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$', description: '3–32位字母、数字、下划线、点或横线' }),
  displayName: Type.String({ minLength: 1, maxLength: 50 }),
  kind: Kind,
  password: Type.String({ minLength: 1, maxLength: 128 }),
  householdId: Type.Optional(Id),
  departmentId: Type.Optional(Id),
  grants: Type.Optional(Type.Array(GrantInput, { maxItems: 20 })),
}, { additionalProperties: false });
export type AccountCreate = Static<typeof AccountCreate>;

export const AccountPatch = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
}, { additionalProperties: false });
export type AccountPatch = Static<typeof AccountPatch>;

export const ResetPassword = Type.Object({ password: Type.String({ minLength: 1, maxLength: 128 }) }, { additionalProperties: false });

export const Role = Type.Object({
  key: Type.String(),
  name: Type.String(),
  requiresTotp: Type.Boolean(),
  permissions: Type.Array(Type.Object({ key: Type.String(), label: Type.String() })),
  grantable: Nullable(Type.Boolean({ description: '带 regionId 查询时：当前用户能否在该区划授予此角色' })),
});
export const Permission = Type.Object({ key: Type.String(), label: Type.String() });

export const RolesQuery = Type.Object({ regionId: Type.Optional(Id) });
export const IdParam = Type.Object({ id: Id });
export const GrantParam = Type.Object({ id: Id, grantId: Id });
export const Ok = Type.Object({ ok: Type.Boolean() });
