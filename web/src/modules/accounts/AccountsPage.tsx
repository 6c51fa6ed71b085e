/**
 * 账号与角色: accounts in the caller's accounts.manage scope with their grants (role on a region
 * node). The server refuses grants outside the caller's scope or with permissions the caller lacks
 * (no privilege escalation); the role list asks the server which roles are grantable at a node.
 */
import { useEffect, useMemo, useState } from 'react';
import { App, Badge, Button, Card, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { LockOutlined, PlusOutlined, SearchOutlined, UnlockOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, ApiError, idempotencyKey } from '../../api';
import { usePaged } from '../../console/components/usePaged';
import { PagerBar } from '../../console/components/PagerBar';
import { RegionSelect } from '../../console/components/RegionSelect';
import { ErrorResult } from '../../console/components/ErrorResult';

interface Grant { id: number; roleKey: string; roleName: string; regionId: number; regionName: string; regionLevel: string }
interface Account {
  id: number; username: string; displayName: string; kind: string; status: string; locked: boolean; lockedUntil: string | null;
  totpEnabled: boolean; lastLoginAt: string | null; householdId: number | null; departmentId: number | null; grants: Grant[];
}
interface Role { key: string; name: string; requiresTotp: boolean; permissions: { key: string; label: string }[]; grantable: boolean | null }

function useToastError() {
  const { message } = App.useApp();
  return (e: unknown) => message.error(e instanceof ApiError ? e.message : String(e));
}

export default function AccountsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useToastError();
  const [regionId, setRegionId] = useState<number | undefined>();
  const [kind, setKind] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [draft, setDraft] = useState('');
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<Account | null>(null);
  const list = usePaged<Account>('/accounts', { regionId, kind, q: q || undefined });

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      message.success(ok);
      list.reload();
    } catch (e) {
      fail(e);
    }
  };

  const columns: ColumnsType<Account> = [
    { title: t('accounts.username'), dataIndex: 'username', width: 130, render: (v: string, r) => <Typography.Link onClick={() => setSelected(r)}>{v}</Typography.Link> },
    { title: t('accounts.displayName'), dataIndex: 'displayName', width: 120 },
    { title: t('accounts.kind'), dataIndex: 'kind', width: 80, render: (k: string) => t(`accounts.kinds.${k}`, { defaultValue: k }) },
    { title: t('accounts.grants'), dataIndex: 'grants', render: (g: Grant[]) => g.map((x) => <Tag key={x.id}>{x.roleName}@{x.regionName}</Tag>) },
    { title: t('common.status'), key: 'st', width: 120, render: (_, r) => (
      <Space size={4}>
        <Badge status={r.status === 'active' ? 'success' : 'default'} text={t(`accounts.statuses.${r.status}`, { defaultValue: r.status })} />
        {r.locked && <Tag color="red" icon={<LockOutlined />}>{t('accounts.locked')}</Tag>}
      </Space>
    ) },
    { title: t('accounts.totp'), dataIndex: 'totpEnabled', width: 80, render: (v: boolean) => (v ? t('common.yes') : t('common.no')) },
    { title: t('accounts.lastLogin'), dataIndex: 'lastLoginAt', width: 160, render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—') },
    { title: t('common.actions'), key: 'op', width: 200, fixed: 'right', render: (_, r) => (
      <Space size={0} wrap>
        <Button size="small" type="link" onClick={() => setSelected(r)}>{t('accounts.manageGrants')}</Button>
        {r.locked && <Button size="small" type="link" icon={<UnlockOutlined />} onClick={() => act(() => api.post(`/accounts/${r.id}/unlock`), t('accounts.unlocked'))}>{t('accounts.unlock')}</Button>}
        <Popconfirm title={r.status === 'active' ? t('accounts.disableConfirm', { name: r.displayName }) : t('accounts.enableConfirm', { name: r.displayName })}
          onConfirm={() => act(() => api.patch(`/accounts/${r.id}`, { status: r.status === 'active' ? 'disabled' : 'active' }), t('common.saved'))}>
          <Button size="small" type="link" danger={r.status === 'active'}>{r.status === 'active' ? t('accounts.disable') : t('accounts.enable')}</Button>
        </Popconfirm>
      </Space>
    ) },
  ];

  return (
    <div className="xz-page">
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }}>
        <Typography.Title level={2} style={{ fontSize: 20, margin: 0 }}>{t('accounts.title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('accounts.create')}</Button>
      </Space>
      <Card size="small">
        <form className="xz-toolbar" role="search" onSubmit={(e) => { e.preventDefault(); setQ(draft.trim()); }}>
          <RegionSelect value={regionId} onChange={setRegionId} />
          <Select allowClear placeholder={t('accounts.kind')} aria-label={t('accounts.kind')} value={kind} onChange={setKind} style={{ width: 120 }}
            options={['staff', 'villager'].map((k) => ({ value: k, label: t(`accounts.kinds.${k}`) }))} />
          <Input value={draft} onChange={(e) => setDraft(e.target.value)} allowClear placeholder={t('accounts.qPlaceholder')} aria-label={t('accounts.qPlaceholder')} style={{ width: 200 }} />
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>{t('common.search')}</Button>
        </form>
        {list.error && <ErrorResult error={list.error} inline onRetry={list.reload} />}
        <Table<Account> rowKey="id" size="middle" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} scroll={{ x: 1200 }} />
        <PagerBar list={list} />
      </Card>
      <CreateModal open={creating} onClose={() => setCreating(false)} onCreated={() => { setCreating(false); list.reload(); }} />
      <GrantsDrawer account={selected} onClose={() => setSelected(null)} onChanged={async () => {
        list.reload();
        if (selected) setSelected(await api.get<Account>(`/accounts/${selected.id}`).catch(() => null));
      }} />
    </div>
  );
}

/** Roles grantable at a region node (asks the server, which knows the caller's own permissions there). */
function RolePicker({ regionId, value, onChange, id }: { regionId?: number; value?: string; onChange?: (v: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<Role[]>([]);
  useEffect(() => {
    api.get<Role[]>('/roles', { regionId }).then(setRoles, () => setRoles([]));
  }, [regionId]);
  return (
    <Select id={id} value={value} onChange={onChange} placeholder={t('accounts.role')} aria-label={t('accounts.role')}
      options={roles.map((r) => ({ value: r.key, label: r.name + (r.requiresTotp ? t('accounts.needsTotp') : ''), disabled: regionId !== undefined && r.grantable === false }))} />
  );
}

function CreateModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation();
  const fail = useToastError();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const key = useMemo(() => (open ? idempotencyKey() : ''), [open]);
  const regionId = Form.useWatch('regionId', form) as number | undefined;
  const kind = Form.useWatch('kind', form) as string | undefined;
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await api.post('/accounts', {
        username: v.username.trim(), displayName: v.displayName.trim(), kind: v.kind, password: v.password,
        ...(v.householdId ? { householdId: Number(v.householdId) } : {}),
        grants: v.regionId && v.roleKey ? [{ roleKey: v.roleKey, regionId: v.regionId }] : [],
      }, { idempotencyKey: key });
      form.resetFields();
      onCreated();
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('accounts.create')} onCancel={onClose} onOk={submit} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ kind: 'staff' }}>
        <Form.Item name="username" label={t('accounts.username')} rules={[{ required: true, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/, message: t('accounts.usernameRule') }]}><Input autoComplete="off" /></Form.Item>
        <Form.Item name="displayName" label={t('accounts.displayName')} rules={[{ required: true, whitespace: true, max: 50 }]}><Input /></Form.Item>
        <Form.Item name="kind" label={t('accounts.kind')}><Select options={['staff', 'villager'].map((k) => ({ value: k, label: t(`accounts.kinds.${k}`) }))} /></Form.Item>
        {kind === 'villager' && <Form.Item name="householdId" label={t('accounts.householdId')} rules={[{ required: true }]}><Input inputMode="numeric" /></Form.Item>}
        <Form.Item name="password" label={t('accounts.password')} extra={t('accounts.passwordRule')} rules={[{ required: true, min: 8, max: 128 }]}><Input.Password autoComplete="new-password" /></Form.Item>
        <Form.Item name="regionId" label={t('accounts.grantRegion')}><RegionSelect /></Form.Item>
        <Form.Item name="roleKey" label={t('accounts.role')}><RolePicker regionId={regionId} /></Form.Item>
      </Form>
    </Modal>
  );
}

function GrantsDrawer({ account, onClose, onChanged }: { account: Account | null; onClose: () => void; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fail = useToastError();
  const [form] = Form.useForm();
  const [pw] = Form.useForm();
  const regionId = Form.useWatch('regionId', form) as number | undefined;
  const add = async () => {
    if (!account) return;
    const v = await form.validateFields();
    try {
      await api.post(`/accounts/${account.id}/grants`, { roleKey: v.roleKey, regionId: v.regionId });
      message.success(t('accounts.granted'));
      form.resetFields();
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const revoke = async (g: Grant) => {
    if (!account) return;
    try {
      await api.delete(`/accounts/${account.id}/grants/${g.id}`);
      message.success(t('accounts.revoked'));
      onChanged();
    } catch (e) {
      fail(e);
    }
  };
  const reset = async () => {
    if (!account) return;
    const v = await pw.validateFields();
    try {
      await api.post(`/accounts/${account.id}/reset-password`, { password: v.password });
      message.success(t('accounts.passwordReset'));
      pw.resetFields();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Drawer open={!!account} onClose={onClose} size={640} title={account ? `${account.displayName}（${account.username}）` : ''} destroyOnHidden>
      {account && (
        <Space orientation="vertical" size={24} style={{ width: '100%' }}>
          <Table<Grant> rowKey="id" size="small" pagination={false} dataSource={account.grants} locale={{ emptyText: t('accounts.noGrants') }}
            columns={[
              { title: t('accounts.role'), dataIndex: 'roleName' },
              { title: t('accounts.grantRegion'), dataIndex: 'regionName' },
              { title: t('common.actions'), key: 'op', width: 80, render: (_, g) => (
                <Popconfirm title={t('accounts.revokeConfirm', { role: g.roleName, region: g.regionName })} onConfirm={() => revoke(g)}>
                  <Button size="small" type="link" danger>{t('accounts.revoke')}</Button>
                </Popconfirm>
              ) },
            ]} />
          <Card size="small" title={t('accounts.addGrant')}>
            <Form form={form} layout="inline" onFinish={add}>
              <Form.Item name="regionId" rules={[{ required: true, message: t('accounts.grantRegion') }]}><RegionSelect allowClear={false} placeholder={t('accounts.grantRegion')} /></Form.Item>
              <Form.Item name="roleKey" rules={[{ required: true, message: t('accounts.role') }]} style={{ minWidth: 200 }}><RolePicker regionId={regionId} /></Form.Item>
              <Button type="primary" htmlType="submit">{t('accounts.grant')}</Button>
            </Form>
          </Card>
          <Card size="small" title={t('accounts.resetPassword')}>
            <Form form={pw} layout="inline" onFinish={reset}>
              <Form.Item name="password" label={t('accounts.newPassword')} rules={[{ required: true, min: 8, max: 128 }]}><Input.Password autoComplete="new-password" /></Form.Item>
              <Button htmlType="submit">{t('accounts.resetPassword')}</Button>
            </Form>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>{t('accounts.passwordRule')}</Typography.Paragraph>
          </Card>
        </Space>
      )}
    </Drawer>
  );
}
