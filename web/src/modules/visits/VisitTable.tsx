/** Console: a table of visits (a household's, or a filtered list), opinions expandable with their cases. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Empty, List, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Opinion, Visit } from './types';
import { ToCaseModal } from './ToCaseModal';

const CASE_COLOR: Record<string, string> = { pending: 'gold', handling: 'blue', suspended: 'default', resolved: 'orange', closed: 'green', merged: 'default' };

export function VisitTable({ items, loading, showHousehold = true, canConvert, onChanged }: {
  items: Visit[]; loading: boolean; showHousehold?: boolean; canConvert: boolean; onChanged: () => void;
}) {
  const { t } = useTranslation();
  const [converting, setConverting] = useState<{ visitId: number; opinion: Opinion } | null>(null);
  const columns: ColumnsType<Visit> = [
    { title: t('visits.field.visitedOn'), dataIndex: 'visitedOn', width: 110 },
    ...(showHousehold ? [
      { title: t('visits.field.household'), key: 'h', width: 150, render: (_: unknown, v: Visit) => <Link to={`/households/${v.householdId}`}>{v.householderName}户</Link> },
      { title: t('visits.field.village'), dataIndex: 'villageName', width: 110 },
    ] : []),
    { title: t('visits.field.visitor'), dataIndex: 'visitorName', width: 100 },
    { title: t('visits.field.met'), dataIndex: 'met', width: 100 },
    { title: t('visits.field.notes'), dataIndex: 'notes', ellipsis: true },
    {
      title: t('visits.field.opinions'), key: 'o', width: 190,
      render: (_: unknown, v: Visit) => v.opinions.length === 0 ? '—' : (
        <Space size={4} wrap>
          <span>{t('visits.opinionCount', { n: v.opinions.length })}</span>
          {v.opinions.filter((o) => o.case).map((o) => <Tag key={o.id} color="blue">{o.case!.code}</Tag>)}
        </Space>
      ),
    },
    { title: t('visits.field.followUpOn'), dataIndex: 'followUpOn', width: 110, render: (d: string | null) => d ?? '—' },
  ];
  return (
    <>
      <Table<Visit> rowKey="id" size="small" columns={columns} dataSource={items} loading={loading} pagination={false} scroll={{ x: 900 }}
        locale={{ emptyText: <Empty description={t('visits.list.empty')} /> }}
        expandable={{
          rowExpandable: (v) => v.opinions.length > 0 || !!v.notes,
          expandedRowRender: (v) => (
            <div>
              {v.notes && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{v.notes}</Typography.Paragraph>}
              <List size="small" dataSource={v.opinions} locale={{ emptyText: t('visits.noOpinions') }}
                renderItem={(o) => (
                  <List.Item actions={[o.case ? (
                    <Space key="c">
                      <Link to={`/cases/${o.case.id}`}>{o.case.code}</Link>
                      {o.case.state ? <Tag color={CASE_COLOR[o.case.state]}>{o.case.stateLabel}</Tag> : <Typography.Text type="secondary">{t('visits.stateHidden')}</Typography.Text>}
                    </Space>
                  ) : canConvert ? <Button key="b" size="small" onClick={() => setConverting({ visitId: v.id, opinion: o })}>{t('visits.toCase')}</Button> : null]}>
                    <Space align="start"><Tag>{t(`visits.kind.${o.kind}`)}</Tag><span style={{ whiteSpace: 'pre-wrap' }}>{o.content}</span></Space>
                  </List.Item>
                )} />
            </div>
          ),
        }} />
      <ToCaseModal visitId={converting?.visitId ?? 0} opinion={converting?.opinion ?? null} onClose={() => setConverting(null)}
        onDone={() => { setConverting(null); onChanged(); }} />
    </>
  );
}
