/** Household detail on the phone (grid worker): members masked, call and visit buttons, the visits. */
import { Button, Card, List, Skeleton } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import type { HouseholdDetail as Detail } from '../../../shared/types';
import { PhoneError, PhonePage } from '../../../phone/components';
import { useSession } from '../../../shared/session';
import { HouseholdVisits } from '../../visits/phone/HouseholdVisits';
import { callResident, ResidentItem } from './shared';

export default function HouseholdDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const nav = useNavigate();
  const { can } = useSession();
  const hid = Number(id);
  const h = useRemote(() => api.get<Detail>(`/households/${Number.isInteger(hid) && hid > 0 ? hid : 0}`), [hid]);
  const householder = h.data?.residents.find((r) => r.relation === '户主') ?? h.data?.residents[0];

  return (
    <PhonePage title={h.data ? `${h.data.householderName}户` : t('registry.household.detail')}>
      {h.error ? <PhoneError error={h.error.status === 403 ? new ApiError(404, 'NOT_FOUND', h.error.message) : h.error} onRetry={h.reload} />
        : !h.data ? <div className="m-section"><Skeleton.Title animated /><Skeleton.Paragraph lineCount={5} animated /></div>
        : (
          <>
            <Card className="m-section" title={h.data.code}>
              <div>{h.data.villageName} {h.data.groupName} · {h.data.address}</div>
              <div className="m-muted">{t('registry.household.phone')}：<span className="m-mono">{h.data.phoneMasked ?? '—'}</span></div>
              <div className="m-muted">{t('registry.household.linkedMember')}：{h.data.linkedMember?.name ?? t('registry.household.uncovered')}</div>
              {h.data.tags.length > 0 && <div style={{ marginTop: 6 }}>{h.data.tags.map((x) => <span key={x} className="m-tag">{x}</span>)}</div>}
            </Card>
            <div className="m-actions">
              <Button color="primary" disabled={!householder?.phoneMasked || !h.data.can.reveal}
                onClick={() => householder && void callResident(householder.id, t)}>
                {t('registry.phone.callHouseholder')}
              </Button>
              {can('visits.record') && <Button onClick={() => nav(`/visits/new/${h.data!.id}`)} data-testid="household-visit">{t('visits.record')}</Button>}
            </div>
            {!h.data.can.reveal && householder?.phoneMasked && <p className="m-section m-muted" style={{ marginTop: 0 }}>{t('registry.phone.noReveal')}</p>}
            <List header={`${t('registry.phone.members')}（${h.data.residents.length}）`} mode="card">
              {h.data.residents.map((r) => <ResidentItem key={r.id} r={r} />)}
            </List>
            {can('visits.read') && <HouseholdVisits householdId={h.data.id} />}
          </>
        )}
    </PhonePage>
  );
}
