import type { PhoneModule } from '../../phone/types';

/** 议事协商 on the phone — being built. */
export const deliberationPhone: PhoneModule = { key: 'deliberation', tiles: [], routes: [] };
