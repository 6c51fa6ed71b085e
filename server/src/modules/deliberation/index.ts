/** Deliberation (议事协商, 四议两公开 / 六步议事) — being built. */
import type { ModuleDef } from '../../core/module.js';

export const deliberationModule: ModuleDef = { name: 'deliberation' };
