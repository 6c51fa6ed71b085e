import { lazy } from 'react';
import { AuditOutlined, BookOutlined, CrownOutlined, FileSearchOutlined, NotificationOutlined, ShopOutlined, StopOutlined, TableOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const RulesPage = lazy(() => import('./RulesPage'));
const ReviewPage = lazy(() => import('./ReviewPage'));
const LedgerPage = lazy(() => import('./LedgerPage'));
const PublicationsPage = lazy(() => import('./PublicationsPage'));
const StandingsPage = lazy(() => import('./StandingsPage'));
const AppealsPage = lazy(() => import('./AppealsPage'));
const BlacklistPage = lazy(() => import('./BlacklistPage'));
const StorePage = lazy(() => import('./StorePage'));

const group = 'points.menu.group';
export const pointsConsole: ConsoleModule = {
  key: 'points',
  menu: [
    { labelKey: 'points.menu.review', icon: <AuditOutlined />, path: 'points/review', permission: 'points.read', group },
    { labelKey: 'points.menu.ledger', icon: <TableOutlined />, path: 'points/ledger', permission: 'points.read', group },
    { labelKey: 'points.menu.publications', icon: <NotificationOutlined />, path: 'points/publications', permission: 'points.read', group },
    { labelKey: 'points.menu.appeals', icon: <FileSearchOutlined />, path: 'points/appeals', permission: 'points.read', group },
    { labelKey: 'points.menu.standings', icon: <CrownOutlined />, path: 'points/standings', permission: 'points.read', group },
    { labelKey: 'points.menu.blacklist', icon: <StopOutlined />, path: 'points/blacklist', permission: 'points.read', group },
    { labelKey: 'points.menu.rules', icon: <BookOutlined />, path: 'points/rules', permission: 'points.read', group },
    { labelKey: 'points.menu.store', icon: <ShopOutlined />, path: 'points/store', permission: 'store.redeem', group },
  ],
  routes: [
    { path: 'points/review', element: <ReviewPage /> },
    { path: 'points/ledger', element: <LedgerPage /> },
    { path: 'points/publications', element: <PublicationsPage /> },
    { path: 'points/appeals', element: <AppealsPage /> },
    { path: 'points/standings', element: <StandingsPage /> },
    { path: 'points/blacklist', element: <BlacklistPage /> },
    { path: 'points/rules', element: <RulesPage /> },
    { path: 'points/store', element: <StorePage /> },
  ],
};
