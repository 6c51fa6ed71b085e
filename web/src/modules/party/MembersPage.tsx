/**
 * 党员: party members in scope with their linked households (联户). /party/members/:id opens a
 * drawer: linked households, link more (all-or-nothing on the server; a household already linked
 * to someone else is refused with its Chinese message), unlink.
 */
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Checkbox, Descriptions, Drawer, Input, Modal, Popconfirm, Progress, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LinkOutlined, SearchOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, idempotencyKey } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { NotFoundResult } from '../../console/components/NotFoundResult';
import { useRemote } from '../../shared/useRemote';

export interface Member {
  id: number; name: string; orgId: number; orgName: string; residentId: number | null; villageId: number | null; villageName: string | null;
  joinedOn: string | null; linkQuota: number; linkedCount: number; status: string;
}
interface MemberDetail extends Member {
  version: number; underQuota: boolean; can: { edit: boolean; link: boolean };
  households: { linkId: number; id: number; code: string; householderName: string; address: string }[];
}
interface Uncovered { id: number; code: string; householderName: string; address: string; memberCount: number; groupName: string | null; villageName: string | null }

export function QuotaBar({ m }: { m: Pick<Member, 'linkedCount' | 'linkQuota'> }) {
  const pct = m.linkQuota ? Math.min(100, Math.round((m.linkedCount / m.linkQuota) * 100)) : 100;
  const { t } = useTranslation();
  return <Progress percent={pct} size="small" status={m.linkedCount >= m.linkQuota ? 'success' : 'normal'} format={() => `${m.linkedCount}/${m.linkQuota}`}
    aria-label={t('party.member.linksLabel', { count: m.linkedCount, quota: m.linkQuota })} />;
}

export default function MembersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const regionId = params.get('regionId') ? Number(params.get('regionId')) : undefined;
  const q = params.get('q') ?? '';
  const underQuota = params.get('underQuota') === '1';
  const [draft, setDraft] = useState(q);
  const query = useMemo(() => ({ regionId, q: q || undefined, underQuota: underQuota ? '1' : undefined }), [regionId, q, underQuota]);
  const list = usePaged<Member>('/party/members', query);
  const apply = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v === undefined || v === '' ? next.delete(k) : next.set(k, String(v)));
    setParams(next, { replace: true });
  };
  const open = (mid: number) => navigate({ pathname: `/party/members/${mid}`, search: params.toString() });

  const columns: ColumnsType<Member> = [
    { title: t('party.member.name'), dataIndex: 'name', width: 100, render: (v: string, r) => <Typography.Link onClick={() => open(r.id)}>{v}</Typography.Link> },
    { title: t('party.member.org'), dataIndex: 'orgName', width: 200 },
    { title: t('party.member.village'), dataIndex: 'villageName', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('party.member.joinedOn'), dataIndex: 'joinedOn', width: 110, render: (v: string | null) => v ?? '—' },
    { title: t('party.member.links'), key: 'links', width: 180, render: (_, r) => <QuotaBar m={r} /> },
    { title: t('common.status'), dataIndex: 'status', width: 80, render: (s: string) => <Tag color={s === 'active' ? 'green' : 'default'}>{t(`party.member.statuses.${s}`, { defaultValue: s })}</Tag> },
    { title: t('common.actions'), key: 'op', width: 80, render: (_, r) => <Button size="small" type="link" onClick={() => open(r.id)}>{t('common.detail')}</Button> },
  ];

  return (
    <div className="xz-page">
      <Typography.Title level={2} style={{ fontSize: 20, marginTop: 0 }}>{t('party.member.title')}</Typography.Title>
      <Card size="small">
        <form className="xz-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); apply({ q: draft.trim() || undefined }); }}>
          <RegionSelect value={regionId} onChange={(v) => apply({ regionId: v })} maxLevel="village" />
          <Input value={draft} onChange={(e) => setDraft(e.target.value)} allowClear placeholder={t('party.member.qPlaceholder')} aria-label={t('party.member.qPlaceholder')} style={{ width: 200 }} />
          <Checkbox checked={underQuota} onChange={(e) => apply({ underQuota: e.target.checked ? '1' : undefined })}>{t('party.member.underQuotaOnly')}</Checkbox>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
        </form>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<Member> rowKey="id" size="middle" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: 900 }} />
        <PagerBar list={list} />
      </Card>
      <MemberDrawer id={id ? Number(id) : null} onClose={() => navigate({ pathname: '/party/members', search: params.toString() })} onChanged={list.reload} />
    </div>
  );
}

function MemberDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const valid = id !== null && Number.isInteger(id) && id > 0;
  const m = useRemote(valid ? () => api.get<MemberDetail>(`/party/members/${id}`) : null, [id]);
  const [linking, setLinking] = useState(false);
  const changed = () => { m.reload(); onChanged(); };
  const unlink = async (linkId: number) => {
    try {
      await api.delete(`/party/links/${linkId}`);
      message.success(t('party.member.unlinked'));
      changed();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };
  return (
    <Drawer open={id !== null} onClose={onClose} size={720} destroyOnHidden title={m.data?.name ?? t('party.member.title')}
      extra={m.data?.can.link ? <Button type="primary" icon={<LinkOutlined />} onClick={() => setLinking(true)} disabled={m.data.status === 'transferred'}>{t('party.member.link')}</Button> : null}>
      {!valid ? <NotFoundResult /> : m.error ? <ErrorResult error={m.error} onRetry={m.reload} /> : !m.data ? <Skeleton active /> : (
        <>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }} items={[
            { label: t('party.member.org'), children: m.data.orgName },
            { label: t('party.member.village'), children: m.data.villageName ?? '—' },
            { label: t('party.member.joinedOn'), children: m.data.joinedOn ?? '—' },
            { label: t('common.status'), children: t(`party.member.statuses.${m.data.status}`, { defaultValue: m.data.status }) },
            { label: t('party.member.links'), children: <QuotaBar m={m.data} />, span: 2 },
          ]} />
          <Table rowKey="linkId" size="small" pagination={false} dataSource={m.data.households} locale={{ emptyText: t('party.member.noLinks') }}
            columns={[
              { title: t('registry.household.code'), dataIndex: 'code', render: (v: string, r) => <Link to={`/households/${r.id}`}>{v}</Link> },
              { title: t('registry.household.householder'), dataIndex: 'householderName' },
              { title: t('registry.household.address'), dataIndex: 'address' },
              ...(m.data.can.link ? [{ title: t('common.actions'), key: 'op', render: (_: unknown, r: { linkId: number; householderName: string }) => (
                <Popconfirm title={t('party.member.unlinkConfirm', { name: r.householderName })} onConfirm={() => unlink(r.linkId)}>
                  <Button size="small" type="link" danger>{t('party.member.unlink')}</Button>
                </Popconfirm>
              ) }] : []),
            ]} />
          <LinkModal open={linking} member={m.data} onClose={() => setLinking(false)} onDone={() => { setLinking(false); changed(); }} />
        </>
      )}
    </Drawer>
  );
}

function LinkModal({ open, member, onClose, onDone }: { open: boolean; member: MemberDetail; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [selected, setSelected] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const list = usePaged<Uncovered>(open ? '/party/uncovered-households' : null, { regionId: member.villageId ?? undefined }, 50);
  const submit = async () => {
    setBusy(true);
    try {
      const r = await api.post<{ linkedCount: number; linkQuota: number }>('/party/links', { memberId: member.id, householdIds: selected }, { idempotencyKey: key });
      message.success(t('party.member.linkedDone', { count: r.linkedCount, quota: r.linkQuota }));
      setSelected([]);
      onDone();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} width={760} title={t('party.member.linkTitle', { name: member.name })} onCancel={onClose} onOk={submit}
      okButtonProps={{ disabled: selected.length === 0 }} okText={t('party.member.linkSelected', { n: selected.length })} confirmLoading={busy} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('party.member.linkHint')}</Typography.Paragraph>
      {list.error && <ErrorResult error={list.error} inline />}
      <Table<Uncovered> rowKey="id" size="small" dataSource={list.items} loading={list.loading} pagination={false}
        rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), preserveSelectedRowKeys: true }}
        columns={[
          { title: t('registry.household.code'), dataIndex: 'code' },
          { title: t('registry.household.householder'), dataIndex: 'householderName' },
          { title: t('registry.household.place'), key: 'p', render: (_, r) => `${r.villageName ?? ''} ${r.groupName ?? ''}` },
          { title: t('registry.household.address'), dataIndex: 'address' },
        ]} />
      <Space style={{ marginTop: 8 }}><PagerBar list={list} /></Space>
    </Modal>
  );
}
