import type { ModuleDef } from '../../core/module.js';
import { regionRoutes } from './routes.js';

export const regionsModule: ModuleDef = {
  name: 'regions',
  routes: regionRoutes,
  menu: [{ key: 'menu.regions', path: '/regions', permission: 'registry.read' }],
};
