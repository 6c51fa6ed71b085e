/**
 * Rule books (积分规则): versioned per village. A village starts a draft from the county template
 * (安家村 model) or from its current book, edits it, and adopts it at a meeting (村民代表大会,
 * 四议两公开) — only then can points be recorded against it. Adopting supersedes the previous book;
 * superseded books stay readable because entries point at their items.
 *
 * Drafts are saved optimistically: each book carries a `revision` (its saves), a save sends the
 * revision it was based on and a stale one is refused (POINTS_RULE_BOOK_STALE) with nothing
 * written, so two people editing one draft never silently overwrite each other. A draft that is
 * not wanted is discarded (deleted with its items; the audit row keeps its content); the adopted
 * book is never touched by either.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { CreditBand } from '../../db/types.js';
import { AppError } from '../../core/errors.js';
import { assertCovers, hasPermission, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { insertBookContent, seedPointsTemplate, type TemplateCategory, type TemplateItem } from './template.js';
import { villageInScope, villageOfPath } from './subjects.js';
import './errors.js';

/** Points (0.4) → tenths (4), refusing more than one decimal. */
export function toTenths(points: number, field = 'score'): number {
  const t = Math.round(points * 10);
  if (!Number.isFinite(points) || Math.abs(points * 10 - t) > 1e-6) throw new AppError('POINTS_SCORE_PRECISION', { field });
  return t;
}
export const toPoints = (tenths: number) => tenths / 10;

export interface BookContentInput {
  name: string;
  /** The draft revision the edit was based on (optimistic locking). */
  revision?: number;
  categories: { name: string; isExample?: boolean; items: { code: string; name: string; min: number; max: number }[] }[];
  negative: { code: string; name: string; min: number; max: number }[];
}

/** Checks a book's content and converts it to tenths; every problem is listed with its place. */
export function validateContent(input: BookContentInput): { categories: TemplateCategory[]; negative: TemplateItem[] } {
  const problems: { field: string; reason: string }[] = [];
  const codes = new Set<string>();
  const item = (it: { code: string; name: string; min: number; max: number }, field: string, kind: 'positive' | 'negative'): TemplateItem => {
    const code = it.code.trim();
    if (!code) problems.push({ field: `${field}.code`, reason: '编号不能为空' });
    if (codes.has(code)) problems.push({ field: `${field}.code`, reason: `编号 ${code} 重复` });
    codes.add(code);
    if (!it.name.trim()) problems.push({ field: `${field}.name`, reason: '名称不能为空' });
    const min = toTenths(it.min, `${field}.min`);
    const max = toTenths(it.max, `${field}.max`);
    if (min > max) problems.push({ field, reason: '最低分不能高于最高分' });
    if (kind === 'positive' && (min <= 0 || max > 1000)) problems.push({ field, reason: '加分项分值应大于0且不超过100分' });
    if (kind === 'negative' && (max >= 0 || min < -1000)) problems.push({ field, reason: '负面清单分值应小于0且不低于-100分' });
    return { code, name: it.name.trim(), min, max };
  };
  const categories = input.categories.map((c, ci) => {
    if (!c.name.trim()) problems.push({ field: `categories.${ci}.name`, reason: '类别名称不能为空' });
    return { name: c.name.trim(), isExample: !!c.isExample, items: c.items.map((it, ii) => item(it, `categories.${ci}.items.${ii}`, 'positive')) };
  });
  const negative = input.negative.map((it, ii) => item(it, `negative.${ii}`, 'negative'));
  if (categories.reduce((n, c) => n + c.items.length, 0) + negative.length === 0) problems.push({ field: 'categories', reason: '至少需要一个积分项目' });
  if (problems.length) throw new AppError('POINTS_RULE_BOOK_INVALID', { problems });
  return { categories, negative };
}

async function bookInScope(ctx: Ctx, id: number, permission: string) {
  const b = await ctx.db.selectFrom('points_rule_books').selectAll().where('id', '=', id).executeTakeFirst();
  if (!b || b.county_id !== ctx.actor.countyId) throw new AppError('POINTS_RULE_BOOK_NOT_FOUND');
  if (b.status === 'template') return b; // the county template is readable by everyone in the county
  if (!canReadVillageThing(ctx, permission, b.region_path)) throw new AppError('POINTS_RULE_BOOK_NOT_FOUND');
  return b;
}

/** Staff with the permission on the path, or a villager of that village reading (rules are public there). */
function canReadVillageThing(ctx: Ctx, permission: string, villagePath: string): boolean {
  if (permission === 'points.read' && ctx.actor.kind === 'villager' && hasPermission(ctx.actor, 'points.self')) {
    return ctx.actor.grants.some((g) => g.regionPath.startsWith(villagePath) || villagePath.startsWith(g.regionPath));
  }
  try {
    assertCovers(ctx.actor, permission, villagePath);
    return true;
  } catch {
    return false;
  }
}

export async function createDraft(ctx: Ctx, input: { villageId: number; from: 'template' | 'current' }) {
  const village = await villageInScope(ctx, input.villageId, 'points.rules');
  return inTransaction(ctx, async (tx) => {
    const books = await tx.db.selectFrom('points_rule_books').select(['id', 'version', 'status']).where('region_id', '=', village.id).forUpdate().execute();
    if (books.some((b) => b.status === 'draft')) throw new AppError('POINTS_RULE_BOOK_DRAFT_EXISTS');
    const sourceId = input.from === 'current'
      ? books.find((b) => b.status === 'adopted')?.id ?? (await seedPointsTemplate(tx.db, village.county_id))
      : await seedPointsTemplate(tx.db, village.county_id);
    const source = await loadBook(tx.db, sourceId);
    const version = Math.max(0, ...books.map((b) => b.version)) + 1;
    const book = await tx.db
      .insertInto('points_rule_books')
      .values({
        county_id: village.county_id, region_id: village.id, region_path: village.path, version, name: source.name, status: 'draft',
        based_on_id: sourceId, adopted_at: null, adopted_by: null, meeting: null, resolution: null, deliberation_id: null, created_by: ctx.actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await insertBookContent(tx.db, village.county_id, book.id, source.categories.map((c) => ({ name: c.name, isExample: c.is_example, items: c.items.map(rawItem) })), source.negative.map(rawItem));
    await audit(tx, { action: 'points.rules.draft', entity: 'points_rule_book', entityId: book.id, regionPath: village.path, after: { version, basedOn: sourceId } });
    return getBook(tx, book.id);
  });
}

const rawItem = (it: { code: string; name: string; min_score: number; max_score: number }): TemplateItem => ({ code: it.code, name: it.name, min: it.min_score, max: it.max_score });

/** The locked row's revision against the one the client read: anything else is stale. */
function checkRevision(current: number, sent: number | undefined) {
  if (sent !== undefined && sent !== current) throw new AppError('POINTS_RULE_BOOK_STALE', { currentRevision: current, sentRevision: sent });
}

/** Replaces a draft's name, categories and items in one transaction, if nobody saved it meanwhile. */
export async function updateDraft(ctx: Ctx, id: number, input: BookContentInput & { revision: number }) {
  const content = validateContent(input);
  const book = await bookInScope(ctx, id, 'points.rules');
  if (book.status !== 'draft') throw new AppError('POINTS_RULE_BOOK_NOT_DRAFT');
  return inTransaction(ctx, async (tx) => {
    const locked = await tx.db.selectFrom('points_rule_books').select(['status', 'revision']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'draft') throw new AppError('POINTS_RULE_BOOK_NOT_DRAFT');
    checkRevision(locked.revision, input.revision);
    await tx.db.deleteFrom('points_rule_items').where('book_id', '=', id).execute();
    await tx.db.deleteFrom('points_rule_categories').where('book_id', '=', id).execute();
    await insertBookContent(tx.db, book.county_id, id, content.categories, content.negative);
    await tx.db.updateTable('points_rule_books').set({ name: input.name.trim(), revision: locked.revision + 1, updated_at: new Date() }).where('id', '=', id).execute();
    const { revision, ...after } = input;
    await audit(tx, { action: 'points.rules.edit', entity: 'points_rule_book', entityId: id, regionPath: book.region_path, before: { revision }, after: { ...after, revision: locked.revision + 1 } });
    return getBook(tx, id);
  });
}

/**
 * Discards a draft: the book, its categories and items are deleted in one transaction; the audit
 * row keeps what it held. Only a draft (an adopted, superseded or template book is refused), only
 * with points.rules over its village. With `revision`, a draft saved by someone since is refused.
 */
export async function discardDraft(ctx: Ctx, id: number, input: { revision?: number } = {}) {
  const book = await bookInScope(ctx, id, 'points.rules');
  if (book.status !== 'draft') throw new AppError('POINTS_RULE_BOOK_NOT_DRAFT');
  return inTransaction(ctx, async (tx) => {
    const locked = await tx.db.selectFrom('points_rule_books').select(['status', 'revision']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) throw new AppError('POINTS_RULE_BOOK_NOT_FOUND');
    if (locked.status !== 'draft') throw new AppError('POINTS_RULE_BOOK_NOT_DRAFT');
    checkRevision(locked.revision, input.revision);
    const before = await getBook(tx, id);
    await tx.db.deleteFrom('points_rule_items').where('book_id', '=', id).execute();
    await tx.db.deleteFrom('points_rule_categories').where('book_id', '=', id).execute();
    await tx.db.deleteFrom('points_rule_books').where('id', '=', id).where('status', '=', 'draft').execute();
    await audit(tx, {
      action: 'points.rules.discard', entity: 'points_rule_book', entityId: id, regionPath: book.region_path,
      before: { status: 'draft', version: before.version, revision: before.revision, name: before.name, basedOnId: before.basedOnId, categories: before.categories, negative: before.negative },
    });
    return { id, villageId: book.region_id, discarded: true as const };
  });
}

/** Adoption at a meeting: the draft takes effect and the previous book is superseded. */
export async function adoptBook(ctx: Ctx, id: number, input: { meeting: string; resolution: string; deliberationId?: number }) {
  const book = await bookInScope(ctx, id, 'points.rules');
  return inTransaction(ctx, async (tx) => {
    const locked = await tx.db.selectFrom('points_rule_books').select('status').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status !== 'draft') throw new AppError('POINTS_RULE_BOOK_NOT_DRAFT');
    const items = await tx.db.selectFrom('points_rule_items').select(sql<number>`count(*)::int`.as('n')).where('book_id', '=', id).executeTakeFirstOrThrow();
    if (!items.n) throw new AppError('POINTS_RULE_BOOK_INVALID', { problems: [{ field: 'items', reason: '至少需要一个积分项目' }] });
    await tx.db.updateTable('points_rule_books').set({ status: 'superseded', updated_at: new Date() }).where('region_id', '=', book.region_id).where('status', '=', 'adopted').execute();
    await tx.db
      .updateTable('points_rule_books')
      .set({ status: 'adopted', adopted_at: new Date(), adopted_by: ctx.actor.userId, meeting: input.meeting.trim(), resolution: input.resolution.trim(), deliberation_id: input.deliberationId ?? null, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await audit(tx, { action: 'points.rules.adopt', entity: 'points_rule_book', entityId: id, regionPath: book.region_path, before: { status: 'draft' }, after: { status: 'adopted', ...input } });
    return getBook(tx, id);
  });
}

async function loadBook(db: Kdb, id: number) {
  const book = await db.selectFrom('points_rule_books').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const cats = await db.selectFrom('points_rule_categories').selectAll().where('book_id', '=', id).orderBy('sort').orderBy('id').execute();
  const items = await db.selectFrom('points_rule_items').selectAll().where('book_id', '=', id).orderBy('sort').orderBy('id').execute();
  return {
    ...book,
    categories: cats.map((c) => ({ ...c, items: items.filter((it) => it.category_id === c.id) })),
    negative: items.filter((it) => it.category_id === null),
  };
}

const itemOut = (it: { id: number; code: string; name: string; kind: string; min_score: number; max_score: number }) => ({
  id: it.id, code: it.code, name: it.name, kind: it.kind, min: toPoints(it.min_score), max: toPoints(it.max_score),
});

export async function getBook(ctx: Ctx, id: number) {
  await bookInScope(ctx, id, 'points.read');
  const b = await loadBook(ctx.db, id);
  return {
    id: b.id, villageId: b.region_id, version: b.version, revision: b.revision, name: b.name, status: b.status, basedOnId: b.based_on_id,
    adoptedAt: b.adopted_at ? new Date(b.adopted_at).toISOString() : null, meeting: b.meeting, resolution: b.resolution, deliberationId: b.deliberation_id,
    categories: b.categories.map((c) => ({ id: c.id, name: c.name, isExample: c.is_example, items: c.items.map(itemOut) })),
    negative: b.negative.map(itemOut),
    itemCount: b.categories.reduce((n, c) => n + c.items.length, 0),
  };
}

export async function listBooks(ctx: Ctx, villageId?: number) {
  let q = ctx.db
    .selectFrom('points_rule_books')
    .select(['id', 'region_id', 'version', 'name', 'status', 'adopted_at', 'meeting', 'resolution'])
    .where('county_id', '=', ctx.actor.countyId)
    .where((eb) => eb.or([eb('status', '=', 'template'), inScope(ctx.actor, 'points.read', 'region_path')]))
    .orderBy('region_id')
    .orderBy('version', 'desc')
    .limit(500);
  if (villageId) q = q.where('region_id', '=', villageId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id, villageId: r.region_id, version: r.version, name: r.name, status: r.status,
    adoptedAt: r.adopted_at ? new Date(r.adopted_at).toISOString() : null, meeting: r.meeting, resolution: r.resolution,
  }));
}

/** The village's adopted book id, or null. */
export async function currentBookId(db: Kdb, villageId: number): Promise<number | null> {
  const b = await db.selectFrom('points_rule_books').select('id').where('region_id', '=', villageId).where('status', '=', 'adopted').executeTakeFirst();
  return b?.id ?? null;
}

/** The adopted book of a village the caller may read (villagers: their own village). */
export async function currentBook(ctx: Ctx, villageId: number) {
  const v = await ctx.db.selectFrom('regions').select(['id', 'path', 'county_id', 'level']).where('id', '=', villageId).executeTakeFirst();
  if (!v || v.county_id !== ctx.actor.countyId || !canReadVillageThing(ctx, 'points.read', v.path)) throw new AppError('REGION_NOT_FOUND');
  const id = await currentBookId(ctx.db, villageId);
  if (!id) throw new AppError('POINTS_NO_ADOPTED_RULES');
  return getBook(ctx, id);
}

// ── Settings ───────────────────────────────────────────────────────────────────────────────

export interface VillageSettings {
  objectionDays: number;
  starThresholds: number[]; // tenths
  blacklistThreshold: number; // tenths
  creditBands: CreditBand[];
}

export const DEFAULT_CREDIT_BANDS: CreditBand[] = [
  { minScore: 300, label: 'A级（优）', terms: '可享信用贷款利率优惠，授信额度上浮' },
  { minScore: 150, label: 'B级（良）', terms: '可按标准利率申请信用贷款' },
  { minScore: 70, label: 'C级（中）', terms: '需提供担保' },
];

export async function settingsOf(db: Kdb, villageId: number): Promise<VillageSettings> {
  const s = await db.selectFrom('points_settings').selectAll().where('region_id', '=', villageId).executeTakeFirst();
  return {
    objectionDays: s?.objection_days ?? 7,
    starThresholds: s?.star_thresholds ?? [50, 100, 150, 200, 250],
    blacklistThreshold: s?.blacklist_threshold ?? 70,
    creditBands: s?.credit_bands?.length ? s.credit_bands : DEFAULT_CREDIT_BANDS,
  };
}

export const settingsOut = (s: VillageSettings) => ({
  objectionDays: s.objectionDays,
  starThresholds: s.starThresholds.map(toPoints),
  blacklistThreshold: toPoints(s.blacklistThreshold),
  creditBands: s.creditBands.map((b) => ({ ...b, minScore: toPoints(b.minScore) })),
});

export async function getSettings(ctx: Ctx, villageId: number) {
  await villageInScope(ctx, villageId, 'points.read');
  return settingsOut(await settingsOf(ctx.db, villageId));
}

export async function updateSettings(ctx: Ctx, villageId: number, input: { objectionDays?: number; starThresholds?: number[]; blacklistThreshold?: number; creditBands?: CreditBand[] }) {
  const village = await villageInScope(ctx, villageId, 'points.rules');
  const cur = await settingsOf(ctx.db, villageId);
  const next: VillageSettings = {
    objectionDays: input.objectionDays ?? cur.objectionDays,
    starThresholds: input.starThresholds ? input.starThresholds.map((x) => toTenths(x, 'starThresholds')) : cur.starThresholds,
    blacklistThreshold: input.blacklistThreshold !== undefined ? toTenths(input.blacklistThreshold, 'blacklistThreshold') : cur.blacklistThreshold,
    creditBands: input.creditBands ? input.creditBands.map((b) => ({ ...b, minScore: toTenths(b.minScore, 'creditBands') })) : cur.creditBands,
  };
  const t = next.starThresholds;
  if (t.some((x, i) => x <= 0 || (i > 0 && x <= t[i - 1]!))) throw new AppError('POINTS_SETTINGS_INVALID', { field: 'starThresholds', reason: '星级门槛须为正数且逐级递增' });
  return inTransaction(ctx, async (tx) => {
    await tx.db
      .insertInto('points_settings')
      .values({ region_id: village.id, county_id: village.county_id, region_path: village.path, objection_days: next.objectionDays, star_thresholds: next.starThresholds, blacklist_threshold: next.blacklistThreshold, credit_bands: JSON.stringify(next.creditBands) })
      .onConflict((oc) => oc.column('region_id').doUpdateSet({ objection_days: next.objectionDays, star_thresholds: next.starThresholds, blacklist_threshold: next.blacklistThreshold, credit_bands: JSON.stringify(next.creditBands), updated_at: new Date() }))
      .execute();
    await audit(tx, { action: 'points.settings.update', entity: 'points_settings', entityId: village.id, regionPath: village.path, before: cur, after: next });
    return settingsOut(next);
  });
}

/** Stars for a score against ascending thresholds. */
export function starsFor(score: number, thresholds: number[]): number {
  let n = 0;
  for (const t of thresholds) if (score >= t) n++;
  return n;
}

export { villageOfPath };
