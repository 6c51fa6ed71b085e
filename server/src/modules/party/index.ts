import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { partyRoutes } from './routes.js';

// Party membership is the party organisation's business (组织委员), not a grid worker's:
// a permission of its own rather than registry.write.
definePermissions({ 'party.manage': '维护党组织、党员与党员联户' });
defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['party.manage'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['party.manage'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['party.manage'] },
]);

export const partyModule: ModuleDef = {
  name: 'party',
  routes: partyRoutes,
  menu: [
    { key: 'menu.partyMembers', path: '/party/members', permission: 'registry.read' },
    { key: 'menu.partyCoverage', path: '/party/coverage', permission: 'registry.read' },
  ],
};
