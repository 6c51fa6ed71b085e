/** 待我审签 (phone, staff): the entries waiting at my step; open one to sign or return it. */
import { useState } from 'react';
import { Button, Card, List, Skeleton, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import type { Entry, EntryDetail } from '../types';

export default function SignList() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const r = useRemote(() => api.get<Page<Entry>>('/disclosure/entries', { pending: true, limit: 50 }), []);
  return (
    <PhonePage title={t('disclosure.phone.pending')}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !r.data ? <div className="m-section"><Skeleton.Paragraph lineCount={5} animated /></div>
        : !r.data.items.length ? <p className="m-section m-muted">{t('disclosure.phone.none')}</p> : (
          <List mode="card">
            {r.data.items.map((e) => (
              <List.Item key={e.id} onClick={() => nav(`/disclosure/sign/${e.id}`)} description={`${e.villageName} · ${e.entryDate} · ${e.steps[e.currentStep]?.label ?? ''}`} extra={`${e.amount} 元`}>
                {e.category}：{e.purpose.slice(0, 20)}
              </List.Item>
            ))}
          </List>
        )}
    </PhonePage>
  );
}

export function SignView() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { id = '' } = useParams();
  const r = useRemote(() => api.get<EntryDetail>(`/disclosure/entries/${id}`), [id]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const d = r.data;
  const act = async (action: 'sign' | 'return') => {
    if (action === 'return' && !comment.trim()) {
      Toast.show({ content: '退回须写明理由' });
      return;
    }
    setBusy(true);
    try {
      await api.post(`/disclosure/entries/${id}/${action}`, comment.trim() ? { comment: comment.trim() } : {}, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: 'success', content: t('disclosure.done') });
      nav('/disclosure/sign', { replace: true });
    } catch (e) {
      Toast.show({ content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <PhonePage title={t('disclosure.sign')}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !d ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card title={`${d.villageName} · ${d.kindLabel} ${d.amount} 元`} extra={<Tag color="primary">{d.stateLabel}</Tag>} style={{ margin: 12 }}>
            <p>{d.category}：{d.purpose}</p>
            <p className="m-muted">{d.entryDate} · {d.counterparty} · {d.payMethodLabel} · {d.voucherNo}</p>
          </Card>
          <Steps direction="vertical" current={d.currentStep} style={{ margin: '0 12px' }}>
            {d.steps.map((s) => <Steps.Step key={s.index} title={s.label} status={s.status} description={s.by ? `${s.by}${s.comment ? `：${s.comment}` : ''}` : undefined} />)}
          </Steps>
          {d.canSign && (
            <div className="m-section">
              <TextArea aria-label={t('disclosure.comment')} placeholder={t('disclosure.comment')} value={comment} onChange={setComment} maxLength={500} rows={3} />
              <div style={{ display: 'flex', gap: 12, marginTop: 12 }}>
                <Button block color="primary" loading={busy} onClick={() => act('sign')} data-testid="disclosure-sign">{t('disclosure.sign')}</Button>
                <Button block color="danger" fill="outline" loading={busy} onClick={() => act('return')}>{t('disclosure.return')}</Button>
              </div>
            </div>
          )}
        </>
      )}
    </PhonePage>
  );
}
