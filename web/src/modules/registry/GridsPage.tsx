/**
 * 网格: grids in scope with their staff. Filters by region, level and name/code; /grids/:id opens
 * a drawer to edit the grid (optimistic version) and manage its staff (网格长、网格员…).
 */
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Drawer, Form, Input, Modal, Popconfirm, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, EditOutlined, PlusOutlined, SearchOutlined, UserAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, idempotencyKey } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { GridSelect } from '../../console/components/GridSelect';
import { ErrorResult } from '../../console/components/ErrorResult';
import { NotFoundResult } from '../../console/components/NotFoundResult';
import { useSession } from '../../shared/session';
import { useRemote } from '../../shared/useRemote';
import type { Grid, GridStaff } from '../../shared/types';

interface GridDetail extends Grid { version: number; note: string | null; boundary: unknown }
const LEVELS = ['level1', 'level2', 'micro'] as const;
const ROLES = ['chief', 'head', 'deputy', 'worker', 'specialist'] as const;

export default function GridsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const regionId = params.get('regionId') ? Number(params.get('regionId')) : undefined;
  const level = params.get('level') ?? undefined;
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const query = useMemo(() => ({ regionId, level, q: q || undefined }), [regionId, level, q]);
  const list = usePaged<Grid>('/grids', query);

  const setFilter = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) (v === undefined || v === '' ? next.delete(k) : next.set(k, String(v)));
    setParams(next, { replace: true });
  };
  const open = (gid: number) => navigate({ pathname: `/grids/${gid}`, search: params.toString() });

  const columns: ColumnsType<Grid> = [
    { title: t('registry.grid.code'), dataIndex: 'code', width: 170, render: (v: string, r) => <Typography.Link onClick={() => open(r.id)}>{v}</Typography.Link> },
    { title: t('registry.grid.name'), dataIndex: 'name', width: 160 },
    { title: t('registry.grid.level'), dataIndex: 'level', width: 100, render: (l: string) => <Tag>{t(`common.gridLevel.${l}`)}</Tag> },
    { title: t('registry.grid.region'), dataIndex: 'regionName', width: 120 },
    { title: t('registry.grid.households'), dataIndex: 'householdCount', width: 80, align: 'right',
      render: (n: number, r) => <Link to={`/households?gridId=${r.id}`}>{n}</Link> },
    { title: t('registry.grid.staff'), dataIndex: 'staff', render: (s: GridStaff[]) => s.length === 0 ? <Typography.Text type="secondary">{t('registry.grid.noStaff')}</Typography.Text>
      : s.map((x) => <Tag key={x.id}>{t(`registry.grid.roles.${x.role}`)} {x.name}{x.phoneMasked ? ` ${x.phoneMasked}` : ''}</Tag>) },
    { title: t('common.actions'), key: 'op', width: 80, render: (_, r) => <Button size="small" type="link" onClick={() => open(r.id)}>{t('common.detail')}</Button> },
  ];

  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('registry.grid.title')}</Typography.Title>
        {can('registry.write') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('registry.grid.create')}</Button>}
      </Space>
      <Card size="small">
        <form className="xz-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setFilter({ q: draft.trim() || undefined }); }}>
          <RegionSelect value={regionId} onChange={(v) => setFilter({ regionId: v })} maxLevel="village" />
          <Select allowClear placeholder={t('registry.grid.level')} aria-label={t('registry.grid.level')} value={level} style={{ width: 130 }}
            onChange={(v) => setFilter({ level: v })} options={LEVELS.map((l) => ({ value: l, label: t(`common.gridLevel.${l}`) }))} />
          <Input value={draft} onChange={(e) => setDraft(e.target.value)} allowClear placeholder={t('registry.grid.qPlaceholder')} aria-label={t('registry.grid.qPlaceholder')} style={{ width: 220 }} />
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
        </form>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<Grid> rowKey="id" size="middle" columns={columns} dataSource={list.items} loading={list.loading} pagination={false}
          scroll={{ x: 1000 }} locale={{ emptyText: t('registry.grid.empty') }} />
        <PagerBar list={list} />
      </Card>
      <GridDrawer id={id ? Number(id) : null} onClose={() => navigate({ pathname: '/grids', search: params.toString() })} onChanged={list.reload} />
      <GridCreateModal open={creating} regionId={regionId} onClose={() => setCreating(false)} onCreated={(gid) => { setCreating(false); list.reload(); open(gid); }} />
    </div>
  );
}

function GridDrawer({ id, onClose, onChanged }: { id: number | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const valid = id !== null && Number.isInteger(id) && id > 0;
  const g = useRemote(valid ? () => api.get<GridDetail>(`/grids/${id}`) : null, [id]);
  const [editing, setEditing] = useState(false);
  const [addingStaff, setAddingStaff] = useState(false);
  const changed = () => { g.reload(); onChanged(); };
  const removeStaff = async (s: GridStaff) => {
    try {
      await api.delete(`/grids/${id}/staff/${s.id}`);
      message.success(t('common.deleted'));
      changed();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    }
  };
  const writable = can('registry.write');
  return (
    <Drawer open={id !== null} onClose={onClose} size={720} destroyOnHidden title={g.data?.name ?? t('registry.grid.title')}
      extra={g.data && writable ? <Space>
        <Button icon={<UserAddOutlined />} onClick={() => setAddingStaff(true)}>{t('registry.grid.addStaff')}</Button>
        <Button type="primary" icon={<EditOutlined />} onClick={() => setEditing(true)}>{t('common.edit')}</Button>
      </Space> : null}>
      {!valid ? <NotFoundResult /> : g.error ? <ErrorResult error={g.error} onRetry={g.reload} /> : !g.data ? <Skeleton active /> : (
        <>
          <Descriptions size="small" bordered column={2} style={{ marginBottom: 16 }} items={[
            { label: t('registry.grid.code'), children: g.data.code },
            { label: t('registry.grid.level'), children: t(`common.gridLevel.${g.data.level}`) },
            { label: t('registry.grid.region'), children: g.data.regionName },
            { label: t('registry.grid.households'), children: <Link to={`/households?gridId=${g.data.id}`}>{g.data.householdCount}</Link> },
            { label: t('registry.grid.note'), children: g.data.note ?? '—', span: 2 },
          ]} />
          <Typography.Title level={3} style={{ fontSize: 16 }}>{t('registry.grid.staff')}</Typography.Title>
          <Table<GridStaff> rowKey="id" size="small" pagination={false} dataSource={g.data.staff} locale={{ emptyText: t('registry.grid.noStaff') }}
            columns={[
              { title: t('registry.grid.staffRole'), dataIndex: 'role', render: (r: string) => t(`registry.grid.roles.${r}`) },
              { title: t('registry.grid.staffName'), dataIndex: 'name' },
              { title: t('registry.grid.staffPhone'), dataIndex: 'phoneMasked', render: (v: string | null) => v ?? '—' },
              ...(writable ? [{ title: t('common.actions'), key: 'op', render: (_: unknown, s: GridStaff) => (
                <Popconfirm title={t('registry.grid.removeStaffConfirm', { name: s.name })} onConfirm={() => removeStaff(s)}>
                  <Button size="small" danger type="link" icon={<DeleteOutlined />}>{t('common.remove')}</Button>
                </Popconfirm>
              ) }] : []),
            ]} />
          <GridEditModal open={editing} grid={g.data} onClose={() => setEditing(false)} onSaved={() => { setEditing(false); changed(); }} />
          <StaffModal open={addingStaff} gridId={g.data.id} onClose={() => setAddingStaff(false)} onSaved={() => { setAddingStaff(false); changed(); }} />
        </>
      )}
    </Drawer>
  );
}

function GridEditModal({ open, grid, onClose, onSaved }: { open: boolean; grid: GridDetail; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.patch(`/grids/${grid.id}`, { version: grid.version, name: v.name.trim(), note: v.note?.trim() || null, parentId: v.parentId ?? null });
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
      if (e instanceof ApiError && e.status === 409) onSaved();
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('registry.grid.editTitle', { name: grid.name })} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ name: grid.name, note: grid.note, parentId: grid.parentId }}>
        <Form.Item name="name" label={t('registry.grid.name')} rules={[{ required: true, whitespace: true, max: 30 }]}><Input /></Form.Item>
        {grid.level !== 'level1' && <Form.Item name="parentId" label={t('registry.grid.parent')}><GridSelect /></Form.Item>}
        <Form.Item name="note" label={t('registry.grid.note')}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function StaffModal({ open, gridId, onClose, onSaved }: { open: boolean; gridId: number; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post(`/grids/${gridId}/staff`, { role: v.role, name: v.name.trim(), ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}) }, { idempotencyKey: key });
      form.resetFields();
      onSaved();
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('registry.grid.addStaff')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ role: 'worker' }}>
        <Form.Item name="role" label={t('registry.grid.staffRole')} rules={[{ required: true }]}>
          <Select options={ROLES.map((r) => ({ value: r, label: t(`registry.grid.roles.${r}`) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('registry.grid.staffName')} rules={[{ required: true, whitespace: true, max: 30 }]}><Input /></Form.Item>
        <Form.Item name="phone" label={t('registry.grid.staffPhone')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('registry.invalidPhone') }]}><Input inputMode="tel" maxLength={11} /></Form.Item>
      </Form>
    </Modal>
  );
}

function GridCreateModal({ open, regionId, onClose, onCreated }: { open: boolean; regionId?: number; onClose: () => void; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const level = Form.useWatch('level', form) as string | undefined;
  const rid = Form.useWatch('regionId', form) as number | undefined;
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const g = await api.post<{ id: number }>('/grids', { regionId: v.regionId, level: v.level, code: v.code.trim(), name: v.name.trim(), parentId: v.parentId ?? null }, { idempotencyKey: key });
      form.resetFields();
      onCreated(g.id);
    } catch (e) {
      message.error(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('registry.grid.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ regionId, level: 'level2' }}>
        <Form.Item name="regionId" label={t('registry.grid.region')} rules={[{ required: true }]}><RegionSelect levels={['township', 'village', 'group']} /></Form.Item>
        <Form.Item name="level" label={t('registry.grid.level')} rules={[{ required: true }]}>
          <Select options={LEVELS.map((l) => ({ value: l, label: t(`common.gridLevel.${l}`) }))} />
        </Form.Item>
        {level !== 'level1' && <Form.Item name="parentId" label={t('registry.grid.parent')}><GridSelect regionId={rid} /></Form.Item>}
        <Form.Item name="code" label={t('registry.grid.code')} rules={[{ required: true, pattern: /^[0-9A-Za-z_-]{1,40}$/ }]}><Input /></Form.Item>
        <Form.Item name="name" label={t('registry.grid.name')} rules={[{ required: true, whitespace: true, max: 30 }]}><Input /></Form.Item>
      </Form>
    </Modal>
  );
}
