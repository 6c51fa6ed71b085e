/** 排名与星级: ranking of a village/township/county for a month, quarter or year, village averages, stars. */
import { useMemo, useState } from 'react';
import { Card, Col, Input, Row, Segmented, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { Chart } from '../../console/components/Chart';
import { useSession } from '../../shared/session';
import { stars, thisQuarter, thisYear } from './shared';

interface Rank { subjectId: number; name: string; villageId: number; score: number; rank: number }
interface VillageAvg { villageId: number; name: string; subjects: number; total: number; average: number }

export default function StandingsPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const [regionId, setRegionId] = useState<number | undefined>(me?.grants[0]?.regionId);
  const [level, setLevel] = useState<string | undefined>(me?.grants[0]?.regionLevel);
  const [period, setPeriod] = useState(thisYear());
  const valid = /^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/.test(period);
  const ranking = useRemote(regionId && valid ? () => api.get<Rank[]>('/points/rankings', { regionId, period, limit: 100 }) : null, [regionId, period]);
  const villages = useRemote(regionId && valid && level !== 'village' ? () => api.get<VillageAvg[]>('/points/rankings/villages', { regionId, period }) : null, [regionId, period, level]);
  const starList = useRemote(regionId && level === 'village' && /Q[1-4]$/.test(period) ? () => api.get<{ items: { subjectId: number; stars: number }[] }>('/points/stars', { villageId: regionId, period }) : null, [regionId, period, level]);
  const starOf = (id: number) => starList.data?.items.find((s) => s.subjectId === id)?.stars;
  const option = useMemo(() => {
    const v = (villages.data ?? []).slice(0, 40);
    return {
      tooltip: { trigger: 'axis' }, grid: { left: 48, right: 24, top: 24, bottom: v.length > 8 ? 72 : 36 },
      xAxis: { type: 'category', data: v.map((x) => x.name), axisLabel: { rotate: v.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: { type: 'value', name: t('points.standings.average') },
      series: [{ type: 'bar', data: v.map((x) => x.average), itemStyle: { color: '#c62828' } }],
    };
  }, [villages.data, t]);
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('points.standings.title')}</Typography.Title>
        <Space wrap>
          <RegionSelect value={regionId} onChange={(id, node) => { setRegionId(id); setLevel(node?.level); }} maxLevel="village" aria-label={t('points.region')} />
          <Segmented value={/Q/.test(period) ? 'q' : period.length === 7 ? 'm' : 'y'} onChange={(v) => setPeriod(v === 'q' ? thisQuarter() : v === 'y' ? thisYear() : `${thisYear()}-${String(new Date().getMonth() + 1).padStart(2, '0')}`)}
            options={[{ value: 'm', label: t('points.month') }, { value: 'q', label: t('points.quarter') }, { value: 'y', label: t('points.year') }]} />
          <Input value={period} onChange={(e) => setPeriod(e.target.value)} style={{ width: 110 }} aria-label={t('points.period')} status={valid ? undefined : 'error'} />
        </Space>
      </Space>
      <Row gutter={16}>
        {level !== 'village' && (
          <Col xs={24} xl={12}>
            <Card size="small" title={t('points.standings.byVillage')}>
              {villages.error ? <ErrorResult error={villages.error} inline /> : <Chart option={option} height={360} label={t('points.standings.byVillage')} />}
            </Card>
          </Col>
        )}
        <Col xs={24} xl={level !== 'village' ? 12 : 24}>
          <Card size="small" title={t('points.standings.ranking')}>
            {ranking.error ? <ErrorResult error={ranking.error} inline /> : (
              <Table rowKey="subjectId" size="small" loading={ranking.loading} dataSource={ranking.data ?? []} pagination={{ pageSize: 20 }}
                columns={[
                  { title: t('points.rank'), dataIndex: 'rank', width: 70 },
                  { title: t('points.subject'), dataIndex: 'name' },
                  { title: t('points.score'), dataIndex: 'score', align: 'right' },
                  ...(starList.data ? [{ title: t('points.stars'), key: 's', render: (_: unknown, r: Rank) => stars(starOf(r.subjectId) ?? 0) }] : []),
                ]} />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  );
}
