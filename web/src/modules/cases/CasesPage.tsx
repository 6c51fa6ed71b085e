/** 事件清单: the handler's inbox, 问题清单, 交办清单, 销号清单 and 督办, scoped by the server. */
import { useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Card, Space, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadUrl } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { CaseDrawer } from './CaseDrawer';
import { when, type CaseItem } from './types';

const LISTS = ['inbox', 'problem', 'assigned', 'supervision', 'closed', 'all'] as const;
const LIGHT_COLOR = { green: 'green', yellow: 'gold', red: 'red' } as const;

export default function CasesPage({ initial = 'inbox' }: { initial?: (typeof LISTS)[number] }) {
  const { t } = useTranslation();
  const nav = useNavigate();
  const params = useParams();
  const [list, setList] = useState<(typeof LISTS)[number]>(initial);
  // ?regionId= comes from the case map (a village's circle or row): the problem list of that village.
  const [search] = useSearchParams();
  const fromMap = Number(search.get('regionId')) || undefined;
  const [regionId, setRegionId] = useState<number | undefined>(fromMap);
  const paged = usePaged<CaseItem>('/cases', { list, regionId }, 30);
  const openId = params.id ? Number(params.id) : null;

  const columns: ColumnsType<CaseItem> = [
    { title: t('cases.col.code'), dataIndex: 'code', width: 170 },
    { title: t('cases.col.title'), dataIndex: 'title', render: (v: string, r) => <a onClick={() => nav(`/cases/${r.id}`)}>{v}</a> },
    { title: t('cases.col.category'), dataIndex: 'categoryName', width: 130 },
    { title: t('cases.col.place'), dataIndex: 'regionName', width: 100 },
    { title: t('cases.col.state'), dataIndex: 'stateLabel', width: 150, render: (v: string, r) => <Space size={4}>{v}{r.light && <Tag color={LIGHT_COLOR[r.light]}>{t(`cases.light.${r.light}`)}</Tag>}{r.supervised && <Tag color="volcano">{t('cases.supervisedTag')}</Tag>}</Space> },
    { title: t('cases.col.level'), dataIndex: 'levelLabel', width: 130, render: (v: string, r) => (r.departmentName ? `${v}·${r.departmentName}` : v) },
    { title: t('cases.col.due'), dataIndex: 'dueAt', width: 160, render: when },
    { title: t('cases.col.created'), dataIndex: 'createdAt', width: 160, render: when },
  ];

  return (
    <Card
      title={t('cases.menu.lists')}
      extra={(
        <Space>
          <RegionSelect value={regionId} onChange={(id) => setRegionId(id)} maxLevel="village" style={{ width: 220 }} aria-label={t('cases.col.place')} />
          <Button icon={<DownloadOutlined />} href={downloadUrl('/cases/export.xlsx', { list, regionId })}>{t('cases.export')}</Button>
        </Space>
      )}
    >
      <Tabs activeKey={list} onChange={(k) => setList(k as (typeof LISTS)[number])} items={LISTS.map((l) => ({ key: l, label: t(`cases.tabs.${l}`) }))} />
      {paged.error ? <ErrorResult error={paged.error} onRetry={paged.reload} /> : (
        <>
          <Table rowKey="id" size="middle" columns={columns} dataSource={paged.items} loading={paged.loading} pagination={false} onRow={(r) => ({ 'data-case-id': r.id } as object)} />
          <PagerBar list={paged} />
        </>
      )}
      <CaseDrawer id={openId} onClose={() => nav('/cases')} onChanged={paged.reload} />
    </Card>
  );
}
