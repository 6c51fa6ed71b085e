import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { NoteIcon } from '../../phone/icons';

const ApplyPage = lazy(() => import('./phone/ApplyPage'));
const MyDisputes = lazy(() => import('./phone/MyDisputes'));
const MediatorCases = lazy(() => import('./phone/MediatorCases'));
const DisputeView = lazy(() => import('./phone/DisputeView'));

const HandsIcon = () => (
  <svg width="1em" height="1em" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <path d="M3 12l4-4 4 2 3-2 7 5" /><path d="M7 8l-4 7 4 3 3-2 3 3 4-3 3-2" /><path d="M10 16l2-2M13 19l2-2" />
  </svg>
);

/** 矛盾调解 on the phone: villagers apply and follow their applications; mediators take the steps. */
export const mediationPhone: PhoneModule = {
  key: 'mediation',
  tiles: [
    { labelKey: 'mediation.phone.apply', path: 'mediation/apply', icon: <HandsIcon />, kinds: ['villager'], permission: 'mediation.apply' },
    { labelKey: 'mediation.phone.mine', path: 'mediation/mine', icon: <NoteIcon />, kinds: ['villager'], permission: 'mediation.apply' },
    { labelKey: 'mediation.phone.cases', path: 'mediation/cases', icon: <HandsIcon />, kinds: ['staff'], permission: 'mediation.handle' },
  ],
  routes: [
    { path: 'mediation/apply', element: <ApplyPage /> },
    { path: 'mediation/mine', element: <MyDisputes /> },
    { path: 'mediation/mine/:id', element: <DisputeView mode="mine" /> },
    { path: 'mediation/cases', element: <MediatorCases /> },
    { path: 'mediation/cases/:id', element: <DisputeView mode="case" /> },
  ],
};
