/**
 * The phone entry's modules: home-page tiles and routes are built from this list.
 *
 * To plug a module in: put its phone pages in web/src/modules/<module>/ and a `phone.tsx` there that
 * exports a PhoneModule (tiles + routes, pages loaded with React.lazy — the phone entry's first load
 * must stay under 150 KB gzipped, and it must never import antd, only antd-mobile), then add ONE
 * import and ONE array entry below. Tiles carry an i18n labelKey, optionally `kinds` (villager/staff)
 * and a permission. Route paths are relative to /m ('cases/new', 'cases/:id').
 */
import type { PhoneModule } from './types';
import { registryPhone } from '../modules/registry/phone';
import { pointsPhone } from '../modules/points/phone';
import { casesPhone } from '../modules/cases/phone';
import { serviceOrdersPhone } from '../modules/service-orders/phone';
import { visitsPhone } from '../modules/visits/phone';
import { mediationPhone } from '../modules/mediation/phone';
import { deliberationPhone } from '../modules/deliberation/phone';
import { disclosurePhone } from '../modules/disclosure/phone';

export type { PhoneModule, PhoneTile, PhoneRoute, PhoneUserKind } from './types';

export const phoneModules: PhoneModule[] = [registryPhone, pointsPhone, casesPhone, serviceOrdersPhone, visitsPhone, mediationPhone, deliberationPhone, disclosurePhone];
