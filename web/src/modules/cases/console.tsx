import { lazy } from 'react';
import { AlertOutlined, InboxOutlined, BarChartOutlined, EnvironmentOutlined, UnorderedListOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const CasesPage = lazy(() => import('./CasesPage'));
const RatesPage = lazy(() => import('./RatesPage'));
const CaseMapPage = lazy(() => import('./CaseMapPage'));

const group = 'cases.menu.group';
export const casesConsole: ConsoleModule = {
  key: 'cases',
  menu: [
    { labelKey: 'cases.tabs.inbox', icon: <InboxOutlined />, path: 'cases/inbox', permission: 'cases.handle', group },
    { labelKey: 'cases.menu.lists', icon: <UnorderedListOutlined />, path: 'cases', permission: 'cases.read', group },
    { labelKey: 'cases.tabs.supervision', icon: <AlertOutlined />, path: 'cases/supervision', permission: 'cases.read', group },
    { labelKey: 'cases.menu.map', icon: <EnvironmentOutlined />, path: 'cases/map', permission: 'cases.read', group },
    { labelKey: 'cases.menu.rates', icon: <BarChartOutlined />, path: 'cases/rates', permission: 'cases.read', group },
  ],
  routes: [
    { path: 'cases', element: <CasesPage key="problem" initial="problem" /> },
    { path: 'cases/inbox', element: <CasesPage key="inbox" initial="inbox" /> },
    { path: 'cases/supervision', element: <CasesPage key="supervision" initial="supervision" /> },
    { path: 'cases/rates', element: <RatesPage /> },
    { path: 'cases/map', element: <CaseMapPage /> },
    { path: 'cases/:id', element: <CasesPage /> },
  ],
};
