/**
 * Import jobs: the upload answers 202 at once and the file is checked and written in the
 * background of this process.
 *
 * Progress lives in a process-local Map while the job runs: on embedded PGlite there is one
 * connection and the import's transaction holds it, so a progress UPDATE from outside would wait
 * for the commit and tell nobody anything. The import_jobs row is written at the start and at the
 * end; a reader merges the two (the Map wins while the job is live here).
 */
import { covers, requirePermission } from '../../core/actor.js';
import type { Ctx } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { decodeCursor, pageOf } from '../../core/paging.js';
import type { ImportRowError } from '../../db/types.js';
import { requireRegion } from '../regions/service.js';
import { importRoster, requireVillage, type ImportResult } from './import.js';
import type { RosterRow } from './parse.js';
import * as q from './queries.js';
import type { ImportJob, ImportJobSummary } from './schema.js';

/** Errors kept with a job: enough to fix any real file, bounded for a file of garbage. */
const MAX_STORED_ERRORS = 10_000;
/** A job still 'running' in the database, not live in this process, and older than this died with its process. */
const STALE_AFTER_MS = 30 * 60_000;

interface Live {
  status: 'running' | 'done' | 'failed';
  doneRows: number;
  totalRows: number;
  /** Enough to answer GET /roster/import/:id without the database while the job runs. */
  summary: Omit<ImportJobSummary, 'status' | 'doneRows' | 'totalRows'>;
  countyId: number;
  regionPath: string;
}
const live = new Map<number, Live>();
const pending = new Set<Promise<void>>();

export interface PreparedJob {
  jobId: number;
  /** Does the work; call it once the 202 has gone out (see routes.ts). Never rejects. */
  run: () => Promise<void>;
}

/**
 * Checks the caller and the village and records the job now, so a bad request fails with its own
 * status; the work itself starts when `run` is called.
 */
export async function prepareImport(ctx: Ctx, regionId: number, fileName: string, rows: RosterRow[], dryRun: boolean, log?: (e: unknown) => void): Promise<PreparedJob> {
  const village = await requireVillage(ctx, regionId);
  const job = await q.insertJob(ctx.db, { countyId: village.countyId, userId: ctx.actor.userId, regionId: village.id, fileName, dryRun, totalRows: rows.length });
  const state: Live = {
    status: 'running', doneRows: 0, totalRows: rows.length, countyId: village.countyId, regionPath: village.path,
    summary: {
      id: job.id, dryRun, fileName, regionId: village.id, regionName: village.name, userName: ctx.actor.displayName,
      created: 0, updated: 0, errorCount: 0, createdAt: new Date(job.created_at).toISOString(), finishedAt: null,
    },
  };
  live.set(job.id, state);

  let started: Promise<void> | null = null;
  const run = () => (started ??= track(execute(ctx, village.id, job.id, rows, dryRun, state, log)));
  return { jobId: job.id, run };
}

async function execute(ctx: Ctx, villageId: number, jobId: number, rows: RosterRow[], dryRun: boolean, state: Live, log?: (e: unknown) => void) {
  let result: ImportResult | null = null;
  let failure: ImportRowError[] | null = null;
  try {
    result = await importRoster(ctx, villageId, rows, { dryRun, jobId, onProgress: (done) => { state.doneRows = done; } });
  } catch (e) {
    log?.(e);
    const reason = e instanceof AppError && e.status < 500 ? e.message : '服务器内部错误，导入未完成，未写入任何数据';
    failure = [{ row: 0, column: '', reason }];
  }
  try {
    await q.finishJob(ctx.db, jobId, {
      // A real import with bad rows wrote nothing: it failed (the rows say why). A dry run did its job.
      status: failure || (!dryRun && result!.errors.length > 0) ? 'failed' : 'done',
      doneRows: result?.doneRows ?? state.doneRows,
      created: result?.created ?? 0,
      updated: result?.updated ?? 0,
      errors: (failure ?? result!.errors).slice(0, MAX_STORED_ERRORS),
    });
  } catch (e) {
    log?.(e);
  } finally {
    live.delete(jobId);
  }
}

function track(p: Promise<void>): Promise<void> {
  pending.add(p);
  void p.finally(() => pending.delete(p));
  return p;
}

/** Imports one file and waits for the end (CLI, tests): prepare + run. */
export async function runImport(ctx: Ctx, regionId: number, fileName: string, rows: RosterRow[], dryRun: boolean): Promise<number> {
  const j = await prepareImport(ctx, regionId, fileName, rows, dryRun);
  await j.run();
  return j.jobId;
}

/** Waits for every import this process is running (graceful shutdown, tests). */
export async function drainImports(): Promise<void> {
  while (pending.size) await Promise.allSettled([...pending]);
}

export async function getImportJob(ctx: Ctx, jobId: number): Promise<ImportJob> {
  requirePermission(ctx.actor, 'registry.import');
  const l = live.get(jobId);
  if (l) {
    // Live in this process: answer from memory (on PGlite the import's transaction holds the connection).
    if (l.countyId !== ctx.actor.countyId || !covers(ctx.actor, 'registry.import', l.regionPath)) throw new AppError('NOT_FOUND');
    return { ...l.summary, status: l.status, doneRows: l.doneRows, totalRows: l.totalRows, errors: [] };
  }
  const j = await q.findJob(ctx.db, jobId);
  if (!j || j.county_id !== ctx.actor.countyId || !covers(ctx.actor, 'registry.import', j.region_path)) throw new AppError('NOT_FOUND');
  let errors = (typeof j.errors === 'string' ? JSON.parse(j.errors) : j.errors) as ImportRowError[];
  const summary = summaryOf(j, errors.length);
  if (summary.status === 'failed' && errors.length === 0) {
    errors = [{ row: 0, column: '', reason: '导入因服务重启而中断，未写入任何数据，请重新导入' }];
    summary.errorCount = 1;
  }
  return { ...summary, errors };
}

export async function listImportJobs(ctx: Ctx, f: { regionId?: number; cursor?: string; limit?: number }) {
  requirePermission(ctx.actor, 'registry.import');
  const region = f.regionId ? await requireRegion(ctx, f.regionId, 'registry.import') : null;
  const limit = f.limit ?? 50;
  const rows = await q.listJobs(ctx.db, ctx.actor, { regionPath: region?.path ?? null, cursor: decodeCursor(f.cursor), limit });
  const page = pageOf(rows, limit);
  return { items: page.items.map((j) => summaryOf(j, j.error_count)), nextCursor: page.nextCursor };
}

type JobRow = NonNullable<Awaited<ReturnType<typeof q.findJob>>>;

function summaryOf(j: Omit<JobRow, 'errors' | 'county_id'>, errorCount: number): ImportJobSummary {
  const l = live.get(j.id);
  let status = l?.status ?? j.status;
  if (!l && status === 'running' && Date.now() - new Date(j.created_at).getTime() > STALE_AFTER_MS) status = 'failed';
  return {
    id: j.id,
    status,
    dryRun: j.dry_run,
    fileName: j.file_name,
    regionId: j.region_id,
    regionName: j.region_name,
    userName: j.user_name ?? null,
    totalRows: l?.totalRows ?? j.total_rows,
    doneRows: l?.doneRows ?? j.done_rows,
    created: j.created,
    updated: j.updated,
    errorCount,
    createdAt: new Date(j.created_at).toISOString(),
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
  };
}
