import { lazy } from 'react';
import { AuditOutlined, BarChartOutlined, NotificationOutlined, NodeIndexOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const EntriesPage = lazy(() => import('./EntriesPage'));
const MonthsPage = lazy(() => import('./MonthsPage'));
const NoticesPage = lazy(() => import('./NoticesPage'));
const ChainPage = lazy(() => import('./ChainPage'));

const group = 'disclosure.menu.group';
/** 村务公开 in the console: finance entries with sign-off, monthly disclosure, notices, the sign-off chain. */
export const disclosureConsole: ConsoleModule = {
  key: 'disclosure',
  menu: [
    { labelKey: 'disclosure.menu.entries', icon: <AuditOutlined />, path: 'disclosure', permission: 'disclosure.read', group },
    { labelKey: 'disclosure.menu.months', icon: <BarChartOutlined />, path: 'disclosure/months', permission: 'disclosure.read', group },
    { labelKey: 'disclosure.menu.notices', icon: <NotificationOutlined />, path: 'disclosure/notices', permission: 'disclosure.read', group },
    { labelKey: 'disclosure.menu.chain', icon: <NodeIndexOutlined />, path: 'disclosure/chain', permission: 'disclosure.read', group },
  ],
  routes: [
    { path: 'disclosure', element: <EntriesPage /> },
    { path: 'disclosure/months', element: <MonthsPage /> },
    { path: 'disclosure/notices', element: <NoticesPage /> },
    { path: 'disclosure/chain', element: <ChainPage /> },
  ],
};
