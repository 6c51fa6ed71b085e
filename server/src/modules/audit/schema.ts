/** TypeBox shapes of the audit API (操作日志). */
import { Type, type Static } from 'typebox';
import { PageQuery } from '../../core/paging.js';

const Nullable = <T extends import('typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AuditQuery = Type.Object({
  ...PageQuery.properties,
  entity: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  actorId: Type.Optional(Type.Integer({ minimum: 1 })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  from: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
  to: Type.Optional(Type.String({ minLength: 10, maxLength: 40 })),
  regionId: Type.Optional(Type.Integer({ minimum: 1 })),
}, { additionalProperties: false });
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  action: Type.String(),
  entity: Type.String(),
  entityId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
  note: Nullable(Type.String()),
});
export type AuditEntry = Static<typeof AuditEntry>;
