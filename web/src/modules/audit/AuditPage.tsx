/** 操作日志: the audit trail in scope, filtered by region, entity, action, actor and time. Read-only by design. */
import { useState } from 'react';
import { Button, Card, DatePicker, Input, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';

interface AuditEntry {
  id: number; at: string; actorId: number | null; actorName: string | null; ip: string | null; action: string; entity: string;
  entityId: string | null; before: unknown; after: unknown; note: string | null;
}

interface Filters { regionId?: number; entity?: string; entityId?: string; action?: string; from?: string; to?: string }

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxWidth: 420 }}>{JSON.stringify(value, null, 1)}</pre>;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<Filters>({});
  const [draft, setDraft] = useState<{ entity: string; entityId: string; action: string; range: [Dayjs | null, Dayjs | null] | null }>({ entity: '', entityId: '', action: '', range: null });
  const list = usePaged<AuditEntry>('/audit', { ...filters }, 50);
  const apply = () => setFilters((f) => ({
    regionId: f.regionId,
    entity: draft.entity.trim() || undefined,
    entityId: draft.entityId.trim() || undefined,
    action: draft.action.trim() || undefined,
    from: draft.range?.[0]?.startOf('day').toISOString(),
    to: draft.range?.[1]?.endOf('day').toISOString(),
  }));

  const columns: ColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => new Date(v).toLocaleString() },
    { title: t('audit.actor'), dataIndex: 'actorName', width: 110, render: (v: string | null) => v ?? t('registry.history.system') },
    { title: t('audit.action'), dataIndex: 'action', width: 170, render: (a: string) => <span title={a}>{t(`registry.history.actions.${a.replace(/\./g, '_')}`, { defaultValue: a })}</span> },
    { title: t('audit.entity'), key: 'entity', width: 150, render: (_, r) => `${r.entity}${r.entityId ? ' #' + r.entityId : ''}` },
    { title: t('audit.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
    { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
  ];

  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{t('audit.title')}</Typography.Title>
      <Card size="small">
        <form className="xz-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); apply(); }}>
          <RegionSelect value={filters.regionId} onChange={(v) => setFilters((f) => ({ ...f, regionId: v }))} />
          <Input placeholder={t('audit.entityPlaceholder')} aria-label={t('audit.entity')} value={draft.entity} onChange={(e) => setDraft({ ...draft, entity: e.target.value })} style={{ width: 140 }} allowClear />
          <Input placeholder={t('audit.entityIdPlaceholder')} aria-label={t('audit.entityIdPlaceholder')} value={draft.entityId} onChange={(e) => setDraft({ ...draft, entityId: e.target.value })} style={{ width: 110 }} allowClear />
          <Input placeholder={t('audit.actionPlaceholder')} aria-label={t('audit.action')} value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} style={{ width: 160 }} allowClear />
          <DatePicker.RangePicker value={draft.range} onChange={(v) => setDraft({ ...draft, range: v as [Dayjs | null, Dayjs | null] | null })} aria-label={t('audit.range')} />
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
        </form>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<AuditEntry> rowKey="id" size="small" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: 1000 }}
          expandable={{ expandedRowRender: (r) => (
            <Space align="start" size={32}>
              <div><Typography.Text strong>{t('audit.before')}</Typography.Text><Json value={r.before} /></div>
              <div><Typography.Text strong>{t('audit.after')}</Typography.Text><Json value={r.after} /></div>
            </Space>
          ) }} />
        <PagerBar list={list} />
      </Card>
    </div>
  );
}
