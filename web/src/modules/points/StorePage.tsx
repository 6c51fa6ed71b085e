/** 积分超市: stores, goods and stock (donations in), the cashier's till, redemptions and the monthly report. */
import { useState } from 'react';
import { Button, Card, Descriptions, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import { useAction } from './shared';

interface Store { id: number; regionId: number; name: string; address: string | null; status: string }
interface Goods { id: number; name: string; unit: string; price: number; stock: number; status: string }
interface Found { householdId: number; name: string; address: string; spendable: number }
interface Receipt { receiptNo: string; householdName: string; goodsName: string; qty: number; total: number; balanceNow: number; createdAt: string }
interface Report { rows: { goodsId: number; name: string; donated: number; purchased: number; redeemed: number; points: number; stockNow: number }[]; totals: { redemptions: number; households: number; points: number } }

export default function StorePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const canManage = !!me?.permissions.includes('store.manage');
  const stores = useRemote(() => api.get<Store[]>('/store/stores'), []);
  const [storeId, setStoreId] = useState<number | undefined>();
  const sid = storeId ?? stores.data?.[0]?.id;
  const goods = useRemote(sid ? () => api.get<Goods[]>(`/store/stores/${sid}/goods`) : null, [sid]);
  const act = useAction();
  const [newStore, setNewStore] = useState(false);
  const [newGoods, setNewGoods] = useState(false);
  const [stockFor, setStockFor] = useState<Goods | null>(null);
  const [form] = Form.useForm();
  const open = (fn: () => void) => { form.resetFields(); fn(); };

  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.store.title')}</Typography.Title>
        <Space>
          <Select value={sid} onChange={setStoreId} style={{ minWidth: 200 }} aria-label={t('points.store.store')} options={(stores.data ?? []).map((s) => ({ value: s.id, label: s.name }))} />
          {canManage && <Button onClick={() => open(() => setNewStore(true))}>{t('points.store.newStore')}</Button>}
        </Space>
      </Space>
      {stores.error ? <ErrorResult error={stores.error} onRetry={stores.reload} /> : !sid ? <Typography.Text type="secondary">{t('points.store.none')}</Typography.Text> : (
        <Tabs items={[
          { key: 'till', label: t('points.store.till'), children: <Till storeId={sid} goods={goods.data ?? []} onDone={goods.reload} /> },
          { key: 'goods', label: t('points.store.goods'), children: (
            <>
              {canManage && <Button style={{ marginBottom: 8 }} onClick={() => open(() => setNewGoods(true))}>{t('points.store.addGoods')}</Button>}
              <Table rowKey="id" size="middle" loading={goods.loading} dataSource={goods.data ?? []} pagination={false}
                columns={[
                  { title: t('points.store.goodsName'), dataIndex: 'name' },
                  { title: t('points.store.price'), dataIndex: 'price', align: 'right' },
                  { title: t('points.store.stock'), dataIndex: 'stock', align: 'right', render: (v: number, g: Goods) => <span data-testid={`stock-${g.id}`}>{v}</span> },
                  { title: t('points.store.unit'), dataIndex: 'unit' },
                  { title: t('points.actions'), key: 'a', render: (_: unknown, g: Goods) => canManage ? <Button size="small" type="link" onClick={() => open(() => setStockFor(g))}>{t('points.store.stockIn')}</Button> : null },
                ]} />
            </>) },
          { key: 'history', label: t('points.store.history'), children: <History storeId={sid} /> },
          { key: 'report', label: t('points.store.report'), children: <MonthlyReport storeId={sid} /> },
        ]} />
      )}
      <Modal open={newStore} title={t('points.store.newStore')} onCancel={() => setNewStore(false)} destroyOnHidden
        onOk={async () => { const v = await form.validateFields(); if (await act(() => api.post('/store/stores', v))) { setNewStore(false); stores.reload(); } }}>
        <Form form={form} layout="vertical">
          <Form.Item name="regionId" label={t('points.region')} rules={[{ required: true, message: t('points.required') }]}><RegionSelect maxLevel="village" levels={['township', 'village']} /></Form.Item>
          <Form.Item name="name" label={t('points.store.storeName')} rules={[{ required: true, message: t('points.required') }]}><Input maxLength={60} /></Form.Item>
          <Form.Item name="address" label={t('points.store.address')}><Input maxLength={200} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={newGoods} title={t('points.store.addGoods')} onCancel={() => setNewGoods(false)} destroyOnHidden
        onOk={async () => { const v = await form.validateFields(); if (await act(() => api.post(`/store/stores/${sid}/goods`, v))) { setNewGoods(false); goods.reload(); } }}>
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('points.store.goodsName')} rules={[{ required: true, message: t('points.required') }]}><Input maxLength={60} /></Form.Item>
          <Form.Item name="unit" label={t('points.store.unit')}><Input maxLength={10} placeholder="件" /></Form.Item>
          <Form.Item name="price" label={t('points.store.price')} rules={[{ required: true, message: t('points.required') }]}><InputNumber min={0.1} step={0.1} /></Form.Item>
          <Form.Item name="stock" label={t('points.store.stock')}><InputNumber min={0} /></Form.Item>
          <Form.Item name="donor" label={t('points.store.donor')}><Input maxLength={100} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!stockFor} title={`${t('points.store.stockIn')} · ${stockFor?.name ?? ''}`} onCancel={() => setStockFor(null)} destroyOnHidden
        onOk={async () => { const v = await form.validateFields(); if (await act(() => api.post(`/store/goods/${stockFor!.id}/stock`, v))) { setStockFor(null); goods.reload(); } }}>
        <Form form={form} layout="vertical" initialValues={{ kind: 'donation' }}>
          <Form.Item name="kind" label={t('points.store.kind')}><Radio.Group options={['donation', 'purchase', 'adjust'].map((k) => ({ value: k, label: t(`points.store.kinds.${k}`) }))} /></Form.Item>
          <Form.Item name="qty" label={t('points.store.qty')} rules={[{ required: true, message: t('points.required') }]}><InputNumber /></Form.Item>
          <Form.Item name="donor" label={t('points.store.donor')}><Input maxLength={100} /></Form.Item>
          <Form.Item name="note" label={t('points.note')}><Input maxLength={200} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

/** The cashier's till: find the household (QR / name / ID number), pick goods, redeem, show the receipt. */
function Till({ storeId, goods, onDone }: { storeId: number; goods: Goods[]; onDone: () => void }) {
  const { t } = useTranslation();
  const act = useAction();
  const [by, setBy] = useState<'qr' | 'name' | 'idNumber'>('qr');
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Found[] | null>(null);
  const [hh, setHh] = useState<Found | null>(null);
  const [goodsId, setGoodsId] = useState<number | undefined>();
  const [qty, setQty] = useState(1);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Radio.Group value={by} onChange={(e) => setBy(e.target.value)} options={[{ value: 'qr', label: t('points.store.byQr') }, { value: 'name', label: t('points.store.byName') }, { value: 'idNumber', label: t('points.store.byId') }]} />
        <Input.Search value={q} onChange={(e) => setQ(e.target.value)} style={{ width: 320 }} aria-label={t('points.store.lookup')} data-testid="till-lookup"
          onSearch={async () => act(async () => { setHh(null); setReceipt(null); setFound(await api.get<Found[]>(`/store/stores/${storeId}/lookup`, { [by]: q.trim() })); }, t('points.store.found'))} />
      </Space>
      {found && (
        <Table rowKey="householdId" size="small" dataSource={found} pagination={false} rowSelection={{ type: 'radio', selectedRowKeys: hh ? [hh.householdId] : [], onChange: (_, rows) => setHh(rows[0] ?? null) }}
          columns={[{ title: t('points.subject'), dataIndex: 'name' }, { title: t('points.store.address'), dataIndex: 'address' }, { title: t('points.store.spendable'), dataIndex: 'spendable', align: 'right' }]} />
      )}
      {hh && (
        <Card size="small" title={`${hh.name}户 · ${t('points.store.spendable')} ${hh.spendable}`}>
          <Space wrap>
            <Select value={goodsId} onChange={setGoodsId} style={{ minWidth: 220 }} aria-label={t('points.store.goodsName')}
              options={goods.filter((g) => g.status === 'on').map((g) => ({ value: g.id, label: `${g.name}（${g.price}/${g.unit}，${t('points.store.stock')} ${g.stock}）` }))} />
            <InputNumber min={1} max={1000} value={qty} onChange={(v) => setQty(Number(v) || 1)} aria-label={t('points.store.qty')} />
            <Button type="primary" disabled={!goodsId} data-testid="till-redeem" onClick={() => act(async () => {
              const r = await api.post<Receipt>(`/store/stores/${storeId}/redemptions`, { householdId: hh.householdId, goodsId, qty });
              setReceipt(r);
              setHh({ ...hh, spendable: r.balanceNow });
              onDone();
            }, t('points.store.redeemed'))}>{t('points.store.redeem')}</Button>
          </Space>
        </Card>
      )}
      {receipt && (
        <Descriptions bordered size="small" column={1} title={t('points.store.receipt')} items={[
          { label: t('points.store.receiptNo'), children: receipt.receiptNo },
          { label: t('points.subject'), children: receipt.householdName },
          { label: t('points.store.goodsName'), children: `${receipt.goodsName} × ${receipt.qty}` },
          { label: t('points.store.total'), children: receipt.total },
          { label: t('points.store.spendable'), children: receipt.balanceNow },
          { label: t('points.store.time'), children: new Date(receipt.createdAt).toLocaleString('zh-CN') },
        ]} />
      )}
    </Space>
  );
}

function History({ storeId }: { storeId: number }) {
  const { t } = useTranslation();
  const list = usePaged<{ id: number; receiptNo: string; householdName: string; goodsName: string; qty: number; total: number; cashier: string; createdAt: string }>('/store/redemptions', { storeId });
  return list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
    <>
      <Table rowKey="id" size="small" loading={list.loading} dataSource={list.items} pagination={false}
        columns={[
          { title: t('points.store.receiptNo'), dataIndex: 'receiptNo' }, { title: t('points.subject'), dataIndex: 'householdName' },
          { title: t('points.store.goodsName'), dataIndex: 'goodsName' }, { title: t('points.store.qty'), dataIndex: 'qty' },
          { title: t('points.store.total'), dataIndex: 'total' }, { title: t('points.store.cashier'), dataIndex: 'cashier' },
          { title: t('points.store.time'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString('zh-CN') },
        ]} />
      <PagerBar list={list} />
    </>
  );
}

function MonthlyReport({ storeId }: { storeId: number }) {
  const { t } = useTranslation();
  const [month, setMonth] = useState(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7));
  const r = useRemote(/^\d{4}-\d{2}$/.test(month) ? () => api.get<Report>(`/store/stores/${storeId}/report`, { month }) : null, [storeId, month]);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 120 }} aria-label={t('points.month')} />
      {r.error ? <ErrorResult error={r.error} inline /> : r.data && (
        <>
          <Typography.Text>{t('points.store.totals', r.data.totals)}</Typography.Text>
          <Table rowKey="goodsId" size="small" dataSource={r.data.rows} pagination={false}
            columns={[
              { title: t('points.store.goodsName'), dataIndex: 'name' }, { title: t('points.store.kinds.donation'), dataIndex: 'donated' },
              { title: t('points.store.kinds.purchase'), dataIndex: 'purchased' }, { title: t('points.store.redeemedQty'), dataIndex: 'redeemed' },
              { title: t('points.store.points'), dataIndex: 'points' }, { title: t('points.store.stock'), dataIndex: 'stockNow' },
            ]} />
        </>
      )}
    </Space>
  );
}
