/** 调解统计: accepted, concluded, agreements, success rate, overdue — by type (chart) and by village. */
import { useMemo, useState } from 'react';
import { Alert, Card, DatePicker, Descriptions, Space, Statistic, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { Chart } from '../../console/components/Chart';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { pct, type Stats } from './types';

type Row = Stats['byVillage'][number];

export default function StatsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(89, 'day'), dayjs()]);
  const [regionId, setRegionId] = useState<number | undefined>();
  const q = { regionId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const r = useRemote(() => api.get<Stats>('/mediation/stats', q), [JSON.stringify(q)]);
  const d = r.data;
  const option = useMemo(() => (d ? {
    tooltip: { trigger: 'axis' }, legend: { data: [t('mediation.fig.accepted'), t('mediation.fig.agreements'), t('mediation.fig.failed')] },
    xAxis: { type: 'category', data: d.byType.map((x) => x.typeLabel) }, yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('mediation.fig.accepted'), type: 'bar', data: d.byType.map((x) => x.accepted) },
      { name: t('mediation.fig.agreements'), type: 'bar', data: d.byType.map((x) => x.agreements) },
      { name: t('mediation.fig.failed'), type: 'bar', data: d.byType.map((x) => x.failed) },
    ],
  } : {}), [d, t]);

  const cols: ColumnsType<Row> = [
    { title: t('mediation.fig.village'), dataIndex: 'villageName', render: (v: string, x) => `${x.townshipName} ${v}` },
    { title: t('mediation.fig.accepted'), dataIndex: 'accepted' },
    { title: t('mediation.fig.concluded'), dataIndex: 'concluded' },
    { title: t('mediation.fig.agreements'), dataIndex: 'agreements' },
    { title: t('mediation.fig.successRate'), dataIndex: 'successRate', render: pct },
    { title: t('mediation.fig.overdue'), dataIndex: 'overdue' },
    { title: t('mediation.fig.open'), dataIndex: 'open' },
  ];
  return (
    <Card
      title={t('mediation.menu.stats')}
      extra={(
        <Space>
          <RegionSelect value={regionId} onChange={(id) => setRegionId(id)} maxLevel="village" style={{ width: 200 }} aria-label={t('mediation.fig.unit')} placeholder={t('mediation.fig.unit')} />
          <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} aria-label={t('mediation.fig.period')} />
        </Space>
      )}
    >
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : !d ? null : (
        <>
          <Space size={40} wrap style={{ marginBottom: 16 }} data-testid="mediation-totals">
            <Statistic title={`${d.unit.name} · ${t('mediation.fig.accepted')}`} value={d.total.accepted} />
            <Statistic title={t('mediation.fig.concluded')} value={d.total.concluded} />
            <Statistic title={t('mediation.fig.agreements')} value={d.total.agreements} />
            <Statistic title={t('mediation.fig.successRate')} value={pct(d.total.successRate)} />
            <Statistic title={t('mediation.fig.overdue')} value={d.total.overdue} />
            <Statistic title={t('mediation.fig.open')} value={d.total.open} />
          </Space>
          <Chart label={t('mediation.fig.byType')} height={280} option={option} />
          <Table style={{ marginTop: 16 }} title={() => t('mediation.fig.byVillage')} rowKey="villageId" size="middle" loading={r.loading} pagination={false} columns={cols} dataSource={d.byVillage} />
          <Alert
            style={{ marginTop: 16 }} type="info" title={t('mediation.fig.definitions')}
            description={<Descriptions size="small" column={1}>{d.definitions.map((x) => <Descriptions.Item key={x.key} label={x.name}>{x.formula}</Descriptions.Item>)}</Descriptions>}
          />
        </>
      )}
    </Card>
  );
}
