/**
 * 户籍: households in the caller's scope. Search by householder name / household code, exact ID
 * number or phone (the server looks these up by keyed hash); filter by region, grid and tag.
 * /households/:id opens the detail drawer over the list — a missing or out-of-scope id shows
 * "记录不存在或无权查看" there, exactly as the server answers 404 for both.
 * Filters live in the URL so a link (or the back button) brings the same list back.
 */
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { GridSelect } from '../../console/components/GridSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { useSession } from '../../shared/session';
import type { HouseholdRow } from '../../shared/types';
import { HouseholdDrawer } from './HouseholdDrawer';
import { HouseholdCreateModal } from './HouseholdForms';

type SearchBy = 'q' | 'idNumber' | 'phone';

export function statusColor(s: string): string {
  return s === 'active' ? 'green' : s === 'moved' ? 'orange' : 'default';
}

export default function HouseholdsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const regionId = params.get('regionId') ? Number(params.get('regionId')) : undefined;
  const gridId = params.get('gridId') ? Number(params.get('gridId')) : undefined;
  const tag = params.get('tag') ?? undefined;
  const searchBy: SearchBy = params.get('idNumber') ? 'idNumber' : params.get('phone') ? 'phone' : 'q';
  const term = params.get(searchBy) ?? '';
  const [draftBy, setDraftBy] = useState<SearchBy>(searchBy);
  const [draft, setDraft] = useState(term);
  const [draftTag, setDraftTag] = useState(tag ?? '');

  const query = useMemo(() => ({ regionId, gridId, tag, [searchBy]: term || undefined }), [regionId, gridId, tag, searchBy, term]);
  const list = usePaged<HouseholdRow>('/households', query);

  const setFilter = (patch: Record<string, string | number | undefined | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === null || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next, { replace: true });
  };

  const search = () => setFilter({ q: undefined, idNumber: undefined, phone: undefined, [draftBy]: draft.trim() || undefined, tag: draftTag.trim() || undefined });
  const reset = () => {
    setDraft('');
    setDraftTag('');
    setParams(new URLSearchParams(), { replace: true });
  };
  const open = (hid: number) => navigate({ pathname: `/households/${hid}`, search: params.toString() });

  const columns: ColumnsType<HouseholdRow> = [
    { title: t('registry.household.code'), dataIndex: 'code', width: 150, render: (v: string, r) => <Link to={{ pathname: `/households/${r.id}`, search: params.toString() }}>{v}</Link> },
    { title: t('registry.household.householder'), dataIndex: 'householderName', width: 100 },
    { title: t('registry.household.place'), key: 'place', width: 160, render: (_, r) => `${r.villageName} / ${r.groupName}` },
    { title: t('registry.household.address'), dataIndex: 'address', ellipsis: true },
    { title: t('registry.household.phone'), dataIndex: 'phoneMasked', width: 130, render: (v: string | null) => <span className="xz-mono">{v ?? '—'}</span> },
    { title: t('registry.household.members'), dataIndex: 'memberCount', width: 70, align: 'right' },
    { title: t('registry.household.grid'), dataIndex: 'gridName', width: 120, render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('registry.household.noGrid')}</Typography.Text> },
    { title: t('registry.household.linkedMember'), dataIndex: 'linkedMemberName', width: 100, render: (v: string | null) => v ?? <Typography.Text type="danger">{t('registry.household.uncovered')}</Typography.Text> },
    { title: t('registry.household.tags'), dataIndex: 'tags', width: 150, render: (tags: string[]) => tags.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: t('common.status'), dataIndex: 'status', width: 80, render: (s: string) => <Tag color={statusColor(s)}>{t(`registry.household.status.${s}`)}</Tag> },
    { title: t('common.actions'), key: 'op', width: 80, fixed: 'right', render: (_, r) => <Button size="small" type="link" onClick={() => open(r.id)}>{t('common.detail')}</Button> },
  ];

  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('registry.household.title')}</Typography.Title>
        {can('registry.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('registry.household.create')}</Button>}
      </Space>
      <Card size="small">
        <form className="xz-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); search(); }}>
          <RegionSelect value={regionId} onChange={(v) => setFilter({ regionId: v, gridId: undefined })} aria-label={t('common.region')} />
          <GridSelect regionId={regionId} value={gridId} onChange={(v) => setFilter({ gridId: v })} />
          <Space.Compact>
            <Select<SearchBy> value={draftBy} onChange={setDraftBy} style={{ width: 120 }} aria-label={t('registry.household.searchBy')}
              options={[
                { value: 'q', label: t('registry.household.byName') },
                { value: 'idNumber', label: t('registry.household.byIdNumber') },
                { value: 'phone', label: t('registry.household.byPhone') },
              ]} />
            <Input value={draft} onChange={(e) => setDraft(e.target.value)} allowClear style={{ width: 220 }}
              aria-label={t('registry.household.searchTerm')}
              placeholder={draftBy === 'q' ? t('registry.household.qPlaceholder') : draftBy === 'idNumber' ? t('registry.household.idPlaceholder') : t('registry.household.phonePlaceholder')} />
          </Space.Compact>
          <Input value={draftTag} onChange={(e) => setDraftTag(e.target.value)} allowClear style={{ width: 140 }} placeholder={t('registry.household.tagPlaceholder')} aria-label={t('registry.household.tags')} />
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
          <Button onClick={reset}>{t('common.reset')}</Button>
        </form>
        {list.error ? <ErrorResult error={list.error} onRetry={list.reload} inline /> : null}
        <Table<HouseholdRow>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.items}
          loading={list.loading}
          pagination={false}
          scroll={{ x: 1300 }}
          locale={{ emptyText: t('registry.household.empty') }}
          onRow={(r) => ({ onDoubleClick: () => open(r.id) })}
        />
        <PagerBar list={list} />
      </Card>
      <HouseholdDrawer id={id ? Number(id) : null} onClose={() => navigate({ pathname: '/households', search: params.toString() })} onChanged={list.reload} />
      <HouseholdCreateModal open={creating} defaultRegionId={regionId} onClose={() => setCreating(false)}
        onCreated={(hid) => { setCreating(false); list.reload(); open(hid); }} />
    </div>
  );
}
