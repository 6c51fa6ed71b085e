import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { FlagIcon } from '../../phone/icons';

const Affairs = lazy(() => import('./phone/Affairs'));
const TopicView = lazy(() => import('./phone/TopicView'));

/** 村务议事 on the phone: villagers read published resolutions and results and cast open votes; party members see the review items. */
export const deliberationPhone: PhoneModule = {
  key: 'deliberation',
  tiles: [
    { labelKey: 'deliberation.phone.title', path: 'deliberation', icon: <FlagIcon />, kinds: ['villager'], permission: 'deliberation.vote' },
    { labelKey: 'deliberation.phone.reviews', path: 'deliberation', icon: <FlagIcon />, kinds: ['staff'], permission: 'deliberation.review' },
  ],
  routes: [
    { path: 'deliberation', element: <Affairs /> },
    { path: 'deliberation/:id', element: <TopicView /> },
  ],
};
