/**
 * How much can embedded PGlite lose on a hard kill? A child process inserts rows one transaction
 * at a time and prints each id once the commit returned (acknowledged). We SIGKILL it mid-stream,
 * reopen the data directory and count acknowledged rows that are missing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHILD = `
const { PGlite } = await import('@electric-sql/pglite');
const db = new PGlite(process.argv[1]);
await db.exec('create table if not exists t (id int primary key)');
process.stdout.write('ready\\n');
for (let i = 1; ; i++) {
  await db.query('insert into t values ($1)', [i]);
  process.stdout.write(i + '\\n');
}
`;

export interface DurabilityResult {
  trials: number;
  acknowledged: number[];
  present: number[];
  lost: number[];
  corruptOnReopen: number;
}

async function oneTrial(killAfterMs: number): Promise<{ acked: number; present: number; corrupt: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'xz-dur-'));
  try {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, join(dir, 'pg')], { stdio: ['ignore', 'pipe', 'ignore'], cwd: process.cwd() });
    let acked = 0;
    let buf = '';
    let ready = false;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (l === 'ready') ready = true;
        else if (/^\d+$/.test(l)) acked = Math.max(acked, Number(l));
      }
    });
    while (!ready) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, killAfterMs));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const { PGlite } = await import('@electric-sql/pglite');
    try {
      const db = new PGlite(join(dir, 'pg'));
      const r = await db.query<{ n: number }>('select count(*)::int as n from t');
      await db.close();
      return { acked, present: r.rows[0]!.n, corrupt: false };
    } catch {
      return { acked, present: 0, corrupt: true };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureDurability(trials = 5): Promise<DurabilityResult> {
  const res: DurabilityResult = { trials, acknowledged: [], present: [], lost: [], corruptOnReopen: 0 };
  for (let i = 0; i < trials; i++) {
    const t = await oneTrial(1500 + i * 500);
    res.acknowledged.push(t.acked);
    res.present.push(t.present);
    res.lost.push(Math.max(0, t.acked - t.present));
    if (t.corrupt) res.corruptOnReopen++;
  }
  return res;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await measureDurability(Number(process.argv[2] ?? 3)));
}
