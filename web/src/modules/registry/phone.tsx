import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { GridIcon, HouseIcon } from '../../phone/icons';

const MyHousehold = lazy(() => import('./phone/MyHousehold'));
const MyGrids = lazy(() => import('./phone/MyGrids'));
const GridHouseholds = lazy(() => import('./phone/GridHouseholds'));
const HouseholdDetail = lazy(() => import('./phone/HouseholdDetail'));

export const registryPhone: PhoneModule = {
  key: 'registry',
  tiles: [
    { labelKey: 'registry.phone.myHousehold', path: 'my-household', icon: <HouseIcon />, kinds: ['villager'] },
    { labelKey: 'registry.phone.myGrids', path: 'my-grids', icon: <GridIcon />, kinds: ['staff'], permission: 'registry.read' },
  ],
  routes: [
    { path: 'my-household', element: <MyHousehold /> },
    { path: 'my-grids', element: <MyGrids /> },
    { path: 'my-grids/:gridId', element: <GridHouseholds /> },
    { path: 'households/:id', element: <HouseholdDetail /> },
  ],
};
