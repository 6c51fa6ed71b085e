import type { Ctx } from '../core/context.js';

interface Place { id: number; path: string; name: string }

/** Demo village affairs in the open (村务公开) in village01 — being built. Returns how many rows it laid down. */
export async function disclosureActivity(_as: Record<string, Ctx>, _town: Place, _v1: Place, _log: (m: string) => void = () => {}): Promise<number> {
  return 0;
}
