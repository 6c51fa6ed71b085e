import { lazy } from 'react';
import { SolutionOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const VisitsPage = lazy(() => import('./VisitsPage'));

/** 入户走访 in the console: coverage per village and the visit records. */
export const visitsConsole: ConsoleModule = {
  key: 'visits',
  menu: [
    { labelKey: 'visits.menu.visits', icon: <SolutionOutlined />, path: 'visits', permission: 'visits.read', group: 'common.menuGroup.registry' },
  ],
  routes: [{ path: 'visits', element: <VisitsPage /> }],
};
