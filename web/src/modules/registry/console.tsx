import { lazy } from 'react';
import { ClusterOutlined, HomeOutlined, TeamOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const GridsPage = lazy(() => import('./GridsPage'));
const HouseholdsPage = lazy(() => import('./HouseholdsPage'));
const ResidentsPage = lazy(() => import('./ResidentsPage'));

const group = 'common.menuGroup.registry';
export const registryConsole: ConsoleModule = {
  key: 'registry',
  menu: [
    { labelKey: 'registry.menu.grids', icon: <ClusterOutlined />, path: 'grids', permission: 'registry.read', group },
    { labelKey: 'registry.menu.households', icon: <HomeOutlined />, path: 'households', permission: 'registry.read', group },
    { labelKey: 'registry.menu.residents', icon: <TeamOutlined />, path: 'residents', permission: 'registry.read', group },
  ],
  routes: [
    { path: 'grids', element: <GridsPage /> },
    { path: 'grids/:id', element: <GridsPage /> },
    { path: 'households', element: <HouseholdsPage /> },
    { path: 'households/:id', element: <HouseholdsPage /> },
    { path: 'residents', element: <ResidentsPage /> },
  ],
};
