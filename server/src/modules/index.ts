/** Every capability, in load order. A module declares itself in its own index.ts. */
import type { ModuleDef } from '../core/module.js';
import { authModule } from './auth/index.js';

export const modules: ModuleDef[] = [authModule];
