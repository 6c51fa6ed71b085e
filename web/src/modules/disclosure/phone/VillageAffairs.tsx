/** 村务公开 (phone, villagers): published months of my village (totals and entries) and the notice board. */
import { useState } from 'react';
import { Card, List, Skeleton, Tabs, Tag } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../../api';
import { useRemote } from '../../../shared/useRemote';
import { PhoneError, PhonePage } from '../../../phone/components';
import type { Month, Notice } from '../types';

interface MonthItem { month: string; income: string; expense: string; closing: string; publishedAt: string }

function Months() {
  const { t } = useTranslation();
  const nav = useNavigate();
  const r = useRemote(() => api.get<{ villageName: string; items: MonthItem[] }>('/me/disclosure/months'), []);
  if (r.error) return <PhoneError error={r.error} onRetry={r.reload} />;
  if (!r.data) return <div className="m-section"><Skeleton.Paragraph lineCount={5} animated /></div>;
  if (!r.data.items.length) return <p className="m-section m-muted">{t('disclosure.phone.none')}</p>;
  return (
    <List mode="card" header={r.data.villageName}>
      {r.data.items.map((m) => (
        <List.Item key={m.month} onClick={() => nav(`/disclosure/month/${m.month}`)} description={`${t('disclosure.income')} ${m.income} · ${t('disclosure.expense')} ${m.expense}`} extra={`${t('disclosure.closing')} ${m.closing}`}>
          {m.month} 财务公开
        </List.Item>
      ))}
    </List>
  );
}

function Notices() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<number | null>(null);
  const r = useRemote(() => api.get<Page<Notice>>('/me/disclosure/notices', { limit: 50 }), []);
  if (r.error) return <PhoneError error={r.error} onRetry={r.reload} />;
  if (!r.data) return <div className="m-section"><Skeleton.Paragraph lineCount={5} animated /></div>;
  if (!r.data.items.length) return <p className="m-section m-muted">{t('disclosure.phone.none')}</p>;
  return (
    <List mode="card">
      {r.data.items.map((n) => (
        <List.Item key={n.id} onClick={() => setOpen(open === n.id ? null : n.id)} description={open === n.id ? <div style={{ whiteSpace: 'pre-wrap', color: '#333' }}>{n.body}</div> : n.publishFrom} extra={<Tag color="primary">{n.kindLabel}</Tag>}>
          {n.title}
        </List.Item>
      ))}
    </List>
  );
}

export default function VillageAffairs() {
  const { t } = useTranslation();
  const [tab, setTab] = useState('finance');
  return (
    <PhonePage title={t('disclosure.phone.title')}>
      <Tabs activeKey={tab} onChange={setTab}>
        <Tabs.Tab title={t('disclosure.phone.finance')} key="finance"><Months /></Tabs.Tab>
        <Tabs.Tab title={t('disclosure.phone.notices')} key="notices"><Notices /></Tabs.Tab>
      </Tabs>
    </PhonePage>
  );
}

export function MonthView() {
  const { t } = useTranslation();
  const { month = '' } = useParams();
  const r = useRemote(() => api.get<Month>(`/me/disclosure/months/${month}`), [month]);
  const d = r.data;
  return (
    <PhonePage title={`${month} 财务公开`}>
      {r.error ? <PhoneError error={r.error} onRetry={r.reload} /> : !d ? <div className="m-section"><Skeleton.Paragraph lineCount={6} animated /></div> : (
        <>
          <Card title={d.villageName} style={{ margin: 12 }}>
            <div data-testid="disclosure-phone-totals" style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 8 }}>
              <div>{t('disclosure.opening')}<br /><b>{d.opening}</b></div>
              <div>{t('disclosure.closing')}<br /><b>{d.closing}</b></div>
              <div>{t('disclosure.income')}<br /><b style={{ color: '#237804' }}>{d.income}</b></div>
              <div>{t('disclosure.expense')}<br /><b style={{ color: '#ad4e00' }}>{d.expense}</b></div>
            </div>
            <p className="m-muted" style={{ fontSize: 12 }}>{t('disclosure.publishedBy', { by: d.publishedBy, at: d.publishedAt ? new Date(d.publishedAt).toLocaleDateString('zh-CN') : '' })}</p>
          </Card>
          <List mode="card" header={t('disclosure.byCategory')}>
            {d.byCategory.map((c) => <List.Item key={`${c.kind}-${c.category}`} extra={c.amount}>{c.kindLabel} · {c.category}（{c.count} 笔）</List.Item>)}
          </List>
          <List mode="card" header={t('disclosure.entries')}>
            {d.entries.map((e) => (
              <List.Item key={e.id} description={`${e.entryDate} · ${e.counterparty} · ${e.payMethodLabel} · ${e.voucherNo}`} extra={`${e.kind === 'income' ? '+' : '−'}${e.amount.replace('-', '')}`}>
                {e.category}：{e.purpose}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </PhonePage>
  );
}
