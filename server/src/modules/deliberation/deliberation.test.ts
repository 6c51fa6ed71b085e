import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, testApp, testDatabase } from '../../testing/harness.js';
import { buildWorld, type World } from '../../testing/world.js';
import type { App } from '../../core/module.js';
import { outcome, quorumMet } from './process.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
let app: App;
let w: World;
const c: Record<string, Client> = {};
const api = '/api/v1';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  database = await testDatabase();
  w = await buildWorld(database.db);
  app = await testApp(database);
  for (const u of ['villageA1', 'villageA2', 'villageB1', 'townA', 'townB', 'evalA1', 'partyA1', 'villagerA1', 'villagerB1']) c[u] = await new Client(app).login(u);
}, 240_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const count = async (table: 'deliberation_topics' | 'deliberation_meetings' | 'deliberation_votes') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

const newTopic = async (client = c.villageA1!, body: Record<string, unknown> = {}) => {
  const r = await client.post(`${api}/deliberation/topics`, {
    regionId: w.regions.villageA1.id, title: '村集体鱼塘承包', content: '村集体鱼塘承包期满，拟公开发包，期限五年', proposerKind: 'branch', category: 'assets', amount: 50000, ...body,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
async function step(id: number, action: string, body: Record<string, unknown> = {}, status = 200, client = c.villageA1!) {
  const r = await client.post(`${api}/deliberation/topics/${id}/${action}`, body);
  expect(r.status, `${action}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}
async function meeting(id: number, kind: string, counts?: Record<string, number>, extra: Record<string, unknown> = {}) {
  const r = await c.villageA1!.post(`${api}/deliberation/topics/${id}/meetings`, { kind, heldAt: ago(1), announcedAt: ago(5), place: '村委会会议室', expected: 9, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  if (!counts) return r.body;
  const k = await c.villageA1!.post(`${api}/deliberation/meetings/${r.body.id}/counts`, counts);
  expect(k.status, JSON.stringify(k.body)).toBe(200);
  return k.body;
}

describe('quorum and majority (pure)', () => {
  it('村民代表会议: two-thirds present (inclusive), majority of those present', () => {
    expect(quorumMet('representatives', { expected: 9, present: 6 })).toBe(true);
    expect(quorumMet('representatives', { expected: 9, present: 5 })).toBe(false);
    expect(quorumMet('representatives', { expected: 10, present: 6 })).toBe(false);
    expect(quorumMet('representatives', { expected: 10, present: 7 })).toBe(true);
    expect(outcome('representatives', { expected: 9, present: 6, for: 4, against: 2, abstain: 0 })).toBe('passed');
    expect(outcome('representatives', { expected: 9, present: 6, for: 3, against: 1, abstain: 2 })).toBe('failed'); // a tie is not a majority
    expect(outcome('representatives', { expected: 9, present: 5, for: 5, against: 0, abstain: 0 })).toBe('no_quorum');
  });
  it('党员大会: over half present, for over half of those expected', () => {
    expect(outcome('members', { expected: 20, present: 11, for: 10, against: 0, abstain: 1 })).toBe('failed');
    expect(outcome('members', { expected: 20, present: 11, for: 11, against: 0, abstain: 0 })).toBe('passed');
    expect(outcome('members', { expected: 20, present: 10, for: 10, against: 0, abstain: 0 })).toBe('no_quorum');
  });
});

describe('四议两公开 end to end', () => {
  let id: number;
  it('a topic goes through every step; each step in the history', async () => {
    const t = await newTopic();
    id = t.id;
    expect(t).toMatchObject({ state: 'proposed', categoryLabel: '集体资产处置', proposerLabel: '村党支部', amount: '50000.00' });
    expect(t.code).toMatch(/^YS\d{8}-\d{6}$/);
    expect(t.actions.map((a: { action: string }) => a.action)).toEqual(['branch_propose']);
    await step(id, 'committee_discuss', {}, 409); // not yet
    await step(id, 'branch_propose', {}, 400);
    expect((await step(id, 'branch_propose', { opinion: '同意提交两委会商议' })).state).toBe('branch_proposed');

    const cm = await meeting(id, 'committees', { present: 7, for: 6, against: 1, abstain: 0 });
    expect(cm).toMatchObject({ quorumMet: true, result: 'passed', resultLabel: '通过' });
    await step(id, 'committee_discuss', { meetingId: cm.id, opinion: '同意' }, 400); // record missing
    expect((await step(id, 'committee_discuss', { meetingId: cm.id, record: '两委会议记录', opinion: '同意公开发包' })).state).toBe('committees_discussed');
    await step(id, 'members_review', { meetingId: cm.id }, 400); // wrong kind of meeting

    const mm = await meeting(id, 'members', { present: 15, for: 14, against: 0, abstain: 1 }, { expected: 20 });
    expect((await step(id, 'members_review', { meetingId: mm.id })).state).toBe('members_reviewed');
    await step(id, 'resolve', { meetingId: mm.id, resolutionText: 'x' }, 400); // kind

    const rm = await meeting(id, 'representatives', { present: 20, for: 18, against: 1, abstain: 1 }, { expected: 25 });
    expect(rm).toMatchObject({ quorumMet: true, result: 'passed' });
    await step(id, 'resolve', { meetingId: rm.id }, 400); // resolutionText missing
    const res = await step(id, 'resolve', { meetingId: rm.id, resolutionText: '同意鱼塘公开发包，期限五年，底价每年一万元' });
    expect(res.state).toBe('resolved');
    await step(id, 'resolve', { meetingId: rm.id, resolutionText: 'again' }, 409);
    await step(id, 'publish', { noticeText: '公告', noticeFrom: '2026-11-20', noticeTo: '2026-11-10' }, 400);
    expect((await step(id, 'publish', { noticeText: '经村民代表会议决议，鱼塘公开发包。', noticeFrom: '2026-11-20', noticeTo: '2026-11-27' })).state).toBe('resolution_published');
    expect((await step(id, 'implement', { comment: '已发布招标公告' })).state).toBe('implementing');
    await step(id, 'complete', {}, 400);
    const done = await step(id, 'complete', { result: '已由张某中标，年承包费 1.2 万元，合同已签订' });
    expect(done.state).toBe('done');
    expect(done.topic.stages.map((s: { status: string }) => s.status)).toEqual(['finish', 'finish', 'finish', 'finish', 'finish', 'finish']);
    const h = await database.db.selectFrom('workflow_history').select(['action', 'actor_name', 'to_state']).where('process', '=', 'deliberation').where('entity_id', '=', id).orderBy('id').execute();
    expect(h.filter((x) => x.action !== 'meeting' && x.action !== 'counts').map((x) => x.action)).toEqual(['propose', 'branch_propose', 'committee_discuss', 'members_review', 'resolve', 'publish', 'implement', 'complete']);
    expect(h.every((x) => x.actor_name === 'villageA1')).toBe(true);
  });

  it('a failed vote rejects the topic; no quorum refuses the step', async () => {
    const t = await newTopic(undefined, { proposerKind: 'villagers', signatures: 12, title: '修建村道' });
    await step(t.id, 'branch_propose', { opinion: '提交商议' });
    const none = await meeting(t.id, 'committees', { present: 4, for: 4, against: 0, abstain: 0 });
    expect(none).toMatchObject({ quorumMet: false, result: 'no_quorum' });
    const r = await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/committee_discuss`, { meetingId: none.id, record: 'r', opinion: 'o' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('DELIBERATION_NO_QUORUM');
    const fail = await meeting(t.id, 'committees', { present: 8, for: 4, against: 4, abstain: 0 });
    expect(fail.result).toBe('failed');
    expect((await step(t.id, 'committee_discuss', { meetingId: fail.id, record: 'r', opinion: '暂缓' })).state).toBe('rejected');
  });
});

describe('guards', () => {
  it('the 3-day notice rule', async () => {
    const t = await newTopic();
    const before = await count('deliberation_meetings');
    const r = await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/meetings`, { kind: 'committees', heldAt: ago(1), announcedAt: ago(3.5), place: '会议室', expected: 9 });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'DELIBERATION_NOTICE_TOO_SHORT', message: '会议须至少提前 3 天发布通知' });
    const soon = await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/meetings`, { kind: 'committees', heldAt: new Date(Date.now() + 2 * DAY).toISOString(), place: '会议室', expected: 9 });
    expect(soon.body.code).toBe('DELIBERATION_NOTICE_TOO_SHORT');
    const fut = await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/meetings`, { kind: 'committees', heldAt: new Date(Date.now() + 9 * DAY).toISOString(), announcedAt: new Date(Date.now() + DAY).toISOString(), place: '会议室', expected: 9 });
    expect(fut.body.code).toBe('DELIBERATION_ANNOUNCE_FUTURE');
    expect(await count('deliberation_meetings')).toBe(before);
    // exactly 3 days ahead is fine; counts before the meeting is held are refused
    const ok = await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/meetings`, { kind: 'committees', heldAt: new Date(Date.now() + 3 * DAY + 60_000).toISOString(), place: '会议室', expected: 9 });
    expect(ok.status).toBe(200);
    const early = await c.villageA1!.post(`${api}/deliberation/meetings/${ok.body.id}/counts`, { present: 9, for: 9, against: 0, abstain: 0 });
    expect(early.body.code).toBe('DELIBERATION_MEETING_NOT_HELD');
  });

  it('counts must add up; the result is never typed', async () => {
    const t = await newTopic();
    const m = await meeting(t.id, 'representatives');
    for (const bad of [{ present: 10, for: 1, against: 0, abstain: 0 }, { present: 6, for: 4, against: 2, abstain: 1 }]) {
      const r = await c.villageA1!.post(`${api}/deliberation/meetings/${m.id}/counts`, bad);
      expect(r.body.code).toBe('DELIBERATION_COUNTS_INVALID');
    }
    const typed = await c.villageA1!.post(`${api}/deliberation/meetings/${m.id}/counts`, { present: 6, for: 4, against: 2, abstain: 0, result: 'passed' });
    expect(typed.status).toBe(400);
    const row = await database.db.selectFrom('deliberation_meetings').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row.result).toBeNull();
  });

  it('bad input: unknown fields, wrong types, too long, villagers without signatures, a township as place', async () => {
    const before = await count('deliberation_topics');
    const base = { regionId: w.regions.villageA1.id, title: 't', content: 'c', proposerKind: 'branch', category: 'assets' };
    for (const [body, status] of [
      [{ ...base, extra: 1 }, 400], [{ ...base, category: 'zzz' }, 400], [{ ...base, title: 'x'.repeat(101) }, 400], [{ ...base, amount: 'lots' }, 400],
      [{ ...base, proposerKind: 'villagers' }, 400], [{ ...base, regionId: w.regions.groupA1.id }, 400], [{ ...base, regionId: w.regions.townA.id }, 404], [{ ...base, regionId: w.regions.villageB1.id }, 404], [{ ...base, title: '   ' }, 400],
    ] as const) {
      const r = await c.villageA1!.post(`${api}/deliberation/topics`, body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.code).toBeTruthy();
    }
    expect(await count('deliberation_topics')).toBe(before);
    const t = await newTopic();
    expect((await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/fly`, {})).status).toBe(400);
    expect((await c.villageA1!.get(`${api}/deliberation/topics?state=flying`)).body.code).toBe('DELIBERATION_STATE_UNKNOWN');
  });
});

describe('open votes on the phone', () => {
  let topicId: number;
  let meetingId: number;
  it('a villagers\' meeting with an open vote: expected = the village\'s households', async () => {
    const t = await newTopic(undefined, { title: '村规民约修订', category: 'rules', amount: null });
    topicId = t.id;
    for (const [a, b] of [['branch_propose', { opinion: '提议' }]] as const) await step(t.id, a, b);
    const cm = await meeting(t.id, 'committees', { present: 9, for: 9, against: 0, abstain: 0 });
    await step(t.id, 'committee_discuss', { meetingId: cm.id, record: 'r', opinion: 'o' });
    const mm = await meeting(t.id, 'members', { present: 9, for: 9, against: 0, abstain: 0 });
    await step(t.id, 'members_review', { meetingId: mm.id });
    const bad = await c.villageA1!.post(`${api}/deliberation/topics/${t.id}/meetings`, { kind: 'representatives', voteMode: 'open', heldAt: ago(1), announcedAt: ago(5), place: '线上', voteClosesAt: new Date(Date.now() + DAY).toISOString() });
    expect(bad.body.code).toBe('DELIBERATION_OPEN_VOTE_KIND');
    const m = await meeting(t.id, 'villagers', undefined, { voteMode: 'open', voteClosesAt: new Date(Date.now() + DAY).toISOString(), expected: undefined });
    meetingId = m.id;
    expect(m).toMatchObject({ voteMode: 'open', expected: 3, acceptingVotes: true }); // 一村 has 3 households
  });

  it('one vote per household: two at once → one counted', async () => {
    const [a, b] = await Promise.all([
      c.villagerA1!.post(`${api}/me/deliberation/meetings/${meetingId}/vote`, { choice: 'for' }),
      c.villagerA1!.post(`${api}/me/deliberation/meetings/${meetingId}/vote`, { choice: 'against' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.code).toBe('DELIBERATION_ALREADY_VOTED');
    expect(await database.db.selectFrom('deliberation_votes').select('choice').where('meeting_id', '=', meetingId).execute()).toHaveLength(1);
    const me = await c.villagerA1!.get(`${api}/me/deliberation`);
    expect(me.status).toBe(200);
    expect(me.body.votes.map((v: { id: number; myChoice: string }) => v.id)).toContain(meetingId);
    expect(me.body.votes.find((v: { id: number }) => v.id === meetingId).myChoice).toBeTruthy();
  });

  it('another village\'s villager cannot vote or see it; staff cannot vote', async () => {
    expect((await c.villagerB1!.post(`${api}/me/deliberation/meetings/${meetingId}/vote`, { choice: 'for' })).status).toBe(404);
    expect((await c.villagerB1!.get(`${api}/me/deliberation`)).body.votes).toEqual([]);
    expect((await c.villageA1!.post(`${api}/me/deliberation/meetings/${meetingId}/vote`, { choice: 'for' })).status).toBe(403);
    expect((await c.villagerA1!.post(`${api}/me/deliberation/meetings/${meetingId}/vote`, { choice: 'maybe' })).status).toBe(400);
  });

  it('closing counts the votes; 1 of 3 households is no quorum; voting after close refused', async () => {
    const closed = await c.villageA1!.post(`${api}/deliberation/meetings/${meetingId}/close`, {});
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ present: 1, expected: 3, quorumMet: false, result: 'no_quorum' });
    const late = await c.villagerA1!.post(`${api}/me/deliberation/meetings/${meetingId}/vote`, { choice: 'for' });
    expect(late.body.code).toBe('DELIBERATION_VOTE_CLOSED');
    const r = await c.villageA1!.post(`${api}/deliberation/topics/${topicId}/resolve`, { meetingId, resolutionText: 'x' });
    expect(r.body.code).toBe('DELIBERATION_NO_QUORUM');
  });

  it('a vote past its closing time is refused', async () => {
    const m = await database.db.insertInto('deliberation_meetings').values({
      county_id: w.countyId, topic_id: topicId, region_path: w.regions.villageA1.path, kind: 'villagers', held_at: ago(3), announced_at: ago(7), place: 'x',
      vote_mode: 'open', expected: 3, vote_closes_at: ago(1),
    }).returning('id').executeTakeFirstOrThrow();
    const r = await c.villagerA1!.post(`${api}/me/deliberation/meetings/${m.id}/vote`, { choice: 'for' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('DELIBERATION_VOTE_CLOSED');
  });
});

describe('scope', () => {
  let id: number;
  beforeAll(async () => {
    id = (await newTopic(undefined, { title: '范围测试议题' })).id;
  });
  it('another village\'s cadre and another township get 404; the township and supervision read', async () => {
    expect((await c.villageA2!.get(`${api}/deliberation/topics/${id}`)).status).toBe(404);
    expect((await c.villageB1!.post(`${api}/deliberation/topics/${id}/branch_propose`, { opinion: 'x' })).status).toBe(404);
    expect((await c.townB!.get(`${api}/deliberation/topics/${id}`)).status).toBe(404);
    const town = await c.townA!.get(`${api}/deliberation/topics/${id}`);
    expect(town.status).toBe(200);
    expect(town.body.actions).toEqual([]);
    expect((await c.townA!.post(`${api}/deliberation/topics/${id}/branch_propose`, { opinion: 'x' })).status).toBe(403);
    expect((await c.villageB1!.get(`${api}/deliberation/topics`)).body.items.map((t: { id: number }) => t.id)).not.toContain(id);
    expect((await c.townA!.get(`${api}/deliberation/topics`)).body.items.map((t: { id: number }) => t.id)).toContain(id);
  });
  it('the township guides, the supervision committee objects, not the other way round', async () => {
    expect((await c.townA!.post(`${api}/deliberation/topics/${id}/remarks`, { kind: 'guide', text: '请注意资产评估' })).status).toBe(200);
    expect((await c.townA!.post(`${api}/deliberation/topics/${id}/remarks`, { kind: 'objection', text: 'x' })).status).toBe(403);
    const o = await c.evalA1!.post(`${api}/deliberation/topics/${id}/remarks`, { kind: 'objection', text: '底价偏低，建议重新评估' });
    expect(o.status).toBe(200);
    expect(o.body.history.map((h: { action: string }) => h.action)).toEqual(['propose', 'guide', 'objection']);
    expect((await c.evalA1!.post(`${api}/deliberation/topics/${id}/branch_propose`, { opinion: 'x' })).status).toBe(403);
  });
  it('villagers see only their own village\'s published items; the party member the review items', async () => {
    expect((await c.villagerA1!.get(`${api}/me/deliberation/topics/${id}`)).status).toBe(404); // not published
    expect((await c.villagerA1!.get(`${api}/deliberation/topics/${id}`)).status).toBe(404);
    expect((await c.villagerA1!.get(`${api}/deliberation/topics`)).status).toBe(403);
    const mine = await c.villagerA1!.get(`${api}/me/deliberation`);
    const pub = mine.body.published as { id: number; state: string }[];
    expect(pub.length).toBeGreaterThan(0);
    expect(pub.every((t) => ['resolution_published', 'implementing', 'done'].includes(t.state))).toBe(true);
    const doneId = pub[0]!.id;
    expect((await c.villagerA1!.get(`${api}/me/deliberation/topics/${doneId}`)).status).toBe(200);
    expect((await c.villagerB1!.get(`${api}/me/deliberation/topics/${doneId}`)).status).toBe(404);
    expect((await c.villagerB1!.get(`${api}/me/deliberation`)).body.published).toEqual([]);
    const party = await c.partyA1!.get(`${api}/me/deliberation`);
    expect(party.status).toBe(200);
    expect(party.body.reviews.length).toBeGreaterThan(0);
    expect(party.body.reviews.some((t: { id: number }) => t.id === id)).toBe(false); // still 'proposed'
  });
  it('the county overview counts by state', async () => {
    const r = await c.townA!.get(`${api}/deliberation/overview`);
    expect(r.status).toBe(200);
    expect(r.body.total.done).toBe(1);
    expect(r.body.villages[0].villageName).toBe('一村');
    expect((await c.villageB1!.get(`${api}/deliberation/overview`)).body.villages).toEqual([]);
  });
});

describe('an open vote closes itself at its closing time', () => {
  it('the job queue counts the votes once, as 系统, and a vote closed by hand is left alone', async () => {
    const { runDueJobs } = await import('../../core/jobs.js');
    const t = await newTopic();
    await step(t.id, 'branch_propose', { opinion: '提议' });
    const cm = await meeting(t.id, 'committees', { present: 9, for: 8, against: 1, abstain: 0 });
    await step(t.id, 'committee_discuss', { meetingId: cm.id, record: 'r', opinion: 'o' });
    const mm = await meeting(t.id, 'members', { present: 9, for: 9, against: 0, abstain: 0 });
    await step(t.id, 'members_review', { meetingId: mm.id });
    const closesAt = new Date(Date.now() + DAY);
    const m = await meeting(t.id, 'villagers', undefined, { voteMode: 'open', voteClosesAt: closesAt.toISOString(), expected: undefined });
    expect((await c.villagerA1!.post(`${api}/me/deliberation/meetings/${m.id}/vote`, { choice: 'for' })).status).toBe(200);
    // Before its time nothing happens; after it, the vote is counted, once.
    await runDueJobs(database.db, 50, new Date(closesAt.getTime() - 60_000));
    expect((await database.db.selectFrom('deliberation_meetings').select('closed_at').where('id', '=', m.id).executeTakeFirstOrThrow()).closed_at).toBeNull();
    await runDueJobs(database.db, 50, new Date(closesAt.getTime() + 60_000));
    await runDueJobs(database.db, 50, new Date(closesAt.getTime() + 120_000));
    const closed = await database.db.selectFrom('deliberation_meetings').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ present: 1, votes_for: 1, votes_against: 0, votes_abstain: 0 });
    expect(closed.closed_at).not.toBeNull();
    expect(closed.result).toBeTruthy();
    const steps = await database.db.selectFrom('workflow_history').select(['action', 'actor_name']).where('process', '=', 'deliberation').where('entity_id', '=', t.id).where('action', '=', 'close_vote').execute();
    expect(steps).toEqual([{ action: 'close_vote', actor_name: '系统' }]);
    // Closing by hand afterwards is refused: it is closed already.
    const again = await c.villageA1!.post(`${api}/deliberation/meetings/${m.id}/close`, {});
    expect(again.body.code).toBe('DELIBERATION_VOTE_MODE');
  });
});
