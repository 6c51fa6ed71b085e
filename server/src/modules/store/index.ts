/** 积分超市: stores, goods and stock, cashier redemption, receipts and monthly reports. */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { storeRoutes } from './routes.js';
import './service.js';

definePermissions({
  'store.redeem': '积分超市收银兑换',
  'store.manage': '管理积分超市（开店、商品、入库、报表）',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['store.manage'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['store.manage', 'store.redeem'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['store.manage', 'store.redeem'] },
  { key: 'grid_worker', name: '网格员/村务助理/联户长', permissions: ['store.redeem'] },
]);

export const storeModule: ModuleDef = {
  name: 'store',
  routes: storeRoutes,
  menu: [{ key: 'menu.store', path: '/store', permission: 'store.redeem' }],
};
