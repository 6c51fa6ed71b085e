import { lazy } from 'react';
import { KeyOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const AccountsPage = lazy(() => import('./AccountsPage'));

export const accountsConsole: ConsoleModule = {
  key: 'accounts',
  menu: [{ labelKey: 'accounts.menu.accounts', icon: <KeyOutlined />, path: 'accounts', permission: 'accounts.manage', group: 'common.menuGroup.system' }],
  routes: [{ path: 'accounts', element: <AccountsPage /> }],
};
