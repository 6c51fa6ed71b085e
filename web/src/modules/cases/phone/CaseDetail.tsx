/** A case on the phone: its progress, and for the reporter the rating (回访) and "really fixed?" answer. */
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Card, Image, Rate, Skeleton, Steps, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import type { CaseDetail as Detail, StepResult } from '../types';

export default function CaseDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const c = useRemote(() => api.get<Detail>(`/cases/${id}`), [id]);
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const can = (a: string) => !!c.data?.actions.some((x) => x.action === a);

  const step = async (action: string, body: Record<string, unknown>) => {
    setBusy(true);
    try {
      const r = await api.post<StepResult>(`/cases/${id}/${action}`, body, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: 'success', content: t('cases.phone.rated') });
      if (r.case) c.setData(r.case);
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };

  const d = c.data;
  return (
    <PhonePage title={d?.code ?? t('cases.detail')}>
      {c.error ? <PhoneError error={c.error} onRetry={c.reload} /> : !d ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card className="m-section" title={d.title}>
            <div data-testid="case-state">{d.stateLabel}</div>
            <div className="m-muted">{d.categoryName} · {d.regionName}</div>
            <p>{d.description}</p>
            {d.result && <p><b>{t(d.state === 'resolved' || d.state === 'closed' ? 'cases.result' : 'cases.previousResult')}：</b>{d.result}</p>}
            {d.photos.map((p) => <Image key={p.id} src={p.url} width={96} height={96} fit="cover" style={{ display: 'inline-block', marginRight: 6 }} />)}
          </Card>
          {can('rate') && (
            <Card className="m-section" title={t('cases.phone.rate')}>
              <Rate value={rating} onChange={setRating} />
              <TextArea value={comment} onChange={setComment} rows={2} placeholder={t('cases.comment')} />
              <Button block color="primary" disabled={!rating} loading={busy} onClick={() => step('rate', { rating, comment })} data-testid="case-rate">{t('cases.phone.submit')}</Button>
            </Card>
          )}
          {can('confirm') && d.confirmedFixed == null && (
            <Card className="m-section">
              <Button block color="success" loading={busy} onClick={() => step('confirm', { fixed: true })}>{t('cases.phone.isFixed')}</Button>
              <Button block color="danger" fill="outline" style={{ marginTop: 8 }} loading={busy} onClick={() => step('confirm', { fixed: false, comment: t('cases.phone.notFixed') })}>{t('cases.phone.notFixed')}</Button>
            </Card>
          )}
          <Card className="m-section" title={t('cases.history')}>
            <Steps direction="vertical" current={d.history.length - 1}>
              {d.history.map((h) => <Steps.Step key={h.id} title={`${h.actionLabel} · ${h.actorName}`} description={`${new Date(h.at).toLocaleString('zh-CN', { hour12: false })}${h.comment ? ' ' + h.comment : ''}`} />)}
            </Steps>
          </Card>
        </>
      )}
    </PhonePage>
  );
}
