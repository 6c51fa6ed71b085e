import type { Ctx } from '../core/context.js';

interface Place { id: number; path: string; name: string }

/** Demo deliberation (议事协商) in village01 — being built. Returns how many topics it laid down. */
export async function deliberationActivity(_as: Record<string, Ctx>, _town: Place, _v1: Place, _log: (m: string) => void = () => {}): Promise<number> {
  return 0;
}
