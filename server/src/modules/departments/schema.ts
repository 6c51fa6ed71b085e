/** TypeBox shapes of the 县直部门 routes. */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';

const Id = Type.Integer({ minimum: 1 });
const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Phone = Type.String({ pattern: '^[0-9+()\\- ]{5,20}$', description: '办公电话，如 0739-7221234' });

export const Department = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  phone: Nullable(Type.String()),
  villageCount: Type.Integer({ description: '联系村总数' }),
});

export const DepartmentDetail = Type.Intersect([Department, Type.Object({
  villages: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), townshipName: Type.String() }), {
    description: '联系村（仅列出您管辖范围内的村）',
  }),
  canManage: Type.Boolean(),
})]);

export const DepartmentListQuery = Type.Intersect([PageQuery, Type.Object({
  q: Type.Optional(Type.String({ maxLength: 50 })),
  regionId: Type.Optional(Type.Integer({ minimum: 1, description: '只列出联系该区划下村的部门' })),
})]);
export type DepartmentListQuery = Static<typeof DepartmentListQuery>;

export const DepartmentCreate = Type.Object({
  code: Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' }),
  name: Type.String({ minLength: 2, maxLength: 60 }),
  phone: Type.Optional(Phone),
}, { additionalProperties: false });
export type DepartmentCreate = Static<typeof DepartmentCreate>;

export const DepartmentPatch = Type.Object({
  code: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$' })),
  name: Type.Optional(Type.String({ minLength: 2, maxLength: 60 })),
  phone: Type.Optional(Nullable(Phone)),
}, { additionalProperties: false });
export type DepartmentPatch = Static<typeof DepartmentPatch>;

export const VillagesPut = Type.Object({
  regionIds: Type.Array(Id, { maxItems: 1000 }),
}, { additionalProperties: false });

export const IdParam = Type.Object({ id: Id });
