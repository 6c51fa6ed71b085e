/**
 * One dispute on the phone: the eight steps, the facts, and — for the assigned mediator — the
 * step actions the server allows, each a small form (调查核实、告知、调解记录、协议或不成、回访、归档).
 */
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { Button, Card, Checkbox, Input, Selector, Skeleton, Steps, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { day, NEEDS, PERFORMED, REFERRALS, when, type DisputeDetail, type StepResult } from '../types';

type Values = Record<string, unknown>;

export default function DisputeView({ mode }: { mode: 'mine' | 'case' }) {
  const { t } = useTranslation();
  const { id } = useParams();
  const d = useRemote(() => api.get<DisputeDetail>(mode === 'mine' ? `/me/disputes/${id}` : `/disputes/${id}`), [id, mode]);
  const [action, setAction] = useState<{ action: string; label: string } | null>(null);
  const [v, setV] = useState<Values>({});
  const [busy, setBusy] = useState(false);
  const set = (k: string) => (x: unknown) => setV((o) => ({ ...o, [k]: x }));

  const start = (a: { action: string; label: string }) => {
    const x = d.data!;
    setV(a.action === 'agree' ? { signedPartyIds: x.parties.filter((p) => p.side !== 'third').map((p) => p.id) } : a.action === 'mediate' ? { place: x.sessionPlace ?? '' } : {});
    setAction(a);
  };

  const submit = async () => {
    if (!action) return;
    const body: Values = { ...v };
    if (typeof body.sessionAt === 'string' && body.sessionAt) body.sessionAt = new Date(body.sessionAt).toISOString();
    if (typeof body.terms === 'string') body.terms = body.terms.split('\n').map((s) => s.trim()).filter(Boolean);
    for (const k of Object.keys(body)) if (body[k] === '' || body[k] === undefined) delete body[k];
    setBusy(true);
    try {
      const r = await api.post<StepResult>(`/disputes/${id}/${action.action}`, body, { idempotencyKey: idempotencyKey() });
      Toast.show({ icon: 'success', content: t('mediation.done') });
      setAction(null);
      if (r.dispute) d.setData(r.dispute);
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };

  const x = d.data;
  const needs = action ? NEEDS[action.action] ?? [] : [];
  const text = (k: string, label: string, rows = 3, max = 2000) => needs.includes(k) && (
    <div style={{ marginBottom: 12 }} key={k}>
      <label className="m-muted" htmlFor={`f-${k}`}>{label}</label>
      <TextArea id={`f-${k}`} rows={rows} maxLength={max} value={(v[k] as string) ?? ''} onChange={set(k)} data-testid={`step-${k}`} />
    </div>
  );
  const line = (k: string, label: string, type = 'text', max = 100) => needs.includes(k) && (
    <div style={{ marginBottom: 12 }} key={k}>
      <label className="m-muted" htmlFor={`f-${k}`}>{label}</label>
      <Input id={`f-${k}`} type={type} maxLength={max} value={(v[k] as string) ?? ''} onChange={set(k)} data-testid={`step-${k}`} />
    </div>
  );
  return (
    <PhonePage title={x?.code ?? t('mediation.detail')}>
      {d.error ? <PhoneError error={d.error} onRetry={d.reload} /> : !x ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card className="m-section" title={`${x.typeLabel} · ${x.stateLabel}`}>
            <div data-testid="dispute-state" className="m-muted">{x.levelLabel} · {x.villageName} · {x.mediatorName ? `${t('mediation.col.mediator')} ${x.mediatorName}` : t('mediation.phone.noMediator')}</div>
            <p>{x.summary}</p>
            <p><b>{t('mediation.claim')}：</b>{x.claim}</p>
            <p className="m-muted">{x.parties.map((p) => `${p.sideLabel} ${p.name}${p.phoneMasked ? ' ' + p.phoneMasked : ''}`).join('；')}</p>
            {x.sessionPlace && <p><b>{t('mediation.session')}：</b>{when(x.sessionAt)} {x.sessionPlace}</p>}
            {x.agreementText && (
              <div data-testid="phone-agreement"><b>{t('mediation.agreementTitle')}：</b>{x.agreementText}<ol>{x.agreementTerms.map((s, i) => <li key={i}>{s}</li>)}</ol></div>
            )}
            {x.referralLabel && <p><b>{t('mediation.referral')}：</b>{x.referralLabel}，{x.failReason}</p>}
          </Card>
          {x.actions.length > 0 && !action && (
            <Card className="m-section" title={t('mediation.phone.next')}>
              {x.actions.map((a) => (
                <Button key={a.action} block color={a.action === 'fail' || a.action === 'reject' ? 'danger' : 'primary'} fill={a.action === 'fail' || a.action === 'mediate' && x.state === 'mediating' ? 'outline' : 'solid'} style={{ marginBottom: 8 }} onClick={() => start(a)} data-action={a.action}>{a.label}</Button>
              ))}
            </Card>
          )}
          {action && (
            <Card className="m-section" title={action.label} data-testid="step-form">
              {text('findings', t('mediation.findings'), 4, 4000)}
              {needs.includes('rightsTold') && (
                <div style={{ marginBottom: 12 }}><Checkbox checked={!!v.rightsTold} onChange={set('rightsTold')} data-testid="step-rightsTold">{t('mediation.rightsTold')}</Checkbox></div>
              )}
              {line('sessionAt', t('mediation.sessionAt'), 'datetime-local')}
              {line('sessionPlace', t('mediation.sessionPlace'))}
              {line('place', t('mediation.sessionPlace'))}
              {line('attendees', t('mediation.attendees'), 'text', 500)}
              {text('record', t('mediation.record'), 4, 4000)}
              {text('agreementText', t('mediation.agreementText'), 4, 8000)}
              {text('terms', t('mediation.phone.terms'), 3, 4000)}
              {needs.includes('signedPartyIds') && (
                <div style={{ marginBottom: 12 }}>
                  <div className="m-muted">{t('mediation.signedBy')}</div>
                  <Checkbox.Group value={(v.signedPartyIds as number[]) ?? []} onChange={(x2) => set('signedPartyIds')(x2)}>
                    {x.parties.map((p) => <div key={p.id}><Checkbox value={p.id}>{p.sideLabel} {p.name}</Checkbox></div>)}
                  </Checkbox.Group>
                </div>
              )}
              {needs.includes('referral') && (
                <div style={{ marginBottom: 12 }}><div className="m-muted">{t('mediation.referral')}</div>
                  <Selector columns={2} options={REFERRALS.map((k) => ({ label: t(`mediation.referrals.${k}`), value: k }))} value={v.referral ? [v.referral as string] : []} onChange={(s) => set('referral')(s[0])} />
                </div>
              )}
              {action.action === 'fail' && text('reason', t('mediation.failReason'), 2, 1000)}
              {needs.includes('performed') && (
                <div style={{ marginBottom: 12 }}><div className="m-muted">{t('mediation.performed')}</div>
                  <Selector columns={3} data-testid="step-performed" options={PERFORMED.map((k) => ({ label: t(`mediation.performedOptions.${k}`), value: k }))} value={v.performed ? [v.performed as string] : []} onChange={(s) => set('performed')(s[0])} />
                </div>
              )}
              {text('note', t('mediation.note'), 2)}
              {line('dossierNo', t('mediation.dossierNo'), 'text', 40)}
              <Button block color="primary" loading={busy} onClick={submit} data-testid="step-submit" style={{ marginTop: 8 }}>{t('mediation.phone.submit')}</Button>
              <Button block fill="none" onClick={() => setAction(null)} style={{ marginTop: 4 }}>{t('mediation.cancel')}</Button>
            </Card>
          )}
          <Card className="m-section" title={t('mediation.phone.steps')}>
            <Steps direction="vertical" current={Math.max(0, x.steps.findIndex((s) => s.status === 'process' || s.status === 'error'))} data-testid="phone-steps">
              {x.steps.map((s) => (
                <Steps.Step key={s.key} title={s.label} status={s.status === 'skipped' ? 'wait' : s.status}
                  description={s.status === 'skipped' ? t('mediation.skipped') : s.at ? day(s.at) : undefined} />
              ))}
            </Steps>
          </Card>
          <Card className="m-section" title={t('mediation.history')}>
            {x.history.map((h) => (
              <div key={h.id} style={{ marginBottom: 12 }} data-history={h.action}>
                <b>{h.actionLabel}</b> · {h.actorName} · <span className="m-muted">{when(h.at)}</span>
                {h.comment && <div>{h.comment}</div>}
              </div>
            ))}
          </Card>
        </>
      )}
    </PhonePage>
  );
}
