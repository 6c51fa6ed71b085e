/**
 * Visits (走访): grid workers and village cadres record visits to households in their place —
 * who they met, what they saw, the household's needs and opinions — and turn an opinion into a
 * case in one step (it keeps its source). The county sees which households nobody visited lately.
 */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { defineErrors } from '../../core/errors.js';
import { visitRoutes } from './routes.js';
import { visitTodos } from './todos.js';

definePermissions({
  'visits.record': '登记入户走访，把走访意见转为事件',
  'visits.read': '查看辖区走访记录与走访覆盖',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['visits.read'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['visits.record', 'visits.read'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['visits.record', 'visits.read'] },
  { key: 'grid_worker', name: '网格员/村务助理/联户长', permissions: ['visits.record', 'visits.read'] },
]);

defineErrors({
  VISIT_DATE_INVALID: { status: 400, message: '走访日期无效：不能晚于今天，也不能早于一年前' },
  VISIT_FOLLOW_UP_INVALID: { status: 400, message: '回访日期无效：应在走访日期当天或之后、一年以内' },
  VISIT_MET_REQUIRED: { status: 400, message: '请填写走访时见到的人' },
  VISIT_OPINION_EMPTY: { status: 400, message: '需求或意见的内容不能为空' },
  VISIT_HOUSEHOLD_INACTIVE: { status: 409, message: '该户已迁出或已合并，不能再登记走访' },
  VISIT_REGION_LEVEL: { status: 400, message: '走访覆盖按村统计，请选择县、乡镇或村' },
});

export const visitsModule: ModuleDef = {
  todos: visitTodos,
  name: 'visits',
  routes: visitRoutes,
  menu: [{ key: 'menu.visits', path: '/visits', permission: 'visits.read' }],
};
