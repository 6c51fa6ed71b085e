/** Household detail drawer: members (masked, reveal with purpose), basics, patrons, change history. */
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Button, Descriptions, Drawer, Empty, Skeleton, Space, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { EditOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useRemote } from '../../shared/useRemote';
import type { HistoryRow, HouseholdDetail, Resident } from '../../shared/types';
import { ErrorResult } from '../../console/components/ErrorResult';
import { NotFoundResult } from '../../console/components/NotFoundResult';
import { RevealButton } from '../../console/components/RevealButton';
import { HouseholdEditModal, ResidentCreateModal, ResidentEditModal } from './HouseholdForms';
import { statusColor } from './HouseholdsPage';
import { useSession } from '../../shared/session';
import { HouseholdVisits } from '../visits/HouseholdVisits';

export function HouseholdDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const valid = id !== null && Number.isInteger(id) && id > 0;
  const detail = useRemote(valid ? () => api.get<HouseholdDetail>(`/households/${id}`) : null, [id]);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const [editResident, setEditResident] = useState<number | null>(null);
  const { can } = useSession();
  const h = detail.data;
  const changed = () => { detail.reload(); onChanged(); };

  return (
    <Drawer open={id !== null} onClose={onClose} size={860} destroyOnHidden
      title={h && !detail.error ? <Space>{t('registry.household.detailTitle', { name: h.householderName })}<Typography.Text type="secondary">{h.code}</Typography.Text></Space> : t('registry.household.detail')}
      extra={h && !detail.error && h.can.edit ? (
        <Space>
          <Button icon={<UserAddOutlined />} onClick={() => setAdding(true)} disabled={h.status === 'merged'}>{t('registry.resident.add')}</Button>
          <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)} disabled={h.status === 'merged'}>{t('common.edit')}</Button>
        </Space>
      ) : null}>
      {!valid ? <NotFoundResult />
        : detail.error ? <ErrorResult error={detail.error} onRetry={detail.reload} />
        : !h ? <Skeleton active />
        : (
          <>
            <Descriptions size="small" column={2} bordered style={{ marginBottom: 16 }}
              items={[
                { label: t('registry.household.place'), children: `${h.villageName} / ${h.groupName}` },
                { label: t('registry.household.grid'), children: h.gridName ?? t('registry.household.noGrid') },
                { label: t('registry.household.address'), children: h.address, span: 2 },
                { label: t('registry.household.phone'), children: <span className="xz-mono">{h.phoneMasked ?? '—'}</span> },
                { label: t('common.status'), children: <Tag color={statusColor(h.status)}>{t(`registry.household.status.${h.status}`)}</Tag> },
                { label: t('registry.household.linkedMember'), children: h.linkedMember ? <Link to={`/party/members/${h.linkedMember.id}`}>{h.linkedMember.name}</Link> : <Typography.Text type="danger">{t('registry.household.uncovered')}</Typography.Text> },
                { label: t('registry.household.tags'), children: h.tags.length ? h.tags.map((x) => <Tag key={x}>{x}</Tag>) : '—' },
              ]} />
            <Tabs
              items={[
                { key: 'members', label: t('registry.household.membersTab', { n: h.residents.length }), children: <Members h={h} onEdit={setEditResident} /> },
                { key: 'patrons', label: t('registry.household.patronsTab'), children: <Patrons h={h} /> },
                { key: 'history', label: t('registry.household.historyTab'), children: <History id={h.id} version={h.version} /> },
                ...(can('visits.read') ? [{ key: 'visits', label: t('visits.list.tab'), children: <HouseholdVisits householdId={h.id} /> }] : []),
              ]} />
            <HouseholdEditModal open={editing} household={h} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); changed(); }} onConflict={changed} />
            <ResidentCreateModal open={adding} householdId={h.id} onClose={() => setAdding(false)} onCreated={() => { setAdding(false); changed(); }} />
            <ResidentEditModal residentId={editResident} onClose={() => setEditResident(null)} onSaved={() => { setEditResident(null); changed(); }} />
          </>
        )}
    </Drawer>
  );
}

function Members({ h, onEdit }: { h: HouseholdDetail; onEdit: (id: number) => void }) {
  const { t } = useTranslation();
  const columns: ColumnsType<Resident> = [
    { title: t('registry.resident.name'), dataIndex: 'name', width: 90 },
    { title: t('registry.resident.relation'), dataIndex: 'relation', width: 70 },
    { title: t('registry.resident.gender'), dataIndex: 'gender', width: 60, render: (g: string) => t(`registry.resident.genders.${g}`) },
    { title: t('registry.resident.age'), dataIndex: 'age', width: 60, align: 'right' },
    { title: t('registry.resident.idNumber'), dataIndex: 'idNumberMasked', width: 250, render: (v: string, r) => <RevealButton residentId={r.id} field="idNumber" masked={v} allowed={h.can.reveal} /> },
    { title: t('registry.resident.phone'), dataIndex: 'phoneMasked', width: 190, render: (v: string | null, r) => <RevealButton residentId={r.id} field="phone" masked={v} allowed={h.can.reveal} /> },
    { title: t('registry.resident.political'), dataIndex: 'political', width: 80, render: (p: string) => t(`registry.resident.politicals.${p}`) },
    { title: t('common.status'), dataIndex: 'status', width: 70, render: (s: string) => t(`registry.resident.statuses.${s}`) },
    ...(h.can.edit ? [{ title: t('common.actions'), key: 'op', width: 70, render: (_: unknown, r: Resident) => <Button size="small" type="link" onClick={() => onEdit(r.id)}>{t('common.edit')}</Button> }] : []),
  ];
  return <Table<Resident> rowKey="id" size="small" columns={columns} dataSource={h.residents} pagination={false} scroll={{ x: 900 }} locale={{ emptyText: t('registry.resident.empty') }} />;
}

function Patrons({ h }: { h: HouseholdDetail }) {
  const { t } = useTranslation();
  if (h.patrons.length === 0) return <Empty description={t('registry.household.noPatrons')} />;
  return (
    <Table rowKey="id" size="small" pagination={false} dataSource={h.patrons}
      columns={[
        { title: t('party.assignment.level'), dataIndex: 'level', render: (l: string) => t(`party.assignment.levels.${l}`, { defaultValue: l }) },
        { title: t('party.assignment.patron'), dataIndex: 'patronName' },
        { title: t('party.assignment.title'), dataIndex: 'patronTitle', render: (v: string | null) => v ?? '—' },
        { title: t('party.assignment.target'), dataIndex: 'targetType', render: (v: string) => t(`party.assignment.targetTypes.${v}`) },
        { title: t('party.assignment.startsOn'), dataIndex: 'startsOn' },
      ]} />
  );
}

/** Change history from the audit log: what changed, who, when. */
export function History({ id, version }: { id: number; version: number }) {
  const { t } = useTranslation();
  const rows = useRemote(() => api.get<HistoryRow[] | { items: HistoryRow[] }>(`/households/${id}/history`), [id, version]);
  if (rows.error) return <ErrorResult error={rows.error} inline onRetry={rows.reload} />;
  if (!rows.data) return <Skeleton active />;
  const items = Array.isArray(rows.data) ? rows.data : rows.data.items;
  if (items.length === 0) return <Empty description={t('registry.history.empty')} />;
  return (
    <Timeline
      items={items.map((r) => ({
        key: r.id,
        content: (
          <div>
            <Space wrap>
              <Typography.Text strong>{t(`registry.history.actions.${r.action.replace(/\./g, '_')}`, { defaultValue: r.action })}</Typography.Text>
              <Typography.Text type="secondary">{new Date(r.at).toLocaleString()}</Typography.Text>
              <Typography.Text>{r.actorName ?? t('registry.history.system')}</Typography.Text>
            </Space>
            {r.note && <div className="xz-muted">{r.note}</div>}
            <DiffView before={r.before} after={r.after} />
          </div>
        ),
      }))} />
  );
}

function DiffView({ before, after }: { before: unknown; after: unknown }) {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
  if (keys.length === 0) return null;
  const show = (v: unknown) => (v === undefined || v === null || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <ul style={{ margin: '4px 0 0', paddingLeft: 18, fontSize: 13 }}>
      {keys.map((k) => (
        <li key={k}><span className="xz-muted">{k}</span>：{show(b[k])} → {show(a[k])}</li>
      ))}
    </ul>
  );
}
