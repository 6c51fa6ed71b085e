/** 村务议事 (phone): open votes to cast (one per household), my village's published resolutions and results; party members' review items. */
import { useState } from 'react';
import { Button, Card, Dialog, List, Skeleton, Space, Tag, Toast } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { useSession } from '../../../shared/session';
import { PhoneError, PhonePage } from '../../../phone/components';
import { day, when, type MyDeliberation } from '../types';

export default function Affairs() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const voter = useSession().can('deliberation.vote');
  const r = useRemote(() => api.get<MyDeliberation>('/me/deliberation'), []);
  const [busy, setBusy] = useState<number | null>(null);

  const cast = async (meetingId: number, choice: 'for' | 'against' | 'abstain') => {
    const ok = await Dialog.confirm({ content: t('deliberation.phone.confirm', { choice: t(`deliberation.vote.${choice}`) }), confirmText: t('deliberation.phone.cast'), cancelText: t('deliberation.phone.cancel') });
    if (!ok) return;
    setBusy(meetingId);
    try {
      await api.post(`/me/deliberation/meetings/${meetingId}/vote`, { choice }, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: 'success', content: t('deliberation.phone.voted') });
      r.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(null);
    }
  };

  const data = r.data;
  return (
    <PhonePage title={voter ? t('deliberation.phone.title') : t('deliberation.phone.reviews')}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !data ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          {voter && (
            <>
              <h2 className="m-section" style={{ fontSize: 16, margin: '12px 12px 0' }}>{t('deliberation.phone.votes')}</h2>
              {data.votes.length === 0 && <p className="m-section m-muted">{t('deliberation.phone.noVotes')}</p>}
              {data.votes.map((v) => (
                <Card key={v.id} title={v.title} style={{ margin: 12 }} data-testid={`vote-${v.id}`}>
                  <p style={{ margin: '0 0 8px' }}>{v.content}</p>
                  <p className="m-muted" style={{ margin: '0 0 8px' }}>{v.kindLabel} · {t('deliberation.phone.closes', { at: when(v.voteClosesAt) })}</p>
                  {v.myChoice ? <Tag color="#237804" data-testid="my-vote">{t('deliberation.phone.myVote', { choice: t(`deliberation.vote.${v.myChoice}`) })}</Tag> : (
                    <Space wrap>
                      {(['for', 'against', 'abstain'] as const).map((c) => (
                        <Button key={c} size="small" color={c === 'for' ? 'primary' : c === 'against' ? 'danger' : 'default'} loading={busy === v.id} onClick={() => void cast(v.id, c)} data-choice={c}>{t(`deliberation.vote.${c}`)}</Button>
                      ))}
                    </Space>
                  )}
                </Card>
              ))}
              <List header={t('deliberation.phone.published')} mode="card">
                {data.published.length === 0 && <List.Item>{t('deliberation.phone.empty')}</List.Item>}
                {data.published.map((p) => (
                  <List.Item key={p.id} onClick={() => nav(`/deliberation/${p.id}`)} description={`${p.categoryLabel} · ${day(p.publishedAt)}`} extra={<Tag color={p.state === 'done' ? '#237804' : 'primary'}>{p.stateLabel}</Tag>}>
                    {p.title}
                  </List.Item>
                ))}
              </List>
            </>
          )}
          {data.reviews.length > 0 && (
            <List header={t('deliberation.phone.reviews')} mode="card">
              {data.reviews.map((p) => (
                <List.Item key={p.id} onClick={() => nav(`/deliberation/${p.id}`)} description={`${p.villageName} · ${p.categoryLabel}`} extra={<Tag>{p.stateLabel}</Tag>}>{p.title}</List.Item>
              ))}
            </List>
          )}
        </>
      )}
    </PhonePage>
  );
}
