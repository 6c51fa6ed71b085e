/**
 * Rule-book drafts (积分规则草稿): optimistic locking of saves (a save names the revision it was
 * based on; a stale one is refused with nothing written, also when two saves race) and discarding
 * a draft (only a draft, only with points.rules over its village, audited, the adopted book
 * untouched). Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;

interface Item { code: string; name: string; min: number; max: number }
interface Book { id: number; villageId: number; version: number; revision: number; name: string; status: string; itemCount: number; categories: { name: string; isExample: boolean; items: Item[] }[]; negative: Item[] }

const login = async (u: string) => new Client(app).login(u);
/** The body of a save: the book's content as read, optionally changed, with its revision. */
const content = (b: Book, patch: Partial<{ name: string; revision: number; dropFirstItem: boolean }> = {}) => ({
  revision: patch.revision ?? b.revision,
  name: patch.name ?? b.name,
  categories: b.categories.map((c, ci) => ({
    name: c.name, isExample: c.isExample,
    items: c.items.filter((_, ii) => !(patch.dropFirstItem && ci === 0 && ii === 0)).map(({ code, name, min, max }) => ({ code, name, min, max })),
  })),
  negative: b.negative.map(({ code, name, min, max }) => ({ code, name, min, max })),
});
const audits = async (action: string, id: number) =>
  database.db.selectFrom('audit_log').select(['before', 'after', 'actor_name']).where('action', '=', action).where('entity', '=', 'points_rule_book').where('entity_id', '=', String(id)).execute();
const countOf = async (table: 'points_rule_items' | 'points_rule_categories', bookId: number) =>
  Number((await database.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).where('book_id', '=', bookId).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('saving a draft: optimistic locking', () => {
  let draft: Book;

  it('a new draft starts at revision 1; each save moves it on by one', async () => {
    const a = await login('villageA1');
    const d = await a.post<Book>('/api/v1/points/rule-books', { villageId: world.regions.villageA1.id, from: 'template' });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ status: 'draft', revision: 1 });
    const saved = await a.put<Book>(`/api/v1/points/rule-books/${d.body.id}`, content(d.body, { name: '江口村积分细则（甲）' }));
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ revision: 2, name: '江口村积分细则（甲）', itemCount: d.body.itemCount, version: d.body.version });
    draft = saved.body;
  });

  it('a save based on an older revision is refused (409, stable code, Chinese message) and writes nothing', async () => {
    // two people opened revision 2; the first saves, the second's save is stale
    const first = await login('villageA1');
    const second = await login('villageA1');
    const ok = await first.put<Book>(`/api/v1/points/rule-books/${draft.id}`, content(draft, { name: '第一个人的修改', dropFirstItem: true }));
    expect(ok.status).toBe(200);
    expect(ok.body.revision).toBe(3);
    const items = await countOf('points_rule_items', draft.id);
    const edits = (await audits('points.rules.edit', draft.id)).length;

    const stale = await second.put(`/api/v1/points/rule-books/${draft.id}`, content(draft, { name: '第二个人的修改' }));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'POINTS_RULE_BOOK_STALE', message: '规则草稿已被他人修改，请刷新后再改', details: { currentRevision: 3, sentRevision: 2 } });
    const now = (await first.get<Book>(`/api/v1/points/rule-books/${draft.id}`)).body;
    expect(now).toMatchObject({ name: '第一个人的修改', revision: 3, itemCount: draft.itemCount - 1 });
    expect(await countOf('points_rule_items', draft.id)).toBe(items);
    expect((await audits('points.rules.edit', draft.id)).length).toBe(edits);

    // after reloading, the second person's save goes through
    const again = await second.put<Book>(`/api/v1/points/rule-books/${draft.id}`, content(now, { name: '第二个人的修改' }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revision: 4, name: '第二个人的修改' });
    draft = again.body;
  });

  it('two saves of the same revision at once: exactly one is stored', async () => {
    const [x, y] = await Promise.all([login('villageA1'), login('villageA1')]);
    const rs = await Promise.all([
      x.put<Book>(`/api/v1/points/rule-books/${draft.id}`, content(draft, { name: '同时保存X' })),
      y.put<Book>(`/api/v1/points/rule-books/${draft.id}`, content(draft, { name: '同时保存Y' })),
    ]);
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = rs.find((r) => r.status === 200)!.body;
    const now = (await x.get<Book>(`/api/v1/points/rule-books/${draft.id}`)).body;
    expect(now).toMatchObject({ revision: draft.revision + 1, name: winner.name });
    draft = now;
  });

  it('a save without a revision, or with a bad one, is refused by the schema', async () => {
    const a = await login('villageA1');
    const { revision: _r, ...noRevision } = content(draft);
    const missing = await a.put(`/api/v1/points/rule-books/${draft.id}`, noRevision);
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect((await a.put(`/api/v1/points/rule-books/${draft.id}`, content(draft, { revision: 0 }))).status).toBe(400);
    expect((await a.put(`/api/v1/points/rule-books/${draft.id}`, { ...content(draft), revision: 'neu' })).status).toBe(400);
    expect((await a.get<Book>(`/api/v1/points/rule-books/${draft.id}`)).body.revision).toBe(draft.revision);
  });
});

describe('discarding a draft', () => {
  let adopted: Book;
  let draft: Book;

  beforeAll(async () => {
    // villageB1 adopts a book, then starts a draft from it
    const b = await login('villageB1');
    const first = await b.post<Book>('/api/v1/points/rule-books', { villageId: world.regions.villageB1.id, from: 'template' });
    const a = await b.post<Book>(`/api/v1/points/rule-books/${first.body.id}/adopt`, { meeting: '村民代表大会', resolution: '表决通过' });
    expect(a.status).toBe(200);
    adopted = a.body;
    const d = await b.post<Book>('/api/v1/points/rule-books', { villageId: world.regions.villageB1.id, from: 'current' });
    expect(d.status).toBe(201);
    const saved = await b.put<Book>(`/api/v1/points/rule-books/${d.body.id}`, content(d.body, { name: '改了一半的草稿', dropFirstItem: true }));
    draft = saved.body;
  });

  it('out of scope: another village’s cadre gets 404, as for a missing book; without the permission 403; nothing changes', async () => {
    const other = await login('villageA1');
    const r = await other.post(`/api/v1/points/rule-books/${draft.id}/discard`, {});
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('POINTS_RULE_BOOK_NOT_FOUND');
    expect((await other.post('/api/v1/points/rule-books/99999999/discard', {})).body.code).toBe('POINTS_RULE_BOOK_NOT_FOUND');
    // a township cadre reads the rules but may not edit them
    expect((await (await login('townB')).post(`/api/v1/points/rule-books/${draft.id}/discard`, {})).status).toBe(403);
    expect((await (await login('villagerB1')).post(`/api/v1/points/rule-books/${draft.id}/discard`, {})).status).toBe(403);
    const still = await (await login('villageB1')).get<Book>(`/api/v1/points/rule-books/${draft.id}`);
    expect(still.body).toMatchObject({ status: 'draft', revision: draft.revision });
  });

  it('bad input and a stale revision are refused, nothing written', async () => {
    const b = await login('villageB1');
    expect((await b.post(`/api/v1/points/rule-books/${draft.id}/discard`, { reason: 'x' })).status).toBe(400);
    expect((await b.post(`/api/v1/points/rule-books/abc/discard`, {})).status).toBe(400);
    const stale = await b.post(`/api/v1/points/rule-books/${draft.id}/discard`, { revision: draft.revision - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('POINTS_RULE_BOOK_STALE');
    expect((await b.get<Book>(`/api/v1/points/rule-books/${draft.id}`)).body.status).toBe('draft');
    expect(await audits('points.rules.discard', draft.id)).toHaveLength(0);
  });

  it('the adopted book (and the county template) cannot be discarded', async () => {
    const b = await login('villageB1');
    const r = await b.post(`/api/v1/points/rule-books/${adopted.id}/discard`, {});
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('POINTS_RULE_BOOK_NOT_DRAFT');
    const template = (await b.get<{ id: number; status: string }[]>('/api/v1/points/rule-books')).body.find((x) => x.status === 'template')!;
    expect((await b.post(`/api/v1/points/rule-books/${template.id}/discard`, {})).body.code).toBe('POINTS_RULE_BOOK_NOT_DRAFT');
    const cur = await b.get<Book>(`/api/v1/points/villages/${world.regions.villageB1.id}/current-rules`);
    expect(cur.body).toMatchObject({ id: adopted.id, status: 'adopted', itemCount: adopted.itemCount });
    expect(await audits('points.rules.discard', adopted.id)).toHaveLength(0);
  });

  it('discards the draft: book, categories and items gone, audited with its content; the adopted book untouched; a new draft may start', async () => {
    const b = await login('villageB1');
    const r = await b.post(`/api/v1/points/rule-books/${draft.id}/discard`, { revision: draft.revision });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: draft.id, villageId: world.regions.villageB1.id, discarded: true });
    expect((await b.get(`/api/v1/points/rule-books/${draft.id}`)).status).toBe(404);
    expect(await countOf('points_rule_items', draft.id)).toBe(0);
    expect(await countOf('points_rule_categories', draft.id)).toBe(0);
    const rows = await audits('points.rules.discard', draft.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.actor_name).toBe('villageB1');
    expect(rows[0]!.before).toMatchObject({ status: 'draft', name: '改了一半的草稿', revision: draft.revision });
    expect((rows[0]!.before as { categories: unknown[] }).categories.length).toBe(draft.categories.length);

    const cur = await b.get<Book>(`/api/v1/points/villages/${world.regions.villageB1.id}/current-rules`);
    expect(cur.body).toMatchObject({ id: adopted.id, status: 'adopted', name: adopted.name, itemCount: adopted.itemCount });
    const list = (await b.get<{ id: number; status: string }[]>(`/api/v1/points/rule-books?villageId=${world.regions.villageB1.id}`)).body;
    expect(list.map((x) => x.status)).toEqual(['adopted']);

    // discarding again: it is gone
    expect((await b.post(`/api/v1/points/rule-books/${draft.id}/discard`, {})).status).toBe(404);
    // the village may start a new draft
    const again = await b.post<Book>('/api/v1/points/rule-books', { villageId: world.regions.villageB1.id, from: 'current' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'draft', revision: 1, itemCount: adopted.itemCount });
  });
});
