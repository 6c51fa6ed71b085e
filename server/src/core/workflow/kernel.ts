/**
 * The workflow kernel: a process is a table of transitions (from states → to state, who may fire
 * it, a guard on the input, an effect on the row) plus a shared history table. Cases are its first
 * user; service orders, mediation, deliberation and finance approvals reuse it. It is deliberately
 * small — no BPM engine: the module keeps its own table and tells the kernel how to save a step.
 *
 * fire() is the one way a state changes:
 *   1. the action must exist, the caller must be allowed (policy) and the row must be in a `from`
 *      state — otherwise a stable error and nothing changes;
 *   2. the guard checks the input against the row;
 *   3. the module's `apply` writes the new state (compare-and-set on the old state, so two
 *      concurrent steps cannot both win);
 *   4. a history row (actor, time, from, to, comment, attachments, data) is written in the same
 *      transaction.
 */
import type { Actor } from '../actor.js';
import type { Ctx } from '../context.js';
import type { Kdb } from '../../db/database.js';
import { AppError, defineErrors } from '../errors.js';
import { enqueue } from '../jobs.js';

defineErrors({
  WORKFLOW_ACTION_UNKNOWN: { status: 400, message: '未知的操作' },
  WORKFLOW_TRANSITION_NOT_ALLOWED: { status: 409, message: '当前状态下不能执行此操作' },
  WORKFLOW_FORBIDDEN: { status: 403, message: '您无权在此环节执行此操作' },
});

export interface WorkflowResource<S extends string = string> {
  id: number;
  countyId: number;
  regionPath: string;
  state: S;
}

export interface StepInput {
  comment?: string | null;
  attachments?: unknown[];
}

export interface Transition<S extends string, R extends WorkflowResource<S>, I extends StepInput = StepInput> {
  action: string;
  label: string; // 中文, shown as the button and in the history
  from: readonly S[];
  to: S | ((r: R, input: I) => S);
  /** Fired only by the system (timers); people get WORKFLOW_FORBIDDEN. */
  system?: boolean;
  /** Who may: a pure, state-aware rule over the caller and the row. */
  allow?: (actor: Actor, r: R) => boolean;
  /** Input checks against the row; throw AppError. */
  guard?: (r: R, input: I, actor: Actor) => void;
}

export interface ProcessDef<S extends string, R extends WorkflowResource<S>> {
  name: string; // 'case' — the history's `process`
  states: Record<S, string>; // state → 中文 label
  transitions: Transition<S, R, any>[];
}

export interface FireOptions<S extends string, I extends StepInput> {
  input: I;
  /** Writes the new state and the step's effects; returns false if the row changed meanwhile. */
  apply: (to: S) => Promise<boolean>;
  /** Extra facts for the history (deadlines moved, days added …); `apply` may still fill it in. */
  data?: Record<string, unknown>;
}

export const SYSTEM_USER_ID = 0;

/** The actor timers act as. It holds no grants: system transitions don't need any. */
export function systemActor(countyId: number): Actor {
  return {
    userId: SYSTEM_USER_ID, username: 'system', displayName: '系统', kind: 'staff', countyId,
    householdId: null, residentId: null, departmentId: null, grants: [], totpPassed: true, ip: null,
  };
}

export class Process<S extends string, R extends WorkflowResource<S>> {
  constructor(readonly def: ProcessDef<S, R>) {
    const seen = new Set<string>();
    for (const t of def.transitions) {
      if (seen.has(t.action)) throw new Error(`${def.name}: duplicate action ${t.action}`);
      seen.add(t.action);
    }
  }

  transition(action: string): Transition<S, R, any> {
    const t = this.def.transitions.find((x) => x.action === action);
    if (!t) throw new AppError('WORKFLOW_ACTION_UNKNOWN', { action });
    return t;
  }

  stateLabel(s: S): string {
    return this.def.states[s];
  }

  can(actor: Actor, r: R, action: string): boolean {
    const t = this.def.transitions.find((x) => x.action === action);
    if (!t || !t.from.includes(r.state)) return false;
    if (t.system) return actor.userId === SYSTEM_USER_ID;
    return !t.allow || t.allow(actor, r);
  }

  /** What the caller may do next, so a page shows only the buttons that will work. */
  available(actor: Actor, r: R): { action: string; label: string }[] {
    return this.def.transitions.filter((t) => !t.system && this.can(actor, r, t.action)).map((t) => ({ action: t.action, label: t.label }));
  }

  async fire<I extends StepInput>(ctx: Ctx, r: R, action: string, opts: FireOptions<S, I>): Promise<{ from: S; to: S }> {
    const t = this.transition(action);
    const isSystem = ctx.actor.userId === SYSTEM_USER_ID;
    if (t.system && !isSystem) throw new AppError('WORKFLOW_FORBIDDEN', { action });
    if (!t.from.includes(r.state)) {
      throw new AppError('WORKFLOW_TRANSITION_NOT_ALLOWED', { action, state: r.state, stateLabel: this.def.states[r.state] });
    }
    if (!t.system && !isSystem && t.allow && !t.allow(ctx.actor, r)) throw new AppError('WORKFLOW_FORBIDDEN', { action });
    t.guard?.(r, opts.input, ctx.actor);
    const to = typeof t.to === 'function' ? t.to(r, opts.input) : t.to;
    if (!(await opts.apply(to))) throw new AppError('CONFLICT');
    await writeHistory(ctx, {
      process: this.def.name, entityId: r.id, regionPath: r.regionPath, action, from: r.state, to,
      comment: opts.input.comment ?? null, attachments: opts.input.attachments ?? [], data: opts.data ?? {},
    });
    return { from: r.state, to };
  }
}

export function defineProcess<S extends string, R extends WorkflowResource<S>>(def: ProcessDef<S, R>): Process<S, R> {
  return new Process(def);
}

export interface HistoryInput {
  process: string;
  entityId: number;
  regionPath: string | null;
  action: string;
  from: string | null;
  to: string;
  comment?: string | null;
  attachments?: unknown[];
  data?: Record<string, unknown>;
}

/** Also used for steps that are not transitions (a supervision notice, a deadline warning). */
export async function writeHistory(ctx: Ctx, h: HistoryInput): Promise<void> {
  await ctx.db.insertInto('workflow_history').values(historyValues(ctx, h)).execute();
}

/** The history row as values, for a caller that writes it inside a larger statement (hot paths). */
export function historyValues(ctx: Ctx, h: HistoryInput) {
  return {
      county_id: ctx.actor.countyId,
      process: h.process,
      entity_id: h.entityId,
      region_path: h.regionPath,
      action: h.action,
      from_state: h.from,
      to_state: h.to,
      actor_id: ctx.actor.userId || null,
      actor_name: ctx.actor.displayName,
      comment: h.comment ?? null,
      attachments: JSON.stringify(h.attachments ?? []),
      data: JSON.stringify(h.data ?? {}),
      // Only a use case acting at a set time (ctx.now) names it; otherwise the column's now().
      ...(ctx.now ? { at: ctx.now } : {}),
  };
}

export async function readHistory(db: Kdb, process: string, entityId: number) {
  const rows = await db.selectFrom('workflow_history').selectAll().where('process', '=', process).where('entity_id', '=', entityId).orderBy('id').execute();
  return rows.map((h) => ({
    id: h.id, action: h.action, from: h.from_state, to: h.to_state, actorId: h.actor_id, actorName: h.actor_name,
    comment: h.comment, attachments: h.attachments as unknown[], data: h.data as Record<string, unknown>, at: new Date(h.at).toISOString(),
  }));
}

/**
 * A time limit as a durable timer on the job queue. `gen` is the row's deadline generation: when
 * a deadline moves the generation changes, the old job finds a different generation and does
 * nothing. The dedupe key makes scheduling the same timer twice harmless.
 */
export async function scheduleTimer(db: Kdb, process: string, kind: string, entityId: number, gen: number, runAt: Date): Promise<void> {
  const t = timerValues(process, kind, entityId, gen, runAt);
  await enqueue(db, t.kind, { id: entityId, gen }, runAt, t.dedupe_key);
}

/** A timer as a `jobs` row, for a caller that writes it inside a larger statement (ON CONFLICT (dedupe_key) DO NOTHING). */
export function timerValues(process: string, kind: string, entityId: number, gen: number, runAt: Date) {
  return { kind: `${process}.${kind}`, payload: JSON.stringify({ id: entityId, gen }), run_at: runAt, dedupe_key: `${process}.${kind}:${entityId}:${gen}` };
}
