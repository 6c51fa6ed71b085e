/** 收支审签: entries of a village (or all in scope), tabs by state and "waiting for my sign-off", the entry drawer, and a new-entry form (no cash). */
import { useCallback, useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { useSession } from '../../shared/session';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { ErrorResult } from '../../console/components/ErrorResult';
import { VillagePicker } from './VillagePicker';
import { EntryDrawer } from './EntryDrawer';
import { CATEGORIES, type Entry } from './types';

const TABS = ['all', 'pending', 'signing', 'returned', 'posted'] as const;

export default function EntriesPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [tab, setTab] = useState<(typeof TABS)[number]>(can('disclosure.finance') ? 'all' : 'pending');
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const query = { villageId, ...(tab === 'pending' ? { pending: true } : tab === 'all' ? {} : { state: tab }) };
  const list = usePaged<Entry>('/disclosure/entries', query, 30);
  const onVillage = useCallback((id: number | undefined) => setVillageId(id), []);

  const create = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const e = await api.post<Entry>('/disclosure/entries', { ...v, villageId: v.villageId ?? villageId, entryDate: v.entryDate.format('YYYY-MM-DD') }, { idempotencyKey: idempotencyKey() });
      message.success(t('disclosure.done'));
      setCreating(false);
      list.reload();
      setOpen(e.id);
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  const cols: ColumnsType<Entry> = [
    { title: t('disclosure.col.date'), dataIndex: 'entryDate', width: 110 },
    { title: t('disclosure.village'), dataIndex: 'villageName', width: 100 },
    { title: t('disclosure.col.kind'), dataIndex: 'kindLabel', width: 70, render: (v: string, e) => <Tag color={e.kind === 'income' ? 'green' : 'orange'}>{v}</Tag> },
    { title: t('disclosure.col.category'), dataIndex: 'category', width: 110 },
    { title: t('disclosure.col.amount'), dataIndex: 'amount', align: 'right', width: 120 },
    { title: t('disclosure.col.purpose'), dataIndex: 'purpose', ellipsis: true },
    { title: t('disclosure.col.state'), dataIndex: 'stateLabel', width: 90 },
    { title: t('disclosure.col.step'), width: 160, render: (_: unknown, e) => (e.state === 'signing' ? `${e.currentStep + 1}/${e.steps.length} ${e.steps[e.currentStep]?.label ?? ''}` : e.period ?? '') },
    { title: '', width: 80, render: (_: unknown, e) => <Button size="small" type={e.canSign ? 'primary' : 'link'} onClick={() => setOpen(e.id)}>{e.canSign ? t('disclosure.sign') : '详情'}</Button> },
  ];

  return (
    <Card title={t('disclosure.menu.entries')} extra={(
      <Space>
        <VillagePicker value={villageId} onChange={onVillage} allowAll />
        {can('disclosure.finance') && <Button type="primary" onClick={() => { form.resetFields(); form.setFieldsValue({ villageId, entryDate: dayjs(), kind: 'expense', payMethod: 'bank_transfer' }); setCreating(true); }}>{t('disclosure.enter')}</Button>}
      </Space>
    )}>
      <Tabs activeKey={tab} onChange={(k) => setTab(k as (typeof TABS)[number])} items={TABS.map((k) => ({ key: k, label: t(`disclosure.tabs.${k}`) }))} />
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <>
          <Table rowKey="id" size="middle" loading={list.loading} pagination={false} columns={cols} dataSource={list.items} data-testid="disclosure-entries" />
          <PagerBar list={list} />
        </>
      )}
      <EntryDrawer id={open} onClose={() => setOpen(null)} onChanged={list.reload} />
      <Modal open={creating} title={t('disclosure.enter')} onCancel={() => setCreating(false)} onOk={create} confirmLoading={busy} destroyOnHidden width={640}>
        <Form form={form} layout="vertical">
          <Form.Item name="villageId" label={t('disclosure.village')} rules={[{ required: true }]}><VillagePicker onChange={(id) => form.setFieldsValue({ villageId: id })} /></Form.Item>
          <Space wrap>
            <Form.Item name="entryDate" label={t('disclosure.col.date')} rules={[{ required: true }]}><DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} /></Form.Item>
            <Form.Item name="kind" label={t('disclosure.col.kind')} rules={[{ required: true }]}><Select style={{ width: 100 }} options={(['expense', 'income'] as const).map((k) => ({ value: k, label: t(`disclosure.kind.${k}`) }))} /></Form.Item>
            <Form.Item name="category" label={t('disclosure.col.category')} rules={[{ required: true }]}><Select style={{ width: 150 }} options={CATEGORIES.map((c) => ({ value: c, label: c }))} /></Form.Item>
            <Form.Item name="amount" label={t('disclosure.col.amount')} rules={[{ required: true, pattern: /^\d{1,12}(\.\d{1,2})?$/, message: '金额须大于 0，最多两位小数' }]}><Input style={{ width: 160 }} inputMode="decimal" /></Form.Item>
          </Space>
          <Form.Item name="payMethod" label={`${t('disclosure.col.method')}（${t('disclosure.noCash')}）`} rules={[{ required: true }]}>
            <Select options={(['bank_transfer', 'official_card', 'corporate_transfer'] as const).map((k) => ({ value: k, label: t(`disclosure.method.${k}`) }))} />
          </Form.Item>
          <Form.Item name="counterparty" label={t('disclosure.col.counterparty')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="purpose" label={t('disclosure.col.purpose')} rules={[{ required: true, whitespace: true }]}><Input.TextArea maxLength={500} /></Form.Item>
          <Form.Item name="voucherNo" label={t('disclosure.col.voucher')} rules={[{ required: true, whitespace: true }]}><Input maxLength={40} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
