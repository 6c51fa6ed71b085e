import { lazy } from 'react';
import { CloudUploadOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const RosterPage = lazy(() => import('./RosterPage'));

export const rosterConsole: ConsoleModule = {
  key: 'roster',
  menu: [{ labelKey: 'roster.menu.import', icon: <CloudUploadOutlined />, path: 'roster', permission: 'registry.import', group: 'common.menuGroup.registry' }],
  routes: [{ path: 'roster', element: <RosterPage /> }],
};
