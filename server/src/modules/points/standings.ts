/**
 * Scores, rankings, stars, quarterly publication (公示) and yearly awards. Everything here reads the
 * per-period aggregates (points_period_scores), never the ledger: a county-wide ranking is one
 * index range scan.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { PointsSubjectKind } from '../../db/types.js';
import { AppError } from '../../core/errors.js';
import { assertCovers, inScope } from '../../core/actor.js';
import { audit } from '../../core/audit.js';
import { inTransaction, type Ctx } from '../../core/context.js';
import { periodKind, periodsOf } from './ledger.js';
import { settingsOf, starsFor, toPoints } from './rules.js';
import { ownSubject, villageInScope, villageOfPath } from './subjects.js';
import { chinaToday } from './claims.js';
import { isBlacklisted } from './blacklist.js';
import './errors.js';
import { beijingDay } from '../../core/calendar/index.js';
import { regionInScope } from '../party/places.js';

export interface RankingQuery {
  regionId: number;
  period: string;
  subjectKind?: PointsSubjectKind;
  limit: number;
  offset?: number;
}

/** Ranking in a region (village, township or the county) for a period, from the aggregates. */
export async function ranking(ctx: Ctx, q: RankingQuery) {
  periodKind(q.period);
  const region = await regionInScope(ctx, q.regionId, 'points.read');
  return rankingQuery(ctx.db, { countyId: ctx.actor.countyId, region, period: q.period, kind: q.subjectKind ?? 'household', limit: q.limit, offset: q.offset ?? 0 });
}

export async function rankingQuery(db: Kdb, q: { countyId: number; region: { id: number; path: string; level: string }; period: string; kind: string; limit: number; offset: number }) {
  let query = db
    .selectFrom('points_period_scores as p')
    .innerJoin('points_subjects as s', 's.id', 'p.subject_id')
    .select(['p.subject_id', 's.name', 's.household_id', 'p.village_id', 'p.score', sql<number>`rank() over (order by p.score desc)::int`.as('rank')])
    .where('p.county_id', '=', q.countyId)
    .where('p.period', '=', q.period)
    .where('p.subject_kind', '=', q.kind)
    .orderBy('p.score', 'desc')
    .orderBy('p.subject_id')
    .limit(q.limit)
    .offset(q.offset);
  if (q.region.level === 'village') query = query.where('p.village_id', '=', q.region.id);
  else if (q.region.level !== 'county') query = query.where('p.region_path', 'like', `${q.region.path}%`);
  const rows = await query.execute();
  return rows.map((r) => ({ subjectId: r.subject_id, name: r.name, householdId: r.household_id, villageId: r.village_id, score: toPoints(r.score), rank: r.rank }));
}

/** Average and total per village under a region, for the console's charts. */
export async function villageSummary(ctx: Ctx, q: { regionId: number; period: string }) {
  periodKind(q.period);
  const region = await regionInScope(ctx, q.regionId, 'points.read');
  const rows = await ctx.db
    .selectFrom('points_period_scores as p')
    .innerJoin('regions as v', 'v.id', 'p.village_id')
    .select(['p.village_id', 'v.name', sql<number>`count(*)::int`.as('subjects'), sql<number>`sum(p.score)::int`.as('total'), sql<number>`round(avg(p.score))::int`.as('avg')])
    .where('p.county_id', '=', ctx.actor.countyId)
    .where('p.period', '=', q.period)
    .where('p.subject_kind', '=', 'household')
    .where('p.region_path', 'like', `${region.path}%`)
    .groupBy(['p.village_id', 'v.name'])
    .orderBy('avg', 'desc')
    .execute();
  return rows.map((r) => ({ villageId: r.village_id, name: r.name, subjects: r.subjects, total: toPoints(r.total), average: toPoints(r.avg) }));
}

/** Quarterly stars of a village's subjects (thresholds per village). */
export async function stars(ctx: Ctx, q: { villageId: number; period: string }) {
  if (periodKind(q.period) !== 'quarter') throw new AppError('POINTS_PUBLICATION_PERIOD');
  const village = await villageInScope(ctx, q.villageId, 'points.read');
  const settings = await settingsOf(ctx.db, village.id);
  const rows = await ctx.db
    .selectFrom('points_period_scores as p')
    .innerJoin('points_subjects as s', 's.id', 'p.subject_id')
    .select(['p.subject_id', 's.name', 's.kind', 'p.score'])
    .where('p.village_id', '=', village.id)
    .where('p.period', '=', q.period)
    .orderBy('p.score', 'desc')
    .limit(5000)
    .execute();
  return {
    thresholds: settings.starThresholds.map(toPoints),
    items: rows.map((r) => ({ subjectId: r.subject_id, name: r.name, kind: r.kind, score: toPoints(r.score), stars: starsFor(r.score, settings.starThresholds) })),
  };
}

/** The calling villager's points, ranks and stars. */
export async function myPoints(ctx: Ctx) {
  const subject = await ownSubject(ctx);
  const today = chinaToday();
  const p = periodsOf(today);
  const scores = await ctx.db.selectFrom('points_period_scores').select(['period', 'score']).where('subject_id', '=', subject.id).where('period', 'in', [p.month, p.quarter, p.year]).execute();
  const score = (period: string) => scores.find((s) => s.period === period)?.score ?? 0;
  const balance = await ctx.db.selectFrom('points_balances').select(['earned', 'spent', 'balance']).where('subject_id', '=', subject.id).executeTakeFirst();
  const settings = await settingsOf(ctx.db, subject.village_id);
  const rankIn = async (period: string) => {
    const mine = score(period);
    const r = await ctx.db
      .selectFrom('points_period_scores')
      .select([sql<number>`count(*) filter (where score > ${mine})::int`.as('above'), sql<number>`count(*)::int`.as('total')])
      .where('village_id', '=', subject.village_id)
      .where('period', '=', period)
      .where('subject_kind', '=', 'household')
      .executeTakeFirstOrThrow();
    return { rank: r.above + 1, of: Math.max(r.total, r.above + 1) };
  };
  const published = await latestPublished(ctx.db, subject.village_id);
  const myRow = published ? await ctx.db.selectFrom('points_publication_rows').select(['score', 'rank', 'stars']).where('publication_id', '=', published.id).where('subject_id', '=', subject.id).executeTakeFirst() : undefined;
  return {
    subjectId: subject.id,
    name: subject.name,
    householdId: subject.household_id,
    villageId: subject.village_id,
    spendable: toPoints(Math.max(0, balance?.balance ?? 0)),
    earned: toPoints(balance?.earned ?? 0),
    spent: toPoints(balance?.spent ?? 0),
    month: { period: p.month, score: toPoints(score(p.month)) },
    quarter: { period: p.quarter, score: toPoints(score(p.quarter)), stars: starsFor(score(p.quarter), settings.starThresholds), ...(await rankIn(p.quarter)) },
    year: { period: p.year, score: toPoints(score(p.year)), ...(await rankIn(p.year)) },
    published: published && myRow ? { publicationId: published.id, period: published.period, score: toPoints(myRow.score), rank: myRow.rank, stars: myRow.stars } : null,
    blacklisted: await isBlacklisted(ctx.db, subject.household_id!, today),
  };
}

// ── Publication (公示) ─────────────────────────────────────────────────────────────────────

async function latestPublished(db: Kdb, villageId: number) {
  return db.selectFrom('points_publications').select(['id', 'period', 'published_at', 'objection_until']).where('village_id', '=', villageId).where('status', '=', 'published').orderBy('period', 'desc').limit(1).executeTakeFirst();
}

async function publicationInScope(ctx: Ctx, id: number, permission: string) {
  const p = await ctx.db.selectFrom('points_publications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!p || p.county_id !== ctx.actor.countyId) throw new AppError('POINTS_PUBLICATION_NOT_FOUND');
  try {
    assertCovers(ctx.actor, permission, p.region_path);
  } catch {
    throw new AppError('POINTS_PUBLICATION_NOT_FOUND');
  }
  return p;
}

/** Snapshots the quarter's scores of a village as a draft list (re-snapshots an open draft). */
export async function preparePublication(ctx: Ctx, input: { villageId: number; period: string }) {
  if (periodKind(input.period) !== 'quarter') throw new AppError('POINTS_PUBLICATION_PERIOD');
  const village = await villageInScope(ctx, input.villageId, 'points.publish');
  const settings = await settingsOf(ctx.db, village.id);
  const id = await inTransaction(ctx, async (tx) => {
    const existing = await tx.db.selectFrom('points_publications').select(['id', 'status']).where('village_id', '=', village.id).where('period', '=', input.period).forUpdate().executeTakeFirst();
    if (existing && existing.status !== 'draft') throw new AppError('POINTS_PUBLICATION_EXISTS');
    const pubId = existing?.id ?? (await tx.db
      .insertInto('points_publications')
      .values({ county_id: village.county_id, village_id: village.id, region_path: village.path, period: input.period, status: 'draft', prepared_by: ctx.actor.userId, branch_meeting: null, branch_resolution: null, approved_by: null, approved_at: null, published_by: null, published_at: null, objection_until: null })
      .returning('id')
      .executeTakeFirstOrThrow()).id;
    await tx.db.deleteFrom('points_publication_rows').where('publication_id', '=', pubId).execute();
    const rows = await tx.db
      .selectFrom('points_period_scores as p')
      .innerJoin('points_subjects as s', 's.id', 'p.subject_id')
      .select(['p.subject_id', 's.kind', 's.name', 'p.score', sql<number>`rank() over (partition by s.kind order by p.score desc)::int`.as('rank')])
      .where('p.village_id', '=', village.id)
      .where('p.period', '=', input.period)
      .execute();
    for (let i = 0; i < rows.length; i += 1000) {
      await tx.db
        .insertInto('points_publication_rows')
        .values(rows.slice(i, i + 1000).map((r) => ({ publication_id: pubId, subject_id: r.subject_id, subject_kind: r.kind, name: r.name, score: r.score, rank: r.rank, stars: starsFor(r.score, settings.starThresholds) })))
        .execute();
    }
    await audit(tx, { action: 'points.publication.prepare', entity: 'points_publication', entityId: pubId, regionPath: village.path, after: { period: input.period, rows: rows.length } });
    return pubId;
  });
  return getPublication(ctx, id);
}

/** 村党总支部审定: the branch's approval is recorded before posting. */
export async function approvePublication(ctx: Ctx, id: number, input: { meeting: string; resolution: string }) {
  const p = await publicationInScope(ctx, id, 'points.publish');
  await inTransaction(ctx, async (tx) => {
    const r = await tx.db
      .updateTable('points_publications')
      .set({ status: 'approved', branch_meeting: input.meeting.trim(), branch_resolution: input.resolution.trim(), approved_by: ctx.actor.userId, approved_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new AppError('POINTS_PUBLICATION_STATE', { status: p.status });
    await audit(tx, { action: 'points.publication.approve', entity: 'points_publication', entityId: id, regionPath: p.region_path, before: { status: 'draft' }, after: { status: 'approved', ...input } });
  });
  return getPublication(ctx, id);
}

/** Posts the approved list; objections (复议) are invited until objection_until. */
export async function publishPublication(ctx: Ctx, id: number, input: { objectionDays?: number }) {
  const p = await publicationInScope(ctx, id, 'points.publish');
  const days = input.objectionDays ?? (await settingsOf(ctx.db, p.village_id)).objectionDays;
  const now = new Date();
  await inTransaction(ctx, async (tx) => {
    const r = await tx.db
      .updateTable('points_publications')
      .set({ status: 'published', published_by: ctx.actor.userId, published_at: now, objection_until: new Date(now.getTime() + days * 86400_000) })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .executeTakeFirst();
    if (!Number(r.numUpdatedRows)) throw new AppError('POINTS_PUBLICATION_STATE', { status: p.status });
    await audit(tx, { action: 'points.publication.publish', entity: 'points_publication', entityId: id, regionPath: p.region_path, before: { status: 'approved' }, after: { status: 'published', objectionDays: days } });
  });
  return getPublication(ctx, id);
}

async function publicationDetail(db: Kdb, p: { id: number; village_id: number; period: string; status: string; branch_meeting: string | null; branch_resolution: string | null; approved_at: Date | null; published_at: Date | null; objection_until: Date | null }) {
  const rows = await db.selectFrom('points_publication_rows').selectAll().where('publication_id', '=', p.id).orderBy('subject_kind').orderBy('rank').orderBy('subject_id').execute();
  const village = await db.selectFrom('regions').select(['name', 'path']).where('id', '=', p.village_id).executeTakeFirstOrThrow();
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: p.id, villageId: p.village_id, villageName: village.name, period: p.period, status: p.status,
    branchMeeting: p.branch_meeting, branchResolution: p.branch_resolution, approvedAt: iso(p.approved_at), publishedAt: iso(p.published_at),
    objectionUntil: iso(p.objection_until), objectionOpen: !!p.objection_until && new Date(p.objection_until).getTime() > Date.now(),
    rows: rows.map((r) => ({ subjectId: r.subject_id, kind: r.subject_kind, name: r.name, score: toPoints(r.score), rank: r.rank, stars: r.stars })),
  };
}

export async function getPublication(ctx: Ctx, id: number) {
  const p = await publicationInScope(ctx, id, 'points.read');
  return publicationDetail(ctx.db, p);
}

export async function listPublications(ctx: Ctx, q: { villageId?: number; period?: string }) {
  let query = ctx.db
    .selectFrom('points_publications as p')
    .innerJoin('regions as v', 'v.id', 'p.village_id')
    .select(['p.id', 'p.village_id', 'v.name as village_name', 'p.period', 'p.status', 'p.published_at', 'p.objection_until'])
    .where(inScope(ctx.actor, 'points.read', 'p.region_path'))
    .orderBy('p.period', 'desc')
    .orderBy('p.id', 'desc')
    .limit(500);
  if (q.villageId) query = query.where('p.village_id', '=', q.villageId);
  if (q.period) query = query.where('p.period', '=', q.period);
  return (await query.execute()).map((p) => ({
    id: p.id, villageId: p.village_id, villageName: p.village_name, period: p.period, status: p.status,
    publishedAt: p.published_at ? new Date(p.published_at).toISOString() : null, objectionUntil: p.objection_until ? new Date(p.objection_until).toISOString() : null,
  }));
}

/** The posted list of the villager's own village (公示 is public within the village). */
export async function myVillagePublication(ctx: Ctx) {
  const subject = await ownSubject(ctx);
  const p = await ctx.db.selectFrom('points_publications').selectAll().where('village_id', '=', subject.village_id).where('status', '=', 'published').orderBy('period', 'desc').limit(1).executeTakeFirst();
  return p ? publicationDetail(ctx.db, p) : null;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const KIND_LABEL: Record<string, string> = { household: '农户', enterprise: '企业', family_farm: '家庭农场', business: '个体工商户', party_member: '党员', staff: '网格员/村务助理' };

/** A print-ready page for the village notice board (A4, one table per subject kind). */
export async function publicationHtml(ctx: Ctx, id: number): Promise<string> {
  const d = await getPublication(ctx, id);
  const [y, q] = d.period.split('-Q');
  const kinds = [...new Set(d.rows.map((r) => r.kind))];
  const tables = kinds.map((k) => `<h2>${esc(KIND_LABEL[k] ?? k)}</h2><table><thead><tr><th>名次</th><th>户名/单位</th><th>本季度积分</th><th>星级</th></tr></thead><tbody>${d.rows
    .filter((r) => r.kind === k)
    .map((r) => `<tr><td>${r.rank}</td><td>${esc(r.name)}</td><td>${r.score.toFixed(1)}</td><td>${'★'.repeat(r.stars) || '—'}</td></tr>`)
    .join('')}</tbody></table>`).join('');
  const until = d.objectionUntil ? beijingDay(new Date(d.objectionUntil)) : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(d.villageName)}${y}年第${q}季度村民积分公示</title>
<style>@page{size:A4;margin:18mm}body{font-family:"SimSun","Songti SC",serif;color:#000}h1{text-align:center;font-size:22pt}h2{font-size:14pt;margin-top:12pt}
table{width:100%;border-collapse:collapse;font-size:11pt}th,td{border:1px solid #000;padding:3pt 6pt;text-align:center}p{font-size:11pt;line-height:1.6}
.sign{text-align:right;margin-top:24pt}</style></head><body>
<h1>${esc(d.villageName)}${y}年第${q}季度村民积分公示</h1>
<p>根据《村民（单位）日常积分管理细则》，经评议小组审核认定${d.branchMeeting ? `，并经${esc(d.branchMeeting)}审定` : ''}，现将本季度积分情况予以公示。公示期至${until}，如有异议，请向村评议小组提出复议申请。</p>
${tables || '<p>本季度暂无积分记录。</p>'}
<p class="sign">${esc(d.villageName)}党总支部<br>${d.publishedAt ? beijingDay(new Date(d.publishedAt)) : ''}</p>
</body></html>`;
}

// ── Yearly awards ──────────────────────────────────────────────────────────────────────────

export async function grantAwards(ctx: Ctx, input: { villageId: number; year: number; awards: { subjectId: number; title: string; amountFen: number }[] }) {
  const village = await villageInScope(ctx, input.villageId, 'points.publish');
  const year = String(input.year);
  return inTransaction(ctx, async (tx) => {
    const ids = [...new Set(input.awards.map((a) => a.subjectId))];
    const scores = await tx.db
      .selectFrom('points_period_scores as p')
      .select(['p.subject_id', 'p.score', sql<number>`(select count(*) from points_period_scores o where o.village_id = p.village_id and o.period = p.period and o.subject_kind = p.subject_kind and o.score > p.score)::int + 1`.as('rank')])
      .where('p.village_id', '=', village.id)
      .where('p.period', '=', year)
      .where('p.subject_id', 'in', ids.length ? ids : [0])
      .execute();
    const out = [];
    for (const a of input.awards) {
      const s = scores.find((x) => x.subject_id === a.subjectId);
      if (!s) throw new AppError('POINTS_AWARD_INVALID', { subjectId: a.subjectId });
      const row = await tx.db
        .insertInto('points_awards')
        .values({ county_id: village.county_id, village_id: village.id, region_path: village.path, year: input.year, subject_id: a.subjectId, title: a.title.trim(), amount_fen: a.amountFen, year_score: s.score, rank: s.rank, awarded_by: ctx.actor.userId })
        .onConflict((oc) => oc.columns(['year', 'subject_id', 'title']).doUpdateSet({ amount_fen: a.amountFen, year_score: s.score, rank: s.rank }))
        .returning(['id'])
        .executeTakeFirstOrThrow();
      await audit(tx, { action: 'points.award.grant', entity: 'points_award', entityId: row.id, regionPath: village.path, after: a });
      out.push(row.id);
    }
    return { granted: out.length };
  });
}

export async function listAwards(ctx: Ctx, q: { villageId?: number; year: number }) {
  let query = ctx.db
    .selectFrom('points_awards as a')
    .innerJoin('points_subjects as s', 's.id', 'a.subject_id')
    .select(['a.id', 'a.village_id', 'a.subject_id', 's.name', 'a.title', 'a.amount_fen', 'a.year_score', 'a.rank', 'a.year'])
    .where(inScope(ctx.actor, 'points.read', 'a.region_path'))
    .where('a.year', '=', q.year)
    .orderBy('a.village_id')
    .orderBy('a.rank')
    .limit(2000);
  if (q.villageId) query = query.where('a.village_id', '=', q.villageId);
  return (await query.execute()).map((a) => ({ id: a.id, villageId: a.village_id, subjectId: a.subject_id, name: a.name, title: a.title, amountFen: a.amount_fen, yearScore: toPoints(a.year_score), rank: a.rank, year: a.year }));
}

export { villageOfPath };
