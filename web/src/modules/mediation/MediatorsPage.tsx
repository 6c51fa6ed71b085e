/** 调解员库: the mediators serving the caller's places, their specialties, open cases and success rate. */
import { useState } from 'react';
import { App as AntApp, Card, Form, Input, Modal, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { useSession } from '../../shared/session';
import { ErrorResult } from '../../console/components/ErrorResult';
import { pct, TYPES, type Mediator } from './types';

export default function MediatorsPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const session = useSession();
  const r = useRemote(() => api.get<{ items: Mediator[] }>('/mediation/mediators'), []);
  const [editing, setEditing] = useState<Mediator | null>(null);
  const [form] = Form.useForm();
  const canEdit = (m: Mediator) => session.can('mediation.manage') || session.me?.id === m.id;

  const save = async () => {
    const v = await form.validateFields();
    try {
      await api.put(`/mediation/mediators/${editing!.id}/profile`, { specialties: v.specialties ?? [], intro: v.intro ?? '' });
      message.success(t('mediation.saved'));
      setEditing(null);
      r.reload();
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  const cols: ColumnsType<Mediator> = [
    { title: t('mediation.name'), dataIndex: 'name', render: (v: string, m) => (canEdit(m) ? <a onClick={() => { form.setFieldsValue({ specialties: m.specialties, intro: m.intro }); setEditing(m); }}>{v}</a> : v) },
    { title: t('mediation.pool.region'), dataIndex: 'regionName', render: (v: string, m) => `${v}（${t(`common.level.${m.regionLevel}`)}）` },
    { title: t('mediation.pool.specialties'), dataIndex: 'specialtyLabels', render: (v: string[]) => v.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: t('mediation.pool.intro'), dataIndex: 'intro', ellipsis: true },
    { title: t('mediation.pool.open'), dataIndex: 'openDisputes', width: 90 },
    { title: t('mediation.pool.concluded'), dataIndex: 'concluded', width: 90 },
    { title: t('mediation.pool.successRate'), dataIndex: 'successRate', width: 110, render: pct },
  ];
  return (
    <Card title={t('mediation.menu.mediators')}>
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : <Table rowKey="id" size="middle" loading={r.loading} columns={cols} dataSource={r.data?.items ?? []} pagination={false} />}
      <Modal open={!!editing} title={editing?.name} onCancel={() => setEditing(null)} onOk={save} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="specialties" label={t('mediation.pool.specialties')}><Select mode="multiple" options={TYPES.map((k) => ({ value: k, label: t(`mediation.type.${k}`) }))} /></Form.Item>
          <Form.Item name="intro" label={t('mediation.pool.intro')}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
