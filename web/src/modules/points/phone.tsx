import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { FlagIcon, NoteIcon, HouseIcon } from '../../phone/icons';

const MyPoints = lazy(() => import('./phone/MyPoints'));
const Declare = lazy(() => import('./phone/Declare'));
const Record = lazy(() => import('./phone/Record'));
const Store = lazy(() => import('./phone/Store'));

export const pointsPhone: PhoneModule = {
  key: 'points',
  tiles: [
    { labelKey: 'points.phone.myPoints', path: 'points', icon: <FlagIcon />, kinds: ['villager'], permission: 'points.self' },
    { labelKey: 'points.phone.declare', path: 'points/declare', icon: <NoteIcon />, kinds: ['villager'], permission: 'points.self' },
    { labelKey: 'points.phone.store', path: 'points/store', icon: <HouseIcon />, kinds: ['villager'], permission: 'points.self' },
    { labelKey: 'points.phone.record', path: 'points/record', icon: <NoteIcon />, kinds: ['staff'], permission: 'points.record' },
  ],
  routes: [
    { path: 'points', element: <MyPoints /> },
    { path: 'points/declare', element: <Declare /> },
    { path: 'points/store', element: <Store /> },
    { path: 'points/record', element: <Record /> },
  ],
};
