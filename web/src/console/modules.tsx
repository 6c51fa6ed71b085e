/**
 * The console's modules: the side menu and the routes are built from this list.
 *
 * To plug a module in: put its pages in web/src/modules/<module>/ and a `console.tsx` there that
 * exports a ConsoleModule (menu entries + routes, pages loaded with React.lazy so the first load
 * stays small), then add ONE import and ONE array entry below. Menu entries carry an i18n labelKey
 * (add web/src/i18n/zh-CN/<module>.json and en/<module>.json) and optionally the permission that
 * shows them and a group (an i18n key; entries with the same group share a submenu).
 * Route paths are relative to the console root ('cases', 'cases/:id').
 */
import type { ConsoleModule } from './types';
import { regionsConsole } from '../modules/regions/console';
import { registryConsole } from '../modules/registry/console';
import { partyConsole } from '../modules/party/console';
import { rosterConsole } from '../modules/roster/console';
import { accountsConsole } from '../modules/accounts/console';
import { auditConsole } from '../modules/audit/console';
import { pointsConsole } from '../modules/points/console';
import { casesConsole } from '../modules/cases/console';
import { serviceOrdersConsole } from '../modules/service-orders/console';
import { visitsConsole } from '../modules/visits/console';
import { mediationConsole } from '../modules/mediation/console';
import { deliberationConsole } from '../modules/deliberation/console';
import { disclosureConsole } from '../modules/disclosure/console';

export type { ConsoleModule, ConsoleMenuEntry, ConsoleRoute } from './types';

export const consoleModules: ConsoleModule[] = [
  regionsConsole,
  registryConsole,
  partyConsole,
  rosterConsole,
  accountsConsole,
  auditConsole,
  pointsConsole,
  casesConsole,
  serviceOrdersConsole,
  visitsConsole,
  mediationConsole,
  deliberationConsole,
  disclosureConsole,
];
