/** Cursor paging by id: stable under inserts, one index range scan per page. */
import { Type, type Static } from 'typebox';
import { AppError } from './errors.js';

export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type PageQuery = Static<typeof PageQuery>;

export function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('VALIDATION_FAILED', { field: 'cursor' }, '分页游标无效');
  return n;
}

export function encodeCursor(id: number): string {
  return Buffer.from(String(id)).toString('base64url');
}

/** Call with limit+1 rows fetched; returns the page and the next cursor. */
export function pageOf<T extends { id: number }>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!.id) : null };
}

export function Page<T extends import('typebox').TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}
