import { lazy } from 'react';
import { FileSearchOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const AuditPage = lazy(() => import('./AuditPage'));

export const auditConsole: ConsoleModule = {
  key: 'audit',
  menu: [{ labelKey: 'audit.menu.log', icon: <FileSearchOutlined />, path: 'audit', permission: 'audit.read', group: 'common.menuGroup.system' }],
  routes: [{ path: 'audit', element: <AuditPage /> }],
};
