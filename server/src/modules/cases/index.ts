/**
 * Cases (事件/诉求): closed-loop handling — report, tiered dispatch, time-limited handling on the
 * county work calendar, supervision, revisit, close and reopen — with lists, rates, export, smart
 * triage and duplicate merging. First user of the workflow kernel; hosts the notification
 * routes and delivery job (core/notify) too.
 */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { defineErrors } from '../../core/errors.js';
import { notifyJobs, notifyRoutes } from '../../core/notify/index.js';
import { caseRoutes } from './routes.js';
import { caseJobs } from './service.js';
import { triageJobs } from './triage.js';

definePermissions({
  'cases.report': '上报事件、反映诉求',
  'cases.read': '查看辖区事件与办理指标',
  'cases.handle': '受理、办理、上报、退回事件',
  'cases.dispatch': '分拨交办事件到县直部门',
  'cases.supervise': '督办、审批延期与挂起',
  'cases.revisit': '回访（代为记录反映人评价）',
  'cases.catalogue': '维护事件分类目录、网格事项清单与分拨模型',
  'calendar.manage': '维护本县工作日历',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['cases.report', 'cases.read', 'cases.dispatch', 'cases.supervise', 'cases.revisit', 'cases.catalogue', 'calendar.manage'] },
  { key: 'department_staff', name: '县直部门工作人员', permissions: ['cases.handle'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['cases.report', 'cases.read', 'cases.handle', 'cases.dispatch', 'cases.supervise', 'cases.revisit'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['cases.report', 'cases.read', 'cases.handle', 'cases.revisit'] },
  { key: 'grid_worker', name: '网格员/村务助理/联户长', permissions: ['cases.report', 'cases.read'] },
  { key: 'party_member', name: '党员', permissions: ['cases.report'] },
  { key: 'evaluation_group', name: '评议小组/村务监督委员会', permissions: ['cases.read'] },
  { key: 'villager', name: '村民', permissions: ['cases.report'] },
]);

defineErrors({
  CASE_CATEGORY_NOT_FOUND: { status: 400, message: '事件分类不存在或已停用' },
  CASE_CATEGORY_CODE_TAKEN: { status: 409, message: '分类编码已被使用' },
  CASE_DEPARTMENT_NOT_FOUND: { status: 400, message: '承办部门不存在' },
  CASE_DEPARTMENT_REQUIRED: { status: 400, message: '请选择承办部门' },
  CASE_PLACE_REQUIRED: { status: 400, message: '请选择事件所在的村（社区）或网格' },
  CASE_PHOTO_NOT_FOUND: { status: 400, message: '照片不存在或已被使用，请重新上传' },
  CASE_PHOTO_TOO_LARGE: { status: 413, message: '照片过大，请压缩到 8 MB 以内' },
  CASE_PHOTO_NOT_IMAGE: { status: 415, message: '只能上传 JPEG、PNG 或 WebP 格式的照片' },
  CASE_COMMENT_REQUIRED: { status: 400, message: '请填写办理意见或理由' },
  CASE_RESULT_REQUIRED: { status: 400, message: '请填写办理结果' },
  CASE_RATING_INVALID: { status: 400, message: '评价须为 1 至 5 星' },
  CASE_EXTENSION_DAYS: { status: 400, message: '延期天数须为 1 至 30 个工作日' },
  CASE_EXTENSION_PENDING: { status: 409, message: '已有待审批的延期申请' },
  CASE_NO_EXTENSION_REQUEST: { status: 409, message: '没有待审批的延期申请' },
  CASE_MERGE_TARGET_INVALID: { status: 400, message: '只能合并到同一分类、仍在办理中的另一事件' },
  CASE_PERIOD_INVALID: { status: 400, message: '统计时段无效' },
  GRID_MATTER_NOT_FOUND: { status: 404, message: '网格事项不存在或已退出清单' },
  GRID_MATTER_EXISTS: { status: 409, message: '清单中已有同名事项' },
});

export const casesModule: ModuleDef = {
  todos: caseTodos,
  name: 'cases',
  routes: async (app) => {
    await caseRoutes(app);
    await notifyRoutes(app);
  },
  jobs: { ...caseJobs, ...triageJobs, ...notifyJobs },
  seed: seedCaseCatalogue,
  menu: [
    { key: 'menu.cases.inbox', path: '/cases/inbox', permission: 'cases.handle' },
    { key: 'menu.cases.lists', path: '/cases', permission: 'cases.read' },
    { key: 'menu.cases.supervision', path: '/cases/supervision', permission: 'cases.read' },
    { key: 'menu.cases.rates', path: '/cases/rates', permission: 'cases.read' },
    { key: 'menu.cases.catalogue', path: '/cases/catalogue', permission: 'cases.catalogue' },
  ],
};

import { seedCaseCatalogue } from './catalogue.js';
import { caseTodos } from './todos.js';
export { seedCaseCatalogue };
