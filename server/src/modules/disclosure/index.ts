/** Village affairs in the open (村务公开): finance with sign-offs, notices — being built. */
import type { ModuleDef } from '../../core/module.js';

export const disclosureModule: ModuleDef = { name: 'disclosure' };
