import type { ConsoleModule } from '../../console/types';

/** 议事协商 in the console — being built. */
export const deliberationConsole: ConsoleModule = { key: 'deliberation', menu: [], routes: [] };
