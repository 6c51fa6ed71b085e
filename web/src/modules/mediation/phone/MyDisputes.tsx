/** 我的调解 (phone): the villager's own applications and where each stands. */
import { List, Skeleton, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import { day, type DisputeItem } from '../types';

export function DisputeList({ path, query, to }: { path: string; query: Record<string, string | number | boolean>; to: (id: number) => string }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const r = useRemote(() => api.get<Page<DisputeItem>>(path, { limit: 50, ...query }), [path, JSON.stringify(query)]);
  if (r.error) return <PhoneError error={r.error} onRetry={r.reload} />;
  if (!r.data) return <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div>;
  if (r.data.items.length === 0) return <p className="m-section m-muted">{t('mediation.phone.empty')}</p>;
  return (
    <List mode="card">
      {r.data.items.map((d) => (
        <List.Item key={d.id} onClick={() => nav(to(d.id))} description={`${d.code} · ${d.applicantNames} ⇄ ${d.respondentNames} · ${day(d.createdAt)}`}
          extra={<Tag color={d.overdue ? 'danger' : d.state === 'archived' || d.state === 'followed_up' || d.state === 'agreed' ? 'success' : d.state === 'rejected' || d.state === 'failed' ? 'default' : 'primary'}>{d.stateLabel}</Tag>}>
          {d.typeLabel}：{d.summary.slice(0, 24)}
        </List.Item>
      ))}
    </List>
  );
}

export default function MyDisputes() {
  const { t } = useTranslation();
  return (
    <PhonePage title={t('mediation.phone.mine')}>
      <DisputeList path="/me/disputes" query={{}} to={(id) => `/mediation/mine/${id}`} />
    </PhonePage>
  );
}
