/** A household's visits on the phone (used by the household page): newest first, each to its detail. */
import { List, Skeleton, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError } from '../../../phone/components';
import { TAG_DARK, type Visit } from '../types';

export function HouseholdVisits({ householdId }: { householdId: number }) {
  const { t } = useTranslation();
  const r = useRemote(() => api.get<Page<Visit>>('/visits', { householdId, limit: 20 }), [householdId]);
  if (r.error) return <PhoneError error={r.error} onRetry={r.reload} />;
  return (
    <List header={t('visits.list.tab')} mode="card" data-testid="household-visits">
      {!r.data ? <List.Item><Skeleton.Paragraph lineCount={2} animated /></List.Item>
        : r.data.items.length === 0 ? <List.Item>{t('visits.none')}</List.Item>
        : r.data.items.map((v) => <VisitItem key={v.id} v={v} showHousehold={false} />)}
    </List>
  );
}

/** One visit as a list row: day, who went, who was met, what came of it. */
export function VisitItem({ v, showHousehold = true }: { v: Visit; showHousehold?: boolean }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const cases = v.opinions.filter((o) => o.case);
  return (
    <List.Item arrowIcon onClick={() => nav(`/visits/${v.id}`)}
      description={
        <div>
          <div>{t('visits.field.met')}：{v.met}{v.notes ? ` · ${v.notes.slice(0, 40)}` : ''}</div>
          {cases.length > 0 && <div>{cases.map((o) => <Tag key={o.id} color={TAG_DARK.case} fill="outline" style={{ marginRight: 4 }}>{o.case!.code}</Tag>)}</div>}
        </div>
      }
      extra={v.opinions.length ? <span className="m-muted">{t('visits.opinionCount', { n: v.opinions.length })}</span> : undefined}
    >
      {v.visitedOn} {showHousehold ? `${v.householderName}户` : ''} <span className="m-muted">{v.visitorName}</span>
      {v.followUpOn && <Tag color={TAG_DARK.followUp} fill="outline" style={{ marginLeft: 6 }}>{t('visits.followUpBy', { day: v.followUpOn })}</Tag>}
    </List.Item>
  );
}
