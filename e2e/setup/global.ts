/**
 * Starts the real server once for all browser tests and stops it afterwards.
 *  - E2E_BASE_URL=http://host:port  use an already running server instead (nothing is started)
 *  - E2E_DATA_DIR=/path             keep/reuse the embedded database there (first start seeds the
 *                                   demo county, later runs start in about a second)
 * Otherwise a temp DATA_DIR is created and removed.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

const root = resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 15 * 60_000; // first start seeds a whole demo county

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? ok(a.port) : fail(new Error('no port'))));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const r = await fetch(url + '/api/health');
      if (r.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`server did not become healthy in time:\n${log()}`);
}

export default async function setup(project: TestProject) {
  if (process.env.E2E_BASE_URL) {
    project.provide('baseUrl', process.env.E2E_BASE_URL.replace(/\/$/, ''));
    return;
  }
  if (!existsSync(join(root, 'web/dist/index.html'))) {
    throw new Error('web/dist 不存在：请先运行 npm run build（根目录 npm test 会先构建）');
  }
  const port = await freePort();
  const keep = !!process.env.E2E_DATA_DIR;
  const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'xz-e2e-'));
  let output = '';
  // The browser tests drive what `npm start` runs: the server bundle, built fresh from the sources
  // (esbuild, about a second), so a stale bundle can never be what is tested.
  execFileSync('npm', ['run', 'build', '-w', 'server'], { cwd: root, stdio: 'inherit' });
  const child = spawn(process.execPath, ['server/dist/main.mjs'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', WEB_DIST: join(root, 'web/dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so teardown stops the server and anything it started
  });
  const keepLog = (b: Buffer) => { output = (output + b.toString()).slice(-20_000); };
  child.stdout!.on('data', keepLog);
  child.stderr!.on('data', keepLog);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(baseUrl, child, () => output);
  project.provide('baseUrl', baseUrl);

  return async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await new Promise((r) => { child.once('exit', r); setTimeout(r, 10_000); });
    }
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  };
}
