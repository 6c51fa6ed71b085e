/** 季度公示: snapshot the quarter, record the party branch's approval, publish with an objection window, print. */
import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, downloadUrl } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { stars, thisQuarter, useAction } from './shared';

interface Pub { id: number; villageId: number; villageName: string; period: string; status: string; publishedAt: string | null; objectionUntil: string | null; rows?: { subjectId: number; name: string; kind: string; score: number; rank: number; stars: number }[] }

export default function PublicationsPage() {
  const { t } = useTranslation();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [period, setPeriod] = useState(thisQuarter());
  const [openId, setOpenId] = useState<number | null>(null);
  const [approving, setApproving] = useState<Pub | null>(null);
  const list = useRemote(() => api.get<Pub[]>('/points/publications', { villageId }), [villageId]);
  const detail = useRemote(openId ? () => api.get<Pub>(`/points/publications/${openId}`) : null, [openId]);
  const act = useAction();
  const [form] = Form.useForm();
  const refresh = () => { list.reload(); detail.reload(); };
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.publication.title')}</Typography.Title>
        <Space wrap>
          <RegionSelect value={villageId} onChange={setVillageId} maxLevel="village" aria-label={t('points.village')} />
          <Input value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 110 }} aria-label={t('points.period')} />
          <Button type="primary" disabled={!villageId} onClick={async () => {
            let id = 0;
            if (await act(async () => { id = (await api.post<Pub>('/points/publications', { villageId, period })).id; })) { list.reload(); setOpenId(id); }
          }}>{t('points.publication.prepare')}</Button>
        </Space>
      </Space>
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <Table rowKey="id" size="middle" loading={list.loading} dataSource={list.data ?? []} pagination={false}
          columns={[
            { title: t('points.village'), dataIndex: 'villageName', render: (v: string, p: Pub) => <a onClick={() => setOpenId(p.id)}>{v}</a> },
            { title: t('points.period'), dataIndex: 'period' },
            { title: t('points.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'published' ? 'green' : 'gold'}>{t(`points.pubStatus.${s}`)}</Tag> },
            { title: t('points.publication.objectionUntil'), dataIndex: 'objectionUntil', render: (v: string | null) => v?.slice(0, 10) },
            { title: t('points.actions'), key: 'a', render: (_: unknown, p: Pub) => (
              <Space>
                {p.status === 'draft' && <Button size="small" type="link" onClick={() => { form.resetFields(); setApproving(p); }}>{t('points.publication.approve')}</Button>}
                {p.status === 'approved' && <Button size="small" type="link" onClick={async () => { if (await act(() => api.post(`/points/publications/${p.id}/publish`, {}))) refresh(); }}>{t('points.publication.publish')}</Button>}
                <a href={downloadUrl(`/points/publications/${p.id}/print`)} target="_blank" rel="noreferrer">{t('points.publication.print')}</a>
              </Space>) },
          ]} />
      )}
      {detail.data && (
        <Card style={{ marginTop: 16 }} title={`${detail.data.villageName} ${detail.data.period}`} extra={<Button size="small" onClick={() => setOpenId(null)}>{t('points.close')}</Button>}>
          <Table rowKey="subjectId" size="small" dataSource={detail.data.rows ?? []} pagination={{ pageSize: 20 }}
            columns={[
              { title: t('points.rank'), dataIndex: 'rank', width: 70 },
              { title: t('points.subject'), dataIndex: 'name' },
              { title: t('points.subjectKind'), dataIndex: 'kind', render: (k: string) => t(`points.subjectKinds.${k}`) },
              { title: t('points.score'), dataIndex: 'score', align: 'right' },
              { title: t('points.stars'), dataIndex: 'stars', render: stars },
            ]} />
        </Card>
      )}
      <Modal open={!!approving} title={t('points.publication.approveTitle')} onCancel={() => setApproving(null)} destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields();
          if (await act(() => api.post(`/points/publications/${approving!.id}/approve`, v))) { setApproving(null); refresh(); }
        }}>
        <Form form={form} layout="vertical">
          <Form.Item name="meeting" label={t('points.publication.meeting')} rules={[{ required: true, message: t('points.required') }]}><Input maxLength={200} /></Form.Item>
          <Form.Item name="resolution" label={t('points.rules.resolution')} rules={[{ required: true, message: t('points.required') }]}><Input.TextArea maxLength={500} rows={3} /></Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
