/** 我反映的 (phone): the villager's own reports, newest first. */
import { List, Skeleton, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import type { CaseItem } from '../types';

export default function MyCases() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const r = useRemote(() => api.get<Page<CaseItem>>('/cases', { list: 'mine', limit: 50 }), []);
  return (
    <PhonePage title={t('cases.phone.mine')}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !r.data ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : r.data.items.length === 0 ? (
        <p className="m-section m-muted">{t('cases.phone.empty')}</p>
      ) : (
        <List mode="card">
          {r.data.items.map((c) => (
            <List.Item key={c.id} onClick={() => nav(`/cases/${c.id}`)} description={`${c.code} · ${new Date(c.createdAt).toLocaleDateString('zh-CN')}`} extra={<Tag color={c.state === 'closed' ? 'success' : c.state === 'resolved' ? 'warning' : 'primary'}>{c.stateLabel}</Tag>}>
              {c.title}
            </List.Item>
          ))}
        </List>
      )}
    </PhonePage>
  );
}
