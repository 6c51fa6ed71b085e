/** 村务公开栏: notices of the villages in scope, and a form to publish one (village cadres). */
import { useCallback, useState } from 'react';
import { App as AntApp, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../api';
import { useSession } from '../../shared/session';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { VillagePicker } from './VillagePicker';
import type { Notice } from './types';

const KINDS = ['party', 'village', 'finance', 'policy'] as const;

export default function NoticesPage() {
  const { t } = useTranslation();
  const { message } = AntApp.useApp();
  const { can } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const list = usePaged<Notice>('/disclosure/notices', { villageId }, 30);
  const onVillage = useCallback((id: number | undefined) => setVillageId(id), []);

  const create = async () => {
    const v = await form.validateFields();
    try {
      await api.post('/disclosure/notices', { villageId: v.villageId, kind: v.kind, title: v.title, body: v.body, publishFrom: v.range[0].format('YYYY-MM-DD'), publishTo: v.range[1]?.format('YYYY-MM-DD') ?? null }, { idempotencyKey: idempotencyKey() });
      message.success(t('disclosure.done'));
      setCreating(false);
      list.reload();
    } catch (e) {
      message.error((e as ApiError).message);
    }
  };

  return (
    <Card title={t('disclosure.menu.notices')} extra={(
      <Space>
        <VillagePicker value={villageId} onChange={onVillage} allowAll />
        {can('disclosure.notice') && <Button type="primary" onClick={() => { form.resetFields(); form.setFieldsValue({ villageId, kind: 'village', range: [dayjs(), dayjs().add(30, 'day')] }); setCreating(true); }}>{t('disclosure.notice.new')}</Button>}
      </Space>
    )}>
      <Table rowKey="id" size="middle" loading={list.loading} pagination={false} dataSource={list.items}
        expandable={{ expandedRowRender: (n) => <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div> }}
        columns={[
          { title: t('disclosure.notice.kind'), dataIndex: 'kindLabel', render: (v: string) => <Tag>{v}</Tag> },
          { title: t('disclosure.notice.title'), dataIndex: 'title' },
          { title: t('disclosure.village'), dataIndex: 'villageName' },
          { title: t('disclosure.notice.from'), dataIndex: 'publishFrom' },
          { title: t('disclosure.notice.to'), dataIndex: 'publishTo' },
          { title: '', dataIndex: 'createdByName' },
        ]} />
      <PagerBar list={list} />
      <Modal open={creating} title={t('disclosure.notice.new')} onCancel={() => setCreating(false)} onOk={create} destroyOnHidden width={640}>
        <Form form={form} layout="vertical">
          <Form.Item name="villageId" label={t('disclosure.village')} rules={[{ required: true }]}><VillagePicker onChange={(id) => form.setFieldsValue({ villageId: id })} /></Form.Item>
          <Form.Item name="kind" label={t('disclosure.notice.kind')} rules={[{ required: true }]}><Select options={KINDS.map((k) => ({ value: k, label: t(`disclosure.noticeKind.${k}`) }))} /></Form.Item>
          <Form.Item name="title" label={t('disclosure.notice.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="body" label={t('disclosure.notice.body')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={6} maxLength={10000} /></Form.Item>
          <Form.Item name="range" label={`${t('disclosure.notice.from')} — ${t('disclosure.notice.to')}`} rules={[{ required: true }]}><DatePicker.RangePicker allowEmpty={[false, true]} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
