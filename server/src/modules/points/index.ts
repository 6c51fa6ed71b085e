/**
 * 积分制: rule books, recording and review, the hash-chained ledger, publication and appeals,
 * stars, rankings and awards, the black list, and consented linked uses.
 * Other modules read: isBlacklisted / blacklistFlags (blacklist.ts); the seed loader calls
 * seedPointsTemplate (template.ts).
 */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { pointsRoutes } from './routes.js';
import './errors.js';

export { isBlacklisted, blacklistFlags } from './blacklist.js';
import { seedPointsTemplate } from './template.js';
import { pointsTodos } from './todos.js';
export { seedPointsTemplate };

definePermissions({
  'points.read': '查看积分台账、排名与公示',
  'points.record': '记录积分（一事一记、批量记分）',
  'points.review': '评议审核积分、处理复议、冲正',
  'points.rules': '维护积分规则与积分设置',
  'points.publish': '季度公示、黑名单评定与年度表彰',
  'points.blacklist': '黑名单帮扶与解除',
  'points.self': '查看本户积分、申报与复议',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['points.read', 'points.rules'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['points.read'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['points.read', 'points.record', 'points.rules', 'points.publish', 'points.blacklist'] },
  { key: 'grid_worker', name: '网格员/村务助理/联户长', permissions: ['points.read', 'points.record'] },
  { key: 'evaluation_group', name: '评议小组/村务监督委员会', permissions: ['points.read', 'points.review'] },
  { key: 'villager', name: '村民', permissions: ['points.self'] },
]);

export const pointsModule: ModuleDef = {
  todos: pointsTodos,
  name: 'points',
  routes: pointsRoutes,
  seed: seedPointsTemplate,
  menu: [
    { key: 'menu.points', path: '/points', permission: 'points.read' },
  ],
};
