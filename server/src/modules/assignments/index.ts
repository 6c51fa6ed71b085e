import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { assignmentRoutes } from './routes.js';

definePermissions({ 'assignments.manage': '安排与调整包保关系' });
defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['assignments.manage'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['assignments.manage'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['assignments.manage'] },
]);

export const assignmentsModule: ModuleDef = {
  name: 'assignments',
  routes: assignmentRoutes,
  menu: [{ key: 'menu.assignments', path: '/assignments', permission: 'registry.read' }],
};
