/**
 * 入户走访 (console): coverage per village — households nobody visited in the last N days, which a
 * county office follows — and the visit records with their opinions and the cases they became.
 */
import { useMemo, useState } from 'react';
import { Card, Checkbox, DatePicker, Drawer, Progress, Select, Space, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { useSession } from '../../shared/session';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { HouseholdDrawer } from '../registry/HouseholdDrawer';
import type { Coverage, CoverageRow, UnvisitedHousehold, Visit } from './types';
import { VisitTable } from './VisitTable';

const DAY_OPTIONS = [7, 30, 60, 90, 180, 365];

export default function VisitsPage() {
  const { t } = useTranslation();
  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{t('visits.menu.visits')}</Typography.Title>
      <Tabs items={[
        { key: 'coverage', label: t('visits.coverage.tab'), children: <CoverageTab /> },
        { key: 'list', label: t('visits.list.tab'), children: <ListTab /> },
      ]} />
    </div>
  );
}

function CoverageTab() {
  const { t } = useTranslation();
  const [regionId, setRegionId] = useState<number | undefined>();
  const [days, setDays] = useState(30);
  const [open, setOpen] = useState<CoverageRow | null>(null);
  const r = useRemote(() => api.get<Coverage>('/visits/coverage', { regionId, days }), [regionId, days]);
  const total = useMemo(() => (r.data?.rows ?? []).reduce((s, x) => ({
    households: s.households + x.households, visited: s.visited + x.visited, unvisited: s.unvisited + x.unvisited, visits: s.visits + x.visits,
    opinions: s.opinions + x.opinions, converted: s.converted + x.converted, followUpsDue: s.followUpsDue + x.followUpsDue,
  }), { households: 0, visited: 0, unvisited: 0, visits: 0, opinions: 0, converted: 0, followUpsDue: 0 }), [r.data]);
  const rate = (visited: number, households: number) => (households ? Math.round((visited / households) * 1000) / 10 : 0);
  const columns: ColumnsType<CoverageRow> = [
    { title: t('visits.coverage.township'), dataIndex: 'townshipName', width: 110 },
    { title: t('visits.coverage.village'), dataIndex: 'villageName', width: 130 },
    { title: t('visits.coverage.households'), dataIndex: 'households', align: 'right', width: 80, sorter: (a, b) => a.households - b.households },
    { title: t('visits.coverage.visited'), dataIndex: 'visited', align: 'right', width: 90 },
    {
      title: t('visits.coverage.unvisited'), dataIndex: 'unvisited', align: 'right', width: 100, sorter: (a, b) => a.unvisited - b.unvisited,
      render: (n: number, row) => n > 0 ? <a onClick={() => setOpen(row)} data-testid="coverage-unvisited">{n}</a> : n,
    },
    {
      title: t('visits.coverage.rate'), key: 'rate', width: 160, sorter: (a, b) => rate(a.visited, a.households) - rate(b.visited, b.households),
      render: (_: unknown, row) => <Progress percent={rate(row.visited, row.households)} size="small" status={rate(row.visited, row.households) < 60 ? 'exception' : 'normal'} aria-label={`${row.villageName} ${t('visits.coverage.rate')}`} />,
    },
    { title: t('visits.coverage.visits'), dataIndex: 'visits', align: 'right', width: 90 },
    { title: t('visits.coverage.opinions'), dataIndex: 'opinions', align: 'right', width: 110 },
    { title: t('visits.coverage.converted'), dataIndex: 'converted', align: 'right', width: 90 },
    { title: t('visits.coverage.followUpsDue'), dataIndex: 'followUpsDue', align: 'right', width: 110 },
  ];
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <RegionSelect value={regionId} onChange={(id) => setRegionId(id)} maxLevel="village" placeholder={t('visits.coverage.pickRegion')} style={{ width: 280 }} allowClear />
        <Select value={days} onChange={setDays} aria-label={t('visits.coverage.days')} style={{ width: 130 }}
          options={DAY_OPTIONS.map((n) => ({ value: n, label: t('visits.coverage.daysOption', { n }) }))} />
        {r.data && <Typography.Text type="secondary">{t('visits.coverage.since', { since: r.data.since, days: r.data.days })}</Typography.Text>}
      </Space>
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : (
        <Table<CoverageRow> rowKey="villageId" size="small" columns={columns} dataSource={r.data?.rows ?? []} loading={r.loading}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }} scroll={{ x: 1000 }}
          summary={() => (r.data && r.data.rows.length > 1 ? (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={2}>{t('visits.coverage.total')}</Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">{total.households}</Table.Summary.Cell>
              <Table.Summary.Cell index={3} align="right">{total.visited}</Table.Summary.Cell>
              <Table.Summary.Cell index={4} align="right">{total.unvisited}</Table.Summary.Cell>
              <Table.Summary.Cell index={5}>{rate(total.visited, total.households)}%</Table.Summary.Cell>
              <Table.Summary.Cell index={6} align="right">{total.visits}</Table.Summary.Cell>
              <Table.Summary.Cell index={7} align="right">{total.opinions}</Table.Summary.Cell>
              <Table.Summary.Cell index={8} align="right">{total.converted}</Table.Summary.Cell>
              <Table.Summary.Cell index={9} align="right">{total.followUpsDue}</Table.Summary.Cell>
            </Table.Summary.Row>
          ) : null)} />
      )}
      <UnvisitedDrawer row={open} days={days} onClose={() => setOpen(null)} />
    </Card>
  );
}

function UnvisitedDrawer({ row, days, onClose }: { row: CoverageRow | null; days: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [householdId, setHouseholdId] = useState<number | null>(null);
  const list = usePaged<UnvisitedHousehold>(row ? '/visits/unvisited' : null, { regionId: row?.villageId, days }, 30);
  return (
    <Drawer open={!!row} onClose={onClose} size={720} destroyOnHidden title={row ? t('visits.coverage.unvisitedTitle', { village: row.villageName, days }) : ''}>
      {list.error ? <ErrorResult error={list.error} inline onRetry={list.reload} /> : (
        <>
          <Table<UnvisitedHousehold> rowKey="id" size="small" dataSource={list.items} loading={list.loading} pagination={false}
            columns={[
              { title: t('visits.field.household'), dataIndex: 'householderName', render: (v: string, h) => <a onClick={() => setHouseholdId(h.id)}>{v}户</a> },
              { title: t('visits.coverage.group'), dataIndex: 'groupName', width: 110 },
              { title: t('visits.coverage.address'), dataIndex: 'address', ellipsis: true },
              { title: t('visits.coverage.lastVisitedOn'), dataIndex: 'lastVisitedOn', width: 120, render: (d: string | null) => d ?? t('visits.neverVisited') },
            ]} />
          <PagerBar list={list} />
        </>
      )}
      <HouseholdDrawer id={householdId} onClose={() => setHouseholdId(null)} onChanged={() => list.reload()} />
    </Drawer>
  );
}

function ListTab() {
  const { t } = useTranslation();
  const { can } = useSession();
  const [regionId, setRegionId] = useState<number | undefined>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [mine, setMine] = useState(false);
  const [withOpinions, setWithOpinions] = useState(false);
  const [followUpDue, setFollowUpDue] = useState(false);
  const query = {
    regionId, mine: mine || undefined, withOpinions: withOpinions || undefined, followUpDue: followUpDue || undefined,
    from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD'),
  };
  const list = usePaged<Visit>('/visits', query, 30);
  return (
    <Card>
      <Space wrap style={{ marginBottom: 12 }}>
        <RegionSelect value={regionId} onChange={(id) => setRegionId(id)} maxLevel="group" style={{ width: 260 }} allowClear />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} aria-label={t('visits.list.dates')} />
        {can('visits.record') && <Checkbox checked={mine} onChange={(e) => setMine(e.target.checked)}>{t('visits.list.mine')}</Checkbox>}
        <Checkbox checked={withOpinions} onChange={(e) => setWithOpinions(e.target.checked)}>{t('visits.list.withOpinions')}</Checkbox>
        <Checkbox checked={followUpDue} onChange={(e) => setFollowUpDue(e.target.checked)}>{t('visits.list.followUpDue')}</Checkbox>
      </Space>
      {list.error ? <ErrorResult error={list.error} onRetry={list.reload} /> : (
        <>
          <VisitTable items={list.items} loading={list.loading} canConvert={can('visits.record') && can('cases.report')} onChanged={list.reload} />
          <PagerBar list={list} />
        </>
      )}
    </Card>
  );
}
