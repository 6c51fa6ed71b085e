/**
 * Village affairs in the open (村务公开, 利州 三公治村 "公开理财"): every payment is signed off level
 * by level along the village's chain (at most eight steps, no cash), posted entries never change
 * (corrections reverse), each month is confirmed by the supervision committee and published
 * (then frozen), the township notes a quarterly audit and closes the year; the notice board
 * carries 党务/村务/财务公开 and 惠民政策. Villagers read their own village's on the phone.
 */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { defineErrors } from '../../core/errors.js';
import { disclosureRoutes } from './routes.js';
import { disclosureTodos } from './todos.js';

definePermissions({
  'disclosure.finance': '录入本村收支、重新提交、冲销',
  'disclosure.sign': '按审签流程审签本人岗位的环节',
  'disclosure.publish': '确认并公示月度财务（村务监督委员会）',
  'disclosure.audit': '季度审计意见、年终结账（乡镇）',
  'disclosure.chain': '设置审签流程',
  'disclosure.notice': '发布村务公开栏公告',
  'disclosure.read': '查看村务公开（村民只看本村已公示的）',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['disclosure.read', 'disclosure.chain', 'disclosure.audit'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['disclosure.read', 'disclosure.sign', 'disclosure.audit', 'disclosure.chain'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['disclosure.read', 'disclosure.finance', 'disclosure.sign', 'disclosure.notice'] },
  { key: 'evaluation_group', name: '评议小组/村务监督委员会', permissions: ['disclosure.read', 'disclosure.sign', 'disclosure.publish'] },
  { key: 'villager', name: '村民', permissions: ['disclosure.read'] },
]);

defineErrors({
  FINANCE_CASH_REFUSED: { status: 400, message: '村级财务不得使用现金收付，请选择银行转账、公务卡或对公转账' },
  FINANCE_PAY_METHOD_INVALID: { status: 400, message: '支付方式无效，请选择银行转账、公务卡或对公转账' },
  FINANCE_AMOUNT_INVALID: { status: 400, message: '金额须大于 0，最多两位小数' },
  FINANCE_CATEGORY_INVALID: { status: 400, message: '收支类别无效' },
  FINANCE_FIELD_REQUIRED: { status: 400, message: '请填写必填内容' },
  FINANCE_DATE_INVALID: { status: 400, message: '日期无效（不能晚于今天）' },
  FINANCE_YEAR_CLOSED: { status: 409, message: '该年度已年终结账，不能再录入或结账' },
  FINANCE_NOT_REVERSIBLE: { status: 409, message: '只有已入账的原始分录可以冲销' },
  FINANCE_ALREADY_REVERSED: { status: 409, message: '这笔收支已经冲销过' },
  DISCLOSURE_ALREADY_SIGNED: { status: 409, message: '同一审签流程中每人只能签一次' },
  DISCLOSURE_REASON_REQUIRED: { status: 400, message: '退回须写明理由' },
  DISCLOSURE_CHAIN_INVALID: { status: 400, message: '审签流程须为 1 至 8 步，每步须有名称和有效的岗位' },
  DISCLOSURE_MONTH_PUBLISHED: { status: 409, message: '该月已公示（或已有更晚的月份公示），不能再公示' },
  DISCLOSURE_MONTH_INVALID: { status: 400, message: '不能公示尚未到来的月份' },
  DISCLOSURE_EARLIER_MONTH_OPEN: { status: 409, message: '更早的月份尚未公示，请按月份顺序公示' },
  DISCLOSURE_AUDIT_EXISTS: { status: 409, message: '该季度已有审计意见' },
  DISCLOSURE_YEAR_INVALID: { status: 400, message: '不能结账尚未到来的年度' },
  DISCLOSURE_NOTICE_DATES: { status: 400, message: '公告的公示期无效' },
});

export const disclosureModule: ModuleDef = {
  todos: disclosureTodos,
  name: 'disclosure',
  routes: disclosureRoutes,
  menu: [
    { key: 'menu.disclosure.entries', path: '/disclosure', permission: 'disclosure.read' },
    { key: 'menu.disclosure.months', path: '/disclosure/months', permission: 'disclosure.read' },
    { key: 'menu.disclosure.notices', path: '/disclosure/notices', permission: 'disclosure.read' },
    { key: 'menu.disclosure.chain', path: '/disclosure/chain', permission: 'disclosure.read' },
  ],
};
