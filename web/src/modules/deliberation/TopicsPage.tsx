/** 议事协商: the topic list with a state filter, a new topic, the topic drawer. */
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import { TopicDrawer } from './TopicDrawer';
import { CATEGORIES, day, STATES, type TopicDetail, type TopicItem } from './types';

const COLORS: Record<string, string> = { rejected: 'red', done: 'green', resolution_published: 'blue', implementing: 'blue' };

export default function TopicsPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const params = useParams();
  const { message } = AntApp.useApp();
  const session = useSession();
  const canManage = session.can('deliberation.manage');
  const [state, setState] = useState<string | undefined>();
  const [category, setCategory] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm();
  const paged = usePaged<TopicItem>('/deliberation/topics', { state, category, q: q || undefined }, 30);
  const openId = params.id ? Number(params.id) : null;
  const myVillage = session.me?.grants.find((g) => g.regionLevel === 'village')?.regionId;
  const proposer = Form.useWatch('proposerKind', form);

  const columns: ColumnsType<TopicItem> = [
    { title: t('deliberation.col.code'), dataIndex: 'code', width: 170, render: (v: string, r) => <a onClick={() => nav(`/deliberation/${r.id}`)}>{v}</a> },
    { title: t('deliberation.col.title'), dataIndex: 'title', ellipsis: true },
    { title: t('deliberation.col.category'), dataIndex: 'categoryLabel', width: 120 },
    { title: t('deliberation.col.village'), dataIndex: 'villageName', width: 110 },
    { title: t('deliberation.col.proposer'), width: 130, render: (_, r) => (r.signatures ? `${r.proposerLabel}（${r.signatures}）` : r.proposerLabel) },
    { title: t('deliberation.col.state'), dataIndex: 'stateLabel', width: 200, render: (v: string, r) => <Tag color={COLORS[r.state] ?? 'default'}>{v}</Tag> },
    { title: t('deliberation.col.createdAt'), dataIndex: 'createdAt', width: 110, render: day },
  ];

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await api.post<TopicDetail>('/deliberation/topics', {
        regionId: v.regionId, title: v.title, content: v.content, proposerKind: v.proposerKind, category: v.category,
        ...(v.proposerKind === 'villagers' ? { signatures: v.signatures } : {}), amount: v.amount ?? null,
      }, { idempotencyKey: idempotencyKey() });
      message.success(t('deliberation.saved'));
      setCreating(false);
      form.resetFields();
      paged.reload();
      nav(`/deliberation/${r.id}`);
    } catch (e) {
      message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('deliberation.menu')} extra={canManage && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="topic-new">{t('deliberation.new')}</Button>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder={t('deliberation.col.state')} aria-label={t('deliberation.col.state')} style={{ width: 220 }} value={state} onChange={setState} data-testid="topic-state-filter"
          options={STATES.map((k) => ({ value: k, label: t(`deliberation.state.${k}`) }))} />
        <Select allowClear placeholder={t('deliberation.col.category')} aria-label={t('deliberation.col.category')} style={{ width: 150 }} value={category} onChange={setCategory}
          options={CATEGORIES.map((k) => ({ value: k, label: t(`deliberation.category.${k}`) }))} />
        <Input.Search allowClear placeholder={t('deliberation.search')} aria-label={t('deliberation.search')} style={{ width: 220 }} onSearch={setQ} />
      </Space>
      {paged.error ? <ErrorResult error={paged.error} onRetry={paged.reload} /> : (
        <>
          <Table rowKey="id" size="middle" columns={columns} dataSource={paged.items} loading={paged.loading} pagination={false} onRow={(r) => ({ 'data-topic-id': r.id } as object)} />
          <PagerBar list={paged} />
        </>
      )}
      <TopicDrawer id={openId} onClose={() => nav('/deliberation')} onChanged={paged.reload} />
      <Modal open={creating} title={t('deliberation.new')} onCancel={() => setCreating(false)} onOk={submit} confirmLoading={busy} destroyOnHidden width={640}
        okButtonProps={{ 'data-testid': 'topic-new-ok' } as Record<string, string>}>
        <Form form={form} layout="vertical" initialValues={{ proposerKind: 'branch', category: 'assets', regionId: myVillage }}>
          <Space wrap>
            <Form.Item name="regionId" label={t('deliberation.col.village')} rules={[{ required: true }]}><RegionSelect levels={['village']} maxLevel="village" style={{ width: 220 }} /></Form.Item>
            <Form.Item name="category" label={t('deliberation.col.category')} rules={[{ required: true }]}><Select style={{ width: 150 }} options={CATEGORIES.map((k) => ({ value: k, label: t(`deliberation.category.${k}`) }))} /></Form.Item>
            <Form.Item name="proposerKind" label={t('deliberation.col.proposer')} rules={[{ required: true }]}><Select style={{ width: 140 }} options={['branch', 'villagers', 'committee'].map((k) => ({ value: k, label: t(`deliberation.proposer.${k}`) }))} /></Form.Item>
            {proposer === 'villagers' && <Form.Item name="signatures" label={t('deliberation.signatures')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>}
          </Space>
          <Form.Item name="title" label={t('deliberation.col.title')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="content" label={t('deliberation.content')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>
          <Form.Item name="amount" label={t('deliberation.amount')}><InputNumber min={0} style={{ width: 200 }} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
