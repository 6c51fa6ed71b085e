/** 我的服务单 (villager: what I asked for) and 我的接单 (party member: what the branch gave me). */
import { List, Skeleton, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { STATE_TONE, type OrderItem } from '../types';

export default function OrderList({ list }: { list: 'mine' | 'member' }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const r = useRemote(() => api.get<Page<OrderItem>>('/service-orders', { list, limit: 50 }), [list]);
  const title = t(list === 'mine' ? 'serviceOrders.phone.mine' : 'serviceOrders.phone.tasks');
  return (
    <PhonePage title={title}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !r.data ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : r.data.items.length === 0 ? (
        <p className="m-section m-muted" data-testid="orders-empty">{t(list === 'mine' ? 'serviceOrders.phone.emptyMine' : 'serviceOrders.phone.emptyTasks')}</p>
      ) : (
        <List mode="card">
          {r.data.items.map((o) => (
            <List.Item
              key={o.id}
              onClick={() => nav(`/service-orders/${o.id}`)}
              description={`${o.code} · ${o.kind} · ${list === 'mine' ? (o.memberName ?? t('serviceOrders.unassigned')) : o.requesterName}`}
              extra={<Tag color={STATE_TONE[o.state] ?? 'default'}>{o.stateLabel}</Tag>}
            >
              {o.title}
            </List.Item>
          ))}
        </List>
      )}
    </PhonePage>
  );
}
