/**
 * 评议: the evaluation group's monthly review queue — approve, or reject with a reason. A claim
 * recorded with a photo shows its thumbnail; clicking it opens the full (metadata-free) photo.
 */
import { useState } from 'react';
import { Button, Image, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useAction, useTextPrompt } from './shared';

interface Claim { id: number; subjectName: string; itemName: string; score: number; occurredOn: string; note: string | null; photoUrl: string | null; thumbUrl: string | null; source: string; recordedBy: string; status: string; reviewReason: string | null }

export default function ReviewPage() {
  const { t } = useTranslation();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [status, setStatus] = useState<'pending' | 'approved' | 'rejected'>('pending');
  const [selected, setSelected] = useState<number[]>([]);
  const list = usePaged<Claim>('/points/claims', { villageId, status });
  const act = useAction();
  const prompt = useTextPrompt();
  const review = async (ids: number[], decision: 'approve' | 'reject') => {
    const reason = decision === 'reject' ? await prompt.ask(t('points.review.rejectReason')) : undefined;
    if (decision === 'reject' && !reason) return;
    if (await act(() => api.post('/points/claims/review', { ids, decision, ...(reason ? { reason } : {}) }))) {
      setSelected([]);
      list.reload();
    }
  };
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.review.title')}</Typography.Title>
        <Space wrap>
          <RegionSelect value={villageId} onChange={setVillageId} maxLevel="village" aria-label={t('points.village')} />
          <Select value={status} onChange={setStatus} style={{ width: 120 }} aria-label={t('points.status')}
            options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`points.claimStatus.${s}`) }))} />
          {status === 'pending' && <>
            <Button type="primary" disabled={!selected.length} onClick={() => review(selected, 'approve')}>{t('points.review.approveSelected')}</Button>
            <Button danger disabled={!selected.length} onClick={() => review(selected, 'reject')}>{t('points.review.rejectSelected')}</Button>
          </>}
        </Space>
      </Space>
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <>
          <Table rowKey="id" size="middle" loading={list.loading} dataSource={list.items} pagination={false}
            rowSelection={status === 'pending' ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as number[]) } : undefined}
            columns={[
              { title: t('points.subject'), dataIndex: 'subjectName' },
              { title: t('points.item'), dataIndex: 'itemName' },
              { title: t('points.score'), dataIndex: 'score', align: 'right', render: (v: number) => <Tag color={v >= 0 ? 'green' : 'red'}>{v > 0 ? `+${v}` : v}</Tag> },
              { title: t('points.occurredOn'), dataIndex: 'occurredOn' },
              { title: t('points.note'), dataIndex: 'note' },
              { title: t('points.photo'), key: 'photo', width: 72, render: (_: unknown, r: Claim) => r.thumbUrl
                ? <Image src={r.thumbUrl} preview={{ src: r.photoUrl ?? r.thumbUrl }} width={48} height={48} style={{ objectFit: 'cover', borderRadius: 4 }} alt={t('points.photo')} data-testid="claim-photo" />
                : null },
              { title: t('points.source'), dataIndex: 'source', render: (v: string) => t(`points.claimSource.${v}`) },
              { title: t('points.recordedBy'), dataIndex: 'recordedBy' },
              status === 'pending'
                ? { title: t('points.actions'), key: 'a', render: (_: unknown, r: Claim) => (
                    <Space>
                      <Button size="small" type="link" onClick={() => review([r.id], 'approve')}>{t('points.review.approve')}</Button>
                      <Button size="small" type="link" danger onClick={() => review([r.id], 'reject')}>{t('points.review.reject')}</Button>
                    </Space>) }
                : { title: t('points.review.reason'), dataIndex: 'reviewReason' },
            ]} />
          <PagerBar list={list} />
        </>
      )}
      {prompt.node}
    </div>
  );
}
