import { lazy } from 'react';
import { ApartmentOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const RegionTreePage = lazy(() => import('./RegionTreePage'));

export const regionsConsole: ConsoleModule = {
  key: 'regions',
  menu: [{ labelKey: 'regions.menu.tree', icon: <ApartmentOutlined />, path: 'regions', permission: 'registry.read', group: 'common.menuGroup.registry' }],
  routes: [
    { path: 'regions', element: <RegionTreePage /> },
    { path: 'regions/:id', element: <RegionTreePage /> },
  ],
};
