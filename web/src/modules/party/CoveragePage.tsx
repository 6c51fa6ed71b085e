/**
 * 联户覆盖: how many households have a linked party member, by village, with the two work lists a
 * branch secretary acts on — households nobody links yet, and members below their quota (泸溪 "158").
 */
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Row, Skeleton, Space, Statistic, Table, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { Chart } from '../../console/components/Chart';
import { QuotaBar, type Member } from './MembersPage';

interface CoverageCounts { households: number; covered: number; uncovered: number; members: number; underQuota: number }
interface Coverage extends CoverageCounts { byVillage: (CoverageCounts & { regionId: number; name: string })[] }
interface Uncovered { id: number; code: string; householderName: string; address: string; memberCount: number; groupName: string | null; villageName: string | null }

const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : 0);

export default function CoveragePage() {
  const { t } = useTranslation();
  const [regionId, setRegionId] = useState<number | undefined>();
  const cov = useRemote(() => api.get<Coverage>('/party/coverage', { regionId }), [regionId]);
  const uncovered = usePaged<Uncovered>('/party/uncovered-households', { regionId });
  const under = usePaged<Member>('/party/members-under-quota', { regionId });

  const option = useMemo(() => {
    const v = (cov.data?.byVillage ?? []).slice(0, 40);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 36, bottom: v.length > 8 ? 72 : 36 },
      xAxis: { type: 'category', data: v.map((x) => x.name), axisLabel: { rotate: v.length > 8 ? 40 : 0, interval: 0 } },
      yAxis: { type: 'value', name: t('party.coverage.households') },
      series: [
        { name: t('party.coverage.covered'), type: 'bar', stack: 'h', data: v.map((x) => x.covered), itemStyle: { color: '#c62828' } },
        { name: t('party.coverage.uncovered'), type: 'bar', stack: 'h', data: v.map((x) => x.uncovered), itemStyle: { color: '#bdbdbd' } },
      ],
    };
  }, [cov.data, t]);

  const c = cov.data;
  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('party.coverage.title')}</Typography.Title>
        <RegionSelect value={regionId} onChange={setRegionId} maxLevel="village" />
      </Space>
      {cov.error ? <ErrorResult error={cov.error} onRetry={cov.reload} /> : !c ? <Card><Skeleton active /></Card> : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <div className="xz-stat-grid">
              <Statistic title={t('party.coverage.households')} value={c.households} />
              <Statistic title={t('party.coverage.covered')} value={c.covered} />
              <Statistic title={t('party.coverage.rate')} value={pct(c.covered, c.households)} suffix="%" />
              <Statistic title={t('party.coverage.uncovered')} value={c.uncovered} styles={{ content: { color: c.uncovered ? '#b71c1c' : undefined } }} />
              <Statistic title={t('party.coverage.members')} value={c.members} />
              <Statistic title={t('party.coverage.underQuota')} value={c.underQuota} />
            </div>
          </Card>
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Card size="small" title={t('party.coverage.byVillage')}>
                {c.byVillage.length ? <Chart option={option} height={340} label={t('party.coverage.byVillage')} /> : <Typography.Text type="secondary">{t('common.empty')}</Typography.Text>}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card size="small" title={t('party.coverage.table')}>
                <Table rowKey="regionId" size="small" dataSource={c.byVillage} pagination={c.byVillage.length > 10 ? { pageSize: 10 } : false}
                  columns={[
                    { title: t('party.member.village'), dataIndex: 'name' },
                    { title: t('party.coverage.households'), dataIndex: 'households', align: 'right' },
                    { title: t('party.coverage.rate'), key: 'rate', align: 'right', render: (_, r) => `${pct(r.covered, r.households)}%`,
                      sorter: (a, b) => pct(a.covered, a.households) - pct(b.covered, b.households) },
                    { title: t('party.coverage.members'), dataIndex: 'members', align: 'right' },
                    { title: t('party.coverage.underQuota'), dataIndex: 'underQuota', align: 'right' },
                  ]} />
              </Card>
            </Col>
          </Row>
          <Card size="small">
            <Tabs items={[
              { key: 'uncovered', label: t('party.coverage.uncoveredList'), children: (
                <>
                  {uncovered.error && <ErrorResult error={uncovered.error} inline />}
                  <Table<Uncovered> rowKey="id" size="small" dataSource={uncovered.items} loading={uncovered.loading} pagination={false}
                    columns={[
                      { title: t('registry.household.code'), dataIndex: 'code', render: (v: string, r) => <Link to={`/households/${r.id}`}>{v}</Link> },
                      { title: t('registry.household.householder'), dataIndex: 'householderName' },
                      { title: t('registry.household.place'), key: 'p', render: (_, r) => `${r.villageName ?? ''} / ${r.groupName ?? ''}` },
                      { title: t('registry.household.address'), dataIndex: 'address' },
                      { title: t('registry.household.members'), dataIndex: 'memberCount', align: 'right' },
                    ]} />
                  <PagerBar list={uncovered} />
                </>
              ) },
              { key: 'under', label: t('party.coverage.underQuotaList'), children: (
                <>
                  {under.error && <ErrorResult error={under.error} inline />}
                  <Table<Member> rowKey="id" size="small" dataSource={under.items} loading={under.loading} pagination={false}
                    columns={[
                      { title: t('party.member.name'), dataIndex: 'name', render: (v: string, r) => <Link to={`/party/members/${r.id}`}>{v}</Link> },
                      { title: t('party.member.org'), dataIndex: 'orgName' },
                      { title: t('party.member.village'), dataIndex: 'villageName' },
                      { title: t('party.member.links'), key: 'q', width: 200, render: (_, r) => <QuotaBar m={r} /> },
                    ]} />
                  <PagerBar list={under} />
                </>
              ) },
            ]} />
          </Card>
        </Space>
      )}
    </div>
  );
}
