/**
 * 智治 triage: suggest the category and the responsible unit of a new report from its text.
 * Multinomial naive Bayes over jieba words, trained on this county's own past routing (the final
 * category and unit of resolved and closed cases) plus the catalogue keywords as a prior, so a
 * county with no history still gets sensible suggestions. Retrained by the job
 * 'case.triage_retrain' (weekly, and when a county has no model yet); the model lives in
 * triage_models and is cached per process.
 */
import { sql } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { enqueue } from '../../core/jobs.js';
import { beijingDay } from '../../core/calendar/index.js';
import { tokenize } from './text.js';

export interface NbModel {
  labels: string[];
  docs: number[]; // per label
  totals: number[]; // tokens per label
  counts: Record<string, number[]>; // token → count per label (dense; labels are few)
  vocab: number;
  n: number;
}

export interface Sample {
  text: string;
  label: string;
}

export function trainNb(samples: { tokens: string[]; label: string; weight?: number }[]): NbModel {
  const labels = [...new Set(samples.map((s) => s.label))].sort();
  const idx = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const totals = labels.map(() => 0);
  const counts: Record<string, number[]> = {};
  for (const s of samples) {
    const k = idx.get(s.label)!;
    const w = s.weight ?? 1;
    docs[k]! += w;
    for (const t of s.tokens) {
      (counts[t] ??= labels.map(() => 0))[k]! += w;
      totals[k]! += w;
    }
  }
  return { labels, docs, totals, counts, vocab: Object.keys(counts).length, n: docs.reduce((a, b) => a + b, 0) };
}

export interface Suggestion {
  label: string;
  confidence: number;
}

/** Top-k labels with softmax-normalised posteriors. */
export function predictNb(m: NbModel, tokens: string[], k = 3): Suggestion[] {
  if (m.labels.length === 0) return [];
  const scores = m.labels.map((_, i) => Math.log((m.docs[i]! + 1) / (m.n + m.labels.length)));
  const V = m.vocab + 1;
  for (const t of tokens) {
    const c = m.counts[t];
    if (!c) continue; // unseen words carry no evidence
    for (let i = 0; i < scores.length; i++) scores[i]! += Math.log((c[i]! + 1) / (m.totals[i]! + V));
  }
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return m.labels
    .map((label, i) => ({ label, confidence: exps[i]! / sum }))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, k)
    .map((s) => ({ label: s.label, confidence: Math.round(s.confidence * 1000) / 1000 }));
}

export const unitLabel = (level: string, departmentId: number | null) => (level === 'department' && departmentId ? `department:${departmentId}` : level);

/** Training set: the county's routed cases (most recent first) and the catalogue keywords. */
async function trainingSet(db: Kdb, countyId: number, maxCases: number) {
  const cats = await db.selectFrom('case_categories').select(['id', 'name', 'keywords', 'handling_level', 'department_id', 'parent_id']).where('county_id', '=', countyId).where('active', '=', true).execute();
  const leaves = cats.filter((c) => !cats.some((x) => x.parent_id === c.id));
  // A department-level category without a default department first goes to the township, which
  // dispatches it — so that is the unit the prior suggests; history then names the department.
  const priorUnit = (level: string, dep: number | null) => (level === 'department' && dep ? `department:${dep}` : level === 'village' ? 'village' : 'township');
  const prior = leaves.map((c) => ({ tokens: [...c.keywords.flatMap((k) => tokenize(k)), ...tokenize(c.name)], cat: String(c.id), unit: priorUnit(c.handling_level, c.department_id) }));
  const cases = await db
    .selectFrom('cases')
    .select(['title', 'description', 'category_id', 'level', 'department_id'])
    .where('county_id', '=', countyId)
    .where('state', 'in', ['resolved', 'closed'])
    .orderBy('id', 'desc')
    .limit(maxCases)
    .execute();
  const routed = cases.map((c) => ({ tokens: tokenize(`${c.title} ${c.description}`), cat: String(c.category_id), unit: unitLabel(c.level, c.department_id) }));
  return { prior, routed };
}

export async function retrainTriage(db: Kdb, countyId: number, maxCases = 50_000): Promise<{ samples: number }> {
  const { prior, routed } = await trainingSet(db, countyId, maxCases);
  // Keywords weigh like a few reports each, so history soon outweighs them.
  const build = (key: 'cat' | 'unit') => trainNb([...prior.map((p) => ({ tokens: p.tokens, label: p[key], weight: 3 })), ...routed.map((r) => ({ tokens: r.tokens, label: r[key] }))]);
  for (const [target, model] of [['category', build('cat')], ['unit', build('unit')]] as const) {
    await db
      .insertInto('triage_models')
      .values({ county_id: countyId, target, model: JSON.stringify(model), samples: routed.length })
      .onConflict((oc) => oc.columns(['county_id', 'target']).doUpdateSet({ model: JSON.stringify(model), samples: routed.length, trained_at: new Date() }))
      .execute();
  }
  cache.delete(countyId);
  return { samples: routed.length };
}

interface Loaded {
  at: number;
  category: NbModel;
  unit: NbModel;
  /** Names shown with the suggestions, loaded with the model so a suggestion needs no query. */
  categoryNames: Map<number, string>;
  departmentNames: Map<number, string>;
}
const cache = new Map<number, Loaded>();
const TTL_MS = 60_000;

async function models(db: Kdb, countyId: number): Promise<Loaded> {
  const hit = cache.get(countyId);
  if (hit && Date.now() - hit.at < TTL_MS) return hit;
  const rows = await db.selectFrom('triage_models').select(['target', 'model']).where('county_id', '=', countyId).execute();
  let category = rows.find((r) => r.target === 'category')?.model as NbModel | undefined;
  let unit = rows.find((r) => r.target === 'unit')?.model as NbModel | undefined;
  if (!category || !unit) {
    // Cold start: the catalogue keywords alone, until the first retrain.
    const { prior } = await trainingSet(db, countyId, 0);
    category = trainNb(prior.map((p) => ({ tokens: p.tokens, label: p.cat })));
    unit = trainNb(prior.map((p) => ({ tokens: p.tokens, label: p.unit })));
  }
  const [catNames, depNames] = await Promise.all([
    db.selectFrom('case_categories').select(['id', 'name']).where('county_id', '=', countyId).execute(),
    db.selectFrom('departments').select(['id', 'name']).where('county_id', '=', countyId).execute(),
  ]);
  const loaded: Loaded = {
    at: Date.now(), category, unit,
    categoryNames: new Map(catNames.map((c) => [c.id, c.name])), departmentNames: new Map(depNames.map((d) => [d.id, d.name])),
  };
  cache.set(countyId, loaded);
  return loaded;
}

export interface TriageResult {
  categories: { categoryId: number; name: string; confidence: number }[];
  units: { unit: string; level: string; departmentId: number | null; name: string; confidence: number }[];
  tokens: string[];
}

export async function suggest(db: Kdb, countyId: number, text: string): Promise<TriageResult> {
  const m = await models(db, countyId);
  const tokens = tokenize(text);
  const cats = predictNb(m.category, tokens);
  const units = predictNb(m.unit, tokens);
  return {
    tokens,
    categories: cats.map((c) => ({ categoryId: Number(c.label), name: m.categoryNames.get(Number(c.label)) ?? '', confidence: c.confidence })),
    units: units.map((u) => {
      const dep = u.label.startsWith('department:') ? Number(u.label.slice(11)) : null;
      const name = dep ? m.departmentNames.get(dep) ?? '县直部门' : u.label === 'village' ? '村级办理' : u.label === 'township' ? '乡镇办理' : '县直部门（待指定）';
      return { unit: u.label, level: dep ? 'department' : u.label, departmentId: dep, name, confidence: u.confidence };
    }),
  };
}

const lastCheck = new Map<number, number>();

/** Queue a retrain when the county has no model or it is a week old (checked at most every 10 min). */
export async function maybeScheduleRetrain(db: Kdb, countyId: number): Promise<void> {
  const t = lastCheck.get(countyId);
  if (t && Date.now() - t < 600_000) return;
  lastCheck.set(countyId, Date.now());
  const r = await db.selectFrom('triage_models').select(sql<Date>`max(trained_at)`.as('at')).where('county_id', '=', countyId).executeTakeFirst();
  if (r?.at && Date.now() - new Date(r.at).getTime() < 7 * 86_400_000) return;
  await enqueue(db, 'case.triage_retrain', { countyId }, new Date(), `case.triage_retrain:${countyId}:${beijingDay(new Date())}`);
}

export const triageJobs = {
  'case.triage_retrain': async (db: Kdb, p: Record<string, unknown>) => {
    await retrainTriage(db, Number(p.countyId));
  },
};
