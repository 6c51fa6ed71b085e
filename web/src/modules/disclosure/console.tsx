import type { ConsoleModule } from '../../console/types';

/** 村务公开 in the console — being built. */
export const disclosureConsole: ConsoleModule = { key: 'disclosure', menu: [], routes: [] };
