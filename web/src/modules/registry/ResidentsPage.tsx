/** 居民: residents in scope, searchable by name, exact ID number or phone; a row opens its household. */
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import type { ResidentListItem } from '../../shared/types';

type SearchBy = 'q' | 'idNumber' | 'phone';

export default function ResidentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const regionId = params.get('regionId') ? Number(params.get('regionId')) : undefined;
  const searchBy: SearchBy = params.get('idNumber') ? 'idNumber' : params.get('phone') ? 'phone' : 'q';
  const term = params.get(searchBy) ?? '';
  const [draftBy, setDraftBy] = useState<SearchBy>(searchBy);
  const [draft, setDraft] = useState(term);
  const query = useMemo(() => ({ regionId, [searchBy]: term || undefined }), [regionId, searchBy, term]);
  const list = usePaged<ResidentListItem>('/residents', query);

  const apply = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v === undefined || v === '' ? next.delete(k) : next.set(k, String(v)));
    setParams(next, { replace: true });
  };

  const columns: ColumnsType<ResidentListItem> = [
    { title: t('registry.resident.name'), dataIndex: 'name', width: 100 },
    { title: t('registry.resident.gender'), dataIndex: 'gender', width: 60, render: (g: string) => t(`registry.resident.genders.${g}`) },
    { title: t('registry.resident.age'), dataIndex: 'age', width: 60, align: 'right' },
    { title: t('registry.resident.idNumber'), dataIndex: 'idNumberMasked', width: 190, render: (v: string) => <span className="xz-mono">{v}</span> },
    { title: t('registry.resident.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => <span className="xz-mono">{v ?? '—'}</span> },
    { title: t('registry.resident.relation'), dataIndex: 'relation', width: 90 },
    { title: t('registry.resident.political'), dataIndex: 'political', width: 100, render: (p: string) => (p === 'party' ? <Tag color="red">{t(`registry.resident.politicals.${p}`)}</Tag> : t(`registry.resident.politicals.${p}`)) },
    { title: t('common.status'), dataIndex: 'status', width: 70, render: (s: string) => t(`registry.resident.statuses.${s}`) },
    { title: t('registry.resident.household'), key: 'hh', render: (_, r) => <Link to={`/households/${r.householdId}`}>{r.householdCode} · {r.householderName}</Link> },
  ];

  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{t('registry.resident.title')}</Typography.Title>
      <Card size="small">
        <form className="xz-toolbar" role="search"
          onSubmit={(e) => { e.preventDefault(); apply({ q: undefined, idNumber: undefined, phone: undefined, [draftBy]: draft.trim() || undefined }); }}>
          <RegionSelect value={regionId} onChange={(v) => apply({ regionId: v })} />
          <Space.Compact>
            <Select<SearchBy> value={draftBy} onChange={setDraftBy} style={{ width: 110 }} aria-label={t('registry.household.searchBy')}
              options={[{ value: 'q', label: t('registry.resident.name') }, { value: 'idNumber', label: t('registry.household.byIdNumber') }, { value: 'phone', label: t('registry.household.byPhone') }]} />
            <Input value={draft} onChange={(e) => setDraft(e.target.value)} allowClear style={{ width: 220 }} aria-label={t('registry.household.searchTerm')}
              placeholder={draftBy === 'q' ? t('registry.resident.qPlaceholder') : draftBy === 'idNumber' ? t('registry.household.idPlaceholder') : t('registry.household.phonePlaceholder')} />
          </Space.Compact>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
        </form>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<ResidentListItem> rowKey="id" size="middle" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: 1000 }} />
        <PagerBar list={list} />
      </Card>
    </div>
  );
}
