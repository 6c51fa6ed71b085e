import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { NoteIcon } from '../../phone/icons';

const VillageAffairs = lazy(() => import('./phone/VillageAffairs'));
const MonthView = lazy(() => import('./phone/VillageAffairs').then((m) => ({ default: m.MonthView })));
const SignList = lazy(() => import('./phone/SignList'));
const SignView = lazy(() => import('./phone/SignList').then((m) => ({ default: m.SignView })));

const BoardIcon = () => (
  <svg width="1em" height="1em" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
    <rect x="3" y="4" width="18" height="12" rx="1" /><path d="M7 20l2-4M17 20l-2-4M7 8h10M7 12h6" />
  </svg>
);

/** 村务公开 on the phone: villagers read their village's published months and notices; signers sign ("待我审签"). */
export const disclosurePhone: PhoneModule = {
  key: 'disclosure',
  tiles: [
    { labelKey: 'disclosure.phone.title', path: 'disclosure', icon: <BoardIcon />, kinds: ['villager'], permission: 'disclosure.read' },
    { labelKey: 'disclosure.phone.pending', path: 'disclosure/sign', icon: <NoteIcon />, kinds: ['staff'], permission: 'disclosure.sign' },
  ],
  routes: [
    { path: 'disclosure', element: <VillageAffairs /> },
    { path: 'disclosure/month/:month', element: <MonthView /> },
    { path: 'disclosure/sign', element: <SignList /> },
    { path: 'disclosure/sign/:id', element: <SignView /> },
  ],
};
