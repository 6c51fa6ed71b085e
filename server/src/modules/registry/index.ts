/**
 * The registry (台账): grids and their staff, households, residents, personal-data reveal, and the
 * caller's own household / grids. Scope: registry.read / registry.write / pii.reveal on a region.
 */
import type { ModuleDef } from '../../core/module.js';
import './errors.js';
import { registryRoutes } from './routes.js';

export const registryModule: ModuleDef = {
  name: 'registry',
  routes: registryRoutes,
  menu: [
    { key: 'menu.grids', path: '/grids', permission: 'registry.read' },
    { key: 'menu.households', path: '/households', permission: 'registry.read' },
    { key: 'menu.residents', path: '/residents', permission: 'registry.read' },
  ],
};
