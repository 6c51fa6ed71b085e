import type { ModuleDef } from '../../core/module.js';
import { accountRoutes } from './routes.js';

export const accountsModule: ModuleDef = {
  name: 'accounts',
  routes: accountRoutes,
  menu: [{ key: 'menu.accounts', path: '/accounts', permission: 'accounts.manage' }],
};
