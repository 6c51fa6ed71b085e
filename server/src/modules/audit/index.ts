import type { ModuleDef } from '../../core/module.js';
import { auditRoutes } from './routes.js';

export const auditModule: ModuleDef = {
  name: 'audit',
  routes: auditRoutes,
  menu: [{ key: 'menu.audit', path: '/audit', permission: 'audit.read' }],
};
