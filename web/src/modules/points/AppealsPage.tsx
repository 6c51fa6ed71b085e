/** 复议: appeals against entries — the evaluation group investigates and upholds (with the right score) or rejects. */
import { useState } from 'react';
import { Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import { useAction, useTextPrompt } from './shared';

interface Appeal { id: number; subjectName: string; entryScore: number; entryReason: string; filedBy: string; reason: string; status: string; investigation: string | null; decisionReason: string | null; correctedScore: number | null; createdAt: string }

export default function AppealsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [status, setStatus] = useState<string | undefined>('open');
  const list = usePaged<Appeal>('/points/appeals', { villageId, status });
  const [deciding, setDeciding] = useState<Appeal | null>(null);
  const act = useAction();
  const prompt = useTextPrompt();
  const [form] = Form.useForm();
  const canDecide = !!me?.permissions.includes('points.review');
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.appeals.title')}</Typography.Title>
        <Space>
          <RegionSelect value={villageId} onChange={setVillageId} maxLevel="village" aria-label={t('points.village')} />
          <Select allowClear value={status} onChange={setStatus} style={{ width: 120 }} aria-label={t('points.status')}
            options={['open', 'investigating', 'upheld', 'rejected'].map((s) => ({ value: s, label: t(`points.appealStatus.${s}`) }))} />
        </Space>
      </Space>
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <>
          <Table rowKey="id" size="middle" loading={list.loading} dataSource={list.items} pagination={false}
            columns={[
              { title: t('points.subject'), dataIndex: 'subjectName' },
              { title: t('points.appeals.entry'), key: 'e', render: (_: unknown, a: Appeal) => `${a.entryReason}（${a.entryScore}）` },
              { title: t('points.appeals.reason'), dataIndex: 'reason' },
              { title: t('points.appeals.filedBy'), dataIndex: 'filedBy' },
              { title: t('points.status'), dataIndex: 'status', render: (s: string) => <Tag>{t(`points.appealStatus.${s}`)}</Tag> },
              { title: t('points.appeals.investigation'), dataIndex: 'investigation' },
              { title: t('points.actions'), key: 'a', render: (_: unknown, a: Appeal) => canDecide && (a.status === 'open' || a.status === 'investigating') ? (
                <Space>
                  <Button size="small" type="link" onClick={async () => { const note = await prompt.ask(t('points.appeals.investigate')); if (note && (await act(() => api.post(`/points/appeals/${a.id}/investigate`, { note })))) list.reload(); }}>{t('points.appeals.investigate')}</Button>
                  <Button size="small" type="link" onClick={() => { form.resetFields(); setDeciding(a); }}>{t('points.appeals.decide')}</Button>
                </Space>) : a.decisionReason },
            ]} />
          <PagerBar list={list} />
        </>
      )}
      <Modal open={!!deciding} title={t('points.appeals.decide')} onCancel={() => setDeciding(null)} destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields();
          if (await act(() => api.post(`/points/appeals/${deciding!.id}/decide`, v))) { setDeciding(null); list.reload(); }
        }}>
        <Form form={form} layout="vertical" initialValues={{ decision: 'reject' }}>
          <Form.Item name="decision" label={t('points.appeals.decision')}><Radio.Group options={[{ value: 'uphold', label: t('points.appeals.uphold') }, { value: 'reject', label: t('points.appeals.reject') }]} /></Form.Item>
          <Form.Item noStyle shouldUpdate>{({ getFieldValue }) => getFieldValue('decision') === 'uphold' && (
            <Form.Item name="correctedScore" label={t('points.appeals.correctedScore')} rules={[{ required: true, message: t('points.required') }]}><InputNumber step={0.1} min={-100} max={100} /></Form.Item>
          )}</Form.Item>
          <Form.Item name="reason" label={t('points.appeals.decisionReason')} rules={[{ required: true, message: t('points.required') }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        </Form>
      </Modal>
      {prompt.node}
    </div>
  );
}
