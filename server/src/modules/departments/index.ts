import type { ModuleDef } from '../../core/module.js';
import { departmentRoutes } from './routes.js';

export const departmentsModule: ModuleDef = {
  name: 'departments',
  routes: departmentRoutes,
  menu: [{ key: 'menu.departments', path: '/departments', permission: 'registry.read' }],
};
