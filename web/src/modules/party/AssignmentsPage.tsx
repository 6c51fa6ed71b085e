/**
 * 包保: who is responsible for which township, village, group or household (县领导包乡镇、乡镇干部包村、
 * 村干部包组、党员包户). Ending an assignment keeps it in the history with its end date.
 */
import { useMemo, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, idempotencyKey } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';

interface Assignment {
  id: number; level: string; patronName: string; patronTitle: string | null; patronUserId: number | null; patronMemberId: number | null;
  target: { type: 'region' | 'household'; id: number; name: string; code: string }; startsOn: string; endsOn: string | null; active: boolean;
}
const LEVELS = ['county_township', 'township_village', 'village_group', 'member_household'] as const;
const TARGET_LEVEL = { county_township: 'township', township_village: 'village', village_group: 'group' } as const;

export default function AssignmentsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const [level, setLevel] = useState<string | undefined>();
  const [regionId, setRegionId] = useState<number | undefined>();
  const [status, setStatus] = useState<'active' | 'ended' | 'all'>('active');
  const [creating, setCreating] = useState(false);
  const list = usePaged<Assignment>('/assignments', { level, regionId, status });

  const end = async (a: Assignment) => {
    try {
      await api.delete(`/assignments/${a.id}`);
      message.success(t('party.assignment.ended'));
      list.reload();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };

  const columns: ColumnsType<Assignment> = [
    { title: t('party.assignment.level'), dataIndex: 'level', width: 140, render: (l: string) => <Tag>{t(`party.assignment.levels.${l}`, { defaultValue: l })}</Tag> },
    { title: t('party.assignment.patron'), dataIndex: 'patronName', width: 110 },
    { title: t('party.assignment.title'), dataIndex: 'patronTitle', width: 180, render: (v: string | null) => v ?? '—' },
    { title: t('party.assignment.target'), key: 'target', render: (_, r) => `${r.target.name}（${r.target.code}）` },
    { title: t('party.assignment.startsOn'), dataIndex: 'startsOn', width: 110 },
    { title: t('party.assignment.endsOn'), dataIndex: 'endsOn', width: 110, render: (v: string | null) => v ?? '—' },
    ...(can('registry.write') ? [{ title: t('common.actions'), key: 'op', width: 90, render: (_: unknown, r: Assignment) => r.active ? (
      <Popconfirm title={t('party.assignment.endConfirm', { name: r.patronName, target: r.target.name })} onConfirm={() => end(r)}>
        <Button size="small" type="link" danger>{t('party.assignment.end')}</Button>
      </Popconfirm>
    ) : null }] : []),
  ];

  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('party.assignment.pageTitle')}</Typography.Title>
        {can('registry.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('party.assignment.create')}</Button>}
      </Space>
      <Card size="small">
        <div className="xz-toolbar">
          <Select allowClear placeholder={t('party.assignment.level')} aria-label={t('party.assignment.level')} value={level} onChange={setLevel} style={{ width: 160 }}
            options={LEVELS.map((l) => ({ value: l, label: t(`party.assignment.levels.${l}`) }))} />
          <RegionSelect value={regionId} onChange={setRegionId} />
          <Segmented value={status} onChange={(v) => setStatus(v as typeof status)} aria-label={t('common.status')}
            options={[{ value: 'active', label: t('party.assignment.active') }, { value: 'ended', label: t('party.assignment.endedTab') }, { value: 'all', label: t('party.assignment.all') }]} />
        </div>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<Assignment> rowKey="id" size="middle" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: 900 }} />
        <PagerBar list={list} />
      </Card>
      <CreateModal open={creating} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); list.reload(); }} />
    </div>
  );
}

function CreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const level = Form.useWatch('level', form) as (typeof LEVELS)[number] | undefined;
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/assignments', {
        level: v.level, targetId: v.targetId,
        ...(v.level === 'member_household' ? { patronMemberId: v.patronMemberId } : { patronName: v.patronName.trim() }),
        ...(v.patronTitle?.trim() ? { patronTitle: v.patronTitle.trim() } : {}),
        ...(v.startsOn ? { startsOn: v.startsOn.format('YYYY-MM-DD') } : {}),
      }, { idempotencyKey: key });
      form.resetFields();
      onCreated();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('party.assignment.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ level: 'township_village' }}>
        <Form.Item name="level" label={t('party.assignment.level')} rules={[{ required: true }]}>
          <Select options={LEVELS.map((l) => ({ value: l, label: t(`party.assignment.levels.${l}`) }))} />
        </Form.Item>
        {level && level !== 'member_household' ? (
          <Form.Item name="targetId" label={t('party.assignment.target')} rules={[{ required: true }]}>
            <RegionSelect levels={[TARGET_LEVEL[level]]} />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="targetId" label={t('party.assignment.householdId')} rules={[{ required: true }]}><InputNumber min={1} style={{ width: '100%' }} /></Form.Item>
            <Form.Item name="patronMemberId" label={t('party.assignment.memberId')} rules={[{ required: true }]}><InputNumber min={1} style={{ width: '100%' }} /></Form.Item>
          </>
        )}
        {level !== 'member_household' && (
          <Form.Item name="patronName" label={t('party.assignment.patron')} rules={[{ required: true, whitespace: true, max: 50 }]}><Input /></Form.Item>
        )}
        <Form.Item name="patronTitle" label={t('party.assignment.title')}><Input maxLength={60} placeholder={t('party.assignment.titlePlaceholder')} /></Form.Item>
        <Form.Item name="startsOn" label={t('party.assignment.startsOn')}><DatePicker style={{ width: '100%' }} /></Form.Item>
      </Form>
    </Modal>
  );
}
