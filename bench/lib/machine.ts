/** The machine a benchmark ran on, for bench/RESULTS.md. */
import { cpus, totalmem, release, platform } from 'node:os';
import { execSync } from 'node:child_process';

export function machineDetails(): Record<string, string> {
  const c = cpus();
  let pgVersion = 'n/a';
  try {
    pgVersion = execSync('psql -h 127.0.0.1 -U postgres -Atc "show server_version"', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    /* no server */
  }
  return {
    date: new Date().toISOString(),
    cpu: `${c[0]?.model ?? '?'} × ${c.length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${platform()} ${release()}`,
    node: process.version,
    postgres: pgVersion,
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : NaN;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
}

/** p50 and p95 of a sample, as the bench tables print them. */
export const stats = (xs: number[]) => ({ p50: median(xs), p95: percentile(xs, 95) });

export async function timeIt<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

/** Runs fn n times (after `warm` unmeasured runs) and returns per-call milliseconds. */
export async function sample(n: number, fn: (i: number) => Promise<unknown>, warm = 5): Promise<number[]> {
  for (let i = 0; i < warm; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}
