/** Kysely queries of the deliberation module. */
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Kdb } from '../../db/database.js';
import './tables.js';
import type { TopicCategory, TopicState } from './tables.js';

export type TopicRow = Awaited<ReturnType<typeof findTopic>> & object;
export type MeetingRow = Awaited<ReturnType<typeof findMeeting>> & object;

export const findTopic = (db: Kdb, countyId: number, id: number) =>
  db.selectFrom('deliberation_topics').selectAll().where('county_id', '=', countyId).where('id', '=', id).executeTakeFirst();
export const lockTopic = (db: Kdb, countyId: number, id: number) =>
  db.selectFrom('deliberation_topics').selectAll().where('county_id', '=', countyId).where('id', '=', id).forUpdate().executeTakeFirst();
export const findMeeting = (db: Kdb, countyId: number, id: number) =>
  db.selectFrom('deliberation_meetings').selectAll().where('county_id', '=', countyId).where('id', '=', id).executeTakeFirst();
export const meetingsOf = (db: Kdb, topicIds: number[]) =>
  topicIds.length ? db.selectFrom('deliberation_meetings').selectAll().where('topic_id', 'in', topicIds).orderBy('id').execute() : Promise.resolve([]);

export async function listTopics(db: Kdb, f: { countyId: number; scope: Expression<SqlBool>; states?: TopicState[]; category?: TopicCategory; regionPath?: string; q?: string; beforeId: number | null; limit: number }) {
  let qb = db.selectFrom('deliberation_topics as t').selectAll('t').where('t.county_id', '=', f.countyId).where(f.scope);
  if (f.states) qb = qb.where('t.state', 'in', f.states);
  if (f.category) qb = qb.where('t.category', '=', f.category);
  if (f.regionPath) qb = qb.where('t.region_path', 'like', f.regionPath.replace(/[\\%_]/g, (c) => '\\' + c) + '%');
  if (f.q) qb = qb.where((eb) => eb.or([eb('t.title', 'ilike', `%${f.q}%`), eb('t.code', '=', f.q!)]));
  if (f.beforeId) qb = qb.where('t.id', '<', f.beforeId);
  return qb.orderBy('t.id', 'desc').limit(f.limit + 1).execute();
}

export async function regionNames(db: Kdb, ids: number[]) {
  if (!ids.length) return new Map<number, string>();
  const rows = await db.selectFrom('regions').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function householdsIn(db: Kdb, countyId: number, villagePath: string): Promise<number> {
  const r = await db.selectFrom('households').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('county_id', '=', countyId).where('region_path', 'like', villagePath.replace(/[\\%_]/g, (c) => '\\' + c) + '%').executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function tallyVotes(db: Kdb, meetingId: number) {
  const rows = await db.selectFrom('deliberation_votes').select(['choice', (eb) => eb.fn.countAll<string>().as('n')]).where('meeting_id', '=', meetingId).groupBy('choice').execute();
  const n = (c: string) => Number(rows.find((r) => r.choice === c)?.n ?? 0);
  return { for: n('for'), against: n('against'), abstain: n('abstain') };
}

export async function overviewRows(db: Kdb, countyId: number, scope: Expression<SqlBool>) {
  return db.selectFrom('deliberation_topics as t').select(['t.region_id', 't.state', sql<string>`count(*)`.as('n')])
    .where('t.county_id', '=', countyId).where(scope).groupBy(['t.region_id', 't.state']).execute();
}
