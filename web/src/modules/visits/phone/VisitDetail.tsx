/** 走访详情 (phone): what was seen and said; each opinion shows the case it became, or a button to make one. */
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button, Card, Input, List, Popup, Selector, Skeleton, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { api, type ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { CASE_TONE, TAG_DARK, type Opinion, type VisitDetail as Detail } from '../types';

interface Category { id: number; parentId: number | null; name: string }

export default function VisitDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const vid = Number(id);
  const v = useRemote(() => api.get<Detail>(`/visits/${Number.isInteger(vid) && vid > 0 ? vid : 0}`), [vid]);
  const [converting, setConverting] = useState<Opinion | null>(null);

  return (
    <PhonePage title={t('visits.detail')}>
      {v.error ? <PhoneError error={v.error} onRetry={v.reload} /> : !v.data ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card className="m-section" title={<Link to={`/households/${v.data.householdId}`}>{v.data.householderName}户</Link>}>
            <div>{v.data.visitedOn} · {t('visits.field.met')}：{v.data.met}</div>
            <div className="m-muted">{t('visits.field.visitor')}：{v.data.visitorName} · {v.data.villageName}</div>
            {v.data.notes && <p style={{ margin: '8px 0 0', whiteSpace: 'pre-wrap' }}>{v.data.notes}</p>}
            {v.data.followUpOn && <div style={{ marginTop: 6 }}><Tag color={TAG_DARK.followUp} fill="outline">{t('visits.followUpBy', { day: v.data.followUpOn })}</Tag></div>}
          </Card>
          <List header={t('visits.field.opinions')} mode="card" data-testid="visit-opinions">
            {v.data.opinions.length === 0 ? <List.Item>{t('visits.noOpinions')}</List.Item> : v.data.opinions.map((o) => (
              <List.Item key={o.id}
                prefix={<Tag color={TAG_DARK[o.kind]} fill="outline">{t(`visits.kind.${o.kind}`)}</Tag>}
                description={o.case ? (
                  <span data-testid="visit-opinion-case">
                    <Link to={`/cases/${o.case.id}`}>{o.case.code}</Link>{' '}
                    {o.case.state ? <Tag color={CASE_TONE[o.case.state] ?? '#595959'}>{o.case.stateLabel}</Tag> : <span className="m-muted">{t('visits.stateHidden')}</span>}
                  </span>
                ) : undefined}
                extra={!o.case && v.data!.can.convert ? <Button size="small" color="primary" fill="outline" onClick={() => setConverting(o)} data-testid="visit-to-case">{t('visits.toCase')}</Button> : undefined}
              >
                <span style={{ whiteSpace: 'pre-wrap' }}>{o.content}</span>
              </List.Item>
            ))}
          </List>
          <ToCasePopup visitId={v.data.id} opinion={converting} onClose={() => setConverting(null)} onDone={() => { setConverting(null); v.reload(); }} />
        </>
      )}
    </PhonePage>
  );
}

/** Category (two rows of chips, as on 我要反映) and an optional title, then one tap makes the case. */
function ToCasePopup({ visitId, opinion, onClose, onDone }: { visitId: number; opinion: Opinion | null; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const cats = useRemote(opinion ? () => api.get<{ items: Category[] }>('/cases/categories') : null, [!!opinion]);
  const items = useMemo(() => cats.data?.items ?? [], [cats.data]);
  const [parentId, setParentId] = useState<number | null>(null);
  const [categoryId, setCategoryId] = useState<number | null>(null);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (!opinion || !categoryId) { Toast.show({ content: t('visits.pickCategory') }); return; }
    setBusy(true);
    try {
      const r = await api.post<{ opinion: Opinion; replayed: boolean }>(`/visits/${visitId}/opinions/${opinion.id}/case`, { categoryId, ...(title.trim() ? { title: title.trim() } : {}) });
      Toast.show({ icon: 'success', content: t(r.replayed ? 'visits.alreadyConverted' : 'visits.converted', { code: r.opinion.case?.code }) });
      setParentId(null); setCategoryId(null); setTitle('');
      onDone();
    } catch (e) {
      Toast.show({ icon: 'fail', content: (e as ApiError).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popup visible={!!opinion} onMaskClick={onClose} bodyStyle={{ maxHeight: '80vh', overflowY: 'auto', padding: 16 }} destroyOnClose>
      <h2 style={{ fontSize: 17, margin: '0 0 8px' }}>{t('visits.toCaseTitle')}</h2>
      <p style={{ margin: '0 0 8px', whiteSpace: 'pre-wrap' }}>{opinion?.content}</p>
      <p className="m-muted" style={{ marginTop: 0 }}>{t('visits.toCaseHint')}</p>
      {cats.error ? <PhoneError error={cats.error} onRetry={cats.reload} /> : !cats.data ? <Skeleton.Paragraph lineCount={3} animated /> : (
        <>
          <div className="m-section-title" style={{ margin: '8px 0' }}>{t('visits.categoryGroup')}</div>
          <Selector columns={3} data-testid="visit-case-group" options={items.filter((c) => c.parentId == null).map((c) => ({ label: c.name, value: c.id }))}
            value={parentId ? [parentId] : []} onChange={(x) => { setParentId(x[0] ?? null); setCategoryId(null); }} />
          {parentId != null && (
            <>
              <div className="m-section-title" style={{ margin: '8px 0' }}>{t('visits.category')}</div>
              <Selector columns={2} data-testid="visit-case-category" options={items.filter((c) => c.parentId === parentId).map((c) => ({ label: c.name, value: c.id }))}
                value={categoryId ? [categoryId] : []} onChange={(x) => setCategoryId(x[0] ?? null)} />
            </>
          )}
          <Input placeholder={t('visits.caseTitle')} value={title} onChange={setTitle} maxLength={60} aria-label={t('visits.caseTitle')} style={{ marginTop: 12 }} />
          <div className="m-actions" style={{ padding: '12px 0 0' }}>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button color="primary" loading={busy} onClick={submit} data-testid="visit-case-submit">{t('visits.toCase')}</Button>
          </div>
        </>
      )}
    </Popup>
  );
}
