/** 办理指标: the five rates for a unit and each unit below it, with drill-down, a chart and export. */
import { useState } from 'react';
import { Alert, Breadcrumb, Button, Card, DatePicker, Descriptions, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, downloadUrl } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { Chart } from '../../console/components/Chart';
import { ErrorResult } from '../../console/components/ErrorResult';
import { pct, type RatesReport, type UnitRates } from './types';

/** The rates compared across units in the chart: the field and its column label. */
const COMPARED: [keyof UnitRates['rates'], string][] = [
  ['responseRate', 'cases.rates.response'],
  ['onTimeRate', 'cases.rates.onTime'],
  ['overdueRate', 'cases.rates.overdue'],
  ['satisfactionRate', 'cases.rates.satisfaction'],
];

export default function RatesPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(29, 'day'), dayjs()]);
  const [trail, setTrail] = useState<{ id?: number; name: string }[]>([{ name: '' }]);
  const here = trail[trail.length - 1]!;
  const q = { regionId: here.id, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const r = useRemote(() => api.get<RatesReport>('/cases/rates', q), [JSON.stringify(q)]);
  // Going down, the crumb we leave keeps the name we saw (the root's is only known from its report).
  const drill = (u: UnitRates) => setTrail([...trail.slice(0, -1), { ...here, name: here.name || r.data?.unit.name || '' }, { id: u.id, name: u.name }]);

  const cols: ColumnsType<UnitRates> = [
    { title: t('cases.rates.unit'), dataIndex: 'name', render: (v: string, u) => (u.kind === 'region' && u.level !== 'group' ? <a onClick={() => drill(u)}>{v}</a> : v) },
    { title: t('cases.rates.total'), render: (_, u) => u.rates.total, width: 80 },
    { title: t('cases.rates.response'), render: (_, u) => pct(u.rates.responseRate) },
    { title: t('cases.rates.completion'), render: (_, u) => pct(u.rates.completionRate) },
    { title: t('cases.rates.onTime'), render: (_, u) => pct(u.rates.onTimeRate) },
    { title: t('cases.rates.overdue'), render: (_, u) => pct(u.rates.overdueRate) },
    { title: t('cases.rates.satisfaction'), render: (_, u) => pct(u.rates.satisfactionRate) },
    { title: t('cases.rates.meanHours'), render: (_, u) => u.rates.meanHoursToClose ?? '—' },
  ];
  const d = r.data;
  return (
    <Card
      title={t('cases.rates.title')}
      extra={(
        <Space>
          <span>{t('cases.rates.period')}</span>
          <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          <Button icon={<DownloadOutlined />} href={downloadUrl('/cases/rates.xlsx', q)}>{t('cases.export')}</Button>
        </Space>
      )}
    >
      <Breadcrumb style={{ marginBottom: 12 }} items={trail.map((x, i) => ({ title: i < trail.length - 1 ? <a onClick={() => setTrail(trail.slice(0, i + 1))}>{x.name || d?.unit.name || '…'}</a> : (x.name || d?.unit.name || '…') }))} />
      {r.error ? <ErrorResult error={r.error} onRetry={r.reload} /> : (
        <>
          {d && d.children.length > 0 && (
            // The units side by side: the figures people compare, as bars (same order as the table).
            <Chart
              label={t('cases.rates.compare')}
              height={320}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0, data: COMPARED.map(([, key]) => t(key)) },
                grid: { top: 40, left: 48, right: 16, bottom: 72 },
                xAxis: { type: 'category', data: d.children.map((u) => u.name), axisLabel: { rotate: d.children.length > 8 ? 35 : 0, interval: 0 } },
                yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                series: COMPARED.map(([field, key]) => ({
                  name: t(key), type: 'bar', data: d.children.map((u) => (u.rates[field] == null ? null : Math.round((u.rates[field] as number) * 1000) / 10)),
                })),
              }}
            />
          )}
          <Table rowKey={(u) => `${u.kind}-${u.id}`} size="middle" loading={r.loading} pagination={false} columns={cols} dataSource={d ? [{ ...d.unit, name: `${d.unit.name}（合计）`, kind: 'total' }, ...d.children] : []} />
          {d && d.departments.length > 0 && <Table style={{ marginTop: 16 }} title={() => t('cases.rates.departments')} rowKey="id" size="small" pagination={false} columns={cols} dataSource={d.departments} />}
          {d && (
            <Chart
              label={t('cases.rates.trend')}
              height={260}
              option={{
                tooltip: { trigger: 'axis' }, legend: { data: ['上报', '销号'] },
                xAxis: { type: 'category', data: d.trend.map((x) => x.day.slice(5)) }, yAxis: { type: 'value' },
                series: [{ name: '上报', type: 'bar', data: d.trend.map((x) => x.reported) }, { name: '销号', type: 'bar', data: d.trend.map((x) => x.closed) }],
              }}
            />
          )}
          {d && (
            <Alert
              style={{ marginTop: 16 }}
              type="info"
              message={t('cases.rates.definitions')}
              description={<Descriptions size="small" column={1}>{d.definitions.map((x) => <Descriptions.Item key={x.key} label={x.name}>{x.formula}（{x.note}）</Descriptions.Item>)}</Descriptions>}
            />
          )}
        </>
      )}
    </Card>
  );
}
