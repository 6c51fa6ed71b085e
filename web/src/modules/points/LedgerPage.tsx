/** 积分明细台账: the append-only ledger with filters, chain verification and reversal. */
import { useState } from 'react';
import { Alert, Button, Input, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import { useAction, useTextPrompt } from './shared';

interface Entry { id: number; seq: number; subjectName: string; kind: string; score: number; itemName: string | null; reason: string; occurredOn: string; reversesEntryId: number | null; reversedByEntryId: number | null; hash: string }
interface Verify { ok: boolean; checked: number; broken: null | { seq: number; reason: string } }

export default function LedgerPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [villageId, setVillageId] = useState<number | undefined>();
  const [period, setPeriod] = useState('');
  const list = usePaged<Entry>('/points/entries', { villageId, period: /^\d{4}(-(\d{2}|Q[1-4]))?$/.test(period) ? period : undefined });
  const [verify, setVerify] = useState<Verify | null>(null);
  const act = useAction();
  const prompt = useTextPrompt();
  const canReverse = !!me?.permissions.includes('points.review');
  const reverse = async (e: Entry) => {
    const reason = await prompt.ask(t('points.ledger.reverseReason'));
    if (reason && (await act(() => api.post(`/points/entries/${e.id}/reverse`, { reason })))) list.reload();
  };
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.ledger.title')}</Typography.Title>
        <Space wrap>
          <RegionSelect value={villageId} onChange={(v) => { setVillageId(v); setVerify(null); }} maxLevel="village" aria-label={t('points.village')} />
          <Input placeholder="2026-Q1 / 2026-03" value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 140 }} aria-label={t('points.period')} />
          <Button disabled={!villageId} onClick={async () => setVerify(await api.get<Verify>(`/points/villages/${villageId}/verify`))}>{t('points.ledger.verify')}</Button>
        </Space>
      </Space>
      {verify && (
        <Alert style={{ marginBottom: 12 }} type={verify.ok ? 'success' : 'error'} showIcon
          title={verify.ok ? t('points.ledger.verifyOk', { n: verify.checked }) : t('points.ledger.verifyBroken', { seq: verify.broken?.seq, reason: verify.broken?.reason })} />
      )}
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <>
          <Table rowKey="id" size="middle" loading={list.loading} dataSource={list.items} pagination={false}
            columns={[
              { title: t('points.ledger.seq'), dataIndex: 'seq', width: 80 },
              { title: t('points.subject'), dataIndex: 'subjectName' },
              { title: t('points.ledger.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`points.kind.${k}`)}</Tag> },
              { title: t('points.score'), dataIndex: 'score', align: 'right', render: (v: number) => (v > 0 ? `+${v}` : v) },
              { title: t('points.ledger.reason'), dataIndex: 'reason' },
              { title: t('points.occurredOn'), dataIndex: 'occurredOn' },
              { title: t('points.ledger.hash'), dataIndex: 'hash', render: (h: string) => <Typography.Text code>{h.slice(0, 10)}</Typography.Text> },
              { title: t('points.actions'), key: 'a', render: (_: unknown, e: Entry) => (
                e.reversedByEntryId ? <Tag>{t('points.ledger.reversed')}</Tag>
                  : canReverse && e.kind !== 'reversal' ? <Button size="small" type="link" onClick={() => reverse(e)}>{t('points.ledger.reverse')}</Button> : null) },
            ]} />
          <PagerBar list={list} />
        </>
      )}
      {prompt.node}
    </div>
  );
}
