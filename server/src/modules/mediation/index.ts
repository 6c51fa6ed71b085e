/**
 * Mediation (矛盾纠纷调解, 米易 "八步工作法"): villagers apply on the phone choosing a mediator from
 * the pool, cadres accept and assign, the mediator investigates, informs, mediates and records an
 * agreement (or a failure with a referral), follows up and archives. A dispute-type case becomes
 * a dispute in one step. The county sees the figures (success rate = agreements ÷ concluded).
 */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { defineErrors } from '../../core/errors.js';
import { mediationRoutes } from './routes.js';
import { disputeJobs } from './service.js';
import { mediationTodos } from './todos.js';

definePermissions({
  'mediation.apply': '申请矛盾纠纷调解（村民）',
  'mediation.handle': '调解员：调查核实、告知、调解、制作协议、回访、归档',
  'mediation.manage': '受理矛盾纠纷、确定调解员、登记纠纷、事件转调解',
  'mediation.read': '查看辖区矛盾纠纷、调解员库与调解统计',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['mediation.manage', 'mediation.read'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['mediation.manage', 'mediation.read'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['mediation.manage', 'mediation.read'] },
  { key: 'mediator', name: '调解员', permissions: ['mediation.handle', 'mediation.read'] },
  { key: 'villager', name: '村民', permissions: ['mediation.apply'] },
]);

defineErrors({
  MEDIATION_FIELD_REQUIRED: { status: 400, message: '请填写本环节的必填内容' },
  MEDIATION_PARTIES_REQUIRED: { status: 400, message: '请至少填写一名申请人和一名被申请人' },
  MEDIATION_RESIDENT_NOT_FOUND: { status: 400, message: '当事人关联的居民不存在' },
  MEDIATION_PLACE_INVALID: { status: 400, message: '纠纷发生地请选择村（社区）或村民小组' },
  MEDIATION_LEVEL_FORBIDDEN: { status: 403, message: '您不能受理或登记这一层级的纠纷' },
  MEDIATION_MEDIATOR_NOT_IN_POOL: { status: 400, message: '所选调解员不在本地调解员库中' },
  MEDIATION_RECUSAL_REASON_REQUIRED: { status: 400, message: '当事人选择了调解员，改派他人须写明理由（如回避）' },
  MEDIATION_RIGHTS_NOT_TOLD: { status: 400, message: '请先告知当事人的权利义务' },
  MEDIATION_SIGNOFF_INCOMPLETE: { status: 400, message: '调解协议须经申请人和被申请人签字确认' },
  MEDIATION_DOSSIER_TAKEN: { status: 409, message: '卷宗号已被使用' },
  MEDIATION_READ_ONLY: { status: 409, message: '纠纷已归档或不予受理，不能再修改' },
  MEDIATION_CASE_NOT_DISPUTE: { status: 400, message: '只有矛盾纠纷类事件可以转为调解' },
  MEDIATION_NO_HOUSEHOLD: { status: 400, message: '您的账号未关联户籍，请到村委会登记申请' },
  MEDIATION_STATE_UNKNOWN: { status: 400, message: '未知的纠纷状态' },
  MEDIATION_PERIOD_INVALID: { status: 400, message: '统计时段无效（开始不晚于结束，且不超过一年）' },
});

export const mediationModule: ModuleDef = {
  todos: mediationTodos,
  name: 'mediation',
  routes: mediationRoutes,
  jobs: disputeJobs,
  menu: [
    { key: 'menu.mediation.disputes', path: '/mediation', permission: 'mediation.read' },
    { key: 'menu.mediation.mediators', path: '/mediation/mediators', permission: 'mediation.read' },
    { key: 'menu.mediation.stats', path: '/mediation/stats', permission: 'mediation.read' },
  ],
};
