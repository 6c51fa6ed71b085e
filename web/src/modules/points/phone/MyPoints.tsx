/** 我的积分 (villager): spendable points, this quarter's score, rank and stars, the posted list, history, appeal. */
import { Card, Dialog, List, Skeleton, TextArea, Toast } from 'antd-mobile';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { stars, type Entry, type MyPoints as My } from './types';

export default function MyPoints() {
  const { t } = useTranslation();
  const my = useRemote(() => api.get<My>('/points/my'), []);
  const entries = useRemote(() => api.get<Page<Entry>>('/points/my/entries', { limit: 50 }), []);
  // The dialog's text lives outside React state: the confirm promise resolves in an old closure.
  const reason = useRef('');

  const appeal = async (e: Entry) => {
    reason.current = '';
    const ok = await Dialog.confirm({
      title: t('points.phone.appealTitle'),
      content: <TextArea placeholder={t('points.phone.appealReason')} rows={3} maxLength={500} onChange={(v) => { reason.current = v; }} />,
    });
    if (!ok) return;
    if (!reason.current.trim()) return void Toast.show({ content: t('points.phone.appealReason') });
    try {
      await api.post('/points/my/appeals', { entryId: e.id, reason: reason.current.trim() }, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: 'success', content: t('points.phone.appealSent') });
    } catch (err) {
      Toast.show({ icon: 'fail', content: (err as Error).message });
    }
  };

  return (
    <PhonePage title={t('points.phone.myPoints')}>
      {my.error ? <PhoneError error={my.error} onRetry={my.reload} /> : !my.data ? <div className="m-section"><Skeleton.Paragraph lineCount={5} animated /></div> : (
        <>
          <Card className="m-section" title={my.data.name}>
            <div className="m-stat-row" data-testid="points-summary">
              <div><div className="m-muted">{t('points.phone.spendable')}</div><strong data-testid="spendable">{my.data.spendable}</strong></div>
              <div><div className="m-muted">{t('points.phone.quarterScore', { period: my.data.quarter.period })}</div><strong data-testid="quarter-score">{my.data.quarter.score}</strong></div>
              <div><div className="m-muted">{t('points.phone.rank')}</div><strong data-testid="quarter-rank">{my.data.quarter.rank}/{my.data.quarter.of}</strong></div>
              <div><div className="m-muted">{t('points.phone.stars')}</div><strong data-testid="quarter-stars">{stars(my.data.quarter.stars)}</strong></div>
            </div>
            <div className="m-muted" style={{ marginTop: 8 }}>{t('points.phone.yearLine', { year: my.data.year.period, score: my.data.year.score, rank: my.data.year.rank, of: my.data.year.of })}</div>
            {my.data.published && (
              <div style={{ marginTop: 6 }} data-testid="published">{t('points.phone.publishedLine', my.data.published)} {stars(my.data.published.stars)}</div>
            )}
            {my.data.blacklisted && <div className="m-tag" style={{ marginTop: 6 }}>{t('points.phone.blacklisted')}</div>}
          </Card>
          <List header={t('points.phone.history')} mode="card">
            {entries.error ? <List.Item>{entries.error.message}</List.Item> : (entries.data?.items ?? []).map((e) => (
              <List.Item key={e.id} description={`${e.occurredOn} · ${e.reason}`} extra={<span>{e.score > 0 ? `+${e.score}` : e.score}</span>}
                onClick={e.kind !== 'reversal' && !e.reversedByEntryId ? () => appeal(e) : undefined} arrow={false}>
                {e.itemName ?? t(`points.kind.${e.kind}`)}
              </List.Item>
            ))}
            {entries.data && entries.data.items.length === 0 && <List.Item>{t('points.phone.noEntries')}</List.Item>}
          </List>
          <p className="m-section m-muted">{t('points.phone.appealHint')}</p>
        </>
      )}
    </PhonePage>
  );
}
