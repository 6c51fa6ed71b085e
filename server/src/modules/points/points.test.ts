import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { sql } from 'kysely';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { seedPointsTemplate } from './template.js';
import { isBlacklisted, blacklistFlags } from './blacklist.js';
import { bulkRecord, chinaToday, getClaim, recordClaim, reviewClaims } from './claims.js';
import { insertClaimRows, recorderFields } from './recorder.js';
import type { Ctx } from '../../core/context.js';
import { currentBookId } from './rules.js';
import { appendEntry, periodsOf, nextPeriod, periodBounds, verifyChain } from './ledger.js';
import { buildAdoptedRuleBook, buildEntry, multipartFile, systemActor, systemCtx } from './testing/factories.js';

process.env.UPLOADS_DIR = mkdtempSync(join(tmpdir(), 'xz-points-'));

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let world: World;
const today = chinaToday();
const quarter = periodsOf(today).quarter;
const year = periodsOf(today).year;

type Book = { id: number; categories: { name: string; isExample: boolean; items: { id: number; code: string; min: number; max: number }[] }[]; negative: { id: number; code: string; min: number }[] };
const itemId = (b: Book, code: string) => [...b.categories.flatMap((c) => c.items), ...b.negative].find((i) => i.code === code)!.id;

const login = async (u: string) => new Client(app).login(u);
const count = async (table: 'points_claims' | 'points_entries' | 'store_redemptions' | 'points_photos') =>
  Number((await database.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

let bookA1: Book;

beforeAll(async () => {
  database = await testDatabase();
  world = await buildWorld(database.db);
  app = await testApp(database);
}, 300_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the 安家村 template', () => {
  it('ships 6 categories (2 marked as examples), 34 items at 0.4–3 and 10 negative items at −5', async () => {
    const id = await seedPointsTemplate(database.db, world.countyId);
    expect(await seedPointsTemplate(database.db, world.countyId)).toBe(id); // idempotent
    const c = await login('villageA1');
    const r = await c.get(`/api/v1/points/rule-books/${id}`);
    expect(r.status).toBe(200);
    expect(r.body.categories.map((x: { name: string }) => x.name)).toEqual(['遵纪守法', '环境卫生', '日常行为', '社会服务', '孝老爱亲', '移风易俗']);
    expect(r.body.categories.filter((x: { isExample: boolean }) => x.isExample).length).toBe(2);
    const items = r.body.categories.flatMap((x: Book['categories'][0]) => x.items);
    expect(items.length).toBe(34);
    expect(Math.min(...items.map((i: { min: number }) => i.min))).toBe(0.4);
    expect(Math.max(...items.map((i: { max: number }) => i.max))).toBe(3);
    expect(r.body.negative.length).toBe(10);
    expect(r.body.negative.every((i: { min: number; max: number }) => i.min === -5 && i.max === -5)).toBe(true);
    expect(r.body.negative.map((i: { name: string }) => i.name)).toContain('参与迷信活动');
  });
});

describe('rule books', () => {
  it('refuses recording until the village has adopted a rule book, writing nothing', async () => {
    const tpl = await seedPointsTemplate(database.db, world.countyId);
    const anyItem = (await database.db.selectFrom('points_rule_items').select('id').where('book_id', '=', tpl).executeTakeFirstOrThrow()).id;
    const before = await count('points_claims');
    const r = await (await login('gridA1')).post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: anyItem, occurredOn: today });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('POINTS_NO_ADOPTED_RULES');
    expect(r.body.message).toMatch(/尚未通过积分规则/);
    expect(await count('points_claims')).toBe(before);
  });

  it('drafts from the template, validates edits, adopts at a meeting and then freezes the book', async () => {
    const c = await login('villageA1');
    const d = await c.post('/api/v1/points/rule-books', { villageId: world.regions.villageA1.id, from: 'template' });
    expect(d.status).toBe(201);
    expect(d.body.status).toBe('draft');
    expect(d.body.itemCount).toBe(34);
    // a second draft while one is open is refused
    expect((await c.post('/api/v1/points/rule-books', { villageId: world.regions.villageA1.id })).body.code).toBe('POINTS_RULE_BOOK_DRAFT_EXISTS');

    const bad = await c.put(`/api/v1/points/rule-books/${d.body.id}`, {
      revision: d.body.revision, name: '细则', categories: [{ name: '遵纪守法', items: [{ code: 'X1', name: '好事', min: 3, max: 1 }, { code: 'X1', name: '重复', min: 1, max: 1 }] }],
      negative: [{ code: 'N1', name: '坏事', min: 5, max: 5 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('POINTS_RULE_BOOK_INVALID');
    expect(bad.body.details.problems.length).toBeGreaterThanOrEqual(3);
    const precision = await c.put(`/api/v1/points/rule-books/${d.body.id}`, { revision: d.body.revision, name: '细则', categories: [{ name: 'A', items: [{ code: 'X1', name: '好事', min: 0.45, max: 1 }] }], negative: [] });
    expect(precision.body.code).toBe('POINTS_SCORE_PRECISION');
    // nothing of the bad edits was written
    expect((await c.get(`/api/v1/points/rule-books/${d.body.id}`)).body.itemCount).toBe(34);

    // the evaluation group may not adopt rules
    expect((await (await login('evalA1')).post(`/api/v1/points/rule-books/${d.body.id}/adopt`, { meeting: '会', resolution: '决' })).status).toBe(403);
    // another village's cadre gets 404 for this book
    expect((await (await login('villageA2')).post(`/api/v1/points/rule-books/${d.body.id}/adopt`, { meeting: '会', resolution: '决' })).status).toBe(404);

    const a = await c.post(`/api/v1/points/rule-books/${d.body.id}/adopt`, { meeting: '2026年3月5日村民代表大会', resolution: '表决通过（到会42人，同意40人）' });
    expect(a.status).toBe(200);
    expect(a.body.status).toBe('adopted');
    expect((await c.put(`/api/v1/points/rule-books/${d.body.id}`, { revision: d.body.revision, name: 'x', categories: [], negative: [{ code: 'N', name: 'n', min: -1, max: -1 }] })).body.code).toBe('POINTS_RULE_BOOK_NOT_DRAFT');
    bookA1 = a.body;
    const cur = await (await login('villagerA1')).get(`/api/v1/points/villages/${world.regions.villageA1.id}/current-rules`);
    expect(cur.status).toBe(200);
    expect(cur.body.id).toBe(bookA1.id);
  });
});

describe('recording and review', () => {
  it('rejects a score outside the item range, an item of another book and an out-of-scope household — nothing written', async () => {
    const g = await login('gridA1');
    const before = await count('points_claims');
    const out = await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'A01'), score: 3.5, occurredOn: today });
    expect(out.status).toBe(400);
    expect(out.body.code).toBe('POINTS_SCORE_OUT_OF_RANGE');
    expect(out.body.details).toMatchObject({ min: 2, max: 3 });
    const missing = await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'A01'), occurredOn: today });
    expect(missing.body.code).toBe('POINTS_SCORE_OUT_OF_RANGE'); // a range item needs a score
    const tpl = await seedPointsTemplate(database.db, world.countyId);
    const tplItem = (await database.db.selectFrom('points_rule_items').select('id').where('book_id', '=', tpl).executeTakeFirstOrThrow()).id;
    expect((await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: tplItem, occurredOn: today })).body.code).toBe('POINTS_RULE_NOT_CURRENT');
    const scope = await g.post('/api/v1/points/claims', { householdId: world.households.hA2a, itemId: itemId(bookA1, 'B02'), occurredOn: today });
    expect(scope.status).toBe(404);
    const future = await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: '2099-01-01' });
    expect(future.body.code).toBe('POINTS_DATE_INVALID');
    const extra = await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: today, hack: 1 });
    expect(extra.status).toBe(400);
    expect(extra.body.code).toBe('VALIDATION_FAILED');
    expect(await count('points_claims')).toBe(before);
    // villagers cannot record
    expect((await (await login('villagerA1')).post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: today })).status).toBe(403);
  });

  it('records idempotently from a phone: a retry with the same key creates no second claim', async () => {
    const g = await login('gridA1');
    const before = await count('points_claims');
    const body = { householdId: world.households.hA1b, itemId: itemId(bookA1, 'B02'), occurredOn: today, note: '垃圾分类到位' };
    const r1 = await g.post('/api/v1/points/claims', body, { 'idempotency-key': 'phone-rec-1' });
    const r2 = await g.post('/api/v1/points/claims', body, { 'idempotency-key': 'phone-rec-1' });
    expect(r1.status).toBe(201);
    expect(r2.status).toBe(201);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(r2.body.id).toBe(r1.body.id);
    expect(r1.body).toMatchObject({ status: 'pending', score: 0.5, source: 'record' });
    expect(await count('points_claims')).toBe(before + 1);
  });

  it('counts only approved entries: approve posts to the ledger, reject needs a reason, no double review', async () => {
    const g = await login('gridA1');
    const ev = await login('evalA1');
    const c1 = (await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'D01'), score: 1, occurredOn: today })).body;
    const c2 = (await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'C01'), occurredOn: today })).body;
    let my = (await (await login('villagerA1')).get('/api/v1/points/my')).body;
    expect(my.quarter.score).toBe(0);

    const queue = await ev.get(`/api/v1/points/claims?status=pending&villageId=${world.regions.villageA1.id}`);
    expect(queue.body.items.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([c1.id, c2.id]));
    expect((await g.post(`/api/v1/points/claims/${c1.id}/approve`, {})).status).toBe(403); // grid workers don't review
    expect((await (await login('villageA2')).post(`/api/v1/points/claims/${c1.id}/approve`, {})).status).toBe(403);

    const ok = await ev.post(`/api/v1/points/claims/${c1.id}/approve`, {});
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    expect(ok.body.entryId).toBeTruthy();
    expect((await ev.post(`/api/v1/points/claims/${c1.id}/approve`, {})).body.code).toBe('POINTS_CLAIM_ALREADY_REVIEWED');
    const noReason = await ev.post('/api/v1/points/claims/review', { ids: [c2.id], decision: 'reject' });
    expect(noReason.body.code).toBe('POINTS_REVIEW_REASON_REQUIRED');
    const rej = await ev.post(`/api/v1/points/claims/${c2.id}/reject`, { reason: '当月未召开院坝会' });
    expect(rej.body).toMatchObject({ status: 'rejected', reviewReason: '当月未召开院坝会', entryId: null });

    my = (await (await login('villagerA1')).get('/api/v1/points/my')).body;
    expect(my.quarter.score).toBe(1);
    expect(my.year.score).toBe(1);
    expect(my.spendable).toBe(1);
    const audit = await database.db.selectFrom('audit_log').select('action').where('entity', '=', 'points_claim').where('entity_id', '=', String(c1.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['points.claim.record', 'points.claim.approve']));
  });

  it('lets a villager declare a good deed for review, for their own household only', async () => {
    const v = await login('villagerA1');
    const d = await v.post('/api/v1/points/my/declarations', { itemId: itemId(bookA1, 'D05'), occurredOn: today, note: '参加无偿献血' });
    expect(d.status).toBe(201);
    expect(d.body).toMatchObject({ source: 'declare', status: 'pending', householdId: world.households.hA1a, score: 2 });
    const mine = await v.get('/api/v1/points/my/claims');
    expect(mine.body.items.some((x: { id: number }) => x.id === d.body.id)).toBe(true);
    expect((await v.get('/api/v1/points/claims')).status).toBe(403);
    expect((await (await login('villagerB1')).post('/api/v1/points/my/declarations', { itemId: itemId(bookA1, 'D05'), occurredOn: today })).body.code).toBe('POINTS_NO_ADOPTED_RULES');
  });

  it('bulk-records all rows or none, naming the bad row', async () => {
    const c = await login('villageA1');
    const before = await count('points_claims');
    const bad = await c.post('/api/v1/points/claims/bulk', { items: [
      { householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: today },
      { householdId: world.households.hA1b, itemId: itemId(bookA1, 'B01'), score: 9, occurredOn: today },
    ] });
    expect(bad.status).toBe(400);
    expect(bad.body.details.row).toBe(1);
    expect(bad.body.message).toMatch(/^第2条/);
    expect(await count('points_claims')).toBe(before);
    const ok = await c.post('/api/v1/points/claims/bulk', { items: [
      { householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: today },
      { householdId: world.households.hA1b, itemId: itemId(bookA1, 'B01'), score: 1, occurredOn: today },
    ] });
    expect(ok.status).toBe(201);
    expect(ok.body.created).toBe(2);
    await (await login('evalA1')).post('/api/v1/points/claims/review', { ids: ok.body.ids, decision: 'approve' });
  });
});

describe('the ledger', () => {
  it('is append-only in the database', async () => {
    await expect(sql`update points_entries set score = 999`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from points_entries`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  it('corrects with a reversal that names the entry, restoring the period scores', async () => {
    const entryId = await buildEntry(database.db, world.countyId, { householdId: world.households.hA1c, itemId: itemId(bookA1, 'B05'), score: 3 });
    const ev = await login('evalA1');
    const scoreOf = async () => (await database.db.selectFrom('points_period_scores as p').innerJoin('points_subjects as s', 's.id', 'p.subject_id').select('p.score').where('s.household_id', '=', world.households.hA1c).where('p.period', '=', quarter).executeTakeFirst())?.score ?? 0;
    const before = await scoreOf();
    const r = await ev.post(`/api/v1/points/entries/${entryId}/reverse`, { reason: '重复记分' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'reversal', score: -3, reversesEntryId: entryId });
    expect(await scoreOf()).toBe(before - 30);
    expect((await ev.post(`/api/v1/points/entries/${entryId}/reverse`, { reason: '再来' })).body.code).toBe('POINTS_ENTRY_ALREADY_REVERSED');
    expect((await ev.post(`/api/v1/points/entries/${r.body.id}/reverse`, { reason: '再来' })).body.code).toBe('POINTS_ENTRY_NOT_REVERSIBLE');
    const orig = await ev.get(`/api/v1/points/entries/${entryId}`);
    expect(orig.body.reversedByEntryId).toBe(r.body.id);
    expect((await (await login('villageB1')).get(`/api/v1/points/entries/${entryId}`)).status).toBe(404);
  });

  it('verifies the hash chain and catches a row altered or removed behind the application\'s back', async () => {
    const c = await login('villageA1');
    const v = world.regions.villageA1.id;
    const ok = await c.get(`/api/v1/points/villages/${v}/verify`);
    expect(ok.body.ok).toBe(true);
    expect(ok.body.checked).toBeGreaterThanOrEqual(5);
    const target = await database.db.selectFrom('points_entries').select(['id', 'seq']).where('village_id', '=', v).where('seq', '=', 2).executeTakeFirstOrThrow();
    // Someone with database access rewrites an entry, bypassing the trigger.
    await sql`alter table points_entries disable trigger points_entries_no_update`.execute(database.db);
    await sql`update points_entries set score = score + 100 where id = ${target.id}`.execute(database.db);
    await sql`alter table points_entries enable trigger points_entries_no_update`.execute(database.db);
    const broken = await c.get(`/api/v1/points/villages/${v}/verify`);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.broken).toMatchObject({ seq: 2, entryId: target.id, reason: 'hash_mismatch' });
    // put it back, then remove the last row instead: the head no longer matches
    await sql`alter table points_entries disable trigger points_entries_no_update`.execute(database.db);
    await sql`update points_entries set score = score - 100 where id = ${target.id}`.execute(database.db);
    expect((await c.get(`/api/v1/points/villages/${v}/verify`)).body.ok).toBe(true);
    const last = await database.db.selectFrom('points_entries').selectAll().where('village_id', '=', v).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    await sql`delete from points_entries where id = ${last.id}`.execute(database.db);
    const cut = await c.get(`/api/v1/points/villages/${v}/verify`);
    expect(cut.body.ok).toBe(false);
    expect(cut.body.broken.reason).toBe('head_mismatch');
    // restore the row exactly as it was
    await sql`insert into points_entries overriding system value select * from json_populate_record(null::points_entries, ${JSON.stringify(last)}::json)`.execute(database.db);
    await sql`alter table points_entries enable trigger points_entries_no_update`.execute(database.db);
    expect((await c.get(`/api/v1/points/villages/${v}/verify`)).body.ok).toBe(true);
    // out of scope → 404
    expect((await (await login('villageB1')).get(`/api/v1/points/villages/${v}/verify`)).status).toBe(404);
  });
});

describe('stars, ranking and publication on a known data set', () => {
  // 二村: hA2a 12 分 (2 stars at 5/10/15/20/25), hA2b 6 分 (1 star); 三村 hB1a 20 分, hB1b 2+1−5+2 = 0 分.
  beforeAll(async () => {
    const b2 = (await buildAdoptedRuleBook(database.db, world.countyId, world.regions.villageA2.id)) as unknown as Book;
    const b3 = (await buildAdoptedRuleBook(database.db, world.countyId, world.regions.villageB1.id)) as unknown as Book;
    for (let i = 0; i < 4; i++) await buildEntry(database.db, world.countyId, { householdId: world.households.hA2a, itemId: itemId(b2, 'D02'), score: 3 });
    for (let i = 0; i < 3; i++) await buildEntry(database.db, world.countyId, { householdId: world.households.hA2b, itemId: itemId(b2, 'A04'), score: 2 });
    for (let i = 0; i < 8; i++) await buildEntry(database.db, world.countyId, { householdId: world.households.hB1a, itemId: itemId(b3, 'D04'), score: 2.5 });
    await buildEntry(database.db, world.countyId, { householdId: world.households.hB1b, itemId: itemId(b3, 'E01'), score: 2 });
    await buildEntry(database.db, world.countyId, { householdId: world.households.hB1b, itemId: itemId(b3, 'D07'), score: 1 });
    await buildEntry(database.db, world.countyId, { householdId: world.households.hB1b, itemId: itemId(b3, 'N01') }); // −5
    await buildEntry(database.db, world.countyId, { householdId: world.households.hB1b, itemId: itemId(b3, 'D05') }); // +2
  });

  it('ranks a village, a township and the county from the aggregates', async () => {
    const town = await login('townA');
    const v = await town.get(`/api/v1/points/rankings?regionId=${world.regions.villageA2.id}&period=${quarter}`);
    expect(v.body.map((r: { name: string; score: number; rank: number }) => [r.name, r.score, r.rank])).toEqual([['赵春华户', 12, 1], ['刘志强户', 6, 2]]);
    expect((await town.get(`/api/v1/points/rankings?regionId=${world.regions.villageB1.id}&period=${quarter}`)).status).toBe(404);
    const county = await (await login('townB')).get(`/api/v1/points/rankings?regionId=${world.regions.townB.id}&period=${year}`);
    expect(county.body.map((r: { name: string; score: number }) => [r.name, r.score])).toEqual([['陈桂兰户', 20], ['杨国庆户', 0]]);
    const chart = await town.get(`/api/v1/points/rankings/villages?regionId=${world.regions.townA.id}&period=${quarter}`);
    expect(chart.body.find((x: { villageId: number }) => x.villageId === world.regions.villageA2.id)).toMatchObject({ subjects: 2, total: 18, average: 9 });
  });

  it('gives stars by the village thresholds and follows a change of thresholds', async () => {
    const c = await login('villageA2');
    const s = await c.get(`/api/v1/points/stars?villageId=${world.regions.villageA2.id}&period=${quarter}`);
    expect(s.body.items.map((x: { name: string; stars: number }) => [x.name, x.stars])).toEqual([['赵春华户', 2], ['刘志强户', 1]]);
    const bad = await c.patch(`/api/v1/points/villages/${world.regions.villageA2.id}/settings`, { starThresholds: [5, 3] });
    expect(bad.body.code).toBe('POINTS_SETTINGS_INVALID');
    await c.patch(`/api/v1/points/villages/${world.regions.villageA2.id}/settings`, { starThresholds: [2, 4, 6, 8, 10, 12, 14, 16, 18, 20] });
    const s2 = await c.get(`/api/v1/points/stars?villageId=${world.regions.villageA2.id}&period=${quarter}`);
    expect(s2.body.items.map((x: { stars: number }) => x.stars)).toEqual([6, 3]);
    await c.patch(`/api/v1/points/villages/${world.regions.villageA2.id}/settings`, { starThresholds: [5, 10, 15, 20, 25] });
  });

  it('publishes the quarter only after the branch approves, prints it, and shows it on villagers\' phones', async () => {
    const c = await login('villageA1');
    const p = await c.post('/api/v1/points/publications', { villageId: world.regions.villageA1.id, period: quarter });
    expect(p.status).toBe(201);
    expect(p.body.status).toBe('draft');
    expect((await c.post('/api/v1/points/publications', { villageId: world.regions.villageA1.id, period: '2026-13' })).status).toBe(400);
    expect((await c.post(`/api/v1/points/publications/${p.body.id}/publish`, {})).body.code).toBe('POINTS_PUBLICATION_STATE');
    expect((await (await login('evalA1')).post(`/api/v1/points/publications/${p.body.id}/approve`, { meeting: '党总支会', resolution: '同意' })).status).toBe(403);
    await c.post(`/api/v1/points/publications/${p.body.id}/approve`, { meeting: '村党总支部委员会会议', resolution: '审定同意公示' });
    const pub = await c.post(`/api/v1/points/publications/${p.body.id}/publish`, {});
    expect(pub.body.status).toBe('published');
    expect(pub.body.objectionOpen).toBe(true);
    const days = (new Date(pub.body.objectionUntil).getTime() - new Date(pub.body.publishedAt).getTime()) / 86400_000;
    expect(days).toBeCloseTo(7, 5);
    const html = await c.get(`/api/v1/points/publications/${p.body.id}/print`);
    expect(String(html.headers['content-type'])).toMatch(/text\/html/);
    expect(html.body).toContain('张建国户');
    expect(html.body).toContain('村民积分公示');
    const v = await login('villagerA1');
    const mine = await v.get('/api/v1/points/my/publication');
    expect(mine.body.publication.period).toBe(quarter);
    const my = await v.get('/api/v1/points/my');
    expect(my.body.published).toMatchObject({ period: quarter, rank: 1 });
    expect(my.body.quarter.rank).toBe(1);
    expect((await (await login('villageB1')).get(`/api/v1/points/publications/${p.body.id}`)).status).toBe(404);
  });

  it('records yearly titles with award amounts', async () => {
    const c = await login('villageA2');
    const subj = (await c.get(`/api/v1/points/rankings?regionId=${world.regions.villageA2.id}&period=${year}`)).body[0];
    const r = await c.post('/api/v1/points/awards', { villageId: world.regions.villageA2.id, year: Number(year), awards: [{ subjectId: subj.subjectId, title: '十星家庭户', amountFen: 40000 }] });
    expect(r.status).toBe(201);
    const list = await c.get(`/api/v1/points/awards?year=${year}&villageId=${world.regions.villageA2.id}`);
    expect(list.body[0]).toMatchObject({ title: '十星家庭户', amountFen: 40000, rank: 1, yearScore: 12 });
    const other = (await (await login('villageB1')).get(`/api/v1/points/rankings?regionId=${world.regions.villageB1.id}&period=${year}`)).body[0];
    expect((await c.post('/api/v1/points/awards', { villageId: world.regions.villageA2.id, year: Number(year), awards: [{ subjectId: other.subjectId, title: 'x', amountFen: 1 }] })).body.code).toBe('POINTS_AWARD_INVALID');
  });
});

describe('appeals', () => {
  it('upheld: the evaluation group reverses the entry and posts the corrected score', async () => {
    const entryId = await buildEntry(database.db, world.countyId, { householdId: world.households.hA1a, itemId: itemId(bookA1, 'N03') });
    const v = await login('villagerA1');
    const before = (await v.get('/api/v1/points/my')).body.quarter.score;
    const a = await v.post('/api/v1/points/my/appeals', { entryId, reason: '房屋为经批准的翻建，不属于违建' });
    expect(a.status).toBe(201);
    expect(a.body.publicationId).toBeTruthy(); // filed within the objection window
    expect((await v.post('/api/v1/points/my/appeals', { entryId, reason: '再次' })).body.code).toBe('POINTS_APPEAL_PENDING');
    const ev = await login('evalA1');
    await ev.post(`/api/v1/points/appeals/${a.body.id}/investigate`, { note: '现场核实，有乡镇审批手续' });
    expect((await ev.post(`/api/v1/points/appeals/${a.body.id}/decide`, { decision: 'uphold', reason: '手续齐全' })).body.code).toBe('POINTS_APPEAL_SCORE_REQUIRED');
    const d = await ev.post(`/api/v1/points/appeals/${a.body.id}/decide`, { decision: 'uphold', reason: '手续齐全，撤销扣分', correctedScore: 0 });
    expect(d.body).toMatchObject({ status: 'upheld', correctedScore: 0 });
    expect(d.body.reversalEntryId).toBeTruthy();
    expect(d.body.correctionEntryId).toBeNull();
    expect((await v.get('/api/v1/points/my')).body.quarter.score).toBe(before + 5);
    expect((await ev.post(`/api/v1/points/appeals/${a.body.id}/decide`, { decision: 'reject', reason: 'x' })).body.code).toBe('POINTS_APPEAL_CLOSED');
  });

  it('upheld with a different score posts a correction; rejected changes nothing', async () => {
    const e1 = await buildEntry(database.db, world.countyId, { householdId: world.households.hA1b, itemId: itemId(bookA1, 'D02'), score: 1 });
    const c = await login('villageA1');
    const ev = await login('evalA1');
    const a1 = (await c.post('/api/v1/points/appeals', { entryId: e1, reason: '捐款金额较大，应记3分' })).body;
    const d1 = await ev.post(`/api/v1/points/appeals/${a1.id}/decide`, { decision: 'uphold', reason: '核实捐款5000元', correctedScore: 3 });
    const corr = await ev.get(`/api/v1/points/entries/${d1.body.correctionEntryId}`);
    expect(corr.body).toMatchObject({ kind: 'correction', score: 3, appealId: a1.id });

    const e2 = await buildEntry(database.db, world.countyId, { householdId: world.households.hA1b, itemId: itemId(bookA1, 'C01') });
    const entriesBefore = await count('points_entries');
    const a2 = (await c.post('/api/v1/points/appeals', { entryId: e2, reason: '应多记' })).body;
    const d2 = await ev.post(`/api/v1/points/appeals/${a2.id}/decide`, { decision: 'reject', reason: '按细则该项为固定分' });
    expect(d2.body).toMatchObject({ status: 'rejected', reversalEntryId: null });
    expect(await count('points_entries')).toBe(entriesBefore);
    // a villager may not appeal another household's entry
    expect((await (await login('villagerA1')).post('/api/v1/points/my/appeals', { entryId: e2, reason: 'x' })).status).toBe(404);
  });
});

describe('black list', () => {
  it('lists subjects below the threshold for the next period; flags read by other modules', async () => {
    const c = await login('villageB1');
    const r = await c.post('/api/v1/points/blacklist/close-period', { villageId: world.regions.villageB1.id, period: quarter, resolution: '评议小组评议、村党总支审核' });
    expect(r.status).toBe(201);
    expect(r.body.listed).toBe(1);
    expect(r.body.threshold).toBe(7);
    const next = periodBounds(nextPeriod(quarter));
    expect(r.body.startsOn).toBe(next.from);
    expect(await isBlacklisted(database.db, world.households.hB1b, next.from)).toBe(true);
    expect(await isBlacklisted(database.db, world.households.hB1b, today)).toBe(false);
    expect(await isBlacklisted(database.db, world.households.hB1a, next.from)).toBe(false);
    expect(await blacklistFlags(database.db, world.households.hB1b, next.to)).toMatchObject({ blacklisted: true, publicBenefitPostSuspended: true, preferentialPolicySuspended: true, until: next.to });
    // idempotent
    expect((await c.post('/api/v1/points/blacklist/close-period', { villageId: world.regions.villageB1.id, period: quarter, resolution: 'x' })).body.listed).toBe(0);

    const list = await c.get(`/api/v1/points/blacklist?villageId=${world.regions.villageB1.id}`);
    const id = list.body[0].id;
    const h = await c.post(`/api/v1/points/blacklist/${id}/helper`, { helperName: '村支书 王强', plan: '每月走访一次，帮助参加环境整治' });
    expect(h.body).toMatchObject({ helperName: '村支书 王强' });
    const p = await c.post(`/api/v1/points/blacklist/${id}/progress`, { note: '已走访，参加了一次义务劳动' });
    expect(p.body.progress.length).toBe(1);
    expect((await (await login('villageA1')).post(`/api/v1/points/blacklist/${id}/helper`, { helperName: 'x', plan: 'y' })).status).toBe(404);
    expect((await (await login('gridA1')).get(`/api/v1/points/blacklist`)).body.length).toBe(0);
  });
});

describe('linked uses with consent', () => {
  it('serves a bank summary with the villager\'s code, logs every access, and stops when revoked', async () => {
    const v = await login('villagerA1');
    const g = await v.post('/api/v1/points/my/consents', { recipientKind: 'bank', recipientName: '洞口农商银行', purpose: '信用贷款授信', days: 30 });
    expect(g.status).toBe(201);
    expect(g.body.code).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    const anon = new Client(app);
    const s = await anon.get(`/api/v1/points/linked/summary?code=${g.body.code}`);
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ household: '张建国户', recipient: '洞口农商银行', blacklisted: false });
    expect(s.body).toHaveProperty('creditBand');
    expect((await anon.get('/api/v1/points/linked/summary?code=AAAA-BBBB-CCCC')).status).toBe(404);
    await v.post(`/api/v1/points/my/consents/${g.body.id}/revoke`, {});
    const after = await anon.get(`/api/v1/points/linked/summary?code=${g.body.code.toLowerCase()}`);
    expect(after.status).toBe(410);
    expect(after.body.code).toBe('POINTS_CONSENT_EXPIRED');
    const mine = await v.get('/api/v1/points/my/consents');
    expect(mine.body[0].accesses.map((a: { outcome: string }) => a.outcome)).toEqual(['revoked', 'served']);
  });
});

export { world };

describe('one review of many claims', () => {
  it('posts them in batched statements: consecutive links per village in claim order, aggregates and audit — or nothing at all', async () => {
    const ctx = await systemCtx(database.db, world.countyId);
    const [vA2, vB1] = [world.regions.villageA2.id, world.regions.villageB1.id];
    const bookOf = async (v: number) => (await database.db.selectFrom('points_rule_items').select('id').where('book_id', '=', (await currentBookId(database.db, v))!).where('code', '=', 'D02').executeTakeFirstOrThrow()).id;
    const [itemA2, itemB1] = [await bookOf(vA2), await bookOf(vB1)];
    const head = async (v: number) => Number((await database.db.selectFrom('points_chains').select('last_seq').where('village_id', '=', v).executeTakeFirstOrThrow()).last_seq);
    const score = async (h: number) => (await database.db.selectFrom('points_period_scores as p').innerJoin('points_subjects as s', 's.id', 'p.subject_id').select('p.score').where('s.household_id', '=', h).where('p.period', '=', quarter).executeTakeFirst())?.score ?? 0;
    const [headA2, headB1, before] = [await head(vA2), await head(vB1), await score(world.households.hB1b)];
    const ids: number[] = [];
    for (const [h, item, s] of [[world.households.hB1b, itemB1, 1], [world.households.hA2a, itemA2, 2], [world.households.hB1b, itemB1, 1.5], [world.households.hA2b, itemA2, 1], [world.households.hB1b, itemB1, 3]] as const) {
      ids.push((await recordClaim(ctx, { householdId: h, itemId: item, score: s, occurredOn: today })).id);
    }
    const audits = await database.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', 'points.claim.approve').executeTakeFirstOrThrow();

    // one unknown id: nothing is approved, nothing posted
    await expect(reviewClaims(ctx, [...ids, 999_999], 'approve')).rejects.toMatchObject({ code: 'POINTS_CLAIM_NOT_FOUND' });
    expect(await head(vB1)).toBe(headB1);

    expect(await reviewClaims(ctx, [ids[4]!, ...ids, ids[0]!], 'approve')).toEqual({ reviewed: 5 });
    const claims = await database.db.selectFrom('points_claims').select(['id', 'status', 'entry_id']).where('id', 'in', ids).orderBy('id').execute();
    expect(claims.every((c) => c.status === 'approved' && c.entry_id)).toBe(true);
    const entries = await database.db.selectFrom('points_entries').select(['id', 'claim_id', 'village_id', 'seq', 'score']).where('claim_id', 'in', ids).orderBy('village_id').orderBy('seq').execute();
    expect(entries.map((e) => e.id).sort()).toEqual(claims.map((c) => c.entry_id).sort());
    expect(entries.filter((e) => e.village_id === vB1).map((e) => [e.claim_id, Number(e.seq), e.score])).toEqual([[ids[0], headB1 + 1, 10], [ids[2], headB1 + 2, 15], [ids[4], headB1 + 3, 30]]);
    expect(entries.filter((e) => e.village_id === vA2).map((e) => [e.claim_id, Number(e.seq)])).toEqual([[ids[1], headA2 + 1], [ids[3], headA2 + 2]]);
    expect(await head(vB1)).toBe(headB1 + 3);
    expect(await score(world.households.hB1b)).toBe(before + 55);
    expect((await verifyChain(database.db, vB1)).ok).toBe(true);
    expect((await verifyChain(database.db, vA2)).ok).toBe(true);
    const after = await database.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).where('action', '=', 'points.claim.approve').executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(audits.n)).toBe(5);
  });

  it('lets writers in different villages proceed while one village\'s chain is held', async () => {
    if (database.kind !== 'postgres') return; // PGlite has one connection: nothing runs concurrently
    const subjectOf = async (h: number) => database.db.selectFrom('points_subjects').select(['id', 'kind', 'region_path', 'village_id', 'county_id']).where('household_id', '=', h).executeTakeFirstOrThrow();
    const [a2, b1] = [await subjectOf(world.households.hA2a), await subjectOf(world.households.hB1a)];
    const entry = (s: typeof a2) => ({ countyId: s.county_id, villageId: s.village_id, subject: s, kind: 'award' as const, score: 1, occurredOn: today, reason: '并发测试' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // Transaction 1 appends in 二村 and keeps its chain head locked until released.
    const t1 = database.db.transaction().execute(async (trx) => {
      await appendEntry(trx as never, entry(a2));
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    // 三村 is not blocked by it.
    const started = Date.now();
    await database.db.transaction().execute((trx) => appendEntry(trx as never, entry(b1)));
    expect(Date.now() - started).toBeLessThan(2000);
    release();
    await t1;
    expect((await verifyChain(database.db, a2.village_id)).ok).toBe(true);
  });
});

describe('recording in shared statements', () => {
  /** gridA1 as the service sees it: points.read and points.record over 一村. */
  const gridCtx = (): Ctx => ({
    db: database.db,
    actor: {
      ...systemActor(world.countyId, world.regions.villageA1.path, world.users.gridA1!), displayName: 'gridA1',
      grants: [{ roleKey: 'grid_worker', regionId: world.regions.villageA1.id, regionPath: world.regions.villageA1.path, regionLevel: 'village', permissions: ['points.read', 'points.record'] }],
    },
  });

  it('records claims arriving together in one statement; a bad one among them gets its own precise error and writes nothing', async () => {
    const ctx = gridCtx();
    const h = world.households;
    const before = await count('points_claims');
    const good = [h.hA1a, h.hA1b, h.hA1c, h.hA1a, h.hA1b].map((householdId) => ({ householdId, itemId: itemId(bookA1, 'B02'), occurredOn: today, note: '入户记录' }));
    const results = await Promise.allSettled([
      ...good.map((g) => recordClaim(ctx, g)),
      recordClaim(ctx, { householdId: h.hA1a, itemId: itemId(bookA1, 'A01'), score: 3.5, occurredOn: today }),
      recordClaim(ctx, { householdId: h.hA2a, itemId: itemId(bookA1, 'B02'), occurredOn: today }),
    ]);
    const ok = results.slice(0, 5).map((r) => (r.status === 'fulfilled' ? r.value : null));
    expect(ok.map((c) => c && [c.householdId, c.status, c.score, c.source, c.note, c.recordedBy])).toEqual(good.map((g) => [g.householdId, 'pending', 0.5, 'record', '入户记录', 'gridA1']));
    expect(results[5]).toMatchObject({ status: 'rejected', reason: { code: 'POINTS_SCORE_OUT_OF_RANGE', details: { min: 2, max: 3 } } });
    expect(results[6]).toMatchObject({ status: 'rejected', reason: { code: 'POINTS_SUBJECT_NOT_FOUND' } });
    expect(await count('points_claims')).toBe(before + 5);
    const ids = ok.map((c) => c!.id);
    // The first went alone; the other four, arriving while it was written, shared one statement
    // (one transaction, so one timestamp).
    const stamps = await database.db.selectFrom('points_claims').select(sql<string>`created_at::text`.as('at')).where('id', 'in', ids).execute();
    expect(new Set(stamps.map((s) => s.at)).size).toBe(2);
    // What the answer says is what was stored, each with its audit row.
    const reader = await systemCtx(database.db, world.countyId);
    for (const c of ok) expect(await getClaim(reader, c!.id)).toMatchObject({ id: c!.id, householdId: c!.householdId, score: 0.5, itemCode: 'B02', status: 'pending' });
    const audits = await database.db.selectFrom('audit_log').select(['entity_id', 'actor_id', 'after']).where('action', '=', 'points.claim.record').where('entity_id', 'in', ids.map(String)).execute();
    expect(audits.length).toBe(5);
    expect(audits.every((a) => a.actor_id === world.users.gridA1 && (a.after as { score: number; occurredOn: string }).score === 5 && (a.after as { occurredOn: string }).occurredOn === today)).toBe(true);
  });

  it('writes only the rows that pass every check — or, all or nothing, none unless every row passes', async () => {
    const ctx = gridCtx();
    const tpl = await seedPointsTemplate(database.db, world.countyId);
    const tplItem = (await database.db.selectFrom('points_rule_items').select('id').where('book_id', '=', tpl).executeTakeFirstOrThrow()).id;
    const subjectA2 = (await database.db.selectFrom('points_subjects').select('id').where('household_id', '=', world.households.hA2a).executeTakeFirstOrThrow()).id;
    const row = (idx: number, over: Partial<Parameters<typeof insertClaimRows>[1][number]> = {}) => ({
      idx, household_id: world.households.hA1b, subject_id: null, item_id: itemId(bookA1, 'D01'), score: 10, occurred_on: today, note: null,
      photo_url: null, photo_id: null, source: 'record' as const, ...recorderFields(ctx), ...over,
    });
    const rows = [
      row(0),
      row(1, { item_id: tplItem }), // not in the village's adopted book
      row(2, { score: 35 }), // above the item's range (0.5–1)
      row(3, { score: null }), // a range item needs a score
      row(4, { household_id: null, subject_id: subjectA2 }), // another village's subject
      row(5, { photo_id: 999_999 }), // no such photo
      row(6, { household_id: world.households.hA1c, score: 5 }),
    ];
    const before = await count('points_claims');
    expect(await insertClaimRows(database.db, rows, true)).toEqual([]);
    expect(await count('points_claims')).toBe(before);
    const done = await insertClaimRows(database.db, rows, false);
    expect(done.map((c) => [c.idx, c.household_id, c.score])).toEqual([[0, world.households.hA1b, 10], [6, world.households.hA1c, 5]]);
    expect(await count('points_claims')).toBe(before + 2);
    // bulk through the service: one statement when every row passes
    const ok = await bulkRecord(ctx, [{ householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: today }, { householdId: world.households.hA1c, itemId: itemId(bookA1, 'D01'), score: 0.5, occurredOn: today }]);
    expect(ok.created).toBe(2);
    const made = await database.db.selectFrom('points_claims').select(['source', 'score']).where('id', 'in', ok.ids).orderBy('id').execute();
    expect(made).toEqual([{ source: 'bulk', score: 5 }, { source: 'bulk', score: 5 }]);
  });
});

describe('two reviewers in one village at once', () => {
  const head = async (v: number) => Number((await database.db.selectFrom('points_chains').select('last_seq').where('village_id', '=', v).executeTakeFirstOrThrow()).last_seq);

  it('both post, one after the other on the village chain: consecutive links, a valid chain', async () => {
    const ctx = await systemCtx(database.db, world.countyId);
    const v = world.regions.villageA1.id;
    const h = world.households;
    const ids: number[] = [];
    for (const householdId of [h.hA1a, h.hA1b, h.hA1c, h.hA1a, h.hA1b, h.hA1c]) ids.push((await recordClaim(ctx, { householdId, itemId: itemId(bookA1, 'C01'), occurredOn: today })).id);
    const before = await head(v);
    expect(await Promise.all([reviewClaims(ctx, ids.slice(0, 3), 'approve'), reviewClaims(ctx, ids.slice(3), 'approve')])).toEqual([{ reviewed: 3 }, { reviewed: 3 }]);
    const entries = await database.db.selectFrom('points_entries').select(['claim_id', 'seq']).where('claim_id', 'in', ids).orderBy('seq').execute();
    expect(entries.map((e) => Number(e.seq))).toEqual([1, 2, 3, 4, 5, 6].map((i) => before + i));
    // each review's entries are consecutive links, in claim order
    for (const half of [ids.slice(0, 3), ids.slice(3)]) {
      const seqs = entries.filter((e) => half.includes(e.claim_id!)).map((e) => Number(e.seq));
      expect(seqs).toEqual([seqs[0]!, seqs[0]! + 1, seqs[0]! + 2]);
    }
    expect(await head(v)).toBe(before + 6);
    expect((await verifyChain(database.db, v)).ok).toBe(true);
    const claims = await database.db.selectFrom('points_claims').select(['status', 'entry_id']).where('id', 'in', ids).execute();
    expect(claims.every((c) => c.status === 'approved' && c.entry_id)).toBe(true);
  });

  it('one claim decided by two reviewers at once: one decision stands, the other is refused, one entry at most', async () => {
    const ctx = await systemCtx(database.db, world.countyId);
    for (const second of ['approve', 'reject'] as const) {
      const id = (await recordClaim(ctx, { householdId: world.households.hA1c, itemId: itemId(bookA1, 'C01'), occurredOn: today })).id;
      const results = await Promise.allSettled([reviewClaims(ctx, [id], 'approve'), reviewClaims(ctx, [id], second, '重复记录')]);
      expect(results.filter((r) => r.status === 'fulfilled')).toEqual([{ status: 'fulfilled', value: { reviewed: 1 } }]);
      expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'POINTS_CLAIM_ALREADY_REVIEWED' } });
      const claim = await database.db.selectFrom('points_claims').select(['status', 'entry_id']).where('id', '=', id).executeTakeFirstOrThrow();
      const entries = await database.db.selectFrom('points_entries').select('id').where('claim_id', '=', id).execute();
      expect(entries.length).toBe(claim.status === 'approved' ? 1 : 0);
      expect(claim.entry_id).toBe(entries[0]?.id ?? null);
      const audits = await database.db.selectFrom('audit_log').select('action').where('entity', '=', 'points_claim').where('entity_id', '=', String(id)).where('action', 'in', ['points.claim.approve', 'points.claim.reject']).execute();
      expect(audits.length).toBe(1);
    }
    expect((await verifyChain(database.db, world.regions.villageA1.id)).ok).toBe(true);
  });
});

describe('a review racing another past its first read', () => {
  it('is refused — by the entry\'s unique claim, or by the claim no longer pending — and posts nothing', async () => {
    if (database.kind !== 'postgres') return; // PGlite has one connection: nothing runs concurrently
    const ctx = await systemCtx(database.db, world.countyId);
    for (const first of ['approve', 'reject'] as const) {
      const id = (await recordClaim(ctx, { householdId: world.households.hA1b, itemId: itemId(bookA1, 'C01'), occurredOn: today })).id;
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      // The first review has decided the claim but not committed yet.
      const firstReview = database.db.transaction().execute(async (trx) => {
        await reviewClaims({ ...ctx, db: trx as never }, [id], first, '重复记录');
        await held;
      });
      await new Promise((r) => setTimeout(r, 100));
      // The second still reads the claim as pending, then waits on the first's locks.
      const second = reviewClaims(ctx, [id], 'approve');
      await new Promise((r) => setTimeout(r, 150));
      release();
      await firstReview;
      await expect(second).rejects.toMatchObject({ code: 'POINTS_CLAIM_ALREADY_REVIEWED' });
      const claim = await database.db.selectFrom('points_claims').select(['status', 'entry_id']).where('id', '=', id).executeTakeFirstOrThrow();
      const entries = await database.db.selectFrom('points_entries').select('id').where('claim_id', '=', id).execute();
      expect([claim.status, entries.length]).toEqual(first === 'approve' ? ['approved', 1] : ['rejected', 0]);
    }
    expect((await verifyChain(database.db, world.regions.villageA1.id)).ok).toBe(true);
  });
});

describe('photos on claims (一事一记, with an optional photo)', () => {
  let jpeg: Buffer;
  const upload = (c: Client, buf: Buffer, name = 'a.jpg', type = 'image/jpeg') => {
    const mp = multipartFile('file', name, buf, type);
    return c.req('POST', '/api/v1/points/photos', mp.body, { 'content-type': mp.contentType });
  };
  const fetchImage = (c: Client, url: string) => c.app.inject({ method: 'GET', url, headers: { cookie: c.cookie } });
  beforeAll(async () => {
    jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#336699' } })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'secret-gps-house', Artist: '张三' } })
      .toBuffer();
  });

  it('takes a photo with a claim, strips its metadata, and shows it (and a thumbnail) only to those who may see the claim', async () => {
    const g = await login('gridA1');
    const up = await upload(g, jpeg);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({ width: 640, height: 480, url: `/api/v1/points/photos/${up.body.id}` });
    // Before it is on a claim only its uploader sees it.
    expect((await fetchImage(g, up.body.url)).statusCode).toBe(200);
    expect((await fetchImage(await login('villageA1'), up.body.url)).statusCode).toBe(404);

    const claim = await g.post('/api/v1/points/claims', { householdId: world.households.hA1a, itemId: itemId(bookA1, 'B01'), score: 1, occurredOn: today, photoId: up.body.id });
    expect(claim.status, JSON.stringify(claim.body)).toBe(201);
    expect(claim.body).toMatchObject({ photoId: up.body.id, photoUrl: up.body.url, thumbUrl: `${up.body.url}/thumb` });
    const ev = await login('evalA1');
    const queue = await ev.get(`/api/v1/points/claims?status=pending&villageId=${world.regions.villageA1.id}`);
    expect(queue.body.items.find((x: { id: number }) => x.id === claim.body.id)).toMatchObject({ thumbUrl: `${up.body.url}/thumb` });

    const img = await fetchImage(ev, up.body.url);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(img.rawPayload).metadata()).exif).toBeUndefined();
    expect(img.rawPayload.includes(Buffer.from('secret-gps-house'))).toBe(false);
    const thumb = await fetchImage(ev, `${up.body.url}/thumb`);
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(240);
    // The household's villager sees it; other villages, other villagers and the township's staff
    // without points.read over 一村 do not.
    expect((await fetchImage(await login('villagerA1'), up.body.url)).statusCode).toBe(200);
    for (const u of ['villagerB1', 'villageB1', 'villageA2', 'townB']) expect((await fetchImage(await login(u), `${up.body.url}/thumb`)).statusCode, u).toBe(404);
    expect((await fetchImage(await login('townA'), up.body.url)).statusCode).toBe(200);
  });

  it('uses a photo once, and only the uploader\'s own — also in bulk, naming the row', async () => {
    const g = await login('gridA1');
    const c = await login('villageA1');
    const mine = (await upload(g, jpeg)).body.id;
    const theirs = (await upload(c, jpeg)).body.id;
    const before = await count('points_claims');
    const claim = (photoId: number, householdId = world.households.hA1b) => ({ householdId, itemId: itemId(bookA1, 'B02'), occurredOn: today, photoId });
    const notMine = await g.post('/api/v1/points/claims', claim(theirs));
    expect(notMine.status).toBe(400);
    expect(notMine.body.code).toBe('POINTS_PHOTO_UNAVAILABLE');
    expect(notMine.body.message).toMatch(/照片/);
    expect((await g.post('/api/v1/points/claims', claim(mine))).status).toBe(201);
    expect((await g.post('/api/v1/points/claims', claim(mine, world.households.hA1c))).body.code).toBe('POINTS_PHOTO_UNAVAILABLE');
    expect(await count('points_claims')).toBe(before + 1);

    const bulk = await c.post('/api/v1/points/claims/bulk', { items: [{ householdId: world.households.hA1a, itemId: itemId(bookA1, 'B02'), occurredOn: today }, claim(theirs), claim(mine)] });
    expect(bulk.status).toBe(400);
    expect(bulk.body).toMatchObject({ code: 'POINTS_PHOTO_UNAVAILABLE', details: { row: 2 } });
    expect(bulk.body.message).toMatch(/^第3条/);
    expect(await count('points_claims')).toBe(before + 1);

    // A villager declares a good deed with a photo of their own.
    const v = await login('villagerA1');
    const vp = (await upload(v, jpeg)).body.id;
    const d = await v.post('/api/v1/points/my/declarations', { itemId: itemId(bookA1, 'D05'), occurredOn: today, photoId: vp });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    expect(d.body).toMatchObject({ source: 'declare', photoId: vp });
  });

  it('refuses what is not an image, what is too large, and callers who record nothing — storing nothing', async () => {
    const g = await login('gridA1');
    const before = await count('points_photos');
    const txt = await upload(g, Buffer.from('this is not a picture at all'), 'photo.jpg');
    expect(txt.status).toBe(415);
    expect(txt.body.code).toBe('POINTS_PHOTO_NOT_IMAGE');
    expect(txt.body.message).toMatch(/JPEG、PNG 或 WebP/);
    const big = await upload(g, Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(9 * 1024 * 1024, 1)]), 'big.jpg');
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('POINTS_PHOTO_TOO_LARGE');
    expect(big.body.message).toMatch(/8 MB/);
    const town = await upload(await login('townA'), jpeg);
    expect(town.status).toBe(403);
    expect(await count('points_photos')).toBe(before);
    expect((await g.get('/api/v1/points/photos/999999')).status).toBe(404);
  });
});
