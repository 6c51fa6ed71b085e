/** Every capability, in load order. A module declares itself in its own index.ts. */
import type { ModuleDef } from '../core/module.js';
import { authModule } from './auth/index.js';
import { regionsModule } from './regions/index.js';
import { registryModule } from './registry/index.js';
import { auditModule } from './audit/index.js';
import { partyModule } from './party/index.js';
import { accountsModule } from './accounts/index.js';
import { assignmentsModule } from './assignments/index.js';
import { departmentsModule } from './departments/index.js';
import { pointsModule } from './points/index.js';
import { storeModule } from './store/index.js';
import { rosterModule } from './roster/index.js';
import { casesModule } from './cases/index.js';
import { serviceOrdersModule } from './service-orders/index.js';
import { visitsModule } from './visits/index.js';
import { mediationModule } from './mediation/index.js';
import { deliberationModule } from './deliberation/index.js';
import { disclosureModule } from './disclosure/index.js';

export const modules: ModuleDef[] = [authModule, regionsModule, registryModule, auditModule, partyModule, accountsModule, assignmentsModule, departmentsModule, pointsModule, storeModule, rosterModule, casesModule, serviceOrdersModule, visitsModule, mediationModule, deliberationModule, disclosureModule];
