/**
 * Deliberation (议事协商): 四议两公开 / 米易 六步议事. A village's topics go through the party branch's
 * proposal, the two committees' discussion, the party members' review and the villagers'
 * (representatives') resolution, each resting on a meeting announced ≥ 3 days ahead whose quorum
 * and majority the server computes; the resolution and the implementation result are published.
 * Villagers read their village's published items and cast open votes (one per household) on the
 * phone; township cadres guide, the supervision committee records objections.
 */
import type { ModuleDef } from '../../core/module.js';
import { definePermissions, defineRoles } from '../../core/permissions.js';
import { defineErrors } from '../../core/errors.js';
import { deliberationRoutes } from './routes.js';
import { deliberationJobs } from './service.js';
import './tables.js';
import { deliberationTodos } from './todos.js';

definePermissions({
  'deliberation.manage': '议事协商：立题、组织四议两公开各环节、会议与计票、公开决议与实施结果',
  'deliberation.read': '查看辖区议事议题、会议与表决结果',
  'deliberation.guide': '对议事议题提出乡镇指导意见',
  'deliberation.object': '村务监督委员会对议事议题提出异议',
  'deliberation.review': '党员查看党员大会审议事项',
  'deliberation.vote': '村民查看本村已公开的决议与实施结果，参加网上表决',
});

defineRoles([
  { key: 'county_admin', name: '县级管理员（县指挥部）', permissions: ['deliberation.read', 'deliberation.guide'] },
  { key: 'township_cadre', name: '乡镇干部（总网格长/网格长）', permissions: ['deliberation.read', 'deliberation.guide'] },
  { key: 'village_cadre', name: '村两委干部（副网格长）', permissions: ['deliberation.manage', 'deliberation.read'] },
  { key: 'evaluation_group', name: '评议小组/村务监督委员会', permissions: ['deliberation.read', 'deliberation.object'] },
  { key: 'party_member', name: '党员', permissions: ['deliberation.review'] },
  { key: 'villager', name: '村民', permissions: ['deliberation.vote'] },
]);

defineErrors({
  DELIBERATION_FIELD_REQUIRED: { status: 400, message: '请填写本环节的必填内容' },
  DELIBERATION_PLACE_INVALID: { status: 400, message: '议题须属于一个村（社区）' },
  DELIBERATION_SIGNATURES_REQUIRED: { status: 400, message: '村民联名提议须填写联名人数' },
  DELIBERATION_NOTICE_TOO_SHORT: { status: 400, message: '会议须至少提前 3 天发布通知' },
  DELIBERATION_ANNOUNCE_FUTURE: { status: 400, message: '通知发布时间不能晚于现在' },
  DELIBERATION_MEETING_NOT_FOUND: { status: 400, message: '所选会议不是本议题的会议' },
  DELIBERATION_MEETING_KIND: { status: 400, message: '所选会议的类型与本环节不符' },
  DELIBERATION_MEETING_USED: { status: 409, message: '该会议的表决结果已被使用' },
  DELIBERATION_MEETING_NOT_HELD: { status: 409, message: '会议尚未召开，不能登记到会和表决情况' },
  DELIBERATION_VOTE_NOT_CLOSED: { status: 409, message: '会议表决尚未结束，请先登记票数或结束表决' },
  DELIBERATION_NO_QUORUM: { status: 409, message: '到会人数未达法定要求，会议无效，不能作出决定' },
  DELIBERATION_COUNTS_INVALID: { status: 400, message: '票数有误：到会人数不能超过应到人数，赞成、反对、弃权合计不能超过到会人数' },
  DELIBERATION_OPEN_VOTE_KIND: { status: 400, message: '网上按户表决只用于村民会议' },
  DELIBERATION_VOTE_MODE: { status: 409, message: '该会议的表决方式不支持此操作' },
  DELIBERATION_CLOSES_INVALID: { status: 400, message: '表决截止时间须晚于会议召开时间' },
  DELIBERATION_NO_HOUSEHOLDS: { status: 400, message: '本村没有登记的户，不能按户表决' },
  DELIBERATION_VOTE_CLOSED: { status: 409, message: '表决已结束，不能再投票' },
  DELIBERATION_VOTE_NOT_OPEN: { status: 409, message: '表决尚未开始' },
  DELIBERATION_ALREADY_VOTED: { status: 409, message: '您（您家）已经投过票了，每户只能投一票' },
  DELIBERATION_NO_HOUSEHOLD: { status: 400, message: '您的账号未关联户籍，不能参加按户表决' },
  DELIBERATION_NOTICE_DATES: { status: 400, message: '公示结束日期不能早于开始日期' },
  DELIBERATION_STATE_UNKNOWN: { status: 400, message: '未知的议题状态' },
  DELIBERATION_READ_ONLY: { status: 409, message: '议题已结束，不能再提出意见' },
});

export const deliberationModule: ModuleDef = {
  jobs: deliberationJobs,
  todos: deliberationTodos,
  name: 'deliberation',
  routes: deliberationRoutes,
  menu: [
    { key: 'menu.deliberation.topics', path: '/deliberation', permission: 'deliberation.read' },
  ],
};
