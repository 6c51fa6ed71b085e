/** 登记走访 (phone): date, who was met, notes, the household's needs and opinions, a follow-up day.
 *  A retry never records twice: the form keeps one client id and one Idempotency-Key until saved.
 *  Without a network the visit goes to the phone's outbox (待发送) and is sent later. */
import { useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Form, Input, Selector, Skeleton, Switch, TextArea, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, idempotencyKey, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import type { HouseholdDetail } from '../../../shared/types';
import { PhoneError, PhonePage } from '../../../phone/components';
import { submitOrQueue } from '../../../phone/outbox';
import { beijingToday, type OpinionKind, type VisitDetail } from '../types';

interface Draft { key: number; kind: OpinionKind; content: string }

export default function VisitForm() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const { householdId } = useParams();
  const hid = Number(householdId);
  const h = useRemote(() => api.get<HouseholdDetail>(`/households/${Number.isInteger(hid) && hid > 0 ? hid : 0}`), [hid]);
  const today = beijingToday();
  const [visitedOn, setVisitedOn] = useState(today);
  const [met, setMet] = useState('');
  const [notes, setNotes] = useState('');
  const [opinions, setOpinions] = useState<Draft[]>([]);
  const [followUp, setFollowUp] = useState(false);
  const [followUpOn, setFollowUpOn] = useState('');
  const [busy, setBusy] = useState(false);
  const draft = useRef({ clientId: idempotencyKey(), key: idempotencyKey() });
  const seq = useRef(0);
  const metOptions = t('visits.metOptions', { returnObjects: true }) as string[];

  const setOpinion = (key: number, patch: Partial<Draft>) => setOpinions((xs) => xs.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  const submit = async () => {
    if (!met.trim()) { Toast.show({ content: t('visits.metHint') }); return; }
    setBusy(true);
    try {
      const sent = await submitOrQueue<VisitDetail>(t('outbox.label.visit', { name: h.data?.householderName ?? hid }), '/visits', {
        householdId: hid, visitedOn, met: met.trim(), notes: notes.trim(),
        followUpOn: followUp && followUpOn ? followUpOn : null,
        opinions: opinions.filter((o) => o.content.trim()).map((o) => ({ kind: o.kind, content: o.content.trim() })),
        clientId: draft.current.clientId,
      }, draft.current.key);
      Toast.show({ icon: 'success', content: t(sent.sent ? 'visits.saved' : 'outbox.queued') });
      draft.current = { clientId: idempotencyKey(), key: idempotencyKey() };
      nav(sent.sent ? `/visits/${sent.data.id}` : '/', { replace: true });
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <PhonePage title={t('visits.record')}>
      {h.error ? <PhoneError error={h.error} onRetry={h.reload} /> : !h.data ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card className="m-section" title={`${h.data.householderName}户`}>
            <div className="m-muted">{h.data.villageName} {h.data.groupName} · {h.data.address}</div>
          </Card>
          <Form layout="vertical" footer={<Button block color="primary" size="large" loading={busy} onClick={submit} data-testid="visit-submit">{t('visits.submit')}</Button>}>
            <Form.Item label={t('visits.field.visitedOn')}>
              <Input type="date" value={visitedOn} onChange={setVisitedOn} aria-label={t('visits.field.visitedOn')} data-testid="visit-date" />
            </Form.Item>
            <Form.Item label={t('visits.field.met')}>
              <Selector columns={3} options={metOptions.map((m) => ({ label: m, value: m }))} value={metOptions.includes(met) ? [met] : []} onChange={(v) => setMet(v[0] ?? '')} />
              <Input placeholder={t('visits.metHint')} value={met} onChange={setMet} maxLength={60} aria-label={t('visits.field.met')} style={{ marginTop: 8 }} data-testid="visit-met" />
            </Form.Item>
            <Form.Item label={t('visits.field.notes')}>
              <TextArea placeholder={t('visits.notesHint')} value={notes} onChange={setNotes} rows={3} maxLength={2000} showCount aria-label={t('visits.field.notes')} data-testid="visit-notes" />
            </Form.Item>
            <Form.Item label={t('visits.field.opinions')}>
              {opinions.map((o, i) => (
                <div key={o.key} style={{ borderBottom: '1px solid #f0f0f0', paddingBottom: 8, marginBottom: 8 }} data-testid={`visit-opinion-${i}`}>
                  <Selector columns={2} options={(['need', 'opinion'] as const).map((k) => ({ label: t(`visits.kind.${k}`), value: k }))}
                    value={[o.kind]} onChange={(v) => v[0] && setOpinion(o.key, { kind: v[0] })} />
                  <TextArea placeholder={t('visits.opinionHint')} value={o.content} onChange={(v) => setOpinion(o.key, { content: v })} rows={2} maxLength={1000}
                    aria-label={`${t('visits.field.opinions')} ${i + 1}`} style={{ marginTop: 6 }} />
                  <Button size="mini" fill="none" color="danger" onClick={() => setOpinions((xs) => xs.filter((x) => x.key !== o.key))}>{t('visits.removeOpinion')}</Button>
                </div>
              ))}
              <Button block fill="outline" size="small" disabled={opinions.length >= 20}
                onClick={() => setOpinions((xs) => [...xs, { key: ++seq.current, kind: 'opinion', content: '' }])} data-testid="visit-add-opinion">
                + {t('visits.addOpinion')}
              </Button>
            </Form.Item>
            <Form.Item label={t('visits.needFollowUp')} childElementPosition="right">
              <Switch checked={followUp} onChange={setFollowUp} aria-label={t('visits.needFollowUp')} />
            </Form.Item>
            {followUp && (
              <Form.Item label={t('visits.field.followUpOn')}>
                <Input type="date" value={followUpOn} onChange={setFollowUpOn} aria-label={t('visits.field.followUpOn')} />
              </Form.Item>
            )}
          </Form>
        </>
      )}
    </PhonePage>
  );
}
