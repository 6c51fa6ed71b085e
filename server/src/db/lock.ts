/**
 * PGlite has no guard against two processes opening one data directory, and when that happens
 * committed rows are lost. So the first process takes an exclusive lock file; a second start
 * refuses at once. A lock left by a killed process is taken over when its pid is gone.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(readonly pid: number, dir: string) {
    super(`数据目录 ${dir} 正被另一个乡治进程（pid ${pid}）使用。嵌入式数据库只能由一个进程打开；请先停止该进程，或设置 DATABASE_URL 使用 PostgreSQL。`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'xiangzhi.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (pid && pid !== process.pid && alive(pid)) throw new DataDirLockedError(pid, dir);
      unlinkSync(file); // stale lock from a process that died
    }
  }
  throw new Error('could not lock ' + file);
}
