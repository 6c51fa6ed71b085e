import { lazy } from 'react';
import { BankOutlined, FlagOutlined, PieChartOutlined, SolutionOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const MembersPage = lazy(() => import('./MembersPage'));
const CoveragePage = lazy(() => import('./CoveragePage'));
const AssignmentsPage = lazy(() => import('./AssignmentsPage'));
const DepartmentsPage = lazy(() => import('./DepartmentsPage'));

const group = 'common.menuGroup.party';
export const partyConsole: ConsoleModule = {
  key: 'party',
  menu: [
    { labelKey: 'party.menu.members', icon: <FlagOutlined />, path: 'party/members', permission: 'registry.read', group },
    { labelKey: 'party.menu.coverage', icon: <PieChartOutlined />, path: 'party/coverage', permission: 'registry.read', group },
    { labelKey: 'party.menu.assignments', icon: <SolutionOutlined />, path: 'assignments', permission: 'registry.read', group },
    { labelKey: 'party.menu.departments', icon: <BankOutlined />, path: 'departments', permission: 'registry.read', group },
  ],
  routes: [
    { path: 'party/members', element: <MembersPage /> },
    { path: 'party/members/:id', element: <MembersPage /> },
    { path: 'party/coverage', element: <CoveragePage /> },
    { path: 'assignments', element: <AssignmentsPage /> },
    { path: 'departments', element: <DepartmentsPage /> },
    { path: 'departments/:id', element: <DepartmentsPage /> },
  ],
};
