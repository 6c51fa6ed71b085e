/** 黑名单: list the period's subjects below the line, pair a helper with a plan, track progress, lift. */
import { useState } from 'react';
import { Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import { thisQuarter, useAction, useTextPrompt } from './shared';

interface Row { id: number; name: string; sourcePeriod: string; score: number; startsOn: string; endsOn: string; status: string; helperName: string | null; plan: string | null }

export default function BlacklistPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [period, setPeriod] = useState(thisQuarter());
  const list = useRemote(() => api.get<Row[]>('/points/blacklist', { villageId }), [villageId]);
  const [helping, setHelping] = useState<Row | null>(null);
  const act = useAction();
  const prompt = useTextPrompt();
  const [form] = Form.useForm();
  const canManage = !!me?.permissions.includes('points.blacklist');
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.blacklist.title')}</Typography.Title>
        <Space wrap>
          <RegionSelect value={villageId} onChange={setVillageId} maxLevel="village" aria-label={t('points.village')} />
          {me?.permissions.includes('points.publish') && <>
            <Input value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 110 }} aria-label={t('points.period')} />
            <Button disabled={!villageId} onClick={async () => {
              const resolution = await prompt.ask(t('points.blacklist.resolution'));
              if (resolution && (await act(() => api.post('/points/blacklist/close-period', { villageId, period, resolution })))) list.reload();
            }}>{t('points.blacklist.close')}</Button>
          </>}
        </Space>
      </Space>
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <Table rowKey="id" size="middle" loading={list.loading} dataSource={list.data ?? []} pagination={{ pageSize: 20 }}
          columns={[
            { title: t('points.subject'), dataIndex: 'name' },
            { title: t('points.blacklist.source'), key: 'p', render: (_: unknown, r: Row) => `${r.sourcePeriod}（${r.score}）` },
            { title: t('points.blacklist.effective'), key: 'e', render: (_: unknown, r: Row) => `${r.startsOn} ~ ${r.endsOn}` },
            { title: t('points.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'active' ? 'red' : undefined}>{t(`points.blacklistStatus.${s}`)}</Tag> },
            { title: t('points.blacklist.helper'), dataIndex: 'helperName' },
            { title: t('points.blacklist.plan'), dataIndex: 'plan' },
            { title: t('points.actions'), key: 'a', render: (_: unknown, r: Row) => canManage && r.status === 'active' ? (
              <Space>
                <Button size="small" type="link" onClick={() => { form.setFieldsValue({ helperName: r.helperName, plan: r.plan }); setHelping(r); }}>{t('points.blacklist.assign')}</Button>
                <Button size="small" type="link" onClick={async () => { const note = await prompt.ask(t('points.blacklist.progress')); if (note && (await act(() => api.post(`/points/blacklist/${r.id}/progress`, { note })))) list.reload(); }}>{t('points.blacklist.progress')}</Button>
                <Button size="small" type="link" danger onClick={async () => { const reason = await prompt.ask(t('points.blacklist.lift')); if (reason && (await act(() => api.post(`/points/blacklist/${r.id}/lift`, { reason })))) list.reload(); }}>{t('points.blacklist.lift')}</Button>
              </Space>) : null },
          ]} />
      )}
      <Modal open={!!helping} title={t('points.blacklist.assign')} onCancel={() => setHelping(null)} destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields();
          if (await act(() => api.post(`/points/blacklist/${helping!.id}/helper`, v))) { setHelping(null); list.reload(); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="helperName" label={t('points.blacklist.helper')} rules={[{ required: true, message: t('points.required') }]}><Input maxLength={40} /></Form.Item>
          <Form.Item name="plan" label={t('points.blacklist.plan')} rules={[{ required: true, message: t('points.required') }]}><Input.TextArea rows={4} maxLength={2000} /></Form.Item>
        </Form>
      </Modal>
      {prompt.node}
    </div>
  );
}
