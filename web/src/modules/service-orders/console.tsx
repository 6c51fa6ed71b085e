import { lazy } from 'react';
import { CustomerServiceOutlined } from '@ant-design/icons';
import type { ConsoleModule } from '../../console/types';

const OrdersPage = lazy(() => import('./OrdersPage'));

/** 三单 in the console: the village branch's list of service orders and 下单 (assign). */
export const serviceOrdersConsole: ConsoleModule = {
  key: 'serviceOrders',
  menu: [
    { labelKey: 'serviceOrders.menu.list', icon: <CustomerServiceOutlined />, path: 'service-orders', permission: 'service_orders.read', group: 'cases.menu.group' },
  ],
  routes: [
    { path: 'service-orders', element: <OrdersPage /> },
    { path: 'service-orders/:id', element: <OrdersPage /> },
  ],
};
