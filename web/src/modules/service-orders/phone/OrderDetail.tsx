/** One service order on the phone. Only the steps the server offers the caller are shown:
 *  the member takes / completes (or declines with a reason), the requester rates or cancels. */
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Card, Dialog, Rate, Skeleton, Steps, Tag, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { STATE_TONE, when, type OrderDetail as Detail, type StepResult } from '../types';

export default function OrderDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const o = useRemote(() => api.get<Detail>(`/service-orders/${id}`), [id]);
  const [text, setText] = useState('');
  const [rating, setRating] = useState(0);
  const [busy, setBusy] = useState(false);
  const can = (a: string) => !!o.data?.actions.some((x) => x.action === a);

  const step = async (action: string, body: Record<string, unknown>) => {
    setBusy(true);
    try {
      const r = await api.post<StepResult>(`/service-orders/${id}/${action}`, body, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: 'success', content: t('serviceOrders.done') });
      setText('');
      if (r.order) o.setData(r.order);
      else o.reload();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };
  const confirmCancel = async () => {
    if (await Dialog.confirm({ content: t('serviceOrders.cancelConfirm'), confirmText: t('serviceOrders.cancel'), cancelText: t('common.back') })) await step('cancel', {});
  };

  const d = o.data;
  return (
    <PhonePage title={d?.code ?? t('serviceOrders.detail')}>
      {o.error ? <PhoneError error={o.error} onRetry={o.reload} /> : !d ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card className="m-section" title={d.title} extra={<Tag color={STATE_TONE[d.state] ?? 'default'} data-testid="order-state">{d.stateLabel}</Tag>}>
            <div className="m-muted">{d.kind} · {t('serviceOrders.requester')}：{d.requesterName}</div>
            <div className="m-muted">{t('serviceOrders.member')}：{d.memberName ?? t('serviceOrders.unassigned')}</div>
            {d.description && <p>{d.description}</p>}
            {d.result && <p><b>{t('serviceOrders.result')}：</b>{d.result}</p>}
            {d.rating != null && <Rate readOnly value={d.rating} />}
          </Card>
          {can('take') && (
            <Card className="m-section">
              <Button block color="primary" loading={busy} onClick={() => step('take', {})} data-testid="order-take">{t('serviceOrders.take')}</Button>
              <TextArea value={text} onChange={setText} rows={2} placeholder={t('serviceOrders.declineHint')} aria-label={t('serviceOrders.declineHint')} style={{ marginTop: 8 }} />
              <Button block fill="outline" color="danger" style={{ marginTop: 8 }} disabled={!text.trim()} loading={busy} onClick={() => step('decline', { comment: text.trim() })}>{t('serviceOrders.decline')}</Button>
            </Card>
          )}
          {can('complete') && (
            <Card className="m-section" title={t('serviceOrders.complete')}>
              <TextArea value={text} onChange={setText} rows={3} placeholder={t('serviceOrders.resultHint')} aria-label={t('serviceOrders.result')} data-testid="order-result" />
              <Button block color="primary" disabled={!text.trim()} loading={busy} onClick={() => step('complete', { result: text.trim() })} data-testid="order-complete">{t('serviceOrders.complete')}</Button>
            </Card>
          )}
          {can('rate') && (
            <Card className="m-section" title={t('serviceOrders.rate')}>
              <Rate value={rating} onChange={setRating} />
              <TextArea value={text} onChange={setText} rows={2} placeholder={t('serviceOrders.comment')} aria-label={t('serviceOrders.comment')} />
              <Button block color="primary" disabled={!rating} loading={busy} onClick={() => step('rate', { rating, comment: text.trim() || undefined })} data-testid="order-rate">{t('serviceOrders.phone.submit')}</Button>
            </Card>
          )}
          {can('cancel') && (
            <div className="m-section"><Button block fill="none" color="danger" loading={busy} onClick={confirmCancel}>{t('serviceOrders.cancel')}</Button></div>
          )}
          <Card className="m-section" title={t('serviceOrders.history')}>
            <Steps direction="vertical" current={d.history.length - 1}>
              {d.history.map((h, i) => <Steps.Step key={i} title={`${t(`serviceOrders.actions.${h.action}`, { defaultValue: h.action })} · ${h.actorName}`} description={`${when(h.at)}${h.comment ? ' ' + h.comment : ''}`} />)}
            </Steps>
          </Card>
        </>
      )}
    </PhonePage>
  );
}
