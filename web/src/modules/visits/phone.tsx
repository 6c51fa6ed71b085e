import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { NoteIcon } from '../../phone/icons';

const MyVisits = lazy(() => import('./phone/MyVisits'));
const VisitForm = lazy(() => import('./phone/VisitForm'));
const VisitDetail = lazy(() => import('./phone/VisitDetail'));

/** 入户走访 on the phone: grid workers and cadres record visits and turn opinions into cases. */
export const visitsPhone: PhoneModule = {
  key: 'visits',
  tiles: [
    { labelKey: 'visits.phone.tile', path: 'visits', icon: <NoteIcon />, kinds: ['staff'], permission: 'visits.record' },
  ],
  routes: [
    { path: 'visits', element: <MyVisits /> },
    { path: 'visits/new/:householdId', element: <VisitForm /> },
    { path: 'visits/:id', element: <VisitDetail /> },
  ],
};
