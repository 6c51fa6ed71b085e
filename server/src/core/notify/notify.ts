/**
 * Notifications: an in-app row per recipient plus outbox rows for the external channels, written
 * in the caller's transaction — so a notification exists if and only if the change it announces
 * committed. Delivery runs later (job 'notify.deliver') through pluggable senders: a county adds
 * an SMS or WeChat gateway with registerSender() without touching any module.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Kdb } from '../../db/database.js';
import { enqueue } from '../jobs.js';

export interface OutboundMessage {
  outboxId: number;
  userId: number;
  channel: string;
  title: string;
  body: string;
  entity: string | null;
  entityId: number | null;
}

export interface Sender {
  send(m: OutboundMessage): Promise<void>;
}

/** The default: writes the message to the log (and keeps the last few for tests and diagnostics). */
export class LoggingSender implements Sender {
  readonly recent: OutboundMessage[] = [];
  async send(m: OutboundMessage): Promise<void> {
    this.recent.push(m);
    if (this.recent.length > 200) this.recent.shift();
    if (!process.env.VITEST) console.info(`[notify:${m.channel}] → user ${m.userId}: ${m.title} ${m.body}`);
  }
}

export const loggingSender = new LoggingSender();
const senders = new Map<string, Sender>([['sms', loggingSender]]);

export function registerSender(channel: string, sender: Sender): void {
  senders.set(channel, sender);
}
export function externalChannels(): string[] {
  return [...senders.keys()];
}

export interface NotifyInput {
  countyId: number;
  userIds: (number | null | undefined)[];
  kind: string; // 'case.assigned'
  title: string;
  body?: string;
  entity?: string;
  entityId?: number;
  /** External channels as well as in-app; default true (assignments and deadlines matter). */
  external?: boolean;
}

export async function notify(db: Kdb, n: NotifyInput): Promise<void> {
  const users = [...new Set(n.userIds.filter((u): u is number => typeof u === 'number' && u > 0))];
  if (users.length === 0) return;
  const rows = await db
    .insertInto('notifications')
    .values(users.map((u) => ({ county_id: n.countyId, user_id: u, kind: n.kind, title: n.title, body: n.body ?? '', entity: n.entity ?? null, entity_id: n.entityId ?? null })))
    .returning(['id', 'user_id'])
    .execute();
  if (n.external === false) return;
  const channels = externalChannels();
  if (channels.length === 0) return;
  await db
    .insertInto('notification_outbox')
    .values(rows.flatMap((r) => channels.map((channel) => ({
      county_id: n.countyId, notification_id: r.id, user_id: r.user_id, channel,
      payload: JSON.stringify({ title: n.title, body: n.body ?? '', entity: n.entity ?? null, entityId: n.entityId ?? null }),
    }))))
    .execute();
  // One delivery job per 10-second window, whatever the number of messages in it. Look first:
  // an INSERT … ON CONFLICT on a key another open transaction just inserted waits for that
  // transaction, which would serialise every report in the window behind the first one.
  const key = `notify.deliver:${Math.floor(Date.now() / 10_000)}`;
  const queued = await db.selectFrom('jobs').select('id').where('dedupe_key', '=', key).executeTakeFirst();
  if (!queued) await enqueue(db, 'notify.deliver', {}, new Date(), key);
}

/**
 * The same notification as data-modifying CTEs (`name`, `name_o`, `name_j`), for a hot path that
 * writes its change and its notifications in ONE statement (a report is the busiest write). The
 * recipients are a SELECT of `user_id` evaluated in that statement, so they need no round trip.
 * Behaves like notify(): in-app rows, outbox rows per external channel, one delivery job per
 * 10-second window (only if someone was notified).
 */
export function notifyCtes(name: string, n: Omit<NotifyInput, 'userIds'>, recipients: RawBuilder<unknown>): RawBuilder<unknown> {
  const t = sql.table(name);
  const channels = n.external === false ? [] : externalChannels();
  const key = `notify.deliver:${Math.floor(Date.now() / 10_000)}`;
  const payload = JSON.stringify({ title: n.title, body: n.body ?? '', entity: n.entity ?? null, entityId: n.entityId ?? null });
  const main = sql`${t} AS (
    INSERT INTO notifications (county_id, user_id, kind, title, body, entity, entity_id)
    SELECT DISTINCT ${n.countyId}::int8, r.user_id, ${n.kind}, ${n.title}, ${n.body ?? ''}, ${n.entity ?? null}::text, ${n.entityId ?? null}::int8
    FROM (${recipients}) r WHERE r.user_id > 0
    RETURNING id, user_id)`;
  if (channels.length === 0) return main;
  return sql`${main},
  ${sql.table(name + '_o')} AS (
    INSERT INTO notification_outbox (county_id, notification_id, user_id, channel, payload)
    SELECT ${n.countyId}::int8, x.id, x.user_id, ch, ${payload}::jsonb FROM ${t} x, unnest(string_to_array(${channels.join(',')}::text, ',')) ch),
  ${sql.table(name + '_j')} AS (
    INSERT INTO jobs (kind, payload, run_at, dedupe_key)
    SELECT 'notify.deliver', '{}'::jsonb, now(), ${key}::text
    WHERE EXISTS (SELECT 1 FROM ${t}) AND NOT EXISTS (SELECT 1 FROM jobs WHERE dedupe_key = ${key}::text)
    ON CONFLICT (dedupe_key) DO NOTHING)`;
}

/**
 * Sends pending outbox rows. Rows are claimed with SKIP LOCKED so several processes share the work
 * without sending a message twice. A failing sender leaves the row pending for the next run; after
 * 5 attempts it is marked failed (and stays visible for the operators).
 */
export async function deliverOutbox(db: Kdb, max = 500): Promise<number> {
  let sent = 0;
  while (sent < max) {
    const run = async (trx: Kdb) => {
      const batch = await trx
        .selectFrom('notification_outbox')
        .selectAll()
        .where('status', '=', 'pending')
        .orderBy('id')
        .limit(50)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const row of batch) {
        const sender = senders.get(row.channel);
        const p = row.payload as { title: string; body: string; entity: string | null; entityId: number | null };
        try {
          if (!sender) throw new Error(`no sender for channel ${row.channel}`);
          await sender.send({ outboxId: row.id, userId: row.user_id, channel: row.channel, title: p.title, body: p.body, entity: p.entity, entityId: p.entityId });
          await trx.updateTable('notification_outbox').set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
        } catch (e) {
          await trx
            .updateTable('notification_outbox')
            .set({ attempts: row.attempts + 1, last_error: String(e).slice(0, 500), status: row.attempts + 1 >= 5 ? 'failed' : 'pending' })
            .where('id', '=', row.id)
            .execute();
        }
      }
      return batch.length;
    };
    // Called from a job, db is already the job's transaction.
    const n = db.isTransaction ? await run(db) : await db.transaction().execute((trx) => run(trx as unknown as Kdb));
    if (n === 0) break;
    sent += n;
    if (n < 50) break;
  }
  return sent;
}

export async function listNotifications(db: Kdb, userId: number, opts: { unreadOnly?: boolean; before?: number | null; limit: number }) {
  let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
  if (opts.unreadOnly) q = q.where('read_at', 'is', null);
  if (opts.before) q = q.where('id', '<', opts.before);
  return q.orderBy('id', 'desc').limit(opts.limit + 1).execute();
}

export async function unreadCount(db: Kdb, userId: number): Promise<number> {
  const r = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return r.n;
}

/** Marks the caller's own notifications read; ids of other users are silently ignored. */
export async function markRead(db: Kdb, userId: number, ids: number[] | 'all'): Promise<number> {
  let q = db.updateTable('notifications').set({ read_at: new Date() }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    q = q.where('id', 'in', ids);
  }
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}
