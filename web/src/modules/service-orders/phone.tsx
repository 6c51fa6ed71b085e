import { lazy } from 'react';
import type { PhoneModule } from '../../phone/types';
import { NoteIcon, PhoneIcon, UserIcon } from '../../phone/icons';

const RequestPage = lazy(() => import('./phone/RequestPage'));
const OrderList = lazy(() => import('./phone/OrderList'));
const OrderDetail = lazy(() => import('./phone/OrderDetail'));

/** 三单 on the phone: villagers 点单 and rate; party members 接单 and complete. */
export const serviceOrdersPhone: PhoneModule = {
  key: 'serviceOrders',
  tiles: [
    { labelKey: 'serviceOrders.phone.request', path: 'service-orders/new', icon: <PhoneIcon />, permission: 'service_orders.request' },
    { labelKey: 'serviceOrders.phone.mine', path: 'service-orders/mine', icon: <NoteIcon />, permission: 'service_orders.request' },
    { labelKey: 'serviceOrders.phone.tasks', path: 'service-orders/tasks', icon: <UserIcon />, permission: 'service_orders.take' },
  ],
  routes: [
    { path: 'service-orders/new', element: <RequestPage /> },
    { path: 'service-orders/mine', element: <OrderList key="mine" list="mine" /> },
    { path: 'service-orders/tasks', element: <OrderList key="member" list="member" /> },
    { path: 'service-orders/:id', element: <OrderDetail /> },
  ],
};
