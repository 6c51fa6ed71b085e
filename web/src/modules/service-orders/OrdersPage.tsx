/** 三单 (console): the service orders of the caller's villages, and one order in a drawer. */
import { useNavigate, useParams } from 'react-router-dom';
import { Card, Rate, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { ErrorResult } from '../../console/components/ErrorResult';
import { OrderDrawer } from './OrderDrawer';
import { when, type OrderItem } from './types';

const TAG_COLOR: Record<string, string> = { requested: 'gold', assigned: 'blue', taken: 'processing', completed: 'orange', closed: 'green', cancelled: 'default' };

export default function OrdersPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const params = useParams();
  const paged = usePaged<OrderItem>('/service-orders', { list: 'village' }, 30);
  const openId = params.id ? Number(params.id) : null;

  const columns: ColumnsType<OrderItem> = [
    { title: t('serviceOrders.col.code'), dataIndex: 'code', width: 170 },
    { title: t('serviceOrders.title'), dataIndex: 'title', render: (v: string, r) => <a onClick={() => nav(`/service-orders/${r.id}`)}>{v}</a> },
    { title: t('serviceOrders.kind'), dataIndex: 'kind', width: 110 },
    { title: t('serviceOrders.requester'), dataIndex: 'requesterName', width: 110 },
    { title: t('serviceOrders.member'), dataIndex: 'memberName', width: 110, render: (v: string | null) => v ?? <span style={{ color: '#8c8c8c' }}>{t('serviceOrders.unassigned')}</span> },
    { title: t('serviceOrders.col.state'), dataIndex: 'stateLabel', width: 100, render: (v: string, r) => <Tag color={TAG_COLOR[r.state]}>{v}</Tag> },
    { title: t('serviceOrders.rating'), dataIndex: 'rating', width: 150, render: (v: number | null) => (v == null ? '—' : <Rate disabled value={v} style={{ fontSize: 14 }} />) },
    { title: t('serviceOrders.col.created'), dataIndex: 'createdAt', width: 170, render: when },
  ];

  return (
    <Card title={t('serviceOrders.menu.list')}>
      {paged.error ? <ErrorResult error={paged.error} onRetry={paged.reload} /> : (
        <>
          <Table
            rowKey="id" size="middle" columns={columns} dataSource={paged.items} loading={paged.loading} pagination={false}
            locale={{ emptyText: t('serviceOrders.empty') }} onRow={(r) => ({ 'data-order-id': r.id } as object)}
          />
          <PagerBar list={paged} />
        </>
      )}
      <OrderDrawer id={openId} onClose={() => nav('/service-orders')} onChanged={paged.reload} />
    </Card>
  );
}
