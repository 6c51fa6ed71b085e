/** 申请调解 (phone): type, what happened, what I ask for, the other party, and a mediator of my choice. */
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Form, Input, Selector, Skeleton, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { pct, TYPES, type DisputeDetail, type Mediator } from '../types';

export default function ApplyPage() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const pool = useRemote(() => api.get<{ items: Mediator[] }>('/me/mediators'), []);
  const [type, setType] = useState<string | null>(null);
  const [summary, setSummary] = useState('');
  const [claim, setClaim] = useState('');
  const [other, setOther] = useState('');
  const [otherPhone, setOtherPhone] = useState('');
  const [phone, setPhone] = useState('');
  const [mediator, setMediator] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(idempotencyKey());

  const submit = async () => {
    const missing = !type ? 'pickType' : summary.trim().length < 2 ? 'summaryHint' : !claim.trim() ? 'claimHint' : !other.trim() ? 'otherHint' : null;
    if (missing) {
      Toast.show({ content: t(`mediation.phone.${missing}`) });
      return;
    }
    setBusy(true);
    try {
      const r = await api.post<DisputeDetail>('/me/disputes', {
        type, summary: summary.trim(), claim: claim.trim(), otherParty: { name: other.trim(), ...(otherPhone.trim() ? { phone: otherPhone.trim() } : {}) },
        ...(phone.trim() ? { phone: phone.trim() } : {}), preferredMediatorId: mediator,
      }, { idempotencyKey: key.current });
      Toast.show({ icon: 'success', content: t('mediation.phone.submitted', { code: r.code }) });
      key.current = idempotencyKey();
      nav(`/mediation/mine/${r.id}`, { replace: true });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PhonePage title={t('mediation.phone.apply')}>
      <Form layout="vertical" footer={<Button block color="primary" size="large" loading={busy} onClick={submit} data-testid="apply-submit">{t('mediation.phone.submit')}</Button>}>
        <Form.Item label={t('mediation.col.type')}>
          <Selector columns={3} data-testid="apply-type" options={TYPES.map((k) => ({ label: t(`mediation.type.${k}`), value: k }))} value={type ? [type] : []} onChange={(v) => setType(v[0] ?? null)} />
        </Form.Item>
        <Form.Item label={t('mediation.phone.summary')}>
          <TextArea placeholder={t('mediation.phone.summaryHint')} value={summary} onChange={setSummary} rows={4} maxLength={2000} showCount data-testid="apply-summary" aria-label={t('mediation.phone.summary')} />
        </Form.Item>
        <Form.Item label={t('mediation.claim')}>
          <TextArea placeholder={t('mediation.phone.claimHint')} value={claim} onChange={setClaim} rows={2} maxLength={1000} data-testid="apply-claim" aria-label={t('mediation.claim')} />
        </Form.Item>
        <Form.Item label={t('mediation.phone.other')}>
          <Input placeholder={t('mediation.phone.otherHint')} value={other} onChange={setOther} maxLength={40} data-testid="apply-other" aria-label={t('mediation.phone.other')} />
        </Form.Item>
        <Form.Item label={t('mediation.phone.otherPhone')}>
          <Input type="tel" value={otherPhone} onChange={setOtherPhone} maxLength={20} aria-label={t('mediation.phone.otherPhone')} />
        </Form.Item>
        <Form.Item label={t('mediation.phone.myPhone')}>
          <Input type="tel" value={phone} onChange={setPhone} maxLength={20} aria-label={t('mediation.phone.myPhone')} />
        </Form.Item>
        <Form.Item label={t('mediation.phone.pickMediator')} description={t('mediation.phone.pickMediatorHint')}>
          {pool.error ? <PhoneError error={pool.error} onRetry={pool.reload} /> : !pool.data ? <Skeleton.Paragraph lineCount={2} animated /> : (
            <Selector
              columns={1} data-testid="apply-mediator"
              options={pool.data.items.map((m) => ({
                value: m.id, label: m.name,
                description: `${m.regionName}${m.specialtyLabels.length ? ' · ' + m.specialtyLabels.join('、') : ''} · ${t('mediation.pool.successRate')} ${pct(m.successRate)}`,
              }))}
              value={mediator ? [mediator] : []} onChange={(v) => setMediator(v[0] ?? null)}
            />
          )}
        </Form.Item>
      </Form>
    </PhonePage>
  );
}
