import { lazy } from 'react';
import { AuditOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const TopicsPage = lazy(() => import('./TopicsPage'));
const NoticePage = lazy(() => import('./NoticePage'));

/** 议事协商 in the console: topics through 四议两公开, meetings and votes, the public notice. */
export const deliberationConsole: ConsoleModule = {
  key: 'deliberation',
  menu: [{ labelKey: 'deliberation.menu', icon: <AuditOutlined />, path: 'deliberation', permission: 'deliberation.read' }],
  routes: [
    { path: 'deliberation', element: <TopicsPage /> },
    { path: 'deliberation/:id', element: <TopicsPage /> },
    { path: 'deliberation/:id/notice', element: <NoticePage /> },
  ],
};
