import { lazy } from 'react';
import { BarChartOutlined, TeamOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const DisputesPage = lazy(() => import('./DisputesPage'));
const MediatorsPage = lazy(() => import('./MediatorsPage'));
const StatsPage = lazy(() => import('./StatsPage'));

const group = 'mediation.menu.group';
/** 矛盾调解 in the console: the disputes (eight steps), the mediator pool, the figures. */
export const mediationConsole: ConsoleModule = {
  key: 'mediation',
  menu: [
    { labelKey: 'mediation.menu.disputes', icon: <UnorderedListOutlined />, path: 'disputes', permission: 'mediation.read', group },
    { labelKey: 'mediation.menu.mediators', icon: <TeamOutlined />, path: 'disputes/pool', permission: 'mediation.read', group },
    { labelKey: 'mediation.menu.stats', icon: <BarChartOutlined />, path: 'disputes/stats', permission: 'mediation.read', group },
  ],
  routes: [
    { path: 'disputes', element: <DisputesPage /> },
    { path: 'disputes/pool', element: <MediatorsPage /> },
    { path: 'disputes/stats', element: <StatsPage /> },
    { path: 'disputes/:id', element: <DisputesPage /> },
  ],
};
