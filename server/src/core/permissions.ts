/**
 * Permission names are data: typed strings with a Chinese label, granted to roles (rows in
 * `roles`), roles granted on a region node. Modules register theirs from index.ts.
 * A permission not in the registry is never granted (unknown → deny).
 */
const registry = new Map<string, string>();

export function definePermissions(defs: Record<string, string>): void {
  for (const [k, label] of Object.entries(defs)) registry.set(k, label);
}
export function isKnownPermission(p: string): boolean {
  return registry.has(p);
}
export function allPermissions(): { key: string; label: string }[] {
  return [...registry.entries()].map(([key, label]) => ({ key, label }));
}

definePermissions({
  'registry.read': '查看区划、网格与户籍台账',
  'registry.write': '维护网格、户籍、党员与联户',
  'registry.import': '导入花名册',
  'registry.export': '导出台账',
  'pii.reveal': '查看完整身份证号与手机号',
  'accounts.manage': '管理账号与角色授权',
  'audit.read': '查看操作日志',
  'departments.manage': '维护县直部门与联村关系',
  'regions.manage': '维护区划（村民小组）',
});

/** Built-in roles; a county can add more rows. Keys are referenced by seeds and tests. */
export interface RoleDef {
  key: string;
  name: string;
  permissions: string[];
  requiresTotp?: boolean;
  /**
   * Place in the chain of command: a manager may grant roles ranked below their own highest role
   * on that node (the county admin, the top rank, may grant every role). Ranks, not permission
   * subsets, because duties are deliberately separated: a village cadre must be able to appoint
   * the evaluation group without holding its review power.
   */
  rank?: number;
}

export const TOP_RANK = 100;

export function roleRank(key: string): number | undefined {
  return builtinRoles.find((r) => r.key === key)?.rank;
}

export const builtinRoles: RoleDef[] = [];
export function defineRoles(defs: RoleDef[]): void {
  for (const d of defs) {
    const existing = builtinRoles.find((r) => r.key === d.key);
    if (existing) existing.permissions = [...new Set([...existing.permissions, ...d.permissions])];
    // a module adding permissions to an existing role leaves its rank as first defined
    else builtinRoles.push({ ...d, permissions: [...d.permissions] });
  }
}

defineRoles([
  {
    key: 'county_admin',
    rank: 100,
    name: '县级管理员（县指挥部）',
    requiresTotp: true,
    permissions: ['registry.read', 'registry.write', 'registry.import', 'registry.export', 'pii.reveal',
      'accounts.manage', 'audit.read', 'departments.manage', 'regions.manage'],
  },
  { key: 'department_staff', rank: 50, name: '县直部门工作人员', permissions: ['registry.read'] },
  {
    key: 'township_cadre',
    rank: 80,
    name: '乡镇干部（总网格长/网格长）',
    permissions: ['registry.read', 'registry.write', 'registry.import', 'registry.export', 'pii.reveal',
      'accounts.manage', 'audit.read', 'regions.manage'],
  },
  {
    key: 'village_cadre',
    rank: 60,
    name: '村两委干部（副网格长）',
    permissions: ['registry.read', 'registry.write', 'registry.import', 'registry.export', 'pii.reveal', 'audit.read', 'regions.manage'],
  },
  { key: 'grid_worker', rank: 30, name: '网格员/村务助理/联户长', permissions: ['registry.read', 'registry.write'] },
  { key: 'party_member', rank: 20, name: '党员', permissions: [] },
  { key: 'evaluation_group', rank: 30, name: '评议小组/村务监督委员会', permissions: ['registry.read'] },
  { key: 'mediator', rank: 30, name: '调解员', permissions: ['registry.read'] },
  { key: 'villager', rank: 10, name: '村民', permissions: [] },
]);
