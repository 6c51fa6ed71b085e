/** 三单 service orders: 村民点单、支部下单、党员接单 (泸溪). Uses the workflow kernel. */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { defineErrors } from '../../core/errors.js';
import { serviceOrderRoutes } from './routes.js';
import { serviceOrderTodos } from './todos.js';

definePermissions({
  'service_orders.request': '点单（申请服务）',
  'service_orders.assign': '下单（派给党员）',
  'service_orders.take': '接单（党员提供服务）',
  'service_orders.read': '查看辖区服务单',
});

defineRoles([
  { key: 'villager', name: '村民', permissions: ['service_orders.request'] },
  { key: 'party_member', name: '党员', permissions: ['service_orders.take', 'service_orders.request'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['service_orders.assign', 'service_orders.read'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['service_orders.read'] },
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['service_orders.read'] },
  { key: 'evaluation_group', name: '评议小组/村务监督委员会', permissions: ['service_orders.read'] },
]);

defineErrors({
  SERVICE_ORDER_HOUSEHOLD_REQUIRED: { status: 400, message: '只有登记在户的村民可以点单' },
  SERVICE_ORDER_MEMBER_REQUIRED: { status: 400, message: '该户没有联户党员，请指定接单党员' },
  SERVICE_ORDER_MEMBER_NOT_FOUND: { status: 400, message: '党员不存在或不在本村' },
});

export const serviceOrdersModule: ModuleDef = {
  todos: serviceOrderTodos,
  name: 'service-orders',
  routes: serviceOrderRoutes,
  menu: [{ key: 'menu.serviceOrders', path: '/service-orders', permission: 'service_orders.read' }],
};
