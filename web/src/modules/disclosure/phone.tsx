import type { PhoneModule } from '../../phone/types';

/** 村务公开 on the phone — being built. */
export const disclosurePhone: PhoneModule = { key: 'disclosure', tiles: [], routes: [] };
